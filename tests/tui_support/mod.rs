//! Shared helpers for the TUI tests: a demo company in its own temporary folder, a
//! session signed in as someone, and the screen as text.
#![allow(dead_code)]

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
