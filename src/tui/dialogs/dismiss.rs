//! Dismissing one employee: what they still own, their active integrations (keep or
//! disable), a reason, a note and a date; "Reassign first…" opens the handover over
//! this dialog, which keeps what was typed. It opens on Cancel.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::directory::DismissRequest;
use crate::domain::{Employee, IntegrationBrief, IntegrationChoice, Owned, Reason, validate};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Button, Component, Outcome, ring_step, scroll_by};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DismissButton {
    /// Someone without active integrations: dismiss.
    Dismiss,
    /// Someone with active integrations: they move to a system user.
    Keep,
    /// Someone with active integrations: they stop working.
    Disable,
    /// Hand the work over first, then come back here.
    ReassignFirst,
    Cancel,
}

impl Button for DismissButton {
    fn label(self) -> &'static str {
        match self {
            DismissButton::Dismiss => "Dismiss employee",
            DismissButton::Keep => "Keep integrations and dismiss",
            DismissButton::Disable => "Disable integrations and dismiss",
            DismissButton::ReassignFirst => "Reassign first…",
            DismissButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            DismissButton::Dismiss => Action::Confirm,
            DismissButton::Keep => Action::Keep,
            DismissButton::Disable => Action::DisableAll,
            DismissButton::ReassignFirst => Action::ReassignFirst,
            DismissButton::Cancel => Action::Cancel,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DismissFocus {
    Button(DismissButton),
    Reason,
    Note,
    /// When: empty for now, or a date.
    Date,
    /// Which offboarding checklist the dismissal starts (when the company has any).
    Checklist,
}

#[derive(Debug)]
pub struct DismissDialog {
    pub target: Employee,
    pub owns: Owned,
    pub integrations: Vec<IntegrationBrief>,
    pub reason: Option<Reason>,
    pub note: Input,
    /// Empty: now. A date `YYYY-MM-DD`: scheduled for that day.
    pub date: Input,
    pub focus: DismissFocus,
    /// How far the text above the fields is scrolled (when the window is too short).
    pub scroll: u16,
    /// The checklists to choose from, with their labels: the company's default
    /// first, then the other templates, then none; empty when there are no templates.
    pub checklists: Vec<(String, crate::domain::ChecklistChoice)>,
    pub checklist: usize,
}

impl DismissDialog {
    pub fn new(target: Employee, owns: Owned, integrations: Vec<IntegrationBrief>) -> Self {
        DismissDialog {
            target,
            owns,
            integrations,
            reason: None,
            note: Input::default(),
            date: Input::default(),
            focus: DismissFocus::Button(DismissButton::Cancel),
            scroll: 0,
            checklists: Vec::new(),
            checklist: 0,
        }
    }

    /// The templates a dismissal may start (`default` first, as the company's default).
    pub fn set_checklists(&mut self, names: &[String], default: Option<&str>) {
        use crate::domain::ChecklistChoice;
        self.checklists.clear();
        self.checklist = 0;
        if names.is_empty() {
            return;
        }
        if let Some(d) = default {
            self.checklists
                .push((format!("{d} (default)"), ChecklistChoice::CompanyDefault));
        }
        for n in names.iter().filter(|n| Some(n.as_str()) != default) {
            self.checklists
                .push((n.clone(), ChecklistChoice::Named(n.clone())));
        }
        self.checklists.push(("none".into(), ChecklistChoice::None));
    }

    /// The label of the checklist chosen now.
    pub fn checklist_label(&self) -> Option<&str> {
        self.checklists.get(self.checklist).map(|(l, _)| l.as_str())
    }

    fn next_checklist(&mut self, forward: bool) {
        let n = self.checklists.len();
        if n > 0 {
            self.checklist = if forward {
                (self.checklist + 1) % n
            } else {
                (self.checklist + n - 1) % n
            };
        }
    }

    /// The same employee as they are now (back from "Reassign first…"): what was
    /// typed stays; the focus stays on a field, or goes to Cancel, as the buttons may
    /// have changed.
    pub fn refresh(&mut self, target: Employee, owns: Owned, integrations: Vec<IntegrationBrief>) {
        self.target = target;
        self.owns = owns;
        self.integrations = integrations;
        self.scroll = 0;
        if let DismissFocus::Button(_) = self.focus {
            self.focus = DismissFocus::Button(DismissButton::Cancel);
        }
    }

    /// Buttons, left to right; Cancel is always last.
    pub fn buttons(&self) -> Vec<DismissButton> {
        let mut v = if self.integrations.is_empty() {
            vec![DismissButton::Dismiss]
        } else {
            vec![DismissButton::Keep, DismissButton::Disable]
        };
        if self.owns.total() > 0 {
            v.push(DismissButton::ReassignFirst);
        }
        v.push(DismissButton::Cancel);
        v
    }

    fn ring(&self) -> Vec<DismissFocus> {
        let mut v: Vec<DismissFocus> = self
            .buttons()
            .into_iter()
            .map(DismissFocus::Button)
            .collect();
        v.extend([DismissFocus::Reason, DismissFocus::Note, DismissFocus::Date]);
        if !self.checklists.is_empty() {
            v.push(DismissFocus::Checklist);
        }
        v
    }

    fn reassign_first(&self) -> Outcome {
        Outcome::Run(Effect::PrepareReassign(self.target.login.clone()))
    }

    /// One of the dismissing buttons, when this dialog has it.
    fn press(&mut self, button: DismissButton) -> Outcome {
        if !self.buttons().contains(&button) {
            return Outcome::Stay;
        }
        let integrations = match button {
            DismissButton::Dismiss => None,
            DismissButton::Keep => Some(IntegrationChoice::Keep),
            DismissButton::Disable => Some(IntegrationChoice::Disable),
            DismissButton::ReassignFirst | DismissButton::Cancel => return Outcome::Stay,
        };
        let note = self.note.value().trim().to_string();
        let request = DismissRequest {
            integrations,
            reason: self.reason,
            note: if note.is_empty() { None } else { Some(note) },
            checklist: self
                .checklists
                .get(self.checklist)
                .map(|(_, c)| c.clone())
                .unwrap_or_default(),
        };
        let login = self.target.login.clone();
        let date = self.date.value().trim().to_string();
        if date.is_empty() {
            return Outcome::Run(Effect::Dismiss { login, request });
        }
        // A date that is not one is the field's own business: the message goes over
        // this dialog, which keeps everything typed and the caret in When.
        match validate::date("When", &date) {
            Ok(on) => Outcome::Run(Effect::ScheduleDismiss { login, request, on }),
            Err(e) => {
                self.focus = DismissFocus::Date;
                Outcome::Push(super::Dialog::Message(super::MessageDialog::error(
                    crate::tui::wording::say(&e),
                )))
            }
        }
    }

    /// The date was refused (in the past, before the hire date): the caret goes back
    /// to When, everything typed stays.
    pub fn date_refused(&mut self) {
        self.focus = DismissFocus::Date;
    }
}

fn next_reason(r: Option<Reason>, forward: bool) -> Option<Reason> {
    let all: Vec<Option<Reason>> = std::iter::once(None)
        .chain(Reason::ALL.iter().copied().map(Some))
        .collect();
    ring_step(&all, r, forward)
}

impl Component for DismissDialog {
    fn keys(&self) -> Mode {
        if self.integrations.is_empty() {
            Mode::Dismiss
        } else {
            Mode::DismissChoice
        }
    }

    fn typing(&self) -> bool {
        matches!(self.focus, DismissFocus::Note | DismissFocus::Date)
    }

    fn typed(&self) -> bool {
        !self.note.value().trim().is_empty() || !self.date.value().trim().is_empty()
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel | Action::Back => Outcome::Close,
            Action::Confirm => self.press(DismissButton::Dismiss),
            Action::Keep => self.press(DismissButton::Keep),
            Action::DisableAll => self.press(DismissButton::Disable),
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                // The note on what kept integrations can still do wraps to some 4 lines.
                let kept = crate::domain::KeptRights::of(&self.target, &self.integrations);
                let lines = self.integrations.len()
                    + 10
                    + if kept.is_some() { 4 } else { 0 }
                    + if self.target.is_admin { 2 } else { 0 };
                scroll_by(&mut self.scroll, &action, lines);
                Outcome::Stay
            }
            Action::ReassignFirst if self.buttons().contains(&DismissButton::ReassignFirst) => {
                self.reassign_first()
            }
            Action::FocusNext | Action::FocusPrev => {
                self.focus = ring_step(&self.ring(), self.focus, action == Action::FocusNext);
                Outcome::Stay
            }
            Action::Left | Action::Right => {
                let forward = action == Action::Right;
                match self.focus {
                    DismissFocus::Button(current) => {
                        // Along the row of buttons, stopping at either end.
                        let buttons = self.buttons();
                        let i = buttons.iter().position(|b| *b == current).unwrap_or(0);
                        let i = if forward {
                            (i + 1).min(buttons.len() - 1)
                        } else {
                            i.saturating_sub(1)
                        };
                        self.focus = DismissFocus::Button(buttons[i]);
                    }
                    DismissFocus::Reason => self.reason = next_reason(self.reason, forward),
                    DismissFocus::Checklist => self.next_checklist(forward),
                    DismissFocus::Note | DismissFocus::Date => {}
                }
                Outcome::Stay
            }
            Action::Open => match self.focus {
                DismissFocus::Button(DismissButton::Cancel) => Outcome::Close,
                DismissFocus::Button(DismissButton::ReassignFirst) => self.reassign_first(),
                DismissFocus::Button(button) => self.press(button),
                DismissFocus::Reason => {
                    self.reason = next_reason(self.reason, true);
                    Outcome::Stay
                }
                DismissFocus::Checklist => {
                    self.next_checklist(true);
                    Outcome::Stay
                }
                // Enter in When goes on to the buttons (the checklist field is Tab's).
                DismissFocus::Date => {
                    self.focus = DismissFocus::Button(self.buttons()[0]);
                    Outcome::Stay
                }
                DismissFocus::Note => {
                    self.focus = ring_step(&self.ring(), self.focus, true);
                    Outcome::Stay
                }
            },
            Action::Text(key) => {
                let field = if self.focus == DismissFocus::Date {
                    &mut self.date
                } else {
                    &mut self.note
                };
                field.handle_event(&Event::Key(key));
                Outcome::Stay
            }
            _ => Outcome::Stay,
        }
    }

    fn uncovered(&self) -> Option<Effect> {
        Some(Effect::PrepareDismiss(self.target.login.clone()))
    }
}
