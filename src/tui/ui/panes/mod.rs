//! The panes, one file each: Employees, Profile, Integrations, Audit, Settings,
//! Offboarding, Dashboard.

mod audit;
mod dashboard;
mod employees;
mod integrations;
mod offboarding;
mod profile;
mod settings;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::IntegrationId;
use crate::tui::action::Action;
use crate::tui::app::{App, Pane};
use crate::tui::keymap::Mode;

use super::widgets::key;

/// Draw the pane on screen in `area` (between the tabs and the status bar).
pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    match app.pane {
        Pane::Employees if app.profile.is_some() => profile::render(frame, app, area),
        Pane::Employees => employees::render(frame, app, area),
        Pane::Integrations => integrations::render(frame, app, area),
        Pane::Audit => audit::render(frame, app, area),
        Pane::Settings => settings::render(frame, app, area),
        Pane::Offboarding => offboarding::render(frame, app, area),
        Pane::Dashboard => dashboard::render(frame, app, area),
    }
}

/// A list's search line: the label, what is typed (with a cursor while typing), how to
/// start searching when it is empty, then `extra`.
fn search_line<'a>(
    app: &App,
    mode: Mode,
    input: &tui_input::Input,
    focused: bool,
    width: u16,
    extra: Vec<Span<'a>>,
) -> Line<'a> {
    let t = &app.theme;
    let value = input.value();
    // What is typed keeps at least half the line; the caret stays in view.
    let room = (width as usize).saturating_sub(8).max(10);
    let shown = if focused {
        super::widgets::field_text(value, input.cursor(), true, room)
    } else {
        super::widgets::fit(value, room)
    };
    let mut spans = vec![
        Span::styled("Search: ", t.dim),
        Span::styled(shown, if focused { t.field_focus } else { t.field }),
    ];
    if !focused && value.is_empty() {
        spans.push(Span::styled(
            format!("(press {} to search)", key(mode, &Action::FocusSearch)),
            t.greyed,
        ));
    }
    spans.extend(extra);
    Line::from(spans)
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The width of an integration ID column: "#" and the longest ID shown, never cut
/// (a cut ID would send someone to the wrong integration), at least as wide as "ID".
fn id_width(ids: impl Iterator<Item = IntegrationId>) -> u16 {
    let longest = ids.map(|id| format!("#{id}").len()).max().unwrap_or(0);
    u16::try_from(longest.max(2)).unwrap_or(u16::MAX)
}
