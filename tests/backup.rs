//! `offboard backup`, `backup --verify` and `restore` (issue 17, point 4): backups taken
//! while the command line and the REST endpoint keep writing each hold a state that
//! existed; a restore refuses what it must and never leaves half a file.

mod binary;
mod rest_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rest_support::*;
use rusqlite::{Connection, OpenFlags};
use serde_json::json;

fn open_ro(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open read-only")
}

/// Every audit event (id, hash) in order.
fn chain(path: &Path) -> Vec<(i64, String)> {
    let c = open_ro(path);
    let mut s = c
        .prepare("SELECT id, hash FROM audit_events ORDER BY id")
        .expect("audit query");
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("audit rows")
        .map(|r| r.expect("row"))
        .collect()
}

fn scalar(path: &Path, sql: &str) -> i64 {
    open_ro(path).query_row(sql, [], |r| r.get(0)).expect(sql)
}

const ADDS: &str = "SELECT COUNT(*) FROM audit_events WHERE action = 'add'";

#[test]
fn backups_taken_during_writes_each_hold_a_state_that_existed() {
    let mut company = Company::demo();
    let _server = company.serve();
    let hr = company.webhook("hr", "HR sync", "user");
    let employees_before = scalar(&company.db, "SELECT COUNT(*) FROM employees");
    let adds_before = scalar(&company.db, ADDS);

    let stop = Arc::new(AtomicBool::new(false));
    // One writer through the command line, one through REST, until told to stop.
    let cli_writer = {
        let stop = stop.clone();
        let db = company.db.clone();
        let dir = company.dir().to_path_buf();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let login = format!("cli{n}");
                let out = binary::command(
                    &dir,
                    &db,
                    &[
                        "--as",
                        "hr",
                        "add",
                        "--login",
                        &login,
                        "--name",
                        &format!("Cli Writer{n}"),
                        "--email",
                        &format!("{login}@x.test"),
                    ],
                )
                .output()
                .expect("run offboard add");
                assert!(
                    out.status.success(),
                    "add {login}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                n += 1;
            }
            n
        })
    };
    let rest_writer = {
        let stop = stop.clone();
        let url = hr.at("user.add");
        std::thread::spawn(move || {
            let http = Http::new();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                http.post_json(
                    &url,
                    &json!({"NAME": "Rest", "LAST_NAME": format!("Writer{n}"), "EMAIL": format!("rest{n}@x.test")}),
                )
                .ok();
                n += 1;
            }
            n
        })
    };

    // Backups while both write, each after at least one more change has landed.
    let mut backups = Vec::new();
    for i in 0..6 {
        let seen = scalar(&company.db, ADDS);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while scalar(&company.db, ADDS) == seen {
            assert!(
                std::time::Instant::now() < deadline,
                "no write landed in 30 s"
            );
            std::thread::yield_now();
        }
        let path = company.dir().join(format!("backup-{i}.db"));
        let out = company.ok(&["--as", "admin", "backup", path.to_str().expect("utf-8")]);
        assert!(out.starts_with("Backed up the company to "), "{out}");
        backups.push(path);
    }
    stop.store(true, Ordering::Relaxed);
    let by_cli = cli_writer.join().expect("cli writer");
    let by_rest = rest_writer.join().expect("rest writer");
    assert!(
        by_cli > 0 && by_rest > 0,
        "both doors wrote: {by_cli}, {by_rest}"
    );

    let live = chain(&company.db);
    let mut sizes = Vec::new();
    for path in &backups {
        // Only its owner may read it.
        let mode = std::fs::metadata(path)
            .expect("backup")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
        // It passes its own checks.
        let verified = company.ok(&["backup", "--verify", path.to_str().expect("utf-8")]);
        assert!(verified.contains("is a sound backup"), "{verified}");
        // Its audit log is a prefix of the live one: a state that existed.
        let held = chain(path);
        assert!(!held.is_empty());
        assert_eq!(
            &live[..held.len()],
            &held[..],
            "{}: its audit log is not a prefix of the live one",
            path.display()
        );
        // And its rows agree with that prefix: one employee per add it records.
        let adds = scalar(path, ADDS);
        assert_eq!(
            scalar(path, "SELECT COUNT(*) FROM employees"),
            employees_before + (adds - adds_before),
            "{}: employees and the audit log disagree",
            path.display()
        );
        sizes.push(adds);
    }
    // The backups were taken as the company grew, not all of one state.
    assert!(sizes.windows(2).all(|w| w[0] < w[1]), "{sizes:?}");
    // Each backup is itself recorded in the live log, by the administrator.
    let recorded = scalar(
        &company.db,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'company.backup'",
    );
    assert_eq!(recorded, backups.len() as i64);
}

#[test]
fn only_an_administrator_backs_up_and_an_existing_file_needs_force() {
    let company = Company::demo();
    let path = company.dir().join("b.db");
    let p = path.to_str().expect("utf-8");
    let o = company.run(&["--as", "hr", "backup", p]);
    assert_eq!(o.code, 3, "{o:?}");
    assert!(o.stderr.contains("only administrators"), "{}", o.stderr);
    assert!(!path.exists());
    company.ok(&["--as", "admin", "backup", p]);
    let o = company.run(&["--as", "admin", "backup", p]);
    assert_eq!(o.code, 3, "{o:?}");
    assert!(o.stderr.contains("--force"), "{}", o.stderr);
    company.ok(&["--as", "admin", "backup", p, "--force"]);
}

#[test]
fn a_damaged_or_edited_backup_fails_its_check_and_is_not_restored() {
    let company = Company::demo();
    let path = company.dir().join("b.db");
    let p = path.to_str().expect("utf-8").to_string();
    company.ok(&["--as", "admin", "backup", &p]);

    // An audit event edited in the copy breaks the chain.
    let edited = company.dir().join("edited.db");
    std::fs::copy(&path, &edited).expect("copy");
    {
        let c = Connection::open(&edited).expect("open");
        c.execute_batch(
            "DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit_events SET details = '{}' WHERE id = 1;",
        )
        .expect("edit");
    }
    let e = edited.to_str().expect("utf-8");
    let o = company.run(&["backup", "--verify", e]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("audit"), "{}", o.stderr);

    // Bytes overwritten in the middle of the file: integrity_check fails.
    let broken = company.dir().join("broken.db");
    let mut bytes = std::fs::read(&path).expect("read");
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 4096] {
        *b = 0x55;
    }
    std::fs::write(&broken, &bytes).expect("write");
    let b = broken.to_str().expect("utf-8");
    let o = company.run(&["backup", "--verify", b]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stderr.contains("not a usable offboard database"),
        "{}",
        o.stderr
    );

    // Neither is restored: the target stays as it was (absent).
    let fresh = company.dir().join("fresh.db");
    for bad in [e, b] {
        let o = binary::command(company.dir(), &fresh, &["restore", bad])
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(1), "{bad}: {o:?}");
        assert!(!fresh.exists(), "{bad}: a file was left at the target");
    }
    let leftovers: Vec<_> = std::fs::read_dir(company.dir())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn restore_refuses_to_replace_without_force_and_a_newer_schema_always() {
    let company = Company::demo();
    let path = company.dir().join("b.db");
    let p = path.to_str().expect("utf-8").to_string();
    company.ok(&["--as", "admin", "backup", &p]);
    // A change after the backup, which a restore takes back.
    company.ok(&[
        "--as",
        "hr",
        "add",
        "--login",
        "late",
        "--name",
        "Late Comer",
        "--email",
        "late@x.test",
    ]);
    let before = chain(&company.db);

    let o = company.run(&["--as", "admin", "restore", &p]);
    assert_eq!(o.code, 3, "{o:?}");
    assert!(o.stderr.contains("--force"), "{}", o.stderr);
    assert_eq!(chain(&company.db), before, "refused, yet changed");

    // Only an administrator replaces the company.
    let o = company.run(&["--as", "hr", "restore", &p, "--force"]);
    assert_eq!(o.code, 3, "{o:?}");
    assert_eq!(chain(&company.db), before, "refused, yet changed");

    // A backup of a newer schema: refused, --force or not.
    let newer = company.dir().join("newer.db");
    std::fs::copy(&path, &newer).expect("copy");
    Connection::open(&newer)
        .expect("open")
        .execute_batch("PRAGMA user_version = 999;")
        .expect("bump");
    let n = newer.to_str().expect("utf-8");
    let o = company.run(&["--as", "admin", "restore", n, "--force"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("newer offboard"), "{}", o.stderr);
    assert_eq!(chain(&company.db), before);

    // With --force, by an administrator: the company is the backup's again, and the
    // restore is the one event after the backup's own.
    let out = company.ok(&["--as", "admin", "restore", &p, "--force"]);
    assert!(out.starts_with("Restored "), "{out}");
    let found = company.run(&["--as", "admin", "show", "late"]);
    assert_eq!(found.code, 3, "the later employee is gone: {found:?}");
    let after = chain(&company.db);
    let held = chain(&path);
    assert_eq!(&after[..held.len()], &held[..]);
    assert_eq!(after.len(), held.len() + 1);
    let verified = company.ok(&["backup", "--verify", company.db.to_str().expect("utf-8")]);
    assert!(verified.contains("sound"), "{verified}");
}

#[test]
fn restore_to_a_fresh_path_writes_a_whole_private_file() {
    let company = Company::demo();
    let path = company.dir().join("b.db");
    company.ok(&["--as", "admin", "backup", path.to_str().expect("utf-8")]);
    let target = company.dir().join("elsewhere").join("restored.db");
    let run = |args: &[&str]| {
        let o = binary::command(company.dir(), &target, args)
            .output()
            .expect("run");
        assert!(o.status.success(), "{args:?}: {o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let out = run(&["--as", "admin", "restore", path.to_str().expect("utf-8")]);
    assert!(out.contains("43 employees"), "{out}");
    let mode = std::fs::metadata(&target)
        .expect("restored")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let listed = run(&["--as", "admin", "list"]);
    assert!(listed.contains("jdoe"), "{listed}");
}
