/* SPDX-License-Identifier: MIT */
/*
 * kmalloc/kfree over power-of-two size caches of one-page slabs, each
 * slab with an allocation bitmap so that bad and double frees are caught,
 * and larger requests passed whole to the page allocator (Bonwick, "The
 * Slab Allocator", USENIX 1994, for slabs and their partial/full/empty
 * lists; the per-CPU slab as in Linux's mm/slub.c; names as in Linux's
 * mm/slab_common.c and mm/slub.c).
 *
 * A slab is one order-0 page with PG_slab set, private = its cache,
 * freelist = its first free object (each free object's first word points
 * to the next), inuse = objects not on that free list. Objects are
 * aligned to their size, and the last one ends the page, so that an
 * object's start is checked with one mask and its index found with one
 * shift. The bitmap (bit i set = object i in use) lives in page->objmap
 * when a slab holds at most 32 objects (128 bytes and up), so that those
 * classes fill the page exactly; smaller classes keep it at the start of
 * the page, which costs them at most one object.
 *
 * Each CPU has a slab of each cache to itself (struct kmem_cache_cpu, as
 * SLUB's): the slab is "frozen", on none of the cache's lists, and its
 * free objects are on the CPU's own free list, which kmalloc pops and
 * kfree pushes with only interrupts off on that CPU. Everything else (a
 * free to another slab, or to another CPU's slab, a refill) takes
 * kmalloc_lock. Both paths keep the bitmap with locked bit operations, so
 * a double free is caught wherever the object sits. A frozen slab's
 * inuse counts its objects in use and those on the CPU's free list; kfree
 * from another CPU puts objects on page->freelist, which the owner takes
 * back when its own list runs dry. Sizes index the caches through a
 * table, as Linux's size_index.
 *
 * A kmalloc block larger than KMALLOC_MAX_CACHE_SIZE is an alloc_pages
 * block whose head has PG_large_kmalloc and private = its order.
 */
#define pr_fmt(fmt) "slab: " fmt

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"

#ifdef HOST_TEST
/* One CPU and no interrupts on the simulated machine. */
#define NR_CPU_SLABS		1
#define slab_irq_save(f)	((f) = 0)
#define slab_irq_restore(f)	((void)(f))
#else
#include "asm/percpu.h"
#define NR_CPU_SLABS		NR_CPUS
#define slab_irq_save(f)	local_irq_save(f)
#define slab_irq_restore(f)	local_irq_restore(f)
#endif

#define KMALLOC_SHIFT_MIN	3	/* 8 bytes */
#define KMALLOC_SHIFT_MAX	11	/* 2048 bytes */
#define NR_KMALLOC_SIZES	(KMALLOC_SHIFT_MAX - KMALLOC_SHIFT_MIN + 1)
BUILD_BUG_ON((1 << KMALLOC_SHIFT_MIN) != KMALLOC_MIN_SIZE);
BUILD_BUG_ON((1 << KMALLOC_SHIFT_MAX) != KMALLOC_MAX_CACHE_SIZE);

/* A free object holds the free-list link. */
BUILD_BUG_ON(KMALLOC_MIN_SIZE < sizeof(void *));

#define OBJMAP_BITS		32	/* bits in page->objmap */

/* Normal caches take GFP_KERNEL pages (Normal, then DMA); the DMA caches
 * take pages of ZONE_DMA only. */
enum kmalloc_type { KMALLOC_NORMAL, KMALLOC_DMA, NR_KMALLOC_TYPES };

/* One CPU's slab of a cache; touched only by that CPU, interrupts off. */
struct kmem_cache_cpu {
	void **freelist;		/* free objects of page, for this CPU */
	struct page *page;		/* the frozen slab, or NULL */
	unsigned long first;		/* page's object 0 */
	unsigned int *map;		/* page's in-use bitmap */
	/* page's objects not on freelist: in use, or freed by another CPU
	 * to page->freelist; 0 when the slab is empty */
	unsigned int held;
	/* Copies of the cache's, so that kmalloc's fast path reads only
	 * this struct. */
	unsigned int shift;
	unsigned long check_mask;
} __aligned(32);

struct kmem_cache {
	struct kmem_cache_cpu cpu_slab[NR_CPU_SLABS];	/* by CPU number */
	unsigned int size;		/* object size and alignment */
	unsigned int shift;		/* log2(size): object index = offset >> shift */
	/* An offset from object 0 with one of these bits set is not an
	 * object's start: (size - 1) | ~(PAGE_SIZE - 1). */
	unsigned long check_mask;
	unsigned int objects;		/* per slab */
	unsigned int offset;		/* of object 0 within the page */
	bool map_in_page;		/* bitmap at the page start, else objmap */
	gfp_t gfp;			/* for new slabs */
	const char *name;
	struct list_head partial;	/* slabs with objects free and in use */
	struct list_head full;		/* slabs with none free */
	struct list_head empty;		/* slabs with none in use (see slab_keep_empty) */
	unsigned long nr_slabs;		/* on the lists and frozen */
};

static struct kmem_cache kmalloc_caches[NR_KMALLOC_TYPES][NR_KMALLOC_SIZES];

static const char *const kmalloc_names[NR_KMALLOC_TYPES][NR_KMALLOC_SIZES] = {
	[KMALLOC_NORMAL] = {
		"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64",
		"kmalloc-128", "kmalloc-256", "kmalloc-512", "kmalloc-1024",
		"kmalloc-2048",
	},
	[KMALLOC_DMA] = {
		"dma-kmalloc-8", "dma-kmalloc-16", "dma-kmalloc-32",
		"dma-kmalloc-64", "dma-kmalloc-128", "dma-kmalloc-256",
		"dma-kmalloc-512", "dma-kmalloc-1024", "dma-kmalloc-2048",
	},
};

/* The class of a request of size bytes by (size - 1) / 8 (Linux's
 * size_index, which stops at 192 bytes; here it covers every class). */
static const uint8_t size_index[KMALLOC_MAX_CACHE_SIZE / 8] = {
	[0] = 0,			/* 8 */
	[1] = 1,			/* 16 */
	[2 ... 3] = 2,			/* 24 .. 32 */
	[4 ... 7] = 3,			/* 40 .. 64 */
	[8 ... 15] = 4,			/* .. 128 */
	[16 ... 31] = 5,		/* .. 256 */
	[32 ... 63] = 6,		/* .. 512 */
	[64 ... 127] = 7,		/* .. 1024 */
	[128 ... 255] = 8,		/* .. 2048 */
};

/* Serialises everything but the per-CPU fast paths. */
static DEFINE_SPINLOCK(kmalloc_lock);
static bool slab_ready;
unsigned long kmalloc_bad_frees;
/* Pages held by blocks too big for a cache (kmalloc_large). */
static unsigned long kmalloc_large_pages;

/* ------------------------------------------------------------ caches */

/* The layout of a slab of size-byte objects. */
static void kmem_cache_setup(struct kmem_cache *c, const char *name,
			     unsigned int shift, gfp_t gfp)
{
	unsigned int size = 1u << shift, n = PAGE_SIZE / size;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->size = size;
	c->shift = shift;
	c->gfp = gfp;
	c->map_in_page = n > OBJMAP_BITS;
	c->offset = 0;
	if (c->map_in_page) {
		/* As many objects as fit after a bitmap of whole words,
		 * object 0 aligned to the size. */
		for (; n > 0; n--) {
			c->offset = ALIGN(DIV_ROUND_UP(n, 32) * 4, size);
			if (c->offset + n * size <= PAGE_SIZE)
				break;
		}
	}
	c->objects = n;
	c->check_mask = (size - 1) | ~(unsigned long)(PAGE_SIZE - 1);
	/* The check_mask test needs the last object to end the page; a
	 * corrupt free-list link that passes it must still address a bit
	 * within the bitmap. */
	if (c->offset + n * size != PAGE_SIZE ||
	    (c->map_in_page ? c->offset * 8 : OBJMAP_BITS) < PAGE_SIZE / size)
		panic("slab: %s: a layout kfree cannot check", name);
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	INIT_LIST_HEAD(&c->empty);
}

void kmem_cache_init(void)
{
	for (int i = 0; i < NR_KMALLOC_SIZES; i++) {
		unsigned int shift = i + KMALLOC_SHIFT_MIN;

		kmem_cache_setup(&kmalloc_caches[KMALLOC_NORMAL][i],
				 kmalloc_names[KMALLOC_NORMAL][i], shift, GFP_KERNEL);
		kmem_cache_setup(&kmalloc_caches[KMALLOC_DMA][i],
				 kmalloc_names[KMALLOC_DMA][i], shift, GFP_DMA);
	}
	kmalloc_large_pages = 0;
	slab_ready = true;
}

/* The cache that serves size bytes (1 .. KMALLOC_MAX_CACHE_SIZE). */
static inline struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	return &kmalloc_caches[(flags & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_NORMAL]
			      [size_index[(size - 1) / 8]];
}

/* This CPU's number, for the per-CPU slabs. */
static inline unsigned int slab_cpu(void)
{
#ifdef HOST_TEST
	return 0;
#else
	unsigned int cpu;

	asm("movl %%fs:%c1, %0" : "=r" (cpu)
	    : "i" (offsetof(struct percpu, cpu_number)));
	return cpu;
#endif
}

/* This CPU's slab of c, as one pointer: the fast paths then address its
 * fields from one register instead of recomputing the sum. */
static inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *c)
{
	struct kmem_cache_cpu *cs = &c->cpu_slab[slab_cpu()];

	asm("" : "+r" (cs));
	return cs;
}

/* ------------------------------------------------------------ bitmaps */

/*
 * Bit nr of the bitmap at map, set or cleared with a locked bit operation
 * (another CPU may change the same word: one kfrees under kmalloc_lock
 * while the slab's owner allocates without it); each returns the old bit.
 */
static inline bool obj_test_and_set(unsigned int *map, unsigned int nr)
{
	bool old;

	asm volatile("lock btsl %2, %1" : "=@ccc" (old), "+m" (*map)
		     : "r" (nr) : "memory");
	return old;
}

static inline bool obj_test_and_clear(unsigned int *map, unsigned int nr)
{
	bool old;

	asm volatile("lock btrl %2, %1" : "=@ccc" (old), "+m" (*map)
		     : "r" (nr) : "memory");
	return old;
}

static unsigned int *slab_map(const struct kmem_cache *c, struct page *page)
{
	return c->map_in_page ? (unsigned int *)page_address(page) : &page->objmap;
}

/* The offset of ptr within its page. */
static inline unsigned long slab_offset(const void *ptr)
{
	return (unsigned long)ptr & (PAGE_SIZE - 1);
}

/* ------------------------------------------------------------ slabs */

static void move_slab(struct page *page, struct list_head *list)
{
	list_del(&page->lru);
	list_add(&page->lru, list);
}

/* A new slab for c with every object free, threaded in address order. */
static struct page *new_slab(struct kmem_cache *c)
{
	struct page *page = alloc_pages(c->gfp, 0);
	char *base;

	if (!page)
		return NULL;
	base = page_address(page);
	SetPageFlag(page, PG_slab);
	page->private = (unsigned long)c;
	page->inuse = 0;
	page->objmap = 0;
	if (c->map_in_page)
		memset(base, 0, c->offset);
	page->freelist = NULL;
	for (unsigned int i = c->objects; i-- > 0;) {
		void **obj = (void **)(base + c->offset + i * c->size);

		*obj = page->freelist;
		page->freelist = obj;
	}
	INIT_LIST_HEAD(&page->lru);
	c->nr_slabs++;
	return page;
}

/* An empty slab goes back to the page allocator. */
static void discard_slab(struct kmem_cache *c, struct page *page)
{
	list_del(&page->lru);
	ClearPageFlag(page, PG_slab);
	page->private = 0;		/* the order, for __free_pages */
	page->freelist = NULL;
	page->objmap = 0;
	c->nr_slabs--;
	if (__free_pages(page, 0))
		panic("slab: %s could not free its slab at pfn 0x%lx",
		      c->name, page_to_pfn(page));
}

/* A frozen slab is a CPU slab: on none of the cache's lists. */
static bool slab_frozen(struct page *page)
{
	return list_empty(&page->lru);
}

/* Whether the CPU slab cs of c holds no object in use. Lock held. */
static bool cpu_slab_empty(const struct kmem_cache *c,
			   const struct kmem_cache_cpu *cs)
{
	return cs->page && c->objects - cs->held == cs->page->inuse;
}

/*
 * One empty slab per cache is kept against churn, counting this CPU's
 * slab when it is empty; a slab that empties beyond that goes back.
 * Lock held.
 */
static void slab_keep_empty(struct kmem_cache *c, struct kmem_cache_cpu *cs,
			    struct page *page)
{
	if (list_empty(&c->empty) && !cpu_slab_empty(c, cs))
		move_slab(page, &c->empty);
	else
		discard_slab(c, page);
}

/* When this CPU's slab holds nothing in use, the cache's cached empty
 * slabs go back. Lock held. */
static void slab_trim_locked(struct kmem_cache *c, struct kmem_cache_cpu *cs)
{
	if (cpu_slab_empty(c, cs))
		while (!list_empty(&c->empty))
			discard_slab(c, list_first_entry(&c->empty, struct page, lru));
}

/* This CPU's slab just emptied while an empty slab was cached. */
static void slab_trim(struct kmem_cache *c)
{
	unsigned long irqflags;

	spin_lock_irqsave(&kmalloc_lock, irqflags);
	slab_trim_locked(c, &c->cpu_slab[slab_cpu()]);
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
}

/* page becomes this CPU's slab, its free objects the CPU's. Lock held. */
static void freeze_slab(struct kmem_cache *c, struct kmem_cache_cpu *cs,
			struct page *page)
{
	list_del_init(&page->lru);
	cs->page = page;
	cs->freelist = page->freelist;
	cs->held = page->inuse;
	cs->first = (unsigned long)page_address(page) + c->offset;
	cs->map = slab_map(c, page);
	cs->shift = c->shift;
	cs->check_mask = c->check_mask;
	page->freelist = NULL;
	page->inuse = c->objects;
}

/* This CPU's slab, if any, goes back on the lists with its free objects
 * (Linux's deactivate_slab). Lock held. */
static void unfreeze_slab(struct kmem_cache *c, struct kmem_cache_cpu *cs)
{
	struct page *page = cs->page;

	if (!page)
		return;
	if (cs->freelist) {
		unsigned int nr_free = c->objects - cs->held;
		void **tail = cs->freelist;

		for (unsigned int i = 1; i < nr_free; i++)
			tail = *tail;
		*tail = page->freelist;
		page->freelist = cs->freelist;
		page->inuse -= nr_free;
	}
	cs->page = NULL;
	cs->freelist = NULL;
	cs->held = 0;
	if (page->inuse == 0)
		slab_keep_empty(c, cs, page);
	else
		list_add(&page->lru, page->inuse == c->objects ? &c->full : &c->partial);
}

/* Only a write through a freed pointer can get here. */
static __noreturn void freelist_corrupt(const struct kmem_cache_cpu *cs,
					const void *obj)
{
	const struct kmem_cache *c = (const struct kmem_cache *)cs->page->private;

	panic("slab: %s free list of the slab at pfn 0x%lx is corrupt (%p)",
	      c->name, page_to_pfn(cs->page), obj);
}

/* Pops obj, the head of this CPU's free list, marking it in use. */
static inline void take_object(struct kmem_cache_cpu *cs, void **obj)
{
	unsigned long off = (unsigned long)obj - cs->first;

	if (unlikely((off & cs->check_mask) ||
		     obj_test_and_set(cs->map, off >> cs->shift)))
		freelist_corrupt(cs, obj);
	cs->freelist = *obj;
	cs->held++;
}

/*
 * This CPU's free list is empty: take the objects other CPUs freed to its
 * slab, or freeze a partial, the empty or a new slab in its place; then
 * pop one object.
 */
static void *__slab_alloc(struct kmem_cache *c)
{
	struct kmem_cache_cpu *cs;
	unsigned long irqflags;
	struct page *page;
	void **obj;

	spin_lock_irqsave(&kmalloc_lock, irqflags);
	if (unlikely(!slab_ready))
		kmem_cache_init();
	cs = &c->cpu_slab[slab_cpu()];
	if (cs->freelist)		/* an interrupt handler refilled it */
		goto pop;
	page = cs->page;
	if (page && page->freelist) {
		cs->freelist = page->freelist;
		cs->held -= c->objects - page->inuse;
		page->freelist = NULL;
		page->inuse = c->objects;
		goto pop;
	}
	unfreeze_slab(c, cs);		/* full, or none */
	if (!list_empty(&c->partial)) {
		page = list_first_entry(&c->partial, struct page, lru);
	} else if (!list_empty(&c->empty)) {
		page = list_first_entry(&c->empty, struct page, lru);
	} else {
		page = new_slab(c);
		if (!page) {
			spin_unlock_irqrestore(&kmalloc_lock, irqflags);
			return NULL;
		}
	}
	freeze_slab(c, cs, page);
pop:
	obj = cs->freelist;
	take_object(cs, obj);
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	return obj;
}

/*
 * ptr (checked to be an object of page, its in-use bit now clear) goes
 * back to a slab that is not this CPU's: onto page->freelist, the slab
 * moving between lists as it stops being full or becomes empty.
 */
static void __slab_free(struct kmem_cache *c, struct page *page, void *ptr)
{
	struct kmem_cache_cpu *cs;
	unsigned long irqflags;

	spin_lock_irqsave(&kmalloc_lock, irqflags);
	cs = &c->cpu_slab[slab_cpu()];
	if (page == cs->page) {		/* it became ours meanwhile */
		*(void **)ptr = cs->freelist;
		cs->freelist = ptr;
		cs->held--;
		slab_trim_locked(c, cs);
		goto out;
	}
	*(void **)ptr = page->freelist;
	page->freelist = ptr;
	if (slab_frozen(page)) {	/* another CPU's slab */
		page->inuse--;
		goto out;
	}
	if (page->inuse-- == c->objects)
		move_slab(page, &c->partial);
	if (page->inuse == 0)
		slab_keep_empty(c, cs, page);
out:
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
}

/* ------------------------------------------------------------ kmalloc */

static void *kmalloc_large(size_t size, gfp_t flags)
{
	unsigned int order = get_order(size);
	unsigned long irqflags;
	struct page *page;

	if (order >= MAX_ORDER)
		return NULL;
	page = alloc_pages(flags & (__GFP_DMA | __GFP_ZERO), order);
	if (!page)
		return NULL;
	SetPageFlag(page, PG_large_kmalloc);	/* private = order already */
	spin_lock_irqsave(&kmalloc_lock, irqflags);
	kmalloc_large_pages += 1UL << order;
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	return page_address(page);
}

/* An object of c: from this CPU's free list, interrupts off, else from
 * __slab_alloc. */
static __always_inline void *slab_alloc(struct kmem_cache *c)
{
	struct kmem_cache_cpu *cs;
	unsigned long irqflags;
	void **obj;

	slab_irq_save(irqflags);
	cs = this_cpu_slab(c);
	obj = cs->freelist;
	if (likely(obj)) {
		take_object(cs, obj);
		slab_irq_restore(irqflags);
		return obj;
	}
	slab_irq_restore(irqflags);
	return __slab_alloc(c);
}

/* The requests kmalloc's fast path leaves: size 0, sizes too big for a
 * cache, __GFP_DMA, __GFP_HIGHMEM and __GFP_ZERO. */
static void *kmalloc_other(size_t size, gfp_t flags)
{
	struct kmem_cache *c;
	void *obj;

	if (!size)
		return NULL;
	if (flags & __GFP_HIGHMEM) {
		pr_warn("kmalloc: __GFP_HIGHMEM refused: kmalloc memory must be direct-mapped\n");
		return NULL;
	}
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, flags);
	c = kmalloc_slab(size, flags);
	obj = slab_alloc(c);
	if (obj && (flags & __GFP_ZERO))
		memset(obj, 0, c->size);
	return obj;
}

/*
 * kmalloc - size bytes of direct-mapped memory, aligned to the size class
 * (at least 8). GFP_DMA serves from ZONE_DMA; __GFP_HIGHMEM is refused,
 * since kmalloc memory is used through its direct-map address.
 */
void __regparm *kmalloc(size_t size, gfp_t flags)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE ||
		     (flags & (__GFP_DMA | __GFP_HIGHMEM | __GFP_ZERO))))
		return kmalloc_other(size, flags);
	return slab_alloc(&kmalloc_caches[KMALLOC_NORMAL][size_index[(size - 1) / 8]]);
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/* Prints one "bad kfree: ..." line, counts it, and returns -EINVAL. */
static __printf(1, 2) int bad_kfree(const char *fmt, ...)
{
	char msg[160];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	__atomic_fetch_add(&kmalloc_bad_frees, 1, __ATOMIC_RELAXED);
	pr_err("bad kfree: %s\n", msg);
	return -EINVAL;
}

/* Caller holds kmalloc_lock; page has PG_large_kmalloc. */
static int kfree_large(struct page *page, const void *ptr)
{
	unsigned int order = page->private;
	int err;

	if (ptr != page_address(page))
		return bad_kfree("%p is inside the kmalloc block at pfn 0x%lx, not its start",
				 ptr, page_to_pfn(page));
	ClearPageFlag(page, PG_large_kmalloc);
	err = __free_pages(page, order);
	if (err)	/* __free_pages has reported it; leave things be */
		SetPageFlag(page, PG_large_kmalloc);
	else
		kmalloc_large_pages -= 1UL << order;
	return err;
}

/* kfree of memory that is not a slab object: a large block or a bad
 * pointer. */
static int kfree_other(struct page *page, const void *ptr)
{
	unsigned long irqflags;
	int err;

	if (!PageLargeKmalloc(page))
		return bad_kfree("%p is not kmalloc memory (pfn 0x%lx is %s)", ptr,
				 page_to_pfn(page),
				 PageReserved(page) ? "reserved" :
				 PageHead(page) ? "a page-allocator block" :
				 "free or a tail page");
	spin_lock_irqsave(&kmalloc_lock, irqflags);
	err = kfree_large(page, ptr);
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	return err;
}

/* virt_addr_valid in one comparison: an address below PAGE_OFFSET
 * (NULL too) wraps to a frame beyond max_low_pfn. */
static inline bool kfree_direct(const void *ptr)
{
#ifdef HOST_TEST
	return virt_addr_valid(ptr);
#else
	return __pa(ptr) >> PAGE_SHIFT < max_low_pfn;
#endif
}

/* kfree of a pointer outside the direct map: NULL, or a bad one. */
static int kfree_not_direct(const void *ptr)
{
	if (!ptr)
		return 0;
	return bad_kfree("%p is not a direct-map address", ptr);
}

/* The reports of a kfree of a slab page's address that is no object in
 * use; nothing changed. */
static int kfree_bad_object(const void *ptr)
{
	struct page *page = virt_to_page(ptr);
	const struct kmem_cache *c = (const struct kmem_cache *)page->private;
	unsigned long off = slab_offset(ptr) - c->offset;

	if (off & c->check_mask)
		return bad_kfree("%p is not the start of a %s object (slab at pfn 0x%lx)",
				 ptr, c->name, page_to_pfn(page));
	return bad_kfree("double free of %p (%s object %lu of the slab at pfn 0x%lx)",
			 ptr, c->name, off >> c->shift, page_to_pfn(page));
}

/* The in-use bit of the object at off in page, cleared; whether it was
 * set. */
static bool slab_clear_in_use(struct kmem_cache *c, struct page *page,
			      const void *ptr, unsigned long off)
{
	unsigned int *map = c->map_in_page ?
		(unsigned int *)((unsigned long)ptr & PAGE_MASK) : &page->objmap;

	return obj_test_and_clear(map, off >> c->shift);
}

/* kfree of an object of a slab that is not this CPU's. */
static int kfree_slow(const void *ptr)
{
	struct page *page = virt_to_page(ptr);
	struct kmem_cache *c = (struct kmem_cache *)page->private;

	if (!slab_clear_in_use(c, page, ptr, slab_offset(ptr) - c->offset))
		return kfree_bad_object(ptr);
	__slab_free(c, page, (void *)ptr);
	return 0;
}

/* The slab this CPU just emptied is kept; other empty ones go back. */
static __always_inline int kfree_emptied(struct kmem_cache_cpu *cs)
{
	struct kmem_cache *c = (struct kmem_cache *)cs->page->private;

	/* At most one empty slab per cache, this CPU's included. */
	if (unlikely(!list_empty(&c->empty)))
		slab_trim(c);
	return 0;
}

/*
 * An object of this CPU's slab goes on this CPU's free list, its in-use
 * bit cleared (with the check that it was set), all with interrupts off;
 * any other goes to kfree_slow.
 */
int __regparm kfree(const void *ptr)
{
	struct kmem_cache_cpu *cs;
	struct kmem_cache *c;
	struct page *page;
	unsigned long off, irqflags;

	if (unlikely(!kfree_direct(ptr)))
		return kfree_not_direct(ptr);
	page = virt_to_page(ptr);
	if (unlikely(!PageSlab(page)))
		return kfree_other(page, ptr);
	c = (struct kmem_cache *)page->private;
	off = slab_offset(ptr) - c->offset;
	if (unlikely(off & c->check_mask))
		return kfree_bad_object(ptr);

	slab_irq_save(irqflags);
	cs = this_cpu_slab(c);
	if (unlikely(page != cs->page)) {
		slab_irq_restore(irqflags);
		return kfree_slow(ptr);
	}
	if (unlikely(!obj_test_and_clear(cs->map, off >> cs->shift))) {
		slab_irq_restore(irqflags);
		return kfree_bad_object(ptr);
	}
	*(void **)ptr = cs->freelist;
	cs->freelist = (void **)ptr;
	if (unlikely(--cs->held == 0)) {
		slab_irq_restore(irqflags);
		return kfree_emptied(cs);
	}
	slab_irq_restore(irqflags);
	return 0;
}

size_t ksize(const void *ptr)
{
	struct page *page;

	if (!ptr || !virt_addr_valid(ptr))
		return 0;
	page = virt_to_page(ptr);
	if (PageSlab(page))
		return ((const struct kmem_cache *)page->private)->size;
	if (PageLargeKmalloc(page))
		return (size_t)PAGE_SIZE << page->private;
	return 0;
}

unsigned long kmalloc_slab_pages(void)
{
	unsigned long irqflags, pages;

	spin_lock_irqsave(&kmalloc_lock, irqflags);
	pages = kmalloc_large_pages;
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 0; i < NR_KMALLOC_SIZES; i++)
			pages += kmalloc_caches[t][i].nr_slabs;
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	return pages;
}

/* This CPU's slabs go back on the lists first; other CPUs keep theirs
 * (at most one page per cache each). */
unsigned long kmalloc_shrink(void)
{
	unsigned long irqflags, freed = 0;

	spin_lock_irqsave(&kmalloc_lock, irqflags);
	for (int t = 0; slab_ready && t < NR_KMALLOC_TYPES; t++) {
		for (int i = 0; i < NR_KMALLOC_SIZES; i++) {
			struct kmem_cache *c = &kmalloc_caches[t][i];

			unfreeze_slab(c, &c->cpu_slab[slab_cpu()]);
			while (!list_empty(&c->empty)) {
				discard_slab(c, list_first_entry(&c->empty,
								 struct page, lru));
				freed++;
			}
		}
	}
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	return freed;
}
