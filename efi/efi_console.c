/* SPDX-License-Identifier: MIT */
/*
 * Loader output to the UEFI console (UEFI 2.x §12.4 Simple Text Output
 * Protocol) and directly to COM1, the latter usable after ExitBootServices
 * (§7.4); see efi/efi_console.h. The UART is only polled, never set up:
 * the firmware (or nobody) owns its configuration.
 */
#include <stdbool.h>
#include "asm/x86.h"
#include "efi_console.h"
#include "../drivers/uart/uart16550.h"

#define UART_SPIN_MAX	200000		/* LSR polls per byte before giving up */

static SIMPLE_TEXT_OUTPUT_INTERFACE *con_out;
static bool uart_ok;
static bool con_out_reaches_uart;

/*
 * Whether the firmware already mirrors its console to a serial port: the
 * ConOut variable (UEFI 2.x §3.3) is a multi-instance device path, and an
 * instance through a UART node (§10.3.4.7, messaging type, subtype 14)
 * means text sent to ConOut reaches the UART too. Then our own COM1 copy
 * would print every line twice.
 */
static bool con_out_has_uart(EFI_SYSTEM_TABLE *st)
{
	UINT8 buf[1024];
	UINTN size = sizeof(buf);
	EFI_STATUS status;
	UINTN off = 0;

	status = st->RuntimeServices->GetVariable(L"ConOut",
						  &gEfiGlobalVariableGuid,
						  NULL, &size, buf);
	if (EFI_ERROR(status))
		return false;
	while (off + 4 <= size) {
		EFI_DEVICE_PATH_PROTOCOL *node = (EFI_DEVICE_PATH_PROTOCOL *)(buf + off);
		UINTN len = DevicePathNodeLength(node);

		if (len < 4 || off + len > size)
			return false;	/* malformed: trust nothing */
		if (DevicePathType(node) == MESSAGING_DEVICE_PATH &&
		    DevicePathSubType(node) == MSG_UART_DP)
			return true;
		off += len;
	}
	return false;
}

void con_init(EFI_SYSTEM_TABLE *st)
{
	con_out = st ? st->ConOut : NULL;
	/* An absent UART floats the bus: every register reads 0xff. */
	uart_ok = inb(UART_COM1_BASE + UART_LSR) != 0xff;
	con_out_reaches_uart = st && uart_ok && con_out_has_uart(st);
}

void con_boot_services_gone(void)
{
	con_out = NULL;
}

static void uart_putc(char c)
{
	for (unsigned i = 0; uart_ok; i++) {
		if (inb(UART_COM1_BASE + UART_LSR) & UART_LSR_THRE) {
			outb(UART_COM1_BASE + UART_TX, (uint8_t)c);
			return;
		}
		if (i == UART_SPIN_MAX)
			uart_ok = false;	/* stuck: stop waiting on every byte */
	}
}

static void uart_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

/* ConOut takes UCS-2: widen in chunks, "\n" becoming "\r\n". */
static void con_out_puts(const char *s)
{
	CHAR16 buf[128];
	size_t n = 0;

	if (!con_out)
		return;
	for (;; s++) {
		if (n + 3 > sizeof(buf) / sizeof(buf[0]) || !*s) {
			buf[n] = 0;
			con_out->OutputString(con_out, buf);
			n = 0;
			if (!*s)
				return;
		}
		if (*s == '\n')
			buf[n++] = L'\r';
		buf[n++] = (CHAR16)(unsigned char)*s;
	}
}

static void con_vline(const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	size_t n = scnprintf(line, sizeof(line), "%s", prefix);

	n += vscnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n + 1 < sizeof(line)) {
		line[n++] = '\n';
		line[n] = '\0';
	} else {
		line[sizeof(line) - 2] = '\n';
	}
	con_out_puts(line);
	if (!con_out || !con_out_reaches_uart)
		uart_puts(line);
}

void con_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vline("loader: ", fmt, ap);
	va_end(ap);
}

void con_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vline("loader: error: ", fmt, ap);
	va_end(ap);
}
