# SPDX-License-Identifier: MIT
"""The runner of the Python tests' own host checks (tests/test_fbmodel.py,
tests/test_screenchecks.py): a check is a function that raises
AssertionError naming what is wrong; each file's checks run in the order
they were written, one result a check, and end with the harness's
closing line (docs/testing.md).

    CHECKS = Checklist(); check = CHECKS.check
    @check
    def some_rule(): eq(got, want, "what")
    CHECKS.run() -> [(name, ok, detail)];  sys.exit(CHECKS.main())
"""


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


class Checklist:
    def __init__(self):
        self.fns = []

    def check(self, fn):
        """A decorator: fn is a check."""
        self.fns.append(fn)
        return fn

    def run(self):
        out = []
        for fn in self.fns:
            try:
                fn()
                out.append((fn.__name__, True, "ok"))
            except AssertionError as e:
                out.append((fn.__name__, False, str(e)))
            except Exception as e:      # a crash of the code under test is a failure too
                out.append((fn.__name__, False, "%s: %s" % (type(e).__name__, e)))
        return out

    def main(self):
        """Every check's line, then 'N passed, N failed'; the exit status."""
        results = self.run()
        for name, ok, detail in results:
            print("%-4s %s%s" % ("ok" if ok else "FAIL", name, "" if ok else ": " + detail))
        failed = sum(not ok for _, ok, _ in results)
        print("%d passed, %d failed" % (len(results) - failed, failed))
        return 1 if failed else 0
