/* SPDX-License-Identifier: MIT */
/*
 * The initramfs: the cpio "newc" archive (include/kernel/cpio.h; GNU
 * cpio's manual, "new ASCII" format; Linux's buffer-format.rst) that the
 * loader brought, unpacked into the in-memory tree of fs/ramfs.c. The
 * parser is pure code, shared with tests/host/test_cpio.c; a malformed
 * archive is named in one line with the offset, and what came before
 * the fault stays.
 */
#include "kernel/cpio.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/string.h"

static const char *const fault_words[NR_CPIO_FAULTS] = {
	[CPIO_OK] = "no fault",
	[CPIO_BAD_MAGIC] = "bad magic (not 070701 or 070702)",
	[CPIO_BAD_HEX] = "bad hex digit in a header field",
	[CPIO_TRUNC_HEADER] = "archive ends inside a header",
	[CPIO_TRUNC_NAME] = "archive ends inside a name",
	[CPIO_TRUNC_DATA] = "archive ends inside the data",
	[CPIO_NAME_NO_NUL] = "name without its NUL",
	[CPIO_NAME_INNER_NUL] = "NUL inside the name",
	[CPIO_NAME_TOO_LONG] = "name longer than PATH_MAX (4096)",
	[CPIO_PATH_DOTDOT] = "'..' in the path",
	[CPIO_PATH_DOT] = "'.' inside the path",
	[CPIO_PATH_EMPTY] = "empty path component ('//' or a trailing '/')",
	[CPIO_BAD_TYPE] = "unknown file type in the mode",
	[CPIO_DIR_DATA] = "directory with data",
	[CPIO_LINK_SIZE] = "symlink target empty or longer than PATH_MAX",
	[CPIO_NO_TRAILER] = "no TRAILER!!! before the end",
	[CPIO_NO_PARENT] = "its directory is not in the archive before it",
	[CPIO_PARENT_NOT_DIR] = "its directory is not a directory",
	[CPIO_EXISTS] = "a second entry of the same path",
	[CPIO_NO_MEMORY] = "no memory for the entry",
	[CPIO_ROOT_NOT_DIR] = "'.' is not a directory",
};

static const char *const field_names[13] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

const char *cpio_fault_str(enum cpio_fault f)
{
	return (unsigned int)f < NR_CPIO_FAULTS ? fault_words[f] : "?";
}

const char *cpio_field_name(unsigned int i)
{
	return i < 13 ? field_names[i] : "?";
}

/* 8 hex digits at s into *v; false when one is not a hex digit. */
static bool parse_hex8(const char *s, uint32_t *v)
{
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~(uint64_t)3;
}

/* The path's components are names: no empty one, no "." or "..". */
static enum cpio_fault check_path(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && p[j] != '/')
			j++;
		if (j == i)
			return CPIO_PATH_EMPTY;
		if (j - i == 2 && p[i] == '.' && p[i + 1] == '.')
			return CPIO_PATH_DOTDOT;
		if (j - i == 1 && p[i] == '.')
			return CPIO_PATH_DOT;
		if (j == len - 1)
			return CPIO_PATH_EMPTY;		/* a trailing '/' */
		i = j + 1;
	}
	return CPIO_OK;
}

static bool known_type(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: case S_IFREG: case S_IFLNK: case S_IFCHR:
	case 0060000: case 0010000: case 0140000:	/* block, FIFO, socket */
		return true;
	}
	return false;
}

static void fault_name(struct cpio_result *res, const char *name, size_t len)
{
	size_t n = len < sizeof(res->fault_name) - 1 ? len : sizeof(res->fault_name) - 1;

	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		res->fault_name[i] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	res->fault_name[n] = '\0';
}

void cpio_parse(const void *buf, size_t len,
		enum cpio_fault (*actor)(const struct cpio_entry *e, void *arg),
		void *arg, struct cpio_result *res)
{
	const char *base = buf;
	uint64_t off = 0;

	memset(res, 0, sizeof(*res));
	for (;;) {
		struct cpio_entry e = { 0 };
		uint32_t f[13];
		const char *hdr = base + off, *name;
		uint64_t name_off, data_off;
		size_t nlen;
		enum cpio_fault fault;

		res->fault_offset = (size_t)off;
		if (off >= len) {		/* padding may run past the end */
			res->fault_offset = len;
			res->fault = CPIO_NO_TRAILER;
			return;
		}
		if (len - off < 6) {
			res->fault = memcmp(hdr, "070701", (size_t)(len - off)) == 0 ?
				     CPIO_TRUNC_HEADER : CPIO_BAD_MAGIC;
			return;
		}
		if (memcmp(hdr, "07070", 5) != 0 || (hdr[5] != '1' && hdr[5] != '2')) {
			res->fault = CPIO_BAD_MAGIC;
			return;
		}
		if (len - off < CPIO_HDR_SIZE) {
			res->fault = CPIO_TRUNC_HEADER;
			return;
		}
		for (unsigned int i = 0; i < 13; i++) {
			if (!parse_hex8(hdr + 6 + 8 * i, &f[i])) {
				res->fault = CPIO_BAD_HEX;
				res->fault_field = i;
				return;
			}
		}
		/* f[] in header order: ino mode uid gid nlink mtime filesize
		 * devmajor devminor rdevmajor rdevminor namesize check */
		name_off = off + CPIO_HDR_SIZE;
		if (f[11] == 0) {
			res->fault = CPIO_NAME_NO_NUL;
			return;
		}
		if (f[11] > CPIO_PATH_MAX) {
			res->fault = CPIO_NAME_TOO_LONG;
			return;
		}
		if (f[11] > len - name_off) {
			res->fault = CPIO_TRUNC_NAME;
			fault_name(res, base + name_off, (size_t)(len - name_off));
			return;
		}
		name = base + name_off;
		nlen = f[11] - 1;
		fault_name(res, name, nlen);
		if (name[nlen] != '\0') {
			res->fault = CPIO_NAME_NO_NUL;
			return;
		}
		if (memchr(name, '\0', nlen)) {
			res->fault = CPIO_NAME_INNER_NUL;
			return;
		}
		data_off = align4(name_off + f[11]);
		if (f[6] > len || data_off + f[6] > len) {
			res->fault = CPIO_TRUNC_DATA;
			return;
		}
		if (nlen == sizeof(CPIO_TRAILER) - 1 && memcmp(name, CPIO_TRAILER, nlen) == 0) {
			res->trailer = true;
			res->fault = CPIO_OK;
			res->fault_name[0] = '\0';
			return;
		}

		/* "./a", "/a" and "a" are the same member; "." is the root. */
		while (nlen >= 2 && name[0] == '.' && name[1] == '/') {
			name += 2;
			nlen -= 2;
		}
		while (nlen && name[0] == '/') {
			name++;
			nlen--;
		}
		if (nlen == 1 && name[0] == '.')
			nlen = 0, name++;
		fault = check_path(name, nlen);
		if (fault == CPIO_OK && !known_type(f[1]))
			fault = CPIO_BAD_TYPE;
		if (fault == CPIO_OK && (f[1] & S_IFMT) == S_IFDIR && f[6])
			fault = CPIO_DIR_DATA;
		if (fault == CPIO_OK && (f[1] & S_IFMT) == S_IFLNK &&
		    (f[6] == 0 || f[6] >= CPIO_PATH_MAX))
			fault = CPIO_LINK_SIZE;
		if (fault == CPIO_OK) {
			e.offset = (size_t)off;
			e.path = name;
			e.path_len = nlen;
			e.ino = f[0];
			e.mode = f[1];
			e.uid = f[2];
			e.gid = f[3];
			e.nlink = f[4];
			e.mtime = (long)f[5];
			e.filesize = f[6];
			e.rdevmajor = f[9];
			e.rdevminor = f[10];
			e.data = base + data_off;
			fault = actor(&e, arg);
		}
		if (fault != CPIO_OK) {
			res->fault = fault;
			return;
		}
		res->entries++;
		off = align4(data_off + f[6]);
	}
}

#ifndef HOST_TEST
#include "kernel/bootinfo.h"
#include "kernel/printk.h"

struct initramfs_stats initramfs_stats;

void initramfs_unpack(const void *buf, size_t len)
{
	struct cpio_result res;

	initramfs_stats.present = true;
	cpio_parse(buf, len, ramfs_add_entry, &initramfs_stats.ignored, &res);
	initramfs_stats.entries = res.entries;
	initramfs_stats.trailer = res.trailer;
	initramfs_stats.fault = res.fault;
	memcpy(initramfs_stats.fault_name, res.fault_name, sizeof(res.fault_name));
	if (res.fault == CPIO_BAD_HEX)
		pr_err("initramfs: malformed archive at offset 0x%zx: %s (%s)%s%s; the %u entries before it kept\n",
		       res.fault_offset, cpio_fault_str(res.fault),
		       cpio_field_name(res.fault_field), res.fault_name[0] ? " in " : "",
		       res.fault_name, res.entries);
	else if (res.fault != CPIO_OK)
		pr_err("initramfs: malformed archive at offset 0x%zx: %s%s%s; the %u entries before it kept\n",
		       res.fault_offset, cpio_fault_str(res.fault),
		       res.fault_name[0] ? " in " : "", res.fault_name, res.entries);
	if (initramfs_stats.ignored)
		pr_info("initramfs: %u device nodes, FIFOs or sockets ignored (the kernel makes /dev)\n",
			initramfs_stats.ignored);
	pr_info("initramfs: %u entries from an archive of %zu bytes\n", res.entries, len);
}

void initramfs_init(void)
{
	if (ramfs_init_root())
		panic("initramfs: no memory for the root directory");
	if (initrd_start)
		initramfs_unpack((const void *)initrd_start, initrd_end - initrd_start);
	else
		pr_info("initramfs: none: the tree holds /dev and /proc only\n");
	if (dev_init() || proc_init())
		panic("initramfs: no memory for /dev and /proc");
}
#endif /* !HOST_TEST */
