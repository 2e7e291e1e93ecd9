#!/usr/bin/env python3
"""make bench: boots the benchmark image with -icount shift=0,sleep=off, where
the guest TSC counts executed instructions, and prints the table of guest
instructions per operation that userland/bench measured.

  bench.py IMAGE.iso
"""
import re
import subprocess
import sys
import tempfile
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    image = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "serial.log")
        proc = subprocess.run(
            [os.path.join(ROOT, "tools", "qemu-run"), image, "--icount",
             "--name", "bench", "--expect", "bench: done",
             "--exit-code", "33", "--timeout", "120", "--log", log],
            capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stdout + proc.stderr)
            sys.exit("bench: the benchmark run failed")
        with open(log, errors="replace") as f:
            text = f.read()
    rows = re.findall(r"bench: ([^:\n]+): (\d+)", text)
    width = max(len(name) for name, _ in rows)
    print("%-*s  %s" % (width, "operation", "guest instructions"))
    print("%s  %s" % ("-" * width, "-" * 18))
    for name, value in rows:
        print("%-*s  %18s" % (width, name, value))


if __name__ == "__main__":
    main()
