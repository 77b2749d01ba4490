/* SPDX-License-Identifier: MIT */
/*
 * exec: a static ELF32 executable (ET_EXEC, or ET_DYN static-pie at
 * ELF_ET_DYN_BASE) replaces the current process's image. The new address
 * space is built whole beside the old one (each PT_LOAD a private file
 * mapping with the segment's protection, bss anonymous, the stack VMA
 * under STACK_TOP); only then is the old one let go (the point of no
 * return). Linux's fs/exec.c and fs/binfmt_elf.c for the steps and
 * names; kernel/binfmt_elf.c for the checks and the stack layout.
 */
#define pr_fmt(fmt) "exec: " fmt

#include "asm/processor.h"
#include "asm/uaccess.h"
#include "asm/x86.h"
#include "kernel/binfmt_elf.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/mmap.h"
#include "mm/slab.h"

#define ARG_MAX		(128 * 1024)	/* argv + envp strings and pointers */
#define MAX_ARG_STRINGS	(ARG_MAX / 8)	/* argv's and envp's pointers, NULLs included */
#define PATH_MAX	4096
#define STACK_EXPAND	(128 * 1024)	/* stack VMA room below the tables (Linux's stack_expand) */
#define USER_HZ		100		/* AT_CLKTCK */

extern spinlock_t tasklist_lock;
void mm_release_vfork(struct task_struct *t);
/* kernel/sys.c's getrandom source. */
void get_random_bytes(void *buf, size_t n);

/* PF_* of a segment as PROT_*. */
static unsigned long elf_prot(uint32_t p_flags)
{
	return ((p_flags & PF_R) ? PROT_READ : 0) | ((p_flags & PF_W) ? PROT_WRITE : 0) |
	       ((p_flags & PF_X) ? PROT_EXEC : 0);
}

/* Map each PT_LOAD into mm: the file part as a private file mapping,
 * the rest of memsz (bss) anonymous. 0 or -errno. */
static int map_segments(struct mm_struct *mm, struct file *file, const Elf32_Phdr *phdrs,
			unsigned int phnum, uint32_t bias)
{
	for (unsigned int i = 0; i < phnum; i++) {
		const Elf32_Phdr *ph = &phdrs[i];
		unsigned long start = ph->p_vaddr + bias, prot = elf_prot(ph->p_flags);
		unsigned long page = start & PAGE_MASK;
		unsigned long file_end = PAGE_ALIGN(start + ph->p_filesz);
		unsigned long mem_end = PAGE_ALIGN(start + ph->p_memsz);
		unsigned long addr;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz) {
			addr = do_mmap(mm, file, page, file_end - page, prot,
				       MAP_PRIVATE | MAP_FIXED,
				       (ph->p_offset & PAGE_MASK) >> PAGE_SHIFT);
			if (IS_ERR_VALUE(addr))
				return (long)addr;
		} else {
			file_end = page;
		}
		if (mem_end > file_end) {
			addr = do_mmap(mm, NULL, file_end, mem_end - file_end, prot,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
			if (IS_ERR_VALUE(addr))
				return (long)addr;
		}
	}
	return 0;
}

/* The bytes of the last file page of each segment past p_filesz are
 * bss: cleared once the new mm is loaded (Linux's padzero). */
static int clear_bss_tails(const Elf32_Phdr *phdrs, unsigned int phnum, uint32_t bias)
{
	for (unsigned int i = 0; i < phnum; i++) {
		const Elf32_Phdr *ph = &phdrs[i];
		unsigned long end = ph->p_vaddr + bias + ph->p_filesz;
		unsigned long len = PAGE_ALIGN(end) - end;

		if (ph->p_type != PT_LOAD || ph->p_memsz <= ph->p_filesz || !ph->p_filesz)
			continue;
		if (len > ph->p_memsz - ph->p_filesz)
			len = ph->p_memsz - ph->p_filesz;
		if (len && (ph->p_flags & PF_W) && clear_user((void __user *)end, len))
			return -EFAULT;
	}
	return 0;
}

/* The new image becomes current's: its mm loaded, the old one let go
 * (Linux's exec_mmap). A kernel-started process had only a borrowed
 * active_mm, whose reference is dropped. */
void exec_mmap(struct mm_struct *mm)
{
	struct task_struct *t = current;
	struct mm_struct *old_mm = t->mm, *active_mm;
	unsigned long flags;

	mm_release_vfork(t);
	/* tasklist_lock: maps PID takes its reference to t->mm under it. */
	spin_lock_irqsave(&tasklist_lock, flags);
	active_mm = t->active_mm;
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(active_mm, mm);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (old_mm)
		mmput(old_mm);
	else if (active_mm)
		mmdrop(active_mm);
}

static const char *kbasename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int count_strings(const char *const v[])
{
	int n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Read n bytes at pos exactly; -ENOEXEC when the file is shorter. */
static int read_exact(struct file *f, void *buf, size_t n, loff_t pos)
{
	long got = kernel_read(f, buf, n, &pos);

	if (got < 0)
		return got;
	return (size_t)got == n ? 0 : -ENOEXEC;
}

int kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	struct task_struct *t = current;
	struct pt_regs *regs = current_pt_regs();
	int argc = count_strings(argv), envc = count_strings(envp);
	struct elf_auxv_in aux = { .platform = "i686", .clktck = USER_HZ };
	struct elf_stack_layout layout;
	struct elf_exec_info info;
	char msg[ELF_MSG_MAX];
	Elf32_Ehdr ehdr;
	Elf32_Phdr *phdrs = NULL;
	struct mm_struct *mm = NULL;
	uint8_t *stack = NULL;
	size_t strings = 0, stack_size;
	struct file *file;
	loff_t size;
	int err;

	for (int i = 0; i < argc; i++)
		strings += strlen(argv[i]) + 1 + 4;
	for (int i = 0; i < envc; i++)
		strings += strlen(envp[i]) + 1 + 4;
	if (strings > ARG_MAX)
		return -E2BIG;

	file = filp_open(path, O_RDONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);
	/* As Linux: a regular file with an execute bit (a directory too
	 * is -EACCES). */
	if ((file->f_inode->i_mode & S_IFMT) != S_IFREG || !(file->f_inode->i_mode & 0111)) {
		err = -EACCES;
		goto out_file;
	}
	size = file->f_inode->i_size;
	memset(&ehdr, 0, sizeof(ehdr));
	err = read_exact(file, &ehdr, size < (loff_t)sizeof(ehdr) ? (size_t)size : sizeof(ehdr), 0);
	if (!err)
		err = elf_check_exec(&ehdr, NULL, size, &info, msg, sizeof(msg));
	if (!err) {
		phdrs = kmalloc(ehdr.e_phnum * sizeof(*phdrs), GFP_KERNEL);
		err = phdrs ? read_exact(file, phdrs, ehdr.e_phnum * sizeof(*phdrs), ehdr.e_phoff)
			    : -ENOMEM;
		if (!err)
			err = elf_check_exec(&ehdr, phdrs, size, &info, msg, sizeof(msg));
	}
	if (err == -ENOEXEC && size >= SELFMAG)
		pr_err("%s: %s\n", path, msg);
	if (err)
		goto out_free;

	/* The stack image: strings, tables and slack for the alignment. */
	stack_size = PAGE_ALIGN(strings + strlen(path) + 1 + 4 + 64 + 16 +
				4 * (3 + ELF_AUXV_WORDS) + 32);
	stack = kmalloc(stack_size, GFP_KERNEL);
	if (!stack) {
		err = -ENOMEM;
		goto out_free;
	}
	aux.phdr = info.phdr_addr;
	aux.phent = sizeof(Elf32_Phdr);
	aux.phnum = info.phnum;
	aux.entry = info.entry;
	aux.hwcap = boot_cpu_data.edx1;
	get_random_bytes(aux.random, sizeof(aux.random));
	err = create_elf_tables(stack, stack_size, STACK_TOP, argv, argc, envp, envc, path,
				&aux, &layout);
	if (err)
		goto out_free;

	/* The new address space, beside the old one. */
	mm = mm_alloc();
	if (!mm) {
		err = -ENOMEM;
		goto out_free;
	}
	err = map_segments(mm, file, phdrs, info.phnum, info.load_bias);
	if (!err) {
		unsigned long len = PAGE_ALIGN(STACK_TOP - layout.sp) + STACK_EXPAND;
		unsigned long addr = do_mmap(mm, NULL, STACK_TOP - len, len,
					     PROT_READ | PROT_WRITE | (info.exec_stack ? PROT_EXEC : 0),
					     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, 0);

		if (IS_ERR_VALUE(addr))
			err = (long)addr;
	}
	if (err)
		goto out_free;
	mm->start_code = info.start_code;
	mm->end_code = info.end_code;
	mm->start_data = info.start_data;
	mm->end_data = info.end_data;
	mm->start_brk = mm->brk = PAGE_ALIGN(info.brk);
	mm->start_stack = layout.sp;
	mm->arg_start = layout.arg_start;
	mm->arg_end = layout.arg_end;
	mm->env_start = layout.env_start;
	mm->env_end = layout.env_end;
	memcpy(mm->saved_auxv, layout.auxv, layout.auxv_words * 4);

	/* The point of no return: the old image goes; a failure from here
	 * on ends the process. */
	exec_mmap(mm);
	mm = NULL;
	if (copy_to_user((void __user *)layout.sp, stack + (layout.sp - (STACK_TOP - stack_size)),
			 STACK_TOP - layout.sp) ||
	    clear_bss_tails(phdrs, info.phnum, info.load_bias)) {
		pr_err("%s[%d]: cannot set up the new image; killed\n", kbasename(path), t->pid);
		force_sig_fault(SIGSEGV, layout.sp, regs);
	}
	if (t->files)
		do_close_on_exec(t->files);
	strscpy(t->comm, kbasename(path), sizeof(t->comm));
	t->exe_inode = file->f_inode;
	t->clear_child_tid = 0;
	/* i386's ELF_PLAT_INIT: the general registers start at zero. */
	regs->ebx = regs->ecx = regs->edx = regs->esi = regs->edi = regs->ebp = regs->eax = 0;
	start_thread(regs, info.entry, layout.sp);
	err = 0;

out_free:
	if (mm)
		mmput(mm);
	kfree(stack);
	kfree(phdrs);
out_file:
	fput(file);
	return err;
}

/* ------------------------------------------------------------ execve(2) */

/* Copy the user's NULL-ended array of strings into buf (strings packed
 * from *used on) and vec (at most max pointers, NULL-ended). The count,
 * or -EFAULT / -E2BIG. */
static int copy_strings(const char __user *const __user *uvec, const char **vec, int max,
			char *buf, size_t *used)
{
	int n = 0;

	if (!uvec) {
		vec[0] = NULL;
		return 0;
	}
	for (;; n++) {
		uint32_t p;
		long len;

		if (get_user_u32(&p, (const uint32_t __user *)&uvec[n]))
			return -EFAULT;
		if (!p)
			break;
		if (n >= max - 1 || *used >= ARG_MAX)
			return -E2BIG;
		len = strncpy_from_user(buf + *used, (const char __user *)p, ARG_MAX - *used);
		if (len < 0)
			return len;
		if ((size_t)len >= ARG_MAX - *used)
			return -E2BIG;
		vec[n] = buf + *used;
		*used += len + 1 + 4;	/* the pointer counts too */
	}
	vec[n] = NULL;
	return n;
}

long sys_execve(const char __user *filename, const char __user *const __user *argv,
		const char __user *const __user *envp)
{
	/* kmalloc, not vmalloc: whole blocks of the page allocator, given
	 * back as they were (an exec chain leaves MemFree exact). */
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	char *strings = kmalloc(ARG_MAX, GFP_KERNEL);
	const char **vec = kmalloc(2 * MAX_ARG_STRINGS * sizeof(char *), GFP_KERNEL);
	const char **av = vec, **ev = vec + MAX_ARG_STRINGS;
	size_t used = 0;
	long ret;

	if (!path || !strings || !vec) {
		ret = -ENOMEM;
		goto out;
	}
	ret = strncpy_from_user(path, filename, PATH_MAX);
	if (ret < 0)
		goto out;
	if (ret >= PATH_MAX) {
		ret = -ENAMETOOLONG;
		goto out;
	}
	if (!ret) {
		ret = -ENOENT;
		goto out;
	}
	ret = copy_strings(argv, av, MAX_ARG_STRINGS, strings, &used);
	if (ret >= 0)
		ret = copy_strings(envp, ev, MAX_ARG_STRINGS, strings, &used);
	if (ret >= 0)
		ret = kernel_execve(path, av, ev);
out:
	kfree(vec);
	kfree(strings);
	kfree(path);
	return ret;
}
