use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Draw;
use crate::domain::Scope;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::webhook::{FormKind, WebhookButton, WebhookFocus};
use crate::tui::dialogs::{Component, WebhookForm};
use crate::tui::ui::widgets::{button_row, dialog_width, field, frame_dialog, key, tick};

impl Draw for WebhookForm {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let title = match &self.kind {
            FormKind::Create => "Create webhook".to_string(),
            FormKind::Edit { id, .. } => format!("Edit integration #{id}"),
        };
        let mut lines = Vec::new();
        if let FormKind::Edit {
            takes_over: true,
            owner,
            ..
        } = &self.kind
        {
            lines.push(Line::styled(
                format!(" It is held by {owner}. Saving makes it yours:"),
                t.error,
            ));
            lines.push(Line::styled(
                " a new secret is issued and shown once, and the old URL stops working.",
                t.error,
            ));
            lines.push(Line::raw(""));
        }
        lines.push(field(
            app,
            "Title",
            self.title.value(),
            self.title.cursor(),
            self.focus == WebhookFocus::Title,
            inner_w.saturating_sub(9),
        ));
        lines.push(Line::styled(
            format!(" Scopes ({} ticks):", key(mode, &Action::Toggle)),
            t.dim,
        ));
        for &scope in Scope::ALL {
            lines.push(tick(
                app,
                scope.to_string(),
                self.ticked(scope),
                self.focus == WebhookFocus::Tick(scope),
            ));
        }
        lines.push(Line::raw(""));
        let focused = match self.focus {
            WebhookFocus::Button(b) => Some(b),
            // Enter on an empty title presses Cancel: it shows as the default.
            WebhookFocus::Title if self.title.value().trim().is_empty() => {
                Some(WebhookButton::Cancel)
            }
            _ => None,
        };
        lines.extend(button_row(
            app,
            mode,
            &WebhookForm::BUTTONS,
            focused,
            inner_w,
        ));
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
