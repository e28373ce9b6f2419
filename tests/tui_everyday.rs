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
