//! The webhook REST endpoint (issue 4, SPEC §3 and §5 "Webhook REST endpoint"): the real
//! `offboard serve` on an ephemeral port with a real SQLite database (the demo company),
//! webhooks created through the binary, and a real HTTP client. Every answer is checked
//! to be JSON and never a 5xx (see `rest_support::Http::send`).

mod binary;
mod rest_support;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use rest_support::*;
use serde_json::{Value, json};

/// The demo company, its server, and hr's webhook with every scope.
fn setup() -> (Company, Server, Http, Hook) {
    let mut company = Company::demo();
    let server = company.serve();
    let hr = company.webhook("hr", "HR tools", "user,department,task,crm");
    (company, server, Http::new(), hr)
}

#[track_caller]
fn assert_time(time: &Value, what: &str) {
    for k in ["start", "finish", "duration", "processing"] {
        assert!(
            time[k].is_f64(),
            "{what}: time.{k} should be a float, got {}",
            time[k]
        );
    }
    let start = time["start"].as_f64().unwrap_or_default();
    let finish = time["finish"].as_f64().unwrap_or_default();
    assert!(start > 1.0e9, "{what}: time.start is a Unix time: {time}");
    assert!(finish >= start, "{what}: finish >= start: {time}");
    assert!(
        time["duration"].as_f64().unwrap_or(-1.0) >= 0.0,
        "{what}: duration >= 0: {time}"
    );
    for k in ["date_start", "date_finish"] {
        let s = time[k]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: time.{k} should be a string: {time}"));
        assert!(
            chrono::DateTime::parse_from_rfc3339(s).is_ok(),
            "{what}: time.{k} should be ISO-8601, got {s:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The envelope and the URL forms
// ---------------------------------------------------------------------------------------

#[test]
fn success_envelope_has_result_and_time() {
    let (_c, _s, http, hr) = setup();
    let r = http.get(&hr.at("user.current"));
    let body = r.ok();
    let me = &body["result"];
    assert_eq!(
        me["ID"],
        json!(HR_ID.to_string()),
        "user.current is hr: {me}"
    );
    assert_eq!(me["NAME"], json!("Laura"));
    assert_eq!(me["LAST_NAME"], json!("Jensen"));
    assert_eq!(me["ACTIVE"], json!(true), "ACTIVE is a boolean: {me}");
    assert!(
        me["UF_DEPARTMENT"]
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_i64)),
        "UF_DEPARTMENT is an array of ints: {me}"
    );
    assert!(
        body.get("total").is_none(),
        "no total outside lists: {body}"
    );
    assert!(body.get("next").is_none(), "no next outside lists: {body}");
    assert_time(&body["time"], "user.current");
}

#[test]
fn url_forms_method_case_and_http_verbs() {
    let (_c, _s, http, hr) = setup();
    let me = json!(HR_ID.to_string());
    let forms = [
        "user.current",
        "user.current/",
        "user.current.json",
        "user.current.json/",
        "USER.CURRENT",
        "User.Current.JSON",
        "uSeR.cUrReNt/",
        "user.current?foo=bar&_=1700000000&unknown[x]=y",
        "user.current.json?xyz=1",
    ];
    for f in forms {
        let r = http.get(&hr.at(f));
        assert_eq!(r.result()["ID"], me, "GET {f}");
        let r = http.post(&hr.at(f));
        assert_eq!(r.result()["ID"], me, "POST {f}");
    }
    // POST with a JSON body of unknown parameters, and a form body of them.
    let r = http.post_json(
        &hr.at("user.current.json"),
        &json!({"whatever": 1, "x": [1]}),
    );
    assert_eq!(r.result()["ID"], me);
    let r = http.post_form(&hr.at("user.current"), "whatever=1&x[]=2");
    assert_eq!(r.result()["ID"], me);
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

#[test]
fn wrong_credentials_are_401_invalid_credentials() {
    let (company, server, http, hr) = setup();
    let (user, code) = hr.parts();
    assert_eq!(user, HR_ID.to_string());
    // Unknown user id with a real code.
    http.get(&server.url(&format!("/rest/999999/{code}/user.current")))
        .err(401, "INVALID_CREDENTIALS");
    // Another (real) user's id with hr's code.
    http.get(&server.url(&format!("/rest/{JDOE_ID}/{code}/user.current")))
        .err(401, "INVALID_CREDENTIALS");
    // A user id that is not a number.
    http.get(&server.url(&format!("/rest/abc/{code}/user.current")))
        .err(401, "INVALID_CREDENTIALS");
    // Wrong code, a code one character off, an empty-ish code.
    http.get(&server.url(&format!("/rest/{user}/wrongcode123/user.current")))
        .err(401, "INVALID_CREDENTIALS");
    let mut off = code.clone();
    let last = off.pop().expect("a code");
    off.push(if last == 'a' { 'b' } else { 'a' });
    http.get(&server.url(&format!("/rest/{user}/{off}/user.current")))
        .err(401, "INVALID_CREDENTIALS");
    http.post(&server.url(&format!("/rest/{user}/{off}/batch")))
        .err(401, "INVALID_CREDENTIALS");
    // Wrong credentials win over an unknown method.
    http.get(&server.url(&format!("/rest/{user}/{off}/no.such.method")))
        .err(401, "INVALID_CREDENTIALS");

    // A disabled integration: 401 at once; enabled again, it works.
    let j = company.webhook("jdoe", "Jane's sync", "user");
    http.get(&j.at("user.current")).ok();
    company.ok(&["--as", "admin", "webhook", "disable", &j.id.to_string()]);
    http.get(&j.at("user.current"))
        .err(401, "INVALID_CREDENTIALS");
    http.post_json(&j.at("batch"), &json!({"cmd": {"a": "user.current"}}))
        .err(401, "INVALID_CREDENTIALS");
    company.ok(&["--as", "admin", "webhook", "enable", &j.id.to_string()]);
    assert_eq!(
        http.get(&j.at("user.current")).result()["ID"],
        json!(JDOE_ID.to_string())
    );
    // The hr webhook was never affected.
    http.get(&hr.at("user.current")).ok();
}

#[test]
fn missing_code_is_401_no_auth_found() {
    let (_c, server, http, _hr) = setup();
    http.get(&server.url("/rest/1/")).err(401, "NO_AUTH_FOUND");
    http.get(&server.url("/rest/1")).err(401, "NO_AUTH_FOUND");
    http.post(&server.url("/rest/1/")).err(401, "NO_AUTH_FOUND");
}

#[test]
fn method_outside_scopes_is_401_insufficient_scope() {
    let (company, _s, http, _hr) = setup();
    let t = company.webhook("hr", "Tasks only", "task");
    for m in [
        "user.current",
        "user.get",
        "user.search",
        "profile",
        "department.get",
        "crm.deal.list",
        "crm.lead.list",
        "crm.contact.list",
        "crm.company.list",
    ] {
        http.get(&t.at(m)).err(401, "insufficient_scope");
    }
    http.post_json(&t.at("user.update"), &json!({"ID": JDOE_ID, "NAME": "X"}))
        .err(401, "insufficient_scope");
    // Within its scope, and the scope-free methods, work.
    http.get(&t.at("tasks.task.list")).ok();
    assert_eq!(http.get(&t.at("scope")).result(), &json!(["task"]));
    let methods = http.get(&t.at("methods"));
    let methods: BTreeSet<&str> = methods
        .result()
        .as_array()
        .expect("methods is a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for m in [
        "batch",
        "scope",
        "methods",
        "tasks.task.list",
        "tasks.task.delegate",
    ] {
        assert!(methods.contains(m), "methods lists {m}: {methods:?}");
    }
    for m in [
        "user.get",
        "user.current",
        "crm.deal.list",
        "department.get",
    ] {
        assert!(!methods.contains(m), "methods omits {m}: {methods:?}");
    }
    // Inside a batch the refusal is per command.
    let r = http.post_json(
        &t.at("batch"),
        &json!({"halt": 0, "cmd": {"a": "user.current", "b": "tasks.task.list"}}),
    );
    let res = &r.result();
    assert_eq!(
        res["result_error"]["a"]["error"],
        json!("insufficient_scope")
    );
    assert!(res["result"]["b"]["tasks"].is_array(), "{res}");
}

#[test]
fn unknown_method_is_404() {
    let (_c, _s, http, hr) = setup();
    for m in [
        "no.such.method",
        "user.delete",
        "crm.deal.add",
        "tasks.task.list.extra",
    ] {
        http.get(&hr.at(m)).err(404, "ERROR_METHOD_NOT_FOUND");
        http.post(&hr.at(m)).err(404, "ERROR_METHOD_NOT_FOUND");
    }
}

#[test]
fn bad_parameters_are_400() {
    let (_c, _s, http, hr) = setup();
    for q in [
        "user.get?start=abc",
        "user.get?start=-5",
        "user.get?start=1.5x",
        "department.get?start=abc",
        "tasks.task.list?start=-7",
        "crm.deal.list?start=x",
        "user.get?FILTER[ID]=abc",
        "user.get?FILTER[ACTIVE]=maybe",
        "user.get?order=sideways",
        "user.get?sort=PASSWORD",
        "user.get?FILTER=justtext",
        "tasks.task.list?filter[RESPONSIBLE_ID]=nobody",
        "crm.deal.list?filter[ASSIGNED_BY_ID]=nobody",
    ] {
        http.get(&hr.at(q)).err_status(400);
    }
    // Malformed JSON, a JSON body that is not an object, a wrong content type.
    http.post_raw(
        &hr.at("user.get"),
        "application/json",
        b"{\"FILTER\": ".to_vec(),
    )
    .err_status(400);
    http.post_raw(&hr.at("user.get"), "application/json", b"[1, 2]".to_vec())
        .err_status(400);
    http.post_raw(&hr.at("user.current"), "text/plain", b"hello".to_vec())
        .err_status(400);
    http.post_raw(&hr.at("user.current"), "application/xml", b"<a/>".to_vec())
        .err_status(400);
    // A batch without commands.
    http.post_json(&hr.at("batch"), &json!({"halt": 0}))
        .err_status(400);
    // Parameters that cannot be read: not UTF-8, nested too deep, a file upload.
    http.get(&hr.at("user.get?FILTER[NAME]=%FF"))
        .err_status(400);
    http.get(&hr.at(&format!("user.get?a{}=1", "[x]".repeat(30))))
        .err_status(400);
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n";
    http.post_raw(
        &hr.at("user.get"),
        "multipart/form-data; boundary=XyZ",
        body.as_bytes().to_vec(),
    )
    .err_status(400);
    http.post_raw(&hr.at("user.get"), "multipart/form-data", b"x".to_vec())
        .err_status(400);
}

/// "no nested batch" is a rule about the batch's parameters, like "at most 50 commands":
/// the batch call itself is refused with 400.
#[test]
fn nested_batch_is_400() {
    let (_c, _s, http, hr) = setup();
    let r = http.post_json(
        &hr.at("batch"),
        &json!({"halt": 0, "cmd": {"a": "user.current", "b": "batch?cmd[x]=user.current"}}),
    );
    r.err_status(400);
}

#[test]
fn batch_of_51_is_400_and_50_is_fine() {
    let (_c, _s, http, hr) = setup();
    let cmd51: serde_json::Map<String, Value> = (0..51)
        .map(|i| (format!("c{i}"), json!("user.current")))
        .collect();
    let d = http
        .post_json(&hr.at("batch"), &json!({"halt": 0, "cmd": cmd51}))
        .err_status(400);
    assert!(d.contains("50"), "the description says the limit: {d}");

    let cmd50: serde_json::Map<String, Value> = (0..50)
        .map(|i| (format!("c{i}"), json!("user.current")))
        .collect();
    let r = http.post_json(&hr.at("batch"), &json!({"halt": 0, "cmd": cmd50}));
    let res = r.result();
    assert_eq!(
        res["result"].as_object().map(|o| o.len()),
        Some(50),
        "50 commands are fine: {res}"
    );
    assert_eq!(res["result_error"], json!([]));
}

#[test]
fn ordinary_employee_may_not_update_someone_else() {
    let (company, _s, http, _hr) = setup();
    let j = company.webhook("jdoe", "Jane's sync", "user,task");
    let d = http
        .post_json(
            &j.at("user.update"),
            &json!({"ID": TLANG_ID, "NAME": "Hacked"}),
        )
        .err(403, "ACCESS_DENIED");
    assert!(!d.is_empty());
    http.post_form(&j.at("user.update"), "ID=23&ACTIVE=false&INTEGRATIONS=keep")
        .err(403, "ACCESS_DENIED");
    http.post_json(
        &j.at("user.update"),
        &json!({"ID": LBRANDT_ID, "ACTIVE": true}),
    )
    .err(403, "ACCESS_DENIED");
    // Nothing changed.
    let r = http.get(&j.at(&format!("user.get?ID={TLANG_ID}")));
    let u = &r.result()[0];
    assert_eq!(u["NAME"], json!("Tobias"));
    assert_eq!(u["ACTIVE"], json!(true));
    // Everyone may change their own name.
    http.post_json(
        &j.at("user.update"),
        &json!({"ID": JDOE_ID, "NAME": "Janet"}),
    )
    .ok();
    assert_eq!(
        http.get(&j.at("user.current")).result()["NAME"],
        json!("Janet")
    );
    drop(company);
}

#[test]
fn body_over_one_mib_is_413() {
    let (_c, _s, http, hr) = setup();
    let big = vec![b'a'; 1024 * 1024 + 4096];
    http.post_raw(
        &hr.at("user.current"),
        "application/x-www-form-urlencoded",
        big,
    )
    .err_status(413);
    let mut big_json = b"{\"pad\": \"".to_vec();
    big_json.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    big_json.extend(b"\"}");
    http.post_raw(&hr.at("user.current"), "application/json", big_json)
        .err_status(413);
    // Just under the limit is fine.
    let mut ok_json = b"{\"pad\": \"".to_vec();
    ok_json.extend(std::iter::repeat_n(b'x', 900 * 1024));
    ok_json.extend(b"\"}");
    let r = http.post_raw(&hr.at("user.current"), "application/json", ok_json);
    assert_eq!(r.result()["ID"], json!(HR_ID.to_string()));
    // The server still answers afterwards.
    http.get(&hr.at("user.current")).ok();
}

// ---------------------------------------------------------------------------------------
// user.get: paging, filters, sorting
// ---------------------------------------------------------------------------------------

#[test]
fn user_get_lists_active_employees_only() {
    let (_c, _s, http, hr) = setup();
    let r = http.get(&hr.at("user.get"));
    let body = r.ok();
    assert_eq!(
        body["total"],
        json!(40),
        "40 active employees: {}",
        body["total"]
    );
    assert!(body.get("next").is_none(), "no next when all fit: {body}");
    assert_time(&body["time"], "user.get");
    let ids = user_ids(&body["result"]);
    assert_eq!(ids.len(), 40);
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 40, "no duplicates");
    for hidden in [LBRANDT_ID, YDEMIR_ID, SYSTEM_LBRANDT_ID] {
        assert!(!unique.contains(&hidden), "{hidden} must not be listed");
    }
    for u in body["result"].as_array().expect("list") {
        assert_eq!(u["ACTIVE"], json!(true), "{u}");
        assert!(u["NAME"].is_string() && u["LAST_NAME"].is_string() && u["EMAIL"].is_string());
        assert!(
            u["UF_DEPARTMENT"]
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_i64)),
            "{u}"
        );
        assert_ne!(u["USER_TYPE"], json!("system"), "{u}");
    }
    // Default order is by ID.
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    // The system user is never returned, even when asked for by ID.
    let r = http.get(&hr.at(&format!("user.get?FILTER[ID]={SYSTEM_LBRANDT_ID}")));
    assert_eq!(r.result(), &json!([]));
    assert_eq!(r.body["total"], json!(0));
    let r = http.get(&hr.at(&format!("user.get?ID={SYSTEM_LBRANDT_ID}")));
    assert_eq!(r.result(), &json!([]));
    // Dismissed employees stay hidden while show_dismissed is off.
    let r = http.get(&hr.at("user.get?FILTER[ACTIVE]=false"));
    assert_eq!(r.ok()["total"], json!(0), "{}", r.body);
    let r = http.get(&hr.at("user.search?FILTER[FIND]=Brandt"));
    assert_eq!(r.ok()["total"], json!(0), "{}", r.body);
}

#[test]
fn user_get_pages_of_fifty_with_next() {
    let (company, _s, http, hr) = setup();
    let mut csv = String::from("login,first_name,last_name,email,position,department,hired_on\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "extra{i:02},Extra,Person{i:02},extra{i:02}@example.com,Clerk,Sales,2024-01-0{}\n",
            i % 9 + 1
        ));
    }
    let path = company.dir().join("more.csv");
    std::fs::write(&path, csv).expect("write csv");
    company.ok(&["--as", "admin", "import", path.to_str().expect("utf-8")]);

    let r = http.get(&hr.at("user.get"));
    let first = r.ok();
    assert_eq!(first["total"], json!(60), "{}", first["total"]);
    assert_eq!(first["next"], json!(50), "next is the next start");
    let page1 = user_ids(&first["result"]);
    assert_eq!(page1.len(), 50, "a page is 50 rows");

    let r = http.get(&hr.at("user.get?start=50"));
    let second = r.ok();
    assert_eq!(second["total"], json!(60));
    assert!(
        second.get("next").is_none(),
        "no next on the last page: {second}"
    );
    let page2 = user_ids(&second["result"]);
    assert_eq!(page2.len(), 10);
    let all: BTreeSet<i64> = page1.iter().chain(page2.iter()).copied().collect();
    assert_eq!(all.len(), 60, "pages do not overlap");

    // start as a JSON number in a POST body, and past the end.
    let r = http.post_json(&hr.at("user.get"), &json!({"start": 50}));
    assert_eq!(user_ids(r.result()), page2);
    let r = http.get(&hr.at("user.get?start=100"));
    assert_eq!(r.result(), &json!([]));
    assert!(r.body.get("next").is_none());
    assert_eq!(r.body["total"], json!(60));

    // A filtered list: total counts the matches, next only when more remain.
    let r = http.get(&hr.at("user.get?FILTER[NAME]=Extra"));
    assert_eq!(r.ok()["total"], json!(20));
    assert!(r.body.get("next").is_none());

    // Through batch: result_total and result_next.
    let r = http.post_json(
        &hr.at("batch"),
        &json!({"halt": 0, "cmd": {"p": "user.get", "q": "user.get?start=50"}}),
    );
    let res = r.result();
    assert_eq!(res["result_total"], json!({"p": 60, "q": 60}));
    assert_eq!(res["result_next"], json!({"p": 50}));
    assert_eq!(res["result"]["p"].as_array().map(Vec::len), Some(50));
    assert_eq!(res["result"]["q"].as_array().map(Vec::len), Some(10));
}

#[test]
fn user_get_filters() {
    let (_c, _s, http, hr) = setup();
    let all = http.get(&hr.at("user.get"));
    let all = all.result().as_array().expect("list").clone();
    let get = |q: &str| -> Vec<i64> {
        let r = http.get(&hr.at(&format!("user.get?{q}")));
        let ids = user_ids(r.result());
        assert_eq!(
            r.body["total"],
            json!(ids.len()),
            "total matches the rows for {q}"
        );
        ids
    };
    // ID: one, a list with brackets, a PHP-indexed list, top level.
    assert_eq!(get("FILTER[ID]=23"), vec![23]);
    assert_eq!(get("FILTER[ID][]=1&FILTER[ID][]=2"), vec![1, 2]);
    assert_eq!(get("FILTER[ID][0]=2&FILTER[ID][1]=35"), vec![2, 35]);
    assert_eq!(get("ID=35"), vec![35]);
    // filter key in any case.
    assert_eq!(get("filter[ID]=23"), vec![23]);
    assert_eq!(get("Filter[ID]=23"), vec![23]);
    // ACTIVE as true, "true", "True", "Y", 1.
    for v in ["true", "True", "Y", "1"] {
        assert_eq!(get(&format!("FILTER[ACTIVE]={v}")).len(), 40, "ACTIVE={v}");
    }
    for v in [
        json!(true),
        json!("true"),
        json!("True"),
        json!("Y"),
        json!(1),
    ] {
        let r = http.post_json(&hr.at("user.get"), &json!({"FILTER": {"ACTIVE": v}}));
        assert_eq!(r.ok()["total"], json!(40), "ACTIVE={v}");
        let r = http.post_json(&hr.at("user.get"), &json!({"filter": {"ACTIVE": v}}));
        assert_eq!(r.ok()["total"], json!(40), "filter.ACTIVE={v}");
    }
    // NAME, LAST_NAME, EMAIL exact.
    assert_eq!(get("FILTER[NAME]=Tobias"), vec![TLANG_ID]);
    assert_eq!(get("FILTER[LAST_NAME]=Lang"), vec![TLANG_ID]);
    assert_eq!(
        get("FILTER[EMAIL]=tobias.lang@corvane.example"),
        vec![TLANG_ID]
    );
    assert_eq!(
        get("FILTER[NAME]=Tob"),
        Vec::<i64>::new(),
        "exact, not contains"
    );
    // %NAME: contains.
    let expected: Vec<i64> = all
        .iter()
        .filter(|u| {
            u["NAME"]
                .as_str()
                .is_some_and(|n| n.to_ascii_lowercase().contains("an"))
        })
        .map(|u| u["ID"].as_str().and_then(|s| s.parse().ok()).unwrap_or(-1))
        .collect();
    assert!(expected.len() > 2, "the demo has names with \"an\"");
    assert_eq!(get(&format!("FILTER[{}]=an", enc("%NAME"))), expected);
    assert_eq!(
        get(&format!("FILTER[{}]=Lan", enc("%LAST_NAME"))),
        vec![TLANG_ID]
    );
    // UF_DEPARTMENT.
    let tlang = all
        .iter()
        .find(|u| u["ID"] == json!(TLANG_ID.to_string()))
        .expect("tlang listed");
    let dept = tlang["UF_DEPARTMENT"][0]
        .as_i64()
        .expect("tlang has a department");
    let in_dept: Vec<i64> = all
        .iter()
        .filter(|u| u["UF_DEPARTMENT"] == json!([dept]))
        .map(|u| u["ID"].as_str().and_then(|s| s.parse().ok()).unwrap_or(-1))
        .collect();
    assert!(in_dept.contains(&TLANG_ID));
    assert_eq!(get(&format!("FILTER[UF_DEPARTMENT]={dept}")), in_dept);
    assert_eq!(get(&format!("FILTER[UF_DEPARTMENT][]={dept}")), in_dept);
    // Combined: department and name.
    assert_eq!(
        get(&format!("FILTER[UF_DEPARTMENT]={dept}&FILTER[NAME]=Tobias")),
        vec![TLANG_ID]
    );
    // USER_TYPE employee.
    assert_eq!(get("FILTER[USER_TYPE]=employee").len(), 40);
    // select[] is accepted (and does not break the call).
    assert_eq!(
        get("FILTER[ID]=23&select[]=ID&select[]=NAME"),
        vec![TLANG_ID]
    );
}

#[test]
fn user_get_sort_and_order() {
    let (_c, _s, http, hr) = setup();
    let names = |r: &Resp, field: &str| -> Vec<String> {
        r.result()
            .as_array()
            .expect("list")
            .iter()
            .map(|u| u[field].as_str().unwrap_or_default().to_ascii_lowercase())
            .collect()
    };
    let r = http.get(&hr.at("user.get?sort=NAME&order=DESC"));
    let got = names(&r, "NAME");
    let mut want = got.clone();
    want.sort();
    want.reverse();
    assert_eq!(got, want, "NAME descending");
    assert_eq!(got.len(), 40);

    let r = http.post_json(&hr.at("user.get"), &json!({"order": {"LAST_NAME": "ASC"}}));
    let got = names(&r, "LAST_NAME");
    let mut want = got.clone();
    want.sort();
    assert_eq!(got, want, "LAST_NAME ascending");

    let r = http.post_json(&hr.at("user.get"), &json!({"ORDER": {"ID": "DESC"}}));
    let ids = user_ids(r.result());
    let mut want = ids.clone();
    want.sort();
    want.reverse();
    assert_eq!(ids, want, "ORDER uppercase, ID descending");

    let r = http.get(&hr.at("user.get?order[EMAIL]=desc"));
    let got = names(&r, "EMAIL");
    let mut want = got.clone();
    want.sort();
    want.reverse();
    assert_eq!(got, want, "order as a bracket object");

    let r = http.get(&hr.at("user.get?SORT=LAST_NAME&ORDER=asc"));
    let got = names(&r, "LAST_NAME");
    let mut want = got.clone();
    want.sort();
    assert_eq!(got, want, "SORT/ORDER uppercase keys");
}

#[test]
fn user_search_finds() {
    let (_c, _s, http, hr) = setup();
    let r = http.get(&hr.at("user.search?FILTER[FIND]=lang"));
    assert!(user_ids(r.result()).contains(&TLANG_ID), "{}", r.body);
    let r = http.post_json(
        &hr.at("user.search"),
        &json!({"FILTER": {"FIND": "Tobias Lang"}}),
    );
    assert_eq!(user_ids(r.result()), vec![TLANG_ID]);
    let r = http.post_json(
        &hr.at("user.search"),
        &json!({"filter": {"FIND": "laura.jensen"}}),
    );
    assert_eq!(user_ids(r.result()), vec![HR_ID]);
    let r = http.get(&hr.at("user.search?FILTER[FIND]=zzzznobody"));
    assert_eq!(r.result(), &json!([]));
    assert_eq!(r.body["total"], json!(0));
    // A system user is never found.
    let r = http.get(&hr.at(&format!("user.search?FILTER[FIND]={}", enc("system user"))));
    assert!(!user_ids(r.result()).contains(&SYSTEM_LBRANDT_ID));
}

// ---------------------------------------------------------------------------------------
// user.current, profile, department.get, scope, methods
// ---------------------------------------------------------------------------------------

#[test]
fn current_profile_departments_scope_methods() {
    let (company, _s, http, hr) = setup();
    let p = http.get(&hr.at("profile"));
    let p = p.result();
    assert_eq!(p["ID"], json!(HR_ID.to_string()));
    assert_eq!(p["ADMIN"], json!(false));
    assert_eq!(p["NAME"], json!("Laura"));
    assert_eq!(p["LAST_NAME"], json!("Jensen"));

    let a = company.webhook("admin", "Admin tools", "user");
    let r = http.get(&a.at("profile"));
    assert_eq!(r.result()["ADMIN"], json!(true));
    assert_eq!(r.result()["ID"], json!(ADMIN_ID.to_string()));
    let r = http.get(&a.at("user.current"));
    assert_eq!(r.result()["ID"], json!(ADMIN_ID.to_string()));

    let d = http.get(&hr.at("department.get"));
    let body = d.ok();
    let depts = body["result"].as_array().expect("departments").clone();
    assert!(depts.len() >= 6, "6+ departments: {body}");
    assert_eq!(body["total"], json!(depts.len()));
    assert!(body.get("next").is_none());
    for dep in &depts {
        assert!(
            dep["ID"].as_str().is_some_and(|s| s.parse::<i64>().is_ok()),
            "ID is a numeric string: {dep}"
        );
        assert!(dep["NAME"].is_string(), "{dep}");
    }
    let hr_dept = depts
        .iter()
        .find(|d| d["NAME"] == json!("Human Resources"))
        .expect("Human Resources exists");
    let id = hr_dept["ID"].as_str().expect("id").to_string();
    let r = http.get(&hr.at(&format!("department.get?ID={id}")));
    assert_eq!(r.result().as_array().map(Vec::len), Some(1));
    assert_eq!(r.result()[0]["NAME"], json!("Human Resources"));
    // user.current's department is that one.
    let me = http.get(&hr.at("user.current"));
    assert_eq!(
        me.result()["UF_DEPARTMENT"],
        json!([id.parse::<i64>().unwrap_or(-1)])
    );
    // A user-only webhook may not list departments.
    http.get(&a.at("department.get"))
        .err(401, "insufficient_scope");

    let s = http.get(&hr.at("scope"));
    let got: BTreeSet<&str> = s
        .result()
        .as_array()
        .expect("scope list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(got, BTreeSet::from(["user", "department", "task", "crm"]));

    let m = http.get(&hr.at("methods"));
    let got: BTreeSet<&str> = m
        .result()
        .as_array()
        .expect("methods list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for want in [
        "batch",
        "scope",
        "methods",
        "user.current",
        "user.get",
        "user.search",
        "user.update",
        "profile",
        "department.get",
        "tasks.task.list",
        "tasks.task.delegate",
        "crm.deal.list",
        "crm.lead.list",
        "crm.contact.list",
        "crm.company.list",
    ] {
        assert!(got.contains(want), "methods lists {want}: {got:?}");
    }
}

// ---------------------------------------------------------------------------------------
// user.update
// ---------------------------------------------------------------------------------------

#[test]
fn user_update_by_hr_changes_dismisses_and_rehires() {
    let (company, _s, http, hr) = setup();
    // A name change, visible through user.get.
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "NAME": "Janet", "WORK_POSITION": "Key Account Manager"}),
    )
    .ok();
    let r = http.get(&hr.at(&format!("user.get?FILTER[ID]={JDOE_ID}")));
    assert_eq!(r.result()[0]["NAME"], json!("Janet"));
    assert_eq!(r.result()[0]["WORK_POSITION"], json!("Key Account Manager"));
    assert_eq!(r.result()[0]["LAST_NAME"], json!("Doe"));
    // A bad email is 400.
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": JDOE_ID, "EMAIL": "not an email"}),
    )
    .err_status(400);
    // An unknown ID is 400, not 5xx.
    http.post_json(&hr.at("user.update"), &json!({"ID": 999999, "NAME": "X"}))
        .err_status(400);

    // ACTIVE=false on tlang, who owns active integrations: the choice is required.
    let d = http
        .post_json(
            &hr.at("user.update"),
            &json!({"ID": TLANG_ID, "ACTIVE": false}),
        )
        .err_status(400);
    assert!(
        d.contains("#2 Jira task sync [user,task]")
            && d.contains("pass INTEGRATIONS=keep or INTEGRATIONS=disable"),
        "the description names the integrations and the REST parameter: {d}"
    );
    assert!(
        !d.contains("--integrations"),
        "not the command line's flag: {d}"
    );
    let r = http.get(&hr.at("user.get"));
    assert_eq!(r.ok()["total"], json!(40), "nothing happened");

    // With INTEGRATIONS=keep (as a form body): dismissed, integrations to system.tlang.
    http.post_form(
        &hr.at("user.update"),
        "ID=23&ACTIVE=false&INTEGRATIONS=keep",
    )
    .ok();
    let r = http.get(&hr.at("user.get"));
    assert_eq!(r.ok()["total"], json!(39));
    assert!(!user_ids(&r.body["result"]).contains(&TLANG_ID));
    let integrations = company.integrations();
    let moved: Vec<&Value> = integrations
        .iter()
        .filter(|i| i["transferred_from"] == json!("tlang"))
        .collect();
    assert_eq!(
        moved.len(),
        2,
        "tlang's two integrations moved: {integrations:?}"
    );
    for i in &moved {
        assert_eq!(i["owner"], json!("system.tlang"), "{i}");
        assert_eq!(i["owner_kind"], json!("system"), "{i}");
        assert_eq!(i["status"], json!("active"), "{i}");
    }
    let tlang = company.json(&["show", "tlang", "--json", "--as", "admin"]);
    assert_eq!(tlang["status"], json!("dismissed"));

    // ACTIVE=true rehires.
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": TLANG_ID, "ACTIVE": "Y"}),
    )
    .ok();
    let r = http.get(&hr.at("user.get"));
    assert_eq!(r.ok()["total"], json!(40));
    assert!(user_ids(&r.body["result"]).contains(&TLANG_ID));
    let tlang = company.json(&["show", "tlang", "--json", "--as", "admin"]);
    assert_eq!(tlang["status"], json!("active"));

    // The audit names the integration that made each change.
    let audit = company.audit();
    let by_hook = |action: &str, target: &str| {
        audit.iter().find(|e| {
            e["action"] == json!(action)
                && e["target"] == json!(target)
                && e["via_integration"] == json!(hr.id)
        })
    };
    for (action, target) in [("update", "jdoe"), ("dismiss", "tlang"), ("hire", "tlang")] {
        let e = by_hook(action, target).unwrap_or_else(|| {
            panic!(
                "audit has {action} of {target} via integration {}: {audit:#?}",
                hr.id
            )
        });
        assert_eq!(e["actor"], json!("hr"), "{e}");
    }
}

// ---------------------------------------------------------------------------------------
// Tasks and CRM
// ---------------------------------------------------------------------------------------

#[track_caller]
fn tasks_of(r: &Resp) -> Vec<Value> {
    let result = r.result();
    assert!(
        result.is_object(),
        "tasks.task.list answers {{\"result\": {{\"tasks\": [...]}}}}: {result}"
    );
    result["tasks"]
        .as_array()
        .unwrap_or_else(|| panic!("result.tasks is a list: {result}"))
        .clone()
}

#[test]
fn tasks_list_shape_and_filter() {
    let (_c, _s, http, hr) = setup();
    let r = http.get(&hr.at("tasks.task.list"));
    let all = tasks_of(&r);
    let total = r.body["total"].as_i64().expect("total");
    assert!(total > 50, "the demo has 100+ tasks: {total}");
    assert_eq!(all.len(), 50, "a page is 50 rows");
    assert_eq!(r.body["next"], json!(50));
    for t in &all {
        for k in ["id", "title", "responsibleId", "createdBy", "status"] {
            assert!(t[k].is_string(), "{k} is a string in {t}");
        }
    }
    let r = http.get(&hr.at(&format!(
        "tasks.task.list?filter[RESPONSIBLE_ID]={TLANG_ID}"
    )));
    let mine = tasks_of(&r);
    assert!(!mine.is_empty(), "tlang is responsible for tasks");
    assert_eq!(r.body["total"], json!(mine.len()));
    for t in &mine {
        assert_eq!(t["responsibleId"], json!(TLANG_ID.to_string()), "{t}");
    }
    // FILTER in capitals, JSON body, and a list of ids.
    let r = http.post_json(
        &hr.at("tasks.task.list"),
        &json!({"FILTER": {"RESPONSIBLE_ID": [TLANG_ID, JDOE_ID]}}),
    );
    let both = tasks_of(&r);
    assert!(both.len() >= mine.len());
    for t in &both {
        let who = t["responsibleId"].as_str().unwrap_or_default();
        assert!(who == "23" || who == "5", "{t}");
    }
    let r = http.get(&hr.at(&format!("tasks.task.list?filter[CREATED_BY]={TLANG_ID}")));
    for t in tasks_of(&r) {
        assert_eq!(t["createdBy"], json!(TLANG_ID.to_string()), "{t}");
    }
    let r = http.get(&hr.at("tasks.task.list?start=50"));
    assert_eq!(tasks_of(&r).len(), (total - 50).min(50) as usize);
}

#[test]
fn tasks_delegate_moves_and_checks_rights() {
    let (company, _s, http, hr) = setup();
    let j = company.webhook("jdoe", "Jane's tasks", "task");
    // A task of tlang that jdoe neither leads nor created.
    let r = http.get(&hr.at(&format!(
        "tasks.task.list?filter[RESPONSIBLE_ID]={TLANG_ID}"
    )));
    let tasks = tasks_of(&r);
    let foreign = tasks
        .iter()
        .find(|t| t["createdBy"] != json!(JDOE_ID.to_string()))
        .expect("a task of tlang not created by jdoe");
    let task_id: i64 = foreign["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("id");

    // jdoe may not move it.
    http.post_json(
        &j.at("tasks.task.delegate"),
        &json!({"taskId": task_id, "userId": JDOE_ID}),
    )
    .err(403, "ACCESS_DENIED");
    // Not to a dismissed employee.
    http.post_json(
        &hr.at("tasks.task.delegate"),
        &json!({"taskId": task_id, "userId": LBRANDT_ID}),
    )
    .err_status(400);
    http.post_json(
        &hr.at("tasks.task.delegate"),
        &json!({"taskId": task_id, "userId": YDEMIR_ID}),
    )
    .err_status(400);
    // Unknown task, missing parameters: 400.
    http.post_json(
        &hr.at("tasks.task.delegate"),
        &json!({"taskId": 999999, "userId": JDOE_ID}),
    )
    .err_status(400);
    http.post_json(&hr.at("tasks.task.delegate"), &json!({"taskId": task_id}))
        .err_status(400);
    // Still tlang's.
    let r = http.get(&hr.at(&format!(
        "tasks.task.list?filter[RESPONSIBLE_ID]={TLANG_ID}"
    )));
    assert!(tasks_of(&r).iter().any(|t| t["id"] == foreign["id"]));

    // hr moves it to jdoe (form body this time).
    let history_of_tlang =
        || company.json(&["--as", "hr", "show", "tlang", "--json"])["history"]["tasks"].clone();
    let tlang_before = history_of_tlang();
    http.post_form(
        &hr.at("tasks.task.delegate"),
        &format!("taskId={task_id}&userId={JDOE_ID}"),
    )
    .ok();
    assert_eq!(
        history_of_tlang(),
        tlang_before,
        "a delegated task stays among the tasks tlang took part in"
    );
    let r = http.get(&hr.at(&format!("tasks.task.list?filter[RESPONSIBLE_ID]={JDOE_ID}")));
    assert!(
        tasks_of(&r).iter().any(|t| t["id"] == foreign["id"]),
        "the task is now jdoe's"
    );
    let r = http.get(&hr.at(&format!(
        "tasks.task.list?filter[RESPONSIBLE_ID]={TLANG_ID}"
    )));
    assert!(!tasks_of(&r).iter().any(|t| t["id"] == foreign["id"]));

    // Now it is jdoe's, jdoe may hand it on.
    http.post_json(
        &j.at("tasks.task.delegate"),
        &json!({"taskId": task_id.to_string(), "userId": TLANG_ID.to_string()}),
    )
    .ok();
    let r = http.get(&hr.at(&format!(
        "tasks.task.list?filter[RESPONSIBLE_ID]={TLANG_ID}"
    )));
    assert!(tasks_of(&r).iter().any(|t| t["id"] == foreign["id"]));
    let audit = company.audit();
    assert!(
        audit
            .iter()
            .any(|e| e["action"] == json!("task.delegate") && e["via_integration"] == json!(j.id)),
        "the delegation by jdoe's webhook is audited: {audit:#?}"
    );
}

/// A system user is no target for new work (SPEC §2), like a dismissed employee: a bad
/// parameter (400), not a refusal of the caller's rights (403 is for "the owner's rights
/// refuse the change", and hr may delegate any task).
#[test]
fn tasks_delegate_to_a_system_user_is_400() {
    let (_c, _s, http, hr) = setup();
    let r = http.get(&hr.at(&format!(
        "tasks.task.list?filter[RESPONSIBLE_ID]={TLANG_ID}"
    )));
    let task = tasks_of(&r).first().cloned().expect("a task of tlang");
    http.post_json(
        &hr.at("tasks.task.delegate"),
        &json!({"taskId": task["id"], "userId": SYSTEM_LBRANDT_ID}),
    )
    .err_status(400);
    let r = http.get(&hr.at(&format!(
        "tasks.task.list?filter[RESPONSIBLE_ID]={TLANG_ID}"
    )));
    assert!(
        tasks_of(&r).iter().any(|t| t["id"] == task["id"]),
        "unchanged"
    );
}

#[test]
fn crm_lists_with_assigned_filter() {
    let (_c, _s, http, hr) = setup();
    let mut seen_any = false;
    for kind in ["deal", "lead", "contact", "company"] {
        let m = format!("crm.{kind}.list");
        let r = http.get(&hr.at(&m));
        let body = r.ok();
        let items = body["result"]
            .as_array()
            .unwrap_or_else(|| panic!("{m}: a list: {body}"))
            .clone();
        let total = body["total"]
            .as_i64()
            .unwrap_or_else(|| panic!("{m}: total"));
        assert_eq!(items.len() as i64, total.min(50), "{m}");
        for it in &items {
            for k in ["ID", "TITLE", "ASSIGNED_BY_ID", "STAGE_ID"] {
                assert!(it.get(k).is_some(), "{m}: {k} in {it}");
            }
            assert!(
                it["ID"].is_string() && it["ASSIGNED_BY_ID"].is_string(),
                "{it}"
            );
        }
        let Some(first) = items.first() else { continue };
        seen_any = true;
        let who = first["ASSIGNED_BY_ID"]
            .as_str()
            .expect("assigned")
            .to_string();
        let r = http.get(&hr.at(&format!("{m}?filter[ASSIGNED_BY_ID]={who}")));
        let mine = r.result().as_array().expect("list").clone();
        assert!(!mine.is_empty(), "{m}: filtered by {who}");
        assert_eq!(r.body["total"], json!(mine.len()));
        for it in &mine {
            assert_eq!(it["ASSIGNED_BY_ID"], json!(who), "{m}: {it}");
        }
        let r = http.post_json(
            &hr.at(&m),
            &json!({"FILTER": {"ASSIGNED_BY_ID": who.parse::<i64>().unwrap_or(-1)}}),
        );
        assert_eq!(r.result().as_array().map(Vec::len), Some(mine.len()), "{m}");
        // Nobody with id 999999 owns anything.
        let r = http.get(&hr.at(&format!("{m}?filter[ASSIGNED_BY_ID]=999999")));
        assert_eq!(r.result(), &json!([]));
        assert_eq!(r.body["total"], json!(0));
    }
    assert!(seen_any, "the demo has CRM items");
}

// ---------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------

#[test]
fn json_form_and_multipart_bodies() {
    let (_c, _s, http, hr) = setup();
    let url = hr.at("user.get");
    // JSON.
    let r = http.post_json(&url, &json!({"FILTER": {"ID": [1, 2]}, "select": ["ID"]}));
    assert_eq!(user_ids(r.result()), vec![1, 2]);
    // Form with raw PHP brackets.
    let r = http.post_form(
        &url,
        "FILTER[ID][]=1&FILTER[ID][]=2&select[]=ID&select[]=NAME",
    );
    assert_eq!(user_ids(r.result()), vec![1, 2]);
    // Form with the brackets percent-encoded, as PHP's http_build_query sends them.
    let r = http.post_form(
        &url,
        "FILTER%5BID%5D%5B0%5D=1&FILTER%5BID%5D%5B1%5D=35&select%5B%5D=ID",
    );
    assert_eq!(user_ids(r.result()), vec![1, 35]);
    // Form with nested values and booleans.
    let r = http.post_form(&url, "filter[ACTIVE]=Y&filter[NAME]=Tobias");
    assert_eq!(user_ids(r.result()), vec![TLANG_ID]);
    // Multipart.
    let r = http.post_multipart(
        &url,
        &[
            ("FILTER[ID][]", "1"),
            ("FILTER[ID][]", "2"),
            ("select[]", "ID"),
        ],
    );
    assert_eq!(user_ids(r.result()), vec![1, 2]);
    let r = http.post_multipart(
        &url,
        &[("FILTER[NAME]", "Tobias"), ("FILTER[ACTIVE]", "true")],
    );
    assert_eq!(user_ids(r.result()), vec![TLANG_ID]);
    // Query and body merged.
    let r = http.post_json(&hr.at("user.get?FILTER[ID]=23"), &json!({"start": 0}));
    assert_eq!(user_ids(r.result()), vec![TLANG_ID]);
    let r = http.post_form(&hr.at("user.get?start=0"), "FILTER[ID]=35");
    assert_eq!(user_ids(r.result()), vec![HR_ID]);
    // An empty body with a JSON content type is no parameters.
    let r = http.post_raw(&hr.at("user.current"), "application/json", Vec::new());
    assert_eq!(r.result()["ID"], json!(HR_ID.to_string()));
    // user.update through multipart.
    http.post_multipart(&hr.at("user.update"), &[("ID", "5"), ("NAME", "Janet")])
        .ok();
    let r = http.get(&hr.at("user.get?ID=5"));
    assert_eq!(r.result()[0]["NAME"], json!("Janet"));
}

// ---------------------------------------------------------------------------------------
// batch
// ---------------------------------------------------------------------------------------

#[test]
fn batch_answers_every_section() {
    let (_c, _s, http, hr) = setup();
    let r = http.post_json(
        &hr.at("batch"),
        &json!({"halt": 0, "cmd": {"a": "user.current", "b": "user.get?FILTER[ID]=1"}}),
    );
    let body = r.ok();
    assert_time(&body["time"], "batch");
    let res = &body["result"];
    assert_eq!(res["result"]["a"]["ID"], json!(HR_ID.to_string()), "{res}");
    assert_eq!(user_ids(&res["result"]["b"]), vec![1], "{res}");
    assert_eq!(
        res["result_error"],
        json!([]),
        "empty sections are []: {res}"
    );
    assert_eq!(res["result_next"], json!([]), "{res}");
    assert_eq!(res["result_total"], json!({"b": 1}), "{res}");
    for k in ["a", "b"] {
        assert_time(&res["result_time"][k], &format!("result_time.{k}"));
    }
    // The same batch as a form, with the command's own query encoded.
    let form = format!(
        "halt=0&cmd[a]=user.current&cmd[b]={}",
        enc("user.get?FILTER[ID][]=1&FILTER[ID][]=2")
    );
    let r = http.post_form(&hr.at("batch"), &form);
    let res = r.result();
    assert_eq!(res["result"]["a"]["ID"], json!(HR_ID.to_string()));
    assert_eq!(user_ids(&res["result"]["b"]), vec![1, 2]);
    assert_eq!(res["result_total"]["b"], json!(2));
    // And as a GET query, method name in any case.
    let q = format!("BATCH.json?halt=0&cmd[x]={}", enc("USER.Current"));
    let r = http.get(&hr.at(&q));
    assert_eq!(r.result()["result"]["x"]["ID"], json!(HR_ID.to_string()));
}

#[test]
fn batch_halt_zero_continues_halt_one_stops() {
    let (_c, _s, http, hr) = setup();
    let cmd = json!({"a": "user.current", "b": "no.such.method", "c": "user.get?FILTER[ID]=2"});
    let r = http.post_json(&hr.at("batch"), &json!({"halt": 0, "cmd": cmd}));
    let res = r.result();
    assert_eq!(res["result"]["a"]["ID"], json!(HR_ID.to_string()), "{res}");
    assert_eq!(user_ids(&res["result"]["c"]), vec![2], "{res}");
    assert_eq!(
        res["result_error"]["b"]["error"],
        json!("ERROR_METHOD_NOT_FOUND"),
        "{res}"
    );
    assert!(res["result_error"]["b"]["error_description"].is_string());
    assert!(res["result"].get("b").is_none());

    let r = http.post_json(&hr.at("batch"), &json!({"halt": 1, "cmd": cmd}));
    let res = r.result();
    assert_eq!(res["result"]["a"]["ID"], json!(HR_ID.to_string()), "{res}");
    assert_eq!(
        res["result_error"]["b"]["error"],
        json!("ERROR_METHOD_NOT_FOUND"),
        "{res}"
    );
    assert!(
        res["result"].get("c").is_none() && res["result_error"].get("c").is_none(),
        "halt 1 stops at the first error: {res}"
    );
    // A parameter error halts too.
    let r = http.post_form(
        &hr.at("batch"),
        "halt=1&cmd[a]=user.current&cmd[b]=user.get%3Fstart%3D-9&cmd[c]=user.current",
    );
    let res = r.result();
    assert!(res["result_error"]["b"]["error"].is_string(), "{res}");
    assert!(res["result"].get("c").is_none(), "{res}");
}

#[test]
fn batch_runs_commands_in_the_order_sent() {
    let (_c, _s, http, hr) = setup();
    // The keys are deliberately not in alphabetical order: "z" comes first.
    let body =
        r#"{"halt": 1, "cmd": {"z": "user.current", "m": "no.such.method", "a": "user.current"}}"#;
    let r = http.post_raw(
        &hr.at("batch"),
        "application/json",
        body.as_bytes().to_vec(),
    );
    let res = r.result();
    assert_eq!(
        res["result"]["z"]["ID"],
        json!(HR_ID.to_string()),
        "the first command sent runs before the failing one: {res}"
    );
    assert!(res["result_error"]["m"].is_object(), "{res}");
    assert!(
        res["result"].get("a").is_none(),
        "the command after the failing one does not run with halt 1: {res}"
    );
    // The same as a form.
    let r = http.post_form(
        &hr.at("batch"),
        "halt=1&cmd[z]=user.current&cmd[m]=no.such.method&cmd[a]=user.current",
    );
    let res = r.result();
    assert!(res["result"]["z"].is_object(), "{res}");
    assert!(res["result"].get("a").is_none(), "{res}");
}

// ---------------------------------------------------------------------------------------
// The two dismissal choices, end to end
// ---------------------------------------------------------------------------------------

#[test]
fn kept_webhook_keeps_answering_as_the_system_user() {
    let (company, _s, http, _hr) = setup();
    let t = company.webhook("tlang", "Tobias's own sync", "user,task,crm");
    let before = http.get(&t.at("user.current"));
    assert_eq!(before.result()["ID"], json!(TLANG_ID.to_string()));

    let out = company.ok(&["dismiss", "tlang", "--integrations", "keep", "--as", "hr"]);
    assert!(out.contains("system"), "{out}");

    // The SAME URL still answers, now as the system user.
    let r = http.get(&t.at("user.current"));
    let me = r.result();
    let id: i64 = me["ID"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("ID is a numeric string: {me}"));
    assert_ne!(id, TLANG_ID, "acts as the system user, not tlang: {me}");
    let full = format!(
        "{} {}",
        me["NAME"].as_str().unwrap_or(""),
        me["LAST_NAME"].as_str().unwrap_or("")
    );
    assert!(
        full.to_ascii_lowercase().contains("system user"),
        "NAME/LAST_NAME mention the system user: {me}"
    );
    assert!(full.contains("Lang"), "named after tlang: {me}");
    let p = http.get(&t.at("profile"));
    assert_eq!(p.result()["ID"], json!(id.to_string()));
    // Within its scopes it keeps working: users, tasks, CRM.
    let r = http.get(&t.at("user.get"));
    assert_eq!(r.ok()["total"], json!(39));
    let ids = user_ids(&r.body["result"]);
    assert!(!ids.contains(&id), "the system user is never listed");
    assert!(!ids.contains(&TLANG_ID), "tlang is dismissed");
    http.get(&t.at("tasks.task.list")).ok();
    http.get(&t.at("crm.deal.list")).ok();
    http.get(&t.at("department.get"))
        .err(401, "insufficient_scope");
    assert_eq!(
        http.get(&t.at("scope")).result().as_array().map(Vec::len),
        Some(3)
    );
    // The old integrations of tlang too are held by the system user.
    let integrations = company.integrations();
    let mine = integrations
        .iter()
        .find(|i| i["id"] == json!(t.id))
        .expect("the webhook is listed");
    assert_eq!(mine["owner"], json!("system.tlang"));
    assert_eq!(mine["transferred_from"], json!("tlang"));
    assert_eq!(mine["status"], json!("active"));
    // It has tlang's rights (none over others), no more.
    http.post_json(&t.at("user.update"), &json!({"ID": JDOE_ID, "NAME": "X"}))
        .err(403, "ACCESS_DENIED");
}

#[test]
fn disabled_webhook_is_refused_at_once() {
    let (company, _s, http, hr) = setup();
    let t = company.webhook("tlang", "Tobias's own sync", "user,task");
    http.get(&t.at("user.current")).ok();
    company.ok(&[
        "dismiss",
        "tlang",
        "--integrations",
        "disable",
        "--as",
        "hr",
    ]);
    http.get(&t.at("user.current"))
        .err(401, "INVALID_CREDENTIALS");
    http.post_json(&t.at("tasks.task.list"), &json!({}))
        .err(401, "INVALID_CREDENTIALS");
    http.post_json(&t.at("batch"), &json!({"cmd": {"a": "user.current"}}))
        .err(401, "INVALID_CREDENTIALS");
    let integrations = company.integrations();
    let mine = integrations
        .iter()
        .find(|i| i["id"] == json!(t.id))
        .expect("listed");
    assert_eq!(mine["status"], json!("disabled"));
    // Other webhooks are unaffected.
    http.get(&hr.at("user.current")).ok();
    // Rehired, the webhook stays disabled until enabled.
    company.ok(&["hire", "tlang", "--as", "hr"]);
    http.get(&t.at("user.current"))
        .err(401, "INVALID_CREDENTIALS");
    company.ok(&["--as", "tlang", "webhook", "enable", &t.id.to_string()]);
    assert_eq!(
        http.get(&t.at("user.current")).result()["ID"],
        json!(TLANG_ID.to_string())
    );
}

#[test]
fn dismissal_through_the_endpoint_with_disable() {
    let (company, _s, http, hr) = setup();
    let t = company.webhook("tlang", "Tobias's own sync", "user");
    http.get(&t.at("user.current")).ok();
    http.post_json(
        &hr.at("user.update"),
        &json!({"ID": TLANG_ID, "ACTIVE": "false", "INTEGRATIONS": "disable"}),
    )
    .ok();
    http.get(&t.at("user.current"))
        .err(401, "INVALID_CREDENTIALS");
    let integrations = company.integrations();
    for i in integrations.iter().filter(|i| i["owner"] == json!("tlang")) {
        assert_eq!(i["status"], json!("disabled"), "{i}");
    }
}

#[test]
fn edited_system_webhook_answers_only_at_its_new_url() {
    let (company, _s, http, _hr) = setup();
    let t = company.webhook("tlang", "Tobias's own sync", "user,task");
    company.ok(&["dismiss", "tlang", "--integrations", "keep", "--as", "hr"]);
    http.get(&t.at("user.current")).ok();

    let out = company.ok(&[
        "webhook",
        "edit",
        &t.id.to_string(),
        "--title",
        "Sync, now HR's",
        "--as",
        "hr",
    ]);
    let new_url = last_line(&out);
    assert!(
        new_url.contains("/rest/") && new_url != t.url,
        "the edit prints a new URL as its last line:\n{out}"
    );
    let new = Hook {
        id: t.id,
        url: new_url,
    };
    // The old URL stops at once.
    http.get(&t.at("user.current"))
        .err(401, "INVALID_CREDENTIALS");
    // The new one answers as hr.
    let r = http.get(&new.at("user.current"));
    assert_eq!(r.result()["ID"], json!(HR_ID.to_string()));
    assert_eq!(new.parts().0, HR_ID.to_string());
    let scope = http.get(&new.at("scope"));
    let got: BTreeSet<&str> = scope
        .result()
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(got, BTreeSet::from(["user", "task"]));
    let integrations = company.integrations();
    let i = integrations
        .iter()
        .find(|i| i["id"] == json!(t.id))
        .expect("listed");
    assert_eq!(i["owner"], json!("hr"));
    assert_eq!(i["title"], json!("Sync, now HR's"));
}

// ---------------------------------------------------------------------------------------
// Serving: settings, concurrency, logging, TLS and shutdown
// ---------------------------------------------------------------------------------------

#[test]
fn show_dismissed_on_lists_dismissed_but_never_system_users() {
    let (company, _s, http, hr) = setup();
    company.ok(&["settings", "show-dismissed", "on", "--as", "admin"]);
    let r = http.get(&hr.at("user.get"));
    assert_eq!(r.ok()["total"], json!(42), "{}", r.body["total"]);
    let ids = user_ids(&r.body["result"]);
    assert!(ids.contains(&LBRANDT_ID) && ids.contains(&YDEMIR_ID));
    assert!(!ids.contains(&SYSTEM_LBRANDT_ID), "never the system user");
    let r = http.get(&hr.at("user.get?FILTER[ACTIVE]=N"));
    assert_eq!(user_ids(r.result()), vec![LBRANDT_ID, YDEMIR_ID]);
    for u in r.result().as_array().expect("list") {
        assert_eq!(u["ACTIVE"], json!(false), "{u}");
    }
    let r = http.post_json(&hr.at("user.get"), &json!({"FILTER": {"ACTIVE": false}}));
    assert_eq!(r.ok()["total"], json!(2));
    company.ok(&["settings", "show-dismissed", "off", "--as", "admin"]);
    let r = http.get(&hr.at("user.get"));
    assert_eq!(r.ok()["total"], json!(40));
}

#[test]
fn concurrent_clients_are_all_answered() {
    let (_c, _s, http, hr) = setup();
    let http = std::sync::Arc::new(http);
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let http = http.clone();
            let hr = hr.clone();
            std::thread::spawn(move || {
                for n in 0..25 {
                    if (i + n) % 2 == 0 {
                        let r = http.get(&hr.at("user.current"));
                        assert_eq!(r.result()["ID"], json!(HR_ID.to_string()));
                    } else {
                        let r = http.get(&hr.at("user.get?start=10"));
                        assert_eq!(r.ok()["total"], json!(40));
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a client thread panicked");
    }
}

#[test]
fn requests_are_logged_without_the_secret() {
    let (company, _s, http, hr) = setup();
    let (_, code) = hr.parts();
    http.get(&hr.at("user.current")).ok();
    http.get(&hr.at("no.such.method"))
        .err(404, "ERROR_METHOD_NOT_FOUND");
    let log_path = binary::log_file(company.dir());
    let deadline = Instant::now() + Duration::from_secs(5);
    let log = loop {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        if log.contains("status=404") || Instant::now() > deadline {
            break log;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        log.contains(&format!("integration={}", hr.id)) && log.contains("status=200"),
        "each request is logged with the integration and status:\n{log}"
    );
    assert!(log.contains("status=404"), "{log}");
    // One line per request, with the method, the integration, the status and how long
    // it took in milliseconds.
    let line = log
        .lines()
        .find(|l| l.contains("rest call") && l.contains("method=user.current"))
        .unwrap_or_else(|| panic!("a line for user.current:\n{log}"));
    assert!(line.contains("http=GET"), "{line}");
    assert!(line.contains(&format!("integration={}", hr.id)), "{line}");
    let ms: f64 = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("ms="))
        .unwrap_or_else(|| panic!("a duration on the line: {line}"))
        .parse()
        .unwrap_or_else(|e| panic!("the duration is a number of milliseconds ({e}): {line}"));
    assert!(
        ms > 0.0 && ms < 5_000.0,
        "a plausible duration, {ms} ms: {line}"
    );
    assert!(!log.contains(&code), "the secret is never logged:\n{log}");
}

#[test]
fn tls_serves_https_with_the_given_certificate() {
    let mut company = Company::demo();
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("a self-signed certificate");
    let cert_pem = cert.cert.pem();
    let key_pem = cert.signing_key.serialize_pem();
    let cert_path = company.dir().join("cert.pem");
    let key_path = company.dir().join("key.pem");
    std::fs::write(&cert_path, &cert_pem).expect("write cert");
    std::fs::write(&key_path, &key_pem).expect("write key");

    let server = Server::start(
        &company,
        &[
            "--tls-cert",
            cert_path.to_str().expect("utf-8"),
            "--tls-key",
            key_path.to_str().expect("utf-8"),
        ],
    );
    assert!(
        server.first_line.starts_with("Listening on https://"),
        "the first line says https: {}",
        server.first_line
    );
    company.base = Some(server.base.clone());
    let hook = company.webhook("hr", "Over TLS", "user");
    assert!(hook.url.starts_with("https://127.0.0.1:"), "{}", hook.url);

    let root = reqwest::Certificate::from_pem(cert_pem.as_bytes()).expect("a PEM certificate");
    let https = Http::with(
        reqwest::blocking::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(root),
    );
    let r = https.get(&hook.at("user.current"));
    assert_eq!(r.result()["ID"], json!(HR_ID.to_string()));
    let r = https.post_json(&hook.at("user.get"), &json!({"FILTER": {"ID": 23}}));
    assert_eq!(user_ids(r.result()), vec![TLANG_ID]);
    // A client that does not trust the certificate is refused by TLS.
    let untrusting = reqwest::blocking::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    assert!(untrusting.get(hook.at("user.current")).send().is_err());
}

#[test]
fn sigterm_shuts_down_cleanly() {
    let (_company, mut server, http, hr) = setup();
    http.get(&hr.at("user.current")).ok();
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(server.pid().to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -TERM worked");
    let deadline = Instant::now() + Duration::from_secs(8);
    let exit = loop {
        if let Some(s) = server.child.try_wait().expect("try_wait") {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "offboard serve did not exit within 8 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status 0 after SIGTERM, got {exit:?}");
}

/// A client that never finishes its headers is cut off (HEADER_TIMEOUT, 10 s), and the
/// server keeps answering others meanwhile.
#[test]
fn a_slow_client_times_out_without_holding_up_others() {
    use std::io::{Read, Write};
    let mut company = Company::demo();
    let server = company.serve();
    let hook = company.webhook("jdoe", "slow", "user");
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut slow = std::net::TcpStream::connect(&addr).expect("connect");
    slow.write_all(b"GET /rest/1/x/user.current HTTP/1.1\r\nHost: a\r\n")
        .expect("half a request");
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // Others are served while the slow one dawdles.
    let answer = reqwest::blocking::get(hook.at("user.current")).expect("get");
    assert_eq!(answer.status().as_u16(), 200);
    let started = Instant::now();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(25),
        "the half-sent request was closed after {waited:?}"
    );
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.contains("200 OK"), "{text}");
}
