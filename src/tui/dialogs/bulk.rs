//! The preview of a bulk dismissal or rehire: who changes, who is skipped and why, and
//! one integration choice for the whole set. It opens on Cancel.

use crate::directory::BulkStep;
use crate::domain::IntegrationChoice;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::{Reason, validate};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Button, Component, Outcome, ring_step, scroll_by};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkButton {
    Keep,
    Disable,
    Dismiss,
    Hire,
    Cancel,
}

impl Button for BulkButton {
    fn label(self) -> &'static str {
        match self {
            BulkButton::Keep => "Keep integrations and dismiss",
            BulkButton::Disable => "Disable integrations and dismiss",
            BulkButton::Dismiss => "Dismiss these employees",
            BulkButton::Hire => "Hire these employees",
            BulkButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            BulkButton::Keep => Action::Keep,
            BulkButton::Disable => Action::DisableAll,
            BulkButton::Dismiss | BulkButton::Hire => Action::Confirm,
            BulkButton::Cancel => Action::Cancel,
        }
    }
}

#[derive(Debug)]
pub struct BulkDialog {
    pub dismiss: bool,
    pub steps: Vec<BulkStep>,
    /// The focused button, unless a field has the focus (`field`).
    pub focus: BulkButton,
    /// A bulk dismissal's reason and note, for every employee of the set.
    pub reason: Option<Reason>,
    pub note: Input,
    /// When: empty for now, or a day to schedule every dismissal of the set for.
    pub date: Input,
    /// The field with the focus, if not a button.
    pub field: Option<BulkField>,
    /// How far the preview above the buttons is scrolled.
    pub scroll: u16,
}

impl BulkDialog {
    pub fn new(dismiss: bool, steps: Vec<BulkStep>) -> Self {
        BulkDialog {
            dismiss,
            steps,
            focus: BulkButton::Cancel,
            reason: None,
            note: Input::default(),
            date: Input::default(),
            field: None,
            scroll: 0,
        }
    }

    /// Where Tab goes next: the buttons, then (dismissing) Reason and Note.
    fn step(&mut self, forward: bool) {
        let mut ring: Vec<(Option<BulkField>, BulkButton)> =
            self.buttons().into_iter().map(|b| (None, b)).collect();
        if self.dismiss && !self.going().is_empty() {
            ring.push((Some(BulkField::Reason), self.focus));
            ring.push((Some(BulkField::Note), self.focus));
            ring.push((Some(BulkField::Date), self.focus));
        }
        let at = ring
            .iter()
            .position(|(f, b)| *f == self.field && (f.is_some() || *b == self.focus))
            .unwrap_or(0);
        let n = ring.len();
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        let (field, button) = ring[next];
        self.field = field;
        if field.is_none() {
            self.focus = button;
        }
    }

    pub fn going(&self) -> Vec<&BulkStep> {
        self.steps.iter().filter(|s| s.apply).collect()
    }

    /// Whether the one integration choice is asked for.
    pub fn asks_choice(&self) -> bool {
        self.buttons().contains(&BulkButton::Keep)
    }

    /// Buttons, left to right; Cancel is always last (and alone when nobody goes).
    pub fn buttons(&self) -> Vec<BulkButton> {
        let going = self.going();
        let with_integrations = going.iter().any(|s| s.active_integrations > 0);
        let mut v = match (going.is_empty(), self.dismiss, with_integrations) {
            (true, _, _) => vec![],
            (false, true, true) => vec![BulkButton::Keep, BulkButton::Disable],
            (false, true, false) => vec![BulkButton::Dismiss],
            (false, false, _) => vec![BulkButton::Hire],
        };
        v.push(BulkButton::Cancel);
        v
    }

    fn apply(&mut self, button: BulkButton) -> Outcome {
        let logins: Vec<String> = self.going().iter().map(|s| s.login.clone()).collect();
        if logins.is_empty() || !self.buttons().contains(&button) {
            return Outcome::Stay;
        }
        let choice = match button {
            BulkButton::Keep => Some(IntegrationChoice::Keep),
            BulkButton::Disable => Some(IntegrationChoice::Disable),
            BulkButton::Dismiss | BulkButton::Hire => None,
            BulkButton::Cancel => return Outcome::Stay,
        };
        let note = self.note.value().trim().to_string();
        let date = self.date.value().trim().to_string();
        let on = if date.is_empty() || !self.dismiss {
            None
        } else {
            match validate::date("When", &date) {
                Ok(day) => Some(day),
                // Said over this dialog, which keeps what was typed, the caret in When.
                Err(e) => {
                    self.field = Some(BulkField::Date);
                    return Outcome::Push(super::Dialog::Message(super::MessageDialog::error(
                        crate::tui::wording::say(&e),
                    )));
                }
            }
        };
        Outcome::Run(Effect::BulkApply {
            on,
            dismiss: self.dismiss,
            logins,
            choice,
            reason: self.reason,
            note: (!note.is_empty()).then_some(note),
        })
    }
}

/// A field of the bulk dismissal: the reason (←/→) or the note (typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkField {
    Reason,
    Note,
    /// When: empty for now, or a day.
    Date,
}

impl Component for BulkDialog {
    fn typing(&self) -> bool {
        matches!(self.field, Some(BulkField::Note | BulkField::Date))
    }

    fn typed(&self) -> bool {
        !self.note.value().trim().is_empty() || !self.date.value().trim().is_empty()
    }

    fn keys(&self) -> Mode {
        if self.asks_choice() {
            Mode::DismissChoice
        } else if self.dismiss {
            Mode::Dismiss
        } else {
            Mode::Hire
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel | Action::Back => Outcome::Close,
            Action::Confirm if self.dismiss => self.apply(BulkButton::Dismiss),
            Action::Confirm => self.apply(BulkButton::Hire),
            Action::Keep => self.apply(BulkButton::Keep),
            Action::DisableAll => self.apply(BulkButton::Disable),
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                // A line per employee and per integration, and a few more.
                let lines = self
                    .steps
                    .iter()
                    .map(|s| 1 + s.integrations.len())
                    .sum::<usize>()
                    + 8;
                scroll_by(&mut self.scroll, &action, lines);
                Outcome::Stay
            }
            Action::FocusNext | Action::FocusPrev => {
                self.step(action == Action::FocusNext);
                Outcome::Stay
            }
            Action::Left | Action::Right if self.field == Some(BulkField::Reason) => {
                let all: Vec<Option<Reason>> = std::iter::once(None)
                    .chain(Reason::ALL.iter().copied().map(Some))
                    .collect();
                self.reason = ring_step(&all, self.reason, action == Action::Right);
                Outcome::Stay
            }
            Action::Left | Action::Right if self.field.is_none() => {
                self.focus = ring_step(&self.buttons(), self.focus, action == Action::Right);
                Outcome::Stay
            }
            Action::Text(key) => {
                let input = if self.field == Some(BulkField::Date) {
                    &mut self.date
                } else {
                    &mut self.note
                };
                input.handle_event(&ratatui::crossterm::event::Event::Key(key));
                Outcome::Stay
            }
            Action::Open if self.field.is_some() => {
                self.step(true);
                Outcome::Stay
            }
            Action::Open => match self.focus {
                BulkButton::Cancel => Outcome::Close,
                button => self.apply(button),
            },
            _ => Outcome::Stay,
        }
    }
}
