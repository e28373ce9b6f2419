use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::reassign::{ReassignButton, ReassignFocus, Work};
use crate::tui::dialogs::{Component, ReassignDialog};
use crate::tui::ui::widgets::{button_row, dialog_width, field, fit, frame_dialog, key, tick};

impl Draw for ReassignDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let mut lines = vec![
            Line::styled(
                format!(
                    " Reassign what {} owns",
                    crate::directory::Named::of(&self.from)
                ),
                t.table_header,
            ),
            Line::styled(
                format!(
                    " New responsible (active employees only; {} here and type a name):",
                    key(mode, &Action::FocusNext)
                ),
                t.dim,
            ),
            field(
                app,
                "To",
                self.picker.value(),
                self.picker.cursor(),
                self.focus == ReassignFocus::Picker,
                inner_w.saturating_sub(6),
            ),
        ];
        match &self.chosen {
            None => {
                if self.candidates.is_empty() && !self.picker.value().is_empty() {
                    lines.push(Line::styled("   nobody active matches", t.dim));
                }
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
            }
            Some(c) => lines.push(Line::styled(
                format!("   → {} ({})", c.name(), c.login),
                t.ok,
            )),
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(" Move ({} ticks):", key(mode, &Action::Toggle)),
            t.dim,
        ));
        for work in Work::ALL {
            lines.push(tick(
                app,
                format!("{} ({})", work.label(), work.count(&self.owns)),
                self.ticked(work),
                self.focus == ReassignFocus::Tick(work),
            ));
        }
        let moving: i64 = Work::ALL
            .into_iter()
            .filter(|w| self.ticked(*w))
            .map(|w| w.count(&self.owns))
            .sum();
        lines.push(Line::raw(format!(
            " Preview: {moving} item{} will move.",
            if moving == 1 { "" } else { "s" }
        )));
        lines.push(Line::raw(""));
        let focused = match self.focus {
            ReassignFocus::Button(b) => Some(b),
            // Enter on the empty field presses Cancel: it shows as the default.
            ReassignFocus::Picker if self.picker.value().is_empty() => Some(ReassignButton::Cancel),
            _ => None,
        };
        lines.extend(button_row(
            app,
            mode,
            &ReassignDialog::BUTTONS,
            focused,
            inner_w,
        ));
        lines.push(Line::styled(
            format!(
                " {} presses the focused button or picks the name · {} next field",
                key(mode, &Action::Open),
                key(mode, &Action::FocusNext)
            ),
            t.dim,
        ));
        frame_dialog(frame, app, area, "Reassign", lines, width, false);
    }
}
