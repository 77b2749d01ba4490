/* SPDX-License-Identifier: MIT */
/*
 * QEMU's firmware configuration device (drivers/firmware/qemu_fw_cfg.c):
 * named files the host puts on QEMU's command line (-fw_cfg name=...).
 */
#ifndef KERNEL_FW_CFG_H
#define KERNEL_FW_CFG_H

#include "kernel/types.h"

/*
 * fw_cfg_read_file - copy up to len bytes of the file called name into
 * buf. Returns the file's whole size (which may exceed len), -ENODEV when
 * there is no fw_cfg device (Bochs, a real PC), -ENOENT when it has no
 * such file.
 */
int fw_cfg_read_file(const char *name, void *buf, size_t len);

#endif /* KERNEL_FW_CFG_H */
