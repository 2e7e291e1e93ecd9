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


def code_lines(text):
    """Lines with code on them: not blank, not only a comment."""
    count, in_comment = 0, False
    for line in text.splitlines():
        code, i = "", 0
        while i < len(line):
            if in_comment:
                end = line.find("*/", i)
                if end < 0:
                    break
                in_comment, i = False, end + 2
            elif line.startswith("/*", i):
                in_comment, i = True, i + 2
            elif line.startswith("//", i):
                break
            else:
                code += line[i]
                i += 1
        count += bool(code.strip())
    return count


def c_lines():
    files = glob.glob(os.path.join(ROOT, "kernel", "**", "*.[ch]"),
                      recursive=True)
    code = total = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        code += code_lines(text)
        total += sum(1 for line in text.splitlines() if line.strip())
    return code, total, len(files)


def main():
    sizes = section_sizes(sys.argv[1])
    text = sizes.get(".text", 0)
    lines, with_comments, files = c_lines()
    print("kernel .text   %7d bytes  (budget %d, %d%% used)"
          % (text, TEXT_BUDGET, 100 * text // TEXT_BUDGET))
    print("kernel .boot   %7d bytes  (multiboot2 header, 32-bit entry; "
          "+ %d early page tables)" % (sizes.get(".boot", 0),
                                       sizes.get(".boot.bss", 0)))
    print("kernel .rodata %7d bytes  (+ .ksyms %d)"
          % (sizes.get(".rodata", 0), sizes.get(".ksyms", 0)))
    print("kernel .data   %7d bytes" % sizes.get(".data", 0))
    print("kernel .bss    %7d bytes" % sizes.get(".bss", 0))
    print("kernel C       %7d lines of code in %d files (budget %d; "
          "%d with comments)" % (lines, files, LINES_BUDGET, with_comments))


if __name__ == "__main__":
    main()
