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
    jdoe: EmployeeId,
    heavy: EmployeeId,
    /// where `heavy` is in `ids`
    heavy_at: usize,
    integrator: EmployeeId,
}

/// The tables written on the second thread: the biggest, with the costliest indexes.
const SIDE_TABLES: &[&str] = &["tasks", "task_participants"];

/// The search index, filled in the side file too once the tasks are written, from rows
/// the loading connection reads when the employees are in (`bulk::search_rows`).
const SIDE_SEARCH: &str = "employee_words";

/// Indexes of those tables made before their rows, in the side file and in main: one
/// that no generated row enters (no task has been handed over yet), and one whose rows
/// are written in its own order, each an append (`write_tasks`).
const SIDE_EARLY: &[&str] = &["tasks_former", "tasks_responsible"];

/// Indexes of the loading connection's tables whose rows are written in the index's
/// own order: kept while they are, each row an append, instead of sorted afterwards.
const IN_ORDER: &[&str] = &[
    "messages_chat",
    "crm_items_assigned",
    "crm_items_assigned_time",
    "files_owner",
    "files_created_by",
];

/// How many of `total` things each person gets: with `favourite = Some((who, k))` every
/// `k`-th goes to `who`, every other to someone at random. Counted first, so that each
/// person's things can then be written together.
fn spread(rng: &mut Rng, people: usize, total: i64, favourite: Option<(usize, i64)>) -> Vec<i64> {
    let mut counts = vec![0i64; people];
    for n in 0..total {
        let who = match favourite {
            Some((who, k)) if n % k == 0 => who,
            _ => rng.below(people as i64) as usize,
        };
        counts[who] += 1;
    }
    counts
}

/// Tasks: `heavy` carries a huge open backlog; the rest are spread out. Written into the
/// side file by its own connection, indexes included, in one transaction. Its own random
/// stream keeps the company the same from run to run whatever the threads do.
///
/// Each person's tasks are written together, in status order, so the responsible index
/// (`tasks_responsible`) is appended to as they come (but for the few that come after
/// `heavy`'s backlog, which has the first ids). Returns what each person (in the
/// order of `people.ids`) is responsible for.
fn write_tasks(
    c: &rusqlite::Connection,
    spec: &LargeSpec,
    people: &People,
    stamps: &Stamps,
    indexes: &bulk::Deferred,
    stops: [&AtomicBool; 2],
    progress: &BuildProgress,
) -> Result<Vec<bulk::Owned>> {
    let (ids, heavy_at) = (people.ids, people.heavy_at);
    let mut rng = Rng(spec.seed ^ 0x7a5c_0000_0000_0001);
    let count = ids.len() as i64;
    let anyone = |rng: &mut Rng| ids[rng.below(count) as usize];
    let backlog = spec.heavy_tasks.min(spec.tasks);
    let mut per_person = spread(&mut rng, ids.len(), spec.tasks - backlog, None);
    let mut owned = vec![bulk::Owned::default(); ids.len()];
    let tx = c.unchecked_transaction()?;
    let first = bulk::next_id(&tx, "tasks")?;
    let mut tasks = bulk::Batch::new(
        &tx,
        "INSERT INTO tasks (id, title, status, creator_id, responsible_id, created_at)",
        6,
    );
    let mut participants = bulk::Batch::new(
        &tx,
        "INSERT OR IGNORE INTO task_participants (task_id, employee_id)",
        2,
    );
    let mut n: i64 = 0;
    let mut statuses: Vec<&str> = Vec::new();
    // `heavy`'s backlog comes first (the first ids, as the benchmark expects), then
    // everyone's share in turn.
    for group in std::iter::once(None).chain((0..ids.len()).map(Some)) {
        statuses.clear();
        let k = match group {
            None => {
                statuses.extend(std::iter::repeat_n("open", backlog as usize));
                heavy_at
            }
            Some(k) => {
                for _ in 0..std::mem::take(&mut per_person[k]) {
                    statuses.push(
                        ["open", "in_progress", "done", "done", "done"][rng.below(5) as usize],
                    );
                }
                statuses.sort_unstable();
                k
            }
        };
        let responsible = ids[k];
        owned[k].responsible += statuses.len() as i64;
        owned[k].done += statuses.iter().filter(|s| **s == "done").count() as i64;
        for &status in &statuses {
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
            let title = format!(
                "{} {} #{}",
                rng.pick(TASK_VERBS),
                rng.pick(TASK_NOUNS),
                n + 1
            );
            let id = first + n;
            tasks.push([
                bulk::int(id),
                title.into(),
                status.into(),
                bulk::int(anyone(&mut rng).0),
                bulk::int(responsible.0),
                stamps.at(n, spec.tasks).into(),
            ])?;
            if n % 10 == 0 {
                participants.push([bulk::int(id), bulk::int(anyone(&mut rng).0)])?;
            }
            n += 1;
        }
    }
    tasks.finish()?;
    participants.finish()?;
    for sql in indexes.sql() {
        if stops.iter().any(|s| s.load(Ordering::Relaxed)) {
            return Err(crate::Error::other(CANCELLED));
        }
        tx.execute_batch(sql)?;
    }
    tx.commit()?;
    Ok(owned)
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
    let side = bulk::SideFile::attach(conn, &db_path, &[SIDE_TABLES, &[SIDE_SEARCH]].concat())?;
    let tx = conn.transaction()?;
    let mut deferred = bulk::defer_indexes(&tx)?;
    let mut side_indexes = deferred.take(SIDE_TABLES, "index");
    // An index the load leaves empty, or one it appends to, costs little per row, while
    // building it after the load means reading every task: made first, in both files.
    let side_early = side_indexes.take_named(SIDE_EARLY);
    let side_triggers = deferred.take(SIDE_TABLES, "trigger");
    bulk::restore(&tx, deferred.take_named(IN_ORDER))?;

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
    // Two in a hundred have left (never the fixed logins); their integrations are
    // disabled at the end. Then the search index's rows can be read: every name and
    // state is final.
    for (n, &id) in ids.iter().enumerate().skip(5) {
        if n % 50 == 7 {
            bulk::past_dismissal(&tx, id, stamps.pick(&mut rng), hr, "resigned")?;
            s.dismissed += 1;
        }
    }
    let search = bulk::search_rows(&tx)?;
    progress.enter("tasks, CRM items, files, messages and search index");
    let people = People {
        ids: &ids,
        logins: &logins,
        admin,
        jdoe,
        heavy,
        heavy_at: 3, // as `heavy` is ids[3] above
        integrator,
    };

    // Tasks go to the side file on a second thread while this one writes the rest; if
    // either fails, the other is told to stop and the build fails as a whole.
    let stop = AtomicBool::new(false);
    let owned = std::thread::scope(|scope| -> Result<Vec<bulk::Owned>> {
        let tasks = std::thread::Builder::new()
            .name("offboard-tasks".into())
            .spawn_scoped(scope, || {
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
                        .and_then(|owned| {
                            go_on(&stop).and_then(|()| go_on(cancel))?;
                            bulk::fill_search_with(&c, &search)?;
                            Ok(owned)
                        })
                    })
                })
            })
            .map_err(|e| crate::Error::io("cannot start the thread writing the tasks", &e))?;
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
        .and_then(|owned| {
            go_on(cancel)?;
            progress.enter("indexes");
            bulk::restore(&tx, deferred)?;
            go_on(cancel)?;
            Ok(owned)
        });
        if rest.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let tasks = tasks.join().map_err(|_| {
            crate::Error::other("the thread writing the tasks stopped unexpectedly")
        })?;
        let (mut owned, tasks) = (rest?, tasks?);
        for (o, t) in owned.iter_mut().zip(tasks) {
            o.responsible = t.responsible;
            o.done = t.done;
        }
        Ok(owned)
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
    progress.enter("tasks and search index into place");
    bulk::restore(&tx, side_early)?;
    bulk::restore(&tx, side_indexes)?;
    side.copy_into_main(&tx, SIDE_TABLES)?;
    side.copy_search_into_main(&tx)?;
    bulk::restore(&tx, side_triggers)?;
    progress.enter("counts");
    bulk::write_work_counts(&tx, ids.iter().copied().zip(&owned))?;
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
) -> Result<Vec<bulk::Owned>> {
    let People {
        ids,
        logins,
        admin,
        jdoe,
        heavy,
        heavy_at,
        integrator,
    } = *people;
    let count = ids.len() as i64;
    let anyone = |rng: &mut Rng| ids[rng.below(count) as usize];

    let mut owned = vec![bulk::Owned::default(); ids.len()];

    // CRM items and files: each person's written together, a person's CRM items by
    // stage, so that the indexes on them (by owner and stage, by owner and time) are
    // appended to as the rows come. Dates follow ids, as for every record.
    let per_person = spread(rng, ids.len(), spec.crm_items, Some((heavy_at, 50)));
    let mut crm = bulk::Batch::new(
        tx,
        "INSERT INTO crm_items (kind, title, stage, assigned_id, created_at)",
        5,
    );
    let mut items: Vec<(&str, &str)> = Vec::new();
    let mut n: i64 = 0;
    for (k, &assigned) in ids.iter().enumerate() {
        items.clear();
        for _ in 0..per_person[k] {
            let (kind, stages) = CRM_KINDS[rng.below(CRM_KINDS.len() as i64) as usize];
            items.push((stages[rng.below(stages.len() as i64) as usize], kind));
        }
        items.sort_unstable();
        for &(stage, kind) in &items {
            if n % CHECK_EVERY == 0 {
                checkpoint(n, cancel, progress)?;
            }
            owned[k].crm(stage);
            crm.push([
                kind.into(),
                format!("{} {} {}", rng.pick(LAST), kind, n + 1).into(),
                stage.into(),
                bulk::int(assigned.0),
                stamps.at(n, spec.crm_items).into(),
            ])?;
            n += 1;
        }
    }
    crm.finish()?;
    s.crm_items = spec.crm_items;
    let per_person = spread(rng, ids.len(), spec.files, Some((heavy_at, 50)));
    let mut files = bulk::Batch::new(
        tx,
        "INSERT INTO files (name, size, folder, owner_id, created_by, created_at)",
        6,
    );
    let mut n: i64 = 0;
    for (k, &owner) in ids.iter().enumerate() {
        owned[k].files = per_person[k];
        for _ in 0..per_person[k] {
            if n % CHECK_EVERY == 0 {
                checkpoint(n, cancel, progress)?;
            }
            let name = format!(
                "{}-{}.pdf",
                FILE_STEMS[rng.below(FILE_STEMS.len() as i64) as usize],
                n + 1
            );
            files.push([
                name.into(),
                bulk::int(1_000 + rng.below(5_000_000)),
                "/Shared/Documents".into(),
                bulk::int(owner.0),
                bulk::int(owner.0),
                stamps.at(n, spec.files).into(),
            ])?;
            n += 1;
        }
    }
    files.finish()?;
    s.files = spec.files;
    go_on(cancel)?;
    let mut mailboxes = bulk::Batch::new(tx, "INSERT INTO mailboxes (address, owner_id)", 2);
    for ((&id, login), o) in ids.iter().zip(logins).zip(&mut owned) {
        mailboxes.push([
            format!("{login}@mail.corvane.example").into(),
            bulk::int(id.0),
        ])?;
        o.mailboxes += 1;
    }
    mailboxes.finish()?;
    s.mailboxes = count;

    // Messages: ten per private chat; pairs (a, a + k) never repeat. Chats are numbered
    // as they are made and their messages come in time order, so the messages arrive
    // in the order of the chat index (`messages_chat`), which is kept while they do.
    let mut chats = bulk::Batch::new(tx, "INSERT INTO chats (id, kind, member_a, member_b)", 4);
    let mut members = bulk::Batch::new(
        tx,
        "INSERT OR IGNORE INTO chat_members (chat_id, employee_id)",
        2,
    );
    let mut messages = bulk::Batch::new(
        tx,
        "INSERT INTO messages (chat_id, author_id, body, sent_at)",
        4,
    );
    let mut next_chat = bulk::next_id(tx, "chats")?;
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
        // A private chat is stored with the lower id first.
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let chat = next_chat;
        next_chat += 1;
        chats.push([
            bulk::int(chat),
            "private".into(),
            bulk::int(lo.0),
            bulk::int(hi.0),
        ])?;
        members.push([bulk::int(chat), bulk::int(lo.0)])?;
        members.push([bulk::int(chat), bulk::int(hi.0)])?;
        for m in 0..10 {
            if written >= spec.messages {
                break;
            }
            let author = if m % 2 == 0 { a } else { b };
            messages.push([
                bulk::int(chat),
                bulk::int(author.0),
                format!("About the {}: update {}", rng.pick(TASK_NOUNS), m + 1).into(),
                stamps.at(written, spec.messages).into(),
            ])?;
            written += 1;
        }
    }
    chats.finish()?;
    members.finish()?;
    messages.finish()?;
    s.messages = written;

    let meetings = (spec.employees / 2).max(10);
    let mut meeting_rows = bulk::Batch::new(
        tx,
        "INSERT INTO meetings (id, title, starts_at, organizer_id)",
        4,
    );
    let mut attendees = bulk::Batch::new(
        tx,
        "INSERT OR IGNORE INTO meeting_attendees (meeting_id, employee_id)",
        2,
    );
    let first_meeting = bulk::next_id(tx, "meetings")?;
    for n in 0..meetings {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        let id = first_meeting + n;
        meeting_rows.push([
            bulk::int(id),
            format!("Weekly sync {}", n + 1).into(),
            stamps.at(n, meetings).into(),
            bulk::int(anyone(rng).0),
        ])?;
        for _ in 0..3 {
            attendees.push([bulk::int(id), bulk::int(anyone(rng).0)])?;
        }
        if n % 100 == 0 {
            attendees.push([bulk::int(id), bulk::int(heavy.0)])?;
        }
    }
    meeting_rows.finish()?;
    attendees.finish()?;
    s.meetings = meetings;
    let posts = spec.employees.max(10);
    let mut post_rows =
        bulk::Batch::new(tx, "INSERT INTO feed_posts (author_id, body, posted_at)", 3);
    for n in 0..posts {
        if n % CHECK_EVERY == 0 {
            checkpoint(n, cancel, progress)?;
        }
        post_rows.push([
            bulk::int(anyone(rng).0),
            format!("Team news {}: the {} is done", n + 1, rng.pick(TASK_NOUNS)).into(),
            stamps.at(n, posts).into(),
        ])?;
    }
    post_rows.finish()?;
    s.posts = posts;
    let groups = (spec.employees / 100).max(5);
    let mut group_rows = bulk::Batch::new(tx, "INSERT INTO groups (id, name, description)", 3);
    let mut group_members = bulk::Batch::new(
        tx,
        "INSERT OR IGNORE INTO group_members (group_id, employee_id)",
        2,
    );
    let first_group = bulk::next_id(tx, "groups")?;
    for n in 0..groups {
        let id = first_group + n;
        group_rows.push([
            bulk::int(id),
            format!("Workgroup {}", n + 1).into(),
            "Synthetic workgroup".into(),
        ])?;
        for _ in 0..30 {
            group_members.push([bulk::int(id), bulk::int(anyone(rng).0)])?;
        }
        if n < 5 {
            group_members.push([bulk::int(id), bulk::int(heavy.0)])?;
        }
    }
    group_rows.finish()?;
    group_members.finish()?;
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

    Ok(owned)
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
