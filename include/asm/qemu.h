/* SPDX-License-Identifier: MIT */
/*
 * The emulators' own I/O ports, as the kernel and the loader probe them:
 * port 0xE9 (QEMU's isa-debugcon, Bochs's port_e9_hack), which reads back
 * 0xE9 there and nothing meaningful on a real PC, and QEMU's fw_cfg
 * device (QEMU docs/specs/fw_cfg.rst): a 16-bit selector at 0x510, the
 * selected item's bytes one by one at 0x511, named files listed in the
 * directory item. fw_cfg is touched only where port 0xE9 echoes.
 */
#ifndef ASM_QEMU_H
#define ASM_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "asm/x86.h"

#define DEBUGCON_PORT		0xE9

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_SIGNATURE	0x0000	/* "QEMU" */
#define FW_CFG_FILE_DIR		0x0019	/* be32 count, then struct fw_cfg_file[] */

/* One directory entry; numbers big-endian. */
struct fw_cfg_file {
	uint32_t size;
	uint16_t select;
	uint16_t reserved;
	char name[56];
};

/* Whether port 0xE9 echoes: an emulator, not a PC. */
static inline bool debugcon_echoes(void)
{
	return inb(DEBUGCON_PORT) == DEBUGCON_PORT;
}

static inline void fw_cfg_select(uint16_t key)
{
	outw(FW_CFG_PORT_SEL, key);
}

/* The next len bytes of the selected item. */
static inline void fw_cfg_read(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

/* Whether fw_cfg answers (call only where debugcon_echoes()). */
static inline bool fw_cfg_signature_ok(void)
{
	char sig[4];

	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, sizeof(sig));
	return sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
}

/* Selects the file called name, so that fw_cfg_read() returns its bytes,
 * and returns its size; -1 when there is no such file. */
static inline int64_t fw_cfg_select_file(const char *name)
{
	struct fw_cfg_file f;
	uint32_t count;

	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read(&count, sizeof(count));
	for (count = __builtin_bswap32(count); count; count--) {
		size_t i = 0;

		fw_cfg_read(&f, sizeof(f));
		f.name[sizeof(f.name) - 1] = '\0';
		while (name[i] && f.name[i] == name[i])
			i++;
		if (name[i] || f.name[i])
			continue;
		fw_cfg_select(__builtin_bswap16(f.select));
		return __builtin_bswap32(f.size);
	}
	return -1;
}

#endif /* ASM_QEMU_H */
