//! Granting company-structure access: pick one active employee by name. It opens on
//! Cancel.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::{Employee, EmployeeId};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Button, Component, Outcome, ring_step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantButton {
    Grant,
    Cancel,
}

impl Button for GrantButton {
    fn label(self) -> &'static str {
        match self {
            GrantButton::Grant => "Grant",
            GrantButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            GrantButton::Grant => Action::Confirm,
            GrantButton::Cancel => Action::Cancel,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantFocus {
    Button(GrantButton),
    /// The name field.
    Picker,
}

#[derive(Debug)]
pub struct GrantDialog {
    pub input: Input,
    pub candidates: Vec<Employee>,
    pub candidate: usize,
    pub focus: GrantFocus,
    /// The acting user, who is never offered.
    exclude: EmployeeId,
}

impl GrantDialog {
    pub const BUTTONS: [GrantButton; 2] = [GrantButton::Grant, GrantButton::Cancel];
    const RING: [GrantFocus; 3] = [
        GrantFocus::Button(GrantButton::Grant),
        GrantFocus::Button(GrantButton::Cancel),
        GrantFocus::Picker,
    ];

    pub fn new(me: &Employee) -> Self {
        GrantDialog {
            input: Input::default(),
            candidates: vec![],
            candidate: 0,
            // The caret in the name field; Cancel stays the default button (Enter on
            // an empty field presses it).
            focus: GrantFocus::Picker,
            exclude: me.id,
        }
    }

    fn submit(&self) -> Outcome {
        match self.candidates.get(self.candidate) {
            Some(c) => Outcome::Run(Effect::SetAccess {
                login: c.login.clone(),
                grant: true,
            }),
            None => Outcome::Say("Type a name and pick someone first".into()),
        }
    }
}

impl Component for GrantDialog {
    fn keys(&self) -> Mode {
        Mode::Confirm
    }

    fn typing(&self) -> bool {
        self.focus == GrantFocus::Picker
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel | Action::Back => Outcome::Close,
            Action::FocusNext | Action::Right => {
                self.focus = ring_step(&Self::RING, self.focus, true);
                Outcome::Stay
            }
            Action::FocusPrev | Action::Left => {
                self.focus = ring_step(&Self::RING, self.focus, false);
                Outcome::Stay
            }
            Action::Up => {
                self.candidate = self.candidate.saturating_sub(1);
                Outcome::Stay
            }
            Action::Down => {
                self.candidate = (self.candidate + 1).min(self.candidates.len().saturating_sub(1));
                Outcome::Stay
            }
            Action::Text(key) => {
                if self.input.handle_event(&Event::Key(key)).is_some() {
                    return Outcome::Run(Effect::LoadCandidates {
                        search: self.input.value().to_string(),
                        exclude: self.exclude,
                    });
                }
                Outcome::Stay
            }
            Action::Open if self.focus == GrantFocus::Picker && self.input.value().is_empty() => {
                Outcome::Close
            }
            Action::Open if self.focus == GrantFocus::Picker => {
                self.focus = GrantFocus::Button(GrantButton::Grant);
                Outcome::Stay
            }
            Action::Open if self.focus == GrantFocus::Button(GrantButton::Cancel) => Outcome::Close,
            Action::Open | Action::Confirm => self.submit(),
            _ => Outcome::Stay,
        }
    }

    fn typed(&self) -> bool {
        !self.input.value().trim().is_empty()
    }

    fn candidates_loaded(&mut self, list: Vec<Employee>) {
        self.candidates = list;
        self.candidate = 0;
    }
}
