//! The `?` overlay: every key that works, by where it works, from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::widgets::{centered, key, named_key};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::{self, Mode};

pub fn render(frame: &mut Frame, app: &App, area: Rect, scroll: u16) {
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
    let m = Mode::Help;
    let keys = format!(
        " {}/{} scroll · {} close ",
        named_key(m, &Action::Up),
        named_key(m, &Action::Down),
        key(m, &Action::Cancel)
    );
    let block = Block::bordered()
        .title(" Keys: every key that works, by where it works ")
        .title_bottom(Line::from(keys).right_aligned())
        .border_style(t.border_focus);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}
