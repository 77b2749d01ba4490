/* SPDX-License-Identifier: MIT */
/*
 * The DSDT's \_S5 (ACPI 6.5 §7.4.2 for the sleeping-state packages,
 * ch. 20 for the AML encoding: §20.2.2 names, §20.2.3 data objects,
 * §20.2.4 PkgLength, §20.2.5.4 PackageOp) found by a small scan of the
 * AML bytes, not by an interpreter: a Name whose value is a Package of
 * integer constants is plain data in the byte stream. Pure code, built
 * into the kernel and into the host test; every read is checked against
 * the bytes given. docs/acpi.md says what the scan understands.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include "kernel/acpi_tables.h"
#include "kernel/printk.h"
#include "kernel/string.h"

/* AML opcodes and prefixes (§20.2). */
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_QWORD_PREFIX	0x0e
#define AML_PACKAGE_OP		0x12
#define AML_VAR_PACKAGE_OP	0x13
#define AML_ROOT_CHAR		'\\'
#define AML_PARENT_PREFIX	'^'
#define AML_ONES_OP		0xff

#define SLP_TYP_MAX		7	/* PM1_CNT bits 12:10 */

/*
 * The NameOp that s (the offset of a "_S5_" NameSeg) belongs to, as
 * NameOp [RootChar | ParentPrefix...] NameSeg: its offset, or -1.
 */
static int64_t name_op_before(const uint8_t *aml, uint32_t s)
{
	uint32_t i = s;

	if (i && aml[i - 1] == AML_ROOT_CHAR)
		i--;
	else
		while (i && aml[i - 1] == AML_PARENT_PREFIX)
			i--;
	return i && aml[i - 1] == AML_NAME_OP ? (int64_t)i - 1 : -1;
}

/* One integer constant at *p, below end: its value, *p moved past it. */
static int aml_integer(const uint8_t *aml, uint32_t *p, uint32_t end,
		       uint64_t *v, const char **fault)
{
	static const uint8_t size[] = {
		[AML_BYTE_PREFIX] = 1, [AML_WORD_PREFIX] = 2,
		[AML_DWORD_PREFIX] = 4, [AML_QWORD_PREFIX] = 8,
	};
	uint8_t op = aml[*p];
	uint8_t n;

	switch (op) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
		*v = op;
		(*p)++;
		return 0;
	case AML_ONES_OP:
		*v = ~0ULL;
		(*p)++;
		return 0;
	case AML_BYTE_PREFIX:
	case AML_WORD_PREFIX:
	case AML_DWORD_PREFIX:
	case AML_QWORD_PREFIX:
		n = size[op];
		if (end - *p - 1 < n) {
			*fault = "its data runs past the package";
			return -1;
		}
		*v = 0;
		for (unsigned int i = 0; i < n; i++)
			*v |= (uint64_t)aml[*p + 1 + i] << (8 * i);
		*p += 1 + n;
		return 0;
	default:
		*fault = "not an integer constant";
		return -1;
	}
}

/*
 * The package after the name that ends at p (the NameOp at off): 0 with
 * the values in *s5, or -1 with the fault in why.
 */
static int parse_s5_package(const uint8_t *aml, uint32_t len, uint32_t base,
			    uint32_t off, uint32_t p, struct acpi_s5 *s5,
			    char *why, size_t why_len)
{
	uint32_t pkg, nbytes, pkglen, end, nelem, q;
	uint64_t v[2];
	const char *fault;

	if (p >= len) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: the AML ends after its name",
			 base + off);
		return -1;
	}
	if (aml[p] != AML_PACKAGE_OP) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: its value is %s 0x%02x, not a Package",
			 base + off, aml[p] == AML_VAR_PACKAGE_OP ?
			 "a VarPackage, opcode" : "opcode", aml[p]);
		return -1;
	}
	pkg = p + 1;			/* the PkgLength, which counts itself */
	if (pkg >= len) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: the AML ends at its PackageOp",
			 base + off);
		return -1;
	}
	nbytes = aml[pkg] >> 6;
	if (nbytes && (aml[pkg] & 0x30)) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: PkgLength lead byte 0x%02x has reserved bits 5:4 set",
			 base + off, aml[pkg]);
		return -1;
	}
	if (len - pkg <= nbytes) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: the AML ends inside its PkgLength",
			 base + off);
		return -1;
	}
	pkglen = nbytes ? aml[pkg] & 0x0f : aml[pkg] & 0x3f;
	for (uint32_t i = 0; i < nbytes; i++)
		pkglen |= (uint32_t)aml[pkg + 1 + i] << (4 + 8 * i);
	if (pkglen < nbytes + 2) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: PkgLength %u leaves no room for NumElements",
			 base + off, pkglen);
		return -1;
	}
	if (pkglen > len - pkg) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: PkgLength 0x%x runs past the end of the AML (0x%x)",
			 base + off, pkglen, base + len);
		return -1;
	}
	end = pkg + pkglen;
	nelem = aml[pkg + nbytes + 1];
	if (!nelem) {
		snprintf(why, why_len, "\\_S5 at offset 0x%x: the package is empty", base + off);
		return -1;
	}
	q = pkg + nbytes + 2;
	for (unsigned int i = 0; i < (nelem >= 2 ? 2u : 1u); i++) {
		if (q >= end) {
			snprintf(why, why_len, "\\_S5 at offset 0x%x: element %u lies past the package's end",
				 base + off, i);
			return -1;
		}
		if (aml_integer(aml, &q, end, &v[i], &fault)) {
			snprintf(why, why_len, "\\_S5 at offset 0x%x: element %u (opcode 0x%02x at 0x%x): %s",
				 base + off, i, aml[q], base + q, fault);
			return -1;
		}
	}
	if (nelem == 1) {		/* one DWORD: SLP_TYPa, SLP_TYPb, reserved */
		v[1] = (v[0] >> 8) & 0xff;
		v[0] &= 0xff;
	}
	for (unsigned int i = 0; i < 2; i++)
		if (v[i] > SLP_TYP_MAX) {
			snprintf(why, why_len, "\\_S5 at offset 0x%x: SLP_TYP%c 0x%llx does not fit the 3-bit SLP_TYP field",
				 base + off, 'a' + i, (unsigned long long)v[i]);
			return -1;
		}
	s5->slp_typa = (uint8_t)v[0];
	s5->slp_typb = (uint8_t)v[1];
	s5->offset = base + off;
	s5->end = base + end;
	return 0;
}

int acpi_aml_find_s5(const uint8_t *aml, uint32_t len, uint32_t base,
		     struct acpi_s5 *s5, char *why, size_t why_len)
{
	unsigned int refused = 0;
	struct acpi_s5 found;
	char first[ACPI_WHY_LEN], scratch[ACPI_WHY_LEN];

	if (!aml || !s5 || !why || !why_len)
		return ACPI_ERR_ARG;
	first[0] = '\0';
	for (uint32_t s = 0; len >= 4 && s <= len - 4; s++) {
		int64_t off;

		if (memcmp(aml + s, "_S5_", 4) != 0)
			continue;
		off = name_op_before(aml, s);
		if (off < 0)
			continue;	/* a reference to \_S5, not its definition */
		if (parse_s5_package(aml, len, base, (uint32_t)off, s + 4, &found,
				     refused ? scratch : first,
				     refused ? sizeof(scratch) : sizeof(first))) {
			refused++;
			continue;
		}
		found.nr_refused = refused;
		*s5 = found;
		return ACPI_OK;
	}
	if (refused) {
		snprintf(why, why_len, "%s", first);
		return ACPI_ERR_AML;
	}
	snprintf(why, why_len, "no Name(_S5, ...) in the DSDT's %u bytes of AML", len);
	return ACPI_ERR_NO_S5;
}

int acpi_parse_dsdt(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, struct acpi_power *pw)
{
	const uint32_t body = sizeof(*h);
	struct acpi_s5 s5;
	char why[ACPI_WHY_LEN];
	int err;

	if (!h || !pw)
		return ACPI_ERR_ARG;
	pw->have_s5 = false;
	err = acpi_table_check(h, avail, ACPI_SIG_DSDT, phys);
	if (err) {
		snprintf(pw->s5_why, sizeof(pw->s5_why), "the DSDT at 0x%llx was refused: %s",
			 phys, acpi_strerror(err));
		return err;
	}
	err = acpi_aml_find_s5((const uint8_t *)h + body, h->length - body, body,
			       &s5, why, sizeof(why));
	if (err) {
		pr_err("DSDT at 0x%llx: %s; power-off cannot use ACPI S5\n", phys, why);
		snprintf(pw->s5_why, sizeof(pw->s5_why), "%s", why);
		return err;
	}
	if (s5.nr_refused)
		pr_warn("DSDT at 0x%llx: %u earlier \"_S5_\" name(s) not understood; the one at offset 0x%x is used\n",
			phys, s5.nr_refused, s5.offset);
	pw->slp_typa = s5.slp_typa;
	pw->slp_typb = s5.slp_typb;
	pw->s5_offset = s5.offset;
	/* The FADT may have said already why PM1a_CNT cannot be used. */
	pw->have_s5 = !pw->s5_why[0];
	return ACPI_OK;
}
