//! The mouse: each frame the drawing records where it put what can be clicked (the
//! pane tabs, list rows, profile sections, search lines, dialog buttons, menu items)
//! and what the wheel scrolls, in a `HitMap`. A click or a turn of the wheel becomes
//! the same `Action` the key gives, so the rules, greying and messages are the keys'.
//!
//! A click on a row selects it; a click on the row already selected does what Enter
//! does in that list (open the profile, show the row whole, edit the integration,
//! toggle the setting). The wheel moves the selection of the list, section or help
//! under the pointer by `WHEEL_ROWS` rows, as that many ↑/↓ would. While a dialog or
//! help is open only it answers the mouse, as it alone answers the keys.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::keymap::{self, Mode};

/// How many rows one step of the wheel moves.
pub const WHEEL_ROWS: usize = 3;

/// The environment variable that turns the mouse off when set to 1 (as `--no-mouse`).
pub const NO_MOUSE_ENV: &str = "OFFBOARD_NO_MOUSE";

/// What is under a point of the screen. A frame records a few dozen, so the size of
/// the action in one does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A click gives this action (a tab, a button, a menu item, a search line).
    Act(Action),
    /// A row of a list: `index` is what `Action::Select` takes, `selected` whether it
    /// is the selected row as drawn, `list` the mode whose Enter opens it.
    Row {
        index: i64,
        selected: bool,
        list: Mode,
    },
    /// The wheel scrolls here.
    Scroll,
}

/// Where the last frame drew what the mouse can reach. Later spots lie over earlier
/// ones; a dialog or the help overlay clears what lies under it (`modal`).
#[derive(Debug, Default)]
pub struct HitMap {
    spots: Vec<(Rect, Target)>,
    /// Text to find on the screen once a dialog is drawn, with what it stands for and
    /// whether the whole row of the dialog answers (a menu item) or only the text (a
    /// button). Dialogs lay their buttons out by wrapping, so they are found where the
    /// wrapping put them rather than computed twice.
    wanted: Vec<(String, Target, bool)>,
}

impl HitMap {
    /// A new frame: nothing drawn yet.
    pub fn clear(&mut self) {
        self.spots.clear();
        self.wanted.clear();
    }

    pub fn add(&mut self, area: Rect, target: Target) {
        if area.width > 0 && area.height > 0 {
            self.spots.push((area, target));
        }
    }

    /// A row of a list at screen row `y` across `area`.
    pub fn row(&mut self, area: Rect, y: u16, index: i64, selected: bool, list: Mode) {
        if y >= area.y && y < area.bottom() {
            self.add(
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                Target::Row {
                    index,
                    selected,
                    list,
                },
            );
        }
    }

    /// A dialog or overlay is drawn over everything: nothing under it answers.
    pub fn modal(&mut self) {
        self.clear();
    }

    /// A button or menu item whose `text` the dialog being drawn shows.
    pub fn want(&mut self, text: &str, target: Target, whole_row: bool) {
        let text = text.trim();
        if !text.is_empty() {
            self.wanted.push((text.to_string(), target, whole_row));
        }
    }

    /// The dialog is drawn in `popup`: find each wanted text in it.
    pub fn found_in(&mut self, buf: &Buffer, popup: Rect) {
        let popup = popup.intersection(buf.area);
        for (text, target, whole_row) in std::mem::take(&mut self.wanted) {
            // A row's text starts at the dialog's margin (inside the border and its
            // one column of padding), so a name is not found inside a longer one.
            let at = whole_row.then_some(popup.x + 2);
            if let Some((x, y, w)) = find(buf, popup, &text, at) {
                let area = if whole_row {
                    Rect::new(popup.x + 1, y, popup.width.saturating_sub(2), 1)
                } else {
                    Rect::new(x, y, w, 1)
                };
                self.add(area, target);
            }
        }
    }

    /// The topmost spot at (x, y) that a click answers.
    pub fn click_at(&self, x: u16, y: u16) -> Option<&Target> {
        self.spots
            .iter()
            .rev()
            .find(|(r, t)| *t != Target::Scroll && r.contains(Position { x, y }))
            .map(|(_, t)| t)
    }

    /// Whether the wheel scrolls something at (x, y).
    pub fn scrolls_at(&self, x: u16, y: u16) -> bool {
        self.spots
            .iter()
            .any(|(r, t)| *t == Target::Scroll && r.contains(Position { x, y }))
    }
}

/// Where `text` stands in `area` of the buffer (at column `at` only, when given): its
/// column, row and width.
fn find(buf: &Buffer, area: Rect, text: &str, at: Option<u16>) -> Option<(u16, u16, u16)> {
    // A wide character fills its first cell; the cells it covers after that are blank.
    let cells: Vec<&str> = text
        .split_inclusive(|_| true)
        .flat_map(|c| {
            let w = c.width().max(1);
            std::iter::once(c).chain(std::iter::repeat_n(" ", w - 1))
        })
        .collect();
    let n = cells.len() as u16;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right().saturating_sub(n.saturating_sub(1)) {
            if at.is_some_and(|at| at != x) {
                continue;
            }
            if cells
                .iter()
                .enumerate()
                .all(|(i, c)| buf[(x + i as u16, y)].symbol() == *c)
            {
                return Some((x, y, n));
            }
        }
    }
    None
}

/// The actions a mouse event stands for, given what the last frame drew and where
/// input goes now (`mode`). Only presses of the left button and the wheel count.
pub fn actions(hits: &HitMap, mode: Mode, ev: &MouseEvent) -> Vec<Action> {
    let (x, y) = (ev.column, ev.row);
    match ev.kind {
        MouseEventKind::Down(MouseButton::Left) => match hits.click_at(x, y) {
            Some(Target::Act(a)) => vec![a.clone()],
            Some(Target::Row {
                index,
                selected,
                list,
            }) => {
                // A click in the list leaves its search field, keeping the filter, as
                // ↓ does.
                let mut v = Vec::new();
                if matches!(mode, Mode::EmployeesSearch | Mode::AuditSearch) {
                    v.push(Action::SearchDone);
                }
                if *selected {
                    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
                    v.extend(keymap::lookup(*list, &enter));
                } else {
                    v.push(Action::Select(*index));
                }
                v
            }
            Some(Target::Scroll) | None => vec![],
        },
        MouseEventKind::ScrollUp if hits.scrolls_at(x, y) => vec![Action::Up; WHEEL_ROWS],
        MouseEventKind::ScrollDown if hits.scrolls_at(x, y) => vec![Action::Down; WHEEL_ROWS],
        _ => vec![],
    }
}

/// The title of the help overlay's section on the mouse.
pub const HELP_TITLE: &str = "Mouse";

/// The help overlay's rows on the mouse: what a click and the wheel do, and how to turn
/// the mouse off.
pub fn help_rows() -> Vec<(String, &'static str)> {
    vec![
        ("click a tab".into(), "go to that pane"),
        ("click a row".into(), "select it"),
        ("click it again".into(), "what Enter does there (open)"),
        (
            "click a column title".into(),
            "sort the employee list by it",
        ),
        ("click a section".into(), "show that profile section"),
        ("click a button".into(), "press it (as its key)"),
        (
            "click a key below".into(),
            "what that key does (status bar)",
        ),
        ("click a menu item".into(), "choose it (as its letter)"),
        ("click Search:".into(), "search"),
        (
            format!("wheel ({WHEEL_ROWS} rows)"),
            "move in the list, section or help under the pointer",
        ),
        ("Shift + drag".into(), "select text in most terminals"),
        (
            format!("--no-mouse, {NO_MOUSE_ENV}=1"),
            "mouse off: the terminal selects text",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    fn press(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
        MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }
    }

    fn left(column: u16, row: u16) -> MouseEvent {
        press(MouseEventKind::Down(MouseButton::Left), column, row)
    }

    fn row(index: i64, selected: bool) -> Target {
        Target::Row {
            index,
            selected,
            list: Mode::Employees,
        }
    }

    #[test]
    fn a_click_on_a_row_selects_it_and_on_the_selected_row_is_enter() {
        let mut hits = HitMap::default();
        let list = Rect::new(0, 2, 40, 10);
        hits.add(list, Target::Scroll);
        hits.row(list, 3, 7, false, Mode::Employees);
        hits.row(list, 4, 8, true, Mode::Employees);
        // Outside the area given: not recorded.
        hits.row(list, 20, 9, false, Mode::Employees);
        assert_eq!(
            actions(&hits, Mode::Employees, &left(5, 3)),
            [Action::Select(7)]
        );
        assert_eq!(actions(&hits, Mode::Employees, &left(5, 4)), [Action::Open]);
        assert_eq!(
            actions(&hits, Mode::EmployeesSearch, &left(5, 3)),
            [Action::SearchDone, Action::Select(7)],
            "a click in the list leaves the search field first"
        );
        assert!(actions(&hits, Mode::Employees, &left(5, 20)).is_empty());
        // Only the left button; releases and movement do nothing.
        for kind in [
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Moved,
            MouseEventKind::Drag(MouseButton::Left),
        ] {
            assert!(actions(&hits, Mode::Employees, &press(kind, 5, 3)).is_empty());
        }
    }

    #[test]
    fn the_wheel_answers_only_where_something_scrolls() {
        let mut hits = HitMap::default();
        hits.add(Rect::new(0, 2, 40, 10), Target::Scroll);
        hits.add(Rect::new(0, 0, 40, 1), Target::Act(Action::Help));
        let down = press(MouseEventKind::ScrollDown, 3, 5);
        assert_eq!(
            actions(&hits, Mode::Employees, &down),
            vec![Action::Down; WHEEL_ROWS]
        );
        let up = press(MouseEventKind::ScrollUp, 3, 5);
        assert_eq!(
            actions(&hits, Mode::Employees, &up),
            vec![Action::Up; WHEEL_ROWS]
        );
        let above = press(MouseEventKind::ScrollDown, 3, 0);
        assert!(actions(&hits, Mode::Employees, &above).is_empty());
        // A scrolling area is not something to click.
        assert!(actions(&hits, Mode::Employees, &left(3, 5)).is_empty());
    }

    #[test]
    fn a_modal_hides_what_is_under_it_and_the_top_spot_wins() {
        let mut hits = HitMap::default();
        hits.add(Rect::new(0, 0, 10, 1), Target::Act(Action::NextPane));
        hits.add(Rect::new(0, 0, 5, 1), Target::Act(Action::Help));
        assert_eq!(hits.click_at(2, 0), Some(&Target::Act(Action::Help)));
        assert_eq!(hits.click_at(7, 0), Some(&Target::Act(Action::NextPane)));
        hits.modal();
        assert_eq!(hits.click_at(2, 0), None);
        assert!(!hits.scrolls_at(2, 0));
    }

    #[test]
    fn buttons_and_rows_are_found_where_the_dialog_drew_them() {
        let area = Rect::new(0, 0, 40, 6);
        let mut buf = Buffer::empty(area);
        buf.set_string(2, 1, "Customer Support", ratatui::style::Style::new());
        buf.set_string(2, 2, "Support", ratatui::style::Style::new());
        // A wide character fills two cells.
        buf.set_string(
            3,
            4,
            "[ 日本 (y) ]  [ Cancel (n/Esc) ]",
            ratatui::style::Style::new(),
        );
        let mut hits = HitMap::default();
        hits.want(" Support", row(1, false), true);
        hits.want("[ 日本 (y) ]", Target::Act(Action::Confirm), false);
        hits.want("[ Cancel (n/Esc) ]", Target::Act(Action::Cancel), false);
        hits.want("[ Missing (m) ]", Target::Act(Action::Quit), false);
        hits.found_in(&buf, area);
        // A row's text is found at the margin only, not inside a longer line.
        assert_eq!(hits.click_at(20, 1), None);
        assert_eq!(hits.click_at(20, 2), Some(&row(1, false)));
        assert_eq!(hits.click_at(3, 4), Some(&Target::Act(Action::Confirm)));
        // "[ 日本 (y) ]" is 12 columns wide.
        assert_eq!(hits.click_at(14, 4), Some(&Target::Act(Action::Confirm)));
        assert_eq!(hits.click_at(15, 4), None);
        assert_eq!(hits.click_at(18, 4), Some(&Target::Act(Action::Cancel)));
        // Nothing is left wanted for the next dialog.
        hits.found_in(&buf, area);
        assert_eq!(hits.spots.len(), 3);
    }
}
