use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::key::KeyFocus;
use crate::tui::dialogs::{Component, KeyDialog};
use crate::tui::ui::widgets::{button_row, dialog_width, field, fit, frame_dialog, key};

impl Draw for KeyDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let title = format!(
            "Add an SSH key for {}",
            crate::directory::Named::new(&self.name, &self.login)
        );
        let mut lines = vec![
            Line::raw(" The key's line from its .pub file (ed25519, ecdsa, or rsa"),
            Line::raw(format!(
                " of at least 2048 bits). It lets {} sign in over SSH.",
                self.name
            )),
            Line::raw(""),
            field(
                app,
                "Key",
                self.line.value(),
                self.line.cursor(),
                self.focus == KeyFocus::Line,
                inner_w.saturating_sub(7),
            ),
        ];
        lines.push(match &self.reading {
            Ok(what) => Line::styled(fit(&format!("   {what}"), inner_w), t.ok),
            Err(why) => Line::styled(fit(&format!("   {why}"), inner_w), t.dim),
        });
        lines.push(Line::raw(""));
        let focused = match self.focus {
            KeyFocus::Button(b) => Some(b),
            KeyFocus::Line => None,
        };
        lines.extend(button_row(app, mode, &KeyDialog::BUTTONS, focused, inner_w));
        lines.push(Line::styled(
            format!(
                " {} presses the focused button · {} next field",
                key(mode, &Action::Open),
                key(mode, &Action::FocusNext)
            ),
            t.dim,
        ));
        frame_dialog(frame, app, area, &title, lines, width, false);
    }
}
