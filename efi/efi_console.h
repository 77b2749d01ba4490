/* SPDX-License-Identifier: MIT */
/*
 * Loader output: each message goes to the UEFI console (UEFI 2.x §12.4,
 * EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL.OutputString) while boot services last,
 * and straight to a 16550 UART at COM1, which also works after
 * ExitBootServices (§7.4). Formats are lib/vsprintf.c's, checked by the
 * compiler.
 */
#ifndef EFI_CONSOLE_H
#define EFI_CONSOLE_H

#include <efi.h>
#include <efilib.h>
#include <efistdarg.h>	/* gnu-efi's va_list, as efilib.h uses */
#include <stddef.h>
#include "kernel/sprintf.h"

#define CON_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Remembers the console and probes COM1 (not reprogrammed). */
void con_init(EFI_SYSTEM_TABLE *st);

/* From now on COM1 only: ExitBootServices was called (or attempted). */
void con_boot_services_gone(void);

/* "loader: " + message + newline. */
void con_info(const char *fmt, ...) CON_PRINTF(1, 2);

/* "loader: error: " + message + newline. */
void con_error(const char *fmt, ...) CON_PRINTF(1, 2);


#endif /* EFI_CONSOLE_H */
