//! Ticking offboarding steps in the TUI, on a real database: Space on a step of the
//! profile's Offboarding section ticks it done (or reopens it), with who and when; the
//! Offboarding pane lists the open steps across the company, overdue first, narrows
//! them to one's own, ticks and reopens from there and opens the leaver's profile.
//! Whoever may not change a step is refused by the same rule as the command line, and
//! nothing changes. The screen follows changes made elsewhere.

mod tui_support;

use chrono::{DateTime, Utc};
use offboard::directory::{ChecklistStep, StepFilter};
use offboard::domain::StepState;
use offboard::tui::keymap::Mode;
use offboard::tui::{Action, Pane, Session};
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

/// The day the tests are run on: lbrandt left on 2026-10-16 and ydemir on 2026-09-30,
/// so some of their steps are overdue and some are not yet due.
fn today() -> DateTime<Utc> {
    "2026-10-20T09:00:00Z".parse().unwrap()
}

/// A session signed in as `login`, its clock on `today()`, at `w`×`h`.
fn session_at(d: &Demo, login: &str, w: u16, h: u16) -> Session {
    let mut s = d.session_sized(login, w, h);
    s.exec.dir.set_clock(Some(today()));
    s.dispatch(Action::ExternalChange);
    s
}

fn open_profile(s: &mut Session, login: &str, name: &str) {
    s.press(KeyCode::Char('/'));
    s.type_text(login);
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    assert_eq!(s.app.mode(), Mode::Profile, "{}", screen(s));
    assert_on_screen(&screen_sized(s, 100, 40), &format!("Profile: {name}"));
}

/// Step `n` of `login`'s checklist as the database has it.
fn step_in_db(d: &Demo, login: &str, n: i64) -> ChecklistStep {
    let (dir, admin) = d.admin();
    let list = dir
        .checklist(admin, login)
        .expect("read")
        .expect("a checklist");
    list.steps
        .into_iter()
        .find(|s| s.number == n)
        .expect("the step")
}

/// The last audit event written: (actor, action, target, details). By id: the
/// session's clock is pinned before the day the demo was made.
fn last_audit(d: &Demo) -> (String, String, Option<String>, serde_json::Value) {
    let (dir, admin) = d.admin();
    let ev = dir
        .audit(admin, None, 0, 1000)
        .expect("audit")
        .into_iter()
        .max_by_key(|ev| ev.id)
        .expect("an event");
    (ev.actor, ev.action, ev.target, ev.details)
}

#[test]
fn space_on_a_profile_step_ticks_it_done_with_who_and_when_and_again_reopens_it() {
    let d = demo();
    let mut s = session_at(&d, "hr", 100, 40);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    assert!(
        status_bar(&s).contains("Space tick"),
        "the key is offered: {}",
        status_bar(&s)
    );
    // Down to step 3 (company-structure staff's), then Space.
    s.press(KeyCode::Down);
    s.press(KeyCode::Down);
    s.press(KeyCode::Char(' '));
    let step = step_in_db(&d, "lbrandt", 3);
    assert_eq!(step.state, StepState::Done);
    assert_eq!(step.done_by.as_deref(), Some("hr"));
    assert_eq!(step.done_at, Some(today()));
    let (actor, action, target, details) = last_audit(&d);
    assert_eq!(
        (actor.as_str(), action.as_str(), target.as_deref()),
        ("hr", "checklist.step_done", Some("lbrandt"))
    );
    assert_eq!(details["step"], 3);
    // The screen shows it at once: the count, the tick, who and when, and the news.
    let sc = screen_sized(&s, 100, 40);
    assert_on_screen(
        &sc,
        "Offboarding: Standard offboarding (open, 1 of 6 done, 3 overdue)",
    );
    assert_on_screen(
        &sc,
        "[x] 2026-10-17 done     3. Tell payroll the leaving date and final pay · company-structure staff",
    );
    assert_on_screen(
        &sc,
        "\n│                          done by hr 2026-10-20 09:00",
    );
    assert_eq!(
        s.app.status.as_deref(),
        Some(
            "Done: step 3 \"Tell payroll the leaving date and final pay\" of the checklist of Lukas Brandt (lbrandt); 5 open, checklist open."
        )
    );
    assert_on_screen(&status_bar(&s), "Done: step 3 \"Tell payroll");
    // Space again reopens it, and the audit says so.
    s.press(KeyCode::Char(' '));
    let step = step_in_db(&d, "lbrandt", 3);
    assert_eq!(step.state, StepState::Open);
    assert_eq!((step.done_by, step.done_at), (None, None));
    let (actor, action, target, _) = last_audit(&d);
    assert_eq!(
        (actor.as_str(), action.as_str(), target.as_deref()),
        ("hr", "checklist.step_reopen", Some("lbrandt"))
    );
    let sc = screen_sized(&s, 100, 40);
    assert_on_screen(&sc, "(open, 0 of 6 done, 4 overdue)");
    assert_on_screen(&sc, "[ ] 2026-10-17 OVERDUE  3. Tell payroll");
    assert_on_screen(&sc, "Reopened: step 3");
}

#[test]
fn the_last_step_ticked_in_the_profile_completes_the_checklist() {
    let d = demo();
    let mut s = session_at(&d, "admin", 100, 40);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    for _ in 0..6 {
        s.press(KeyCode::Char(' '));
        s.press(KeyCode::Down);
    }
    let sc = screen_sized(&s, 100, 40);
    assert_on_screen(
        &sc,
        "Offboarding: Standard offboarding (completed, 6 of 6 done)",
    );
    let (dir, admin) = d.admin();
    let list = dir.checklist(admin, "lbrandt").unwrap().unwrap();
    assert_eq!(list.state, offboard::domain::ChecklistState::Completed);
    assert_eq!(last_audit(&d).1, "checklist.complete");
}

#[test]
fn an_owner_ticks_their_own_step_and_is_refused_the_others_with_nothing_changed() {
    let d = demo();
    // dferreira heads Sales: steps 1 and 4 of lbrandt's checklist are his, the rest
    // belong to administrators and company-structure staff.
    let mut s = session_at(&d, "dferreira", 100, 40);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    assert!(status_bar(&s).contains("Space tick"), "{}", status_bar(&s));
    s.press(KeyCode::Down);
    // Step 2 is the administrators': greyed, not offered, and refused with the rule.
    let term = terminal_for(&s, 100, 40);
    let cell = cell_of(&term, "[ ] 2026-10-17 OVERDUE  3.");
    assert!(
        has_style(&cell, s.app.theme.greyed),
        "a step he may not change is greyed"
    );
    assert!(!status_bar(&s).contains("Space tick"), "{}", status_bar(&s));
    let (dir, _) = d.admin();
    let before = fingerprint(&dir);
    s.press(KeyCode::Char(' '));
    assert_on_screen(
        &status_bar(&s),
        "dferreira may not change step 2: it is administrators's, or company-structure access",
    );
    assert_unchanged(&before, &dir, "a refused tick");
    // Step 1 is his: ticked done, by him.
    s.press(KeyCode::Up);
    s.press(KeyCode::Char(' '));
    let step = step_in_db(&d, "lbrandt", 1);
    assert_eq!(step.state, StepState::Done);
    assert_eq!(step.done_by.as_deref(), Some("dferreira"));
    assert_eq!(last_audit(&d).0, "dferreira");
}

#[test]
fn a_canceled_checklist_is_greyed_and_its_steps_no_longer_change() {
    let d = demo();
    {
        let (mut dir, admin) = d.admin();
        dir.hire(admin, "lbrandt", false).expect("rehire");
    }
    let mut s = session_at(&d, "hr", 100, 40);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    assert_on_screen(&screen_sized(&s, 100, 40), "(canceled, 0 of 6 done");
    assert!(!status_bar(&s).contains("Space tick"), "{}", status_bar(&s));
    let (dir, _) = d.admin();
    let before = fingerprint(&dir);
    s.press(KeyCode::Char(' '));
    assert_on_screen(
        &status_bar(&s),
        "lbrandt's checklist is canceled: its steps no longer change",
    );
    assert_unchanged(&before, &dir, "a tick on a canceled checklist");
}

/// The Offboarding pane's rows as (leaver, step number, due date, overdue).
fn pane_rows(s: &Session) -> Vec<(String, i64, String, bool)> {
    s.app
        .offboarding
        .page
        .rows
        .iter()
        .map(|r| {
            (
                r.login.clone(),
                r.step.number,
                r.step.due_on.to_string(),
                r.step.overdue,
            )
        })
        .collect()
}

#[test]
fn the_offboarding_pane_lists_open_steps_overdue_first_then_by_due_date() {
    let d = demo();
    let mut s = session_at(&d, "hr", 100, 30);
    s.press(KeyCode::Char('5'));
    assert_eq!(s.app.pane, Pane::Offboarding);
    assert_eq!(s.app.mode(), Mode::Offboarding);
    let rows = pane_rows(&s);
    // ydemir left after lbrandt's checklist was made, yet her overdue steps, due
    // earlier, come first; the steps not yet due come last, by due date.
    assert_eq!(
        rows.iter()
            .map(|(l, n, due, late)| format!("{l} {n} {due} {late}"))
            .collect::<Vec<_>>(),
        [
            "ydemir 1 2026-09-30 true",
            "ydemir 2 2026-09-30 true",
            "ydemir 3 2026-10-01 true",
            "ydemir 4 2026-10-03 true",
            "ydemir 5 2026-10-07 true",
            "lbrandt 1 2026-10-16 true",
            "lbrandt 2 2026-10-16 true",
            "lbrandt 3 2026-10-17 true",
            "lbrandt 4 2026-10-19 true",
            "lbrandt 5 2026-10-23 false",
            "ydemir 6 2026-10-30 false",
            "lbrandt 6 2026-11-15 false",
        ]
    );
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "Offboarding · open steps (12) · everyone's · 9 overdue",
    );
    assert_on_screen(&sc, "Leaver");
    let term = terminal_for(&s, WIDTH, HEIGHT);
    // The selected row is the first; an overdue one below it is in the error colour,
    // one not yet due is plain.
    assert!(has_style(
        &cell_of(&term, "Yusuf Demir (ydemir)"),
        s.app.theme.selected
    ));
    let overdue = cell_of(&term, "4. Hand over meetings");
    assert!(has_style(&overdue, s.app.theme.error), "{overdue:?}");
    let later = cell_of(&term, "6. Archive the mailbox");
    assert!(!has_style(&later, s.app.theme.error), "{later:?}");
}

#[test]
fn the_pane_ticks_a_step_done_and_reopens_it_from_the_done_steps() {
    let d = demo();
    let mut s = session_at(&d, "hr", 100, 30);
    s.press(KeyCode::Char('5'));
    // The first row: ydemir's step 1.
    s.press(KeyCode::Char(' '));
    let step = step_in_db(&d, "ydemir", 1);
    assert_eq!(step.state, StepState::Done);
    assert_eq!(step.done_by.as_deref(), Some("hr"));
    assert_eq!(last_audit(&d).1, "checklist.step_done");
    // It leaves the open steps; the selection stays on the first row.
    assert_eq!(s.app.offboarding.page.total, 11);
    assert_eq!(pane_rows(&s)[0].0, "ydemir");
    assert_eq!(pane_rows(&s)[0].1, 2);
    assert_on_screen(
        &screen(&s),
        "Done: step 1 \"Collect the laptop, badge and keys\" of the checklist of Yusuf Demir",
    );
    // `f`: the steps done, newest first, with who ticked them and when.
    s.press(KeyCode::Char('f'));
    assert_eq!(s.app.offboarding.filter, StepFilter::Done);
    let sc = screen(&s);
    assert_on_screen(&sc, "Offboarding · steps done (1) · everyone's");
    assert_on_screen(&sc, "done by hr 2026-10-20 09:00");
    // Space there reopens it.
    s.press(KeyCode::Char(' '));
    assert_eq!(step_in_db(&d, "ydemir", 1).state, StepState::Open);
    assert_eq!(last_audit(&d).1, "checklist.step_reopen");
    assert_on_screen(&screen(&s), "No step is ticked done.");
    s.press(KeyCode::Char('f'));
    assert_eq!(s.app.offboarding.page.total, 12);
}

#[test]
fn enter_opens_the_leavers_profile_and_esc_comes_back_to_the_pane() {
    let d = demo();
    let mut s = session_at(&d, "hr", 100, 30);
    s.press(KeyCode::Char('5'));
    s.press(KeyCode::End);
    assert_eq!(pane_rows(&s).last().unwrap().0, "lbrandt");
    s.press(KeyCode::Enter);
    assert_eq!(s.app.mode(), Mode::Profile);
    assert_on_screen(&screen(&s), "Profile: Lukas Brandt");
    s.press(KeyCode::Esc);
    assert_eq!(s.app.mode(), Mode::Offboarding);
    assert_on_screen(&screen(&s), "Offboarding · open steps (12)");
}

#[test]
fn mine_only_narrows_staff_to_their_steps_and_others_only_ever_see_theirs() {
    let d = demo();
    // hr has company-structure access: company-structure staff's steps are hers.
    let mut s = session_at(&d, "hr", 100, 30);
    s.press(KeyCode::Char('5'));
    assert!(
        status_bar(&s).contains("m mine / everyone's"),
        "{}",
        status_bar(&s)
    );
    s.press(KeyCode::Char('m'));
    let owners: Vec<String> = s
        .app
        .offboarding
        .page
        .rows
        .iter()
        .map(|r| r.step.owner_label())
        .collect();
    assert_eq!(owners.len(), 4, "{owners:?}");
    assert!(
        owners.iter().all(|o| o == "company-structure staff"),
        "{owners:?}"
    );
    assert_on_screen(&screen(&s), "Offboarding · open steps (4) · yours");
    s.press(KeyCode::Char('m'));
    assert_eq!(s.app.offboarding.page.total, 12);

    // dferreira, no staff: only the steps he owns as lbrandt's department head.
    let mut s = session_at(&d, "dferreira", 100, 30);
    s.press(KeyCode::Char('5'));
    let rows = pane_rows(&s);
    assert_eq!(
        rows.iter().map(|r| (r.0.as_str(), r.1)).collect::<Vec<_>>(),
        [("lbrandt", 1), ("lbrandt", 4)]
    );
    assert_on_screen(&screen(&s), "Offboarding · open steps (2) · yours");
    assert!(!status_bar(&s).contains("m mine"), "{}", status_bar(&s));
    s.press(KeyCode::Char('m'));
    assert_on_screen(&status_bar(&s), "You see only your own steps");
    s.press(KeyCode::Char(' '));
    assert_eq!(
        step_in_db(&d, "lbrandt", 1).done_by.as_deref(),
        Some("dferreira")
    );

    // jdoe owns no step: none listed, nothing offered to tick.
    let mut s = session_at(&d, "jdoe", 100, 30);
    s.press(KeyCode::Char('5'));
    assert_on_screen(&screen(&s), "No open offboarding steps of yours.");
    assert!(!status_bar(&s).contains("tick"), "{}", status_bar(&s));
}

#[test]
fn the_pane_follows_a_step_ticked_by_another_session() {
    let d = demo();
    let mut s = session_at(&d, "hr", 100, 30);
    s.press(KeyCode::Char('5'));
    assert_eq!(s.app.offboarding.page.total, 12);
    {
        let (mut dir, admin) = d.admin();
        dir.checklist_step(admin, "lbrandt", 2, true).expect("done");
    }
    // The watcher's poll sees another process's change and reloads what is on screen.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.app.offboarding.page.total != 11 {
        assert!(
            std::time::Instant::now() < deadline,
            "the pane never followed:\n{}",
            screen(&s)
        );
        s.poll();
    }
    assert_on_screen(&screen(&s), "Offboarding · open steps (11)");
    assert!(!pane_rows(&s).contains(&("lbrandt".into(), 2, "2026-10-16".into(), true)));
}

#[test]
fn many_steps_are_paged_and_the_selection_stays_in_view() {
    let d = demo();
    {
        // 30 more leavers, each with the six steps of the default checklist.
        let (mut dir, admin) = d.admin();
        dir.set_clock(Some(today()));
        let page = dir
            .list(
                admin,
                &offboard::directory::ListQuery {
                    limit: 200,
                    ..Default::default()
                },
            )
            .expect("list");
        let mut n = 0;
        for row in page.rows {
            let e = row.employee;
            if n == 30 || e.is_admin || e.structure_access || row.active_integrations > 0 {
                continue;
            }
            if dir.dismiss(admin, &e.login, &Default::default()).is_ok() {
                n += 1;
            }
        }
        assert_eq!(n, 30);
    }
    let mut s = session_at(&d, "hr", 100, 30);
    s.press(KeyCode::Char('5'));
    let total = s.app.offboarding.page.total;
    assert!(total >= 12 + 30 * 6, "{total}");
    // Only a screenful is loaded.
    assert_eq!(
        s.app.offboarding.page.rows.len() as i64,
        s.app.list_height()
    );
    s.press(KeyCode::End);
    let sc = screen(&s);
    assert_on_screen(&sc, &format!("{total}/{total}"));
    assert_eq!(
        s.app
            .offboarding
            .selected_row()
            .map(|r| r.step.due_on.to_string()),
        Some("2026-11-19".to_string()),
        "the last row is the latest due: 30 days after today's leavers"
    );
    s.press(KeyCode::PageUp);
    s.press(KeyCode::Home);
    assert_on_screen(&screen(&s), &format!("1/{total}"));
    assert_eq!(pane_rows(&s)[0].0, "ydemir");
}

/// The plan SQLite makes for `sql` (with `params`), one line per step, those inside a
/// subquery indented.
fn plan_of(dir: &offboard::Directory, sql: &str, params: impl rusqlite::Params) -> String {
    let mut st = dir
        .connection()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain");
    let plan: Vec<String> = st
        .query_map(params, |r| {
            let parent: i64 = r.get(1)?;
            let detail: String = r.get(3)?;
            Ok(if parent == 0 {
                detail
            } else {
                format!("  {detail}")
            })
        })
        .expect("plan")
        .collect::<rusqlite::Result<_>>()
        .expect("plan");
    plan.join("\n")
}

#[test]
fn a_page_of_steps_and_its_count_read_an_index_never_the_whole_table() {
    use offboard::store::queries::{StepOwners, steps_count_sql, steps_page_sql};
    let d = demo();
    let dir = d.open();
    let hr = StepOwners {
        me: Some(offboard::domain::EmployeeId(3)),
        structure: true,
        admin: false,
    };
    let jdoe = StepOwners {
        me: Some(offboard::domain::EmployeeId(5)),
        structure: false,
        admin: false,
    };
    for filter in [StepFilter::Open, StepFilter::Done] {
        for (who, owners) in [
            ("everyone", StepOwners::ALL),
            ("hr's", hr),
            ("jdoe's", jdoe),
        ] {
            let index = match (filter, who) {
                (StepFilter::Open, "jdoe's") => "checklist_steps_owner_open",
                (StepFilter::Open, _) => "checklist_steps_open",
                (StepFilter::Done, _) => "checklist_steps_done",
            };
            let page = plan_of(
                &dir,
                &steps_page_sql(filter, owners),
                rusqlite::params![owners.me, owners.structure, owners.admin, 20, 0],
            );
            let count = plan_of(
                &dir,
                &steps_count_sql(filter, owners),
                rusqlite::params![owners.me, owners.structure, owners.admin, "2026-10-20"],
            );
            for (what, plan) in [("page", page), ("count", count)] {
                let what = format!("{filter:?} {who} {what}");
                // The steps are found through a partial index, in its order (a SCAN of
                // the index walks only the open or done steps; a page stops at its end).
                assert!(
                    plan.contains(&format!("s USING INDEX {index}"))
                        || plan.contains(&format!("s USING COVERING INDEX {index}")),
                    "{what}:\n{plan}"
                );
                // Nothing is sorted but the page found (the top level's few rows).
                assert!(!plan.contains("  USE TEMP B-TREE"), "{what} sorts:\n{plan}");
                // No table is read whole: only an index, or the page found ("p").
                assert!(
                    plan.lines()
                        .map(str::trim)
                        .all(|l| !l.starts_with("SCAN") || l.contains("INDEX") || l == "SCAN p"),
                    "{what} scans a table:\n{plan}"
                );
            }
        }
    }
}

#[test]
fn the_smallest_window_keeps_the_news_and_the_selected_step_in_view() {
    let d = demo();
    let mut s = session_at(&d, "hr", 60, 16);
    s.press(KeyCode::Char('5'));
    let sc = screen_sized(&s, 60, 16);
    assert_on_screen(&sc, "Offboarding · open steps (12)");
    assert_on_screen(&sc, "│f steps done   m mine only");
    assert_on_screen(&sc, "2026-09-30 OVERDUE");
    assert_on_screen(&sc, "1. Collect");
    // The profile's Overview scrolls to the selected step: the last one, far below the
    // window's bottom, is drawn, selected.
    let mut s = session_at(&d, "hr", 60, 16);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    for _ in 0..5 {
        s.press(KeyCode::Down);
    }
    let term = terminal_for(&s, 60, 16);
    let cell = cell_of(&term, "[ ] 2026-11-15 open     6. Archive");
    assert!(has_style(&cell, s.app.theme.selected), "{cell:?}");
    s.press(KeyCode::Char(' '));
    assert_eq!(step_in_db(&d, "lbrandt", 6).state, StepState::Done);
    // Ticked, the step shows who did it under it, still in view.
    assert_on_screen(&screen_sized(&s, 60, 16), "done by hr 2026-10-20 09:00");
}
