/* SPDX-License-Identifier: MIT */
/*
 * The boot protocol between the UEFI loader (efi/), the pm32 shim and the
 * kernel: the versioned boot_info block and the tables it points to.
 * docs/boot-protocol.md describes it in prose; this header is the truth.
 *
 * Shared by code built for x86_64 (BOOTX64.EFI), i386 (BOOTIA32.EFI, the
 * kernel) and the host tests, so every 64-bit field sits at an 8-byte
 * aligned offset and every struct is a multiple of 8 bytes: the i386 ABI
 * (4-byte alignment of uint64_t) and the x86_64 ABI then agree on the
 * layout, and the static asserts below prove it at compile time.
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* EAX at kernel entry; EBX holds the physical address of struct boot_info. */
#define KERNEL_BOOT_MAGIC	0x33454150	/* "PAE3" */

#define BOOT_INFO_MAGIC		0x464e4942	/* "BINF" */
#define BOOT_INFO_VERSION	2	/* 2: initrd_phys, initrd_size */

/* All boot data (boot_info, tables, command line, modules) lies below this
 * physical address, so the kernel reaches it through its provisional map
 * and later through the direct map at PAGE_OFFSET. */
#define BOOT_DATA_LIMIT		0x38000000ULL	/* 896 MiB */

/* Physical load address the kernel is linked for (PAGE_OFFSET + 16 MiB).
 * Where that is not free the loader moves the kernel to another base, a
 * multiple of KERNEL_PHYS_ALIGN (the direct map's 2 MiB pages), and
 * applies its relocation records (include/boot/relocs.h). */
#define KERNEL_PHYS_LOAD	0x01000000
#define KERNEL_PHYS_ALIGN	0x00200000

/* e820-style memory types. 1-5 are the ACPI / BIOS values; LOADER is ours:
 * memory holding boot data that the kernel must keep until it has copied
 * what it needs out of it, then may use as RAM. */
#define E820_TYPE_USABLE	1
#define E820_TYPE_RESERVED	2
#define E820_TYPE_ACPI		3
#define E820_TYPE_NVS		4
#define E820_TYPE_UNUSABLE	5
#define E820_TYPE_LOADER	20

#define BOOT_E820_MAX		512	/* capacity of the table the loader fills */
#define BOOT_MODULES_MAX	32
#define BOOT_CMDLINE_MAX	4096	/* including the terminating NUL */
#define BOOT_MODULE_NAME_MAX	56
#define BOOT_INITRD_MAX		(256u << 20)	/* the largest \boot\initrd.cpio taken */

/* boot_info.flags */
#define BOOT_INFO_RSDP		(1u << 0)	/* rsdp_phys and rsdp[] valid */
#define BOOT_INFO_FB		(1u << 1)	/* fb valid (a linear framebuffer) */
#define BOOT_INFO_STAGED	(1u << 2)	/* kernel was moved into place by pm32 */

/* boot_framebuffer.format */
#define BOOT_FB_RGBX		0	/* byte 0 red, 1 green, 2 blue */
#define BOOT_FB_BGRX		1	/* byte 0 blue, 1 green, 2 red */
#define BOOT_FB_BITMASK		2	/* see the masks */

#ifndef __ASSEMBLER__

struct boot_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t pad;
};

struct boot_module {
	uint64_t phys;			/* page aligned, below BOOT_DATA_LIMIT */
	uint64_t size;			/* bytes */
	char name[BOOT_MODULE_NAME_MAX];	/* file name, NUL terminated */
};

struct boot_framebuffer {
	uint64_t base;			/* physical */
	uint64_t size;			/* bytes */
	uint32_t width, height;		/* pixels */
	uint32_t pitch;			/* bytes per scan line */
	uint32_t bpp;			/* bits per pixel */
	uint32_t format;		/* BOOT_FB_* */
	uint32_t red_mask, green_mask, blue_mask, reserved_mask;
	uint32_t pad;
};

struct boot_info {
	uint32_t magic;			/* BOOT_INFO_MAGIC */
	uint32_t version;		/* BOOT_INFO_VERSION */
	uint32_t size;			/* sizeof(struct boot_info) */
	uint32_t flags;			/* BOOT_INFO_* */

	uint32_t firmware_bits;		/* 64 (x64 UEFI) or 32 (IA32 UEFI) */
	uint32_t firmware_revision;	/* EFI_SYSTEM_TABLE.FirmwareRevision */
	char firmware_vendor[32];	/* ASCII, NUL terminated, truncated */

	uint64_t e820_phys;		/* struct boot_e820_entry[nr_e820] */
	uint32_t nr_e820;		/* sorted by address, merged, no overlaps */
	uint32_t nr_modules;
	uint64_t modules_phys;		/* struct boot_module[nr_modules] */
	uint64_t cmdline_phys;		/* NUL-terminated ASCII */
	uint32_t cmdline_len;		/* without the NUL */
	uint32_t pad0;

	uint64_t rsdp_phys;		/* where the firmware keeps the RSDP */
	uint8_t rsdp[40];		/* a copy of its first 36 bytes (ACPI 2.0) */

	struct boot_framebuffer fb;

	uint64_t kernel_phys_start;	/* lowest p_paddr of the kernel's PT_LOADs */
	uint64_t kernel_phys_end;	/* end of the highest one (bss included) */
	uint64_t loader_image_base;	/* where the firmware put the loader (gdb) */
	uint64_t boot_data_phys;	/* the loader's boot data block ... */
	uint64_t boot_data_size;	/* ... (E820_TYPE_LOADER in the table) */
	uint64_t initrd_phys;		/* \boot\initrd.cpio: page aligned, below */
	uint64_t initrd_size;		/* BOOT_DATA_LIMIT; 0 and 0 when absent */
};

#define BOOT_STATIC_ASSERT(c) _Static_assert(c, #c)
BOOT_STATIC_ASSERT(sizeof(struct boot_e820_entry) == 24);
BOOT_STATIC_ASSERT(sizeof(struct boot_module) == 72);
BOOT_STATIC_ASSERT(sizeof(struct boot_framebuffer) == 56);
BOOT_STATIC_ASSERT(sizeof(struct boot_info) == 256);

#endif /* !__ASSEMBLER__ */
#endif /* BOOT_BOOTINFO_H */
