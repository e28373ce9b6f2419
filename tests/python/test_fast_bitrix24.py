"""A real third-party client against `offboard serve`: the Python package
fast-bitrix24, used unchanged, through webhook URLs made by `offboard webhook create`.

Run by tests/fast_bitrix24.rs, which prepares the database, starts the server and
passes everything here through environment variables (or the matching options):

  OFFBOARD_BIN        --offboard        the offboard binary
  OFFBOARD_DB         --db              the database the server serves
  FB_KEEP_URL         --keep-url        a webhook whose owner is dismissed with keep
  FB_KEEP_OWNER       --keep-owner      that owner's login
  FB_DISABLE_URL      --disable-url     a webhook whose owner is dismissed with disable
  FB_DISABLE_OWNER    --disable-owner   that owner's login
  FB_STAFF            --staff           who dismisses them (default hr)
  FB_NAME_PART        --name-part       text for the `%NAME` filter (default an)

The checks run in order (the dismissals change what later checks expect). Every check
prints PASS or FAIL; the last line is "N passed, M failed"; the exit status is 1 when
anything failed, 2 on bad usage.
"""

import argparse
import json
import os
import subprocess
import sys
import traceback
import urllib.error
import urllib.request
import warnings

# The library's own warnings (rate limits, result counts) and asyncio's deprecation
# notices are noise here: every result is checked explicitly below.
warnings.simplefilter("ignore")

import aiohttp  # noqa: E402  (installed with fast-bitrix24)
from fast_bitrix24 import Bitrix  # noqa: E402

TIME_KEYS = ("start", "finish", "duration", "processing", "date_start", "date_finish")


def parse_args():
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--offboard", default=env("OFFBOARD_BIN"))
    p.add_argument("--db", default=env("OFFBOARD_DB"))
    p.add_argument("--keep-url", default=env("FB_KEEP_URL"))
    p.add_argument("--keep-owner", default=env("FB_KEEP_OWNER"))
    p.add_argument("--disable-url", default=env("FB_DISABLE_URL"))
    p.add_argument("--disable-owner", default=env("FB_DISABLE_OWNER"))
    p.add_argument("--staff", default=env("FB_STAFF", "hr"))
    p.add_argument("--name-part", default=env("FB_NAME_PART", "an"))
    args = p.parse_args()
    missing = [
        name
        for name in ("offboard", "db", "keep_url", "keep_owner", "disable_url", "disable_owner")
        if not getattr(args, name)
    ]
    if missing:
        p.error("missing: " + ", ".join("--" + m.replace("_", "-") for m in missing))
    return args


class Failed(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failed(what)


def short(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class Suite:
    def __init__(self, args):
        self.args = args
        self.passed = 0
        self.failed = 0

    # ------------------------------------------------------------ helpers

    def offboard(self, *argv, as_login=None):
        """Run the real binary on the served database; its stdout, or Failed."""
        cmd = [self.args.offboard, "--db", self.args.db]
        if as_login:
            cmd += ["--as", as_login]
        cmd += list(argv)
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if run.returncode != 0:
            raise Failed(
                f"{' '.join(cmd[1:])} exited {run.returncode}: {run.stderr.strip()}"
            )
        return run.stdout

    def active_employees(self):
        """The active employees, as the command line lists them for the staff user."""
        rows = json.loads(self.offboard("list", "--json", as_login=self.args.staff))
        return [r for r in rows if r["status"] == "active" and r["kind"] == "employee"]

    def employee(self, login):
        return json.loads(self.offboard("show", login, "--json", as_login=self.args.staff))

    def check(self, name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
            self.failed += 1
            detail = self.explain(e)
            print(f"FAIL {name}: {detail}", flush=True)
        else:
            self.passed += 1
            print(f"PASS {name}", flush=True)

    @staticmethod
    def explain(e):
        """One line for an expected kind of failure, the traceback for anything else."""
        if isinstance(e, Failed):
            return str(e)
        if isinstance(e, aiohttp.ClientResponseError):
            return f"the client raised HTTP {e.status} {e.message} for {e.request_info.real_url}"
        return "".join(traceback.format_exception(type(e), e, e.__traceback__)).rstrip()

    @staticmethod
    def client(url):
        # verbose=False: no progress bar. Plain http needs nothing else.
        return Bitrix(url, verbose=False)

    @staticmethod
    def status_of(exc):
        """The HTTP status carried by what the client raised (or its causes)."""
        seen = exc
        while seen is not None:
            if isinstance(seen, aiohttp.ClientResponseError):
                return seen.status
            status = getattr(seen, "status", None)
            if isinstance(status, int):
                return status
            seen = seen.__cause__ or seen.__context__
        return None

    def expect_401(self, fn, what):
        try:
            got = fn()
        except Exception as e:  # noqa: BLE001
            status = self.status_of(e)
            expect(
                status == 401,
                f"{what}: expected HTTP 401, the client raised {type(e).__name__} "
                f"(status {status}): {e}",
            )
        else:
            raise Failed(f"{what}: expected HTTP 401, the call succeeded with {short(got)}")

    def check_users(self, got, expected_rows, what):
        expect(isinstance(got, list), f"{what}: expected a list, got {short(got)}")
        ids = [u.get("ID") for u in got]
        want = sorted(str(r["id"]) for r in expected_rows)
        expect(
            len(ids) == len(set(ids)),
            f"{what}: duplicate IDs among {len(ids)} users",
        )
        expect(
            sorted(ids) == want,
            f"{what}: got {len(ids)} users, expected {len(want)}; "
            f"missing {sorted(set(want) - set(ids))[:10]}, extra {sorted(set(ids) - set(want))[:10]}",
        )
        for u in got:
            expect(u.get("ACTIVE") is True, f"{what}: inactive user {short(u)}")
            expect(u.get("USER_TYPE") == "employee", f"{what}: not an employee {short(u)}")

    # ------------------------------------------------------------ the checks

    def run(self):
        a = self.args
        keep = self.client(a.keep_url)
        doomed = self.client(a.disable_url)
        state = {}

        def before():
            state["active"] = self.active_employees()
            state["keep_owner"] = self.employee(a.keep_owner)
            state["disable_owner"] = self.employee(a.disable_owner)
            expect(
                len(state["active"]) > 50,
                f"the database has only {len(state['active'])} active employees; "
                "paging needs more than 50",
            )

        self.check("the database has more than 50 active employees", before)
        if "active" not in state:
            return

        def get_all_users():
            users = keep.get_all("user.get")
            self.check_users(users, state["active"], "get_all('user.get')")

        self.check(
            f"get_all('user.get') returns all {len(state['active'])} active employees "
            "(first page, then batch)",
            get_all_users,
        )

        def raw_current():
            raw = keep.call("user.current", raw=True)
            expect(isinstance(raw, dict), f"raw answer is not a dict: {short(raw)}")
            expect("result" in raw and "time" in raw, f"no result/time in {short(raw)}")
            missing = [k for k in TIME_KEYS if k not in raw["time"]]
            expect(not missing, f"time lacks {missing}: {short(raw['time'])}")
            me = raw["result"]
            owner = state["keep_owner"]
            expect(me.get("ID") == str(owner["id"]), f"user.current is {short(me)}, not {a.keep_owner}")
            expect(me.get("NAME") == owner["first_name"], f"NAME in {short(me)}")
            expect(me.get("USER_TYPE") == "employee", f"USER_TYPE in {short(me)}")

        self.check("call('user.current', raw=True) answers result and time", raw_current)

        def call_by_id():
            owner = state["keep_owner"]
            got = keep.call("user.get", {"ID": owner["id"]})
            expect(isinstance(got, dict), f"expected one user, got {short(got)}")
            expect(got.get("ID") == str(owner["id"]), f"got {short(got)}")
            expect(got.get("EMAIL") == owner["email"], f"EMAIL in {short(got)}")

        self.check("call('user.get', {'ID': …}) (one command in a batch)", call_by_id)

        def filtered_contains():
            part = a.name_part
            want = [r for r in state["active"] if part.lower() in r["first_name"].lower()]
            expect(want, f"no active employee's first name contains {part!r}")
            got = keep.get_all("user.get", {"filter": {"%NAME": part}})
            self.check_users(got, want, f"get_all with filter %NAME={part!r}")
            state["filtered"] = len(want)

        self.check("get_all('user.get', {'filter': {'%NAME': …}})", filtered_contains)

        def filtered_upper():
            dept = state["keep_owner"]["department"]
            want = [r for r in state["active"] if r["department"] == dept]
            expect(want, f"nobody active in {dept!r}")
            # The department's ID, as the server numbers it, from one of its members.
            member = keep.call("user.get", {"ID": want[0]["id"]})
            dept_ids = member.get("UF_DEPARTMENT")
            expect(
                isinstance(dept_ids, list) and len(dept_ids) == 1 and isinstance(dept_ids[0], int),
                f"UF_DEPARTMENT is not a list of one int: {short(member)}",
            )
            got = keep.get_all(
                "user.get", {"FILTER": {"UF_DEPARTMENT": dept_ids[0], "ACTIVE": True}}
            )
            self.check_users(got, want, f"get_all with FILTER UF_DEPARTMENT={dept_ids[0]}, ACTIVE")

        self.check("get_all('user.get', {'FILTER': {'UF_DEPARTMENT': …, 'ACTIVE': True}})", filtered_upper)

        def call_batch():
            owner = state["keep_owner"]
            got = keep.call_batch(
                {"halt": 0, "cmd": {"me": "user.current", "one": f"user.get?ID={owner['id']}"}}
            )
            expect(isinstance(got, dict), f"batch result is not a dict: {short(got)}")
            expect(got.get("me", {}).get("ID") == str(owner["id"]), f"me in {short(got)}")
            one = got.get("one")
            expect(
                isinstance(one, list) and len(one) == 1 and one[0].get("ID") == str(owner["id"]),
                f"one in {short(got)}",
            )

        self.check("call_batch with two commands", call_batch)

        def doomed_works_before():
            me = doomed.call("user.current", raw=True)["result"]
            expect(
                me.get("ID") == str(state["disable_owner"]["id"]),
                f"user.current through the second webhook is {short(me)}",
            )

        self.check("the second webhook answers before its owner is dismissed", doomed_works_before)

        # ---- dismiss the first owner, keeping the integrations

        def dismiss_keep():
            self.offboard(
                "dismiss", a.keep_owner, "--integrations", "keep", "--reason", "resigned",
                as_login=a.staff,
            )
            dismissed = self.employee(a.keep_owner)
            expect(dismissed["status"] == "dismissed", f"{a.keep_owner} is {dismissed['status']}")
            state["system"] = self.employee(f"system.{a.keep_owner}")
            state["active_after"] = self.active_employees()

        self.check(f"offboard dismiss {a.keep_owner} --integrations keep", dismiss_keep)

        def kept_current():
            raw = keep.call("user.current", raw=True)
            expect("result" in raw and "time" in raw, f"no result/time in {short(raw)}")
            me = raw["result"]
            system = state["system"]
            expect(me.get("ID") == str(system["id"]), f"user.current is {short(me)}, not system.{a.keep_owner}")
            expect(me.get("ID") != str(state["keep_owner"]["id"]), "still acting as the dismissed owner")
            expect(me.get("USER_TYPE") == "system", f"USER_TYPE in {short(me)}")
            expect(me.get("ACTIVE") is True, f"ACTIVE in {short(me)}")

        self.check(
            "the kept webhook, same client and URL, acts as the system user",
            kept_current,
        )

        def kept_get_all():
            users = keep.get_all("user.get")
            self.check_users(users, state["active_after"], "get_all('user.get') after keep")
            ids = {u["ID"] for u in users}
            expect(str(state["keep_owner"]["id"]) not in ids, "the dismissed owner is listed")
            expect(str(state["system"]["id"]) not in ids, "the system user is listed")

        self.check(
            "the kept webhook still pages get_all('user.get') (dismissed owner and system user not listed)",
            kept_get_all,
        )

        # ---- dismiss the second owner, disabling the integrations

        def dismiss_disable():
            self.offboard(
                "dismiss", a.disable_owner, "--integrations", "disable",
                as_login=a.staff,
            )
            dismissed = self.employee(a.disable_owner)
            expect(dismissed["status"] == "dismissed", f"{a.disable_owner} is {dismissed['status']}")

        self.check(f"offboard dismiss {a.disable_owner} --integrations disable", dismiss_disable)

        self.check(
            "the disabled webhook gets 401 from call(raw=True)",
            lambda: self.expect_401(lambda: doomed.call("user.current", raw=True), "call"),
        )
        self.check(
            "the disabled webhook gets 401 from get_all",
            lambda: self.expect_401(lambda: doomed.get_all("user.get"), "get_all"),
        )
        self.check(
            "a new client on the disabled URL gets 401",
            lambda: self.expect_401(
                lambda: self.client(a.disable_url).call("user.current", raw=True), "new client"
            ),
        )

        def disabled_body():
            # What the client does not show: the error body (aiohttp raises on the status).
            req = urllib.request.Request(
                a.disable_url.rstrip("/") + "/user.current",
                data=b"{}",
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    raise Failed(f"expected 401, got {r.status}: {r.read()[:200]!r}")
            except urllib.error.HTTPError as e:
                body = json.loads(e.read().decode("utf-8"))
                expect(e.code == 401, f"status {e.code}")
                expect(body.get("error") == "INVALID_CREDENTIALS", f"body {short(body)}")
                expect(body.get("error_description"), f"no error_description in {short(body)}")

        self.check("the 401 body is INVALID_CREDENTIALS", disabled_body)

        def kept_still_works():
            me = keep.call("user.current", raw=True)["result"]
            expect(me.get("ID") == str(state["system"]["id"]), f"user.current is {short(me)}")

        self.check("the kept webhook is unaffected by the other dismissal", kept_still_works)


def main():
    args = parse_args()
    suite = Suite(args)
    try:
        suite.run()
    except Exception:  # noqa: BLE001 - a crash in the harness is a failure too
        suite.failed += 1
        print("FAIL the test script crashed:\n" + traceback.format_exc().rstrip(), flush=True)
    print(f"{suite.passed} passed, {suite.failed} failed", flush=True)
    return 1 if suite.failed else 0


if __name__ == "__main__":
    sys.exit(main())
