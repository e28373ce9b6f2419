//! Shared helpers for the TUI tests: a demo company in its own temporary folder, a
//! session signed in as someone, and the screen as text.
#![allow(dead_code)]

pub mod dashboard;

use std::path::PathBuf;

use offboard::tui::Session;
use offboard::{Actor, Directory};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tempfile::TempDir;

pub const WIDTH: u16 = 100;
pub const HEIGHT: u16 = 30;

/// The small demo company in a real SQLite file.
pub struct Demo {
    pub path: PathBuf,
    pub tmp: TempDir,
}

pub fn demo() -> Demo {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("company.db");
    let mut dir = Directory::create(&path).expect("create");
    offboard::demo::build_small(&mut dir).expect("build_small");
    Demo { path, tmp }
}

impl Demo {
    /// A second connection to the same file: what another process would see.
    pub fn open(&self) -> Directory {
        Directory::open(&self.path).expect("open")
    }

    /// A session signed in as `login` at 100×30.
    pub fn session(&self, login: &str) -> Session {
        self.session_sized(login, WIDTH, HEIGHT)
    }

    pub fn session_sized(&self, login: &str, w: u16, h: u16) -> Session {
        let dir = self.open();
        let me = dir
            .sign_in(login)
            .unwrap_or_else(|e| panic!("sign in {login}: {e}"));
        let mut s = Session::new(dir, me, w, h).expect("session");
        // The screen text must not depend on NO_COLOR in the environment.
        s.app.theme = offboard::tui::ui::theme::Theme::colour();
        s
    }

    /// An administrator actor on a fresh connection, for checking the database.
    pub fn admin(&self) -> (Directory, Actor) {
        let dir = self.open();
        let id = dir.employee("admin").expect("admin").id;
        (dir, Actor::user(id))
    }
}

/// Draw the session on a `w`×`h` test terminal.
pub fn terminal_for(s: &Session, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    s.draw(&mut term).expect("draw");
    term
}

/// The screen as text: one line per row, trailing spaces cut.
pub fn buffer_text(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The session's screen at 100×30 as text.
pub fn screen(s: &Session) -> String {
    screen_sized(s, WIDTH, HEIGHT)
}

pub fn screen_sized(s: &Session, w: u16, h: u16) -> String {
    buffer_text(&terminal_for(s, w, h))
}

/// The last row of the screen: the status bar.
pub fn status_bar(s: &Session) -> String {
    screen(s).lines().last().unwrap_or_default().to_string()
}

/// Panic with the screen when `needle` is not on it.
#[track_caller]
pub fn assert_on_screen(screen: &str, needle: &str) {
    assert!(
        screen.contains(needle),
        "expected {needle:?} on the screen:\n{screen}"
    );
}

#[track_caller]
pub fn assert_not_on_screen(screen: &str, needle: &str) {
    assert!(
        !screen.contains(needle),
        "did not expect {needle:?} on the screen:\n{screen}"
    );
}

/// Every row of every table as text, sorted: equal fingerprints mean nothing changed.
pub fn fingerprint(dir: &Directory) -> Vec<String> {
    let c = dir.connection();
    let mut stmt = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .expect("tables");
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let vals: Vec<rusqlite::types::Value> =
                    (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                Ok(format!("{t}: {vals:?}"))
            })
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        rows.sort();
        out.extend(rows);
    }
    out
}

/// Panic naming what changed when the database is not as it was.
#[track_caller]
pub fn assert_unchanged(before: &[String], dir: &Directory, what: &str) {
    let after = fingerprint(dir);
    let added: Vec<&String> = after.iter().filter(|r| !before.contains(r)).collect();
    let removed: Vec<&String> = before.iter().filter(|r| !after.contains(r)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "{what}: the database changed\n  added/changed: {added:?}\n  removed/old: {removed:?}"
    );
}

/// `{base}/rest/{user_id}/{code}/` → (user_id, code).
pub fn parse_url(url: &str) -> (offboard::domain::EmployeeId, String) {
    let rest = url
        .split("/rest/")
        .nth(1)
        .unwrap_or_else(|| panic!("not a webhook URL: {url}"));
    let mut parts = rest.trim_end_matches('/').split('/');
    let user: offboard::domain::EmployeeId = parts
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no user id in {url}"));
    let code = parts
        .next()
        .unwrap_or_else(|| panic!("no code in {url}"))
        .to_string();
    (user, code)
}

/// Whether a cell is drawn with `style` (its colours, and at least its modifiers).
pub fn has_style(cell: &ratatui::buffer::Cell, style: ratatui::style::Style) -> bool {
    style.fg.is_none_or(|c| cell.fg == c)
        && style.bg.is_none_or(|c| cell.bg == c)
        && cell.modifier.contains(style.add_modifier)
}

/// The first cell of the first place `needle` is drawn at.
pub fn cell_of(term: &Terminal<TestBackend>, needle: &str) -> ratatui::buffer::Cell {
    let buf = term.backend().buffer();
    let sc = buffer_text(term);
    for (y, line) in sc.lines().enumerate() {
        if let Some(start) = line.find(needle) {
            let x = line[..start].chars().count() as u16;
            return buf[(x, y as u16)].clone();
        }
    }
    panic!("{needle:?} is not on the screen:\n{sc}");
}

/// The buttons drawn focused ("[ Cancel (n/Esc) ]" in the theme's focused-button
/// style), by their text ("Cancel (n/Esc)"), at `w`×`h`.
pub fn focused_buttons_sized(s: &Session, w: u16, h: u16) -> Vec<String> {
    let term = terminal_for(s, w, h);
    let focus = s.app.theme.button_focus;
    let buf = term.backend().buffer();
    let mut found = Vec::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            if cell.symbol() == "[" && has_style(cell, focus) {
                let mut text = String::new();
                let mut end = x + 1;
                while end < w && has_style(&buf[(end, y)], focus) && buf[(end, y)].symbol() != "]" {
                    text.push_str(buf[(end, y)].symbol());
                    end += 1;
                }
                let label = text.trim().to_string();
                // A focused tick box is "[x]" or "[ ]": not a button.
                if label.chars().count() > 1 {
                    found.push(label);
                }
                x = end;
            }
            x += 1;
        }
    }
    found
}

/// The focused button at 100×30, which every dialog has exactly one of unless a field
/// has the focus.
#[track_caller]
pub fn focused_button(s: &Session) -> String {
    let found = focused_buttons_sized(s, WIDTH, HEIGHT);
    assert_eq!(
        found.len(),
        1,
        "one focused button: {found:?}\n{}",
        screen(s)
    );
    found[0].clone()
}

/// Every button drawn on `screen`, by its text ("Cancel (n/Esc)"), in reading order.
pub fn buttons_drawn(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in screen.lines() {
        let mut rest = line;
        while let Some(start) = rest.find("[ ") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(" ]") else { break };
            let label = after[..end].trim();
            if !label.is_empty() {
                found.push(label.to_string());
            }
            rest = &after[end + 2..];
        }
    }
    found
}
