/* SPDX-License-Identifier: MIT */
/*
 * Where things go in memory: the current memory map as e820 (UEFI 2.x
 * §7.2 GetMemoryMap, efi/memmap.c), the kernel checked against it
 * (efi/elf_kernel.c), its physical base chosen and its relocation records
 * applied (efi/relocs.c), the image put at its physical range directly or
 * staged for pm32 to move (AllocatePages at an address or below one,
 * §7.2), pm32 and its parameters (include/boot/pm32.h), and the final
 * map's buffers.
 */
#include "loader.h"
#include "boot/memmap.h"
#include "boot/pm32.h"

#define MAP_SPARE_DESCS		32	/* growth room in the final map buffer */
#define E820_SPARE		16	/* entries the final map may add */
#define RESERVE_PASSES		4
#define PM32_STACK_MIN		1024

extern const unsigned char pm32_blob[], pm32_blob_end[];

/* The kernel's physical range, widened to whole pages. */
static UINT64 span_base(void)
{
	return L.kinfo.phys_start & ~(UINT64)EFI_PAGE_MASK;
}

static UINT64 span_end(void)
{
	return (L.kinfo.phys_end + EFI_PAGE_MASK) & ~(UINT64)EFI_PAGE_MASK;
}

/* ------------------------------------------------------------ memory map */

/* The current map in a new pool buffer with room for spare more
 * descriptors; the caller frees m->buf. */
static EFI_STATUS fetch_map(struct efi_map *m, UINTN spare)
{
	UINT32 ver;
	EFI_STATUS s = EFI_BUFFER_TOO_SMALL;

	m->buf = NULL;
	for (int tries = 0; tries < 4 && s == EFI_BUFFER_TOO_SMALL; tries++) {
		m->size = 0;
		s = BS->GetMemoryMap(&m->size, NULL, &m->key, &m->desc_size, &ver);
		if (s != EFI_BUFFER_TOO_SMALL)
			break;
		/* The pool allocation itself may add descriptors. */
		m->cap = m->size + (spare + 2) * m->desc_size;
		s = BS->AllocatePool(EfiLoaderData, m->cap, &m->buf);
		if (EFI_ERROR(s)) {
			m->buf = NULL;
			break;
		}
		m->size = m->cap;
		s = BS->GetMemoryMap(&m->size, m->buf, &m->key, &m->desc_size, &ver);
		if (EFI_ERROR(s))
			efi_free_pool(&m->buf);
	}
	if (EFI_ERROR(s))
		con_error("cannot get the memory map (%s)", status_str(s));
	return s;
}

/* loader.debug: one line per e820 entry. */
void show_e820(const struct boot_e820_entry *e, int n)
{
	for (int i = 0; i < n; i++)
		con_info("  [0x%llx-0x%llx) type %u", (unsigned long long)e[i].addr,
			 (unsigned long long)(e[i].addr + e[i].size), e[i].type);
}

/* Converts the current map into L.e820. */
EFI_STATUS current_e820(void)
{
	struct efi_map m;
	void *scratch = NULL;
	UINTN nd;
	EFI_STATUS s;

	s = fetch_map(&m, 8);
	if (EFI_ERROR(s))
		return s;
	nd = m.size / m.desc_size;
	s = BS->AllocatePool(EfiLoaderData, MEMMAP_SCRATCH_SIZE(nd) + 8, &scratch);
	if (EFI_ERROR(s)) {
		con_error("no memory to convert the memory map (%s)", status_str(s));
		efi_free_pool(&m.buf);
		return EFI_OUT_OF_RESOURCES;
	}
	L.nr_e820 = memmap_from_efi(m.buf, m.size, m.desc_size, scratch,
				    MEMMAP_SCRATCH_SIZE(nd) + 8, L.e820, BOOT_E820_MAX);
	efi_free_pool(&scratch);
	efi_free_pool(&m.buf);
	if (L.nr_e820 < 0) {
		con_error("cannot convert the memory map (%lu descriptors of %lu "
			  "bytes): error %d", (unsigned long)nd,
			  (unsigned long)m.desc_size, L.nr_e820);
		return EFI_LOAD_ERROR;
	}
	if (L.debug) {
		con_info("memory map: %lu UEFI descriptors -> %d e820 entries",
			 (unsigned long)nd, L.nr_e820);
		show_e820(L.e820, L.nr_e820);
	}
	return EFI_SUCCESS;
}

/*
 * The physical base: loader.kernel_base= when the kernel can run there, else
 * the address it is linked for when that is free RAM, else the lowest free
 * multiple of its alignment above (Linux's CONFIG_RELOCATABLE; the records
 * of include/boot/relocs.h make the move possible). L.kinfo moves there.
 */
static EFI_STATUS choose_base(void)
{
	const struct relocs_table *t = &L.relocs;
	char why[ELF_KERNEL_MSG_MAX], val[32];
	UINT64 forced = 0, base = t->link_base;
	int r;

	r = relocs_cmdline_base(L.cmdline, &forced, val, sizeof(val));
	if (r < 0)
		con_info("loader.kernel_base=%s: not a number; choosing the base itself", val);
	if (r > 0) {
		if (relocs_base_ok(&L.kinfo, t, forced, L.e820, (size_t)L.nr_e820,
				   BOOT_DATA_LIMIT, why, sizeof(why)) == RELOCS_OK) {
			base = forced;
			con_info("kernel: physical base 0x%llx from loader.kernel_base "
				 "(linked for 0x%x)", (unsigned long long)base, t->link_base);
			goto found;
		}
		con_info("loader.kernel_base=%s: %s; choosing the base itself", val, why);
	}
	if (elf_kernel_check_placement(&L.kinfo, 0, L.e820, (size_t)L.nr_e820, why,
				       sizeof(why)) == ELFK_OK) {
		con_info("kernel: physical base 0x%x, as linked", t->link_base);
		goto found;
	}
	if (relocs_first_base(&L.kinfo, t, L.e820, (size_t)L.nr_e820, BOOT_DATA_LIMIT,
			      &base) != RELOCS_OK) {
		con_error("%s: %s, and no other base (a multiple of %u MiB below 0x%llx) "
			  "is free RAM", KERNEL_PATH_A, why, t->align >> 20,
			  (unsigned long long)BOOT_DATA_LIMIT);
		return EFI_LOAD_ERROR;
	}
	con_info("kernel: physical base 0x%llx, not 0x%x as linked: %s",
		 (unsigned long long)base, t->link_base, why);
found:
	L.kernel_base = base;
	relocs_shift(&L.kinfo, t, base);
	return EFI_SUCCESS;
}

/* The kernel file: its ELF structure and its relocation records, then its
 * base against the current map, before anything is placed. */
EFI_STATUS validate_kernel(void)
{
	char msg[ELF_KERNEL_MSG_MAX];
	EFI_STATUS status;
	int err;

	err = elf_kernel_validate(L.kernel, L.kernel_size, NULL, 0, &L.kinfo, msg,
				  sizeof(msg));
	if (err == ELFK_OK)
		err = relocs_find(L.kernel, L.kernel_size, &L.kinfo, &L.relocs, msg,
				  sizeof(msg));
	if (err == ELFK_OK) {
		con_info("%s: valid ELF32, %u segments [0x%llx-0x%llx), entry 0x%x, "
			 "%u relocation records", KERNEL_PATH_A, L.kinfo.nr_segments,
			 (unsigned long long)L.kinfo.phys_start,
			 (unsigned long long)L.kinfo.phys_end, L.kinfo.entry,
			 L.relocs.nr_abs32 + L.relocs.nr_inv32);
		status = choose_base();
		if (EFI_ERROR(status))
			return status;
		err = elf_kernel_check_offsets(&L.kinfo, msg, sizeof(msg));
		if (err == ELFK_OK)
			return EFI_SUCCESS;
	}
	con_error("%s: %s", KERNEL_PATH_A, msg);
	switch (err) {
	case ELFK_ERR_ELF64:
	case ELFK_ERR_CLASS:
	case ELFK_ERR_ENDIAN:
	case ELFK_ERR_TYPE:
	case ELFK_ERR_MACHINE:
		return EFI_UNSUPPORTED;
	default:
		return EFI_LOAD_ERROR;
	}
}

/* ---------------------------------------------------------- kernel placement */

/* Copies the segments to dst, laid out as from span_base(), zeroing the
 * bss parts and any gaps. */
static void fill_image(UINT8 *dst, UINTN span_bytes)
{
	const struct elf_kernel_info *k = &L.kinfo;
	UINT64 base = span_base();

	ZeroMem(dst, span_bytes);
	for (UINT32 i = 0; i < k->nr_segments; i++) {
		const struct elf_kernel_segment *sg = &k->seg[i];

		CopyMem(dst + (sg->paddr - base), (UINT8 *)L.kernel + sg->offset,
			sg->filesz);
	}
}

/* Takes every conventional page run inside [base, end) so that no later
 * allocation, ours or the firmware's, can land in the kernel's range. Runs
 * already held are LoaderData now and so skipped on a repeated call. */
static EFI_STATUS reserve_free_runs(UINT64 base, UINT64 end)
{
	for (int pass = 0; pass < RESERVE_PASSES; pass++) {
		struct efi_map m;
		EFI_STATUS s;
		bool raced = false;

		s = fetch_map(&m, 8);
		if (EFI_ERROR(s))
			return s;
		for (UINTN off = 0; off + m.desc_size <= m.size; off += m.desc_size) {
			EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)m.buf + off);
			UINT64 lo = d->PhysicalStart;
			UINT64 hi = lo + d->NumberOfPages * EFI_PAGE_SIZE;

			if (d->Type != EfiConventionalMemory)
				continue;
			if (lo < base)
				lo = base;
			if (hi > end)
				hi = end;
			if (lo >= hi)
				continue;
			if (L.nr_resv == MAX_RESERVATIONS) {
				con_error("the kernel's range [0x%llx-0x%llx) is split into "
					  "more than %u free runs", (unsigned long long)base,
					  (unsigned long long)end, MAX_RESERVATIONS);
				efi_free_pool(&m.buf);
				return EFI_OUT_OF_RESOURCES;
			}
			if (EFI_ERROR(efi_alloc_pages(&L.resv[L.nr_resv], AllocateAddress,
						      lo, (hi - lo) / EFI_PAGE_SIZE))) {
				raced = true;	/* the map changed under us: look again */
				continue;
			}
			L.nr_resv++;
		}
		efi_free_pool(&m.buf);
		if (!raced)
			return EFI_SUCCESS;
	}
	con_error("cannot reserve the free memory in the kernel's range "
		  "[0x%llx-0x%llx): the memory map keeps changing",
		  (unsigned long long)base, (unsigned long long)end);
	return EFI_OUT_OF_RESOURCES;
}

/* loader.debug: the UEFI descriptors over [base, end), to see what holds
 * the kernel's range. */
static void show_range_owners(UINT64 base, UINT64 end)
{
	struct efi_map m;

	if (!L.debug || EFI_ERROR(fetch_map(&m, 0)))
		return;
	for (UINTN off = 0; off + m.desc_size <= m.size; off += m.desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)m.buf + off);
		UINT64 lo = d->PhysicalStart, hi = lo + d->NumberOfPages * EFI_PAGE_SIZE;

		if (lo < end && hi > base)
			con_info("  UEFI type %u at [0x%llx-0x%llx)", d->Type,
				 (unsigned long long)lo, (unsigned long long)hi);
	}
	efi_free_pool(&m.buf);
}

/* The records applied to the image built at dst (nothing to do at the
 * base the kernel is linked for). */
static EFI_STATUS relocate_image(UINT8 *dst, UINTN bytes)
{
	UINT32 delta = (UINT32)(L.kernel_base - L.relocs.link_base);
	char msg[ELF_KERNEL_MSG_MAX];
	long n;

	if (!delta)
		return EFI_SUCCESS;
	n = relocs_apply(&L.relocs, &L.kinfo, dst, bytes, delta, msg, sizeof(msg));
	if (n < 0) {
		con_error("%s: %s", KERNEL_PATH_A, msg);
		return EFI_LOAD_ERROR;
	}
	con_info("kernel: %ld relocation records applied for the move by 0x%x", n, delta);
	return EFI_SUCCESS;
}

/* The kernel image at its physical range (L.span), or, when that range is
 * busy now, reserved where free and built in L.staging for pm32 to move;
 * relocated when it does not run where it is linked for. */
EFI_STATUS place_kernel(void)
{
	const struct elf_kernel_info *k = &L.kinfo;
	UINT64 base = span_base(), end = span_end();
	UINTN pages = (UINTN)((end - base) / EFI_PAGE_SIZE);
	EFI_STATUS s;

	s = efi_alloc_pages(&L.span, AllocateAddress, base, pages);
	if (!EFI_ERROR(s)) {
		fill_image(phys_ptr(L.span.base), pages * EFI_PAGE_SIZE);
		s = relocate_image(phys_ptr(L.span.base), pages * EFI_PAGE_SIZE);
		if (EFI_ERROR(s))
			return s;
		con_info("kernel: %u segments in place at [0x%llx-0x%llx), entry 0x%x",
			 k->nr_segments, (unsigned long long)k->phys_start,
			 (unsigned long long)k->phys_end, k->entry);
		return EFI_SUCCESS;
	}

	/* Something (boot services data, typically) sits in the range now but
	 * will be free after ExitBootServices: build the image elsewhere and
	 * have pm32 move it with paging off. */
	con_info("kernel range [0x%llx-0x%llx) is in use now (%s): staging it",
		 (unsigned long long)base, (unsigned long long)end, status_str(s));
	show_range_owners(base, end);
	s = reserve_free_runs(base, end);
	if (EFI_ERROR(s))
		return s;
	s = alloc_outside_kernel(&L.staging, BELOW_4G, pages);
	if (EFI_ERROR(s)) {
		con_error("no memory below 4 GiB to stage the %lu-page kernel (%s)",
			  (unsigned long)pages, status_str(s));
		return EFI_OUT_OF_RESOURCES;
	}
	fill_image(phys_ptr(L.staging.base), pages * EFI_PAGE_SIZE);
	s = relocate_image(phys_ptr(L.staging.base), pages * EFI_PAGE_SIZE);
	if (EFI_ERROR(s))
		return s;
	con_info("kernel: %u segments staged at 0x%llx for [0x%llx-0x%llx), entry 0x%x",
		 k->nr_segments, (unsigned long long)L.staging.base,
		 (unsigned long long)base, (unsigned long long)end, k->entry);
	return EFI_SUCCESS;
}

static bool ranges_overlap(UINT64 a, UINT64 alen, UINT64 b, UINT64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/*
 * Pages below max for the staging copy or anything the kernel needs after
 * pm32 has moved a staged image into place, never inside the image's
 * range (which a kernel placed directly holds whole). The firmware
 * may free pages there after place_kernel() took every free run (a pool
 * page of ours that emptied, the kernel file's buffer, its own buffers),
 * and an allocation may land on them: that part is then taken as one
 * more reservation of the range and the allocation tried again, which
 * ends because every round holds more of the range.
 */
EFI_STATUS alloc_outside_kernel(struct pages *p, EFI_PHYSICAL_ADDRESS max,
				UINTN pages)
{
	UINT64 base = span_base(), end = span_end();

	for (;;) {
		EFI_STATUS s = efi_alloc_pages(p, AllocateMaxAddress, max, pages);
		UINT64 lo = p->base, hi = lo + (UINT64)pages * EFI_PAGE_SIZE;

		if (EFI_ERROR(s) || L.span.pages ||
		    !ranges_overlap(lo, hi - lo, base, end - base))
			return s;
		efi_free_pages(p);
		lo = lo > base ? lo : base;
		hi = hi < end ? hi : end;
		if (L.nr_resv == MAX_RESERVATIONS) {
			con_error("the kernel's range [0x%llx-0x%llx) is split into more "
				  "than %u reserved runs", (unsigned long long)base,
				  (unsigned long long)end, MAX_RESERVATIONS);
			return EFI_OUT_OF_RESOURCES;
		}
		s = efi_alloc_pages(&L.resv[L.nr_resv], AllocateAddress, lo,
				    (UINTN)((hi - lo) / EFI_PAGE_SIZE));
		if (EFI_ERROR(s)) {
			con_error("cannot reserve [0x%llx-0x%llx), freed inside the "
				  "kernel's range (%s)", (unsigned long long)lo,
				  (unsigned long long)hi, status_str(s));
			return s;
		}
		L.nr_resv++;
		if (L.debug)
			con_info("[0x%llx-0x%llx) in the kernel's range was freed after "
				 "placing it: reserved, allocating elsewhere",
				 (unsigned long long)lo, (unsigned long long)hi);
	}
}

/* A staged kernel's range once everything is allocated: the pages the
 * firmware freed there since place_kernel() are taken too, and nothing
 * the kernel needs may lie where pm32 will move the image. */
EFI_STATUS guard_span(void)
{
	UINT64 base = span_base(), len = span_end() - base;
	const struct pages *keep[4 + BOOT_MODULES_MAX];
	unsigned n = 0;
	EFI_STATUS s;

	if (!L.staging.pages)
		return EFI_SUCCESS;
	s = reserve_free_runs(base, base + len);
	if (EFI_ERROR(s))
		return s;
	keep[n++] = &L.staging;
	keep[n++] = &L.boot_data;
	keep[n++] = &L.pm32;
	keep[n++] = &L.initrd;
	for (unsigned i = 0; i < L.nr_modules; i++)
		keep[n++] = &L.mod[i].mem;
	for (unsigned i = 0; i < n; i++) {
		if (ranges_overlap(keep[i]->base, (UINT64)keep[i]->pages * EFI_PAGE_SIZE,
				   base, len)) {
			con_error("internal: an allocation at 0x%llx fell inside the "
				  "kernel's range [0x%llx-0x%llx)",
				  (unsigned long long)keep[i]->base,
				  (unsigned long long)base, (unsigned long long)(base + len));
			return EFI_LOAD_ERROR;
		}
	}
	return EFI_SUCCESS;
}

/* ------------------------------------------------------------------ pm32 */

/* Copies the built-in pm32 blob below 4 GiB and fills its parameters:
 * the kernel's entry, boot_info and, for a staged kernel, the move. */
EFI_STATUS prepare_pm32(void)
{
	UINTN blob_size = (UINTN)(pm32_blob_end - pm32_blob);
	UINTN bytes = PM32_PAGES * EFI_PAGE_SIZE;
	const UINT8 *m = pm32_blob + PM32_PARAMS_OFFSET;
	struct pm32_params *pp;
	EFI_STATUS s;

	if (blob_size < PM32_PARAMS_OFFSET + sizeof(struct pm32_params) ||
	    blob_size + PM32_STACK_MIN > bytes ||
	    (UINT32)(m[0] | m[1] << 8 | m[2] << 16 | (UINT32)m[3] << 24) != PM32_PARAMS_MAGIC) {
		con_error("the built-in pm32 blob (%lu bytes) lacks the pm32_params "
			  "magic 0x%x at offset %u or does not fit %u pages: "
			  "rebuild the loader", (unsigned long)blob_size,
			  PM32_PARAMS_MAGIC, PM32_PARAMS_OFFSET, PM32_PAGES);
		return EFI_LOAD_ERROR;
	}
	s = alloc_outside_kernel(&L.pm32, BELOW_4G, PM32_PAGES);
	if (EFI_ERROR(s)) {
		con_error("no memory below 4 GiB for pm32 (%s)", status_str(s));
		return EFI_OUT_OF_RESOURCES;
	}
	ZeroMem(phys_ptr(L.pm32.base), bytes);
	CopyMem(phys_ptr(L.pm32.base), (void *)pm32_blob, blob_size);

	pp = (struct pm32_params *)((UINT8 *)phys_ptr(L.pm32.base) + PM32_PARAMS_OFFSET);
	pp->kernel_entry = L.kinfo.entry;
	pp->boot_info = (UINT32)ptr_phys(L.bi);
	pp->stack_top = (UINT32)(L.pm32.base + bytes);
	if (L.staging.pages) {
		pp->copy_dst = (UINT32)span_base();
		pp->copy_src = (UINT32)L.staging.base;
		pp->copy_len = (UINT32)(L.staging.pages * EFI_PAGE_SIZE);
	}
	return EFI_SUCCESS;
}

/* ------------------------------------------------------------ final map */

/* The final map's buffer and conversion scratch, sized before the
 * GetMemoryMap/ExitBootServices loop, which must not allocate. A trial
 * conversion makes sure the table will fit after ExitBootServices. */
EFI_STATUS prepare_final_map(void)
{
	int n;
	EFI_STATUS s;

	s = fetch_map(&L.map, MAP_SPARE_DESCS);
	if (EFI_ERROR(s))
		return s;
	L.scratch_size = MEMMAP_SCRATCH_SIZE(L.map.cap / L.map.desc_size);
	s = BS->AllocatePool(EfiLoaderData, L.scratch_size, &L.scratch);
	if (EFI_ERROR(s)) {
		con_error("no memory for the memory map conversion (%s)", status_str(s));
		L.scratch = NULL;
		return EFI_OUT_OF_RESOURCES;
	}
	n = memmap_from_efi(L.map.buf, L.map.size, L.map.desc_size, L.scratch,
			    L.scratch_size, L.be820, BOOT_E820_MAX - E820_SPARE);
	if (n < 0) {
		con_error("the memory map (%lu descriptors) does not convert into "
			  "%u e820 entries: error %d",
			  (unsigned long)(L.map.size / L.map.desc_size),
			  BOOT_E820_MAX - E820_SPARE, n);
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}
