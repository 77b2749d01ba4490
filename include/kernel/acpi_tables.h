/* SPDX-License-Identifier: MIT */
/*
 * The ACPI tables as ACPI 6.5 ch. 5 lays them out (RSDP §5.2.5, the table
 * header §5.2.6, RSDT §5.2.7, XSDT §5.2.8, FADT §5.2.9, MADT §5.2.12) and
 * the pure code that checks and parses them (kernel/acpi_tables.c): no
 * kernel globals, physical memory reached only through the caller's
 * map/unmap pair, so the host test (tests/host/test_acpi.c) runs it on
 * fake physical memory. Every refusal is printed with printk, prefixed
 * "ACPI: " and naming the table, its address and the fault.
 */
#ifndef KERNEL_ACPI_TABLES_H
#define KERNEL_ACPI_TABLES_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/acpi.h"

/* A physical address, printed with %llx on the kernel and the host alike
 * (uint64_t is unsigned long on x86-64 hosts). */
typedef unsigned long long acpi_physical_address;

#define ACPI_SIG_RSDP		"RSD PTR "
#define ACPI_SIG_RSDT		"RSDT"
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_MADT		"APIC"
#define ACPI_SIG_FADT		"FACP"
#define ACPI_SIG_DSDT		"DSDT"
#define ACPI_SIG_HPET		"HPET"

#define ACPI_RSDP_V1_SIZE	20	/* the part the first checksum covers */
#define ACPI_RSDP_V2_SIZE	36	/* revision 2 and later */
#define ACPI_RSDP_MAX_LEN	4096	/* a longer "length" is absurd */
#define ACPI_TABLE_MAX_LEN	(1u << 20)	/* likewise for any table */

/* Where the RSDP may lie on a PC without UEFI (§5.2.5.1): the BIOS
 * read-only area, on a 16-byte boundary. */
#define ACPI_RSDP_SCAN_START	0xe0000u
#define ACPI_RSDP_SCAN_END	0x100000u

struct acpi_table_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* bytes 0-19 sum to 0 */
	char oem_id[6];
	uint8_t revision;		/* 0: ACPI 1.0 (20 bytes); 2: 2.0 and later */
	uint32_t rsdt_physical_address;
	uint32_t length;		/* revision >= 2: the whole structure */
	uint64_t xsdt_physical_address;
	uint8_t extended_checksum;	/* all length bytes sum to 0 */
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_table_header {
	char signature[4];
	uint32_t length;		/* header included */
	uint8_t revision;
	uint8_t checksum;		/* all length bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char asl_compiler_id[4];
	uint32_t asl_compiler_revision;
} __attribute__((packed));

/* Generic Address Structure (§5.2.3.2). */
struct acpi_generic_address {
	uint8_t space_id;		/* ACPI_ADR_SPACE_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_width;
	uint64_t address;
} __attribute__((packed));

/* FADT (§5.2.9, table 5.9): only the fields used, by byte offset. */
#define ACPI_FADT_V1_SIZE		116	/* ACPI 1.0: up to Flags */
#define ACPI_FADT_DSDT			40	/* uint32_t, physical */
#define ACPI_FADT_SMI_CMD		48	/* uint32_t, an I/O port */
#define ACPI_FADT_ACPI_ENABLE		52	/* uint8_t */
#define ACPI_FADT_PM1A_CNT_BLK		64	/* uint32_t, an I/O port */
#define ACPI_FADT_PM1B_CNT_BLK		68	/* uint32_t, an I/O port */
#define ACPI_FADT_PM_TMR_BLK		76	/* uint32_t, an I/O port */
#define ACPI_FADT_PM1_CNT_LEN		89	/* uint8_t, at least 2 */
#define ACPI_FADT_PM_TMR_LEN		91	/* uint8_t, 4 when there is a timer */
#define ACPI_FADT_IAPC_BOOT_ARCH	109	/* uint16_t, from revision 3 (§5.2.9.3) */
#define  ACPI_FADT_LEGACY_DEVICES	(1u << 0)	/* ISA devices the OS cannot enumerate */
#define  ACPI_FADT_8042			(1u << 1)	/* a keyboard controller at 0x60/0x64 */
#define ACPI_FADT_FLAGS			112	/* uint32_t */
#define ACPI_FADT_RESET_REG		116	/* struct acpi_generic_address */
#define ACPI_FADT_RESET_VALUE		128	/* uint8_t */
#define ACPI_FADT_X_DSDT		140	/* uint64_t */
#define ACPI_FADT_X_PM1A_CNT_BLK	172	/* struct acpi_generic_address */
#define ACPI_FADT_X_PM1B_CNT_BLK	184	/* struct acpi_generic_address */
#define ACPI_FADT_X_PM_TMR_BLK		208	/* struct acpi_generic_address */
#define ACPI_FADT_TMR_VAL_EXT		(1u << 8)	/* 32-bit PM timer */
#define ACPI_FADT2_REVISION		3	/* the first FADT with IAPC_BOOT_ARCH */
#define ACPI_FADT_RESET_REG_SUP		(1u << 10)	/* RESET_REG is usable */
#define ACPI_FADT_HW_REDUCED_ACPI	(1u << 20)	/* no PM1 blocks */

/* MADT (§5.2.12). */
struct acpi_table_madt {
	struct acpi_table_header header;
	uint32_t address;		/* local APIC, physical */
	uint32_t flags;			/* ACPI_MADT_PCAT_COMPAT */
} __attribute__((packed));
#define ACPI_MADT_PCAT_COMPAT		(1u << 0)

struct acpi_subtable_header {
	uint8_t type;
	uint8_t length;			/* this header included */
} __attribute__((packed));

enum acpi_madt_type {
	ACPI_MADT_TYPE_LOCAL_APIC = 0,
	ACPI_MADT_TYPE_IO_APIC = 1,
	ACPI_MADT_TYPE_INTERRUPT_OVERRIDE = 2,
	ACPI_MADT_TYPE_NMI_SOURCE = 3,
	ACPI_MADT_TYPE_LOCAL_APIC_NMI = 4,
	ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE = 5,
	ACPI_MADT_TYPE_LOCAL_X2APIC = 9,
	ACPI_MADT_TYPE_LOCAL_X2APIC_NMI = 10,
};

struct acpi_madt_local_apic {			/* type 0, 8 bytes */
	struct acpi_subtable_header header;
	uint8_t processor_id;
	uint8_t id;
	uint32_t lapic_flags;
} __attribute__((packed));
#define ACPI_MADT_ENABLED		(1u << 0)
#define ACPI_MADT_ONLINE_CAPABLE	(1u << 1)

struct acpi_madt_io_apic {			/* type 1, 12 bytes */
	struct acpi_subtable_header header;
	uint8_t id;
	uint8_t reserved;
	uint32_t address;
	uint32_t global_irq_base;
} __attribute__((packed));

struct acpi_madt_interrupt_override {		/* type 2, 10 bytes */
	struct acpi_subtable_header header;
	uint8_t bus;			/* 0: ISA */
	uint8_t source_irq;
	uint32_t global_irq;
	uint16_t inti_flags;
} __attribute__((packed));

struct acpi_madt_local_apic_nmi {		/* type 4, 6 bytes */
	struct acpi_subtable_header header;
	uint8_t processor_id;		/* 0xff: all */
	uint16_t inti_flags;
	uint8_t lint;
} __attribute__((packed));

struct acpi_madt_local_apic_override {		/* type 5, 12 bytes */
	struct acpi_subtable_header header;
	uint16_t reserved;
	uint64_t address;
} __attribute__((packed));

struct acpi_madt_local_x2apic {		/* type 9, 16 bytes (§5.2.12.12) */
	struct acpi_subtable_header header;
	uint16_t reserved;
	uint32_t local_apic_id;		/* 32-bit x2APIC id */
	uint32_t lapic_flags;		/* ACPI_MADT_ENABLED, _ONLINE_CAPABLE */
	uint32_t uid;			/* ACPI processor UID */
} __attribute__((packed));

struct acpi_madt_local_x2apic_nmi {	/* type 10, 12 bytes (§5.2.12.13) */
	struct acpi_subtable_header header;
	uint16_t inti_flags;
	uint32_t uid;			/* 0xffffffff: all */
	uint8_t lint;
	uint8_t reserved[3];
} __attribute__((packed));

/* HPET (IA-PC HPET Specification 1.0a §3.2.4, table 3): after the header,
 * the event timer block id, its base address (a GAS, system memory), the
 * HPET number, the minimum periodic tick and the page protection. */
struct acpi_table_hpet {
	struct acpi_table_header header;
	uint32_t id;			/* the capabilities' low half, as a copy */
	struct acpi_generic_address address;
	uint8_t sequence;		/* HPET number */
	uint16_t minimum_tick;
	uint8_t flags;			/* page protection and OEM attributes */
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_table_rsdp) == ACPI_RSDP_V2_SIZE, "RSDP");
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "MADT type 9");
_Static_assert(sizeof(struct acpi_madt_local_x2apic_nmi) == 12, "MADT type 10");
_Static_assert(sizeof(struct acpi_table_hpet) == 56, "HPET");
_Static_assert(sizeof(struct acpi_table_header) == 36, "table header");
_Static_assert(sizeof(struct acpi_generic_address) == 12, "GAS");
_Static_assert(sizeof(struct acpi_table_madt) == 44, "MADT");
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "MADT type 0");
_Static_assert(sizeof(struct acpi_madt_io_apic) == 12, "MADT type 1");
_Static_assert(sizeof(struct acpi_madt_interrupt_override) == 10, "MADT type 2");
_Static_assert(sizeof(struct acpi_madt_local_apic_nmi) == 6, "MADT type 4");
_Static_assert(sizeof(struct acpi_madt_local_apic_override) == 12, "MADT type 5");

/* Error codes, all negative; acpi_strerror() names each. */
enum acpi_err {
	ACPI_OK = 0,
	ACPI_ERR_ARG = -1,		/* NULL pointer */
	ACPI_ERR_MAP = -2,		/* the map callback failed */
	ACPI_ERR_NOT_FOUND = -3,	/* no RSDP */
	ACPI_ERR_SIGNATURE = -4,	/* not the signature expected */
	ACPI_ERR_CHECKSUM = -5,		/* bytes do not sum to 0 */
	ACPI_ERR_XCHECKSUM = -6,	/* RSDP extended checksum */
	ACPI_ERR_SHORT = -7,		/* length below its header or minimum, or
					   beyond the bytes available */
	ACPI_ERR_LONG = -8,		/* length absurd (over the limits above) */
	ACPI_ERR_SUBTABLE_LEN = -9,	/* a MADT entry shorter than 2 bytes or
					   than its type needs */
	ACPI_ERR_SUBTABLE_OVERRUN = -10, /* a MADT entry past the table's end */
	ACPI_ERR_PM_TIMER = -11,	/* FADT PM_TMR_LEN not 4, port not 16-bit */
	ACPI_ERR_NO_S5 = -12,		/* no \_S5 name in the DSDT */
	ACPI_ERR_AML = -13,		/* \_S5 there, but not as understood */
	ACPI_ERR_HPET = -14,		/* HPET block not in system memory, or at 0 */
};
#define ACPI_ERR_LAST	ACPI_ERR_HPET
const char *acpi_strerror(int err);

/*
 * How the parser reaches physical memory. map returns a pointer to size
 * readable bytes at phys, or NULL; every successful map is undone by one
 * unmap with the same pointer and size. The kernel passes ioremap_cache
 * and iounmap (kernel/acpi.c).
 */
struct acpi_mem_ops {
	const void *(*map)(void *ctx, acpi_physical_address phys, uint32_t size);
	void (*unmap)(void *ctx, const void *virt, uint32_t size);
	void *ctx;
};

/* The root table an RSDP names. */
struct acpi_root {
	acpi_physical_address phys;			/* of the XSDT or RSDT */
	bool xsdt;			/* revision >= 2 with a non-zero XSDT */
	uint8_t revision;
};

/*
 * acpi_rsdp_check - check the RSDP in the avail bytes at rsdp (found at
 * physical address phys, for messages): signature, the 20-byte checksum,
 * and from revision 2 on the length (36 to ACPI_RSDP_MAX_LEN, and within
 * avail) and the extended checksum over it. Fills *root on success only.
 */
int acpi_rsdp_check(const void *rsdp, uint32_t avail, acpi_physical_address phys,
		    struct acpi_root *root);

/*
 * acpi_scan_rsdp - the first valid RSDP on a 16-byte boundary of the len
 * bytes at area (physical area_phys): ACPI_OK and its physical address
 * in *found, or ACPI_ERR_NOT_FOUND. Candidates with the signature but a
 * bad checksum are reported and passed over.
 */
int acpi_scan_rsdp(const void *area, uint32_t len, acpi_physical_address area_phys,
		   acpi_physical_address *found);

/*
 * acpi_table_check - the checks every table gets: at least a header's
 * worth of bytes available, the signature sig (any when sig is NULL),
 * 36 <= length <= ACPI_TABLE_MAX_LEN, length <= avail, and the byte sum
 * of length bytes 0. On failure prints, e.g.,
 *   ACPI: MADT at 0x7fb7e000: bad checksum (sum 0x5a), table ignored
 */
int acpi_table_check(const struct acpi_table_header *h, uint32_t avail,
		     const char *sig, acpi_physical_address phys);

/*
 * acpi_map_table - map the table at phys and check it (acpi_table_check
 * with sig): NULL, with *err set and the fault printed, or the mapped
 * table, to be given back with acpi_unmap_table.
 */
const struct acpi_table_header *acpi_map_table(const struct acpi_mem_ops *ops,
					       acpi_physical_address phys, const char *sig,
					       int *err);
void acpi_unmap_table(const struct acpi_mem_ops *ops,
		      const struct acpi_table_header *h);

/* What the RSDT/XSDT lists, of what this kernel uses. */
struct acpi_tables {
	bool have_madt, have_fadt, have_hpet;
	acpi_physical_address madt_phys, fadt_phys, hpet_phys; /* the first valid ones */
	unsigned int nr_tables;		/* valid entries, all signatures */
	unsigned int nr_bad;		/* entries refused (reported) */
	unsigned int nr_null;		/* of those, entries that were 0 */
	int first_err;			/* the code of the first refusal */
};

/*
 * acpi_walk_root - map and check the RSDT or XSDT root names, then every
 * table it lists (32-bit entries in the RSDT, 64-bit in the XSDT; any
 * physical address is passed to map, which may refuse it), printing one
 * line per valid table:
 *   ACPI: APIC 0x000000007fb7e000 000078 (v03 BOCHS  BXPC     00000001 BXPC 00000001)
 * A bad entry is reported and skipped. Returns the root table's error,
 * else ACPI_OK with *out filled; *out is written only then.
 */
int acpi_walk_root(const struct acpi_mem_ops *ops, const struct acpi_root *root,
		   struct acpi_tables *out);

/*
 * acpi_parse_madt - check the MADT in the avail bytes at h (the generic
 * checks, then length >= 44) and parse its entries into *out, which is
 * written only on success. Every entry's length must be >= 2, >= its
 * type's size (types 0, 1, 2, 4, 5, 9, 10) and fit in the table; one that
 * does not makes the whole table refused. Unknown types (and type 3, NMI
 * sources) are skipped. Processor entries, local APIC (type 0, 8-bit id)
 * and local x2APIC (type 9, 32-bit id) alike, are all recorded in table
 * order, enabled or not (an entry with neither the enabled nor the
 * online-capable bit is kept with both false: the CPU is unusable); one
 * whose APIC id an earlier entry had is reported, counted in
 * nr_cpus_duplicate and dropped; those beyond NR_CPUS are counted in
 * nr_cpus_ignored. Local APIC NMI entries of type 4 (UID 0xff: all) and
 * type 10 (UID 0xffffffff: all) both become nmis[], acpi_id ACPI_ID_ALL
 * for all. IO-APICs beyond
 * MAX_IO_APICS, overrides beyond ACPI_MAX_OVERRIDES and NMI entries
 * beyond ACPI_MAX_NMIS are reported and dropped; none of these refuses
 * the table.
 */
int acpi_parse_madt(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, struct acpi_madt_info *out);

/*
 * acpi_parse_hpet - check the HPET table in the avail bytes at h (the
 * generic checks, then length >= 56) and take its event timer block: a
 * non-zero system-memory address, the HPET number. The first HPET
 * (sequence 0 or not) is the one used. On failure prints, e.g.,
 *   ACPI: HPET at 0x7fb7d000: event timer block in system I/O (1), not memory; HPET ignored
 * *addr and *seq are written on success only.
 */
int acpi_parse_hpet(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, uint64_t *addr, uint8_t *seq);

/* What the FADT says about the PM timer, the legacy devices, and the
 * power facts (the \_S5 fields of power are the DSDT's, filled by
 * acpi_parse_dsdt). */
struct acpi_fadt_info {
	bool have_pm_timer;		/* false: no port (e.g. hardware-reduced) */
	uint16_t pm_timer_port;
	bool pm_timer_32bit;		/* Flags.TMR_VAL_EXT */
	bool have_boot_arch;		/* revision >= ACPI_FADT2_REVISION */
	uint16_t boot_arch;		/* IAPC_BOOT_ARCH: ACPI_FADT_8042, ... */
	struct acpi_power power;
};

/*
 * acpi_parse_fadt - check the FADT ("FACP") in the avail bytes at h (the
 * generic checks, then length >= 116) and take the PM timer: the
 * X_PM_TMR_BLK address when the table reaches it and it is a non-zero
 * system I/O address, else PM_TMR_BLK; with a timer, PM_TMR_LEN must be
 * 4 and the port below 0x10000. From revision 3 on, IAPC_BOOT_ARCH too
 * (before it, the field is reserved and says nothing). Then the power facts, none of which
 * refuses the table (a missing one gets its reason in power.reset_why or
 * power.s5_why): RESET_REG and RESET_VALUE when the revision is 2 or
 * more, the table reaches them and Flags has RESET_REG_SUP (system I/O
 * below 0x10000, system memory, or PCI configuration space of bus 0);
 * PM1a/PM1b_CNT from their X_ forms when present and non-zero, else the
 * 32-bit ports (system I/O or memory); SMI_CMD and ACPI_ENABLE; the DSDT
 * from X_DSDT when non-zero, else DSDT. *out is written on success only.
 */
int acpi_parse_fadt(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, struct acpi_fadt_info *out);

/* What acpi_aml_find_s5 found. */
struct acpi_s5 {
	uint8_t slp_typa, slp_typb;
	uint32_t offset;		/* of the NameOp, base included */
	uint32_t end;			/* just past the package, base included */
	unsigned int nr_refused;	/* other "_S5_" names not understood */
};

/*
 * acpi_aml_find_s5 - scan the len bytes of AML at aml (a definition
 * block's body; base is its offset in the table, for the offsets
 * reported) for Name(_S5, Package(){...}): NameOp, the NameSeg "_S5_"
 * with or without a root ('\') or parent ('^') prefix, PackageOp, its
 * PkgLength (1 to 4 bytes, inside len), NumElements (at least 1) and the
 * first elements as integer constants (ZeroOp, OneOp, BytePrefix,
 * WordPrefix, DWordPrefix, QWordPrefix) inside the package: two or more
 * elements give SLP_TYPa and SLP_TYPb, a single one carries both in its
 * low two bytes (as ACPICA reads it). Each value must fit SLP_TYP's 3
 * bits. Nothing outside the len bytes is read. The first such name that
 * passes is used; names that do not are counted in nr_refused.
 * Returns ACPI_OK with *s5 filled; ACPI_ERR_NO_S5 when no NameOp names
 * _S5_; ACPI_ERR_AML when every one was refused, why (why_len bytes)
 * naming the first one's fault, e.g.
 *   \_S5 at offset 0x1e54: PkgLength 0x6 runs past the end of the AML (0x1e5d)
 */
int acpi_aml_find_s5(const uint8_t *aml, uint32_t len, uint32_t base,
		     struct acpi_s5 *s5, char *why, size_t why_len);

/*
 * acpi_parse_dsdt - check the DSDT in the avail bytes at h (the generic
 * checks) and scan its AML for \_S5 (acpi_aml_find_s5). Fills the \_S5
 * fields of *pw: have_s5 (also requiring a usable pm1a_cnt, which
 * acpi_parse_fadt has put in pw already), slp_typa/b and s5_offset, or
 * s5_why; prints the finding or the fault. Returns the table's or the
 * scan's error.
 */
int acpi_parse_dsdt(const struct acpi_table_header *h, uint32_t avail,
		    acpi_physical_address phys, struct acpi_power *pw);

/*
 * acpi_tables_load - everything from an RSDP to *info: the RSDP (the
 * avail bytes at rsdp, a copy; when a revision 2 RSDP says it is longer,
 * the whole of it is mapped at rsdp_phys), the root table, then the MADT,
 * the FADT and the HPET table if listed, and the DSDT the FADT names.
 * Each part of *info is written only when its table was valid (have_madt
 * and madt together; have_pm_timer, pm_timer_port, pm_timer_32bit,
 * have_boot_arch, boot_arch, have_fadt and power together, power's \_S5
 * fields saying what became of the DSDT; have_hpet, hpet_address and
 * hpet_number together);
 * the rest is untouched.
 * Returns the RSDP's or the root table's error, or ACPI_OK (a refused
 * MADT or FADT is reported, and *tables, when not NULL, counts it).
 */
int acpi_tables_load(const void *rsdp, uint32_t avail, acpi_physical_address rsdp_phys,
		     const struct acpi_mem_ops *ops, struct acpi_info *info,
		     struct acpi_tables *tables);

#endif /* KERNEL_ACPI_TABLES_H */
