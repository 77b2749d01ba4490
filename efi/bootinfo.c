/* SPDX-License-Identifier: MIT */
/*
 * The boot_info block handed to the kernel (include/boot/bootinfo.h,
 * docs/boot-protocol.md): its pages below BOOT_DATA_LIMIT, the command
 * line, the module table, the ACPI RSDP from the configuration table
 * (UEFI 2.x §4.6; ACPI §5.2.5) and the GOP framebuffer (§12.9), in the
 * mode video=WIDTHxHEIGHT asks for when the firmware offers it.
 */
#include "loader.h"

/* One block for struct boot_info, the module table (room for
 * BOOT_MODULES_MAX: the block comes before the modules are read), room for
 * the e820 table (filled after ExitBootServices) and the command line. */
EFI_STATUS alloc_boot_data(void)
{
	UINTN off_mod = (sizeof(struct boot_info) + 7) & ~(UINTN)7;
	UINTN off_e820 = off_mod + BOOT_MODULES_MAX * sizeof(struct boot_module);
	UINTN off_cmd = off_e820 + BOOT_E820_MAX * sizeof(struct boot_e820_entry);
	UINTN bytes = off_cmd + L.cmdline_len + 1;
	UINT8 *p;
	EFI_STATUS s;

	s = alloc_outside_kernel(&L.boot_data, BOOT_DATA_LIMIT - 1,
				 EFI_SIZE_TO_PAGES(bytes));
	if (EFI_ERROR(s)) {
		con_error("no memory below 0x%llx for the boot data (%s)",
			  (unsigned long long)BOOT_DATA_LIMIT, status_str(s));
		return EFI_OUT_OF_RESOURCES;
	}
	p = phys_ptr(L.boot_data.base);
	ZeroMem(p, L.boot_data.pages * EFI_PAGE_SIZE);
	L.bi = (struct boot_info *)p;
	L.bmod = (struct boot_module *)(p + off_mod);
	L.be820 = (struct boot_e820_entry *)(p + off_e820);
	L.bcmdline = (char *)(p + off_cmd);
	return EFI_SUCCESS;
}

static bool guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	const UINT8 *x = (const UINT8 *)a, *y = (const UINT8 *)b;

	for (UINTN i = 0; i < sizeof(EFI_GUID); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* The "RSD PTR " signature and a zero byte sum over the first len bytes. */
static bool rsdp_ok(const UINT8 *r, UINTN len)
{
	static const char sig[8] = "RSD PTR ";
	UINT8 sum = 0;

	for (int i = 0; i < 8; i++)
		if (r[i] != (UINT8)sig[i])
			return false;
	for (UINTN i = 0; i < len; i++)
		sum = (UINT8)(sum + r[i]);
	return sum == 0;
}

/* ACPI 2.0+ RSDP first, then the 1.0 one (§4.6 configuration table). */
static void find_rsdp(struct boot_info *bi)
{
	static const EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	const EFI_GUID *want[2] = { &acpi20, &acpi10 };

	for (int w = 0; w < 2; w++) {
		for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
			EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
			const UINT8 *r = t->VendorTable;
			UINTN len;

			if (!guid_eq(&t->VendorGuid, want[w]) || !r)
				continue;
			len = r[15] >= 2 ? 36 : 20;	/* Revision */
			if (!rsdp_ok(r, 20) || (len == 36 && !rsdp_ok(r, 36))) {
				con_info("ACPI %s RSDP at 0x%llx fails its checksum: skipped",
					 w ? "1.0" : "2.0", (unsigned long long)ptr_phys(r));
				continue;
			}
			CopyMem(bi->rsdp, (void *)r, len);
			bi->rsdp_phys = ptr_phys(r);
			bi->flags |= BOOT_INFO_RSDP;
			con_info("ACPI RSDP revision %u at 0x%llx", r[15],
				 (unsigned long long)bi->rsdp_phys);
			return;
		}
	}
	con_info("no ACPI RSDP in the configuration table");
}

/* The number of bits up to and including m's highest set bit. */
static unsigned mask_bits(UINT32 m)
{
	unsigned hi = 0;

	for (unsigned b = 0; b < 32; b++)
		if (m & (1u << b))
			hi = b + 1;
	return hi;
}

/* "video=" on the command line: its value and length, or NULL. */
static const char *video_param(UINTN *len)
{
	static const char name[] = "video=";
	const char *s = L.cmdline;

	for (const char *p = s; *p; p++) {
		UINTN i = 0;

		if (p != s && p[-1] != ' ')
			continue;
		while (name[i] && p[i] == name[i])
			i++;
		if (name[i])
			continue;
		p += i;
		for (*len = 0; p[*len] && p[*len] != ' '; (*len)++)
			;
		return p;
	}
	return NULL;
}

/* Decimal digits up to 'stop' (or the end) into *v: false when there are
 * none, anything else or more than 5 of them. */
static bool parse_dim(const char **p, const char *end, char stop, UINT32 *v)
{
	const char *q = *p;

	*v = 0;
	while (q < end && *q >= '0' && *q <= '9' && q - *p < 5)
		*v = *v * 10 + (UINT32)(*q++ - '0');
	if (q == *p || (q < end ? *q != stop : stop != 0))
		return false;
	*p = q + (q < end);
	return true;
}

/*
 * video=WIDTHxHEIGHT: the first mode of that size with a linear
 * framebuffer (QueryMode over 0..MaxMode-1, then SetMode, §12.9). A value
 * of another form, or a size the firmware does not offer, gets one line
 * (the latter listing what it offers) and the current mode stays.
 */
static void select_mode(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop)
{
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi;
	const char *v, *p, *end;
	char offered[400];
	UINT32 w, h, mode;
	UINTN len, size, n = 0;
	EFI_STATUS s;

	v = video_param(&len);
	if (!v)
		return;
	p = v;
	end = v + len;
	if (!parse_dim(&p, end, 'x', &w) || !parse_dim(&p, end, 0, &h) || p != end) {
		con_info("video=%.*s: not WIDTHxHEIGHT; keeping the current mode", (int)len, v);
		return;
	}
	offered[0] = '\0';
	for (mode = 0; mode < gop->Mode->MaxMode; mode++) {
		if (EFI_ERROR(gop->QueryMode(gop, mode, &size, &mi)))
			continue;
		if (mi->PixelFormat != PixelBltOnly) {
			if (mi->HorizontalResolution == w && mi->VerticalResolution == h) {
				BS->FreePool(mi);
				break;
			}
			n += scnprintf(offered + n, sizeof(offered) - n, " %ux%u",
				       mi->HorizontalResolution, mi->VerticalResolution);
		}
		BS->FreePool(mi);
	}
	if (mode == gop->Mode->MaxMode) {
		con_info("video=%ux%u: not offered (modes:%s); keeping %ux%u", w, h,
			 offered, gop->Mode->Info->HorizontalResolution,
			 gop->Mode->Info->VerticalResolution);
		return;
	}
	if (mode == gop->Mode->Mode) {
		con_info("video=%ux%u: the current mode %u", w, h, mode);
		return;
	}
	s = gop->SetMode(gop, mode);
	if (EFI_ERROR(s))
		con_info("video=%ux%u: SetMode(%u) failed (%s); keeping the mode",
			 w, h, mode, status_str(s));
	else
		con_info("video=%ux%u: GOP mode %u set", w, h, mode);
}

/* The current GOP mode as a linear framebuffer (§12.9). */
static void find_framebuffer(struct boot_info *bi)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi;
	struct boot_framebuffer *fb = &bi->fb;
	EFI_STATUS s;

	s = BS->LocateProtocol(&GraphicsOutputProtocol, NULL, (void **)&gop);
	if (EFI_ERROR(s) || !gop || !gop->Mode || !gop->Mode->Info) {
		con_info("no graphics output protocol: no framebuffer");
		return;
	}
	select_mode(gop);
	mi = gop->Mode->Info;
	switch (mi->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->format = BOOT_FB_RGBX;
		fb->red_mask = 0x000000ff;
		fb->green_mask = 0x0000ff00;
		fb->blue_mask = 0x00ff0000;
		fb->reserved_mask = 0xff000000;
		fb->bpp = 32;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->format = BOOT_FB_BGRX;
		fb->red_mask = 0x00ff0000;
		fb->green_mask = 0x0000ff00;
		fb->blue_mask = 0x000000ff;
		fb->reserved_mask = 0xff000000;
		fb->bpp = 32;
		break;
	case PixelBitMask:
		fb->format = BOOT_FB_BITMASK;
		fb->red_mask = mi->PixelInformation.RedMask;
		fb->green_mask = mi->PixelInformation.GreenMask;
		fb->blue_mask = mi->PixelInformation.BlueMask;
		fb->reserved_mask = mi->PixelInformation.ReservedMask;
		fb->bpp = (mask_bits(fb->red_mask | fb->green_mask | fb->blue_mask |
				     fb->reserved_mask) + 7) & ~7u;
		break;
	default:
		con_info("GOP mode %u is PixelBltOnly (no linear framebuffer): "
			 "booting without a framebuffer", gop->Mode->Mode);
		ZeroMem(fb, sizeof(*fb));
		return;
	}
	if (fb->bpp == 0) {
		con_info("GOP pixel masks are empty: booting without a framebuffer");
		ZeroMem(fb, sizeof(*fb));
		return;
	}
	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = mi->HorizontalResolution;
	fb->height = mi->VerticalResolution;
	fb->pitch = mi->PixelsPerScanLine * (fb->bpp / 8);
	bi->flags |= BOOT_INFO_FB;
	con_info("framebuffer %ux%u, pitch %u, %u bpp, at 0x%llx (%llu bytes)",
		 fb->width, fb->height, fb->pitch, fb->bpp,
		 (unsigned long long)fb->base, (unsigned long long)fb->size);
}

/* Everything in boot_info but the e820 count, which only the final map
 * after ExitBootServices gives. */
void fill_boot_info(void)
{
	struct boot_info *bi = L.bi;

	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->firmware_bits = sizeof(void *) * 8;
	bi->firmware_revision = ST->FirmwareRevision;
	ascii_copy(bi->firmware_vendor, sizeof(bi->firmware_vendor),
		   ST->FirmwareVendor);

	CopyMem(L.bcmdline, L.cmdline, L.cmdline_len + 1);
	bi->cmdline_phys = ptr_phys(L.bcmdline);
	bi->cmdline_len = L.cmdline_len;

	for (unsigned i = 0; i < L.nr_modules; i++) {
		L.bmod[i].phys = L.mod[i].mem.base;
		L.bmod[i].size = L.mod[i].size;
		CopyMem(L.bmod[i].name, L.mod[i].name, sizeof(L.bmod[i].name));
	}
	bi->nr_modules = L.nr_modules;
	bi->modules_phys = L.nr_modules ? ptr_phys(L.bmod) : 0;
	bi->e820_phys = ptr_phys(L.be820);

	bi->kernel_phys_start = L.kinfo.phys_start;
	bi->kernel_phys_end = L.kinfo.phys_end;
	bi->loader_image_base = ptr_phys(L.li->ImageBase);
	bi->boot_data_phys = L.boot_data.base;
	bi->boot_data_size = (UINT64)L.boot_data.pages * EFI_PAGE_SIZE;
	bi->initrd_phys = L.initrd.pages ? L.initrd.base : 0;
	bi->initrd_size = L.initrd.pages ? L.initrd_size : 0;
	if (L.staging.pages)
		bi->flags |= BOOT_INFO_STAGED;

	find_rsdp(bi);
	find_framebuffer(bi);
}
