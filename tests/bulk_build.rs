//! The large build's shortcuts (issue 17) give the company the slow path would: rows in
//! batches with chosen ids, indexes kept while their rows arrive in order, counts taken
//! as the rows are written, and the search index built in the side file and put in
//! place as FTS5 keeps it.

mod common;

use common::*;
use offboard::directory::{DismissRequest, ListQuery};
use offboard::domain::IntegrationChoice;

fn built(employees: i64) -> (tempfile::TempDir, offboard::Directory) {
    let tmp = tempfile::tempdir().unwrap();
    let mut dir = offboard::Directory::create(&tmp.path().join("big.db")).unwrap();
    offboard::demo::build_large(
        &mut dir,
        offboard::demo::LargeSpec::for_employees(employees),
    )
    .unwrap();
    (tmp, dir)
}

/// Rows of the first query that the second lacks, and the other way round.
fn difference(dir: &offboard::Directory, a: &str, b: &str) -> (i64, i64) {
    (
        count_where(dir, &format!("SELECT count(*) FROM ({a} EXCEPT {b})"), []),
        count_where(dir, &format!("SELECT count(*) FROM ({b} EXCEPT {a})"), []),
    )
}

/// What migration 12 puts in the search index for each employee.
const WORDS: &str = "SELECT (e.name_rank << 28) | e.id, \
       e.first_name || ' ' || e.last_name || ' ' || e.name_key || ' ' || e.login || ' ' || \
       substr(e.email, 1, instr(e.email || '@', '@') - 1) || ' ' || \
       coalesce(d.name, '') || ' ' || e.position, 'is' || e.status \
     FROM employees e LEFT JOIN departments d ON d.id = e.department_id \
     WHERE e.kind = 'employee'";

/// The logins a search lists, as hr.
fn logins_found(dir: &offboard::Directory, q: &ListQuery) -> Vec<String> {
    dir.list(actor(dir, "hr"), q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.employee.login)
        .collect()
}

/// Rows of what migration 12 defines that the search index lacks, and the other way.
fn words_differ(dir: &offboard::Directory) -> (i64, i64) {
    difference(dir, WORDS, "SELECT rowid, words, state FROM employee_words")
}

fn fts_check(dir: &offboard::Directory) {
    dir.connection()
        .execute_batch("INSERT INTO employee_words (employee_words) VALUES ('integrity-check');")
        .expect("the search index agrees with its rows");
}

#[test]
fn the_large_build_gives_a_whole_company_with_every_index_and_the_search_index_right() {
    let (_tmp, mut dir) = built(3_000);
    // Every index agrees with its table, the ones kept during the load and the ones
    // sorted after it.
    let check: String = dir
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    // The proportions of the company (issue 17, item 1).
    assert_eq!(count(&dir, "tasks"), 60_000);
    assert_eq!(count(&dir, "crm_items"), 15_000);
    assert_eq!(count(&dir, "files"), 15_000);
    assert_eq!(count(&dir, "messages"), 60_000);
    let heavy = id_of(&dir, "heavy");
    assert!(
        count_where(
            &dir,
            "SELECT count(*) FROM tasks WHERE responsible_id = ?1 AND status = 'open'",
            [heavy.0],
        ) >= 6_000,
        "heavy carries two open tasks per employee"
    );
    // Its backlog holds the first ids (the benchmark hands those back after each
    // reassign).
    assert_eq!(
        count_where(
            &dir,
            "SELECT count(*) FROM tasks WHERE id <= 6000 AND responsible_id = ?1 AND status = 'open'",
            [heavy.0],
        ),
        6_000
    );
    // Each person's rows went in together, yet everyone still has some.
    assert_eq!(
        count_where(&dir, "SELECT count(DISTINCT responsible_id) FROM tasks", []),
        count_where(
            &dir,
            "SELECT count(*) FROM employees WHERE kind = 'employee'",
            []
        ),
        "tasks are spread over everyone"
    );
    // The search index built in the side file is the one the migration defines, for
    // every employee, dismissed ones included.
    fts_check(&dir);
    assert_eq!(words_differ(&dir), (0, 0));
    assert!(
        count_where(
            &dir,
            "SELECT count(*) FROM employees WHERE status = 'dismissed'",
            []
        ) > 0
    );
    // It answers through the connection that built it.
    let hr = actor(&dir, "hr");
    let q = ListQuery {
        search: Some("henrik vogel".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(logins_found(&dir, &q), ["heavy"]);
    // And it takes changes there: a new employee is found, a dismissal changes the
    // state token, and the index still agrees with its rows.
    let admin = actor(&dir, "admin");
    dir.add(admin, &person("zquist", "Zelda", "Quistorp"))
        .unwrap();
    let req = DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        ..Default::default()
    };
    dir.dismiss(hr, "jdoe", &req).unwrap();
    fts_check(&dir);
    assert_eq!(words_differ(&dir), (0, 0));
    let q = ListQuery {
        search: Some("zelda".into()),
        ..q
    };
    assert_eq!(logins_found(&dir, &q), ["zquist"]);
    // A new connection reads the same index.
    let again = offboard::Directory::open(dir.path()).unwrap();
    fts_check(&again);
}

#[test]
fn the_counts_written_during_the_build_are_those_of_the_rows() {
    let (_tmp, dir) = built(2_000);
    let real = "SELECT who, sum(r), sum(d), sum(cr), sum(f), sum(m) FROM ( \
           SELECT responsible_id who, count(*) r, sum(status = 'done') d, 0 cr, 0 f, 0 m FROM tasks GROUP BY 1 \
           UNION ALL SELECT assigned_id, 0, 0, count(*), 0, 0 FROM crm_items \
             WHERE stage NOT IN ('WON', 'LOSE', 'CONVERTED', 'JUNK') GROUP BY 1 \
           UNION ALL SELECT owner_id, 0, 0, 0, count(*), 0 FROM files GROUP BY 1 \
           UNION ALL SELECT owner_id, 0, 0, 0, 0, count(*) FROM mailboxes GROUP BY 1) GROUP BY who";
    let kept = "SELECT employee_id, responsible, done, crm_open, files, mailboxes FROM work_counts";
    assert_eq!(difference(&dir, real, kept), (0, 0));
    assert!(count(&dir, "work_counts") >= 2_000);
}
