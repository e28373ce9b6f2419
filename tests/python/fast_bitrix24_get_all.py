"""fast-bitrix24's `get_all("user.get")` over a large company: every active employee,
each exactly once.

Run by tests/fast_bitrix24.rs (`fast_bitrix24_get_all_returns_every_one_of_10000`),
which builds the company, starts `offboard serve` and passes:

  FB_URL     a webhook URL with the user scope
  FB_DB      the database the server serves (read here through a second,
             read-only connection to know what the answer must be)

Every check prints PASS or FAIL; the last line is "N passed, M failed".
"""

import os
import sqlite3
import sys
import time
import traceback
import warnings

warnings.simplefilter("ignore")

from fast_bitrix24 import Bitrix  # noqa: E402


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def main():
    url = os.environ["FB_URL"]
    db = os.environ["FB_DB"]
    passed = failed = 0

    def check(name, fn):
        nonlocal passed, failed
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported
            failed += 1
            detail = str(e) if isinstance(e, AssertionError) else "".join(
                traceback.format_exception(type(e), e, e.__traceback__)
            ).rstrip()
            print(f"FAIL {name}: {detail}", flush=True)
        else:
            passed += 1
            print(f"PASS {name}", flush=True)

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    want = sorted(
        str(r[0])
        for r in con.execute(
            "SELECT id FROM employees WHERE kind = 'employee' AND status = 'active'"
        )
    )
    con.close()
    state = {}

    def enough():
        expect(len(want) >= 9_000, f"only {len(want)} active employees in the database")

    check(f"the database has {len(want)} active employees", enough)

    def get_all():
        started = time.monotonic()
        users = Bitrix(url, verbose=False).get_all("user.get")
        took = time.monotonic() - started
        print(f"get_all('user.get') took {took:.2f} s for {len(users)} users", flush=True)
        expect(isinstance(users, list), f"not a list: {type(users).__name__}")
        state["users"] = users

    check("get_all('user.get') completes", get_all)
    users = state.get("users")
    if users is not None:
        ids = [u.get("ID") for u in users]

        def once():
            seen, dups = set(), set()
            for i in ids:
                (dups if i in seen else seen).add(i)
            expect(not dups, f"{len(dups)} IDs came back more than once, e.g. {sorted(dups)[:10]}")

        check("every user comes back at most once", once)

        def every():
            got = set(ids)
            missing = sorted(set(want) - got, key=int)
            extra = sorted(got - set(want), key=lambda x: int(x) if str(x).isdigit() else 0)
            expect(
                not missing and not extra,
                f"got {len(got)} distinct users, expected {len(want)}; "
                f"missing {len(missing)} (e.g. {missing[:10]}), extra {len(extra)} (e.g. {extra[:10]})",
            )

        check(f"every one of the {len(want)} active employees comes back", every)

    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
