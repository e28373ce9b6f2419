//! The large synthetic company (`demo --size large`), built small (`scaled`) into a real
//! file: its tasks are written by a second thread into a side file and copied across, so
//! these tests check that what arrives is whole, indexed, guarded and the same every run,
//! and that the side file never outlives the build.

mod binary;

use std::path::{Path, PathBuf};

use binary::files_in;
use offboard::Directory;
use offboard::demo::{LargeSpec, build_large};
use rusqlite::Connection;
use tempfile::TempDir;

const SCALE: i64 = 200;

fn build(tmp: &TempDir, name: &str) -> (PathBuf, offboard::demo::Summary) {
    let path = tmp.path().join(name);
    let mut dir = Directory::create(&path).expect("create");
    let summary = build_large(&mut dir, LargeSpec::scaled(SCALE)).expect("build_large");
    (path, summary)
}

/// Everything the schema holds, but the planner's statistics (made by ANALYZE).
fn schema(c: &Connection) -> Vec<(String, String, String, Option<String>)> {
    let mut stmt = c
        .prepare(
            "SELECT type, name, tbl_name, sql FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
        )
        .expect("schema");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("schema rows")
}

fn one_i64(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn the_large_company_has_every_index_trigger_and_key_of_a_new_database() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (path, _) = build(&tmp, "large.db");
    let fresh_path = tmp.path().join("fresh.db");
    drop(Directory::create(&fresh_path).expect("fresh"));

    let c = Connection::open(&path).expect("open");
    let fresh = Connection::open(&fresh_path).expect("open fresh");
    assert_eq!(
        schema(&c),
        schema(&fresh),
        "the built company has exactly the schema of a new database"
    );
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok", "every index entry matches its row");
    let broken: i64 = c
        .prepare("PRAGMA foreign_key_check")
        .expect("fk check")
        .query_map([], |_| Ok(()))
        .expect("fk rows")
        .count() as i64;
    assert_eq!(broken, 0, "every reference points at a row");
    let journal: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal_mode");
    assert_eq!(
        journal, "wal",
        "the file is left in WAL mode for everyday use"
    );
    let refused = c
        .execute("DELETE FROM tasks WHERE id = 1", [])
        .expect_err("tasks cannot be deleted");
    assert!(
        refused.to_string().contains("tasks are never deleted"),
        "the guard on tasks is back after the copy: {refused}"
    );
}

#[test]
fn every_task_from_the_second_thread_arrives_and_the_indexes_find_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (path, summary) = build(&tmp, "large.db");
    let spec = LargeSpec::scaled(SCALE);
    let c = Connection::open(&path).expect("open");

    assert_eq!(summary.tasks, spec.tasks);
    assert_eq!(one_i64(&c, "SELECT COUNT(*) FROM tasks"), spec.tasks);
    assert_eq!(
        one_i64(&c, "SELECT MAX(id) FROM tasks"),
        spec.tasks,
        "ids run 1..=tasks"
    );
    assert_eq!(
        one_i64(&c, "SELECT COUNT(*) FROM task_participants"),
        (spec.tasks + 9) / 10,
        "every tenth task has a participant"
    );
    let heavy = one_i64(&c, "SELECT id FROM employees WHERE login = 'heavy'");
    let count_for = |sql: &str| -> i64 {
        c.query_row(sql, [heavy], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let by_index = count_for(
        "SELECT COUNT(*) FROM tasks INDEXED BY tasks_responsible \
         WHERE responsible_id = ?1 AND status = 'open'",
    );
    let by_scan = count_for(
        "SELECT COUNT(*) FROM tasks NOT INDEXED WHERE responsible_id = ?1 AND status = 'open'",
    );
    assert_eq!(by_index, by_scan, "the copied index agrees with the table");
    assert!(
        by_index >= spec.heavy_tasks,
        "heavy carries the open backlog: {by_index}"
    );
    assert_eq!(
        count_for("SELECT COUNT(*) FROM tasks INDEXED BY tasks_creator WHERE creator_id = ?1"),
        count_for("SELECT COUNT(*) FROM tasks NOT INDEXED WHERE creator_id = ?1"),
        "the creator index agrees with the table"
    );

    // The program reads them: heavy's profile counts the backlog.
    let dir = Directory::open(&path).expect("open directory");
    let admin = dir.sign_in("admin").expect("admin");
    let profile = dir
        .profile(offboard::Actor::user(admin.id), "heavy")
        .expect("profile");
    assert!(
        profile.owns.tasks >= spec.heavy_tasks,
        "the profile shows {} open tasks",
        profile.owns.tasks
    );
}

#[test]
fn the_same_seed_builds_the_same_company_whatever_the_threads_do() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, _) = build(&tmp, "a.db");
    let (b, _) = build(&tmp, "b.db");
    let digest = |path: &Path| -> Vec<String> {
        let c = Connection::open(path).expect("open");
        [
            "SELECT group_concat(id || '|' || title || '|' || status || '|' || creator_id || '|' || responsible_id || '|' || created_at, ';') FROM (SELECT * FROM tasks ORDER BY id)",
            "SELECT group_concat(task_id || '|' || employee_id, ';') FROM (SELECT * FROM task_participants ORDER BY task_id, employee_id)",
            "SELECT group_concat(id || '|' || title || '|' || stage || '|' || assigned_id, ';') FROM (SELECT * FROM crm_items ORDER BY id)",
            "SELECT group_concat(id || '|' || chat_id || '|' || author_id || '|' || body, ';') FROM (SELECT * FROM messages ORDER BY id)",
            "SELECT group_concat(id || '|' || login || '|' || status, ';') FROM (SELECT * FROM employees ORDER BY id)",
        ]
        .iter()
        .map(|sql| c.query_row(sql, [], |r| r.get::<_, String>(0)).expect(sql))
        .collect()
    };
    assert_eq!(digest(&a), digest(&b));
}

#[test]
fn no_side_file_outlives_a_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    build(&tmp, "large.db");
    let left = files_in(tmp.path());
    assert!(
        left.iter()
            .all(|f| f.starts_with("large.db") && !f.contains(".load")),
        "only the database remains: {left:?}"
    );
}

#[test]
fn a_file_already_where_the_side_file_would_go_is_left_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("large.db");
    let mut dir = Directory::create(&path).expect("create");
    let theirs = tmp
        .path()
        .join(format!("large.db.load-{}", std::process::id()));
    std::fs::write(&theirs, "someone else's").expect("plant a file");
    let err = build_large(&mut dir, LargeSpec::scaled(SCALE)).expect_err("the build stops");
    assert!(
        err.to_string().contains(".load-"),
        "the message names the side file: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&theirs).expect("still there"),
        "someone else's",
        "a file the build did not make is never removed or changed"
    );
}

#[test]
fn a_build_that_fails_midway_stops_both_threads_and_removes_the_side_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("large.db");
    let mut dir = Directory::create(&path).expect("create");
    // A mailbox address the builder will want for `admin`, already taken: the main
    // thread fails after the second one has started on the tasks.
    dir.connection()
        .execute_batch(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO mailboxes (address, owner_id) VALUES ('admin@mail.corvane.example', 999999); \
             PRAGMA foreign_keys = ON;",
        )
        .expect("plant a clash");
    let err = build_large(&mut dir, LargeSpec::scaled(SCALE)).expect_err("the build fails");
    assert!(
        err.to_string().to_lowercase().contains("unique"),
        "the clash is what is reported: {err}"
    );
    drop(dir);
    let left = files_in(tmp.path());
    assert!(
        !left.iter().any(|f| f.contains(".load")),
        "the side file is gone: {left:?}"
    );
}

/// Records are dated in the order they were made, as in a real portal, so a profile's
/// sections (newest first by id) also read newest first by date.
#[test]
fn later_records_are_never_dated_earlier() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (path, _) = build(&tmp, "dated.db");
    let c = Connection::open(&path).expect("open");
    for (table, at) in [
        ("tasks", "created_at"),
        ("crm_items", "created_at"),
        ("files", "created_at"),
        ("messages", "sent_at"),
        ("meetings", "starts_at"),
        ("feed_posts", "posted_at"),
    ] {
        let out_of_order = one_i64(
            &c,
            &format!(
                "SELECT COUNT(*) FROM {table} a JOIN {table} b ON b.id = a.id + 1 \
                 WHERE b.{at} < a.{at}"
            ),
        );
        assert_eq!(out_of_order, 0, "{table}: a later row dated earlier");
        let distinct = one_i64(&c, &format!("SELECT COUNT(DISTINCT {at}) FROM {table}"));
        assert!(distinct > 1, "{table}: dates spread over the period");
    }
}
