/* SPDX-License-Identifier: MIT */
/*
 * Lookup in the exception table that the linker gathers from every
 * __ex_table section (kernel/kernel.ld).
 */
#include "kernel/extable.h"

extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];

/* The table is a handful of entries, so a linear scan suffices. */
const struct exception_table_entry *search_exception_tables(uint32_t eip)
{
	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++)
		if (e->insn == eip)
			return e;
	return 0;
}
