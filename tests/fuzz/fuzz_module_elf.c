/* SPDX-License-Identifier: MIT */
/*
 * A libFuzzer harness for kernel/module_elf.c: every input is handed to
 * module_layout and, when that accepts it, relocated by module_relocate
 * into a malloc'd image of exactly the size asked for (so ASan sees any
 * byte written outside it), with a lookup that knows a fixed set of kernel
 * symbols. Findings are crashes and sanitizer reports, plus two checks of
 * the contract: a refused input has a message, an accepted one a sane
 * layout and an init address inside the image's text.
 *
 *	./build.sh fuzz			run open-ended
 *	tests/fuzz/run_short.sh		20 s with a fixed seed (./build.sh test)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/module_elf.h"

#define BASE	0xd0800000u

static const char *const known[] = {
	"printk", "kmalloc", "kfree", "kmap", "kunmap", "vmalloc", "vfree",
	"alloc_pages", "__free_pages", "memset", "memcpy", "strlen",
	"__kt_fail", "__kt_fail_cmp", "__kt_fail_str", "__kt_streq",
	"ktest_register_cases", "ktest_unregister_cases",
};

static int lookup(void *ctx, const char *name, uint32_t *value)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(known[i], name) == 0) {
			*value = 0xc0100000u + 0x100 * (uint32_t)i;
			return 0;
		}
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct module_layout layout;
	struct module_result result;
	char msg[MODULE_MSG_MAX];
	uint8_t *image;
	int err;

	err = module_layout(data, size, &layout, msg, sizeof(msg));
	if (err) {
		if (!msg[0] || !memchr(msg, '\0', sizeof(msg)))
			abort();		/* every fault must be explained */
		return 0;
	}
	if (layout.total_size == 0 || layout.total_size % MODULE_PAGE_SIZE ||
	    layout.total_size > MODULE_MAX_SIZE ||
	    layout.init_offset >= layout.group[MOD_GROUP_TEXT].size)
		abort();
	/* Large images are legal but make the fuzzer slow; 1 MiB will do. */
	if (layout.total_size > (1u << 20))
		return 0;

	image = malloc(layout.total_size);
	if (!image)
		return 0;
	err = module_relocate(data, size, &layout, BASE, image, lookup, NULL,
			      &result, msg, sizeof(msg));
	if (err) {
		/* only the lookup can fail now */
		if (err != MOD_ERR_UNDEFINED || !msg[0])
			abort();
	} else if (result.init != BASE + layout.init_offset ||
		   result.nr_relocs != layout.nr_relocs) {
		abort();
	}
	free(image);
	return 0;
}
