#!/usr/bin/env python3
"""make size: the kernel's section sizes and C line count against the budgets."""
import glob
import os
import subprocess
import sys

TEXT_BUDGET = 64 * 1024
LINES_BUDGET = 8000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def section_sizes(elf):
    out = subprocess.run(["size", "-A", elf], check=True, capture_output=True,
                         text=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def c_lines():
    files = glob.glob(os.path.join(ROOT, "kernel", "**", "*.[ch]"),
                      recursive=True)
    total = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            total += sum(1 for line in fh if line.strip())
    return total, len(files)


def main():
    sizes = section_sizes(sys.argv[1])
    text = sizes.get(".text", 0)
    lines, files = c_lines()
    print("kernel .text   %7d bytes  (budget %d, %d%% used)"
          % (text, TEXT_BUDGET, 100 * text // TEXT_BUDGET))
    print("kernel .boot   %7d bytes  (multiboot2 header, 32-bit entry; "
          "+ %d early page tables)" % (sizes.get(".boot", 0),
                                       sizes.get(".boot.bss", 0)))
    print("kernel .rodata %7d bytes  (+ .ksyms %d)"
          % (sizes.get(".rodata", 0), sizes.get(".ksyms", 0)))
    print("kernel .data   %7d bytes" % sizes.get(".data", 0))
    print("kernel .bss    %7d bytes" % sizes.get(".bss", 0))
    print("kernel C       %7d lines in %d files (budget %d, non-blank)"
          % (lines, files, LINES_BUDGET))


if __name__ == "__main__":
    main()
