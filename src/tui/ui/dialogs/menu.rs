use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::{Component, MenuDialog};
use crate::tui::keymap::Mode;
use crate::tui::mouse::Target;
use crate::tui::ui::widgets::{dialog_width, fit, frame_dialog, key, named_key};

/// How to choose in a menu: " letter or ↑/↓ + Enter to choose · Esc to close".
pub(super) fn choose_hint(mode: Mode) -> String {
    format!(
        " letter or {}/{} + {} to choose · {} to close",
        named_key(mode, &Action::Up),
        named_key(mode, &Action::Down),
        key(mode, &Action::Open),
        key(mode, &Action::Cancel)
    )
}

impl Draw for MenuDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let mut lines = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            let mut style = if it.refused.is_some() {
                t.greyed
            } else {
                Style::new()
            };
            if i == self.selected {
                style = t.selected;
            }
            let mut text = format!(" {}  {}", key(mode, &it.action), it.label);
            // A click on the item chooses it, as its letter does (greyed: says why).
            app.hits.borrow_mut().want(
                &format!("{}  {}", key(mode, &it.action), it.label),
                Target::Act(it.action.clone()),
                true,
            );
            if let Some(why) = &it.refused {
                text.push_str(&format!("  ({})", why));
            }
            lines.push(Line::styled(fit(&text, inner_w), style));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(choose_hint(mode), t.dim));
        frame_dialog(frame, app, area, &self.title, lines, width, false);
    }
}
