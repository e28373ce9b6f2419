//! SPEC §3: dismissal, the integrations choice, system users and taking integrations over.

mod common;

use common::*;
use offboard::Error;
use offboard::directory::DismissRequest;
use offboard::directory::ListQuery;
use offboard::domain::{
    DepartureState, EmployeeId, IntegrationChoice, IntegrationId, IntegrationStatus, Kind, Reason,
    Scope, ScopeSet, Status, StatusFilter, WorkKinds,
};

fn keep() -> DismissRequest {
    DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        ..Default::default()
    }
}

fn disable() -> DismissRequest {
    DismissRequest {
        integrations: Some(IntegrationChoice::Disable),
        ..Default::default()
    }
}

const HISTORY_TABLES: &[&str] = &[
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
];

// ------------------------------------------------------------ the dismissal itself

#[test]
fn dismissal_sets_status_and_records_the_departure() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let req = DismissRequest {
        integrations: None,
        reason: Some(Reason::Terminated),
        note: Some("Contract breach; laptop returned.".into()),
        checklist: Default::default(),
    };
    let n = audit_count(&env.dir);
    env.dir.dismiss(admin, "dferreira", &req).expect("dismiss");
    assert_eq!(audit_count(&env.dir), n + 1);
    assert_eq!(last_audit_action(&env.dir), "dismiss");

    let p = env.dir.profile(admin, "dferreira").unwrap();
    assert_eq!(p.employee.status, Status::Dismissed);
    let d = p.departure.expect("a departure record while dismissed");
    assert_eq!(d.by, "admin");
    assert_eq!(d.reason, Some(Reason::Terminated));
    assert_eq!(d.note.as_deref(), Some("Contract breach; laptop returned."));
    assert_eq!(d.state, DepartureState::Done);
    assert_eq!(
        count_where(
            &env.dir,
            "SELECT COUNT(*) FROM departures WHERE employee_id = ?1",
            [p.employee.id]
        ),
        1
    );
}

#[test]
fn dismissal_moves_and_deletes_nothing() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let before_rows: Vec<i64> = HISTORY_TABLES.iter().map(|t| count(&env.dir, t)).collect();
    let before = env.dir.profile(admin, "dferreira").unwrap();
    let before_owner_rows = snapshot(&env.dir);
    env.dir
        .dismiss(admin, "dferreira", &Default::default())
        .unwrap();
    let after = env.dir.profile(admin, "dferreira").unwrap();
    assert_eq!(after.owns, before.owns, "dismissal moved work");
    assert_eq!(after.history, before.history, "dismissal changed history");
    let after_rows: Vec<i64> = HISTORY_TABLES.iter().map(|t| count(&env.dir, t)).collect();
    assert_eq!(after_rows, before_rows);
    // Every work table is byte-for-byte the same.
    let now = snapshot(&env.dir);
    for t in HISTORY_TABLES {
        assert_eq!(now[*t], before_owner_rows[*t], "{t} changed on dismissal");
    }
}

#[test]
fn dismissing_the_dismissed_is_wrong_state() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.dismiss(admin, "lbrandt", &keep()));
    assert!(matches!(e, Error::WrongState(_)), "{e:?}");
    let e = refused(env.dir.dismiss(admin, "ydemir", &Default::default()));
    assert!(matches!(e, Error::WrongState(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "dismissing the dismissed");
}

#[test]
fn dismissing_an_unknown_login_is_not_found() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.dismiss(admin, "ghost", &Default::default()));
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "unknown login");
}

// ------------------------------------------------------------ the choice

#[test]
fn active_integrations_need_a_choice_listing_them() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.dismiss(hr, "tlang", &Default::default()));
    match &e {
        Error::ChoiceNeeded {
            login,
            integrations,
            kept,
        } => {
            assert_eq!(*kept, None, "tlang is an ordinary employee");
            assert_eq!(login, "tlang");
            let message = e.to_string();
            let titles: Vec<&str> = integrations.iter().map(|i| i.title.as_str()).collect();
            assert_eq!(titles.len(), 2, "{titles:?}");
            assert!(titles.contains(&"Jira task sync"), "{titles:?}");
            assert!(
                titles.contains(&"Carrier tracking events → tasks"),
                "{titles:?}"
            );
            assert!(message.contains("Jira task sync"), "{message}");
            assert!(
                message.contains("Carrier tracking events → tasks"),
                "{message}"
            );
            assert!(
                integrations.iter().all(|i| !i.scopes.is_empty()),
                "the choice is made knowing the scopes"
            );
        }
        other => panic!("expected ChoiceNeeded, got {other:?}"),
    }
    assert_unchanged(&before, &env.dir, "dismissal without a choice");
    assert_eq!(env.dir.employee("tlang").unwrap().status, Status::Active);

    // One integration is enough to need the choice.
    for login in ["amehta", "nhaddad"] {
        let e = refused(env.dir.dismiss(hr, login, &Default::default()));
        assert!(matches!(e, Error::ChoiceNeeded { .. }), "{login}: {e:?}");
    }
    assert_unchanged(&before, &env.dir, "dismissal without a choice");
}

#[test]
fn a_choice_is_accepted_when_there_are_no_integrations() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let employees = count(&env.dir, "employees");
    let out = env
        .dir
        .dismiss(hr, "dferreira", &keep())
        .expect("keep with none");
    assert!(out.kept.is_empty());
    assert_eq!(out.system_user, None, "no system user is needed");
    assert_eq!(count(&env.dir, "employees"), employees);
    assert_eq!(system_users_for(&env.dir, "dferreira"), 0);
    env.dir
        .dismiss(hr, "praman", &disable())
        .expect("disable with none");
    assert_eq!(
        env.dir.employee("praman").unwrap().status,
        Status::Dismissed
    );
}

#[test]
fn disabled_integrations_do_not_need_a_choice() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    // hkessler and mpark own only disabled integrations.
    env.dir
        .dismiss(hr, "hkessler", &Default::default())
        .expect("only disabled integrations");
}

// ------------------------------------------------------------ keep

#[test]
fn keep_creates_a_system_user_that_holds_the_integrations() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let (hook, user, code) = webhook(&mut env.dir, "tlang", "Grafana alerts", &[Scope::Task]);
    assert_eq!(url_acts_as(&env.dir, user, &code).as_deref(), Some("tlang"));
    let employees = count(&env.dir, "employees");
    let n = audit_count(&env.dir);

    let out = env.dir.dismiss(hr, "tlang", &keep()).expect("keep");
    assert_eq!(audit_count(&env.dir), n + 1, "one audit event");
    assert_eq!(out.system_user.as_deref(), Some("system.tlang"));
    assert_eq!(out.kept.len(), 3);
    assert_eq!(count(&env.dir, "employees"), employees + 1);

    let sys = env.dir.employee("system.tlang").unwrap();
    let tlang = env.dir.employee("tlang").unwrap();
    assert_eq!(sys.kind, Kind::System);
    assert_eq!(sys.status, Status::Active);
    assert_eq!(sys.system_for, Some(tlang.id));
    assert_eq!(sys.first_name, "Tobias");
    assert!(
        sys.name().contains("Lang"),
        "named after them: {}",
        sys.name()
    );
    assert!(!sys.is_admin);
    assert!(!sys.structure_access);

    let admin = actor(&env.dir, "admin");
    let all = env.dir.integrations(admin).unwrap();
    let mine: Vec<_> = all
        .iter()
        .filter(|i| i.transferred_from.as_deref() == Some("tlang"))
        .collect();
    assert_eq!(mine.len(), 3);
    for i in &mine {
        assert_eq!(i.owner, "system.tlang");
        assert_eq!(i.owner_kind, Kind::System);
        assert_eq!(i.status, IntegrationStatus::Active);
    }
    assert!(mine.iter().any(|i| i.id == hook));

    // The URL keeps working unchanged, now acting as the system user.
    let (i, owner) = env
        .dir
        .authenticate_webhook(user, &code)
        .unwrap()
        .expect("the kept URL still authenticates");
    assert_eq!(i.id, hook);
    assert_eq!(owner.login, "system.tlang");
    assert_eq!(owner.kind, Kind::System);

    let p = env.dir.profile(admin, "tlang").unwrap();
    assert_eq!(p.system_user.as_deref(), Some("system.tlang"));
    assert_eq!(
        p.departure.unwrap().integrations,
        Some(IntegrationChoice::Keep)
    );
}

#[test]
fn system_user_inherits_administrator_rights() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    webhook(&mut env.dir, "elindqvist", "Board reports", &[Scope::User]);
    env.dir.dismiss(admin, "elindqvist", &keep()).expect("keep");
    let sys = env.dir.employee("system.elindqvist").unwrap();
    assert_eq!(sys.kind, Kind::System);
    assert!(sys.is_admin, "the system user inherits is_admin");
    // It does not count as an active administrator: admin is now the last one.
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    refused(env.dir.dismiss(hr, "admin", &Default::default()));
    assert_unchanged(&before, &env.dir, "last admin with a system admin around");
}

#[test]
fn system_user_inherits_structure_access() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    env.dir.set_structure_access(admin, "tlang", true).unwrap();
    env.dir.dismiss(admin, "tlang", &keep()).expect("keep");
    let sys = env.dir.employee("system.tlang").unwrap();
    assert!(
        sys.structure_access,
        "the system user inherits structure access"
    );
    assert!(!sys.is_admin);
}

#[test]
fn demo_lbrandt_integration_was_kept_by_system_lbrandt() {
    let env = demo();
    let admin = actor(&env.dir, "admin");
    let sys = env.dir.employee("system.lbrandt").unwrap();
    assert_eq!(sys.kind, Kind::System);
    assert_eq!(sys.system_for, Some(id_of(&env.dir, "lbrandt")));
    let all = env.dir.integrations(admin).unwrap();
    let quote = all
        .iter()
        .find(|i| i.title == "Quote calculator → CRM deals")
        .unwrap();
    assert_eq!(quote.owner, "system.lbrandt");
    assert_eq!(quote.transferred_from.as_deref(), Some("lbrandt"));
    assert_eq!(quote.status, IntegrationStatus::Active);
    let status = all
        .iter()
        .find(|i| i.title == "Status page incidents → tasks")
        .unwrap();
    assert_eq!(status.owner, "ydemir");
    assert_eq!(status.status, IntegrationStatus::Disabled);
    assert_eq!(system_users_for(&env.dir, "ydemir"), 0);
}

#[test]
fn second_dismissal_after_rehire_reuses_the_system_user() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    env.dir.hire(hr, "lbrandt", false).expect("rehire");
    let (hook, user, code) = webhook(&mut env.dir, "lbrandt", "New quote tool", &[Scope::Crm]);
    let employees = count(&env.dir, "employees");
    let sys_id = id_of(&env.dir, "system.lbrandt");

    let out = env
        .dir
        .dismiss(hr, "lbrandt", &keep())
        .expect("dismiss again");
    assert_eq!(out.system_user.as_deref(), Some("system.lbrandt"));
    assert_eq!(
        count(&env.dir, "employees"),
        employees,
        "no second system user"
    );
    assert_eq!(system_users_for(&env.dir, "lbrandt"), 1);
    assert_eq!(id_of(&env.dir, "system.lbrandt"), sys_id);
    let admin = actor(&env.dir, "admin");
    let i = env.dir.integration(admin, hook).unwrap();
    assert_eq!(i.owner, "system.lbrandt");
    assert_eq!(
        url_acts_as(&env.dir, user, &code).as_deref(),
        Some("system.lbrandt")
    );
    let held = env
        .dir
        .integrations(admin)
        .unwrap()
        .into_iter()
        .filter(|i| i.owner == "system.lbrandt")
        .count();
    assert_eq!(held, 2);
    assert_eq!(
        count_where(
            &env.dir,
            "SELECT COUNT(*) FROM departures WHERE employee_id = ?1",
            [id_of(&env.dir, "lbrandt")]
        ),
        2,
        "one departure per dismissal"
    );
}

#[test]
fn system_users_never_appear_in_lists() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    webhook(&mut env.dir, "dferreira", "Hook", &[Scope::User]);
    env.dir.dismiss(admin, "dferreira", &keep()).unwrap();
    env.dir.set_show_dismissed(admin, true).unwrap();
    for status in [
        StatusFilter::Active,
        StatusFilter::Dismissed,
        StatusFilter::All,
    ] {
        for search in [None, Some("system"), Some("system.lbrandt"), Some("Brandt")] {
            for still_owns in [false, true] {
                let q = ListQuery {
                    status,
                    search: search.map(str::to_string),
                    still_owns,
                    offset: 0,
                    limit: 1000,
                    ..Default::default()
                };
                let page = env.dir.list(admin, &q).unwrap();
                for row in &page.rows {
                    assert_eq!(
                        row.employee.kind,
                        Kind::Employee,
                        "{} listed for {q:?}",
                        row.employee.login
                    );
                }
                assert_eq!(page.total, page.rows.len() as i64, "{q:?}");
            }
        }
    }
    let all = env
        .dir
        .list(
            admin,
            &ListQuery {
                status: StatusFilter::All,
                limit: 1000,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(all.total, 42, "42 people, no system users");
    let hr = actor(&env.dir, "hr");
    let s = env
        .dir
        .successors(hr, "system", EmployeeId(-1), 100)
        .unwrap();
    assert!(
        s.is_empty(),
        "{:?}",
        s.iter().map(|e| &e.login).collect::<Vec<_>>()
    );
}

// ------------------------------------------------------------ disable

#[test]
fn disable_stops_the_integrations_at_once() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let (hook, user, code) = webhook(&mut env.dir, "tlang", "Grafana alerts", &[Scope::Task]);
    let employees = count(&env.dir, "employees");
    let n = audit_count(&env.dir);
    let out = env.dir.dismiss(hr, "tlang", &disable()).expect("disable");
    assert_eq!(audit_count(&env.dir), n + 1);
    assert_eq!(out.disabled.len(), 3);
    assert!(out.kept.is_empty());
    assert_eq!(out.system_user, None);
    assert_eq!(count(&env.dir, "employees"), employees, "no system user");
    assert_eq!(url_acts_as(&env.dir, user, &code), None, "URL still works");
    let admin = actor(&env.dir, "admin");
    let mine: Vec<_> = env
        .dir
        .integrations(admin)
        .unwrap()
        .into_iter()
        .filter(|i| i.owner == "tlang")
        .collect();
    assert_eq!(mine.len(), 3);
    assert!(mine.iter().all(|i| i.status == IntegrationStatus::Disabled));
    assert!(mine.iter().any(|i| i.id == hook));
}

// ------------------------------------------------------------ one transaction

#[test]
fn dismissal_is_all_or_nothing() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    webhook(&mut env.dir, "tlang", "Grafana alerts", &[Scope::Task]);
    // Make the audit write fail: everything before it must be rolled back.
    env.dir
        .connection()
        .execute_batch(
            "CREATE TRIGGER test_fail_dismiss BEFORE INSERT ON audit_events \
             WHEN NEW.action = 'dismiss' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .unwrap();
    let before = snapshot(&env.dir);
    let r = env.dir.dismiss(hr, "tlang", &keep());
    assert!(r.is_err(), "the injected failure must surface");
    assert_unchanged(&before, &env.dir, "failed dismissal");
    assert_eq!(env.dir.employee("tlang").unwrap().status, Status::Active);
    assert!(env.dir.employee("system.tlang").is_err());
}

// ------------------------------------------------------------ editing a system user's integration

fn kept_hook(env: &mut Env) -> (IntegrationId, EmployeeId, String) {
    let (hook, user, code) = webhook(&mut env.dir, "dferreira", "Lead router", &[Scope::Crm]);
    let admin = actor(&env.dir, "admin");
    env.dir.dismiss(admin, "dferreira", &keep()).unwrap();
    assert_eq!(
        url_acts_as(&env.dir, user, &code).as_deref(),
        Some("system.dferreira")
    );
    (hook, user, code)
}

#[test]
fn structure_staff_editing_a_system_users_integration_takes_it_over() {
    let mut env = demo();
    let (hook, user, code) = kept_hook(&mut env);
    let hr = actor(&env.dir, "hr");
    assert!(env.dir.edit_would_take_over(hr, hook).unwrap());
    let n = audit_count(&env.dir);
    let out = env
        .dir
        .edit_webhook(hr, hook, Some("Lead router (HR)"), None)
        .expect("hr edits");
    assert_eq!(audit_count(&env.dir), n + 1);
    assert_eq!(out.previous_owner.login, "system.dferreira");
    assert_eq!(out.integration.owner, "hr");
    assert_eq!(out.integration.owner_kind, Kind::Employee);
    let url = out.new_url.expect("a new URL is shown to the new owner");
    let (user2, code2) = parse_url(&url);
    assert_eq!(user2, id_of(&env.dir, "hr"));
    assert_eq!(
        url_acts_as(&env.dir, user, &code),
        None,
        "old URL still works"
    );
    assert_eq!(url_acts_as(&env.dir, user2, &code2).as_deref(), Some("hr"));
    let admin = actor(&env.dir, "admin");
    let held = env
        .dir
        .integrations(admin)
        .unwrap()
        .into_iter()
        .filter(|i| i.owner == "system.dferreira")
        .count();
    assert_eq!(held, 0, "the system user no longer manages it");
}

#[test]
fn admin_editing_a_system_users_integration_takes_it_over() {
    let mut env = demo();
    let (hook, user, code) = kept_hook(&mut env);
    let admin = actor(&env.dir, "admin");
    let out = env
        .dir
        .edit_webhook(
            admin,
            hook,
            None,
            Some(ScopeSet::from([Scope::Crm, Scope::Task])),
        )
        .expect("admin edits");
    assert_eq!(out.integration.owner, "admin");
    let mut scopes = out.integration.scopes.iter().collect::<Vec<_>>();
    scopes.sort_by_key(|s| s.as_str());
    assert_eq!(scopes, vec![Scope::Crm, Scope::Task]);
    let (user2, code2) = parse_url(&out.new_url.expect("new URL"));
    assert_eq!(url_acts_as(&env.dir, user, &code), None);
    assert_eq!(
        url_acts_as(&env.dir, user2, &code2).as_deref(),
        Some("admin")
    );
}

#[test]
fn ordinary_employee_may_not_edit_a_system_users_integration() {
    let mut env = demo();
    let (hook, user, code) = kept_hook(&mut env);
    let jdoe = actor(&env.dir, "jdoe");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.edit_webhook(jdoe, hook, Some("Mine now"), None));
    assert!(matches!(e, Error::Denied(_) | Error::NotFound(_)), "{e:?}");
    refused(env.dir.regenerate_webhook(jdoe, hook));
    refused(env.dir.disable_webhook(jdoe, hook));
    assert_unchanged(
        &before,
        &env.dir,
        "jdoe editing a system user's integration",
    );
    assert_eq!(
        url_acts_as(&env.dir, user, &code).as_deref(),
        Some("system.dferreira")
    );
}

#[test]
fn editing_the_demo_system_users_integration_moves_it() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let quote = env
        .dir
        .integrations(admin)
        .unwrap()
        .into_iter()
        .find(|i| i.owner == "system.lbrandt")
        .unwrap();
    let hr = actor(&env.dir, "hr");
    let out = env
        .dir
        .edit_webhook(hr, quote.id, Some("Quote calculator v2"), None)
        .unwrap();
    assert_eq!(out.integration.owner, "hr");
    assert!(out.new_url.is_some());
    let p = env.dir.profile(admin, "hr").unwrap();
    assert!(p.integrations.iter().any(|i| i.id == quote.id));
}

#[test]
fn reassign_from_a_system_user_is_refused() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let before = snapshot(&env.dir);
    refused(
        env.dir
            .reassign(admin, "system.lbrandt", "jdoe", WorkKinds::ALL),
    );
    assert_unchanged(&before, &env.dir, "reassign from a system user");
}

/// A system user that inherited company-structure access takes no personnel action
/// through any operation: not a dismissal, a hire (of its own employee either), a
/// handover, a cancellation, adding or importing, settings or permissions. Nothing
/// changes; its data rights (editing a field) stay.
#[test]
fn a_system_user_with_staff_rights_takes_no_personnel_action() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let hr = actor(&env.dir, "hr");
    env.dir
        .create_webhook(hr, "HR sync", Scope::User.into())
        .expect("hr's webhook");
    env.dir.dismiss(admin, "hr", &keep()).expect("dismiss hr");
    let sys = env.dir.employee("system.hr").expect("system.hr");
    assert!(sys.structure_access, "it inherited hr's rights");
    let me = offboard::Actor::user(sys.id);
    let before = snapshot(&env.dir);
    let personnel = |e: Error, what: &str| {
        assert!(
            matches!(
                &e,
                Error::Denied(offboard::domain::Denial::SystemPersonnel { login, .. }) if login == "system.hr"
            ),
            "{what}: {e:?}"
        );
        assert_eq!(e.exit_code(), 3);
    };
    personnel(refused(env.dir.dismiss(me, "jdoe", &keep())), "dismiss");
    personnel(
        refused(env.dir.hire(me, "hr", false)),
        "hire its own employee",
    );
    personnel(
        refused(env.dir.reassign(me, "tlang", "jdoe", WorkKinds::ALL)),
        "reassign",
    );
    personnel(
        refused(env.dir.set_structure_access(me, "jdoe", true)),
        "grant",
    );
    personnel(refused(env.dir.set_show_dismissed(me, true)), "settings");
    personnel(
        refused(env.dir.add(me, &person("newbie", "New", "Bie"))),
        "add",
    );
    personnel(
        refused(env.dir.import_csv(
            me,
            "login,first_name,last_name,email,position,department,hired_on\nnewbie,New,Bie,n@x.example,Clerk,,\n".as_bytes(),
        )),
        "import",
    );
    assert_unchanged(&before, &env.dir, "personnel actions by a system user");
    let jdoe = id_of(&env.dir, "jdoe");
    env.dir
        .update_employee(
            me,
            jdoe,
            &offboard::directory::EmployeeChanges {
                position: Some("Key Account Manager".into()),
                ..Default::default()
            },
            None,
        )
        .expect("a data right of the user scope");
}
