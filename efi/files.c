/* SPDX-License-Identifier: MIT */
/*
 * The loader's reads from its own boot volume: \boot\kernel.elf,
 * \boot\cmdline.txt, \boot\modules\*.ko and \boot\initrd.cpio, through the loaded image's
 * device (UEFI 2.x §9.1 Loaded Image), its Simple File System (§13.4) and
 * the File Protocol (§13.5, EFI_FILE_INFO for sizes and directory entries).
 * Only the kernel file is needed: whatever \boot\cmdline.txt,
 * \boot\modules and \boot\initrd.cpio hold, the boot goes on, each fault named in one line.
 */
#include "loader.h"
#include "boot/loader_checks.h"

#define KERNEL_FILE_MAX		(256u << 20)	/* no sane kernel is larger */
#define CMDLINE_FILE_MAX	(64u << 10)
#define MODULE_FILE_MAX		(256u << 20)
#define READ_CHUNK		(16u << 20)	/* bytes per File.Read call */
#define OVER_LIMIT_LINES	16	/* modules past BOOT_MODULES_MAX named one by one */

#define CMDLINE_PATH_A		"\\boot\\cmdline.txt"
#define MODULES_DIR_A		"\\boot\\modules"
#define INITRD_PATH_A		"\\boot\\initrd.cpio"

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

/*
 * A fault with a file: fatal when then is NULL ("error: ..."), else one
 * line that ends in then, what the boot does instead.
 */
static void CON_PRINTF(2, 3) file_fault(const char *then, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (then)
		con_info("%s: %s", msg, then);
	else
		con_error("%s", msg);
}

/* path (ASCII) as UCS-2 into w[n]. */
static const CHAR16 *widen(CHAR16 *w, size_t n, const char *path)
{
	size_t i = 0;

	for (; path[i] && i + 1 < n; i++)
		w[i] = (CHAR16)(unsigned char)path[i];
	w[i] = 0;
	return w;
}

/* Opens wpath (shown as path) on the boot volume for reading. A missing
 * path returns EFI_NOT_FOUND without a message (callers word it). */
static EFI_STATUS open_path(const CHAR16 *wpath, const char *path,
			    EFI_FILE_HANDLE *f, const char *then)
{
	EFI_STATUS s = L.root->Open(L.root, f, (CHAR16 *)wpath, EFI_FILE_MODE_READ, 0);

	if (EFI_ERROR(s) && s != EFI_NOT_FOUND)
		file_fault(then, "%s: cannot open (%s)", path, status_str(s));
	return s;
}

/* Opens a regular file of at most max bytes and returns its size; a
 * missing file is EFI_NOT_FOUND without a message, as for open_path(). */
static EFI_STATUS open_file(const CHAR16 *wpath, const char *path,
			    EFI_FILE_HANDLE *f, UINT64 *size, UINT64 max,
			    const char *then)
{
	EFI_FILE_INFO *info;
	EFI_STATUS s;

	s = open_path(wpath, path, f, then);
	if (EFI_ERROR(s))
		return s;
	s = file_info(*f, &info);
	if (EFI_ERROR(s)) {
		file_fault(then, "%s: cannot get the file size (%s)", path, status_str(s));
		goto fail;
	}
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		file_fault(then, "%s is a directory, not a file", path);
		s = EFI_LOAD_ERROR;
		goto fail;
	}
	if (info->FileSize > max) {
		file_fault(then, "%s is %llu bytes, more than the %llu this loader accepts",
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
			     const char *path, const char *then)
{
	UINT8 *p = dst;
	UINT64 done = 0;

	while (done < size) {
		UINTN chunk = (UINTN)(size - done > READ_CHUNK ? READ_CHUNK : size - done);
		EFI_STATUS s = f->Read(f, &chunk, p + done);

		if (EFI_ERROR(s) || chunk == 0) {
			file_fault(then, "%s: read failed after %llu of %llu bytes (%s)",
				   path, (unsigned long long)done,
				   (unsigned long long)size,
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
	CHAR16 w[32];
	UINT64 size;
	EFI_STATUS s;

	s = open_file(widen(w, sizeof(w) / sizeof(w[0]), KERNEL_PATH_A), KERNEL_PATH_A, &f,
		      &size, KERNEL_FILE_MAX, NULL);
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
	s = read_exact(f, L.kernel, size, KERNEL_PATH_A, NULL);
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

/* One line per change cmdline_clean() made to \boot\cmdline.txt. */
static void report_cmdline(const struct cmdline_report *r)
{
	static const char *const encoding[] = {
		[CMDLINE_UTF8_BOM] = "UTF-8 byte-order mark dropped",
		[CMDLINE_UTF16LE_BOM] = "UTF-16LE text (byte-order mark FF FE) converted to ASCII",
		[CMDLINE_UTF16BE_BOM] = "UTF-16BE text (byte-order mark FE FF) converted to ASCII",
		[CMDLINE_UTF16LE] = "UTF-16LE text without a byte-order mark converted to ASCII",
		[CMDLINE_UTF16BE] = "UTF-16BE text without a byte-order mark converted to ASCII",
	};

	if (r->encoding != CMDLINE_ASCII)
		con_info("%s: %s", CMDLINE_PATH_A, encoding[r->encoding]);
	if (r->odd_byte)
		con_info("%s: UTF-16 text of an odd number of bytes: the last byte ignored",
			 CMDLINE_PATH_A);
	if (r->controls)
		con_info("%s: %u control character%s taken as blanks (the first, 0x%02x, "
			 "at byte %u)", CMDLINE_PATH_A, r->controls,
			 r->controls == 1 ? "" : "s", r->first_control,
			 r->first_control_off);
	if (r->non_ascii)
		con_info("%s: %u non-ASCII character%s replaced by '?' (the first at "
			 "byte %u)", CMDLINE_PATH_A, r->non_ascii,
			 r->non_ascii == 1 ? "" : "s", r->first_non_ascii_off);
	if (r->cut)
		con_info("%s: the line is %u characters, more than the %u allowed: cut to %u %s",
			 CMDLINE_PATH_A, r->full_len, BOOT_CMDLINE_MAX - 1, r->len,
			 r->cut_at_blank ? "after its last whole word" :
			 "in the middle of its only word");
}

/* The command line from the optional \boot\cmdline.txt, made one line of
 * printable ASCII by cmdline_clean() (efi/checks.c); a file that cannot
 * be read gives an empty line. */
EFI_STATUS read_cmdline(void)
{
	static const char then[] = "empty command line";
	struct cmdline_report r;
	EFI_FILE_HANDLE f;
	CHAR16 w[32];
	UINT64 size;
	UINTN bytes;
	void *buf = NULL;
	EFI_STATUS s;

	L.cmdline_len = 0;
	L.cmdline[0] = '\0';
	s = open_file(widen(w, sizeof(w) / sizeof(w[0]), CMDLINE_PATH_A), CMDLINE_PATH_A,
		      &f, &size, ~0ULL, then);
	if (s == EFI_NOT_FOUND)
		con_info("no %s: %s", CMDLINE_PATH_A, then);
	if (EFI_ERROR(s))
		return EFI_SUCCESS;
	/* More would never fit the line, however it is encoded. */
	bytes = (UINTN)(size > CMDLINE_FILE_MAX ? CMDLINE_FILE_MAX : size);
	if (bytes < size)
		con_info("%s is %llu bytes: only its first %u read", CMDLINE_PATH_A,
			 (unsigned long long)size, CMDLINE_FILE_MAX);
	s = BS->AllocatePool(EfiLoaderData, bytes ? bytes : 1, &buf);
	if (EFI_ERROR(s)) {
		file_fault(then, "%s: no memory to read it (%s)", CMDLINE_PATH_A,
			   status_str(s));
		f->Close(f);
		return EFI_SUCCESS;
	}
	s = read_exact(f, buf, bytes, CMDLINE_PATH_A, then);
	f->Close(f);
	if (!EFI_ERROR(s)) {
		cmdline_clean(buf, bytes, L.cmdline, &r);
		report_cmdline(&r);
		L.cmdline_len = r.len;
	}
	efi_free_pool(&buf);
	L.debug = has_word(L.cmdline, "loader.debug");
	con_info("command line: \"%s\"", L.cmdline);
	return EFI_SUCCESS;
}

static bool name_before(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a < (unsigned char)*b;
}

#define SHOWN_NAME_MAX	64	/* characters of an entry's name in messages */
#define SHOWN_MAX	(sizeof(MODULES_DIR_A) + SHOWN_NAME_MAX + sizeof("..."))

/* "\boot\modules\NAME" in buf[SHOWN_MAX], for messages: the entry's own
 * name ('?' for what is not printable ASCII), a longer one cut to
 * SHOWN_NAME_MAX characters and "...". */
static const char *shown(const struct module *m, char *buf)
{
	size_t n = sizeof(MODULES_DIR_A), len = 0;

	CopyMem(buf, MODULES_DIR_A "\\", n);
	ascii_copy(buf + n, SHOWN_NAME_MAX + 1, m->file);
	while (m->file[len])
		len++;
	if (len > SHOWN_NAME_MAX)
		CopyMem(buf + n + SHOWN_NAME_MAX, "...", sizeof("..."));
	return buf;
}

/* Takes L.mod[i] out of the list. */
static void drop_module(unsigned i)
{
	efi_free_pages(&L.mod[i].mem);
	for (; i + 1 < L.nr_modules; i++)
		L.mod[i] = L.mod[i + 1];
	L.nr_modules--;
}

/*
 * Adds the \boot\modules entry m to L.mod, kept in the order of the
 * names boot_info hands over, so that which modules load does not depend
 * on the directory's history. A name two entries share goes to the one
 * whose own name sorts first; past BOOT_MODULES_MAX the names that sort
 * last stay out (named one by one up to OVER_LIMIT_LINES, then counted
 * in *over).
 */
static void add_module(const struct module *m, unsigned int changed, unsigned *over)
{
	static const char replaced[] =
		"blanks, controls and non-ASCII characters replaced by '_'";
	char a[SHOWN_MAX], b[SHOWN_MAX];
	unsigned j;

	if (changed == MODNAME_REPLACED)
		con_info("%s: handed over as %s (%s)", shown(m, a), m->name, replaced);
	else if (changed)
		con_info("%s: handed over as %s (%s%sthe name cut to %u characters)",
			 shown(m, a), m->name, changed & MODNAME_REPLACED ? replaced : "",
			 changed & MODNAME_REPLACED ? ", " : "", BOOT_MODULE_NAME_MAX - 1);
	if (m->size > MODULE_FILE_MAX) {
		con_info("%s is %llu bytes, more than the %u this loader accepts; "
			 "not loaded", shown(m, a), (unsigned long long)m->size,
			 MODULE_FILE_MAX);
		return;
	}
	for (j = 0; j < L.nr_modules; j++) {
		struct module *old = &L.mod[j];
		bool keep_old;

		if (name_before(old->name, m->name) || name_before(m->name, old->name))
			continue;
		keep_old = StrCmp(old->file, m->file) < 0;
		con_info("%s: the name %s is %s's too; not loaded",
			 shown(keep_old ? m : old, a), m->name, shown(keep_old ? old : m, b));
		if (!keep_old)
			*old = *m;
		return;
	}
	if (L.nr_modules == BOOT_MODULES_MAX) {
		const struct module *out = &L.mod[L.nr_modules - 1];

		if (name_before(out->name, m->name))
			out = m;
		if ((*over)++ < OVER_LIMIT_LINES)
			con_info("%s: more than %u modules, and its name sorts after the "
				 "first %u; not loaded", shown(out, a), BOOT_MODULES_MAX,
				 BOOT_MODULES_MAX);
		if (out == m)
			return;
		L.nr_modules--;
	}
	for (j = L.nr_modules; j > 0 && name_before(m->name, L.mod[j - 1].name); j--)
		L.mod[j] = L.mod[j - 1];
	L.mod[j] = *m;
	L.nr_modules++;
}

/* Lists \boot\modules\*.ko (names and sizes); the payloads are read later,
 * once the kernel's range is secured. No such directory, or a file in
 * its place: no modules. */
EFI_STATUS scan_modules(void)
{
	static const char then[] = "no modules";
	EFI_FILE_HANDLE dir;
	EFI_FILE_INFO *info;
	CHAR16 w[32];
	char a[SHOWN_MAX];
	unsigned over = 0;
	EFI_STATUS s;

	L.nr_modules = 0;
	s = open_path(widen(w, sizeof(w) / sizeof(w[0]), MODULES_DIR_A), MODULES_DIR_A,
		      &dir, then);
	if (s == EFI_NOT_FOUND)
		con_info("no %s directory: %s", MODULES_DIR_A, then);
	if (EFI_ERROR(s))
		return EFI_SUCCESS;
	s = file_info(dir, &info);
	if (EFI_ERROR(s) || !(info->Attribute & EFI_FILE_DIRECTORY)) {
		if (EFI_ERROR(s))
			con_info("%s: cannot get its attributes (%s): %s", MODULES_DIR_A,
				 status_str(s), then);
		else
			con_info("%s is a file, not a directory: %s", MODULES_DIR_A, then);
		dir->Close(dir);
		return EFI_SUCCESS;
	}

	for (;;) {
		struct module m = { 0 };
		unsigned int changed;
		UINTN sz = sizeof(file_info_buf), len = 0;

		s = dir->Read(dir, &sz, &file_info_buf);
		if (EFI_ERROR(s)) {
			con_info("%s: cannot list further (%s): the %u module%s listed so "
				 "far are taken", MODULES_DIR_A, status_str(s),
				 L.nr_modules, L.nr_modules == 1 ? "" : "s");
			break;
		}
		if (sz == 0)
			break;		/* end of directory */
		info = &file_info_buf.info;
		while (info->FileName[len] && len < MODULE_FILE_NAME_MAX)
			len++;
		CopyMem(m.file, info->FileName, len * sizeof(CHAR16));
		/* Only .ko files are modules; what looks like one is named. */
		if (len == 3 && m.file[0] == '.' && (m.file[1] | 0x20) == 'k' &&
		    (m.file[2] | 0x20) == 'o') {
			con_info("%s: no name before the .ko; not loaded", shown(&m, a));
			continue;
		}
		if (!module_file_name(info->FileName, len, m.name, &changed))
			continue;
		if (info->Attribute & EFI_FILE_DIRECTORY) {
			con_info("%s is a directory, not a module file; not loaded", shown(&m, a));
			continue;
		}
		m.size = info->FileSize;
		add_module(&m, changed, &over);
	}
	dir->Close(dir);
	if (over > OVER_LIMIT_LINES)
		con_info("%s: %u more modules over the limit of %u; not loaded",
			 MODULES_DIR_A, over - OVER_LIMIT_LINES, BOOT_MODULES_MAX);
	return EFI_SUCCESS;
}

/* Reads each listed module into its own pages below BOOT_DATA_LIMIT,
 * outside the kernel's range; one that cannot be read or placed is named
 * with the reason and left out. */
EFI_STATUS load_modules(void)
{
	static const char then[] = "not loaded";

	for (unsigned i = 0; i < L.nr_modules;) {
		struct module *m = &L.mod[i];
		CHAR16 wpath[sizeof(MODULES_DIR_A) + MODULE_FILE_NAME_MAX + 1];
		char path[SHOWN_MAX];
		EFI_FILE_HANDLE f;
		UINT64 size;
		EFI_STATUS s;

		shown(m, path);
		widen(wpath, sizeof(MODULES_DIR_A) + 1, MODULES_DIR_A "\\");
		CopyMem(wpath + sizeof(MODULES_DIR_A), m->file, sizeof(m->file));
		s = open_file(wpath, path, &f, &size, MODULE_FILE_MAX, then);
		if (s == EFI_NOT_FOUND)
			con_info("%s disappeared while loading; %s", path, then);
		if (EFI_ERROR(s)) {
			drop_module(i);
			continue;
		}
		m->size = size;
		s = alloc_outside_kernel(&m->mem, BOOT_DATA_LIMIT - 1,
					 size ? (UINTN)EFI_SIZE_TO_PAGES(size) : 1);
		if (!EFI_ERROR(s))
			s = read_exact(f, phys_ptr(m->mem.base), size, path, then);
		else
			con_info("%s: no memory below 0x%llx for its %llu bytes (%s); %s",
				 path, (unsigned long long)BOOT_DATA_LIMIT,
				 (unsigned long long)size, status_str(s), then);
		f->Close(f);
		if (EFI_ERROR(s)) {
			drop_module(i);
			continue;
		}
		/* A defined tail: the kernel may map whole pages. */
		ZeroMem((UINT8 *)phys_ptr(m->mem.base) + size,
			m->mem.pages * EFI_PAGE_SIZE - (UINTN)size);
		con_info("module %s: %llu bytes at 0x%llx", m->name,
			 (unsigned long long)size, (unsigned long long)m->mem.base);
		i++;
	}
	return EFI_SUCCESS;
}

/* The optional initramfs archive, read whole into pages below
 * BOOT_DATA_LIMIT outside the kernel's range (LoaderData: the e820 table
 * calls them loader memory, and the kernel keeps them reserved). Absent,
 * too large or unreadable: named in one line, and the boot goes on
 * without it. */
EFI_STATUS load_initrd(void)
{
	static const char then[] = "booting without an initramfs";
	EFI_FILE_HANDLE f;
	CHAR16 w[32];
	UINT64 size;
	EFI_STATUS s;

	s = open_file(widen(w, sizeof(w) / sizeof(w[0]), INITRD_PATH_A), INITRD_PATH_A,
		      &f, &size, BOOT_INITRD_MAX, then);
	if (s == EFI_NOT_FOUND)
		con_info("no %s: %s", INITRD_PATH_A, then);
	if (EFI_ERROR(s))
		return EFI_SUCCESS;
	if (size == 0) {
		con_info("%s is empty: %s", INITRD_PATH_A, then);
		f->Close(f);
		return EFI_SUCCESS;
	}
	s = alloc_outside_kernel(&L.initrd, BOOT_DATA_LIMIT - 1,
				 (UINTN)EFI_SIZE_TO_PAGES(size));
	if (EFI_ERROR(s))
		con_info("%s: no memory below 0x%llx for its %llu bytes (%s): %s",
			 INITRD_PATH_A, (unsigned long long)BOOT_DATA_LIMIT,
			 (unsigned long long)size, status_str(s), then);
	else
		s = read_exact(f, phys_ptr(L.initrd.base), size, INITRD_PATH_A, then);
	f->Close(f);
	if (EFI_ERROR(s)) {
		efi_free_pages(&L.initrd);
		return EFI_SUCCESS;
	}
	ZeroMem((UINT8 *)phys_ptr(L.initrd.base) + size,
		L.initrd.pages * EFI_PAGE_SIZE - (UINTN)size);
	L.initrd_size = size;
	con_info("initrd %s: %llu bytes at 0x%llx", INITRD_PATH_A, (unsigned long long)size,
		 (unsigned long long)L.initrd.base);
	return EFI_SUCCESS;
}
