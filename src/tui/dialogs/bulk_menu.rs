//! The row menu for a set of marked employees: dismiss or hire them all, with a preview
//! first.

use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Component, Outcome};

#[derive(Debug)]
pub struct BulkMenu {
    pub logins: Vec<String>,
    /// Their names, for the screen.
    pub names: Vec<String>,
    pub selected: usize,
    /// Whether the acting user may dismiss and hire (else the items are greyed).
    pub allowed: bool,
}

impl BulkMenu {
    /// The items, by the action their letter stands for.
    pub const ITEMS: [(Action, &'static str); 2] = [
        (Action::MenuDismiss, "Dismiss the marked employees"),
        (Action::MenuHire, "Hire the marked employees"),
    ];

    pub fn new(logins: Vec<String>, names: Vec<String>, allowed: bool) -> Self {
        BulkMenu {
            logins,
            names,
            selected: 0,
            allowed,
        }
    }
}

impl Component for BulkMenu {
    fn keys(&self) -> Mode {
        Mode::Menu
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let chosen = match action {
            Action::Cancel | Action::Back => return Outcome::Close,
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                return Outcome::Stay;
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(Self::ITEMS.len() - 1);
                return Outcome::Stay;
            }
            Action::Open => Self::ITEMS[self.selected].0.clone(),
            other => other,
        };
        let dismiss = match chosen {
            Action::MenuDismiss => true,
            Action::MenuHire => false,
            _ => return Outcome::Stay,
        };
        if !self.allowed {
            return Outcome::CloseAndSay(
                "Company-structure access is required to dismiss or hire".into(),
            );
        }
        Outcome::CloseAndRun(Effect::PrepareBulk {
            dismiss,
            logins: self.logins.clone(),
        })
    }
}
