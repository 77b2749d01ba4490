/* SPDX-License-Identifier: MIT */
/*
 * The Linux side of docs/userspace.md's null system call figure: a static
 * i386 program, run as PID 1 of Linux 686-pae under QEMU -icount shift=0
 * (where a TSC cycle is an instruction), that makes 10000 int $0x80
 * clock_gettime(-1, NULL) calls (-EINVAL at once, Linux i386 ABI), prints
 * the TSC cycles per call three times, and powers the machine off.
 * test_syscall.c's null_syscall_cost measures pae32 the same way.
 * Build: clang --target=i686-linux-gnu -march=i686 -O2 -ffreestanding
 * -nostdlib -static -fno-pic -fno-stack-protector -fuse-ld=lld.
 */
typedef unsigned long long u64;
typedef unsigned long u32;

static long sys3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static long sys4(long nr, long a, long b, long c, long d)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
			 : "memory");
	return r;
}

static u64 rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static void put(const char *s)
{
	int n = 0;

	while (s[n])
		n++;
	sys3(4, 1, (long)s, n);		/* write */
}

static void putu(u32 v)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(b + i);
}

void _start(void);
void _start(void)
{
	const unsigned int n = 10000;

	for (int rep = 0; rep < 3; rep++) {
		u64 t0 = rdtsc();

		for (unsigned int i = 0; i < n; i++)
			sys3(265, -1, 0, 0);	/* clock_gettime */
		put("linuxnull: ");
		putu((u32)(rdtsc() - t0) / n);
		put(" TSC cycles per clock_gettime(-1, NULL)\n");
	}
	sys4(88, 0xfee1dead, 672274793, 0x4321fedc, 0);	/* reboot: power off */
	for (;;)
		;
}
