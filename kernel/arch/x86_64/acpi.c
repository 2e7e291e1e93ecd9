/*
 * Just enough ACPI to route interrupts: RSDP -> XSDT or RSDT -> MADT.
 * Firmware tables are not trusted: every table's signature, length and
 * checksum is checked before anything in it is read.
 */
#include "boot.h"
#include "intr.h"
#include "lib.h"
#include "log.h"
#include "mm.h"

#define RSDP_V1_LEN    20
#define RSDP_V2_LEN    36
#define RSDP_REVISION  15 /* offsets in the RSDP */
#define RSDP_RSDT      16
#define RSDP_XSDT      24
#define SDT_HEADER_LEN 36
#define SDT_LENGTH     4
#define SDT_MAX_LEN    (1U << 20) /* far above any real table */
#define MADT_LAPIC     36
#define MADT_ENTRIES   44

enum madt_entry_type {
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_OVERRIDE = 5,
};
#define IOAPIC_ENTRY_LEN    12
#define OVERRIDE_ENTRY_LEN  10
#define LAPIC_OVR_ENTRY_LEN 12
#define OVERRIDE_BUS_ISA    0

/* Little-endian field of `size` bytes at p (ACPI fields are unaligned). */
static uint64_t field(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, p, size);
	return v;
}

static bool checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
}

/*
 * Maps the table at `phys` and returns it if it carries `sig`, or NULL.
 * A table with the right signature but a bad length or checksum is
 * logged; `quiet` skips the log for a signature mismatch.
 */
static const uint8_t *map_table(uint64_t phys, const char *sig, bool quiet)
{
	const uint8_t *t = vmm_map_device(phys, SDT_HEADER_LEN, 0);
	uint32_t len;

	if (!t) {
		klog("acpi: cannot map a table at 0x%lx\n", phys);
		return NULL;
	}
	if (memcmp(t, sig, 4) != 0) {
		if (!quiet)
			klog("acpi: no %s at 0x%lx\n", sig, phys);
		return NULL;
	}
	len = field(t + SDT_LENGTH, 4);
	if (len < SDT_HEADER_LEN || len > SDT_MAX_LEN) {
		klog("acpi: %s at 0x%lx has a bad length %u\n", sig, phys, len);
		return NULL;
	}
	t = vmm_map_device(phys, len, 0);
	if (!t || !checksum_ok(t, len)) {
		klog("acpi: %s at 0x%lx is %s\n", sig, phys,
		     t ? "corrupt (bad checksum)" : "unmappable");
		return NULL;
	}
	return t;
}

/* Looks through an RSDT (4-byte entries) or XSDT (8-byte) for the MADT. */
static const uint8_t *find_in_sdt(const uint8_t *sdt, unsigned entry_size)
{
	uint32_t len = field(sdt + SDT_LENGTH, 4);

	for (uint32_t off = SDT_HEADER_LEN; off + entry_size <= len;
	     off += entry_size) {
		uint64_t phys = field(sdt + off, entry_size);
		const uint8_t *t = phys ? map_table(phys, "APIC", true) : NULL;

		if (t)
			return t;
	}
	return NULL;
}

static const uint8_t *find_madt(const struct boot_info *bi)
{
	const uint8_t *rsdp, *sdt = NULL, *madt = NULL;

	if (!bi->acpi_rsdp_phys) {
		klog("acpi: no RSDP from the boot loader\n");
		return NULL;
	}
	rsdp = phys_to_virt(bi->acpi_rsdp_phys);
	if (!checksum_ok(rsdp, RSDP_V1_LEN)) {
		klog("acpi: RSDP checksum is bad\n");
		return NULL;
	}
	if (bi->acpi_revision >= 2 && rsdp[RSDP_REVISION] >= 2 &&
	    field(rsdp + RSDP_XSDT, 8)) {
		if (!checksum_ok(rsdp, RSDP_V2_LEN))
			klog("acpi: bad RSDP v2 checksum; using the RSDT\n");
		else if ((sdt = map_table(field(rsdp + RSDP_XSDT, 8), "XSDT",
					  false)))
			madt = find_in_sdt(sdt, 8);
		else
			klog("acpi: falling back to the RSDT\n");
	}
	if (!madt && !sdt) {
		sdt = map_table(field(rsdp + RSDP_RSDT, 4), "RSDT", false);
		if (sdt)
			madt = find_in_sdt(sdt, 4);
	}
	if (sdt && !madt)
		klog("acpi: no valid MADT\n");
	return madt;
}

int acpi_find_madt(const struct boot_info *bi, struct madt_info *out)
{
	const uint8_t *madt = find_madt(bi);
	uint32_t len, off;

	memset(out, 0, sizeof(*out));
	if (!madt)
		return -ENOENT;
	len = field(madt + SDT_LENGTH, 4);
	if (len < MADT_ENTRIES) {
		klog("acpi: MADT is too short\n");
		return -ENOENT;
	}
	out->lapic_phys = field(madt + MADT_LAPIC, 4);
	for (off = MADT_ENTRIES; off + 2 <= len; off += madt[off + 1]) {
		const uint8_t *e = madt + off;
		unsigned n = out->ioapic_count, irq = e[3];

		if (e[1] < 2 || off + e[1] > len) {
			klog("acpi: malformed MADT entry at offset %u\n", off);
			break;
		}
		if (e[0] == MADT_IOAPIC && e[1] >= IOAPIC_ENTRY_LEN &&
		    n < MAX_IOAPICS) {
			out->ioapic[n].id = e[2];
			out->ioapic[n].phys = field(e + 4, 4);
			out->ioapic[n].gsi_base = field(e + 8, 4);
			out->ioapic_count++;
		} else if (e[0] == MADT_OVERRIDE &&
			   e[1] >= OVERRIDE_ENTRY_LEN &&
			   e[2] == OVERRIDE_BUS_ISA && irq < ISA_IRQS) {
			out->isa_overridden[irq] = true;
			out->isa_gsi[irq] = field(e + 4, 4);
			out->isa_flags[irq] = field(e + 8, 2);
		} else if (e[0] == MADT_LAPIC_OVERRIDE &&
			   e[1] >= LAPIC_OVR_ENTRY_LEN) {
			out->lapic_phys = field(e + 4, 8);
		}
	}
	return 0;
}
