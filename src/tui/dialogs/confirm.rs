//! A yes/Cancel question before a change (disable an integration, issue a new secret,
//! revoke access, cancel a scheduled dismissal). It opens on Cancel.

use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Button, Component, Outcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmButton {
    Yes,
    Cancel,
}

impl Button for ConfirmButton {
    /// The yes button's words are the dialog's own (`ConfirmDialog::yes`).
    fn label(self) -> &'static str {
        match self {
            ConfirmButton::Yes => "Yes",
            ConfirmButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            ConfirmButton::Yes => Action::Confirm,
            ConfirmButton::Cancel => Action::Cancel,
        }
    }
}

#[derive(Debug)]
pub struct ConfirmDialog {
    pub title: String,
    pub lines: Vec<String>,
    /// What the yes button says ("Disable", "Revoke").
    pub yes: &'static str,
    pub on_yes: Effect,
    pub focus: ConfirmButton,
}

impl ConfirmDialog {
    pub fn new(title: &str, lines: Vec<String>, yes: &'static str, on_yes: Effect) -> Self {
        ConfirmDialog {
            title: title.into(),
            lines,
            yes,
            on_yes,
            focus: ConfirmButton::Cancel,
        }
    }

    pub fn label(&self, button: ConfirmButton) -> &'static str {
        match button {
            ConfirmButton::Yes => self.yes,
            ConfirmButton::Cancel => button.label(),
        }
    }
}

impl Component for ConfirmDialog {
    fn keys(&self) -> Mode {
        Mode::Confirm
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel | Action::Back => Outcome::Close,
            Action::Confirm => Outcome::Run(self.on_yes.clone()),
            Action::FocusNext | Action::FocusPrev | Action::Left | Action::Right => {
                self.focus = match self.focus {
                    ConfirmButton::Yes => ConfirmButton::Cancel,
                    ConfirmButton::Cancel => ConfirmButton::Yes,
                };
                Outcome::Stay
            }
            Action::Open => match self.focus {
                ConfirmButton::Yes => Outcome::Run(self.on_yes.clone()),
                ConfirmButton::Cancel => Outcome::Close,
            },
            _ => Outcome::Stay,
        }
    }
}
