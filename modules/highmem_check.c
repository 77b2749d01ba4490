/* SPDX-License-Identifier: MIT */
/*
 * A module that uses the page allocator and kmap (seed 003 §10.1): init
 * takes a few GFP_HIGHUSER pages, maps each with kmap, writes a pattern,
 * unmaps, maps it again, checks the pattern and frees the pages. It returns
 * 0 when every page read back what was written, -EIO otherwise (and -ENOMEM
 * when no page could be had), so loading it is a test. Its exit only
 * says goodbye: it holds nothing, and can be unloaded.
 */
#include "kernel/errno.h"
#include "kernel/module.h"
#include "kernel/printk.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"

#define NR_CHECK_PAGES	4

static uint32_t pattern(unsigned int page, unsigned int word)
{
	return 0x9e3779b9u * (page + 1) ^ word;
}

static int highmem_check_init(void)
{
	struct page *pages[NR_CHECK_PAGES];
	unsigned int nr = 0, bad = 0, high = 0;

	for (; nr < NR_CHECK_PAGES; nr++) {
		pages[nr] = alloc_page(GFP_HIGHUSER);
		if (!pages[nr])
			break;
	}
	if (nr == 0) {
		printk("highmem_check: no page\n");
		return -ENOMEM;
	}

	for (unsigned int i = 0; i < nr; i++) {
		uint32_t *p = kmap(pages[i]);

		for (unsigned int w = 0; w < PAGE_SIZE / 4; w++)
			p[w] = pattern(i, w);
		kunmap(pages[i]);
	}
	for (unsigned int i = 0; i < nr; i++) {
		uint32_t *p = kmap(pages[i]);

		for (unsigned int w = 0; w < PAGE_SIZE / 4; w++)
			bad += p[w] != pattern(i, w);
		kunmap(pages[i]);
		high += PageHighMem(pages[i]);
		__free_page(pages[i]);
	}

	printk("highmem_check: %u pages (%u in highmem), %u bad words\n",
	       nr, high, bad);
	return bad ? -EIO : 0;
}

static void highmem_check_exit(void)
{
	printk("highmem_check: unloaded\n");
}

module_init(highmem_check_init);
module_exit(highmem_check_exit);
