//! The config file's keys and colours in the TUI: this test binary installs one
//! config, as main does before the terminal is touched, and every test here runs a
//! real session under it (`TestBackend`, the demo company in a real SQLite file). An
//! override changes the key that works and every place that shows it: the status bar,
//! help, menu letters and dialog buttons; the theme's colours are drawn.

mod tui_support;

use std::sync::Once;

use offboard::config::Config;
use offboard::tui::Session;
use offboard::tui::keymap::{self, Keymap};
use offboard::tui::ui::theme::{self, Theme};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use tui_support::{
    Demo, assert_not_on_screen, assert_on_screen, buffer_text, demo, screen, status_bar,
    terminal_for,
};

const CONFIG: &str = r##"
[keys.global]
help = "F1"
quit = "Q"

[keys.employees]
row_menu = "M"

[keys.menu]
dismiss = "D"

[keys.dismiss]
dismiss_employee = "Y"

[theme]
selected = { fg = "#ffffff", bg = "#112233" }
"##;

fn config() -> Config {
    Config::parse(CONFIG, "test.toml").expect("the test's config")
}

/// Install the test's keymap and colours once for this process.
fn configured() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let c = config();
        keymap::install(c.keymap).expect("nothing looked a key up before");
        theme::install(c.theme).expect("no theme in use yet");
    });
    assert_eq!(*Keymap::get(), config().keymap);
}

/// A session as `login` with the theme App::new picks (the installed one).
fn session(d: &Demo, login: &str) -> Session {
    configured();
    let dir = d.open();
    let me = dir.sign_in(login).expect("sign in");
    Session::new(dir, me, tui_support::WIDTH, tui_support::HEIGHT).expect("session")
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[test]
fn an_overridden_key_works_and_the_old_one_does_not() {
    let d = demo();
    let mut s = session(&d, "admin");
    // Find Jane Doe, who owns no active integrations.
    s.press(KeyCode::Char('/'));
    s.type_text("jane doe");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('m'));
    assert!(s.app.dialogs.is_empty(), "m no longer opens the row menu");
    s.press(KeyCode::Char('M'));
    let menu = screen(&s);
    // The menu shows the new letter of Dismiss.
    assert_on_screen(&menu, "D  Dismiss");
    s.press(KeyCode::Char('d'));
    assert_on_screen(&screen(&s), "D  Dismiss");
    s.press(KeyCode::Char('D'));
    let dialog = screen(&s);
    // The dialog's button shows its key from the keymap.
    assert_on_screen(&dialog, "Dismiss employee (Y)");
    assert_not_on_screen(&dialog, "(y)");
    s.press(KeyCode::Char('y'));
    let (dir, _) = d.admin();
    assert_eq!(
        dir.employee("jdoe").expect("jdoe").status,
        offboard::domain::Status::Active,
        "y is no longer the dismiss key"
    );
    s.press(KeyCode::Char('Y'));
    assert_eq!(
        dir.employee("jdoe").expect("jdoe").status,
        offboard::domain::Status::Dismissed
    );
    // q no longer quits; Q does.
    s.press(KeyCode::Esc);
    s.press(KeyCode::Char('q'));
    assert_eq!(s.app.exit, None);
    s.press(KeyCode::Char('Q'));
    assert_eq!(s.app.exit, Some(0));
}

#[test]
fn the_status_bar_and_help_show_the_overrides() {
    let d = demo();
    let mut s = session(&d, "admin");
    let bar = status_bar(&s);
    assert!(bar.contains("F1 help"), "{bar}");
    assert!(bar.contains("M row menu"), "{bar}");
    assert!(bar.contains("Q quit"), "{bar}");
    assert!(!bar.contains("? help"), "{bar}");
    // `?` does nothing now; F1 opens help, which lists the new keys.
    s.press(KeyCode::Char('?'));
    assert!(s.app.help.is_none(), "? is no longer help");
    s.press(KeyCode::F(1));
    assert!(s.app.help.is_some(), "F1 opens help");
    let rows = keymap::help_lines("row menu");
    assert!(
        rows.iter().any(|l| matches!(l,
            keymap::HelpLine::Row((k, h)) if k == "M" && *h == "row menu")),
        "{rows:?}"
    );
    s.press(KeyCode::Char('/'));
    s.type_text("row menu");
    let help = screen(&s);
    let line = help
        .lines()
        .find(|l| l.contains("row menu") && !l.contains("Search:"))
        .unwrap_or_else(|| panic!("no row menu in help:\n{help}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert!(words.contains(&"M"), "{line}");
    assert!(!words.contains(&"m"), "{line}");
    // README's table of this keymap follows the overrides too.
    let table = Keymap::get().readme_table();
    assert!(table.contains("| `M` | row menu |"), "{table}");
    assert!(table.contains("| `F1` | help |"), "{table}");
}

#[test]
fn no_color_still_wins_over_the_configs_colours() {
    configured();
    assert_eq!(Theme::pick(true), Theme::mono());
    assert_eq!(Theme::pick(false), config().theme);
    assert_ne!(config().theme, Theme::colour());
}

#[test]
fn the_themes_colours_are_drawn() {
    let d = demo();
    let s = session(&d, "admin");
    if no_color() {
        // NO_COLOR wins over the config file.
        assert_eq!(s.app.theme, Theme::mono());
        return;
    }
    assert_eq!(s.app.theme.selected.bg, Some(Color::Rgb(0x11, 0x22, 0x33)));
    let term = terminal_for(&s, tui_support::WIDTH, tui_support::HEIGHT);
    let first = s.app.employees.rows.first().expect("a row").employee.name();
    let text = buffer_text(&term);
    assert_on_screen(&text, &first);
    let cell = tui_support::cell_of(&term, &first);
    assert_eq!(cell.bg, Color::Rgb(0x11, 0x22, 0x33), "the selected row");
    assert_eq!(cell.fg, Color::Rgb(0xff, 0xff, 0xff));
}
