// SPDX-License-Identifier: MIT
/*
 * The KTAP printer of the user test programs: one top-level KTAP version 1
 * document on fd 1 (Documentation/dev-tools/ktap.rst: the header, the
 * plan, one "ok N name" / "not ok N name" line per case, "# SKIP" for a
 * skipped case, "# " diagnostics); the suite is the program.
 */
#include "user.h"

static int ktap_planned, ktap_run, ktap_failed;

void ktap_start(int planned)
{
	ktap_planned = planned;
	printf("KTAP version 1\n1..%d\n", planned);
}

bool ktap_result(bool cond, const char *name)
{
	ktap_run++;
	if (!cond)
		ktap_failed++;
	printf("%s %d %s\n", cond ? "ok" : "not ok", ktap_run, name);
	return cond;
}

void ktap_skip(const char *name, const char *reason)
{
	ktap_run++;
	printf("ok %d %s # SKIP %s\n", ktap_run, name, reason);
}

void ktap_diag(const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
}

int ktap_finish(void)
{
	if (ktap_run != ktap_planned)
		ktap_diag("planned %d cases, ran %d", ktap_planned, ktap_run);
	return ktap_failed || ktap_run != ktap_planned;
}

static const char *skip_reason;

int skip(const char *reason)
{
	skip_reason = reason;
	return SKIP;
}

int ktap_run_cases(const struct ktap_case *cases, int n)
{
	ktap_start(n);
	for (int i = 0; i < n; i++) {
		int r;

		skip_reason = NULL;
		r = cases[i].fn();
		if (r == SKIP)
			ktap_skip(cases[i].name, skip_reason ? skip_reason : "");
		else
			ktap_result(r == PASS, cases[i].name);
	}
	return ktap_finish();
}

bool check_eq(long a, long b, const char *as, const char *bs, int line)
{
	if (a == b)
		return true;
	ktap_diag("line %d: %s is %ld (0x%lx%s%s), want %s = %ld", line, as, a, a,
		  a < 0 && a > -4096 ? " " : "", a < 0 && a > -4096 ? errname(a) : "", bs, b);
	return false;
}

bool check_true(bool c, const char *s, int line)
{
	if (!c)
		ktap_diag("line %d: %s is false", line, s);
	return c;
}
