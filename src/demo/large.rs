//! The large synthetic company of SPEC §7, for measuring scale. Deterministic: the same
//! seed gives the same company (webhook secrets aside, which always come from the OS).

use std::sync::atomic::{AtomicBool, Ordering};

use super::{BuildProgress, Summary};
use crate::Directory;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::domain::{EmployeeId, IntegrationStatus, Kind, Result, ScopeSet, secret};
use crate::store::{bulk, queries as q};

/// How big to build. `default()` is SPEC §7's size; tests use `scaled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeSpec {
    pub employees: i64,
    pub tasks: i64,
    /// Open tasks whose responsible is `heavy` (part of `tasks`).
    pub heavy_tasks: i64,
    pub crm_items: i64,
    pub files: i64,
    pub messages: i64,
    pub integrations: i64,
    pub seed: u64,
}

impl Default for LargeSpec {
    fn default() -> Self {
        LargeSpec {
            employees: 100_000,
            tasks: 2_000_000,
            heavy_tasks: 200_000,
            crm_items: 500_000,
            files: 500_000,
            messages: 2_000_000,
            integrations: 10_000,
            seed: 0x0ff_b0a2d,
        }
    }
}

/// What each employee brings to a synthetic company of any size: the proportions of
/// the large company (`LargeSpec::default`).
pub const TASKS_PER_EMPLOYEE: i64 = 20;
pub const HEAVY_TASKS_PER_EMPLOYEE: i64 = 2;
pub const CRM_ITEMS_PER_EMPLOYEE: i64 = 5;
pub const FILES_PER_EMPLOYEE: i64 = 5;
pub const MESSAGES_PER_EMPLOYEE: i64 = 20;
pub const EMPLOYEES_PER_INTEGRATION: i64 = 10;

impl LargeSpec {
    /// A company of `employees` in the large company's proportions.
    pub fn for_employees(employees: i64) -> Self {
        let n = employees.max(1);
        LargeSpec {
            employees: n,
            tasks: n * TASKS_PER_EMPLOYEE,
            heavy_tasks: n * HEAVY_TASKS_PER_EMPLOYEE,
            crm_items: n * CRM_ITEMS_PER_EMPLOYEE,
            files: n * FILES_PER_EMPLOYEE,
            messages: n * MESSAGES_PER_EMPLOYEE,
            integrations: (n / EMPLOYEES_PER_INTEGRATION).max(1),
            seed: LargeSpec::default().seed,
        }
    }

    /// About how many rows the build writes, as `BuildProgress::rows` counts them.
    pub fn rows(&self) -> u64 {
        let meetings = (self.employees / 2).max(10);
        let posts = self.employees.max(10);
        (self.employees
            + self.tasks
            + self.crm_items
            + self.files
            + self.messages
            + meetings
            + posts
            + self.integrations) as u64
    }

    /// The same shape, divided by `factor` (at least a few of everything).
    pub fn scaled(factor: i64) -> Self {
        let d = LargeSpec::default();
        let f = factor.max(1);
        LargeSpec {
            employees: (d.employees / f).max(50),
            tasks: (d.tasks / f).max(100),
            heavy_tasks: (d.heavy_tasks / f).max(10),
            crm_items: (d.crm_items / f).max(20),
            files: (d.files / f).max(20),
            messages: (d.messages / f).max(100),
            integrations: (d.integrations / f).max(10),
            seed: d.seed,
        }
    }
}

/// SplitMix64: small, fast and good enough to make synthetic data reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n.max(1) as u64) as i64
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as i64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Anna", "Ben", "Carla", "David", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira",
    "Leon", "Maya", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wim", "Xenia", "Yara", "Zoltan", "Amir", "Bea", "Chen", "Dana", "Emil", "Fatima", "Gil",
    "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia", "Oscar", "Priya", "Rafael", "Sofia",
    "Tomas", "Ulla", "Viktor", "Wen", "Yusuf", "Zara",
];
const LAST: &[&str] = &[
    "Andersen",
    "Bauer",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Larsen",
    "Meyer",
    "Novak",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ulrich",
    "Vos",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Alvarez",
    "Brandt",
    "Chopra",
    "Dahl",
    "Engel",
    "Ferreira",
    "Gruber",
    "Horvat",
    "Ito",
    "Jovanovic",
    "Keller",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Olsen",
    "Park",
    "Reyes",
    "Sato",
    "Torres",
    "Urban",
    "Varga",
    "Wagner",
    "Young",
    "Zhou",
];
const DIVISIONS: &[&str] = &[
    "Sales",
    "Marketing",
    "Engineering",
    "Support",
    "Finance",
    "Human Resources",
    "Operations",
    "Logistics",
    "Legal",
    "Procurement",
];
const REGIONS: &[&str] = &["North", "South", "East", "West", "Central", "Nordics"];
const POSITIONS: &[&str] = &[
    "Specialist",
    "Senior Specialist",
    "Team Lead",
    "Analyst",
    "Coordinator",
    "Manager",
    "Engineer",
    "Senior Engineer",
    "Consultant",
    "Assistant",
];
const TASK_VERBS: &[&str] = &[
    "Review", "Prepare", "Update", "Check", "Plan", "Send", "Fix", "Draft",
];
const TASK_NOUNS: &[&str] = &[
    "shipment report",
    "customer offer",
    "invoice batch",
    "route plan",
    "contract renewal",
    "release notes",
    "onboarding checklist",
    "budget sheet",
    "carrier audit",
    "warehouse count",
];
const FILE_STEMS: &[&str] = &[
    "shipment-report",
    "customer-offer",
    "invoice-batch",
    "route-plan",
    "contract-renewal",
    "release-notes",
    "onboarding-checklist",
    "budget-sheet",
    "carrier-audit",
    "warehouse-count",
];
const CRM_KINDS: &[(&str, &[&str])] = &[
    ("deal", &["NEW", "PREPARATION", "EXECUTING", "WON", "LOSE"]),
    ("lead", &["NEW", "IN_PROCESS", "CONVERTED", "JUNK"]),
    ("contact", &["ACTIVE"]),
    ("company", &["ACTIVE"]),
];

/// Timestamps between 2023 and 2026, made once: formatting millions of them would cost
/// more than inserting the rows.
struct Stamps(Vec<String>);

impl Stamps {
    fn new(rng: &mut Rng) -> Self {
        let mut v: Vec<String> = (0..4096)
            .map(|_| {
                format!(
                    "20{:02}-{:02}-{:02}T{:02}:{:02}:00Z",
                    23 + rng.below(4),
                    1 + rng.below(12),
                    1 + rng.below(28),
                    8 + rng.below(10),
                    rng.below(60)
                )
            })
            .collect();
        v.sort();
        Stamps(v)
    }
    fn pick(&self, rng: &mut Rng) -> &str {
        &self.0[rng.below(self.0.len() as i64) as usize]
    }
    /// `pick`, for the few records the store takes as a moment rather than as text.
    fn pick_moment(&self, rng: &mut Rng) -> Result<DateTime<Utc>> {
        let text = self.pick(rng);
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| crate::Error::Storage(format!("generated moment \"{text}\": {e}")))
    }
    /// The `n`-th of `total` records made over the whole period: later records are
    /// never older, as when ids follow creation in a real portal.
    fn at(&self, n: i64, total: i64) -> &str {
        let len = self.0.len() as i64;
        let i = if total > 0 { n * len / total } else { 0 };
        &self.0[i.clamp(0, len - 1) as usize]
    }
}

/// Who the company's generated work is handed to: everyone, and the fixed logins.
#[derive(Clone, Copy)]
struct People<'a> {
    ids: &'a [EmployeeId],
    logins: &'a [String],
    admin: EmployeeId,
    hr: EmployeeId,
    jdoe: EmployeeId,
    heavy: EmployeeId,
    integrator: EmployeeId,
}

/// The tables written on the second thread: the biggest, with the costliest indexes.
const SIDE_TABLES: &[&str] = &["tasks", "task_participants"];

/// Partial indexes of those tables that no generated row enters (no task has been
/// handed over yet).
const EMPTY_AFTER_LOAD: &[&str] = &["tasks_former"];

/// Tasks: `heavy` carries a huge open backlog; the rest are spread out. Written into the
/// side file by its own connection, indexes included, in one transaction. Its own random
/// stream keeps the company the same from run to run whatever the threads do.
fn write_tasks(
    c: &rusqlite::Connection,
    spec: &LargeSpec,
    people: &People,
    stamps: &Stamps,
    indexes: &bulk::Deferred,
    stops: [&AtomicBool; 2],
    progress: &BuildProgress,
) -> Result<()> {
    let (ids, heavy) = (people.ids, people.heavy);
    let mut rng = Rng(spec.seed ^ 0x7a5c_0000_0000_0001);
    let count = ids.len() as i64;
    let anyone = |rng: &mut Rng| ids[rng.below(count) as usize];
    let tx = c.unchecked_transaction()?;
    for n in 0..spec.tasks {
        if n % CHECK_EVERY == 0 {
            if n > 0 {
                progress.add(CHECK_EVERY as u64);
            }
            if stops.iter().any(|s| s.load(Ordering::Relaxed)) {
                return Err(crate::Error::other(
                    "stopped: the rest of the build failed or was stopped",
                ));
            }
        }
        let responsible = if n < spec.heavy_tasks {
            heavy
        } else {
            anyone(&mut rng)
        };
        let status = if n < spec.heavy_tasks {
            "open"
        } else {
            ["open", "in_progress", "done", "done", "done"][rng.below(5) as usize]
        };
        let title = format!(
            "{} {} #{}",
            rng.pick(TASK_VERBS),
            rng.pick(TASK_NOUNS),
            n + 1
        );
        let id = bulk::task(
            &tx,
            &title,
            status,
            anyone(&mut rng),
            responsible,
            stamps.at(n, spec.tasks),
        )?;
        if n % 10 == 0 {
            bulk::task_participant(&tx, id, anyone(&mut rng))?;
        }
    }
    for sql in indexes.sql() {
        if stops.iter().any(|s| s.load(Ordering::Relaxed)) {
            return Err(crate::Error::other(CANCELLED));
        }
        tx.execute_batch(sql)?;
    }
    tx.commit()?;
    Ok(())
}

/// Build the large synthetic company into an empty directory, in one transaction.
pub fn build_large(dir: &mut Directory, spec: LargeSpec) -> Result<Summary> {
    build_large_unless(dir, spec, &AtomicBool::new(false))
}

/// The error a build gives when `cancel` stops it.
const CANCELLED: &str = "the build was stopped before it finished";

/// What a build's loops look at between rows: whether to stop, and where to count.
#[derive(Clone, Copy)]
struct Watch<'a> {
    cancel: &'a AtomicBool,
    progress: &'a BuildProgress,
}

/// How many rows go between two looks at `cancel` (and two counts of progress).
const CHECK_EVERY: i64 = 4_096;

/// Between rows: count the rows written since the last look, and stop if asked.
fn checkpoint(n: i64, cancel: &AtomicBool, progress: &BuildProgress) -> Result<()> {
    if n > 0 {
        progress.add(CHECK_EVERY as u64);
    }
    go_on(cancel)
}

/// Fail between rows once `cancel` is set (Ctrl-C in `offboard demo`).
fn go_on(cancel: &AtomicBool) -> Result<()> {
    if cancel.load(Ordering::Relaxed) {
        Err(crate::Error::other(CANCELLED))
    } else {
        Ok(())
    }
}

/// `build_large`, stopping with an error soon after `cancel` is set: between rows
/// (checked every 4,096) and between the phases of the build. Nothing is committed
/// then, and the side file is removed.
pub fn build_large_unless(
    dir: &mut Directory,
    spec: LargeSpec,
    cancel: &AtomicBool,
) -> Result<Summary> {
    build_large_watched(dir, spec, cancel, &BuildProgress::default())
}

/// `build_large_unless`, telling `progress` how far it has come.
pub fn build_large_watched(
    dir: &mut Directory,
    spec: LargeSpec,
    cancel: &AtomicBool,
    progress: &BuildProgress,
) -> Result<Summary> {
    progress.enter("employees");
    if !dir.is_empty()? {
        return Err(crate::Error::WrongState(
            crate::domain::Conflict::CompanyExists,
        ));
    }
    let company = "Corvane Logistics (synthetic)";
    let mut rng = Rng(spec.seed);
    let stamps = Stamps::new(&mut rng);
    let mut s = Summary {
        company: company.into(),
        ..Default::default()
    };
    let now = Utc
        .with_ymd_and_hms(2026, 11, 1, 8, 0, 0)
        .single()
        .unwrap_or_default();
    let db_path = dir.path().to_path_buf();
    let door = crate::domain::Via::of(dir.door(), None);
    let conn = dir.connection_mut();
    bulk::fast_load(conn, true)?;
    bulk::foreign_keys(conn, false)?;
    let side = bulk::SideFile::attach(conn, &db_path, SIDE_TABLES)?;
    let tx = conn.transaction()?;
    let mut deferred = bulk::defer_indexes(&tx)?;
    let mut side_indexes = deferred.take(SIDE_TABLES, "index");
    // An index the load leaves empty costs nothing per row, while building it after the
    // load means reading every task: it is made first, in the side file and in main.
    let side_early = side_indexes.take_named(EMPTY_AFTER_LOAD);
    let side_triggers = deferred.take(SIDE_TABLES, "trigger");

    let mut departments = Vec::new();
    for d in DIVISIONS {
        let parent = q::insert_department(&tx, d, None)?;
        departments.push(parent);
        for r in REGIONS {
            departments.push(q::insert_department(
                &tx,
                &format!("{d} {r}"),
                Some(parent),
            )?);
        }
    }
    s.departments = departments.len() as i64;

    let fixed: [(&str, &str, &str, &str, bool, bool); 5] = [
        (
            "admin",
            "Marek",
            "Nowicki",
            "Portal Administrator",
            true,
            false,
        ),
        ("hr", "Laura", "Jensen", "HR Manager", false, true),
        ("jdoe", "Jane", "Doe", "Account Manager", false, false),
        (
            "heavy",
            "Henrik",
            "Vogel",
            "Operations Manager",
            false,
            false,
        ),
        (
            "integrator",
            "Ines",
            "Marsh",
            "Integration Engineer",
            false,
            false,
        ),
    ];
    let mut ids: Vec<EmployeeId> = Vec::with_capacity(spec.employees as usize);
    let mut logins: Vec<String> = Vec::with_capacity(spec.employees as usize);
    for (login, first, last, position, admin, structure) in fixed {
        let id = q::insert_employee(
            &tx,
            &q::NewEmployeeRow {
                login,
                first_name: first,
                last_name: last,
                email: &format!("{login}@corvane.example"),
                position,
                department_id: Some(departments[0]),
                hired_on: NaiveDate::from_ymd_opt(2018, 3, 1).unwrap_or_default(),
                is_admin: admin,
                kind: Kind::Employee,
                system_for: None,
                created_at: now,
            },
        )?;
        if structure {
            q::grant_structure(&tx, id, None, now)?;
        }
        ids.push(id);
        logins.push(login.to_string());
    }
    let (admin, hr, jdoe, heavy, integrator) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    for n in ids.len() as i64..spec.employees {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        let login = format!(
            "{}{}{}",
            first[..1].to_ascii_lowercase(),
            last.to_ascii_lowercase(),
            n
        );
        let dept = departments[rng.below(departments.len() as i64) as usize];
        let id = q::insert_employee(
            &tx,
            &q::NewEmployeeRow {
                login: &login,
                first_name: first,
                last_name: last,
                email: &format!("{login}@corvane.example"),
                position: rng.pick(POSITIONS),
                department_id: Some(dept),
                hired_on: NaiveDate::from_ymd_opt(
                    2010 + rng.below(16) as i32,
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                )
                .unwrap_or_default(),
                is_admin: false,
                kind: Kind::Employee,
                system_for: None,
                created_at: now,
            },
        )?;
        ids.push(id);
        logins.push(login);
    }
    s.employees = ids.len() as i64;
    progress.enter("tasks, CRM items, files and messages");
    let people = People {
        ids: &ids,
        logins: &logins,
        admin,
        hr,
        jdoe,
        heavy,
        integrator,
    };

    // Tasks go to the side file on a second thread while this one writes the rest; if
    // either fails, the other is told to stop and the build fails as a whole.
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<()> {
        let tasks = scope.spawn(|| {
            side.open().and_then(|c| {
                bulk::restore(&c, side_early.clone()).and_then(|()| {
                    write_tasks(
                        &c,
                        &spec,
                        &people,
                        &stamps,
                        &side_indexes,
                        [&stop, cancel],
                        progress,
                    )
                })
            })
        });
        // This connection's own indexes are built while the other thread still works.
        let rest = write_rest(
            &tx,
            &spec,
            &people,
            &stamps,
            &mut rng,
            &mut s,
            Watch { cancel, progress },
        )
        .and_then(|()| go_on(cancel))
        .and_then(|()| {
            progress.enter("indexes");
            bulk::restore(&tx, deferred)
        })
        .and_then(|()| go_on(cancel))
        .and_then(|()| {
            progress.enter("search index");
            bulk::fill_search(&tx)
        });
        if rest.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let tasks = tasks.join().map_err(|_| {
            crate::Error::other("the thread writing the tasks stopped unexpectedly")
        })?;
        rest.and(tasks)
    })?;
    s.tasks = spec.tasks;
    q::append_audit(
        &tx,
        now,
        admin,
        "demo",
        None,
        &serde_json::json!({ "company": company, "size": "large" }),
        &door,
    )?;
    bulk::disable_integrations_of_dismissed(&tx)?;
    go_on(cancel)?;
    // The same indexes on the empty main tables, then one ordered copy of rows and entries.
    progress.enter("tasks into place");
    bulk::restore(&tx, side_early)?;
    bulk::restore(&tx, side_indexes)?;
    side.copy_into_main(&tx, SIDE_TABLES)?;
    bulk::restore(&tx, side_triggers)?;
    progress.enter("counts");
    q::recount_work(&tx)?;
    q::recount_employees(&tx)?;
    tx.commit()?;
    let conn = dir.connection_mut();
    side.detach(conn)?;
    bulk::foreign_keys(conn, true)?;
    progress.enter("statistics");
    bulk::analyze(conn)?;
    bulk::fast_load(conn, false)?;
    dir.mark_demo(company)?;
    progress.enter("done");
    Ok(s)
}

/// Everything but the tasks, on the loading connection.
fn write_rest(
    tx: &rusqlite::Connection,
    spec: &LargeSpec,
    people: &People,
    stamps: &Stamps,
    rng: &mut Rng,
    s: &mut Summary,
    Watch { cancel, progress }: Watch<'_>,
) -> Result<()> {
    let People {
        ids,
        logins,
        admin,
        hr,
        jdoe,
        heavy,
        integrator,
    } = *people;
    let count = ids.len() as i64;
    let anyone = |rng: &mut Rng| ids[rng.below(count) as usize];

    for n in 0..spec.crm_items {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        let (kind, stages) = CRM_KINDS[rng.below(CRM_KINDS.len() as i64) as usize];
        let stage = stages[rng.below(stages.len() as i64) as usize];
        let assigned = if n % 50 == 0 { heavy } else { anyone(rng) };
        bulk::crm_item(
            tx,
            kind,
            &format!("{} {} {}", rng.pick(LAST), kind, n + 1),
            stage,
            assigned,
            stamps.at(n, spec.crm_items),
        )?;
    }
    s.crm_items = spec.crm_items;
    for n in 0..spec.files {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        let owner = if n % 50 == 0 { heavy } else { anyone(rng) };
        let name = format!(
            "{}-{}.pdf",
            FILE_STEMS[rng.below(FILE_STEMS.len() as i64) as usize],
            n + 1
        );
        bulk::file(
            tx,
            &name,
            1_000 + rng.below(5_000_000),
            "/Shared/Documents",
            owner,
            stamps.at(n, spec.files),
        )?;
    }
    s.files = spec.files;
    go_on(cancel)?;
    for (&id, login) in ids.iter().zip(logins) {
        bulk::mailbox(tx, &format!("{login}@mail.corvane.example"), id)?;
    }
    s.mailboxes = count;

    // Messages: ten per private chat; pairs (a, a + k) never repeat.
    let mut written = 0;
    let mut c: i64 = -1;
    while written < spec.messages {
        c += 1;
        // Ten messages a chat: a look every CHECK_EVERY messages or so.
        if c % (CHECK_EVERY / 10) == 0 {
            if c > 0 {
                progress.add(CHECK_EVERY as u64);
            }
            go_on(cancel)?;
        }
        let (a, b) = if c == 0 {
            (admin, jdoe)
        } else if c == 1 {
            (admin, heavy)
        } else {
            let a = c % count;
            let k = 1 + c / count;
            if a == 0 && (k == 2 || k == 3) {
                // admin's chats with jdoe and heavy are made above
                continue;
            }
            (ids[a as usize], ids[((a + k) % count) as usize])
        };
        if a == b {
            continue;
        }
        let chat = bulk::private_chat(tx, a, b)?;
        for m in 0..10 {
            if written >= spec.messages {
                break;
            }
            let author = if m % 2 == 0 { a } else { b };
            bulk::message(
                tx,
                chat,
                author,
                &format!("About the {}: update {}", rng.pick(TASK_NOUNS), m + 1),
                stamps.at(written, spec.messages),
            )?;
            written += 1;
        }
    }
    s.messages = written;

    let meetings = (spec.employees / 2).max(10);
    for n in 0..meetings {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        let id = bulk::meeting(
            tx,
            &format!("Weekly sync {}", n + 1),
            stamps.at(n, meetings),
            anyone(rng),
        )?;
        for _ in 0..3 {
            bulk::attendee(tx, id, anyone(rng))?;
        }
        if n % 100 == 0 {
            bulk::attendee(tx, id, heavy)?;
        }
    }
    s.meetings = meetings;
    let posts = spec.employees.max(10);
    for n in 0..posts {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        bulk::post(
            tx,
            anyone(rng),
            &format!("Team news {}: the {} is done", n + 1, rng.pick(TASK_NOUNS)),
            stamps.at(n, posts),
        )?;
    }
    s.posts = posts;
    let groups = (spec.employees / 100).max(5);
    for n in 0..groups {
        let id = bulk::group(tx, &format!("Workgroup {}", n + 1), "Synthetic workgroup")?;
        for _ in 0..30 {
            bulk::group_member(tx, id, anyone(rng))?;
        }
        if n < 5 {
            bulk::group_member(tx, id, heavy)?;
        }
    }
    s.groups = groups;

    // Integrations: `integrator` owns exactly five active ones; the rest are spread out,
    // never to the fixed logins, so that each benchmark knows what it is dismissing.
    const SCOPE_SETS: &[&str] = &[
        "user",
        "task",
        "crm",
        "user,task",
        "task,crm",
        "user,department,task,crm",
    ];
    let scope_sets = SCOPE_SETS
        .iter()
        .map(|s| s.parse())
        .collect::<Result<Vec<ScopeSet>>>()?;
    for n in 0..spec.integrations {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        let owner = if n < 5 {
            integrator
        } else {
            ids[5 + rng.below(count - 5) as usize]
        };
        let salt = secret::new_salt()?;
        let code = secret::new_code()?;
        q::insert_integration(
            tx,
            &q::NewIntegration {
                title: &format!("Sync job {}", n + 1),
                owner_id: owner,
                scopes: scope_sets[rng.below(scope_sets.len() as i64) as usize],
                salt: &salt,
                hash: &secret::hash_code(&salt, &code),
                status: if n < 5 || rng.below(10) > 0 {
                    IntegrationStatus::Active
                } else {
                    IntegrationStatus::Disabled
                },
                created_by: owner,
                created_at: stamps.pick_moment(rng)?,
            },
        )?;
    }
    s.integrations = spec.integrations;

    // Two in a hundred have left (never the fixed logins); their integrations were disabled.
    for (n, &id) in ids.iter().enumerate().skip(5) {
        if n % 50 == 7 {
            bulk::past_dismissal(tx, id, stamps.pick(rng), hr, "resigned")?;
            s.dismissed += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod proportion_tests {
    use super::*;

    #[test]
    fn the_large_company_is_its_own_proportions_at_100000() {
        assert_eq!(LargeSpec::for_employees(100_000), LargeSpec::default());
        let s = LargeSpec::for_employees(1_000_000);
        assert_eq!(
            (s.tasks, s.heavy_tasks, s.integrations),
            (20_000_000, 2_000_000, 100_000)
        );
    }
}
