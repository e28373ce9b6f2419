//! SPEC §4: after dismissal: reassigning, viewing, listing, rehiring, reports.

mod common;

use common::*;
use offboard::Error;
use offboard::directory::DismissRequest;
use offboard::directory::{ListQuery, Section};
use offboard::domain::{
    IntegrationChoice, IntegrationStatus, Kind, Owned, Reason, Scope, Status, StatusFilter,
    WorkKinds,
};

fn keep() -> DismissRequest {
    DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        ..Default::default()
    }
}

fn q(status: StatusFilter, search: Option<&str>) -> ListQuery {
    ListQuery {
        status,
        search: search.map(str::to_string),
        still_owns: false,
        offset: 0,
        limit: 1000,
        ..Default::default()
    }
}

fn backlog() -> ListQuery {
    ListQuery {
        status: StatusFilter::Dismissed,
        search: None,
        still_owns: true,
        offset: 0,
        limit: 1000,
        ..Default::default()
    }
}

fn logins(page: &offboard::directory::Page) -> Vec<String> {
    page.rows.iter().map(|r| r.employee.login.clone()).collect()
}

fn closed_work(env: &Env, login: &str) -> (i64, i64) {
    let id = id_of(&env.dir, login);
    (
        count_where(
            &env.dir,
            "SELECT COUNT(*) FROM tasks WHERE responsible_id = ?1 AND status = 'done'",
            [id],
        ),
        count_where(
            &env.dir,
            "SELECT COUNT(*) FROM crm_items WHERE assigned_id = ?1 \
             AND stage IN ('WON','LOSE','CONVERTED','JUNK')",
            [id],
        ),
    )
}

// ------------------------------------------------------------ reassign

#[test]
fn reassign_moves_exactly_what_the_profile_says_is_owned() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before_from = env.dir.profile(hr, "lbrandt").unwrap().owns;
    let before_to = env.dir.profile(hr, "jdoe").unwrap().owns;
    assert_eq!(
        before_from,
        Owned {
            tasks: 7,
            crm_items: 13,
            files: 9,
            mailboxes: 2,
            meetings: 0
        },
        "demo data for lbrandt"
    );
    let closed_before = closed_work(&env, "lbrandt");
    assert_eq!(closed_before, (1, 2));
    let n = audit_count(&env.dir);

    let moved = env
        .dir
        .reassign(hr, "lbrandt", "jdoe", WorkKinds::ALL)
        .expect("reassign");
    assert_eq!(moved, before_from, "reported counts = what was owned");
    assert_eq!(audit_count(&env.dir), n + 1);
    assert_eq!(last_audit_action(&env.dir), "reassign");

    let after_from = env.dir.profile(hr, "lbrandt").unwrap().owns;
    let after_to = env.dir.profile(hr, "jdoe").unwrap().owns;
    assert_eq!(after_from, Owned::default(), "lbrandt still owns work");
    assert_eq!(after_to.tasks, before_to.tasks + moved.tasks);
    assert_eq!(after_to.crm_items, before_to.crm_items + moved.crm_items);
    assert_eq!(after_to.files, before_to.files + moved.files);
    assert_eq!(after_to.mailboxes, before_to.mailboxes + moved.mailboxes);
    // Done tasks and closed CRM items are history and stay.
    assert_eq!(closed_work(&env, "lbrandt"), closed_before);
}

#[test]
fn reassign_moves_only_the_chosen_kinds() {
    let kinds = [
        WorkKinds {
            tasks: true,
            ..WorkKinds::NONE
        },
        WorkKinds {
            crm: true,
            ..WorkKinds::NONE
        },
        WorkKinds {
            files: true,
            ..WorkKinds::NONE
        },
        WorkKinds {
            mail: true,
            ..WorkKinds::NONE
        },
        WorkKinds {
            files: true,
            mail: true,
            ..WorkKinds::NONE
        },
    ];
    for what in kinds {
        let mut env = demo();
        let admin = actor(&env.dir, "admin");
        let before = env.dir.profile(admin, "lbrandt").unwrap().owns;
        let moved = env
            .dir
            .reassign(admin, "lbrandt", "dferreira", what)
            .expect("reassign");
        let after = env.dir.profile(admin, "lbrandt").unwrap().owns;
        let expect = |on: bool, was: i64| if on { (was, 0) } else { (0, was) };
        assert_eq!(
            (moved.tasks, after.tasks),
            expect(what.tasks, before.tasks),
            "{what:?}"
        );
        assert_eq!(
            (moved.crm_items, after.crm_items),
            expect(what.crm, before.crm_items),
            "{what:?}"
        );
        assert_eq!(
            (moved.files, after.files),
            expect(what.files, before.files),
            "{what:?}"
        );
        assert_eq!(
            (moved.mailboxes, after.mailboxes),
            expect(what.mail, before.mailboxes),
            "{what:?}"
        );
    }
}

#[test]
fn reassign_before_dismissal_works_too() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = env.dir.profile(hr, "tlang").unwrap().owns;
    let moved = env
        .dir
        .reassign(hr, "tlang", "nfischer", WorkKinds::ALL)
        .expect("reassign an active employee's work");
    assert_eq!(moved, before);
    assert_eq!(env.dir.profile(hr, "tlang").unwrap().owns, Owned::default());
}

#[test]
fn reassign_to_a_dismissed_employee_is_refused() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.reassign(hr, "lbrandt", "ydemir", WorkKinds::ALL));
    assert!(e.to_string().contains("ydemir"), "{e}");
    assert_unchanged(&before, &env.dir, "reassign to a dismissed employee");
}

#[test]
fn reassign_to_a_system_user_is_refused() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(
        env.dir
            .reassign(hr, "ydemir", "system.lbrandt", WorkKinds::ALL),
    );
    // A system user is the wrong kind of target, like a dismissed one (exit 3 either way).
    assert!(matches!(e, Error::WrongState(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "reassign to a system user");
}

#[test]
fn reassign_to_an_unknown_login_is_refused() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.reassign(hr, "lbrandt", "ghost", WorkKinds::ALL));
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "reassign to nobody");
}

#[test]
fn reassign_with_nothing_chosen_is_bad_usage() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = env
        .dir
        .reassign(hr, "lbrandt", "jdoe", WorkKinds::NONE)
        .unwrap_err();
    assert_eq!(e.exit_code(), 2, "{e:?}");
    assert_unchanged(&before, &env.dir, "reassign nothing");
}

// ------------------------------------------------------------ nothing is deleted

#[test]
fn nothing_is_ever_deleted() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let tables = [
        "tasks",
        "task_participants",
        "crm_items",
        "files",
        "mailboxes",
        "chats",
        "chat_members",
        "messages",
        "meetings",
        "meeting_attendees",
        "feed_posts",
        "groups",
        "group_members",
        "integrations",
        "departments",
        "departures",
    ];
    let before: Vec<i64> = tables.iter().map(|t| count(&env.dir, t)).collect();
    let employees = count(&env.dir, "employees");

    env.dir.dismiss(hr, "tlang", &keep()).unwrap();
    env.dir
        .reassign(hr, "tlang", "nfischer", WorkKinds::ALL)
        .unwrap();
    env.dir.hire(hr, "tlang", false).unwrap();
    env.dir
        .reassign(hr, "ydemir", "tlang", WorkKinds::ALL)
        .unwrap();
    env.dir.hire(hr, "ydemir", false).unwrap();

    let after: Vec<i64> = tables.iter().map(|t| count(&env.dir, t)).collect();
    for ((t, b), a) in tables.iter().zip(&before).zip(&after) {
        let extra = if *t == "departures" { 1 } else { 0 };
        assert_eq!(*a, b + extra, "{t}: rows went missing or appeared");
    }
    assert_eq!(
        count(&env.dir, "employees"),
        employees + 1,
        "only the system user was added"
    );
}

#[test]
fn the_database_refuses_deletes() {
    let env = demo();
    for t in [
        "employees",
        "tasks",
        "crm_items",
        "files",
        "mailboxes",
        "messages",
        "integrations",
        "audit_events",
    ] {
        let r = env.dir.connection().execute(
            &format!("DELETE FROM {t} WHERE id = (SELECT MIN(id) FROM {t})"),
            [],
        );
        assert!(r.is_err(), "deleting from {t} was allowed");
    }
}

// ------------------------------------------------------------ viewing a dismissed employee

#[test]
fn dismissed_employees_profile_shows_their_history_to_anyone() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = env.dir.profile(hr, "tlang").unwrap();
    env.dir.dismiss(hr, "tlang", &keep()).unwrap();
    let jdoe = actor(&env.dir, "jdoe");
    let p = env
        .dir
        .profile(jdoe, "tlang")
        .expect("anyone can look up a profile");
    assert_eq!(p.employee.status, Status::Dismissed);
    assert_eq!(p.history, before.history);
    assert!(p.departure.is_some());
    for (section, n) in [
        (Section::Tasks, p.history.tasks),
        (Section::Meetings, p.history.meetings),
        (Section::Feed, p.history.feed_posts),
        (Section::Groups, p.history.groups),
    ] {
        let rows = env.dir.section(jdoe, "tlang", section, 0, 1000).unwrap();
        assert_eq!(rows.len() as i64, n, "{section:?}");
    }
    // lbrandt's profile for jdoe, who worked with them
    let p = env.dir.profile(jdoe, "lbrandt").unwrap();
    let convo = env.dir.conversation(jdoe, "lbrandt", 0, 1000).unwrap();
    assert_eq!(convo.len() as i64, p.conversation_len);
    assert!(p.history.tasks > 0 && p.history.messages > 0);
}

/// SPEC §4: the profile shows the tasks they took part in. Handing open tasks over does
/// not take them out of the giver's history: they stay in the Tasks section, now with
/// the new responsible, and the count stays; a second handover records its own giver.
#[test]
fn handed_over_tasks_stay_in_the_givers_history() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = env.dir.profile(hr, "tlang").unwrap();
    assert!(before.owns.tasks > 0, "demo: tlang owns open tasks");
    let titles = |env: &common::Env, login: &str| -> Vec<(i64, String)> {
        env.dir
            .section(hr, login, Section::Tasks, 0, 1000)
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.title))
            .collect()
    };
    let before_rows = titles(&env, "tlang");
    let moved = env
        .dir
        .reassign(hr, "tlang", "jdoe", WorkKinds::ALL)
        .expect("reassign");
    env.dir.dismiss(hr, "tlang", &keep()).unwrap();

    let after = env.dir.profile(hr, "tlang").unwrap();
    assert_eq!(after.history.tasks, before.history.tasks, "the count stays");
    assert_eq!(
        titles(&env, "tlang"),
        before_rows,
        "the same tasks, newest first"
    );
    let now_jdoes = env
        .dir
        .section(hr, "tlang", Section::Tasks, 0, 1000)
        .unwrap()
        .into_iter()
        .filter(|r| r.detail.contains("responsible jdoe"))
        .count() as i64;
    assert_eq!(
        now_jdoes, moved.tasks,
        "each handed-over task names its new responsible"
    );

    // jdoe hands them on: now they are in jdoe's history as given, and still listed
    // for tlang only where tlang took part otherwise.
    let jdoe_before = env.dir.profile(hr, "jdoe").unwrap().history.tasks;
    env.dir
        .reassign(hr, "jdoe", "amehta", WorkKinds::ALL)
        .expect("second handover");
    assert_eq!(
        env.dir.profile(hr, "jdoe").unwrap().history.tasks,
        jdoe_before,
        "jdoe's history keeps what jdoe handed on"
    );
}

// ------------------------------------------------------------ show_dismissed

#[test]
fn show_dismissed_is_off_by_default_and_refuses_dismissed_lists() {
    let env = demo();
    assert!(!env.dir.show_dismissed().unwrap());
    for login in ["admin", "hr", "jdoe"] {
        let a = actor(&env.dir, login);
        for status in [StatusFilter::Dismissed, StatusFilter::All] {
            let e = refused(env.dir.list(a, &q(status, None)));
            assert!(matches!(e, Error::SettingOff(_)), "{login} {status}: {e:?}");
            assert!(e.to_string().contains("show_dismissed"), "{e}");
        }
        let page = env.dir.list(a, &q(StatusFilter::Active, None)).unwrap();
        let l = logins(&page);
        assert!(!l.contains(&"lbrandt".to_string()) && !l.contains(&"ydemir".to_string()));
        assert_eq!(page.total, 40);
        assert!(
            page.rows
                .iter()
                .all(|r| r.employee.status == Status::Active)
        );
    }
}

#[test]
fn exact_login_finds_a_dismissed_employee_with_the_setting_off() {
    let env = demo();
    let jdoe = actor(&env.dir, "jdoe");
    let page = env
        .dir
        .list(jdoe, &q(StatusFilter::Active, Some("lbrandt")))
        .unwrap();
    assert_eq!(logins(&page), vec!["lbrandt".to_string()]);
    assert_eq!(page.rows[0].employee.status, Status::Dismissed);
    assert_eq!(page.total, 1);
    // Anything short of the exact login shows nobody dismissed.
    for partial in ["brandt", "lbrand", "Lukas", "Lukas Brandt", "lukas.brandt"] {
        let page = env
            .dir
            .list(jdoe, &q(StatusFilter::Active, Some(partial)))
            .unwrap();
        assert!(
            page.rows
                .iter()
                .all(|r| r.employee.status == Status::Active),
            "{partial}: {:?}",
            logins(&page)
        );
    }
    let p = env.dir.profile(jdoe, "ydemir").expect("direct look-up");
    assert_eq!(p.employee.status, Status::Dismissed);
}

#[test]
fn with_show_dismissed_on_dismissed_rows_are_listed_and_filterable() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    env.dir.set_show_dismissed(admin, true).unwrap();
    let jdoe = actor(&env.dir, "jdoe");
    let dismissed = env
        .dir
        .list(jdoe, &q(StatusFilter::Dismissed, None))
        .unwrap();
    let mut l = logins(&dismissed);
    l.sort();
    assert_eq!(l, vec!["lbrandt".to_string(), "ydemir".to_string()]);
    assert!(
        dismissed
            .rows
            .iter()
            .all(|r| r.employee.status == Status::Dismissed)
    );
    assert_eq!(dismissed.total, 2);

    let all = env.dir.list(jdoe, &q(StatusFilter::All, None)).unwrap();
    assert_eq!(all.total, 42);
    assert_eq!(
        all.rows
            .iter()
            .filter(|r| r.employee.status == Status::Dismissed)
            .count(),
        2
    );
    let active = env.dir.list(jdoe, &q(StatusFilter::Active, None)).unwrap();
    assert_eq!(active.total, 40);
    assert!(
        active
            .rows
            .iter()
            .all(|r| r.employee.status == Status::Active)
    );
}

// ------------------------------------------------------------ rehire

#[test]
fn rehire_makes_them_active_and_keeps_the_departure_record() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let req = DismissRequest {
        integrations: None,
        reason: Some(Reason::Retired),
        note: Some("Back as a consultant later".into()),
        checklist: Default::default(),
    };
    env.dir.dismiss(hr, "dferreira", &req).unwrap();
    let p = env.dir.profile(hr, "dferreira").unwrap();
    let d = p.departure.expect("departure while dismissed");
    assert_eq!(d.reason, Some(Reason::Retired));
    assert_eq!(d.note.as_deref(), Some("Back as a consultant later"));
    assert_eq!(d.by, "hr");

    let n = audit_count(&env.dir);
    let out = env.dir.hire(hr, "dferreira", false).expect("hire");
    assert_eq!(audit_count(&env.dir), n + 1);
    assert_eq!(last_audit_action(&env.dir), "hire");
    assert_eq!(out.employee.status, Status::Active);
    env.dir.sign_in("dferreira").expect("signs in as before");
    let id = id_of(&env.dir, "dferreira");
    assert_eq!(
        count_where(
            &env.dir,
            "SELECT COUNT(*) FROM departures WHERE employee_id = ?1 AND reason = 'retired' AND note = 'Back as a consultant later'",
            [id]
        ),
        1,
        "the departure record is kept after rehire"
    );
    // A rehired employee can act again.
    let dfe = actor(&env.dir, "dferreira");
    env.dir
        .create_webhook(dfe, "Back", Scope::User.into())
        .unwrap();
}

#[test]
fn hiring_an_active_employee_is_wrong_state() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.hire(hr, "jdoe", false));
    assert!(matches!(e, Error::WrongState(_)), "{e:?}");
    let e = refused(env.dir.hire(hr, "system.lbrandt", true));
    assert!(
        matches!(e, Error::Denied(_) | Error::WrongState(_)),
        "{e:?}"
    );
    assert_unchanged(&before, &env.dir, "hiring the active");
}

#[test]
fn rehire_with_return_integrations_gives_them_back_with_the_same_url() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let (hook, user, code) = webhook(&mut env.dir, "dferreira", "Lead router", &[Scope::Crm]);
    env.dir.dismiss(hr, "dferreira", &keep()).unwrap();
    assert_eq!(
        url_acts_as(&env.dir, user, &code).as_deref(),
        Some("system.dferreira")
    );
    let out = env.dir.hire(hr, "dferreira", true).expect("hire");
    assert_eq!(out.returned.len(), 1);
    assert_eq!(out.returned[0].id, hook);
    assert!(out.left_with_system_user.is_empty());
    let i = env.dir.integration(hr, hook).unwrap();
    assert_eq!(i.owner, "dferreira");
    assert_eq!(i.status, IntegrationStatus::Active);
    assert_eq!(
        url_acts_as(&env.dir, user, &code).as_deref(),
        Some("dferreira")
    );
}

#[test]
fn rehire_without_return_leaves_them_with_the_system_user() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let (hook, user, code) = webhook(&mut env.dir, "dferreira", "Lead router", &[Scope::Crm]);
    env.dir.dismiss(hr, "dferreira", &keep()).unwrap();
    let out = env.dir.hire(hr, "dferreira", false).expect("hire");
    assert!(out.returned.is_empty());
    assert_eq!(out.left_with_system_user.len(), 1);
    assert_eq!(out.left_with_system_user[0].id, hook);
    let i = env.dir.integration(hr, hook).unwrap();
    assert_eq!(i.owner, "system.dferreira");
    assert_eq!(i.owner_kind, Kind::System);
    assert_eq!(
        url_acts_as(&env.dir, user, &code).as_deref(),
        Some("system.dferreira")
    );
}

#[test]
fn rehire_leaves_disabled_integrations_disabled_until_enabled() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    env.dir.hire(hr, "ydemir", true).unwrap();
    let ydemir = actor(&env.dir, "ydemir");
    let mine = env.dir.integrations(ydemir).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, IntegrationStatus::Disabled);
    let i = env
        .dir
        .enable_webhook(ydemir, mine[0].id)
        .expect("owner enables");
    assert_eq!(i.status, IntegrationStatus::Active);
}

// ------------------------------------------------------------ reports

#[test]
fn still_owns_lists_the_handover_backlog_for_staff_whatever_the_setting() {
    let env = demo();
    assert!(!env.dir.show_dismissed().unwrap());
    for login in ["admin", "hr"] {
        let a = actor(&env.dir, login);
        let page = env.dir.list(a, &backlog()).expect("backlog");
        let mut l = logins(&page);
        l.sort();
        assert_eq!(
            l,
            vec!["lbrandt".to_string(), "ydemir".to_string()],
            "{login}"
        );
        for row in &page.rows {
            let owned = row.owned.expect("owned counts in the backlog");
            let p = env.dir.profile(a, &row.employee.login).unwrap();
            assert_eq!(owned, p.owns, "{}", row.employee.login);
            assert!(owned.total() > 0);
        }
    }
}

#[test]
fn still_owns_leaves_out_those_whose_work_was_fully_reassigned() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    env.dir
        .reassign(hr, "ydemir", "jdoe", WorkKinds::ALL)
        .unwrap();
    // What keeps ydemir in it now is the overdue offboarding checklist alone.
    let page = env.dir.list(hr, &backlog()).unwrap();
    let ydemir = page
        .rows
        .iter()
        .find(|r| r.employee.login == "ydemir")
        .unwrap();
    assert_eq!(ydemir.owned.unwrap().total(), 0);
    assert!(ydemir.overdue_steps.unwrap_or(0) > 0);
    let steps = env
        .dir
        .checklist(hr, "ydemir")
        .unwrap()
        .unwrap()
        .steps
        .len() as i64;
    for step in 1..=steps {
        env.dir.checklist_step(hr, "ydemir", step, true).unwrap();
    }
    let page = env.dir.list(hr, &backlog()).unwrap();
    assert_eq!(logins(&page), vec!["lbrandt".to_string()]);
    // Partly reassigned stays in the backlog.
    env.dir
        .reassign(
            hr,
            "lbrandt",
            "jdoe",
            WorkKinds {
                tasks: true,
                crm: true,
                ..WorkKinds::NONE
            },
        )
        .unwrap();
    let page = env.dir.list(hr, &backlog()).unwrap();
    assert_eq!(logins(&page), vec!["lbrandt".to_string()]);
    let owned = page.rows[0].owned.unwrap();
    assert_eq!((owned.tasks, owned.crm_items), (0, 0));
    assert_eq!((owned.files, owned.mailboxes), (9, 2));
}

#[test]
fn reports_are_refused_to_ordinary_employees() {
    let env = demo();
    let jdoe = actor(&env.dir, "jdoe");
    let e = refused(env.dir.list(jdoe, &backlog()));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    let e = refused(env.dir.audit(jdoe, None, 0, 10));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    let e = refused(env.dir.export(jdoe, StatusFilter::Dismissed));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
}

#[test]
fn audit_and_export_are_for_staff_whatever_the_setting() {
    let env = demo();
    for login in ["admin", "hr"] {
        let a = actor(&env.dir, login);
        let events = env.dir.audit(a, None, 0, 1000).expect("audit");
        assert_eq!(events.len() as i64, audit_count(&env.dir));
        assert!(
            events
                .iter()
                .any(|e| e.action == "dismiss" && e.target.as_deref() == Some("lbrandt"))
        );
        let rows = env.dir.export(a, StatusFilter::Dismissed).expect("export");
        let mut l: Vec<&str> = rows.iter().map(|r| r.login.as_str()).collect();
        l.sort();
        assert_eq!(l, vec!["lbrandt", "ydemir"]);
        let lb = rows.iter().find(|r| r.login == "lbrandt").unwrap();
        assert_eq!(lb.status, Status::Dismissed);
        assert_eq!(lb.reason, "resigned");
        assert_eq!(lb.dismissed_by, "hr");
        let all = env.dir.export(a, StatusFilter::All).unwrap();
        assert_eq!(all.len(), 42, "export has no system users");
    }
}

#[test]
fn export_shows_the_latest_departure_and_what_each_profile_counts_in_list_order() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    env.dir.hire(hr, "lbrandt", false).unwrap();
    let again = DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        reason: Some(Reason::Terminated),
        note: Some("Second time".into()),
        checklist: Default::default(),
    };
    env.dir.dismiss(hr, "lbrandt", &again).unwrap();

    let rows = env.dir.export(hr, StatusFilter::All).expect("export");
    assert_eq!(rows.len(), 42);
    let lb = rows.iter().find(|r| r.login == "lbrandt").unwrap();
    assert_eq!(
        lb.reason,
        Reason::Terminated.to_string(),
        "the latest departure"
    );
    assert_eq!(lb.note, "Second time");
    for r in &rows {
        let p = env.dir.profile(hr, &r.login).unwrap();
        assert_eq!(
            (r.open_tasks, r.crm_items, r.files, r.mailboxes),
            (
                p.owns.tasks,
                p.owns.crm_items,
                p.owns.files,
                p.owns.mailboxes
            ),
            "{}: the export counts what the profile counts",
            r.login
        );
        match r.status {
            Status::Active => assert!(r.dismissed_at.is_none(), "{}", r.login),
            Status::Dismissed => {
                let d = p.departure.expect("a dismissed profile has its departure");
                assert_eq!(r.dismissed_at, Some(d.at), "{}", r.login);
                assert_eq!(r.dismissed_by, d.by, "{}", r.login);
            }
        }
    }
    let order: Vec<String> = rows
        .iter()
        .map(|r| offboard::domain::name_key(&r.first_name, &r.last_name))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "rows come in list order, by last name");
}

// ------------------------------------------------------------ audit: one event per change

#[test]
fn every_successful_change_appends_exactly_one_audit_event() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let hr = actor(&env.dir, "hr");
    let tlang = actor(&env.dir, "tlang");

    let mut n = audit_count(&env.dir);
    let mut step = |env: &mut Env, action: &str| {
        n += 1;
        assert_eq!(audit_count(&env.dir), n, "after {action}");
        assert_eq!(last_audit_action(&env.dir), action);
    };

    env.dir.add(hr, &person("newbie", "Nia", "Newbie")).unwrap();
    step(&mut env, "add");
    env.dir
        .import_csv(
            hr,
            &b"login,first_name,last_name,email,position,department,hired_on\na1,Al,One,a1@x.example,,,\na2,Bo,Two,a2@x.example,,,\n"[..],
        )
        .unwrap();
    step(&mut env, "import");
    let issued = env
        .dir
        .create_webhook(tlang, "Hook", Scope::Task.into())
        .unwrap();
    step(&mut env, "webhook.create");
    let hook = issued.integration.id;
    env.dir
        .edit_webhook(tlang, hook, Some("Hook 2"), None)
        .unwrap();
    step(&mut env, "webhook.edit");
    env.dir.disable_webhook(tlang, hook).unwrap();
    step(&mut env, "webhook.disable");
    env.dir.enable_webhook(admin, hook).unwrap();
    step(&mut env, "webhook.enable");
    env.dir.regenerate_webhook(tlang, hook).unwrap();
    step(&mut env, "webhook.regenerate");
    env.dir.set_structure_access(admin, "jdoe", true).unwrap();
    step(&mut env, "grant");
    env.dir.set_structure_access(admin, "jdoe", false).unwrap();
    step(&mut env, "revoke");
    env.dir.set_show_dismissed(admin, true).unwrap();
    step(&mut env, "setting");
    env.dir.dismiss(hr, "tlang", &keep()).unwrap();
    step(&mut env, "dismiss");
    env.dir
        .reassign(hr, "tlang", "nfischer", WorkKinds::ALL)
        .unwrap();
    step(&mut env, "reassign");
    env.dir.hire(hr, "tlang", true).unwrap();
    step(&mut env, "hire");
}

#[test]
fn refused_changes_append_no_audit_event() {
    let mut env = demo();
    let jdoe = actor(&env.dir, "jdoe");
    let hr = actor(&env.dir, "hr");
    let n = audit_count(&env.dir);
    let _ = env
        .dir
        .dismiss(jdoe, "dferreira", &Default::default())
        .unwrap_err();
    let _ = env
        .dir
        .dismiss(hr, "tlang", &Default::default())
        .unwrap_err();
    let _ = env.dir.hire(hr, "jdoe", false).unwrap_err();
    let _ = env
        .dir
        .reassign(hr, "lbrandt", "ydemir", WorkKinds::ALL)
        .unwrap_err();
    let _ = env.dir.set_show_dismissed(hr, true).unwrap_err();
    let _ = env.dir.set_structure_access(hr, "jdoe", true).unwrap_err();
    let _ = env.dir.add(jdoe, &person("x1", "X", "One")).unwrap_err();
    let _ = env.dir.add(hr, &person("jdoe", "X", "One")).unwrap_err();
    assert_eq!(audit_count(&env.dir), n);
}
