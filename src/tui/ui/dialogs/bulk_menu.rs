use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::Draw;
use super::menu::choose_hint;
use crate::tui::app::App;
use crate::tui::dialogs::{BulkMenu, Component};
use crate::tui::mouse::Target;
use crate::tui::ui::widgets::{dialog_width, fit, frame_dialog, key};

impl Draw for BulkMenu {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area).min(70);
        let mode = self.keys();
        let mut lines = vec![Line::styled(
            format!(
                " {} marked: {}",
                self.logins.len(),
                fit(&self.names.join(", "), 50)
            ),
            t.dim,
        )];
        for (i, (action, label)) in BulkMenu::ITEMS.iter().enumerate() {
            let style = if i == self.selected {
                t.selected
            } else if self.allowed {
                Style::new()
            } else {
                t.greyed
            };
            let text = format!(" {}  {label}", key(mode, action));
            app.hits
                .borrow_mut()
                .want(&text, Target::Act(action.clone()), true);
            lines.push(Line::styled(text, style));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(choose_hint(mode), t.dim));
        frame_dialog(frame, app, area, "Marked employees", lines, width, false);
    }
}
