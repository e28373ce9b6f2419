//! System users take no personnel actions (issue 12, point 5): a kept webhook of a
//! dismissed administrator or HR person keeps its data rights, but can neither hire
//! its owner back nor dismiss anyone. The real `offboard serve`, a real HTTP client,
//! the real binary; and the keep choice says plainly what the kept integrations can
//! still do, on the command line and over REST.

mod binary;
mod rest_support;

use rest_support::*;
use serde_json::{Value, json};

fn id_of(company: &Company, login: &str) -> i64 {
    company.json(&["show", login, "--json", "--as", "elindqvist"])["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{login} has an id"))
}

fn status_of(company: &Company, login: &str) -> Value {
    company.json(&["show", login, "--json", "--as", "elindqvist"])["status"].clone()
}

#[test]
fn a_kept_webhook_of_dismissed_staff_cannot_rehire_them_or_dismiss_anyone() {
    let mut company = Company::demo();
    let _server = company.serve();
    let http = Http::new();
    let hook = company.webhook("hr", "HR tools", "user,task");
    let admin_hook = company.webhook("admin", "Admin tools", "user");
    let hr = id_of(&company, "hr");
    let jdoe = id_of(&company, "jdoe");

    // The keep choice says what the kept integration could still do, before it is made:
    // over REST in the wire format's terms …
    let d = http
        .get(&admin_hook.at(&format!("user.update?ID={hr}&ACTIVE=false")))
        .err(400, "INTEGRATIONS_CHOICE_REQUIRED");
    assert!(
        d.contains("kept, it runs as a system user with hr's company-structure access: it can still read every employee and change anyone's name, e-mail and position, and read every task and delegate any of them; it cannot hire or dismiss anyone"),
        "{d}"
    );
    assert!(
        d.ends_with("pass INTEGRATIONS=keep or INTEGRATIONS=disable"),
        "{d}"
    );
    // … and on the command line in its own, on one line.
    let o = company.run(&["--as", "admin", "dismiss", "hr"]);
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("it cannot hire or dismiss anyone, change settings or permissions"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .trim_end()
            .ends_with("choose --integrations keep or --integrations disable"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("INTEGRATIONS="), "{}", o.stderr);

    company.ok(&["--as", "admin", "dismiss", "hr", "--integrations", "keep"]);
    assert_eq!(status_of(&company, "hr"), json!("dismissed"));

    // The self-rehire through the kept URL: refused, and nothing changes.
    let d = http
        .get(&hook.at(&format!("user.update?ID={hr}&ACTIVE=true")))
        .err(403, "ACCESS_DENIED");
    assert!(
        d.starts_with("system.hr is a system user and may not hire employees"),
        "{d}"
    );
    // Not even with a field change riding along: all of it or none.
    http.post_json(
        &hook.at("user.update"),
        &json!({"ID": hr, "ACTIVE": "Y", "NAME": "Back"}),
    )
    .err(403, "ACCESS_DENIED");
    assert_eq!(status_of(&company, "hr"), json!("dismissed"));
    let shown = company.json(&["show", "hr", "--json", "--as", "elindqvist"]);
    assert_eq!(shown["first_name"], json!("Laura"), "{shown}");

    // Dismissing someone else through it: refused.
    let d = http
        .get(&hook.at(&format!("user.update?ID={jdoe}&ACTIVE=false")))
        .err(403, "ACCESS_DENIED");
    assert!(
        d.starts_with("system.hr is a system user and may not dismiss employees"),
        "{d}"
    );
    assert_eq!(status_of(&company, "jdoe"), json!("active"));
    // In a batch too.
    let r = http.post_json(
        &hook.at("batch"),
        &json!({"halt": 0, "cmd": {"a": format!("user.update?ID={jdoe}&ACTIVE=false")}}),
    );
    assert_eq!(
        r.result()["result_error"]["a"]["error"],
        json!("ACCESS_DENIED"),
        "{}",
        r.body
    );
    assert_eq!(status_of(&company, "jdoe"), json!("active"));

    // Its data rights within its scopes stay: reading, delegating, editing a field.
    http.get(&hook.at("user.get")).ok();
    http.get(&hook.at("tasks.task.list")).ok();
    http.get(&hook.at(&format!(
        "user.update?ID={jdoe}&WORK_POSITION=Key+Account+Manager"
    )))
    .ok();
    let shown = company.json(&["show", "jdoe", "--json", "--as", "elindqvist"]);
    assert_eq!(shown["position"], json!("Key Account Manager"), "{shown}");

    // The audit has no hire or dismissal by system.hr, and names the webhook of the edit.
    let audit = company.audit();
    assert!(
        !audit.iter().any(|e| e["actor"] == json!("system.hr")
            && (e["action"] == json!("hire") || e["action"] == json!("dismiss"))),
        "{audit:#?}"
    );
    let edit = audit
        .iter()
        .find(|e| e["action"] == json!("update") && e["target"] == json!("jdoe"))
        .unwrap_or_else(|| panic!("the edit is audited: {audit:#?}"));
    assert_eq!(edit["actor"], json!("system.hr"), "{edit}");
    assert_eq!(
        edit["via"],
        json!({"door": "webhook", "integration": hook.id}),
        "{edit}"
    );
}

/// The same rule refuses a system user however its webhook calls: a dismissal by a
/// system user that inherited administrator rights.
#[test]
fn a_system_user_with_administrator_rights_dismisses_nobody() {
    let mut company = Company::demo();
    let _server = company.serve();
    let http = Http::new();
    // The demo company has two administrators, so admin may be dismissed.
    let hook = company.webhook("admin", "Admin tools", "user");
    company.ok(&["--as", "hr", "dismiss", "admin", "--integrations", "keep"]);
    let jdoe = id_of(&company, "jdoe");
    let admin = id_of(&company, "admin");
    for (id, what) in [(jdoe, "dismiss"), (admin, "hire")] {
        let active = if what == "hire" { "true" } else { "false" };
        let d = http
            .get(&hook.at(&format!("user.update?ID={id}&ACTIVE={active}")))
            .err(403, "ACCESS_DENIED");
        assert!(
            d.starts_with(&format!(
                "system.admin is a system user and may not {what} employees"
            )),
            "{d}"
        );
    }
    assert_eq!(status_of(&company, "jdoe"), json!("active"));
    assert_eq!(status_of(&company, "admin"), json!("dismissed"));
}
