#!/usr/bin/env python3
"""Runs every Valence test and ends with one line: `N passed, N failed`.

  test.py [--build DIR] [--only TEXT] [UNIT_BINARY...]

Host unit tests (cmocka binaries) first, then the system tests: each case
of tests/system/*_cases.py boots a boot image made for its command line in
QEMU through tools/qemu-run.  Two QEMUs run at a time.  A case's
`serial_input`, a list of (TEXT, DATA) pairs, is typed into the guest's
COM1: each DATA once its TEXT shows up in the serial log, after the
previous TEXT (tools/qemu-run --send-after).
"""
import argparse
import concurrent.futures
import hashlib
import importlib.util
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_unit(binary):
    """Returns (passed, failed) from a cmocka binary's summary lines."""
    proc = subprocess.run([binary], capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    passed = re.search(r"\[  PASSED  \] (\d+) test", out)
    failed = re.search(r"\[  FAILED  \] (\d+) test", out)
    p = int(passed.group(1)) if passed else 0
    f = int(failed.group(1)) if failed else 0
    if proc.returncode != 0 and f == 0:
        f = 1           # crashed before its summary
    if f:
        print(out.rstrip())
    print("%s %s: %d passed, %d failed" % ("PASS" if not f else "FAIL",
                                          os.path.relpath(binary), p, f))
    return p, f


def load_cases(only):
    cases = []
    sysdir = os.path.join(ROOT, "tests", "system")
    for fn in sorted(os.listdir(sysdir)):
        if not fn.endswith("_cases.py"):
            continue
        spec = importlib.util.spec_from_file_location(fn[:-3],
                                                      os.path.join(sysdir, fn))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        cases += [c for c in mod.CASES if not only or only in c["name"]]
    return cases


def image_for(build, case):
    """The boot image for the case's command line and modules (cached)."""
    cmdline = case.get("cmdline", "")
    modules = case.get("modules", [])
    key = hashlib.sha1(repr((cmdline, modules)).encode()).hexdigest()[:12]
    image = os.path.join(build, "test", key + ".iso")
    kernel = os.path.join(build, "valence.elf")
    deps = [kernel] + [os.path.join(build, m) for m in modules]
    if (not os.path.exists(image) or
            os.path.getmtime(image) < max(os.path.getmtime(d) for d in deps)):
        subprocess.run([os.path.join(ROOT, "tools", "mkiso"), image, kernel,
                        cmdline] + deps[1:], check=True)
    return image


def run_case(build, case, image):
    cmd = [os.path.join(ROOT, "tools", "qemu-run"), image,
           "--name", case["name"],
           "--machine", case.get("machine", "q35"),
           "--memory", case.get("memory", "256M"),
           "--timeout", str(case.get("timeout", 30))]
    if case.get("uefi"):
        cmd.append("--uefi")
    if case.get("cpu"):
        cmd += ["--cpu", case["cpu"]]
    for e in case.get("expect", []):
        cmd += ["--expect", e]
    for r in case.get("reject", []):
        cmd += ["--reject", r]
    if "exit_code" in case:
        cmd += ["--exit-code", str(case["exit_code"])]
    for after, data in case.get("serial_input", []):
        cmd += ["--send-after", after,
                data.encode("unicode_escape").decode("ascii")]
    if "count" in case:
        cmd.append("--verbose")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode == 0, proc.stdout + proc.stderr


def case_counts(case, ok, out):
    """(passed, failed) a case adds: 1 test, or the in-guest suite's own
    `N passed, M failed` when the case names it with `count`."""
    if "count" in case:
        found = re.findall(case["count"], out)
        if found:
            p, f = (int(x) for x in found[-1])
            if not ok and f == 0:
                f = 1
            return p, f
    return (1, 0) if ok else (0, 1)


def harness_self_check(build):
    """The runner must fail a run whose expected output never comes."""
    image = image_for(build, {})
    ok, out = run_case(build, dict(name="harness self-check",
                                   expect=["text the kernel never prints"],
                                   timeout=4), image)
    good = not ok and "guest serial log follows" in out
    print("%s harness detects missing output" % ("PASS" if good else "FAIL"))
    return good


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--only", help="run only system cases whose name has this")
    p.add_argument("--no-system", action="store_true")
    p.add_argument("units", nargs="*")
    args = p.parse_args()

    passed = failed = 0
    for binary in args.units:
        p_, f_ = run_unit(binary)
        passed += p_
        failed += f_

    if not args.no_system:
        cases = load_cases(args.only)
        images = [image_for(args.build, c) for c in cases]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(run_case, args.build, c, i)
                       for c, i in zip(cases, images)]
            for case, fut in zip(cases, futures):
                ok, out = fut.result()
                if "count" in case and ok:
                    out = "\n".join(line for line in out.splitlines()
                                    if re.search(case["count"], line) or
                                    line.startswith(("PASS", "FAIL")))
                print(out.rstrip())
                p_, f_ = case_counts(case, ok, out)
                passed += p_
                failed += f_
        if not args.only:
            if harness_self_check(args.build):
                passed += 1
            else:
                failed += 1

    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
