//! Rendering is a function of state: `render(frame, &app)` draws everything.

mod modals;
mod panes;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Pane};
use super::keymap;

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Too small: need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(fit(&msg, area.width as usize)), area);
        return;
    }
    let [header, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(frame, app, header);
    render_tabs(frame, app, tabs);
    match app.pane {
        Pane::Employees if app.profile.is_some() => panes::profile(frame, app, body),
        Pane::Employees => panes::employees(frame, app, body),
        Pane::Integrations => panes::integrations(frame, app, body),
        Pane::Audit => panes::audit(frame, app, body),
        Pane::Settings => panes::settings(frame, app, body),
    }
    render_status(frame, app, status);
    if let Some(modal) = &app.modal {
        modals::render(frame, app, modal, body);
    }
    if let Some(scroll) = app.help {
        render_help(frame, app, area, scroll);
    }
}

fn render_header(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let text = format!(
        " offboard · {} · {} ({}) · {}",
        app.company,
        app.me.name(),
        app.me.login,
        app.me.role()
    );
    frame.render_widget(Paragraph::new(text).style(t.header), area);
}

fn render_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    for (i, pane) in Pane::ALL.iter().enumerate() {
        let style = if *pane == app.pane {
            t.tab_active
        } else {
            t.tab
        };
        let label = if *pane == Pane::Employees && app.profile.is_some() {
            format!("{} {} › Profile", i + 1, pane.title())
        } else {
            format!("{} {}", i + 1, pane.title())
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw("   "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_status(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mode = app.mode();
    let mut spans: Vec<Span> = Vec::new();
    if let Some(msg) = &app.status {
        spans.push(Span::styled(format!(" {msg} "), t.ok));
        spans.push(Span::raw("│"));
    } else if !app.employees.marked.is_empty() && app.pane == crate::tui::app::Pane::Employees {
        spans.push(Span::styled(
            format!(
                " {} marked: m acts on all of them, Esc clears the marks ",
                app.employees.marked.len()
            ),
            t.ok,
        ));
        spans.push(Span::raw("│"));
    }
    for (key, help) in keymap::hints(mode) {
        spans.push(Span::styled(format!(" {key}"), t.key));
        spans.push(Span::styled(format!(" {help}"), t.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_help(frame: &mut Frame, app: &App, area: Rect, scroll: u16) {
    let t = &app.theme;
    let popup = centered(
        area,
        area.width.saturating_sub(4).min(90),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = Vec::new();
    for (title, rows) in keymap::help_sections() {
        lines.push(Line::styled(title.to_string(), t.table_header));
        for (key, help) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {key:<22}"), t.key),
                Span::raw(help.to_string()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    let block = Block::bordered()
        .title(" Keys: every key that works, by where it works ")
        .title_bottom(Line::from(" ↑/↓ scroll · Esc/?/q close ").right_aligned())
        .border_style(t.border_focus);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}

/// A rectangle of `w`×`h` in the middle of `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Cut `s` to `max` characters, marking the cut with an ellipsis.
pub(crate) fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else if max == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

pub(crate) fn block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let t = &app.theme;
    Block::bordered()
        .title(title)
        .border_style(if focused { t.border_focus } else { t.border })
}
