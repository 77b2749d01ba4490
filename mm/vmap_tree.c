/* SPDX-License-Identifier: MIT */
/*
 * Address-ordered AVL trees of virtual ranges with a free-space index
 * (subtree_max_size), the O(log n) replacement for the linear vmlist of
 * seed 001 ch. 8, after Linux's vmap_area rb-trees (mm/vmalloc.c,
 * "augment" callbacks). Used by mm/vmalloc.c and the host tests.
 *
 * Every node knows its parent. A change (a leaf linked or unlinked, a
 * range grown or shrunk in place) is repaired bottom-up from where it
 * happened: each node on the way up gets its height and augmented size
 * recomputed, and is rotated when its balance is off by two; the walk
 * stops at the first subtree whose height and augmented size come out as
 * they were, since nothing above can change then. Only the rare
 * alignment scan (lowest_fit_scan) and the checker recurse.
 */
#include "kernel/errno.h"
#include "mm/vmap_tree.h"

static inline int height(const struct vmap_node *n)
{
	return n ? n->height : 0;
}

static inline unsigned long max_size(const struct vmap_node *n)
{
	return n ? n->subtree_max_size : 0;
}

/* n's augmented size from its own range and its children's. */
static inline unsigned long compute_max(const struct vmap_node *n)
{
	unsigned long m = vmap_node_size(n);

	if (max_size(n->left) > m)
		m = max_size(n->left);
	if (max_size(n->right) > m)
		m = max_size(n->right);
	return m;
}

/*
 * The repairs are made twice by the compiler: with the augmented size
 * (aug, a free-space index) and without (a tree only looked up by
 * address, which keeps no subtree_max_size).
 */
#define __tree_always_inline inline __attribute__((always_inline))

/* Recompute n's height (and augmented size) from its children. */
static __tree_always_inline void pull(struct vmap_node *n, bool aug)
{
	int hl = height(n->left), hr = height(n->right);

	n->height = 1 + (hl > hr ? hl : hr);
	if (aug)
		n->subtree_max_size = compute_max(n);
}

/* Put new where old hangs (under old's parent, or as the root). */
static inline void replace_child(struct vmap_tree *t, struct vmap_node *old,
				 struct vmap_node *new, struct vmap_node *parent)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

static __tree_always_inline struct vmap_node *
rotate_right(struct vmap_tree *t, struct vmap_node *y, bool aug)
{
	struct vmap_node *x = y->left, *p = y->parent;

	y->left = x->right;
	if (x->right)
		x->right->parent = y;
	x->right = y;
	y->parent = x;
	x->parent = p;
	replace_child(t, y, x, p);
	pull(y, aug);
	pull(x, aug);
	return x;
}

static __tree_always_inline struct vmap_node *
rotate_left(struct vmap_tree *t, struct vmap_node *x, bool aug)
{
	struct vmap_node *y = x->right, *p = x->parent;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->left = x;
	x->parent = y;
	y->parent = p;
	replace_child(t, x, y, p);
	pull(x, aug);
	pull(y, aug);
	return y;
}

/*
 * The subtree under n changed (n's own range may have too): from n up,
 * recompute, rotate where the balance is off by two, and stop at the
 * first subtree whose height and augmented size are what they were.
 */
static __tree_always_inline void __retrace(struct vmap_tree *t,
					    struct vmap_node *n, bool aug)
{
	while (n) {
		int old_h = n->height, bf;
		unsigned long old_m = aug ? n->subtree_max_size : 0;

		pull(n, aug);
		bf = height(n->left) - height(n->right);
		if (bf > 1) {
			if (height(n->left->left) < height(n->left->right))
				rotate_left(t, n->left, aug);
			n = rotate_right(t, n, aug);
		} else if (bf < -1) {
			if (height(n->right->right) < height(n->right->left))
				rotate_right(t, n->right, aug);
			n = rotate_left(t, n, aug);
		}
		if (n->height == old_h && (!aug || n->subtree_max_size == old_m))
			return;
		n = n->parent;
	}
}

static void retrace_aug(struct vmap_tree *t, struct vmap_node *n)
{
	__retrace(t, n, true);
}

static void retrace_plain(struct vmap_tree *t, struct vmap_node *n)
{
	__retrace(t, n, false);
}

static inline void retrace(struct vmap_tree *t, struct vmap_node *n)
{
	if (t->augmented)
		retrace_aug(t, n);
	else
		retrace_plain(t, n);
}

/* Only augmented sizes changed from n up (no heights): recompute until
 * one comes out as it was. */
static void propagate(struct vmap_node *n)
{
	while (n) {
		unsigned long m = compute_max(n);

		if (m == n->subtree_max_size)
			return;
		n->subtree_max_size = m;
		n = n->parent;
	}
}

/*
 * Leaf n was just linked (its augmented sizes already propagated): the
 * heights on its path grow until a node's other side was the taller one
 * (nothing changes above it) or the side that grew is two taller (one
 * rotation, single or double, restores the height the subtree had, and
 * nothing changes above it either). Rotations preserve the maximum of the
 * subtree they turn, so the augmented sizes stay right.
 */
static __tree_always_inline void __insert_fixup(struct vmap_tree *t,
						struct vmap_node *n, bool aug)
{
	struct vmap_node *c = n, *p;

	for (p = c->parent; p; c = p, p = p->parent) {
		int hc = c->height;

		if (hc < p->height)
			return;
		if (height(p->left == c ? p->right : p->left) == hc - 1) {
			p->height = hc + 1;
			continue;
		}
		if (c == p->left) {
			if (height(c->left) < height(c->right))
				rotate_left(t, c, aug);
			rotate_right(t, p, aug);
		} else {
			if (height(c->right) < height(c->left))
				rotate_right(t, c, aug);
			rotate_left(t, p, aug);
		}
		return;
	}
}

static void insert_fixup(struct vmap_tree *t, struct vmap_node *n)
{
	if (t->augmented) {
		propagate(n->parent);
		__insert_fixup(t, n, true);
	} else {
		__insert_fixup(t, n, false);
	}
}

void vmap_tree_init(struct vmap_tree *t, unsigned long granule)
{
	t->root = NULL;
	t->nr = 0;
	t->granule = granule ? granule : 1;
	t->augmented = true;
}

void vmap_tree_init_plain(struct vmap_tree *t, unsigned long granule)
{
	vmap_tree_init(t, granule);
	t->augmented = false;
}

/* ------------------------------------------------------------ lookup */

struct vmap_node *vmap_tree_find(const struct vmap_tree *t, unsigned long va)
{
	struct vmap_node *n = t->root;

	while (n && n->va_start != va)
		n = va < n->va_start ? n->left : n->right;
	return n;
}

struct vmap_node *vmap_tree_find_le(const struct vmap_tree *t, unsigned long va)
{
	struct vmap_node *n = t->root, *best = NULL;

	while (n) {
		if (n->va_start <= va) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct vmap_node *vmap_tree_find_ge(const struct vmap_tree *t, unsigned long va)
{
	struct vmap_node *n = t->root, *best = NULL;

	while (n) {
		if (n->va_start >= va) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vmap_node *vmap_tree_find_containing(const struct vmap_tree *t,
					    unsigned long va)
{
	struct vmap_node *n = vmap_tree_find_le(t, va);

	return n && va < n->va_end ? n : NULL;
}

struct vmap_node *vmap_tree_first(const struct vmap_tree *t)
{
	struct vmap_node *n = t->root;

	while (n && n->left)
		n = n->left;
	return n;
}

struct vmap_node *vmap_tree_next(const struct vmap_tree *t,
				 const struct vmap_node *n)
{
	(void)t;
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct vmap_node *)n;
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

int vmap_tree_height(const struct vmap_tree *t)
{
	return height(t->root);
}

/* ------------------------------------------------------------ insert, remove */

static bool range_ok(const struct vmap_tree *t, const struct vmap_node *n)
{
	return n->va_start < n->va_end && n->va_start % t->granule == 0 &&
	       n->va_end % t->granule == 0;
}

/* Hang n as a leaf at *link under parent and rebalance upwards. */
static void link_leaf(struct vmap_tree *t, struct vmap_node *n,
		      struct vmap_node *parent, struct vmap_node **link)
{
	n->left = n->right = NULL;
	n->parent = parent;
	n->height = 1;
	if (t->augmented)
		n->subtree_max_size = vmap_node_size(n);
	*link = n;
	t->nr++;
	insert_fixup(t, n);
}

int vmap_tree_insert(struct vmap_tree *t, struct vmap_node *n)
{
	struct vmap_node **link = &t->root, *parent = NULL;

	if (!range_ok(t, n))
		return -EINVAL;
	while (*link) {
		parent = *link;
		if (n->va_start < parent->va_start) {
			if (n->va_end > parent->va_start)
				return -EBUSY;
			link = &parent->left;
		} else {
			if (parent->va_end > n->va_start)
				return -EBUSY;
			link = &parent->right;
		}
	}
	link_leaf(t, n, parent, link);
	return 0;
}

void vmap_tree_erase(struct vmap_tree *t, struct vmap_node *n)
{
	struct vmap_node *p = n->parent, *child, *s, *sp;

	t->nr--;
	if (!n->left || !n->right) {
		child = n->left ? n->left : n->right;
		if (child)
			child->parent = p;
		replace_child(t, n, child, p);
		retrace(t, p);
		return;
	}
	/* Two children: the successor s, which has no left child, takes
	 * n's place, with n's height and augmented size as the values the
	 * retrace compares against. */
	s = n->right;
	while (s->left)
		s = s->left;
	sp = s->parent;
	if (sp != n) {
		sp->left = s->right;
		if (s->right)
			s->right->parent = sp;
		s->right = n->right;
		n->right->parent = s;
	}
	s->left = n->left;
	n->left->parent = s;
	s->parent = p;
	s->height = n->height;
	s->subtree_max_size = n->subtree_max_size;
	replace_child(t, n, s, p);
	if (sp == n) {
		retrace(t, s);
		return;
	}
	retrace(t, sp);
	/* The retrace may stop below s, whose own range is not n's. */
	if (t->augmented)
		propagate(s);
}

struct vmap_node *vmap_tree_remove(struct vmap_tree *t, unsigned long va_start)
{
	struct vmap_node *n = vmap_tree_find(t, va_start);

	if (n)
		vmap_tree_erase(t, n);
	return n;
}

void vmap_tree_update(struct vmap_tree *t, struct vmap_node *n)
{
	if (t->augmented)
		propagate(n);
}

/* ------------------------------------------------------------ check */

struct check_state {
	const struct vmap_tree *t;
	const struct vmap_node *prev;
	unsigned long count;
	int err;
};

static void check(struct check_state *s, const struct vmap_node *n)
{
	int hl, hr;

	if (!n || s->err)
		return;
	check(s, n->left);
	if (s->err)
		return;
	if (!range_ok(s->t, n)) {
		s->err = VMAP_TREE_BAD_RANGE;
		return;
	}
	if ((n->left && n->left->parent != n) ||
	    (n->right && n->right->parent != n)) {
		s->err = VMAP_TREE_BAD_PARENT;
		return;
	}
	if (s->prev && s->prev->va_end > n->va_start) {
		s->err = VMAP_TREE_BAD_ORDER;
		return;
	}
	s->prev = n;
	s->count++;
	check(s, n->right);
	if (s->err)
		return;
	hl = height(n->left);
	hr = height(n->right);
	if (n->height != 1 + (hl > hr ? hl : hr)) {
		s->err = VMAP_TREE_BAD_HEIGHT;
		return;
	}
	if (hl - hr > 1 || hr - hl > 1) {
		s->err = VMAP_TREE_BAD_BALANCE;
		return;
	}
	if (s->t->augmented && n->subtree_max_size != compute_max(n))
		s->err = VMAP_TREE_BAD_MAX;
}

int vmap_tree_check(const struct vmap_tree *t)
{
	struct check_state s = { .t = t };

	if (t->root && t->root->parent)
		return VMAP_TREE_BAD_PARENT;
	check(&s, t->root);
	if (!s.err && s.count != t->nr)
		s.err = VMAP_TREE_BAD_COUNT;
	return s.err;
}

/* ------------------------------------------------------------ free space */

static inline unsigned long align_up(unsigned long x, unsigned long a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Whether size bytes at an align boundary fit in n; the address if so. */
static bool fits(const struct vmap_node *n, unsigned long size,
		 unsigned long align, unsigned long *addr)
{
	unsigned long a = align_up(n->va_start, align);

	if (a < n->va_start || a >= n->va_end || n->va_end - a < size)
		return false;
	*addr = a;
	return true;
}

/* The lowest node of at least len bytes: a left subtree whose maximum is
 * large enough surely holds one, so no step is ever undone. */
static struct vmap_node *lowest_of_size(struct vmap_node *n, unsigned long len)
{
	while (n) {
		if (max_size(n->left) >= len)
			n = n->left;
		else if (vmap_node_size(n) >= len)
			return n;
		else if (max_size(n->right) >= len)
			n = n->right;
		else
			return NULL;
	}
	return NULL;
}

/* The lowest node where size fits at an aligned address, in order,
 * skipping subtrees with no range of even size bytes. */
static struct vmap_node *lowest_fit_scan(struct vmap_node *n, unsigned long size,
					 unsigned long align, unsigned long *addr)
{
	struct vmap_node *r;

	if (!n || n->subtree_max_size < size)
		return NULL;
	r = lowest_fit_scan(n->left, size, align, addr);
	if (r)
		return r;
	if (fits(n, size, align, addr))
		return n;
	return lowest_fit_scan(n->right, size, align, addr);
}

struct vmap_node *vmap_free_find(const struct vmap_tree *t, unsigned long size,
				 unsigned long align, unsigned long *addr)
{
	unsigned long slack = align > t->granule ? align - t->granule : 0;
	struct vmap_node *n;

	if (!size || (align & (align - 1)))
		return NULL;
	if (align < t->granule)
		align = t->granule;
	if (size + slack >= size) {		/* no overflow */
		n = lowest_of_size(t->root, size + slack);
		if (n && fits(n, size, align, addr))
			return n;
	}
	if (!slack)
		return NULL;
	return lowest_fit_scan(t->root, size, align, addr);
}

struct vmap_node *vmap_free_carve(struct vmap_tree *t, struct vmap_node *n,
				  unsigned long addr, unsigned long size,
				  struct vmap_node **spare)
{
	unsigned long end = addr + size, old_end = n->va_end;
	struct vmap_node *s, *parent, **link;

	if (addr == n->va_start && end == n->va_end) {
		vmap_tree_erase(t, n);
		return n;
	}
	if (addr == n->va_start) {
		/* Still between the same neighbours: only the sizes change. */
		n->va_start = end;
		propagate(n);
		return NULL;
	}
	n->va_end = addr;
	propagate(n);
	if (end < old_end) {
		/* The rest follows n directly: n's successor's place. */
		s = *spare;
		*spare = NULL;
		s->va_start = end;
		s->va_end = old_end;
		parent = n;
		link = &n->right;
		while (*link) {
			parent = *link;
			link = &parent->left;
		}
		link_leaf(t, s, parent, link);
	}
	return NULL;
}

/* The node before n in address order, by the parent links. */
static struct vmap_node *prev_node(const struct vmap_node *n)
{
	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct vmap_node *)n;
	}
	while (n->parent && n->parent->left == n)
		n = n->parent;
	return n->parent;
}

/* Merge n into its free neighbours prev and/or next where they touch it
 * (either may be NULL), or else link it at *link under parent; *holder
 * gets the node that now holds n's range. */
static int free_merge(struct vmap_tree *t, struct vmap_node *n,
		      struct vmap_node *prev, struct vmap_node *next,
		      struct vmap_node *parent, struct vmap_node **link,
		      struct vmap_node *released[2], struct vmap_node **holder)
{
	int nr = 0;

	if ((prev && prev->va_end > n->va_start) ||
	    (next && next->va_start < n->va_end))
		return -EBUSY;
	if (prev && prev->va_end != n->va_start)
		prev = NULL;
	if (next && next->va_start != n->va_end)
		next = NULL;

	if (prev && next) {
		unsigned long end = next->va_end;

		vmap_tree_erase(t, next);
		prev->va_end = end;
		propagate(prev);
		released[nr++] = n;
		released[nr++] = next;
		*holder = prev;
	} else if (prev) {
		prev->va_end = n->va_end;
		propagate(prev);
		released[nr++] = n;
		*holder = prev;
	} else if (next) {
		/* Grows downwards, not past prev: its place is unchanged. */
		next->va_start = n->va_start;
		propagate(next);
		released[nr++] = n;
		*holder = next;
	} else {
		/* Only after a descent: a hint is a touching next. */
		link_leaf(t, n, parent, link);
		*holder = n;
	}
	return nr;
}

int vmap_free_insert_hint(struct vmap_tree *t, struct vmap_node *n,
			  struct vmap_node *released[2], struct vmap_node **hint)
{
	struct vmap_node **link = &t->root, *parent = NULL;
	struct vmap_node *prev = NULL, *next = NULL, *holder = NULL, *h = *hint;
	int nr;

	if (!range_ok(t, n))
		return -EINVAL;
	if (h && h->va_start == n->va_end) {
		/* The usual case of a purge: the range just below the last
		 * one given back. Its neighbours are h and h's predecessor. */
		nr = free_merge(t, n, prev_node(h), h, NULL, NULL, released,
				&holder);
		*hint = holder;
		return nr;
	}
	/* The neighbours are the last nodes passed on the right and on the
	 * left of the way down. */
	while (*link) {
		parent = *link;
		if (n->va_start < parent->va_start) {
			next = parent;
			link = &parent->left;
		} else {
			prev = parent;
			link = &parent->right;
		}
	}
	nr = free_merge(t, n, prev, next, parent, link, released, &holder);
	if (nr >= 0)
		*hint = holder;
	return nr;
}

int vmap_free_insert(struct vmap_tree *t, struct vmap_node *n,
		     struct vmap_node *released[2])
{
	struct vmap_node *hint = NULL;

	return vmap_free_insert_hint(t, n, released, &hint);
}
