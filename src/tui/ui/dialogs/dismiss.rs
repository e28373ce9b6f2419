use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Draw;
use crate::directory::Named;
use crate::domain::KeptRights;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::dismiss::DismissFocus;
use crate::tui::dialogs::{Component, DismissDialog};
use crate::tui::ui::widgets::{
    SplitDialog, button_row, dialog_width, field, frame_dialog_split, integration_line, key,
    scroll_keys,
};

/// "Kept, it runs as …": the sentence as it starts a line.
fn capitalized(kept: &KeptRights) -> String {
    let text = kept.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn s(n: i64, many: &'static str) -> &'static str {
    if n == 1 { "" } else { many }
}

impl Draw for DismissDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let width = dialog_width(area);
        let inner_w = width.saturating_sub(2) as usize;
        let mode = self.keys();
        let e = &self.target;
        let o = &self.owns;
        // A date typed in When changes what the dialog says will happen.
        let on = chrono::NaiveDate::parse_from_str(self.date.value().trim(), "%Y-%m-%d").ok();
        let mut body = vec![Line::styled(
            match on {
                Some(day) => format!(" Dismiss {} on {day}?", Named::of(e)),
                None => format!(" Dismiss {}?", Named::of(e)),
            },
            t.table_header,
        )];
        if e.is_admin {
            body.push(Line::styled(
                format!(
                    " {} is an administrator: they lose every right with their access.",
                    e.name()
                ),
                t.error,
            ));
        }
        let mut owns = format!(
            " {} still owns {} open task{}, {} CRM item{}, {} file{} and {} mailbox{}",
            e.first_name,
            o.tasks,
            s(o.tasks, "s"),
            o.crm_items,
            s(o.crm_items, "s"),
            o.files,
            s(o.files, "s"),
            o.mailboxes,
            s(o.mailboxes, "es")
        );
        if !self.integrations.is_empty() {
            let n = self.integrations.len();
            owns.push_str(&format!(
                ", and {n} active integration{}",
                if n == 1 { "" } else { "s" }
            ));
        }
        owns.push('.');
        body.push(Line::raw(owns));
        body.push(Line::styled(
            match on {
                Some(day) => format!(
                    " Nothing is deleted: their work and history stay; they lose access on {day}."
                ),
                None => {
                    " Nothing is deleted: their work and history stay; they lose access.".into()
                }
            },
            t.dim,
        ));
        if !self.integrations.is_empty() {
            body.push(Line::raw(""));
            body.push(Line::styled(" Active integrations:", t.table_header));
            for i in &self.integrations {
                body.push(integration_line("   • ", i, inner_w));
            }
            body.push(Line::raw(
                " Keep: they move to a system user and keep working for anyone with the link.",
            ));
            // An administrator's or staff member's rights go with them: say so plainly.
            if let Some(kept) = KeptRights::of(e, &self.integrations) {
                body.push(Line::styled(
                    format!(" {}.", capitalized(&kept)),
                    t.table_header,
                ));
            }
            body.push(Line::raw(match on {
                Some(day) => format!(" Disable: they stop working on {day}."),
                None => " Disable: they stop working at once.".into(),
            }));
        }

        let mut footer = vec![Line::raw("")];
        let reason = self
            .reason
            .map(|r| r.words())
            .unwrap_or_else(|| "none".into());
        let on_reason = self.focus == DismissFocus::Reason;
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
            self.focus == DismissFocus::Note,
            inner_w.saturating_sub(10),
        ));
        let when = if self.date.value().is_empty() && self.focus != DismissFocus::Date {
            "now"
        } else {
            self.date.value()
        };
        footer.push(field(
            app,
            "When  ",
            when,
            self.date.cursor(),
            self.focus == DismissFocus::Date,
            inner_w.saturating_sub(10),
        ));
        if let Some(label) = self.checklist_label() {
            let on = self.focus == DismissFocus::Checklist;
            footer.push(Line::from(vec![
                Span::styled(" Checklist ", if on { t.key } else { t.dim }),
                Span::styled(
                    format!("‹ {} ›", crate::domain::text::escape(label)),
                    if on { t.field_focus } else { t.field },
                ),
            ]));
        }
        // In a short window the hints give way to the text above (the status bar
        // still lists the keys).
        let roomy = area.height >= 24;
        if roomy {
            footer.push(Line::styled(
                " (When: leave empty for now, or a date YYYY-MM-DD to schedule)",
                t.dim,
            ));
            footer.push(Line::raw(""));
        }
        let focused = match self.focus {
            DismissFocus::Button(b) => Some(b),
            _ => None,
        };
        footer.extend(button_row(app, mode, &self.buttons(), focused, inner_w));
        if roomy {
            footer.push(Line::styled(
                format!(
                    " {} presses the focused button · {} next field · {}/{} move",
                    key(mode, &Action::Open),
                    key(mode, &Action::FocusNext),
                    key(mode, &Action::Left),
                    key(mode, &Action::Right)
                ),
                t.dim,
            ));
        }
        frame_dialog_split(
            frame,
            app,
            area,
            SplitDialog {
                title: "Dismiss employee",
                body,
                footer,
                width,
                scroll: self.scroll,
                scroll_keys: scroll_keys(mode),
            },
        );
    }
}
