"""scim2-tester, the independent SCIM 2.0 conformance checker, run against
`offboard serve`: every check it makes for what ServiceProviderConfig advertises.

Usage: python test_scim2_tester.py BASE_URL TOKEN
Prints one PASS/FAIL line per check (SKIPPED ones as PASS with the reason, as the
checker skips what the server does not advertise), then `N passed, M failed`.
"""

import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    results = check_server(client, raise_exceptions=False)
    passed = failed = 0
    for r in results:
        name = f"{r.resource_type or '-'} {r.title}"
        if r.status in (Status.SUCCESS, Status.SKIPPED):
            passed += 1
            word = "PASS" if r.status == Status.SUCCESS else "PASS (skipped)"
            print(f"{word} {name}: {r.reason or ''}")
        else:
            failed += 1
            print(f"FAIL {name} [{r.status.name}]: {r.reason}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
