//! Shared helpers for the rule tests: a real SQLite file per test, actors by login,
//! full-database snapshots to prove that a refused change left everything as it was,
//! and webhook URL parsing.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::PathBuf;

use offboard::directory::NewEmployee;
use offboard::domain::{EmployeeId, IntegrationId, Scope};
use offboard::{Actor, Directory, Error};
use rusqlite::types::Value;
use tempfile::TempDir;

/// A directory over a file in its own temporary folder. `dir` is dropped before the
/// folder goes away.
pub struct Env {
    pub dir: Directory,
    pub path: PathBuf,
    pub tmp: TempDir,
}

/// The 42-employee demo company.
pub fn demo() -> Env {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("company.db");
    let mut dir = Directory::create(&path).expect("create");
    offboard::demo::build_small(&mut dir).expect("build_small");
    Env { dir, path, tmp }
}

/// A new company with one administrator, `boss`.
pub fn minimal() -> Env {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("company.db");
    let mut dir = Directory::create(&path).expect("create");
    dir.init("Acme", &person("boss", "Bea", "Boss"))
        .expect("init");
    Env { dir, path, tmp }
}

pub fn person(login: &str, first: &str, last: &str) -> NewEmployee {
    NewEmployee {
        login: login.into(),
        first_name: first.into(),
        last_name: last.into(),
        email: format!("{login}@acme.example"),
        position: "Clerk".into(),
        department: None,
        hired_on: None,
        is_admin: false,
    }
}

pub fn id_of(dir: &Directory, login: &str) -> EmployeeId {
    dir.employee(login)
        .unwrap_or_else(|e| panic!("no {login}: {e}"))
        .id
}

/// The acting user `login`, looked up without the sign-in checks (so a stale session can
/// be kept after its employee is dismissed).
pub fn actor(dir: &Directory, login: &str) -> Actor {
    Actor::user(id_of(dir, login))
}

/// Every row of every table, as text, sorted: equal snapshots mean nothing changed.
pub type Snapshot = BTreeMap<String, Vec<String>>;

pub fn snapshot(dir: &Directory) -> Snapshot {
    let c = dir.connection();
    let mut stmt = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("tables");
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut out = Snapshot::new();
    for t in tables {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let vals: Vec<Value> = (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                Ok(format!("{vals:?}"))
            })
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Panics naming the first table that differs.
pub fn assert_unchanged(before: &Snapshot, dir: &Directory, what: &str) {
    let after = snapshot(dir);
    for (table, rows) in before {
        let now = after.get(table).cloned().unwrap_or_default();
        if &now != rows {
            let added: Vec<&String> = now.iter().filter(|r| !rows.contains(r)).collect();
            let removed: Vec<&String> = rows.iter().filter(|r| !now.contains(r)).collect();
            panic!(
                "{what}: table {table} changed although the change was refused\n  added/changed: {added:?}\n  removed/old: {removed:?}"
            );
        }
    }
    assert_eq!(
        before.len(),
        after.len(),
        "{what}: the set of tables changed"
    );
}

/// The error of a refused operation: exit status 3 (a rule said no).
#[track_caller]
pub fn refused<T: Debug>(r: offboard::Result<T>) -> Error {
    match r {
        Ok(v) => panic!("expected a refusal, got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.exit_code(), 3, "refusals exit with 3; got {e:?}");
            e
        }
    }
}

pub fn count(dir: &Directory, table: &str) -> i64 {
    dir.connection()
        .query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })
        .expect("count")
}

pub fn count_where(dir: &Directory, sql: &str, params: impl rusqlite::Params) -> i64 {
    dir.connection()
        .query_row(sql, params, |r| r.get(0))
        .expect("count")
}

pub fn audit_count(dir: &Directory) -> i64 {
    count(dir, "audit_events")
}

pub fn last_audit_action(dir: &Directory) -> String {
    dir.connection()
        .query_row(
            "SELECT action FROM audit_events ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("last audit event")
}

/// `{base}/rest/{user_id}/{code}/` → (user_id, code).
pub fn parse_url(url: &str) -> (EmployeeId, String) {
    let rest = url
        .split("/rest/")
        .nth(1)
        .unwrap_or_else(|| panic!("not a webhook URL: {url}"));
    let mut parts = rest.trim_end_matches('/').split('/');
    let user: EmployeeId = parts
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no user id in {url}"));
    let code = parts
        .next()
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| panic!("no code in {url}"))
        .to_string();
    assert!(parts.next().is_none(), "unexpected URL shape: {url}");
    (user, code)
}

/// Create a webhook as `login` and return (integration id, url user id, code).
pub fn webhook(
    dir: &mut Directory,
    login: &str,
    title: &str,
    scopes: &[Scope],
) -> (IntegrationId, EmployeeId, String) {
    let a = actor(dir, login);
    let issued = dir
        .create_webhook(a, title, scopes.iter().copied().collect())
        .unwrap_or_else(|e| panic!("create_webhook as {login}: {e}"));
    assert!(
        issued.url.starts_with(dir.base_url()),
        "URL {} is not under {}",
        issued.url,
        dir.base_url()
    );
    let (user, code) = parse_url(&issued.url);
    (issued.integration.id, user, code)
}

/// Login of whoever a webhook URL acts as now, or None when it no longer authenticates.
pub fn url_acts_as(dir: &Directory, user: EmployeeId, code: &str) -> Option<String> {
    dir.authenticate_webhook(user, code)
        .expect("authenticate_webhook")
        .map(|(_, owner)| owner.login)
}

/// How many system users stand in for `login` (0 or 1).
pub fn system_users_for(dir: &Directory, login: &str) -> i64 {
    let id = id_of(dir, login);
    count_where(
        dir,
        "SELECT COUNT(*) FROM employees WHERE system_for = ?1",
        [id],
    )
}
