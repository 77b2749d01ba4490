/* SPDX-License-Identifier: MIT */
/*
 * The system calls, Linux i386 ABI (int $0x80: number in eax, arguments
 * in ebx, ecx, edx, esi, edi, ebp, result in eax, -errno on failure),
 * numbered as Linux's arch/x86/entry/syscalls/syscall_32.tbl. The table
 * is kernel/syscall_32.c; each call lives with what it works on.
 */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include <stdint.h>
#include "asm/ptrace.h"
#include "asm/uaccess.h"
#include "kernel/types.h"

struct iovec;
struct stat64;
struct statx;
struct user_desc;	/* asm/ldt.h */
struct rusage;

/* uname's answer (Linux's struct new_utsname): six NUL-ended fields. */
#define __NEW_UTS_LEN	64
struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

/* old_timespec32: i386's clock_gettime and nanosleep (32-bit seconds). */
struct timespec32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

/* kernel/syscall_32.c: the user frame of the current system call (on
 * the top of the task's kernel stack). */
struct pt_regs *current_pt_regs(void);

/* kernel/exit.c, kernel/fork.c, kernel/exec.c, kernel/signal.c */
long sys_exit(int code);
long sys_exit_group(int code);
long sys_fork(void);
long sys_vfork(void);
long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid,
	       unsigned long tls, int __user *child_tid);
long sys_execve(const char __user *filename, const char __user *const __user *argv,
		const char __user *const __user *envp);
long sys_wait4(int pid, int __user *status, int options, struct rusage __user *ru);
long sys_waitpid(int pid, int __user *status, int options);
long sys_kill(int pid, int sig);
long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_set_tid_address(int __user *tidptr);

/* fs/read_write.c, fs/open.c, fs/stat.c, fs/readdir.c, fs/ioctl.c */
long sys_read(unsigned int fd, char __user *buf, size_t count);
long sys_write(unsigned int fd, const char __user *buf, size_t count);
long sys_readv(unsigned int fd, const struct iovec __user *vec, unsigned int vlen);
long sys_writev(unsigned int fd, const struct iovec __user *vec, unsigned int vlen);
long sys_open(const char __user *filename, int flags, int mode);
long sys_openat(int dfd, const char __user *filename, int flags, int mode);
long sys_close(unsigned int fd);
long sys_lseek(unsigned int fd, long offset, unsigned int whence);
long sys_llseek(unsigned int fd, unsigned long offset_high, unsigned long offset_low,
		loff_t __user *result, unsigned int whence);
long sys_fstat64(unsigned int fd, struct stat64 __user *st);
long sys_stat64(const char __user *filename, struct stat64 __user *st);
long sys_lstat64(const char __user *filename, struct stat64 __user *st);
long sys_statx(int dfd, const char __user *filename, unsigned int flags,
	       unsigned int mask, struct statx __user *buf);
long sys_getdents64(unsigned int fd, void __user *dirent, unsigned int count);
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);
/* More of the file calls a static busybox or libc makes (fs/fcntl.c,
 * fs/stat.c, fs/open.c, fs/read_write.c); their numbers in Linux's
 * syscall_32.tbl: dup 41, dup2 63, dup3 330, fcntl64 221, fstatat64 300,
 * readlink 85, readlinkat 305, access 33, faccessat 307, getcwd 183,
 * pread64 180. */
long sys_dup(unsigned int fd);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
long sys_fcntl64(unsigned int fd, unsigned int cmd, unsigned long arg);
long sys_fstatat64(int dfd, const char __user *filename, struct stat64 __user *st, int flag);
long sys_readlink(const char __user *path, char __user *buf, int bufsiz);
long sys_readlinkat(int dfd, const char __user *path, char __user *buf, int bufsiz);
long sys_access(const char __user *filename, int mode);
long sys_faccessat(int dfd, const char __user *filename, int mode);
long sys_getcwd(char __user *buf, unsigned long size);
long sys_pread64(unsigned int fd, char __user *buf, size_t count, unsigned long pos_lo,
		 unsigned long pos_hi);

/* mm/mmap.c */
long sys_brk(unsigned long brk);
long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot,
	       unsigned long flags, unsigned long fd, unsigned long pgoff);
long sys_munmap(unsigned long addr, size_t len);
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);

/* kernel/sys.c, kernel/tls.c, kernel/time.c */
long sys_newuname(struct new_utsname __user *name);
long sys_set_thread_area(struct user_desc __user *u_info);
long sys_get_thread_area(struct user_desc __user *u_info);
long sys_clock_gettime(int which, struct timespec32 __user *tp);
long sys_nanosleep(struct timespec32 __user *rqtp, struct timespec32 __user *rmtp);
long sys_clock_nanosleep(int which, int flags, struct timespec32 __user *rqtp,
			 struct timespec32 __user *rmtp);
long sys_clock_getres(int which, struct timespec32 __user *tp);
long sys_getrandom(char __user *buf, size_t count, unsigned int flags);
long sys_sched_yield(void);
long sys_getuid(void);		/* also getgid, geteuid, getegid and the *32 forms */
struct rlimit32;
struct rlimit64;
long sys_getrlimit(unsigned int resource, struct rlimit32 __user *rlim);	/* ugetrlimit */
long sys_prlimit64(int pid, unsigned int resource, const struct rlimit64 __user *new_rlim,
		   struct rlimit64 __user *old_rlim);

/* kernel/signal.c: actions and masks kept as Linux checks them, no handler runs */
struct k_sigaction32;
long sys_rt_sigaction(int sig, const struct k_sigaction32 __user *act,
		      struct k_sigaction32 __user *oact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const uint32_t __user *set, uint32_t __user *oset,
			size_t sigsetsize);
long sys_ni_syscall(void);

#endif /* KERNEL_SYSCALLS_H */
