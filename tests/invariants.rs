//! Invariants under random use (issue 6, item 1).
//!
//! Random sequences of operations (add, dismiss with keep/disable/no choice, hire with or
//! without returning integrations, reassign with random kinds of work, webhook
//! create/edit/disable/enable/regenerate, grant/revoke, show_dismissed on/off) by random
//! actors: administrators, company-structure staff, ordinary employees, dismissed
//! employees, system users and ids that do not exist, so that many are refused. Each
//! sequence runs on its own copy of the demo company, a real SQLite file in a temporary
//! folder. After every step SPEC §2–§4 must hold:
//!
//! - the number of tasks, CRM items, files, mailboxes, messages, meetings, feed posts and
//!   group memberships never changes;
//! - every owned item's owner (and creator) is an existing employee;
//! - no active integration is owned by a dismissed employee;
//! - no system user is dismissed, and `list` returns none, with every status filter
//!   (through the operation when show_dismissed is on; when it is off the operation must
//!   refuse, and the query it would run is checked instead) and with `--still-owns`;
//!   the active list shows no dismissed employee;
//! - at least one active administrator remains;
//! - a successful change appended exactly one audit event, for this change, naming the
//!   acting user; a refused one (an `Err`) left every row of every table as it was and
//!   appended none; a dismissed or unknown actor is always refused;
//! - every webhook URL issued during the sequence authenticates iff its integration is
//!   active and its owner is active, and a URL replaced by a new secret never does.
//!
//! Also, after every successful change: SPEC §2 allowed it to its actor; only a
//! reassignment moved work, exactly the kinds chosen, from `from` to `to`, as many as it
//! reported; a dismissal kept (to a system user with the employee's rights, URL
//! unchanged) or disabled exactly what it reported; a rehire returned what it reported;
//! an edit of a system user's integration made the editor its owner with a new URL (§3).
//! After every step that changed something, a search for a system user's exact login and
//! the successor picker take turns; neither may show a system user (nor the picker a
//! dismissed employee).
//!
//! How "unchanged" is decided: before each step the test keeps the bytes of the database
//! file and its write-ahead log (everything committed). After a refused step, equal bytes
//! prove that every row is equal; if the bytes differ, every row of every table of the
//! old copy is compared with the live file. The counts, owners, integrations, system
//! users and administrators are checked with SQL after every step. The list and webhook
//! checks read nothing but the database, so after a step that provably changed nothing
//! they would read what the previous step's checks read; they run after every step that
//! changed something (and in full on the demo company itself).
//!
//! The figures (sequences, steps, successes and refusals per operation, webhook URLs
//! tried) are written once to stderr, past the harness's capture, by whichever part
//! finishes last, for RELIABILITY.md. `INVARIANT_CASES=N` runs N sequences per part.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use offboard::Directory;
use offboard::directory::{DismissRequest, NewEmployee};
use offboard::directory::{ListQuery, ListRow};
use offboard::domain::{
    Actor, EmployeeId, Error, IntegrationChoice, IntegrationId, Kind, Owned, Reason, Scope, Status,
    StatusFilter, WorkKinds,
};
use offboard::store::queries as q;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use rusqlite::Connection;
use rusqlite::config::DbConfig;

// ------------------------------------------------------------------ configuration

/// The sequences are split over this many `#[test]` functions, so that both cores work
/// and no single test runs long.
const PARTS: u64 = 4;
/// Sequences per part unless `INVARIANT_CASES` says otherwise: 4 × 500 = 2,000.
const CASES_PER_PART: u32 = 500;
const MAX_STEPS: usize = 25;

// ------------------------------------------------------------------ the demo template

/// The demo company, built once and kept as the bytes of a checkpointed SQLite file.
struct Template {
    bytes: Vec<u8>,
    /// Employees above this id were added by the sequence.
    max_id: EmployeeId,
    /// Rows of the history and work tables, which no operation may add or remove.
    counts: Counts,
    /// The tables, and one statement that reads every row of them (see `snapshot_sql`).
    tables: Vec<String>,
    snapshot_sql: String,
}

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("template.db");
        let mut dir = Directory::create(&path).expect("create the template");
        offboard::demo::build_small(&mut dir).expect("build the demo company");
        drop(dir);
        let c = Connection::open(&path).expect("reopen the template");
        let busy: i64 = c
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .expect("checkpoint");
        assert_eq!(busy, 0, "the template checkpoint was blocked");
        let max_id = c
            .query_row("SELECT MAX(id) FROM employees", [], |r| r.get(0))
            .expect("max id");
        let counts = counts(&c);
        let (tables, snapshot_sql) = snapshot_sql(&c);
        drop(c);
        // Everything is in the main file: no WAL content would be lost by copying it alone.
        let wal = tmp.path().join("template.db-wal");
        assert!(
            !wal.exists() || wal.metadata().map(|m| m.len()).unwrap_or(0) == 0,
            "the template still has WAL content"
        );
        let bytes = std::fs::read(&path).expect("read the template");
        Template {
            bytes,
            max_id,
            counts,
            tables,
            snapshot_sql,
        }
    })
}

// ------------------------------------------------------------------ operations

/// Who acts, or whom an operation is about; resolved against the database at that step.
#[derive(Debug, Clone)]
enum Who {
    Admin,
    Elindqvist,
    Hr,
    Jdoe,
    Tlang,
    Lbrandt,
    Ydemir,
    /// Someone who owns an integration, active or not.
    HookOwner(Index),
    /// The owner of an integration whose URL this sequence holds.
    UrlOwner(Index),
    System(Index),
    Dismissed(Index),
    /// Someone added by this sequence.
    Added(Index),
    Anyone(Index),
    /// A login (and id) that does not exist.
    Ghost,
}

#[derive(Debug, Clone)]
enum Hook {
    Pick(Index),
    Ghost,
}

#[derive(Debug, Clone)]
enum Op {
    Add {
        by: Who,
        login: u8,
        email: u8,
        admin: bool,
        department: u8,
    },
    Dismiss {
        by: Who,
        target: Who,
        choice: Option<IntegrationChoice>,
        reason: Option<Reason>,
        note: Option<&'static str>,
    },
    Hire {
        by: Who,
        target: Who,
        give_back: bool,
    },
    Reassign {
        by: Who,
        from: Who,
        to: Who,
        what: (bool, bool, bool, bool),
    },
    Create {
        by: Who,
        title: &'static str,
        scopes: Vec<Scope>,
    },
    Edit {
        by: Who,
        hook: Hook,
        title: Option<&'static str>,
        scopes: Option<Vec<Scope>>,
    },
    Disable {
        by: Who,
        hook: Hook,
    },
    Enable {
        by: Who,
        hook: Hook,
    },
    Regenerate {
        by: Who,
        hook: Hook,
    },
    Grant {
        by: Who,
        target: Who,
    },
    Revoke {
        by: Who,
        target: Who,
    },
    ShowDismissed {
        by: Who,
        on: bool,
    },
}

const OP_NAMES: [&str; 12] = [
    "add",
    "dismiss",
    "hire",
    "reassign",
    "webhook.create",
    "webhook.edit",
    "webhook.disable",
    "webhook.enable",
    "webhook.regenerate",
    "grant",
    "revoke",
    "show_dismissed",
];

impl Op {
    fn kind(&self) -> usize {
        match self {
            Op::Add { .. } => 0,
            Op::Dismiss { .. } => 1,
            Op::Hire { .. } => 2,
            Op::Reassign { .. } => 3,
            Op::Create { .. } => 4,
            Op::Edit { .. } => 5,
            Op::Disable { .. } => 6,
            Op::Enable { .. } => 7,
            Op::Regenerate { .. } => 8,
            Op::Grant { .. } => 9,
            Op::Revoke { .. } => 10,
            Op::ShowDismissed { .. } => 11,
        }
    }
}

const TITLES: &[&str] = &[
    "Sync",
    "CRM bridge",
    "Ünïcode → tasks",
    "",
    "   ",
    "bell\u{7}",
];
const NOTES: &[&str] = &["Handed over to the team.", "", "bell\u{7}"];

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        4 => Just(Who::Admin),
        2 => Just(Who::Elindqvist),
        4 => Just(Who::Hr),
        2 => Just(Who::Jdoe),
        2 => Just(Who::Tlang),
        1 => Just(Who::Lbrandt),
        1 => Just(Who::Ydemir),
        3 => any::<Index>().prop_map(Who::HookOwner),
        2 => any::<Index>().prop_map(Who::System),
        2 => any::<Index>().prop_map(Who::Dismissed),
        2 => any::<Index>().prop_map(Who::Added),
        4 => any::<Index>().prop_map(Who::Anyone),
        1 => Just(Who::Ghost),
    ]
}

/// Who acts: staff half of the time, so that enough changes succeed to reach deep states;
/// anyone at all (dismissed, system, ordinary, unknown) the other half.
fn actor() -> impl Strategy<Value = Who> {
    prop_oneof![
        3 => Just(Who::Admin),
        1 => Just(Who::Elindqvist),
        2 => Just(Who::Hr),
        6 => who(),
    ]
}

/// Whom to dismiss: often someone whose webhook URL we hold, to see it keep working
/// (or stop) as the dismissal decides.
fn dismiss_target() -> impl Strategy<Value = Who> {
    prop_oneof![
        2 => any::<Index>().prop_map(Who::UrlOwner),
        1 => any::<Index>().prop_map(Who::HookOwner),
        4 => who(),
    ]
}

/// Whom to hire: mostly someone dismissed, so that hiring is not nearly always refused.
fn hire_target() -> impl Strategy<Value = Who> {
    prop_oneof![3 => any::<Index>().prop_map(Who::Dismissed), 1 => who()]
}

fn hook() -> impl Strategy<Value = Hook> {
    prop_oneof![20 => any::<Index>().prop_map(Hook::Pick), 1 => Just(Hook::Ghost)]
}

fn scopes() -> impl Strategy<Value = Vec<Scope>> {
    prop::sample::subsequence(Scope::ALL.to_vec(), 0..=Scope::ALL.len())
}

fn title() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => prop::sample::select(&TITLES[..3]), 1 => prop::sample::select(&TITLES[3..])]
}

fn op() -> impl Strategy<Value = Op> {
    let choice = prop_oneof![
        Just(None),
        Just(Some(IntegrationChoice::Keep)),
        Just(Some(IntegrationChoice::Disable)),
    ];
    let reason = prop::option::of(prop::sample::select(Reason::ALL));
    let note = prop_oneof![4 => Just(None), 1 => prop::sample::select(NOTES).prop_map(Some)];
    prop_oneof![
        2 => (actor(), 0..6u8, 0..6u8, prop::bool::weighted(0.15), 0..4u8).prop_map(
            |(by, login, email, admin, department)| Op::Add { by, login, email, admin, department }
        ),
        6 => (actor(), dismiss_target(), choice, reason, note).prop_map(|(by, target, choice, reason, note)| {
            Op::Dismiss { by, target, choice, reason, note }
        }),
        4 => (actor(), hire_target(), any::<bool>())
            .prop_map(|(by, target, give_back)| Op::Hire { by, target, give_back }),
        3 => (actor(), who(), who(), any::<(bool, bool, bool, bool)>())
            .prop_map(|(by, from, to, what)| Op::Reassign { by, from, to, what }),
        3 => (actor(), title(), scopes())
            .prop_map(|(by, title, scopes)| Op::Create { by, title, scopes }),
        3 => (actor(), hook(), prop::option::of(title()), prop::option::of(scopes()))
            .prop_map(|(by, hook, title, scopes)| Op::Edit { by, hook, title, scopes }),
        2 => (actor(), hook()).prop_map(|(by, hook)| Op::Disable { by, hook }),
        2 => (actor(), hook()).prop_map(|(by, hook)| Op::Enable { by, hook }),
        2 => (actor(), hook()).prop_map(|(by, hook)| Op::Regenerate { by, hook }),
        1 => (actor(), who()).prop_map(|(by, target)| Op::Grant { by, target }),
        1 => (actor(), who()).prop_map(|(by, target)| Op::Revoke { by, target }),
        1 => (actor(), any::<bool>()).prop_map(|(by, on)| Op::ShowDismissed { by, on }),
    ]
}

fn sequence() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 1..=MAX_STEPS)
}

// ------------------------------------------------------------------ figures

static SEQUENCES: AtomicU64 = AtomicU64::new(0);
static STEPS: AtomicU64 = AtomicU64::new(0);
static OK: [AtomicU64; 12] = [const { AtomicU64::new(0) }; 12];
static REFUSED: [AtomicU64; 12] = [const { AtomicU64::new(0) }; 12];
static PARTS_DONE: AtomicU64 = AtomicU64::new(0);
/// When the first part started: the figures give the time for all of them.
static STARTED: OnceLock<Instant> = OnceLock::new();
/// Webhook URLs tried after a step: those that had to work, and those that must not.
static URLS_LIVE: AtomicU64 = AtomicU64::new(0);
static URLS_DEAD: AtomicU64 = AtomicU64::new(0);
/// Working URLs whose integration had gone to a system user (kept at a dismissal).
static URLS_SYSTEM: AtomicU64 = AtomicU64::new(0);
/// Integrations kept (moved to a system user) or disabled by dismissals, returned by
/// rehires, and taken over by an edit.
static KEPT: AtomicU64 = AtomicU64::new(0);
static DISABLED: AtomicU64 = AtomicU64::new(0);
static RETURNED: AtomicU64 = AtomicU64::new(0);
static TAKEN_OVER: AtomicU64 = AtomicU64::new(0);

fn summary(elapsed: f64) -> String {
    let ok: u64 = OK.iter().map(|a| a.load(Ordering::Relaxed)).sum();
    let refused: u64 = REFUSED.iter().map(|a| a.load(Ordering::Relaxed)).sum();
    let per_op = OP_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                "{name} {}/{}",
                OK[i].load(Ordering::Relaxed),
                REFUSED[i].load(Ordering::Relaxed)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "invariants: {} sequences, {} steps ({} succeeded, {} refused), every invariant held after every step; \
         webhook URLs tried {} times (working {}, of which {} acting as a system user; dead {}); {:.1} s\n  \
         integrations kept by dismissals {}, disabled by dismissals {}, returned by rehires {}, taken over by edits {}\n  \
         per operation (succeeded/refused): {per_op}",
        SEQUENCES.load(Ordering::Relaxed),
        STEPS.load(Ordering::Relaxed),
        ok,
        refused,
        URLS_LIVE.load(Ordering::Relaxed) + URLS_DEAD.load(Ordering::Relaxed),
        URLS_LIVE.load(Ordering::Relaxed),
        URLS_SYSTEM.load(Ordering::Relaxed),
        URLS_DEAD.load(Ordering::Relaxed),
        elapsed,
        KEPT.load(Ordering::Relaxed),
        DISABLED.load(Ordering::Relaxed),
        RETURNED.load(Ordering::Relaxed),
        TAKEN_OVER.load(Ordering::Relaxed),
    )
}

// ------------------------------------------------------------------ the world of one sequence

/// The history and work tables whose row counts never change.
const COUNTED: [&str; 8] = [
    "tasks",
    "crm_items",
    "files",
    "mailboxes",
    "messages",
    "meetings",
    "feed_posts",
    "group_members",
];
type Counts = [i64; 8];

fn counts(c: &Connection) -> Counts {
    let sql = format!(
        "SELECT {}",
        COUNTED
            .iter()
            .map(|t| format!("(SELECT COUNT(*) FROM {t})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    c.query_row(&sql, [], |r| {
        let mut out = [0; 8];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = r.get(i)?;
        }
        Ok(out)
    })
    .expect("counts")
}

/// One statement that reads every row of every table as text: equal results mean that
/// nothing at all changed. (The FTS index is read through its shadow tables; columns
/// that may hold blobs go through `quote()`, which writes them out in hex.)
fn snapshot_sql(c: &Connection) -> (Vec<String>, String) {
    let mut stmt = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
        )
        .expect("tables");
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut parts = Vec::new();
    for t in &tables {
        let mut info = c
            .prepare(&format!("PRAGMA table_info(\"{t}\")"))
            .expect("table_info");
        let cols: Vec<(String, String)> = info
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?)))
            .expect("columns")
            .collect::<rusqlite::Result<_>>()
            .expect("columns");
        let (formats, args): (Vec<&str>, Vec<String>) = cols
            .iter()
            .map(|(col, ty)| match ty.to_ascii_uppercase().as_str() {
                "INTEGER" | "TEXT" => ("%Q", format!("\"{col}\"")),
                _ => ("%s", format!("quote(\"{col}\")")),
            })
            .unzip();
        parts.push(format!(
            "(SELECT group_concat(printf('{}', {}), char(10)) FROM \"{t}\")",
            formats.join(","),
            args.join(", ")
        ));
    }
    (tables, format!("SELECT {}", parts.join(", ")))
}

/// The facts the generator resolves names against.
#[derive(Debug, Clone)]
struct Person {
    id: EmployeeId,
    login: String,
    kind: Kind,
    status: Status,
    is_admin: bool,
    structure: bool,
    owns_hooks: bool,
}

impl Person {
    fn active(&self) -> bool {
        self.status == Status::Active
    }
    fn staff(&self) -> bool {
        self.is_admin || self.structure
    }
    fn system(&self) -> bool {
        self.kind == Kind::System
    }
}

/// A webhook URL handed out during the sequence.
#[derive(Debug, Clone)]
struct Url {
    user: EmployeeId,
    code: String,
}

/// What an operation did, as far as the checks need to know.
enum Done {
    /// A change: exactly one audit event.
    Changed,
    /// Succeeded without changing anything (the setting already had that value).
    NoChange,
}

/// What a dismissal, a rehire or a reassignment reported.
enum Effect {
    None,
    Dismissed {
        kept: Vec<IntegrationId>,
        disabled: Vec<IntegrationId>,
        system_user: Option<String>,
    },
    Hired {
        returned: Vec<IntegrationId>,
        left: Vec<IntegrationId>,
    },
    Moved(Owned),
}

/// The tables whose owner `reassign` moves, with their owner column, in `WorkKinds` order.
const OWNED: [(&str, &str); 4] = [
    ("tasks", "responsible_id"),
    ("crm_items", "assigned_id"),
    ("files", "owner_id"),
    ("mailboxes", "owner_id"),
];

struct World {
    /// A second connection to the same file: the checks read what is committed, with
    /// their own statement cache, so they neither disturb nor flatter the library's.
    db: Connection,
    /// The database file and its write-ahead log as the last step left them.
    baseline: Option<Image>,
    path: PathBuf,
    max_id: EmployeeId,
    counts: Counts,
    /// The URL of each integration that we hold, as last issued.
    current: HashMap<IntegrationId, Url>,
    /// URLs replaced by a newer secret: they must never authenticate again.
    stale: Vec<(IntegrationId, Url)>,
    trace: Vec<String>,
}

/// Every row of every table, as text, table by table.
type Snapshot = Vec<Option<Vec<u8>>>;

/// The bytes of the database file and of its write-ahead log: everything that is
/// committed. Equal images hold equal rows; unequal ones are compared row by row.
#[derive(Clone, PartialEq)]
struct Image {
    db: Vec<u8>,
    wal: Vec<u8>,
}

fn wal_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-wal");
    PathBuf::from(p)
}

fn image(path: &Path) -> Image {
    Image {
        db: std::fs::read(path).expect("read the database file"),
        wal: std::fs::read(wal_path(path)).unwrap_or_default(),
    }
}

fn fail(w: &World, msg: String) -> TestCaseError {
    TestCaseError::fail(format!(
        "{msg}\n  sequence so far:\n    {}",
        w.trace.join("\n    ")
    ))
}

macro_rules! check {
    ($w:expr, $cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(fail($w, format!($($fmt)+)));
        }
    };
}

fn short(e: &Error) -> String {
    let kind = match e {
        Error::Denied(_) => "Denied",
        Error::NotFound(_) => "NotFound",
        Error::WrongState(_) => "WrongState",
        Error::Duplicate(_) => "Duplicate",
        Error::SettingOff(_) => "SettingOff",
        Error::ChoiceNeeded { .. } => "ChoiceNeeded",
        Error::AccessRevoked(_) => "AccessRevoked",
        Error::Invalid(_) => "Invalid",
        _ => "Other",
    };
    format!("Err({kind}: {e})")
}

fn parse_url(url: &str) -> Url {
    let rest = url.split("/rest/").nth(1).expect("a webhook URL");
    let mut parts = rest.trim_end_matches('/').split('/');
    let user = parts.next().and_then(|p| p.parse().ok()).expect("user id");
    let code = parts.next().expect("code").to_string();
    Url { user, code }
}

fn find(people: &[Person], id: EmployeeId) -> Option<&Person> {
    people.iter().find(|p| p.id == id)
}

fn by_of(op: &Op) -> &Who {
    match op {
        Op::Add { by, .. }
        | Op::Dismiss { by, .. }
        | Op::Hire { by, .. }
        | Op::Reassign { by, .. }
        | Op::Create { by, .. }
        | Op::Edit { by, .. }
        | Op::Disable { by, .. }
        | Op::Enable { by, .. }
        | Op::Regenerate { by, .. }
        | Op::Grant { by, .. }
        | Op::Revoke { by, .. }
        | Op::ShowDismissed { by, .. } => by,
    }
}

impl World {
    fn new(path: &Path) -> World {
        let t = template();
        let db = Connection::open(path).expect("open a checking connection");
        db.set_prepared_statement_cache_capacity(64);
        // This connection closes last; the file is thrown away, so skip the final
        // checkpoint (and its fsync) that SQLite would otherwise do.
        db.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .expect("db_config");
        World {
            db,
            baseline: None,
            path: path.to_path_buf(),
            max_id: t.max_id,
            counts: t.counts,
            current: HashMap::new(),
            stale: Vec::new(),
            trace: Vec::new(),
        }
    }

    fn snapshot(&self) -> Snapshot {
        snapshot(&self.db)
    }

    /// The rows of an earlier image, read from a copy of its files.
    fn snapshot_of(&self, image: &Image) -> Snapshot {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("before.db");
        std::fs::write(&path, &image.db).expect("write the image");
        std::fs::write(wal_path(&path), &image.wal).expect("write the image");
        let c = Connection::open(&path).expect("open the image");
        snapshot(&c)
    }
}

fn snapshot(c: &Connection) -> Snapshot {
    let t = template();
    let n = t.tables.len();
    let mut stmt = c.prepare_cached(&t.snapshot_sql).expect("snapshot");
    stmt.query_row([], |r| {
        (0..n)
            .map(|i| Ok(r.get_ref(i)?.as_bytes_or_null()?.map(<[u8]>::to_vec)))
            .collect()
    })
    .expect("snapshot")
}

impl World {
    fn count(&self, sql: &str) -> i64 {
        self.db
            .prepare_cached(sql)
            .expect("count")
            .query_row([], |r| r.get(0))
            .expect("count")
    }

    fn people(&self) -> Vec<Person> {
        let mut stmt = self
            .db
            .prepare_cached(
                "SELECT e.id, e.login, e.kind, e.status, e.is_admin, \
                 EXISTS (SELECT 1 FROM permissions p WHERE p.employee_id = e.id \
                         AND p.permission = 'structure'), \
                 EXISTS (SELECT 1 FROM integrations i WHERE i.owner_id = e.id) \
                 FROM employees e ORDER BY e.id",
            )
            .expect("people");
        stmt.query_map([], |r| {
            let kind: String = r.get(2)?;
            let status: String = r.get(3)?;
            Ok(Person {
                id: r.get(0)?,
                login: r.get(1)?,
                kind: if kind == "system" {
                    Kind::System
                } else {
                    Kind::Employee
                },
                status: if status == "dismissed" {
                    Status::Dismissed
                } else {
                    Status::Active
                },
                is_admin: r.get(4)?,
                structure: r.get(5)?,
                owns_hooks: r.get(6)?,
            })
        })
        .expect("people")
        .collect::<rusqlite::Result<_>>()
        .expect("people")
    }

    /// `None` is somebody who does not exist.
    fn resolve<'p>(&self, who: &Who, people: &'p [Person]) -> Option<&'p Person> {
        let named = |login: &str| people.iter().find(|p| p.login == login);
        let pick = |ix: &Index, pred: &dyn Fn(&Person) -> bool| {
            let matching: Vec<&Person> = people.iter().filter(|p| pred(p)).collect();
            if matching.is_empty() {
                Some(ix.get(people))
            } else {
                Some(*ix.get(&matching))
            }
        };
        match who {
            Who::Admin => named("admin"),
            Who::Elindqvist => named("elindqvist"),
            Who::Hr => named("hr"),
            Who::Jdoe => named("jdoe"),
            Who::Tlang => named("tlang"),
            Who::Lbrandt => named("lbrandt"),
            Who::Ydemir => named("ydemir"),
            Who::HookOwner(ix) => pick(ix, &|p| p.owns_hooks),
            Who::UrlOwner(ix) => {
                let owners: Vec<EmployeeId> = self
                    .current
                    .keys()
                    .filter_map(|&id| self.owner_of(id))
                    .collect();
                pick(ix, &|p| owners.contains(&p.id))
            }
            Who::System(ix) => pick(ix, &|p| p.kind == Kind::System),
            Who::Dismissed(ix) => pick(ix, &|p| p.status == Status::Dismissed),
            Who::Added(ix) => pick(ix, &|p| p.id > self.max_id && p.kind == Kind::Employee),
            Who::Anyone(ix) => Some(ix.get(people)),
            Who::Ghost => None,
        }
    }

    fn hook_id(&self, hook: &Hook) -> IntegrationId {
        match hook {
            Hook::Ghost => IntegrationId(999_999),
            Hook::Pick(ix) => {
                let mut stmt = self
                    .db
                    .prepare_cached("SELECT id FROM integrations ORDER BY id")
                    .expect("integrations");
                let ids: Vec<IntegrationId> = stmt
                    .query_map([], |r| r.get(0))
                    .expect("integrations")
                    .collect::<rusqlite::Result<_>>()
                    .expect("integrations");
                *ix.get(&ids)
            }
        }
    }

    fn owner_of(&self, id: IntegrationId) -> Option<EmployeeId> {
        self.db
            .prepare_cached("SELECT owner_id FROM integrations WHERE id = ?1")
            .expect("owner")
            .query_row([id], |r| r.get(0))
            .ok()
    }

    /// Run one operation and check what must hold around it.
    fn step(&mut self, dir: &mut Directory, n: usize, op: &Op) -> Result<(), TestCaseError> {
        let people = self.people();
        let before = match self.baseline.take() {
            Some(b) => b,
            None => image(&self.path),
        };
        let audit_before = self.count(AUDIT_COUNT);
        let login = |p: Option<&Person>| p.map_or("nobody".to_string(), |p| p.login.clone());
        let me = self.resolve(by_of(op), &people);
        let actor = Actor::user(me.map_or(EmployeeId(1_000_000), |p| p.id));
        let by_label = match me {
            Some(p) => format!(
                "{}{}",
                p.login,
                match (p.kind, p.status) {
                    (Kind::System, _) => " [system]",
                    (_, Status::Dismissed) => " [dismissed]",
                    _ => "",
                }
            ),
            None => "nobody".into(),
        };
        // What the operation is about, as it was before: the person (or the `from` of a
        // reassignment), the successor, the integration and its owner.
        let mut target: Option<&Person> = None;
        let mut to: Option<&Person> = None;
        let mut hook: Option<(IntegrationId, Option<&Person>)> = None;
        let mut issued: Option<Url> = None;
        let mut effect = Effect::None;
        let owners_before = self.owners();
        let (label, result): (String, Result<Done, Error>) = match op {
            Op::Add {
                login: l,
                email,
                admin,
                department,
                ..
            } => {
                let new = NewEmployee {
                    login: format!("new{l}"),
                    first_name: "Nova".into(),
                    last_name: format!("Hire{l}"),
                    email: format!("new{email}@example.test"),
                    position: "Clerk".into(),
                    department: match department {
                        0 => None,
                        1 => Some("Sales".into()),
                        d => Some(format!("Team {d}")),
                    },
                    hired_on: None,
                    is_admin: *admin,
                };
                (
                    format!(
                        "add {} <{}> admin={admin} department={:?}",
                        new.login, new.email, new.department
                    ),
                    dir.add(actor, &new).map(|_| Done::Changed),
                )
            }
            Op::Dismiss {
                target: t,
                choice,
                reason,
                note,
                ..
            } => {
                target = self.resolve(t, &people);
                let req = DismissRequest {
                    integrations: *choice,
                    reason: *reason,
                    note: note.map(str::to_string),
                    checklist: Default::default(),
                };
                (
                    format!(
                        "dismiss {} integrations={choice:?} note={note:?}",
                        login(target)
                    ),
                    dir.dismiss(actor, &login(target), &req).map(|out| {
                        KEPT.fetch_add(out.kept.len() as u64, Ordering::Relaxed);
                        DISABLED.fetch_add(out.disabled.len() as u64, Ordering::Relaxed);
                        effect = Effect::Dismissed {
                            kept: out.kept.iter().map(|i| i.id).collect(),
                            disabled: out.disabled.iter().map(|i| i.id).collect(),
                            system_user: out.system_user,
                        };
                        Done::Changed
                    }),
                )
            }
            Op::Hire {
                target: t,
                give_back,
                ..
            } => {
                target = self.resolve(t, &people);
                (
                    format!("hire {} return_integrations={give_back}", login(target)),
                    dir.hire(actor, &login(target), *give_back).map(|out| {
                        RETURNED.fetch_add(out.returned.len() as u64, Ordering::Relaxed);
                        effect = Effect::Hired {
                            returned: out.returned.iter().map(|i| i.id).collect(),
                            left: out.left_with_system_user.iter().map(|i| i.id).collect(),
                        };
                        Done::Changed
                    }),
                )
            }
            Op::Reassign {
                from, to: t, what, ..
            } => {
                target = self.resolve(from, &people);
                to = self.resolve(t, &people);
                let kinds = WorkKinds {
                    tasks: what.0,
                    crm: what.1,
                    files: what.2,
                    mail: what.3,
                    meetings: false,
                };
                (
                    format!("reassign {} -> {} {kinds:?}", login(target), login(to)),
                    dir.reassign(actor, &login(target), &login(to), kinds)
                        .map(|moved| {
                            effect = Effect::Moved(moved);
                            Done::Changed
                        }),
                )
            }
            Op::Create { title, scopes, .. } => {
                let r = dir.create_webhook(actor, title, scopes.iter().copied().collect());
                if let Ok(out) = &r {
                    hook = Some((out.integration.id, None));
                    issued = Some(parse_url(&out.url));
                }
                (
                    format!("webhook create {title:?} {scopes:?}"),
                    r.map(|_| Done::Changed),
                )
            }
            Op::Edit {
                hook: h,
                title,
                scopes,
                ..
            } => {
                let id = self.hook_id(h);
                hook = Some((id, self.owner_of(id).and_then(|o| find(&people, o))));
                let scopes = scopes.as_ref().map(|s| s.iter().copied().collect());
                let r = dir.edit_webhook(actor, id, *title, scopes);
                if let Ok(out) = &r {
                    issued = out.new_url.as_deref().map(parse_url);
                    if issued.is_some() {
                        TAKEN_OVER.fetch_add(1, Ordering::Relaxed);
                    }
                }
                (
                    format!("webhook edit #{id} title={title:?} scopes={scopes:?}"),
                    r.map(|_| Done::Changed),
                )
            }
            Op::Disable { hook: h, .. } => {
                let id = self.hook_id(h);
                hook = Some((id, self.owner_of(id).and_then(|o| find(&people, o))));
                (
                    format!("webhook disable #{id}"),
                    dir.disable_webhook(actor, id).map(|_| Done::Changed),
                )
            }
            Op::Enable { hook: h, .. } => {
                let id = self.hook_id(h);
                hook = Some((id, self.owner_of(id).and_then(|o| find(&people, o))));
                (
                    format!("webhook enable #{id}"),
                    dir.enable_webhook(actor, id).map(|_| Done::Changed),
                )
            }
            Op::Regenerate { hook: h, .. } => {
                let id = self.hook_id(h);
                hook = Some((id, self.owner_of(id).and_then(|o| find(&people, o))));
                let r = dir.regenerate_webhook(actor, id);
                if let Ok(out) = &r {
                    issued = Some(parse_url(&out.url));
                }
                (
                    format!("webhook regenerate #{id}"),
                    r.map(|_| Done::Changed),
                )
            }
            Op::Grant { target: t, .. } => {
                target = self.resolve(t, &people);
                (
                    format!("grant {}", login(target)),
                    dir.set_structure_access(actor, &login(target), true)
                        .map(|_| Done::Changed),
                )
            }
            Op::Revoke { target: t, .. } => {
                target = self.resolve(t, &people);
                (
                    format!("revoke {}", login(target)),
                    dir.set_structure_access(actor, &login(target), false)
                        .map(|_| Done::Changed),
                )
            }
            Op::ShowDismissed { on, .. } => (
                format!("settings show-dismissed {}", if *on { "on" } else { "off" }),
                dir.set_show_dismissed(actor, *on).map(|changed| {
                    if changed {
                        Done::Changed
                    } else {
                        Done::NoChange
                    }
                }),
            ),
        };
        let shown = match &result {
            Ok(Done::Changed) => "Ok".to_string(),
            Ok(Done::NoChange) => "Ok (no change)".to_string(),
            Err(e) => short(e),
        };
        self.trace
            .push(format!("{n}: as {by_label}: {label} -> {shown}"));
        let kind = op.kind();
        STEPS.fetch_add(1, Ordering::Relaxed);
        if result.is_ok() {
            OK[kind].fetch_add(1, Ordering::Relaxed);
        } else {
            REFUSED[kind].fetch_add(1, Ordering::Relaxed);
        }

        check!(
            self,
            dir.connection().is_autocommit(),
            "the operation left a transaction open"
        );
        // A dismissed employee has no access; nor has somebody who does not exist.
        let me = match me {
            Some(p) if p.active() => p,
            _ => {
                check!(
                    self,
                    result.is_err(),
                    "SPEC §2: a dismissed or unknown actor changed something"
                );
                // Only a refusal gets here, and refusals are not put through `gate`.
                me.unwrap_or(&people[0])
            }
        };
        let audit_after = self.count(AUDIT_COUNT);
        let mut unchanged = false;
        match &result {
            Ok(Done::Changed) => {
                check!(
                    self,
                    audit_after == audit_before + 1,
                    "a successful change appended {} audit events, not exactly one",
                    audit_after - audit_before
                );
                let (actor_id, action, about): (EmployeeId, String, Option<EmployeeId>) = self
                    .db
                    .prepare_cached(
                        "SELECT actor_id, action, target_id FROM audit_events ORDER BY id DESC LIMIT 1",
                    )
                    .expect("last audit event")
                    .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .expect("last audit event");
                check!(
                    self,
                    actor_id == actor.id,
                    "the audit event {action} names actor #{actor_id}, not the acting user #{}",
                    actor.id
                );
                // The one event is about this change: its action, and whom it concerned.
                let expected = match op {
                    Op::ShowDismissed { .. } => "setting",
                    _ => OP_NAMES[kind],
                };
                check!(
                    self,
                    action == expected,
                    "the audit event of a {expected} is {action}"
                );
                if let (Some(t), true) = (
                    target,
                    matches!(
                        op,
                        Op::Dismiss { .. }
                            | Op::Hire { .. }
                            | Op::Reassign { .. }
                            | Op::Grant { .. }
                            | Op::Revoke { .. }
                    ),
                ) {
                    check!(
                        self,
                        about == Some(t.id),
                        "the audit event {action} is about #{about:?}, not {} (#{})",
                        t.login,
                        t.id
                    );
                }
            }
            Ok(Done::NoChange) | Err(_) => {
                check!(
                    self,
                    audit_after == audit_before,
                    "an operation that changed nothing appended {} audit events",
                    audit_after - audit_before
                );
                let after = image(&self.path);
                if after != before {
                    // The files differ: compare every row of every table.
                    let (was, now) = (self.snapshot_of(&before), self.snapshot());
                    if let Some(i) = (0..was.len()).find(|&i| was[i] != now[i]) {
                        return Err(fail(
                            self,
                            format!(
                                "an operation that was refused or changed nothing left table {} changed",
                                template().tables[i]
                            ),
                        ));
                    }
                }
                // Nothing changed: the next step starts from this very state, and every
                // invariant below, being a function of that state, holds as it did.
                self.baseline = Some(after);
                unchanged = true;
            }
        }
        if result.is_ok() {
            let owner_after = hook.and_then(|(id, _)| self.owner_of(id));
            self.gate(op, me, target, to, hook, owner_after, issued.as_ref())?;
            self.effects(op, target, to, &owners_before, &effect)?;
            // A new URL replaces the one we held for that integration, if any.
            if let (Some((id, _)), Some(url)) = (hook, issued)
                && let Some(old) = self.current.insert(id, url)
            {
                self.stale.push((id, old));
            }
        }
        self.check_state()?;
        if unchanged {
            return Ok(());
        }
        self.check_lists(dir, Some(n))?;
        self.check_webhooks(dir)
    }

    /// The owner of every task, CRM item, file and mailbox, in id order.
    fn owners(&self) -> [Vec<EmployeeId>; 4] {
        let sql = format!(
            "SELECT {}",
            OWNED
                .iter()
                .map(|(t, c)| format!(
                    "(SELECT group_concat({c}) FROM (SELECT {c} FROM {t} ORDER BY id))"
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut stmt = self.db.prepare_cached(&sql).expect("owners");
        stmt.query_row([], |r| {
            let mut out: [Vec<EmployeeId>; 4] = Default::default();
            for (i, slot) in out.iter_mut().enumerate() {
                let text: Option<String> = r.get(i)?;
                *slot = text
                    .unwrap_or_default()
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().expect("an owner id"))
                    .collect();
            }
            Ok(out)
        })
        .expect("owners")
    }

    /// SPEC §3–§4: what a successful change did to work and integrations. Nothing but a
    /// reassignment moves work, and it moves exactly the chosen kinds from `from` to `to`,
    /// as many as it reports, leaving `from` with none of them open; a dismissal keeps
    /// (to the employee's system user, which has their rights) or disables exactly what
    /// it reports; a rehire returns what it reports.
    fn effects(
        &self,
        op: &Op,
        target: Option<&Person>,
        to: Option<&Person>,
        owners_before: &[Vec<EmployeeId>; 4],
        effect: &Effect,
    ) -> Result<(), TestCaseError> {
        let owners_after = self.owners();
        let (moving, from, to) = match (op, target, to) {
            (Op::Reassign { what, .. }, Some(from), Some(to)) => {
                ([what.0, what.1, what.2, what.3], from.id, to.id)
            }
            _ => ([false; 4], EmployeeId(-1), EmployeeId(-1)),
        };
        let mut moved = [0i64; 4];
        for (k, (table, _)) in OWNED.iter().enumerate() {
            for (i, (was, now)) in owners_before[k].iter().zip(&owners_after[k]).enumerate() {
                if was != now {
                    check!(
                        self,
                        moving[k] && *was == from && *now == to,
                        "row {} of {table} went from #{was} to #{now}, which this step may not do",
                        i + 1
                    );
                    moved[k] += 1;
                }
            }
        }
        let integration = |id: IntegrationId| -> (EmployeeId, String, Option<EmployeeId>) {
            self.db
                .prepare_cached(
                    "SELECT owner_id, status, transferred_from FROM integrations WHERE id = ?1",
                )
                .expect("integration")
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .expect("integration")
        };
        match effect {
            Effect::None => {}
            Effect::Moved(reported) => {
                let reported = [
                    reported.tasks,
                    reported.crm_items,
                    reported.files,
                    reported.mailboxes,
                ];
                check!(
                    self,
                    moved == reported,
                    "reassign reported {reported:?} moved (tasks, CRM, files, mailboxes), but {moved:?} did"
                );
                let left = q::owned(&self.db, from).expect("owned");
                let left = [left.tasks, left.crm_items, left.files, left.mailboxes];
                for k in 0..4 {
                    check!(
                        self,
                        !moving[k] || left[k] == 0,
                        "after reassigning {} the old owner still has {} open",
                        OWNED[k].0,
                        left[k]
                    );
                }
            }
            Effect::Dismissed {
                kept,
                disabled,
                system_user,
            } => {
                let Some(t) = target else {
                    return Ok(());
                };
                for &id in disabled {
                    let (owner, status, _) = integration(id);
                    check!(
                        self,
                        owner == t.id && status == "disabled",
                        "SPEC §3: integration #{id} reported disabled is {status}, owned by #{owner}"
                    );
                }
                check!(
                    self,
                    kept.is_empty() == system_user.is_none(),
                    "SPEC §3: integrations were kept without a system user, or the other way round"
                );
                if let Some(login) = system_user {
                    let (sys_id, kind, status, for_id, is_admin, structure): (
                        EmployeeId,
                        String,
                        String,
                        Option<EmployeeId>,
                        bool,
                        bool,
                    ) = self
                        .db
                        .prepare_cached(
                            "SELECT e.id, e.kind, e.status, e.system_for, e.is_admin, \
                             EXISTS (SELECT 1 FROM permissions p WHERE p.employee_id = e.id \
                                     AND p.permission = 'structure') \
                             FROM employees e WHERE e.login = ?1",
                        )
                        .expect("system user")
                        .query_row([login], |r| {
                            Ok((
                                r.get(0)?,
                                r.get(1)?,
                                r.get(2)?,
                                r.get(3)?,
                                r.get(4)?,
                                r.get(5)?,
                            ))
                        })
                        .expect("the reported system user exists");
                    check!(
                        self,
                        kind == "system" && status == "active" && for_id == Some(t.id),
                        "SPEC §3: {login} is not an active system user standing in for {}",
                        t.login
                    );
                    check!(
                        self,
                        is_admin == t.is_admin && structure == t.structure,
                        "SPEC §3: system user {login} does not have the rights of {} (admin {is_admin} vs {}, structure {structure} vs {})",
                        t.login,
                        t.is_admin,
                        t.structure
                    );
                    for &id in kept {
                        let (owner, status, from) = integration(id);
                        check!(
                            self,
                            owner == sys_id && status == "active" && from == Some(t.id),
                            "SPEC §3: kept integration #{id} is {status}, owned by #{owner}, transferred from {from:?}"
                        );
                    }
                }
            }
            Effect::Hired { returned, left } => {
                let (Some(t), Op::Hire { give_back, .. }) = (target, op) else {
                    return Ok(());
                };
                check!(
                    self,
                    *give_back || returned.is_empty(),
                    "a rehire returned integrations without being asked to"
                );
                check!(
                    self,
                    !*give_back || left.is_empty(),
                    "a rehire asked to return integrations left {left:?} with the system user"
                );
                for &id in returned {
                    let (owner, _, from) = integration(id);
                    check!(
                        self,
                        owner == t.id && from.is_none(),
                        "SPEC §4: returned integration #{id} is owned by #{owner}, transferred from {from:?}"
                    );
                }
            }
        }
        Ok(())
    }

    /// SPEC §2 (who may do what) and §3 (taking an integration over): a change that
    /// succeeded was one the acting user may make, and did what it must.
    #[allow(clippy::too_many_arguments)]
    fn gate(
        &self,
        op: &Op,
        me: &Person,
        target: Option<&Person>,
        to: Option<&Person>,
        hook: Option<(IntegrationId, Option<&Person>)>,
        owner_after: Option<EmployeeId>,
        url: Option<&Url>,
    ) -> Result<(), TestCaseError> {
        let who = &me.login;
        match op {
            Op::Add { admin, .. } => {
                check!(
                    self,
                    me.staff(),
                    "SPEC §2: {who} added an employee without company-structure access"
                );
                check!(
                    self,
                    !admin || me.is_admin,
                    "SPEC §2: {who} added an administrator without being one"
                );
            }
            Op::Dismiss { .. } | Op::Hire { .. } => {
                let Some(t) = target else {
                    return Err(fail(self, "a dismissal or hire of nobody succeeded".into()));
                };
                let dismissing = matches!(op, Op::Dismiss { .. });
                check!(
                    self,
                    me.staff(),
                    "SPEC §2: {who} dismissed or hired {} without company-structure access",
                    t.login
                );
                check!(
                    self,
                    !t.system(),
                    "SPEC §2: {who} dismissed or hired system user {}",
                    t.login
                );
                check!(
                    self,
                    !dismissing || t.id != me.id,
                    "SPEC §2: {who} dismissed themselves"
                );
                check!(
                    self,
                    t.active() == dismissing,
                    "{who} {} {}, who was {:?} already",
                    if dismissing { "dismissed" } else { "hired" },
                    t.login,
                    t.status
                );
            }
            Op::Reassign { .. } => {
                let (Some(from), Some(to)) = (target, to) else {
                    return Err(fail(
                        self,
                        "a reassignment from or to nobody succeeded".into(),
                    ));
                };
                check!(
                    self,
                    me.staff(),
                    "SPEC §2: {who} reassigned work without company-structure access"
                );
                check!(
                    self,
                    !from.system(),
                    "a reassignment moved work from system user {}",
                    from.login
                );
                check!(
                    self,
                    to.active() && !to.system() && to.id != from.id,
                    "SPEC §4: work was reassigned to {} ({:?}, {:?}), not to another active employee",
                    to.login,
                    to.kind,
                    to.status
                );
            }
            Op::Create { .. } => {
                check!(
                    self,
                    !me.system(),
                    "system user {who} created an integration"
                );
                check!(
                    self,
                    url.is_some_and(|u| u.user == me.id) && owner_after == Some(me.id),
                    "a new integration is not owned by, or its URL does not name, its creator {who}"
                );
            }
            Op::Edit { .. } | Op::Regenerate { .. } | Op::Disable { .. } | Op::Enable { .. } => {
                let Some((id, Some(owner))) = hook else {
                    return Err(fail(
                        self,
                        "an operation on an integration without an owner succeeded".into(),
                    ));
                };
                let toggling = matches!(op, Op::Disable { .. } | Op::Enable { .. });
                let mine = me.id == owner.id;
                let may = mine
                    || me.is_admin
                    || (!toggling && owner.system() && me.staff() && !me.system());
                check!(
                    self,
                    may,
                    "SPEC §2: {who} managed integration #{id} of {} without being its owner or an administrator",
                    owner.login
                );
                if toggling {
                    check!(
                        self,
                        owner_after == Some(owner.id),
                        "disabling or enabling integration #{id} changed its owner"
                    );
                    check!(
                        self,
                        !matches!(op, Op::Enable { .. }) || owner.active(),
                        "integration #{id} was enabled although its owner {} is dismissed",
                        owner.login
                    );
                    return Ok(());
                }
                if owner.system() && !mine {
                    check!(
                        self,
                        owner_after == Some(me.id),
                        "SPEC §3: {who} edited integration #{id} of system user {} without becoming its owner",
                        owner.login
                    );
                }
                if owner_after != Some(owner.id) {
                    check!(
                        self,
                        owner_after == Some(me.id) && !me.system(),
                        "integration #{id} went from {} to #{owner_after:?}, not to the editor {who}",
                        owner.login
                    );
                    check!(
                        self,
                        url.is_some_and(|u| u.user == me.id),
                        "SPEC §3: integration #{id} changed owner to {who} without a new URL naming them"
                    );
                }
                if matches!(op, Op::Regenerate { .. }) {
                    check!(
                        self,
                        url.is_some_and(|u| Some(u.user) == owner_after),
                        "the regenerated URL of integration #{id} does not name its owner"
                    );
                }
            }
            Op::Grant { .. } | Op::Revoke { .. } => {
                let Some(t) = target else {
                    return Err(fail(self, "a grant or revoke for nobody succeeded".into()));
                };
                check!(
                    self,
                    me.is_admin,
                    "SPEC §2: {who} changed permissions without being an administrator"
                );
                check!(
                    self,
                    !t.system(),
                    "the permissions of system user {} changed",
                    t.login
                );
                check!(
                    self,
                    !matches!(op, Op::Grant { .. }) || t.active(),
                    "dismissed {} was granted company-structure access",
                    t.login
                );
            }
            Op::ShowDismissed { .. } => {
                check!(
                    self,
                    me.is_admin,
                    "SPEC §2: {who} changed a setting without being an administrator"
                );
            }
        }
        Ok(())
    }

    /// Everything that must hold between any two operations.
    fn check_all(&self, dir: &Directory) -> Result<(), TestCaseError> {
        self.check_state()?;
        self.check_lists(dir, None)?;
        self.check_webhooks(dir)
    }

    /// Counts, owners, integrations, system users and administrators: cheap SQL, after
    /// every step whatever happened.
    fn check_state(&self) -> Result<(), TestCaseError> {
        let now = counts(&self.db);
        for (i, table) in COUNTED.iter().enumerate() {
            check!(
                self,
                now[i] == self.counts[i],
                "{table} has {} rows, it had {}",
                now[i],
                self.counts[i]
            );
        }
        let (orphans, dismissed_hooks, dismissed_system, admins): (i64, i64, i64, i64) = self
            .db
            .prepare_cached(
                "SELECT \
                   (SELECT COUNT(*) FROM tasks WHERE responsible_id NOT IN (SELECT id FROM employees) \
                                                  OR creator_id NOT IN (SELECT id FROM employees)) \
                 + (SELECT COUNT(*) FROM crm_items WHERE assigned_id NOT IN (SELECT id FROM employees)) \
                 + (SELECT COUNT(*) FROM files WHERE owner_id NOT IN (SELECT id FROM employees) \
                                                  OR created_by NOT IN (SELECT id FROM employees)) \
                 + (SELECT COUNT(*) FROM mailboxes WHERE owner_id NOT IN (SELECT id FROM employees)) \
                 + (SELECT COUNT(*) FROM integrations WHERE owner_id NOT IN (SELECT id FROM employees)), \
                 (SELECT COUNT(*) FROM integrations i JOIN employees o ON o.id = i.owner_id \
                  WHERE i.status = 'active' AND o.status = 'dismissed'), \
                 (SELECT COUNT(*) FROM employees WHERE kind = 'system' AND status != 'active'), \
                 (SELECT COUNT(*) FROM employees WHERE kind = 'employee' AND is_admin = 1 AND status = 'active')",
            )
            .expect("invariants")
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("invariants");
        check!(
            self,
            orphans == 0,
            "{orphans} owned items name an owner who does not exist"
        );
        check!(
            self,
            dismissed_hooks == 0,
            "SPEC §3: {dismissed_hooks} active integrations are owned by a dismissed employee"
        );
        check!(
            self,
            dismissed_system == 0,
            "SPEC §2: {dismissed_system} system users are dismissed"
        );
        check!(
            self,
            admins >= 1,
            "SPEC §2: no active administrator is left"
        );
        Ok(())
    }

    fn no_system_user(&self, what: &str, rows: &[ListRow]) -> Result<(), TestCaseError> {
        if let Some(row) = rows.iter().find(|r| r.employee.kind == Kind::System) {
            return Err(fail(
                self,
                format!("SPEC §3: {what} shows system user {}", row.employee.login),
            ));
        }
        Ok(())
    }

    /// No list, whatever its filter or search, shows a system user (SPEC §3; §2 for the
    /// successor picker); with show_dismissed off only the active list is allowed (§4).
    fn check_lists(&self, dir: &Directory, step: Option<usize>) -> Result<(), TestCaseError> {
        let admin: EmployeeId = self
            .db
            .prepare_cached(
                "SELECT id FROM employees WHERE kind = 'employee' AND is_admin = 1 \
                 AND status = 'active' ORDER BY id LIMIT 1",
            )
            .expect("an active administrator")
            .query_row([], |r| r.get(0))
            .expect("an active administrator");
        let admin = Actor::user(admin);
        let show = dir.show_dismissed().expect("setting");
        let list = |status: StatusFilter, search: Option<&str>, still_owns: bool| ListQuery {
            status,
            search: search.map(str::to_string),
            still_owns,
            offset: 0,
            limit: 10_000,
            ..Default::default()
        };
        for status in StatusFilter::ALL.iter().copied() {
            let query = list(status, None, false);
            let what = format!("list --status {status}");
            match dir.list(admin, &query) {
                Ok(page) => {
                    check!(
                        self,
                        show || status == StatusFilter::Active,
                        "SPEC §4: {what} succeeded with show_dismissed off"
                    );
                    self.no_system_user(&what, &page.rows)?;
                    if let Some(row) = page.rows.iter().find(|r| {
                        status == StatusFilter::Active && r.employee.status == Status::Dismissed
                    }) {
                        return Err(fail(
                            self,
                            format!("SPEC §4: {what} shows dismissed {}", row.employee.login),
                        ));
                    }
                }
                Err(e) => {
                    check!(
                        self,
                        !show && status != StatusFilter::Active,
                        "{what} as an administrator failed: {e}"
                    );
                    // What the list would show once an administrator turns the setting on.
                    let rows = q::list_employees(&self.db, &query).expect("list_employees");
                    self.no_system_user(&format!("{what} (show_dismissed on)"), &rows)?;
                }
            }
        }
        let backlog = dir
            .list(admin, &list(StatusFilter::Active, None, true))
            .expect("list --still-owns");
        self.no_system_user("list --still-owns", &backlog.rows)?;
        // Beyond the status filters: a search for a system user's exact login (which also
        // searches every name, login and email for it) and the successor picker. After a
        // step they take turns, and the search takes each system user in turn; the full
        // check does all of them.
        let (search, picker) = match step {
            Some(n) => (n % 2 == 0, n % 2 == 1),
            None => (true, true),
        };
        if search {
            let mut stmt = self
                .db
                .prepare_cached("SELECT login FROM employees WHERE kind = 'system' ORDER BY id")
                .expect("system users");
            let system_logins: Vec<String> = stmt
                .query_map([], |r| r.get(0))
                .expect("system users")
                .collect::<rusqlite::Result<_>>()
                .expect("system users");
            let searched: Vec<&String> = match step {
                Some(n) if !system_logins.is_empty() => {
                    vec![&system_logins[n / 2 % system_logins.len()]]
                }
                _ => system_logins.iter().collect(),
            };
            for login in searched {
                let rows =
                    q::list_employees(&self.db, &list(StatusFilter::Active, Some(login), false))
                        .expect("list_employees");
                self.no_system_user(&format!("list --search {login}"), &rows)?;
            }
        }
        if picker {
            let pickers = q::successors(&self.db, "", EmployeeId(-1), 10_000).expect("successors");
            if let Some(p) = pickers
                .iter()
                .find(|p| p.kind == Kind::System || p.status == Status::Dismissed)
            {
                return Err(fail(
                    self,
                    format!(
                        "SPEC §2: the successor picker offers {} ({:?}, {:?})",
                        p.login, p.kind, p.status
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A URL we hold works iff its integration is active and its owner is active; a
    /// replaced one never does.
    fn check_webhooks(&self, dir: &Directory) -> Result<(), TestCaseError> {
        for (&id, url) in &self.current {
            let (active, owner, owner_active): (bool, EmployeeId, bool) = self
                .db
                .prepare_cached(
                    "SELECT i.status = 'active', o.id, o.status = 'active' FROM integrations i \
                     JOIN employees o ON o.id = i.owner_id WHERE i.id = ?1",
                )
                .expect("integration")
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .expect("integration");
            let got = dir
                .authenticate_webhook(url.user, &url.code)
                .expect("authenticate_webhook");
            if active && owner_active {
                URLS_LIVE.fetch_add(1, Ordering::Relaxed);
            } else {
                URLS_DEAD.fetch_add(1, Ordering::Relaxed);
            }
            match got {
                Some((integration, acting)) => {
                    if acting.kind == Kind::System {
                        URLS_SYSTEM.fetch_add(1, Ordering::Relaxed);
                    }
                    check!(
                        self,
                        active && owner_active,
                        "the URL of integration #{id} still works although the integration is {} and its owner is {}",
                        if active { "active" } else { "disabled" },
                        if owner_active { "active" } else { "dismissed" }
                    );
                    check!(
                        self,
                        integration.id == id && acting.id == owner,
                        "the URL of integration #{id} authenticated as integration #{} acting as #{}, not #{id} acting as its owner #{owner}",
                        integration.id,
                        acting.id
                    );
                }
                None => check!(
                    self,
                    !(active && owner_active),
                    "SPEC §3: the URL of integration #{id} stopped working although it is active and its owner #{owner} is active"
                ),
            }
        }
        for (id, url) in &self.stale {
            URLS_DEAD.fetch_add(1, Ordering::Relaxed);
            let got = dir
                .authenticate_webhook(url.user, &url.code)
                .expect("authenticate_webhook");
            check!(
                self,
                got.is_none(),
                "SPEC §3: an old URL of integration #{id} still works after a new secret was issued"
            );
        }
        Ok(())
    }
}

const AUDIT_COUNT: &str = "SELECT COUNT(*) FROM audit_events";

/// Run one sequence on a fresh copy of the demo company.
fn run_sequence(ops: &[Op]) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("company.db");
    std::fs::write(&path, &template().bytes).expect("copy the template");
    let mut dir = Directory::open(&path).expect("open the copy");
    let mut world = World::new(&path);
    // The copy is the template byte for byte, which `the_demo_company_holds_every_invariant`
    // checks in full; here the cheap checks confirm that the copy is what we think.
    world.check_state()?;
    for (n, op) in ops.iter().enumerate() {
        world.step(&mut dir, n, op)?;
    }
    // The library's connection first, so that ours, which skips the checkpoint, is last.
    drop(dir);
    drop(world);
    SEQUENCES.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

fn run_part() {
    let started = *STARTED.get_or_init(Instant::now);
    let cases = std::env::var("INVARIANT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES_PER_PART);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    template();
    match runner.run(&sequence(), |ops| run_sequence(&ops)) {
        Ok(()) => {}
        Err(TestError::Fail(why, ops)) => panic!(
            "an invariant broke; minimal sequence ({} steps): {ops:?}\n{why}",
            ops.len()
        ),
        Err(TestError::Abort(why)) => panic!("aborted: {why}"),
    }
    if PARTS_DONE.fetch_add(1, Ordering::SeqCst) + 1 == PARTS {
        // Straight to the process's stderr, past the test harness's capture, so that the
        // figures show in an ordinary `cargo test` run.
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            summary(started.elapsed().as_secs_f64())
        );
    }
}

/// The starting point of every sequence satisfies every invariant.
#[test]
fn the_demo_company_holds_every_invariant() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("company.db");
    std::fs::write(&path, &template().bytes).expect("copy the template");
    let dir = Directory::open(&path).expect("open the copy");
    let world = World::new(&path);
    if let Err(e) = world.check_all(&dir) {
        panic!("{e}");
    }
    // The demo company has system users, so the list checks see some.
    assert!(world.count("SELECT COUNT(*) FROM employees WHERE kind = 'system'") > 0);
    drop(dir);
}

#[test]
fn invariants_hold_under_random_use_part_1() {
    run_part();
}

#[test]
fn invariants_hold_under_random_use_part_2() {
    run_part();
}

#[test]
fn invariants_hold_under_random_use_part_3() {
    run_part();
}

#[test]
fn invariants_hold_under_random_use_part_4() {
    run_part();
}
