//! Meetings handed over (issue 16): `reassign --what meetings` moves the organizer of
//! the leaver's future meetings to the successor; past meetings stay as history.
//! Counted like the other kinds: `meetings` in `reassign --json` and in `show --json`'s
//! `owns`, and in the handover backlog.

mod binary;
mod rest_support;

use rest_support::Company;

/// Give `login` one meeting a week ago and two next week (fixtures written straight
/// into the file: the program has no command that makes meetings).
fn meetings_for(company: &Company, login: &str) -> (i64, Vec<i64>) {
    let c = rusqlite::Connection::open(&company.db).expect("open");
    let id: i64 = c
        .query_row("SELECT id FROM employees WHERE login = ?1", [login], |r| {
            r.get(0)
        })
        .expect("employee");
    let at = |days: i64| {
        (chrono::Utc::now() + chrono::Duration::days(days))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let mut ids = Vec::new();
    for (title, days) in [("Retro", -7), ("Planning", 7), ("Quarterly review", 8)] {
        c.execute(
            "INSERT INTO meetings (title, starts_at, organizer_id) VALUES (?1, ?2, ?3)",
            rusqlite::params![title, at(days), id],
        )
        .expect("insert meeting");
        ids.push(c.last_insert_rowid());
    }
    (id, ids)
}

fn organizer(company: &Company, meeting: i64) -> String {
    let c = rusqlite::Connection::open(&company.db).expect("open");
    c.query_row(
        "SELECT e.login FROM meetings m JOIN employees e ON e.id = m.organizer_id WHERE m.id = ?1",
        [meeting],
        |r| r.get(0),
    )
    .expect("organizer")
}

#[test]
fn reassign_meetings_moves_only_future_ones_and_counts_them() {
    let company = Company::demo();
    let before = company.json(&["--as", "hr", "show", "jdoe", "--json"])["owns"]["meetings"]
        .as_i64()
        .unwrap();
    let (_, ids) = meetings_for(&company, "jdoe");
    let owns = company.json(&["--as", "hr", "show", "jdoe", "--json"])["owns"].clone();
    assert_eq!(
        owns["meetings"].as_i64().unwrap(),
        before + 2,
        "two of them are ahead"
    );
    let moved = company.json(&[
        "--as", "hr", "reassign", "jdoe", "--to", "tlang", "--what", "meetings", "--json",
    ]);
    assert_eq!(moved["meetings"].as_i64().unwrap(), before + 2);
    assert_eq!(moved["tasks"], 0, "only meetings were asked for");
    assert_eq!(
        organizer(&company, ids[0]),
        "jdoe",
        "the past meeting stays history"
    );
    assert_eq!(organizer(&company, ids[1]), "tlang");
    assert_eq!(organizer(&company, ids[2]), "tlang");
    let owns = company.json(&["--as", "hr", "show", "jdoe", "--json"])["owns"].clone();
    assert_eq!(owns["meetings"], 0);
    // jdoe still took part in it: history counts every meeting they organized.
    let history = company.json(&["--as", "hr", "show", "jdoe", "--json"])["history"].clone();
    assert!(history["meetings"].as_i64().unwrap() >= 1);
    let text = company.ok(&[
        "--as", "hr", "reassign", "jdoe", "--to", "tlang", "--what", "meetings",
    ]);
    assert!(text.contains("0 mailboxes"), "{text}");
    let audit = company.json(&["--as", "admin", "audit", "--json"]);
    let last = &audit[0];
    assert_eq!(last["action"], "reassign");
    assert!(last["details"]["meetings"].is_i64(), "{last}");
}

#[test]
fn a_leaver_with_future_meetings_is_in_the_backlog_and_a_handover_moves_them() {
    let company = Company::demo();
    meetings_for(&company, "jdoe");
    company.ok(&[
        "--as",
        "hr",
        "dismiss",
        "jdoe",
        "--handover-to",
        "tlang",
        "--what",
        "tasks,crm,files,mail",
        "--checklist",
        "none",
    ]);
    let rows = company.json(&["--as", "hr", "list", "--still-owns", "--json"]);
    let jdoe = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["login"] == "jdoe")
        .expect("in the backlog");
    assert_eq!(jdoe["owns"]["meetings"], 2);
    company.ok(&["--as", "hr", "reassign", "jdoe", "--to", "tlang"]);
    let rows = company.json(&["--as", "hr", "list", "--still-owns", "--json"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["login"] != "jdoe"),
        "{rows}"
    );
    let o = company.run(&[
        "--as",
        "hr",
        "reassign",
        "jdoe",
        "--to",
        "tlang",
        "--what",
        "calendars",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("meetings"), "{}", o.stderr);
}
