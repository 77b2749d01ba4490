/* SPDX-License-Identifier: MIT */
/*
 * The loader's pure checks of what it is given: the text of
 * \boot\cmdline.txt (ASCII, UTF-8 or UTF-16 as Unicode 15 §3.9-3.10 and
 * §23.8 define them: byte-order marks, surrogate pairs), the names of
 * \boot\modules\*.ko as the UEFI File Protocol returns them (UCS-2, UEFI
 * 2.x §13.5 EFI_FILE_INFO), and the CPU's PAE flag (Intel SDM vol. 2A,
 * CPUID leaf 01H, EDX bit 6). No firmware headers, no allocation: the
 * host tests link it as is.
 */
#ifndef BOOT_LOADER_CHECKS_H
#define BOOT_LOADER_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "boot/bootinfo.h"

/* The encodings cmdline_clean() recognises. */
enum cmdline_encoding {
	CMDLINE_ASCII,			/* no BOM: ASCII, UTF-8 where it decodes */
	CMDLINE_UTF8_BOM,		/* EF BB BF, dropped */
	CMDLINE_UTF16LE_BOM,		/* FF FE, what Windows Notepad writes */
	CMDLINE_UTF16BE_BOM,		/* FE FF */
	CMDLINE_UTF16LE,		/* no BOM, every odd byte 0 */
	CMDLINE_UTF16BE,		/* no BOM, every even byte 0 */
};

/* What cmdline_clean() found and changed, for the loader's messages;
 * offsets are bytes into the file. */
struct cmdline_report {
	enum cmdline_encoding encoding;
	uint32_t len;			/* bytes in the clean line, NUL excluded */
	uint32_t full_len;		/* ... had there been no limit */
	bool cut;			/* full_len > BOOT_CMDLINE_MAX - 1 */
	bool cut_at_blank;		/* cut where a word ended (else mid-word) */
	bool odd_byte;			/* UTF-16 text of an odd length: the last byte ignored */
	uint32_t controls;		/* control characters other than TAB, LF, VT, FF, CR */
	uint32_t first_control;		/* the first one's value */
	uint32_t first_control_off;
	uint32_t non_ascii;		/* characters replaced by '?' */
	uint32_t first_non_ascii_off;
};

/*
 * cmdline_clean - the kernel command line from the n bytes of
 * \boot\cmdline.txt at in: a BOM is dropped and UTF-16 text converted;
 * every character below 0x20 and DEL is a blank (TAB, CR, LF silently,
 * any other control counted); each non-ASCII character (a UTF-8 sequence,
 * a byte that does not decode, a UTF-16 unit or surrogate pair) becomes
 * one '?', counted; runs of blanks outside double quotes become one
 * space; leading and trailing blanks go. A line longer than
 * BOOT_CMDLINE_MAX - 1 is cut after its last whole word that fits (in the
 * middle of a word only when it has no blank). out (BOOT_CMDLINE_MAX
 * bytes) gets the line, NUL-terminated, printable ASCII; r what was done.
 */
void cmdline_clean(const uint8_t *in, size_t n, char *out,
		   struct cmdline_report *r);

/* How module_file_name() changed a name. */
#define MODNAME_REPLACED	(1u << 0)	/* blanks, controls, non-ASCII -> '_' */
#define MODNAME_SHORTENED	(1u << 1)	/* cut to BOOT_MODULE_NAME_MAX - 1 */

/*
 * module_file_name - the name boot_info hands over for the \boot\modules
 * entry called name[len] (UCS-2, no NUL needed): false when it does not
 * end in ".ko" (any case) after at least one character, so it is not a
 * module. Otherwise out (BOOT_MODULE_NAME_MAX bytes) gets the name with
 * every blank, control or non-ASCII character (a surrogate pair counts as
 * one) replaced by '_', and, when that is longer than
 * BOOT_MODULE_NAME_MAX - 1 characters, its first ones and the suffix;
 * *changed says which of the two happened.
 */
bool module_file_name(const uint16_t *name, size_t len, char *out,
		      unsigned int *changed);

/*
 * cpu_check - whether a CPU can run the kernel, from what CPUID says:
 * has_cpuid (EFLAGS.ID can be toggled), max_leaf (leaf 0's EAX) and
 * edx1 (leaf 1's EDX). NULL when it can, else the reason, one phrase.
 */
const char *cpu_check(bool has_cpuid, uint32_t max_leaf, uint32_t edx1);

#endif /* BOOT_LOADER_CHECKS_H */
