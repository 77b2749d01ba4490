/* SPDX-License-Identifier: MIT */
/*
 * The address-ordered trees behind the vmalloc area (seed 001 ch. 8 keeps
 * a linear vmlist; this follows Linux's later vmap_area design instead):
 * an AVL tree of [va_start, va_end) ranges keyed by va_start, each node
 * augmented with the largest range size in its subtree
 * (subtree_max_size), so that the lowest free range that fits a request
 * is found in O(log n). Nodes know their parent, so a change is repaired
 * upwards from where it happened and only as far as heights or augmented
 * sizes actually change (Linux's rb-tree "propagate" callbacks stop the
 * same way). Pure bookkeeping: no page tables, no allocation, no
 * printing; mm/vmalloc.c uses it in the kernel and
 * tests/host/test_vmap_tree.c on the host.
 */
#ifndef MM_VMAP_TREE_H
#define MM_VMAP_TREE_H

#include <stdbool.h>
#include <stddef.h>

struct vmap_node {
	unsigned long va_start;
	unsigned long va_end;		/* exclusive */
	unsigned long subtree_max_size;	/* largest va_end - va_start below */
	struct vmap_node *left, *right;
	struct vmap_node *parent;	/* NULL for the root */
	int height;			/* 1 for a leaf */
};

struct vmap_tree {
	struct vmap_node *root;
	unsigned long nr;		/* nodes in the tree */
	unsigned long granule;		/* every va_start/va_end is a multiple */
	bool augmented;			/* subtree_max_size kept */
};

static inline unsigned long vmap_node_size(const struct vmap_node *n)
{
	return n->va_end - n->va_start;
}

/* An empty tree keeping subtree_max_size (what the vmap_free_* functions
 * need); _plain: one that does not (lookups by address only, cheaper
 * repairs). */
void vmap_tree_init(struct vmap_tree *t, unsigned long granule);
void vmap_tree_init_plain(struct vmap_tree *t, unsigned long granule);

/* 0; -EINVAL for an empty or unaligned range, -EBUSY when it overlaps a
 * node already in the tree (nothing changed). One descent: the overlap
 * check looks at the nodes passed on the way down, which include both
 * neighbours. */
int vmap_tree_insert(struct vmap_tree *t, struct vmap_node *n);
/* Unlinks node n, which is in the tree. */
void vmap_tree_erase(struct vmap_tree *t, struct vmap_node *n);
/* Unlinks and returns the node starting at va_start, or NULL. */
struct vmap_node *vmap_tree_remove(struct vmap_tree *t, unsigned long va_start);

/* The node starting exactly at va. */
struct vmap_node *vmap_tree_find(const struct vmap_tree *t, unsigned long va);
/* The node with the largest va_start <= va / smallest va_start >= va. */
struct vmap_node *vmap_tree_find_le(const struct vmap_tree *t, unsigned long va);
struct vmap_node *vmap_tree_find_ge(const struct vmap_tree *t, unsigned long va);
/* The node whose range holds va. */
struct vmap_node *vmap_tree_find_containing(const struct vmap_tree *t,
					    unsigned long va);
/* In address order: first, then next (by the parent links: O(1)
 * amortised over a walk of the whole tree). */
struct vmap_node *vmap_tree_first(const struct vmap_tree *t);
struct vmap_node *vmap_tree_next(const struct vmap_tree *t,
				 const struct vmap_node *n);

/* Recompute the augmented sizes from n upwards, as far as they change,
 * after n's range changed in place without changing its place in the
 * order. */
void vmap_tree_update(struct vmap_tree *t, struct vmap_node *n);

/* Height of the tree (0 when empty), for the O(log n) tests. */
int vmap_tree_height(const struct vmap_tree *t);

/* 0 when every invariant holds: ranges ordered and disjoint, heights and
 * subtree_max_size right, AVL balance, parent links right, nr right;
 * otherwise one of the VMAP_TREE_BAD_* codes (negative). */
#define VMAP_TREE_BAD_ORDER	(-1)
#define VMAP_TREE_BAD_HEIGHT	(-2)
#define VMAP_TREE_BAD_BALANCE	(-3)
#define VMAP_TREE_BAD_MAX	(-4)
#define VMAP_TREE_BAD_COUNT	(-5)
#define VMAP_TREE_BAD_RANGE	(-6)
#define VMAP_TREE_BAD_PARENT	(-7)
int vmap_tree_check(const struct vmap_tree *t);

/*
 * The free-space index: a vmap_tree whose nodes are free ranges.
 *
 * vmap_free_find - the lowest free range holding size bytes at an address
 * aligned to align (a power of two); *addr gets that address. First the
 * O(log n) descent for the lowest range of at least
 * size + (align - granule) bytes, which always fits; only when none is
 * that large, a scan for a smaller range that still fits by luck of its
 * alignment (pruned by subtree_max_size >= size). NULL when nothing fits.
 */
struct vmap_node *vmap_free_find(const struct vmap_tree *t, unsigned long size,
				 unsigned long align, unsigned long *addr);

/*
 * vmap_free_carve - take [addr, addr + size) out of free node n, which
 * holds it. A hole left on both sides needs a second node: *spare is used
 * (linked next to n, no descent) and set to NULL. Returns n when it was
 * used up entirely and unlinked (the caller recycles it), else NULL.
 */
struct vmap_node *vmap_free_carve(struct vmap_tree *t, struct vmap_node *n,
				  unsigned long addr, unsigned long size,
				  struct vmap_node **spare);

/*
 * vmap_free_insert - give range n back, merging it with free neighbours
 * it touches (one descent finds both). Nodes that merging makes redundant
 * (n itself, the next range) go into released[]; returns how many (0..2),
 * or -EBUSY when n overlaps a free range (nothing changed), -EINVAL for a
 * bad range.
 */
int vmap_free_insert(struct vmap_tree *t, struct vmap_node *n,
		     struct vmap_node *released[2]);
/*
 * The same with a hint, for giving back many ranges in a row: *hint (may
 * be NULL) is a free node; when it starts where n ends, n is merged into
 * it and its predecessor without a descent. *hint is set to the node now
 * holding n's range (NULL on an error): the ranges of a purge come in
 * falling address order, each ending where the one before began.
 */
int vmap_free_insert_hint(struct vmap_tree *t, struct vmap_node *n,
			  struct vmap_node *released[2], struct vmap_node **hint);

#endif /* MM_VMAP_TREE_H */
