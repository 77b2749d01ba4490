/* SPDX-License-Identifier: MIT */
/*
 * QEMU's fw_cfg device through its x86 I/O ports (QEMU docs/specs/fw_cfg.rst):
 * a 16-bit selector at 0x510, the selected item's bytes one by one at
 * 0x511. Probed only on an emulator (port 0xE9 echoes): on a real PC
 * nothing is known to live at 0x510.
 */
#include "asm/x86.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/fw_cfg.h"
#include "kernel/string.h"

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

static void fw_cfg_select(uint16_t key)
{
	outw(FW_CFG_PORT_SEL, key);
}

static void fw_cfg_read(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static bool fw_cfg_present(void)
{
	char sig[4];

	if (!debugcon_present())
		return false;
	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, sizeof(sig));
	return memcmp(sig, "QEMU", 4) == 0;
}

int fw_cfg_read_file(const char *name, void *buf, size_t len)
{
	struct fw_cfg_file f;
	uint32_t count, size;

	if (!fw_cfg_present())
		return -ENODEV;
	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read(&count, sizeof(count));
	for (count = be32(count); count; count--) {
		fw_cfg_read(&f, sizeof(f));
		f.name[sizeof(f.name) - 1] = '\0';
		if (strcmp(f.name, name) != 0)
			continue;
		size = be32(f.size);
		fw_cfg_select(__builtin_bswap16(f.select));
		fw_cfg_read(buf, size < len ? size : len);
		return size > INT32_MAX ? INT32_MAX : (int)size;
	}
	return -ENOENT;
}
