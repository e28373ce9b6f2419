//! Scheduled dismissal: recorded as pending, shown as "Leaving on", cancellable, applied
//! when due by any process that opens the database, and failed (with the reason) when
//! the rules in force then refuse it.

use chrono::{NaiveDate, TimeZone, Utc};
use offboard::directory::DismissRequest;
use offboard::directory::ListQuery;
use offboard::domain::{DepartureState, Error, IntegrationChoice, Reason, Status};
use offboard::{Actor, Directory};

fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0)
        .single()
        .expect("date")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf, Directory) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("x.db");
    let mut dir = Directory::create(&path).expect("create");
    offboard::demo::build_small(&mut dir).expect("demo");
    (tmp, path, dir)
}

fn actor(dir: &Directory, login: &str) -> Actor {
    Actor::user(dir.employee(login).expect(login).id)
}

fn audit_actions(dir: &Directory) -> Vec<String> {
    let a = actor(dir, "hr");
    dir.audit(a, None, 0, 1000)
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[test]
fn a_scheduled_dismissal_waits_then_is_applied_by_the_next_process_that_opens_the_file() {
    let (_tmp, path, mut dir) = demo();
    dir.set_clock(Some(at(2026, 11, 28)));
    let hr = actor(&dir, "hr");
    let req = DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        reason: Some(Reason::Retired),
        note: Some("Last day before the holidays".into()),
        checklist: Default::default(),
    };
    let d = dir
        .schedule_dismissal(hr, "tlang", &req, day(2026, 12, 18))
        .expect("schedule");
    assert_eq!(d.state, DepartureState::Pending);
    // Still active, and shown as leaving, in the list and the profile.
    let p = dir.profile(hr, "tlang").expect("profile");
    assert_eq!(p.employee.status, Status::Active);
    let dep = p.departure.expect("pending departure shown");
    assert_eq!(
        (dep.state, dep.at.date_naive()),
        (DepartureState::Pending, day(2026, 12, 18))
    );
    let q = ListQuery {
        search: Some("tlang".into()),
        ..Default::default()
    };
    let row = dir
        .list(hr, &q)
        .expect("list")
        .rows
        .into_iter()
        .next()
        .expect("row");
    assert_eq!(row.leaving_on, Some(day(2026, 12, 18)));
    // Not due yet: nothing happens.
    assert!(dir.apply_due().expect("apply").is_empty());
    // A second schedule is refused: one pending dismissal at most.
    let again = dir
        .schedule_dismissal(hr, "tlang", &req, day(2027, 1, 5))
        .unwrap_err();
    assert!(matches!(again, Error::WrongState(_)), "{again}");
    drop(dir);

    // Another process opens the file after the date: it applies the dismissal.
    // (Open with a clock past the date by opening, setting the clock, applying.)
    let mut later = Directory::open(&path).expect("open");
    later.set_clock(Some(at(2026, 12, 18)));
    let done = later.apply_due().expect("apply");
    assert_eq!(done.len(), 1);
    assert!(done[0].applied, "{done:?}");
    let p = later.profile(hr, "tlang").expect("profile");
    assert_eq!(p.employee.status, Status::Dismissed);
    let dep = p.departure.expect("departure");
    assert_eq!(dep.state, DepartureState::Done);
    assert_eq!(dep.reason, Some(Reason::Retired));
    // The recorded integration choice was applied: both kept under the system user.
    let held = later
        .integrations(hr)
        .expect("integrations")
        .into_iter()
        .filter(|i| i.owner == "system.tlang")
        .count();
    assert_eq!(held, 2);
    let actions = audit_actions(&later);
    assert!(
        actions.contains(&"dismiss.schedule".to_string())
            && actions.contains(&"dismiss".to_string())
    );
}

#[test]
fn opening_the_file_applies_what_is_due() {
    let (_tmp, path, mut dir) = demo();
    // Scheduled "today" by a clock in the past: due for any process opening it now.
    dir.set_clock(Some(at(2026, 1, 10)));
    let hr = actor(&dir, "hr");
    dir.schedule_dismissal(hr, "elarsen", &DismissRequest::default(), day(2026, 1, 20))
        .expect("schedule");
    drop(dir);
    let dir = Directory::open(&path).expect("open applies it");
    assert_eq!(
        dir.employee("elarsen").expect("elarsen").status,
        Status::Dismissed
    );
}

#[test]
fn a_dismissal_the_rules_refuse_when_due_fails_with_the_reason() {
    let (_tmp, _path, mut dir) = demo();
    dir.set_clock(Some(at(2026, 11, 28)));
    let hr = actor(&dir, "hr");
    // Two administrators: scheduling one of them is fine now…
    dir.schedule_dismissal(
        hr,
        "elindqvist",
        &DismissRequest::default(),
        day(2026, 12, 1),
    )
    .expect("schedule");
    // …but by then the other one has gone, so it would leave no administrator.
    dir.dismiss(hr, "admin", &DismissRequest::default())
        .expect("dismiss admin now");
    dir.set_clock(Some(at(2026, 12, 1)));
    let out = dir.apply_due().expect("apply");
    assert_eq!(out.len(), 1);
    assert!(!out[0].applied);
    let why = out[0].failure.clone().expect("a reason").to_string();
    assert!(why.contains("last active administrator"), "{why}");
    let p = dir.profile(hr, "elindqvist").expect("profile");
    assert_eq!(p.employee.status, Status::Active);
    let dep = p.departure.expect("the failed departure is shown");
    assert_eq!(dep.state, DepartureState::Failed);
    assert!(
        dep.failure
            .unwrap_or_default()
            .contains("last active administrator")
    );
    assert!(audit_actions(&dir).contains(&"dismiss.failed".to_string()));
    // Applying again changes nothing more.
    assert!(dir.apply_due().expect("apply").is_empty());
}

#[test]
fn cancel_and_bad_dates() {
    let (_tmp, _path, mut dir) = demo();
    dir.set_clock(Some(at(2026, 11, 28)));
    let hr = actor(&dir, "hr");
    let jdoe = actor(&dir, "jdoe");
    let past = dir
        .schedule_dismissal(hr, "elarsen", &DismissRequest::default(), day(2026, 11, 1))
        .unwrap_err();
    assert!(matches!(past, Error::Invalid(_)), "{past}");
    // Before the hire date (elarsen is not hired in the far future, so use a new hire).
    dir.add(
        hr,
        &offboard::directory::NewEmployee {
            login: "newbie".into(),
            first_name: "Nina".into(),
            last_name: "New".into(),
            email: "nina.new@corvane.example".into(),
            hired_on: Some(day(2027, 3, 1)),
            ..Default::default()
        },
    )
    .expect("add");
    let early = dir
        .schedule_dismissal(hr, "newbie", &DismissRequest::default(), day(2027, 1, 1))
        .unwrap_err();
    assert!(early.to_string().contains("hire date"), "{early}");
    // Only staff may schedule or cancel.
    let denied = dir
        .schedule_dismissal(
            jdoe,
            "elarsen",
            &DismissRequest::default(),
            day(2026, 12, 1),
        )
        .unwrap_err();
    assert!(denied.is_refusal());
    // With active integrations a choice is needed, as for a dismissal now.
    let choice = dir
        .schedule_dismissal(hr, "tlang", &DismissRequest::default(), day(2026, 12, 1))
        .unwrap_err();
    assert!(matches!(choice, Error::ChoiceNeeded { .. }));
    dir.schedule_dismissal(hr, "elarsen", &DismissRequest::default(), day(2026, 12, 1))
        .expect("schedule");
    assert!(
        dir.cancel_dismissal(jdoe, "elarsen")
            .unwrap_err()
            .is_refusal()
    );
    let (whose, canceled) = dir.cancel_dismissal(hr, "elarsen").expect("cancel");
    assert_eq!(whose.login, "elarsen");
    assert_eq!(canceled.at.date_naive(), day(2026, 12, 1));
    assert!(
        dir.profile(hr, "elarsen")
            .expect("profile")
            .departure
            .is_none()
    );
    dir.set_clock(Some(at(2026, 12, 2)));
    assert!(
        dir.apply_due().expect("apply").is_empty(),
        "a canceled dismissal never applies"
    );
    assert_eq!(dir.employee("elarsen").expect("e").status, Status::Active);
    assert!(matches!(
        dir.cancel_dismissal(hr, "elarsen").unwrap_err(),
        Error::WrongState(_)
    ));
}

#[test]
fn handover_then_dismiss_is_one_transaction() {
    let (_tmp, _path, mut dir) = demo();
    let hr = actor(&dir, "hr");
    let before = dir.profile(hr, "tlang").expect("profile").owns;
    assert!(before.tasks > 0);
    // Refused (no integration choice): nothing moved either.
    let e = dir
        .dismiss_with_handover(
            hr,
            "tlang",
            &DismissRequest::default(),
            "jdoe",
            offboard::domain::WorkKinds::ALL,
        )
        .unwrap_err();
    assert!(matches!(e, Error::ChoiceNeeded { .. }));
    assert_eq!(dir.profile(hr, "tlang").expect("profile").owns, before);
    // To a dismissed successor: refused, nothing moved, still active.
    let e = dir
        .dismiss_with_handover(
            hr,
            "tlang",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Keep),
                ..Default::default()
            },
            "lbrandt",
            offboard::domain::WorkKinds::ALL,
        )
        .unwrap_err();
    assert!(e.is_refusal());
    assert_eq!(dir.employee("tlang").expect("t").status, Status::Active);
    assert_eq!(dir.profile(hr, "tlang").expect("profile").owns, before);
    // Done: everything moved and dismissed together.
    let (handover, out) = dir
        .dismiss_with_handover(
            hr,
            "tlang",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Disable),
                ..Default::default()
            },
            "jdoe",
            offboard::domain::WorkKinds::ALL,
        )
        .expect("handover and dismiss");
    assert_eq!(handover.moved, before);
    assert_eq!(handover.to.login, "jdoe");
    assert_eq!(out.disabled.len(), 2);
    let after = dir.profile(hr, "tlang").expect("profile");
    assert_eq!(after.employee.status, Status::Dismissed);
    assert_eq!(after.owns.total(), 0);
}
