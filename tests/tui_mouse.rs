//! The mouse through the same path as the terminal's events: a `MouseEvent` goes into
//! `Session::handle_event`, is looked up in what the last frame drew (`tui::mouse`)
//! and becomes the Action the key gives. Each test draws the screen on a `TestBackend`,
//! clicks where the text it names was drawn, and checks the state, the screen and the
//! database (through a second connection).

mod tui_support;

use offboard::domain::Status;
use offboard::tui::app::{Pane, ProfileTab};
use offboard::tui::dialogs::Dialog;
use offboard::tui::keymap::Mode;
use offboard::tui::{Session, mouse};
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

/// Where `needle` is drawn on the 100×30 screen (the first place, searching rows from
/// the top; only lines that also contain `on_line` when it is given).
#[track_caller]
fn place_of(s: &Session, needle: &str, on_line: Option<&str>) -> (u16, u16) {
    let sc = screen_sized(s, s.app.width, s.app.height);
    for (y, line) in sc.lines().enumerate() {
        if on_line.is_some_and(|l| !line.contains(l)) {
            continue;
        }
        if let Some(start) = line.find(needle) {
            let x = line[..start].chars().count() as u16;
            return (x, y as u16);
        }
    }
    panic!("{needle:?} is not on the screen:\n{sc}");
}

/// Click `needle` in the status bar (the last row).
#[track_caller]
fn click_on_status(s: &mut Session, needle: &str) {
    let sc = screen_sized(s, s.app.width, s.app.height);
    let y = sc.lines().count() - 1;
    let line = sc.lines().last().unwrap_or_default();
    let start = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the status bar: {line}"));
    let x = line[..start].chars().count() as u16;
    s.click(x + 1, y as u16);
}

/// Draw the screen, then click the middle of where `needle` is drawn.
#[track_caller]
fn click_on(s: &mut Session, needle: &str) {
    click_on_line(s, needle, None)
}

#[track_caller]
fn click_on_line(s: &mut Session, needle: &str, on_line: Option<&str>) {
    let (x, y) = place_of(s, needle, on_line);
    let w = needle.chars().count() as u16;
    s.click(x + w / 2, y);
}

fn selected_login(s: &Session) -> String {
    s.app
        .selected_employee()
        .map(|e| e.login.clone())
        .unwrap_or_default()
}

fn status_in_db(d: &Demo, login: &str) -> Status {
    d.open().employee(login).expect("employee").status
}

#[test]
fn a_click_on_a_row_selects_it_and_a_second_click_opens_the_profile() {
    let d = demo();
    let mut s = d.session("hr");
    assert_eq!(selected_login(&s), "haalto", "the first row is selected");
    click_on(&mut s, "Jane Doe");
    assert_eq!(selected_login(&s), "jdoe", "the clicked row is selected");
    assert!(s.app.profile.is_none(), "one click only selects");
    let sc = screen(&s);
    assert_on_screen(&sc, " 10/40 ");

    click_on(&mut s, "Jane Doe");
    let sc = screen(&s);
    assert_on_screen(&sc, "Profile: Jane Doe");
    assert_eq!(s.app.mode(), Mode::Profile);
}

#[test]
fn a_click_on_a_row_while_searching_keeps_the_filter_and_selects() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('/'));
    s.type_text("ma");
    assert_eq!(s.app.mode(), Mode::EmployeesSearch);
    click_on(&mut s, "Matteo");
    assert_eq!(s.app.mode(), Mode::Employees, "the click leaves the field");
    assert_eq!(s.app.employees.search.value(), "ma", "the filter stays");
    assert!(
        selected_login(&s).starts_with('m'),
        "{}",
        selected_login(&s)
    );
    assert_on_screen(&screen(&s), "Matteo");
    // A click on the search line goes back to it.
    click_on(&mut s, "Search:");
    assert_eq!(s.app.mode(), Mode::EmployeesSearch);
}

#[test]
fn a_click_on_an_offboarding_step_selects_it_and_a_second_opens_the_leaver() {
    let d = demo();
    let mut s = d.session("hr");
    click_on(&mut s, "5 Offboarding");
    assert_eq!(s.app.pane, Pane::Offboarding);
    click_on(&mut s, "3. Tell payroll");
    assert_eq!(s.app.offboarding.selected, 2, "the third step is selected");
    assert_on_screen(&screen(&s), " 3/");
    click_on(&mut s, "3. Tell payroll");
    assert_eq!(
        s.app.mode(),
        Mode::Profile,
        "a second click opens the leaver"
    );
    click_on(&mut s, "6 Dashboard");
    assert_eq!(s.app.pane, Pane::Dashboard);
}

#[test]
fn a_click_on_a_tab_switches_the_pane() {
    let d = demo();
    let mut s = d.session("admin");
    click_on(&mut s, "2 Integrations");
    assert_eq!(s.app.pane, Pane::Integrations);
    assert_on_screen(&screen(&s), "Integrations (");
    click_on(&mut s, "3 Audit");
    assert_eq!(s.app.pane, Pane::Audit);
    assert_on_screen(&screen(&s), "Audit log (newest first)");
    click_on(&mut s, "4 Settings");
    assert_eq!(s.app.pane, Pane::Settings);
    click_on(&mut s, "1 Employees");
    assert_eq!(s.app.pane, Pane::Employees);
    assert_on_screen(&screen(&s), "Employees (");
}

#[test]
fn a_click_on_a_profile_section_shows_it_and_on_its_rows_selects_and_opens() {
    let d = demo();
    let mut s = d.session("hr");
    click_on(&mut s, "Tobias Lang");
    click_on(&mut s, "Tobias Lang");
    assert_on_screen(&screen(&s), "Profile: Tobias Lang");
    let tabs_line = Some("Overview");
    click_on_line(&mut s, "Drive", tabs_line);
    let p = s.app.profile.as_ref().expect("profile");
    assert_eq!(p.tab, ProfileTab::Drive);
    assert!(p.rows.len() >= 2, "Tobias has files: {:?}", p.rows);
    click_on_line(&mut s, "Integrations", tabs_line);
    assert_eq!(
        s.app.profile.as_ref().expect("profile").tab,
        ProfileTab::Integrations
    );
    click_on_line(&mut s, "Tasks", tabs_line);
    let p = s.app.profile.as_ref().expect("profile");
    assert_eq!(p.tab, ProfileTab::Tasks);
    assert!(p.rows.len() >= 2, "Tobias took part in tasks: {:?}", p.rows);
    // The second row of the section: a click selects it, another shows it whole.
    let second = p.rows[1].title.clone();
    let first_selected = p.selected;
    click_on(&mut s, &second);
    let p = s.app.profile.as_ref().expect("profile");
    assert_eq!(p.selected, first_selected + 1, "the second row is selected");
    assert!(s.app.dialog().is_none());
    click_on(&mut s, &second);
    assert!(
        matches!(s.app.dialog(), Some(Dialog::Message(_))),
        "a second click shows the row whole"
    );
    assert_on_screen(&screen(&s), &second);
}

#[test]
fn a_click_on_a_menu_item_and_on_a_dialog_button_act_as_their_keys() {
    let d = demo();
    let mut s = d.session("hr");
    click_on(&mut s, "Jane Doe");
    s.press(KeyCode::Char('m'));
    assert!(matches!(s.app.dialog(), Some(Dialog::Menu(_))));
    // Under a dialog nothing answers the mouse: the tabs do not switch panes.
    click_on(&mut s, "2 Integrations");
    assert_eq!(s.app.pane, Pane::Employees, "the dialog owns the mouse");
    assert!(matches!(s.app.dialog(), Some(Dialog::Menu(_))));

    click_on(&mut s, "Dismiss");
    assert!(
        matches!(s.app.dialog(), Some(Dialog::Dismiss(_))),
        "the menu item opens the dismiss dialog"
    );
    let before = fingerprint(&d.open());
    click_on(&mut s, "[ Cancel (n/Esc) ]");
    assert!(s.app.dialog().is_none(), "Cancel closes the dialog");
    assert_unchanged(&before, &d.open(), "a click on Cancel");

    s.type_text("md");
    click_on(&mut s, "[ Dismiss employee (y) ]");
    assert!(
        s.app.dialog().is_none(),
        "the dialog closes after the change"
    );
    assert_eq!(status_in_db(&d, "jdoe"), Status::Dismissed);
    assert!(
        status_bar(&s).contains("Dismissed Jane Doe"),
        "{}",
        status_bar(&s)
    );
}

#[test]
fn a_click_on_a_greyed_item_says_why_as_its_key_does() {
    let d = demo();
    let by_key = {
        let mut s = d.session("jdoe");
        click_on(&mut s, "Tobias Lang");
        s.press(KeyCode::Char('m'));
        s.press(KeyCode::Char('d'));
        status_bar(&s)
    };
    let mut s = d.session("jdoe");
    click_on(&mut s, "Tobias Lang");
    s.press(KeyCode::Char('m'));
    let before = fingerprint(&d.open());
    click_on(&mut s, "Dismiss  (");
    assert!(s.app.dialog().is_none(), "no dialog opens");
    let by_click = status_bar(&s);
    assert!(
        by_click.contains("Company-structure access is required to dismiss"),
        "{by_click}"
    );
    assert_eq!(by_click, by_key, "the click says what the key says");
    assert_unchanged(&before, &d.open(), "a click on a greyed item");
}

#[test]
fn a_click_on_a_confirmation_button_confirms() {
    let d = demo();
    let mut s = d.session("admin");
    click_on(&mut s, "2 Integrations");
    click_on(&mut s, "Jira task sync");
    s.press(KeyCode::Char('x'));
    assert!(matches!(s.app.dialog(), Some(Dialog::Confirm(_))));
    click_on(&mut s, "[ Disable (y) ]");
    assert!(s.app.dialog().is_none());
    let (dir, admin) = d.admin();
    let jira = dir
        .integrations(admin)
        .expect("integrations")
        .into_iter()
        .find(|i| i.title == "Jira task sync")
        .expect("Jira task sync");
    assert_eq!(
        jira.status,
        offboard::domain::IntegrationStatus::Disabled,
        "the click disabled the selected integration"
    );
}

#[test]
fn the_wheel_moves_the_list_under_the_pointer_by_three_rows() {
    let d = demo();
    let mut s = d.session("hr");
    let (x, y) = place_of(&s, "Fatima Al-Sayed", None);
    s.wheel(x, y, true);
    assert_eq!(s.app.employees.selected, mouse::WHEEL_ROWS as i64);
    s.wheel(x, y, true);
    assert_eq!(s.app.employees.selected, 2 * mouse::WHEEL_ROWS as i64);
    s.wheel(x, y, false);
    assert_eq!(s.app.employees.selected, mouse::WHEEL_ROWS as i64);
    let sc = screen(&s);
    assert_on_screen(&sc, &format!(" {}/40 ", mouse::WHEEL_ROWS + 1));
    // Not over a list (the header line): nothing moves.
    s.wheel(2, 0, true);
    assert_eq!(s.app.employees.selected, mouse::WHEEL_ROWS as i64);

    // Help under the pointer scrolls.
    s.press(KeyCode::Char('?'));
    let top = s.app.help.as_ref().expect("help").scroll;
    let (x, y) = place_of(&s, "Opened at", None);
    s.wheel(x, y, true);
    assert_eq!(
        s.app.help.as_ref().expect("help").scroll,
        top + mouse::WHEEL_ROWS
    );
}

#[test]
fn help_says_what_clicks_do_and_how_to_turn_the_mouse_off() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('?'));
    s.press(KeyCode::Char('/'));
    s.type_text("mouse");
    let sc = screen(&s);
    assert_on_screen(&sc, "Mouse");
    assert_on_screen(&sc, "--no-mouse, OFFBOARD_NO_MOUSE=1");
    s.press(KeyCode::Esc);
    s.press(KeyCode::Char('/'));
    s.type_text("click");
    let sc = screen(&s);
    assert_on_screen(&sc, "click a row");
    assert_on_screen(&sc, "click a button");
}

#[test]
fn with_the_mouse_off_clicks_and_the_wheel_do_nothing() {
    let d = demo();
    let mut s = d.session("hr");
    s.app.mouse = false;
    click_on(&mut s, "Jane Doe");
    assert_eq!(selected_login(&s), "haalto");
    click_on(&mut s, "2 Integrations");
    assert_eq!(s.app.pane, Pane::Employees);
    let (x, y) = place_of(&s, "Fatima Al-Sayed", None);
    s.wheel(x, y, true);
    assert_eq!(s.app.employees.selected, 0);
}

#[test]
fn a_click_in_the_settings_selects_and_a_second_toggles_as_enter() {
    let d = demo();
    let mut s = d.session("admin");
    click_on(&mut s, "4 Settings");
    click_on(&mut s, "Laura Jensen (hr)");
    assert_eq!(s.app.settings.selected, 1);
    click_on(&mut s, "Show dismissed employees");
    assert_eq!(s.app.settings.selected, 0);
    assert!(!d.open().show_dismissed().expect("setting"));
    click_on(&mut s, "Show dismissed employees");
    assert!(
        d.open().show_dismissed().expect("setting"),
        "the second click toggles the switch, as Enter does"
    );
}

#[test]
fn a_click_on_a_key_in_the_status_bar_does_what_the_key_does() {
    let d = demo();
    let mut s = d.session("hr");
    click_on_status(&mut s, "? help");
    assert!(s.app.help.is_some(), "help opens");
    s.press(KeyCode::Esc);
    click_on_status(&mut s, "/ search");
    assert_eq!(s.app.mode(), Mode::EmployeesSearch);
    s.press(KeyCode::Esc);
    click_on_status(&mut s, "m row menu");
    assert!(matches!(s.app.dialog(), Some(Dialog::Menu(_))));
}

#[test]
fn a_click_in_the_department_picker_selects_then_filters() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('d'));
    assert!(matches!(s.app.dialog(), Some(Dialog::Department(_))));
    // The dialog's row, not the list's "Finance Director" under it.
    click_on(&mut s, "│ Finance ");
    assert!(
        matches!(s.app.dialog(), Some(Dialog::Department(_))),
        "the first click selects"
    );
    click_on(&mut s, "│ Finance ");
    assert!(s.app.dialog().is_none(), "the second chooses");
    assert_eq!(
        s.app.employees.department.as_ref().map(|(_, n)| n.as_str()),
        Some("Finance")
    );
    assert_on_screen(&screen(&s), "Department: Finance");
}

#[test]
fn a_click_on_the_bulk_menu_and_the_wheel_over_a_long_preview() {
    let d = demo();
    let mut s = d.session("hr");
    for _ in 0..25 {
        s.press(KeyCode::Char(' '));
        s.press(KeyCode::Down);
    }
    s.press(KeyCode::Char('m'));
    assert!(matches!(s.app.dialog(), Some(Dialog::BulkMenu(_))));
    click_on(&mut s, "Dismiss");
    let Some(Dialog::Bulk(b)) = s.app.dialog() else {
        panic!("expected the bulk preview, got {:?}", s.app.dialog());
    };
    assert_eq!(b.scroll, 0);
    assert_on_screen(&screen(&s), "below: ↑/↓ PgUp/PgDn");
    let (x, y) = place_of(&s, "below: ↑/↓", None);
    s.wheel(x, y - 3, true);
    let Some(Dialog::Bulk(b)) = s.app.dialog() else {
        panic!("the preview stays open");
    };
    assert_eq!(b.scroll, mouse::WHEEL_ROWS as u16, "the wheel scrolls it");
}

#[test]
fn a_click_on_the_hire_dialogs_box_ticks_it() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('/'));
    s.type_text("lbrandt");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('m'));
    click_on(&mut s, "Hire");
    let Some(Dialog::Hire(h)) = s.app.dialog() else {
        panic!("expected the hire dialog, got {:?}", s.app.dialog());
    };
    assert!(!h.return_ticked);
    click_on(&mut s, "Return them to the employee");
    let Some(Dialog::Hire(h)) = s.app.dialog() else {
        panic!("the dialog stays open");
    };
    assert!(h.return_ticked, "the click ticks the box");
    click_on(&mut s, "[ Hire (y) ]");
    assert!(s.app.dialog().is_none());
    assert_eq!(status_in_db(&d, "lbrandt"), Status::Active);
    let (dir, admin) = d.admin();
    let returned = dir
        .integrations(admin)
        .expect("integrations")
        .into_iter()
        .filter(|i| i.owner == "lbrandt")
        .count();
    assert!(returned > 0, "the integrations went back to him");
}

/// What the program writes to the terminal for the clipboard (OSC 52).
#[derive(Clone, Default)]
struct Terminal(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Terminal {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_click_on_the_url_dialogs_words_copies_and_closes_as_their_keys() {
    let d = demo();
    let mut s = d.session("admin");
    let terminal = Terminal::default();
    s.exec.clipboard = Some(Box::new(terminal.clone()));
    // A new secret for the last integration: its URL, shown once.
    s.type_text("2Gry");
    let Some(Dialog::Message(m)) = s.app.dialog() else {
        panic!("expected the URL, got {:?}", s.app.dialog());
    };
    assert!(m.url.is_some());
    click_on(&mut s, "c copies the URL");
    assert!(
        status_bar(&s).contains("Copied the webhook URL"),
        "{}",
        status_bar(&s)
    );
    let sent = String::from_utf8(terminal.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(sent.starts_with("\u{1b}]52;c;"), "{sent:?}");
    assert!(matches!(s.app.dialog(), Some(Dialog::Message(_))));
    click_on(&mut s, "to close");
    assert!(s.app.dialog().is_none(), "the click closes it");
}

#[test]
fn a_click_on_a_column_title_sorts_the_list_by_it() {
    let d = demo();
    let mut s = d.session("hr");
    let header = Some("Name ▲");
    click_on_line(&mut s, "Department", header);
    assert_eq!(
        s.app.employees.sort,
        offboard::directory::ListSort::Department
    );
    let sc = screen(&s);
    assert_on_screen(&sc, "Department ▲");
    assert_not_on_screen(&sc, "Name ▲");
    click_on_line(&mut s, "Position", Some("Department ▲"));
    assert_eq!(
        s.app.employees.sort,
        offboard::directory::ListSort::Position
    );
    assert_on_screen(&screen(&s), "Position ▲");
}
