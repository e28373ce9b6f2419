//! Each door words a refusal in its own terms: the same fact (a dismissal already
//! scheduled, a date in the past, integrations that need a choice) is said with a
//! command and its flags on the command line, with the screen's own menus and fields
//! in the TUI, and with the wire format's parameter over REST. The facts come from one
//! typed error; none of these may borrow another door's words.

mod binary;
mod tui_support;

use ratatui::crossterm::event::KeyCode;
use tui_support::*;

/// The error dialog's text, as the user sees it.
fn error_dialog(s: &offboard::tui::Session) -> String {
    let sc = screen(s);
    assert!(sc.contains("Error"), "an error dialog is open:\n{sc}");
    sc
}

/// In the dismiss dialog of the employee found by `login`: Tab to When, type `date`,
/// and press Dismiss.
fn dismiss_on(s: &mut offboard::tui::Session, login: &str, date: &str) {
    s.press(KeyCode::Char('/'));
    s.type_text(login);
    s.press(KeyCode::Enter);
    s.type_text("md");
    for _ in 0..3 {
        s.press(KeyCode::Tab);
    }
    s.type_text(date);
    s.press(KeyCode::Tab);
    s.press(KeyCode::Char('y'));
}

#[test]
fn the_tui_points_to_its_own_menu_for_a_dismissal_already_scheduled() {
    let d = demo();
    let mut s = d.session("hr");
    dismiss_on(&mut s, "elarsen", "2099-12-31");
    assert!(
        status_bar(&s).contains("Emma Larsen (elarsen) is leaving on 2099-12-31"),
        "{}",
        status_bar(&s)
    );
    s.press(KeyCode::Esc);
    // Dismiss is greyed in the row menu now, pointing to the menu's own item.
    s.press(KeyCode::Char('/'));
    s.type_text("elarsen");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('m'));
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "leaving on 2099-12-31: c Cancel scheduled dismissal first",
    );
    s.press(KeyCode::Char('d'));
    let bar = status_bar(&s);
    assert!(bar.contains("c Cancel scheduled dismissal first"), "{bar}");
    assert!(
        !bar.contains("offboard cancel-dismissal") && !bar.contains('`'),
        "{bar}"
    );
    // Scheduled by someone else while the dialog was open: the refusal says the same.
    let e = offboard::Error::WrongState(offboard::domain::Conflict::AlreadyLeaving {
        login: "elarsen".into(),
        on: chrono::NaiveDate::from_ymd_opt(2099, 12, 31).unwrap(),
    });
    let said = offboard::tui::wording::say(&e);
    assert!(
        said.contains("cancel that first with Cancel scheduled"),
        "{said}"
    );
    assert!(
        !said.contains("offboard cancel-dismissal") && !said.contains('`'),
        "{said}"
    );
}

#[test]
fn the_tui_names_its_when_field_for_a_date_in_the_past() {
    let d = demo();
    let mut s = d.session("hr");
    let before = fingerprint(&d.open());
    dismiss_on(&mut s, "elarsen", "2001-01-01");
    let sc = error_dialog(&s);
    assert_on_screen(&sc, "When: 2001-01-01 is in the past");
    assert_not_on_screen(&sc, "--on");
    assert_unchanged(&before, &d.open(), "a refused date");
}

#[test]
fn the_command_line_names_its_command_and_flag_for_the_same_facts() {
    let d = demo();
    let home = d.tmp.path();
    let run = |args: &[&str]| {
        let out = binary::command(home, &d.path, args)
            .output()
            .expect("run offboard");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _) = run(&["--as", "hr", "dismiss", "elarsen", "--on", "2099-12-31"]);
    assert_eq!(code, Some(0));
    let (code, err) = run(&["--as", "hr", "dismiss", "elarsen", "--on", "2099-11-30"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("elarsen is already leaving on 2099-12-31: cancel that first with `offboard cancel-dismissal elarsen`"),
        "{err}"
    );
    let (code, err) = run(&["--as", "hr", "dismiss", "jdoe", "--on", "2001-01-01"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--on 2001-01-01 is in the past"), "{err}");
    let (code, err) = run(&["--as", "hr", "dismiss", "tlang"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("choose --integrations keep or --integrations disable"),
        "{err}"
    );
    assert!(!err.contains("INTEGRATIONS="), "{err}");
}

/// An outcome is worded once: the command line prints the same sentence the TUI's
/// status line shows, for a dismissal with kept integrations and for a rehire.
#[test]
fn the_command_line_and_the_tui_report_an_outcome_in_the_same_words() {
    let by_cli = demo();
    let run = |args: &[&str]| {
        let out = binary::command(by_cli.tmp.path(), &by_cli.path, args)
            .output()
            .expect("run offboard");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let dismissed = run(&["--as", "hr", "dismiss", "amehta", "--integrations", "keep"]);
    let hired = run(&["--as", "hr", "hire", "amehta"]);
    let first = |s: &str| {
        s.lines()
            .next()
            .unwrap_or("")
            .trim_end_matches('.')
            .to_string()
    };
    assert_eq!(
        first(&dismissed),
        "Dismissed Arjun Mehta (amehta); 1 integration moved to a system user (system.amehta) and keep working"
    );

    let by_tui = demo();
    let mut s = by_tui.session("hr");
    s.press(KeyCode::Char('/'));
    s.type_text("amehta");
    s.press(KeyCode::Enter);
    s.type_text("mdk");
    // The same words; the status bar cuts a long message with "…" to keep its help
    // key, so the words are the message's.
    let said = s.app.status.clone().unwrap_or_default();
    assert!(
        said.starts_with(&first(&dismissed)),
        "TUI: {said}\nCLI: {dismissed}"
    );
    assert!(status_bar(&s).contains("Dismissed Arjun Mehta (amehta); 1 integration moved"));
    // Dismissed employees are hidden from the list: the exact login still finds him.
    s.press(KeyCode::Char('/'));
    for _ in 0.."amehta".len() {
        s.press(KeyCode::Backspace);
    }
    s.type_text("amehta");
    s.press(KeyCode::Enter);
    s.type_text("mh");
    s.press(KeyCode::Char('y'));
    assert!(
        status_bar(&s).contains(&first(&hired)),
        "TUI: {}\nCLI: {hired}",
        status_bar(&s)
    );
}

/// A When that is not a date is the dialog's own business: the message goes over the
/// dialog, which stays open with the reason and note typed in it.
#[test]
fn a_bad_date_keeps_the_dismiss_dialog_and_what_was_typed() {
    let d = demo();
    let mut s = d.session("hr");
    let before = fingerprint(&d.open());
    s.press(KeyCode::Char('/'));
    s.type_text("elarsen");
    s.press(KeyCode::Enter);
    s.type_text("md");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Tab);
    s.type_text("Moved to Lisbon");
    s.press(KeyCode::Tab);
    s.type_text("next friday");
    s.press(KeyCode::Tab);
    s.press(KeyCode::Char('y'));
    let sc = error_dialog(&s);
    assert_on_screen(&sc, "When \"next friday\" is not a date: use YYYY-MM-DD");
    s.press(KeyCode::Enter);
    let sc = screen(&s);
    assert_on_screen(&sc, "Moved to Lisbon");
    assert_on_screen(&sc, "next friday▏");
    assert_not_on_screen(&sc, "┌ Error");
    assert_unchanged(&before, &d.open(), "a bad date");
}

/// Every sentence names a person one way, by name and then login: a dismissal on a
/// later day, who scheduled it, its cancellation, a reassignment (both people), and
/// each change and skip of a bulk run. Only the sentences changed: `--json` still
/// answers with the login alone.
#[test]
fn the_command_line_names_each_person_by_name_and_login() {
    let d = demo();
    let run = |args: &[&str]| {
        let out = binary::command(d.tmp.path(), &d.path, args)
            .output()
            .expect("run offboard");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        run(&["--as", "hr", "dismiss", "elarsen", "--on", "2099-12-31"]),
        "Emma Larsen (elarsen) is leaving on 2099-12-31: the dismissal is applied then \
         (cancel it with `offboard cancel-dismissal elarsen`).\n"
    );
    let shown = run(&["--as", "hr", "show", "elarsen"]);
    assert!(
        shown.contains("Leaving on 2099-12-31, scheduled by Laura Jensen (hr)\n"),
        "{shown}"
    );
    assert_eq!(
        run(&["--as", "hr", "cancel-dismissal", "elarsen"]),
        "Canceled the dismissal of Emma Larsen (elarsen) scheduled for 2099-12-31.\n"
    );
    let moved = run(&["--as", "hr", "reassign", "elarsen", "--to", "jdoe"]);
    assert!(
        moved.starts_with("Moved from Emma Larsen (elarsen) to Jane Doe (jdoe): 2 tasks, "),
        "{moved}"
    );
    let bulk = run(&["--as", "hr", "dismiss", "elarsen", "lbrandt", "hr", "--yes"]);
    for line in [
        "\nDismissed Emma Larsen (elarsen)\n",
        "\nSkipped Lukas Brandt (lbrandt): lbrandt is already dismissed\n",
        "\nSkipped Laura Jensen (hr): hr may not dismiss themselves\n",
    ] {
        assert!(bulk.contains(line), "{line:?} in\n{bulk}");
    }
    let shown = run(&["--as", "hr", "show", "elarsen"]);
    assert!(
        shown.contains(" by Laura Jensen (hr)\n"),
        "who dismissed her: {shown}"
    );
    // Her offboarding checklist, and someone who has none.
    let list = run(&["--as", "hr", "checklist", "show", "elarsen"]);
    assert!(
        list.starts_with("Emma Larsen (elarsen): checklist \"Standard offboarding\""),
        "{list}"
    );
    let ticked = run(&["--as", "hr", "checklist", "done", "elarsen", "1"]);
    assert!(
        ticked.contains(" of the checklist of Emma Larsen (elarsen); "),
        "{ticked}"
    );
    assert_eq!(
        run(&["--as", "hr", "checklist", "show", "jdoe"]),
        "Jane Doe (jdoe) has no offboarding checklist.\n"
    );
    // Machine output keeps its logins and no names.
    let json = run(&[
        "--as",
        "hr",
        "dismiss",
        "jdoe",
        "--on",
        "2099-12-31",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        v,
        serde_json::json!({ "login": "jdoe", "on": "2099-12-31", "state": "pending" })
    );
}
