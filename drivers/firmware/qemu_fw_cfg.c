/* SPDX-License-Identifier: MIT */
/*
 * QEMU's fw_cfg device through its x86 I/O ports (QEMU docs/specs/fw_cfg.rst,
 * include/asm/qemu.h): named files the host puts on QEMU's command line.
 * Probed only on an emulator (port 0xE9 echoes): on a real PC nothing is
 * known to live at 0x510.
 */
#include "asm/qemu.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/fw_cfg.h"

int fw_cfg_read_file(const char *name, void *buf, size_t len)
{
	int64_t size;

	if (!debugcon_present() || !fw_cfg_signature_ok())
		return -ENODEV;
	size = fw_cfg_select_file(name);
	if (size < 0)
		return -ENOENT;
	fw_cfg_read(buf, (uint64_t)size < len ? (size_t)size : len);
	return size > INT32_MAX ? INT32_MAX : (int)size;
}
