//! The counts kept beside the rows (migration 12) agree with the rows after every kind
//! of change, and the list's broad searches are counted up to a point ("1000+").

mod common;

use common::*;
use offboard::directory::{DismissRequest, ListQuery};
use offboard::domain::{IntegrationChoice, StatusFilter, WorkKinds};

/// `work_counts` and `employee_counts` less what counting the rows gives: empty when
/// they agree.
fn disagreements(dir: &offboard::Directory) -> Vec<String> {
    let c = dir.connection();
    let mut out = Vec::new();
    let sql = "WITH real AS ( \
         SELECT who, sum(r) r, sum(d) d, sum(cr) cr, sum(f) f, sum(m) m FROM ( \
           SELECT responsible_id who, count(*) r, sum(status = 'done') d, 0 cr, 0 f, 0 m FROM tasks GROUP BY 1 \
           UNION ALL SELECT assigned_id, 0, 0, count(*), 0, 0 FROM crm_items \
             WHERE stage NOT IN ('WON', 'LOSE', 'CONVERTED', 'JUNK') GROUP BY 1 \
           UNION ALL SELECT owner_id, 0, 0, 0, count(*), 0 FROM files GROUP BY 1 \
           UNION ALL SELECT owner_id, 0, 0, 0, 0, count(*) FROM mailboxes GROUP BY 1) GROUP BY who), \
         kept AS (SELECT employee_id who, responsible r, done d, crm_open cr, files f, mailboxes m \
                  FROM work_counts WHERE responsible + done + crm_open + files + mailboxes > 0) \
         SELECT 'kept ' || who || ': ' || r || ' ' || d || ' ' || cr || ' ' || f || ' ' || m FROM \
           (SELECT * FROM kept EXCEPT SELECT * FROM real) \
         UNION ALL SELECT 'real ' || who || ': ' || r || ' ' || d || ' ' || cr || ' ' || f || ' ' || m FROM \
           (SELECT * FROM real EXCEPT SELECT * FROM kept) \
         UNION ALL SELECT 'employees ' || status || ' ' || department_id FROM ( \
           SELECT status, department_id, n FROM employee_counts WHERE n > 0 EXCEPT \
           SELECT status, coalesce(department_id, 0), count(*) FROM employees \
           WHERE kind = 'employee' GROUP BY 1, 2)";
    let mut stmt = c.prepare(sql).unwrap();
    for row in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        out.push(row.unwrap());
    }
    out
}

#[test]
fn the_counts_kept_beside_the_rows_agree_with_the_rows_after_every_change() {
    let mut d = demo();
    assert_eq!(
        disagreements(&d.dir),
        Vec::<String>::new(),
        "after the demo build"
    );
    let hr = actor(&d.dir, "hr");
    let elarsen = d.dir.profile(hr, "elarsen").unwrap();
    assert!(
        elarsen.owns.tasks > 0 && elarsen.owns.files > 0,
        "elarsen owns work"
    );
    d.dir
        .reassign(hr, "elarsen", "jdoe", WorkKinds::ALL)
        .unwrap();
    let after = d.dir.profile(hr, "jdoe").unwrap();
    assert_eq!(
        disagreements(&d.dir),
        Vec::<String>::new(),
        "after a reassign"
    );
    assert_eq!(d.dir.profile(hr, "elarsen").unwrap().owns.tasks, 0);
    assert!(after.owns.tasks >= elarsen.owns.tasks);
    let req = DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        ..Default::default()
    };
    d.dir.dismiss(hr, "elarsen", &req).unwrap();
    d.dir
        .dismiss_with_handover(hr, "rkumar", &req, "amehta", WorkKinds::ALL)
        .unwrap();
    assert_eq!(
        disagreements(&d.dir),
        Vec::<String>::new(),
        "after dismissals"
    );
    // The portal's task delegate moves one task, open or done.
    for status in ["open", "done"] {
        let task: i64 = d
            .dir
            .connection()
            .query_row(
                "SELECT t.id FROM tasks t JOIN employees e ON e.id = t.responsible_id \
                 WHERE e.login NOT IN ('jdoe', 'hr') AND e.status = 'active' AND t.status = ?1 LIMIT 1",
                [status],
                |r| r.get(0),
            )
            .unwrap();
        d.dir
            .delegate_task(hr, offboard::domain::TaskId(task), id_of(&d.dir, "jdoe"))
            .unwrap();
    }
    assert_eq!(
        disagreements(&d.dir),
        Vec::<String>::new(),
        "after delegating tasks"
    );
    d.dir.hire(hr, "elarsen", true).unwrap();
    d.dir.add(hr, &person("newbie", "Nia", "Newton")).unwrap();
    assert_eq!(
        disagreements(&d.dir),
        Vec::<String>::new(),
        "after a rehire and an add"
    );
    // The counts are what the list shows: the whole list, and one department.
    let page = d
        .dir
        .list(
            hr,
            &ListQuery {
                limit: 5,
                ..Default::default()
            },
        )
        .unwrap();
    let active = count_where(
        &d.dir,
        "SELECT COUNT(*) FROM employees WHERE kind = 'employee' AND status = 'active'",
        [],
    );
    assert_eq!((page.total, page.more), (active, false));
}

#[test]
fn a_broad_search_is_counted_up_to_a_point_and_counts_further_as_one_scrolls() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.db");
    let mut dir = offboard::Directory::create(&path).unwrap();
    offboard::demo::build_large(&mut dir, offboard::demo::LargeSpec::for_employees(8_000)).unwrap();
    assert_eq!(
        disagreements(&dir),
        Vec::<String>::new(),
        "after the bulk build"
    );
    let hr = actor(&dir, "hr");
    let cap = offboard::store::queries::SEARCH_COUNT_FROM;
    let q = ListQuery {
        search: Some("a".into()),
        limit: 30,
        ..Default::default()
    };
    let exact = offboard::store::queries::count_employees(dir.connection(), &q).unwrap();
    assert!(exact > cap, "the search is broad: {exact}");
    let page = dir.list(hr, &q).unwrap();
    assert_eq!((page.total, page.more), (cap, true), "counted up to {cap}");
    // Deeper in the list, counting goes further, as far as twice the page's end.
    let deep = ListQuery {
        offset: 900,
        ..q.clone()
    };
    let page = dir.list(hr, &deep).unwrap();
    assert_eq!(page.total, exact.min(2 * 930));
    // A narrow search is counted exactly.
    let narrow = ListQuery {
        search: Some("heavy".into()),
        ..q.clone()
    };
    let page = dir.list(hr, &narrow).unwrap();
    assert!(!page.more && page.total >= 1);
    // Every page of the broad search is the one the index alone gives, in list order.
    for offset in [0, 29, 30, 450, 980] {
        for status in [
            StatusFilter::Active,
            StatusFilter::Dismissed,
            StatusFilter::All,
        ] {
            let q = ListQuery {
                offset,
                status,
                ..q.clone()
            };
            let shown: Vec<i64> = offboard::store::queries::list_employees(dir.connection(), &q)
                .unwrap()
                .iter()
                .map(|r| r.employee.id.0)
                .collect();
            let indexed =
                offboard::store::queries::page_ids_from_index(dir.connection(), &q).unwrap();
            assert_eq!(shown, indexed, "{status:?} at {offset}");
        }
    }
}

/// Pairs of employees whose name ranks order against their name keys, and how many
/// distinct keys share a rank with another.
fn rank_faults(dir: &offboard::Directory) -> (i64, i64) {
    let c = dir.connection();
    let against: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM employees a JOIN employees b \
             ON a.name_key < b.name_key AND a.name_rank > b.name_rank",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let shared: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM name_ranks a JOIN name_ranks b \
             ON a.rank = b.rank AND a.name_key < b.name_key",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (against, shared)
}

#[test]
fn names_get_ranks_in_name_order_and_an_import_spreads_them_again() {
    let mut d = minimal();
    let boss = actor(&d.dir, "boss");
    let version = |d: &Env| {
        count_where(
            &d.dir,
            "SELECT coalesce(max(version), 0) FROM scim_users s JOIN employees e \
             ON e.id = s.employee_id WHERE e.login = 'boss'",
            [],
        )
    };
    let before = version(&d);
    // Added one at a time, in no order: a rank each, in name order.
    for i in 0..150 {
        let last = format!("M{:03}", (i * 37) % 150);
        d.dir
            .add(boss, &person(&format!("m{i}"), "Cy", &last))
            .unwrap();
    }
    assert_eq!(
        rank_faults(&d.dir),
        (0, 0),
        "scattered adds: a rank per name"
    );
    // Added one at a time next to each other: the gap between two ranks runs out, and
    // the names then share a rank, still never against their order.
    for i in (0..60).rev() {
        d.dir
            .add(boss, &person(&format!("z{i}"), "Bo", &format!("Zz{i:03}")))
            .unwrap();
    }
    let (against, shared) = rank_faults(&d.dir);
    assert_eq!(against, 0, "never against the order");
    assert!(shared > 0, "sixty neighbours used up a gap");
    // An import of names in order spreads every rank again: one per name.
    let mut csv = String::from("login,first_name,last_name,email,position,department,hired_on\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "a{i},Ann,Aa{i:03},a{i}@corvane.example,Analyst,Finance,2024-05-01\n"
        ));
    }
    d.dir.import_csv(boss, csv.as_bytes()).unwrap();
    assert_eq!(
        rank_faults(&d.dir),
        (0, 0),
        "after the import: a rank per name"
    );
    assert_eq!(version(&d), before, "a new rank is no change SCIM sees");
    // The search index follows the new ranks: a search in name order finds them all.
    let page = d
        .dir
        .list(
            boss,
            &ListQuery {
                search: Some("zz".into()),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap();
    let logins: Vec<&str> = page
        .rows
        .iter()
        .map(|r| r.employee.login.as_str())
        .collect();
    let expected: Vec<String> = (0..60).map(|i| format!("z{i}")).collect();
    assert_eq!(logins, expected, "in name order");
}
