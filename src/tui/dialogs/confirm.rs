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
    /// What the other button says: "Cancel", unless that would be ambiguous.
    pub no: &'static str,
    pub on_yes: Effect,
    /// Yes discards the dialog underneath (what was typed in it) instead of running
    /// `on_yes`.
    pub discards: bool,
    pub focus: ConfirmButton,
}

impl ConfirmDialog {
    pub fn new(title: &str, lines: Vec<String>, yes: &'static str, on_yes: Effect) -> Self {
        ConfirmDialog {
            title: title.into(),
            lines,
            yes,
            no: ConfirmButton::Cancel.label(),
            on_yes,
            discards: false,
            focus: ConfirmButton::Cancel,
        }
    }

    /// The other button's words, when "Cancel" would be ambiguous (a dialog that
    /// cancels something).
    pub fn with_no(mut self, no: &'static str) -> Self {
        self.no = no;
        self
    }

    /// Esc in a text field that has something typed: ask before losing it.
    pub fn discard_typed() -> Self {
        ConfirmDialog {
            discards: true,
            ..ConfirmDialog::new(
                "Discard what you typed?",
                vec!["Close the dialog and lose what was typed in it?".into()],
                "Discard",
                Effect::Batch(vec![]),
            )
            .with_no("Keep editing")
        }
    }

    fn yes_outcome(&self) -> Outcome {
        if self.discards {
            Outcome::CloseWithBelow
        } else {
            Outcome::Run(self.on_yes.clone())
        }
    }

    pub fn label(&self, button: ConfirmButton) -> &'static str {
        match button {
            ConfirmButton::Yes => self.yes,
            ConfirmButton::Cancel => self.no,
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
            Action::Confirm => self.yes_outcome(),
            Action::FocusNext | Action::FocusPrev | Action::Left | Action::Right => {
                self.focus = match self.focus {
                    ConfirmButton::Yes => ConfirmButton::Cancel,
                    ConfirmButton::Cancel => ConfirmButton::Yes,
                };
                Outcome::Stay
            }
            Action::Open => match self.focus {
                ConfirmButton::Yes => self.yes_outcome(),
                ConfirmButton::Cancel => Outcome::Close,
            },
            _ => Outcome::Stay,
        }
    }
}
