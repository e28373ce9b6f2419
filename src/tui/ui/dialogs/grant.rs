use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::grant::{GrantButton, GrantFocus};
use crate::tui::dialogs::{Component, GrantDialog};
use crate::tui::ui::widgets::{button_row, dialog_width, field, first_key, fit, frame_dialog};

impl Draw for GrantDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let mut lines = vec![
            Line::styled(" Grant company-structure access", t.table_header),
            Line::styled(
                format!(
                    " They will be able to dismiss, hire and reassign. {} here and type a name:",
                    first_key(mode, &Action::FocusNext)
                ),
                t.dim,
            ),
            field(
                app,
                "Who",
                self.input.value(),
                self.input.cursor(),
                self.focus == GrantFocus::Picker,
                inner_w.saturating_sub(7),
            ),
        ];
        for (i, c) in self.candidates.iter().enumerate() {
            let style = if i == self.candidate {
                t.selected
            } else {
                Style::new()
            };
            lines.push(Line::styled(
                fit(
                    &format!("   {} ({}) · {}", c.name(), c.login, c.position),
                    inner_w,
                ),
                style,
            ));
        }
        lines.push(Line::raw(""));
        let focused = match self.focus {
            GrantFocus::Button(b) => Some(b),
            // Enter on the empty field presses Cancel: it shows as the default.
            GrantFocus::Picker if self.input.value().is_empty() => Some(GrantButton::Cancel),
            GrantFocus::Picker => None,
        };
        lines.extend(button_row(
            app,
            mode,
            &GrantDialog::BUTTONS,
            focused,
            inner_w,
        ));
        frame_dialog(frame, app, area, "Grant access", lines, width, false);
    }
}
