/* SPDX-License-Identifier: MIT */
/*
 * The cpio "newc" archive format (the "new ASCII" format of GNU cpio's
 * manual, the one Linux's initramfs takes: Documentation/driver-api/
 * early-userspace/buffer-format.rst): a 110-byte header of the magic
 * 070701 and thirteen 8-digit hex fields, the NUL-ended name, the data,
 * each of name and data padded to 4 bytes; the entry TRAILER!!! ends it.
 * fs/initramfs.c parses it; pure code, also built into tests/host/test_cpio.c.
 */
#ifndef KERNEL_CPIO_H
#define KERNEL_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_HDR_SIZE		110
#define CPIO_PATH_MAX		4096	/* PATH_MAX, the NUL included */
#define CPIO_TRAILER		"TRAILER!!!"

/* One archive member, as the parser hands it to its actor. */
struct cpio_entry {
	size_t offset;			/* of its header in the archive */
	const char *path;		/* normalised: no leading "./" or "/"; NUL ended */
	size_t path_len;
	unsigned int ino, mode, uid, gid, nlink;
	long mtime;
	unsigned int rdevmajor, rdevminor;
	const void *data;		/* filesize bytes inside the archive */
	size_t filesize;
};

/* The faults, one for each way an archive can be malformed. */
enum cpio_fault {
	CPIO_OK,
	CPIO_BAD_MAGIC,			/* not 070701 / 070702 */
	CPIO_BAD_HEX,			/* a header field that is not 8 hex digits */
	CPIO_TRUNC_HEADER,		/* the archive ends inside a header */
	CPIO_TRUNC_NAME,		/* ... inside a name */
	CPIO_TRUNC_DATA,		/* ... inside the data */
	CPIO_NAME_NO_NUL,		/* namesize 0, or no NUL at its end */
	CPIO_NAME_INNER_NUL,		/* a NUL before the end of the name */
	CPIO_NAME_TOO_LONG,		/* namesize over CPIO_PATH_MAX */
	CPIO_PATH_DOTDOT,		/* a ".." component */
	CPIO_PATH_DOT,			/* a "." component inside the path */
	CPIO_PATH_EMPTY,		/* "//" or a trailing '/' */
	CPIO_BAD_TYPE,			/* a file type that is none of Linux's */
	CPIO_DIR_DATA,			/* a directory with data */
	CPIO_LINK_SIZE,			/* a symlink target empty or over PATH_MAX */
	CPIO_NO_TRAILER,		/* the archive ends without TRAILER!!! */
	/* reported by the actor (fs/ramfs.c: the tree) */
	CPIO_NO_PARENT,			/* the directory it goes into is absent */
	CPIO_PARENT_NOT_DIR,		/* ... is not a directory */
	CPIO_EXISTS,			/* a second entry of the same path */
	CPIO_NO_MEMORY,
	CPIO_ROOT_NOT_DIR,		/* "." as something else than a directory */
	NR_CPIO_FAULTS
};

/* The words for a fault, e.g. "bad magic (not 070701)". */
const char *cpio_fault_str(enum cpio_fault f);

/* What cpio_parse() found: entries handed to the actor, the trailer,
 * and the first fault with its archive offset. */
struct cpio_result {
	unsigned int entries;		/* members the actor took */
	bool trailer;
	enum cpio_fault fault;		/* CPIO_OK, or why the parse stopped */
	size_t fault_offset;		/* of the faulty header, or the end */
	unsigned int fault_field;	/* CPIO_BAD_HEX: which field (0 = ino ... 12 = check) */
	char fault_name[64];		/* the member's name when known, cut */
};

/* The name of header field i (0..12), e.g. "filesize". */
const char *cpio_field_name(unsigned int i);

/*
 * cpio_parse - walk the newc archive buf[0, len): each member up to the
 * trailer goes to actor (in archive order; the root entry "." too), which
 * returns CPIO_OK or a fault of its own. The walk stops at the first
 * fault; what the actor took before it stays. The archive is only read:
 * entry paths and data point into it.
 */
void cpio_parse(const void *buf, size_t len,
		enum cpio_fault (*actor)(const struct cpio_entry *e, void *arg),
		void *arg, struct cpio_result *res);

#endif /* KERNEL_CPIO_H */
