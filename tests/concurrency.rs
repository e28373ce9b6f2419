//! Concurrency (issue 6, item 3): several processes change the same employees of one
//! database at the same time, and nothing is lost.
//!
//! `chaos_on_the_same_employees`: six workers of 200 operations each on the small demo
//! company, all aimed at the same six employees and their tasks: three loops of real
//! CLI processes (dismiss/hire as `hr`; reassign tasks as `admin`; grant/revoke as
//! `admin`), two REST clients of one `offboard serve` (user.update ACTIVE=false/true
//! with INTEGRATIONS=keep; tasks.task.delegate), and one thread using the library
//! (dismiss with keep or disable, hire with the integrations returned, reassign files
//! and mailboxes). Meanwhile another connection takes the write lock for 300 ms every
//! 800 ms, so that waits certainly happen. Every operation must succeed or be refused
//! by a rule, nobody may see "locked" or "busy", and the audit log, replayed from the
//! starting state, must explain the final state exactly (each change applied once, on
//! the state left by the one before).
//!
//! Also: a lock held for 3 s is waited out without a word (CLI and REST); a lock held
//! past the 5 s busy timeout gives a clear message and changes nothing, while reads go
//! on; and an open TUI session picks up other processes' changes within 5 s.

mod binary;
mod tui_support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use offboard::directory::DismissRequest;
use offboard::domain::{IntegrationChoice, WorkKinds};
use offboard::{Actor, Directory};
use rusqlite::Connection;
use serde_json::{Value, json};

/// The employees everyone fights over: three own active integrations, one owns a
/// disabled one.
const TARGETS: &[&str] = &["tlang", "amehta", "nhaddad", "jdoe", "acosta", "mpark"];
/// Operations per worker.
const OPS: usize = 200;
/// The lock holder's rhythm.
const HOLD: Duration = Duration::from_millis(300);
const HOLD_EVERY: Duration = Duration::from_millis(800);
/// An operation slower than this waited for the lock.
const WAITED: Duration = Duration::from_millis(250);

/// The tests of this file run one at a time: their timings are part of what they check.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

// ------------------------------------------------------------------ the company

/// A temporary folder with HOME and XDG_DATA_HOME inside it and the database `c.db`.
struct Company {
    tmp: tempfile::TempDir,
    db: PathBuf,
    base: Option<String>,
}

impl Company {
    fn demo() -> Company {
        let tmp = tempfile::tempdir().expect("tempdir");
        let db = tmp.path().join("c.db");
        let c = Company {
            tmp,
            db,
            base: None,
        };
        c.ok(&["demo"]);
        c
    }

    fn home(&self) -> &Path {
        self.tmp.path()
    }

    /// The binary with a clean environment and `--db`.
    fn command(&self, args: &[&str]) -> Command {
        let mut c = binary::command(self.home(), &self.db, args);
        if let Some(base) = &self.base {
            c.env("OFFBOARD_BASE_URL", base);
        }
        c
    }

    /// Exit code, stdout, stderr.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let o = self.command(args).output().expect("run offboard");
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }

    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(
            code,
            0,
            "`offboard {}` failed\nstdout: {out}\nstderr: {err}",
            args.join(" ")
        );
        out
    }

    fn conn(&self) -> Connection {
        let c = Connection::open(&self.db).expect("open");
        c.busy_timeout(Duration::from_secs(5)).expect("timeout");
        c
    }

    fn id(&self, login: &str) -> i64 {
        self.conn()
            .query_row("SELECT id FROM employees WHERE login = ?1", [login], |r| {
                r.get(0)
            })
            .unwrap_or_else(|e| panic!("no {login}: {e}"))
    }

    /// `offboard serve --addr 127.0.0.1:0`; later webhook URLs use its address.
    fn serve(&mut self) -> Server {
        let mut child = self
            .command(&["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            let mut sink = String::new();
            while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("serve prints its address");
        let base = line
            .trim()
            .strip_prefix("Listening on ")
            .unwrap_or_else(|| panic!("serve printed {line:?}"))
            .trim_end_matches('/')
            .to_string();
        self.base = Some(base);
        Server { child }
    }

    /// A webhook created by `login` through the CLI: (integration id, URL).
    fn webhook(&self, login: &str, title: &str, scopes: &str) -> (i64, String) {
        let out = self.ok(&[
            "--as", login, "webhook", "create", "--title", title, "--scopes", scopes,
        ]);
        let id = out
            .split('#')
            .nth(1)
            .and_then(|s| {
                s.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .ok()
            })
            .unwrap_or_else(|| panic!("no integration number in {out}"));
        let url = out.lines().last().expect("URL").trim().to_string();
        assert!(url.contains("/rest/"), "the last line is the URL: {out}");
        (id, url)
    }
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// POST a JSON body; (status, body).
fn post(client: &reqwest::blocking::Client, url: &str, body: &Value) -> (u16, String) {
    match client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
    {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.text().unwrap_or_default())
        }
        Err(e) => (0, format!("the request failed: {e}")),
    }
}

/// The REST clients and the library thread are much quicker than a new process per
/// operation: they pause a little between operations, so that every worker runs for
/// about as long as the others and they all overlap.
fn pause(rng: &mut Rng, up_to_ms: usize) {
    std::thread::sleep(Duration::from_millis(rng.below(up_to_ms) as u64));
}

/// A small deterministic generator, so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn two<'a, T>(&mut self, xs: &'a [T]) -> (&'a T, &'a T) {
        let a = self.below(xs.len());
        let b = (a + 1 + self.below(xs.len() - 1)) % xs.len();
        (&xs[a], &xs[b])
    }
}

// ------------------------------------------------------------------ operations

#[derive(Debug, Clone, PartialEq)]
enum Res {
    Done,
    Refused,
    Failed(String),
}

/// One operation as its worker saw it.
#[derive(Debug, Clone)]
struct Op {
    /// What it counts as: "dismiss", "hire", "reassign", "grant", "revoke",
    /// "task.delegate", "user.update ACTIVE=false" …
    kind: String,
    what: String,
    res: Res,
    took: Duration,
    /// Everything the user was shown.
    shown: String,
}

/// Words that must never reach a user while the lock is held for less than 5 s.
fn mentions_lock(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("locked") || t.contains("busy")
}

fn cli_op(c: &Company, kind: &str, args: &[&str]) -> Op {
    let t = Instant::now();
    let (code, out, err) = c.run(args);
    let took = t.elapsed();
    let res = match code {
        0 => Res::Done,
        3 if err.lines().count() == 1 && err.starts_with("offboard: ") => Res::Refused,
        _ => Res::Failed(format!("exit {code}: {}", err.trim())),
    };
    Op {
        kind: kind.into(),
        what: format!("offboard {}", args.join(" ")),
        res,
        took,
        shown: format!("{out}{err}"),
    }
}

fn rest_op(client: &reqwest::blocking::Client, kind: &str, url: &str, body: Value) -> Op {
    let t = Instant::now();
    let (status, text) = post(client, url, &body);
    let took = t.elapsed();
    let parsed: Option<Value> = serde_json::from_str(&text).ok();
    let res = match (status, &parsed) {
        (200, Some(v)) if v.get("result").is_some() && v.get("error").is_none() => Res::Done,
        (400..=499, Some(v)) if v["error"].is_string() && v["error_description"].is_string() => {
            Res::Refused
        }
        _ => Res::Failed(format!("HTTP {status}: {text}")),
    };
    Op {
        kind: kind.into(),
        what: format!("POST {url} {body}"),
        res,
        took,
        shown: text,
    }
}

fn lib_op<T>(kind: &str, what: String, f: impl FnOnce() -> offboard::Result<T>) -> Op {
    let t = Instant::now();
    let r = f();
    let took = t.elapsed();
    let (res, shown) = match r {
        Ok(_) => (Res::Done, String::new()),
        Err(e) if e.exit_code() == 3 => (Res::Refused, e.to_string()),
        Err(e) => (Res::Failed(format!("{e:?}")), e.to_string()),
    };
    Op {
        kind: kind.into(),
        what,
        res,
        took,
        shown,
    }
}

// ------------------------------------------------------------------ the replayed model

/// What the operations change, as a value: read from the file, or replayed.
#[derive(Debug, Clone, PartialEq, Default)]
struct Model {
    status: BTreeMap<i64, String>,
    structure: BTreeSet<i64>,
    /// task → (responsible, done)
    tasks: BTreeMap<i64, (i64, bool)>,
    files: BTreeMap<i64, i64>,
    mailboxes: BTreeMap<i64, i64>,
    /// integration → (owner, status, transferred_from)
    integrations: BTreeMap<i64, (i64, String, Option<i64>)>,
    /// employee → (departures, departures marked rehired)
    departures: BTreeMap<i64, (i64, i64)>,
}

fn load(c: &Connection) -> Model {
    fn map<T>(
        c: &Connection,
        sql: &str,
        f: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let mut stmt = c.prepare(sql).expect(sql);
        stmt.query_map([], |r| f(r))
            .expect(sql)
            .collect::<rusqlite::Result<_>>()
            .expect(sql)
    }
    Model {
        status: map(c, "SELECT id, status FROM employees", |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .into_iter()
        .collect(),
        structure: map(
            c,
            "SELECT p.employee_id FROM permissions p JOIN employees e ON e.id = p.employee_id \
             WHERE e.kind = 'employee' AND p.permission = 'structure'",
            |r| r.get(0),
        )
        .into_iter()
        .collect(),
        tasks: map(
            c,
            "SELECT id, responsible_id, status = 'done' FROM tasks",
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )
        .into_iter()
        .collect(),
        files: map(c, "SELECT id, owner_id FROM files", |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .into_iter()
        .collect(),
        mailboxes: map(c, "SELECT id, owner_id FROM mailboxes", |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .into_iter()
        .collect(),
        integrations: map(
            c,
            "SELECT id, owner_id, status, transferred_from FROM integrations",
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))),
        )
        .into_iter()
        .collect(),
        departures: map(
            c,
            "SELECT employee_id, COUNT(*), COUNT(rehired_at) FROM departures GROUP BY employee_id",
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )
        .into_iter()
        .collect(),
    }
}

/// One audit event.
#[derive(Debug, Clone)]
struct Event {
    id: i64,
    actor: i64,
    action: String,
    target: Option<i64>,
    details: Value,
    via: Option<i64>,
}

fn events_after(c: &Connection, after: i64) -> Vec<Event> {
    let mut stmt = c
        .prepare(
            "SELECT id, actor_id, action, target_id, details, via_integration FROM audit_events \
             WHERE id > ?1 ORDER BY id",
        )
        .expect("audit");
    stmt.query_map([after], |r| {
        let details: String = r.get(4)?;
        Ok(Event {
            id: r.get(0)?,
            actor: r.get(1)?,
            action: r.get(2)?,
            target: r.get(3)?,
            details: serde_json::from_str(&details).unwrap_or(Value::Null),
            via: r.get(5)?,
        })
    })
    .expect("audit")
    .collect::<rusqlite::Result<_>>()
    .expect("audit")
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

/// Apply the audit log to the starting state, checking that each change was allowed
/// on the state the one before left. Returns the violations.
fn replay(
    model: &mut Model,
    events: &[Event],
    id_of: &dyn Fn(&str) -> i64,
    tasks_by: i64,
    files_by: i64,
) -> Vec<String> {
    let mut bad = Vec::new();
    for e in events {
        let mut fail = |why: String| bad.push(format!("audit #{} {}: {why}", e.id, e.action));
        let Some(t) = e.target else {
            fail("no target".into());
            continue;
        };
        let status = model.status.get(&t).cloned().unwrap_or_default();
        match e.action.as_str() {
            "dismiss" => {
                if status != "active" {
                    fail(format!("employee {t} was {status}, not active"));
                }
                model.status.insert(t, "dismissed".into());
                model.departures.entry(t).or_default().0 += 1;
                let mut active: Vec<i64> = model
                    .integrations
                    .iter()
                    .filter(|(_, (o, s, _))| *o == t && s == "active")
                    .map(|(id, _)| *id)
                    .collect();
                active.sort();
                match e.details["integrations"].as_str() {
                    Some("keep") => {
                        let kept = ids(&e.details["kept"]);
                        if kept != active {
                            fail(format!("kept {kept:?}, but {active:?} were active"));
                        }
                        let system = id_of(e.details["system_user"].as_str().unwrap_or(""));
                        model
                            .status
                            .entry(system)
                            .or_insert_with(|| "active".into());
                        for i in kept {
                            if let Some(x) = model.integrations.get_mut(&i) {
                                x.0 = system;
                                x.2 = Some(t);
                            }
                        }
                    }
                    Some("disable") => {
                        let disabled = ids(&e.details["disabled"]);
                        if disabled != active {
                            fail(format!("disabled {disabled:?}, but {active:?} were active"));
                        }
                        for i in disabled {
                            if let Some(x) = model.integrations.get_mut(&i) {
                                x.1 = "disabled".into();
                            }
                        }
                    }
                    _ => {
                        if !active.is_empty() {
                            fail(format!("no choice made, but {active:?} were active"));
                        }
                    }
                }
            }
            "hire" => {
                if status != "dismissed" {
                    fail(format!("employee {t} was {status}, not dismissed"));
                }
                model.status.insert(t, "active".into());
                model.departures.entry(t).or_default().1 += 1;
                let returned = ids(&e.details["returned_integrations"]);
                let mut held: Vec<i64> = model
                    .integrations
                    .iter()
                    .filter(|(_, (_, _, from))| *from == Some(t))
                    .map(|(id, _)| *id)
                    .collect();
                held.sort();
                if !returned.is_empty() && returned != held {
                    fail(format!(
                        "returned {returned:?}, but the system user held {held:?}"
                    ));
                }
                for i in returned {
                    if let Some(x) = model.integrations.get_mut(&i) {
                        x.0 = t;
                        x.2 = None;
                    }
                }
            }
            "grant" => {
                if status != "active" || model.structure.contains(&t) {
                    fail(format!(
                        "employee {t} was {status}, access {}",
                        model.structure.contains(&t)
                    ));
                }
                model.structure.insert(t);
            }
            "revoke" => {
                if !model.structure.remove(&t) {
                    fail(format!("employee {t} had no access to revoke"));
                }
            }
            "reassign" => {
                let to = id_of(e.details["to"].as_str().unwrap_or(""));
                if model.status.get(&to).map(String::as_str) != Some("active") {
                    fail(format!("reassigned to {to}, who was not active"));
                }
                let n = |k: &str| e.details[k].as_i64().unwrap_or(-1);
                if e.actor == tasks_by {
                    let open: Vec<i64> = model
                        .tasks
                        .iter()
                        .filter(|(_, (r, done))| *r == t && !done)
                        .map(|(id, _)| *id)
                        .collect();
                    if n("tasks") != open.len() as i64 || n("files") != 0 || n("mailboxes") != 0 {
                        fail(format!(
                            "moved {} tasks, {t} had {} open",
                            e.details,
                            open.len()
                        ));
                    }
                    for id in open {
                        model.tasks.insert(id, (to, false));
                    }
                } else if e.actor == files_by {
                    let files: Vec<i64> = model
                        .files
                        .iter()
                        .filter(|(_, o)| **o == t)
                        .map(|(id, _)| *id)
                        .collect();
                    let mail: Vec<i64> = model
                        .mailboxes
                        .iter()
                        .filter(|(_, o)| **o == t)
                        .map(|(id, _)| *id)
                        .collect();
                    if n("files") != files.len() as i64
                        || n("mailboxes") != mail.len() as i64
                        || n("tasks") != 0
                    {
                        fail(format!(
                            "moved {}, {t} had {} files and {} mailboxes",
                            e.details,
                            files.len(),
                            mail.len()
                        ));
                    }
                    for id in files {
                        model.files.insert(id, to);
                    }
                    for id in mail {
                        model.mailboxes.insert(id, to);
                    }
                } else {
                    fail(format!("a reassign by an unexpected actor {}", e.actor));
                }
            }
            "task.delegate" => {
                let task = e.details["task"].as_i64().unwrap_or(-1);
                let from = e.details["from"].as_i64().unwrap_or(-1);
                let to = e.details["to"].as_i64().unwrap_or(-1);
                match model.tasks.get(&task).copied() {
                    Some((r, done)) => {
                        if r != from {
                            fail(format!("task {task} was {r}'s, the event says {from}'s"));
                        }
                        if model.status.get(&to).map(String::as_str) != Some("active") {
                            fail(format!("task {task} went to {to}, who was not active"));
                        }
                        model.tasks.insert(task, (to, done));
                    }
                    None => fail(format!("no task {task}")),
                }
            }
            other => fail(format!("an unexpected action {other}")),
        }
    }
    bad
}

/// Where two models differ, briefly.
fn model_difference(a: &Model, b: &Model) -> Vec<String> {
    fn diff<K: Ord + std::fmt::Debug + Copy, V: PartialEq + std::fmt::Debug>(
        name: &str,
        a: &BTreeMap<K, V>,
        b: &BTreeMap<K, V>,
        out: &mut Vec<String>,
    ) {
        let keys: BTreeSet<K> = a.keys().chain(b.keys()).copied().collect();
        for k in keys {
            if a.get(&k) != b.get(&k) {
                out.push(format!(
                    "{name} {k:?}: replayed {:?}, in the file {:?}",
                    a.get(&k),
                    b.get(&k)
                ));
            }
        }
    }
    let mut out = Vec::new();
    diff("status", &a.status, &b.status, &mut out);
    diff("task", &a.tasks, &b.tasks, &mut out);
    diff("file", &a.files, &b.files, &mut out);
    diff("mailbox", &a.mailboxes, &b.mailboxes, &mut out);
    diff("integration", &a.integrations, &b.integrations, &mut out);
    diff("departures", &a.departures, &b.departures, &mut out);
    if a.structure != b.structure {
        out.push(format!(
            "structure access: replayed {:?}, in the file {:?}",
            a.structure, b.structure
        ));
    }
    out
}

fn table_counts(c: &Connection) -> BTreeMap<String, i64> {
    [
        "tasks",
        "crm_items",
        "files",
        "mailboxes",
        "messages",
        "chats",
        "chat_members",
        "meetings",
        "meeting_attendees",
        "feed_posts",
        "groups",
        "group_members",
        "task_participants",
        "integrations",
        "departments",
    ]
    .iter()
    .map(|t| {
        let n: i64 = c
            .query_row(&format!("SELECT COUNT(*) FROM \"{t}\""), [], |r| r.get(0))
            .expect("count");
        (t.to_string(), n)
    })
    .chain(std::iter::once((
        "employees (people)".to_string(),
        c.query_row(
            "SELECT COUNT(*) FROM employees WHERE kind = 'employee'",
            [],
            |r| r.get(0),
        )
        .expect("count"),
    )))
    .collect()
}

// ------------------------------------------------------------------ the chaos

/// A worker: its name and the operations it saw.
struct Worker {
    name: &'static str,
    ops: Vec<Op>,
}

impl Worker {
    /// The rules that refused its operations, most frequent first (logins and numbers
    /// left out).
    fn refusals(&self) -> Vec<(usize, String)> {
        let mut by: BTreeMap<String, usize> = BTreeMap::new();
        for o in self.ops.iter().filter(|o| o.res == Res::Refused) {
            let mut text = o.shown.trim().trim_start_matches("offboard: ").to_string();
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                text = v["error_description"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
            }
            for login in TARGETS.iter().chain(["hr", "admin", "shartmann"].iter()) {
                text = text.replace(login, "X");
            }
            let text: String = text
                .chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            let text = text.chars().take(70).collect();
            *by.entry(text).or_default() += 1;
        }
        let mut out: Vec<(usize, String)> = by.into_iter().map(|(k, v)| (v, k)).collect();
        out.sort_by(|a, b| b.cmp(a));
        out
    }
}

#[test]
fn chaos_on_the_same_employees() {
    let _serial = serial();
    let started = Instant::now();
    let mut c = Company::demo();
    let server = c.serve();
    let (hook_users, url_users) = c.webhook("admin", "chaos: users", "user");
    let (hook_tasks, url_tasks) = c.webhook("admin", "chaos: tasks", "task");
    c.ok(&["grant", "shartmann", "--as", "admin"]);

    let admin = c.id("admin");
    let hr = c.id("hr");
    let shartmann = c.id("shartmann");
    let target_ids: Vec<(String, i64)> = TARGETS.iter().map(|l| (l.to_string(), c.id(l))).collect();
    let open_tasks: Vec<i64> = {
        let conn = c.conn();
        let mut stmt = conn
            .prepare("SELECT id FROM tasks WHERE status != 'done' ORDER BY id")
            .expect("tasks");
        stmt.query_map([], |r| r.get(0))
            .expect("tasks")
            .collect::<rusqlite::Result<_>>()
            .expect("tasks")
    };
    let (start, start_counts, last_event) = {
        let conn = c.conn();
        let last: i64 = conn
            .query_row("SELECT MAX(id) FROM audit_events", [], |r| r.get(0))
            .expect("audit");
        (load(&conn), table_counts(&conn), last)
    };

    let c = Arc::new(c);
    let go = Arc::new(Barrier::new(7));
    let done = Arc::new(AtomicBool::new(false));
    let holds = Arc::new(AtomicUsize::new(0));
    let hold_failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut handles = Vec::new();

    // 1. CLI processes as hr: dismiss (keep) or hire.
    {
        let (c, go) = (c.clone(), go.clone());
        handles.push(std::thread::spawn(move || {
            let mut rng = Rng(0x5eed_0001);
            go.wait();
            let ops = (0..OPS)
                .map(|_| {
                    let x = *rng.pick(TARGETS);
                    if rng.below(2) == 0 {
                        cli_op(
                            &c,
                            "dismiss",
                            &["dismiss", x, "--integrations", "keep", "--as", "hr"],
                        )
                    } else {
                        cli_op(&c, "hire", &["hire", x, "--as", "hr"])
                    }
                })
                .collect();
            Worker {
                name: "CLI dismiss/hire (hr)",
                ops,
            }
        }));
    }
    // 2. CLI processes as admin: reassign open tasks between the same people.
    {
        let (c, go) = (c.clone(), go.clone());
        handles.push(std::thread::spawn(move || {
            let mut rng = Rng(0x5eed_0002);
            go.wait();
            let ops = (0..OPS)
                .map(|_| {
                    let (a, b) = rng.two(TARGETS);
                    cli_op(
                        &c,
                        "reassign",
                        &["reassign", a, "--to", b, "--what", "tasks", "--as", "admin"],
                    )
                })
                .collect();
            Worker {
                name: "CLI reassign tasks (admin)",
                ops,
            }
        }));
    }
    // 3. CLI processes as admin: grant or revoke company-structure access.
    {
        let (c, go) = (c.clone(), go.clone());
        handles.push(std::thread::spawn(move || {
            let mut rng = Rng(0x5eed_0003);
            go.wait();
            let ops = (0..OPS)
                .map(|_| {
                    let x = *rng.pick(TARGETS);
                    if rng.below(2) == 0 {
                        cli_op(&c, "grant", &["grant", x, "--as", "admin"])
                    } else {
                        cli_op(&c, "revoke", &["revoke", x, "--as", "admin"])
                    }
                })
                .collect();
            Worker {
                name: "CLI grant/revoke (admin)",
                ops,
            }
        }));
    }
    // 4. REST: user.update ACTIVE=false (INTEGRATIONS=keep) or ACTIVE=true.
    {
        let (go, targets) = (go.clone(), target_ids.clone());
        let url = format!("{url_users}user.update");
        handles.push(std::thread::spawn(move || {
            let client = http();
            let mut rng = Rng(0x5eed_0004);
            go.wait();
            let ops = (0..OPS)
                .map(|_| {
                    pause(&mut rng, 80);
                    let (_, id) = rng.pick(&targets);
                    if rng.below(2) == 0 {
                        rest_op(
                            &client,
                            "user.update ACTIVE=false",
                            &url,
                            json!({ "ID": id, "ACTIVE": false, "INTEGRATIONS": "keep" }),
                        )
                    } else {
                        rest_op(
                            &client,
                            "user.update ACTIVE=true",
                            &url,
                            json!({ "ID": id, "ACTIVE": true }),
                        )
                    }
                })
                .collect();
            Worker {
                name: "REST user.update",
                ops,
            }
        }));
    }
    // 5. REST: tasks.task.delegate among the same people.
    {
        let (go, targets, tasks) = (go.clone(), target_ids.clone(), open_tasks.clone());
        let url = format!("{url_tasks}tasks.task.delegate");
        handles.push(std::thread::spawn(move || {
            let client = http();
            let mut rng = Rng(0x5eed_0005);
            go.wait();
            let ops = (0..OPS)
                .map(|_| {
                    pause(&mut rng, 80);
                    let task = rng.pick(&tasks);
                    let (_, to) = rng.pick(&targets);
                    rest_op(
                        &client,
                        "task.delegate",
                        &url,
                        json!({ "taskId": task, "userId": to }),
                    )
                })
                .collect();
            Worker {
                name: "REST tasks.task.delegate",
                ops,
            }
        }));
    }
    // 6. The library, from a thread with its own connection, as shartmann.
    {
        let (go, path) = (go.clone(), c.db.clone());
        handles.push(std::thread::spawn(move || {
            let mut dir = Directory::open(&path).expect("open");
            let me = Actor::user(dir.employee("shartmann").expect("shartmann").id);
            let mut rng = Rng(0x5eed_0006);
            go.wait();
            let ops = (0..OPS)
                .map(|_| {
                    pause(&mut rng, 120);
                    match rng.below(3) {
                        0 => {
                            let x = *rng.pick(TARGETS);
                            let choice = if rng.below(4) == 0 {
                                IntegrationChoice::Disable
                            } else {
                                IntegrationChoice::Keep
                            };
                            lib_op("dismiss", format!("dismiss {x} ({choice})"), || {
                                dir.dismiss(
                                    me,
                                    x,
                                    &DismissRequest {
                                        integrations: Some(choice),
                                        ..Default::default()
                                    },
                                )
                            })
                        }
                        1 => {
                            let x = *rng.pick(TARGETS);
                            lib_op("hire", format!("hire {x} --return-integrations"), || {
                                dir.hire(me, x, true)
                            })
                        }
                        _ => {
                            let (a, b) = rng.two(TARGETS);
                            let what = WorkKinds {
                                files: true,
                                mail: true,
                                ..WorkKinds::NONE
                            };
                            lib_op(
                                "reassign",
                                format!("reassign {a} --to {b} files,mail"),
                                || dir.reassign(me, a, b, what),
                            )
                        }
                    }
                })
                .collect();
            Worker {
                name: "library thread (shartmann)",
                ops,
            }
        }));
    }
    // 7. Someone else takes the write lock now and then: the others must wait.
    let holder = {
        let (go, path, done, holds, fails) = (
            go.clone(),
            c.db.clone(),
            done.clone(),
            holds.clone(),
            hold_failures.clone(),
        );
        std::thread::spawn(move || {
            let conn = Connection::open(&path).expect("open");
            conn.busy_timeout(Duration::from_secs(5)).expect("timeout");
            go.wait();
            while !done.load(Ordering::SeqCst) {
                std::thread::sleep(HOLD_EVERY - HOLD);
                match conn.execute_batch("BEGIN IMMEDIATE") {
                    Ok(()) => {
                        std::thread::sleep(HOLD);
                        conn.execute_batch("ROLLBACK").expect("rollback");
                        holds.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(e) => fails.lock().expect("fails").push(e.to_string()),
                }
            }
        })
    };

    let chaos_started = Instant::now();
    let workers: Vec<Worker> = handles
        .into_iter()
        .map(|h| h.join().expect("worker"))
        .collect();
    let chaos_took = chaos_started.elapsed();
    done.store(true, Ordering::SeqCst);
    holder.join().expect("holder");
    drop(server);

    // ---------------------------------------------------------------- the figures
    let conn = c.conn();
    let events = events_after(&conn, last_event);
    let count = |actor: Option<i64>, via: Option<i64>, action: &str| {
        events
            .iter()
            .filter(|e| e.action == action && actor.is_none_or(|a| e.actor == a) && e.via == via)
            .count()
    };
    let mut problems = Vec::new();
    let mut total = (0, 0, 0);
    let mut all_took = Vec::new();
    for w in &workers {
        let done = w.ops.iter().filter(|o| o.res == Res::Done).count();
        let refused = w.ops.iter().filter(|o| o.res == Res::Refused).count();
        let waited = w.ops.iter().filter(|o| o.took >= WAITED).count();
        let slowest = w.ops.iter().map(|o| o.took).max().unwrap_or_default();
        total.0 += done;
        total.1 += refused;
        total.2 += waited;
        all_took.extend(w.ops.iter().map(|o| o.took));
        eprintln!(
            "concurrency: {:<28} {} ops: {done} done, {refused} refused by a rule, {} failed; \
             {waited} waited ≥ {} ms, slowest {} ms",
            w.name,
            w.ops.len(),
            w.ops.len() - done - refused,
            WAITED.as_millis(),
            slowest.as_millis()
        );
        for (n, why) in w.refusals().iter().take(4) {
            eprintln!("concurrency:       {n:>3} × {why}");
        }
        for o in &w.ops {
            if let Res::Failed(why) = &o.res {
                problems.push(format!("{}: `{}` failed: {why}", w.name, o.what));
            }
            if mentions_lock(&o.shown) {
                problems.push(format!(
                    "{}: `{}` showed the user a lock: {}",
                    w.name,
                    o.what,
                    o.shown.trim()
                ));
            }
        }
    }
    all_took.sort();
    let holds = holds.load(Ordering::SeqCst);
    eprintln!(
        "concurrency: {} operations in {:.1} s by 6 workers ({} CLI processes, {} REST calls, \
         {} library calls): {} done, {} refused by a rule, 0 lost; the lock was held {holds} \
         times for {} ms; {} operations waited ≥ {} ms, median {} ms, slowest {} ms; \
         {} audit events",
        all_took.len(),
        chaos_took.as_secs_f64(),
        3 * OPS,
        2 * OPS,
        OPS,
        total.0,
        total.1,
        HOLD.as_millis(),
        total.2,
        WAITED.as_millis(),
        all_took[all_took.len() / 2].as_millis(),
        all_took.last().copied().unwrap_or_default().as_millis(),
        events.len()
    );
    assert!(
        hold_failures.lock().expect("fails").is_empty(),
        "the lock holder itself could not get the lock: {:?}",
        hold_failures.lock().expect("fails")
    );

    // Each worker's successes are exactly its audit events.
    let done_of = |w: usize, kind: &str| {
        workers[w]
            .ops
            .iter()
            .filter(|o| o.kind == kind && o.res == Res::Done)
            .count()
    };
    let mut expect = |what: &str, seen: usize, audited: usize| {
        eprintln!("concurrency:   {what}: {seen} succeeded, {audited} audit events");
        if seen != audited {
            problems.push(format!(
                "{what}: {seen} operations succeeded but the audit log has {audited} events"
            ));
        }
    };
    expect(
        "CLI dismiss as hr",
        done_of(0, "dismiss"),
        count(Some(hr), None, "dismiss"),
    );
    expect(
        "CLI hire as hr",
        done_of(0, "hire"),
        count(Some(hr), None, "hire"),
    );
    expect(
        "CLI reassign as admin",
        done_of(1, "reassign"),
        count(Some(admin), None, "reassign"),
    );
    expect(
        "CLI grant as admin",
        done_of(2, "grant"),
        count(Some(admin), None, "grant"),
    );
    expect(
        "CLI revoke as admin",
        done_of(2, "revoke"),
        count(Some(admin), None, "revoke"),
    );
    expect(
        "REST tasks.task.delegate",
        done_of(4, "task.delegate"),
        count(None, Some(hook_tasks), "task.delegate"),
    );
    expect(
        "library dismiss as shartmann",
        done_of(5, "dismiss"),
        count(Some(shartmann), None, "dismiss"),
    );
    expect(
        "library hire as shartmann",
        done_of(5, "hire"),
        count(Some(shartmann), None, "hire"),
    );
    expect(
        "library reassign as shartmann",
        done_of(5, "reassign"),
        count(Some(shartmann), None, "reassign"),
    );
    // user.update answers `true` when the employee already is as asked, without an
    // event: at most one event per success, and never an event without one.
    let rest_false = done_of(3, "user.update ACTIVE=false");
    let rest_true = done_of(3, "user.update ACTIVE=true");
    let rest_dismissed = count(None, Some(hook_users), "dismiss");
    let rest_hired = count(None, Some(hook_users), "hire");
    eprintln!(
        "concurrency:   REST user.update: ACTIVE=false {rest_false} succeeded, {rest_dismissed} \
         dismissals audited; ACTIVE=true {rest_true} succeeded, {rest_hired} rehires audited \
         (the rest found the employee already so)"
    );
    if rest_dismissed > rest_false || rest_hired > rest_true {
        problems.push("REST user.update has more audit events than successes".into());
    }
    let accounted = [
        count(Some(hr), None, "dismiss"),
        count(Some(hr), None, "hire"),
        count(Some(admin), None, "reassign"),
        count(Some(admin), None, "grant"),
        count(Some(admin), None, "revoke"),
        count(None, Some(hook_tasks), "task.delegate"),
        count(Some(shartmann), None, "dismiss"),
        count(Some(shartmann), None, "hire"),
        count(Some(shartmann), None, "reassign"),
        rest_dismissed,
        rest_hired,
    ]
    .iter()
    .sum::<usize>();
    if accounted != events.len() {
        problems.push(format!(
            "the audit log has {} new events, the workers account for {accounted}",
            events.len()
        ));
    }

    // The audit log, replayed on the starting state, gives the final state exactly.
    let id_of = |login: &str| -> i64 {
        conn.query_row("SELECT id FROM employees WHERE login = ?1", [login], |r| {
            r.get(0)
        })
        .unwrap_or(-1)
    };
    let mut replayed = start.clone();
    let violations = replay(&mut replayed, &events, &id_of, admin, shartmann);
    let fin = load(&conn);
    let differences = model_difference(&replayed, &fin);
    eprintln!(
        "concurrency: replayed {} audit events: {} rule violations, {} differences from the file",
        events.len(),
        violations.len(),
        differences.len()
    );
    problems.extend(violations.into_iter().take(20));
    problems.extend(differences.into_iter().take(20));

    // Last word per employee: their final status follows their last dismiss or hire.
    for (login, id) in &target_ids {
        let last = events
            .iter()
            .rev()
            .find(|e| e.target == Some(*id) && (e.action == "dismiss" || e.action == "hire"));
        let want = match last {
            Some(e) if e.action == "dismiss" => "dismissed",
            Some(_) => "active",
            None => start.status[id].as_str(),
        };
        let now = &fin.status[id];
        eprintln!(
            "concurrency:   {login}: {now}, last event {}",
            last.map(|e| format!("#{} {}", e.id, e.action))
                .unwrap_or_else(|| "none".into())
        );
        if now != want {
            problems.push(format!(
                "{login} is {now}, but the last audit event says {want}"
            ));
        }
    }

    // Nothing lost, nothing damaged.
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    if integrity != "ok" {
        problems.push(format!("integrity_check: {integrity}"));
    }
    let fk: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("foreign_key_check");
    if fk != 0 {
        problems.push(format!("{fk} rows break a foreign key"));
    }
    let end_counts = table_counts(&conn);
    if end_counts != start_counts {
        problems.push(format!(
            "the number of items changed: before {start_counts:?}, after {end_counts:?}"
        ));
    }
    let orphans: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM integrations i JOIN employees e ON e.id = i.owner_id \
             WHERE i.status = 'active' AND e.status = 'dismissed'",
            [],
            |r| r.get(0),
        )
        .expect("orphans");
    if orphans != 0 {
        problems.push(format!(
            "{orphans} active integrations are owned by dismissed employees"
        ));
    }
    eprintln!(
        "concurrency: chaos test took {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "{} problems under concurrency:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        total.0 >= 6 * OPS / 4,
        "enough operations succeeded to mean something"
    );
    assert!(
        holds >= 3,
        "the lock was taken by someone else during the run"
    );
    assert!(total.2 >= 1, "some operations had to wait for the lock");
}

// ------------------------------------------------------------------ long waits

/// Run `cmd` in a thread: ((exit code, stdout, stderr), how long it took).
fn in_background(mut cmd: Command) -> std::thread::JoinHandle<((i32, String, String), Duration)> {
    std::thread::spawn(move || {
        let t = Instant::now();
        let o = cmd.output().expect("run offboard");
        let r = (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        );
        (r, t.elapsed())
    })
}

#[test]
fn a_lock_held_for_three_seconds_is_waited_out_without_a_word() {
    let _serial = serial();
    let mut c = Company::demo();
    let _server = c.serve();
    let (_, url) = c.webhook("admin", "wait check", "user");
    let tlang = c.id("tlang");

    let blocker = c.conn();
    blocker
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the lock");
    let cli =
        in_background(c.command(&["dismiss", "amehta", "--integrations", "keep", "--as", "hr"]));
    let rest = {
        let url = format!("{url}user.update");
        std::thread::spawn(move || {
            let t = Instant::now();
            let body = json!({ "ID": tlang, "ACTIVE": false, "INTEGRATIONS": "keep" });
            (post(&http(), &url, &body), t.elapsed())
        })
    };
    std::thread::sleep(Duration::from_secs(3));
    blocker.execute_batch("ROLLBACK").expect("release");
    let ((code, out, err), cli_took) = cli.join().expect("cli");
    let ((status, body), rest_took) = rest.join().expect("rest");
    eprintln!(
        "concurrency: lock held 3 s: the CLI dismissal waited {:.1} s and exited {code}; REST \
         user.update waited {:.1} s and answered {status}",
        cli_took.as_secs_f64(),
        rest_took.as_secs_f64()
    );
    assert_eq!(code, 0, "the CLI waits and succeeds\n{out}{err}");
    assert!(out.contains("Dismissed Arjun Mehta"), "{out}");
    assert!(!mentions_lock(&format!("{out}{err}")), "{out}{err}");
    assert!(
        cli_took >= Duration::from_millis(2500),
        "it did wait: {cli_took:?}"
    );
    assert_eq!(status, 200, "REST waits and succeeds: {body}");
    assert!(!mentions_lock(&body), "{body}");
    assert!(
        rest_took >= Duration::from_millis(2500),
        "it did wait: {rest_took:?}"
    );
    let conn = c.conn();
    for login in ["amehta", "tlang"] {
        let s: String = conn
            .query_row(
                "SELECT status FROM employees WHERE login = ?1",
                [login],
                |r| r.get(0),
            )
            .expect("status");
        assert_eq!(s, "dismissed", "{login}");
    }
}

// ------------------------------------------------------------------ a lock held too long

#[test]
fn a_lock_held_past_five_seconds_gives_a_clear_message_and_changes_nothing() {
    let _serial = serial();
    let mut c = Company::demo();
    let _server = c.serve();
    let (_, url) = c.webhook("admin", "busy check", "user");
    let jdoe = c.id("jdoe");
    let before_events: i64 = c
        .conn()
        .query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get(0))
        .expect("audit");

    let blocker = c.conn();
    blocker
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the lock");
    let held = Instant::now();
    let cli = in_background(c.command(&["dismiss", "jdoe", "--as", "hr"]));
    let rest = {
        let url = format!("{url}user.update");
        std::thread::spawn(move || {
            let t = Instant::now();
            let r = post(&http(), &url, &json!({ "ID": jdoe, "ACTIVE": false }));
            (r, t.elapsed())
        })
    };
    // Readers are not blocked by a writer.
    let t = Instant::now();
    let (code, out, err) = c.run(&["show", "jdoe", "--as", "hr"]);
    let read_took = t.elapsed();
    assert_eq!(code, 0, "a read while the lock is held: {err}");
    assert!(out.contains("Jane Doe"), "{out}");

    let ((code, out, err), cli_took) = cli.join().expect("cli");
    let ((status, body), rest_took) = rest.join().expect("rest");
    blocker.execute_batch("ROLLBACK").expect("release");
    eprintln!(
        "concurrency: lock held {:.1} s: a read took {} ms; the CLI dismissal gave up after \
         {:.1} s with exit {code}: {}; REST user.update after {:.1} s with HTTP {status}: {body}",
        held.elapsed().as_secs_f64(),
        read_took.as_millis(),
        cli_took.as_secs_f64(),
        err.trim(),
        rest_took.as_secs_f64()
    );
    assert!(read_took < Duration::from_secs(2), "reads do not wait");
    assert_eq!(code, 1, "a lock held past the timeout exits 1\n{out}{err}");
    assert!(
        cli_took >= Duration::from_millis(4500) && cli_took < Duration::from_secs(15),
        "the CLI waits about 5 s before giving up: {cli_took:?}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("busy") && err.contains("nothing was changed") && err.contains("try again"),
        "the message says what happened: {err}"
    );
    assert!(!err.to_ascii_lowercase().contains("locked"), "{err}");
    assert_eq!(status, 503, "REST answers 503 (retry later): {body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert!(
        v["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("busy") && !d.contains("locked")),
        "{body}"
    );
    assert!(rest_took >= Duration::from_millis(4500), "{rest_took:?}");

    let conn = c.conn();
    let status_now: String = conn
        .query_row("SELECT status FROM employees WHERE id = ?1", [jdoe], |r| {
            r.get(0)
        })
        .expect("status");
    let events: i64 = conn
        .query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get(0))
        .expect("audit");
    assert_eq!(status_now, "active", "nothing was changed");
    assert_eq!(events, before_events, "nothing was audited");
    // And once the lock is free, the same change goes through.
    c.ok(&["dismiss", "jdoe", "--as", "hr"]);
}

// ------------------------------------------------------------------ the TUI

/// Poll every 100 ms until `seen` holds for the screen; how long it took.
fn until_on_screen(
    s: &mut offboard::tui::Session,
    seen: impl Fn(&str) -> bool,
    what: &str,
) -> Duration {
    let t = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(100));
        s.poll();
        let sc = tui_support::screen(s);
        if seen(&sc) {
            return t.elapsed();
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "{what}: not on the screen after 5 s:\n{sc}"
        );
    }
}

#[test]
fn an_open_tui_picks_up_other_processes_changes_within_five_seconds() {
    let _serial = serial();
    let d = tui_support::demo();
    let mut s = d.session("hr");
    let sc = tui_support::screen(&s);
    tui_support::assert_on_screen(&sc, "Nadia Haddad");
    tui_support::assert_on_screen(&sc, "Employees (40)");

    // Another connection in this process dismisses her.
    let (mut other, admin) = d.admin();
    other
        .dismiss(
            admin,
            "nhaddad",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Keep),
                ..Default::default()
            },
        )
        .expect("dismiss elsewhere");
    let gone = until_on_screen(
        &mut s,
        |sc| !sc.contains("Nadia Haddad") && sc.contains("Employees (39)"),
        "a dismissal by another connection",
    );

    // Another process (the CLI) hires her back.
    let out = binary::command(
        d.tmp.path(),
        &d.path,
        &["hire", "nhaddad", "--return-integrations", "--as", "admin"],
    )
    .output()
    .expect("run offboard");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = until_on_screen(
        &mut s,
        |sc| sc.contains("Nadia Haddad") && sc.contains("Employees (40)"),
        "a rehire by another process",
    );

    // Another process disables an integration while the Integrations pane is open.
    s.press(ratatui::crossterm::event::KeyCode::Char('2'));
    let row = |sc: &str| {
        sc.lines()
            .find(|l| l.contains("Payroll export"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row(&tui_support::screen(&s)).contains("active"));
    let (mut other, admin) = d.admin();
    let payroll = other
        .integrations(admin)
        .expect("integrations")
        .into_iter()
        .find(|i| i.title == "Payroll export")
        .expect("payroll")
        .id;
    let out = binary::command(
        d.tmp.path(),
        &d.path,
        &["webhook", "disable", &payroll.to_string(), "--as", "admin"],
    )
    .output()
    .expect("run offboard");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let disabled = until_on_screen(
        &mut s,
        |sc| row(sc).contains("disabled"),
        "an integration disabled by another process",
    );
    // And enabled again by another connection in this process.
    other.enable_webhook(admin, payroll).expect("enable");
    let enabled = until_on_screen(
        &mut s,
        |sc| row(sc).contains("active"),
        "an integration enabled by another connection",
    );
    eprintln!(
        "concurrency: the TUI showed other processes' changes after {} ms (dismissal), {} ms \
         (rehire by the CLI), {} ms (integration disabled by the CLI), {} ms (enabled), polling \
         every 100 ms",
        gone.as_millis(),
        back.as_millis(),
        disabled.as_millis(),
        enabled.as_millis()
    );
    assert_eq!(s.app.exit, None);
}
