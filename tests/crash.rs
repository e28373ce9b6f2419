//! Crashes (issue 6, item 2): the real binary is killed with SIGKILL at varied moments
//! while it makes one big change on a large synthetic company, and every time the file
//! must pass `PRAGMA integrity_check` and hold exactly the state from before the change
//! or the state after it, never anything in between.
//!
//! One company is built once (`demo --size large --scale 10`: 10,000 employees, 200,000
//! tasks, `heavy` responsible for about 20,000 open ones, `integrator` owning 5 active
//! integrations). For each operation the after-state is computed by running it to the
//! end on a copy, which also measures how long it takes; then each crash run starts the
//! operation on a fresh copy and kills it after a delay spread over that duration (a
//! few right at the start and a few after the end). The files are checked afterwards,
//! two at a time, so that the checks do not slow the runs being killed.

mod binary;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::types::Value;

#[track_caller]
fn run_ok(home: &Path, db: &Path, args: &[&str]) -> String {
    let out = binary::command(home, db, args)
        .output()
        .expect("run offboard");
    assert!(
        out.status.success(),
        "`offboard {}` failed ({:?})\nstdout: {}\nstderr: {}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Columns that hold the moment of a change: the same change made twice differs only
/// there, so they are compared as "set" or "not set".
const TIME_COLUMNS: &[&str] = &[
    "at",
    "created_at",
    "hired_on",
    "effective_at",
    "recorded_at",
    "granted_at",
    "rehired_at",
    "edited_at",
];

/// What the operations under test may change, read from a file: whole rows of the
/// small tables, per-owner counts and id sums of the big ones, and the size of every
/// table.
type State = BTreeMap<String, Vec<String>>;

fn rows(c: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = c.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    stmt.query_map([], |r| {
        let mut line = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let v: Value = r.get(i)?;
            let shown = if TIME_COLUMNS.contains(&name.as_str()) {
                match v {
                    Value::Null => "NULL".to_string(),
                    _ => "<time>".to_string(),
                }
            } else {
                format!("{v:?}")
            };
            line.push(shown);
        }
        Ok(line.join("|"))
    })
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
    .collect::<rusqlite::Result<_>>()
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn state(c: &Connection) -> State {
    let mut s = State::new();
    let queries: &[(&str, &str)] = &[
        (
            "tasks by responsible",
            "SELECT responsible_id, COUNT(*), SUM(id), SUM(status = 'done') FROM tasks \
             GROUP BY responsible_id ORDER BY responsible_id",
        ),
        (
            "crm by assignee",
            "SELECT assigned_id, COUNT(*), SUM(id) FROM crm_items \
             GROUP BY assigned_id ORDER BY assigned_id",
        ),
        (
            "files by owner",
            "SELECT owner_id, COUNT(*), SUM(id) FROM files GROUP BY owner_id ORDER BY owner_id",
        ),
        (
            "mailboxes",
            "SELECT id, owner_id FROM mailboxes ORDER BY id",
        ),
        ("employees", "SELECT * FROM employees ORDER BY id"),
        (
            "permissions",
            "SELECT * FROM permissions ORDER BY employee_id, permission",
        ),
        ("departures", "SELECT * FROM departures ORDER BY id"),
        ("integrations", "SELECT * FROM integrations ORDER BY id"),
        // Every column but `hash`, which covers the event's time (masked as <time>).
        (
            "audit",
            "SELECT id, at, actor_id, action, target_id, details, via_integration, door, \
             door_uid, door_user, door_key, door_fingerprint, prev_hash FROM audit_events ORDER BY id",
        ),
        ("settings", "SELECT * FROM settings ORDER BY key"),
    ];
    for (name, sql) in queries {
        s.insert(name.to_string(), rows(c, sql));
    }
    let tables: Vec<String> = {
        let mut stmt = c
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'employee_search%' ORDER BY name",
            )
            .expect("tables");
        stmt.query_map([], |r| r.get(0))
            .expect("tables")
            .collect::<rusqlite::Result<_>>()
            .expect("tables")
    };
    let counts = tables
        .iter()
        .map(|t| {
            let n: i64 = c
                .query_row(&format!("SELECT COUNT(*) FROM \"{t}\""), [], |r| r.get(0))
                .expect("count");
            format!("{t}={n}")
        })
        .collect();
    s.insert("table sizes".into(), counts);
    s
}

fn state_of(path: &Path) -> State {
    let c = Connection::open(path).expect("open");
    state(&c)
}

/// A short account of how two states differ: the sections and a few lines of each.
fn describe_difference(a: &State, b: &State) -> String {
    let mut out = String::new();
    for (k, rows_a) in a {
        let rows_b = b.get(k).cloned().unwrap_or_default();
        if *rows_a != rows_b {
            let only_a: Vec<&String> = rows_a
                .iter()
                .filter(|r| !rows_b.contains(r))
                .take(3)
                .collect();
            let only_b: Vec<&String> = rows_b
                .iter()
                .filter(|r| !rows_a.contains(r))
                .take(3)
                .collect();
            out.push_str(&format!(
                "  {k}: {} vs {} rows; only in the first {only_a:?}; only in the second {only_b:?}\n",
                rows_a.len(),
                rows_b.len()
            ));
        }
    }
    out
}

/// Copy the pristine file (checkpointed, so the main file is the whole database).
fn copy_pristine(pristine: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(to, suffix));
    }
    std::fs::copy(pristine, to).expect("copy the pristine database");
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_db(p: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(p, suffix));
    }
}

/// One operation whose crashes are tested, and how its kills are spread: `at_once`
/// right after the start, `during` evenly over `spread` times its measured duration
/// (a little more than 1, as the machine may be slower than when measured; less than
/// 1 for a dismissal, which commits early and then only prints), `past_end` after it
/// has ended (those find the work done and check that nothing else happened).
struct Scenario {
    name: &'static str,
    args: &'static [&'static str],
    at_once: usize,
    during: usize,
    spread: f64,
    past_end: usize,
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "reassign heavy's 20,000 open tasks",
        args: &[
            "reassign", "heavy", "--to", "jdoe", "--as", "hr", "--what", "tasks",
        ],
        at_once: 2,
        during: 10,
        spread: 1.2,
        past_end: 1,
    },
    Scenario {
        name: "reassign everything heavy owns",
        args: &["reassign", "heavy", "--to", "jdoe", "--as", "hr"],
        at_once: 1,
        during: 5,
        spread: 1.2,
        past_end: 1,
    },
    Scenario {
        name: "dismiss integrator, keeping 5 integrations",
        args: &[
            "dismiss",
            "integrator",
            "--integrations",
            "keep",
            "--reason",
            "resigned",
            "--note",
            "crash test",
            "--as",
            "hr",
        ],
        at_once: 1,
        during: 4,
        spread: 0.3,
        past_end: 0,
    },
];

/// The kill delays of a scenario whose operation takes `full` from start to exit.
/// Each delay comes with whether it is meant to be past the end.
fn delays(sc: &Scenario, full: Duration) -> Vec<(Duration, bool)> {
    let mut out = vec![(Duration::ZERO, false); sc.at_once];
    for i in 0..sc.during {
        out.push((
            full.mul_f64(sc.spread * (i as f64 + 0.5) / sc.during as f64),
            false,
        ));
    }
    for i in 0..sc.past_end {
        out.push((full.mul_f64(2.0 + i as f64), true));
    }
    out
}

/// At least this many runs must really be killed (not finish first).
const MIN_KILLS: usize = 20;

/// One crash run, before its file is checked.
struct Crash {
    scenario: usize,
    delay: Duration,
    db: PathBuf,
    /// Killed by SIGKILL (false: it had already finished).
    killed: bool,
    status: ExitStatus,
    /// The process had opened the database (its write-ahead log exists).
    opened: bool,
    /// Size of the write-ahead log as the killed process left it.
    wal_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Landed {
    Before,
    After,
}

fn killed_by_signal(status: &ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(9)
}

/// Start the operation on a fresh copy and SIGKILL it after `delay`.
/// A kill meant to come `past_end` waits on, should the machine be slower than when
/// the duration was measured, until the process has ended (or ten times the delay).
fn crash_once(
    home: &Path,
    pristine: &Path,
    n: usize,
    scenario: usize,
    (delay, past_end): (Duration, bool),
) -> Crash {
    let db = home.join(format!("crash-{n}.db"));
    copy_pristine(pristine, &db);
    let mut child = binary::command(home, &db, SCENARIOS[scenario].args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start offboard");
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    let t = Instant::now();
    while past_end && t.elapsed() < delay * 10 && child.try_wait().expect("try_wait").is_none() {
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL, or nothing if it has already finished.
    let _ = child.kill();
    let status = child.wait().expect("wait");
    let wal = std::fs::metadata(with_suffix(&db, "-wal"));
    Crash {
        scenario,
        delay,
        db,
        killed: killed_by_signal(&status),
        status,
        opened: wal.is_ok(),
        wal_bytes: wal.map(|m| m.len()).unwrap_or(0),
    }
}

#[test]
fn sigkill_at_any_moment_leaves_the_state_before_or_after() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().to_path_buf();
    let pristine = home.join("pristine.db");
    run_ok(
        &home,
        &pristine,
        &["demo", "--size", "large", "--scale", "10"],
    );
    {
        let c = Connection::open(&pristine).expect("open");
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
    }
    let wal = with_suffix(&pristine, "-wal");
    assert!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0,
        "the pristine file is checkpointed"
    );
    let built = started.elapsed();
    let before = state_of(&pristine);
    let heavy_open: i64 = Connection::open(&pristine)
        .expect("open")
        .query_row(
            "SELECT COUNT(*) FROM tasks t JOIN employees e ON e.id = t.responsible_id \
             WHERE e.login = 'heavy' AND t.status != 'done'",
            [],
            |r| r.get(0),
        )
        .expect("heavy's tasks");
    assert!(heavy_open >= 20_000, "heavy owns {heavy_open} open tasks");

    // The after-state of each operation, and how long it takes from start to exit (the
    // quickest of three runs to the end).
    let mut afters = Vec::new();
    let mut durations = Vec::new();
    for (i, sc) in SCENARIOS.iter().enumerate() {
        let db = home.join(format!("after-{i}.db"));
        let mut took = Vec::new();
        for round in 0..3 {
            copy_pristine(&pristine, &db);
            let t = Instant::now();
            let out = binary::command(&home, &db, sc.args).output().expect("run");
            took.push(t.elapsed());
            assert!(
                out.status.success(),
                "{}: {:?}\n{}",
                sc.name,
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            let after = state_of(&db);
            assert_ne!(after, before, "{} changes something", sc.name);
            if round == 0 {
                eprintln!(
                    "crash: {}: {}",
                    sc.name,
                    String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .next()
                        .unwrap_or("")
                );
                afters.push(after);
            } else {
                assert!(
                    after == afters[i],
                    "{} gives the same state every time:\n{}",
                    sc.name,
                    describe_difference(&afters[i], &after)
                );
            }
        }
        remove_db(&db);
        took.sort();
        eprintln!(
            "crash: {} takes {:.0} ms from start to exit (the quickest of {:?})",
            sc.name,
            took[0].as_secs_f64() * 1000.0,
            took.iter()
                .map(|d| (d.as_secs_f64() * 1000.0).round() as i64)
                .collect::<Vec<_>>()
        );
        durations.push(took[0]);
    }

    // The kills, one after another, each on its own copy, with nothing else of ours
    // running so that the timings measured above hold; then two threads check the files.
    let (tx, rx) = std::sync::mpsc::channel::<Crash>();
    let rx = Arc::new(Mutex::new(rx));
    let results = Arc::new(Mutex::new(Vec::new()));
    let afters = Arc::new(afters);
    let before = Arc::new(before);
    let checker = || {
        let rx = rx.clone();
        let results = results.clone();
        let afters = afters.clone();
        let before = before.clone();
        let home = home.clone();
        std::thread::spawn(move || {
            loop {
                let next = rx.lock().expect("queue").recv();
                let Ok(crash) = next else { break };
                let verdict = check(&home, &crash, &before, &afters[crash.scenario]);
                remove_db(&crash.db);
                results.lock().expect("results").push((crash, verdict));
            }
        })
    };
    let mut plan: Vec<(usize, (Duration, bool))> = SCENARIOS
        .iter()
        .enumerate()
        .flat_map(|(i, sc)| delays(sc, durations[i]).into_iter().map(move |d| (i, d)))
        .collect();
    let (mut runs, mut kills, mut extra) = (0, 0, 0);
    while runs < plan.len() {
        let (scenario, delay) = plan[runs];
        let c = crash_once(&home, &pristine, runs, scenario, delay);
        runs += 1;
        kills += usize::from(c.killed);
        tx.send(c).expect("checker alive");
        // Should the machine have been quicker than measured, more kills during the big
        // reassign until there are enough.
        if runs == plan.len() && kills < MIN_KILLS && extra < 12 {
            let delay = durations[0].mul_f64(0.05 + 0.07 * (extra % 10) as f64);
            plan.push((0, (delay, false)));
            extra += 1;
        }
    }
    drop(tx);
    let kill_phase = started.elapsed();
    for c in [checker(), checker()] {
        c.join().expect("checker thread");
    }
    let mut results = std::mem::take(&mut *results.lock().expect("results"));
    results.sort_by_key(|(c, _)| (c.scenario, c.delay));

    // Report, then judge.
    let mut failures = Vec::new();
    let (mut total_killed, mut total_before, mut total_after) = (0, 0, 0);
    // Kills of the big reassign while it had the database open, before its commit.
    let mut big_mid_work = 0;
    for (i, sc) in SCENARIOS.iter().enumerate() {
        let mine: Vec<_> = results.iter().filter(|(c, _)| c.scenario == i).collect();
        let mut line = String::new();
        let (mut killed, mut opened, mut framed) = (0, 0, 0);
        let (mut b, mut a, mut killed_b, mut killed_a) = (0, 0, 0, 0);
        for (c, v) in &mine {
            if c.killed {
                killed += 1;
                opened += usize::from(c.opened);
                framed += usize::from(c.wal_bytes > 0);
            }
            match v {
                Ok(Landed::Before) => {
                    b += 1;
                    killed_b += usize::from(c.killed);
                }
                Ok(Landed::After) => {
                    a += 1;
                    killed_a += usize::from(c.killed);
                }
                Err(e) => failures.push(format!(
                    "{}: killed after {:?} ({:?}, WAL {} bytes): {e}",
                    sc.name, c.delay, c.status, c.wal_bytes
                )),
            }
            line.push_str(&format!(
                " {:.0}ms:{}{}",
                c.delay.as_secs_f64() * 1000.0,
                match v {
                    Ok(Landed::Before) => "before",
                    Ok(Landed::After) => "after",
                    Err(_) => "BROKEN",
                },
                if !c.killed {
                    "(had finished)"
                } else if c.wal_bytes > 0 {
                    "(WAL written)"
                } else if !c.opened {
                    if matches!(v, Ok(Landed::After)) {
                        "(closed already)"
                    } else {
                        "(not open yet)"
                    }
                } else {
                    ""
                }
            ));
        }
        if i == 0 {
            big_mid_work = mine
                .iter()
                .filter(|(c, v)| c.killed && c.opened && matches!(v, Ok(Landed::Before)))
                .count();
        }
        total_killed += killed;
        total_before += b;
        total_after += a;
        eprintln!(
            "crash: {}: {} runs, {killed} killed by SIGKILL ({opened} with the database open, \
             {framed} with pages already in the WAL); landed before {b} (killed {killed_b}), \
             after {a} (killed {killed_a})",
            sc.name,
            mine.len(),
        );
        eprintln!("crash:   delay:outcome{line}");
    }
    eprintln!(
        "crash: {} runs, {total_killed} SIGKILLs survived; before-state {total_before}, \
         after-state {total_after}, broken {}; {big_mid_work} kills hit the big reassign with \
         the file open before its commit; build {:.1} s, kills done at {:.1} s, total {:.1} s",
        results.len(),
        failures.len(),
        built.as_secs_f64(),
        kill_phase.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "a crash left the database damaged or half-changed:\n{}",
        failures.join("\n")
    );
    assert!(
        total_killed >= MIN_KILLS,
        "at least {MIN_KILLS} runs must really be killed, {total_killed} were"
    );
    assert!(
        big_mid_work >= 1,
        "some kills should land while the big reassign has the database open, before its \
         commit, and leave the before-state"
    );
    assert!(total_after >= 1, "some runs should land after the commit");
}

/// Integrity, the program still opens the file, and the state is one of the two.
fn check(home: &Path, crash: &Crash, before: &State, after: &State) -> Result<Landed, String> {
    let c = Connection::open(&crash.db).map_err(|e| format!("cannot open: {e}"))?;
    // A cache that holds the whole file makes the integrity check quicker.
    c.execute_batch("PRAGMA cache_size = -200000")
        .map_err(|e| format!("cache_size: {e}"))?;
    let integrity: Vec<String> = {
        let mut stmt = c
            .prepare("PRAGMA integrity_check")
            .map_err(|e| format!("integrity_check: {e}"))?;
        stmt.query_map([], |r| r.get(0))
            .and_then(|r| r.collect::<rusqlite::Result<_>>())
            .map_err(|e| format!("integrity_check: {e}"))?
    };
    if integrity != ["ok"] {
        return Err(format!("integrity_check says {integrity:?}"));
    }
    let now = state(&c);
    drop(c);
    let shown = binary::command(home, &crash.db, &["show", "heavy", "--as", "hr"])
        .output()
        .map_err(|e| format!("run show: {e}"))?;
    if !shown.status.success() {
        return Err(format!(
            "the program cannot read the file afterwards: {}",
            String::from_utf8_lossy(&shown.stderr)
        ));
    }
    if now == *before {
        Ok(Landed::Before)
    } else if now == *after {
        Ok(Landed::After)
    } else {
        Err(format!(
            "the state is neither before nor after\n against before:\n{} against after:\n{}",
            describe_difference(before, &now),
            describe_difference(after, &now)
        ))
    }
}
