/* SPDX-License-Identifier: MIT */
/*
 * The i8042 keyboard controller of the PC/AT (IBM PC/AT Technical
 * Reference, "Keyboard Controller"; the PS/2 additions as Linux's
 * include/linux/i8042.h names them): two ports, in address order, each
 * followed by its bits; then the controller's commands, the bits of its
 * configuration byte, and the keyboard's own commands and answers.
 */
#ifndef DRIVERS_INPUT_I8042_H
#define DRIVERS_INPUT_I8042_H

/* 0x60: data. Read: the output buffer (a byte from the keyboard, the
 * mouse or the controller); write: a byte for the keyboard, or a
 * command's parameter. */
#define I8042_DATA_REG		0x60

/* 0x64: status (read), command (write). */
#define I8042_STATUS_REG	0x64
#define I8042_COMMAND_REG	0x64
#define  I8042_STR_OBF		0x01	/* output buffer full: data to read */
#define  I8042_STR_IBF		0x02	/* input buffer full: do not write yet */
#define  I8042_STR_SYSFLAG	0x04	/* set after a passed self-test */
#define  I8042_STR_CMDDAT	0x08	/* the last write went to 0x64 */
#define  I8042_STR_KEYLOCK	0x10	/* 0: the keyboard is locked */
#define  I8042_STR_AUXDATA	0x20	/* the output byte is the mouse's */
#define  I8042_STR_TIMEOUT	0x40
#define  I8042_STR_PARITY	0x80

/* Controller commands, written to 0x64. */
#define I8042_CMD_CTL_RCTR	0x20	/* read the configuration byte: 1 result */
#define I8042_CMD_CTL_WCTR	0x60	/* write it: 1 parameter */
#define I8042_CMD_AUX_DISABLE	0xa7
#define I8042_CMD_AUX_ENABLE	0xa8
#define I8042_CMD_CTL_TEST	0xaa	/* self-test: 1 result, I8042_RET_CTL_TEST */
#define I8042_CMD_KBD_TEST	0xab	/* keyboard port test: 1 result, 0 = passed */
#define I8042_CMD_KBD_DISABLE	0xad
#define I8042_CMD_KBD_ENABLE	0xae
#define I8042_CMD_KBD_LOOP	0xd2	/* 1 parameter, returned as if the keyboard sent it */
#define I8042_CMD_PULSE_RESET	0xfe	/* pulse output line 0: the CPU's reset */

#define I8042_RET_CTL_TEST	0x55
#define I8042_RET_KBD_TEST	0x00

/* The configuration byte ("command byte"). */
#define I8042_CTR_KBDINT	0x01	/* IRQ 1 when keyboard data arrives */
#define I8042_CTR_AUXINT	0x02	/* IRQ 12 for mouse data */
#define I8042_CTR_SYSFLAG	0x04
#define I8042_CTR_IGNKEYLOCK	0x08
#define I8042_CTR_KBDDIS	0x10	/* keyboard clock off */
#define I8042_CTR_AUXDIS	0x20	/* mouse clock off */
#define I8042_CTR_XLATE		0x40	/* translate set 2 to set 1 */

/* Keyboard commands (written to 0x60) and its answers. */
#define ATKBD_CMD_ENABLE	0xf4	/* start scanning */
#define ATKBD_RET_ACK		0xfa
#define ATKBD_RET_RESEND	0xfe

/* Bytes the controller holds at most (what a flush may read). */
#define I8042_BUFFER_SIZE	16

#endif /* DRIVERS_INPUT_I8042_H */
