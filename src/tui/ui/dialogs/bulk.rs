use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Draw;
use crate::tui::app::App;
use crate::tui::dialogs::bulk::BulkField;
use crate::tui::dialogs::{BulkDialog, Component};
use crate::tui::ui::widgets::{
    SplitDialog, button_row, dialog_width, field, fit, frame_dialog_split, integration_line,
    scroll_keys,
};

impl Draw for BulkDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let verb = if self.dismiss { "dismiss" } else { "hire" };
        let going = self.going().len();
        let n = self.steps.len();
        let mut body = vec![Line::styled(
            format!(
                " {} {going} of {n} marked employee{}?",
                if self.dismiss { "Dismiss" } else { "Hire" },
                if n == 1 { "" } else { "s" }
            ),
            t.table_header,
        )];
        for s in &self.steps {
            let name = s.named();
            let text = if s.apply {
                let extra = if s.active_integrations > 0 {
                    format!(
                        " ({} active integration{})",
                        s.active_integrations,
                        if s.active_integrations == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                };
                format!("   • {name}: {verb}{extra}")
            } else {
                format!(
                    "   • {name}: skipped, {}",
                    s.skip
                        .as_ref()
                        .map(crate::tui::wording::say)
                        .unwrap_or_default()
                )
            };
            body.push(Line::styled(
                fit(&text, inner_w),
                if s.apply { Style::new() } else { t.greyed },
            ));
            if s.apply {
                for i in &s.integrations {
                    body.push(integration_line("       ", i, inner_w));
                }
            }
        }
        if self.asks_choice() {
            body.push(Line::raw(" One choice for every integration of the set:"));
            body.push(Line::raw(
                " Keep: they move to a system user and keep working for anyone with the link.",
            ));
            body.push(Line::raw(" Disable: they stop working at once."));
        }
        body.push(Line::styled(
            " Each employee is changed on their own: one refusal stops no other.",
            t.dim,
        ));
        let mut footer = vec![Line::raw("")];
        if self.dismiss && !self.going().is_empty() {
            // One reason and note for each of them.
            let on_reason = self.field == Some(BulkField::Reason);
            let reason = self
                .reason
                .map(|r| r.words())
                .unwrap_or_else(|| "none".into());
            footer.push(Line::from(vec![
                Span::styled(" Reason ", if on_reason { t.key } else { t.dim }),
                Span::styled(
                    format!("‹ {reason} ›"),
                    if on_reason { t.field_focus } else { t.field },
                ),
            ]));
            footer.push(field(
                app,
                "Note  ",
                self.note.value(),
                self.note.cursor(),
                self.field == Some(BulkField::Note),
                inner_w.saturating_sub(10),
            ));
            let on_date = self.field == Some(BulkField::Date);
            let when = if self.date.value().is_empty() && !on_date {
                "now"
            } else {
                self.date.value()
            };
            footer.push(field(
                app,
                "When  ",
                when,
                self.date.cursor(),
                on_date,
                inner_w.saturating_sub(10),
            ));
            footer.push(Line::raw(""));
        }
        footer.extend(button_row(
            app,
            mode,
            &self.buttons(),
            self.field.is_none().then_some(self.focus),
            inner_w,
        ));
        frame_dialog_split(
            frame,
            app,
            area,
            SplitDialog {
                title: if self.dismiss {
                    "Dismiss marked employees"
                } else {
                    "Hire marked employees"
                },
                body,
                footer,
                width,
                scroll: self.scroll,
                scroll_keys: scroll_keys(mode),
            },
        );
    }
}
