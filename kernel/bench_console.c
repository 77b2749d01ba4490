/* SPDX-License-Identifier: MIT */
/*
 * Benchmarks of the consoles (printed by `./build.sh bench` under
 * -icount, where cycles count instructions): a printk line through every
 * console with the framebuffer console drawing lazily as it does, without
 * the framebuffer console, and flushed after every line (what drawing at
 * once would cost); the cells drawn per line; and one redraw of every
 * cell of the screen (docs/performance.md, docs/console.md "The screen").
 */
#define pr_fmt(fmt) "bench: " fmt

#include "asm/x86.h"
#include "kernel/bench.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "video/efifb.h"

#define BENCH_LINES	1000

/* BENCH_LINES lines of 80 characters, each console flushed after every
 * line when asked, then once at the end. The lines do not start with
 * "bench:", so build.sh keeps them out of the figures. */
static uint64_t print_lines(bool flush_each)
{
	uint64_t t0 = rdtsc();

	for (unsigned int i = 0; i < BENCH_LINES; i++) {
		printk("console bench line %4u: the quick brown fox jumps over the lazy dog %08x\n",
		       i, i * 2654435761u);
		if (flush_each)
			console_flush();
	}
	console_flush();
	return rdtsc() - t0;
}

static void report(const char *what, uint64_t cycles, unsigned long cells)
{
	pr_info("%-48s %8llu cycles/op (%u ops), %lu cells drawn\n", what,
		div_u64(cycles, BENCH_LINES), BENCH_LINES, cells);
}

void bench_console(void)
{
	struct fbcon *vc = efifb.vc;
	unsigned long cells;
	uint64_t c;

	if (!vc) {
		pr_info("console: no framebuffer console\n");
		return;
	}
	pr_info("console: %ux%u cells of %ux%u, %u bpp\n", vc->cols, vc->rows,
		vc->font->width, vc->font->height, vc->fb.bpp);
	console_flush();
	cells = vc->cells_drawn;
	c = print_lines(false);
	report("printk line, every console, fbcon lazy", c, vc->cells_drawn - cells);
	cells = vc->cells_drawn;
	c = print_lines(true);
	report("printk line, every console, fbcon flushed each", c, vc->cells_drawn - cells);
	unregister_console(&efifb_console);
	c = print_lines(false);
	report("printk line, every console but fbcon", c, 0);
	/* The replay of the log puts the screen back in step. */
	register_console(&efifb_console);
	console_flush();

	cells = vc->cells_drawn;
	fbcon_recover(vc);
	c = rdtsc();
	console_flush();
	c = rdtsc() - c;
	pr_info("console: one redraw of every cell: %llu cycles, %lu cells\n", c,
		vc->cells_drawn - cells);
}
