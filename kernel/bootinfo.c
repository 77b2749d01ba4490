/* SPDX-License-Identifier: MIT */
/*
 * Receiving the loader's hand-over: boot_info, the e820 table, the command
 * line and the module list are checked and copied into the kernel's own
 * memory, so the loader's memory (E820_TYPE_LOADER) can later be reused
 * (docs/boot-protocol.md).
 */
#include "asm/e820.h"
#include "asm/page.h"
#include "kernel/bootinfo.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"

extern char _text[];

struct boot_info boot_info;
struct e820_table e820_table;
char boot_command_line[COMMAND_LINE_SIZE];
struct boot_module boot_modules[BOOT_MODULES_MAX];
unsigned int nr_boot_modules;
struct boot_module boot_modules_dropped[BOOT_MODULES_MAX];
unsigned int nr_boot_modules_dropped;

void boot_module_name(char name[BOOT_MODULE_NAME_MAX], const char *file)
{
	char *dot;

	strscpy(name, file, BOOT_MODULE_NAME_MAX);
	dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".ko") == 0)
		*dot = '\0';
}

void boot_module_drop(unsigned int i)
{
	boot_modules_dropped[nr_boot_modules_dropped++] = boot_modules[i];
	memmove(&boot_modules[i], &boot_modules[i + 1],
		(nr_boot_modules - i - 1) * sizeof(boot_modules[0]));
	nr_boot_modules--;
}

/* True when [phys, phys+len) lies inside the boot-data window, which the
 * provisional map (and later the direct map) covers. */
static bool boot_range_ok(uint64_t phys, uint64_t len)
{
	return phys != 0 && phys < BOOT_DATA_LIMIT &&
	       len <= BOOT_DATA_LIMIT - phys;
}

static void copy_e820(const struct boot_e820_entry *src, uint32_t n)
{
	uint64_t prev_end = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct boot_e820_entry *e = &src[i];
		struct e820_entry *d;

		if (e->size == 0 || e->addr + e->size < e->addr) {
			pr_warn("e820: entry %u [0x%llx, size 0x%llx] is empty or wraps; dropped\n",
				i, e->addr, e->size);
			continue;
		}
		if (e->addr < prev_end)
			panic("e820: entry %u at 0x%llx overlaps or precedes the one before (ends 0x%llx); the loader's table is corrupt",
			      i, e->addr, prev_end);
		prev_end = e->addr + e->size;
		d = &e820_table.entries[e820_table.nr_entries++];
		d->addr = e->addr;
		d->size = e->size;
		d->type = e->type;
	}
	if (e820_table.nr_entries == 0)
		panic("e820: the loader handed over an empty memory map");
}

void setup_boot_info(unsigned long magic, unsigned long bi_phys)
{
	const struct boot_info *bi;

	if (magic != KERNEL_BOOT_MAGIC)
		panic("boot: bad magic 0x%08lx in EAX (want 0x%08x)", magic,
		      KERNEL_BOOT_MAGIC);
	if (!boot_range_ok(bi_phys, sizeof(*bi)))
		panic("boot: boot_info at 0x%08lx is outside the boot-data window",
		      bi_phys);
	bi = __va(bi_phys);
	if (bi->magic != BOOT_INFO_MAGIC)
		panic("boot: boot_info magic 0x%08x, want 0x%08x", bi->magic,
		      BOOT_INFO_MAGIC);
	if (bi->version != BOOT_INFO_VERSION || bi->size != sizeof(*bi))
		panic("boot: boot_info version %u size %u; this kernel speaks version %u size %u",
		      bi->version, bi->size, BOOT_INFO_VERSION,
		      (unsigned int)sizeof(*bi));
	boot_info = *bi;

	if (bi->nr_e820 > E820_MAX_ENTRIES ||
	    !boot_range_ok(bi->e820_phys,
			   (uint64_t)bi->nr_e820 * sizeof(struct boot_e820_entry)))
		panic("boot: e820 table (%u entries at 0x%llx) out of bounds",
		      bi->nr_e820, bi->e820_phys);
	copy_e820(__va(bi->e820_phys), bi->nr_e820);

	if (bi->cmdline_len) {
		if (bi->cmdline_len >= COMMAND_LINE_SIZE ||
		    !boot_range_ok(bi->cmdline_phys, bi->cmdline_len))
			pr_err("boot: command line (%u bytes at 0x%llx) out of bounds; ignored\n",
			       bi->cmdline_len, bi->cmdline_phys);
		else
			memcpy(boot_command_line, __va(bi->cmdline_phys),
			       bi->cmdline_len);
	}

	if (bi->nr_modules > BOOT_MODULES_MAX ||
	    !boot_range_ok(bi->modules_phys, (uint64_t)bi->nr_modules *
					     sizeof(struct boot_module))) {
		if (bi->nr_modules)
			pr_err("boot: module table (%u entries at 0x%llx) out of bounds; modules ignored\n",
			       bi->nr_modules, bi->modules_phys);
	} else {
		memcpy(boot_modules, __va(bi->modules_phys),
		       bi->nr_modules * sizeof(struct boot_module));
		nr_boot_modules = bi->nr_modules;
		for (unsigned int i = 0; i < nr_boot_modules; i++)
			boot_modules[i].name[BOOT_MODULE_NAME_MAX - 1] = 0;
	}
	if (bi->initrd_size && (bi->initrd_size > BOOT_INITRD_MAX ||
				!boot_range_ok(bi->initrd_phys, bi->initrd_size))) {
		pr_err("boot: initrd (%llu bytes at 0x%llx) out of bounds; ignored\n",
		       bi->initrd_size, bi->initrd_phys);
		boot_info.initrd_phys = boot_info.initrd_size = 0;
	}
	boot_info.firmware_vendor[sizeof(boot_info.firmware_vendor) - 1] = 0;
}

/* "loader.debug" and "loader.kernel_base" are the loader's (efi/): known
 * here, so not reported. */
static int loader_debug_setup(char *val)
{
	return 0;
}
__setup("loader.debug", loader_debug_setup);

static int loader_kernel_base_setup(char *val)
{
	return 0;
}
__setup("loader.kernel_base", loader_kernel_base_setup);

const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case E820_TYPE_USABLE:		return "usable";
	case E820_TYPE_RESERVED:	return "reserved";
	case E820_TYPE_ACPI:		return "ACPI data";
	case E820_TYPE_NVS:		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:	return "unusable";
	case E820_TYPE_LOADER:		return "loader";
	default:			return "unknown";
	}
}

uint64_t e820__total(uint32_t type)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < e820_table.nr_entries; i++)
		if (e820_table.entries[i].type == type)
			sum += e820_table.entries[i].size;
	return sum;
}

void e820__print_table(const char *who)
{
	uint64_t ram;

	pr_info("%s-provided physical RAM map:\n", who);
	for (uint32_t i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];

		pr_info("e820: [mem 0x%016llx-0x%016llx] %s\n", e->addr,
			e->addr + e->size - 1, e820_type_name(e->type));
	}
	/* RAM the kernel may use, now or once it has copied out the boot
	 * data; the harness compares this with the machine's RAM size. */
	ram = e820__total(E820_TYPE_USABLE) + e820__total(E820_TYPE_LOADER);
	pr_info("e820: %llu KiB RAM (%llu KiB usable, %llu KiB loader data), %llu KiB ACPI, %llu KiB NVS, %llu KiB reserved\n",
		ram >> 10, e820__total(E820_TYPE_USABLE) >> 10,
		e820__total(E820_TYPE_LOADER) >> 10,
		e820__total(E820_TYPE_ACPI) >> 10,
		e820__total(E820_TYPE_NVS) >> 10,
		e820__total(E820_TYPE_RESERVED) >> 10);
}

static uint8_t byte_sum(const uint8_t *p, unsigned int n)
{
	uint8_t sum = 0;

	while (n--)
		sum += *p++;
	return sum;
}

static void print_rsdp(void)
{
	const uint8_t *r = boot_info.rsdp;
	bool bad;

	if (!(boot_info.flags & BOOT_INFO_RSDP)) {
		pr_info("ACPI: no RSDP from the firmware\n");
		return;
	}
	/* ACPI 6.5 §5.2.5.3: the first 20 bytes sum to zero; from revision 2
	 * on, all 36 bytes do too (the extended checksum). */
	bad = byte_sum(r, 20) != 0 || (r[15] >= 2 && byte_sum(r, 36) != 0);
	pr_info("ACPI: RSDP 0x%016llx %06x (v%02u %.6s)%s\n",
		boot_info.rsdp_phys, r[15] >= 2 ? 36 : 20, r[15],
		(const char *)r + 9, bad ? " bad checksum" : "");
}

void print_boot_info(void)
{
	pr_info("boot: UEFI %u-bit firmware \"%s\" revision 0x%08x, loader at 0x%llx\n",
		boot_info.firmware_bits, boot_info.firmware_vendor,
		boot_info.firmware_revision, boot_info.loader_image_base);
	pr_info("boot: kernel at physical 0x%08llx-0x%08llx%s\n",
		boot_info.kernel_phys_start, boot_info.kernel_phys_end - 1,
		(boot_info.flags & BOOT_INFO_STAGED) ?
			" (staged, moved by pm32)" : "");
	/* Where the loader put the image: _text moved with it (its
	 * relocation records, include/boot/relocs.h). */
	if (__pa(_text) == KERNEL_PHYS_LOAD)
		pr_info("boot: kernel base 0x%08lx, as linked\n", __pa(_text));
	else
		pr_info("boot: kernel base 0x%08lx, linked for 0x%08x: relocated by the loader\n",
			__pa(_text), KERNEL_PHYS_LOAD);
	if (boot_info.kernel_phys_start != __pa(_text))
		pr_warn("boot: the loader says the kernel starts at 0x%08llx, but it runs at 0x%08lx\n",
			boot_info.kernel_phys_start, __pa(_text));
	print_rsdp();
	if (boot_info.flags & BOOT_INFO_FB) {
		const struct boot_framebuffer *fb = &boot_info.fb;

		pr_info("fb: %ux%u %ubpp pitch %u at 0x%llx (%llu KiB, %s)\n",
			fb->width, fb->height, fb->bpp, fb->pitch, fb->base,
			fb->size >> 10,
			fb->format == BOOT_FB_RGBX ? "RGBX" :
			fb->format == BOOT_FB_BGRX ? "BGRX" : "bitmask");
	}	/* none: efifb_init says so, once */
	if (boot_info.initrd_size)
		pr_info("initrd: %llu bytes at 0x%08llx\n", boot_info.initrd_size,
			boot_info.initrd_phys);
	else
		pr_info("initrd: none\n");
	pr_info("modules: %u\n", nr_boot_modules);
	for (unsigned int i = 0; i < nr_boot_modules; i++)
		pr_info("module: %s at 0x%08llx, %llu bytes\n",
			boot_modules[i].name, boot_modules[i].phys,
			boot_modules[i].size);
}
