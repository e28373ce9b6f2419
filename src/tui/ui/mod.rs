//! Rendering is a function of state: `render(frame, &app)` draws everything. The
//! layout mirrors the app: `panes/` (one file per pane), `dialogs/` (one per dialog),
//! `help.rs`, and the shared `widgets.rs`, `layout.rs` and `theme.rs`.

pub mod dialogs;
mod help;
pub mod layout;
mod panes;
pub mod theme;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use self::layout::{HEADER_ROWS, MIN_BODY_ROWS, MIN_HEIGHT, MIN_WIDTH, STATUS_ROWS, TABS_ROWS};
use self::widgets::{fit, key};
use super::action::Action;
use super::app::{App, Pane};
use super::keymap::{Keymap, Mode};
use super::mouse::Target;

pub fn render(frame: &mut Frame, app: &App) {
    app.hits.borrow_mut().clear();
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Too small: need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
            area.width, area.height
        );
        // Wrapped, so that even a tiny window shows the whole message.
        frame.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [header, tabs, body, status] = Layout::vertical([
        Constraint::Length(HEADER_ROWS),
        Constraint::Length(TABS_ROWS),
        Constraint::Min(MIN_BODY_ROWS),
        Constraint::Length(STATUS_ROWS),
    ])
    .areas(area);
    render_header(frame, app, header);
    render_tabs(frame, app, tabs);
    panes::render(frame, app, body);
    render_status(frame, app, status);
    dialogs::render(frame, app, body);
    if let Some(h) = &app.help {
        help::render(frame, app, area, h);
    }
    show_cursor_at_caret(frame, app);
}

/// While a text field has the focus, the terminal's own cursor stands where typing
/// inserts: on the caret the field drew (the only `▏` in the focused field's style).
fn show_cursor_at_caret(frame: &mut Frame, app: &App) {
    if !app.mode().is_typing() {
        return;
    }
    let focus = app.theme.field_focus;
    let buf = frame.buffer_mut();
    let area = buf.area;
    let found = (area.y..area.y + area.height)
        .flat_map(|y| (area.x..area.x + area.width).map(move |x| (x, y)))
        .find(|&(x, y)| {
            let cell = &buf[(x, y)];
            cell.symbol() == "▏"
                && cell.bg == focus.bg.unwrap_or(cell.bg)
                && cell.modifier.contains(focus.add_modifier)
        });
    if let Some((x, y)) = found {
        frame.set_cursor_position((x, y));
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
    // Each tab is named with the key that goes to it.
    let tabs: Vec<(Pane, Option<String>, String)> = Pane::ALL
        .into_iter()
        .map(|pane| {
            let key = Keymap::get().common_key_for(&Action::GoTo(pane));
            let mut label = match &key {
                Some(k) => format!("{k} {}", pane.title()),
                None => pane.title().to_string(),
            };
            if pane == Pane::Employees && app.profile.is_some() {
                label.push_str(" › Profile");
            }
            (pane, key, label)
        })
        .collect();
    // Three spaces between tabs when they fit, else one; in a window too narrow even
    // for that, the other tabs are shown by their keys alone.
    let width = |gap: usize| {
        1 + tabs
            .iter()
            .map(|t| t.2.chars().count() + gap)
            .sum::<usize>()
    };
    let room = area.width as usize;
    let (gap, compact) = if width(3) <= room {
        (3, false)
    } else {
        (1, width(1) > room)
    };
    let mut spans = vec![Span::raw(" ")];
    for (pane, key, label) in tabs {
        let active = pane == app.pane;
        let style = if active { t.tab_active } else { t.tab };
        let label = match key {
            Some(k) if compact && !active => k,
            _ => label,
        };
        // A click on the tab goes to its pane, as its key does.
        let x = area.x + Line::from(spans.clone()).width() as u16;
        let w = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        let tab = Rect::new(x, area.y, w, 1).intersection(area);
        app.hits
            .borrow_mut()
            .add(tab, Target::Act(Action::GoTo(pane)));
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" ".repeat(gap)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_status(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let width = area.width as usize;
    let offered: Vec<(String, &'static str, bool, Action)> = Keymap::get()
        .hint_bindings(app.mode())
        .into_iter()
        .filter(|bd| app.offers(&bd.action))
        .map(|bd| {
            let help = bd.action == Action::Help;
            (bd.label(), bd.help, help, bd.action.clone())
        })
        .collect();
    let shown_w = |(label, help, _, _): &(String, &str, bool, Action)| {
        label.chars().count() + help.chars().count() + 2
    };
    let help_w: usize = offered.iter().filter(|k| k.2).map(shown_w).sum();
    let message = if let Some(msg) = &app.status {
        Some(msg.clone())
    } else if !app.employees.marked.is_empty() && app.pane == Pane::Employees {
        let list = Mode::Employees;
        Some(format!(
            "{} marked: {} acts on all of them, {} clears the marks",
            app.employees.marked.len(),
            key(list, &Action::RowMenu),
            key(list, &Action::Back),
        ))
    } else {
        None
    };
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    if let Some(msg) = message {
        // The message is read first; it is cut with "…" only where it would push the
        // help key off the line.
        let room = width.saturating_sub(help_w + 3);
        let msg = fit(&msg, room);
        used += msg.chars().count() + 3;
        spans.push(Span::styled(format!(" {msg} "), t.ok));
        spans.push(Span::raw("│"));
    }
    // Then the keys that fit, the help key always among them.
    let mut left = width.saturating_sub(used + help_w);
    for k in &offered {
        let w = shown_w(k);
        if !k.2 {
            if w > left {
                continue;
            }
            left -= w;
        }
        // A click on a key's hint does what the key does.
        let x = area.x + Line::from(spans.clone()).width() as u16;
        let hint = Rect::new(x + 1, area.y, (w as u16).saturating_sub(1), 1).intersection(area);
        app.hits.borrow_mut().add(hint, Target::Act(k.3.clone()));
        spans.push(Span::styled(format!(" {}", k.0), t.key));
        spans.push(Span::styled(format!(" {}", k.1), t.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
