/* SPDX-License-Identifier: MIT */
/*
 * Exception handling: deliberate page faults through the probe accessors
 * must come back as -EFAULT with CR2 and the error code the SDM defines
 * (vol. 3A §4.7), and the kernel must go on.
 */
#include "asm/page.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/ktest.h"

extern char _text[];

KTEST(traps, page_fault_read_reports_cr2_and_error_code)
{
	uint32_t before = last_fixup_fault.count;
	uint32_t v = 0xdeadbeef;
	int ret;

	ret = probe_read_u32(&v, (const uint32_t *)0x1000);
	KT_EXPECT_EQ(t, ret, -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.count, before + 1);
	KT_EXPECT_EQ(t, last_fixup_fault.vector, 14);
	KT_EXPECT_EQ(t, last_fixup_fault.address, 0x1000);
	/* Not present, read, supervisor: every bit clear. */
	KT_EXPECT_EQ(t, last_fixup_fault.error_code, 0);
	KT_EXPECT_EQ(t, v, 0xdeadbeef);
}

KTEST(traps, page_fault_write_sets_the_write_bit)
{
	uint32_t *p = (uint32_t *)0x00402ffc;
	int ret;

	ret = probe_write_u32(p, 0x12345678);
	KT_EXPECT_EQ(t, ret, -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.vector, 14);
	KT_EXPECT_EQ(t, last_fixup_fault.address, (uint32_t)p);
	KT_EXPECT_EQ(t, last_fixup_fault.error_code, X86_PF_WRITE);
}

KTEST(traps, probe_of_mapped_memory_does_not_fault)
{
	static uint32_t word;
	uint32_t before = last_fixup_fault.count;
	uint32_t v = 0;

	word = 0x5a5aa5a5;	/* a run from the prompt finds 7 here */
	KT_EXPECT_EQ(t, probe_read_u32(&v, &word), 0);
	KT_EXPECT_EQ(t, v, 0x5a5aa5a5);
	KT_EXPECT_EQ(t, probe_write_u32(&word, 7), 0);
	KT_EXPECT_EQ(t, word, 7);
	KT_EXPECT_EQ(t, last_fixup_fault.count, before);
}

/* The provisional identity map is gone: the kernel's own physical address,
 * used as a virtual one, no longer translates. */
KTEST(traps, identity_map_of_the_kernel_is_gone)
{
	const uint32_t *ident = (const uint32_t *)__pa(_text);
	uint32_t v;

	KT_EXPECT_EQ(t, probe_read_u32(&v, ident), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.address, (uint32_t)ident);
	KT_EXPECT_EQ(t, probe_read_u32(&v, (const uint32_t *)_text), 0);
}
