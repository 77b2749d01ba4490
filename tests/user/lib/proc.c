// SPDX-License-Identifier: MIT
/*
 * Processes, mappings and /proc/meminfo for the user test programs:
 * a forked child per probe and its wait4 status (Linux's encoding:
 * code << 8, or the signal number), and meminfo's fields in kB
 * (Documentation/filesystems/proc.rst, plus our kernel's VmaCount: and
 * MmCount: lines, docs/userspace.md).
 */
#include "user.h"

int wait_status(int pid)
{
	int status = 0;
	long r;

	do
		r = sys_wait4(pid, &status, 0, NULL);
	while (r == -EINTR);
	return r < 0 ? (int)r : status;
}

int run_child(int (*fn)(long), long arg)
{
	long pid = sys_fork();

	if (pid < 0)
		return (int)pid;
	if (pid == 0)
		sys_exit_group(fn(arg));
	return wait_status((int)pid);
}

const char *status_str(int status, char *buf, size_t n)
{
	if (status < 0)
		snprintf(buf, n, "error %s", errname(status));
	else if (WIFEXITED(status))
		snprintf(buf, n, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, n, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, n, "status 0x%x", status);
	return buf;
}

void *map_anon(size_t len, int prot)
{
	long r = sys_mmap2(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return mmap_failed(r) ? NULL : (void *)r;
}

/* The value of "NAME: N kB" / "NAME: N" in text, or -1. */
static long field(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; *p; ) {
		if (!strncmp(p, name, n) && p[n] == ':') {
			long v = 0;

			for (p += n + 1; *p == ' '; p++)
				;
			if (*p < '0' || *p > '9')
				return -1;
			for (; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
			return v;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return -1;
}

int meminfo_read(struct meminfo *mi)
{
	char buf[4096];
	long fd, n, got = 0;

	fd = sys_open("/proc/meminfo", O_RDONLY, 0);
	if (fd < 0)
		return (int)fd;
	while (got < (long)sizeof(buf) - 1 &&
	       (n = sys_read((int)fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	sys_close((int)fd);
	buf[got] = '\0';
	mi->mem_total = field(buf, "MemTotal");
	mi->mem_free = field(buf, "MemFree");
	mi->high_total = field(buf, "HighTotal");
	mi->high_free = field(buf, "HighFree");
	mi->slab = field(buf, "Slab");
	mi->page_tables = field(buf, "PageTables");
	mi->vma_count = field(buf, "VmaCount");
	mi->mm_count = field(buf, "MmCount");
	return mi->mem_free < 0 ? -EINVAL : 0;
}

bool on_our_kernel(void)
{
	struct meminfo mi;

	return !meminfo_read(&mi) && meminfo_exact(&mi);
}

void stack_prefault(size_t n)
{
	volatile char *p = __builtin_alloca(n);

	/* From the top down, as a growing stack is touched. */
	for (size_t i = n; i >= 1024; i -= 1024)
		p[i - 1] = 0;
	p[0] = 0;
}
