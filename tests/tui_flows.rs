//! Flows through the terminal UI on a real temporary database: key presses go in through
//! the same path as the terminal's events (`Session::press` → keymap → update → effect →
//! directory), and each test checks both the database, through a second connection, and
//! the screen drawn on a `TestBackend`.

mod tui_support;

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use offboard::directory::DismissRequest;
use offboard::domain::{IntegrationChoice, IntegrationStatus, Kind, Reason, Status};
use offboard::tui::dialogs::Dialog;
use offboard::tui::keymap::Mode;
use offboard::tui::{EventSource, Session, main_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use tui_support::*;

fn ctrl_c() -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

/// Search the employee list for `text` and leave the search field (the filter stays).
fn search(s: &mut Session, text: &str) {
    s.press(KeyCode::Char('/'));
    assert_eq!(s.app.mode(), Mode::EmployeesSearch, "/ focuses the search");
    s.type_text(text);
    s.press(KeyCode::Enter);
    assert_eq!(
        s.app.mode(),
        Mode::Employees,
        "Enter leaves the search field"
    );
}

/// The status line as the user sees it (the last row of the screen).
fn status_of(s: &Session) -> String {
    status_bar(s)
}

fn integration_owner(d: &Demo, title: &str) -> (String, IntegrationStatus) {
    let (dir, admin) = d.admin();
    let i = dir
        .integrations(admin)
        .expect("integrations")
        .into_iter()
        .find(|i| i.title == title)
        .unwrap_or_else(|| panic!("no integration {title:?}"));
    (i.owner, i.status)
}

fn status_in_db(d: &Demo, login: &str) -> Status {
    d.open().employee(login).expect("employee").status
}

fn url_in_message(s: &Session) -> String {
    match s.app.dialog() {
        Some(Dialog::Message(m)) => m
            .lines
            .iter()
            .find(|l| l.contains("/rest/"))
            .cloned()
            .unwrap_or_else(|| panic!("no URL in the message: {:?}", m.lines)),
        other => panic!("expected the URL dialog, got {other:?}"),
    }
}

// ------------------------------------------------------------------ dismissal

#[test]
fn dismiss_from_the_list_cancel_first_then_keep() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "amehta");
    let sc = screen(&s);
    assert_on_screen(&sc, "Arjun Mehta");
    assert_on_screen(&sc, "Employees (1)");

    let before = fingerprint(&d.open());
    s.press(KeyCode::Char('m'));
    assert_on_screen(&screen(&s), "View profile");
    s.press(KeyCode::Char('d'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss Arjun Mehta (amehta)?");
    assert_on_screen(&sc, "#1 Website lead form → CRM  [crm]");
    assert_on_screen(&sc, "Keep integrations and dismiss (k)");
    assert_on_screen(&sc, "Disable integrations and dismiss (x)");
    assert_on_screen(&sc, "Cancel (n/Esc)");
    assert_on_screen(&sc, "keep working for anyone with the link");
    assert_on_screen(&sc, "they stop working at once");
    assert_eq!(focused_button(&s), "Cancel (n/Esc)", "Cancel is focused");
    assert_eq!(
        buttons_drawn(&sc).last().map(String::as_str),
        Some("Cancel (n/Esc)"),
        "Cancel is the last button:\n{sc}"
    );
    // Enter right away presses Cancel.
    s.press(KeyCode::Enter);
    assert!(
        s.app.dialog().is_none(),
        "Enter on Cancel closes the dialog"
    );
    assert_not_on_screen(&screen(&s), "Dismiss Arjun Mehta (amehta)?");
    assert_unchanged(&before, &d.open(), "Enter on a fresh dismiss dialog");
    assert_eq!(status_in_db(&d, "amehta"), Status::Active);

    // Esc and n cancel too.
    s.type_text("md");
    assert!(matches!(s.app.dialog(), Some(Dialog::Dismiss(_))));
    s.press(KeyCode::Esc);
    assert!(s.app.dialog().is_none());
    s.type_text("mdn");
    assert!(s.app.dialog().is_none());
    assert_unchanged(&before, &d.open(), "Esc / n in the dismiss dialog");

    s.type_text("mdk");
    assert!(
        s.app.dialog().is_none(),
        "the dialog closes after the change"
    );
    assert_eq!(status_in_db(&d, "amehta"), Status::Dismissed);
    let (owner, st) = integration_owner(&d, "Website lead form → CRM");
    assert_eq!(owner, "system.amehta");
    assert_eq!(
        st,
        IntegrationStatus::Active,
        "kept integrations keep working"
    );
    let dir = d.open();
    let sys = dir.employee("system.amehta").expect("system user");
    assert_eq!(sys.kind, Kind::System);

    let status = status_of(&s);
    assert!(
        status.contains("Dismissed Arjun Mehta (amehta); 1 integration moved to a system user"),
        "status line: {status}"
    );
    // Their exact login still finds them, now marked dismissed.
    let sc = screen(&s);
    let row = sc
        .lines()
        .find(|l| l.contains("Arjun Mehta") && l.contains("Marketing"))
        .unwrap_or_else(|| panic!("Arjun's row:\n{sc}"));
    assert!(row.contains("Dismissed"), "row: {row}");
}

#[test]
fn dismiss_from_the_profile_with_reason_and_note() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.press(KeyCode::Enter);
    let sc = screen(&s);
    assert_on_screen(&sc, "Profile: Emma Larsen");
    assert_eq!(s.app.mode(), Mode::Profile);

    s.press(KeyCode::Char('a'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Actions");
    assert_not_on_screen(&sc, "View profile");
    s.press(KeyCode::Char('d'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss Emma Larsen (elarsen)?");
    assert_on_screen(&sc, "Dismiss employee (y)");
    assert_on_screen(&sc, "Cancel (n/Esc)");
    assert_not_on_screen(&sc, "Keep integrations");
    assert_eq!(focused_button(&s), "Cancel (n/Esc)", "Cancel focused");
    assert_eq!(
        buttons_drawn(&sc).last().map(String::as_str),
        Some("Cancel (n/Esc)"),
        "Cancel is the last button:\n{sc}"
    );

    // Tab to the reason, → picks the first reason; Tab to the note and type it.
    s.press(KeyCode::Tab);
    let theme = &s.app.theme;
    let term = terminal_for(&s, WIDTH, HEIGHT);
    assert!(
        has_style(&cell_of(&term, "‹ none ›"), theme.field_focus),
        "the reason is focused:\n{}",
        buffer_text(&term)
    );
    assert!(
        focused_buttons_sized(&s, WIDTH, HEIGHT).is_empty(),
        "no button focused"
    );
    s.press(KeyCode::Right);
    assert_on_screen(&screen(&s), "‹ resigned ›");
    s.press(KeyCode::Tab);
    assert_eq!(
        s.app.mode(),
        Mode::DialogText,
        "the note field takes letters"
    );
    s.type_text("Moving to Oslo; handover done");
    assert_on_screen(&screen(&s), "Moving to Oslo; handover done");
    assert!(
        s.app.dialog().is_some(),
        "typing y/n in the note does not press buttons"
    );
    // Tab to the date field (empty: now), then back to the buttons.
    s.press(KeyCode::Tab);
    let theme = &s.app.theme;
    let term = terminal_for(&s, WIDTH, HEIGHT);
    assert!(
        has_style(&cell_of(&term, "When  "), theme.key)
            && has_style(&cell_of(&term, "Note  "), theme.dim),
        "the date field is focused, not the note:\n{}",
        buffer_text(&term)
    );
    s.press(KeyCode::Tab);
    assert_eq!(s.app.mode(), Mode::Dismiss);
    s.press(KeyCode::Char('y'));
    assert!(s.app.dialog().is_none());

    let (dir, admin) = d.admin();
    let p = dir.profile(admin, "elarsen").expect("profile");
    assert_eq!(p.employee.status, Status::Dismissed);
    let dep = p.departure.expect("a departure record");
    assert_eq!(dep.reason, Some(Reason::Resigned));
    assert_eq!(dep.note.as_deref(), Some("Moving to Oslo; handover done"));
    assert_eq!(dep.by, "hr");

    let sc = screen(&s);
    assert_on_screen(&sc, "Profile: Emma Larsen");
    assert_on_screen(&sc, "Dismissed on ");
    assert_on_screen(
        &sc,
        "by Laura Jensen (hr) · reason: resigned · Moving to Oslo; handover done",
    );
    let status = status_of(&s);
    assert!(status.contains("Dismissed Emma Larsen"), "status: {status}");
}

#[test]
fn reassign_first_inside_the_dismiss_dialog_then_dismiss() {
    // Issue 7: "Reassign first…" (r) hands the work over without leaving the flow, then
    // the dismiss dialog comes back with the new counts.
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    assert_on_screen(&screen(&s), "Reassign first… (r)");
    s.press(KeyCode::Char('r'));
    assert_on_screen(&screen(&s), "Reassign what Emma Larsen (elarsen) owns");
    assert_eq!(s.app.mode(), Mode::DialogText, "the caret is in To");
    s.type_text("Jane");
    s.press(KeyCode::Enter);
    assert_on_screen(&screen(&s), "→ Jane Doe (jdoe)");
    s.press(KeyCode::Char('y'));
    // Back in the dismiss dialog, which now says she owns nothing.
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss Emma Larsen (elarsen)?");
    assert_on_screen(
        &sc,
        "owns 0 open tasks, 0 CRM items, 0 files and 0 mailboxes",
    );
    assert_not_on_screen(&sc, "Reassign first");
    assert!(
        s.app
            .status
            .as_deref()
            .unwrap_or("")
            .contains("Moved from Emma Larsen (elarsen) to Jane Doe (jdoe): 2 tasks, 0 CRM items, 1 file, 0 mailboxes"),
        "{:?}",
        s.app.status
    );
    s.press(KeyCode::Char('y'));
    let (dir, admin) = d.admin();
    let p = dir.profile(admin, "elarsen").expect("profile");
    assert_eq!(p.employee.status, offboard::domain::Status::Dismissed);
    assert_eq!(p.owns.total(), 0);
}

/// What was typed in the dismiss dialog survives "Reassign first…", whether the
/// handover is done or cancelled.
#[test]
fn reassign_first_keeps_the_reason_and_note_typed_before() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Right);
    s.press(KeyCode::Tab);
    s.type_text("Moving to Oslo");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    assert_eq!(s.app.mode(), Mode::Dismiss, "back on the buttons");
    s.press(KeyCode::Char('r'));
    assert_on_screen(&screen(&s), "Reassign what Emma Larsen (elarsen) owns");

    // Esc: back to the dismiss dialog as it was left, not out of the whole flow.
    s.press(KeyCode::Esc);
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss Emma Larsen (elarsen)?");
    assert_on_screen(&sc, "‹ resigned ›");
    assert_on_screen(&sc, "Moving to Oslo");

    // Now hand the work over for real: the fields are still there afterwards.
    s.press(KeyCode::Char('r'));
    s.type_text("Jane");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('y'));
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "owns 0 open tasks, 0 CRM items, 0 files and 0 mailboxes",
    );
    assert_on_screen(&sc, "‹ resigned ›");
    assert_on_screen(&sc, "Moving to Oslo");
    s.press(KeyCode::Char('y'));

    let (dir, admin) = d.admin();
    let dep = dir
        .profile(admin, "elarsen")
        .expect("profile")
        .departure
        .expect("dismissed");
    assert_eq!(dep.reason, Some(Reason::Resigned));
    assert_eq!(dep.note.as_deref(), Some("Moving to Oslo"));
}

/// The "Reassign first…" button (focused, Enter) does what its key does: the handover
/// opens over the dismiss dialog, which is still there, as it was left, when it closes.
#[test]
fn reassign_first_by_its_button_keeps_the_dismiss_dialog_underneath() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    // Cancel → Reason → Note; type; → When → Checklist → the first button → the next one.
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.type_text("Moving to Oslo");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.press(KeyCode::Right);
    assert_eq!(focused_button(&s), "Reassign first… (r)");
    s.press(KeyCode::Enter);
    assert_on_screen(&screen(&s), "Reassign what Emma Larsen (elarsen) owns");
    s.press(KeyCode::Esc);
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss Emma Larsen (elarsen)?");
    assert_on_screen(&sc, "Moving to Oslo");
    assert_eq!(focused_button(&s), "Cancel (n/Esc)", "back on Cancel");
    s.press(KeyCode::Esc);
    assert!(
        s.app.dialog().is_none(),
        "nothing was open under the dismiss dialog"
    );
}

#[test]
fn dismiss_with_disable_stops_the_integrations() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "tlang");
    s.type_text("md");
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss Tobias Lang (tlang)?");
    assert_on_screen(&sc, "Jira task sync");
    assert_on_screen(&sc, "Carrier tracking events → tasks");
    assert_on_screen(&sc, "and 2 active");
    s.press(KeyCode::Char('x'));
    assert!(s.app.dialog().is_none());

    assert_eq!(status_in_db(&d, "tlang"), Status::Dismissed);
    for title in ["Jira task sync", "Carrier tracking events → tasks"] {
        let (owner, st) = integration_owner(&d, title);
        assert_eq!(st, IntegrationStatus::Disabled, "{title} is disabled");
        assert_eq!(
            owner, "tlang",
            "a disabled integration stays with its owner"
        );
    }
    assert!(
        d.open().employee("system.tlang").is_err(),
        "no system user when the integrations are disabled"
    );
    let status = status_of(&s);
    assert!(
        status.contains("Dismissed Tobias Lang (tlang); 2 integrations disabled"),
        "status: {status}"
    );
}

#[test]
fn dismiss_fails_cleanly_when_someone_else_was_faster() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    assert!(matches!(s.app.dialog(), Some(Dialog::Dismiss(_))));
    // Another process dismisses her while the dialog is open.
    let (mut other, admin) = d.admin();
    other
        .dismiss(admin, "elarsen", &DismissRequest::default())
        .expect("dismiss elsewhere");
    s.press(KeyCode::Char('y'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Error");
    assert_on_screen(&sc, "elarsen is already dismissed");
    assert!(
        s.app.exit.is_none(),
        "a refused operation does not end the session"
    );
    s.press(KeyCode::Enter);
    assert!(s.app.dialog().is_none(), "Enter closes the error dialog");
}

// ------------------------------------------------------------------ hire

fn open_lbrandt_as_hr(d: &Demo) -> Session {
    let mut s = d.session("hr");
    search(&mut s, "lbrandt");
    let sc = screen(&s);
    assert_on_screen(&sc, "Lukas Brandt");
    assert_on_screen(&sc, "Dismissed");
    s.press(KeyCode::Enter);
    assert_on_screen(&screen(&s), "Profile: Lukas Brandt");
    s
}

#[test]
fn hire_cancel_first_then_hire_without_returning() {
    let d = demo();
    let mut s = open_lbrandt_as_hr(&d);
    let before = fingerprint(&d.open());
    s.type_text("ah");
    let sc = screen(&s);
    assert_on_screen(&sc, "Hire Lukas Brandt (lbrandt)?");
    assert_on_screen(&sc, "Hire (y)");
    assert_on_screen(&sc, "Cancel (n/Esc)");
    assert_on_screen(&sc, "#5 Quote calculator → CRM deals");
    assert_eq!(focused_button(&s), "Cancel (n/Esc)", "Cancel focused");
    assert_on_screen(&sc, "[ ] Return them to the employee");
    s.press(KeyCode::Enter);
    assert!(s.app.dialog().is_none());
    assert_unchanged(&before, &d.open(), "Enter on a fresh hire dialog");

    s.type_text("ahy");
    assert!(s.app.dialog().is_none());
    assert_eq!(status_in_db(&d, "lbrandt"), Status::Active);
    let (owner, st) = integration_owner(&d, "Quote calculator → CRM deals");
    assert_eq!(owner, "system.lbrandt", "not returned unless ticked");
    assert_eq!(st, IntegrationStatus::Active);
    let sc = screen(&s);
    assert_on_screen(&sc, "Hired Lukas Brandt (lbrandt) back");
    assert_on_screen(&sc, "Lukas Brandt (lbrandt)   Active");
}

#[test]
fn hire_returning_the_integrations() {
    let d = demo();
    let mut s = open_lbrandt_as_hr(&d);
    s.type_text("aht");
    assert_on_screen(&screen(&s), "[x] Return them to the employee");
    s.press(KeyCode::Char('y'));
    assert_eq!(status_in_db(&d, "lbrandt"), Status::Active);
    let (owner, st) = integration_owner(&d, "Quote calculator → CRM deals");
    assert_eq!(owner, "lbrandt", "returned to him");
    assert_eq!(st, IntegrationStatus::Active);
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "Hired Lukas Brandt (lbrandt) back; 1 integration returned to them",
    );
}

// ------------------------------------------------------------------ reassign

#[test]
fn reassign_picks_jane_and_moves_everything() {
    let d = demo();
    let (dir, admin) = d.admin();
    let from_before = dir.profile(admin, "lbrandt").expect("profile").owns;
    let jane_before = dir.profile(admin, "jdoe").expect("profile").owns;
    drop(dir);
    assert!(
        from_before.total() > 0,
        "the demo gives lbrandt work to hand over"
    );

    let mut s = d.session("hr");
    search(&mut s, "lbrandt");
    s.type_text("mr");
    let sc = screen(&s);
    assert_on_screen(&sc, "Reassign what Lukas Brandt (lbrandt) owns");
    assert_on_screen(&sc, &format!("Tasks ({})", from_before.tasks));
    assert_on_screen(&sc, &format!("CRM items ({})", from_before.crm_items));
    assert_on_screen(&sc, &format!("Files ({})", from_before.files));
    assert_on_screen(&sc, &format!("Mailboxes ({})", from_before.mailboxes));
    assert_eq!(
        focused_button(&s),
        "Cancel (n/Esc)",
        "Cancel is the default"
    );
    assert_eq!(
        s.app.mode(),
        Mode::DialogText,
        "the caret is in the name field"
    );
    s.type_text("Jane");
    let sc = screen(&s);
    assert_on_screen(&sc, "Jane Doe (jdoe)");
    s.press(KeyCode::Enter);
    assert_on_screen(&screen(&s), "→ Jane Doe (jdoe)");
    s.press(KeyCode::Char('y'));
    assert!(
        s.app.dialog().is_none(),
        "the dialog closes after the change"
    );

    let (dir, admin) = d.admin();
    let from_after = dir.profile(admin, "lbrandt").expect("profile").owns;
    let jane_after = dir.profile(admin, "jdoe").expect("profile").owns;
    assert_eq!(from_after.total(), 0, "lbrandt owns nothing any more");
    assert_eq!(jane_after.tasks, jane_before.tasks + from_before.tasks);
    assert_eq!(
        jane_after.crm_items,
        jane_before.crm_items + from_before.crm_items
    );
    assert_eq!(jane_after.files, jane_before.files + from_before.files);
    assert_eq!(
        jane_after.mailboxes,
        jane_before.mailboxes + from_before.mailboxes
    );
    // The message itself: the status line cuts a long one with "…" to keep its help key.
    let status = s.app.status.clone().unwrap_or_default();
    let expected = format!(
        "Moved from Lukas Brandt (lbrandt) to Jane Doe (jdoe): {} tasks, {} CRM items, {} files, {} mailboxes",
        from_before.tasks, from_before.crm_items, from_before.files, from_before.mailboxes
    );
    assert!(
        status.starts_with(&expected),
        "status {status:?} should say {expected:?}"
    );
}

#[test]
fn reassign_offers_only_active_people() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "tlang");
    s.type_text("mr");
    // Lukas Brandt is dismissed and system.lbrandt is a system user: neither is offered.
    s.type_text("brandt");
    let sc = screen(&s);
    assert_on_screen(&sc, "nobody active matches");
    // No candidate line under the name field either.
    assert_not_on_screen(&sc, "(lbrandt)");
    assert_not_on_screen(&sc, "(system.lbrandt)");
}

// ------------------------------------------------------------------ refusals

#[test]
fn ordinary_employee_sees_greyed_actions_and_is_told_why() {
    let d = demo();
    let before = fingerprint(&d.open());
    let mut s = d.session("jdoe");
    search(&mut s, "tlang");
    s.press(KeyCode::Char('m'));
    let mut term = terminal_for(&s, WIDTH, HEIGHT);
    let sc = buffer_text(&term);
    assert_on_screen(
        &sc,
        "Dismiss  (Company-structure access is required to dismiss)",
    );
    assert_on_screen(&sc, "Hire  (Company-structure access is required to hire)");
    // Greyed out: the refused items are drawn in the greyed style, the allowed one is not.
    let row_of = |text: &str| {
        sc.lines()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("{text:?} not on screen"))
    };
    let buf = term.backend_mut().buffer().clone();
    let fg_at = |row: usize, text: &str| {
        let line = sc.lines().nth(row).expect("row");
        let start = line.find(text).expect("text");
        let x = line[..start].chars().count() as u16;
        buf[(x, row as u16)].fg
    };
    let theme = offboard::tui::ui::theme::Theme::colour();
    let greyed = theme.greyed.fg.expect("the greyed style has a colour");
    let dismiss_row = row_of("d  Dismiss");
    assert_eq!(
        fg_at(dismiss_row, "Dismiss"),
        greyed,
        "Dismiss is greyed out"
    );
    let profile_row = row_of("p  View profile");
    assert_ne!(fg_at(profile_row, "View profile"), greyed);

    s.press(KeyCode::Char('d'));
    assert!(s.app.dialog().is_none(), "no dialog opens");
    let status = status_of(&s);
    assert!(
        status.contains("Company-structure access is required to dismiss"),
        "status: {status}"
    );
    assert_unchanged(&before, &d.open(), "a refused dismissal");
    assert_eq!(status_in_db(&d, "tlang"), Status::Active);

    // The same from the profile's Actions menu.
    s.press(KeyCode::Enter);
    assert_on_screen(&screen(&s), "Profile: Tobias Lang");
    s.type_text("ar");
    assert!(s.app.dialog().is_none());
    let status = status_of(&s);
    assert!(
        status.contains("Company-structure access is required to reassign"),
        "status: {status}"
    );
    assert_unchanged(&before, &d.open(), "a refused reassignment");
}

// ------------------------------------------------------------------ integrations

/// Select the integrations row whose text contains `needle` with j/k.
fn select_integration(s: &mut Session, needle: &str) {
    s.press(KeyCode::Char('g'));
    for _ in 0..20 {
        if s.app
            .selected_integration()
            .is_some_and(|i| i.owner.contains(needle) || i.title.contains(needle))
        {
            return;
        }
        s.press(KeyCode::Char('j'));
    }
    panic!("no integration row matches {needle:?}");
}

#[test]
fn editing_a_system_users_integration_takes_it_over_with_a_new_secret() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('2'));
    assert_eq!(s.app.mode(), Mode::Integrations);
    let sc = screen(&s);
    assert_on_screen(&sc, "system.lbrandt");
    select_integration(&mut s, "system.lbrandt");
    let id = s.app.selected_integration().expect("selected").id;
    let before = fingerprint(&d.open());

    s.press(KeyCode::Char('e'));
    let sc = screen(&s);
    assert_on_screen(&sc, &format!("Edit integration #{id}"));
    assert_on_screen(&sc, "It is held by system.lbrandt. Saving makes it yours:");
    assert_on_screen(&sc, "a new secret is issued and shown once");
    assert_eq!(focused_button(&s), "Cancel (n/Esc)", "Cancel focused");
    // Enter right away cancels.
    s.press(KeyCode::Enter);
    assert!(s.app.dialog().is_none());
    assert_unchanged(&before, &d.open(), "Enter on a fresh edit dialog");

    s.press(KeyCode::Char('e'));
    // Shift-Tab from Cancel reaches Save.
    s.press(KeyCode::BackTab);
    assert_eq!(focused_button(&s), "Save (y)", "Save focused");
    s.press(KeyCode::Char('y'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Webhook URL");
    assert_on_screen(&sc, "will not be shown again");
    assert_on_screen(&sc, &format!("Integration #{id} is now yours"));
    let url = url_in_message(&s);

    let (dir, admin) = d.admin();
    let i = dir.integration(admin, id).expect("integration");
    assert_eq!(i.owner, "hr", "the editor owns it now");
    assert_eq!(i.status, IntegrationStatus::Active);
    let (user, code) = parse_url(&url);
    let (_, acting) = dir
        .authenticate_webhook(user, &code)
        .expect("authenticate")
        .expect("the new URL works");
    assert_eq!(acting.login, "hr");

    s.press(KeyCode::Esc);
    assert!(s.app.dialog().is_none());
    assert_not_on_screen(&screen(&s), &url);
}

#[test]
fn disable_from_the_integrations_pane_asks_first() {
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('2'));
    select_integration(&mut s, "Payroll export");
    let before = fingerprint(&d.open());
    s.press(KeyCode::Char('x'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Disable integration");
    assert_on_screen(&sc, "owned by Nadia Haddad (nhaddad)?");
    s.press(KeyCode::Enter);
    assert!(
        s.app.dialog().is_none(),
        "Enter on the fresh dialog cancels"
    );
    assert_unchanged(&before, &d.open(), "Enter on a fresh disable dialog");

    s.type_text("xy");
    let (owner, st) = integration_owner(&d, "Payroll export");
    assert_eq!(
        (owner.as_str(), st),
        ("nhaddad", IntegrationStatus::Disabled)
    );
    let status = status_of(&s);
    assert!(status.contains("Disabled integration"), "status: {status}");
    let sc = screen(&s);
    let row = sc
        .lines()
        .find(|l| l.contains("Payroll export"))
        .expect("row");
    assert!(row.contains("disabled"), "row: {row}");
}

/// IDs are what people type into `webhook disable ID`: a long one is shown whole.
#[test]
fn long_integration_ids_are_shown_whole() {
    let d = demo();
    let c = rusqlite::Connection::open(&d.path).expect("open");
    c.execute_batch(
        "CREATE TEMP TABLE copy AS SELECT * FROM integrations WHERE title = 'Payroll export';
         UPDATE copy SET id = 123456, title = 'Nightly ledger sync';
         INSERT INTO integrations SELECT * FROM copy;",
    )
    .expect("an integration with a six-digit id");
    drop(c);
    let mut s = d.session("admin");
    s.press(KeyCode::Char('2'));
    let sc = screen(&s);
    let row = sc
        .lines()
        .find(|l| l.contains("Nightly ledger sync"))
        .unwrap_or_else(|| panic!("no row for the copy:\n{sc}"));
    assert!(row.contains("#123456 "), "the whole id: {row}");
}

#[test]
fn creating_a_webhook_shows_its_url_once() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('2'));
    s.press(KeyCode::Char('c'));
    // The caret in the title: type, Enter to the scopes, Space ticks.
    assert_eq!(s.app.mode(), Mode::DialogText);
    s.type_text("Deal alerts");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.press(KeyCode::Char(' '));
    assert_on_screen(&screen(&s), "[x] crm");
    s.press(KeyCode::Char('y'));
    let sc = screen(&s);
    assert_on_screen(&sc, "will not be shown again");
    let url = url_in_message(&s);
    let (dir, _) = d.admin();
    let (i, acting) = dir
        .authenticate_webhook(parse_url(&url).0, &parse_url(&url).1)
        .expect("authenticate")
        .expect("the URL works");
    assert_eq!(i.title, "Deal alerts");
    assert_eq!(acting.login, "jdoe");
    // In a narrow window the URL still stands whole on one line, to be copied as it is.
    for (w, h) in [(100, 30), (60, 16)] {
        let sc = screen_sized(&s, w, h);
        assert!(
            sc.lines().any(|l| l.contains(url.trim())),
            "the whole URL on one line at {w}×{h}:\n{sc}"
        );
    }
}

// ------------------------------------------------------------------ settings

#[test]
fn show_dismissed_on_and_off() {
    let d = demo();
    let mut s = d.session("admin");
    assert_not_on_screen(&screen(&s), "Lukas Brandt");
    s.press(KeyCode::Char('4'));
    assert_on_screen(
        &screen(&s),
        "[ ] Show dismissed employees in the employee list",
    );
    s.press(KeyCode::Char('s'));
    assert!(d.open().show_dismissed().expect("setting"), "DB setting on");
    assert_on_screen(
        &screen(&s),
        "[x] Show dismissed employees in the employee list",
    );

    s.press(KeyCode::Char('1'));
    assert_on_screen(&screen(&s), "Status: active (f)");
    s.press(KeyCode::Char('f'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Status: dismissed (f)");
    let row = sc
        .lines()
        .find(|l| l.contains("Lukas Brandt"))
        .unwrap_or_else(|| panic!("lbrandt listed:\n{sc}"));
    assert!(row.contains("Dismissed"), "marked Dismissed: {row}");
    assert_on_screen(&sc, "Yusuf Demir");
    assert_not_on_screen(&sc, "Jane Doe");
    s.press(KeyCode::Char('f'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Status: all (f)");
    assert_on_screen(&sc, "Employees (42)");

    s.press(KeyCode::Char('f'));
    assert_on_screen(&screen(&s), "Status: active (f)");

    // Off again: back to the active list, no filter.
    s.press(KeyCode::Char('4'));
    s.press(KeyCode::Char('s'));
    assert!(
        !d.open().show_dismissed().expect("setting"),
        "DB setting off"
    );
    s.press(KeyCode::Char('1'));
    let sc = screen(&s);
    assert_not_on_screen(&sc, "Status:");
    assert_not_on_screen(&sc, "Lukas Brandt");
    assert_on_screen(&sc, "Employees (40)");
}

#[test]
fn turning_show_dismissed_off_while_listing_all_is_not_an_error() {
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('4'));
    s.press(KeyCode::Char('s'));
    s.press(KeyCode::Char('1'));
    s.type_text("ff");
    assert_on_screen(&screen(&s), "Status: all (f)");
    s.press(KeyCode::Char('4'));
    s.press(KeyCode::Char('s'));
    assert!(
        !d.open().show_dismissed().expect("setting"),
        "DB setting off"
    );
    let sc = screen(&s);
    assert!(
        s.app.dialog().is_none(),
        "turning the setting off succeeded, yet a dialog is shown:\n{sc}"
    );
    assert_on_screen(&sc, "Dismissed employees are now hidden");
    s.press(KeyCode::Char('1'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Employees (40)");
    assert_not_on_screen(&sc, "Lukas Brandt");
}

#[test]
fn the_filter_is_hidden_while_show_dismissed_is_off() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('f'));
    let status = status_of(&s);
    assert!(
        status.contains("Dismissed employees are hidden"),
        "status: {status}"
    );
    let sc = screen(&s);
    assert_not_on_screen(&sc, "Lukas Brandt");
    assert_not_on_screen(&sc, "Status:");
}

#[test]
fn exact_login_finds_a_dismissed_employee_with_the_setting_off() {
    let d = demo();
    let mut s = d.session("jdoe");
    search(&mut s, "lbra");
    assert_on_screen(&screen(&s), "Nobody matches \"lbra\".");
    s.press(KeyCode::Esc);
    search(&mut s, "lbrandt");
    let sc = screen(&s);
    let row = sc
        .lines()
        .find(|l| l.contains("Lukas Brandt"))
        .unwrap_or_else(|| panic!("lbrandt found by exact login:\n{sc}"));
    assert!(row.contains("Dismissed"), "row: {row}");
}

#[test]
fn search_matches_name_login_and_email() {
    let d = demo();
    let mut s = d.session("jdoe");
    for text in ["Mehta", "amehta", "arjun.mehta@"] {
        search(&mut s, text);
        let sc = screen(&s);
        assert_on_screen(&sc, "Arjun Mehta");
        assert_on_screen(&sc, "Employees (1)");
        s.press(KeyCode::Char('/'));
        s.press(KeyCode::Esc);
        assert_eq!(s.app.employees.search.value(), "", "Esc clears the search");
    }
    assert_on_screen(&screen(&s), "Employees (40)");
}

// ------------------------------------------------------------------ moving around

fn selected_name(s: &Session) -> String {
    s.app.selected_employee().expect("a selected row").name()
}

#[test]
fn list_keys_move_the_selection_and_page_through_the_list() {
    let d = demo();
    let (dir, admin) = d.admin();
    let all = dir
        .list(admin, &offboard::directory::ListQuery::default())
        .expect("list");
    drop(dir);
    let last = all.rows.last().expect("rows").employee.name();
    let mut s = d.session("admin");
    assert_eq!(selected_name(&s), "Henrik Aalto");
    s.press(KeyCode::Char('j'));
    assert_eq!(selected_name(&s), "Fatima Al-Sayed");
    s.press(KeyCode::Down);
    s.press(KeyCode::Up);
    assert_eq!(selected_name(&s), "Fatima Al-Sayed");
    s.press(KeyCode::Char('k'));
    assert_eq!(selected_name(&s), "Henrik Aalto");
    s.press(KeyCode::Char('G'));
    assert_eq!(selected_name(&s), last, "G: last row");
    let sc = screen(&s);
    assert_on_screen(&sc, &last);
    assert_not_on_screen(&sc, "Henrik Aalto");
    // Only the visible page is loaded.
    assert!(
        s.app.employees.rows.len() as i64 <= s.app.list_height(),
        "{} rows loaded for {} on screen",
        s.app.employees.rows.len(),
        s.app.list_height()
    );
    s.press(KeyCode::Char('g'));
    assert_eq!(selected_name(&s), "Henrik Aalto", "g: first row");
    assert_on_screen(&screen(&s), "Henrik Aalto");
    s.press(KeyCode::PageDown);
    let sc = screen(&s);
    assert_not_on_screen(&sc, "Henrik Aalto");
    assert!(s.app.employees.selected > 0);
    s.press(KeyCode::PageUp);
    assert_eq!(selected_name(&s), "Henrik Aalto");
    s.press(KeyCode::End);
    assert_eq!(selected_name(&s), last, "End: last row");
    s.press(KeyCode::Home);
    assert_eq!(selected_name(&s), "Henrik Aalto", "Home: first row");
}

#[test]
fn panes_by_number_and_tab_and_profile_sections_by_arrows() {
    let d = demo();
    let mut s = d.session("hr");
    for (k, title) in [
        ('2', "Integrations ("),
        ('3', "Audit log"),
        ('4', "Settings"),
        ('5', "Offboarding · open steps"),
        ('6', "┌ Dashboard"),
        ('1', "Employees ("),
    ] {
        s.press(KeyCode::Char(k));
        assert_on_screen(&screen(&s), title);
    }
    s.press(KeyCode::Tab);
    assert_on_screen(&screen(&s), "Integrations (");
    s.press(KeyCode::BackTab);
    s.press(KeyCode::BackTab);
    assert_on_screen(&screen(&s), "┌ Dashboard");
    s.press(KeyCode::BackTab);
    assert_on_screen(&screen(&s), "Offboarding · open steps");

    let mut s = open_lbrandt_as_hr(&d);
    s.press(KeyCode::Char('l'));
    assert_on_screen(&screen(&s), "Prepare Q4 renewal offer");
    s.press(KeyCode::Right);
    assert_on_screen(&screen(&s), "Handover_Lukas_Brandt.xlsx");
    s.press(KeyCode::Char('h'));
    s.press(KeyCode::Left);
    assert_on_screen(&screen(&s), "Still owns (what Reassign… moves)");
    s.press(KeyCode::Left);
    assert_on_screen(
        &screen(&s),
        "No SSH keys: Lukas Brandt cannot sign in over SSH.",
    );
    s.press(KeyCode::Left);
    assert_on_screen(&screen(&s), "kept: runs as system.lbrandt");
    s.press(KeyCode::Esc);
    assert_eq!(s.app.mode(), Mode::Employees, "Esc goes back to the list");
    assert_on_screen(&screen(&s), "Search: lbrandt");
}

#[test]
fn help_opens_with_question_mark_and_q_closes_it_without_quitting() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('?'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Keys: every key that works");
    // It opens at the list's keys; the keys of every pane are at the top.
    assert_on_screen(&sc, "open profile");
    s.press(KeyCode::Char('g'));
    assert_on_screen(&screen(&s), "Ctrl-c");
    s.press(KeyCode::Char('q'));
    assert_eq!(s.app.exit, None, "q closes help first");
    assert_not_on_screen(&screen(&s), "Keys: every key that works");
    s.press(KeyCode::Char('?'));
    s.press(KeyCode::Esc);
    assert_not_on_screen(&screen(&s), "Keys: every key that works");
}

#[test]
fn audit_pane_searches_and_is_closed_to_ordinary_employees() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('3'));
    let sc = screen(&s);
    assert_on_screen(&sc, "lbrandt");
    assert_on_screen(&sc, "ydemir");
    s.press(KeyCode::Char('/'));
    assert_eq!(s.app.mode(), Mode::AuditSearch);
    s.type_text("ydemir");
    s.press(KeyCode::Enter);
    let sc = screen(&s);
    assert_on_screen(&sc, "ydemir");
    assert_not_on_screen(&sc, "lbrandt");

    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('3'));
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "The audit log is for administrators and company-structure staff.",
    );
    assert!(
        s.app.dialog().is_none(),
        "no error dialog for a closed pane"
    );
}

#[test]
fn grant_and_revoke_company_structure_access() {
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('4'));
    s.press(KeyCode::Char('+'));
    assert_on_screen(&screen(&s), "Grant company-structure access");
    assert_eq!(
        focused_button(&s),
        "Cancel (n/Esc)",
        "Cancel is the default"
    );
    s.type_text("Jane");
    assert_on_screen(&screen(&s), "Jane Doe (jdoe)");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('y'));
    assert!(s.app.dialog().is_none());
    assert!(d.open().employee("jdoe").expect("jdoe").structure_access);
    let sc = screen(&s);
    assert_on_screen(&sc, "Granted company-structure access to Jane Doe");
    assert_on_screen(&sc, "Jane Doe (jdoe) · Account Manager");

    // Select Jane's row and revoke: a confirmation that starts on Cancel.
    let row = s
        .app
        .settings
        .staff
        .iter()
        .position(|e| e.login == "jdoe")
        .expect("jdoe listed");
    for _ in 0..=row {
        s.press(KeyCode::Char('j'));
    }
    s.press(KeyCode::Char('-'));
    assert_on_screen(
        &screen(&s),
        "Revoke company-structure access from Jane Doe (jdoe)?",
    );
    s.press(KeyCode::Enter);
    assert!(d.open().employee("jdoe").expect("jdoe").structure_access);
    s.type_text("-y");
    assert!(!d.open().employee("jdoe").expect("jdoe").structure_access);
    assert_on_screen(
        &screen(&s),
        "Revoked company-structure access from Jane Doe",
    );
}

// ------------------------------------------------------------------ quitting

#[test]
fn q_quits_with_status_zero() {
    let d = demo();
    let mut s = d.session("jdoe");
    assert_eq!(s.app.exit, None);
    s.press(KeyCode::Char('q'));
    assert_eq!(s.app.exit, Some(0));
}

#[test]
fn q_types_in_the_search_field_and_ctrl_c_still_quits() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('/'));
    s.press(KeyCode::Char('q'));
    assert_eq!(s.app.exit, None, "q is a letter while typing");
    assert_eq!(s.app.employees.search.value(), "q");
    s.handle_event(&ctrl_c());
    assert_eq!(s.app.exit, Some(0), "Ctrl-C quits even while typing");
}

#[test]
fn ctrl_c_quits_from_a_text_field_inside_a_dialog() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    assert_eq!(s.app.mode(), Mode::DialogText, "in the note field");
    s.handle_event(&ctrl_c());
    assert_eq!(
        s.app.exit,
        Some(0),
        "Ctrl-C always quits, also from a dialog's text field"
    );
}

#[test]
fn ctrl_c_quits_from_dialogs_and_help() {
    let d = demo();
    for keys in ["md", "?", "m"] {
        let mut s = d.session("hr");
        search(&mut s, "elarsen");
        s.type_text(keys);
        assert_ne!(s.app.mode(), Mode::Employees, "after {keys:?}");
        s.handle_event(&ctrl_c());
        assert_eq!(s.app.exit, Some(0), "Ctrl-C after {keys:?}");
    }
}

// ------------------------------------------------------------------ other processes

#[test]
fn another_process_change_appears_after_poll() {
    let d = demo();
    let mut s = d.session("hr");
    assert_on_screen(&screen(&s), "Nadia Haddad");
    let (mut other, admin) = d.admin();
    other
        .dismiss(
            admin,
            "nhaddad",
            &DismissRequest {
                integrations: Some(IntegrationChoice::Keep),
                ..Default::default()
            },
        )
        .expect("dismiss elsewhere");
    // Nothing has been pressed: the screen still shows what was loaded.
    assert_on_screen(&screen(&s), "Nadia Haddad");
    s.poll();
    let sc = screen(&s);
    assert_not_on_screen(&sc, "Nadia Haddad");
    assert_on_screen(&sc, "Employees (39)");
    assert_eq!(s.app.exit, None);

    // A second poll without changes is quiet.
    s.poll();
    assert_eq!(s.app.exit, None);
}

#[test]
fn another_process_change_reaches_an_open_profile_and_the_integrations_pane() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('2'));
    let sc = screen(&s);
    let row = sc
        .lines()
        .find(|l| l.contains("Payroll export"))
        .expect("row");
    assert!(row.contains("active"), "{row}");
    let (mut other, admin) = d.admin();
    let id = other
        .integrations(admin)
        .expect("integrations")
        .into_iter()
        .find(|i| i.title == "Payroll export")
        .expect("payroll")
        .id;
    other.disable_webhook(admin, id).expect("disable elsewhere");
    s.poll();
    let sc = screen(&s);
    let row = sc
        .lines()
        .find(|l| l.contains("Payroll export"))
        .expect("row");
    assert!(row.contains("disabled"), "{row}");
}

#[test]
fn own_dismissal_by_another_process_revokes_access() {
    let d = demo();
    let mut s = d.session("hr");
    let (mut other, admin) = d.admin();
    other
        .dismiss(admin, "hr", &DismissRequest::default())
        .expect("dismiss hr");
    assert_eq!(s.app.exit, None);
    s.poll();
    assert_eq!(s.app.exit, Some(3), "a revoked session exits with 3");
    let why = s.app.revoked.clone().expect("revoked is set");
    assert!(why.contains("hr"), "names the login: {why}");
}

// ------------------------------------------------------------------ the main loop

/// Scripted input: the queued events, then nothing until a deadline, then an error, so
/// a loop that fails to end makes the test fail instead of hanging.
struct Script {
    events: VecDeque<Event>,
    deadline: Instant,
}

impl Script {
    fn new(events: VecDeque<Event>) -> Self {
        Script {
            events,
            deadline: Instant::now() + Duration::from_secs(5),
        }
    }
}

impl EventSource for Script {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if let Some(ev) = self.events.pop_front() {
            return Ok(Some(ev));
        }
        if Instant::now() > self.deadline {
            return Err(io::Error::other(
                "the script ran out and the loop did not end",
            ));
        }
        std::thread::sleep(timeout.min(Duration::from_millis(5)));
        Ok(None)
    }
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn main_loop_runs_a_script_and_returns_zero_on_q() {
    let d = demo();
    let mut s = d.session("hr");
    let mut events: VecDeque<Event> = VecDeque::new();
    events.push_back(key('/'));
    for c in "tlang".chars() {
        events.push_back(key(c));
    }
    events.push_back(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    events.push_back(Event::Resize(100, 30));
    events.push_back(key('m'));
    events.push_back(key('d'));
    events.push_back(key('k'));
    events.push_back(key('q'));
    let mut script = Script::new(events);
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let code =
        main_loop(&mut term, &mut s, &mut script, Duration::from_millis(50)).expect("main loop");
    assert_eq!(code, 0);
    assert!(script.events.is_empty(), "every event was read");
    assert_eq!(status_in_db(&d, "tlang"), Status::Dismissed);
    let sc = buffer_text(&term);
    assert_on_screen(
        &sc,
        "Dismissed Tobias Lang (tlang); 2 integrations moved to a system user",
    );
}

#[test]
fn main_loop_ends_with_three_when_the_user_is_dismissed_meanwhile() {
    let d = demo();
    let mut s = d.session("hr");
    let (mut other, admin) = d.admin();
    other
        .dismiss(admin, "hr", &DismissRequest::default())
        .expect("dismiss hr");
    // No events at all: only the poll can end the loop.
    let mut script = Script::new(VecDeque::new());
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let code =
        main_loop(&mut term, &mut s, &mut script, Duration::from_millis(20)).expect("main loop");
    assert_eq!(code, 3);
    assert!(s.app.revoked.is_some());
}

/// Keys, then a stop signal once they are all read.
struct SignalAfter {
    script: Script,
    signal: i32,
}

impl EventSource for SignalAfter {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        self.script.next(timeout)
    }

    fn stop_signal(&self) -> Option<i32> {
        self.script.events.is_empty().then_some(self.signal)
    }
}

#[test]
fn main_loop_ends_on_a_stop_signal_with_128_plus_its_number_and_writes_nothing() {
    let d = demo();
    let mut s = d.session("hr");
    // The dismiss dialog is open, not confirmed, when SIGTERM arrives.
    let mut events: VecDeque<Event> = VecDeque::new();
    for c in ['/', 't', 'l', 'a', 'n', 'g'] {
        events.push_back(key(c));
    }
    events.push_back(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    events.push_back(key('m'));
    events.push_back(key('d'));
    let mut source = SignalAfter {
        script: Script::new(events),
        signal: 15,
    };
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let code =
        main_loop(&mut term, &mut s, &mut source, Duration::from_millis(50)).expect("main loop");
    assert_eq!(code, 143, "128 + SIGTERM");
    assert_on_screen(&buffer_text(&term), "Dismiss Tobias Lang (tlang)?");
    assert_eq!(status_in_db(&d, "tlang"), Status::Active);
}

// ------------------------------------------------------------------ look

#[test]
fn no_color_draws_without_any_colour() {
    let d = demo();
    let mut s = d.session("hr");
    s.app.theme = offboard::tui::ui::theme::Theme::mono();
    // The list, a dialog over it, a pane with system users, and help.
    let check = |s: &Session, what: &str| {
        let term = terminal_for(s, WIDTH, HEIGHT);
        let buf = term.backend().buffer();
        for y in 0..HEIGHT {
            for x in 0..WIDTH {
                let cell = &buf[(x, y)];
                assert!(
                    cell.fg == Color::Reset && cell.bg == Color::Reset,
                    "{what}: cell ({x},{y}) {:?} has fg {:?} bg {:?}",
                    cell.symbol(),
                    cell.fg,
                    cell.bg
                );
            }
        }
    };
    check(&s, "employees");
    search(&mut s, "tlang");
    s.type_text("md");
    check(&s, "dismiss dialog");
    s.press(KeyCode::Esc);
    s.press(KeyCode::Enter);
    check(&s, "profile");
    s.press(KeyCode::Esc);
    s.press(KeyCode::Char('2'));
    check(&s, "integrations");
    s.press(KeyCode::Char('?'));
    check(&s, "help");
}

#[test]
fn a_too_small_terminal_gets_one_message_with_the_size_needed() {
    let d = demo();
    let s = d.session_sized("hr", 50, 10);
    let sc = screen_sized(&s, 50, 10);
    let text: Vec<&str> = sc.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        text.iter().any(|l| l.contains("60×16")),
        "names the size needed:\n{sc}"
    );
    assert_not_on_screen(&sc, "Employees");
    assert_not_on_screen(&sc, "┌");
    // STYLE.md: "Below a minimum size, draw one line saying the size needed."
    assert_eq!(
        text.len(),
        1,
        "one line, not a wrapped paragraph, at 50×10:\n{sc}"
    );
}

#[test]
fn the_status_bar_of_the_simple_dismiss_dialog_shows_its_own_keys() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    assert_on_screen(&screen(&s), "Dismiss employee (y)");
    let status = status_of(&s);
    assert!(
        status.contains("y dismiss employee"),
        "the status bar names y, the key of this dialog: {status:?}"
    );
    // k and x do nothing in a dialog without integrations: the bar must not offer them.
    s.press(KeyCode::Char('k'));
    s.press(KeyCode::Char('x'));
    assert!(
        matches!(s.app.dialog(), Some(Dialog::Dismiss(_))),
        "k/x are inert here"
    );
    assert!(
        !status.contains("keep integrations") && !status.contains("disable integrations"),
        "the status bar offers keys that do nothing here: {status:?}"
    );
}

#[test]
fn resize_redraws_at_the_new_size() {
    let d = demo();
    let mut s = d.session("hr");
    s.handle_event(&Event::Resize(100, 40));
    let sc = screen_sized(&s, 100, 40);
    // More rows fit: the 40-row screen lists more people than the 30-row one.
    let rows_30 = 30 - 7;
    let listed = sc.lines().filter(|l| l.contains("Active")).count();
    assert!(listed > rows_30, "{listed} rows after growing:\n{sc}");
}

/// Issue 7: a date in the dismiss dialog schedules the dismissal; the list shows
/// "Leaving <date>", and the row menu cancels it.
#[test]
fn schedule_from_the_dialog_then_cancel_from_the_row_menu() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    // Tab: Reason, Note, When.
    for _ in 0..3 {
        s.press(KeyCode::Tab);
    }
    s.type_text("2099-12-31");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Char('y'));
    assert!(s.app.dialog().is_none(), "{:?}", s.app.dialog());
    assert!(
        s.app
            .status
            .as_deref()
            .unwrap_or("")
            .contains("leaving on 2099-12-31"),
        "{:?}",
        s.app.status
    );
    let sc = screen(&s);
    assert_on_screen(&sc, "Leaving 2099-12-31");
    {
        let (dir, admin) = d.admin();
        let p = dir.profile(admin, "elarsen").expect("profile");
        assert_eq!(p.employee.status, offboard::domain::Status::Active);
        assert_eq!(
            p.departure.expect("pending").state,
            offboard::domain::DepartureState::Pending
        );
    }
    // The row menu offers to cancel it; the confirmation opens on Cancel.
    s.press(KeyCode::Char('m'));
    assert_on_screen(&screen(&s), "Cancel scheduled dismissal");
    s.press(KeyCode::Char('c'));
    s.press(KeyCode::Char('y'));
    assert!(
        s.app
            .status
            .as_deref()
            .unwrap_or("")
            .contains("Canceled the dismissal of Emma Larsen (elarsen)"),
        "{:?}",
        s.app.status
    );
    let (dir, admin) = d.admin();
    assert!(
        dir.profile(admin, "elarsen")
            .expect("profile")
            .departure
            .is_none()
    );
    assert_not_on_screen(&screen(&s), "Leaving 2099");
}

/// In a narrow window the names get the room a short status does not need.
#[test]
fn names_get_the_room_in_a_narrow_window() {
    let d = demo();
    let s = d.session_sized("hr", 60, 16);
    let sc = screen_sized(&s, 60, 16);
    for name in ["Henrik Aalto", "Fatima Al-Sayed", "Diego Álvarez"] {
        assert!(sc.contains(name), "{name} whole at 60 columns:\n{sc}");
    }
}

/// A destructive dialog in a small window: the fields and the buttons, the focused
/// Cancel first of all, are always on screen; the text above them scrolls.
#[test]
fn the_dismiss_dialog_keeps_its_buttons_in_a_small_window() {
    let d = demo();
    for (w, h) in [(80, 24), (60, 16)] {
        let mut s = d.session_sized("hr", w, h);
        search(&mut s, "tlang");
        s.type_text("md");
        let sc = screen_sized(&s, w, h);
        for needle in [
            "Cancel (n/Esc)",
            "Keep integrations and dismiss (k)",
            "Disable integrations and dismiss (x)",
            "Reason",
            "Note",
        ] {
            assert!(sc.contains(needle), "{needle:?} at {w}×{h}:\n{sc}");
        }
        assert_eq!(
            focused_buttons_sized(&s, w, h),
            ["Cancel (n/Esc)"],
            "Cancel, the last button, is focused at {w}×{h}"
        );
        if (w, h) == (60, 16) {
            // The integrations are below the fold: the border says so, ↓ shows them.
            assert!(sc.contains("below: ↑/↓ PgUp/PgDn"), "{sc}");
            let mut seen = false;
            for _ in 0..12 {
                s.press(KeyCode::Down);
                let sc = screen_sized(&s, w, h);
                assert!(sc.contains("Cancel (n/Esc)"), "while scrolling:\n{sc}");
                seen |= sc.contains("#2 Jira task sync");
            }
            assert!(seen, "↓ brings the integrations into view");
        }
    }
}

/// The preview of a bulk dismissal of 25 people scrolls, and its buttons stay in view.
#[test]
fn a_long_bulk_preview_scrolls_and_keeps_its_buttons() {
    let d = demo();
    let mut s = d.session("hr");
    for _ in 0..25 {
        s.press(KeyCode::Char(' '));
        s.press(KeyCode::Down);
    }
    s.type_text("md");
    let last = match s.app.dialog() {
        Some(Dialog::Bulk(b)) => {
            let step = b.steps.last().expect("steps");
            step.named().to_string()
        }
        other => panic!("expected the bulk preview, got {other:?}"),
    };
    let sc = screen(&s);
    assert_on_screen(&sc, "Cancel (n/Esc)");
    assert_on_screen(&sc, "below: ↑/↓ PgUp/PgDn");
    assert!(
        !sc.lines().any(|l| l.contains(&format!("• {last}:"))),
        "the last one is below the fold at first:\n{sc}"
    );
    for _ in 0..5 {
        s.press(KeyCode::PageDown);
    }
    let sc = screen(&s);
    assert!(
        sc.lines().any(|l| l.contains(&format!("• {last}:"))),
        "PgDn brings the last one into view:\n{sc}"
    );
    assert_on_screen(&sc, "Cancel (n/Esc)");
    assert_on_screen(&sc, "0 below");
}

/// A message says what just happened, then gives the status bar back to the keys at
/// the next key press.
#[test]
fn a_message_gives_way_to_the_keys_at_the_next_key() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("mdy");
    let bar = status_of(&s);
    assert!(bar.contains("Dismissed Emma Larsen"), "{bar}");
    s.press(KeyCode::Esc);
    let bar = status_of(&s);
    assert!(!bar.contains("Dismissed Emma Larsen"), "{bar}");
    assert!(bar.contains("search"), "the keys are back: {bar}");
}

/// Issue 7: Space marks rows, the row menu acts on the marked set with a preview that
/// skips, with the reason, those a rule refuses; one integration choice for the set.
#[test]
fn bulk_dismiss_of_marked_rows_with_one_choice() {
    let d = demo();
    let mut s = d.session("hr");
    for login in ["elarsen", "tlang", "jensen"] {
        search(&mut s, login);
        s.press(KeyCode::Char(' '));
        // Esc clears the search; the marks stay.
        s.press(KeyCode::Esc);
    }
    let bar = status_of(&s);
    assert!(bar.starts_with(" 3 marked: m acts on all of them"), "{bar}");
    s.press(KeyCode::Char('m'));
    assert_on_screen(&screen(&s), "Dismiss the marked employees");
    s.press(KeyCode::Char('d'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss 2 of 3 marked employees?");
    assert_on_screen(&sc, "Tobias Lang (tlang): dismiss (2 active integrations)");
    // Each integration the one choice affects, with its title and scopes (SPEC §3).
    assert_on_screen(&sc, "#2 Jira task sync  [user,task]");
    assert_on_screen(&sc, "#3 Carrier tracking events → tasks  [task,crm]");
    assert_on_screen(
        &sc,
        "Laura Jensen (hr): skipped, hr may not dismiss themselves",
    );
    // Cancel is focused: Enter right away changes nothing.
    s.press(KeyCode::Enter);
    assert!(s.app.dialog().is_none());
    {
        let (dir, _) = d.admin();
        assert_eq!(
            dir.employee("tlang").expect("t").status,
            offboard::domain::Status::Active
        );
    }
    s.press(KeyCode::Char('m'));
    s.press(KeyCode::Char('d'));
    s.press(KeyCode::Char('k'));
    assert!(s.app.dialog().is_none(), "{:?}", s.app.dialog());
    let status = s.app.status.clone().unwrap_or_default();
    assert!(status.starts_with("Dismissed 2 of 2"), "{status}");
    assert!(
        s.app.employees.marked.is_empty(),
        "marks are cleared after the change"
    );
    let (dir, admin) = d.admin();
    for login in ["elarsen", "tlang"] {
        assert_eq!(
            dir.employee(login).expect(login).status,
            offboard::domain::Status::Dismissed
        );
    }
    assert_eq!(
        dir.employee("hr").expect("hr").status,
        offboard::domain::Status::Active
    );
    let held = dir
        .integrations(admin)
        .expect("i")
        .into_iter()
        .filter(|i| i.owner == "system.tlang")
        .count();
    assert_eq!(held, 2, "the one choice kept tlang's integrations");
}

#[test]
fn bulk_rehire_of_marked_dismissed_employees() {
    let d = demo();
    {
        let (mut dir, admin) = d.admin();
        dir.set_show_dismissed(admin, true).expect("setting");
    }
    let mut s = d.session("hr");
    s.press(KeyCode::Char('f')); // dismissed only
    assert_on_screen(&screen(&s), "Lukas Brandt");
    s.press(KeyCode::Char(' '));
    s.press(KeyCode::Char('j'));
    s.press(KeyCode::Char(' '));
    s.press(KeyCode::Char('m'));
    s.press(KeyCode::Char('h'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Hire 2 of 2 marked employees?");
    s.press(KeyCode::Char('y'));
    assert!(
        s.app
            .status
            .as_deref()
            .unwrap_or("")
            .starts_with("Hired 2 of 2"),
        "{:?}",
        s.app.status
    );
    let (dir, _) = d.admin();
    for login in ["lbrandt", "ydemir"] {
        assert_eq!(
            dir.employee(login).expect(login).status,
            offboard::domain::Status::Active
        );
    }
}

/// The menus come from the same rules as the operations: with one administrator left,
/// hr's row menu greys Dismiss for them with the reason, and choosing it opens no
/// dialog (it used to open, and only `y` got the refusal).
#[test]
fn the_last_administrator_is_greyed_in_the_row_menu_with_the_reason() {
    let d = demo();
    {
        let (mut dir, admin) = d.admin();
        dir.dismiss(admin, "elindqvist", &DismissRequest::default())
            .expect("dismiss the other administrator");
    }
    let mut s = d.session("hr");
    search(&mut s, "admin");
    s.press(KeyCode::Char('m'));
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "Dismiss  (Marek Nowicki is the last active administrator)",
    );
    let before = fingerprint(&d.open());
    s.press(KeyCode::Char('d'));
    let sc = screen(&s);
    assert_not_on_screen(&sc, "Dismiss employee");
    assert!(
        status_bar(&s).contains("last active administrator"),
        "{}",
        status_bar(&s)
    );
    assert_unchanged(&before, &d.open(), "a greyed Dismiss");
}

/// The profile's Keys tab: `+` adds a pasted key through its dialog, `-` removes the
/// selected one after a question that starts on Cancel; each shows in the database.
#[test]
fn keys_are_added_and_removed_in_the_profile() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('/'));
    s.type_text("jdoe");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    s.press(KeyCode::Left);
    assert_on_screen(
        &screen(&s),
        "No SSH keys: Jane Doe cannot sign in over SSH.",
    );

    s.press(KeyCode::Char('+'));
    s.type_text("ssh-dss AAAA");
    assert_on_screen(&screen(&s), "cannot read the SSH key");
    for _ in 0.."ssh-dss AAAA".len() {
        s.press(KeyCode::Backspace);
    }
    s.type_text(include_str!("ssh/keys/ed25519.pub").trim());
    assert_on_screen(
        &screen(&s),
        "ssh-ed25519 SHA256:p25XPAzj/ph8rc1ZvmwGElCxKO021VZc4MJ+bKDCSyY",
    );
    // Enter in the field moves to the buttons; Enter on "Add key" adds.
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    let (dir, admin) = d.admin();
    let keys = dir.keys(admin, Some("jdoe")).expect("keys");
    assert_eq!(keys.len(), 1, "{keys:?}");
    let shown = screen(&s);
    assert_on_screen(&shown, "Added SSH key #1 (ssh-ed25519");
    assert_on_screen(&shown, "test@ed25519");

    s.press(KeyCode::Char('-'));
    assert_on_screen(&screen(&s), "Remove SSH key #1 of Jane Doe (jdoe)?");
    s.press(KeyCode::Enter);
    assert_eq!(
        dir.keys(admin, Some("jdoe")).expect("keys").len(),
        1,
        "Enter on Cancel"
    );
    s.press(KeyCode::Char('-'));
    s.press(KeyCode::Char('y'));
    assert!(dir.keys(admin, Some("jdoe")).expect("keys").is_empty());
    assert_on_screen(
        &screen(&s),
        "No SSH keys: Jane Doe cannot sign in over SSH.",
    );

    // Someone else's keys are not jdoe's to see or change.
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('/'));
    s.type_text("tlang");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    s.press(KeyCode::Left);
    assert_on_screen(&screen(&s), "jdoe may not manage other employees' SSH keys");
    s.press(KeyCode::Char('+'));
    assert!(s.app.dialogs.is_empty(), "no dialog for another's keys");
}
