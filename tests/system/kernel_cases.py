"""System tests of the kernel, booted in QEMU by tools/test.py.

Each case: a name, the kernel command line baked into its boot image, the
tools/qemu-run options, and what the serial log must (expect) and must not
(reject) contain.  exit_code is QEMU's status when the kernel leaves
through isa-debug-exit: 33 = success, 35 = failure, 37 = panic.
"""

READY = "kernel: ready"
PANIC = "kernel panic"
SUCCESS, FAILURE, PANICKED = 33, 35, 37

CASES = [
    # Boot on the four firmware/chipset combinations, and at memory extremes.
    dict(name="boot pc bios", machine="pc", expect=[READY], reject=[PANIC]),
    dict(name="boot q35 bios", machine="q35", expect=[READY], reject=[PANIC]),
    dict(name="boot pc uefi", machine="pc", uefi=True, expect=[READY],
         reject=[PANIC]),
    dict(name="boot q35 uefi", machine="q35", uefi=True, expect=[READY],
         reject=[PANIC]),
    dict(name="boot with 32 MiB", memory="32M", expect=[READY],
         reject=[PANIC]),
    dict(name="boot with 4 GiB", memory="4G", expect=[READY, "usable 4"],
         reject=[PANIC]),
    dict(name="framebuffer console", expect=["framebuffer: 1024x768, 32 bpp",
                                             "console 128x48", READY],
         reject=[PANIC]),
    dict(name="command line", cmdline="quiet x=1 name=valence",
         expect=['command line: "quiet x=1 name=valence"', READY],
         reject=[PANIC]),

    # In-kernel self-tests on BIOS and UEFI.
    dict(name="kernel self-tests", cmdline="test=kernel panic=exit",
         expect=["selftest: map and unmap: ok", ", 0 failed"], exit_code=SUCCESS),
    dict(name="kernel self-tests uefi", cmdline="test=kernel panic=exit",
         uefi=True, expect=[", 0 failed"], exit_code=SUCCESS),

    # Deliberate kernel faults produce the panic report, not a reset.
    dict(name="fault: null pointer write", cmdline="fault=null panic=exit",
         expect=["kernel panic: page fault (#PF)", "rip 0x",
                 "selftest_fault+0x", "cr2 0x0000000000000008 (write",
                 "stack trace:", "kmain+0x", "--- recent log ---",
                 "kernel: halted"],
         exit_code=PANICKED),
    dict(name="fault: invalid opcode", cmdline="fault=ud panic=exit",
         expect=["kernel panic: invalid opcode (#UD)", "selftest_fault+0x"],
         exit_code=PANICKED),
    dict(name="fault: divide error", cmdline="fault=divide panic=exit",
         expect=["kernel panic: divide error (#DE)", "selftest_fault+0x"],
         exit_code=PANICKED),
    dict(name="fault: stack overflow hits the guard page",
         cmdline="fault=stack panic=exit",
         expect=["kernel panic: double fault (#DF)", "rip 0x", "recurse"],
         exit_code=PANICKED),
    dict(name="fault: panic()", cmdline="fault=panic panic=exit",
         expect=["kernel panic: deliberate panic requested by fault=panic",
                 "stack trace:", "selftest_fault+0x"],
         exit_code=PANICKED),
]
