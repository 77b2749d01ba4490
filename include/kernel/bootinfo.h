/* SPDX-License-Identifier: MIT */
/*
 * What the kernel keeps of the loader's boot_info (include/boot/bootinfo.h)
 * once setup_boot_info() has checked and copied it.
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include "boot/bootinfo.h"

#define COMMAND_LINE_SIZE	BOOT_CMDLINE_MAX

extern struct boot_info boot_info;
extern char boot_command_line[COMMAND_LINE_SIZE];
extern struct boot_module boot_modules[BOOT_MODULES_MAX];
extern unsigned int nr_boot_modules;
/* The initramfs archive (Linux's names): direct-map addresses of the
 * bytes the loader brought, kept for good (fs/ramfs.c points into
 * them); both 0 when there is none. mm/init.c sets them. */
extern unsigned long initrd_start, initrd_end;
/* The blobs the boot had no room for (copy_boot_modules), not loaded. */
extern struct boot_module boot_modules_dropped[BOOT_MODULES_MAX];
extern unsigned int nr_boot_modules_dropped;

/* The module name of a boot module's file name: "hello.ko" is "hello". */
void boot_module_name(char name[BOOT_MODULE_NAME_MAX], const char *file);
/* Move boot_modules[i] to boot_modules_dropped[]. */
void boot_module_drop(unsigned int i);

/* Check the loader's block at physical bi_phys and copy it; panics when the
 * block is unusable (no memory map means no way on). */
void setup_boot_info(unsigned long magic, unsigned long bi_phys);
void print_boot_info(void);

#endif /* KERNEL_BOOTINFO_H */
