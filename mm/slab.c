/* SPDX-License-Identifier: MIT */
/*
 * kmalloc/kfree over power-of-two size caches of one-page slabs, each
 * slab with an allocation bitmap so that bad and double frees are caught,
 * and larger requests passed whole to the page allocator (Bonwick, "The
 * Slab Allocator", USENIX 1994, for slabs and their partial/full/empty
 * lists; names as in Linux's mm/slab_common.c).
 *
 * A slab is one order-0 page with PG_slab set, private = its cache,
 * freelist = its first free object (each free object's first word points
 * to the next), inuse = objects handed out. Objects are aligned to their
 * size. The bitmap (bit i set = object i in use) lives in page->objmap
 * when a slab holds at most 32 objects (128 bytes and up), so that those
 * classes fill the page exactly; smaller classes keep it at the start of
 * the page, which costs them at most one object.
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

struct kmem_cache {
	const char *name;
	unsigned int size;		/* object size and alignment */
	unsigned int objects;		/* per slab */
	unsigned int offset;		/* of object 0 within the page */
	bool map_in_page;		/* bitmap at the page start, else objmap */
	gfp_t gfp;			/* for new slabs */
	struct list_head partial;	/* slabs with objects free and in use */
	struct list_head full;		/* slabs with none free */
	struct list_head empty;		/* at most one slab with none in use */
	unsigned long nr_slabs;		/* on all three lists */
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

static DEFINE_SPINLOCK(kmalloc_lock);
static bool slab_ready;
unsigned long kmalloc_bad_frees;
/* Pages held by blocks too big for a cache (kmalloc_large). */
static unsigned long kmalloc_large_pages;

/* ------------------------------------------------------------ caches */

/* The layout of a slab of size-byte objects. */
static void kmem_cache_setup(struct kmem_cache *c, const char *name,
			     unsigned int size, gfp_t gfp)
{
	unsigned int n = PAGE_SIZE / size;

	c->name = name;
	c->size = size;
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
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	INIT_LIST_HEAD(&c->empty);
	c->nr_slabs = 0;
}

void kmem_cache_init(void)
{
	for (int i = 0; i < NR_KMALLOC_SIZES; i++) {
		unsigned int size = 1u << (i + KMALLOC_SHIFT_MIN);

		kmem_cache_setup(&kmalloc_caches[KMALLOC_NORMAL][i],
				 kmalloc_names[KMALLOC_NORMAL][i], size, GFP_KERNEL);
		kmem_cache_setup(&kmalloc_caches[KMALLOC_DMA][i],
				 kmalloc_names[KMALLOC_DMA][i], size, GFP_DMA);
	}
	kmalloc_large_pages = 0;
	slab_ready = true;
}

/* The cache that serves size bytes (1 .. KMALLOC_MAX_CACHE_SIZE). */
static struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int i = 0;

	while ((1u << (i + KMALLOC_SHIFT_MIN)) < size)
		i++;
	return &kmalloc_caches[(flags & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_NORMAL][i];
}

/* ------------------------------------------------------------ slabs */

static unsigned int *slab_map(const struct kmem_cache *c, struct page *page)
{
	return c->map_in_page ? (unsigned int *)page_address(page) : &page->objmap;
}

static bool obj_in_use(const struct kmem_cache *c, struct page *page,
		       unsigned int idx)
{
	return (slab_map(c, page)[idx / 32] >> (idx % 32)) & 1;
}

static void set_obj_in_use(const struct kmem_cache *c, struct page *page,
			   unsigned int idx, bool in_use)
{
	unsigned int *word = &slab_map(c, page)[idx / 32];

	if (in_use)
		*word |= 1u << (idx % 32);
	else
		*word &= ~(1u << (idx % 32));
}

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

/* The index of the object at ptr in page, or -1 when ptr is not the start
 * of one of its objects. */
static int obj_index(const struct kmem_cache *c, struct page *page,
		     const void *ptr)
{
	unsigned long off = (unsigned long)((const char *)ptr -
					    (const char *)page_address(page));

	if (off < c->offset || (off - c->offset) % c->size)
		return -1;
	off = (off - c->offset) / c->size;
	return off < c->objects ? (int)off : -1;
}

static void *slab_alloc(struct kmem_cache *c)
{
	struct page *page;
	void **obj;
	int idx;

	if (!list_empty(&c->partial)) {
		page = list_first_entry(&c->partial, struct page, lru);
	} else if (!list_empty(&c->empty)) {
		page = list_first_entry(&c->empty, struct page, lru);
		move_slab(page, &c->partial);
	} else {
		page = new_slab(c);
		if (!page)
			return NULL;
		list_add(&page->lru, &c->partial);
	}

	obj = page->freelist;
	idx = obj ? obj_index(c, page, obj) : -1;
	/* Only a write through a freed pointer can get here. */
	if (idx < 0 || obj_in_use(c, page, idx))
		panic("slab: %s free list of the slab at pfn 0x%lx is corrupt (%p)",
		      c->name, page_to_pfn(page), (void *)obj);
	page->freelist = *obj;
	set_obj_in_use(c, page, idx, true);
	if (++page->inuse == c->objects)
		move_slab(page, &c->full);
	return obj;
}

/* Returns the object at ptr (checked to be one, and in use) to its slab. */
static void slab_free(struct kmem_cache *c, struct page *page, void *ptr,
		      unsigned int idx)
{
	set_obj_in_use(c, page, idx, false);
	*(void **)ptr = page->freelist;
	page->freelist = ptr;
	if (page->inuse-- == c->objects)
		move_slab(page, &c->partial);
	if (page->inuse == 0) {
		/* Keep one empty slab against churn; return the rest. */
		if (list_empty(&c->empty))
			move_slab(page, &c->empty);
		else
			discard_slab(c, page);
	}
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

/*
 * kmalloc - size bytes of direct-mapped memory, aligned to the size class
 * (at least 8). GFP_DMA serves from ZONE_DMA; __GFP_HIGHMEM is refused,
 * since kmalloc memory is used through its direct-map address.
 */
void *kmalloc(size_t size, gfp_t flags)
{
	struct kmem_cache *c;
	unsigned long irqflags;
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
	spin_lock_irqsave(&kmalloc_lock, irqflags);
	if (unlikely(!slab_ready))
		kmem_cache_init();
	obj = slab_alloc(c);
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	if (obj && (flags & __GFP_ZERO))
		memset(obj, 0, c->size);
	return obj;
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
	kmalloc_bad_frees++;
	pr_err("bad kfree: %s\n", msg);
	return -EINVAL;
}

/* Caller holds kmalloc_lock; page is a PG_slab page holding ptr. */
static int kfree_slab_object(struct page *page, const void *ptr)
{
	struct kmem_cache *c = (struct kmem_cache *)page->private;
	int idx = obj_index(c, page, ptr);

	if (idx < 0)
		return bad_kfree("%p is not the start of a %s object (slab at pfn 0x%lx)",
				 ptr, c->name, page_to_pfn(page));
	if (!obj_in_use(c, page, idx))
		return bad_kfree("double free of %p (%s object %d of the slab at pfn 0x%lx)",
				 ptr, c->name, idx, page_to_pfn(page));
	slab_free(c, page, (void *)ptr, idx);
	return 0;
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

int kfree(const void *ptr)
{
	struct page *page;
	unsigned long irqflags;
	int err;

	if (!ptr)
		return 0;
	if (!virt_addr_valid(ptr))
		return bad_kfree("%p is not a direct-map address", ptr);

	page = virt_to_page(ptr);
	spin_lock_irqsave(&kmalloc_lock, irqflags);
	if (PageSlab(page))
		err = kfree_slab_object(page, ptr);
	else if (PageLargeKmalloc(page))
		err = kfree_large(page, ptr);
	else
		err = bad_kfree("%p is not kmalloc memory (pfn 0x%lx is %s)", ptr,
				page_to_pfn(page),
				PageReserved(page) ? "reserved" :
				PageHead(page) ? "a page-allocator block" :
				"free or a tail page");
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	return err;
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

unsigned long kmalloc_shrink(void)
{
	unsigned long irqflags, freed = 0;

	spin_lock_irqsave(&kmalloc_lock, irqflags);
	for (int t = 0; t < NR_KMALLOC_TYPES; t++) {
		for (int i = 0; i < NR_KMALLOC_SIZES; i++) {
			struct kmem_cache *c = &kmalloc_caches[t][i];

			while (slab_ready && !list_empty(&c->empty)) {
				discard_slab(c, list_first_entry(&c->empty,
								 struct page, lru));
				freed++;
			}
		}
	}
	spin_unlock_irqrestore(&kmalloc_lock, irqflags);
	return freed;
}
