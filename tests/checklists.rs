//! Offboarding checklists (issue 16): templates, a checklist started by the
//! dismissal in its own transaction (immediate, scheduled when applied, bulk),
//! `dismiss --checklist NAME|none`, steps ticked by their owners or staff, completed,
//! reopened, canceled by a rehire, in `show --json`, and the open steps overdue first.

mod binary;
mod common;
mod rest_support;

use offboard::directory::{DismissRequest, StepSpec};
use offboard::domain::{ChecklistChoice, ChecklistState, OwnerRole, StepState};
use rest_support::Company;
use serde_json::Value;

fn refused(company: &Company, args: &[&str]) -> String {
    let o = company.run(args);
    assert_eq!(o.code, 3, "`{}` should be refused: {o:?}", args.join(" "));
    o.stderr
}

#[test]
fn a_dismissal_starts_the_default_checklist_with_owners_and_due_dates() {
    let company = Company::demo();
    company.ok(&["--as", "hr", "dismiss", "jdoe"]);
    let c = company.json(&["--as", "hr", "checklist", "show", "jdoe", "--json"]);
    assert_eq!(c["template"], "Standard offboarding");
    assert_eq!(c["state"], "open");
    let steps = c["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 6);
    let today = chrono::Utc::now().date_naive();
    // jdoe is in Sales, whose head is dferreira: the head's steps are theirs.
    assert_eq!(steps[0]["owner_role"], "department_head");
    assert_eq!(steps[0]["owner"], "dferreira");
    assert_eq!(steps[0]["due_on"], today.to_string());
    assert_eq!(steps[2]["owner_role"], "structure");
    assert_eq!(
        steps[2]["due_on"],
        (today + chrono::Days::new(1)).to_string()
    );
    assert!(
        steps
            .iter()
            .all(|s| s["state"] == "open" && s["overdue"] == false)
    );
    // show --json carries it too.
    let shown = company.json(&["--as", "hr", "show", "jdoe", "--json"]);
    assert_eq!(shown["checklist"], c);
    // The audit names the checklist the dismissal started.
    let audit = company.json(&["--as", "admin", "audit", "--json"]);
    let dismiss = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "dismiss" && e["target"] == "jdoe")
        .unwrap();
    assert_eq!(dismiss["details"]["checklist"], "Standard offboarding");
}

#[test]
fn checklist_choice_none_a_named_template_and_an_unknown_one() {
    let company = Company::demo();
    company.ok(&[
        "--as",
        "admin",
        "checklist",
        "add-template",
        "Short",
        "--step",
        "0|hr|Take back the badge",
        "--step",
        "+2|admins|Close the VPN account",
    ]);
    let templates = company.json(&["--as", "hr", "checklist", "templates", "--json"]);
    assert_eq!(templates.as_array().unwrap().len(), 2);
    // An unknown template refuses the whole dismissal: nothing happens.
    let err = refused(
        &company,
        &["--as", "hr", "dismiss", "jdoe", "--checklist", "Nope"],
    );
    assert!(
        err.contains("no checklist template named \"Nope\""),
        "{err}"
    );
    assert_eq!(
        company.json(&["--as", "hr", "show", "jdoe", "--json"])["status"],
        "active"
    );
    company.ok(&["--as", "hr", "dismiss", "jdoe", "--checklist", "none"]);
    assert_eq!(
        company.json(&["--as", "hr", "checklist", "show", "jdoe", "--json"]),
        Value::Null
    );
    company.ok(&[
        "--as",
        "hr",
        "dismiss",
        "amehta",
        "--integrations",
        "keep",
        "--checklist",
        "short",
    ]);
    let c = company.json(&["--as", "hr", "checklist", "show", "amehta", "--json"]);
    assert_eq!(c["template"], "Short");
    assert_eq!(c["steps"][0]["owner"], "hr");
    assert_eq!(c["steps"][1]["owner_role"], "admins");
    // No default: a dismissal names none and starts none.
    company.ok(&["--as", "admin", "checklist", "default", "none"]);
    company.ok(&["--as", "hr", "dismiss", "smoreno"]);
    assert_eq!(
        company.json(&["--as", "hr", "checklist", "show", "smoreno", "--json"]),
        Value::Null
    );
}

#[test]
fn owners_and_staff_tick_steps_the_last_completes_it_and_a_rehire_cancels_what_is_open() {
    let company = Company::demo();
    company.ok(&["--as", "hr", "dismiss", "jdoe"]);
    // dferreira heads Sales: step 1 is theirs; step 3 (structure) is not.
    company.ok(&["--as", "dferreira", "checklist", "done", "jdoe", "1"]);
    let err = refused(
        &company,
        &["--as", "dferreira", "checklist", "done", "jdoe", "3"],
    );
    assert!(err.contains("may not change step 3"), "{err}");
    let err = refused(
        &company,
        &["--as", "tlang", "checklist", "done", "jdoe", "1"],
    );
    assert!(
        err.contains("already done") || err.contains("may not"),
        "{err}"
    );
    let err = refused(&company, &["--as", "hr", "checklist", "done", "jdoe", "1"]);
    assert!(err.contains("already done"), "{err}");
    let err = refused(&company, &["--as", "hr", "checklist", "done", "jdoe", "9"]);
    assert!(err.contains("no step 9"), "{err}");
    for step in ["2", "3", "4", "5"] {
        company.ok(&["--as", "hr", "checklist", "done", "jdoe", step]);
    }
    company.ok(&["--as", "admin", "checklist", "reopen", "jdoe", "5"]);
    company.ok(&["--as", "hr", "checklist", "done", "jdoe", "5"]);
    let out = company.ok(&["--as", "admin", "checklist", "done", "jdoe", "6"]);
    assert!(out.contains("completed"), "{out}");
    let c = company.json(&["--as", "hr", "checklist", "show", "jdoe", "--json"]);
    assert_eq!(c["state"], "completed");
    assert_eq!(c["steps"][0]["done_by"], "dferreira");
    assert!(c["steps"][5]["done_at"].is_string());
    // Each step done and the completion are events for the hooks.
    let db = rusqlite::Connection::open(&company.db).unwrap();
    let count = |t: &str| -> i64 {
        db.query_row(
            "SELECT COUNT(*) FROM outbox_events WHERE type = ?1",
            [t],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(
        count("checklist.step_done"),
        7,
        "six steps, one of them twice"
    );
    assert_eq!(count("checklist.completed"), 1);
    let body: String = db
        .query_row(
            "SELECT body FROM outbox_events WHERE type = 'checklist.completed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["data"]["employee"]["login"], "jdoe");
    assert_eq!(body["data"]["actor"]["login"], "admin");
    // A completed checklist reopened is open again.
    company.ok(&["--as", "admin", "checklist", "reopen", "jdoe", "6"]);
    assert_eq!(
        company.json(&["--as", "hr", "checklist", "show", "jdoe", "--json"])["state"],
        "open"
    );
    company.ok(&["--as", "hr", "hire", "jdoe"]);
    let c = company.json(&["--as", "hr", "checklist", "show", "jdoe", "--json"]);
    assert_eq!(c["state"], "canceled");
    assert_eq!(c["steps"][5]["state"], "canceled");
    assert_eq!(c["steps"][0]["state"], "done", "what was done stays done");
    let err = refused(&company, &["--as", "hr", "checklist", "done", "jdoe", "6"]);
    assert!(err.contains("canceled"), "{err}");
    let audit = company.ok(&["--as", "admin", "audit", "--limit", "500"]);
    for action in [
        "checklist.step_done",
        "checklist.step_reopen",
        "checklist.complete",
    ] {
        assert!(audit.contains(action), "{action} audited");
    }
    // An ordinary employee who owns no step sees nothing of it.
    refused(&company, &["--as", "tlang", "checklist", "show", "jdoe"]);
}

#[test]
fn a_refused_dismissal_starts_no_checklist_and_writes_no_event() {
    let mut env = common::demo();
    let hr = common::actor(&env.dir, "hr");
    let jdoe = common::actor(&env.dir, "jdoe");
    let before = common::snapshot(&env.dir);
    common::refused(env.dir.dismiss(jdoe, "amehta", &DismissRequest::default()));
    // amehta owns an active integration: no choice, no dismissal.
    common::refused(env.dir.dismiss(hr, "amehta", &DismissRequest::default()));
    let named = DismissRequest {
        checklist: ChecklistChoice::Named("Missing".into()),
        ..Default::default()
    };
    assert!(env.dir.dismiss(hr, "jdoe", &named).is_err());
    common::assert_unchanged(&before, &env.dir, "refused dismissals");
    // The same dismissal, allowed: checklist and event in one commit.
    let outcome = env
        .dir
        .dismiss(hr, "jdoe", &DismissRequest::default())
        .expect("dismiss");
    assert_eq!(outcome.checklist.as_deref(), Some("Standard offboarding"));
    assert_eq!(
        common::count(&env.dir, "checklists"),
        before["checklists"].len() as i64 + 1
    );
}

#[test]
fn scheduled_and_bulk_dismissals_start_their_checklists_when_applied() {
    let mut env = common::demo();
    let admin = common::actor(&env.dir, "admin");
    let hr = common::actor(&env.dir, "hr");
    env.dir
        .add_checklist_template(
            admin,
            "Contractors",
            &["5|head|Collect the access card"
                .parse::<StepSpec>()
                .unwrap()],
            false,
        )
        .expect("template");
    let today = env.dir.now().date_naive();
    let on = today + chrono::Days::new(10);
    let req = DismissRequest {
        checklist: ChecklistChoice::Named("Contractors".into()),
        ..Default::default()
    };
    env.dir
        .schedule_dismissal(hr, "jdoe", &req, on)
        .expect("schedule");
    let jdoe = common::actor(&env.dir, "hr");
    assert!(
        env.dir.checklist(jdoe, "jdoe").unwrap().is_none(),
        "not before the day"
    );
    // The day comes.
    let later = chrono::Utc::now() + chrono::Duration::days(11);
    env.dir.set_clock(Some(later));
    env.dir.apply_due().expect("apply");
    let c = env
        .dir
        .checklist(hr, "jdoe")
        .unwrap()
        .expect("started when applied");
    assert_eq!(c.template, "Contractors");
    assert_eq!(
        c.steps[0].due_on,
        on + chrono::Days::new(5),
        "due from the leaving date"
    );
    assert_eq!(c.steps[0].owner.as_deref(), Some("dferreira"));
    assert_eq!(c.steps[0].owner_role, OwnerRole::DepartmentHead);
    // Bulk: each dismissal starts its own.
    let plan = env
        .dir
        .plan_bulk_dismiss(
            hr,
            &["goneill".into(), "smoreno".into()],
            DismissRequest::default(),
        )
        .expect("plan");
    let done = env.dir.apply_bulk(hr, &plan);
    assert!(done.iter().all(|r| r.outcome.is_ok()), "{done:?}");
    for login in ["goneill", "smoreno"] {
        let c = env.dir.checklist(hr, login).unwrap().expect("a checklist");
        assert_eq!(c.template, "Standard offboarding");
        assert_eq!(c.state, ChecklistState::Open);
    }
}

#[test]
fn open_steps_come_overdue_first_and_the_demo_leavers_are_overdue() {
    let company = Company::demo();
    company.ok(&["--as", "hr", "dismiss", "jdoe"]);
    let open = company.json(&["--as", "hr", "checklist", "open", "--json"]);
    let open = open.as_array().unwrap();
    // The demo's two leavers left weeks ago: their steps are overdue and come first.
    let first_fresh = open
        .iter()
        .position(|s| s["overdue"] == false)
        .expect("jdoe's steps");
    assert!(first_fresh > 0, "overdue steps first");
    assert!(open[..first_fresh].iter().all(|s| s["overdue"] == true));
    assert!(open[first_fresh..].iter().all(|s| s["overdue"] == false));
    assert!(open[..first_fresh].iter().any(|s| s["login"] == "lbrandt"));
    let dues: Vec<&str> = open[..first_fresh]
        .iter()
        .map(|s| s["due_on"].as_str().unwrap())
        .collect();
    assert!(
        dues.windows(2).all(|w| w[0] <= w[1]),
        "by due date: {dues:?}"
    );
    // dferreira sees only the steps they own.
    let mine = company.json(&["--as", "dferreira", "checklist", "open", "--json"]);
    assert!(!mine.as_array().unwrap().is_empty());
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|s| s["owner"] == "dferreira")
    );
    // The limit counts their own steps: ydemir's, due first, are not his.
    let first = company.json(&[
        "--as",
        "dferreira",
        "checklist",
        "open",
        "--limit",
        "1",
        "--json",
    ]);
    assert_eq!(first, Value::Array(vec![mine[0].clone()]));
    let text = company.ok(&["--as", "hr", "checklist", "open"]);
    assert!(text.contains("OVERDUE"), "{text}");
    let _ = StepState::Open;
}

#[test]
fn templates_are_for_administrators_and_steps_must_be_well_formed() {
    let company = Company::demo();
    let err = refused(
        &company,
        &[
            "--as",
            "hr",
            "checklist",
            "add-template",
            "X",
            "--step",
            "0|hr|T",
        ],
    );
    assert!(err.contains("administrators"), "{err}");
    for bad in ["0|hr", "x|hr|T", "999|hr|T", "0|hr|"] {
        let o = company.run(&[
            "--as",
            "admin",
            "checklist",
            "add-template",
            "X",
            "--step",
            bad,
        ]);
        assert_eq!(o.code, 2, "{bad}: {o:?}");
    }
    let o = company.run(&[
        "--as",
        "admin",
        "checklist",
        "add-template",
        "X",
        "--step",
        "0|nobody.here|T",
    ]);
    assert_eq!(o.code, 3, "an unknown owner login: {o:?}");
    let o = company.run(&[
        "--as",
        "admin",
        "checklist",
        "add-template",
        "none",
        "--step",
        "0|hr|T",
    ]);
    assert_eq!(o.code, 2, "{o:?}");
    let o = company.run(&[
        "--as",
        "admin",
        "checklist",
        "add-template",
        "standard OFFBOARDING",
        "--step",
        "0|hr|T",
    ]);
    assert_eq!(o.code, 3, "names are unique without case: {o:?}");
}

#[test]
fn the_handover_backlog_counts_overdue_steps() {
    let mut env = common::demo();
    let hr = common::actor(&env.dir, "hr");
    // jdoe left 40 days ago and handed everything over: only the checklist is left.
    env.dir
        .set_clock(Some(chrono::Utc::now() - chrono::Duration::days(40)));
    env.dir
        .dismiss_with_handover(
            hr,
            "jdoe",
            &DismissRequest::default(),
            "hr",
            offboard::domain::WorkKinds::ALL,
        )
        .expect("dismiss with handover");
    env.dir.set_clock(None);
    let query = offboard::directory::ListQuery {
        still_owns: true,
        limit: 1000,
        ..Default::default()
    };
    let rows = env.dir.list(hr, &query).expect("backlog").rows;
    let jdoe = rows
        .iter()
        .find(|r| r.employee.login == "jdoe")
        .expect("jdoe is in the backlog for the overdue steps alone");
    assert_eq!(jdoe.owned.unwrap_or_default().total(), 0);
    assert_eq!(jdoe.overdue_steps, Some(6));
    // Ticking every step done takes them out of it.
    for step in 1..=6 {
        env.dir
            .checklist_step(hr, "jdoe", step, true)
            .expect("done");
    }
    let rows = env.dir.list(hr, &query).expect("backlog").rows;
    assert!(rows.iter().all(|r| r.employee.login != "jdoe"));
}
