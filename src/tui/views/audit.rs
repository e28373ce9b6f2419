//! The audit log, newest first, with a search; paged without a total.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::directory::AuditEvent;
use crate::tui::action::Action;
use crate::tui::dialogs::{Dialog, MessageDialog};
use crate::tui::effect::Effect;

use super::{Context, Outcome, is_move, move_selection};

#[derive(Debug, Default)]
pub struct AuditView {
    pub search: Input,
    pub searching: bool,
    pub rows: Vec<AuditEvent>,
    pub offset: i64,
    pub selected: i64,
    pub total: i64,
    /// Why the log is closed to the acting user, when the directory said so.
    pub denied: Option<String>,
}

/// A total too large to reach: the log's end is found by a page shorter than the screen.
const UNKNOWN_TOTAL: i64 = i64::MAX / 4;

impl AuditView {
    pub fn load(&self, height: i64) -> Effect {
        let s = self.search.value().trim().to_string();
        Effect::LoadAudit {
            search: if s.is_empty() { None } else { Some(s) },
            offset: self.offset,
            limit: height,
        }
    }

    pub fn apply(&mut self, offset: i64, rows: Vec<AuditEvent>) {
        if offset == self.offset {
            self.rows = rows;
            self.denied = None;
            let last = self.offset + self.rows.len() as i64 - 1;
            self.selected = self.selected.clamp(self.offset, last.max(self.offset));
        }
    }

    pub fn handle(&mut self, action: Action, cx: &Context) -> Outcome {
        let height = cx.list_height;
        match action {
            a if is_move(&a) => {
                let total = if (self.rows.len() as i64) < height {
                    self.offset + self.rows.len() as i64
                } else {
                    UNKNOWN_TOTAL
                };
                if a == Action::Bottom && total == UNKNOWN_TOTAL {
                    return Outcome::Nothing;
                }
                if move_selection(&mut self.selected, &mut self.offset, total, height, &a) {
                    return Outcome::Run(self.load(height));
                }
                Outcome::Nothing
            }
            Action::FocusSearch => {
                self.searching = true;
                Outcome::Nothing
            }
            Action::SearchDone => {
                self.searching = false;
                Outcome::Nothing
            }
            Action::SearchClear | Action::Back => {
                self.searching = false;
                self.search.reset();
                self.offset = 0;
                self.selected = 0;
                Outcome::Run(self.load(height))
            }
            Action::Text(key) => {
                if self.search.handle_event(&Event::Key(key)).is_some() {
                    self.offset = 0;
                    self.selected = 0;
                    return Outcome::Run(self.load(height));
                }
                Outcome::Nothing
            }
            Action::Open => match self.rows.get((self.selected - self.offset) as usize) {
                Some(ev) => Outcome::Open(Dialog::Message(detail_of(ev))),
                None => Outcome::Nothing,
            },
            _ => Outcome::Nothing,
        }
    }
}

/// One audit event whole: who, how, what, and its details as indented JSON.
fn detail_of(ev: &AuditEvent) -> MessageDialog {
    let mut lines = vec![
        format!("At: {}", crate::domain::time::minute(ev.at)),
        format!("Actor: {} via {}", ev.actor, ev.via),
        format!("Action: {}", ev.action),
    ];
    if let Some(t) = &ev.target {
        lines.push(format!("Target: {t}"));
    }
    lines.push("Details:".into());
    let pretty = serde_json::to_string_pretty(&ev.details).unwrap_or_default();
    lines.extend(pretty.lines().map(|l| format!("  {l}")));
    MessageDialog::detail(format!("Audit event #{}", ev.id), lines)
}
