"""The misc server (null:, zero:, rand:), booted in QEMU by tools/test.py.

With `services=etc/services.misc` init starts misc and misctest
(tests/system/user/misctest), which tests the three schemes through the
raw file protocol, prints `misctest: N passed, M failed` through its
standard output (logged by init as `[misctest] ...`) and leaves QEMU
through the debug-exit port its line grants.

QEMU's `-cpu max` has RDRAND but not RDSEED, so the first case seeds rand:
from RDRAND; the second boots a CPU without either (`qemu64`), so that
the weak fallback (the TSC and the clock) is used and tested too.
"""

PANIC = "kernel panic"
SUCCESS = 33
COUNT = r"misctest: (\d+) passed, (\d+) failed"

CASES = [
    dict(name="misc: null, zero, rand (misctest)",
         cmdline="services=etc/services.misc panic=exit",
         modules=["initfs.tar"],
         expect=["init: misc registered rand:", "misc: rand: seeded from RDRAND",
                 "init: misctest asked to stop misc",
                 "misctest: ", " passed, 0 failed"],
         reject=[PANIC, "[misctest] FAIL"], exit_code=SUCCESS, timeout=90,
         count=COUNT),
    dict(name="misc: rand seeded without RDRAND or RDSEED (misctest)",
         cmdline="services=etc/services.misc panic=exit",
         modules=["initfs.tar"], cpu="qemu64",
         expect=["misc: rand: seeded from the TSC and clock (weak)",
                 "misctest: ", " passed, 0 failed"],
         reject=[PANIC, "[misctest] FAIL"], exit_code=SUCCESS, timeout=90,
         count=COUNT),
]
