//! Keyset paging, the portal's documented way to read a huge list and what the official
//! SDKs' fast list readers (b24pysdk `as_list_fast`, b24jssdk `callList`/`fetchList`)
//! send: `FILTER[>ID]=<last ID seen>`, `order[ID]=ASC`, `start=-1` (no total), page
//! after page until one comes back empty. Every user must come back exactly once, in
//! ID order, and nothing else. Plain HTTP from Rust, no third-party client.

mod binary;
mod rest_support;

use std::fmt::Write as _;

use rest_support::{Company, Hook, Http, user_ids};
use serde_json::{Value, json};

/// Employees added to the demo company's 40 active ones: 240 in all, five pages of 50.
const EXTRA_EMPLOYEES: usize = 200;
const PAGE: usize = 50;

fn company_with_extra() -> Company {
    let company = Company::demo();
    let mut csv = String::from("login,first_name,last_name,email,position,department,hired_on\n");
    for i in 0..EXTRA_EMPLOYEES {
        writeln!(
            csv,
            "keyset{i:04},Kay{i},Set,keyset{i:04}@corvane.example,Analyst,Operations,2024-05-01"
        )
        .expect("write to a String");
    }
    let path = company.dir().join("extra.csv");
    std::fs::write(&path, csv).expect("write the CSV");
    company.ok(&["--as", "hr", "import", path.to_str().expect("utf-8")]);
    company
}

/// The active employees' IDs, from the database.
fn active_ids(company: &Company) -> Vec<i64> {
    let c = rusqlite::Connection::open_with_flags(
        &company.db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the database read-only");
    let mut stmt = c
        .prepare(
            "SELECT id FROM employees WHERE kind = 'employee' AND status = 'active' ORDER BY id",
        )
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids")
}

/// Page through `user.get` by `>ID` with `fetch(last)` returning one answer's body;
/// checks each page and returns every ID seen, in order.
fn page_by_id(want: &[i64], mut fetch: impl FnMut(i64) -> Value) -> Vec<i64> {
    let max_pages = want.len() / PAGE + 3;
    let mut last = 0i64;
    let mut seen: Vec<i64> = Vec::new();
    for page in 1..=max_pages {
        let body = fetch(last);
        let ids = user_ids(&body["result"]);
        if ids.is_empty() {
            return seen;
        }
        assert!(
            ids.len() <= PAGE,
            "page {page} (>ID {last}): {} users, a page holds at most {PAGE}",
            ids.len()
        );
        assert!(
            ids.iter().all(|&id| id > last),
            "page {page}: FILTER[>ID]={last} answered IDs not above {last}: {ids:?}"
        );
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "page {page} (>ID {last}): order[ID]=ASC answered out of order: {ids:?}"
        );
        last = *ids.last().expect("a non-empty page");
        seen.extend(ids);
    }
    panic!(
        "after {max_pages} pages of >ID paging over {} active employees the list has not \
         ended ({} IDs seen, last {last})",
        want.len(),
        seen.len()
    );
}

fn assert_exactly_once(seen: &[i64], want: &[i64], how: &str) {
    let mut sorted = seen.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        seen.len(),
        "{how}: some users came back more than once ({} IDs, {} distinct)",
        seen.len(),
        sorted.len()
    );
    let missing: Vec<i64> = want
        .iter()
        .copied()
        .filter(|id| sorted.binary_search(id).is_err())
        .collect();
    let extra: Vec<i64> = sorted
        .iter()
        .copied()
        .filter(|id| want.binary_search(id).is_err())
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{how}: {} users seen, {} expected; missing {missing:?}, extra {extra:?}",
        seen.len(),
        want.len()
    );
}

fn setup() -> (Company, rest_support::Server, Http, Hook, Vec<i64>) {
    let mut company = company_with_extra();
    let server = company.serve();
    let hook = company.webhook("admin", "keyset paging", "user");
    let want = active_ids(&company);
    assert!(
        want.len() > 4 * PAGE,
        "the company should have more than four pages of active employees, has {}",
        want.len()
    );
    (company, server, Http::new(), hook, want)
}

#[test]
fn filter_greater_than_id_pages_through_every_user_exactly_once_query_string() {
    let (_company, _server, http, hook, want) = setup();
    let seen = page_by_id(&want, |last| {
        let url = hook.at(&format!(
            "user.get?FILTER%5B%3EID%5D={last}&order%5BID%5D=ASC&start=-1"
        ));
        http.get(&url).ok().clone()
    });
    assert_exactly_once(
        &seen,
        &want,
        "GET user.get?FILTER[>ID]=…&order[ID]=ASC&start=-1",
    );
}

#[test]
fn filter_greater_than_id_pages_through_every_user_exactly_once_json_body() {
    let (_company, _server, http, hook, want) = setup();
    let seen = page_by_id(&want, |last| {
        let body = json!({"filter": {">ID": last}, "order": {"ID": "ASC"}, "start": -1});
        http.post_json(&hook.at("user.get"), &body).ok().clone()
    });
    assert_exactly_once(
        &seen,
        &want,
        "POST user.get {filter: {>ID}, order: {ID: ASC}, start: -1}",
    );
}

#[test]
fn start_minus_one_answers_without_total_or_next() {
    // The portal's fast mode: start=-1 skips the count, so the answer has neither
    // `total` nor `next` (the client continues by the last ID it saw).
    let (_company, _server, http, hook, _want) = setup();
    let body = http
        .get(&hook.at("user.get?FILTER%5B%3EID%5D=0&order%5BID%5D=ASC&start=-1"))
        .ok()
        .clone();
    assert_eq!(
        user_ids(&body["result"]).len(),
        PAGE,
        "a full first page: {body}"
    );
    assert!(
        body.get("total").is_none() && body.get("next").is_none(),
        "start=-1 asks for no count: the answer should have no total and no next, has \
         total={} next={}",
        body["total"],
        body["next"]
    );
}

/// What b24pysdk 1.3.2's `as_list_fast()` sends after its first page (seen on the
/// wire): one batch of chained commands, each `user.get` with user.get's own `SORT`
/// and `ORDER` parameters, `filter[>ID]` and `start=-1`, the first continuing from the
/// last ID seen and every later one from the previous command's 50th row through the
/// portal's batch result reference `$result[N][49][ID]`.
fn chained_batch(first_after: i64, commands: usize, order: &str) -> Value {
    let mut cmd = serde_json::Map::new();
    for n in 1..=commands {
        let after = if n == 1 {
            first_after.to_string()
        } else {
            rest_support::enc(&format!("$result[{}][49][ID]", n - 1))
        };
        cmd.insert(
            n.to_string(),
            json!(format!(
                "user.get?SORT=ID&ORDER={order}&filter[%3EID]={after}&start=-1"
            )),
        );
    }
    json!({"cmd": cmd, "halt": 0})
}

#[test]
fn batch_result_references_chain_keyset_pages_as_b24pysdk_sends_them() {
    let (_company, _server, http, hook, want) = setup();
    let commands = want.len().div_ceil(PAGE);
    let body = chained_batch(0, commands, "ASC");
    let r = http.post_json(&hook.at("batch"), &body);
    let res = r.result().clone();
    assert_eq!(
        res["result_error"],
        json!([]),
        "every chained command should succeed: {}",
        res["result_error"]
    );
    let mut seen = Vec::new();
    let mut last = 0i64;
    for n in 1..=commands {
        let ids = user_ids(&res["result"][n.to_string()]);
        assert!(
            ids.iter().all(|&id| id > last) && ids.windows(2).all(|w| w[0] < w[1]),
            "command {n} (filter[>ID]=$result[{}][49][ID], after ID {last}) answered {ids:?}",
            n.saturating_sub(1)
        );
        if let Some(&l) = ids.last() {
            last = l;
        }
        seen.extend(ids);
    }
    assert_exactly_once(&seen, &want, "one batch of $result-chained >ID pages");
}

#[test]
fn user_get_sort_and_order_parameters_order_by_id() {
    // user.get's own documented ordering (`SORT=field`, `ORDER=asc|desc`), which the
    // SDKs send, besides the list methods' `order[field]=…`.
    let (_company, _server, http, hook, want) = setup();
    let desc = user_ids(
        http.get(&hook.at("user.get?SORT=ID&ORDER=DESC&start=-1"))
            .result(),
    );
    let top: Vec<i64> = want.iter().rev().take(PAGE).copied().collect();
    assert_eq!(
        desc, top,
        "SORT=ID&ORDER=DESC: the 50 highest IDs, highest first"
    );
    let asc = user_ids(http.get(&hook.at("user.get?SORT=ID&ORDER=ASC")).result());
    let bottom: Vec<i64> = want.iter().take(PAGE).copied().collect();
    assert_eq!(
        asc, bottom,
        "SORT=ID&ORDER=ASC: the 50 lowest IDs, lowest first"
    );
}
