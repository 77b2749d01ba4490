/* SPDX-License-Identifier: MIT */
/*
 * Address-ordered AVL trees of virtual ranges with a free-space index
 * (subtree_max_size), the O(log n) replacement for the linear vmlist of
 * seed 001 ch. 8, after Linux's vmap_area rb-trees (mm/vmalloc.c,
 * "augment" callbacks). Used by mm/vmalloc.c and the host tests.
 *
 * The tree is recursive and parent-less: every operation walks down from
 * the root and rebalances on the way back, so the recursion depth is the
 * tree height (at most ~1.44 log2(n), about 40 for any n that fits).
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

/* Recompute n's height and augmented size from its children. */
static void pull(struct vmap_node *n)
{
	int hl = height(n->left), hr = height(n->right);
	unsigned long m = vmap_node_size(n);

	n->height = 1 + (hl > hr ? hl : hr);
	if (max_size(n->left) > m)
		m = max_size(n->left);
	if (max_size(n->right) > m)
		m = max_size(n->right);
	n->subtree_max_size = m;
}

static struct vmap_node *rotate_right(struct vmap_node *y)
{
	struct vmap_node *x = y->left;

	y->left = x->right;
	x->right = y;
	pull(y);
	pull(x);
	return x;
}

static struct vmap_node *rotate_left(struct vmap_node *x)
{
	struct vmap_node *y = x->right;

	x->right = y->left;
	y->left = x;
	pull(x);
	pull(y);
	return y;
}

/* Restore the AVL property at n (children already balanced); returns the
 * subtree's new root. */
static struct vmap_node *balance(struct vmap_node *n)
{
	int bf;

	pull(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

void vmap_tree_init(struct vmap_tree *t, unsigned long granule)
{
	t->root = NULL;
	t->nr = 0;
	t->granule = granule ? granule : 1;
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
	return vmap_tree_find_ge(t, n->va_start + 1);
}

int vmap_tree_height(const struct vmap_tree *t)
{
	return height(t->root);
}

/* ------------------------------------------------------------ insert, remove */

static struct vmap_node *insert(struct vmap_node *root, struct vmap_node *n)
{
	if (!root) {
		n->left = n->right = NULL;
		pull(n);
		return n;
	}
	if (n->va_start < root->va_start)
		root->left = insert(root->left, n);
	else
		root->right = insert(root->right, n);
	return balance(root);
}

static bool range_ok(const struct vmap_tree *t, const struct vmap_node *n)
{
	return n->va_start < n->va_end && n->va_start % t->granule == 0 &&
	       n->va_end % t->granule == 0;
}

int vmap_tree_insert(struct vmap_tree *t, struct vmap_node *n)
{
	struct vmap_node *prev, *next;

	if (!range_ok(t, n))
		return -EINVAL;
	prev = vmap_tree_find_le(t, n->va_start);
	next = vmap_tree_find_ge(t, n->va_start);
	if ((prev && prev->va_end > n->va_start) ||
	    (next && next->va_start < n->va_end))
		return -EBUSY;
	t->root = insert(t->root, n);
	t->nr++;
	return 0;
}

/* Unlink the smallest node of subtree n into *min. */
static struct vmap_node *remove_min(struct vmap_node *n, struct vmap_node **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = remove_min(n->left, min);
	return balance(n);
}

static struct vmap_node *remove(struct vmap_node *n, unsigned long va,
				struct vmap_node **out)
{
	struct vmap_node *l, *r, *m;

	if (!n)
		return NULL;
	if (va < n->va_start) {
		n->left = remove(n->left, va, out);
	} else if (va > n->va_start) {
		n->right = remove(n->right, va, out);
	} else {
		*out = n;
		l = n->left;
		r = n->right;
		n->left = n->right = NULL;
		if (!r)
			return l;
		r = remove_min(r, &m);
		m->left = l;
		m->right = r;
		return balance(m);
	}
	return balance(n);
}

struct vmap_node *vmap_tree_remove(struct vmap_tree *t, unsigned long va_start)
{
	struct vmap_node *out = NULL;

	t->root = remove(t->root, va_start, &out);
	if (out)
		t->nr--;
	return out;
}

/* Re-pull the nodes on the path to key (heights do not change). */
static void update_path(struct vmap_node *n, unsigned long key)
{
	if (!n)
		return;
	if (key < n->va_start)
		update_path(n->left, key);
	else if (key > n->va_start)
		update_path(n->right, key);
	pull(n);
}

void vmap_tree_update(struct vmap_tree *t, struct vmap_node *n)
{
	update_path(t->root, n->va_start);
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
	unsigned long m;
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
	m = vmap_node_size(n);
	if (max_size(n->left) > m)
		m = max_size(n->left);
	if (max_size(n->right) > m)
		m = max_size(n->right);
	if (n->subtree_max_size != m)
		s->err = VMAP_TREE_BAD_MAX;
}

int vmap_tree_check(const struct vmap_tree *t)
{
	struct check_state s = { .t = t };

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
	struct vmap_node *s;

	if (addr == n->va_start && end == n->va_end) {
		vmap_tree_remove(t, n->va_start);
		return n;
	}
	if (addr == n->va_start) {
		/* Still between the same neighbours: only the sizes change. */
		n->va_start = end;
		vmap_tree_update(t, n);
		return NULL;
	}
	n->va_end = addr;
	vmap_tree_update(t, n);
	if (end < old_end) {
		s = *spare;
		*spare = NULL;
		s->va_start = end;
		s->va_end = old_end;
		t->root = insert(t->root, s);
		t->nr++;
	}
	return NULL;
}

int vmap_free_insert(struct vmap_tree *t, struct vmap_node *n,
		     struct vmap_node *released[2])
{
	struct vmap_node *prev, *next;
	int nr = 0;

	if (!range_ok(t, n))
		return -EINVAL;
	prev = vmap_tree_find_le(t, n->va_start);
	next = vmap_tree_find_ge(t, n->va_start);
	if ((prev && prev->va_end > n->va_start) ||
	    (next && next->va_start < n->va_end))
		return -EBUSY;
	if (prev && prev->va_end != n->va_start)
		prev = NULL;
	if (next && next->va_start != n->va_end)
		next = NULL;

	if (prev && next) {
		vmap_tree_remove(t, next->va_start);
		prev->va_end = next->va_end;
		vmap_tree_update(t, prev);
		released[nr++] = n;
		released[nr++] = next;
	} else if (prev) {
		prev->va_end = n->va_end;
		vmap_tree_update(t, prev);
		released[nr++] = n;
	} else if (next) {
		/* Grows downwards, not past prev: its place is unchanged. */
		next->va_start = n->va_start;
		vmap_tree_update(t, next);
		released[nr++] = n;
	} else {
		t->root = insert(t->root, n);
		t->nr++;
	}
	return nr;
}
