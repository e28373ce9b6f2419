use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::hire::HireFocus;
use crate::tui::dialogs::{Component, HireDialog};
use crate::tui::mouse::Target;
use crate::tui::ui::widgets::{
    button_row, dialog_width, frame_dialog, integration_line, key, tick,
};

impl Draw for HireDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let mut lines = vec![
            Line::styled(
                format!(" Hire {}?", crate::directory::Named::of(&self.target)),
                t.table_header,
            ),
            Line::raw(format!(
                " {} becomes active again and can sign in as before.",
                self.target.first_name
            )),
        ];
        if !self.returnable.is_empty() {
            let n = self.returnable.len();
            lines.push(Line::raw(""));
            lines.push(Line::raw(format!(
                " Their system user holds {n} integration{} that came from them:",
                if n == 1 { "" } else { "s" }
            )));
            for i in &self.returnable {
                lines.push(integration_line("   • ", i, inner_w));
            }
            let label = format!(
                "Return them to the employee ({}); URLs stay the same",
                key(mode, &Action::Toggle)
            );
            // A click on the box ticks it, as its key does.
            app.hits.borrow_mut().want(
                "Return them to the employee",
                Target::Act(Action::Toggle),
                false,
            );
            lines.push(tick(
                app,
                label,
                self.return_ticked,
                self.focus == HireFocus::Return,
            ));
        }
        lines.push(Line::raw(""));
        let focused = match self.focus {
            HireFocus::Button(b) => Some(b),
            HireFocus::Return => None,
        };
        lines.extend(button_row(
            app,
            mode,
            &HireDialog::BUTTONS,
            focused,
            inner_w,
        ));
        lines.push(Line::styled(
            format!(
                " {} presses the focused button · {}/{}/{} move",
                key(mode, &Action::Open),
                key(mode, &Action::FocusNext),
                key(mode, &Action::Left),
                key(mode, &Action::Right)
            ),
            t.dim,
        ));
        frame_dialog(frame, app, area, "Hire employee", lines, width, false);
    }
}
