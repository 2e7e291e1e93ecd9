# The shell's test (tests/system/sh_cases.py): boot with
# services=etc/services.sh.  shtest runs bin/sh on its cases with their
# output captured in files on file: (tmpfs, as in etc/services); the
# shell's pipelines need pipe:, some cases null:.
initfs /bin/initfs priority=driver archive=yes register=initfs restart=always
tmpfs /bin/tmpfs priority=driver archive=yes register=file restart=always -- max=64M
misc /bin/misc register=null,zero,rand restart=always
pipe /bin/pipe register=pipe restart=always
shtest /bin/shtest needs=file,pipe,null see=file,pipe,null,initfs \
	ioport=0xf4-0xf7 restart=never
