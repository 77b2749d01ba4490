/* SPDX-License-Identifier: MIT */
/*
 * Host tests of mm/vmap_tree.c, the ordered trees and free-space index
 * behind vmalloc (seed 001 ch. 8; Linux's vmap_area augmented tree): the
 * tree against a sorted-array reference model under random inserts and
 * removals, the lowest-fit search against a linear reference with and
 * without alignment, carving and merging of free ranges, the augmented
 * subtree_max_size, the parent links and the AVL balance after every
 * step.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "kernel/errno.h"
#include "mm/vmap_tree.h"

#define G	4096UL			/* granule: a page */
#define MAXN	4096

static unsigned long rng = 88172645463325252ULL;

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static struct vmap_node pool[4 * MAXN];
static struct vmap_node *free_nodes[4 * MAXN];
static int nr_free_nodes;

static void pool_init(void)
{
	nr_free_nodes = 0;
	for (int i = 4 * MAXN - 1; i >= 0; i--)
		free_nodes[nr_free_nodes++] = &pool[i];
}

static struct vmap_node *node_get(unsigned long s, unsigned long e)
{
	struct vmap_node *n = free_nodes[--nr_free_nodes];

	memset(n, 0x5a, sizeof(*n));	/* stale links must not matter */
	n->va_start = s;
	n->va_end = e;
	return n;
}

static void node_put(struct vmap_node *n)
{
	free_nodes[nr_free_nodes++] = n;
}

static int ilog2_up(unsigned long n)
{
	int l = 0;

	while ((1UL << l) < n)
		l++;
	return l;
}

/* AVL height bound: h < 1.4405 log2(n + 2) - 0.3277. */
static bool height_ok(const struct vmap_tree *t)
{
	return vmap_tree_height(t) * 10000L <= 14405L * ilog2_up(t->nr + 2);
}

/* ------------------------------------------------------------ reference */

struct range { unsigned long s, e; };

static struct range model[4 * MAXN];
static int nmodel;

static int model_find_le(unsigned long va)
{
	int r = -1;

	for (int i = 0; i < nmodel && model[i].s <= va; i++)
		r = i;
	return r;
}

static void model_insert(unsigned long s, unsigned long e)
{
	int i = nmodel;

	while (i > 0 && model[i - 1].s > s) {
		model[i] = model[i - 1];
		i--;
	}
	model[i].s = s;
	model[i].e = e;
	nmodel++;
}

static void model_remove(int i)
{
	memmove(&model[i], &model[i + 1], (nmodel - i - 1) * sizeof(model[0]));
	nmodel--;
}

/* The tree holds exactly the model's ranges, in order. */
static bool same_as_model(const struct vmap_tree *t)
{
	const struct vmap_node *n = vmap_tree_first(t);

	for (int i = 0; i < nmodel; i++, n = vmap_tree_next(t, n))
		if (!n || n->va_start != model[i].s || n->va_end != model[i].e)
			return false;
	return n == NULL && t->nr == (unsigned long)nmodel;
}

/* ------------------------------------------------------------ tree */

static void test_empty(void)
{
	struct vmap_tree t;
	unsigned long a;

	vmap_tree_init(&t, G);
	CHECK(!vmap_tree_first(&t));
	CHECK(!vmap_tree_find_le(&t, 123));
	CHECK(!vmap_free_find(&t, G, G, &a));
	CHECK_EQ(vmap_tree_height(&t), 0);
	CHECK_EQ(vmap_tree_check(&t), 0);
}

static void test_insert_errors(void)
{
	struct vmap_tree t;
	struct vmap_node a = { .va_start = 10 * G, .va_end = 20 * G };
	struct vmap_node b = { .va_start = 19 * G, .va_end = 30 * G };
	struct vmap_node c = { .va_start = 5 * G, .va_end = 11 * G };
	struct vmap_node d = { .va_start = 5 * G + 1, .va_end = 8 * G };
	struct vmap_node e = { .va_start = 8 * G, .va_end = 8 * G };
	struct vmap_node f = { .va_start = 20 * G, .va_end = 21 * G };

	vmap_tree_init(&t, G);
	CHECK_EQ(vmap_tree_insert(&t, &a), 0);
	CHECK_EQ(vmap_tree_insert(&t, &b), -EBUSY);
	CHECK_EQ(vmap_tree_insert(&t, &c), -EBUSY);
	CHECK_EQ(vmap_tree_insert(&t, &d), -EINVAL);
	CHECK_EQ(vmap_tree_insert(&t, &e), -EINVAL);
	CHECK_EQ(t.nr, 1);
	CHECK_EQ(vmap_tree_insert(&t, &f), 0);	/* touching is fine */
	CHECK(vmap_tree_find_containing(&t, 20 * G) == &f);
	CHECK(vmap_tree_find_containing(&t, 20 * G - 1) == &a);
	CHECK(!vmap_tree_find_containing(&t, 21 * G));
	CHECK(!vmap_tree_remove(&t, 11 * G));
	CHECK(vmap_tree_remove(&t, 10 * G) == &a);
	CHECK(!vmap_tree_remove(&t, 10 * G));
	CHECK_EQ(vmap_tree_check(&t), 0);
}

/* Random non-overlapping ranges in and out, every query checked against
 * the sorted array after each step. */
static void test_random_against_model(void)
{
	struct vmap_tree t;
	int steps = 20000, bad = 0;

	pool_init();
	nmodel = 0;
	vmap_tree_init(&t, G);
	for (int step = 0; step < steps && !bad; step++) {
		if (nmodel < MAXN && (rnd() % 3 || !nmodel)) {
			unsigned long s = (rnd() % 100000) * G;
			unsigned long e = s + (1 + rnd() % 16) * G;
			int i = model_find_le(s);
			bool overlap = (i >= 0 && model[i].e > s) ||
				       (i + 1 < nmodel && model[i + 1].s < e);
			struct vmap_node *n = node_get(s, e);
			int r = vmap_tree_insert(&t, n);

			if (r != (overlap ? -EBUSY : 0))
				bad = 1;
			if (r)
				node_put(n);
			else
				model_insert(s, e);
		} else {
			int i = rnd() % nmodel;
			struct vmap_node *n = vmap_tree_remove(&t, model[i].s);

			if (!n || n->va_start != model[i].s)
				bad = 2;
			else
				node_put(n);
			model_remove(i);
		}
		if (step % 97 == 0 || step == steps - 1) {
			unsigned long q = (rnd() % 100010) * G + rnd() % G;
			int i = model_find_le(q);
			struct vmap_node *le = vmap_tree_find_le(&t, q);
			struct vmap_node *ge = vmap_tree_find_ge(&t, q);
			struct vmap_node *in = vmap_tree_find_containing(&t, q);

			if (vmap_tree_check(&t) || !same_as_model(&t) || !height_ok(&t))
				bad = 3;
			if ((i < 0) != !le || (le && le->va_start != model[i].s))
				bad = 4;
			{
				int j = (i >= 0 && model[i].s == q) ? i : i + 1;

				if ((j >= nmodel) != !ge ||
				    (ge && ge->va_start != model[j].s))
					bad = 5;
			}
			if ((i >= 0 && q < model[i].e) != !!in)
				bad = 6;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(vmap_tree_check(&t), 0);
	CHECK(same_as_model(&t));
}

/* The invariant checker after every single step of a random mix of
 * inserts, erases by node (leaf, one child, two children, the root) and
 * in-place grows and shrinks (vmap_tree_update): ordering, heights, AVL
 * balance, augmented maxima, parent links and the count must hold at each
 * step, and an address-order walk by the parent links must match the
 * model. The repairs stop early where nothing changes, so a wrong stop is
 * what this is after. */
static void invariants_every_step(bool plain)
{
	struct vmap_tree t;
	int bad = 0, step, erased_inner = 0, resized = 0;

	pool_init();
	nmodel = 0;
	if (plain)
		vmap_tree_init_plain(&t, G);
	else
		vmap_tree_init(&t, G);
	for (step = 0; step < 40000 && !bad; step++) {
		unsigned int op = rnd() % 8;
		int err;

		if (!nmodel || (op < 3 && nmodel < MAXN)) {
			unsigned long s = (rnd() % 20000) * G;
			unsigned long e = s + (1 + rnd() % (rnd() % 4 ? 4 : 64)) * G;
			int i = model_find_le(s);
			bool overlap = (i >= 0 && model[i].e > s) ||
				       (i + 1 < nmodel && model[i + 1].s < e);
			struct vmap_node *n = node_get(s, e);

			if (vmap_tree_insert(&t, n) != (overlap ? -EBUSY : 0)) {
				bad = 1;
			} else if (overlap) {
				node_put(n);
			} else {
				model_insert(s, e);
			}
		} else if (op < 6) {
			int i = rnd() % nmodel;
			struct vmap_node *n = vmap_tree_find(&t, model[i].s);

			if (!n) {
				bad = 2;
				break;
			}
			erased_inner += n->left && n->right;
			vmap_tree_erase(&t, n);
			node_put(n);
			model_remove(i);
		} else {
			/* Move the end anywhere between the start and the next
			 * range: the order is unchanged, the sizes are not. */
			int i = rnd() % nmodel;
			unsigned long lim = i + 1 < nmodel ? model[i + 1].s
							   : model[i].s + 64 * G;
			unsigned long room = (lim - model[i].s) / G;
			struct vmap_node *n = vmap_tree_find(&t, model[i].s);

			if (!n) {
				bad = 3;
				break;
			}
			model[i].e = model[i].s + (1 + rnd() % room) * G;
			n->va_end = model[i].e;
			vmap_tree_update(&t, n);
			resized++;
		}
		err = vmap_tree_check(&t);
		if (err) {
			printf("    step %d: vmap_tree_check %d\n", step, err);
			bad = 4;
		} else if (!height_ok(&t)) {
			bad = 5;
		} else if (step % 16 == 0 && !same_as_model(&t)) {
			bad = 6;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(same_as_model(&t));
	CHECK(erased_inner > 1000);
	CHECK(resized > 1000);
	/* Down to nothing, checked all the way. */
	while (nmodel && !bad) {
		struct vmap_node *n = vmap_tree_find(&t, model[nmodel / 2].s);

		vmap_tree_erase(&t, n);
		node_put(n);
		model_remove(nmodel / 2);
		bad = vmap_tree_check(&t);
	}
	CHECK_EQ(bad, 0);
	CHECK(!t.root);
	CHECK_EQ(t.nr, 0);
}

static void test_invariants_every_step(void)
{
	invariants_every_step(false);
}

/* The same for a tree without the augmented size (vmalloc's busy tree). */
static void test_invariants_every_step_plain(void)
{
	invariants_every_step(true);
}

/* Ascending, then descending inserts (the worst case of an unbalanced
 * tree), then removal of every other: the height stays logarithmic. */
static void test_balance_sequential(void)
{
	struct vmap_tree t;
	int n = MAXN;

	pool_init();
	vmap_tree_init(&t, G);
	for (int i = 0; i < n; i++)
		CHECK_EQ(vmap_tree_insert(&t, node_get(2 * i * G, (2 * i + 1) * G)), 0);
	CHECK_EQ(vmap_tree_check(&t), 0);
	CHECK(height_ok(&t));
	CHECK(vmap_tree_height(&t) <= 2 * ilog2_up(n + 1) + 1);
	for (int i = 0; i < n; i += 2)
		node_put(vmap_tree_remove(&t, 2 * i * G));
	CHECK_EQ(vmap_tree_check(&t), 0);
	CHECK(height_ok(&t));
	CHECK_EQ(t.nr, n / 2);
}

/* A broken tree is noticed: a wrong augmented size, a wrong height. */
static void test_check_catches_corruption(void)
{
	struct vmap_tree t;

	pool_init();
	vmap_tree_init(&t, G);
	for (int i = 0; i < 100; i++)
		vmap_tree_insert(&t, node_get(i * 4 * G, (i * 4 + 1 + i % 3) * G));
	CHECK_EQ(vmap_tree_check(&t), 0);
	t.root->subtree_max_size += G;
	CHECK_EQ(vmap_tree_check(&t), VMAP_TREE_BAD_MAX);
	t.root->subtree_max_size -= G;
	if (t.root->left) {
		t.root->left->height++;
		CHECK(vmap_tree_check(&t) != 0);
		t.root->left->height--;
	}
	t.nr++;
	CHECK_EQ(vmap_tree_check(&t), VMAP_TREE_BAD_COUNT);
	t.nr--;
	CHECK_EQ(vmap_tree_check(&t), 0);
	/* A child that names another parent; a root with a parent. */
	{
		struct vmap_node *c = t.root->left, *p = c->parent;

		c->parent = t.root->right;
		CHECK_EQ(vmap_tree_check(&t), VMAP_TREE_BAD_PARENT);
		c->parent = p;
		t.root->parent = c;
		CHECK_EQ(vmap_tree_check(&t), VMAP_TREE_BAD_PARENT);
		t.root->parent = NULL;
	}
	/* Two subtrees swapped: out of order. */
	{
		struct vmap_node *l = t.root->left, *r = t.root->right;

		t.root->left = r;
		t.root->right = l;
		CHECK_EQ(vmap_tree_check(&t), VMAP_TREE_BAD_ORDER);
		t.root->left = l;
		t.root->right = r;
	}
	CHECK_EQ(vmap_tree_check(&t), 0);
}

/* ------------------------------------------------------------ free space */

/* The linear reference of vmap_free_find's definition: the lowest range
 * of size + (align - G) bytes; failing that, the lowest where an aligned
 * block fits anyway. Index into model, or -1. */
static int ref_find(unsigned long size, unsigned long align, unsigned long *addr)
{
	unsigned long slack = align > G ? align - G : 0;

	for (int i = 0; i < nmodel; i++)
		if (model[i].e - model[i].s >= size + slack) {
			*addr = (model[i].s + align - 1) & ~(align - 1);
			return i;
		}
	for (int i = 0; i < nmodel; i++) {
		unsigned long a = (model[i].s + align - 1) & ~(align - 1);

		if (a < model[i].e && model[i].e - a >= size) {
			*addr = a;
			return i;
		}
	}
	return -1;
}

static void ref_carve(int i, unsigned long a, unsigned long size)
{
	struct range r = model[i];

	model_remove(i);
	if (r.s < a)
		model_insert(r.s, a);
	if (a + size < r.e)
		model_insert(a + size, r.e);
}

static void ref_free(unsigned long s, unsigned long e)
{
	int i = model_find_le(s);

	if (i >= 0 && model[i].e == s) {
		s = model[i].s;
		model_remove(i);
		i--;
	}
	if (i + 1 < nmodel && model[i + 1].s == e) {
		e = model[i + 1].e;
		model_remove(i + 1);
	}
	model_insert(s, e);
}

static struct range used[MAXN];
static int nused;

/* [a, a + size) out of free node n (model index ri) into used[]; spare
 * (may be NULL) for a split, back to the pool if not taken. */
static void carve_used(struct vmap_tree *t, struct vmap_node *n, int ri,
		       unsigned long a, unsigned long size, struct vmap_node *spare)
{
	struct vmap_node *rel = vmap_free_carve(t, n, a, size, &spare);

	if (rel)
		node_put(rel);
	if (spare)
		node_put(spare);
	ref_carve(ri, a, size);
	used[nused].s = a;
	used[nused].e = a + size;
	nused++;
}

/* A free-space tree and its model holding [base, end), nothing used. */
static void free_space_init(struct vmap_tree *t, unsigned long base,
			    unsigned long end)
{
	pool_init();
	vmap_tree_init(t, G);
	nmodel = 0;
	nused = 0;
	vmap_tree_insert(t, node_get(base, end));
	model_insert(base, end);
}

/* Allocations of random sizes and alignments and frees in random order
 * over a 256 MiB space: each search equals the reference, the free ranges
 * equal the model's after each carve or merge, and when everything is
 * freed one range is left. */
static void test_free_index_against_model(void)
{
	const unsigned long base = 0x10000000UL, end = base + (256UL << 20);
	struct vmap_tree t;
	int bad = 0, fails = 0, merges = 0;

	free_space_init(&t, base, end);

	for (int step = 0; step < 30000 && !bad; step++) {
		if (nused < MAXN && (rnd() % 5 < 3 || !nused)) {
			unsigned long size = (1 + (rnd() % 8 ? rnd() % 8 : rnd() % 2048)) * G;
			unsigned long align = G << (rnd() % 4 ? 0 : rnd() % 10);
			unsigned long a = 0, ra = 0;
			struct vmap_node *n = vmap_free_find(&t, size, align, &a);
			int ri = ref_find(size, align, &ra);
			struct vmap_node *spare = node_get(0, 0);

			if (!n != (ri < 0) || (n && (a != ra || n->va_start != model[ri].s))) {
				bad = 1;
				printf("    step %d: size %lu align %lu: tree %lx ref %lx\n",
				       step, size, align, n ? a : 0, ri < 0 ? 0 : ra);
				break;
			}
			if (!n) {
				fails++;
				node_put(spare);
				continue;
			}
			if (a & (align - 1) || a < n->va_start || a + size > n->va_end)
				bad = 2;
			carve_used(&t, n, ri, a, size, spare);
		} else {
			int i = rnd() % nused;
			struct vmap_node *rel[2];
			int r = vmap_free_insert(&t, node_get(used[i].s, used[i].e), rel);

			if (r < 0)
				bad = 3;
			for (int k = 0; k < r; k++)
				node_put(rel[k]);
			merges += r;
			ref_free(used[i].s, used[i].e);
			used[i] = used[--nused];
		}
		if (vmap_tree_check(&t) || !same_as_model(&t) || !height_ok(&t))
			bad = 4;
	}
	CHECK_EQ(bad, 0);
	CHECK(merges > 1000);
	printf("    %d failed searches, %d merges, %lu free ranges, height %d\n",
	       fails, merges, t.nr, vmap_tree_height(&t));
	while (nused) {
		struct vmap_node *rel[2];
		int r = vmap_free_insert(&t, node_get(used[nused - 1].s, used[nused - 1].e), rel);

		for (int k = 0; k < r; k++)
			node_put(rel[k]);
		nused--;
	}
	CHECK_EQ(t.nr, 1);
	CHECK_EQ(t.root->va_start, base);
	CHECK_EQ(t.root->va_end, end);
	CHECK_EQ(vmap_tree_check(&t), 0);
}

/* A purge's pattern: areas carved one after another from the bottom of a
 * range, some freed early (holes), the rest given back in falling order
 * with vmap_free_insert_hint, which merges each into the range given
 * back before it without a descent; the free ranges equal the model's at
 * every step and all merge back into one. Then random order with the
 * hint: a hint that does not touch must change nothing of the result. */
static void test_free_insert_hint(void)
{
	const unsigned long base = 0x10000000UL, end = base + (64UL << 20);
	struct vmap_tree t;
	struct vmap_node *hint = NULL, *rel[2];
	static int order[MAXN];
	int bad = 0, hits = 0;

	for (int round = 0; round < 2; round++) {
		free_space_init(&t, base, end);
		for (int i = 0; i < 1000; i++) {
			unsigned long size = (1 + rnd() % 4) * G, a = 0;
			struct vmap_node *n = vmap_free_find(&t, size, G, &a);
			int ri = ref_find(size, G, &a);

			carve_used(&t, n, ri, a, size, NULL);
		}
		/* Every seventh back at once: holes between live ranges. */
		for (int i = 0; i < nused; i += 7) {
			vmap_free_insert(&t, node_get(used[i].s, used[i].e), rel);
			ref_free(used[i].s, used[i].e);
			used[i].s = used[i].e = 0;
		}
		/* Falling order, or a random permutation. */
		for (int k = 0; k < nused; k++)
			order[k] = nused - 1 - k;
		for (int k = nused - 1; round && k > 0; k--) {
			int j = rnd() % (k + 1), x = order[k];

			order[k] = order[j];
			order[j] = x;
		}
		hint = NULL;
		for (int k = 0; k < nused && !bad; k++) {
			int i = order[k];
			int r;

			if (!used[i].e)
				continue;
			hits += hint && hint->va_start == used[i].e;
			r = vmap_free_insert_hint(&t, node_get(used[i].s, used[i].e),
						  rel, &hint);
			if (r < 0 || !hint || hint->va_start > used[i].s ||
			    hint->va_end < used[i].e)
				bad = 1;
			for (int j = 0; j < r; j++)
				node_put(rel[j]);
			ref_free(used[i].s, used[i].e);
			used[i].s = used[i].e = 0;
			if (vmap_tree_check(&t) || !same_as_model(&t))
				bad = 2;
		}
		CHECK_EQ(bad, 0);
		CHECK_EQ(t.nr, 1);
		CHECK_EQ(vmap_tree_check(&t), 0);
	}
	/* Falling order: all but the first after each hole hit the hint. */
	printf("    %d hint hits\n", hits);
	CHECK(hits > 700);
	/* A hint that overlaps is refused like any other overlap. */
	{
		struct vmap_node *n = node_get(base + G, base + 2 * G);

		hint = t.root;
		CHECK_EQ(vmap_free_insert_hint(&t, n, rel, &hint), -EBUSY);
		CHECK_EQ(vmap_tree_check(&t), 0);
		CHECK_EQ(t.nr, 1);
	}
}

/* Alignment: a small hole that fits only by its alignment is found by the
 * fallback; the descent prefers the lowest range that surely fits. */
static void test_alignment(void)
{
	struct vmap_tree t;
	struct vmap_node a = { .va_start = 0x100000 + G, .va_end = 0x100000 + 4 * G };
	struct vmap_node b = { .va_start = 0x200000, .va_end = 0x200000 + 2 * G };
	struct vmap_node c = { .va_start = 0x300000 + G, .va_end = 0x400000 };
	struct vmap_node *rel[2], *spare = NULL;
	unsigned long addr;

	vmap_tree_init(&t, G);
	vmap_tree_insert(&t, &a);
	vmap_tree_insert(&t, &b);
	/* 2 pages at 64 KiB: a is big enough but misaligned; b fits exactly
	 * by its alignment, found by the fallback scan. */
	CHECK(vmap_free_find(&t, 2 * G, 0x10000, &addr) == &b);
	CHECK_EQ(addr, 0x200000);
	/* Once c, which surely fits, exists, the O(log n) descent takes it. */
	vmap_tree_insert(&t, &c);
	CHECK(vmap_free_find(&t, 2 * G, 0x10000, &addr) == &c);
	CHECK_EQ(addr, 0x310000);
	/* 4 pages at 1 MiB: only c's aligned end? c ends at 0x400000 and
	 * starts past 0x300000: nothing aligned to 1 MiB inside. */
	CHECK(!vmap_free_find(&t, 4 * G, 0x100000, &addr));
	/* Page alignment is exact first fit. */
	CHECK(vmap_free_find(&t, 3 * G, G, &addr) == &a);
	CHECK_EQ(addr, a.va_start);
	CHECK(!vmap_free_find(&t, 3 * G, 3 * G, &addr));	/* not a power of 2 */
	/* A carve from the middle splits the range. */
	CHECK(vmap_free_find(&t, 8 * G, 0x10000, &addr) == &c);
	CHECK_EQ(addr, 0x310000);
	{
		struct vmap_node s;

		spare = &s;
		CHECK(!vmap_free_carve(&t, &c, addr, 8 * G, &spare));
		CHECK(!spare);
		CHECK_EQ(t.nr, 4);
		CHECK_EQ(c.va_end, 0x310000);
		CHECK_EQ(s.va_start, 0x318000);
		CHECK_EQ(vmap_tree_check(&t), 0);
		/* Freeing it back merges the three into one. */
		{
			struct vmap_node back = { .va_start = 0x310000, .va_end = 0x318000 };

			CHECK_EQ(vmap_free_insert(&t, &back, rel), 2);
			CHECK(rel[0] == &back && rel[1] == &s);
			CHECK_EQ(c.va_end, 0x400000);
			CHECK_EQ(t.nr, 3);
			CHECK_EQ(vmap_tree_check(&t), 0);
			back.va_start = 0x380000;
			back.va_end = 0x390000;
			CHECK_EQ(vmap_free_insert(&t, &back, rel), -EBUSY);
		}
	}
}

int main(void)
{
	RUN(test_empty);
	RUN(test_insert_errors);
	RUN(test_random_against_model);
	RUN(test_invariants_every_step);
	RUN(test_invariants_every_step_plain);
	RUN(test_balance_sequential);
	RUN(test_check_catches_corruption);
	RUN(test_free_index_against_model);
	RUN(test_free_insert_hint);
	RUN(test_alignment);
	return HT_DONE();
}
