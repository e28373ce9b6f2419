//! The database layer: which files are opened, how, and what a read-only file does.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::*;
use offboard::domain::WorkKinds;
use offboard::{Directory, Error};

#[test]
fn created_file_is_private() {
    let env = minimal();
    let mode = std::fs::metadata(&env.path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
}

#[test]
fn created_file_in_a_new_folder_is_private() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a/b/c.db");
    let dir = Directory::create(&path).expect("create with parents");
    drop(dir);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
}

/// A cached statement is planned once: with per-value statistics (the bundled SQLite's
/// STAT4) and no plan stability, a page's new `id > ?` bound re-planned it on every
/// step, a third of a REST page's time.
#[test]
fn a_statement_is_planned_once_whatever_its_bound_values() {
    let env = demo();
    let stable = env
        .dir
        .connection()
        .db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
        .expect("db_config");
    assert!(stable);
}

#[test]
fn connection_uses_wal_and_foreign_keys() {
    let env = demo();
    let c = env.dir.connection();
    let journal: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal.to_ascii_lowercase(), "wal");
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    // And again after reopening the file.
    let path = env.path.clone();
    drop(env.dir);
    let dir = Directory::open(&path).expect("reopen");
    let c = dir.connection();
    let journal: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal.to_ascii_lowercase(), "wal");
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    drop(env.tmp);
}

#[test]
fn data_survives_reopening() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    env.dir
        .reassign(hr, "ydemir", "jdoe", WorkKinds::ALL)
        .unwrap();
    let before = snapshot(&env.dir);
    let Env { dir, path, tmp } = env;
    drop(dir);
    let dir = Directory::open(&path).unwrap();
    assert_unchanged(&before, &dir, "reopen");
    drop(tmp);
}

/// A file written by the first schema (before handovers were remembered) is brought up
/// to date when opened: same schema as a new file, the rows it held kept.
#[test]
fn a_version_1_file_is_migrated_on_open() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let old = tmp.path().join("v1.db");
    {
        let c = rusqlite::Connection::open(&old).expect("open");
        c.execute_batch(include_str!("../src/store/migrations/0001_init.sql"))
            .expect("schema 1");
        c.execute_batch(
            "PRAGMA user_version = 1; PRAGMA application_id = 1330005570;
             INSERT INTO settings (key, value) VALUES ('company_name', 'Old Co');
             INSERT INTO employees (login, first_name, last_name, email, hired_on, status, kind, created_at)
             VALUES ('dalvarez', 'Diego', 'Álvarez', 'd@old.example', '2020-01-01', 'active',
                     'employee', '2020-01-01T00:00:00Z');",
        )
        .expect("version 1");
    }
    let fresh = tmp.path().join("fresh.db");
    drop(Directory::create(&fresh).expect("fresh"));
    drop(Directory::open(&old).expect("the old file opens"));

    let schema = |p: &std::path::Path| -> Vec<(String, Option<String>)> {
        let c = rusqlite::Connection::open(p).expect("open");
        let mut st = c
            .prepare("SELECT name, sql FROM sqlite_master ORDER BY type, name")
            .expect("schema");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("schema rows")
    };
    assert_eq!(schema(&old), schema(&fresh));
    let c = rusqlite::Connection::open(&old).expect("open");
    let (version, name): (i64, String) = c
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), value FROM settings \
             WHERE key = 'company_name'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("read");
    assert_eq!(version, offboard::store::latest_version());
    assert_eq!(name, "Old Co", "the rows it held are kept");
    let key: String = c
        .query_row(
            "SELECT name_key FROM employees WHERE login = 'dalvarez'",
            [],
            |r| r.get(0),
        )
        .expect("name_key");
    assert_eq!(key, offboard::domain::name_key("Diego", "Álvarez"));
    assert!(key.starts_with("alvarez"), "{key:?}");
}

#[test]
fn newer_schema_is_refused() {
    let env = minimal();
    let Env { dir, path, tmp } = env;
    drop(dir);
    offboard::store::force_schema_version(&path, 999).unwrap();
    let Err(e) = Directory::open(&path) else {
        panic!("a newer schema was opened")
    };
    match &e {
        Error::TooNew { found, known, .. } => {
            assert_eq!(*found, 999);
            assert!(*known < 999);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(e.to_string().contains("newer"), "{e}");
    assert!(matches!(
        Directory::create(&path),
        Err(Error::TooNew { .. })
    ));
    drop(tmp);
}

#[test]
fn text_file_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("notes.txt");
    let text = "These are my notes, not a database.\n".repeat(200);
    std::fs::write(&path, &text).unwrap();
    for r in [Directory::open(&path), Directory::create(&path)] {
        match r {
            Err(Error::NotOffboard { path: shown, .. }) => {
                assert!(shown.contains("notes.txt"), "{shown}");
            }
            Err(other) => panic!("expected NotOffboard, got {other:?}"),
            Ok(_) => panic!("a text file was opened as a database"),
        }
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the file was changed"
    );
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE stuff (x INTEGER); INSERT INTO stuff VALUES (1);")
            .unwrap();
    }
    for r in [Directory::open(&path), Directory::create(&path)] {
        assert!(
            matches!(r, Err(Error::NotOffboard { .. })),
            "expected NotOffboard, got {:?}",
            r.err()
        );
    }
}

#[test]
fn missing_file_is_not_created_by_open() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("nope.db");
    assert!(Directory::open(&path).is_err());
    assert!(!path.exists(), "open created a file");
}

#[test]
fn a_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(matches!(
        Directory::open(tmp.path()),
        Err(Error::NotOffboard { .. })
    ));
}

/// Marks a file immutable (`chattr +i`), which stops even root from writing it, and
/// lifts the mark when dropped.
struct Immutable(std::path::PathBuf);

impl Immutable {
    fn try_new(path: &std::path::Path) -> Option<Self> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn read_only_file_opens_for_reading_and_refuses_changes() {
    let env = demo();
    let Env { dir, path, tmp } = env;
    let before = snapshot(&dir);
    drop(dir);
    // Tests run as root, so a 0444 mode would not stop writes; an immutable file does.
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_mode(0o444);
    std::fs::set_permissions(&path, perms).unwrap();
    let Some(guard) = Immutable::try_new(&path) else {
        eprintln!("SKIPPED: chattr +i is not available here; cannot make a read-only file as root");
        return;
    };

    let result = Directory::open(&path);
    let mut dir = match result {
        Ok(d) => d,
        Err(e) => panic!("a read-only database should still open for reading: {e:?}"),
    };
    let jdoe = actor(&dir, "jdoe");
    dir.profile(jdoe, "lbrandt").expect("reading works");
    let hr = actor(&dir, "hr");
    let e = dir
        .reassign(hr, "ydemir", "jdoe", WorkKinds::ALL)
        .expect_err("a change on a read-only file");
    match &e {
        Error::ReadOnly(p) => assert!(p.contains("company.db"), "{e}"),
        other => panic!("expected ReadOnly, got {other:?}"),
    }
    assert_eq!(e.exit_code(), 1);
    drop(dir);
    drop(guard);
    let dir = Directory::open(&path).unwrap();
    assert_unchanged(&before, &dir, "change on a read-only file");
    drop(dir);
    drop(tmp);
}
