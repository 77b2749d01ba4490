/* SPDX-License-Identifier: MIT */
/*
 * printk and its pr_* wrappers, and read-back of the log buffer
 * (kernel/printk.c); the vsnprintf family is in kernel/sprintf.h.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include "kernel/kernel.h"

#include "kernel/sprintf.h"

/*
 * Log levels, as Linux's: a message may start with one of these prefixes
 * (the pr_* wrappers add them). printk does not store the prefix; it
 * colours the message in the stream and the log buffer instead (SGR,
 * ECMA-48 §8.3.117): emerg, alert, crit and err red, warning bright
 * yellow (bold yellow), the others plain, and so is a message without a
 * level. KERN_CONT continues a line (plain).
 */
#define KERN_SOH	"\001"
#define KERN_SOH_ASCII	'\001'
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

/* The SGR sequences of the stream: the level colours, and KTAP's green
 * "ok" and red "not ok" (kernel/ktest.c). */
#define SGR_RESET	"\033[0m"
#define SGR_RED		"\033[31m"
#define SGR_GREEN	"\033[32m"
#define SGR_YELLOW	"\033[1;33m"

/*
 * printk - format a message into the log buffer and onto every registered
 * console; returns the number of bytes emitted (its colour included).
 * Safe with interrupts off and in exception handlers: it allocates
 * nothing, and a printk nested on the same CPU does not wait for the
 * log's lock (kernel/printk.c).
 */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list args) __printf(1, 0);

/*
 * Where a report goes: printk (the log, at boot) or the monitor's
 * mon_printf (a command's output); the reports that serve both take one.
 */
typedef int (*printf_fn)(const char *fmt, ...) __printf(1, 2);

/*
 * trace_printk - a line for the consoles that carry traces (CON_TRACE:
 * port 0xE9) only, not kept in the log buffer: the paging trace, whose
 * volume would bury the log and slow the serial port.
 */
int trace_printk(const char *fmt, ...) __printf(1, 2);

/* The longest message one printk call emits; longer ones are cut. */
#define PRINTK_LINE_MAX	512

/*
 * A file may define pr_fmt(fmt) before including this header to prefix
 * all its pr_* messages, e.g. #define pr_fmt(fmt) "ktest: " fmt.
 */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/*
 * Every level reaches every console (there is no filtering); the level
 * gives the message its colour. pr_debug compiles to nothing unless the
 * file defines DEBUG, but its arguments stay checked.
 */
#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) \
	({ if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); 0; })
#endif

/*
 * Set while an oops or a panic is being reported: consoles that draw
 * lazily draw every message at once (Linux's oops_in_progress).
 */
extern int oops_in_progress;

/*
 * The log buffer: a 64 KiB ring that holds everything printk has emitted
 * since the first call. Positions are byte counts since boot, so a reader
 * remembers log_buf_len_now() and later copies from there.
 */
#define LOG_BUF_LEN	(1u << 16)

/* The number of bytes printk has emitted since boot (the end position). */
size_t log_buf_len_now(void);

/*
 * log_buf_copy - copy the log from position 'from' into dst (at most
 * len - 1 bytes, then a NUL); returns the number of bytes copied. When
 * 'from' has already been overwritten, the copy starts at the oldest byte
 * still held.
 */
size_t log_buf_copy(char *dst, size_t len, size_t from);

/* log_buf_copy_text - the same without the escape sequences (the level
 * colours): the text as a reader sees it; returns its length. */
size_t log_buf_copy_text(char *dst, size_t len, size_t from);

/* sgr_strip - remove the CSI sequences (ESC [ ... final byte) from the
 * NUL-terminated s in place; returns the new length. */
size_t sgr_strip(char *s);

#endif /* KERNEL_PRINTK_H */
