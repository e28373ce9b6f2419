"""scim2-client, a SCIM 2.0 client library, driving `offboard serve` through the
lifecycle an identity provider runs: discover, create, find by userName, patch,
deactivate, reactivate, delete. Each step checks the server's answer; the Rust test
around this script checks the database after it.

Usage: python test_scim2_client.py BASE_URL TOKEN
Prints PASS/FAIL lines and ends with `N passed, M failed`. The id of the user it made
is printed as `CREATED <id>`.
"""

import sys
import traceback

from httpx2 import Client
from scim2_client import SCIMClientException
from scim2_models import SCIMException
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import PatchOp, PatchOperation, SearchRequest

passed = 0
failed = 0


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"PASS {name}")
    except Exception:  # noqa: BLE001 - every failure is reported, then the next step runs
        failed += 1
        print(f"FAIL {name}")
        traceback.print_exc(file=sys.stdout)


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    client.discover()
    User = client.get_resource_model("User")
    Enterprise = User.get_extension_models()[
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    ]
    state = {}

    def create():
        # The models come from what the server published (client.discover()).
        user = User.model_validate(
            {
                "userName": "Anna.Berg@corvane.example",
                "externalId": "idp-anna-berg",
                "name": {"givenName": "Anna", "familyName": "Berg"},
                "emails": [{"value": "anna.berg@corvane.example"}],
                "title": "Buyer",
                "active": True,
            }
        )
        user[Enterprise] = Enterprise(department="Procurement", employee_number="E-7001")
        made = client.create(user)
        assert made.id, made
        assert made.user_name == "Anna.Berg@corvane.example", made.user_name
        assert made.active is True
        assert made[Enterprise].department == "Procurement", made[Enterprise]
        state["id"] = made.id
        print(f"CREATED {made.id}")

    def find():
        found = client.query(
            User, query_parameters=SearchRequest(filter='userName eq "anna.berg@corvane.example"')
        )
        assert found.total_results == 1, found
        assert found.resources[0].id == state["id"]
        by_external = client.query(
            User, query_parameters=SearchRequest(filter='externalId eq "idp-anna-berg"')
        )
        assert [u.id for u in by_external.resources] == [state["id"]]

    def patch(*operations):
        op = PatchOp[User](operations=list(operations))
        return client.modify(User, state["id"], op)

    def patch_title():
        after = patch(PatchOperation(op=PatchOperation.Op.replace_, path="title", value="Senior Buyer"))
        assert after.title == "Senior Buyer", after
        again = client.query(User, state["id"])
        assert again.title == "Senior Buyer"

    def deactivate():
        after = patch(PatchOperation(op=PatchOperation.Op.replace_, path="active", value=False))
        assert after.active is False, after
        assert client.query(User, state["id"]).active is False

    def reactivate():
        after = patch(PatchOperation(op=PatchOperation.Op.replace_, path="active", value=True))
        assert after.active is True, after

    def retried_create_is_refused():
        again = User.model_validate(
            {
                "userName": "anna.berg@corvane.example",
                "name": {"givenName": "Anna", "familyName": "Berg"},
                "emails": [{"value": "anna.berg@corvane.example"}],
                "active": True,
            }
        )
        try:
            client.create(again)
        except (SCIMClientException, SCIMException) as e:
            assert type(e).__name__ == "UniquenessException", repr(e)
        else:
            raise AssertionError("a second user with the same userName was created")

    def delete():
        client.delete(User, state["id"])
        try:
            client.query(User, state["id"])
        except (SCIMClientException, SCIMException) as e:
            assert "404" in repr(e) or type(e).__name__ == "NotFoundException", repr(e)
        else:
            raise AssertionError("the deleted user is still there for SCIM")

    check("create a user with the enterprise extension", create)
    if "id" in state:
        check("find it by userName (any case) and by externalId", find)
        check("patch its title", patch_title)
        check("deactivate it (active: false)", deactivate)
        check("reactivate it (active: true)", reactivate)
        check("a retried create is refused with 409", retried_create_is_refused)
        check("delete it: 404 afterwards", delete)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
