/* SPDX-License-Identifier: MIT */
/*
 * The user test programs' library (no libc): Linux i386 system calls by
 * number (arch/x86/entry/syscalls/syscall_32.tbl) returning -errno, the
 * uapi structures and constants they take, strings and numbers, a KTAP
 * printer (KTAP version 1, as the kernel's suites print it) and the
 * /proc/meminfo reader (docs/userspace.md, "Writing a user program").
 */
#ifndef USER_H
#define USER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Everything here is the program's own: no symbol goes through a GOT
 * entry, so the PIE build needs no relocation at run time. */
#pragma GCC visibility push(hidden)

/* ---- system call numbers (syscall_32.tbl) */
#define __NR_exit		1
#define __NR_fork		2
#define __NR_read		3
#define __NR_write		4
#define __NR_open		5
#define __NR_close		6
#define __NR_execve		11
#define __NR_lseek		19
#define __NR_getpid		20
#define __NR_kill		37
#define __NR_brk		45
#define __NR_ioctl		54
#define __NR_getppid		64
#define __NR_munmap		91
#define __NR_wait4		114
#define __NR_clone		120
#define __NR_uname		122
#define __NR_mprotect		125
#define __NR__llseek		140
#define __NR_writev		146
#define __NR_sched_yield	158
#define __NR_nanosleep		162
#define __NR_vfork		190
#define __NR_mmap2		192
#define __NR_stat64		195
#define __NR_fstat64		197
#define __NR_getdents64		220
#define __NR_gettid		224
#define __NR_set_thread_area	243
#define __NR_exit_group		252
#define __NR_set_tid_address	258
#define __NR_clock_gettime	265
#define __NR_openat		295
#define __NR_getrandom		355
#define __NR_statx		383

/* ---- errno values (asm-generic/errno-base.h, errno.h) */
#define EPERM	1
#define ENOENT	2
#define ESRCH	3
#define EINTR	4
#define EBADF	9
#define ECHILD	10
#define ENOMEM	12
#define EACCES	13
#define EFAULT	14
#define ENOTDIR	20
#define EISDIR	21
#define EINVAL	22
#define ENOTTY	25
#define ESPIPE	29
#define EROFS	30
#define ENOSYS	38
#define ENOEXEC	8

/* ---- open, mmap, wait, signals, clocks, ioctls */
#define O_RDONLY	00
#define O_WRONLY	01
#define O_RDWR		02
#define O_CREAT		0100
#define O_DIRECTORY	0200000
#define AT_FDCWD	(-100)
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#define PROT_NONE	0
#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_FAILED_MAX	4095	/* a result within 4095 of the top is -errno */

#define WNOHANG		1
#define SIGILL		4
#define SIGKILL		9
#define SIGSEGV		11
#define SIGTERM		15
#define SIGCHLD		17
#define WIFEXITED(s)	(((s) & 0x7f) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WIFSIGNALED(s)	(((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)	((s) & 0x7f)

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1

#define TCGETS		0x5401
#define TIOCGWINSZ	0x5413

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002

#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFREG		0100000

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_ENTRY	9
#define AT_UID		11
#define AT_RANDOM	25

#define PAGE_SIZE	4096UL

struct timespec32 { long tv_sec, tv_nsec; };
struct iovec { const void *iov_base; size_t iov_len; };
struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
struct user_desc {
	unsigned int entry_number, base_addr, limit;
	unsigned int seg_32bit:1, contents:2, read_exec_only:1, limit_in_pages:1,
		seg_not_present:1, useable:1;
};
struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; };
struct termios {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line, c_cc[19];
};
/* asm/stat.h's i386 struct stat64: 96 bytes. */
struct stat64 {
	unsigned long long st_dev;
	unsigned char __pad0[4];
	unsigned long __st_ino;
	unsigned int st_mode, st_nlink;
	unsigned long st_uid, st_gid;
	unsigned long long st_rdev;
	unsigned char __pad3[4];
	long long st_size;
	unsigned long st_blksize;
	unsigned long long st_blocks;
	unsigned long st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	unsigned long long st_ino;
};
struct statx_timestamp { long long tv_sec; unsigned int tv_nsec; int __reserved; };
struct statx {
	unsigned int stx_mask, stx_blksize;
	unsigned long long stx_attributes;
	unsigned int stx_nlink, stx_uid, stx_gid;
	unsigned short stx_mode, __spare0;
	unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	unsigned int stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	unsigned long long __spare2[14];
};
#define STATX_BASIC_STATS	0x7ff
struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};
#define DT_DIR	4
#define DT_REG	8

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;
#define ET_EXEC	2
#define ET_DYN	3

/* ---- system calls: the raw result, -errno on failure */
long __syscall6(long nr, long a, long b, long c, long d, long e, long f);
#define SC(nr, a, b, c, d, e, f) \
	__syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static inline long sys_read(int fd, void *buf, size_t n) { return SC(__NR_read, fd, buf, n, 0, 0, 0); }
static inline long sys_write(int fd, const void *buf, size_t n) { return SC(__NR_write, fd, buf, n, 0, 0, 0); }
static inline long sys_writev(int fd, const struct iovec *v, int n) { return SC(__NR_writev, fd, v, n, 0, 0, 0); }
static inline long sys_open(const char *p, int flags, int mode) { return SC(__NR_open, p, flags, mode, 0, 0, 0); }
static inline long sys_openat(int dfd, const char *p, int flags, int mode)
{ return SC(__NR_openat, dfd, p, flags, mode, 0, 0); }
static inline long sys_close(int fd) { return SC(__NR_close, fd, 0, 0, 0, 0, 0); }
static inline long sys_lseek(int fd, long off, int whence) { return SC(__NR_lseek, fd, off, whence, 0, 0, 0); }
static inline long sys_llseek(int fd, unsigned long hi, unsigned long lo, long long *res, int whence)
{ return SC(__NR__llseek, fd, hi, lo, res, whence, 0); }
static inline long sys_fstat64(int fd, struct stat64 *st) { return SC(__NR_fstat64, fd, st, 0, 0, 0, 0); }
static inline long sys_stat64(const char *p, struct stat64 *st) { return SC(__NR_stat64, p, st, 0, 0, 0, 0); }
static inline long sys_statx(int dfd, const char *p, int flags, unsigned int mask, struct statx *b)
{ return SC(__NR_statx, dfd, p, flags, mask, b, 0); }
static inline long sys_getdents64(int fd, void *buf, size_t n) { return SC(__NR_getdents64, fd, buf, n, 0, 0, 0); }
static inline long sys_ioctl(int fd, unsigned int cmd, void *arg) { return SC(__NR_ioctl, fd, cmd, arg, 0, 0, 0); }
static inline long sys_brk(void *p) { return SC(__NR_brk, p, 0, 0, 0, 0, 0); }
static inline long sys_mmap2(void *a, size_t len, int prot, int flags, int fd, unsigned long pgoff)
{ return SC(__NR_mmap2, a, len, prot, flags, fd, pgoff); }
static inline long sys_munmap(void *a, size_t len) { return SC(__NR_munmap, a, len, 0, 0, 0, 0); }
static inline long sys_mprotect(void *a, size_t len, int prot) { return SC(__NR_mprotect, a, len, prot, 0, 0, 0); }
static inline long sys_getpid(void) { return SC(__NR_getpid, 0, 0, 0, 0, 0, 0); }
static inline long sys_getppid(void) { return SC(__NR_getppid, 0, 0, 0, 0, 0, 0); }
static inline long sys_gettid(void) { return SC(__NR_gettid, 0, 0, 0, 0, 0, 0); }
static inline long sys_fork(void) { return SC(__NR_fork, 0, 0, 0, 0, 0, 0); }
static inline long sys_clone(unsigned long flags, void *sp) { return SC(__NR_clone, flags, sp, 0, 0, 0, 0); }
static inline long sys_wait4(int pid, int *status, int options, void *ru)
{ return SC(__NR_wait4, pid, status, options, ru, 0, 0); }
static inline long sys_kill(int pid, int sig) { return SC(__NR_kill, pid, sig, 0, 0, 0, 0); }
static inline long sys_execve(const char *p, char *const argv[], char *const envp[])
{ return SC(__NR_execve, p, argv, envp, 0, 0, 0); }
static inline long sys_uname(struct new_utsname *u) { return SC(__NR_uname, u, 0, 0, 0, 0, 0); }
static inline long sys_clock_gettime(int clk, struct timespec32 *t) { return SC(__NR_clock_gettime, clk, t, 0, 0, 0, 0); }
static inline long sys_nanosleep(const struct timespec32 *r, struct timespec32 *rem)
{ return SC(__NR_nanosleep, r, rem, 0, 0, 0, 0); }
static inline long sys_getrandom(void *buf, size_t n, unsigned int flags) { return SC(__NR_getrandom, buf, n, flags, 0, 0, 0); }
static inline long sys_sched_yield(void) { return SC(__NR_sched_yield, 0, 0, 0, 0, 0, 0); }
static inline long sys_set_tid_address(int *p) { return SC(__NR_set_tid_address, p, 0, 0, 0, 0, 0); }
static inline long sys_set_thread_area(struct user_desc *u) { return SC(__NR_set_thread_area, u, 0, 0, 0, 0, 0); }
__attribute__((noreturn)) void sys_exit_group(int code);
__attribute__((noreturn)) void sys_exit(int code);
/* vfork must not return through a frame the child could clobber: asm. */
long sys_vfork(void);

/* True when an mmap2 result r is -errno rather than an address. */
static inline bool mmap_failed(long r) { return (unsigned long)r >= -(unsigned long)MAP_FAILED_MAX; }
/* An anonymous private mapping of len bytes, prot; NULL on failure. */
void *map_anon(size_t len, int prot);

/* ---- strings and numbers (lib/string.c) */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* vsnprintf subset: %s %c %d %i %u %x %p %%, the l and ll sizes, a width, '0' and '-'. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Formatted to fd 1 in one write. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A decimal number (optionally negative) at s; false when s is not one. */
bool parse_long(const char *s, long *out);
/* The name of -err (ENOENT ...), or "E?" */
const char *errname(long err);

/* ---- KTAP (tests/user/lib/ktap.c): the program's one document on fd 1 */
void ktap_start(int planned);
/* ok/not ok for case name; returns cond. */
bool ktap_result(bool cond, const char *name);
void ktap_skip(const char *name, const char *reason);
/* A "# " diagnostic line. */
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The exit status: 0 when every case passed and as many ran as planned. */
int ktap_finish(void);
/* A program's cases in order: fn returns PASS, FAIL or skip("why"). */
enum { FAIL = 0, PASS = 1, SKIP = -1 };
struct ktap_case {
	const char *name;
	int (*fn)(void);
};
/* The whole document: the plan, each case, the exit status of ktap_finish. */
int ktap_run_cases(const struct ktap_case *cases, int n);
#define KTAP_RUN(cases) ktap_run_cases(cases, (int)(sizeof(cases) / sizeof(cases[0])))
/* The main of a program that is its cases. */
#define KTAP_MAIN(cases)						\
	int main(int argc, char **argv, char **envp)			\
	{								\
		(void)argc, (void)argv, (void)envp;			\
		return KTAP_RUN(cases);					\
	}
/* Make the current case skip with reason (a string that stays). */
int skip(const char *reason);

/* Check a == b, else a diagnostic naming both: returns a == b. */
#define CHECK_EQ(a, b) check_eq((long)(a), (long)(b), #a, #b, __LINE__)
bool check_eq(long a, long b, const char *as, const char *bs, int line);
#define CHECK(c) check_true((c), #c, __LINE__)
bool check_true(bool c, const char *s, int line);

/* ---- processes (tests/user/lib/proc.c) */
/* Fork a child that runs fn(arg) and exits with its result; the wait4
 * status, or -errno on failure. */
int run_child(int (*fn)(long), long arg);
/* The wait4 status of pid (blocking); -errno on failure. */
int wait_status(int pid);
/* "exit N" / "signal N" into buf, for diagnostics. */
const char *status_str(int status, char *buf, size_t n);

/* ---- /proc/meminfo (tests/user/lib/proc.c) */
struct meminfo {
	long mem_total, mem_free, high_total, high_free, slab, page_tables; /* kB, -1 if absent */
	long vma_count, mm_count;	/* our kernel's own lines, -1 if absent */
};
/* Read /proc/meminfo; 0 or -errno. */
int meminfo_read(struct meminfo *mi);
/* True when these are our kernel's lines (VmaCount: and MmCount: present):
 * only then are exact free-page counts meaningful. */
static inline bool meminfo_exact(const struct meminfo *mi) { return mi->vma_count >= 0 && mi->mm_count >= 0; }
/* True when /proc/meminfo is our kernel's; false under Linux or qemu-i386,
 * the reference, whose known deviations a case may then skip. */
bool on_our_kernel(void);
/* Grow the stack by n bytes now, so later calls allocate no stack pages. */
void stack_prefault(size_t n);

/* An absolute path of the test root: p itself on our kernel; under
 * qemu-i386 (tests/user/run-qemu.sh) with TEST_ROOT=DIR in the
 * environment, DIR/p. The result lives until the 8th call after. */
const char *root_path(const char *p);

/* ---- the start (tests/user/lib/start.c): argv, envp, auxv */
extern int __argc;
extern char **__argv, **__envp;
extern unsigned long *__auxv;
unsigned long getauxval(unsigned long type);
int main(int argc, char **argv, char **envp);

#pragma GCC visibility pop

#endif /* USER_H */
