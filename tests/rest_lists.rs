//! The list methods of the webhook REST endpoint (issue 13, points 2 and 3) over real
//! HTTP: the portal's filter operators, `start=-1` with a `>ID` keyset walk (alone and
//! inside a batch, as b24pysdk's `as_list_fast()` sends it), deep `start=N` pages, and
//! filter keys or operators offboard does not support, refused with 400 naming them.

mod binary;
mod rest_support;

use std::collections::BTreeSet;

use rest_support::*;
use serde_json::{Value, json};

/// The demo company with `extra` more active employees, its server and hr's webhook.
fn company_with(extra: usize) -> (Company, Server, Http, Hook) {
    let mut company = Company::demo();
    if extra > 0 {
        let mut csv =
            String::from("login,first_name,last_name,email,position,department,hired_on\n");
        for i in 0..extra {
            csv.push_str(&format!(
                "more{i:04},Morgan,Extra{i:04},more{i:04}@example.com,Clerk,Sales,2024-02-03\n"
            ));
        }
        let path = company.dir().join("more.csv");
        std::fs::write(&path, csv).expect("write csv");
        company.ok(&["--as", "admin", "import", path.to_str().expect("utf-8")]);
    }
    let server = company.serve();
    let hr = company.webhook("hr", "HR tools", "user,department,task,crm");
    (company, server, Http::new(), hr)
}

/// Every user through `start=0, 50, 100 …` (the counted pages), and the total.
fn offset_walk(http: &Http, hr: &Hook, query: &str) -> (Vec<i64>, i64) {
    let mut ids = Vec::new();
    let mut start = 0;
    let mut total = -1;
    for _ in 0..100 {
        let r = http.get(&hr.at(&format!("user.get?start={start}{query}")));
        let body = r.ok();
        total = body["total"].as_i64().expect("a counted page has a total");
        ids.extend(user_ids(&body["result"]));
        match body["next"].as_i64() {
            Some(n) => start = n,
            None => break,
        }
    }
    (ids, total)
}

#[test]
fn gt_id_with_start_minus_one_pages_through_everyone_exactly_once() {
    let (_c, _s, http, hr) = company_with(260);
    let (expected, total) = offset_walk(&http, &hr, "");
    assert_eq!(total, 300, "40 active in the demo and 260 more");
    assert_eq!(expected.len(), 300);

    let mut seen: Vec<i64> = Vec::new();
    let mut last = 0;
    // The documented walk: order by ID, `>ID` the last one seen, no count; it ends at
    // the first page of fewer than 50. Without the `>ID` filter it would never end.
    for _ in 0..20 {
        let r = http.get(&hr.at(&format!(
            "user.get?order[ID]=ASC&start=-1&{}={last}",
            enc("filter[>ID]")
        )));
        let body = r.ok();
        assert!(
            body.get("total").is_none(),
            "start=-1 counts nothing: {body}"
        );
        assert!(body.get("next").is_none(), "start=-1 has no next: {body}");
        let page = user_ids(&body["result"]);
        assert!(page.len() <= 50);
        assert!(page.iter().all(|id| *id > last), "every ID above {last}");
        seen.extend(&page);
        if page.len() < 50 {
            break;
        }
        last = *page.last().expect("a full page");
    }
    assert_eq!(seen, expected, "every user once, in ID order");

    // The same, descending, with `<ID`.
    let mut down: Vec<i64> = Vec::new();
    let mut below = i64::MAX;
    for _ in 0..20 {
        let r = http.post_json(
            &hr.at("user.get"),
            &json!({"order": {"ID": "DESC"}, "filter": {"<ID": below}, "start": -1}),
        );
        let page = user_ids(r.result());
        down.extend(&page);
        if page.len() < 50 {
            break;
        }
        below = *page.last().expect("a full page");
    }
    let mut reversed = expected.clone();
    reversed.reverse();
    assert_eq!(down, reversed);
}

#[test]
fn batch_references_page_by_last_id_as_as_list_fast_does() {
    let (_c, _s, http, hr) = company_with(110);
    let (expected, _) = offset_walk(&http, &hr, "");
    assert_eq!(expected.len(), 150);

    // b24pysdk's as_list_fast(): 50 commands per batch, halt on, each continuing
    // from the 50th row of the one before.
    let mut seen: Vec<i64> = Vec::new();
    let mut last: Option<i64> = None;
    'walk: for _ in 0..5 {
        let mut cmd = serde_json::Map::new();
        for i in 0..50 {
            let bound = match (i, last) {
                (0, None) => None,
                (0, Some(id)) => Some(id.to_string()),
                _ => Some(format!("$result[req_{}][49][ID]", i - 1)),
            };
            let mut q = String::from("order[ID]=ASC&start=-1");
            if let Some(b) = bound {
                q.push_str(&format!("&{}={}", enc("filter[>ID]"), enc(&b)));
            }
            cmd.insert(format!("req_{i}"), json!(format!("user.get?{q}")));
        }
        let r = http.post_json(&hr.at("batch"), &json!({"halt": 1, "cmd": cmd}));
        let res = r.result();
        assert_eq!(res["result_error"], json!([]), "no command fails: {res}");
        for i in 0..50 {
            let page = user_ids(&res["result"][format!("req_{i}")]);
            seen.extend(&page);
            if page.len() < 50 {
                break 'walk;
            }
            last = page.last().copied();
        }
    }
    assert_eq!(seen, expected, "every user once, in ID order");
}

#[test]
fn deep_pages_match_the_list_and_follow_changes() {
    let (company, _s, http, hr) = company_with(700);
    let (ascending, total) = offset_walk(&http, &hr, "");
    assert_eq!(total, 740);
    let unique: BTreeSet<i64> = ascending.iter().copied().collect();
    assert_eq!(unique.len(), 740, "no row twice");
    let mut sorted = ascending.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ascending, "ID order");

    // Pages at any start, not only multiples of 50, either way.
    for start in [0, 1, 255, 256, 257, 511, 600, 739, 740] {
        let r = http.get(&hr.at(&format!("user.get?start={start}")));
        let want: Vec<i64> = ascending.iter().skip(start).take(50).copied().collect();
        assert_eq!(user_ids(r.result()), want, "start={start}");
        let r = http.get(&hr.at(&format!("user.get?start={start}&order[ID]=DESC")));
        let want: Vec<i64> = ascending
            .iter()
            .rev()
            .skip(start)
            .take(50)
            .copied()
            .collect();
        assert_eq!(user_ids(r.result()), want, "start={start} DESC");
        assert_eq!(r.body["total"], json!(740));
    }
    // A filtered deep page.
    let (above, above_total) = offset_walk(&http, &hr, &format!("&{}=100", enc("filter[>ID]")));
    let want: Vec<i64> = ascending.iter().filter(|id| **id > 100).copied().collect();
    assert_eq!(above, want);
    assert_eq!(above_total, want.len() as i64);

    // A change shows at once: a dismissed employee leaves every later page and the total.
    let gone = ascending[300];
    let login = {
        let r = http.get(&hr.at(&format!("user.get?ID={gone}")));
        r.result()[0]["EMAIL"]
            .as_str()
            .and_then(|e| e.split('@').next())
            .expect("an email")
            .to_string()
    };
    company.ok(&["--as", "hr", "dismiss", &login, "--integrations", "disable"]);
    let r = http.get(&hr.at("user.get?start=300"));
    assert_eq!(r.body["total"], json!(739));
    let want: Vec<i64> = ascending.iter().skip(301).take(50).copied().collect();
    assert_eq!(user_ids(r.result()), want);
}

#[test]
fn user_get_operators() {
    let (_c, _s, http, hr) = setup_demo();
    let all = http.get(&hr.at("user.get"));
    let all: Vec<Value> = all.result().as_array().expect("list").clone();
    let id = |u: &Value| -> i64 { u["ID"].as_str().and_then(|s| s.parse().ok()).unwrap_or(-1) };
    let ids = |pred: &dyn Fn(&Value) -> bool| -> Vec<i64> {
        all.iter().filter(|u| pred(u)).map(id).collect()
    };
    let get = |filter: Value| -> Vec<i64> {
        let r = http.post_json(&hr.at("user.get"), &json!({ "filter": filter }));
        let got = user_ids(r.result());
        assert_eq!(r.body["total"], json!(got.len()), "total for {filter}");
        got
    };
    let name = |u: &Value| u["NAME"].as_str().unwrap_or_default().to_ascii_lowercase();
    assert_eq!(get(json!({">ID": 23})), ids(&|u| id(u) > 23));
    assert_eq!(get(json!({">=ID": 23})), ids(&|u| id(u) >= 23));
    assert_eq!(get(json!({"<ID": "23"})), ids(&|u| id(u) < 23));
    assert_eq!(get(json!({"<=ID": 23})), ids(&|u| id(u) <= 23));
    assert_eq!(
        get(json!({">ID": 10, "<ID": 30})),
        ids(&|u| id(u) > 10 && id(u) < 30)
    );
    assert_eq!(get(json!({"!ID": 23})), ids(&|u| id(u) != 23));
    assert_eq!(get(json!({"!=ID": 23})), ids(&|u| id(u) != 23));
    assert_eq!(get(json!({"@ID": [2, 23, 35]})), vec![2, 23, 35]);
    assert_eq!(
        get(json!({"!@ID": [2, 23, 35]})),
        ids(&|u| ![2, 23, 35].contains(&id(u)))
    );
    assert_eq!(
        get(json!({"%NAME": "an"})),
        ids(&|u| name(u).contains("an"))
    );
    assert_eq!(
        get(json!({"!%NAME": "an"})),
        ids(&|u| !name(u).contains("an"))
    );
    assert_eq!(
        get(json!({"=%NAME": "t%"})),
        ids(&|u| name(u).starts_with('t'))
    );
    assert_eq!(
        get(json!({"%=NAME": "%s"})),
        ids(&|u| name(u).ends_with('s'))
    );
    assert_eq!(
        get(json!({"!=%NAME": "t%"})),
        ids(&|u| !name(u).starts_with('t'))
    );
    assert_eq!(
        get(json!({"NAME": "tobias"})),
        vec![TLANG_ID],
        "= ignores case"
    );
    assert_eq!(
        get(json!({"%NAME": "100%"})),
        Vec::<i64>::new(),
        "% in a value is literal"
    );
    assert_eq!(get(json!({"ACTIVE": true, "!ACTIVE": false})).len(), 40);
    // Top level, as user.get takes it.
    let r = http.get(&hr.at(&format!("user.get?{}=23", enc(">ID"))));
    assert_eq!(user_ids(r.result()), ids(&|u| id(u) > 23));
}

fn setup_demo() -> (Company, Server, Http, Hook) {
    company_with(0)
}

#[test]
fn unsupported_filter_keys_and_operators_are_400_naming_them() {
    let (_c, _s, http, hr) = setup_demo();
    let refused = |method: &str, body: Value, named: &str| {
        let r = http.post_json(&hr.at(method), &body);
        let d = r.err(400, "INVALID_ARG_VALUE");
        assert!(
            d.contains(named),
            "{method} {body}: the error names {named}: {d}"
        );
    };
    refused("user.get", json!({"filter": {"XML_ID": "x"}}), "XML_ID");
    refused(
        "user.get",
        json!({"filter": {">PERSONAL_BIRTHDAY": "2000-01-01"}}),
        ">PERSONAL_BIRTHDAY",
    );
    refused("user.get", json!({"filter": {"><ID": [1, 5]}}), "><");
    refused("user.get", json!({"filter": {"?NAME": "a"}}), "?");
    refused("user.get", json!({"filter": {"%ID": "2"}}), "%ID");
    refused("user.get", json!({"filter": {">ACTIVE": true}}), ">ACTIVE");
    refused("user.get", json!({"filter": {">ID": "abc"}}), ">ID");
    refused("user.get", json!({"filter": {">ID": [1, 2]}}), ">ID");
    refused("user.get", json!({">UNKNOWN_FIELD": 1}), ">UNKNOWN_FIELD");
    refused(
        "user.search",
        json!({"filter": {"LOGIN_SECRET": 1}}),
        "LOGIN_SECRET",
    );
    refused(
        "tasks.task.list",
        json!({"filter": {"GROUP_ID": 1}}),
        "GROUP_ID",
    );
    refused(
        "tasks.task.list",
        json!({"filter": {">STATUS": 2}}),
        ">STATUS",
    );
    refused(
        "tasks.task.list",
        json!({"order": {"DEADLINE": "ASC"}}),
        "DEADLINE",
    );
    refused(
        "crm.deal.list",
        json!({"filter": {"OPPORTUNITY": 1}}),
        "OPPORTUNITY",
    );
    refused("crm.lead.list", json!({"filter": {"*ID": 1}}), "*");
    refused("crm.deal.list", json!({"filter": "ID=1"}), "FILTER");
    refused("user.get", json!({"start": -2}), "start");
    // The sparing forms still work.
    let r = http.post_json(
        &hr.at("user.get"),
        &json!({"filter": {}, "select": ["ID"], "ADMIN_MODE": true}),
    );
    assert_eq!(r.ok()["total"], json!(40));
}

#[test]
fn tasks_and_crm_filter_and_page_by_id() {
    let (_c, _s, http, hr) = setup_demo();
    let tasks = |r: &Resp| -> Vec<i64> {
        r.result()["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .map(|t| t["id"].as_str().and_then(|s| s.parse().ok()).expect("id"))
            .collect()
    };
    let mut all = Vec::new();
    let mut start = 0;
    loop {
        let r = http.get(&hr.at(&format!("tasks.task.list?start={start}")));
        all.extend(tasks(&r));
        match r.body["next"].as_i64() {
            Some(n) => start = n,
            None => break,
        }
    }
    assert!(all.len() > 100, "the demo has 100+ tasks");
    let mut walked: Vec<i64> = Vec::new();
    let mut last = 0;
    for _ in 0..20 {
        let r = http.post_json(
            &hr.at("tasks.task.list"),
            &json!({"order": {"ID": "asc"}, "filter": {">ID": last}, "start": -1}),
        );
        assert!(r.body.get("total").is_none() && r.body.get("next").is_none());
        let page = tasks(&r);
        walked.extend(&page);
        if page.len() < 50 {
            break;
        }
        last = *page.last().expect("full page");
    }
    assert_eq!(walked, all);
    let r = http.post_json(
        &hr.at("tasks.task.list"),
        &json!({"filter": {"!RESPONSIBLE_ID": TLANG_ID, "@STATUS": [2, 3]}}),
    );
    for t in r.result()["tasks"].as_array().expect("tasks") {
        assert_ne!(t["responsibleId"], json!(TLANG_ID.to_string()), "{t}");
        assert!(
            t["status"] == json!("2") || t["status"] == json!("3"),
            "{t}"
        );
    }

    let deals = |r: &Resp| user_ids(r.result());
    let r = http.get(&hr.at("crm.deal.list"));
    let first = deals(&r);
    let pivot = first[first.len() / 2];
    let r = http.post_json(
        &hr.at("crm.deal.list"),
        &json!({"filter": {">=ID": pivot}, "start": -1}),
    );
    assert!(r.body.get("total").is_none());
    assert_eq!(deals(&r).first(), Some(&pivot));
    let r = http.post_json(
        &hr.at("crm.deal.list"),
        &json!({"filter": {"%TITLE": "zzzz-none"}}),
    );
    assert_eq!(r.ok()["total"], json!(0));
}
