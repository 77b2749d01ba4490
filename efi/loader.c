/*
 * The UEFI loader (BOOTX64.EFI / BOOTIA32.EFI): reads the kernel, command
 * line and modules from its own volume (UEFI 2.x §13.4 Simple File System),
 * validates the kernel against the memory map and places it with the memory
 * allocation services (§7.2), finds the ACPI RSDP in the configuration table
 * (§4.6) and the framebuffer (§12.9 GOP), then leaves boot services (§7.4)
 * and enters the kernel through the pm32 shim (include/boot/pm32.h).
 */
#include <efi.h>
#include <efilib.h>
#include "efi_console.h"
#include "boot/bootinfo.h"
#include "boot/elf_kernel.h"
#include "boot/memmap.h"
#include "boot/pm32.h"

extern const unsigned char pm32_blob[], pm32_blob_end[];

#define PAGE_SIZE		4096u
#define PAGE_MASK		((UINT64)PAGE_SIZE - 1)
#define SIZE_TO_PAGES(b)	((UINTN)(((UINT64)(b) + PAGE_MASK) / PAGE_SIZE))
#define BELOW_4G		0xffffffffULL

#define KERNEL_FILE_MAX		(256u << 20)	/* no sane kernel is larger */
#define CMDLINE_FILE_MAX	(64u << 10)
#define MODULE_FILE_MAX		(256u << 20)
#define MAP_SPARE_DESCS		32	/* growth room in the final map buffer */
#define E820_SPARE		16	/* entries the final map may add */
#define EBS_TRIES		8
#define MAX_RESERVATIONS	64
#define RESERVE_PASSES		4
#define PM32_STACK_MIN		1024

#define KERNEL_PATH_A		"\\boot\\kernel.elf"
#define CMDLINE_PATH_A		"\\boot\\cmdline.txt"
#define MODULES_DIR_A		"\\boot\\modules"

/* One run of pages the loader owns: pages 0 means none. */
struct pages {
	EFI_PHYSICAL_ADDRESS base;
	UINTN pages;
};

struct module {
	char name[BOOT_MODULE_NAME_MAX];
	UINT64 size;
	struct pages mem;
};

/* Everything the loader holds, so that one function can release it all. */
static struct loader {
	EFI_HANDLE image;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root;
	int debug;			/* "loader.debug" on the command line */

	void *kernel;			/* pool: the kernel file */
	UINTN kernel_size;
	char cmdline[BOOT_CMDLINE_MAX];
	UINT32 cmdline_len;
	unsigned nr_modules;
	struct module mod[BOOT_MODULES_MAX];

	struct boot_e820_entry e820[BOOT_E820_MAX];	/* the current map */
	int nr_e820;
	struct elf_kernel_info kinfo;

	struct pages span;		/* the kernel in place (direct) */
	struct pages resv[MAX_RESERVATIONS];	/* free runs of the span (staged) */
	unsigned nr_resv;
	struct pages staging;		/* the staged image, moved by pm32 */
	struct pages boot_data;
	struct pages pm32;

	void *map;			/* pool: the final memory map */
	UINTN map_cap, desc_size;
	void *scratch;			/* pool: memmap_from_efi() work area */
	UINTN scratch_size;

	struct boot_info *bi;		/* inside boot_data */
	struct boot_module *bmod;
	struct boot_e820_entry *be820;
	char *bcmdline;
} L;

/* ------------------------------------------------------------------ helpers */

static void *phys_ptr(EFI_PHYSICAL_ADDRESS a)
{
	return (void *)(UINTN)a;
}

static EFI_PHYSICAL_ADDRESS ptr_phys(const void *p)
{
	return (EFI_PHYSICAL_ADDRESS)(UINTN)p;
}

static const char *status_str(EFI_STATUS s)
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
static void ascii_copy(char *dst, size_t n, const CHAR16 *src)
{
	size_t i = 0;

	for (; src && src[i] && i + 1 < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[i] = '\0';
}

/* ASCII path to UCS-2 for the file protocol. */
static void widen(CHAR16 *dst, size_t n, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < n; i++)
		dst[i] = (CHAR16)(unsigned char)src[i];
	dst[i] = 0;
}

static void free_pages(struct pages *p)
{
	if (p->pages)
		BS->FreePages(p->base, p->pages);
	p->base = 0;
	p->pages = 0;
}

static void free_pool(void **p)
{
	if (*p)
		BS->FreePool(*p);
	*p = NULL;
}

static int ranges_overlap(UINT64 a, UINT64 alen, UINT64 b, UINT64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* Releases everything the loader holds; safe to call at any point before
 * ExitBootServices. */
static void release_all(void)
{
	free_pool(&L.kernel);
	free_pool(&L.map);
	free_pool(&L.scratch);
	for (unsigned i = 0; i < L.nr_modules; i++)
		free_pages(&L.mod[i].mem);
	free_pages(&L.span);
	for (unsigned i = 0; i < L.nr_resv; i++)
		free_pages(&L.resv[i]);
	L.nr_resv = 0;
	free_pages(&L.staging);
	free_pages(&L.boot_data);
	free_pages(&L.pm32);
	if (L.root) {
		L.root->Close(L.root);
		L.root = NULL;
	}
}

/* ---------------------------------------------------------------- files */

static EFI_STATUS open_volume(void)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS s;

	s = BS->HandleProtocol(L.image, &LoadedImageProtocol, (void **)&L.li);
	if (EFI_ERROR(s)) {
		con_error("cannot get the loaded image protocol (%s)", status_str(s));
		return s;
	}
	s = BS->HandleProtocol(L.li->DeviceHandle, &FileSystemProtocol, (void **)&fs);
	if (EFI_ERROR(s)) {
		con_error("the boot device has no file system protocol (%s)",
			  status_str(s));
		return EFI_NOT_FOUND;
	}
	s = fs->OpenVolume(fs, &L.root);
	if (EFI_ERROR(s)) {
		con_error("cannot open the boot volume (%s)", status_str(s));
		L.root = NULL;
		return s;
	}
	return EFI_SUCCESS;
}

/* The EFI_FILE_INFO of an open file, in a buffer big enough for any
 * FAT long name. */
static union {
	EFI_FILE_INFO info;
	UINT8 raw[__builtin_offsetof(EFI_FILE_INFO, FileName) + 512 * sizeof(CHAR16)];
} file_info_buf;

static EFI_STATUS file_info(EFI_FILE_HANDLE f, EFI_FILE_INFO **info)
{
	UINTN sz = sizeof(file_info_buf);
	EFI_STATUS s = f->GetInfo(f, &GenericFileInfo, &sz, &file_info_buf);

	*info = &file_info_buf.info;
	return s;
}

/* Reads exactly size bytes from the start of f into dst. */
static EFI_STATUS read_exact(EFI_FILE_HANDLE f, void *dst, UINT64 size,
			     const char *path)
{
	UINT8 *p = dst;
	UINT64 done = 0;

	while (done < size) {
		UINTN chunk = (UINTN)(size - done > (16u << 20) ? (16u << 20) : size - done);
		EFI_STATUS s = f->Read(f, &chunk, p + done);

		if (EFI_ERROR(s) || chunk == 0) {
			con_error("%s: read failed after %llu of %llu bytes (%s)", path,
				  (unsigned long long)done, (unsigned long long)size,
				  EFI_ERROR(s) ? status_str(s) : "unexpected end of file");
			return EFI_ERROR(s) ? s : EFI_LOAD_ERROR;
		}
		done += chunk;
	}
	return EFI_SUCCESS;
}

/* Opens a regular file on the boot volume and returns its size. A missing
 * file returns EFI_NOT_FOUND without a message (callers word it). */
static EFI_STATUS open_file(const char *path, EFI_FILE_HANDLE *f, UINT64 *size,
			    UINT64 max)
{
	CHAR16 wpath[128];
	EFI_FILE_INFO *info;
	EFI_STATUS s;

	widen(wpath, sizeof(wpath) / sizeof(wpath[0]), path);
	s = L.root->Open(L.root, f, wpath, EFI_FILE_MODE_READ, 0);
	if (s == EFI_NOT_FOUND)
		return s;
	if (EFI_ERROR(s)) {
		con_error("%s: cannot open (%s)", path, status_str(s));
		return s;
	}
	s = file_info(*f, &info);
	if (EFI_ERROR(s)) {
		con_error("%s: cannot get the file size (%s)", path, status_str(s));
		goto fail;
	}
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		con_error("%s is a directory, not a file", path);
		s = EFI_LOAD_ERROR;
		goto fail;
	}
	if (info->FileSize > max) {
		con_error("%s is %llu bytes, more than the %llu this loader accepts",
			  path, (unsigned long long)info->FileSize,
			  (unsigned long long)max);
		s = EFI_OUT_OF_RESOURCES;
		goto fail;
	}
	*size = info->FileSize;
	return EFI_SUCCESS;
fail:
	(*f)->Close(*f);
	*f = NULL;
	return s;
}

static EFI_STATUS read_kernel(void)
{
	EFI_FILE_HANDLE f;
	UINT64 size;
	EFI_STATUS s;

	s = open_file(KERNEL_PATH_A, &f, &size, KERNEL_FILE_MAX);
	if (s == EFI_NOT_FOUND)
		con_error("%s not found on the boot volume", KERNEL_PATH_A);
	if (EFI_ERROR(s))
		return s;
	s = BS->AllocatePool(EfiLoaderData, size ? (UINTN)size : 1, &L.kernel);
	if (EFI_ERROR(s)) {
		con_error("%s: no memory for its %llu bytes (%s)", KERNEL_PATH_A,
			  (unsigned long long)size, status_str(s));
		L.kernel = NULL;
		f->Close(f);
		return EFI_OUT_OF_RESOURCES;
	}
	L.kernel_size = (UINTN)size;
	s = read_exact(f, L.kernel, size, KERNEL_PATH_A);
	f->Close(f);
	if (EFI_ERROR(s))
		free_pool(&L.kernel);
	return s;
}

static int has_word(const char *s, const char *w)
{
	size_t wl = 0;

	while (w[wl])
		wl++;
	for (const char *p = s; *p; p++) {
		size_t i = 0;

		if (p != s && p[-1] != ' ')
			continue;
		while (i < wl && p[i] == w[i])
			i++;
		if (i == wl && (p[i] == ' ' || p[i] == '\0'))
			return 1;
	}
	return 0;
}

/* The optional command line: printable ASCII only, trailing CR, LF and
 * spaces dropped. */
static EFI_STATUS read_cmdline(void)
{
	EFI_FILE_HANDLE f;
	UINT64 size;
	void *buf = NULL;
	const UINT8 *c;
	EFI_STATUS s;

	L.cmdline_len = 0;
	L.cmdline[0] = '\0';
	s = open_file(CMDLINE_PATH_A, &f, &size, CMDLINE_FILE_MAX);
	if (s == EFI_NOT_FOUND) {
		con_info("no %s: empty command line", CMDLINE_PATH_A);
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(s))
		return s;
	s = BS->AllocatePool(EfiLoaderData, size ? (UINTN)size : 1, &buf);
	if (EFI_ERROR(s)) {
		con_error("%s: no memory to read it (%s)", CMDLINE_PATH_A, status_str(s));
		f->Close(f);
		return EFI_OUT_OF_RESOURCES;
	}
	s = read_exact(f, buf, size, CMDLINE_PATH_A);
	f->Close(f);
	if (EFI_ERROR(s))
		goto out;

	c = buf;
	while (size && (c[size - 1] == '\r' || c[size - 1] == '\n' || c[size - 1] == ' '))
		size--;
	if (size > BOOT_CMDLINE_MAX - 1) {
		con_error("%s: %llu bytes after trimming, more than the %u allowed",
			  CMDLINE_PATH_A, (unsigned long long)size, BOOT_CMDLINE_MAX - 1);
		s = EFI_LOAD_ERROR;
		goto out;
	}
	for (UINTN i = 0; i < size; i++) {
		if (c[i] < 0x20 || c[i] > 0x7e) {
			con_error("%s: byte 0x%02x at offset %lu is not printable ASCII",
				  CMDLINE_PATH_A, c[i], (unsigned long)i);
			s = EFI_LOAD_ERROR;
			goto out;
		}
		L.cmdline[i] = (char)c[i];
	}
	L.cmdline[size] = '\0';
	L.cmdline_len = (UINT32)size;
	L.debug = has_word(L.cmdline, "loader.debug");
	con_info("command line: \"%s\"", L.cmdline);
out:
	free_pool(&buf);
	return s;
}

static int ends_with_ko(const CHAR16 *n, UINTN len)
{
	return len > 3 && n[len - 3] == L'.' &&
	       (n[len - 2] == L'k' || n[len - 2] == L'K') &&
	       (n[len - 1] == L'o' || n[len - 1] == L'O');
}

static int name_before(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a < (unsigned char)*b;
}

/* Lists \boot\modules\*.ko (names and sizes, sorted by name); the payloads
 * are read later, once the kernel's range is secured. */
static EFI_STATUS scan_modules(void)
{
	CHAR16 wpath[32];
	EFI_FILE_HANDLE dir;
	EFI_FILE_INFO *info;
	EFI_STATUS s;

	L.nr_modules = 0;
	widen(wpath, sizeof(wpath) / sizeof(wpath[0]), MODULES_DIR_A);
	s = L.root->Open(L.root, &dir, wpath, EFI_FILE_MODE_READ, 0);
	if (s == EFI_NOT_FOUND) {
		con_info("no %s directory: no modules", MODULES_DIR_A);
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(s)) {
		con_error("%s: cannot open (%s)", MODULES_DIR_A, status_str(s));
		return s;
	}
	s = file_info(dir, &info);
	if (EFI_ERROR(s) || !(info->Attribute & EFI_FILE_DIRECTORY)) {
		con_error("%s is not a directory", MODULES_DIR_A);
		dir->Close(dir);
		return EFI_LOAD_ERROR;
	}

	for (;;) {
		UINTN sz = sizeof(file_info_buf), len = 0;
		char shown[64];		/* the entry's name, for messages */
		struct module *m;
		unsigned j;

		s = dir->Read(dir, &sz, &file_info_buf);
		if (s == EFI_BUFFER_TOO_SMALL) {
			con_error("%s: an entry's name is too long", MODULES_DIR_A);
			s = EFI_LOAD_ERROR;
			break;
		}
		if (EFI_ERROR(s)) {
			con_error("%s: cannot list (%s)", MODULES_DIR_A, status_str(s));
			break;
		}
		if (sz == 0)
			break;		/* end of directory */
		info = &file_info_buf.info;
		if (info->Attribute & EFI_FILE_DIRECTORY)
			continue;
		while (info->FileName[len])
			len++;
		if (!ends_with_ko(info->FileName, len))
			continue;
		ascii_copy(shown, sizeof(shown), info->FileName);
		if (L.nr_modules == BOOT_MODULES_MAX) {
			con_error("%s holds more than %u modules", MODULES_DIR_A,
				  BOOT_MODULES_MAX);
			s = EFI_OUT_OF_RESOURCES;
			break;
		}
		if (len > BOOT_MODULE_NAME_MAX - 1) {
			con_error("%s\\%s: the name is %lu characters, more than %u",
				  MODULES_DIR_A, shown, (unsigned long)len,
				  BOOT_MODULE_NAME_MAX - 1);
			s = EFI_LOAD_ERROR;
			break;
		}
		if (info->FileSize > MODULE_FILE_MAX) {
			con_error("%s\\%s is %llu bytes, more than the %u this "
				  "loader accepts", MODULES_DIR_A, shown,
				  (unsigned long long)info->FileSize, MODULE_FILE_MAX);
			s = EFI_OUT_OF_RESOURCES;
			break;
		}
		/* Insert in name order, for a load order that does not depend
		 * on the directory's history. */
		m = &L.mod[L.nr_modules];
		for (UINTN i = 0; i < len; i++) {
			CHAR16 ch = info->FileName[i];

			if (ch < 0x21 || ch > 0x7e) {
				con_error("%s\\%s: the name has the non-ASCII or blank "
					  "character U+%04x", MODULES_DIR_A, shown,
					  (unsigned)ch);
				s = EFI_LOAD_ERROR;
				goto done;
			}
			m->name[i] = (char)ch;
		}
		m->name[len] = '\0';
		m->size = info->FileSize;
		m->mem.base = 0;
		m->mem.pages = 0;
		for (j = L.nr_modules; j > 0 && name_before(m->name, L.mod[j - 1].name); j--) {
			struct module t = L.mod[j];

			L.mod[j] = L.mod[j - 1];
			L.mod[j - 1] = t;
			m = &L.mod[j - 1];
		}
		L.nr_modules++;
	}
done:
	dir->Close(dir);
	if (EFI_ERROR(s))
		L.nr_modules = 0;
	return s;
}

/* Reads every listed module into its own pages below BOOT_DATA_LIMIT. */
static EFI_STATUS load_modules(void)
{
	for (unsigned i = 0; i < L.nr_modules; i++) {
		struct module *m = &L.mod[i];
		char path[sizeof(MODULES_DIR_A) + BOOT_MODULE_NAME_MAX + 1];
		EFI_FILE_HANDLE f;
		UINT64 size;
		EFI_STATUS s;

		con_format(path, sizeof(path), "%s\\%s", MODULES_DIR_A, m->name);
		s = open_file(path, &f, &size, MODULE_FILE_MAX);
		if (s == EFI_NOT_FOUND)
			con_error("%s disappeared while loading", path);
		if (EFI_ERROR(s))
			return s;
		m->size = size;
		m->mem.base = BOOT_DATA_LIMIT - 1;
		m->mem.pages = size ? SIZE_TO_PAGES(size) : 1;
		s = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, m->mem.pages,
				      &m->mem.base);
		if (EFI_ERROR(s)) {
			con_error("%s: no memory below 0x%llx for its %llu bytes (%s)",
				  path, (unsigned long long)BOOT_DATA_LIMIT,
				  (unsigned long long)size, status_str(s));
			m->mem.pages = 0;
			f->Close(f);
			return EFI_OUT_OF_RESOURCES;
		}
		s = read_exact(f, phys_ptr(m->mem.base), size, path);
		f->Close(f);
		if (EFI_ERROR(s))
			return s;
		/* A defined tail: the kernel may map whole pages. */
		ZeroMem((UINT8 *)phys_ptr(m->mem.base) + size,
			m->mem.pages * PAGE_SIZE - (UINTN)size);
		con_info("module %s: %llu bytes at 0x%llx", m->name,
			 (unsigned long long)size, (unsigned long long)m->mem.base);
	}
	return EFI_SUCCESS;
}

/* ------------------------------------------------------------ memory map */

/* The current map in a new pool buffer with room for spare more
 * descriptors; the caller frees *map. */
static EFI_STATUS fetch_map(void **map, UINTN *size, UINTN *cap, UINTN *key,
			    UINTN *desc_size, UINTN spare)
{
	UINT32 ver;
	EFI_STATUS s = EFI_BUFFER_TOO_SMALL;

	*map = NULL;
	for (int tries = 0; tries < 4 && s == EFI_BUFFER_TOO_SMALL; tries++) {
		*size = 0;
		s = BS->GetMemoryMap(size, NULL, key, desc_size, &ver);
		if (s != EFI_BUFFER_TOO_SMALL)
			break;
		/* The pool allocation itself may add descriptors. */
		*cap = *size + (spare + 2) * *desc_size;
		s = BS->AllocatePool(EfiLoaderData, *cap, map);
		if (EFI_ERROR(s)) {
			*map = NULL;
			break;
		}
		*size = *cap;
		s = BS->GetMemoryMap(size, *map, key, desc_size, &ver);
		if (EFI_ERROR(s))
			free_pool(map);
	}
	if (EFI_ERROR(s))
		con_error("cannot get the memory map (%s)", status_str(s));
	return s;
}

/* Converts the current map into L.e820. */
static EFI_STATUS current_e820(void)
{
	void *map, *scratch = NULL;
	UINTN size, cap, key, dsz, nd;
	EFI_STATUS s;

	s = fetch_map(&map, &size, &cap, &key, &dsz, 8);
	if (EFI_ERROR(s))
		return s;
	nd = size / dsz;
	s = BS->AllocatePool(EfiLoaderData, MEMMAP_SCRATCH_SIZE(nd) + 8, &scratch);
	if (EFI_ERROR(s)) {
		con_error("no memory to convert the memory map (%s)", status_str(s));
		free_pool(&map);
		return EFI_OUT_OF_RESOURCES;
	}
	L.nr_e820 = memmap_from_efi(map, size, dsz, scratch,
				    MEMMAP_SCRATCH_SIZE(nd) + 8, L.e820, BOOT_E820_MAX);
	free_pool(&scratch);
	free_pool(&map);
	if (L.nr_e820 < 0) {
		con_error("cannot convert the memory map (%lu descriptors of %lu "
			  "bytes): error %d", (unsigned long)nd, (unsigned long)dsz,
			  L.nr_e820);
		return EFI_LOAD_ERROR;
	}
	if (L.debug) {
		con_info("memory map: %lu UEFI descriptors -> %d e820 entries",
			 (unsigned long)nd, L.nr_e820);
		for (int i = 0; i < L.nr_e820; i++)
			con_info("  [0x%llx-0x%llx) type %u",
				 (unsigned long long)L.e820[i].addr,
				 (unsigned long long)(L.e820[i].addr + L.e820[i].size),
				 L.e820[i].type);
	}
	return EFI_SUCCESS;
}

static EFI_STATUS validate_kernel(void)
{
	char msg[ELF_KERNEL_MSG_MAX];
	int err;

	err = elf_kernel_validate(L.kernel, L.kernel_size, L.e820, (size_t)L.nr_e820,
				  &L.kinfo, msg, sizeof(msg));
	if (err == ELFK_OK)
		return EFI_SUCCESS;
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

/* Copies the segments to dst, laid out as from phys_start, zeroing the
 * bss parts and any gaps. */
static void fill_image(UINT8 *dst, UINTN span_bytes)
{
	const struct elf_kernel_info *k = &L.kinfo;
	UINT64 base = k->phys_start & ~PAGE_MASK;

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
		void *map;
		UINTN size, cap, key, dsz;
		EFI_STATUS s;
		int raced = 0;

		s = fetch_map(&map, &size, &cap, &key, &dsz, 8);
		if (EFI_ERROR(s))
			return s;
		for (UINTN off = 0; off + dsz <= size; off += dsz) {
			EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + off);
			UINT64 lo = d->PhysicalStart;
			UINT64 hi = lo + d->NumberOfPages * PAGE_SIZE;
			EFI_PHYSICAL_ADDRESS at;

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
				free_pool(&map);
				return EFI_OUT_OF_RESOURCES;
			}
			at = lo;
			s = BS->AllocatePages(AllocateAddress, EfiLoaderData,
					      (UINTN)((hi - lo) / PAGE_SIZE), &at);
			if (EFI_ERROR(s)) {
				raced = 1;	/* the map changed under us: look again */
				continue;
			}
			L.resv[L.nr_resv].base = at;
			L.resv[L.nr_resv].pages = (UINTN)((hi - lo) / PAGE_SIZE);
			L.nr_resv++;
		}
		free_pool(&map);
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
	void *map;
	UINTN size, cap, key, dsz;

	if (!L.debug || EFI_ERROR(fetch_map(&map, &size, &cap, &key, &dsz, 0)))
		return;
	for (UINTN off = 0; off + dsz <= size; off += dsz) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + off);
		UINT64 lo = d->PhysicalStart, hi = lo + d->NumberOfPages * PAGE_SIZE;

		if (lo < end && hi > base)
			con_info("  UEFI type %u at [0x%llx-0x%llx)", d->Type,
				 (unsigned long long)lo, (unsigned long long)hi);
	}
	free_pool(&map);
}

static EFI_STATUS place_kernel(void)
{
	const struct elf_kernel_info *k = &L.kinfo;
	UINT64 base = k->phys_start & ~PAGE_MASK;
	UINT64 end = (k->phys_end + PAGE_MASK) & ~PAGE_MASK;
	UINTN pages = (UINTN)((end - base) / PAGE_SIZE);
	EFI_PHYSICAL_ADDRESS at = base;
	EFI_STATUS s;

	s = BS->AllocatePages(AllocateAddress, EfiLoaderData, pages, &at);
	if (!EFI_ERROR(s)) {
		L.span.base = at;
		L.span.pages = pages;
		fill_image(phys_ptr(at), pages * PAGE_SIZE);
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
	L.staging.base = BELOW_4G;
	s = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages, &L.staging.base);
	if (EFI_ERROR(s)) {
		con_error("no memory below 4 GiB to stage the %lu-page kernel (%s)",
			  (unsigned long)pages, status_str(s));
		L.staging.base = 0;
		return EFI_OUT_OF_RESOURCES;
	}
	L.staging.pages = pages;
	fill_image(phys_ptr(L.staging.base), pages * PAGE_SIZE);
	con_info("kernel: %u segments staged at 0x%llx for [0x%llx-0x%llx), entry 0x%x",
		 k->nr_segments, (unsigned long long)L.staging.base,
		 (unsigned long long)base, (unsigned long long)end, k->entry);
	return EFI_SUCCESS;
}

/* ------------------------------------------------------------ boot data */

static EFI_STATUS alloc_boot_data(void)
{
	UINTN off_mod = (sizeof(struct boot_info) + 7) & ~(UINTN)7;
	UINTN off_e820 = off_mod + L.nr_modules * sizeof(struct boot_module);
	UINTN off_cmd = off_e820 + BOOT_E820_MAX * sizeof(struct boot_e820_entry);
	UINTN bytes = off_cmd + L.cmdline_len + 1;
	UINT8 *p;
	EFI_STATUS s;

	L.boot_data.base = BOOT_DATA_LIMIT - 1;
	L.boot_data.pages = SIZE_TO_PAGES(bytes);
	s = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, L.boot_data.pages,
			      &L.boot_data.base);
	if (EFI_ERROR(s)) {
		con_error("no memory below 0x%llx for the boot data (%s)",
			  (unsigned long long)BOOT_DATA_LIMIT, status_str(s));
		L.boot_data.pages = 0;
		return EFI_OUT_OF_RESOURCES;
	}
	p = phys_ptr(L.boot_data.base);
	ZeroMem(p, L.boot_data.pages * PAGE_SIZE);
	L.bi = (struct boot_info *)p;
	L.bmod = (struct boot_module *)(p + off_mod);
	L.be820 = (struct boot_e820_entry *)(p + off_e820);
	L.bcmdline = (char *)(p + off_cmd);
	return EFI_SUCCESS;
}

static int guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	const UINT8 *x = (const UINT8 *)a, *y = (const UINT8 *)b;

	for (UINTN i = 0; i < sizeof(EFI_GUID); i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static int rsdp_ok(const UINT8 *r, UINTN len)
{
	static const char sig[8] = "RSD PTR ";
	UINT8 sum = 0;

	for (int i = 0; i < 8; i++)
		if (r[i] != (UINT8)sig[i])
			return 0;
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

static unsigned mask_bits(UINT32 m)
{
	unsigned hi = 0;

	for (unsigned b = 0; b < 32; b++)
		if (m & (1u << b))
			hi = b + 1;
	return hi;
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

static void fill_boot_info(void)
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
	bi->boot_data_size = (UINT64)L.boot_data.pages * PAGE_SIZE;
	if (L.staging.pages)
		bi->flags |= BOOT_INFO_STAGED;

	find_rsdp(bi);
	find_framebuffer(bi);
}

/* ------------------------------------------------------------------ pm32 */

static EFI_STATUS prepare_pm32(void)
{
	UINTN blob_size = (UINTN)(pm32_blob_end - pm32_blob);
	UINTN bytes = PM32_PAGES * PAGE_SIZE;
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
	L.pm32.base = BELOW_4G;
	s = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, PM32_PAGES, &L.pm32.base);
	if (EFI_ERROR(s)) {
		con_error("no memory below 4 GiB for pm32 (%s)", status_str(s));
		L.pm32.base = 0;
		return EFI_OUT_OF_RESOURCES;
	}
	L.pm32.pages = PM32_PAGES;
	ZeroMem(phys_ptr(L.pm32.base), bytes);
	CopyMem(phys_ptr(L.pm32.base), (void *)pm32_blob, blob_size);

	pp = (struct pm32_params *)((UINT8 *)phys_ptr(L.pm32.base) + PM32_PARAMS_OFFSET);
	pp->kernel_entry = L.kinfo.entry;
	pp->boot_info = (UINT32)ptr_phys(L.bi);
	pp->stack_top = (UINT32)(L.pm32.base + bytes);
	if (L.staging.pages) {
		pp->copy_dst = (UINT32)(L.kinfo.phys_start & ~PAGE_MASK);
		pp->copy_src = (UINT32)L.staging.base;
		pp->copy_len = (UINT32)(L.staging.pages * PAGE_SIZE);
	}
	return EFI_SUCCESS;
}

/* No allocation the kernel needs may lie where pm32 will move the image. */
static EFI_STATUS check_clear_of_span(void)
{
	UINT64 base = L.kinfo.phys_start & ~PAGE_MASK;
	UINT64 len = ((L.kinfo.phys_end + PAGE_MASK) & ~PAGE_MASK) - base;
	const struct pages *keep[3 + BOOT_MODULES_MAX];
	unsigned n = 0;

	if (!L.staging.pages)
		return EFI_SUCCESS;
	keep[n++] = &L.staging;
	keep[n++] = &L.boot_data;
	keep[n++] = &L.pm32;
	for (unsigned i = 0; i < L.nr_modules; i++)
		keep[n++] = &L.mod[i].mem;
	for (unsigned i = 0; i < n; i++) {
		if (ranges_overlap(keep[i]->base, (UINT64)keep[i]->pages * PAGE_SIZE,
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

/* The final map's buffer and conversion scratch, sized before the
 * GetMemoryMap/ExitBootServices loop, which must not allocate. A trial
 * conversion makes sure the table will fit after ExitBootServices. */
static EFI_STATUS prepare_final_map(void)
{
	UINTN size, key;
	int n;
	EFI_STATUS s;

	s = fetch_map(&L.map, &size, &L.map_cap, &key, &L.desc_size, MAP_SPARE_DESCS);
	if (EFI_ERROR(s))
		return s;
	L.scratch_size = MEMMAP_SCRATCH_SIZE(L.map_cap / L.desc_size);
	s = BS->AllocatePool(EfiLoaderData, L.scratch_size, &L.scratch);
	if (EFI_ERROR(s)) {
		con_error("no memory for the memory map conversion (%s)", status_str(s));
		L.scratch = NULL;
		return EFI_OUT_OF_RESOURCES;
	}
	n = memmap_from_efi(L.map, size, L.desc_size, L.scratch, L.scratch_size,
			    L.be820, BOOT_E820_MAX - E820_SPARE);
	if (n < 0) {
		con_error("the memory map (%lu descriptors) does not convert into "
			  "%u e820 entries: error %d", (unsigned long)(size / L.desc_size),
			  BOOT_E820_MAX - E820_SPARE, n);
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
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
	con_info("%s: valid ELF32, %u segments [0x%llx-0x%llx), entry 0x%x",
		 KERNEL_PATH_A, L.kinfo.nr_segments,
		 (unsigned long long)L.kinfo.phys_start,
		 (unsigned long long)L.kinfo.phys_end, L.kinfo.entry);

	/* The kernel's range first, so that nothing allocated later can
	 * land inside it. */
	STEP(place_kernel());
	free_pool(&L.kernel);
	STEP(load_modules());
	STEP(alloc_boot_data());
	fill_boot_info();
	STEP(prepare_pm32());
	/* Pages the firmware freed inside the range since the first pass. */
	if (L.staging.pages)
		STEP(reserve_free_runs(L.kinfo.phys_start & ~PAGE_MASK,
				       (L.kinfo.phys_end + PAGE_MASK) & ~PAGE_MASK));
	STEP(check_clear_of_span());
	STEP(prepare_final_map());
	return EFI_SUCCESS;
}

static void __attribute__((noreturn)) halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	char vendor[64];
	UINTN size = 0, key = 0, dsz = 0;
	UINT32 dver = 0;
	int n, attempted = 0;
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

	s = prepare();
	if (EFI_ERROR(s)) {
		release_all();
		con_info("returning %s to the firmware", status_str(s));
		return s;
	}

	con_info("exiting boot services, jumping to kernel entry 0x%x", L.kinfo.entry);

	/* Nothing but GetMemoryMap between the tries (§7.4). */
	for (int i = 0; i < EBS_TRIES; i++) {
		size = L.map_cap;
		s = BS->GetMemoryMap(&size, L.map, &key, &dsz, &dver);
		if (EFI_ERROR(s))
			break;
		s = BS->ExitBootServices(image, key);
		attempted = 1;
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

	n = memmap_from_efi(L.map, size, dsz, L.scratch, L.scratch_size,
			    L.be820, BOOT_E820_MAX);
	if (n < 0) {
		con_error("the final memory map does not convert (error %d): halting", n);
		halt();
	}
	L.bi->nr_e820 = (UINT32)n;
	if (L.debug) {
		con_info("final e820 map: %d entries", n);
		for (int i = 0; i < n; i++)
			con_info("  [0x%llx-0x%llx) type %u",
				 (unsigned long long)L.be820[i].addr,
				 (unsigned long long)(L.be820[i].addr + L.be820[i].size),
				 L.be820[i].type);
	}

	((void (*)(void))phys_ptr(L.pm32.base))();
	halt();
}
