//! An honest, tamper-evident audit (issue 12, points 6 and 7): every event records how
//! its actor was authenticated, the local operator by uid and the name the system has
//! for it (never `$USER`); the events are hash-chained, and `offboard audit verify`
//! finds a row deleted or edited behind offboard's back (with the append-only triggers
//! dropped, as anyone with write access to the file can), and says when those triggers
//! are gone.

mod binary;
mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use offboard::domain::{Door, Via};
use offboard::{Actor, Directory};
use serde_json::{Value, json};

fn offboard(home: &Path, db: &Path, args: &[&str]) -> Command {
    binary::command(home, db, args)
}

fn text(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn run(home: &Path, db: &Path, args: &[&str]) -> (i32, String, String) {
    text(&offboard(home, db, args).output().expect("run offboard"))
}

/// `id -u` and `id -un`: what the system says this process is, asked independently.
fn whoami() -> (u32, String) {
    let id = |flag: &str| {
        let o = Command::new("id").arg(flag).output().expect("id");
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    (id("-u").parse().expect("a uid"), id("-un"))
}

fn audit_json(home: &Path, db: &Path) -> Vec<Value> {
    let (code, out, err) = run(home, db, &["audit", "--json", "--as", "admin"]);
    assert_eq!(code, 0, "{err}");
    match serde_json::from_str(&out) {
        Ok(Value::Array(a)) => a,
        other => panic!("audit --json is an array: {other:?}\n{out}"),
    }
}

/// The demo company made by the binary, in its own folder.
fn demo_company() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("company.db");
    let (code, _, err) = run(tmp.path(), &db, &["demo"]);
    assert_eq!(code, 0, "{err}");
    (tmp, db)
}

#[test]
fn a_local_change_records_the_operator_by_uid_whatever_user_claims() {
    let (tmp, db) = demo_company();
    let (uid, user) = whoami();
    let o = offboard(tmp.path(), &db, &["--as", "hr", "dismiss", "jdoe"])
        .env("USER", "jdoe")
        .env("LOGNAME", "jdoe")
        .output()
        .expect("dismiss");
    assert_eq!(text(&o).0, 0, "{}", text(&o).2);
    let events = audit_json(tmp.path(), &db);
    let newest = &events[0];
    assert_eq!(newest["action"], json!("dismiss"), "{newest}");
    assert_eq!(newest["actor"], json!("hr"), "the login acted as: {newest}");
    assert_eq!(
        newest["via"],
        json!({"door": "local", "uid": uid, "user": user}),
        "the operator who acted as hr: {newest}"
    );
    // The demo company's own events name who built it, the same way.
    assert!(
        events
            .iter()
            .all(|e| e["via"] == json!({"door": "local", "uid": uid, "user": user})),
        "{events:#?}"
    );
    // The table has a VIA column saying the same.
    let (_, table, _) = run(tmp.path(), &db, &["audit", "--as", "admin", "--limit", "1"]);
    let header = table.lines().next().unwrap_or_default();
    assert!(header.contains("VIA"), "{table}");
    assert!(
        table.contains(&format!("local {user} (uid {uid})")),
        "{table}"
    );
}

#[test]
fn the_default_acting_login_comes_from_the_uid_not_from_user() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (_, me) = whoami();
    // A company whose administrator is called like the environment claims, not like us.
    let other = tmp.path().join("other.db");
    let init = |db: &Path, admin: &str| {
        let (code, _, err) = run(
            tmp.path(),
            db,
            &[
                "init",
                "--admin",
                admin,
                "--name",
                "Bea Boss",
                "--email",
                "bea@acme.example",
            ],
        );
        assert_eq!(code, 0, "{err}");
    };
    init(&other, "boss");
    let o = offboard(tmp.path(), &other, &["list"])
        .env("USER", "boss")
        .env("LOGNAME", "boss")
        .output()
        .expect("list");
    let (code, _, err) = text(&o);
    assert_eq!(code, 2, "USER=boss does not make anyone boss: {err}");
    assert!(err.contains("who is acting?"), "{err}");

    // A company whose administrator's login is our user name: no --as needed, whatever
    // USER says.
    if offboard::domain::validate::login(&me).is_ok() && me != "boss" {
        let ours = tmp.path().join("ours.db");
        init(&ours, &me);
        let o = offboard(tmp.path(), &ours, &["settings", "show-dismissed", "on"])
            .env("USER", "boss")
            .output()
            .expect("settings");
        let (code, _, err) = text(&o);
        assert_eq!(code, 0, "acts as {me}, from the uid: {err}");
    }
}

#[test]
fn verify_says_ok_for_an_untouched_log() {
    let (tmp, db) = demo_company();
    run(tmp.path(), &db, &["--as", "hr", "dismiss", "jdoe"]);
    let (code, out, err) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.lines().next(), Some("OK: 4 events"), "{out}");
    // An ordinary employee may not read the audit log, nor check it.
    let (code, _, _) = run(tmp.path(), &db, &["audit", "verify", "--as", "jdoe"]);
    assert_eq!(code, 3);
}

/// Open the file as sqlite3 would, drop `trigger` and run `sql`.
fn tamper(db: &Path, trigger: &str, sql: &str) {
    let c = rusqlite::Connection::open(db).expect("open with rusqlite");
    c.execute_batch(&format!("DROP TRIGGER {trigger}; {sql}"))
        .expect("tamper");
}

#[test]
fn verify_finds_a_deleted_row_and_the_missing_trigger() {
    let (tmp, db) = demo_company();
    run(tmp.path(), &db, &["--as", "hr", "dismiss", "jdoe"]);
    tamper(
        &db,
        "audit_no_delete",
        "DELETE FROM audit_events WHERE id = 2;",
    );
    let (code, out, err) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        out.starts_with(
            "BROKEN: event #3 is chained to an event that is gone: event #2 was deleted\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("NOT GUARDED: the trigger audit_no_delete is missing"),
        "{out}"
    );
}

#[test]
fn verify_finds_an_edited_row_and_a_deleted_first_row() {
    let (tmp, db) = demo_company();
    tamper(
        &db,
        "audit_no_update",
        "UPDATE audit_events SET details = '{}' WHERE id = 2;",
    );
    let (code, out, _) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.starts_with(
            "BROKEN: event #2: its content does not match its hash (changed after it was written)\n"
        ),
        "{out}"
    );
    assert!(out.contains("1 event before it is sound."), "{out}");
    assert!(
        out.contains("the trigger audit_no_update is missing"),
        "{out}"
    );

    // Another actor written in, its hash made up: still found.
    let (tmp, db) = demo_company();
    tamper(
        &db,
        "audit_no_update",
        "UPDATE audit_events SET actor_id = 1, hash = 'ab' || substr(hash, 3) WHERE id = 3;",
    );
    let (code, out, _) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.starts_with("BROKEN: event #3:"), "{out}");

    let (tmp, db) = demo_company();
    tamper(
        &db,
        "audit_no_delete",
        "DELETE FROM audit_events WHERE id = 1;",
    );
    let (code, out, _) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.starts_with("BROKEN: event #2 is chained to an earlier event that is gone"),
        "{out}"
    );
}

#[test]
fn verify_says_when_the_triggers_are_gone_even_if_nothing_was_touched_yet() {
    let (tmp, db) = demo_company();
    {
        let c = rusqlite::Connection::open(&db).expect("open");
        c.execute_batch("DROP TRIGGER audit_no_delete;")
            .expect("drop");
    }
    let (code, out, _) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.starts_with("OK: 3 events\n"), "{out}");
    assert!(
        out.contains(
            "NOT GUARDED: the trigger audit_no_delete is missing, so audit events can be deleted"
        ),
        "{out}"
    );
    // A trigger of that name that no longer refuses counts as missing too.
    {
        let c = rusqlite::Connection::open(&db).expect("open");
        c.execute_batch(
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events BEGIN SELECT 1; END;",
        )
        .expect("harmless trigger");
    }
    let (code, out, _) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("audit_no_delete is missing"), "{out}");
}

/// A database from before doors and the chain (schema version 1 here): its events are chained
/// when it is opened, show as unknown (or as webhook calls, which they were known to
/// be), and stay append-only.
#[test]
fn an_old_database_is_chained_by_the_migration() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&db).expect("open");
        // The first schema: migrations 2 to 4 run when offboard opens it.
        c.execute_batch(include_str!("../src/store/migrations/0001_init.sql"))
            .expect("old schema");
        c.execute_batch(
            "PRAGMA user_version = 1; PRAGMA application_id = 1330005570;
             INSERT INTO settings (key, value) VALUES ('company_name', 'Old Co');
             INSERT INTO employees (login, first_name, last_name, email, hired_on, status, kind,
                                    is_admin, created_at)
             VALUES ('admin', 'Ada', 'Admin', 'a@old.example', '2020-01-01', 'active', 'employee',
                     1, '2020-01-01T00:00:00Z');
             INSERT INTO integrations (id, owner_id, created_by, url_user_id, title, scopes,
                                       secret_hash, secret_salt, status, created_at)
             VALUES (7, 1, 1, 1, 'Old hook', 'user', 'x', 'y', 'active', '2020-01-01T00:00:00Z');
             INSERT INTO audit_events (at, actor_id, action, target_id, details)
             VALUES ('2020-01-01T00:00:00Z', 1, 'init', 1, '{}');
             INSERT INTO audit_events (at, actor_id, action, target_id, details, via_integration)
             VALUES ('2020-01-02T00:00:00Z', 1, 'update', 1, '{}', 7);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
             INSERT INTO audit_events (at, actor_id, action, details)
             SELECT '2020-01-01T12:00:00Z', 1, 'note', json_object('n', i) FROM n;",
        )
        .expect("version 1 with events");
    }
    let mut dir = Directory::open(&db).expect("the old file opens");
    let admin = Actor::user(dir.employee("admin").expect("admin").id);
    // A new event by a local operator (an SSH door needs a real key, which an old
    // database cannot have: keys came after this schema).
    dir.set_door(Door::Local {
        uid: 4242,
        user: "ada".into(),
    });
    dir.set_show_dismissed(admin, true).expect("a new event");
    let check = dir.verify_audit(admin).expect("verify");
    assert!(check.is_sound(), "{check:?}");
    assert_eq!(check.events, 2 + 2500 + 1, "chained in slices, every one");
    let events = dir.audit(admin, None, 0, 3000).expect("audit");
    let via_of = |action: &str| {
        events
            .iter()
            .find(|e| e.action == action)
            .map(|e| e.via.clone())
    };
    assert_eq!(
        events[0].via,
        Via::Local {
            uid: 4242,
            user: "ada".into()
        }
    );
    assert_eq!(
        via_of("update"),
        Some(Via::Webhook {
            integration: offboard::domain::IntegrationId(7)
        })
    );
    assert_eq!(via_of("init"), Some(Via::Unknown));
    assert_eq!(via_of("note"), Some(Via::Unknown));
    // The append-only trigger the migration set aside is back.
    let refused = dir
        .connection()
        .execute("UPDATE audit_events SET details = '{}' WHERE id = 3", []);
    assert!(refused.is_err(), "audit events stay append-only");
}

/// Each event records its door through the directory, whichever operation writes it.
#[test]
fn every_operation_records_the_directory_door() {
    let mut env = demo();
    env.dir.set_door(Door::Local {
        uid: 4242,
        user: "alice".into(),
    });
    let hr = actor(&env.dir, "hr");
    env.dir
        .reassign(hr, "ydemir", "jdoe", offboard::domain::WorkKinds::ALL)
        .expect("reassign");
    let events = env.dir.audit(hr, None, 0, 1).expect("audit");
    assert_eq!(
        events[0].via,
        Via::Local {
            uid: 4242,
            user: "alice".into()
        }
    );
    assert!(env.dir.verify_audit(hr).expect("verify").is_sound());
}

/// Processes writing at the same time each append inside their own immediate
/// transaction, so the chain they make together holds.
#[test]
fn concurrent_writers_keep_one_sound_chain() {
    let (tmp, db) = demo_company();
    let jobs: Vec<Vec<&str>> = vec![
        vec!["--as", "admin", "settings", "show-dismissed", "on"],
        vec!["--as", "hr", "dismiss", "jdoe"],
        vec!["--as", "hr", "dismiss", "elarsen"],
        vec!["--as", "admin", "grant", "amehta"],
        vec!["--as", "hr", "reassign", "ydemir", "--to", "hr"],
        // Each job changes something whatever order they run in (turning the setting
        // off could run first, change nothing and record nothing).
        vec!["--as", "admin", "grant", "tlang"],
    ];
    let children: Vec<_> = jobs
        .iter()
        .map(|args| {
            offboard(tmp.path(), &db, args)
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        let status = c.wait().expect("wait");
        assert!(status.success(), "{status:?}");
    }
    let (code, out, err) = run(tmp.path(), &db, &["audit", "verify", "--as", "admin"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.lines().next(), Some("OK: 9 events"), "{out}");
}
