/*
 * kmain: from the multiboot2 hand-over to "kernel: ready".
 * Order matters: traps first (so any fault is reported), then the boot
 * information, CPU features, physical memory, page tables, the screen.
 */
#include "arch.h"
#include "boot.h"
#include "cmdline.h"
#include "cpu.h"
#include "fbcon.h"
#include "ipc.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"
#include "selftest.h"
#include "tar.h"
#include "vm.h"

#define EARLY_MAP_END 0x100000000UL

static struct boot_info boot_info;
static struct cmdline kernel_cmdline;

static void parse_boot_info(uint32_t magic, uint64_t info_phys)
{
	const char *err;
	int ret;

	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("boot: bad multiboot2 magic 0x%x", magic);
	if (info_phys >= EARLY_MAP_END - 16)
		panic("boot: information block above 4 GiB at 0x%lx",
		      info_phys);
	ret = mb2_parse(phys_to_virt(info_phys), EARLY_MAP_END - info_phys,
			info_phys, &boot_info, &err);
	if (ret)
		panic("boot: bad multiboot2 information: %s", err);
	ret = cmdline_parse(&kernel_cmdline, boot_info.cmdline);
	if (ret)
		klog("kernel: command line %s; using what fits\n",
		     ret == -E2BIG ? "too long" : "has an unclosed quote");
	panic_exits_qemu =
		cmdline_has(&kernel_cmdline, "panic") &&
		strcmp(cmdline_get(&kernel_cmdline, "panic"), "exit") == 0;
}

static void start_console(void)
{
	const struct boot_framebuffer *fb = &boot_info.fb;
	void *pixels;

	if (fb->type == BOOT_FB_NONE)
		return;
	/* PWT selects PAT entry 1, which arch_cpu_init made write-combining. */
	pixels = vmm_map_device(fb->addr, (uint64_t)fb->pitch * fb->height,
				PTE_PWT);
	if (pixels && fbcon_init(fb, pixels) == 0)
		log_replay_to_console();
}

static void report_memory(void)
{
	uint64_t total = 0, usable = 0;

	/* Total counts RAM of every use; reserved ranges are mostly holes. */
	for (unsigned i = 0; i < boot_info.mmap_count; i++) {
		const struct boot_mem_region *m = &boot_info.mmap[i];

		if (m->type == BOOT_MEM_USABLE ||
		    m->type == BOOT_MEM_ACPI_RECLAIMABLE ||
		    m->type == BOOT_MEM_ACPI_NVS || m->type == BOOT_MEM_BAD)
			total += m->length;
		if (m->type == BOOT_MEM_USABLE)
			usable += m->length;
	}
	klog("memory: total %lu KiB, usable %lu KiB, free %lu KiB\n",
	     total / 1024, usable / 1024,
	     kernel_pmm.free_frames * PAGE_SIZE / 1024);
}

static void report_boot_info(void)
{
	const struct boot_framebuffer *fb = &boot_info.fb;

	klog("cpu: %s\n", arch_cpu_features());
	report_memory();
	if (fb->type == BOOT_FB_RGB)
		klog("framebuffer: %ux%u, %u bpp, pitch %u at 0x%lx, console %ux%u\n",
		     fb->width, fb->height, fb->bpp, fb->pitch, fb->addr,
		     fbcon_columns(), fbcon_rows());
	else if (fb->type == BOOT_FB_EGA_TEXT)
		klog("framebuffer: EGA text %ux%u\n", fb->width, fb->height);
	else
		klog("framebuffer: none\n");
	klog("modules: %u\n", boot_info.module_count);
	for (unsigned i = 0; i < boot_info.module_count; i++)
		klog("  module %u: 0x%lx-0x%lx (%lu bytes) \"%s\"\n", i,
		     boot_info.modules[i].start, boot_info.modules[i].end,
		     boot_info.modules[i].end - boot_info.modules[i].start,
		     boot_info.modules[i].cmdline);
	if (boot_info.acpi_revision)
		klog("acpi: RSDP revision %u\n", boot_info.acpi_revision);
	klog("command line: \"%s\"\n", boot_info.cmdline);
}

/* The boot archive: the module whose command line starts with "initfs". */
static const struct boot_module *find_bootfs(void)
{
	for (unsigned i = 0; i < boot_info.module_count; i++)
		if (strncmp(boot_info.modules[i].cmdline, "initfs", 6) == 0)
			return &boot_info.modules[i];
	return NULL;
}

/* argv for init: "init", then every kernel option as key=value. */
static size_t init_args(char *buf, size_t size)
{
	size_t n = (size_t)ksnprintf(buf, size, "init") + 1;

	for (unsigned i = 0; i < kernel_cmdline.count && n < size; i++) {
		const struct cmdline_opt *o = &kernel_cmdline.opts[i];

		n += (size_t)ksnprintf(buf + n, size - n,
				       *o->value ? "%s=%s" : "%s", o->key,
				       o->value) +
		     1;
	}
	return MIN(n, size);
}

/*
 * Starts the first process, bin/init from the boot archive, with the
 * handles of INIT_H_*: the archive itself, the roots of physical ranges,
 * interrupt lines and I/O ports, and the kernel log (read-only).
 */
static void start_init(void)
{
	const struct boot_module *mod = find_bootfs();
	struct handle hs[INIT_HANDLES];
	struct mem_obj *fs, *klog_mem;
	uint64_t log_phys, log_size;
	struct tar_entry e;
	struct process *p;
	static char args[CMDLINE_MAX_LEN + 8];
	size_t args_len;
	int err;

	if (!mod) {
		klog("kernel: no boot archive (module \"initfs\"): nothing to run\n");
		return;
	}
	err = tar_find(phys_to_virt(mod->start), mod->end - mod->start,
		       "bin/init", &e);
	if (err) {
		klog("kernel: boot archive has no usable bin/init (%d)\n", err);
		return;
	}
	fs = mem_create_kernel_range(mod->start, mod->end - mod->start,
				     MEM_CACHE_WB);
	log_phys = log_share(&log_size);
	klog_mem = mem_create_kernel_range(log_phys, log_size, MEM_CACHE_WB);
	if (!fs || !klog_mem)
		panic("kernel: out of memory starting init");
	hs[INIT_H_BOOTFS] =
		(struct handle){ &fs->obj, RIGHT_READ | RIGHT_MAP | RIGHT_DUP |
						   RIGHT_TRANSFER };
	hs[INIT_H_KLOG] = (struct handle){ &klog_mem->obj,
					   RIGHT_READ | RIGHT_MAP | RIGHT_DUP |
						   RIGHT_TRANSFER };
	hs[INIT_H_PHYS] =
		(struct handle){ &mem_create_phys_root()->obj,
				 RIGHT_MANAGE | RIGHT_DUP | RIGHT_TRANSFER };
	hs[INIT_H_IRQ] =
		(struct handle){ &irq_create_root()->obj,
				 RIGHT_MANAGE | RIGHT_DUP | RIGHT_TRANSFER };
	hs[INIT_H_IOPORT] =
		(struct handle){ &ioport_create_root()->obj,
				 RIGHT_MANAGE | RIGHT_DUP | RIGHT_TRANSFER };
	args_len = init_args(args, sizeof(args));
	p = process_spawn(e.data, e.size, "init", NULL, hs, INIT_HANDLES, args,
			  args_len, 0, PRIO_INIT, &err);
	for (unsigned i = 0; i < INIT_HANDLES; i++)
		kobj_put(hs[i].obj);
	if (!p)
		panic("kernel: cannot start init: error %d", err);
	klog("kernel: started init (pid %u)\n", p->pid);
	kobj_put(&p->obj);
}

void kmain(uint32_t magic, uint64_t info_phys)
{
	const char *test, *fault;

	arch_serial_init();
	arch_trap_init();
	klog("Valence %s (x86_64)\n", VALENCE_VERSION);
	parse_boot_info(magic, info_phys);
	arch_cpu_init();
	pmm_boot_init(&boot_info);
	cow_init();
	vmm_init(&boot_info);
	start_console();
	arch_irq_init(&boot_info);
	arch_timer_init();
	report_boot_info();
	klog("kernel: ready\n");

	fault = cmdline_get(&kernel_cmdline, "fault");
	if (fault)
		selftest_fault(fault);
	test = cmdline_get(&kernel_cmdline, "test");
	if (test && strcmp(test, "kernel") == 0)
		arch_qemu_exit(selftest_run() ? EXIT_FAILURE_CODE
					      : EXIT_SUCCESS_CODE);

	mem_set_ram_ranges(&boot_info);
	arch_user_init();
	sched_init();
	start_init();
	sched_start();
}
