//! The TUI's parts of issue 16 on a real database: the profile's Offboarding section
//! (the checklist with owners, due dates and overdue steps) and the event hooks in
//! Settings, a failing one marked.

mod tui_support;

use offboard::domain::DeliveryState;
use offboard::tui::Session;
use offboard::tui::keymap::Mode;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn open_profile(s: &mut Session, login: &str, name: &str) {
    s.press(KeyCode::Char('/'));
    s.type_text(login);
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    assert_eq!(s.app.mode(), Mode::Profile, "{}", screen(s));
    assert_on_screen(&screen(s), &format!("Profile: {name}"));
}

#[test]
fn the_profile_shows_the_offboarding_checklist_to_staff_with_overdue_steps_marked() {
    let d = demo();
    let mut s = d.session_sized("hr", 100, 40);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    let sc = screen_sized(&s, 100, 40);
    assert_on_screen(
        &sc,
        "Offboarding: Standard offboarding (open, 0 of 6 done, 6 overdue)",
    );
    assert_on_screen(
        &sc,
        "[ ] 2026-10-16 OVERDUE  1. Collect the laptop, badge and keys · department head dferreira",
    );
    // Ticked done through the directory (another session): the profile shows it
    // when opened again.
    let (mut dir, admin) = d.admin();
    dir.checklist_step(admin, "lbrandt", 1, true).expect("done");
    let mut s = d.session_sized("hr", 100, 40);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    let sc = screen_sized(&s, 100, 40);
    assert_on_screen(&sc, "(open, 1 of 6 done, 5 overdue)");
    assert_on_screen(&sc, "[x] 2026-10-16 done     1. Collect the laptop");
    // An ordinary employee who owns none of its steps does not see it.
    let mut s = d.session_sized("jdoe", 100, 40);
    open_profile(&mut s, "lbrandt", "Lukas Brandt");
    assert_not_on_screen(&screen_sized(&s, 100, 40), "Offboarding:");
}

#[test]
fn settings_list_the_event_hooks_and_mark_a_failing_one() {
    let d = demo();
    let (mut dir, admin) = d.admin();
    dir.create_hook(admin, "http://127.0.0.1:9/ok", &[])
        .expect("hook");
    let failing = dir
        .create_hook(
            admin,
            "http://127.0.0.1:9/down",
            &[offboard::domain::EventType::EmployeeDismissed],
        )
        .expect("hook");
    let hr = offboard::Actor::user(dir.employee("hr").unwrap().id);
    dir.dismiss(hr, "jdoe", &Default::default())
        .expect("dismiss");
    // What the deliverer records when retries of the event ran out.
    let work = dir
        .delivery_work(failing.hook.id)
        .expect("work")
        .expect("an event waits");
    dir.record_delivery(
        &work,
        chrono::Utc::now(),
        DeliveryState::Failed,
        Some(503),
        Some("answered 503 Service Unavailable"),
        None,
    )
    .expect("record");
    let mut s = d.session("admin");
    s.press(KeyCode::Char('4'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Event hooks (delivered by offboard serve)");
    assert_on_screen(
        &sc,
        "#1 http://127.0.0.1:9/ok · all events · active · 1 waiting",
    );
    assert_on_screen(
        &sc,
        "#2 http://127.0.0.1:9/down · employee.dismissed · FAILING since",
    );
    assert_on_screen(&sc, "FAILING since");
    assert_on_screen(
        &sc,
        "answered 503 Service Unavailable (offboard hook enable 2 resumes it)",
    );
    let term = terminal_for(&s, WIDTH, HEIGHT);
    let cell = cell_of(&term, "FAILING since");
    assert!(
        has_style(&cell, s.app.theme.error),
        "a failing hook is drawn as an error"
    );
    // Staff who are not administrators see no Settings at all.
    let mut s = d.session("hr");
    s.press(KeyCode::Char('4'));
    assert_not_on_screen(&screen(&s), "Event hooks");
}

#[test]
fn the_dismiss_dialog_picks_the_checklist_the_dismissal_starts() {
    use offboard::tui::dialogs::Dialog;
    use offboard::tui::dialogs::dismiss::DismissFocus;
    let d = demo();
    {
        let (mut dir, admin) = d.admin();
        dir.add_checklist_template(
            admin,
            "Short",
            &["0|hr|Take back the badge".parse().unwrap()],
            false,
        )
        .expect("template");
    }
    let mut s = d.session("hr");
    s.press(KeyCode::Char('/'));
    s.type_text("elarsen");
    s.press(KeyCode::Enter);
    s.type_text("md");
    assert_on_screen(&screen(&s), "Checklist ‹ Standard offboarding (default) ›");
    // Tab until the checklist field has the focus, then → picks the next template.
    for _ in 0..8 {
        if matches!(s.app.dialog(), Some(Dialog::Dismiss(x)) if x.focus == DismissFocus::Checklist)
        {
            break;
        }
        s.press(KeyCode::Tab);
    }
    s.press(KeyCode::Right);
    assert_on_screen(&screen(&s), "Checklist ‹ Short ›");
    s.press(KeyCode::Right);
    assert_on_screen(&screen(&s), "Checklist ‹ none ›");
    s.press(KeyCode::Left);
    s.press(KeyCode::Char('y'));
    let (dir, admin) = d.admin();
    let c = dir
        .checklist(admin, "elarsen")
        .expect("read")
        .expect("a checklist");
    assert_eq!(c.template, "Short");
    assert_eq!(c.steps[0].owner.as_deref(), Some("hr"));
}
