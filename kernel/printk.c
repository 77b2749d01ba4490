/* SPDX-License-Identifier: MIT */
/*
 * printk: formats each message, keeps it in a 64 KiB ring (the log buffer)
 * and writes it to every registered console; a console registered later
 * first gets the log so far replayed.
 *
 * Each message is stored and written with interrupts off and logbuf_lock
 * held, so lines from different CPUs never interleave. A printk nested in
 * one on the same CPU (a fault or NMI while printing) does not take the
 * lock again: it owns it already.
 */
#include "asm/percpu.h"
#include "asm/processor-flags.h"
#include "asm/x86.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

BUILD_BUG_ON(LOG_BUF_LEN & (LOG_BUF_LEN - 1));	/* a power of two */

static char log_buf[LOG_BUF_LEN];

/*
 * Bytes stored since boot; byte i lives at log_buf[i % LOG_BUF_LEN], and
 * the ring holds the last LOG_BUF_LEN of them. (Wraps after 4 GiB.)
 */
static size_t log_end;

static struct console *console_list;	/* in registration order */

/*
 * How deep printk calls are nested on this CPU: a console that faults or
 * warns while writing would otherwise print itself into a loop. Nested
 * messages beyond the limit still reach the log buffer.
 */
static int printk_depth;
#define PRINTK_MAX_DEPTH	3

static spinlock_t logbuf_lock;
static volatile int logbuf_owner = -1;	/* the CPU holding it */
bool percpu_ready;			/* %fs is the percpu segment */

/* Interrupts off and the lock taken, unless this CPU holds it already;
 * returns the interrupt flag to restore. */
static unsigned long irqs_off_save(void)
{
	unsigned long flags = native_save_fl();
	int cpu;

	local_irq_disable();
	cpu = percpu_ready ? (int)smp_processor_id() : 0;
	if (logbuf_owner == cpu) {
		/* Nested: leave the lock alone. EFLAGS bit 31 is reserved
		 * (always 0), so it can carry that to irqs_restore. */
		flags |= 1UL << 31;
		return flags;
	}
	raw_spin_lock(&logbuf_lock);
	logbuf_owner = cpu;
	return flags;
}

static void irqs_restore(unsigned long flags)
{
	if (!(flags & (1UL << 31))) {
		logbuf_owner = -1;
		raw_spin_unlock(&logbuf_lock);
	}
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

/* Appends n bytes to the ring; interrupts are off. */
static void log_store(const char *s, size_t n)
{
	while (n--)
		log_buf[log_end++ & (LOG_BUF_LEN - 1)] = *s++;
}

/* The oldest position the ring still holds. */
static size_t log_start(void)
{
	return log_end > LOG_BUF_LEN ? log_end - LOG_BUF_LEN : 0;
}

/*
 * Writes ring positions [from, end) to con, in at most two pieces (the
 * ring may wrap in between); interrupts are off.
 */
static void log_replay(struct console *con, size_t from, size_t end)
{
	while (from < end) {
		size_t off = from & (LOG_BUF_LEN - 1);
		size_t n = end - from;

		if (n > LOG_BUF_LEN - off)
			n = LOG_BUF_LEN - off;
		con->write(con, log_buf + off, n);
		from += n;
	}
}

/* One message into line; its length. A longer one is cut, ending with a
 * marker and a line break the reader can see. */
static int format_line(char line[PRINTK_LINE_MAX], const char *fmt, va_list args)
{
	int n = vsnprintf(line, PRINTK_LINE_MAX, fmt, args);

	if (n >= PRINTK_LINE_MAX) {
		n = PRINTK_LINE_MAX - 1;
		memcpy(line + n - 4, "...\n", 4);
	}
	return n;
}

int vprintk(const char *fmt, va_list args)
{
	char line[PRINTK_LINE_MAX];
	struct console *con;
	unsigned long flags;
	int n;

	n = format_line(line, fmt, args);

	flags = irqs_off_save();
	printk_depth++;
	log_store(line, n);
	if (printk_depth <= PRINTK_MAX_DEPTH) {
		for (con = console_list; con; con = con->next)
			con->write(con, line, n);
	}
	printk_depth--;
	irqs_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk(fmt, args);
	va_end(args);
	return n;
}

/* trace_printk's lines go to every console, not only the CON_TRACE ones. */
static bool trace_to_all;

void console_trace_all(bool on)
{
	trace_to_all = on;
}

bool console_trace_carried(void)
{
	struct console *con;
	unsigned long flags;
	bool found = false;

	flags = irqs_off_save();
	for (con = console_list; con; con = con->next)
		found |= (con->flags & CON_TRACE) != 0;
	irqs_restore(flags);
	return found;
}

int trace_printk(const char *fmt, ...)
{
	char line[PRINTK_LINE_MAX];
	struct console *con;
	unsigned long flags;
	va_list args;
	int n;

	va_start(args, fmt);
	n = format_line(line, fmt, args);
	va_end(args);

	flags = irqs_off_save();
	for (con = console_list; con; con = con->next)
		if (trace_to_all || (con->flags & CON_TRACE))
			con->write(con, line, n);
	irqs_restore(flags);
	return n;
}

void console_write(const char *s, size_t n)
{
	struct console *con;
	unsigned long flags;

	flags = irqs_off_save();
	for (con = console_list; con; con = con->next)
		con->write(con, s, n);
	irqs_restore(flags);
}

void console_flush(void)
{
	struct console *con;
	unsigned long flags;

	flags = irqs_off_save();
	for (con = console_list; con; con = con->next)
		if (con->flush)
			con->flush(con);
	irqs_restore(flags);
}

int register_console(struct console *con)
{
	struct console **pp;
	unsigned long flags;

	if (!con || !con->write)
		return -EINVAL;

	/*
	 * Interrupts stay off from the replay to the link, so that no message
	 * falls between the two (and none is written twice).
	 */
	flags = irqs_off_save();
	for (pp = &console_list; *pp; pp = &(*pp)->next) {
		if (*pp == con) {
			irqs_restore(flags);
			return -EBUSY;
		}
	}
	log_replay(con, log_start(), log_end);
	con->next = NULL;
	con->flags |= CON_ENABLED;
	*pp = con;
	irqs_restore(flags);
	return 0;
}

int unregister_console(struct console *con)
{
	struct console **pp;
	unsigned long flags;
	int ret = -ENOENT;

	flags = irqs_off_save();
	for (pp = &console_list; *pp; pp = &(*pp)->next) {
		if (*pp == con) {
			*pp = con->next;
			con->next = NULL;
			con->flags &= ~CON_ENABLED;
			ret = 0;
			break;
		}
	}
	irqs_restore(flags);
	return ret;
}

size_t log_buf_len_now(void)
{
	return log_end;
}

size_t log_buf_copy(char *dst, size_t len, size_t from)
{
	unsigned long flags;
	size_t n, i;

	if (len == 0)
		return 0;
	flags = irqs_off_save();
	if (from < log_start())
		from = log_start();
	if (from > log_end)
		from = log_end;
	n = log_end - from;
	if (n > len - 1)
		n = len - 1;
	for (i = 0; i < n; i++)
		dst[i] = log_buf[(from + i) & (LOG_BUF_LEN - 1)];
	dst[n] = '\0';
	irqs_restore(flags);
	return n;
}
