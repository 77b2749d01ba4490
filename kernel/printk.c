/* SPDX-License-Identifier: MIT */
/*
 * printk: formats each message, colours it by its log level (SGR, as
 * docs/console.md says), keeps it in a 64 KiB ring (the log buffer) and
 * writes it to every registered console; a console registered later
 * first gets the log so far replayed. Consoles that draw lazily are
 * flushed on request (console_flush) and by CPU 0's timer tick
 * (console_tick).
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
#include "kernel/time.h"

BUILD_BUG_ON(LOG_BUF_LEN & (LOG_BUF_LEN - 1));	/* a power of two */

static char log_buf[LOG_BUF_LEN];

/*
 * Bytes stored since boot; byte i lives at log_buf[i % LOG_BUF_LEN], and
 * the ring holds the last LOG_BUF_LEN of them. (Wraps after 4 GiB.)
 */
static size_t log_end;

static struct console *console_list;	/* in registration order */

int oops_in_progress;
bool console_ticking;

/* How often the tick flushes the consoles: a bound on how long the
 * screen lags the output. And the work: after a flush that took time T,
 * the next waits at least CONSOLE_FLUSH_IDLE x T, so that drawing never
 * takes more than a fifth of the CPU (a full redraw at 3840x2160 is
 * some 30 million instructions). */
#define CONSOLE_FLUSH_HZ	10
#define CONSOLE_FLUSH_IDLE	4

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

/* The colour of a level, or NULL for plain. */
static const char *level_sgr(char level)
{
	if (level >= '0' && level <= '3')	/* emerg, alert, crit, err */
		return SGR_RED;
	if (level == '4')			/* warning */
		return SGR_YELLOW;
	return NULL;
}

#define SGR_ROOM	8	/* before the text: the longest level colour */

/*
 * The message at *line (n bytes, SGR_ROOM free bytes before it and
 * sizeof(SGR_RESET) after the PRINTK_LINE_MAX it may fill) without its
 * level prefix, coloured by the level: the colour before the text, the
 * reset before its final line break. Returns the new length.
 */
static int colour_line(char **line, int n)
{
	char *s = *line;
	const char *sgr;
	size_t len;
	bool nl;

	if (n < 2 || s[0] != KERN_SOH_ASCII || !s[1])
		return n;
	sgr = level_sgr(s[1]);
	s += 2;
	n -= 2;
	nl = n && s[n - 1] == '\n';
	if (sgr && n > (int)nl) {
		len = strlen(sgr);
		s -= len;
		memcpy(s, sgr, len);
		n += len - nl;
		memcpy(s + n, SGR_RESET, sizeof(SGR_RESET) - 1);
		n += sizeof(SGR_RESET) - 1;
		if (nl)
			s[n++] = '\n';
	}
	*line = s;
	return n;
}

int vprintk(const char *fmt, va_list args)
{
	char buf[SGR_ROOM + PRINTK_LINE_MAX + sizeof(SGR_RESET)];
	char *line = buf + SGR_ROOM;
	struct console *con;
	unsigned long flags;
	int n;

	n = format_line(line, fmt, args);
	n = colour_line(&line, n);

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

void console_tick(void)
{
	static uint64_t next;
	struct console *con;
	uint64_t start = rdtsc();

	console_ticking = true;
	if (start < next)
		return;
	/* A CPU that holds the lock is printing: its own flush or the next
	 * tick draws. Interrupts are off here. */
	if (!raw_spin_trylock(&logbuf_lock))
		return;
	logbuf_owner = 0;
	for (con = console_list; con; con = con->next)
		if (con->flush)
			con->flush(con);
	logbuf_owner = -1;
	raw_spin_unlock(&logbuf_lock);
	/* The ticks' own period, less a tick's worth of slack, or longer
	 * after a long flush. */
	next = start + (uint64_t)tsc_khz * (1000 / CONSOLE_FLUSH_HZ - 1000 / HZ / 2) +
	       (rdtsc() - start) * CONSOLE_FLUSH_IDLE;
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

size_t sgr_strip(char *s)
{
	char *out = s, *p = s;

	while (*p) {
		if (p[0] == '\033' && p[1] == '[') {
			p += 2;
			while (*p && !(*p >= 0x40 && *p <= 0x7e))
				p++;
			if (*p)
				p++;
			continue;
		}
		*out++ = *p++;
	}
	*out = '\0';
	return out - s;
}

size_t log_buf_copy_text(char *dst, size_t len, size_t from)
{
	if (len == 0)
		return 0;
	log_buf_copy(dst, len, from);
	return sgr_strip(dst);
}
