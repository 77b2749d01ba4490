/* SPDX-License-Identifier: MIT */
/*
 * The loader's reads from its own boot volume: \boot\kernel.elf,
 * \boot\cmdline.txt and \boot\modules\*.ko, through the loaded image's
 * device (UEFI 2.x §9.1 Loaded Image), its Simple File System (§13.4) and
 * the File Protocol (§13.5, EFI_FILE_INFO for sizes and directory entries).
 */
#include "loader.h"

#define KERNEL_FILE_MAX		(256u << 20)	/* no sane kernel is larger */
#define CMDLINE_FILE_MAX	(64u << 10)
#define MODULE_FILE_MAX		(256u << 20)
#define READ_CHUNK		(16u << 20)	/* bytes per File.Read call */

#define CMDLINE_PATH_A		"\\boot\\cmdline.txt"
#define MODULES_DIR_A		"\\boot\\modules"

EFI_STATUS open_volume(void)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS s;

	s = BS->HandleProtocol(L.image, &LoadedImageProtocol, (void **)&L.li);
	if (EFI_ERROR(s)) {
		con_error("cannot get the loaded image protocol (%s)", status_str(s));
		return s;
	}
	/* For the debugger: the loader's symbols go at this address
	 * (docs/debugging.md, gdb's loader-symbols). */
	con_info("image base 0x%llx", (unsigned long long)ptr_phys(L.li->ImageBase));
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

/* The EFI_FILE_INFO of an open file or directory entry, in a buffer big
 * enough for any FAT long name. */
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

/* Opens an ASCII path on the boot volume for reading. A missing path
 * returns EFI_NOT_FOUND without a message (callers word it). */
static EFI_STATUS open_path(const char *path, EFI_FILE_HANDLE *f)
{
	CHAR16 wpath[128];
	size_t i = 0;
	EFI_STATUS s;

	for (; path[i] && i + 1 < sizeof(wpath) / sizeof(wpath[0]); i++)
		wpath[i] = (CHAR16)(unsigned char)path[i];
	wpath[i] = 0;
	s = L.root->Open(L.root, f, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(s) && s != EFI_NOT_FOUND)
		con_error("%s: cannot open (%s)", path, status_str(s));
	return s;
}

/* Opens a regular file of at most max bytes and returns its size; a
 * missing file is EFI_NOT_FOUND without a message, as for open_path(). */
static EFI_STATUS open_file(const char *path, EFI_FILE_HANDLE *f, UINT64 *size,
			    UINT64 max)
{
	EFI_FILE_INFO *info;
	EFI_STATUS s;

	s = open_path(path, f);
	if (EFI_ERROR(s))
		return s;
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

/* Reads exactly size bytes from the start of f into dst. */
static EFI_STATUS read_exact(EFI_FILE_HANDLE f, void *dst, UINT64 size,
			     const char *path)
{
	UINT8 *p = dst;
	UINT64 done = 0;

	while (done < size) {
		UINTN chunk = (UINTN)(size - done > READ_CHUNK ? READ_CHUNK : size - done);
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

/* The whole kernel file into a pool buffer (L.kernel), for validation and
 * then for copying its segments into place. */
EFI_STATUS read_kernel(void)
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
		efi_free_pool(&L.kernel);
	return s;
}

/* Whether w stands in s as a whole space-separated word. */
static bool has_word(const char *s, const char *w)
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
			return true;
	}
	return false;
}

/* The optional command line into L.cmdline: printable ASCII only,
 * trailing CR, LF and spaces dropped. */
EFI_STATUS read_cmdline(void)
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
	efi_free_pool(&buf);
	return s;
}

static bool ends_with_ko(const CHAR16 *n, UINTN len)
{
	return len > 3 && n[len - 3] == L'.' &&
	       (n[len - 2] == L'k' || n[len - 2] == L'K') &&
	       (n[len - 1] == L'o' || n[len - 1] == L'O');
}

static bool name_before(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a < (unsigned char)*b;
}

/* Checks one \boot\modules entry named name[len] of size bytes and
 * inserts it into L.mod in name order, for a load order that does not
 * depend on the directory's history. */
static EFI_STATUS add_module(const CHAR16 *name, UINTN len, UINT64 size)
{
	char shown[64];		/* the entry's name, for messages */
	struct module m = { .size = size };
	unsigned j;

	ascii_copy(shown, sizeof(shown), name);
	if (L.nr_modules == BOOT_MODULES_MAX) {
		con_error("%s holds more than %u modules", MODULES_DIR_A,
			  BOOT_MODULES_MAX);
		return EFI_OUT_OF_RESOURCES;
	}
	if (len > BOOT_MODULE_NAME_MAX - 1) {
		con_error("%s\\%s: the name is %lu characters, more than %u",
			  MODULES_DIR_A, shown, (unsigned long)len,
			  BOOT_MODULE_NAME_MAX - 1);
		return EFI_LOAD_ERROR;
	}
	if (size > MODULE_FILE_MAX) {
		con_error("%s\\%s is %llu bytes, more than the %u this "
			  "loader accepts", MODULES_DIR_A, shown,
			  (unsigned long long)size, MODULE_FILE_MAX);
		return EFI_OUT_OF_RESOURCES;
	}
	for (UINTN i = 0; i < len; i++) {
		if (name[i] < 0x21 || name[i] > 0x7e) {
			con_error("%s\\%s: the name has the non-ASCII or blank "
				  "character U+%04x", MODULES_DIR_A, shown,
				  (unsigned)name[i]);
			return EFI_LOAD_ERROR;
		}
		m.name[i] = (char)name[i];
	}
	m.name[len] = '\0';
	for (j = L.nr_modules; j > 0 && name_before(m.name, L.mod[j - 1].name); j--)
		L.mod[j] = L.mod[j - 1];
	L.mod[j] = m;
	L.nr_modules++;
	return EFI_SUCCESS;
}

/* Lists \boot\modules\*.ko (names and sizes, sorted by name); the payloads
 * are read later, once the kernel's range is secured. */
EFI_STATUS scan_modules(void)
{
	EFI_FILE_HANDLE dir;
	EFI_FILE_INFO *info;
	EFI_STATUS s;

	L.nr_modules = 0;
	s = open_path(MODULES_DIR_A, &dir);
	if (s == EFI_NOT_FOUND) {
		con_info("no %s directory: no modules", MODULES_DIR_A);
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(s))
		return s;
	s = file_info(dir, &info);
	if (EFI_ERROR(s) || !(info->Attribute & EFI_FILE_DIRECTORY)) {
		con_error("%s is not a directory", MODULES_DIR_A);
		dir->Close(dir);
		return EFI_LOAD_ERROR;
	}

	for (;;) {
		UINTN sz = sizeof(file_info_buf), len = 0;

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
		s = add_module(info->FileName, len, info->FileSize);
		if (EFI_ERROR(s))
			break;
	}
	dir->Close(dir);
	if (EFI_ERROR(s))
		L.nr_modules = 0;
	return s;
}

/* Reads every listed module into its own pages below BOOT_DATA_LIMIT. */
EFI_STATUS load_modules(void)
{
	for (unsigned i = 0; i < L.nr_modules; i++) {
		struct module *m = &L.mod[i];
		char path[sizeof(MODULES_DIR_A) + BOOT_MODULE_NAME_MAX + 1];
		EFI_FILE_HANDLE f;
		UINT64 size;
		EFI_STATUS s;

		snprintf(path, sizeof(path), "%s\\%s", MODULES_DIR_A, m->name);
		s = open_file(path, &f, &size, MODULE_FILE_MAX);
		if (s == EFI_NOT_FOUND)
			con_error("%s disappeared while loading", path);
		if (EFI_ERROR(s))
			return s;
		m->size = size;
		s = efi_alloc_pages(&m->mem, AllocateMaxAddress,
				    BOOT_DATA_LIMIT - 1,
				    size ? (UINTN)EFI_SIZE_TO_PAGES(size) : 1);
		if (EFI_ERROR(s)) {
			con_error("%s: no memory below 0x%llx for its %llu bytes (%s)",
				  path, (unsigned long long)BOOT_DATA_LIMIT,
				  (unsigned long long)size, status_str(s));
			f->Close(f);
			return EFI_OUT_OF_RESOURCES;
		}
		s = read_exact(f, phys_ptr(m->mem.base), size, path);
		f->Close(f);
		if (EFI_ERROR(s))
			return s;
		/* A defined tail: the kernel may map whole pages. */
		ZeroMem((UINT8 *)phys_ptr(m->mem.base) + size,
			m->mem.pages * EFI_PAGE_SIZE - (UINTN)size);
		con_info("module %s: %llu bytes at 0x%llx", m->name,
			 (unsigned long long)size, (unsigned long long)m->mem.base);
	}
	return EFI_SUCCESS;
}
