//! SPEC §2: who may do what.

mod common;

use common::*;
use offboard::Error;
use offboard::directory::DismissRequest;
use offboard::directory::ListQuery;
use offboard::domain::{
    EmployeeId, IntegrationChoice, IntegrationStatus, Kind, Scope, ScopeSet, Status, WorkKinds,
};

fn plain() -> DismissRequest {
    DismissRequest::default()
}

// ------------------------------------------------------------ signing in

#[test]
fn sign_in_known_active_employee_works() {
    let env = demo();
    for login in ["admin", "hr", "jdoe"] {
        let me = env.dir.sign_in(login).expect(login);
        assert_eq!(me.login, login);
        assert_eq!(me.status, Status::Active);
    }
}

#[test]
fn sign_in_unknown_login_is_refused_clearly() {
    let env = demo();
    let e = refused(env.dir.sign_in("nobody"));
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    assert!(e.to_string().contains("nobody"), "{e}");
}

#[test]
fn dismissed_employee_cannot_sign_in() {
    let env = demo();
    for login in ["lbrandt", "ydemir"] {
        let e = refused(env.dir.sign_in(login));
        assert!(matches!(e, Error::AccessRevoked(_)), "{login}: {e:?}");
    }
}

#[test]
fn system_user_cannot_sign_in() {
    let env = demo();
    let sys = env.dir.employee("system.lbrandt").expect("system user");
    assert_eq!(sys.kind, Kind::System);
    assert_eq!(sys.status, Status::Active);
    let e = refused(env.dir.sign_in("system.lbrandt"));
    assert!(matches!(e, Error::AccessRevoked(_)), "{e:?}");
}

// ------------------------------------------------------------ dismiss, hire, reassign

#[test]
fn admin_may_dismiss() {
    let mut env = demo();
    let a = actor(&env.dir, "admin");
    let out = env.dir.dismiss(a, "dferreira", &plain()).expect("dismiss");
    assert_eq!(out.employee.status, Status::Dismissed);
    assert_eq!(
        env.dir.employee("dferreira").unwrap().status,
        Status::Dismissed
    );
}

#[test]
fn structure_staff_may_dismiss() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    env.dir.dismiss(hr, "dferreira", &plain()).expect("dismiss");
    assert_eq!(
        env.dir.employee("dferreira").unwrap().status,
        Status::Dismissed
    );
}

#[test]
fn ordinary_employee_may_not_dismiss() {
    let mut env = demo();
    let jdoe = actor(&env.dir, "jdoe");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.dismiss(jdoe, "dferreira", &plain()));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert!(e.to_string().contains("company-structure access"), "{e}");
    assert_unchanged(&before, &env.dir, "jdoe dismissing");
}

#[test]
fn admin_and_staff_may_hire_ordinary_employee_may_not() {
    let mut env = demo();
    let jdoe = actor(&env.dir, "jdoe");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.hire(jdoe, "ydemir", false));
    assert!(e.to_string().contains("company-structure access"), "{e}");
    assert_unchanged(&before, &env.dir, "jdoe hiring");

    let hr = actor(&env.dir, "hr");
    env.dir.hire(hr, "ydemir", false).expect("hr hires");
    assert_eq!(env.dir.employee("ydemir").unwrap().status, Status::Active);

    let admin = actor(&env.dir, "admin");
    env.dir.hire(admin, "lbrandt", false).expect("admin hires");
    assert_eq!(env.dir.employee("lbrandt").unwrap().status, Status::Active);
}

#[test]
fn admin_and_staff_may_reassign_ordinary_employee_may_not() {
    let mut env = demo();
    let jdoe = actor(&env.dir, "jdoe");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.reassign(jdoe, "lbrandt", "jdoe", WorkKinds::ALL));
    assert!(e.to_string().contains("company-structure access"), "{e}");
    assert_unchanged(&before, &env.dir, "jdoe reassigning");

    let hr = actor(&env.dir, "hr");
    let moved = env
        .dir
        .reassign(
            hr,
            "lbrandt",
            "jdoe",
            WorkKinds {
                tasks: true,
                ..WorkKinds::NONE
            },
        )
        .expect("hr reassigns");
    assert!(moved.tasks > 0);
    let admin = actor(&env.dir, "admin");
    let moved = env
        .dir
        .reassign(admin, "ydemir", "dferreira", WorkKinds::ALL)
        .expect("admin reassigns");
    assert!(moved.total() > 0);
}

#[test]
fn nobody_may_dismiss_themselves() {
    let mut env = demo();
    for login in ["admin", "hr"] {
        let me = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        let e = refused(env.dir.dismiss(me, login, &plain()));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        assert_unchanged(&before, &env.dir, "self-dismissal");
    }
}

#[test]
fn nobody_may_dismiss_a_system_user() {
    let mut env = demo();
    for login in ["admin", "hr"] {
        let a = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        let e = refused(env.dir.dismiss(
            a,
            "system.lbrandt",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Disable),
                ..Default::default()
            },
        ));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        assert_unchanged(&before, &env.dir, "dismissing a system user");
    }
}

#[test]
fn last_active_administrator_cannot_be_dismissed() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    env.dir
        .dismiss(admin, "elindqvist", &plain())
        .expect("two admins: dismissing one is allowed");
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.dismiss(hr, "admin", &plain()));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert!(e.to_string().contains("last"), "{e}");
    assert_unchanged(&before, &env.dir, "dismissing the last admin");
    assert_eq!(env.dir.employee("admin").unwrap().status, Status::Active);
}

#[test]
fn with_two_administrators_one_may_be_dismissed_by_staff() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    env.dir.dismiss(hr, "admin", &plain()).expect("two admins");
    assert_eq!(env.dir.employee("admin").unwrap().status, Status::Dismissed);
    // Now elindqvist is the last one.
    let before = snapshot(&env.dir);
    refused(env.dir.dismiss(hr, "elindqvist", &plain()));
    assert_unchanged(&before, &env.dir, "dismissing the last admin");
}

#[test]
fn last_admin_rule_in_a_minimal_company() {
    let mut env = minimal();
    let boss = actor(&env.dir, "boss");
    env.dir.add(boss, &person("staff", "Sam", "Staff")).unwrap();
    env.dir.set_structure_access(boss, "staff", true).unwrap();
    let staff = actor(&env.dir, "staff");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.dismiss(staff, "boss", &plain()));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "dismissing the only admin");
}

// ------------------------------------------------------------ stale sessions

#[test]
fn dismissed_actor_is_refused_inside_every_change() {
    let mut env = demo();
    let hr = actor(&env.dir, "hr");
    let admin = actor(&env.dir, "admin");
    // hr creates a webhook while still employed, so there is something of theirs to touch.
    let (hook, _, _) = webhook(&mut env.dir, "hr", "HR sync", &[Scope::User]);
    // hr owns an active integration: disable it with the dismissal.
    env.dir
        .dismiss(
            admin,
            "hr",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Disable),
                ..Default::default()
            },
        )
        .expect("admin dismisses hr");
    let before = snapshot(&env.dir);
    let revoked = |e: Error, what: &str| {
        assert!(
            matches!(e, Error::AccessRevoked(_)),
            "{what}: expected AccessRevoked, got {e:?}"
        );
        assert_eq!(e.exit_code(), 3);
    };
    revoked(
        env.dir.dismiss(hr, "dferreira", &plain()).unwrap_err(),
        "dismiss",
    );
    revoked(env.dir.hire(hr, "ydemir", false).unwrap_err(), "hire");
    revoked(
        env.dir
            .reassign(hr, "lbrandt", "jdoe", WorkKinds::ALL)
            .unwrap_err(),
        "reassign",
    );
    revoked(
        env.dir
            .add(hr, &person("newbie", "New", "Bie"))
            .unwrap_err(),
        "add",
    );
    revoked(
        env.dir
            .import_csv(
                hr,
                &b"login,first_name,last_name,email,position,department,hired_on\nnew1,A,B,new1@x.example,,,\n"[..],
            )
            .unwrap_err(),
        "import",
    );
    revoked(
        env.dir.set_structure_access(hr, "jdoe", true).unwrap_err(),
        "grant",
    );
    revoked(env.dir.set_show_dismissed(hr, true).unwrap_err(), "setting");
    revoked(
        env.dir
            .create_webhook(hr, "X", Scope::Task.into())
            .unwrap_err(),
        "create webhook",
    );
    revoked(
        env.dir.edit_webhook(hr, hook, Some("Y"), None).unwrap_err(),
        "edit webhook",
    );
    revoked(
        env.dir.enable_webhook(hr, hook).unwrap_err(),
        "enable webhook",
    );
    revoked(
        env.dir.regenerate_webhook(hr, hook).unwrap_err(),
        "regenerate webhook",
    );
    // Reads too: a dismissed employee has no access at all.
    revoked(env.dir.list(hr, &ListQuery::default()).unwrap_err(), "list");
    revoked(env.dir.profile(hr, "jdoe").unwrap_err(), "profile");
    revoked(env.dir.audit(hr, None, 0, 10).unwrap_err(), "audit");
    assert_unchanged(&before, &env.dir, "stale hr session");
}

#[test]
fn dismissed_admin_session_cannot_change_anything() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let eli = actor(&env.dir, "elindqvist");
    env.dir
        .dismiss(eli, "admin", &plain())
        .expect("dismiss admin");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.set_show_dismissed(admin, true));
    assert!(matches!(e, Error::AccessRevoked(_)), "{e:?}");
    let e = refused(env.dir.dismiss(admin, "jdoe", &plain()));
    assert!(matches!(e, Error::AccessRevoked(_)), "{e:?}");
    let e = refused(env.dir.hire(admin, "ydemir", false));
    assert!(matches!(e, Error::AccessRevoked(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "stale admin session");
}

// ------------------------------------------------------------ pickers

#[test]
fn successors_never_include_dismissed_or_system_users() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let (_, _, _) = webhook(&mut env.dir, "dferreira", "CRM sync", &[Scope::Crm]);
    env.dir
        .dismiss(
            admin,
            "dferreira",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Keep),
                ..Default::default()
            },
        )
        .unwrap();
    let hr = actor(&env.dir, "hr");
    let all = env
        .dir
        .successors(hr, "", EmployeeId(-1), 1000)
        .expect("successors");
    assert!(all.len() >= 30, "{} successors", all.len());
    for e in &all {
        assert_eq!(e.status, Status::Active, "{} listed", e.login);
        assert_eq!(e.kind, Kind::Employee, "{} listed", e.login);
    }
    let logins: Vec<&str> = all.iter().map(|e| e.login.as_str()).collect();
    for gone in [
        "lbrandt",
        "ydemir",
        "dferreira",
        "system.lbrandt",
        "system.dferreira",
    ] {
        assert!(!logins.contains(&gone), "{gone} offered as successor");
    }
    for gone in ["lbrandt", "system", "Brandt", "Ferreira"] {
        let found = env.dir.successors(hr, gone, EmployeeId(-1), 100).unwrap();
        assert!(
            found.iter().all(|e| e.is_active() && !e.is_system()),
            "search {gone}: {:?}",
            found.iter().map(|e| &e.login).collect::<Vec<_>>()
        );
    }
    // exclude works: the one being replaced is not offered.
    let jdoe_id = id_of(&env.dir, "jdoe");
    let found = env.dir.successors(hr, "jdoe", jdoe_id, 100).unwrap();
    assert!(found.iter().all(|e| e.login != "jdoe"));
}

#[test]
fn system_user_cannot_own_new_integrations() {
    let mut env = demo();
    let sys = actor(&env.dir, "system.lbrandt");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.create_webhook(sys, "Sneaky", Scope::User.into()));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "system user creating a webhook");
}

// ------------------------------------------------------------ settings and permissions

#[test]
fn only_admins_may_change_show_dismissed() {
    let mut env = demo();
    for login in ["hr", "jdoe"] {
        let a = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        let e = refused(env.dir.set_show_dismissed(a, true));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        assert_unchanged(&before, &env.dir, "non-admin changing a setting");
        assert!(!env.dir.show_dismissed().unwrap());
    }
    let admin = actor(&env.dir, "admin");
    let n = audit_count(&env.dir);
    assert!(env.dir.set_show_dismissed(admin, true).unwrap());
    assert!(env.dir.show_dismissed().unwrap());
    assert_eq!(audit_count(&env.dir), n + 1);
    assert!(env.dir.set_show_dismissed(admin, false).unwrap());
    assert!(!env.dir.show_dismissed().unwrap());
    assert_eq!(audit_count(&env.dir), n + 2);
}

#[test]
fn only_admins_may_grant_or_revoke_structure_access() {
    let mut env = demo();
    for login in ["hr", "jdoe"] {
        let a = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        let e = refused(env.dir.set_structure_access(a, "dferreira", true));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        let e = refused(env.dir.set_structure_access(a, "hr", false));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        assert_unchanged(&before, &env.dir, "non-admin changing permissions");
    }
}

#[test]
fn granted_structure_access_lets_jdoe_dismiss_until_revoked() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let jdoe = actor(&env.dir, "jdoe");

    let granted = env.dir.set_structure_access(admin, "jdoe", true).unwrap();
    assert!(granted.structure_access);
    env.dir
        .dismiss(jdoe, "dferreira", &plain())
        .expect("jdoe with access dismisses");
    env.dir.hire(jdoe, "dferreira", false).expect("and hires");

    let revoked = env.dir.set_structure_access(admin, "jdoe", false).unwrap();
    assert!(!revoked.structure_access);
    let before = snapshot(&env.dir);
    let e = refused(env.dir.dismiss(jdoe, "dferreira", &plain()));
    assert!(e.to_string().contains("company-structure access"), "{e}");
    assert_unchanged(&before, &env.dir, "jdoe after revoke");
}

#[test]
fn structure_access_cannot_be_granted_to_system_users() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let before = snapshot(&env.dir);
    refused(env.dir.set_structure_access(admin, "system.lbrandt", true));
    assert_unchanged(&before, &env.dir, "granting a system user");
}

// ------------------------------------------------------------ integration permissions

#[test]
fn owner_and_admin_may_disable_and_enable_others_may_not() {
    let mut env = demo();
    let (hook, user, code) = webhook(&mut env.dir, "tlang", "Deploy hook", &[Scope::Task]);
    let tlang = actor(&env.dir, "tlang");
    let admin = actor(&env.dir, "admin");

    for login in ["hr", "jdoe"] {
        let a = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        let e = refused(env.dir.disable_webhook(a, hook));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        assert_unchanged(&before, &env.dir, "foreign disable");
    }

    let i = env
        .dir
        .disable_webhook(tlang, hook)
        .expect("owner disables");
    assert_eq!(i.status, IntegrationStatus::Disabled);
    assert_eq!(url_acts_as(&env.dir, user, &code), None);

    for login in ["hr", "jdoe"] {
        let a = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        refused(env.dir.enable_webhook(a, hook));
        assert_unchanged(&before, &env.dir, "foreign enable");
    }

    let i = env.dir.enable_webhook(admin, hook).expect("admin enables");
    assert_eq!(i.status, IntegrationStatus::Active);
    assert_eq!(url_acts_as(&env.dir, user, &code).as_deref(), Some("tlang"));

    env.dir
        .disable_webhook(admin, hook)
        .expect("admin disables");
    assert_eq!(url_acts_as(&env.dir, user, &code), None);
    env.dir.enable_webhook(tlang, hook).expect("owner enables");
    assert_eq!(url_acts_as(&env.dir, user, &code).as_deref(), Some("tlang"));
    assert_eq!(env.dir.integration(admin, hook).unwrap().owner, "tlang");
}

#[test]
fn owner_and_admin_may_regenerate_others_may_not() {
    let mut env = demo();
    let (hook, user, code) = webhook(&mut env.dir, "tlang", "Deploy hook", &[Scope::Task]);
    let tlang = actor(&env.dir, "tlang");
    let admin = actor(&env.dir, "admin");

    for login in ["hr", "jdoe"] {
        let a = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        let e = refused(env.dir.regenerate_webhook(a, hook));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        assert_unchanged(&before, &env.dir, "foreign regenerate");
        assert_eq!(url_acts_as(&env.dir, user, &code).as_deref(), Some("tlang"));
    }

    let issued = env.dir.regenerate_webhook(tlang, hook).expect("owner");
    let (user2, code2) = parse_url(&issued.url);
    assert_eq!(user2, id_of(&env.dir, "tlang"));
    assert_ne!(code2, code);
    assert_eq!(
        url_acts_as(&env.dir, user, &code),
        None,
        "old URL still works"
    );
    assert_eq!(
        url_acts_as(&env.dir, user2, &code2).as_deref(),
        Some("tlang")
    );

    let issued = env.dir.regenerate_webhook(admin, hook).expect("admin");
    let (user3, code3) = parse_url(&issued.url);
    assert_eq!(
        issued.integration.owner, "tlang",
        "admin regenerating keeps the owner"
    );
    assert_eq!(url_acts_as(&env.dir, user2, &code2), None);
    assert_eq!(
        url_acts_as(&env.dir, user3, &code3).as_deref(),
        Some("tlang")
    );
}

#[test]
fn owner_and_admin_may_edit_others_may_not() {
    let mut env = demo();
    let (hook, user, code) = webhook(&mut env.dir, "tlang", "Deploy hook", &[Scope::Task]);
    let tlang = actor(&env.dir, "tlang");
    let admin = actor(&env.dir, "admin");

    for login in ["hr", "jdoe"] {
        let a = actor(&env.dir, login);
        let before = snapshot(&env.dir);
        let e = refused(env.dir.edit_webhook(a, hook, Some("Hijack"), None));
        assert!(matches!(e, Error::Denied(_)), "{login}: {e:?}");
        assert_unchanged(&before, &env.dir, "foreign edit");
    }

    let out = env
        .dir
        .edit_webhook(
            tlang,
            hook,
            Some("Deploy hook v2"),
            Some(ScopeSet::from([Scope::Task, Scope::User])),
        )
        .expect("owner edits");
    assert_eq!(out.new_url, None, "editing one's own keeps the URL");
    assert_eq!(out.integration.owner, "tlang");
    assert_eq!(out.integration.title, "Deploy hook v2");
    assert_eq!(url_acts_as(&env.dir, user, &code).as_deref(), Some("tlang"));

    let out = env
        .dir
        .edit_webhook(admin, hook, Some("Deploy hook v3"), None)
        .expect("admin edits");
    assert_eq!(out.new_url, None, "an active owner keeps their integration");
    assert_eq!(out.integration.owner, "tlang");
    assert_eq!(url_acts_as(&env.dir, user, &code).as_deref(), Some("tlang"));
}

// SPEC §2 names who may disable or enable an integration: "the owner or an
// administrator". The only extra right of company-structure staff is to *edit* a system
// user's integration, which makes them its owner.
#[test]
fn structure_staff_may_not_disable_or_enable_a_system_users_integration() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let (hook, user, code) = webhook(&mut env.dir, "dferreira", "Lead router", &[Scope::Crm]);
    env.dir
        .dismiss(
            admin,
            "dferreira",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Keep),
                ..Default::default()
            },
        )
        .unwrap();
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.disable_webhook(hr, hook));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert_unchanged(
        &before,
        &env.dir,
        "hr disabling a system user's integration",
    );
    assert_eq!(
        url_acts_as(&env.dir, user, &code).as_deref(),
        Some("system.dferreira")
    );

    env.dir
        .disable_webhook(admin, hook)
        .expect("admin disables");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.enable_webhook(hr, hook));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert_unchanged(&before, &env.dir, "hr enabling a system user's integration");
}

// SPEC §2: only the owner or an administrator may edit an integration; staff may also
// edit one owned by a *system user*. An integration still owned by a dismissed employee
// (the demo's ydemir, whose integration was disabled) is not a system user's.
#[test]
fn structure_staff_may_not_edit_a_dismissed_employees_own_integration() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let hook = env
        .dir
        .integrations(admin)
        .unwrap()
        .into_iter()
        .find(|i| i.owner == "ydemir")
        .expect("ydemir's disabled integration")
        .id;
    let hr = actor(&env.dir, "hr");
    let before = snapshot(&env.dir);
    let e = refused(env.dir.edit_webhook(hr, hook, Some("Mine now"), None));
    assert!(matches!(e, Error::Denied(_)), "{e:?}");
    assert_unchanged(
        &before,
        &env.dir,
        "hr editing a dismissed employee's integration",
    );
}

#[test]
fn webhook_urls_authenticate_only_with_the_right_user_and_code() {
    let mut env = demo();
    let (hook, user, code) = webhook(&mut env.dir, "tlang", "Deploy hook", &[Scope::Task]);
    let (i, owner) = env
        .dir
        .authenticate_webhook(user, &code)
        .unwrap()
        .expect("fresh URL");
    assert_eq!(i.id, hook);
    assert_eq!(owner.login, "tlang");
    let jdoe = id_of(&env.dir, "jdoe");
    assert_eq!(url_acts_as(&env.dir, jdoe, &code), None, "wrong user id");
    assert_eq!(url_acts_as(&env.dir, user, "wrongcode"), None, "wrong code");
    assert_eq!(url_acts_as(&env.dir, user, ""), None, "empty code");
}

/// SPEC §3: a system user "inherits the rights of the employee it replaces" — so when
/// those rights are revoked, the system user (and whoever holds its webhooks) loses
/// them too.
#[test]
fn revoking_access_also_revokes_it_from_their_system_user() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let hr = actor(&env.dir, "hr");
    env.dir
        .create_webhook(hr, "HR sync", offboard::domain::Scope::User.into())
        .expect("webhook");
    env.dir
        .dismiss(
            admin,
            "hr",
            &offboard::directory::DismissRequest {
                integrations: Some(offboard::domain::IntegrationChoice::Keep),
                ..Default::default()
            },
        )
        .expect("dismiss hr, keeping the webhook");
    let system = env.dir.employee("system.hr").expect("system user");
    assert!(system.structure_access, "inherited at dismissal");
    env.dir
        .set_structure_access(admin, "hr", false)
        .expect("revoke");
    let system = env.dir.employee("system.hr").expect("system user");
    assert!(
        !system.structure_access,
        "the system user's rights follow hr's"
    );
    let as_system = offboard::Actor::user(system.id);
    let e = env
        .dir
        .dismiss(as_system, "jdoe", &Default::default())
        .unwrap_err();
    assert!(e.is_refusal(), "{e}");
}
