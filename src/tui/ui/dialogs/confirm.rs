use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::confirm::ConfirmButton;
use crate::tui::dialogs::{Button, Component, ConfirmDialog};
use crate::tui::ui::widgets::{
    ButtonItem, buttons_lines, dialog_width, first_key, frame_dialog, key,
};

impl Draw for ConfirmDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::raw(format!(" {l}")))
            .collect();
        lines.push(Line::raw(""));
        let buttons = [ConfirmButton::Yes, ConfirmButton::Cancel];
        let keys: Vec<String> = buttons.iter().map(|b| key(mode, &b.action())).collect();
        let items: Vec<ButtonItem> = buttons
            .iter()
            .zip(&keys)
            .map(|(b, k)| (self.label(*b), k.as_str(), self.focus == *b, b.action()))
            .collect();
        lines.extend(buttons_lines(app, &items, inner_w));
        lines.push(Line::styled(
            format!(
                " {} presses the focused button · {} switches",
                key(mode, &Action::Open),
                first_key(mode, &Action::FocusNext)
            ),
            t.dim,
        ));
        frame_dialog(frame, app, area, &self.title, lines, width, false);
    }
}
