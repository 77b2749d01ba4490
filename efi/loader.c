/* SPDX-License-Identifier: MIT */
/*
 * The UEFI loader's entry (BOOTX64.EFI / BOOTIA32.EFI, UEFI 2.x §4.1):
 * prepares everything the kernel needs while boot services last, then
 * leaves them (§7.4 ExitBootServices) and enters the kernel through the
 * pm32 shim (include/boot/pm32.h); the steps live in files.c, place.c and
 * bootinfo.c, their shared state in loader.h.
 */
#include "asm/processor-flags.h"
#include "asm/qemu.h"
#include "asm/x86.h"
#include "loader.h"
#include "boot/loader_checks.h"
#include "boot/memmap.h"
#include "kernel/cmdline.h"

#define EBS_TRIES		8
#define ERROR_PAUSE_S		10	/* the reader's time before the firmware goes on */

/* The harness's stand-in for a CPU without PAE: a number whose bits are
 * taken out of CPUID leaf 1's EDX, from QEMU's command line only. */
#define CPUID_TEST_FILE		"opt/pae32/cpuid-1-edx-clear"

struct loader L;

/* ------------------------------------------------------------------ helpers */

const char *status_str(EFI_STATUS s)
{
	switch (s) {
	case EFI_SUCCESS:		return "success";
	case EFI_LOAD_ERROR:		return "EFI_LOAD_ERROR";
	case EFI_INVALID_PARAMETER:	return "EFI_INVALID_PARAMETER";
	case EFI_UNSUPPORTED:		return "EFI_UNSUPPORTED";
	case EFI_BAD_BUFFER_SIZE:	return "EFI_BAD_BUFFER_SIZE";
	case EFI_BUFFER_TOO_SMALL:	return "EFI_BUFFER_TOO_SMALL";
	case EFI_NOT_READY:		return "EFI_NOT_READY";
	case EFI_DEVICE_ERROR:		return "EFI_DEVICE_ERROR";
	case EFI_WRITE_PROTECTED:	return "EFI_WRITE_PROTECTED";
	case EFI_OUT_OF_RESOURCES:	return "EFI_OUT_OF_RESOURCES";
	case EFI_VOLUME_CORRUPTED:	return "EFI_VOLUME_CORRUPTED";
	case EFI_NO_MEDIA:		return "EFI_NO_MEDIA";
	case EFI_NOT_FOUND:		return "EFI_NOT_FOUND";
	case EFI_ACCESS_DENIED:		return "EFI_ACCESS_DENIED";
	case EFI_END_OF_FILE:		return "EFI_END_OF_FILE";
	default:			return "EFI error";
	}
}

/* UCS-2 to ASCII for messages and boot_info, truncated to fit, anything
 * not printable ASCII shown as '?'. */
void ascii_copy(char *dst, size_t n, const CHAR16 *src)
{
	size_t i = 0;

	for (; src && src[i] && i + 1 < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[i] = '\0';
}

/* Allocates pages of LoaderData at addr (AllocateAddress) or below it
 * (AllocateMaxAddress) into *p; on failure *p holds nothing. */
EFI_STATUS efi_alloc_pages(struct pages *p, EFI_ALLOCATE_TYPE type,
			   EFI_PHYSICAL_ADDRESS addr, UINTN pages)
{
	EFI_STATUS s = BS->AllocatePages(type, EfiLoaderData, pages, &addr);

	p->base = EFI_ERROR(s) ? 0 : addr;
	p->pages = EFI_ERROR(s) ? 0 : pages;
	return s;
}

/* Releases everything the loader holds; safe to call at any point before
 * ExitBootServices. */
static void release_all(void)
{
	efi_free_pool(&L.kernel);
	efi_free_pool(&L.map.buf);
	efi_free_pool(&L.scratch);
	for (unsigned i = 0; i < L.nr_modules; i++)
		efi_free_pages(&L.mod[i].mem);
	efi_free_pages(&L.initrd);
	efi_free_pages(&L.span);
	for (unsigned i = 0; i < L.nr_resv; i++)
		efi_free_pages(&L.resv[i]);
	L.nr_resv = 0;
	efi_free_pages(&L.staging);
	efi_free_pages(&L.boot_data);
	efi_free_pages(&L.pm32);
	if (L.root) {
		L.root->Close(L.root);
		L.root = NULL;
	}
}

/* ------------------------------------------------------------------- CPU */

/* Whether CPUID exists: EFLAGS.ID can be flipped (SDM vol. 1 §3.4.3.3).
 * Every x86-64 CPU has it. */
static bool has_cpuid(void)
{
#ifdef __x86_64__
	return true;
#else
	unsigned long flipped, saved;

	__asm__ volatile("pushfl\n\t"
			 "popl %1\n\t"
			 "movl %1, %0\n\t"
			 "xorl %2, %0\n\t"
			 "pushl %0\n\t"
			 "popfl\n\t"
			 "pushfl\n\t"
			 "popl %0\n\t"
			 "pushl %1\n\t"
			 "popfl"
			 : "=&r"(flipped), "=&r"(saved) : "i"(X86_EFLAGS_ID) : "cc");
	return (flipped ^ saved) & X86_EFLAGS_ID;
#endif
}

/* CPUID_TEST_FILE's mask, read only on an emulator (port 0xE9 echoes);
 * 0 without it. */
static uint32_t cpuid_test_clear(void)
{
	char buf[16];
	unsigned int mask;
	int64_t size;

	if (!debugcon_echoes() || !fw_cfg_signature_ok())
		return 0;
	size = fw_cfg_select_file(CPUID_TEST_FILE);
	if (size < 0)
		return 0;
	if ((uint64_t)size >= sizeof(buf)) {
		con_info("fw_cfg %s: %lld bytes, not a number: ignored", CPUID_TEST_FILE,
			 (long long)size);
		return 0;
	}
	fw_cfg_read(buf, (size_t)size);
	buf[size] = '\0';
	if (kstrtouint(buf, 0, &mask)) {
		con_info("fw_cfg %s: '%s' is not a number: ignored", CPUID_TEST_FILE, buf);
		return 0;
	}
	con_info("fw_cfg %s: a test takes 0x%x out of CPUID leaf 1 EDX",
		 CPUID_TEST_FILE, mask);
	return mask;
}

/*
 * The kernel cannot run without PAE paging (kernel/head.asm stops there,
 * after ExitBootServices, where only COM1 might show it): say so on the
 * firmware's console and COM1 while both work, and give control back.
 */
static EFI_STATUS check_cpu(void)
{
	uint32_t max_leaf = 0, edx1 = 0, a, b, c;
	bool id = has_cpuid();
	const char *why;

	if (id) {
		cpuid(0, &max_leaf, &b, &c, &a);
		if (max_leaf >= 1)
			cpuid(1, &a, &b, &c, &edx1);
		edx1 &= ~cpuid_test_clear();
	}
	why = cpu_check(id, max_leaf, edx1);
	if (!why)
		return EFI_SUCCESS;
	con_error("this CPU cannot run the kernel: %s; it needs PAE paging "
		  "(a Pentium Pro or later)", why);
	return EFI_UNSUPPORTED;
}

/* ------------------------------------------------------------------ entry */

/* Runs one step of prepare(); the step has printed why it failed. */
#define STEP(call) do { \
	EFI_STATUS step_status = (call); \
	if (EFI_ERROR(step_status)) \
		return step_status; \
} while (0)

static EFI_STATUS prepare(void)
{
	STEP(open_volume());
	STEP(read_kernel());
	STEP(read_cmdline());
	STEP(scan_modules());
	STEP(current_e820());
	STEP(validate_kernel());

	/* The kernel's range first, so that nothing allocated later can
	 * land inside it; then what the hand-over needs, and the modules
	 * last: one that finds no memory is left out, and the boot goes on. */
	STEP(place_kernel());
	efi_free_pool(&L.kernel);
	STEP(alloc_boot_data());
	STEP(prepare_pm32());
	STEP(load_modules());
	STEP(load_initrd());
	fill_boot_info();
	STEP(guard_span());
	STEP(prepare_final_map());
	return EFI_SUCCESS;
}

/*
 * After a fault that stops the boot: a person at the screen can read why
 * before the firmware moves on to its next boot option (which may clear
 * the screen), for ERROR_PAUSE_S seconds or until a key (§7.1 timer
 * events, §12.3 WaitForKey).
 */
static void pause_for_reader(void)
{
	EFI_EVENT ev[2];
	EFI_INPUT_KEY key;
	UINTN which;

	if (!ST->ConIn || EFI_ERROR(BS->CreateEvent(EVT_TIMER, 0, NULL, NULL, &ev[1]))) {
		BS->Stall(ERROR_PAUSE_S * 1000000UL);
		return;
	}
	ev[0] = ST->ConIn->WaitForKey;
	BS->SetTimer(ev[1], TimerRelative, ERROR_PAUSE_S * 10000000ULL);
	if (!EFI_ERROR(BS->WaitForEvent(2, ev, &which)) && which == 0)
		ST->ConIn->ReadKeyStroke(ST->ConIn, &key);
	BS->CloseEvent(ev[1]);
}

static void __attribute__((noreturn)) halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	char vendor[64];
	UINT32 dver = 0;
	bool attempted = false;
	int n;
	EFI_STATUS s;

	InitializeLib(image, systab);
	con_init(systab);
	L.image = image;
	BS->SetWatchdogTimer(0, 0, 0, NULL);

	ascii_copy(vendor, sizeof(vendor), ST->FirmwareVendor);
	con_info("%s UEFI firmware: %s, revision 0x%x, UEFI %u.%u",
		 sizeof(void *) == 8 ? "x64" : "IA32", vendor,
		 ST->FirmwareRevision, ST->Hdr.Revision >> 16,
		 (ST->Hdr.Revision & 0xffff) / 10);

	s = check_cpu();
	if (!EFI_ERROR(s))
		s = prepare();
	if (EFI_ERROR(s)) {
		release_all();
		con_info("returning %s to the firmware in %d s, or at a key",
			 status_str(s), ERROR_PAUSE_S);
		pause_for_reader();
		return s;
	}

	con_info("exiting boot services, jumping to kernel entry 0x%x", L.kinfo.entry);

	/* Nothing but GetMemoryMap between the tries (§7.4). */
	for (int i = 0; i < EBS_TRIES; i++) {
		L.map.size = L.map.cap;
		s = BS->GetMemoryMap(&L.map.size, L.map.buf, &L.map.key,
				     &L.map.desc_size, &dver);
		if (EFI_ERROR(s))
			break;
		s = BS->ExitBootServices(image, L.map.key);
		attempted = true;
		if (s != EFI_INVALID_PARAMETER)
			break;
	}
	if (EFI_ERROR(s)) {
		if (!attempted) {
			con_error("GetMemoryMap before ExitBootServices failed (%s)",
				  status_str(s));
			release_all();
			return s;
		}
		/* Boot services may be half gone: COM1 only, nothing freed. */
		con_boot_services_gone();
		con_error("ExitBootServices failed (%s) after %d tries", status_str(s),
			  EBS_TRIES);
		return s;
	}
	con_boot_services_gone();

	n = memmap_from_efi(L.map.buf, L.map.size, L.map.desc_size, L.scratch,
			    L.scratch_size, L.be820, BOOT_E820_MAX);
	if (n < 0) {
		con_error("the final memory map does not convert (error %d): halting", n);
		halt_forever();
	}
	L.bi->nr_e820 = (UINT32)n;
	if (L.debug) {
		con_info("final e820 map: %d entries", n);
		show_e820(L.be820, n);
	}

	((void (*)(void))phys_ptr(L.pm32.base))();
	halt_forever();
}
