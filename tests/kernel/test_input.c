/* SPDX-License-Identifier: MIT */
/*
 * The consoles' input: the i8042 probe against the controller's own
 * configuration byte; keys made by the controller itself (its "write
 * keyboard output buffer" command, which raises IRQ 1 as a key does) and
 * bytes sent through COM1 in loopback (IRQ 4) arriving in the input queue
 * as a terminal's bytes, read by the monitor's loop through the line
 * editor into a line that runs; the queue's bound and its count of
 * dropped bytes; and a reader that sleeps until a byte comes.
 */
#include "asm/irq_vectors.h"
#include "asm/smp.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/ktest.h"
#include "kernel/line_edit.h"
#include "kernel/monitor.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/tty.h"
#include "../../drivers/input/i8042.h"
#include "../../drivers/uart/uart16550.h"

/* A guard against a hang, never a verdict: 10 s of TSC. */
#define INPUT_WAIT_MAX_MS	10000u

/* Waits until cond, polling the devices that have no interrupt. */
#define wait_until(cond) ({						\
	uint64_t __start = rdtsc();					\
	bool __ok = true;						\
	while (!(cond)) {						\
		if (rdtsc() - __start > (uint64_t)INPUT_WAIT_MAX_MS * tsc_khz) { \
			__ok = false;					\
			break;						\
		}							\
		tty_poll();						\
		cpu_relax();						\
	}								\
	__ok;								\
})

/* The editor's echo in the tests: a buffer, not the consoles. */
static char echo[512];
static size_t echo_len;

static void echo_capture(void *ctx, const char *s, size_t n)
{
	while (n-- && echo_len < sizeof(echo) - 1)
		echo[echo_len++] = *s++;
	echo[echo_len] = '\0';
}

static struct line_edit test_le;

/*
 * The queue must hold exactly the bytes queued (compared with the queue
 * emptied, so that a wrong byte can never leave the reader waiting for an
 * Enter that is not there); put back as an interrupt handler puts them,
 * they must make the monitor's reader return line, with the editor's
 * echo echoed, and the line must run with result ret and output out.
 */
static void line_runs(struct ktest *t, const char *queued, const char *line,
		      const char *echoed, int ret, const char *out)
{
	char got[TTY_BUF_SIZE + 1], said[128];
	unsigned long flags;
	const char *read;
	size_t n;
	int r;

	n = tty_read_nowait(got, TTY_BUF_SIZE);
	got[n] = '\0';
	KT_ASSERT_STREQ(t, got, queued);
	local_irq_save(flags);
	tty_insert(got, n);
	local_irq_restore(flags);

	echo_len = 0;
	echo[0] = '\0';
	line_edit_init(&test_le, "> ", echo_capture, NULL);
	line_edit_start(&test_le);
	read = monitor_read_line(&test_le);
	KT_EXPECT_STREQ(t, read, line);
	KT_EXPECT_STREQ(t, echo, echoed);
	monitor_capture(read, said, sizeof(said), &r);
	KT_EXPECT_EQ(t, r, ret);
	KT_EXPECT_STREQ(t, said, out);
}

/* ------------------------------------------------------------ i8042 */

KTEST(input, i8042_probe_found_the_controller)
{
	const struct i8042_info *in = &i8042_info;
	uint8_t ctr;

	if (!in->present)
		kt_skip(t, in->fadt_absent ? "the FADT says there is no 8042" :
			"no i8042 answers");
	KT_EXPECT_EQ(t, in->selftest, I8042_RET_CTL_TEST);
	KT_EXPECT_EQ(t, in->port_test, I8042_RET_KBD_TEST);
	KT_EXPECT(t, in->kbd_ack);
	KT_EXPECT_EQ(t, in->irq, device_irqs_available());
	if (acpi_info.have_boot_arch)
		KT_EXPECT(t, acpi_info.boot_arch & ACPI_FADT_8042);
	/* The configuration byte as the controller holds it now. */
	KT_ASSERT_EQ(t, i8042_command(I8042_CMD_CTL_RCTR, NULL, 0, &ctr, 1), 0);
	KT_EXPECT_EQ(t, ctr, in->ctr);
	KT_EXPECT_EQ(t, ctr & (I8042_CTR_KBDDIS | I8042_CTR_AUXDIS | I8042_CTR_AUXINT),
		     I8042_CTR_AUXDIS);
	KT_EXPECT_EQ(t, !!(ctr & I8042_CTR_KBDINT), in->irq);
	KT_EXPECT_EQ(t, !!(ctr & I8042_CTR_XLATE), in->translated);
}

/* The keys typed below: set 1 and set 2 make codes, 0xE0 or not. */
struct tkey {
	uint8_t s1, s2;
	bool e0;
};
static const struct tkey K_H = { 0x23, 0x33, false }, K_E = { 0x12, 0x24, false },
	K_L = { 0x26, 0x4b, false }, K_P = { 0x19, 0x4d, false },
	K_X = { 0x2d, 0x22, false }, K_SPACE = { 0x39, 0x29, false },
	K_LSHIFT = { 0x2a, 0x12, false }, K_BACKSPACE = { 0x0e, 0x66, false },
	K_ENTER = { 0x1c, 0x5a, false }, K_LEFT = { 0x4b, 0x6b, true },
	K_END = { 0x4f, 0x69, true };

static uint8_t codes[128];
static unsigned int nr_codes;

static void code(uint8_t c)
{
	if (nr_codes < ARRAY_SIZE(codes))
		codes[nr_codes++] = c;
}

static void key_make(const struct tkey *k)
{
	if (k->e0)
		code(0xe0);
	code(i8042_info.translated ? k->s1 : k->s2);
}

static void key_break(const struct tkey *k)
{
	if (k->e0)
		code(0xe0);
	if (i8042_info.translated) {
		code(k->s1 | 0x80);
	} else {
		code(0xf0);
		code(k->s2);
	}
}

static void key_press(const struct tkey *k)
{
	key_make(k);
	key_break(k);
}

/*
 * "hep", Left, "l", End, " ", Shift + "helpx", Backspace, Enter, in the
 * scan code set the keyboard is read in, each code put out by the
 * controller (command 0xD2) as if the keyboard had sent it: IRQ 1 for
 * each, the bytes of a VT100 in the queue, the line "help HELP" out of
 * the monitor's reader, and help's answer to it.
 */
KTEST(input, keys_through_irq1_become_a_line_and_run)
{
	unsigned int vector = isa_irq_vector(1);
	unsigned long bytes, irqs;

	if (!i8042_info.present)
		kt_skip(t, "no i8042");
	nr_codes = 0;
	key_press(&K_H);
	key_press(&K_E);
	key_press(&K_P);
	key_press(&K_LEFT);
	key_press(&K_L);
	key_press(&K_END);
	key_press(&K_SPACE);
	key_make(&K_LSHIFT);
	key_press(&K_H);
	key_press(&K_E);
	key_press(&K_L);
	key_press(&K_P);
	key_press(&K_X);
	key_break(&K_LSHIFT);
	key_press(&K_BACKSPACE);
	key_press(&K_ENTER);

	tty_flush_input();
	bytes = i8042_info.bytes;
	irqs = irq_count(0, vector);
	for (unsigned int i = 0; i < nr_codes; i++) {
		KT_ASSERT_EQ(t, i8042_command(I8042_CMD_KBD_LOOP, &codes[i], 1, NULL, 0), 0);
		/* One at a time: the controller holds one byte. */
		KT_ASSERT(t, wait_until(i8042_info.bytes == bytes + i + 1));
	}
	if (i8042_info.irq)
		KT_EXPECT_EQ(t, irq_count(0, vector) - irqs, nr_codes);
	line_runs(t, "hep\033[Dl\033[F HELPX\x7f\r", "help HELP",
		  "> hep\033[1Dlp\033[1D\033[1C HELPX\b\033[K\n",
		  -ENOENT, "help: HELP: no such command\n");
}

/* ------------------------------------------------------------ COM1 */

/*
 * "help help" and Enter sent by COM1 to itself (the UART's loopback):
 * received on IRQ 4 into the queue, read by the monitor's reader, run.
 * In loopback a PC's board gates the UART's interrupt line off (OUT2 is
 * looped back inside the chip), so this is for the emulators, where
 * port 0xE9 answers.
 */
KTEST(input, com1_bytes_through_irq4_become_a_line_and_run)
{
	static const char sent[] = "help help\r";
	unsigned int vector = isa_irq_vector(4);
	unsigned long irqs;
	struct tty_stats st;
	uint8_t mcr;
	bool arrived;

	if (!debugcon_present())
		kt_skip(t, "a PC's board keeps the interrupt off in loopback");
	if (!serial_rx_stop())
		kt_skip(t, "COM1 does not receive (no UART)");
	KT_ASSERT_EQ(t, serial_rx_start(), 0);
	tty_flush_input();
	irqs = irq_count(0, vector);
	mcr = inb(UART_COM1_BASE + UART_MCR);
	/* Nothing may print while the transmitter talks to itself. */
	outb(UART_COM1_BASE + UART_MCR, mcr | UART_MCR_LOOP);
	for (const char *p = sent; *p; p++) {
		while (!(inb(UART_COM1_BASE + UART_LSR) & UART_LSR_THRE))
			cpu_relax();
		outb(UART_COM1_BASE + UART_TX, *p);
	}
	arrived = wait_until((tty_get_stats(&st), st.queued == strlen(sent)));
	/* The last byte out of the shift register before loopback ends. */
	while (!(inb(UART_COM1_BASE + UART_LSR) & UART_LSR_TEMT))
		cpu_relax();
	outb(UART_COM1_BASE + UART_MCR, mcr);
	KT_ASSERT(t, arrived);
	tty_get_stats(&st);
	if (!st.polled)
		KT_EXPECT(t, irq_count(0, vector) - irqs >= 1);
	line_runs(t, sent, "help help", "> help help\n",
		  0, "help [COMMAND]\n    list the commands, or show one\n");
}

/* ------------------------------------------------------------ the queue */

/* The bound: what does not fit is dropped and counted, what fits kept in
 * order; once read, there is room again. */

KTEST(input, queue_bound_drops_and_counts)
{
	static char pattern[TTY_BUF_SIZE + 10], got[TTY_BUF_SIZE + 10];
	struct tty_stats a, b;
	unsigned long flags;

	for (unsigned int i = 0; i < sizeof(pattern); i++)
		pattern[i] = (char)(i * 7 + 1);
	tty_flush_input();
	tty_get_stats(&a);
	KT_EXPECT_EQ(t, a.queued, 0);

	/* As an interrupt handler would, with interrupts off. */
	local_irq_save(flags);
	tty_insert(pattern, 200);
	tty_insert(pattern + 200, sizeof(pattern) - 200);
	local_irq_restore(flags);
	tty_get_stats(&b);
	KT_EXPECT_EQ(t, b.queued, TTY_BUF_SIZE);
	KT_EXPECT_EQ(t, b.received - a.received, TTY_BUF_SIZE);
	KT_EXPECT_EQ(t, b.dropped - a.dropped, sizeof(pattern) - TTY_BUF_SIZE);
	/* What came first is kept, in order; the rest was dropped. */
	KT_EXPECT_EQ(t, tty_read_nowait(got, sizeof(got)), TTY_BUF_SIZE);
	KT_EXPECT(t, memcmp(got, pattern, TTY_BUF_SIZE) == 0);
	KT_EXPECT_EQ(t, tty_read_nowait(got, sizeof(got)), 0);

	/* Room again, and nothing more dropped. */
	local_irq_save(flags);
	tty_insert("abc", 3);
	local_irq_restore(flags);
	KT_EXPECT_EQ(t, tty_read_nowait(got, sizeof(got)), 3);
	KT_EXPECT(t, memcmp(got, "abc", 3) == 0);
	tty_get_stats(&a);
	KT_EXPECT_EQ(t, a.dropped, b.dropped);
	KT_EXPECT_EQ(t, a.queued, 0);
}

/*
 * A reader on this CPU: asleep on the queue's wait queue (or, where a
 * device is polled, in msleep between looks), woken by a byte put in as
 * an interrupt handler puts it.
 */
static int read_one(void *unused)
{
	return tty_getc();
}

KTEST(input, reader_sleeps_until_a_byte_arrives)
{
	struct task_struct *th;
	struct tty_stats st;
	unsigned long switches, flags;

	tty_flush_input();
	tty_get_stats(&st);
	th = kthread_run_on_cpu(read_one, NULL, smp_processor_id(), "tty-reader");
	KT_ASSERT(t, th != NULL);
	msleep(50);
	if (!st.polled) {
		/* Asleep on the queue, not waking to look. */
		KT_EXPECT_EQ(t, th->state, TASK_UNINTERRUPTIBLE);
		KT_EXPECT(t, tty_reader_waiting());
		switches = th->nvcsw;
		msleep(50);
		KT_EXPECT_EQ(t, th->nvcsw, switches);
	}
	/* Polling or not, it gave the CPU up by itself: never preempted. */
	KT_EXPECT_EQ(t, th->nivcsw, 0);
	local_irq_save(flags);
	tty_insert("Z", 1);
	local_irq_restore(flags);
	KT_EXPECT_EQ(t, kthread_join(th), 'Z');
	KT_EXPECT(t, !tty_reader_waiting());
}
