/* SPDX-License-Identifier: MIT */
/*
 * A minimal unit-test harness for the host tests: CHECK* record a failure
 * with its location and go on; each test function is listed in main() with
 * RUN(). The program prints one line per test and ends with
 * "N passed, N failed", exiting 1 on any failure.
 */
#ifndef HOSTTEST_H
#define HOSTTEST_H

#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static int ht_failures_in_test;
static int ht_passed, ht_failed;

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		ht_failures_in_test++; \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); \
	if (_a != _b) { \
		printf("    %s:%d: CHECK_EQ(%s, %s) failed: 0x%llx != 0x%llx\n", \
		       __FILE__, __LINE__, #a, #b, _a, _b); \
		ht_failures_in_test++; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b) != 0) { \
		printf("    %s:%d: CHECK_STR(%s, %s) failed: \"%s\" != \"%s\"\n", \
		       __FILE__, __LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
		ht_failures_in_test++; \
	} \
} while (0)

#define RUN(fn) do { \
	ht_failures_in_test = 0; \
	fn(); \
	if (ht_failures_in_test) { ht_failed++; printf("not ok %s\n", #fn); } \
	else { ht_passed++; printf("ok %s\n", #fn); } \
} while (0)

#define HT_DONE() ( \
	printf("%d passed, %d failed\n", ht_passed, ht_failed), \
	ht_failed ? 1 : 0)

#endif /* HOSTTEST_H */
