/*
 * Loader output to the UEFI console (UEFI 2.x §12.4 Simple Text Output
 * Protocol) and directly to COM1, the latter usable after ExitBootServices
 * (§7.4); see efi/efi_console.h. The UART is only polled, never set up:
 * the firmware (or nobody) owns its configuration.
 */
#include "efi_console.h"

#define COM1_BASE	0x3f8
#define UART_THR	0		/* transmit holding register */
#define UART_LSR	5		/* line status register */
#define UART_LSR_THRE	0x20		/* THR empty: room for a byte */
#define UART_SPIN_MAX	200000		/* LSR polls per byte before giving up */

static SIMPLE_TEXT_OUTPUT_INTERFACE *con_out;
static int uart_ok;
static int con_out_reaches_uart;

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %w1, %b0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
}

/*
 * Whether the firmware already mirrors its console to a serial port: the
 * ConOut variable (UEFI 2.x §3.3) is a multi-instance device path, and an
 * instance through a UART node (§10.3.4.7, messaging type, subtype 14)
 * means text sent to ConOut reaches the UART too. Then our own COM1 copy
 * would print every line twice.
 */
static int con_out_has_uart(EFI_SYSTEM_TABLE *st)
{
	UINT8 buf[1024];
	UINTN size = sizeof(buf);
	EFI_STATUS status;
	UINTN off = 0;

	status = st->RuntimeServices->GetVariable(L"ConOut",
						  &gEfiGlobalVariableGuid,
						  NULL, &size, buf);
	if (EFI_ERROR(status))
		return 0;
	while (off + 4 <= size) {
		EFI_DEVICE_PATH_PROTOCOL *node = (EFI_DEVICE_PATH_PROTOCOL *)(buf + off);
		UINTN len = DevicePathNodeLength(node);

		if (len < 4 || off + len > size)
			return 0;	/* malformed: trust nothing */
		if (DevicePathType(node) == MESSAGING_DEVICE_PATH &&
		    DevicePathSubType(node) == MSG_UART_DP)
			return 1;
		off += len;
	}
	return 0;
}

void con_init(EFI_SYSTEM_TABLE *st)
{
	con_out = st ? st->ConOut : NULL;
	/* An absent UART floats the bus: every register reads 0xff. */
	uart_ok = inb(COM1_BASE + UART_LSR) != 0xff;
	con_out_reaches_uart = st && uart_ok && con_out_has_uart(st);
}

void con_boot_services_gone(void)
{
	con_out = NULL;
}

static void uart_putc(char c)
{
	for (unsigned i = 0; uart_ok; i++) {
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE) {
			outb(COM1_BASE + UART_THR, (uint8_t)c);
			return;
		}
		if (i == UART_SPIN_MAX)
			uart_ok = 0;	/* stuck: stop waiting on every byte */
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

/* ------------------------------------------------------------- formatting */

struct out {
	char *buf;
	size_t size, len;
};

static void emit(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* v /= 10, returning the remainder, in 32-bit steps: the IA32 build has
 * no libgcc for a 64-bit division. */
static unsigned divmod10(unsigned long long *v)
{
	uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;
	uint32_t qhi = hi / 10, r = hi % 10;
	uint32_t mid = r << 16 | lo >> 16;
	uint32_t qmid = mid / 10;
	uint32_t low = (mid % 10) << 16 | (lo & 0xffff);

	*v = (unsigned long long)qhi << 32 | qmid << 16 | low / 10;
	return low % 10;
}

static void emit_number(struct out *o, unsigned long long v, unsigned base,
			int width, char pad, int negative)
{
	char d[24];
	int n = 0;

	do {
		if (base == 16) {
			d[n++] = "0123456789abcdef"[v & 15];
			v >>= 4;
		} else {
			d[n++] = (char)('0' + divmod10(&v));
		}
	} while (v);
	if (negative)
		width--;
	if (negative && pad == '0')
		emit(o, '-');
	for (; width > n; width--)
		emit(o, pad);
	if (negative && pad != '0')
		emit(o, '-');
	while (n)
		emit(o, d[--n]);
}

size_t con_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (const char *p = fmt; *p; p++) {
		int width = 0, lng = 0, sz = 0;
		char pad = ' ';
		unsigned long long u;

		if (*p != '%') {
			emit(&o, *p);
			continue;
		}
		p++;
		if (*p == '0')
			pad = *p++;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		while (*p == 'l') {
			lng++;
			p++;
		}
		if (*p == 'z') {
			sz = 1;
			p++;
		}
		switch (*p) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			for (s = s ? s : "(null)"; *s; s++)
				emit(&o, *s);
			break;
		}
		case 'c':
			emit(&o, (char)va_arg(ap, int));
			break;
		case 'd': {
			long long v = lng >= 2 ? va_arg(ap, long long) :
				      lng == 1 ? va_arg(ap, long) :
				      sz ? (long long)va_arg(ap, size_t) :
				      va_arg(ap, int);

			emit_number(&o, v < 0 ? 0ULL - (unsigned long long)v :
				    (unsigned long long)v, 10, width, pad, v < 0);
			break;
		}
		case 'u':
		case 'x':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) :
			    sz ? va_arg(ap, size_t) : va_arg(ap, unsigned int);
			emit_number(&o, u, *p == 'x' ? 16 : 10, width, pad, 0);
			break;
		case 'p':
			emit(&o, '0');
			emit(&o, 'x');
			emit_number(&o, (uintptr_t)va_arg(ap, void *), 16, 0, ' ', 0);
			break;
		case '%':
			emit(&o, '%');
			break;
		default:
			/* Unknown or truncated conversion: print it verbatim. */
			emit(&o, '%');
			if (!*p)
				goto done;
			emit(&o, *p);
			break;
		}
	}
done:
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len < size ? o.len : (size ? size - 1 : 0);
}

size_t con_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = con_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void con_vline(const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	size_t n = con_format(line, sizeof(line), "%s", prefix);

	n += con_vformat(line + n, sizeof(line) - n, fmt, ap);
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
