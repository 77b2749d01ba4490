/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console in the running kernel (drivers/video/efifb.c,
 * drivers/video/fbcon.c; docs/console.md "The screen"): IA32_PAT the same
 * on every CPU, the framebuffer mapped page for page with the cache type
 * the log names, a line printed through printk read back from the real
 * framebuffer against the font table and the palette, and bad copies of
 * boot_info.fb refused with their messages and nothing mapped.
 */
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/smp.h"
#include "asm/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/vmalloc.h"
#include "video/efifb.h"
#include "video/font.h"

extern char _text[];

#define SKIP_WITHOUT_FB(t) do { \
	if (!efifb.vc) \
		kt_skip(t, "no framebuffer console (serial only)"); \
} while (0)

static int read_pat(void *arg)
{
	*(uint64_t *)arg = rdmsr(MSR_IA32_CR_PAT);
	return 0;
}

KTEST(fbcon, pat_is_the_same_on_every_cpu)
{
	uint64_t want = (uint64_t)PAT_KERNEL_HI << 32 | PAT_KERNEL_LO;
	static uint64_t got[NR_CPUS];

	if (!pat_enabled())
		kt_skip(t, "the CPU has no PAT");
	/* PCD|PWT (index 3) uncached, PWT alone (index 1) write-combining. */
	KT_EXPECT_EQ(t, (want >> 24) & 0xff, PAT_UC);
	KT_EXPECT_EQ(t, (want >> 8) & 0xff, PAT_WC);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct task_struct *th;

		if (!cpu_online(cpu))
			continue;
		got[cpu] = 0;
		th = kthread_run_on_cpu(read_pat, &got[cpu], cpu, "read-pat");
		KT_ASSERT(t, th != NULL);
		KT_EXPECT_EQ(t, kthread_join(th), 0);
		KT_EXPECT_EQ(t, got[cpu], want);
	}
}

/* The mapping covers exactly the visible part, frame for frame, PWT
 * alone where PAT makes that write-combining, PCD|PWT otherwise. */
KTEST(fbcon, framebuffer_mapped_page_for_page_with_its_cache_type)
{
	const struct boot_framebuffer *bf = &boot_info.fb;
	unsigned long visible, pages, base;
	struct vm_struct *area;

	SKIP_WITHOUT_FB(t);
	visible = (unsigned long)bf->pitch * bf->height;
	pages = PAGE_ALIGN(visible + (bf->base & ~PAGE_MASK)) >> PAGE_SHIFT;
	base = efifb.virt & PAGE_MASK;
	KT_EXPECT_EQ(t, efifb.size, pages << PAGE_SHIFT);
	KT_EXPECT_EQ(t, efifb.wc, pat_enabled());
	area = find_vm_area((void *)base);
	KT_ASSERT(t, area != NULL);
	KT_EXPECT(t, area->flags & VM_IOREMAP);
	KT_EXPECT_EQ(t, area->nr_pages, pages);
	KT_EXPECT_EQ(t, area->phys_addr, bf->base & ~(uint64_t)(PAGE_SIZE - 1));
	for (unsigned long i = 0; i < pages; i++) {
		pmd_t *large = NULL;
		pte_t *pte = lookup_address(base + i * PAGE_SIZE, &large);
		uint64_t v;

		KT_ASSERT(t, pte != NULL && large == NULL);
		v = pte->pte;
		KT_EXPECT_EQ(t, v & PTE_PFN_MASK, (bf->base & PTE_PFN_MASK) + i * PAGE_SIZE);
		KT_EXPECT_EQ(t, v & (_PAGE_PCD | _PAGE_PWT),
			     efifb.wc ? _PAGE_PWT : _PAGE_PCD | _PAGE_PWT);
		KT_EXPECT_EQ(t, v & _PAGE_PSE, 0);	/* the PTE's PAT bit */
		if (t->failed)
			break;
	}
	/* The guard page after it is not mapped. */
	{
		pmd_t *large = NULL;
		pte_t *guard = lookup_address(base + pages * PAGE_SIZE, &large);

		KT_EXPECT(t, !guard || !pte_present(*guard));
	}
}

/* A pixel value from boot_info.fb's masks, computed here. */
static uint32_t pixel_of(const struct boot_framebuffer *bf, uint32_t rgb)
{
	const uint32_t masks[3] = { bf->red_mask, bf->green_mask, bf->blue_mask };
	uint32_t px = 0;

	for (int i = 0; i < 3; i++) {
		uint32_t m = masks[i], v = (rgb >> (16 - 8 * i)) & 0xff;
		unsigned int shift = __builtin_ctz(m), len = __builtin_popcount(m);

		px |= (v >> (8 - len)) << shift;
	}
	return px;
}

/* The palette as docs/console.md gives it. */
static const uint32_t rgb_of[16] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
	0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

static uint32_t read_pixel(const struct boot_framebuffer *bf, unsigned int x,
			   unsigned int y)
{
	const volatile uint8_t *p = (const uint8_t *)efifb.virt +
				    y * bf->pitch + x * (bf->bpp / 8);
	uint32_t v = 0;

	for (unsigned int i = 0; i < bf->bpp / 8; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/* The cell (row, col) on the framebuffer: character c in fg on bg, with
 * the cursor's bottom rows when cursor; the number of wrong pixels. */
static unsigned int cell_errors(const struct font_desc *f, unsigned int row,
				unsigned int col, unsigned char c, int fg, int bg,
				bool cursor)
{
	const struct boot_framebuffer *bf = &boot_info.fb;
	unsigned int bytes = (f->width + 7) / 8, bad = 0;
	unsigned int lines = f->height / 8 ? f->height / 8 : 1;

	for (unsigned int y = 0; y < f->height; y++) {
		for (unsigned int x = 0; x < f->width; x++) {
			bool on = f->data[c * f->charsize + y * bytes + x / 8] &
				  (0x80 >> (x % 8));

			if (cursor && y >= f->height - lines)
				on = true;
			bad += read_pixel(bf, col * f->width + x, row * f->height + y) !=
			       pixel_of(bf, rgb_of[on ? fg : bg]);
		}
	}
	return bad;
}

KTEST(fbcon, printed_line_is_on_the_framebuffer_in_the_font)
{
	static const struct {
		const char *text;
		int fg, bg;
	} want[] = {
		{ "fbcon test: ", 7, 0 }, { "Green", 10, 0 }, { " ", 7, 0 },
		{ "red on grey", 1, 7 }, { " \xe9\xe8\xfc\xdf\xa9 ", 7, 0 },
		{ "reverse", 0, 7 }, { " ~|{}", 7, 0 },
	};
	const struct font_desc *f;
	struct fbcon *vc = efifb.vc;
	unsigned int row, col = 0, bad = 0;

	SKIP_WITHOUT_FB(t);
	f = vc->font;
	printk("fbcon test: \033[1;32mGreen\033[0m \033[31;47mred on grey\033[0m "
	       "\xe9\xe8\xfc\xdf\xa9 \033[7mreverse\033[0m ~|{}\n");
	console_flush();
	/* The cursor is at the start of the next row, over a blank. */
	KT_ASSERT(t, vc->x == 0 && vc->y > 0);
	row = vc->y - 1;
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
		for (const char *p = want[i].text; *p; p++, col++)
			bad += cell_errors(f, row, col, (unsigned char)*p,
					   want[i].fg, want[i].bg, false);
	KT_EXPECT_EQ(t, bad, 0);
	for (bad = 0; col < vc->cols; col++)		/* the rest blank */
		bad += cell_errors(f, row, col, ' ', 7, 0, false);
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, cell_errors(f, vc->y, 0, ' ', 7, 0, true), 0);
	/* The font of the width: 16x32 from 2560 pixels. */
	KT_EXPECT_EQ(t, f->height, boot_info.fb.width >= 2560 ? 32u : 16u);
}

/* One bad field each, with the words its message must contain. */
static void break_bpp(struct boot_framebuffer *b) { b->bpp = 8; }
static void break_format(struct boot_framebuffer *b) { b->format = 3; }
static void break_bgrx_masks(struct boot_framebuffer *b)
{
	b->format = BOOT_FB_BGRX;
	b->bpp = 32;
	b->red_mask = 0xff;
}
static void break_mask_gap(struct boot_framebuffer *b)
{
	b->format = BOOT_FB_BITMASK;
	b->red_mask = 0xf0f000;
}
static void break_mask_overlap(struct boot_framebuffer *b)
{
	b->format = BOOT_FB_BITMASK;
	b->green_mask = 0x0001fe;
}
static void break_mask_outside(struct boot_framebuffer *b)
{
	b->format = BOOT_FB_BITMASK;
	b->bpp = 16;
	b->red_mask = 0xf80000;
	b->green_mask = 0x7e0;
	b->blue_mask = 0x1f;
	b->reserved_mask = 0;
}
static void break_small(struct boot_framebuffer *b) { b->width = 320; b->height = 200; }
static void break_huge(struct boot_framebuffer *b) { b->height = 5000; }
static void break_pitch(struct boot_framebuffer *b) { b->pitch = b->width * (b->bpp / 8) - 4; }
static void break_pitch_align(struct boot_framebuffer *b) { b->pitch += 2; b->size += 2 * b->height; }
static void break_size(struct boot_framebuffer *b) { b->size = (uint64_t)b->pitch * b->height - 1; }
static void break_base_zero(struct boot_framebuffer *b) { b->base = 0; }
static void break_base_limit(struct boot_framebuffer *b)
{
	b->base = (1ULL << boot_cpu_data.x86_phys_bits) - PAGE_SIZE;
}
/* The kernel's own image: RAM wherever the loader put it. */
static void break_base_ram(struct boot_framebuffer *b) { b->base = __pa(_text); }

KTEST(fbcon, bad_boot_info_fb_refused_with_its_message_nothing_mapped)
{
	static const struct {
		void (*brk)(struct boot_framebuffer *b);
		const char *words;
	} bad[] = {
		{ break_bpp, "8 bits per pixel (16, 24 or 32 wanted)" },
		{ break_format, "pixel format 3 unknown" },
		{ break_bgrx_masks, "BGRX with 32 bpp and masks 000000ff 0000ff00 000000ff" },
		{ break_mask_gap, "each must be 1 to 8 contiguous bits" },
		{ break_mask_overlap, "overlap or pass" },
		{ break_mask_outside, "overlap or pass 16 bits" },
		{ break_small, "mode 320x200 outside 640x400..7680x4320" },
		{ break_huge, "outside 640x400..7680x4320" },
		{ break_pitch, ": not a multiple of 4 of at least" },
		{ break_pitch_align, ": not a multiple of 4 of at least" },
		{ break_size, "less than pitch" },
		{ break_base_zero, "base 0x0: zero" },
		{ break_base_limit, "passes the CPU's physical address limit" },
		{ break_base_ram, "overlaps RAM" },
	};
	/* The real description, or with no framebuffer a plausible one. */
	struct boot_framebuffer good = {
		.base = 0xfd000000, .size = 1024 * 768 * 4, .width = 1024,
		.height = 768, .pitch = 4096, .bpp = 32, .format = BOOT_FB_BGRX,
		.red_mask = 0xff0000, .green_mask = 0xff00, .blue_mask = 0xff,
		.reserved_mask = 0xff000000,
	};
	struct vmalloc_stats before = vmalloc_stats;
	static char log[512];
	struct fb_info info;
	char why[160];

	if (efifb.vc)
		good = boot_info.fb;
	KT_EXPECT_EQ(t, efifb_check(&good, &info, why, sizeof(why)), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct boot_framebuffer b = good;
		size_t from = log_buf_len_now();

		bad[i].brk(&b);
		KT_EXPECT_EQ(t, efifb_check(&b, &info, why, sizeof(why)), -EINVAL);
		KT_EXPECT(t, strstr(why, bad[i].words) != NULL);
		/* Through the probe (the console is registered, so a
		 * description that passed would stop at -EBUSY unmapped). */
		if (efifb.vc) {
			KT_EXPECT_EQ(t, efifb_probe(&b, BOOT_INFO_FB), -EINVAL);
			log_buf_copy_text(log, sizeof(log), from);
			KT_EXPECT(t, strstr(log, "efifb: boot_info.fb refused: ") == log);
			KT_EXPECT(t, strstr(log, bad[i].words) != NULL);
			KT_EXPECT(t, strstr(log, ": serial only\n") != NULL);
		}
		if (t->failed) {
			printk("    # case %u: %s\n", i, why);
			break;
		}
	}
	if (efifb.vc)
		KT_EXPECT_EQ(t, efifb_probe(&good, BOOT_INFO_FB), -EBUSY);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, before.nr_areas);
	KT_EXPECT_EQ(t, vmalloc_stats.failed, before.failed);
}
