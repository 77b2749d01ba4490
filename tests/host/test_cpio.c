/* SPDX-License-Identifier: MIT */
/*
 * The cpio "newc" parser and the in-memory tree (fs/initramfs.c,
 * fs/ramfs.c): a good archive made here in GNU cpio's layout unpacks
 * into the tree namei walks; each malformed archive is named with its
 * offset and keeps the entries before the fault; every cut and many
 * byte flips of a good archive are survived (ASan, UBSan).
 */
#include <stdlib.h>
#include "cpio_build.h"
#include "hosttest.h"
#include "kernel/cpio.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "mm/slab.h"

/* What the kernel's fs/ files define and the tree only points at. */
const struct file_operations ramfs_dir_fops, ramfs_file_fops;

void *kzalloc(size_t size, gfp_t flags)
{
	(void)flags;
	return calloc(1, size);
}

int kfree(const void *p)
{
	free((void *)p);
	return 0;
}

static const char motd[] = "pae32: a read-only initramfs\n";

/* The archive of the good cases; offsets of its members in off[]. */
static void good_archive(struct ar *a, size_t off[10])
{
	int n = 0;

	a->len = 0;
	off[n++] = add(a, S_IFDIR | 0755, ".", NULL);
	off[n++] = add(a, S_IFDIR | 0755, "./etc", NULL);
	off[n++] = add(a, S_IFREG | 0644, "./etc/motd", motd);
	off[n++] = add(a, S_IFDIR | 0755, "etc/deep", NULL);
	off[n++] = add(a, S_IFDIR | 0755, "/etc/deep/er", NULL);
	off[n++] = add(a, S_IFREG | 0644, "etc/deep/er/x", "x");
	off[n++] = add(a, S_IFLNK | 0777, "etc/link", "deep/er");
	off[n++] = add(a, S_IFCHR | 0600, "etc/console", NULL);
	off[n++] = add(a, S_IFLNK | 0777, "loop", "loop");
	off[n++] = trailer(a);
}

static enum cpio_fault count_actor(const struct cpio_entry *e, void *arg)
{
	(void)e;
	(*(unsigned int *)arg)++;
	return CPIO_OK;
}

static void unpack(struct ar *a, struct cpio_result *res, unsigned int *ignored)
{
	ramfs_destroy();
	CHECK_EQ(ramfs_init_root(), 0);
	*ignored = 0;
	cpio_parse(a->buf, a->len, ramfs_add_entry, ignored, res);
}

static int lookup(const char *path, unsigned int flags, struct inode **out)
{
	struct nameidata nd = { 0 };
	int ret = path_lookupat(NULL, path, strlen(path), flags, &nd);

	*out = ret ? NULL : nd.inode;
	return ret;
}

static void good_archive_unpacks(void)
{
	struct ar *a = calloc(1, sizeof(*a));
	struct cpio_result res;
	unsigned int ignored;
	size_t off[10];
	struct inode *i;

	good_archive(a, off);
	unpack(a, &res, &ignored);
	CHECK_EQ(res.fault, CPIO_OK);
	CHECK(res.trailer);
	CHECK_EQ(res.entries, 9);
	CHECK_EQ(ignored, 1);
	i = namei("/etc/motd");
	CHECK(i != NULL);
	if (i) {
		CHECK_EQ(i->i_size, strlen(motd));
		CHECK(memcmp(i->i_data, motd, strlen(motd)) == 0);
		CHECK(S_ISREG(i->i_mode));
		CHECK_EQ(i->i_mtime, 1700000000);
		/* the data points into the archive, not a copy */
		CHECK((const unsigned char *)i->i_data > a->buf &&
		      (const unsigned char *)i->i_data < a->buf + a->len);
	}
	CHECK(namei("/etc/console") == NULL);
	CHECK(namei("/") == ramfs_root);
	CHECK(namei("/etc/deep/er/x") != NULL);
	/* entries keep archive order */
	i = namei("/etc");
	CHECK(i && i->i_child && strcmp(i->i_child->i_name, "motd") == 0);
	CHECK_EQ(i ? i->i_nlink : 0, 3);	/* ".", its entry, deep */
	ramfs_destroy();
	free(a);
}

static void namei_walks_like_linux(void)
{
	struct ar *a = calloc(1, sizeof(*a));
	struct cpio_result res;
	unsigned int ignored;
	size_t off[10];
	struct inode *x, *i;
	char longname[300], longpath[PATH_MAX + 10];

	good_archive(a, off);
	unpack(a, &res, &ignored);
	x = namei("/etc/deep/er/x");
	CHECK(x != NULL);
	CHECK_EQ(lookup("//etc///deep/./er/../er/x", 0, &i), 0);
	CHECK(i == x);
	CHECK_EQ(lookup("/../../etc/deep/er/x", 0, &i), 0);
	CHECK(i == x);
	CHECK_EQ(lookup("etc/deep/er/x", 0, &i), 0);	/* relative to the root */
	CHECK(i == x);
	CHECK_EQ(lookup("/etc/motd/", 0, &i), -ENOTDIR);
	CHECK_EQ(lookup("/etc/motd/x", 0, &i), -ENOTDIR);
	CHECK_EQ(lookup("/etc/motd", LOOKUP_DIRECTORY, &i), -ENOTDIR);
	CHECK_EQ(lookup("/etc/nope", 0, &i), -ENOENT);
	CHECK_EQ(lookup("/nope/x", 0, &i), -ENOENT);
	CHECK_EQ(lookup("", 0, &i), -ENOENT);
	/* symlinks: followed inside a path, at the end only when asked */
	CHECK_EQ(lookup("/etc/link/x", 0, &i), 0);
	CHECK(i == x);
	CHECK_EQ(lookup("/etc/link", 0, &i), 0);
	CHECK(i && S_ISLNK(i->i_mode));
	CHECK_EQ(lookup("/etc/link", LOOKUP_FOLLOW, &i), 0);
	CHECK(i && S_ISDIR(i->i_mode) && strcmp(i->i_name, "er") == 0);
	CHECK_EQ(lookup("/etc/link/", 0, &i), 0);
	CHECK(i && S_ISDIR(i->i_mode));
	CHECK_EQ(lookup("/loop", LOOKUP_FOLLOW, &i), -ELOOP);
	CHECK_EQ(lookup("/loop/x", 0, &i), -ELOOP);
	/* NAME_MAX per component, PATH_MAX for the whole */
	memset(longname, 'a', sizeof(longname));
	longname[0] = '/';
	longname[NAME_MAX + 1] = '\0';
	CHECK_EQ(lookup(longname, 0, &i), -ENOENT);
	longname[NAME_MAX + 2] = '\0';
	longname[NAME_MAX + 1] = 'a';
	CHECK_EQ(lookup(longname, 0, &i), -ENAMETOOLONG);
	memset(longpath, '/', sizeof(longpath));
	longpath[PATH_MAX - 1] = '\0';
	CHECK_EQ(lookup(longpath, 0, &i), 0);
	CHECK(i == ramfs_root);
	longpath[PATH_MAX - 1] = '/';
	longpath[PATH_MAX] = '\0';
	CHECK_EQ(lookup(longpath, 0, &i), -ENAMETOOLONG);
	ramfs_destroy();
	free(a);
}

/* One malformed archive: a good first part, then the bad member. */
struct bad_case {
	const char *what;
	enum cpio_fault fault;
	void (*make)(struct ar *a);	/* appends the bad part */
	bool has_trailer_after;
};

static void prefix(struct ar *a)
{
	a->len = 0;
	add(a, S_IFDIR | 0755, "etc", NULL);
	add(a, S_IFREG | 0644, "etc/motd", motd);
}

static void mk_bad_magic(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "b", "x");

	a->buf[at + 5] = '7';
}

static void mk_bad_hex(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "b", "x");

	a->buf[at + 6 + 8 * 6 + 3] = 'g';	/* in filesize */
}

static void mk_trunc_header(struct ar *a)
{
	add(a, S_IFREG | 0644, "b", "x");
	a->len -= 4 + 4 + 50;			/* data, name, and into the header */
}

static void mk_trunc_magic(struct ar *a)
{
	memcpy(a->buf + a->len, "0707", 4);
	a->len += 4;
}

static void mk_trunc_name(struct ar *a)
{
	size_t at = add_raw(a, S_IFREG | 0644, "bbbbbbbbbbbb", 0, NULL, 0);

	a->len = at + CPIO_HDR_SIZE + 5;
}

static void mk_trunc_data(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "b", "0123456789");

	a->len = at + CPIO_HDR_SIZE + 4 + 6;
}

static void mk_huge_size(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "b", "x");

	memcpy(a->buf + at + 6 + 8 * 6, "FFFFFFF0", 8);
}

static void mk_huge_name(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "b", "x");

	memcpy(a->buf + at + 6 + 8 * 11, "FFFFFFFF", 8);
}

static void mk_name_no_nul(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "bcd", "x");

	a->buf[at + CPIO_HDR_SIZE + 3] = 'e';
}

static void mk_namesize_zero(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "bcd", "x");

	memcpy(a->buf + at + 6 + 8 * 11, "00000000", 8);
}

static void mk_inner_nul(struct ar *a)
{
	size_t at = add(a, S_IFREG | 0644, "bcd", "x");

	a->buf[at + CPIO_HDR_SIZE + 1] = '\0';
}

static void mk_dotdot(struct ar *a) { add(a, S_IFREG | 0644, "etc/../x", "x"); }
static void mk_dot(struct ar *a) { add(a, S_IFREG | 0644, "etc/./x", "x"); }
static void mk_slashes(struct ar *a) { add(a, S_IFREG | 0644, "etc//x", "x"); }
static void mk_trailing(struct ar *a) { add(a, S_IFDIR | 0755, "etc/d/", NULL); }
static void mk_no_parent(struct ar *a) { add(a, S_IFREG | 0644, "usr/bin/x", "x"); }
static void mk_parent_file(struct ar *a) { add(a, S_IFREG | 0644, "etc/motd/x", "x"); }
static void mk_twice(struct ar *a) { add(a, S_IFREG | 0644, "etc/motd", "again"); }
static void mk_bad_type(struct ar *a) { add(a, 0170644, "etc/t", NULL); }
static void mk_dir_data(struct ar *a) { add(a, S_IFDIR | 0755, "etc/d", "data"); }
static void mk_empty_link(struct ar *a) { add(a, S_IFLNK | 0777, "etc/l", ""); }
static void mk_root_file(struct ar *a) { add(a, S_IFREG | 0644, ".", "x"); }
static void mk_no_trailer(struct ar *a) { (void)a; }
static void mk_garbage(struct ar *a)
{
	memcpy(a->buf + a->len, "\x7f" "ELF garbage after the entries", 30);
	a->len += 30;
}

static const struct bad_case bad_cases[] = {
	{ "bad magic", CPIO_BAD_MAGIC, mk_bad_magic, true },
	{ "garbage", CPIO_BAD_MAGIC, mk_garbage, false },
	{ "bad hex", CPIO_BAD_HEX, mk_bad_hex, true },
	{ "truncated header", CPIO_TRUNC_HEADER, mk_trunc_header, false },
	{ "truncated magic", CPIO_TRUNC_HEADER, mk_trunc_magic, false },
	{ "truncated name", CPIO_TRUNC_NAME, mk_trunc_name, false },
	{ "truncated data", CPIO_TRUNC_DATA, mk_trunc_data, false },
	{ "huge filesize", CPIO_TRUNC_DATA, mk_huge_size, true },
	{ "huge namesize", CPIO_NAME_TOO_LONG, mk_huge_name, true },
	{ "name without NUL", CPIO_NAME_NO_NUL, mk_name_no_nul, true },
	{ "namesize 0", CPIO_NAME_NO_NUL, mk_namesize_zero, true },
	{ "NUL inside name", CPIO_NAME_INNER_NUL, mk_inner_nul, true },
	{ "..", CPIO_PATH_DOTDOT, mk_dotdot, true },
	{ ". inside", CPIO_PATH_DOT, mk_dot, true },
	{ "//", CPIO_PATH_EMPTY, mk_slashes, true },
	{ "trailing /", CPIO_PATH_EMPTY, mk_trailing, true },
	{ "no leading dir", CPIO_NO_PARENT, mk_no_parent, true },
	{ "parent is a file", CPIO_PARENT_NOT_DIR, mk_parent_file, true },
	{ "twice", CPIO_EXISTS, mk_twice, true },
	{ "bad type", CPIO_BAD_TYPE, mk_bad_type, true },
	{ "dir with data", CPIO_DIR_DATA, mk_dir_data, true },
	{ "empty symlink", CPIO_LINK_SIZE, mk_empty_link, true },
	{ "root not dir", CPIO_ROOT_NOT_DIR, mk_root_file, true },
	{ "no trailer", CPIO_NO_TRAILER, mk_no_trailer, false },
};

static void malformed_archives_keep_what_came_before(void)
{
	struct ar *a = calloc(1, sizeof(*a));

	for (size_t k = 0; k < sizeof(bad_cases) / sizeof(bad_cases[0]); k++) {
		const struct bad_case *c = &bad_cases[k];
		struct cpio_result res;
		unsigned int ignored;
		size_t bad_at;
		struct inode *m;

		prefix(a);
		bad_at = a->len;
		c->make(a);
		if (c->has_trailer_after) {
			add(a, S_IFREG | 0644, "after", "never");
			trailer(a);
		}
		unpack(a, &res, &ignored);
		if (res.fault != c->fault || res.entries != 2 ||
		    res.fault_offset != (c->fault == CPIO_NO_TRAILER ? a->len : bad_at))
			printf("    case \"%s\": fault %d (%s) at %zu, %u entries; want %d at %zu\n",
			       c->what, res.fault, cpio_fault_str(res.fault), res.fault_offset,
			       res.entries, c->fault, bad_at);
		CHECK_EQ(res.fault, c->fault);
		CHECK_EQ(res.entries, 2);
		CHECK(!res.trailer);
		CHECK_EQ(res.fault_offset, c->fault == CPIO_NO_TRAILER ? a->len : bad_at);
		m = namei("/etc/motd");
		CHECK(m && m->i_size == (loff_t)strlen(motd));
		CHECK(namei("/after") == NULL);
		CHECK(strcmp(cpio_fault_str(res.fault), "?") != 0);
	}
	ramfs_destroy();
	free(a);
}

static void fault_names_field_and_member(void)
{
	struct ar *a = calloc(1, sizeof(*a));
	struct cpio_result res;
	unsigned int ignored;

	prefix(a);
	mk_bad_hex(a);
	unpack(a, &res, &ignored);
	CHECK_EQ(res.fault, CPIO_BAD_HEX);
	CHECK_STR(cpio_field_name(res.fault_field), "filesize");
	prefix(a);
	mk_no_parent(a);
	unpack(a, &res, &ignored);
	CHECK_STR(res.fault_name, "usr/bin/x");
	ramfs_destroy();
	free(a);
}

/* Every cut of the good archive, and many single-byte changes of it:
 * never a read outside it (ASan), always an answer. */
static void every_cut_and_flip_is_survived(void)
{
	struct ar *a = calloc(1, sizeof(*a));
	unsigned char *copy;
	size_t off[10], len;
	unsigned int seed = 12345, faults = 0;

	good_archive(a, off);
	len = a->len;
	for (size_t cut = 0; cut < len; cut++) {
		struct cpio_result res;
		unsigned int n = 0;

		copy = malloc(cut ? cut : 1);
		memcpy(copy, a->buf, cut);
		cpio_parse(copy, cut, count_actor, &n, &res);
		CHECK(res.fault != CPIO_OK);
		CHECK(res.fault_offset <= cut);
		CHECK_EQ(res.entries, n);
		free(copy);
	}
	for (int round = 0; round < 20000; round++) {
		struct cpio_result res;
		unsigned int n = 0;

		copy = malloc(len);
		memcpy(copy, a->buf, len);
		for (int k = 0; k < 1 + round % 3; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] = (unsigned char)(seed >> 20);
		}
		cpio_parse(copy, len, count_actor, &n, &res);
		CHECK_EQ(res.entries, n);
		CHECK(res.entries <= 9);
		faults += res.fault != CPIO_OK;
		free(copy);
	}
	CHECK(faults > 1000);	/* the flips did reach the parser's checks */
	free(a);
}

int main(void)
{
	RUN(good_archive_unpacks);
	RUN(namei_walks_like_linux);
	RUN(malformed_archives_keep_what_came_before);
	RUN(fault_names_field_and_member);
	RUN(every_cut_and_flip_is_survived);
	return HT_DONE();
}
