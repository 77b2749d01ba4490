/* SPDX-License-Identifier: MIT */
/*
 * efifb: the GOP linear framebuffer the loader recorded (boot_info.fb,
 * UEFI 2.x §12.9) checked, mapped write-combining (or uncached) through
 * ioremap, and made the framebuffer console (drivers/video/fbcon.c): a
 * console that keeps the stream in its shadow and draws it lazily, at a
 * flush, on the timer tick (console_tick) or after a screenful of
 * scrolling before the tick runs; an oops or a fault inside the console
 * itself is drawn at once (docs/console.md "The screen").
 */
#define pr_fmt(fmt) "efifb: " fmt

#include "asm/e820.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/testhooks.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "video/efifb.h"
#include "video/fbcon.h"

/* The modes the console draws on: the 8x16 font's 80x25 cells at least,
 * 8K at most. */
#define EFIFB_MIN_WIDTH		640
#define EFIFB_MIN_HEIGHT	400
#define EFIFB_MAX_WIDTH		7680
#define EFIFB_MAX_HEIGHT	4320

static struct fbcon fbcon;
static void *fbcon_buf;
static bool efifb_registered;
struct efifb_state efifb;

bool fbcon_fault_test;
__setup_flag("fbcon.fault_test", fbcon_fault_test);

/*
 * video=WIDTHxHEIGHT is the loader's (efi/bootinfo.c sets that GOP mode
 * when the firmware offers it); the kernel checks its form and says when
 * the framebuffer it got has another size.
 */
static unsigned int video_width, video_height;

static int video_setup(char *val)
{
	unsigned int v[2] = { 0, 0 };
	int i = 0, digits = 0;

	if (!val)
		return -EINVAL;
	for (const char *p = val; ; p++) {
		if (*p >= '0' && *p <= '9' && digits < 5) {	/* as the loader's */
			v[i] = v[i] * 10 + (*p - '0');
			digits++;
		} else if (*p == 'x' && i == 0 && p != val && p[1]) {
			i = 1;
			digits = 0;
		} else if (*p == '\0' && i == 1 && p[-1] != 'x') {
			break;
		} else {
			return -EINVAL;
		}
	}
	video_width = v[0];
	video_height = v[1];
	return 0;
}
__setup("video", video_setup);

/* ------------------------------------------------------------ the checks */

/* A mask as a bitfield: contiguous, at most 8 bits; false otherwise. */
static bool mask_field(uint32_t mask, struct fb_bitfield *f)
{
	unsigned int off = 0, len = 0;

	if (!mask)
		return false;
	while (!(mask & 1)) {
		mask >>= 1;
		off++;
	}
	while (mask & 1) {
		mask >>= 1;
		len++;
	}
	if (mask || len > 8)
		return false;
	f->offset = off;
	f->length = len;
	return true;
}

static const char *format_name(uint32_t format)
{
	switch (format) {
	case BOOT_FB_RGBX:	return "RGBX";
	case BOOT_FB_BGRX:	return "BGRX";
	case BOOT_FB_BITMASK:	return "bitmask";
	default:		return "unknown";
	}
}

/* The RAM entry of the e820 table that [base, end) overlaps, or NULL. */
static const struct e820_entry *ram_overlap(uint64_t base, uint64_t end)
{
	for (uint32_t i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];

		if ((e->type == E820_TYPE_USABLE || e->type == E820_TYPE_LOADER) &&
		    e->addr < end && base < e->addr + e->size)
			return e;
	}
	return NULL;
}

int efifb_check(const struct boot_framebuffer *bf, struct fb_info *info,
		char *why, size_t len)
{
	struct fb_bitfield r, g, b;
	uint64_t visible, limit = 1ULL << boot_cpu_data.x86_phys_bits;
	uint32_t all, bytes;
	const struct e820_entry *e;

	if (bf->bpp != 16 && bf->bpp != 24 && bf->bpp != 32) {
		snprintf(why, len, "%u bits per pixel (16, 24 or 32 wanted)", bf->bpp);
		return -EINVAL;
	}
	if (bf->format > BOOT_FB_BITMASK) {
		snprintf(why, len, "pixel format %u unknown", bf->format);
		return -EINVAL;
	}
	if ((bf->format == BOOT_FB_RGBX &&
	     (bf->red_mask != 0xff || bf->green_mask != 0xff00 ||
	      bf->blue_mask != 0xff0000 || bf->bpp != 32)) ||
	    (bf->format == BOOT_FB_BGRX &&
	     (bf->red_mask != 0xff0000 || bf->green_mask != 0xff00 ||
	      bf->blue_mask != 0xff || bf->bpp != 32))) {
		snprintf(why, len, "%s with %u bpp and masks %08x %08x %08x (want 32 bpp, %s)",
			 format_name(bf->format), bf->bpp, bf->red_mask,
			 bf->green_mask, bf->blue_mask,
			 bf->format == BOOT_FB_RGBX ? "000000ff 0000ff00 00ff0000" :
						      "00ff0000 0000ff00 000000ff");
		return -EINVAL;
	}
	if (!mask_field(bf->red_mask, &r) || !mask_field(bf->green_mask, &g) ||
	    !mask_field(bf->blue_mask, &b)) {
		snprintf(why, len, "pixel masks red %08x green %08x blue %08x: each must be 1 to 8 contiguous bits",
			 bf->red_mask, bf->green_mask, bf->blue_mask);
		return -EINVAL;
	}
	all = bf->red_mask | bf->green_mask | bf->blue_mask | bf->reserved_mask;
	if ((bf->red_mask & bf->green_mask) ||
	    ((bf->red_mask | bf->green_mask) & bf->blue_mask) ||
	    ((bf->red_mask | bf->green_mask | bf->blue_mask) & bf->reserved_mask) ||
	    (bf->bpp < 32 && all >> bf->bpp)) {
		snprintf(why, len, "pixel masks %08x %08x %08x %08x overlap or pass %u bits",
			 bf->red_mask, bf->green_mask, bf->blue_mask,
			 bf->reserved_mask, bf->bpp);
		return -EINVAL;
	}
	if (bf->width < EFIFB_MIN_WIDTH || bf->height < EFIFB_MIN_HEIGHT ||
	    bf->width > EFIFB_MAX_WIDTH || bf->height > EFIFB_MAX_HEIGHT) {
		snprintf(why, len, "mode %ux%u outside %ux%u..%ux%u", bf->width,
			 bf->height, EFIFB_MIN_WIDTH, EFIFB_MIN_HEIGHT,
			 EFIFB_MAX_WIDTH, EFIFB_MAX_HEIGHT);
		return -EINVAL;
	}
	bytes = bf->bpp / 8;
	if (bf->pitch < bf->width * bytes || bf->pitch % 4) {
		snprintf(why, len, "pitch %u: not a multiple of 4 of at least %u x %u bytes",
			 bf->pitch, bf->width, bytes);
		return -EINVAL;
	}
	visible = (uint64_t)bf->pitch * bf->height;
	if (bf->size < visible) {
		snprintf(why, len, "size %llu bytes, less than pitch %u x height %u = %llu",
			 bf->size, bf->pitch, bf->height, visible);
		return -EINVAL;
	}
	if (bf->base == 0 || bf->base >= limit || visible > limit - bf->base) {
		snprintf(why, len, "base 0x%llx: %s", bf->base,
			 bf->base == 0 ? "zero" :
			 "the framebuffer passes the CPU's physical address limit");
		return -EINVAL;
	}
	e = ram_overlap(bf->base, bf->base + visible);
	if (e) {
		snprintf(why, len, "0x%llx-0x%llx overlaps RAM 0x%llx-0x%llx of the e820 table",
			 bf->base, bf->base + visible - 1, e->addr, e->addr + e->size - 1);
		return -EINVAL;
	}
	memset(info, 0, sizeof(*info));
	info->width = bf->width;
	info->height = bf->height;
	info->pitch = bf->pitch;
	info->bpp = bf->bpp;
	info->red = r;
	info->green = g;
	info->blue = b;
	return 0;
}

/* ------------------------------------------------------------ the console */

/*
 * How deep the console's write or flush is entered on this machine: 1 in
 * a write, 2 when a fault or an NMI inside it printed (the emergency
 * path: the stream drawn at once, straight from the shadow), 3 when the
 * emergency path itself faulted (the console gives up for good). Calls
 * come with printk's lock held, by one CPU at a time.
 */
static int fbcon_nesting;
static bool fbcon_emergency, fbcon_dead;

/* Entering: false when the console must not be touched at all. */
static bool fbcon_enter(void)
{
	if (fbcon_dead)
		return false;
	if (++fbcon_nesting == 1)
		return true;
	if (fbcon_nesting > 2) {
		fbcon_dead = true;
		fbcon_nesting--;
		return false;
	}
	if (!fbcon_emergency) {
		fbcon_emergency = true;
		fbcon_recover(&fbcon);
	}
	return true;
}

static void fbcon_leave(void)
{
	/* Back out of the outermost call: the nested one was an NMI that
	 * returned, not a fault; lazy drawing again. */
	if (--fbcon_nesting == 0)
		fbcon_emergency = false;
}

/*
 * The fault test (fbcon.fault_test): the first write with a CSI sequence
 * after the console registered stops three bytes into the sequence and
 * writes to address 0, inside the console's write with its parser in the
 * middle of the sequence.
 */
static size_t fault_test_split(const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == '\033' && s[i + 1] == '[')
			return i + 3;
	return 0;
}

static void fbcon_con_write(struct console *con, const char *s, size_t n)
{
	size_t cut;

	if (!fbcon_enter())
		return;
	if (fbcon_fault_test && efifb_registered && !fbcon_emergency &&
	    (cut = fault_test_split(s, n))) {
		fbcon_fault_test = false;
		fbcon_write(&fbcon, s, cut);
		*(volatile uint32_t *)0 = 0xbad;
	}
	fbcon_write(&fbcon, s, n);
	/* Drawn at once: in the emergency path and during an oops; a
	 * screenful of scrolling before the tick flushes; and while nothing
	 * scrolled, where a flush only draws the cells written. */
	if (fbcon_emergency || oops_in_progress ||
	    (!console_ticking && (fbcon.scrolled == 0 || fbcon.scrolled >= fbcon.rows)))
		fbcon_flush(&fbcon);
	fbcon_leave();
}

static void fbcon_con_flush(struct console *con)
{
	if (!fbcon_enter())
		return;
	if (fbcon_dirty(&fbcon))
		fbcon_flush(&fbcon);
	fbcon_leave();
}

struct console efifb_console = {
	.name = "fbcon",
	.write = fbcon_con_write,
	.flush = fbcon_con_flush,
};

/* ------------------------------------------------------------ probing */

int efifb_probe(const struct boot_framebuffer *bf, uint32_t flags)
{
	const struct font_desc *font;
	struct fb_info info;
	unsigned long visible;
	char why[160];
	void *base;
	int ret;

	if (!(flags & BOOT_INFO_FB)) {
		pr_info("no framebuffer: serial only\n");
		return -ENODEV;
	}
	ret = efifb_check(bf, &info, why, sizeof(why));
	if (ret) {
		pr_err("boot_info.fb refused: %s: serial only\n", why);
		return ret;
	}
	if (efifb_registered)
		return -EBUSY;
	visible = (unsigned long)info.pitch * info.height;
	efifb.wc = pat_enabled();
	base = efifb.wc ? ioremap_wc(bf->base, visible) : ioremap(bf->base, visible);
	if (!base) {
		pr_err("no room for %lu KiB in the vmalloc area: serial only\n",
		       visible >> 10);
		return -ENOMEM;
	}
	font = fbcon_font_for(info.width);
	info.screen_base = base;
	fbcon_buf = kmalloc(fbcon_buffer_size(&info, font), GFP_KERNEL);
	if (!fbcon_buf) {
		iounmap(base);
		pr_err("no memory for the text of %ux%u cells: serial only\n",
		       info.width / font->width, info.height / font->height);
		return -ENOMEM;
	}
	efifb.phys = bf->base;
	efifb.virt = (unsigned long)base;
	efifb.size = PAGE_ALIGN(visible + (bf->base & ~PAGE_MASK));
	pr_info("framebuffer 0x%llx-0x%llx mapped at 0x%08lx, %s\n",
		bf->base, bf->base + visible - 1, efifb.virt,
		efifb.wc ? "write-combining (PAT)" : "uncached");
	pr_info("mode %ux%u, %u bpp %s, pitch %u; font %s %ux%u: %ux%u cells\n",
		info.width, info.height, info.bpp, format_name(bf->format),
		info.pitch, font->name, font->width, font->height,
		info.width / font->width, info.height / font->height);
	fbcon_init(&fbcon, &info, font, fbcon_buf);
	efifb.vc = &fbcon;
	ret = register_console(&efifb_console);
	if (ret)
		return ret;
	efifb_registered = true;
	if (fbcon_fault_test)
		pr_err("fbcon.fault_test: the next write faults inside the console\n");
	/* The replayed log on the screen now, not at the first tick. */
	console_flush();
	return 0;
}

int efifb_init(void)
{
	const struct boot_framebuffer *bf = &boot_info.fb;

	if (video_width && (boot_info.flags & BOOT_INFO_FB) &&
	    (bf->width != video_width || bf->height != video_height))
		pr_info("video=%ux%u: not what the loader set up: the mode is %ux%u (its line above says why)\n",
			video_width, video_height, bf->width, bf->height);
	return efifb_probe(bf, boot_info.flags);
}
