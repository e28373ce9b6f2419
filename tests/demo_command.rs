//! `offboard demo` as a person at a terminal uses it: the company is built beside the
//! target and appears there only when it is complete. Ctrl-C, `kill` or a crash in the
//! middle never leave half a company at the target, and Ctrl-C or `kill` leave nothing
//! at all. The real binary, a real folder, real signals.

mod binary;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use binary::files_in;

/// Big enough that the build takes seconds even in a release build (a quarter of the
/// large company's 100,000 employees), so a signal sent once the build is under way
/// always lands before it ends.
const SCALE: &str = "4";

/// A temporary HOME (where the log goes) and an empty folder in it for the database.
fn folders() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = tmp.path().join("company");
    std::fs::create_dir(&folder).expect("company folder");
    (tmp, folder)
}

/// Start `demo --size large` on `db`, with stderr kept for the message.
fn start_large(home: &Path, db: &Path) -> Child {
    binary::command(home, db, &["demo", "--size", "large", "--scale", SCALE])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start offboard demo --size large")
}

/// Wait until the build has both threads going: its own file and the side file with the
/// tasks are there.
fn wait_until_building(folder: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let names = files_in(folder);
        let building = names.iter().any(|n| n.contains(".building-"));
        let side = names.iter().any(|n| n.contains(".load-"));
        if building && side {
            return;
        }
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!("the build ended ({status}) before it could be interrupted: {names:?}");
        }
        assert!(
            Instant::now() < deadline,
            "no build files after 30 s: {names:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("sh")
        .args(["-c", &format!("kill -{name} {}", child.id())])
        .status()
        .expect("sh -c kill");
    assert!(status.success(), "kill -{name}");
}

/// Run the binary on `db` and expect success; `what` says what was being checked.
#[track_caller]
fn run_ok(home: &Path, db: &Path, args: &[&str], what: &str) -> Output {
    let out = binary::command(home, db, args)
        .output()
        .expect("run offboard");
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("wait for offboard")
}

#[test]
fn ctrl_c_in_the_middle_of_a_build_leaves_nothing_behind_and_says_so() {
    let (tmp, folder) = folders();
    let home = tmp.path();
    let db = folder.join("demo.db");
    let mut child = start_large(home, &db);
    wait_until_building(&folder, &mut child);
    assert!(!db.exists(), "the target stays absent while the build runs");
    signal(&child, "INT");
    let out = finish(child);

    assert_eq!(
        out.status.signal(),
        Some(2),
        "ends by SIGINT, as a shell expects of Ctrl-C: {:?}",
        out.status
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end(),
        "offboard: stopped by SIGINT (Ctrl-C): the demo company was not created, and nothing was left behind",
        "one line says what happened"
    );
    assert!(out.stdout.is_empty(), "no success message");
    assert_eq!(files_in(&folder), Vec::<String>::new(), "nothing left");

    // And the next try simply works.
    run_ok(home, &db, &["demo"], "the next try simply works");
}

#[test]
fn kill_into_an_empty_file_leaves_the_file_as_it_was() {
    let (tmp, folder) = folders();
    let home = tmp.path();
    let db = folder.join("empty.db");
    std::fs::write(&db, b"").expect("touch");
    let mut child = start_large(home, &db);
    wait_until_building(&folder, &mut child);
    signal(&child, "TERM");
    let out = finish(child);

    assert_eq!(out.status.signal(), Some(15), "{:?}", out.status);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("stopped by SIGTERM"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(files_in(&folder), vec!["empty.db".to_string()]);
    assert_eq!(
        std::fs::metadata(&db).expect("still there").len(),
        0,
        "still empty"
    );
}

#[test]
fn a_crash_in_the_middle_never_leaves_half_a_company_at_the_target() {
    let (tmp, folder) = folders();
    let home = tmp.path();
    let db = folder.join("demo.db");
    let mut child = start_large(home, &db);
    wait_until_building(&folder, &mut child);
    signal(&child, "KILL");
    let out = finish(child);
    assert_eq!(out.status.signal(), Some(9));

    assert!(!db.exists(), "no half-built company at the target");
    // Only the build's own files are left, named for the process that made them.
    let left = files_in(&folder);
    assert!(
        !left.is_empty()
            && left
                .iter()
                .all(|n| n.starts_with("demo.db.building-") || n.starts_with("demo.db.load-")),
        "{left:?}"
    );
    run_ok(
        home,
        &db,
        &["demo"],
        "a new build is not blocked by the leftovers",
    );
}

#[test]
fn a_company_made_meanwhile_by_another_process_is_kept() {
    let (tmp, folder) = folders();
    let home = tmp.path();
    let db = folder.join("demo.db");
    let mut child = start_large(home, &db);
    wait_until_building(&folder, &mut child);
    // Another process makes the small company at the same path and finishes first.
    run_ok(home, &db, &["demo"], "the small demo meanwhile");
    let out = finish(child);

    assert_eq!(out.status.code(), Some(3), "refused: the path is taken");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("was created by another process while this one was building"),
        "{err}"
    );
    assert_eq!(
        files_in(&folder),
        vec!["demo.db".to_string()],
        "no leftovers"
    );
    let list = run_ok(home, &db, &["--as", "admin", "list", "--json"], "list");
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(
        rows.as_array().map(Vec::len),
        Some(40),
        "the small company (40 active employees) is the one at the path"
    );
}

#[test]
fn demo_into_an_empty_file_builds_there() {
    let (tmp, folder) = folders();
    let home = tmp.path();
    let db = folder.join("touched.db");
    std::fs::write(&db, b"").expect("touch");
    run_ok(home, &db, &["demo"], "demo into an empty file");
    assert_eq!(files_in(&folder), vec!["touched.db".to_string()]);
    run_ok(
        home,
        &db,
        &["--as", "hr", "show", "tlang", "--json"],
        "show",
    );

    // `--demo` on an empty file makes the company there too.
    let other = folder.join("other.db");
    std::fs::write(&other, b"").expect("touch");
    run_ok(home, &other, &["--demo", "list", "--json"], "--demo list");
}

/// `demo --employees N`: a company of N in the large company's proportions, with the
/// fixed logins, and `heavy` responsible for two tasks per employee.
#[test]
fn a_company_of_any_size_keeps_the_proportions() {
    let (home, folder) = folders();
    let db = folder.join("n.db");
    let out = run_ok(
        home.path(),
        &db,
        &["demo", "--employees", "300"],
        "demo --employees 300",
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("300 employees"), "{said}");
    let c = rusqlite::Connection::open(&db).expect("open");
    let n = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(
        n("SELECT COUNT(*) FROM employees WHERE kind = 'employee'"),
        300
    );
    assert_eq!(n("SELECT COUNT(*) FROM tasks"), 300 * 20);
    assert_eq!(n("SELECT COUNT(*) FROM crm_items"), 300 * 5);
    assert_eq!(n("SELECT COUNT(*) FROM files"), 300 * 5);
    assert_eq!(n("SELECT COUNT(*) FROM messages"), 300 * 20);
    assert_eq!(n("SELECT COUNT(*) FROM integrations"), 30);
    // Two per employee are heavy's open backlog; the random rest may land on heavy too.
    let heavy = n(
        "SELECT COUNT(*) FROM tasks t JOIN employees e ON e.id = t.responsible_id WHERE e.login = 'heavy'",
    );
    assert!((600..650).contains(&heavy), "heavy has {heavy} tasks");
    for login in ["admin", "hr", "jdoe", "heavy"] {
        assert_eq!(
            n(&format!(
                "SELECT COUNT(*) FROM employees WHERE login = '{login}'"
            )),
            1,
            "{login}"
        );
    }
    // --employees is a size of its own: with --size it is a usage error.
    let o = binary::command(
        home.path(),
        &folder.join("m.db"),
        &["demo", "--employees", "300", "--size", "large"],
    )
    .output()
    .expect("run");
    assert_eq!(o.status.code(), Some(2));
}
