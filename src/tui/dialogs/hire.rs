//! Hiring a dismissed employee back, optionally returning the integrations their system
//! user holds. It opens on Cancel.

use crate::domain::{Employee, IntegrationBrief};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Button, Component, Outcome, ring_step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HireButton {
    Hire,
    Cancel,
}

impl Button for HireButton {
    fn label(self) -> &'static str {
        match self {
            HireButton::Hire => "Hire",
            HireButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            HireButton::Hire => Action::Confirm,
            HireButton::Cancel => Action::Cancel,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HireFocus {
    Button(HireButton),
    /// The "return them to the employee" tick box.
    Return,
}

#[derive(Debug)]
pub struct HireDialog {
    pub target: Employee,
    pub returnable: Vec<IntegrationBrief>,
    pub return_ticked: bool,
    pub focus: HireFocus,
}

impl HireDialog {
    pub fn new(target: Employee, returnable: Vec<IntegrationBrief>) -> Self {
        HireDialog {
            target,
            returnable,
            return_ticked: false,
            focus: HireFocus::Button(HireButton::Cancel),
        }
    }

    pub const BUTTONS: [HireButton; 2] = [HireButton::Hire, HireButton::Cancel];

    fn ring(&self) -> Vec<HireFocus> {
        let mut v: Vec<HireFocus> = Self::BUTTONS.into_iter().map(HireFocus::Button).collect();
        if !self.returnable.is_empty() {
            v.push(HireFocus::Return);
        }
        v
    }

    fn hire(&self) -> Outcome {
        Outcome::Run(Effect::Hire {
            login: self.target.login.clone(),
            return_integrations: self.return_ticked && !self.returnable.is_empty(),
        })
    }
}

impl Component for HireDialog {
    fn keys(&self) -> Mode {
        Mode::Hire
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel | Action::Back => Outcome::Close,
            Action::Confirm => self.hire(),
            Action::Toggle => {
                if !self.returnable.is_empty() {
                    self.return_ticked = !self.return_ticked;
                }
                Outcome::Stay
            }
            Action::FocusNext | Action::Right => {
                self.focus = ring_step(&self.ring(), self.focus, true);
                Outcome::Stay
            }
            Action::FocusPrev | Action::Left => {
                self.focus = ring_step(&self.ring(), self.focus, false);
                Outcome::Stay
            }
            Action::Open => match self.focus {
                HireFocus::Button(HireButton::Hire) => self.hire(),
                HireFocus::Return => {
                    self.return_ticked = !self.return_ticked;
                    Outcome::Stay
                }
                HireFocus::Button(HireButton::Cancel) => Outcome::Close,
            },
            _ => Outcome::Stay,
        }
    }
}
