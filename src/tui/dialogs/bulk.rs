//! The preview of a bulk dismissal or rehire: who changes, who is skipped and why, and
//! one integration choice for the whole set. It opens on Cancel.

use crate::directory::BulkStep;
use crate::domain::IntegrationChoice;
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
    /// Only buttons take the focus here.
    pub focus: BulkButton,
    /// How far the preview above the buttons is scrolled.
    pub scroll: u16,
}

impl BulkDialog {
    pub fn new(dismiss: bool, steps: Vec<BulkStep>) -> Self {
        BulkDialog {
            dismiss,
            steps,
            focus: BulkButton::Cancel,
            scroll: 0,
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

    fn apply(&self, button: BulkButton) -> Outcome {
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
        Outcome::Run(Effect::BulkApply {
            dismiss: self.dismiss,
            logins,
            choice,
        })
    }
}

impl Component for BulkDialog {
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
            Action::FocusNext | Action::Right => {
                self.focus = ring_step(&self.buttons(), self.focus, true);
                Outcome::Stay
            }
            Action::FocusPrev | Action::Left => {
                self.focus = ring_step(&self.buttons(), self.focus, false);
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
