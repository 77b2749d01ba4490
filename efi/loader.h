/* SPDX-License-Identifier: MIT */
/*
 * State and helpers shared by the UEFI loader's files: loader.c (entry,
 * ExitBootServices, hand-over), files.c (reading the boot volume),
 * place.c (memory map, kernel placement, pm32) and bootinfo.c (the
 * boot_info block); page runs come from the allocation services of
 * UEFI 2.x §7.2.
 */
#ifndef EFI_LOADER_H
#define EFI_LOADER_H

#include <efi.h>
#include <efilib.h>
#include <stdbool.h>
#include "efi_console.h"
#include "boot/bootinfo.h"
#include "boot/elf_kernel.h"
#include "boot/relocs.h"

/* Shared only inside loader.so: direct calls and data references, no GOT
 * or PLT (which the IA32 PIC build would otherwise go through). */
#pragma GCC visibility push(hidden)

/*
 * Pages are UEFI's (§7.2): EFI_PAGE_SIZE, EFI_PAGE_MASK (the offset bits,
 * 0xfff: the complement of the kernel's PAGE_MASK) and EFI_SIZE_TO_PAGES
 * from GNU-EFI's efidef.h. The loader defines no PAGE_* of its own, so no
 * name means one thing here and another in the kernel.
 */
#define BELOW_4G		0xffffffffULL

#define MAX_RESERVATIONS	64	/* free runs held in a staged kernel's range */
#define MODULE_FILE_NAME_MAX	255	/* characters in a FAT long name */

#define KERNEL_PATH_A		"\\boot\\kernel.elf"

/* One run of pages the loader owns: pages 0 means none. */
struct pages {
	EFI_PHYSICAL_ADDRESS base;
	UINTN pages;
};

struct module {
	char name[BOOT_MODULE_NAME_MAX];	/* as boot_info hands it over */
	CHAR16 file[MODULE_FILE_NAME_MAX + 1];	/* the entry's own name */
	UINT64 size;
	struct pages mem;
};

/* A GetMemoryMap() snapshot in a pool buffer of cap bytes (§7.2). */
struct efi_map {
	void *buf;
	UINTN size, cap, key, desc_size;
};

/* Everything the loader holds, so that one function can release it all. */
struct loader {
	EFI_HANDLE image;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root;
	bool debug;			/* "loader.debug" on the command line */

	void *kernel;			/* pool: the kernel file */
	UINTN kernel_size;
	char cmdline[BOOT_CMDLINE_MAX];
	UINT32 cmdline_len;
	unsigned nr_modules;
	struct module mod[BOOT_MODULES_MAX];
	struct pages initrd;		/* \boot\initrd.cpio, when there is one */
	UINT64 initrd_size;

	struct boot_e820_entry e820[BOOT_E820_MAX];	/* the current map */
	int nr_e820;
	struct elf_kernel_info kinfo;	/* moved to kernel_base once chosen */
	struct relocs_table relocs;	/* inside the kernel file: freed with it */
	UINT64 kernel_base;		/* the physical base chosen */

	struct pages span;		/* the kernel in place (direct) */
	struct pages resv[MAX_RESERVATIONS];	/* free runs of the span (staged) */
	unsigned nr_resv;
	struct pages staging;		/* the staged image, moved by pm32 */
	struct pages boot_data;
	struct pages pm32;

	struct efi_map map;		/* the final memory map */
	void *scratch;			/* pool: memmap_from_efi() work area */
	UINTN scratch_size;

	struct boot_info *bi;		/* inside boot_data */
	struct boot_module *bmod;
	struct boot_e820_entry *be820;
	char *bcmdline;
};

extern struct loader L;

static inline void *phys_ptr(EFI_PHYSICAL_ADDRESS a)
{
	return (void *)(UINTN)a;
}

static inline EFI_PHYSICAL_ADDRESS ptr_phys(const void *p)
{
	return (EFI_PHYSICAL_ADDRESS)(UINTN)p;
}

static inline void efi_free_pool(void **p)
{
	if (*p)
		BS->FreePool(*p);
	*p = NULL;
}

static inline void efi_free_pages(struct pages *p)
{
	if (p->pages)
		BS->FreePages(p->base, p->pages);
	p->base = 0;
	p->pages = 0;
}

/* loader.c */
const char *status_str(EFI_STATUS s);
void ascii_copy(char *dst, size_t n, const CHAR16 *src);
EFI_STATUS efi_alloc_pages(struct pages *p, EFI_ALLOCATE_TYPE type,
			   EFI_PHYSICAL_ADDRESS addr, UINTN pages);

/* files.c */
EFI_STATUS open_volume(void);
EFI_STATUS read_kernel(void);
EFI_STATUS read_cmdline(void);
EFI_STATUS scan_modules(void);
EFI_STATUS load_modules(void);
EFI_STATUS load_initrd(void);

/* place.c */
EFI_STATUS current_e820(void);
EFI_STATUS validate_kernel(void);
EFI_STATUS place_kernel(void);
EFI_STATUS alloc_outside_kernel(struct pages *p, EFI_PHYSICAL_ADDRESS max,
				UINTN pages);
EFI_STATUS prepare_pm32(void);
EFI_STATUS guard_span(void);
EFI_STATUS prepare_final_map(void);
void show_e820(const struct boot_e820_entry *e, int n);

/* bootinfo.c */
EFI_STATUS alloc_boot_data(void);
void fill_boot_info(void);

#pragma GCC visibility pop

#endif /* EFI_LOADER_H */
