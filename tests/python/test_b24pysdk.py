"""The portal vendor's official Python SDK, b24pysdk, used unchanged against
`offboard serve` over TLS, driven the way its own user-scope integration tests drive
it (webhook variant): user.fields, user.current, user.add, user.get by filter,
user.update, user.search, as_list(), as_list_fast(), user.admin, user.access, and its
error classes for a wrong secret and for a scope the webhook lacks.

Run by tests/b24pysdk.rs, which builds the company, starts the server with a
self-signed certificate (trusted here through REQUESTS_CA_BUNDLE, which the SDK's HTTP
library, requests, reads) and passes:

  B24_WEBHOOK_URL   an administrator's webhook with the user scope only
  B24_PLAIN_URL     a webhook with the user scope whose owner has no rights
  OFFBOARD_DB       the served database: what the answers must be is read from it
                    through a second, read-only connection

The checks run in order (later ones use the user the add check made). Every check
prints PASS or FAIL; the last line is "N passed, M failed".
"""

import os
import sqlite3
import sys
import time
import traceback
import types
import warnings
from datetime import date, datetime

warnings.simplefilter("ignore")

from b24pysdk import Client  # noqa: E402
from b24pysdk.api.responses import (  # noqa: E402
    BitrixAPIListFastResponse,
    BitrixAPIListResponse,
    BitrixAPIResponse,
)
from b24pysdk.constants.user import PersonalGender  # noqa: E402
from b24pysdk.credentials import BitrixWebhook  # noqa: E402
from b24pysdk.errors import (  # noqa: E402
    BitrixAPIError,
    BitrixAPIInsufficientScope,
    BitrixAPIInvalidCredentials,
)

# The fields the SDK's own tests require in user.fields and user.current.
FIELDS = (
    "ID", "XML_ID", "ACTIVE", "NAME", "LAST_NAME", "EMAIL", "LAST_LOGIN", "DATE_REGISTER",
    "TIME_ZONE", "IS_ONLINE", "TIMESTAMP_X", "LAST_ACTIVITY_DATE", "PERSONAL_GENDER",
    "PERSONAL_BIRTHDAY", "UF_EMPLOYMENT_DATE", "UF_DEPARTMENT",
)

NAME = "Test"
LAST_NAME = "B24PySDK"
PROFESSION = "B24PySDK-Developer"
GENDER = PersonalGender.MALE
BIRTHDAY = date(1990, 4, 12)
ACCESS = ["AU", "G2"]


class Failed(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failed(what)


def short(value, limit=400):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def client_for(url):
    """A Client for a webhook URL `https://HOST:PORT/rest/USER/CODE/`."""
    scheme, rest = url.split("://", 1)
    expect(scheme == "https", f"not an https URL: {url}")
    domain, path = rest.split("/rest/", 1)
    return Client(BitrixWebhook(domain=domain, webhook_token=path.strip("/")))


def take(items, want):
    """At most twice as many items as expected (and a page more): a server that ignores
    the paging filter would otherwise make the SDK page forever."""
    cap = 2 * len(want) + 50
    got = []
    for item in items:
        got.append(item)
        if len(got) > cap:
            raise Failed(f"more than {cap} users for {len(want)} expected: paging does not end")
    return got


def describe_error(e):
    if isinstance(e, BitrixAPIError):
        return (
            f"the SDK raised {type(e).__name__} (HTTP {getattr(e, 'status_code', None)}, "
            f"error {getattr(e, 'error', None)!r}): {e}"
        )
    return "".join(traceback.format_exception(type(e), e, e.__traceback__)).rstrip()


class Suite:
    def __init__(self):
        self.url = os.environ["B24_WEBHOOK_URL"]
        self.plain_url = os.environ["B24_PLAIN_URL"]
        self.db = os.environ["OFFBOARD_DB"]
        self.client = client_for(self.url)
        self.passed = 0
        self.failed = 0
        self.state = {}

    # ------------------------------------------------------------ helpers

    def check(self, name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
            self.failed += 1
            detail = str(e) if isinstance(e, Failed) else describe_error(e)
            print(f"FAIL {name}: {detail}", flush=True)
        else:
            self.passed += 1
            print(f"PASS {name}", flush=True)

    def query(self, sql, *args):
        """A second, read-only connection to the served database."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def active_ids(self):
        """Everyone a list shows: people, never system users; with the company's
        show_dismissed setting on (the harness turns it on), dismissed ones too."""
        shown = self.query("SELECT value FROM settings WHERE key = 'show_dismissed'")
        every = bool(shown) and shown[0][0] == "on"
        return sorted(
            r[0]
            for r in self.query(
                "SELECT id FROM employees WHERE kind = 'employee'"
                + ("" if every else " AND status = 'active'")
            )
        )

    def user_id(self):
        uid = self.state.get("user_id")
        expect(isinstance(uid, int), "no user was added (user.add failed)")
        return uid

    def changed_id(self):
        """The user to update and search for: the added one or, when user.add failed, an
        imported employee (so that update and search are still tried)."""
        if isinstance(self.state.get("user_id"), int):
            return self.state["user_id"]
        if "fallback" not in self.state:
            rows = self.query("SELECT id, email FROM employees WHERE login = 'pysdk00001'")
            expect(rows, "user.add failed and there is no imported employee pysdk00001")
            self.state["fallback"] = rows[0][0]
            self.state["email"] = rows[0][1]
            print(f"  (user.add failed: update and search use employee #{rows[0][0]}, pysdk00001)",
                  flush=True)
        return self.state["fallback"]

    @staticmethod
    def exactly_once(users, want, what):
        expect(all(isinstance(u, dict) and "ID" in u for u in users), f"{what}: not all users have an ID")
        ids = [int(u["ID"]) for u in users]
        dups = sorted({i for i in ids if ids.count(i) > 1}) if len(ids) != len(set(ids)) else []
        expect(not dups, f"{what}: {len(ids)} users, {len(dups)} IDs more than once, e.g. {dups[:10]}")
        missing = sorted(set(want) - set(ids))
        extra = sorted(set(ids) - set(want))
        expect(
            not missing and not extra,
            f"{what}: got {len(ids)} users, expected {len(want)}; missing {len(missing)} "
            f"(e.g. {missing[:10]}), extra {len(extra)} (e.g. {extra[:10]})",
        )
        return ids

    # ------------------------------------------------------------ the checks

    def run(self):
        c = self.client

        def enough():
            n = len(self.active_ids())
            expect(n > 50, f"only {n} active employees; paging needs more than 50")

        self.check("the database has more than 50 active employees", enough)

        def fields():
            r = c.user.fields().response
            expect(isinstance(r, BitrixAPIResponse), f"response is {type(r).__name__}")
            expect(isinstance(r.result, dict), f"result is not a dict: {short(r.result)}")
            missing = [f for f in FIELDS if f not in r.result]
            expect(not missing, f"user.fields lacks {missing}")
            not_str = [f for f in FIELDS if not isinstance(r.result[f], str)]
            expect(not not_str, f"user.fields: not a string title: {not_str}")

        self.check("user.fields() names every field the SDK expects, each with a title", fields)

        def current():
            r = c.user.current().response
            expect(isinstance(r.result, dict), f"result is not a dict: {short(r.result)}")
            user = r.result
            missing = [f for f in FIELDS if f not in user]
            expect(not missing, f"user.current lacks {missing}: {short(user)}")
            typed = [f for f in FIELDS if not isinstance(user[f], (bool, str, list))]
            expect(not typed, f"user.current: not bool, str or list: {[(f, user[f]) for f in typed]}")
            self.state["me"] = user

        self.check("user.current() has the SDK's fields, typed as the portal types them", current)

        def add():
            head = self.query(
                "SELECT department_id FROM employees WHERE login = 'admin'"
            )[0][0]
            email = f"{int(time.time() * 10**6)}@pysdktest.example"
            r = c.user.add(
                fields={
                    "NAME": NAME,
                    "LAST_NAME": LAST_NAME,
                    "EMAIL": email,
                    "UF_DEPARTMENT": [head],
                },
            ).response
            expect(isinstance(r, BitrixAPIResponse), f"response is {type(r).__name__}")
            expect(isinstance(r.result, int) and not isinstance(r.result, bool),
                   f"result is not an int: {short(r.result)}")
            expect(r.result > 0, f"result {r.result} is not a positive ID")
            self.state.update(user_id=r.result, email=email, department=head)
            rows = self.query(
                "SELECT first_name, last_name, email, department_id, status, kind "
                "FROM employees WHERE id = ?",
                r.result,
            )
            expect(rows, f"user.add answered ID {r.result}, but the database has no such employee")
            expect(
                rows[0] == (NAME, LAST_NAME, email, head, "active", "employee"),
                f"the database holds {rows[0]} for ID {r.result}",
            )

        self.check("user.add(fields=…) adds an active employee (seen in the database)", add)

        def get_by_filter():
            uid = self.user_id()
            r = c.user.get(filter={"ID": uid}).response
            expect(isinstance(r.result, list), f"result is not a list: {short(r.result)}")
            expect(len(r.result) == 1, f"expected one user, got {len(r.result)}: {short(r.result)}")
            u = r.result[0]
            expect(u.get("ID") == str(uid), f"ID in {short(u)}")
            expect(u.get("NAME") == NAME and u.get("LAST_NAME") == LAST_NAME, f"names in {short(u)}")
            expect(u.get("EMAIL") == self.state["email"], f"EMAIL in {short(u)}")
            expect(u.get("UF_DEPARTMENT") == [self.state["department"]], f"UF_DEPARTMENT in {short(u)}")

        self.check("user.get(filter={'ID': …}) returns the added user", get_by_filter)

        def as_list():
            want = self.active_ids()
            r = c.user.get().as_list().response
            expect(isinstance(r, BitrixAPIListResponse), f"response is {type(r).__name__}")
            expect(isinstance(r.result, list), f"result is {type(r.result).__name__}")
            self.exactly_once(r.result, want, "user.get().as_list()")

        self.check("user.get().as_list() returns every active employee exactly once", as_list)

        def as_list_fast():
            want = self.active_ids()
            r = c.user.get().as_list_fast().response
            expect(isinstance(r, BitrixAPIListFastResponse), f"response is {type(r).__name__}")
            expect(isinstance(r.result, types.GeneratorType), f"result is {type(r.result).__name__}")
            ids = self.exactly_once(take(r.result, want), want, "user.get().as_list_fast()")
            expect(ids == sorted(ids), "as_list_fast() is not in ascending ID order")

        self.check("user.get().as_list_fast() returns every active employee exactly once", as_list_fast)

        def as_list_fast_descending():
            want = self.active_ids()
            r = c.user.get().as_list_fast(descending=True).response
            ids = self.exactly_once(take(r.result, want), want, "user.get().as_list_fast(descending=True)")
            expect(ids == sorted(ids, reverse=True), "as_list_fast(descending=True) is not descending")

        self.check(
            "user.get().as_list_fast(descending=True) returns every one once, newest first",
            as_list_fast_descending,
        )

        def update():
            uid = self.changed_id()
            r = c.user.update(
                fields={
                    "ID": uid,
                    "ACTIVE": False,
                    "WORK_POSITION": f"{PROFESSION} {uid}",
                    "PERSONAL_GENDER": GENDER,
                    "PERSONAL_PROFESSION": PROFESSION,
                    "PERSONAL_BIRTHDAY": BIRTHDAY.isoformat(),
                },
            ).response
            expect(r.result is True, f"user.update answered {short(r.result)}, not True")
            rows = self.query("SELECT position, status FROM employees WHERE id = ?", uid)
            expect(
                rows and rows[0] == (f"{PROFESSION} {uid}", "dismissed"),
                f"after user.update the database holds {rows}",
            )

        self.check(
            "user.update(fields=…) with ACTIVE, WORK_POSITION, PERSONAL_* (seen in the database)",
            update,
        )

        def search():
            uid = self.changed_id()
            r = c.user.search(filter={"FIND": f"{PROFESSION} {uid}"}).response
            expect(isinstance(r.result, list), f"result is not a list: {short(r.result)}")
            expect(len(r.result) == 1, f"expected one user, got {len(r.result)}: {short(r.result)}")
            u = r.result[0]
            expect(u.get("ID") == str(uid), f"ID in {short(u)}")
            expect(u.get("EMAIL") == self.state["email"], f"EMAIL in {short(u)}")
            expect(u.get("ACTIVE") is False, f"ACTIVE in {short(u)}")
            expect(u.get("WORK_POSITION") == f"{PROFESSION} {uid}", f"WORK_POSITION in {short(u)}")
            expect(u.get("PERSONAL_GENDER") == GENDER, f"PERSONAL_GENDER in {short(u)}")
            expect(u.get("PERSONAL_PROFESSION") == PROFESSION, f"PERSONAL_PROFESSION in {short(u)}")
            born = u.get("PERSONAL_BIRTHDAY")
            expect(
                born and datetime.fromisoformat(born).date() == BIRTHDAY,
                f"PERSONAL_BIRTHDAY in {short(u)}",
            )

        self.check("user.search(filter={'FIND': …}) finds the updated user", search)

        def search_as_list():
            r = c.user.search().as_list().response
            expect(isinstance(r, BitrixAPIListResponse), f"response is {type(r).__name__}")
            self.exactly_once(r.result, self.active_ids(), "user.search().as_list()")

        self.check("user.search().as_list() returns every active employee exactly once", search_as_list)

        def search_as_list_fast():
            r = c.user.search().as_list_fast(descending=True).response
            want = self.active_ids()
            ids = self.exactly_once(
                take(r.result, want), want, "user.search().as_list_fast(descending=True)"
            )
            expect(ids == sorted(ids, reverse=True), "not descending")

        self.check(
            "user.search().as_list_fast(descending=True) returns every one once",
            search_as_list_fast,
        )

        def admin():
            r = c.user.admin().response
            expect(isinstance(r, BitrixAPIResponse), f"response is {type(r).__name__}")
            expect(r.result is True, f"user.admin() for the administrator answered {short(r.result)}")

        self.check("user.admin() is True for the administrator's webhook", admin)

        def not_admin():
            r = client_for(self.plain_url).user.admin().response
            expect(r.result is False, f"user.admin() for an employee without rights answered {short(r.result)}")

        self.check("user.admin() is False for an employee without rights", not_admin)

        def access():
            r = c.user.access(access=ACCESS).response
            expect(isinstance(r, BitrixAPIResponse), f"response is {type(r).__name__}")
            expect(r.result is True, f"user.access({ACCESS}) answered {short(r.result)}")

        self.check(f"user.access(access={ACCESS}) is True", access)

        def invalid_credentials():
            bad = self.url.rstrip("/") + "INVALID/"
            try:
                got = client_for(bad).profile().response
            except BitrixAPIInvalidCredentials as e:
                expect(e.status_code == BitrixAPIInvalidCredentials.STATUS_CODE,
                       f"HTTP {e.status_code}, the class says {BitrixAPIInvalidCredentials.STATUS_CODE}")
                expect((e.error or "").upper() == "INVALID_CREDENTIALS", f"error {e.error!r}")
            except Exception as e:  # noqa: BLE001
                raise Failed(f"expected BitrixAPIInvalidCredentials, {describe_error(e)}") from e
            else:
                raise Failed(f"expected BitrixAPIInvalidCredentials, the call answered {short(got.result)}")

        self.check("a wrong secret raises BitrixAPIInvalidCredentials (401)", invalid_credentials)

        def insufficient_scope():
            try:
                got = c.crm.lead.fields().response
            except BitrixAPIInsufficientScope as e:
                expect(e.status_code == BitrixAPIInsufficientScope.STATUS_CODE,
                       f"HTTP {e.status_code}, the class says {BitrixAPIInsufficientScope.STATUS_CODE}")
                expect((e.error or "").upper() == "INSUFFICIENT_SCOPE", f"error {e.error!r}")
            except Exception as e:  # noqa: BLE001
                raise Failed(f"expected BitrixAPIInsufficientScope, {describe_error(e)}") from e
            else:
                raise Failed(f"expected BitrixAPIInsufficientScope, the call answered {short(got.result)}")

        self.check(
            "crm.lead.fields() through a user-only webhook raises BitrixAPIInsufficientScope (401)",
            insufficient_scope,
        )


def main():
    suite = Suite()
    try:
        suite.run()
    except Exception:  # noqa: BLE001 - a crash in the harness is a failure too
        suite.failed += 1
        print("FAIL the test script crashed:\n" + traceback.format_exc().rstrip(), flush=True)
    print(f"{suite.passed} passed, {suite.failed} failed", flush=True)
    return 1 if suite.failed else 0


if __name__ == "__main__":
    sys.exit(main())
