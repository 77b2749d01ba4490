/* SPDX-License-Identifier: MIT */
/*
 * The project's only inline assembly: thin wrappers for port I/O, control
 * registers, MSRs, CPUID, the TLB and interrupt state (Intel SDM vol. 2).
 * The kernel and the UEFI loader (x86_64 and i386) both use it; a wrapper
 * the x86_64 assembler would reject is harmless there until it is called.
 */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A compiler barrier: no memory access moves across it. */
#define barrier()	__asm__ volatile("" : : : "memory")

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline unsigned long read_cr0(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* With PAE, a CR3 write also reloads the four PDPTEs into the CPU. */
static inline void write_cr3(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)) : "memory");
}

/*
 * RDMSR of an MSR the CPU may not have: 0 with *v, or -5 (-EIO, with *v
 * 0) when it raised #GP, which do_trap absorbs through the exception
 * table entry (kernel/extable.c). Kernel only.
 */
static inline int rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;
	int err;

	__asm__ volatile("movl $-5, %[err]\n"
			 "1:	rdmsr\n"
			 "	xorl %[err], %[err]\n"
			 "2:\n"
			 "	.pushsection __ex_table, \"a\"\n"
			 "	.balign 4\n"
			 "	.long 1b, 2b\n"
			 "	.popsection"
			 : [err] "=&r"(err), "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*v = err ? 0 : ((uint64_t)hi << 32) | lo;
	return err;
}

/* A full fence that also orders a later WRMSR to an x2APIC register,
 * which is not serializing (SDM vol. 3A §10.12.3): MFENCE; LFENCE, as
 * Linux's weak_wrmsr_fence. Only for CPUs with SSE2 (every x2APIC one). */
static inline void weak_wrmsr_fence(void)
{
	__asm__ volatile("mfence; lfence" : : : "memory");
}

/* Write back and invalidate every cache line (SDM vol. 2B, WBINVD). */
static inline void wbinvd(void)
{
	__asm__ volatile("wbinvd" : : : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* The string instructions with a count: lib/string.c's memcpy and memset
 * are built on them, as Linux's i386 ones are. rep_movsl copies forward,
 * element by element as far as the result shows (Intel SDM vol. 1
 * §7.3.9.3: fast-string operation falls back when the buffers overlap
 * closely), so a forward copy to a lower address is safe. */
static inline void rep_movsl(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsl"
			 : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static inline void rep_movsb(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static inline void rep_stosl(void *dst, uint32_t v, size_t n)
{
	__asm__ volatile("rep stosl" : "+D"(dst), "+c"(n) : "a"(v) : "memory");
}

static inline void rep_stosb(void *dst, uint8_t v, size_t n)
{
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(v) : "memory");
}

/*
 * Zeroes nblocks * 128 bytes from dst (16-byte aligned) with SSE stores
 * of %xmm0, 16 bytes each (memset's large zero fills, after
 * sse_clear_init). The kernel is built without SSE, so %xmm0 is used by
 * nothing else and only ever holds zero: a handler that interrupts the
 * loop and runs it too leaves it as it was. A process's own %xmm0 must
 * be saved first: memset brackets this with kernel_fpu_begin/end
 * (kernel/process.c).
 */
static inline void sse_clear_blocks(void *dst, size_t nblocks)
{
	__asm__ volatile("xorps %%xmm0, %%xmm0\n"
			 "1:\tmovaps %%xmm0, (%0)\n\tmovaps %%xmm0, 16(%0)\n"
			 "\tmovaps %%xmm0, 32(%0)\n\tmovaps %%xmm0, 48(%0)\n"
			 "\tmovaps %%xmm0, 64(%0)\n\tmovaps %%xmm0, 80(%0)\n"
			 "\tmovaps %%xmm0, 96(%0)\n\tmovaps %%xmm0, 112(%0)\n"
			 "\tadd $128, %0\n\tdec %1\n\tjnz 1b"
			 : "+r"(dst), "+r"(nblocks) : : "memory", "cc");
}

/* The x87/SSE state to and from memory (SDM vol. 1 §10.5 FXSAVE: a
 * 512-byte image, 16-byte aligned; FNSAVE's 108-byte one where the CPU
 * has no FXSR, which also reinitialises the x87). */
static inline void fxsave(void *img)
{
	__asm__ volatile("fxsave (%0)" : : "r"(img) : "memory");
}

static inline void fxrstor(const void *img)
{
	__asm__ volatile("fxrstor (%0)" : : "r"(img) : "memory");
}

static inline void fnsave(void *img)
{
	__asm__ volatile("fnsave (%0)" : : "r"(img) : "memory");
}

static inline void frstor(const void *img)
{
	__asm__ volatile("frstor (%0)" : : "r"(img) : "memory");
}

/* A random 32-bit value from the CPU's generator (RDRAND), false when
 * it had none ready (CF clear). */
static inline bool rdrand_u32(uint32_t *v)
{
	bool ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static inline void __flush_tlb_one(unsigned long addr)
{
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline unsigned long native_save_fl(void)
{
	unsigned long f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f) : : "memory");
	return f;
}

static inline void local_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/* STI's one-instruction interrupt shadow covers HLT: an interrupt that is
 * already pending wakes the HLT instead of slipping in before it. */
static inline void safe_halt(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* A breakpoint exception (#BP, vector 3); with an empty IDT, the start
 * of a triple fault (kernel/reboot.c). */
static inline void int3(void)
{
	__asm__ volatile("int3" : : : "memory");
}

/* Bochs's magic breakpoint (magic_break: enabled=1); a no-op elsewhere. */
static inline void bochs_magic_break(void)
{
	__asm__ volatile("xchgw %%bx, %%bx" : : : "memory");
}

/* A 32-bit load through %fs, the per-CPU segment (asm/percpu.h). Not
 * volatile: what it reads never changes under the running thread. */
static inline uint32_t fs_read_u32(unsigned long offset)
{
	uint32_t v;
	__asm__("movl %%fs:(%1), %0" : "=r"(v) : "r"(offset));
	return v;
}

static inline void load_fs(uint16_t sel)
{
	__asm__ volatile("movw %0, %%fs" : : "r"(sel) : "memory");
}

static inline void load_tr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel));
}

struct desc_ptr {
	uint16_t size;
	uint32_t address;
} __attribute__((packed));

static inline void load_gdt(const struct desc_ptr *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p));
}

static inline void load_idt(const struct desc_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p));
}

/* Reload CS with a far return and the data segment registers. */
static inline void load_segments(uint16_t cs, uint16_t ds)
{
	__asm__ volatile("pushl %0\n\t"
			 "pushl $1f\n\t"
			 "lretl\n"
			 "1:\n\t"
			 "movw %1, %%ds\n\t"
			 "movw %1, %%es\n\t"
			 "movw %1, %%fs\n\t"
			 "movw %1, %%gs\n\t"
			 "movw %1, %%ss"
			 : : "r"((uint32_t)cs), "r"(ds) : "memory");
}

#endif /* ASM_X86_H */
