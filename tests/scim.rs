//! SCIM 2.0 (issue 15) against the real `offboard serve` on a real demo company: the
//! independent checker scim2-tester and the client library scim2-client (from the Python
//! package index, pinned in tests/pyenv), the deactivation requests of Okta and Microsoft
//! Entra ID (fixtures in tests/fixtures/scim, written from their SCIM documentation), and
//! what an identity provider's habits must not break: the same PATCH twice, two PATCHes
//! at once, a create retried after a timeout. Every effect is checked in the database
//! through the command line.

mod binary;
mod pyenv;
mod rest_support;
mod tui_support;

use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use reqwest::blocking::Client;
use serde_json::{Value, json};

use rest_support::{Company, Server, last_line};

const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// A company, a token for the client `name` made by `admin`, and the server.
struct Scim {
    company: Company,
    server: Server,
    token: String,
    base: String,
    http: Client,
}

impl Scim {
    fn start(client: &str) -> Scim {
        let company = Company::demo();
        let out = company.ok(&["--as", "admin", "scim", "token", "create", "--name", client]);
        let token = last_line(&out);
        let server = Server::start(&company, &[]);
        let base = format!("{}/scim/v2", server.base);
        let http = Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        Scim {
            company,
            server,
            token,
            base,
            http,
        }
    }

    /// One request with the token; the status and the JSON body (`null` when empty).
    #[track_caller]
    fn send(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.send_as(Some(&self.token), method, path, body)
    }

    #[track_caller]
    fn send_as(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut req = self.http.request(method.clone(), &url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/scim+json")
                .body(b.to_string());
        }
        let r = req.send().unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = r.status().as_u16();
        let text = r.text().expect("a body");
        assert!(status < 500, "{method} {url}: {status} {text}");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {url}: not JSON ({e}): {text}"))
        };
        (status, body)
    }

    #[track_caller]
    fn create(&self, body: &Value) -> Value {
        let (status, made) = self.send("POST", "/Users", Some(body));
        assert_eq!(status, 201, "create: {made}");
        made
    }

    #[track_caller]
    fn patch(&self, id: &str, body: &Value) -> Value {
        let (status, after) = self.send("PATCH", &format!("/Users/{id}"), Some(body));
        assert_eq!(status, 200, "PATCH {body}: {after}");
        after
    }

    fn show(&self, login: &str) -> Value {
        self.company
            .json(&["--as", "admin", "show", login, "--json"])
    }

    fn audit(&self) -> Vec<Value> {
        rest_support::array(
            self.company
                .json(&["--as", "admin", "audit", "--json", "--limit", "100000"]),
        )
    }

    /// `(status, users)` of a filtered list.
    fn filter(&self, filter: &str) -> (u16, Value) {
        let q = format!("/Users?filter={}", urlencode(filter));
        self.send("GET", &q, None)
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn fixture(name: &str) -> Value {
    let path = pyenv::manifest_dir().join("tests/fixtures/scim").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

#[track_caller]
fn assert_scim_error(
    status: u16,
    body: &Value,
    want_status: u16,
    scim_type: Option<&str>,
) -> String {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(
        body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"]),
        "an error document: {body}"
    );
    assert_eq!(body["status"], json!(want_status.to_string()), "{body}");
    if let Some(t) = scim_type {
        assert_eq!(body["scimType"], json!(t), "{body}");
    }
    body["detail"].as_str().unwrap_or_default().to_string()
}

fn python_script(s: &Scim, script: &str) -> (Option<i32>, String, String) {
    let python = pyenv::python_env(&pyenv::SCIM2);
    let mut cmd = Command::new(&python);
    cmd.arg(pyenv::script(script))
        .arg(&s.base)
        .arg(&s.token)
        .current_dir(s.company.dir())
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("HOME", s.company.dir());
    pyenv::run_script(cmd, s.company.dir(), SCRIPT_TIMEOUT)
}

#[test]
fn scim2_tester_reports_no_failed_check() {
    let s = Scim::start("conformance");
    let ran = python_script(&s, "test_scim2_tester.py");
    pyenv::assert_script_passed("scim2-tester", &ran, &binary::log_file(s.company.dir()), 40);
    // It checked the Users resource, not only the discovery documents.
    assert!(
        ran.1.contains("PASS User check_replace_attribute"),
        "{}",
        ran.1
    );
    drop(s.server);
}

#[test]
fn scim2_client_creates_patches_deactivates_reactivates_and_deletes() {
    let s = Scim::start("ci-idp");
    let ran = python_script(&s, "test_scim2_client.py");
    pyenv::assert_script_passed("scim2-client", &ran, &binary::log_file(s.company.dir()), 40);
    // In the database: the employee is still there, dismissed by the deletion, with the
    // client named in the departure note, and every change audited through its door.
    let anna = s.show("anna.berg");
    assert_eq!(anna["status"], "dismissed", "{anna}");
    assert_eq!(anna["position"], "Senior Buyer");
    assert_eq!(anna["department"], "Procurement");
    assert_eq!(
        anna["departure"]["note"], "Deleted by the SCIM client ci-idp",
        "{anna}"
    );
    let events: Vec<Value> = s
        .audit()
        .into_iter()
        .filter(|e| e["target"] == "anna.berg")
        .collect();
    let actions: Vec<&str> = events
        .iter()
        .rev()
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actions,
        ["add", "update", "dismiss", "hire", "dismiss", "scim.delete"],
        "{events:#?}"
    );
    for e in &events {
        assert_eq!(e["via"]["door"], "scim", "{e}");
        assert_eq!(e["via"]["client"], "ci-idp", "{e}");
        assert_eq!(e["actor"], "admin", "{e}");
    }
}

#[test]
fn okta_and_entra_deactivations_dismiss_and_reactivations_rehire() {
    let s = Scim::start("okta");
    let made = s.create(&fixture("create_user.json"));
    let id = id_of(&made);
    assert_eq!(made["userName"], "nora.lind@corvane.example");
    assert_eq!(made[ENTERPRISE]["employeeNumber"], "E-1042");
    // The login is the userName's part before @, as `user.add` makes it.
    assert_eq!(s.show("nora.lind")["status"], "active");

    for (off, on) in [
        ("okta_deactivate.json", "okta_reactivate.json"),
        ("entra_disable.json", "entra_enable_string.json"),
        ("entra_disable_string.json", "okta_reactivate.json"),
    ] {
        let after = s.patch(&id, &fixture(off));
        assert_eq!(after["active"], false, "{off}: {after}");
        let nora = s.show("nora.lind");
        assert_eq!(nora["status"], "dismissed", "{off}");
        assert_eq!(
            nora["departure"]["note"], "Deactivated by the SCIM client okta",
            "{off}"
        );
        let after = s.patch(&id, &fixture(on));
        assert_eq!(after["active"], true, "{on}: {after}");
        assert_eq!(s.show("nora.lind")["status"], "active", "{on}");
    }

    // Entra ID's update: the work address by a value filter, the family name, the
    // department by its URN; displayName (read-only) and phone numbers (not kept) are
    // left as they are.
    let after = s.patch(&id, &fixture("entra_update.json"));
    assert_eq!(
        after["emails"],
        json!([{ "value": "nora.lind.new@corvane.example" }])
    );
    assert_eq!(after["name"]["familyName"], "Lindqvist");
    assert_eq!(after["displayName"], "Nora Lindqvist");
    let nora = s.show("nora.lind");
    assert_eq!(nora["email"], "nora.lind.new@corvane.example");
    assert_eq!(nora["department"], "Finance");

    // Okta's PUT of the whole user with active false is a deactivation too.
    let (status, after) = s.send(
        "PUT",
        &format!("/Users/{id}"),
        Some(&fixture("okta_put_deactivate.json")),
    );
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["active"], false);
    assert_eq!(s.show("nora.lind")["status"], "dismissed");
}

#[test]
fn the_same_patch_twice_leaves_one_state_and_one_event() {
    let s = Scim::start("okta");
    let id = id_of(&s.create(&fixture("create_user.json")));
    let before = s.audit().len();
    let first = s.patch(&id, &fixture("okta_deactivate.json"));
    let after_one = s.audit().len();
    assert_eq!(after_one, before + 1, "one dismissal event");
    let second = s.patch(&id, &fixture("okta_deactivate.json"));
    assert_eq!(
        s.audit().len(),
        after_one,
        "the repeat changes nothing, so audits nothing"
    );
    assert_eq!(first["active"], second["active"]);
    assert_eq!(
        first["meta"]["lastModified"],
        second["meta"]["lastModified"]
    );
    // The same for a field change sent twice.
    let title = json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{ "op": "replace", "path": "title", "value": "Auditor" }] });
    s.patch(&id, &title);
    let n = s.audit().len();
    s.patch(&id, &title);
    assert_eq!(s.audit().len(), n);
    let departures = s.show("nora.lind");
    assert_eq!(departures["status"], "dismissed");
}

#[test]
fn two_concurrent_patches_of_one_user_lose_no_update() {
    let s = Arc::new(Scim::start("okta"));
    let id = id_of(&s.create(&fixture("create_user.json")));
    const ROUNDS: usize = 20;
    let barrier = Arc::new(Barrier::new(2));
    let run = |path: &'static str, prefix: &'static str| {
        let (s, barrier, id) = (s.clone(), barrier.clone(), id.clone());
        std::thread::spawn(move || {
            barrier.wait();
            for i in 0..ROUNDS {
                let body = json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{ "op": "replace", "path": path, "value": format!("{prefix}{i}") }] });
                let (status, after) = s.send("PATCH", &format!("/Users/{id}"), Some(&body));
                assert_eq!(status, 200, "{after}");
            }
        })
    };
    let a = run("title", "Title ");
    let b = run(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        "N-",
    );
    a.join().expect("thread A");
    b.join().expect("thread B");
    let (status, user) = s.send("GET", &format!("/Users/{id}"), None);
    assert_eq!(status, 200);
    // Each PATCH read the user inside its own transaction: both last values stand.
    assert_eq!(user["title"], format!("Title {}", ROUNDS - 1), "{user}");
    assert_eq!(
        user[ENTERPRISE]["employeeNumber"],
        format!("N-{}", ROUNDS - 1),
        "{user}"
    );
    assert_eq!(user["meta"]["resourceType"], "User");
}

#[test]
fn a_create_retried_after_a_timeout_makes_no_second_employee() {
    let s = Arc::new(Scim::start("okta"));
    let body = fixture("create_user.json");
    // The same create twice at once, then once more: one 201, the rest 409 uniqueness.
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (s, barrier, body) = (s.clone(), barrier.clone(), body.clone());
            std::thread::spawn(move || {
                barrier.wait();
                s.send("POST", "/Users", Some(&body))
            })
        })
        .collect();
    let mut answers: Vec<(u16, Value)> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    answers.push(s.send("POST", "/Users", Some(&body)));
    let created = answers.iter().filter(|(st, _)| *st == 201).count();
    assert_eq!(created, 1, "{answers:?}");
    for (st, b) in answers.iter().filter(|(st, _)| *st != 201) {
        assert_scim_error(*st, b, 409, Some("uniqueness"));
    }
    // Another userName with the same externalId is the same person: refused too.
    let mut other = body.clone();
    other["userName"] = json!("nora.lind2@corvane.example");
    other["emails"] = json!([{ "value": "nora.lind2@corvane.example" }]);
    let (st, b) = s.send("POST", "/Users", Some(&other));
    let detail = assert_scim_error(st, &b, 409, Some("uniqueness"));
    assert!(detail.contains("externalId"), "{detail}");
    let (_, found) = s.filter(r#"userName eq "NORA.LIND@corvane.example""#);
    assert_eq!(found["totalResults"], 1, "{found}");
    let listed = s.company.ok(&["--as", "admin", "list", "--search", "nora"]);
    assert_eq!(listed.matches("nora.lind").count(), 1, "{listed}");
}

#[test]
fn delete_dismisses_under_the_rules_and_keeps_the_employee() {
    let s = Scim::start("entra");
    // tlang owns two active integrations; the default choice for SCIM is disable.
    let (_, found) = s.filter(r#"userName eq "tlang""#);
    let id = id_of(&found["Resources"][0]);
    let (status, body) = s.send("DELETE", &format!("/Users/{id}"), None);
    assert_eq!(status, 204, "{body}");
    let (status, body) = s.send("GET", &format!("/Users/{id}"), None);
    assert_scim_error(status, &body, 404, None);
    let (_, found) = s.filter(r#"userName eq "tlang""#);
    assert_eq!(found["totalResults"], 0);
    let tlang = s.show("tlang");
    assert_eq!(tlang["status"], "dismissed");
    assert_eq!(
        tlang["departure"]["note"],
        "Deleted by the SCIM client entra"
    );
    assert!(
        tlang["integrations"]
            .as_array()
            .expect("integrations")
            .iter()
            .all(|i| i["status"] == "disabled"),
        "{tlang}"
    );
    let dismissal = s
        .audit()
        .into_iter()
        .find(|e| e["action"] == "dismiss" && e["target"] == "tlang")
        .expect("the dismissal event");
    assert_eq!(
        dismissal["details"]["integrations"], "disable",
        "{dismissal}"
    );

    // Provisioned again later: the same employee comes back, rehired; no second one.
    let back = s.create(&json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "tlang",
        "name": { "givenName": tlang["first_name"], "familyName": tlang["last_name"] },
        "emails": [{ "value": tlang["email"] }],
        "active": true,
    }));
    assert_eq!(id_of(&back), id, "{back}");
    assert_eq!(s.show("tlang")["status"], "active");
    let (_, found) = s.filter(r#"userName eq "tlang""#);
    assert_eq!(found["totalResults"], 1);

    // With scim-integrations keep, a deactivation keeps them under a system user.
    s.company
        .ok(&["--as", "admin", "settings", "scim-integrations", "keep"]);
    let (_, found) = s.filter(r#"userName eq "amehta""#);
    let id = id_of(&found["Resources"][0]);
    s.patch(&id, &fixture("okta_deactivate.json"));
    let dismissal = s
        .audit()
        .into_iter()
        .find(|e| e["action"] == "dismiss" && e["target"] == "amehta")
        .expect("the dismissal event");
    assert_eq!(dismissal["details"]["integrations"], "keep", "{dismissal}");
    assert_eq!(dismissal["details"]["system_user"], "system.amehta");
    let kept = s.company.json(&["--as", "admin", "integrations", "--json"]);
    assert!(
        kept.as_array()
            .expect("list")
            .iter()
            .any(|i| i["owner"] == "system.amehta" && i["status"] == "active"),
        "{kept}"
    );
}

#[test]
fn a_refused_change_answers_a_scim_error_naming_the_rule_and_changes_nothing() {
    let s = Scim::start("okta");
    // The token acts as admin, who may not dismiss themselves.
    let (_, found) = s.filter(r#"userName eq "admin""#);
    let id = id_of(&found["Resources"][0]);
    let before = s.audit().len();
    let body = json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
        { "op": "replace", "path": "title", "value": "Changed" },
        { "op": "replace", "path": "active", "value": false }] });
    let (status, err) = s.send("PATCH", &format!("/Users/{id}"), Some(&body));
    let detail = assert_scim_error(status, &err, 400, Some("mutability"));
    assert!(detail.contains("may not dismiss themselves"), "{detail}");
    let admin = s.show("admin");
    assert_eq!(admin["status"], "active");
    assert_ne!(
        admin["position"], "Changed",
        "the title change was undone with the refusal"
    );
    assert_eq!(s.audit().len(), before);

    // System users never appear: not by filter, not by id, not in the full list.
    let (_, found) = s.filter(r#"userName sw "system.""#);
    assert_eq!(found["totalResults"], 0, "{found}");
    let (status, err) = s.send(
        "GET",
        &format!("/Users/{}", rest_support::SYSTEM_LBRANDT_ID),
        None,
    );
    assert_scim_error(status, &err, 404, None);
    let (status, err) = s.send(
        "DELETE",
        &format!("/Users/{}", rest_support::SYSTEM_LBRANDT_ID),
        None,
    );
    assert_scim_error(status, &err, 404, None);

    // Bad input: one clear SCIM error each, nothing created.
    let (st, b) = s.send("POST", "/Users", Some(&json!({ "userName": "x y", "name": { "givenName": "A", "familyName": "B" }, "emails": [{ "value": "a@b.example" }] })));
    assert_scim_error(st, &b, 400, Some("invalidValue"));
    let (st, b) = s.send(
        "POST",
        "/Users",
        Some(&json!({ "userName": "nomail", "name": { "givenName": "A", "familyName": "B" } })),
    );
    assert_scim_error(st, &b, 400, Some("invalidValue"));
    let (st, b) = s.send(
        "PATCH",
        &format!("/Users/{id}"),
        Some(&json!({ "Operations": [{ "op": "remove" }] })),
    );
    assert_scim_error(st, &b, 400, Some("noTarget"));
    let (st, b) = s.send("GET", "/Users?filter=userName%20xx%20%22a%22", None);
    assert_scim_error(st, &b, 400, Some("invalidFilter"));
    let (st, b) = s.send("GET", "/Users?sortBy=userName", None);
    assert_scim_error(st, &b, 400, Some("invalidValue"));
    let huge = json!({ "userName": "x".repeat(2 * 1024 * 1024) });
    let (st, b) = s.send("POST", "/Users", Some(&huge));
    assert_scim_error(st, &b, 413, None);
    let (st, b) = s.send("POST", "/Users", Some(&json!("not an object")));
    assert_scim_error(st, &b, 400, Some("invalidSyntax"));
    assert_eq!(s.audit().len(), before);
}

#[test]
fn filters_answer_each_operator_and_paging_visits_everyone_once() {
    let s = Scim::start("okta");
    let made = s.create(&fixture("create_user.json"));
    let count = |f: &str| -> i64 {
        let (status, body) = s.filter(f);
        assert_eq!(status, 200, "{f}: {body}");
        body["totalResults"].as_i64().expect("totalResults")
    };
    let all = count("id pr");
    assert!(all > 40, "{all}");
    assert_eq!(count(r#"userName eq "JDOE""#), 1);
    assert_eq!(count(r#"userName ne "jdoe""#), all - 1);
    assert_eq!(count(r#"externalId eq "00u1abcdEFGH2345ijkl""#), 1);
    assert_eq!(
        count(r#"externalId eq "00U1ABCDEFGH2345IJKL""#),
        0,
        "externalId is case-exact"
    );
    assert_eq!(count(r#"externalId pr"#), 1);
    // An attribute without a value compares false, so `not` and `ne` hold for it.
    assert_eq!(
        count(r#"not (externalId eq "00u1abcdEFGH2345ijkl")"#),
        all - 1
    );
    assert_eq!(count(r#"externalId ne "x""#), all);
    assert_eq!(
        count(r#"name.familyName eq "Doe" and name.givenName sw "ja""#),
        1
    );
    assert_eq!(count(r#"emails co "NORA.LIND@""#), 1);
    assert_eq!(count(r#"emails[value ew "@corvane.example"]"#), all);
    assert_eq!(count(r#"userName eq "jdoe" or userName eq "hr""#), 2);
    assert_eq!(count(r#"not (userName eq "jdoe")"#), all - 1);
    assert_eq!(
        count("active eq false"),
        2,
        "the demo's two dismissed employees"
    );
    assert_eq!(
        count(&format!(
            "{ENTERPRISE}:department eq \"Operations\" and {ENTERPRISE}:employeeNumber eq \"E-1042\""
        )),
        1
    );
    let created = made["meta"]["created"]
        .as_str()
        .expect("created")
        .to_string();
    assert_eq!(count(&format!("meta.created ge \"{created}\"")), 1);
    // lt and ge split the users between them; the new one is among the latter.
    let before = count(&format!("meta.lastModified lt \"{created}\""));
    let since = count(&format!("meta.lastModified ge \"{created}\""));
    assert_eq!(before + since, all);
    assert!(since >= 1 && before >= 1, "{before} {since}");
    assert_eq!(
        count(&format!(
            "meta.lastModified ge \"{created}\" and userName eq \"nora.lind@corvane.example\""
        )),
        1
    );
    assert_eq!(count(r#"meta.lastModified gt "2000-01-01T00:00:00Z""#), all);
    // Paging: startIndex and count, every user exactly once.
    let mut seen = std::collections::BTreeSet::new();
    let mut start = 1;
    loop {
        let (status, page) = s.send("GET", &format!("/Users?startIndex={start}&count=7"), None);
        assert_eq!(status, 200);
        assert_eq!(page["totalResults"], all);
        assert_eq!(page["startIndex"], start);
        let items = page["Resources"].as_array().expect("Resources").clone();
        if items.is_empty() {
            break;
        }
        for u in &items {
            assert!(seen.insert(id_of(u)), "{u} twice");
        }
        start += items.len() as i64;
    }
    assert_eq!(seen.len() as i64, all);
    // attributes and excludedAttributes; POST /Users/.search says the same.
    let (_, page) = s.send(
        "GET",
        "/Users?filter=userName%20eq%20%22jdoe%22&attributes=userName,name.givenName",
        None,
    );
    let jdoe = &page["Resources"][0];
    assert_eq!(jdoe["name"], json!({ "givenName": "Jane" }), "{jdoe}");
    assert!(
        jdoe.get("emails").is_none() && jdoe.get("id").is_some(),
        "{jdoe}"
    );
    let (status, page) = s.send(
        "POST",
        "/Users/.search",
        Some(&json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName eq \"jdoe\"", "excludedAttributes": ["emails"] })),
    );
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["totalResults"], 1);
    assert!(page["Resources"][0].get("emails").is_none());
}

#[test]
fn tokens_are_per_client_hashed_revocable_and_administrators_only() {
    let s = Scim::start("okta");
    // Kept only as a hash.
    let raw = std::fs::read(&s.company.db).expect("read the database");
    assert!(
        !raw.windows(s.token.len()).any(|w| w == s.token.as_bytes()),
        "the token is stored in clear"
    );
    let (st, b) = s.send_as(None, "GET", "/Users", None);
    assert_scim_error(st, &b, 401, None);
    let (st, b) = s.send_as(Some("not-a-token"), "GET", "/ServiceProviderConfig", None);
    assert_scim_error(st, &b, 401, None);
    let (st, _) = s.send("GET", "/ServiceProviderConfig", None);
    assert_eq!(st, 200);
    // Listing shows the client and its maker, never the token.
    let list = s.company.ok(&["--as", "admin", "scim", "token", "list"]);
    assert!(
        list.contains("okta") && list.contains("admin") && !list.contains(&s.token),
        "{list}"
    );
    let listed = s
        .company
        .json(&["--as", "admin", "scim", "token", "list", "--json"]);
    assert_eq!(listed[0]["name"], "okta");
    // Administrators only; names are unique.
    let hr = s
        .company
        .run(&["--as", "hr", "scim", "token", "create", "--name", "x"]);
    assert_eq!(hr.code, 3, "{hr:?}");
    assert!(hr.stderr.contains("only administrators"), "{}", hr.stderr);
    let again = s
        .company
        .run(&["--as", "admin", "scim", "token", "create", "--name", "okta"]);
    assert_eq!(again.code, 3, "{again:?}");
    // A name is one line of text: control characters are refused, and echoed escaped.
    let evil = s.company.run(&[
        "--as",
        "admin",
        "scim",
        "token",
        "create",
        "--name",
        "x\u{1b}[2J",
    ]);
    assert_eq!(evil.code, 2, "{evil:?}");
    let unknown = s
        .company
        .run(&["--as", "admin", "scim", "token", "revoke", "no\u{1b}[2J"]);
    assert_eq!(unknown.code, 3, "{unknown:?}");
    assert!(
        !unknown.stderr.contains('\u{1b}') && unknown.stderr.contains("no\\e[2J"),
        "{}",
        unknown.stderr
    );
    let bad = s
        .company
        .run(&["--as", "admin", "settings", "scim-integrations", "maybe"]);
    assert_eq!(bad.code, 2, "{bad:?}");
    // Revoked: the next request is refused.
    s.company
        .ok(&["--as", "admin", "scim", "token", "revoke", "okta"]);
    let (st, b) = s.send("GET", "/Users", None);
    assert_scim_error(st, &b, 401, None);
    let gone = s
        .company
        .run(&["--as", "admin", "scim", "token", "revoke", "okta"]);
    assert_eq!(gone.code, 3, "{gone:?}");
    let actions: Vec<String> = s
        .audit()
        .iter()
        .map(|e| e["action"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        actions.contains(&"scim.token.create".to_string())
            && actions.contains(&"scim.token.revoke".to_string())
    );
}

#[test]
fn discovery_advertises_only_what_is_implemented() {
    let s = Scim::start("okta");
    let (_, spc) = s.send("GET", "/ServiceProviderConfig", None);
    assert_eq!(spc["patch"]["supported"], true);
    assert_eq!(spc["filter"]["supported"], true);
    for off in ["bulk", "sort", "etag", "changePassword"] {
        assert_eq!(spc[off]["supported"], false, "{off}");
    }
    let (_, types) = s.send("GET", "/ResourceTypes", None);
    assert_eq!(types["totalResults"], 1, "Users only: no Groups advertised");
    let (st, b) = s.send("GET", "/Groups", None);
    assert_scim_error(st, &b, 404, None);
    let (st, b) = s.send("POST", "/Bulk", Some(&json!({})));
    assert_scim_error(st, &b, 404, None);
}

#[test]
fn settings_in_the_terminal_ui_list_the_scim_clients() {
    use ratatui::crossterm::event::KeyCode;
    let d = tui_support::demo();
    let (mut dir, admin) = d.admin();
    // No client yet: the Settings pane is as before.
    let mut s = d.session("admin");
    s.press(KeyCode::Char('4'));
    tui_support::assert_not_on_screen(&tui_support::screen(&s), "SCIM clients");
    dir.create_scim_token(admin, "okta").expect("a token");
    dir.create_scim_token(admin, "entra").expect("a token");
    dir.set_scim_integrations(admin, offboard::domain::IntegrationChoice::Keep)
        .expect("the setting");
    let mut s = d.session("admin");
    s.press(KeyCode::Char('4'));
    let screen = tui_support::screen(&s);
    tui_support::assert_on_screen(
        &screen,
        "SCIM clients (a deactivation keeps their integrations)",
    );
    tui_support::assert_on_screen(&screen, "okta · token #1 · made");
    tui_support::assert_on_screen(&screen, "entra · token #2 · made");
    // Others see no settings, and no error either.
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('4'));
    let screen = tui_support::screen(&s);
    tui_support::assert_not_on_screen(&screen, "okta");
    tui_support::assert_not_on_screen(&screen, "Error");
}

#[test]
fn a_client_whose_maker_is_dismissed_is_refused() {
    let s = Scim::start("okta");
    // A second administrator makes a token; the first dismisses them.
    let token = {
        let mut dir = offboard::Directory::open(&s.company.db).expect("open");
        let admin = offboard::Actor::user(dir.sign_in("admin").expect("admin").id);
        let second = dir
            .add(
                admin,
                &offboard::directory::NewEmployee {
                    login: "admin2".into(),
                    first_name: "Second".into(),
                    last_name: "Admin".into(),
                    email: "admin2@corvane.example".into(),
                    position: "IT".into(),
                    department: None,
                    hired_on: None,
                    is_admin: true,
                },
            )
            .expect("a second administrator");
        let (_, token) = dir
            .create_scim_token(offboard::Actor::user(second.id), "entra")
            .expect("a token");
        token
    };
    let (st, _) = s.send_as(Some(&token), "GET", "/Users?count=1", None);
    assert_eq!(st, 200);
    s.company.ok(&["--as", "admin", "dismiss", "admin2"]);
    let (st, b) = s.send_as(Some(&token), "GET", "/Users?count=1", None);
    let detail = assert_scim_error(st, &b, 401, None);
    assert!(detail.contains("admin2 is dismissed"), "{detail}");
    // The other client goes on.
    let (st, _) = s.send("GET", "/Users?count=1", None);
    assert_eq!(st, 200);
}
