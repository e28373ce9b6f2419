//! The portal's methods and fields that its client libraries rely on (issue 13, points
//! 1 and 5): the real `offboard serve` on the demo company, webhooks made by the binary,
//! a real HTTP client, asserting what a client sees.

mod binary;
mod rest_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use rest_support::*;
use serde_json::{Value, json};

/// The fields b24pysdk's own user tests require in `user.fields` and `user.current`.
const SDK_FIELDS: &[&str] = &[
    "ID",
    "XML_ID",
    "ACTIVE",
    "NAME",
    "LAST_NAME",
    "EMAIL",
    "LAST_LOGIN",
    "DATE_REGISTER",
    "TIME_ZONE",
    "IS_ONLINE",
    "TIMESTAMP_X",
    "LAST_ACTIVITY_DATE",
    "PERSONAL_GENDER",
    "PERSONAL_BIRTHDAY",
    "UF_EMPLOYMENT_DATE",
    "UF_DEPARTMENT",
];

fn setup() -> (Company, Server, Http, Hook) {
    let mut company = Company::demo();
    let server = company.serve();
    let hr = company.webhook("hr", "HR tools", "user,department,task,crm");
    (company, server, Http::new(), hr)
}

fn audit_actions(company: &Company) -> Vec<String> {
    company
        .audit()
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect()
}

#[track_caller]
fn the_user(http: &Http, hook: &Hook, id: i64) -> Value {
    let r = http.get(&hook.at(&format!("user.get?ID={id}")));
    let users = r.result().as_array().cloned().unwrap_or_default();
    assert_eq!(users.len(), 1, "user.get?ID={id}: {}", r.body);
    users[0].clone()
}

// ---------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------

#[test]
fn user_fields_and_every_user_answer_carry_the_fields_the_portal_answers() {
    let (_c, _s, http, hr) = setup();
    let fields = http.get(&hr.at("user.fields")).result().clone();
    let names = fields.as_object().expect("user.fields is an object");
    for f in SDK_FIELDS {
        assert!(
            names[*f].is_string(),
            "user.fields names {f} with a title: {fields}"
        );
    }
    let me = http.get(&hr.at("user.current")).result().clone();
    let listed = http.get(&hr.at("user.get")).result()[0].clone();
    let found = http
        .post_json(
            &hr.at("user.search"),
            &json!({"FILTER": {"FIND": "Jensen"}}),
        )
        .result()[0]
        .clone();
    for (what, user) in [
        ("user.current", &me),
        ("user.get", &listed),
        ("user.search", &found),
    ] {
        for name in SDK_FIELDS.iter().chain(&["WORK_POSITION", "USER_TYPE"]) {
            let v = &user[*name];
            assert!(
                v.is_boolean() || v.is_string() || v.is_array(),
                "{what}: {name} is a bool, string or list, as the SDK checks: {user}"
            );
        }
        // Every answered field is one user.fields names; the ones the portal sends
        // only when they hold a value, and offboard does not keep, are left out.
        for name in user.as_object().expect("a user is an object").keys() {
            assert!(
                names.contains_key(name),
                "{what}: {name} is not in user.fields"
            );
        }
        for name in [
            "PERSONAL_ICQ",
            "PERSONAL_MOBILE",
            "SECOND_NAME",
            "WORK_PHONE",
        ] {
            assert!(
                user.get(name).is_none(),
                "{what}: {name} is not set: {user}"
            );
        }
        assert_eq!(user["IS_ONLINE"], json!("N"), "{what}: {user}");
        assert_eq!(user["XML_ID"], json!(""), "{what}: not kept, empty: {user}");
        assert_eq!(user["PERSONAL_GENDER"], json!(""), "{what}: {user}");
        assert_eq!(user["LAST_LOGIN"], json!(""), "{what}: {user}");
    }
    // Laura Jensen (hr) was hired on the day the demo says; the portal writes it as a date-time.
    let hired = me["DATE_REGISTER"].as_str().expect("DATE_REGISTER");
    assert!(
        chrono::DateTime::parse_from_rfc3339(hired).is_ok() && hired.ends_with("T00:00:00+00:00"),
        "DATE_REGISTER is the hire day: {hired}"
    );
    assert_eq!(me["UF_EMPLOYMENT_DATE"], me["DATE_REGISTER"]);
}

#[test]
fn crm_and_task_fields_describe_what_the_lists_answer() {
    let (_c, _s, http, hr) = setup();
    for kind in ["deal", "lead", "contact", "company"] {
        let f = http
            .get(&hr.at(&format!("crm.{kind}.fields")))
            .result()
            .clone();
        let item = http.get(&hr.at(&format!("crm.{kind}.list"))).result()[0].clone();
        for key in item.as_object().expect("an item").keys() {
            assert!(
                f[key]["type"].is_string() && f[key]["title"].is_string(),
                "crm.{kind}.fields describes {key}: {f}"
            );
        }
        assert_eq!(f["ID"]["isReadOnly"], json!(true), "{f}");
    }
    let f = http.get(&hr.at("tasks.task.getFields")).result().clone();
    for key in ["ID", "TITLE", "STATUS", "RESPONSIBLE_ID", "CREATED_BY"] {
        assert!(f["fields"][key]["type"].is_string(), "{key}: {f}");
    }
    assert_eq!(f["fields"]["ID"]["primary"], json!(true));
}

// ---------------------------------------------------------------------------------------
// user.add, user.update
// ---------------------------------------------------------------------------------------

#[test]
fn user_add_adds_an_employee_through_the_same_rules_as_offboard_add() {
    let (company, _s, http, hr) = setup();
    let dept = http.get(&hr.at("department.get")).result()[0]["ID"]
        .as_str()
        .and_then(|s| s.parse::<i64>().ok())
        .expect("a department id");
    let r = http.post_json(
        &hr.at("user.add"),
        &json!({"NAME": "Test", "LAST_NAME": "Pysdk", "EMAIL": "17000000@pysdktest.com", "UF_DEPARTMENT": [dept]}),
    );
    let id = r
        .result()
        .as_i64()
        .unwrap_or_else(|| panic!("the result is the new id, a number: {}", r.body));
    let u = the_user(&http, &hr, id);
    assert_eq!(u["NAME"], json!("Test"));
    assert_eq!(u["LAST_NAME"], json!("Pysdk"));
    assert_eq!(u["EMAIL"], json!("17000000@pysdktest.com"));
    assert_eq!(u["UF_DEPARTMENT"], json!([dept]));
    assert_eq!(u["ACTIVE"], json!(true));
    // The command line sees the same employee, under the login taken from the e-mail.
    let shown = company.json(&["show", "17000000", "--json", "--as", "admin"]);
    assert!(shown.to_string().contains("Pysdk"), "{shown}");
    // Audited as an addition through the webhook.
    let audit = company.audit();
    let add = audit
        .iter()
        .find(|e| e["action"] == json!("add"))
        .expect("an add event");
    assert_eq!(add["via"]["door"], json!("webhook"), "{add}");
    assert_eq!(add["via"]["integration"], json!(hr.id), "{add}");

    // The same validation: a taken e-mail, a bad one, no e-mail; nothing added.
    let before = http.get(&hr.at("user.get")).body["total"].clone();
    http.post_json(&hr.at("user.add"), &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "17000000@pysdktest.com", "LOGIN": "other"}))
        .err_status(400);
    http.post_json(
        &hr.at("user.add"),
        &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "not-an-email"}),
    )
    .err_status(400);
    http.post_json(&hr.at("user.add"), &json!({"NAME": "A", "LAST_NAME": "B"}))
        .err(400, "ERROR_ARGUMENT");
    http.post_json(
        &hr.at("user.add"),
        &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "a.b@x.test", "ACTIVE": false}),
    )
    .err_status(400);
    http.post_json(
        &hr.at("user.add"),
        &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "a.b@x.test", "UF_DEPARTMENT": [99999]}),
    )
    .err_status(400);
    // A field offboard does not keep is refused by name, not dropped.
    let d = http
        .post_json(
            &hr.at("user.add"),
            &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "a.b@x.test", "PERSONAL_ICQ": "123"}),
        )
        .err(400, "ERROR_FIELD_NOT_KEPT");
    assert!(d.contains("PERSONAL_ICQ"), "{d}");
    // Personal fields are kept, but set with user.update: user.add says so.
    let d = http
        .post_json(
            &hr.at("user.add"),
            &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "a.b@x.test", "PERSONAL_GENDER": "M"}),
        )
        .err(400, "ERROR_FIELD_NOT_KEPT");
    assert!(
        d.contains("PERSONAL_GENDER") && d.contains("user.update"),
        "{d}"
    );
    // The same rights: an ordinary employee may not add people.
    let j = company.webhook("jdoe", "Jane's sync", "user");
    http.post_json(
        &j.at("user.add"),
        &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "a.b@x.test"}),
    )
    .err(403, "ACCESS_DENIED");
    assert_eq!(
        http.get(&hr.at("user.get")).body["total"],
        before,
        "nothing added"
    );
}

#[test]
fn a_system_user_adds_nobody() {
    let (company, _s, http, hr) = setup();
    company.ok(&["dismiss", "hr", "--integrations", "keep", "--as", "admin"]);
    // hr's kept webhook now acts as system.hr, which takes no personnel action.
    let d = http
        .post_json(
            &hr.at("user.add"),
            &json!({"NAME": "A", "LAST_NAME": "B", "EMAIL": "a.b@x.test"}),
        )
        .err(403, "ACCESS_DENIED");
    assert!(d.contains("system user"), "{d}");
    assert!(!audit_actions(&company).contains(&"add".to_string()));
    assert_eq!(http.get(&hr.at("user.admin")).result(), &json!(false));
    // Nor does it change the company structure or move anyone.
    let d = http
        .post_json(&hr.at("department.add"), &json!({"NAME": "Shadow"}))
        .err(403, "ACCESS_DENIED");
    assert!(d.contains("system user"), "{d}");
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "UF_DEPARTMENT": []}),
    )
    .err(403, "ACCESS_DENIED");
    // Its data rights stay: it may still change an employee's position.
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "WORK_POSITION": "Account Lead"}),
    )
    .ok();
}

#[test]
fn user_update_changes_the_department_and_refuses_fields_offboard_does_not_keep() {
    let (company, _s, http, hr) = setup();
    let depts = http.get(&hr.at("department.get")).result().clone();
    let jdoe = the_user(&http, &hr, JDOE_ID);
    let other = depts
        .as_array()
        .expect("departments")
        .iter()
        .filter_map(|d| d["ID"].as_str().and_then(|s| s.parse::<i64>().ok()))
        .find(|d| json!([d]) != jdoe["UF_DEPARTMENT"])
        .expect("another department");
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "UF_DEPARTMENT": [other]}),
    )
    .ok();
    assert_eq!(
        the_user(&http, &hr, JDOE_ID)["UF_DEPARTMENT"],
        json!([other])
    );
    let shown = company.json(&["show", "jdoe", "--json", "--as", "admin"]);
    let name = depts
        .as_array()
        .and_then(|a| a.iter().find(|d| d["ID"] == json!(other.to_string())))
        .and_then(|d| d["NAME"].as_str())
        .expect("its name")
        .to_string();
    assert!(
        shown.to_string().contains(&name),
        "the CLI shows the new department {name}: {shown}"
    );

    // A field offboard does not keep: refused by name, and the whole call changes nothing.
    let d = http
        .post_json(
            &hr.at("user.update"),
            &json!({"ID": JDOE_ID, "NAME": "Janet", "PERSONAL_ICQ": "123", "PERSONAL_PHONE": "+31 6"}),
        )
        .err(400, "ERROR_FIELD_NOT_KEPT");
    assert!(
        d.contains("PERSONAL_ICQ") && d.contains("PERSONAL_PHONE"),
        "{d}"
    );
    assert_eq!(the_user(&http, &hr, JDOE_ID)["NAME"], json!("Jane"));
    // The personal fields the portal's clients set are kept and read back as the
    // portal types them; a gender other than M or F is refused.
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "PERSONAL_GENDER": "f", "PERSONAL_PROFESSION": "Economist", "PERSONAL_BIRTHDAY": "1990-04-12"}),
    )
    .ok();
    let u = the_user(&http, &hr, JDOE_ID);
    assert_eq!(u["PERSONAL_GENDER"], json!("F"), "{u}");
    assert_eq!(u["PERSONAL_PROFESSION"], json!("Economist"), "{u}");
    assert_eq!(
        u["PERSONAL_BIRTHDAY"],
        json!("1990-04-12T00:00:00+00:00"),
        "{u}"
    );
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "PERSONAL_GENDER": "X"}),
    )
    .err_status(400);
    assert_eq!(the_user(&http, &hr, JDOE_ID)["PERSONAL_GENDER"], json!("F"));
    // user.current answers the same personal fields and department as user.get.
    let j = company.webhook("jdoe", "Jane's own", "user");
    let me = http.get(&j.at("user.current")).result().clone();
    let got = the_user(&http, &hr, JDOE_ID);
    for f in [
        "PERSONAL_GENDER",
        "PERSONAL_PROFESSION",
        "PERSONAL_BIRTHDAY",
        "UF_DEPARTMENT",
    ] {
        assert_eq!(me[f], got[f], "{f}: {me}");
    }
    assert_eq!(me["PERSONAL_PROFESSION"], json!("Economist"), "{me}");
    // Sending back a user as read (empty unkept fields, read-only ones) works.
    let mut back = the_user(&http, &hr, JDOE_ID);
    back["WORK_POSITION"] = json!("Key Account Manager");
    http.post_json(&hr.at("user.update"), &back).ok();
    assert_eq!(
        the_user(&http, &hr, JDOE_ID)["WORK_POSITION"],
        json!("Key Account Manager")
    );
    // Moving someone is the company structure: staff only, not even oneself.
    let j = company.webhook("jdoe", "Jane's sync", "user");
    let mine = the_user(&http, &hr, JDOE_ID)["UF_DEPARTMENT"].clone();
    let back_to = jdoe["UF_DEPARTMENT"].clone();
    http.post_json(
        &j.at("user.update"),
        &json!({"ID": JDOE_ID, "UF_DEPARTMENT": back_to}),
    )
    .err(403, "ACCESS_DENIED");
    assert_eq!(the_user(&http, &hr, JDOE_ID)["UF_DEPARTMENT"], mine);
    // One department only, and one that exists.
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "UF_DEPARTMENT": [1, 2]}),
    )
    .err_status(400);
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "UF_DEPARTMENT": [99999]}),
    )
    .err_status(400);
}

// ---------------------------------------------------------------------------------------
// user.admin, user.access, server.time, the time block
// ---------------------------------------------------------------------------------------

#[test]
fn user_admin_and_user_access_answer_for_the_caller() {
    let (company, _s, http, _hr) = setup();
    let admin = company.webhook("admin", "Admin tools", "user");
    let j = company.webhook("jdoe", "Jane's sync", "task");
    assert_eq!(http.get(&admin.at("user.admin")).result(), &json!(true));
    assert_eq!(http.get(&j.at("user.admin")).result(), &json!(false));
    let me = http
        .get(&admin.at(&format!("user.get?ID={JDOE_ID}")))
        .result()[0]
        .clone();
    let dept = me["UF_DEPARTMENT"][0].as_i64().expect("jdoe's department");
    let access = |codes: Value| {
        http.post_json(&j.at("user.access"), &json!({"ACCESS": codes}))
            .result()
            .clone()
    };
    // As b24pysdk's test asks: AU and G2 hold for everyone.
    assert_eq!(access(json!(["AU", "G2"])), json!(true));
    assert_eq!(access(json!([format!("U{JDOE_ID}")])), json!(true));
    assert_eq!(access(json!([format!("U{ADMIN_ID}")])), json!(false));
    assert_eq!(access(json!([format!("D{dept}")])), json!(true));
    assert_eq!(access(json!([format!("DR{dept}")])), json!(true));
    assert_eq!(access(json!([format!("D{}", dept + 1000)])), json!(false));
    assert_eq!(
        access(json!(["G1"])),
        json!(false),
        "jdoe is no administrator"
    );
    assert_eq!(access(json!([])), json!(false));
    assert_eq!(
        access(json!("U5")),
        json!(true),
        "a single code as a string"
    );
    let r = http.get(&j.at("user.access?ACCESS[]=G1&ACCESS[]=U5"));
    assert_eq!(r.result(), &json!(true), "at least one of them");
    // An administrator holds every code, and true with none.
    let admin_access = http.post_json(&admin.at("user.access"), &json!({"ACCESS": ["G9999"]}));
    assert_eq!(admin_access.result(), &json!(true));
    assert_eq!(http.get(&admin.at("user.access")).result(), &json!(true));
}

#[test]
fn server_time_and_the_operating_account_of_every_answer() {
    let (_c, _s, http, hr) = setup();
    let r = http.get(&hr.at("server.time"));
    let t = r
        .result()
        .as_str()
        .expect("server.time is a string")
        .to_string();
    let parsed = chrono::DateTime::parse_from_rfc3339(&t).expect("ISO 8601 with an offset");
    let now = chrono::Utc::now();
    assert!(
        (now - parsed.with_timezone(&chrono::Utc))
            .num_seconds()
            .abs()
            < 60,
        "{t}"
    );
    assert!(
        t.len() == 25 && (t.contains('+') || t.ends_with("-00:00") || t[19..].starts_with('-')),
        "YYYY-MM-DDThh:mm:ss±hh:mm: {t}"
    );

    let first = http.get(&hr.at("user.get")).body["time"].clone();
    let second = http.get(&hr.at("user.get")).body["time"].clone();
    for time in [&first, &second] {
        let operating = time["operating"]
            .as_f64()
            .unwrap_or_else(|| panic!("operating is seconds: {time}"));
        let reset = time["operating_reset_at"]
            .as_i64()
            .unwrap_or_else(|| panic!("operating_reset_at is a Unix time: {time}"));
        let start = time["start"].as_f64().unwrap_or_default();
        assert!(
            operating >= time["duration"].as_f64().unwrap_or_default(),
            "{time}"
        );
        assert!(
            reset as f64 > start && reset as f64 <= start + 601.0,
            "within ten minutes: {time}"
        );
    }
    // The account adds up per method: the second call's includes the first's.
    assert!(
        second["operating"].as_f64() > first["operating"].as_f64(),
        "{first} then {second}"
    );
    assert_eq!(
        first["operating_reset_at"], second["operating_reset_at"],
        "one window"
    );
    // Another method has an account of its own.
    let other = http.get(&hr.at("user.fields")).body["time"]["operating"].as_f64();
    assert!(
        other < second["operating"].as_f64(),
        "user.fields is charged apart"
    );
    // In a batch, each command's time has its own.
    let b = http.post_json(
        &hr.at("batch"),
        &json!({"halt": 0, "cmd": {"a": "server.time"}}),
    );
    assert!(
        b.result()["result_time"]["a"]["operating"].is_f64(),
        "{}",
        b.body
    );
    assert!(b.body["time"]["operating_reset_at"].is_i64(), "{}", b.body);
}

// ---------------------------------------------------------------------------------------
// department.add, department.update
// ---------------------------------------------------------------------------------------

#[test]
fn administrators_add_and_change_departments() {
    let (company, _s, http, hr) = setup();
    let admin = company.webhook("admin", "Structure", "department,user");
    let top = http.get(&admin.at("department.get")).result()[0]["ID"]
        .as_str()
        .and_then(|s| s.parse::<i64>().ok())
        .expect("a department");
    let r = http.post_json(
        &admin.at("department.add"),
        &json!({"NAME": "Data Science", "PARENT": top, "UF_HEAD": JDOE_ID}),
    );
    let id = r
        .result()
        .as_i64()
        .unwrap_or_else(|| panic!("the new id, a number: {}", r.body));
    let got = http
        .get(&admin.at(&format!("department.get?ID={id}")))
        .result()[0]
        .clone();
    assert_eq!(got["NAME"], json!("Data Science"));
    assert_eq!(got["PARENT"], json!(top.to_string()));
    assert_eq!(got["UF_HEAD"], json!(JDOE_ID.to_string()));

    http.post_json(
        &admin.at("department.update"),
        &json!({"ID": id, "NAME": "Data & Analytics", "UF_HEAD": TLANG_ID}),
    )
    .ok();
    let got = http
        .get(&admin.at(&format!("department.get?ID={id}")))
        .result()[0]
        .clone();
    assert_eq!(got["NAME"], json!("Data & Analytics"));
    assert_eq!(got["UF_HEAD"], json!(TLANG_ID.to_string()));
    assert_eq!(got["PARENT"], json!(top.to_string()), "unchanged");
    let actions = audit_actions(&company);
    assert!(
        actions.contains(&"department.add".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"department.update".to_string()),
        "{actions:?}"
    );

    // The tree stays a tree; names stay unique; a head is an active employee.
    http.post_json(
        &admin.at("department.update"),
        &json!({"ID": top, "PARENT": id}),
    )
    .err_status(400);
    http.post_json(
        &admin.at("department.add"),
        &json!({"NAME": "data & analytics"}),
    )
    .err_status(400);
    http.post_json(
        &admin.at("department.add"),
        &json!({"NAME": "Ghosts", "UF_HEAD": LBRANDT_ID}),
    )
    .err_status(400);
    http.post_json(&admin.at("department.add"), &json!({}))
        .err(400, "ERROR_ARGUMENT");
    http.post_json(
        &admin.at("department.update"),
        &json!({"ID": 99999, "NAME": "X"}),
    )
    .err_status(400);
    // Administrators only: company-structure staff and employees are refused.
    let events = company.audit().len();
    http.post_json(&hr.at("department.add"), &json!({"NAME": "HR's own"}))
        .err(403, "ACCESS_DENIED");
    http.post_json(
        &hr.at("department.update"),
        &json!({"ID": id, "NAME": "Renamed"}),
    )
    .err(403, "ACCESS_DENIED");
    assert_eq!(company.audit().len(), events, "nothing changed");
    // Without the department scope, refused for the scope.
    let u = company.webhook("admin", "Users only", "user");
    http.post_json(&u.at("department.add"), &json!({"NAME": "X"}))
        .err(401, "insufficient_scope");
}

// ---------------------------------------------------------------------------------------
// Scope before existence
// ---------------------------------------------------------------------------------------

#[test]
fn scope_is_checked_before_the_method_exists() {
    let (company, _s, http, hr) = setup();
    let user_only = company.webhook("hr", "Users only", "user");
    // As b24pysdk's error test: a CRM method from a user-only webhook.
    http.get(&user_only.at("crm.lead.fields"))
        .err(401, "insufficient_scope");
    for m in [
        "crm.deal.add",
        "crm.no.such",
        "tasks.task.add",
        "task.item.list",
        "department.delete",
        "disk.folder.get",
        "im.message.add",
    ] {
        http.get(&user_only.at(m)).err(401, "insufficient_scope");
    }
    // Inside its scopes an unknown name is 404.
    http.get(&user_only.at("user.delete"))
        .err(404, "ERROR_METHOD_NOT_FOUND");
    http.get(&hr.at("crm.deal.add"))
        .err(404, "ERROR_METHOD_NOT_FOUND");
    http.get(&hr.at("no.such.method"))
        .err(404, "ERROR_METHOD_NOT_FOUND");
    // A family no webhook here can hold a scope for.
    http.get(&hr.at("disk.folder.get"))
        .err(401, "insufficient_scope");
    // The basic methods need no scope.
    let t = company.webhook("hr", "Tasks only", "task");
    http.get(&t.at("server.time")).ok();
    http.get(&t.at("user.admin")).ok();
    http.get(&t.at("user.access?ACCESS[]=AU")).ok();
    http.get(&t.at("user.fields"))
        .err(401, "insufficient_scope");
    // methods lists the new methods of the webhook's scopes.
    let listed = http.get(&hr.at("methods")).result().clone();
    for m in [
        "user.fields",
        "user.add",
        "user.admin",
        "user.access",
        "server.time",
        "department.add",
        "department.update",
        "crm.deal.fields",
        "tasks.task.getFields",
    ] {
        assert!(
            listed.as_array().is_some_and(|a| a.contains(&json!(m))),
            "methods lists {m}: {listed}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Defects: limits, batch, verbs, bodies
// ---------------------------------------------------------------------------------------

#[test]
fn json_lists_count_against_the_parameter_limit() {
    let (company, _s, http, hr) = setup();
    let user_only = company.webhook("hr", "Users only", "user");
    let many: Vec<i64> = (1..=32_766).collect();
    for (hook, method, body) in [
        (&hr, "user.get", json!({"ID": many})),
        (&hr, "user.get", json!({"FILTER": {"ID": many}})),
        (
            &user_only,
            "crm.deal.list",
            json!({"filter": {"ASSIGNED_BY_ID": many}}),
        ),
        (
            &user_only,
            "tasks.task.list",
            json!({"filter": {"RESPONSIBLE_ID": many}}),
        ),
        (
            &hr,
            "crm.deal.list",
            json!({"filter": {"ASSIGNED_BY_ID": many}}),
        ),
        (
            &hr,
            "tasks.task.list",
            json!({"filter": {"RESPONSIBLE_ID": many}}),
        ),
    ] {
        let d = http.post_json(&hook.at(method), &body).err_status(400);
        assert!(
            d.contains("2000"),
            "{method}: the description names the limit: {d}"
        );
    }
    // Within the limit, a long list works.
    let ok: Vec<i64> = (1..=1_900).collect();
    let r = http.post_json(&hr.at("user.get"), &json!({"FILTER": {"ID": ok}}));
    assert!(
        r.ok()["total"].as_i64().is_some_and(|n| n > 30),
        "{}",
        r.body["total"]
    );
}

#[test]
fn a_halted_batch_changes_nothing_when_a_command_fails() {
    let (company, _s, http, hr) = setup();
    let events = company.audit().len();
    for failing in [
        "no.such.method",
        "user.update?ID=2&EMAIL=not-an-email",
        "user.update?ID=99999&NAME=X",
        "crm.deal.list?start=-9",
    ] {
        let r = http.post_json(
            &hr.at("batch"),
            &json!({"halt": 1, "cmd": {
                "me": "user.current",
                "a": format!("user.update?ID={JDOE_ID}&ACTIVE=false&INTEGRATIONS=keep"),
                "r": format!("user.get?ID={JDOE_ID}"),
                "b": failing,
                "c": "user.current",
            }}),
        );
        let res = r.result().clone();
        assert_eq!(
            the_user(&http, &hr, JDOE_ID)["ACTIVE"],
            json!(true),
            "with {failing}: jdoe was not dismissed: {res}"
        );
        assert!(res["result_error"]["b"]["error"].is_string(), "{res}");
        assert_eq!(
            res["result_error"]["a"]["error"],
            json!("BATCH_ROLLED_BACK"),
            "{res}"
        );
        assert_eq!(
            res["result_error"]["r"]["error"],
            json!("BATCH_ROLLED_BACK"),
            "read after the undone change: {res}"
        );
        assert_eq!(
            res["result"]["me"]["ID"],
            json!(HR_ID.to_string()),
            "a read before any change stands: {res}"
        );
        assert!(
            res["result"].get("c").is_none() && res["result_error"].get("c").is_none(),
            "halted: {res}"
        );
        assert_eq!(company.audit().len(), events, "no audit event either");
    }
    // A refusal by the rules halts and undoes the same way.
    let j = company.webhook("jdoe", "Jane's sync", "user");
    let r = http.post_json(
        &j.at("batch"),
        &json!({"halt": 1, "cmd": {"a": format!("user.update?ID={JDOE_ID}&NAME=Janet"), "b": format!("user.update?ID={TLANG_ID}&NAME=Hacked")}}),
    );
    assert_eq!(
        r.result()["result_error"]["b"]["error"],
        json!("ACCESS_DENIED"),
        "{}",
        r.body
    );
    assert_eq!(the_user(&http, &hr, JDOE_ID)["NAME"], json!("Jane"));
    // Without halt each command stands on its own, as on the portal.
    let r = http.post_json(
        &hr.at("batch"),
        &json!({"halt": 0, "cmd": {"a": format!("user.update?ID={JDOE_ID}&ACTIVE=false&INTEGRATIONS=keep"), "b": "no.such.method"}}),
    );
    assert_eq!(r.result()["result"]["a"], json!(true), "{}", r.body);
    assert_eq!(the_user(&http, &hr, JDOE_ID)["ACTIVE"], json!(false));
    // And a halted batch that succeeds keeps everything.
    let r = http.post_json(
        &hr.at("batch"),
        &json!({"halt": 1, "cmd": {"a": format!("user.update?ID={JDOE_ID}&ACTIVE=true"), "b": format!("user.update?ID={JDOE_ID}&NAME=Janet")}}),
    );
    assert_eq!(r.result()["result_error"], json!([]), "{}", r.body);
    let u = the_user(&http, &hr, JDOE_ID);
    assert_eq!(
        (u["ACTIVE"].clone(), u["NAME"].clone()),
        (json!(true), json!("Janet"))
    );
}

#[test]
fn verbs_other_than_get_and_post_are_405_and_run_nothing() {
    let (_c, _s, http, hr) = setup();
    let url = hr.at(&format!("user.update?ID={JDOE_ID}&NAME=Changed"));
    for verb in ["PUT", "DELETE", "PATCH", "TRACE", "FOO"] {
        let m = reqwest::Method::from_bytes(verb.as_bytes()).expect("a verb");
        let r = http.client.request(m, &url).send().expect("an answer");
        assert_eq!(r.status().as_u16(), 405, "{verb}");
        let allow = r
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(
            allow.contains("GET") && allow.contains("POST"),
            "{verb}: Allow {allow:?}"
        );
        let body: Value =
            serde_json::from_str(&r.text().unwrap_or_default()).expect("a JSON error");
        assert_eq!(body["error"], json!("METHOD_NOT_ALLOWED"), "{verb}: {body}");
    }
    assert_eq!(
        the_user(&http, &hr, JDOE_ID)["NAME"],
        json!("Jane"),
        "nothing ran"
    );
    // HEAD answers as GET, without the body.
    let r = http
        .client
        .head(hr.at("user.current"))
        .send()
        .expect("HEAD");
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json"))
    );
    assert_eq!(r.bytes().map(|b| b.len()).unwrap_or(1), 0, "no body");
    // OPTIONS is a CORS preflight: headers, no body, nothing run.
    let r = http
        .client
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "https://app.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .expect("OPTIONS");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    assert!(
        r.headers()
            .get("access-control-allow-methods")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|m| m.contains("POST"))
    );
    assert_eq!(
        the_user(&http, &hr, JDOE_ID)["NAME"],
        json!("Jane"),
        "nothing ran"
    );
}

/// Send raw bytes and read the status line of the answer.
fn raw_status(base: &str, request: &[u8]) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s.write_all(request).expect("write");
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    while !got.windows(2).any(|w| w == b"\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn a_malformed_chunked_body_is_400() {
    let (_c, server, _http, hr) = setup();
    let path = hr.url.trim_start_matches(&server.base).to_string();
    let bad = format!(
        "POST {path}user.current HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{{}}\r\n0\r\n\r\n"
    );
    let status = raw_status(&server.base, bad.as_bytes());
    assert!(
        status.starts_with("HTTP/1.1 400"),
        "a malformed chunk size: {status:?}"
    );
    // A well-formed chunked body is read.
    let good = format!(
        "POST {path}user.current HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n"
    );
    let status = raw_status(&server.base, good.as_bytes());
    assert!(status.starts_with("HTTP/1.1 200"), "{status:?}");
}

/// A body the server stops reading (too large, malformed) ends the connection, and the
/// answer says so: the rest of that body is not the client's next request, and a client
/// that kept the connection would lose the request it sends next.
#[test]
fn a_body_left_unread_closes_the_connection() {
    let (_c, server, _http, hr) = setup();
    let path = hr.url.trim_start_matches(&server.base).to_string();
    let addr = server.base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let size = 2 * 1024 * 1024;
    let head = format!(
        "POST {path}user.current HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).expect("write");
    // As much of the body as the server takes before it answers.
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..(size / chunk.len()) {
        if s.write_all(&chunk).is_err() {
            break;
        }
    }
    let mut got = Vec::new();
    let mut buf = vec![0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&got).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 413"), "{text}");
    assert!(text.contains("\r\nconnection: close\r\n"), "{text}");
}
