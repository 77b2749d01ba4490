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
 * printk - format a message into the log buffer and onto every registered
 * console; returns the number of characters printed. Safe with interrupts
 * off and in exception handlers: it allocates nothing and takes no lock.
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
 * The levels name the severity for the reader of the source; every level
 * reaches every console (there is no filtering yet). pr_debug compiles to
 * nothing unless the file defines DEBUG, but its arguments stay checked.
 */
#define pr_emerg(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define pr_debug(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) \
	({ if (0) printk(pr_fmt(fmt), ##__VA_ARGS__); 0; })
#endif

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

#endif /* KERNEL_PRINTK_H */
