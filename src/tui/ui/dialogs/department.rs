use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::{Component, DepartmentDialog};
use crate::tui::mouse::Target;
use crate::tui::ui::widgets::{dialog_width, fit, frame_dialog, key, named_key};

impl Draw for DepartmentDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area).min(50);
        let inner_w = width.saturating_sub(3) as usize;
        let mode = self.keys();
        // As many names as fit, the selected one among them.
        let room = area.height.saturating_sub(5).max(1) as usize;
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        let mut lines: Vec<Line> = self
            .items
            .iter()
            .enumerate()
            .skip(first)
            .take(room)
            .map(|(i, item)| {
                let name = item.as_ref().map_or("All departments", |(_, n)| n.as_str());
                let style = if i == self.selected {
                    t.selected
                } else {
                    Style::new()
                };
                let text = fit(&format!(" {name}"), inner_w);
                // A click selects the department; on the selected one it chooses it.
                app.hits.borrow_mut().want(
                    &text,
                    Target::Row {
                        index: i as i64,
                        selected: i == self.selected,
                        list: mode,
                    },
                    true,
                );
                Line::styled(text, style)
            })
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                " {}/{} + {} to choose · {} to close",
                named_key(mode, &Action::Up),
                named_key(mode, &Action::Down),
                key(mode, &Action::Open),
                key(mode, &Action::Cancel)
            ),
            t.dim,
        ));
        frame_dialog(frame, app, area, "Department", lines, width, false);
    }
}
