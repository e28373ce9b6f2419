//! Issue 14, what a first-time keyboard user tripped over in the TUI: each defect as a
//! flow on the demo company (keys in through `Session::press`, the database checked
//! through a second connection, the screen drawn on a `TestBackend`).

mod tui_support;

use offboard::directory::ListQuery;
use offboard::domain::StatusFilter;
use offboard::tui::Session;
use offboard::tui::dialogs::Dialog;
use offboard::tui::keymap::Mode;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

/// The logins the employee list shows for `text`, typed one key at a time: one list
/// per prefix of `text`.
fn list_as_typed(s: &mut Session, text: &str) -> Vec<Vec<String>> {
    s.press(KeyCode::Char('/'));
    let mut out = Vec::new();
    for c in text.chars() {
        s.press(KeyCode::Char(c));
        out.push(shown_logins(s));
    }
    s.press(KeyCode::Esc);
    out
}

fn shown_logins(s: &Session) -> Vec<String> {
    s.app
        .employees
        .rows
        .iter()
        .map(|r| r.employee.login.clone())
        .collect()
}

// ------------------------------------------------------------------ 14: search

#[test]
fn search_only_narrows_as_you_type_and_matches_words_of_every_field() {
    let d = demo();
    let mut s = d.session_sized("hr", 100, 60);
    // "ma" used to find nobody and "mar" two: now every prefix narrows the one before.
    let steps = list_as_typed(&mut s, "mar");
    for pair in steps.windows(2) {
        assert!(
            pair[1].iter().all(|l| pair[0].contains(l)),
            "results grew: {:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
    assert!(
        steps[1].contains(&"mbianchi".to_string()),
        "ma finds Marco: {:?}",
        steps[1]
    );
    assert!(steps[2].contains(&"mbianchi".to_string()));
    // Department and position are searched, by the start of their words, and every
    // word typed must match.
    let sales = list_as_typed(&mut s, "sales");
    assert!(
        sales.last().unwrap().contains(&"jdoe".to_string()),
        "department Sales"
    );
    let head = list_as_typed(&mut s, "head sal");
    assert_eq!(
        head.last().unwrap(),
        &vec!["dferreira".to_string()],
        "Head of Sales"
    );
    // Accents and case do not matter.
    let alv = list_as_typed(&mut s, "ÁLV");
    assert_eq!(alv.last().unwrap(), &vec!["dalvarez".to_string()]);
    // Not a fragment inside a word: "ssi" is in "Sabine Hartmann"'s "Assistant" only
    // as the middle of a word.
    let mid = list_as_typed(&mut s, "ssistant");
    assert!(mid.last().unwrap().is_empty(), "{:?}", mid.last());
    let sc = screen_sized(&s, 100, 60);
    assert_on_screen(&sc, "Employees (40)");
}

#[test]
fn the_reassign_picker_matches_as_the_list_does() {
    let d = demo();
    let mut s = d.session_sized("hr", 100, 40);
    for text in ["ma", "sales", "head sal", "kel"] {
        let listed = list_as_typed(&mut s, text).pop().unwrap();
        // The picker: active people, the one handing over left out, eight at most.
        let (dir, admin) = d.admin();
        let from = dir.employee("lbrandt").unwrap();
        let picked: Vec<String> = dir
            .successors(admin, text, from.id, 8)
            .unwrap()
            .into_iter()
            .map(|e| e.login)
            .collect();
        let expected: Vec<String> = listed.iter().take(8).cloned().collect();
        assert_eq!(picked, expected, "picker and list for {text:?}");
    }
    // Through the dialog: `r` on Lukas's row, type "ma" in To.
    let (mut dir, admin) = d.admin();
    dir.set_show_dismissed(admin, true).unwrap();
    drop(dir);
    s.poll();
    s.press(KeyCode::Char('/'));
    s.type_text("lbrandt");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('r'));
    assert!(matches!(s.app.dialog(), Some(Dialog::Reassign(_))));
    assert_eq!(s.app.mode(), Mode::DialogText, "the caret is in To");
    s.type_text("ma");
    let sc = screen_sized(&s, 100, 40);
    assert_on_screen(&sc, "Marco Bianchi (mbianchi)");
    assert_on_screen(&sc, "Jane Doe (jdoe)");
}

#[test]
fn a_search_never_scans_the_employees() {
    let d = demo();
    let dir = d.open();
    for (text, status) in [
        ("m", StatusFilter::Active),
        ("ma", StatusFilter::All),
        ("head sal", StatusFilter::Dismissed),
    ] {
        let q = ListQuery {
            status,
            search: Some(text.into()),
            offset: 0,
            limit: 30,
            ..Default::default()
        };
        let plan = offboard::store::queries::list_query_plan(dir.connection(), &q).unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("employee_words VIRTUAL TABLE")),
            "{text}: {plan:?}"
        );
        assert!(
            !plan
                .iter()
                .any(|p| p == "SCAN e" || p.contains("INDEX employees_list (kind=? AND status=?)")),
            "{text}: a scan of the employees: {plan:?}"
        );
    }
}

/// The Dismiss dialog of `login`, from their profile's Actions menu, as hr.
fn dismiss_dialog_of(d: &Demo, login: &str) -> Session {
    let mut s = d.session("hr");
    s.press(KeyCode::Char('/'));
    s.type_text(login);
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    assert!(s.app.profile.is_some(), "{login}'s profile");
    s.type_text("ad");
    assert!(
        matches!(s.app.dialog(), Some(Dialog::Dismiss(_))),
        "{:?}",
        s.app.dialog()
    );
    s
}

// ------------------------------------------------------------------ 3: a bad date

#[test]
fn a_bad_date_returns_to_the_field_keeping_what_was_typed() {
    let d = demo();
    let mut s = dismiss_dialog_of(&d, "elarsen");
    let before = fingerprint(&d.open());
    // Reason →, a note, then When.
    s.press(KeyCode::Tab);
    s.press(KeyCode::Right);
    s.press(KeyCode::Tab);
    s.type_text("Moving to Oslo");
    s.press(KeyCode::Tab);
    s.type_text("next friday");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    let sc = screen(&s);
    assert_on_screen(&sc, "When");
    // Whatever says what is wrong, Enter closes only that, and the dismiss dialog is
    // still there with the reason, the note and the caret in When.
    s.press(KeyCode::Enter);
    let Some(Dialog::Dismiss(dd)) = s.app.dialog() else {
        panic!(
            "the dismiss dialog is gone: {:?}\n{}",
            s.app.dialog(),
            screen(&s)
        );
    };
    assert_eq!(dd.note.value(), "Moving to Oslo");
    assert_eq!(dd.date.value(), "next friday");
    assert!(dd.reason.is_some());
    assert_eq!(
        dd.focus,
        offboard::tui::dialogs::dismiss::DismissFocus::Date,
        "back in When"
    );
    assert_unchanged(&before, &d.open(), "a bad date");
    // A date in the past: the same.
    for _ in 0..11 {
        s.press(KeyCode::Backspace);
    }
    s.type_text("2001-01-01");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    let Some(Dialog::Dismiss(dd)) = s.app.dialog() else {
        panic!(
            "the dismiss dialog is gone: {:?}\n{}",
            s.app.dialog(),
            screen(&s)
        );
    };
    assert_eq!(dd.note.value(), "Moving to Oslo");
    assert_eq!(
        dd.focus,
        offboard::tui::dialogs::dismiss::DismissFocus::Date
    );
    assert_unchanged(&before, &d.open(), "a date in the past");
}

// ------------------------------------------------------------------ 4: already leaving

#[test]
fn dismiss_is_greyed_for_someone_already_leaving_and_points_to_the_menus_cancel() {
    let d = demo();
    {
        let (mut dir, admin) = d.admin();
        let day = chrono::Local::now().date_naive() + chrono::Days::new(30);
        let req = offboard::directory::DismissRequest {
            integrations: Some(offboard::domain::IntegrationChoice::Keep),
            ..Default::default()
        };
        dir.dismiss_when(admin, "nhaddad", &req, offboard::directory::When::On(day))
            .unwrap();
    }
    let mut s = d.session("hr");
    s.press(KeyCode::Char('/'));
    s.type_text("nhaddad");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('m'));
    let sc = screen(&s);
    assert_on_screen(&sc, "leaving on ");
    assert_on_screen(&sc, "c Cancel scheduled dismissal first");
    assert_not_on_screen(&sc, "offboard cancel-dismissal");
    // Choosing it says why and opens nothing.
    s.press(KeyCode::Char('d'));
    assert!(s.app.dialog().is_none(), "{:?}", s.app.dialog());
    let bar = status_bar(&s);
    assert!(bar.contains("Cancel scheduled dismissal first"), "{bar}");
    // The menu's own cancel: its buttons say what each does.
    s.press(KeyCode::Char('m'));
    s.press(KeyCode::Char('c'));
    let buttons = buttons_drawn(&screen(&s));
    assert_eq!(
        buttons,
        vec!["Cancel the dismissal (y)", "Keep it scheduled (n/Esc)"],
        "two buttons, not two Cancels"
    );
}

// ------------------------------------------------------------------ 5: an administrator

#[test]
fn the_dismiss_dialog_says_the_target_is_an_administrator() {
    let d = demo();
    let s = dismiss_dialog_of(&d, "admin");
    assert_on_screen(
        &screen(&s),
        "Marek Nowicki is an administrator: they lose every right with their access.",
    );
    let s = dismiss_dialog_of(&d, "elarsen");
    assert_not_on_screen(&screen(&s), "is an administrator");
}

// ------------------------------------------------------------------ 16: dialogs

#[test]
fn a_date_changes_what_the_dismiss_dialog_says() {
    let d = demo();
    let mut s = dismiss_dialog_of(&d, "amehta");
    assert_on_screen(&screen(&s), "they stop working at once");
    for _ in 0..3 {
        s.press(KeyCode::Tab);
    }
    s.type_text("2099-12-31");
    let sc = screen(&s);
    assert_on_screen(&sc, "Dismiss Arjun Mehta (amehta) on 2099-12-31?");
    assert_on_screen(&sc, "they stop working on 2099-12-31");
    assert_on_screen(&sc, "they lose access on 2099-12-31");
    assert_not_on_screen(&sc, "at once");
}

#[test]
fn esc_in_a_field_with_text_asks_before_discarding() {
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('2'));
    s.press(KeyCode::Char('c'));
    assert_eq!(s.app.mode(), Mode::DialogText, "the caret is in Title");
    // Nothing typed: Esc closes at once.
    s.press(KeyCode::Esc);
    assert!(s.app.dialog().is_none());
    s.press(KeyCode::Char('c'));
    s.type_text("Deal alerts");
    s.press(KeyCode::Esc);
    let sc = screen(&s);
    assert_on_screen(&sc, "Discard what you typed?");
    assert_eq!(
        focused_button(&s),
        "Keep editing (n/Esc)",
        "the safe choice"
    );
    // Keep editing: back in the title with the text.
    s.press(KeyCode::Enter);
    let Some(Dialog::Webhook(w)) = s.app.dialog() else {
        panic!("{:?}", s.app.dialog())
    };
    assert_eq!(w.title.value(), "Deal alerts");
    assert_eq!(s.app.mode(), Mode::DialogText);
    // Discard: both close, nothing written.
    let before = fingerprint(&d.open());
    s.press(KeyCode::Esc);
    s.press(KeyCode::Char('y'));
    assert!(s.app.dialog().is_none(), "{:?}", s.app.dialog());
    assert_unchanged(&before, &d.open(), "discarding a webhook form");
}

// ------------------------------------------------------------------ 2: the caret

#[test]
fn text_fields_draw_the_caret_where_typing_inserts_and_scroll_with_it() {
    let d = demo();
    let mut s = dismiss_dialog_of(&d, "elarsen");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.type_text("abcdef");
    s.press(KeyCode::Left);
    s.press(KeyCode::Left);
    assert_on_screen(&screen(&s), "abcd▏ef");
    s.type_text("X");
    assert_on_screen(&screen(&s), "abcdX▏ef");
    // A note longer than the field: the end being typed stays in view.
    s.press(KeyCode::End);
    let long = "Handed the Nordic accounts to Jane; the sales mailbox still needs a new owner before Friday";
    s.type_text(long);
    let sc = screen(&s);
    assert_on_screen(&sc, "new owner before Friday▏");
    assert_on_screen(&sc, "Note   …");
    // Home: the start again, the rest marked.
    s.press(KeyCode::Home);
    let sc = screen(&s);
    assert_on_screen(&sc, "Note   ▏abcdXefHanded");
    // The list's search field too.
    let mut s = d.session("hr");
    s.press(KeyCode::Char('/'));
    s.type_text("jane doe");
    for _ in 0..4 {
        s.press(KeyCode::Left);
    }
    assert_on_screen(&screen(&s), "Search: jane▏ doe");
}

/// `login`'s profile as `viewer`, found by exact login (so dismissed people too).
fn profile_of(d: &Demo, viewer: &str, login: &str, h: u16) -> Session {
    let mut s = d.session_sized(viewer, 100, h);
    s.press(KeyCode::Char('/'));
    s.type_text(login);
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    assert_eq!(s.app.profile.as_ref().map(|p| p.login()), Some(login));
    s
}

fn go_to_tab(s: &mut Session, tab: offboard::tui::app::ProfileTab) {
    while s.app.profile.as_ref().unwrap().tab != tab {
        s.press(KeyCode::Right);
    }
}

/// The `YYYY-MM-DD` dates at the start of the section rows on screen, in order.
fn dates_on(sc: &str) -> Vec<String> {
    sc.lines()
        .filter_map(|l| {
            let l = l.trim_start_matches('│');
            let d = l.get(..10)?;
            (d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-')
                .then(|| d.to_string())
        })
        .collect()
}

// ------------------------------------------------------------------ 7: Drive in date order

#[test]
fn drive_is_newest_first_with_sizes_people_read() {
    let d = demo();
    let mut s = profile_of(&d, "hr", "lbrandt", 40);
    go_to_tab(&mut s, offboard::tui::app::ProfileTab::Drive);
    let sc = screen_sized(&s, 100, 40);
    let dates = dates_on(&sc);
    assert!(dates.len() >= 3, "{sc}");
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first:\n{sc}");
    assert_not_on_screen(&sc, " bytes");
    assert!(sc.contains(" MB") || sc.contains(" KB"), "{sc}");
}

// ------------------------------------------------------------------ 8: marks in the backlog

#[test]
fn marks_are_drawn_in_the_handover_backlog() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('o'));
    assert!(s.app.employees.backlog);
    s.press(KeyCode::Char(' '));
    let sc = screen(&s);
    assert_on_screen(&sc, "1 marked");
    assert_on_screen(&sc, "✓ ");
    // Esc clears the marks, then leaves the backlog view (item 16).
    s.press(KeyCode::Esc);
    assert!(s.app.employees.marked.is_empty());
    s.press(KeyCode::Esc);
    assert!(!s.app.employees.backlog, "Esc leaves the backlog");
    assert_not_on_screen(&screen(&s), "still own work");
}

// ------------------------------------------------------------------ 9: kept integrations

#[test]
fn a_dismissed_profile_shows_the_integrations_kept_for_them() {
    let d = demo();
    let mut s = profile_of(&d, "hr", "lbrandt", 30);
    let sc = screen(&s);
    assert_on_screen(&sc, "kept running under system.lbrandt");
    go_to_tab(&mut s, offboard::tui::app::ProfileTab::Integrations);
    let sc = screen(&s);
    assert_not_on_screen(&sc, "No integrations.");
    assert_on_screen(&sc, "#5");
    assert_on_screen(&sc, "kept: runs as system.lbrandt");
}

// ------------------------------------------------------------------ 12: the status column

#[test]
fn the_status_column_is_fixed_worded_alike_and_apart_from_the_next() {
    let d = demo();
    {
        let (mut dir, admin) = d.admin();
        let req = offboard::directory::DismissRequest {
            integrations: Some(offboard::domain::IntegrationChoice::Keep),
            ..Default::default()
        };
        let day = chrono::NaiveDate::from_ymd_opt(2099, 12, 31).unwrap();
        dir.dismiss_when(admin, "nhaddad", &req, offboard::directory::When::On(day))
            .unwrap();
        dir.set_show_dismissed(admin, true).unwrap();
    }
    let mut s = d.session_sized("admin", 100, 60);
    let sc = screen_sized(&s, 100, 60);
    let row = sc.lines().find(|l| l.contains("Nadia Haddad")).unwrap();
    assert!(row.contains("Leaving 2099-12-31  1"), "{row}");
    assert!(
        sc.lines().skip(5).all(|l| !l.contains(" active ")),
        "one word for the state: {sc}"
    );
    assert_on_screen(&sc, "Active");
    let header = |sc: &str| {
        sc.lines()
            .find(|l| l.contains("Position"))
            .unwrap()
            .to_string()
    };
    let before = header(&sc);
    // All, with Dismissed rows: the columns stay where they were.
    s.press(KeyCode::Char('f'));
    s.press(KeyCode::Char('f'));
    let sc = screen_sized(&s, 100, 60);
    assert_on_screen(&sc, "Dismissed");
    assert_eq!(header(&sc), before, "columns keep their places");
    // Active only, no one leaving on this page (a search): the same.
    s.press(KeyCode::Char('f'));
    s.press(KeyCode::Char('/'));
    s.type_text("jane");
    let sc = screen_sized(&s, 100, 60);
    assert_eq!(header(&sc), before, "columns keep their places");
}

// ------------------------------------------------------------------ 15: wording

#[test]
fn profile_sections_read_as_words_groups_at_the_margin_and_chats_top_down() {
    let d = demo();
    let mut s = profile_of(&d, "admin", "lbrandt", 40);
    // The reason as words.
    let sc = screen_sized(&s, 100, 40);
    assert_not_on_screen(&sc, "_");
    go_to_tab(&mut s, offboard::tui::app::ProfileTab::Tasks);
    assert_not_on_screen(&screen_sized(&s, 100, 40), "in_progress");
    go_to_tab(&mut s, offboard::tui::app::ProfileTab::Groups);
    let sc = screen_sized(&s, 100, 40);
    let first = sc
        .lines()
        .find(|l| l.contains("│") && l.contains("Sales") && !l.contains("Profile"))
        .unwrap_or_else(|| panic!("{sc}"));
    assert!(
        !first.trim_start_matches('│').starts_with("  "),
        "a group row starts at the margin: {first:?}"
    );
    // The conversation: oldest at the top, newest at the bottom.
    go_to_tab(&mut s, offboard::tui::app::ProfileTab::Conversation);
    let sc = screen_sized(&s, 100, 40);
    let dates = dates_on(&sc);
    assert!(dates.len() >= 3, "{sc}");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "a chat reads top-down:\n{sc}");
}

// ------------------------------------------------------------------ 13: the status bar

#[test]
fn the_status_bar_offers_only_keys_that_work_for_the_user() {
    let d = demo();
    let s = d.session("jdoe");
    let bar = status_bar(&s);
    for refused in [
        " m row menu",
        " o still owns work",
        " Space mark",
        " f status filter",
    ] {
        assert!(!bar.contains(refused), "jdoe is offered {refused:?}: {bar}");
    }
    assert!(bar.contains("/ search"), "{bar}");
    // hr: the backlog, marks and the menu; the filter only once dismissed are shown.
    let s = d.session("hr");
    let bar = status_bar(&s);
    for offered in [" m row menu", " o still owns work", " Space mark"] {
        assert!(
            bar.contains(offered),
            "hr is not offered {offered:?}: {bar}"
        );
    }
    assert!(!bar.contains(" f status filter"), "{bar}");
    let (mut dir, admin) = d.admin();
    dir.set_show_dismissed(admin, true).unwrap();
    let s = d.session("hr");
    assert!(status_bar(&s).contains(" f status filter"));
}

#[test]
fn a_long_message_is_cut_before_it_pushes_the_keys_off_the_line() {
    let d = demo();
    let mut s = d.session("hr");
    s.app.status = Some("A very long message about something that happened ".repeat(4));
    let bar = status_bar(&s);
    assert!(bar.contains('…'), "{bar}");
    assert!(bar.contains("? help"), "the keys stay on the line: {bar}");
}

// ------------------------------------------------------------------ 6: help

/// The first line inside the help overlay's list (below its search line).
fn first_help_line(s: &Session) -> String {
    let sc = screen_sized(s, 100, 30);
    let lines: Vec<&str> = sc.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains("Keys: every key that works"))
        .unwrap_or_else(|| panic!("no help:\n{sc}"));
    // The overlay's own columns: from its left border on.
    let left = lines[top]
        .chars()
        .position(|c| c == '┌')
        .expect("the overlay's corner");
    let line: String = lines[top + 2].chars().skip(left + 1).collect();
    // A section's title, without the name of its config table beside it.
    let inside = line.split('│').next().unwrap_or("");
    inside
        .split("  [keys.")
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

#[test]
fn help_opens_where_you_are_pages_and_searches() {
    let d = demo();
    let mut s = profile_of(&d, "hr", "jdoe", 30);
    s.press(KeyCode::Char('?'));
    assert_eq!(
        first_help_line(&s),
        "Profile",
        "opens at the profile's keys"
    );
    // Paging: PgDn, then G and g.
    s.press(KeyCode::PageDown);
    assert_ne!(first_help_line(&s), "Profile");
    s.press(KeyCode::Char('g'));
    assert_eq!(first_help_line(&s), "Everywhere");
    s.press(KeyCode::Char('G'));
    let bottom = first_help_line(&s);
    s.press(KeyCode::End);
    assert_eq!(first_help_line(&s), bottom, "End stops at the bottom");
    s.press(KeyCode::Home);
    assert_eq!(first_help_line(&s), "Everywhere");
    // `/` searches: only rows that say it, under their sections.
    s.press(KeyCode::Char('/'));
    s.type_text("secret");
    let sc = screen_sized(&s, 100, 30);
    assert_on_screen(&sc, "new secret");
    assert_not_on_screen(&sc, "previous section");
    // Enter keeps the filter; Esc closes help.
    s.press(KeyCode::Enter);
    assert_eq!(s.app.mode(), Mode::Help);
    s.press(KeyCode::Esc);
    assert!(s.app.help.is_none());
    assert_eq!(s.app.mode(), Mode::Profile);
}

#[test]
fn help_over_a_dialog_shows_that_dialogs_keys() {
    let d = demo();
    let mut s = dismiss_dialog_of(&d, "amehta");
    s.press(KeyCode::Char('?'));
    assert_eq!(first_help_line(&s), "Dismiss dialog, with integrations");
    let sc = screen_sized(&s, 100, 30);
    assert_on_screen(&sc, "keep integrations & dismiss");
    // Closing help goes back to the dialog, unchanged.
    s.press(KeyCode::Char('?'));
    assert!(s.app.help.is_none());
    assert!(matches!(s.app.dialog(), Some(Dialog::Dismiss(_))));
}

// ------------------------------------------------------------------ 10: shown whole

#[test]
fn enter_shows_a_cut_row_whole_wrapped() {
    let d = demo();
    // The dismissal note, cut in the profile's head.
    let mut s = profile_of(&d, "hr", "lbrandt", 30);
    let note_end = "still to be reassigned.";
    assert_not_on_screen(&screen(&s), note_end);
    s.press(KeyCode::Enter);
    let sc = screen(&s);
    assert_on_screen(&sc, "Departure");
    assert_on_screen(&sc, note_end);
    s.press(KeyCode::Enter);
    assert!(s.app.dialog().is_none(), "Enter closes it");
    // A chat line.
    go_to_tab(&mut s, offboard::tui::app::ProfileTab::Conversation);
    s.press(KeyCode::Enter);
    assert!(
        matches!(s.app.dialog(), Some(Dialog::Message(m)) if m.title == "Conversation history"),
        "{:?}",
        s.app.dialog()
    );
    s.press(KeyCode::Esc);
    // An audit event: its details as JSON, whole.
    let mut s = d.session("admin");
    s.press(KeyCode::Char('3'));
    s.press(KeyCode::Down);
    s.press(KeyCode::Enter);
    let sc = screen(&s);
    assert_on_screen(&sc, "Audit event #");
    assert_on_screen(&sc, "\"reason\": \"resigned\"");
}

// ------------------------------------------------------------------ 11: margins

#[test]
fn wrapped_dialog_text_keeps_its_margin_and_too_small_says_it_whole() {
    let d = demo();
    let s = dismiss_dialog_of(&d, "amehta");
    let sc = screen(&s);
    // Every row inside the dialog box starts one column in from its border.
    let lines: Vec<&str> = sc.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains("┌ Dismiss employee"))
        .unwrap();
    let left = lines[top].chars().position(|c| c == '┌').unwrap();
    for l in &lines[top + 1..] {
        let inside: Vec<char> = l.chars().skip(left).collect();
        if inside.first() == Some(&'└') {
            break;
        }
        assert_eq!(inside.first(), Some(&'│'), "{l}");
        assert!(
            inside.get(1) == Some(&' ') || inside.get(1) == Some(&'│'),
            "no margin: {l}\n{sc}"
        );
    }
    // At 30×8 the too-small message is whole, wrapped.
    let s = d.session_sized("hr", 30, 8);
    let sc = screen_sized(&s, 30, 8);
    let joined: String = sc.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("Too small: need 60×16, have 30×8"), "{sc}");
}

// ------------------------------------------------------------------ 1 and 19: the URL, copied

/// A sink that keeps what the session writes to its terminal for the clipboard.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The text an OSC 52 sequence carries.
fn osc52_payload(written: &str) -> String {
    use base64::Engine;
    let body = written
        .strip_prefix("\x1b]52;c;")
        .and_then(|r| r.strip_suffix('\x07'))
        .unwrap_or_else(|| panic!("not one OSC 52 sequence: {written:?}"));
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn a_long_webhook_url_is_drawn_without_borders_in_it_and_c_copies_it() {
    let d = demo();
    let mut dir = d.open();
    dir.set_base_url("https://offboard-webhooks.internal.corvane-logistics.example:8443");
    let me = dir.sign_in("admin").unwrap();
    let mut s = Session::new(dir, me, 80, 24).unwrap();
    s.app.theme = offboard::tui::ui::theme::Theme::colour();
    let clip = Captured::default();
    s.exec.clipboard = Some(Box::new(clip.clone()));
    // 2 G r y: a new secret for the last integration.
    s.press(KeyCode::Char('2'));
    s.press(KeyCode::Char('G'));
    s.press(KeyCode::Char('r'));
    s.press(KeyCode::Char('y'));
    let url = match s.app.dialog() {
        Some(Dialog::Message(m)) => m.url.clone().expect("the URL"),
        other => panic!("{other:?}"),
    };
    assert!(url.len() > 80, "{url}");
    let sc = screen_sized(&s, 80, 24);
    // The rows the URL is drawn on hold nothing but the URL: no border, no margin.
    let rows: Vec<&str> = sc
        .lines()
        .skip_while(|l| !url.starts_with(l.trim_end()) || l.trim().is_empty())
        .take(2)
        .collect();
    assert_eq!(
        rows.concat(),
        url,
        "the URL, whole, from the first column:\n{sc}"
    );
    assert!(!rows.iter().any(|r| r.contains('│')), "{sc}");
    assert_on_screen(&sc, "c copies the URL");
    // c puts it on the clipboard through the terminal.
    s.press(KeyCode::Char('c'));
    assert_eq!(osc52_payload(&clip.text()), url);
    assert!(
        status_bar(&s).contains("Copied the webhook URL"),
        "{}",
        status_bar(&s)
    );
    assert!(
        matches!(s.app.dialog(), Some(Dialog::Message(_))),
        "the URL stays shown"
    );
}

#[test]
fn a_profile_copies_the_login_and_the_email() {
    let d = demo();
    let mut s = profile_of(&d, "hr", "jdoe", 30);
    let clip = Captured::default();
    s.exec.clipboard = Some(Box::new(clip.clone()));
    s.press(KeyCode::Char('c'));
    assert_eq!(osc52_payload(&clip.text()), "jdoe");
    clip.0.lock().unwrap().clear();
    s.press(KeyCode::Char('e'));
    let email = d.open().employee("jdoe").unwrap().email;
    assert_eq!(osc52_payload(&clip.text()), email);
    assert!(status_bar(&s).contains("Copied Jane Doe's e-mail"));
}

#[test]
fn the_list_title_says_how_many_dismissed_are_hidden() {
    let d = demo();
    let mut s = d.session("hr");
    assert_on_screen(&screen(&s), "Employees (40) · 2 dismissed hidden");
    // A search counts the hidden ones it would find.
    s.press(KeyCode::Char('/'));
    s.type_text("brandt");
    assert_on_screen(&screen(&s), "Employees (0) · 1 dismissed hidden");
    s.press(KeyCode::Esc);
    // Shown, with the filter on all: nothing hidden.
    let (mut dir, admin) = d.admin();
    dir.set_show_dismissed(admin, true).unwrap();
    s.poll();
    s.press(KeyCode::Char('f'));
    s.press(KeyCode::Char('f'));
    let sc = screen(&s);
    assert_on_screen(&sc, "Employees (42)");
}

// ------------------------------------------------------------------ 23: the employee list

/// The positions, in the order the list shows them.
fn shown_positions(s: &Session) -> Vec<String> {
    s.app
        .employees
        .rows
        .iter()
        .map(|r| r.employee.position.clone())
        .collect()
}

#[test]
fn the_list_sorts_by_a_column_and_filters_by_department() {
    let d = demo();
    let mut s = d.session_sized("hr", 100, 60);
    let sc = screen_sized(&s, 100, 60);
    assert_on_screen(&sc, "Name ▲");
    s.press(KeyCode::Char('s'));
    let sc = screen_sized(&s, 100, 60);
    assert_on_screen(&sc, "Position ▲");
    let positions = shown_positions(&s);
    let mut sorted = positions.clone();
    sorted.sort_by_key(|p| p.to_lowercase());
    assert_eq!(positions, sorted, "by position");
    s.press(KeyCode::Char('s'));
    let departments: Vec<String> = s
        .app
        .employees
        .rows
        .iter()
        .map(|r| {
            r.employee
                .department
                .clone()
                .unwrap_or_default()
                .to_lowercase()
        })
        .collect();
    let mut sorted = departments.clone();
    sorted.sort();
    assert_eq!(departments, sorted, "by department");
    s.press(KeyCode::Char('s'));
    assert_on_screen(&screen_sized(&s, 100, 60), "Name ▲");
    // d: a department.
    s.press(KeyCode::Char('d'));
    let sc = screen_sized(&s, 100, 60);
    assert_on_screen(&sc, "All departments");
    // Down to Finance in the picker.
    let Some(Dialog::Department(dd)) = s.app.dialog() else {
        panic!("{:?}", s.app.dialog())
    };
    let finance = dd
        .items
        .iter()
        .position(|i| i.as_ref().is_some_and(|(_, n)| n == "Finance"))
        .unwrap();
    while let Some(Dialog::Department(dd)) = s.app.dialog() {
        if dd.selected == finance {
            break;
        }
        s.press(KeyCode::Down);
    }
    s.press(KeyCode::Enter);
    assert!(s.app.dialog().is_none());
    let sc = screen_sized(&s, 100, 60);
    assert_on_screen(&sc, "Department: Finance (d)");
    assert!(!s.app.employees.rows.is_empty());
    assert!(
        s.app
            .employees
            .rows
            .iter()
            .all(|r| r.employee.department.as_deref() == Some("Finance")),
        "{sc}"
    );
    // With a search too.
    s.press(KeyCode::Char('/'));
    s.type_text("nadia");
    assert_eq!(shown_logins(&s), vec!["nhaddad".to_string()]);
    s.press(KeyCode::Esc);
    // All departments again.
    s.press(KeyCode::Char('d'));
    s.press(KeyCode::Home);
    while let Some(Dialog::Department(dd)) = s.app.dialog() {
        if dd.selected == 0 {
            break;
        }
        s.press(KeyCode::Up);
    }
    s.press(KeyCode::Enter);
    assert_on_screen(&screen_sized(&s, 100, 60), "Employees (40)");
}

#[test]
fn the_list_shows_where_the_selection_is_and_highlights_matches() {
    let d = demo();
    let mut s = d.session("hr");
    let sc = screen(&s);
    assert_on_screen(&sc, " 1/40 ");
    assert_on_screen(&sc, "█");
    for _ in 0..11 {
        s.press(KeyCode::Down);
    }
    assert_on_screen(&screen(&s), " 12/40 ");
    // Matches: the start of each matching word in the search's style.
    s.press(KeyCode::Char('/'));
    s.type_text("mar");
    let term = terminal_for(&s, 100, 30);
    let hit = s.app.theme.key;
    let cell = cell_of(&term, "Marco Bianchi");
    assert!(has_style(&cell, hit), "Mar of Marco is highlighted");
    let cell = cell_of(&term, "co Bianchi");
    assert!(!has_style(&cell, hit), "only the matched start: {cell:?}");
    let cell = cell_of(&term, "Bianchi");
    assert!(!has_style(&cell, hit), "Bianchi is not");
}

#[test]
fn sorting_by_position_and_one_department_read_along_an_index() {
    let d = demo();
    let dir = d.open();
    let finance = dir.department_id("Finance").unwrap().unwrap();
    for q in [
        ListQuery {
            sort: offboard::directory::ListSort::Position,
            limit: 30,
            ..Default::default()
        },
        ListQuery {
            department: Some(finance),
            limit: 30,
            ..Default::default()
        },
    ] {
        let plan = offboard::store::queries::list_query_plan(dir.connection(), &q).unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("employees_by_position")
                    || p.contains("employees_by_department")),
            "{q:?}: {plan:?}"
        );
        // The page is found along the index, never by sorting every employee (the
        // 30 rows found are put in order after, "SCAN page").
        let finding: Vec<&String> = plan.iter().take_while(|p| *p != "SCAN page").collect();
        assert!(
            !finding
                .iter()
                .any(|p| p.contains("TEMP B-TREE") || *p == "SCAN e"),
            "{q:?}: {plan:?}"
        );
    }
}

#[test]
fn a_bulk_dismissal_takes_a_reason_and_a_note_for_the_set() {
    let d = demo();
    let mut s = d.session("hr");
    for login in ["elarsen", "rkumar"] {
        s.press(KeyCode::Char('/'));
        s.type_text(login);
        s.press(KeyCode::Enter);
        s.press(KeyCode::Char(' '));
        s.press(KeyCode::Esc);
    }
    s.press(KeyCode::Char('m'));
    s.press(KeyCode::Char('d'));
    assert_on_screen(&screen(&s), "Dismiss 2 of 2 marked employees?");
    assert_eq!(focused_button(&s), "Cancel (n/Esc)");
    // Tab: Reason (→ picks one), Tab: Note, type, Tab: back on the buttons.
    s.press(KeyCode::Tab);
    s.press(KeyCode::Right);
    s.press(KeyCode::Tab);
    assert_eq!(s.app.mode(), Mode::DialogText);
    s.type_text("Support team moved to the partner");
    let sc = screen(&s);
    assert_on_screen(&sc, "‹ resigned ›");
    assert_on_screen(&sc, "Support team moved to the partner▏");
    // Past When (empty: now) to the buttons.
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.press(KeyCode::Char('y'));
    assert!(s.app.dialog().is_none(), "{:?}", s.app.dialog());
    let (dir, admin) = d.admin();
    for login in ["elarsen", "rkumar"] {
        let dep = dir
            .profile(admin, login)
            .unwrap()
            .departure
            .expect("departure");
        assert_eq!(
            dep.reason,
            Some(offboard::domain::Reason::Resigned),
            "{login}"
        );
        assert_eq!(
            dep.note.as_deref(),
            Some("Support team moved to the partner")
        );
    }
}

#[test]
fn a_value_cut_to_its_column_ends_with_an_ellipsis() {
    let d = demo();
    let s = d.session("hr");
    let sc = screen(&s);
    let row = sc.lines().find(|l| l.contains("Diego Álvarez")).unwrap();
    assert!(row.contains("Talent Acquisition Speci…"), "{row}");
}

/// A broad search on a company big enough for it (5,000 matches and more) walks the
/// list and tests each row's words; its pages are the index's, page for page.
#[test]
fn a_broad_search_finds_the_same_pages_as_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.db");
    let mut dir = offboard::Directory::create(&path).unwrap();
    offboard::demo::build_large(
        &mut dir,
        offboard::demo::LargeSpec {
            employees: 12_000,
            tasks: 200,
            heavy_tasks: 10,
            crm_items: 100,
            files: 100,
            messages: 100,
            integrations: 20,
            seed: 14,
        },
    )
    .unwrap();
    let c = dir.connection();
    let mut broad = 0;
    for text in ["s", "a", "m", "ma", "an", "e", "sen", "a s", "s 1"] {
        for (offset, sort) in [(0, by(0)), (37, by(1)), (500, by(0))] {
            let q = ListQuery {
                search: Some(text.into()),
                offset,
                limit: 30,
                sort,
                ..Default::default()
            };
            let walked: Vec<i64> = offboard::store::queries::list_employees(c, &q)
                .unwrap()
                .iter()
                .map(|r| r.employee.id.0)
                .collect();
            let indexed = offboard::store::queries::page_ids_from_index(c, &q).unwrap();
            assert_eq!(walked, indexed, "{text:?} at {offset} by {sort:?}");
            let n = offboard::store::queries::count_employees(c, &q).unwrap();
            if n >= 5_000 {
                broad += 1;
            }
        }
    }
    assert!(broad >= 6, "the broad searches were tried: {broad}");
}

fn by(i: usize) -> offboard::directory::ListSort {
    offboard::directory::ListSort::ALL[i]
}

#[test]
fn a_bulk_dismissal_can_be_scheduled_for_a_day() {
    let d = demo();
    let mut s = d.session("hr");
    for login in ["elarsen", "rkumar"] {
        s.press(KeyCode::Char('/'));
        s.type_text(login);
        s.press(KeyCode::Enter);
        s.press(KeyCode::Char(' '));
        s.press(KeyCode::Esc);
    }
    s.type_text("md");
    // Tab: Reason, Note, When.
    for _ in 0..3 {
        s.press(KeyCode::Tab);
    }
    s.type_text("next month");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Char('y'));
    // Not a date: said over the preview, which keeps it, the caret back in When.
    assert_on_screen(&screen(&s), "is not a date");
    s.press(KeyCode::Enter);
    let Some(Dialog::Bulk(b)) = s.app.dialog() else {
        panic!("{:?}", s.app.dialog())
    };
    assert_eq!(b.date.value(), "next month");
    for _ in 0.."next month".len() {
        s.press(KeyCode::Backspace);
    }
    s.type_text("2099-12-31");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Char('y'));
    assert!(s.app.dialog().is_none(), "{:?}", s.app.dialog());
    let msg = s.app.status.clone().unwrap_or_default();
    assert!(
        msg.starts_with("Scheduled the dismissal on 2099-12-31 of 2 of 2"),
        "{msg}"
    );
    let (dir, admin) = d.admin();
    for login in ["elarsen", "rkumar"] {
        let p = dir.profile(admin, login).unwrap();
        assert_eq!(
            p.employee.status,
            offboard::domain::Status::Active,
            "{login}"
        );
        assert_eq!(
            p.departure.expect("pending").state,
            offboard::domain::DepartureState::Pending
        );
    }
}

#[test]
fn the_terminal_cursor_stands_where_typing_inserts() {
    let d = demo();
    let mut s = dismiss_dialog_of(&d, "elarsen");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.type_text("abcdef");
    s.press(KeyCode::Left);
    s.press(KeyCode::Left);
    let mut term = terminal_for(&s, 100, 30);
    let sc = buffer_text(&term);
    let (row, line) = sc
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("abcd▏ef"))
        .expect("the note");
    let col = line[..line.find("abcd▏ef").unwrap()].chars().count() + 4;
    assert!(term.backend().cursor_visible(), "the cursor is shown");
    term.backend_mut()
        .assert_cursor_position((col as u16, row as u16));
    // Not while no field has the focus.
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    let term = terminal_for(&s, 100, 30);
    assert!(!term.backend().cursor_visible(), "no field, no cursor");
}
