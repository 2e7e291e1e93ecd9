"""Reboot and power-off through drivers/power, booted in QEMU by
tools/test.py.  QEMU runs with -no-reboot, so both end it with status 0;
the log says which path was taken.  On q35 and on pc (two chipsets)."""

PANIC = "kernel panic"

CASES = [
    dict(name="poweroff " + machine, machine=machine,
         cmdline="services=etc/services.poweroff panic=exit",
         modules=["initfs.tar"],
         expect=["init: power registered power:", "power: powering off"],
         reject=[PANIC, "did not power off", "[poweroff]"], exit_code=0,
         timeout=30)
    for machine in ("q35", "pc")
] + [
    dict(name="reboot " + machine, machine=machine,
         cmdline="services=etc/services.reboot panic=exit",
         modules=["initfs.tar"],
         expect=["init: power registered power:", "power: rebooting"],
         reject=[PANIC, "did not reset", "[reboot]"], exit_code=0,
         timeout=30)
    for machine in ("q35", "pc")
]
