//! Adding and importing employees, and the limits on what people type.

mod common;

use common::*;
use offboard::Error;
use offboard::directory::NewEmployee;
use offboard::domain::{Kind, Scope, ScopeSet, Status};

const HEADER: &str = "login,first_name,last_name,email,position,department,hired_on\n";

#[track_caller]
fn invalid<T: std::fmt::Debug>(r: offboard::Result<T>) -> Error {
    match r {
        Ok(v) => panic!("expected Invalid, got Ok({v:?})"),
        Err(e) => {
            assert!(
                matches!(e, Error::Invalid(_)),
                "expected Invalid, got {e:?}"
            );
            assert_eq!(e.exit_code(), 2, "bad input exits with 2");
            e
        }
    }
}

// ------------------------------------------------------------ add

#[test]
fn staff_may_add_an_employee() {
    let mut env = minimal();
    let boss = actor(&env.dir, "boss");
    let n = audit_count(&env.dir);
    let e = env
        .dir
        .add(boss, &person("amy", "Amy", "Adams"))
        .expect("add");
    assert_eq!(e.status, Status::Active);
    assert_eq!(e.kind, Kind::Employee);
    assert!(!e.is_admin);
    assert_eq!(audit_count(&env.dir), n + 1);
    assert_eq!(last_audit_action(&env.dir), "add");
    env.dir
        .sign_in("amy")
        .expect("the new employee can sign in");

    let mut demo = demo();
    let hr = actor(&demo.dir, "hr");
    demo.dir
        .add(hr, &person("newbie", "New", "Bie"))
        .expect("hr adds");
}

#[test]
fn ordinary_employee_may_not_add() {
    let mut env = demo();
    let jdoe = actor(&env.dir, "jdoe");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.add(jdoe, &person("newbie", "New", "Bie")));
    assert!(e.to_string().contains("company-structure access"), "{e}");
    let e = refused(env.dir.import_csv(
        jdoe,
        format!("{HEADER}newbie,New,Bie,newbie@x.example,,,\n").as_bytes(),
    ));
    assert!(e.to_string().contains("company-structure access"), "{e}");
    assert_unchanged(&before, &env.dir, "jdoe adding");
}

#[test]
fn duplicate_login_is_refused() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let mut p = person("jdoe", "Another", "Doe");
    p.email = "another.doe@corvane.example".into();
    let e = refused(env.dir.add(hr, &p));
    assert!(matches!(e, Error::Duplicate(_)), "{e:?}");
    assert!(e.to_string().contains("jdoe"), "{e}");
    // Dismissed employees keep their login.
    let mut p = person("lbrandt", "Other", "Brandt");
    p.email = "other.brandt@corvane.example".into();
    let e = refused(env.dir.add(hr, &p));
    assert!(matches!(e, Error::Duplicate(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "duplicate login");
}

#[test]
fn duplicate_email_is_refused() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let mut p = person("jane2", "Jane", "Doe");
    p.email = "jane.doe@corvane.example".into();
    let e = refused(env.dir.add(hr, &p));
    assert!(matches!(e, Error::Duplicate(_)), "{e:?}");
    let mut p = person("jane3", "Jane", "Doe");
    p.email = "JANE.DOE@corvane.example".into();
    let e = refused(env.dir.add(hr, &p));
    assert!(matches!(e, Error::Duplicate(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "duplicate email");
}

#[test]
fn system_login_prefix_is_reserved() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    invalid(env.dir.add(hr, &person("system.jdoe", "Sys", "Tem")));
    assert_unchanged(&before, &env.dir, "reserved login");
}

#[test]
fn missing_department_is_created_on_add() {
    let mut env = minimal();
    let boss = actor(&env.dir, "boss");
    let departments = count(&env.dir, "departments");
    let mut p = person("amy", "Amy", "Adams");
    p.department = Some("Research Lab".into());
    let e = env.dir.add(boss, &p).unwrap();
    assert_eq!(e.department.as_deref(), Some("Research Lab"));
    assert_eq!(count(&env.dir, "departments"), departments + 1);
    // The same department is reused.
    let mut p = person("bob", "Bob", "Brown");
    p.department = Some("Research Lab".into());
    env.dir.add(boss, &p).unwrap();
    assert_eq!(count(&env.dir, "departments"), departments + 1);
}

// ------------------------------------------------------------ validation

#[test]
fn empty_names_are_refused() {
    let mut env = minimal();
    let boss = actor(&env.dir, "boss");
    let before = snapshot(&env.dir);
    for (first, last) in [("", "Adams"), ("Amy", ""), ("   ", "Adams"), ("Amy", "  ")] {
        invalid(env.dir.add(boss, &person("amy", first, last)));
    }
    assert_unchanged(&before, &env.dir, "empty names");
}

#[test]
fn names_longer_than_100_characters_are_refused() {
    let mut env = minimal();
    let boss = actor(&env.dir, "boss");
    let before = snapshot(&env.dir);
    let long = "é".repeat(101);
    let e = invalid(env.dir.add(boss, &person("amy", &long, "Adams")));
    assert!(e.to_string().contains("100"), "{e}");
    invalid(env.dir.add(boss, &person("amy", "Amy", &"x".repeat(101))));
    assert_unchanged(&before, &env.dir, "long names");
    let ok = "é".repeat(100);
    let e = env
        .dir
        .add(boss, &person("amy", &ok, &ok))
        .expect("100 is fine");
    assert_eq!(e.first_name.chars().count(), 100);
}

#[test]
fn bad_login_and_email_are_refused() {
    let mut env = minimal();
    let boss = actor(&env.dir, "boss");
    let before = snapshot(&env.dir);
    for login in ["", "Amy", "a b", "-amy", &"a".repeat(65)] {
        invalid(env.dir.add(boss, &person(login, "Amy", "Adams")));
    }
    for email in ["", "amy", "amy@", "amy@host", "a my@x.example"] {
        let mut p = person("amy", "Amy", "Adams");
        p.email = email.into();
        invalid(env.dir.add(boss, &p));
    }
    assert_unchanged(&before, &env.dir, "bad login/email");
}

#[test]
fn webhook_title_and_scopes_are_validated() {
    let mut env = demo();
    let tlang = actor(&env.dir, "tlang");
    let before = snapshot(&env.dir);
    invalid(env.dir.create_webhook(tlang, "", Scope::Task.into()));
    invalid(env.dir.create_webhook(tlang, "Hook", ScopeSet::EMPTY));
    invalid(
        env.dir
            .create_webhook(tlang, &"t".repeat(201), Scope::Task.into()),
    );
    assert_unchanged(&before, &env.dir, "bad webhook");
}

#[test]
fn overlong_dismissal_note_is_refused() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    invalid(env.dir.dismiss(
        hr,
        "dferreira",
        &offboard::directory::DismissRequest {
            note: Some("n".repeat(2001)),
            ..Default::default()
        },
    ));
    assert_unchanged(&before, &env.dir, "long note");
}

// ------------------------------------------------------------ import

#[test]
fn import_adds_everyone_and_creates_missing_departments() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let employees = count(&env.dir, "employees");
    let departments = count(&env.dir, "departments");
    let csv = format!(
        "{HEADER}\
         kfox,Kim,Fox,kim.fox@corvane.example,Analyst,Research Lab,2025-02-03\n\
         lgray,Lee,Gray,lee.gray@corvane.example,Engineer,Engineering,\n\
         mhill,Max,Hill,max.hill@corvane.example,,,\n"
    );
    let n = audit_count(&env.dir);
    let added = env.dir.import_csv(hr, csv.as_bytes()).expect("import");
    assert_eq!(added, vec!["kfox", "lgray", "mhill"]);
    assert_eq!(count(&env.dir, "employees"), employees + 3);
    assert_eq!(count(&env.dir, "departments"), departments + 1);
    assert_eq!(
        audit_count(&env.dir),
        n + 1,
        "one event for the whole import"
    );
    let kfox = env.dir.employee("kfox").unwrap();
    assert_eq!(kfox.department.as_deref(), Some("Research Lab"));
    assert_eq!(kfox.hired_on.to_string(), "2025-02-03");
    assert_eq!(kfox.position, "Analyst");
    assert_eq!(
        env.dir.employee("lgray").unwrap().department.as_deref(),
        Some("Engineering")
    );
}

#[test]
fn import_is_all_or_nothing_and_names_the_line_and_field() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let csv = format!(
        "{HEADER}\
         kfox,Kim,Fox,kim.fox@corvane.example,Analyst,Research Lab,\n\
         lgray,Lee,Gray,lee.gray@corvane.example,Engineer,Engineering,\n\
         mhill,Max,Hill,not-an-email,,,\n"
    );
    let e = invalid(env.dir.import_csv(hr, csv.as_bytes()));
    let msg = e.to_string();
    assert!(
        msg.contains("line 4"),
        "the 3rd row is line 4 of the file: {msg}"
    );
    assert!(msg.contains("email"), "names the field: {msg}");
    assert_unchanged(&before, &env.dir, "bad import");
    assert!(env.dir.employee("kfox").is_err());
}

#[test]
fn import_with_a_bad_name_names_the_field() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let csv = format!(
        "{HEADER}\
         kfox,Kim,Fox,kim.fox@corvane.example,,,\n\
         lgray,,Gray,lee.gray@corvane.example,,,\n"
    );
    let e = invalid(env.dir.import_csv(hr, csv.as_bytes()));
    let msg = e.to_string();
    assert!(
        msg.contains("line 3") && msg.contains("first_name"),
        "{msg}"
    );
    assert_unchanged(&before, &env.dir, "bad name in import");
}

#[test]
fn import_with_a_duplicate_adds_nobody() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let csv = format!(
        "{HEADER}\
         kfox,Kim,Fox,kim.fox@corvane.example,,Research Lab,\n\
         lgray,Lee,Gray,lee.gray@corvane.example,,,\n\
         jdoe,Jo,Doe,jo.doe@corvane.example,,,\n"
    );
    let e = refused(env.dir.import_csv(hr, csv.as_bytes()));
    assert!(matches!(e, Error::Duplicate(_)), "{e:?}");
    assert!(e.to_string().contains("line 4"), "{e}");
    assert_unchanged(&before, &env.dir, "import with a duplicate login");

    // A duplicate email, and a duplicate within the file itself.
    let csv = format!(
        "{HEADER}\
         kfox,Kim,Fox,kim.fox@corvane.example,,,\n\
         lgray,Lee,Gray,jane.doe@corvane.example,,,\n"
    );
    let e = refused(env.dir.import_csv(hr, csv.as_bytes()));
    assert!(matches!(e, Error::Duplicate(_)), "{e:?}");
    let csv = format!(
        "{HEADER}\
         kfox,Kim,Fox,kim.fox@corvane.example,,,\n\
         kfox,Kim,Fox,kim.fox2@corvane.example,,,\n"
    );
    let e = refused(env.dir.import_csv(hr, csv.as_bytes()));
    assert!(matches!(e, Error::Duplicate(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "import with duplicates");
}

#[test]
fn import_refuses_non_utf8_naming_the_line() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"kfox,Kim,Fox,kim.fox@corvane.example,,,\n");
    bytes.extend_from_slice(b"lgray,L\xe9e,Gray,lee.gray@corvane.example,,,\n");
    let e = invalid(env.dir.import_csv(hr, &bytes[..]));
    let msg = e.to_string();
    assert!(msg.contains("line 3"), "{msg}");
    assert!(msg.contains("UTF-8"), "{msg}");
    assert_unchanged(&before, &env.dir, "non-UTF-8 import");
}

#[test]
fn import_refuses_a_bad_header_or_ragged_rows() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    invalid(env.dir.import_csv(hr, &b"login,name\njx,J X\n"[..]));
    invalid(env.dir.import_csv(hr, HEADER.as_bytes()));
    let csv = format!("{HEADER}kfox,Kim,Fox,kim.fox@corvane.example,,,\nlgray,Lee\n");
    let e = invalid(env.dir.import_csv(hr, csv.as_bytes()));
    assert!(e.to_string().contains("line 3"), "{e}");
    assert_unchanged(&before, &env.dir, "malformed import");
}

#[test]
fn init_refuses_a_database_that_already_holds_a_company() {
    let mut env = demo();
    let before = snapshot(&env.dir);
    let e = refused(env.dir.init(
        "Other",
        &NewEmployee {
            login: "root".into(),
            first_name: "Ro".into(),
            last_name: "Ot".into(),
            email: "root@other.example".into(),
            ..Default::default()
        },
    ));
    assert!(matches!(e, Error::WrongState(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "second init");
}
