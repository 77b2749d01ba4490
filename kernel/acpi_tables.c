/* SPDX-License-Identifier: MIT */
/*
 * Checking and parsing the ACPI tables (ACPI 6.5 ch. 5: RSDP §5.2.5, the
 * header §5.2.6, RSDT/XSDT §5.2.7-8, FADT §5.2.9 with the reset register
 * of §4.8.3.6, MADT §5.2.12 with the x2APIC entries of §5.2.12.12-13,
 * and the IA-PC HPET Specification 1.0a's HPET table) for
 * include/kernel/acpi_tables.h; the DSDT's
 * AML is kernel/acpi_aml.c's. Pure code, built into the kernel and into
 * the host test; fields are read from packed structures or with memcpy,
 * never through misaligned casts of wider types.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include "kernel/acpi_tables.h"
#include "kernel/printk.h"
#include "kernel/string.h"

const char *acpi_strerror(int err)
{
	switch (err) {
	case ACPI_OK:			return "ok";
	case ACPI_ERR_ARG:		return "invalid argument";
	case ACPI_ERR_MAP:		return "cannot map";
	case ACPI_ERR_NOT_FOUND:	return "no RSDP";
	case ACPI_ERR_SIGNATURE:	return "wrong signature";
	case ACPI_ERR_CHECKSUM:		return "bad checksum";
	case ACPI_ERR_XCHECKSUM:	return "bad extended checksum";
	case ACPI_ERR_SHORT:		return "too short";
	case ACPI_ERR_LONG:		return "length absurd";
	case ACPI_ERR_SUBTABLE_LEN:	return "bad MADT entry length";
	case ACPI_ERR_SUBTABLE_OVERRUN:	return "MADT entry overruns the table";
	case ACPI_ERR_PM_TIMER:		return "bad PM timer";
	case ACPI_ERR_NO_S5:		return "no \\_S5";
	case ACPI_ERR_AML:		return "\\_S5 not understood";
	case ACPI_ERR_HPET:		return "bad HPET address";
	default:			return "unknown error";
	}
}

static uint8_t byte_sum(const void *p, uint32_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (n--)
		sum += *b++;
	return sum;
}

static uint32_t get_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The four signature bytes, anything unprintable shown as '?'; buf holds
 * at least 5 bytes. */
static const char *sig_str(const char *sig, char *buf)
{
	for (int i = 0; i < 4; i++)
		buf[i] = sig[i] >= 0x20 && sig[i] < 0x7f ? sig[i] : '?';
	buf[4] = '\0';
	return buf;
}

/* The name a table goes by in messages: MADT and FADT for "APIC" and
 * "FACP" (the spec's names), else its signature. */
static const char *table_name(const char *sig, char *buf)
{
	if (memcmp(sig, ACPI_SIG_MADT, 4) == 0)
		return "MADT";
	if (memcmp(sig, ACPI_SIG_FADT, 4) == 0)
		return "FADT";
	return sig_str(sig, buf);
}

/* ------------------------------------------------------------ RSDP */

int acpi_rsdp_check(const void *rsdp, uint32_t avail, acpi_physical_address phys,
		    struct acpi_root *root)
{
	const struct acpi_table_rsdp *r = rsdp;
	struct acpi_root found;
	uint8_t sum;

	if (!rsdp || !root)
		return ACPI_ERR_ARG;
	if (avail < ACPI_RSDP_V1_SIZE) {
		pr_err("RSDP at 0x%llx: only %u bytes, need %u; ignored\n",
		       phys, avail, ACPI_RSDP_V1_SIZE);
		return ACPI_ERR_SHORT;
	}
	if (memcmp(r->signature, ACPI_SIG_RSDP, 8) != 0) {
		pr_err("RSDP at 0x%llx: signature is not \"RSD PTR \"; ignored\n",
		       phys);
		return ACPI_ERR_SIGNATURE;
	}
	sum = byte_sum(r, ACPI_RSDP_V1_SIZE);
	if (sum) {
		pr_err("RSDP at 0x%llx: bad checksum (sum 0x%02x over 20 bytes); ignored\n",
		       phys, sum);
		return ACPI_ERR_CHECKSUM;
	}
	found.revision = r->revision;
	found.xsdt = false;
	found.phys = r->rsdt_physical_address;
	/* Revision 1 was never defined; like 0 it means the 20-byte form. */
	if (r->revision >= 2) {
		uint32_t len;

		if (avail < ACPI_RSDP_V2_SIZE) {
			pr_err("RSDP at 0x%llx: revision %u but only %u bytes; ignored\n",
			       phys, r->revision, avail);
			return ACPI_ERR_SHORT;
		}
		len = r->length;
		if (len < ACPI_RSDP_V2_SIZE) {
			pr_err("RSDP at 0x%llx: length %u shorter than its %u-byte structure; ignored\n",
			       phys, len, ACPI_RSDP_V2_SIZE);
			return ACPI_ERR_SHORT;
		}
		if (len > ACPI_RSDP_MAX_LEN) {
			pr_err("RSDP at 0x%llx: length %u absurd (over %u); ignored\n",
			       phys, len, ACPI_RSDP_MAX_LEN);
			return ACPI_ERR_LONG;
		}
		if (len > avail) {
			pr_err("RSDP at 0x%llx: length %u beyond the %u bytes available; ignored\n",
			       phys, len, avail);
			return ACPI_ERR_SHORT;
		}
		sum = byte_sum(r, len);
		if (sum) {
			pr_err("RSDP at 0x%llx: bad extended checksum (sum 0x%02x over %u bytes); ignored\n",
			       phys, sum, len);
			return ACPI_ERR_XCHECKSUM;
		}
		if (r->xsdt_physical_address) {
			found.xsdt = true;
			found.phys = r->xsdt_physical_address;
		}
	}
	if (!found.phys) {
		pr_err("RSDP at 0x%llx: names no RSDT or XSDT; ignored\n", phys);
		return ACPI_ERR_NOT_FOUND;
	}
	*root = found;
	return ACPI_OK;
}

int acpi_scan_rsdp(const void *area, uint32_t len, acpi_physical_address area_phys,
		   acpi_physical_address *found)
{
	const uint8_t *a = area;
	struct acpi_root root;

	if (!area || !found)
		return ACPI_ERR_ARG;
	for (uint32_t off = 0; len >= ACPI_RSDP_V1_SIZE &&
			       off <= len - ACPI_RSDP_V1_SIZE; off += 16) {
		if (memcmp(a + off, ACPI_SIG_RSDP, 8) != 0)
			continue;
		if (acpi_rsdp_check(a + off, len - off, area_phys + off,
				    &root) == ACPI_OK) {
			*found = area_phys + off;
			return ACPI_OK;
		}
	}
	return ACPI_ERR_NOT_FOUND;
}

/* ------------------------------------------------------------ tables */

/* The checks that need only the header: signature and length bounds. */
static int header_check(const struct acpi_table_header *h, const char *sig,
			acpi_physical_address phys)
{
	char buf[5];
	const char *name = table_name(sig ? sig : h->signature, buf);

	if (sig && memcmp(h->signature, sig, 4) != 0) {
		char got[5];

		pr_err("%s at 0x%llx: signature \"%s\", expected \"%.4s\", table ignored\n",
		       name, phys, sig_str(h->signature, got), sig);
		return ACPI_ERR_SIGNATURE;
	}
	if (h->length < sizeof(*h)) {
		pr_err("%s at 0x%llx: length %u shorter than its header (%u), table ignored\n",
		       name, phys, h->length, (unsigned int)sizeof(*h));
		return ACPI_ERR_SHORT;
	}
	if (h->length > ACPI_TABLE_MAX_LEN) {
		pr_err("%s at 0x%llx: length %u absurd (over %u), table ignored\n",
		       name, phys, h->length, ACPI_TABLE_MAX_LEN);
		return ACPI_ERR_LONG;
	}
	return ACPI_OK;
}

int acpi_table_check(const struct acpi_table_header *h, uint32_t avail,
		     const char *sig, acpi_physical_address phys)
{
	char buf[5];
	const char *name;
	uint8_t sum;
	int err;

	if (!h)
		return ACPI_ERR_ARG;
	name = table_name(sig ? sig : "????", buf);
	if (avail < sizeof(*h)) {
		pr_err("%s at 0x%llx: only %u bytes, less than a header, table ignored\n",
		       name, phys, avail);
		return ACPI_ERR_SHORT;
	}
	err = header_check(h, sig, phys);
	if (err)
		return err;
	name = table_name(h->signature, buf);
	if (h->length > avail) {
		pr_err("%s at 0x%llx: length %u beyond the %u bytes available, table ignored\n",
		       name, phys, h->length, avail);
		return ACPI_ERR_SHORT;
	}
	sum = byte_sum(h, h->length);
	if (sum) {
		pr_err("%s at 0x%llx: bad checksum (sum 0x%02x), table ignored\n",
		       name, phys, sum);
		return ACPI_ERR_CHECKSUM;
	}
	return ACPI_OK;
}

const struct acpi_table_header *acpi_map_table(const struct acpi_mem_ops *ops,
					       acpi_physical_address phys, const char *sig,
					       int *err)
{
	const struct acpi_table_header *h;
	char buf[5];
	uint32_t len;
	int e;

	h = ops->map(ops->ctx, phys, sizeof(*h));
	if (!h) {
		pr_err("%s at 0x%llx: cannot map it, table ignored\n",
		       sig ? table_name(sig, buf) : "table", phys);
		*err = ACPI_ERR_MAP;
		return NULL;
	}
	e = header_check(h, sig, phys);
	len = h->length;
	ops->unmap(ops->ctx, h, sizeof(*h));
	if (e) {
		*err = e;
		return NULL;
	}
	h = ops->map(ops->ctx, phys, len);
	if (!h) {
		pr_err("%s at 0x%llx: cannot map its %u bytes, table ignored\n",
		       sig ? table_name(sig, buf) : "table", phys, len);
		*err = ACPI_ERR_MAP;
		return NULL;
	}
	/* Checked again on the whole mapping: the length is read anew. */
	e = acpi_table_check(h, len, sig, phys);
	if (e) {
		ops->unmap(ops->ctx, h, len);
		*err = e;
		return NULL;
	}
	*err = ACPI_OK;
	return h;
}

void acpi_unmap_table(const struct acpi_mem_ops *ops,
		      const struct acpi_table_header *h)
{
	if (h)
		ops->unmap(ops->ctx, h, h->length);
}

static void print_table(const struct acpi_table_header *h, acpi_physical_address phys)
{
	pr_info("%.4s 0x%016llx %06x (v%02u %-6.6s %-8.8s %08x %-4.4s %08x)\n",
		h->signature, phys, h->length, h->revision, h->oem_id,
		h->oem_table_id, h->oem_revision, h->asl_compiler_id,
		h->asl_compiler_revision);
}

/* ------------------------------------------------------------ RSDT/XSDT */

static void note_bad(struct acpi_tables *t, int err)
{
	if (!t->nr_bad++)
		t->first_err = err;
}

int acpi_walk_root(const struct acpi_mem_ops *ops, const struct acpi_root *root,
		   struct acpi_tables *out)
{
	const char *sig = root->xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT;
	unsigned int esize = root->xsdt ? 8 : 4, n;
	const struct acpi_table_header *rt;
	struct acpi_tables t;
	int err;

	if (!ops || !root || !out)
		return ACPI_ERR_ARG;
	memset(&t, 0, sizeof(t));
	rt = acpi_map_table(ops, root->phys, sig, &err);
	if (!rt)
		return err;
	print_table(rt, root->phys);
	if ((rt->length - sizeof(*rt)) % esize)
		pr_warn("%s at 0x%llx: length %u leaves a partial entry; ignored\n",
			sig, root->phys, rt->length);
	n = (rt->length - sizeof(*rt)) / esize;
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)(rt + 1) + i * esize;
		acpi_physical_address phys = root->xsdt ? get_u64(e) : get_u32(e);
		const struct acpi_table_header *h;
		char buf[5];

		if (!phys) {
			pr_warn("%s entry %u is 0; skipped\n", sig, i);
			note_bad(&t, ACPI_ERR_MAP);
			t.nr_null++;
			continue;
		}
		h = acpi_map_table(ops, phys, NULL, &err);
		if (!h) {
			pr_err("%s entry %u (0x%llx) refused: %s\n", sig, i,
			       phys, acpi_strerror(err));
			note_bad(&t, err);
			continue;
		}
		print_table(h, phys);
		t.nr_tables++;
		if (memcmp(h->signature, ACPI_SIG_MADT, 4) == 0 ||
		    memcmp(h->signature, ACPI_SIG_FADT, 4) == 0 ||
		    memcmp(h->signature, ACPI_SIG_HPET, 4) == 0) {
			bool madt = h->signature[0] == 'A', hpet = h->signature[0] == 'H';
			bool *have = madt ? &t.have_madt : hpet ? &t.have_hpet : &t.have_fadt;
			acpi_physical_address *where = madt ? &t.madt_phys :
						       hpet ? &t.hpet_phys : &t.fadt_phys;

			if (*have)
				pr_warn("%s at 0x%llx: a second one (the first is at 0x%llx); ignored\n",
					table_name(h->signature, buf), phys,
					*where);
			else {
				*have = true;
				*where = phys;
			}
		}
		acpi_unmap_table(ops, h);
	}
	acpi_unmap_table(ops, rt);
	*out = t;
	return ACPI_OK;
}

/* ------------------------------------------------------------ MADT */

static const uint8_t madt_min_len[] = {
	[ACPI_MADT_TYPE_LOCAL_APIC] = sizeof(struct acpi_madt_local_apic),
	[ACPI_MADT_TYPE_IO_APIC] = sizeof(struct acpi_madt_io_apic),
	[ACPI_MADT_TYPE_INTERRUPT_OVERRIDE] = sizeof(struct acpi_madt_interrupt_override),
	[ACPI_MADT_TYPE_NMI_SOURCE] = 2,	/* not parsed */
	[ACPI_MADT_TYPE_LOCAL_APIC_NMI] = sizeof(struct acpi_madt_local_apic_nmi),
	[ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE] = sizeof(struct acpi_madt_local_apic_override),
	[ACPI_MADT_TYPE_LOCAL_X2APIC] = sizeof(struct acpi_madt_local_x2apic),
	[ACPI_MADT_TYPE_LOCAL_X2APIC_NMI] = sizeof(struct acpi_madt_local_x2apic_nmi),
};

/* A processor entry (type 0 or 9) into m: in order, unless its APIC id
 * was listed already. */
static void madt_cpu(struct acpi_madt_info *m, acpi_physical_address phys, uint32_t off,
		     uint32_t apic_id, uint32_t acpi_id, uint32_t flags, bool x2apic)
{
	struct acpi_cpu *c;

	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		if (m->cpus[i].apic_id != apic_id)
			continue;
		pr_warn("MADT at 0x%llx: entry at offset %u (type %u) repeats APIC id %u; ignored\n",
			phys, off, x2apic ? ACPI_MADT_TYPE_LOCAL_X2APIC : ACPI_MADT_TYPE_LOCAL_APIC,
			apic_id);
		m->nr_cpus_duplicate++;
		return;
	}
	if (m->nr_cpus >= NR_CPUS) {
		m->nr_cpus_ignored++;
		return;
	}
	c = &m->cpus[m->nr_cpus++];
	c->apic_id = apic_id;
	c->acpi_id = acpi_id;
	c->enabled = flags & ACPI_MADT_ENABLED;
	c->online_capable = !(flags & ACPI_MADT_ENABLED) && (flags & ACPI_MADT_ONLINE_CAPABLE);
	c->x2apic = x2apic;
}

/* A local APIC NMI entry (type 4 or 10) into m. */
static void madt_nmi(struct acpi_madt_info *m, acpi_physical_address phys, uint32_t off,
		     uint32_t acpi_id, uint16_t flags, uint8_t lint, bool x2apic)
{
	if (m->nr_nmis >= ACPI_MAX_NMIS) {
		pr_warn("MADT at 0x%llx: local %sAPIC NMI entry at offset %u beyond %u; ignored\n",
			phys, x2apic ? "x2" : "", off, ACPI_MAX_NMIS);
		return;
	}
	m->nmis[m->nr_nmis].acpi_id = acpi_id;
	m->nmis[m->nr_nmis].flags = flags;
	m->nmis[m->nr_nmis].lint = lint;
	m->nmis[m->nr_nmis].x2apic = x2apic;
	m->nr_nmis++;
}

/* Take one entry (its length checked) into m. */
static void madt_entry(const struct acpi_subtable_header *sh, acpi_physical_address phys,
		       uint32_t off, struct acpi_madt_info *m)
{
	switch (sh->type) {
	case ACPI_MADT_TYPE_LOCAL_APIC: {
		const struct acpi_madt_local_apic *p = (const void *)sh;

		madt_cpu(m, phys, off, p->id, p->processor_id, p->lapic_flags, false);
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_X2APIC: {
		const struct acpi_madt_local_x2apic *p = (const void *)sh;

		madt_cpu(m, phys, off, p->local_apic_id, p->uid, p->lapic_flags, true);
		break;
	}
	case ACPI_MADT_TYPE_IO_APIC: {
		const struct acpi_madt_io_apic *p = (const void *)sh;

		if (m->nr_ioapics >= MAX_IO_APICS) {
			pr_warn("MADT at 0x%llx: IO-APIC id %u (entry at offset %u) beyond MAX_IO_APICS (%u); ignored\n",
				phys, p->id, off, MAX_IO_APICS);
			break;
		}
		m->ioapics[m->nr_ioapics].id = p->id;
		m->ioapics[m->nr_ioapics].address = p->address;
		m->ioapics[m->nr_ioapics].gsi_base = p->global_irq_base;
		m->nr_ioapics++;
		break;
	}
	case ACPI_MADT_TYPE_INTERRUPT_OVERRIDE: {
		const struct acpi_madt_interrupt_override *p = (const void *)sh;

		if (m->nr_overrides >= ACPI_MAX_OVERRIDES) {
			pr_warn("MADT at 0x%llx: override of IRQ %u (entry at offset %u) beyond %u; ignored\n",
				phys, p->source_irq, off, ACPI_MAX_OVERRIDES);
			break;
		}
		m->overrides[m->nr_overrides].bus = p->bus;
		m->overrides[m->nr_overrides].source_irq = p->source_irq;
		m->overrides[m->nr_overrides].gsi = p->global_irq;
		m->overrides[m->nr_overrides].flags = p->inti_flags;
		m->nr_overrides++;
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_APIC_NMI: {
		const struct acpi_madt_local_apic_nmi *p = (const void *)sh;

		madt_nmi(m, phys, off, p->processor_id == 0xff ? ACPI_ID_ALL : p->processor_id,
			 p->inti_flags, p->lint, false);
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_X2APIC_NMI: {
		const struct acpi_madt_local_x2apic_nmi *p = (const void *)sh;

		madt_nmi(m, phys, off, p->uid, p->inti_flags, p->lint, true);
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE: {
		const struct acpi_madt_local_apic_override *p = (const void *)sh;

		m->lapic_address = p->address;
		break;
	}
	default:	/* type 3 and the types this kernel has no use for */
		break;
	}
}

int acpi_parse_madt(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, struct acpi_madt_info *out)
{
	const struct acpi_table_madt *madt = (const void *)h;
	struct acpi_madt_info m;
	uint32_t off, len;
	int err;

	if (!h || !out)
		return ACPI_ERR_ARG;
	err = acpi_table_check(h, avail, ACPI_SIG_MADT, phys);
	if (err)
		return err;
	len = h->length;
	if (len < sizeof(*madt)) {
		pr_err("MADT at 0x%llx: length %u shorter than its %u-byte header, table ignored\n",
		       phys, len, (unsigned int)sizeof(*madt));
		return ACPI_ERR_SHORT;
	}
	memset(&m, 0, sizeof(m));
	m.lapic_address = madt->address;
	m.pcat_compat = madt->flags & ACPI_MADT_PCAT_COMPAT;

	for (off = sizeof(*madt); off < len; ) {
		const struct acpi_subtable_header *sh =
			(const void *)((const uint8_t *)h + off);
		uint32_t min = 2;

		/* The type and length bytes themselves must be inside. */
		if (len - off < 2) {
			pr_err("MADT at 0x%llx: entry at offset %u overruns the table (length %u): %u byte left, table ignored\n",
			       phys, off, len, len - off);
			return ACPI_ERR_SUBTABLE_OVERRUN;
		}
		if (sh->type < ARRAY_SIZE(madt_min_len))
			min = madt_min_len[sh->type];
		if (sh->length < min) {
			pr_err("MADT at 0x%llx: entry at offset %u (type %u) has length %u, less than %u, table ignored\n",
			       phys, off, sh->type, sh->length, min);
			return ACPI_ERR_SUBTABLE_LEN;
		}
		if (sh->length > len - off) {
			pr_err("MADT at 0x%llx: entry at offset %u (type %u, length %u) overruns the table (length %u), table ignored\n",
			       phys, off, sh->type, sh->length, len);
			return ACPI_ERR_SUBTABLE_OVERRUN;
		}
		madt_entry(sh, phys, off, &m);
		off += sh->length;
	}
	if (m.nr_cpus_ignored)
		pr_warn("MADT at 0x%llx: %u processor entries beyond NR_CPUS (%u) ignored\n",
			phys, m.nr_cpus_ignored, NR_CPUS);
	memcpy(out, &m, sizeof(m));
	return ACPI_OK;
}

/* ------------------------------------------------------------ HPET */

static const char *space_name(uint8_t space_id);

int acpi_parse_hpet(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, uint64_t *addr, uint8_t *seq)
{
	const struct acpi_table_hpet *t = (const void *)h;
	struct acpi_generic_address g;
	int err;

	if (!h || !addr || !seq)
		return ACPI_ERR_ARG;
	err = acpi_table_check(h, avail, ACPI_SIG_HPET, phys);
	if (err)
		return err;
	if (h->length < sizeof(*t)) {
		pr_err("HPET at 0x%llx: length %u shorter than its %u bytes, table ignored\n",
		       phys, h->length, (unsigned int)sizeof(*t));
		return ACPI_ERR_SHORT;
	}
	memcpy(&g, &t->address, sizeof(g));
	if (g.space_id != ACPI_ADR_SPACE_SYSTEM_MEMORY) {
		pr_err("HPET at 0x%llx: event timer block in %s (%u), not memory; HPET ignored\n",
		       phys, space_name(g.space_id), g.space_id);
		return ACPI_ERR_HPET;
	}
	if (!g.address || (g.address & 0x3ff)) {
		pr_err("HPET at 0x%llx: event timer block at 0x%llx, not a 1 KiB-aligned address; HPET ignored\n",
		       phys, (unsigned long long)g.address);
		return ACPI_ERR_HPET;
	}
	*addr = g.address;
	*seq = t->sequence;
	return ACPI_OK;
}

/* ------------------------------------------------------------ FADT */

/* The generic address at offset off, when the table's len bytes hold it. */
static bool fadt_gas(const uint8_t *b, uint32_t len, uint32_t off,
		     struct acpi_generic_address *g)
{
	if (len < off + sizeof(*g))
		return false;
	memcpy(g, b + off, sizeof(*g));
	return true;
}

static const char *space_name(uint8_t space_id)
{
	switch (space_id) {
	case ACPI_ADR_SPACE_SYSTEM_MEMORY:	return "system memory";
	case ACPI_ADR_SPACE_SYSTEM_IO:		return "system I/O";
	case ACPI_ADR_SPACE_PCI_CONFIG:		return "PCI configuration space";
	default:				return "an address space";
	}
}

const char *acpi_reg_name(const struct acpi_reg *r, char *buf, size_t len)
{
	switch (r->space_id) {
	case ACPI_ADR_SPACE_SYSTEM_IO:
		snprintf(buf, len, "I/O port 0x%llx", (unsigned long long)r->address);
		break;
	case ACPI_ADR_SPACE_SYSTEM_MEMORY:
		snprintf(buf, len, "memory at 0x%llx", (unsigned long long)r->address);
		break;
	case ACPI_ADR_SPACE_PCI_CONFIG:
		snprintf(buf, len, "PCI 00:%02x.%x offset 0x%02x",
			 (unsigned int)(r->address >> 32) & 0xffff,
			 (unsigned int)(r->address >> 16) & 0xffff,
			 (unsigned int)r->address & 0xffff);
		break;
	default:
		snprintf(buf, len, "address space %u at 0x%llx", r->space_id,
			 (unsigned long long)r->address);
		break;
	}
	return buf;
}

/* RESET_REG and RESET_VALUE (§4.8.3.6), or the reason there are none. */
static void fadt_reset_reg(const uint8_t *b, uint32_t len, struct acpi_power *pw)
{
	uint32_t flags = get_u32(b + ACPI_FADT_FLAGS);
	struct acpi_generic_address g;
	char *why = pw->reset_why;
	size_t n = sizeof(pw->reset_why);

	if (pw->fadt_revision < 2) {
		snprintf(why, n, "FADT revision %u has no RESET_REG (ACPI 1.0)",
			 pw->fadt_revision);
		return;
	}
	if (!fadt_gas(b, len, ACPI_FADT_RESET_REG, &g) ||
	    len <= ACPI_FADT_RESET_VALUE) {
		snprintf(why, n, "the FADT's %u bytes end before RESET_VALUE", len);
		return;
	}
	if (!(flags & ACPI_FADT_RESET_REG_SUP)) {
		snprintf(why, n, "RESET_REG_SUP is clear in the FADT flags (0x%08x)",
			 flags);
		return;
	}
	if (!g.address) {
		snprintf(why, n, "RESET_REG_SUP is set but RESET_REG's address is 0");
		return;
	}
	switch (g.space_id) {
	case ACPI_ADR_SPACE_SYSTEM_IO:
		if (g.address > 0xffff) {
			snprintf(why, n, "RESET_REG I/O port 0x%llx is beyond 0xffff",
				 (unsigned long long)g.address);
			return;
		}
		break;
	case ACPI_ADR_SPACE_SYSTEM_MEMORY:
		break;
	case ACPI_ADR_SPACE_PCI_CONFIG:
		/* Bus 0 of segment 0: device 47:32, function 31:16, offset 15:0. */
		if ((g.address >> 48) || ((g.address >> 32) & 0xffff) > 31 ||
		    ((g.address >> 16) & 0xffff) > 7 || (g.address & 0xffff) > 0xff) {
			snprintf(why, n, "RESET_REG PCI address 0x%llx is not a register of bus 0",
				 (unsigned long long)g.address);
			return;
		}
		break;
	default:
		snprintf(why, n, "RESET_REG is in address space %u, not I/O, memory or PCI configuration",
			 g.space_id);
		return;
	}
	pw->have_reset_reg = true;
	pw->reset_reg.space_id = g.space_id;
	pw->reset_reg.bit_width = g.bit_width;
	pw->reset_reg.address = g.address;
	pw->reset_value = b[ACPI_FADT_RESET_VALUE];
}

/* A PM1 control block: the X_ form when present and non-zero, else the
 * 32-bit port; *r's address stays 0 when there is neither. Returns false
 * (why filled) for one the power-off path cannot reach. */
static bool fadt_pm1_cnt(const uint8_t *b, uint32_t len, uint32_t x_off,
			 uint32_t off, const char *name, struct acpi_reg *r,
			 char *why, size_t n)
{
	struct acpi_generic_address g;

	if (fadt_gas(b, len, x_off, &g) && g.address) {
		r->space_id = g.space_id;
		r->bit_width = g.bit_width;
		r->address = g.address;
	} else if (get_u32(b + off)) {
		r->space_id = ACPI_ADR_SPACE_SYSTEM_IO;
		r->bit_width = b[ACPI_FADT_PM1_CNT_LEN] * 8;
		r->address = get_u32(b + off);
	} else {
		return true;
	}
	if (r->space_id == ACPI_ADR_SPACE_SYSTEM_IO && r->address > 0xfffe) {
		snprintf(why, n, "%s I/O port 0x%llx is beyond 0xfffe", name,
			 (unsigned long long)r->address);
		return false;
	}
	if (r->space_id != ACPI_ADR_SPACE_SYSTEM_IO &&
	    r->space_id != ACPI_ADR_SPACE_SYSTEM_MEMORY) {
		snprintf(why, n, "%s is in %s (%u), not system I/O or memory",
			 name, space_name(r->space_id), r->space_id);
		return false;
	}
	if (r->bit_width < 16) {
		snprintf(why, n, "%s is %u bits wide, less than its 16", name,
			 r->bit_width);
		return false;
	}
	return true;
}

/* What reboot and power-off take from the FADT (include/kernel/acpi.h). */
static void fadt_power(const uint8_t *b, uint32_t len, struct acpi_power *pw)
{
	char *why = pw->s5_why;
	size_t n = sizeof(pw->s5_why);
	uint32_t smi_cmd = get_u32(b + ACPI_FADT_SMI_CMD);
	uint64_t x_dsdt = len >= ACPI_FADT_X_DSDT + 8 ? get_u64(b + ACPI_FADT_X_DSDT) : 0;

	memset(pw, 0, sizeof(*pw));
	pw->fadt_revision = ((const struct acpi_table_header *)b)->revision;
	fadt_reset_reg(b, len, pw);
	pw->dsdt_phys = x_dsdt ? x_dsdt : get_u32(b + ACPI_FADT_DSDT);
	if (smi_cmd <= 0xffff) {
		pw->smi_cmd = (uint16_t)smi_cmd;
		pw->acpi_enable = b[ACPI_FADT_ACPI_ENABLE];
	}
	if (!fadt_pm1_cnt(b, len, ACPI_FADT_X_PM1A_CNT_BLK, ACPI_FADT_PM1A_CNT_BLK,
			  "PM1a_CNT_BLK", &pw->pm1a_cnt, why, n) ||
	    !fadt_pm1_cnt(b, len, ACPI_FADT_X_PM1B_CNT_BLK, ACPI_FADT_PM1B_CNT_BLK,
			  "PM1b_CNT_BLK", &pw->pm1b_cnt, why, n))
		return;
	if (!pw->pm1a_cnt.address)
		snprintf(why, n, "the FADT has no PM1a_CNT_BLK%s",
			 get_u32(b + ACPI_FADT_FLAGS) & ACPI_FADT_HW_REDUCED_ACPI ?
			 " (hardware-reduced ACPI: the sleep registers are not supported)" : "");
	else if (!pw->dsdt_phys)
		snprintf(why, n, "the FADT names no DSDT");
}

int acpi_parse_fadt(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, struct acpi_fadt_info *out)
{
	const uint8_t *b = (const void *)h;
	struct acpi_fadt_info f;
	unsigned long long port;
	int err;

	if (!h || !out)
		return ACPI_ERR_ARG;
	err = acpi_table_check(h, avail, ACPI_SIG_FADT, phys);
	if (err)
		return err;
	if (h->length < ACPI_FADT_V1_SIZE) {
		pr_err("FADT at 0x%llx: length %u shorter than the %u bytes of an ACPI 1.0 FADT, table ignored\n",
		       phys, h->length, ACPI_FADT_V1_SIZE);
		return ACPI_ERR_SHORT;
	}
	memset(&f, 0, sizeof(f));
	port = get_u32(b + ACPI_FADT_PM_TMR_BLK);
	if (h->length >= ACPI_FADT_X_PM_TMR_BLK + sizeof(struct acpi_generic_address)) {
		struct acpi_generic_address x;

		memcpy(&x, b + ACPI_FADT_X_PM_TMR_BLK, sizeof(x));
		if (x.space_id == ACPI_ADR_SPACE_SYSTEM_IO && x.address)
			port = x.address;
	}
	if (port) {
		uint8_t tmr_len = b[ACPI_FADT_PM_TMR_LEN];

		if (tmr_len != 4) {
			pr_err("FADT at 0x%llx: PM_TMR_LEN %u, want 4; PM timer ignored\n",
			       phys, tmr_len);
			return ACPI_ERR_PM_TIMER;
		}
		if (port > 0xffff) {
			pr_err("FADT at 0x%llx: PM timer port 0x%llx is not an I/O port; PM timer ignored\n",
			       phys, port);
			return ACPI_ERR_PM_TIMER;
		}
		f.have_pm_timer = true;
		f.pm_timer_port = (uint16_t)port;
		f.pm_timer_32bit = get_u32(b + ACPI_FADT_FLAGS) & ACPI_FADT_TMR_VAL_EXT;
	}
	if (h->revision >= ACPI_FADT2_REVISION) {
		f.have_boot_arch = true;
		f.boot_arch = b[ACPI_FADT_IAPC_BOOT_ARCH] |
			      b[ACPI_FADT_IAPC_BOOT_ARCH + 1] << 8;
	}
	fadt_power(b, h->length, &f.power);
	*out = f;
	return ACPI_OK;
}

/* ------------------------------------------------------------ all */

/* The DSDT the FADT named, for \_S5; unless the FADT already said why
 * there can be no ACPI S5. */
static void load_dsdt(const struct acpi_mem_ops *ops, struct acpi_power *pw)
{
	const struct acpi_table_header *h;
	int err;

	if (pw->s5_why[0])
		return;
	h = acpi_map_table(ops, pw->dsdt_phys, ACPI_SIG_DSDT, &err);
	if (!h) {
		snprintf(pw->s5_why, sizeof(pw->s5_why), "the DSDT at 0x%llx was refused: %s",
			 (unsigned long long)pw->dsdt_phys, acpi_strerror(err));
		return;
	}
	print_table(h, pw->dsdt_phys);
	acpi_parse_dsdt(h, h->length, pw->dsdt_phys, pw);
	acpi_unmap_table(ops, h);
}

int acpi_tables_load(const void *rsdp, uint32_t avail, acpi_physical_address rsdp_phys,
		     const struct acpi_mem_ops *ops, struct acpi_info *info,
		     struct acpi_tables *tables)
{
	const struct acpi_table_rsdp *r = rsdp;
	const struct acpi_table_header *h;
	struct acpi_tables t;
	struct acpi_root root;
	int err;

	if (!rsdp || !ops || !info)
		return ACPI_ERR_ARG;
	/* A revision 2 RSDP longer than the copy: check the original. */
	if (avail >= ACPI_RSDP_V2_SIZE && r->revision >= 2 &&
	    r->length > avail && r->length <= ACPI_RSDP_MAX_LEN &&
	    memcmp(r->signature, ACPI_SIG_RSDP, 8) == 0) {
		uint32_t len = r->length;
		const void *whole = ops->map(ops->ctx, rsdp_phys, len);

		if (!whole) {
			pr_err("RSDP at 0x%llx: cannot map its %u bytes; ignored\n",
			       rsdp_phys, len);
			return ACPI_ERR_MAP;
		}
		err = acpi_rsdp_check(whole, len, rsdp_phys, &root);
		ops->unmap(ops->ctx, whole, len);
	} else {
		err = acpi_rsdp_check(rsdp, avail, rsdp_phys, &root);
	}
	if (err)
		return err;
	err = acpi_walk_root(ops, &root, &t);
	if (err)
		return err;

	if (t.have_madt) {
		h = acpi_map_table(ops, t.madt_phys, ACPI_SIG_MADT, &err);
		if (h) {
			err = acpi_parse_madt(h, h->length, t.madt_phys,
					      &info->madt);
			acpi_unmap_table(ops, h);
		}
		if (err)
			note_bad(&t, err);
		else
			info->have_madt = true;
	}
	if (t.have_fadt) {
		struct acpi_fadt_info f;

		h = acpi_map_table(ops, t.fadt_phys, ACPI_SIG_FADT, &err);
		if (h) {
			err = acpi_parse_fadt(h, h->length, t.fadt_phys, &f);
			acpi_unmap_table(ops, h);
		}
		if (err) {
			note_bad(&t, err);
		} else {
			load_dsdt(ops, &f.power);
			info->have_pm_timer = f.have_pm_timer;
			info->pm_timer_port = f.pm_timer_port;
			info->pm_timer_32bit = f.pm_timer_32bit;
			info->have_boot_arch = f.have_boot_arch;
			info->boot_arch = f.boot_arch;
			info->have_fadt = true;
			info->power = f.power;
		}
	}
	if (t.have_hpet) {
		uint64_t addr;
		uint8_t seq;

		h = acpi_map_table(ops, t.hpet_phys, ACPI_SIG_HPET, &err);
		if (h) {
			err = acpi_parse_hpet(h, h->length, t.hpet_phys, &addr, &seq);
			acpi_unmap_table(ops, h);
		}
		if (err) {
			note_bad(&t, err);
		} else {
			info->have_hpet = true;
			info->hpet_address = addr;
			info->hpet_number = seq;
		}
	}
	if (tables)
		*tables = t;
	return ACPI_OK;
}
