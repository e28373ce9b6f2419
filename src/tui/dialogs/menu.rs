//! The row menu of the employee list and the Actions menu of a profile: what may be
//! done to one employee, the refused items greyed with the reason.

use crate::domain::rules::Allowed;
use crate::domain::{Employee, Result};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;
use crate::tui::wording;

use super::{Component, ConfirmDialog, Dialog, Outcome};

/// One entry of a menu. Its letter is the keymap's key for `action` in the menu mode.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuItem {
    pub label: &'static str,
    pub action: Action,
    /// Why the acting user may not take it; `None` when they may.
    pub refused: Option<String>,
}

#[derive(Debug)]
pub struct MenuDialog {
    pub title: String,
    pub target: Employee,
    pub items: Vec<MenuItem>,
    pub selected: usize,
}

impl MenuDialog {
    /// The menu for `target`, from the list (with "View profile") or from the profile:
    /// each item as the directory's `allowed_actions` decided it, a refused one greyed
    /// with the rule's reason, and "Cancel scheduled dismissal" when one is pending.
    pub fn for_employee(target: &Employee, in_profile: bool, allowed: &Allowed) -> Self {
        let reason = |r: &Result<()>| r.as_ref().err().map(|e| wording::menu_reason(e, target));
        let item = |label, action, refused| MenuItem {
            label,
            action,
            refused,
        };
        let mut items = Vec::new();
        if !in_profile {
            items.push(item("View profile", Action::MenuProfile, None));
        }
        items.push(item(
            "Dismiss",
            Action::MenuDismiss,
            reason(&allowed.dismiss),
        ));
        items.push(item("Hire", Action::MenuHire, reason(&allowed.hire)));
        items.push(item(
            "Reassign…",
            Action::MenuReassign,
            reason(&allowed.reassign),
        ));
        if let Some(cancel) = &allowed.cancel_dismissal {
            items.push(item(
                "Cancel scheduled dismissal",
                Action::MenuCancelDismissal,
                reason(cancel),
            ));
        }
        MenuDialog {
            title: if in_profile {
                "Actions".into()
            } else {
                crate::directory::Named::of(target).to_string()
            },
            target: target.clone(),
            items,
            selected: 0,
        }
    }
}

impl Component for MenuDialog {
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
                self.selected = (self.selected + 1).min(self.items.len() - 1);
                return Outcome::Stay;
            }
            Action::Open => self.items.get(self.selected),
            other => self.items.iter().find(|i| i.action == other),
        };
        let Some(chosen) = chosen.cloned() else {
            return Outcome::Stay;
        };
        if let Some(why) = chosen.refused {
            return Outcome::CloseAndSay(why);
        }
        let target = &self.target;
        let login = target.login.clone();
        match chosen.action {
            Action::MenuProfile => Outcome::CloseAndRun(Effect::LoadProfile(login)),
            Action::MenuDismiss => Outcome::CloseAndRun(Effect::PrepareDismiss(login)),
            Action::MenuHire => Outcome::CloseAndRun(Effect::PrepareHire(login)),
            Action::MenuReassign => Outcome::CloseAndRun(Effect::PrepareReassign(login)),
            Action::MenuCancelDismissal => Outcome::Replace(Dialog::Confirm(
                ConfirmDialog::new(
                    "Cancel scheduled dismissal",
                    vec![
                        format!(
                            "Cancel the dismissal scheduled for {}?",
                            crate::directory::Named::of(target)
                        ),
                        "They stay active; nothing else changes.".into(),
                    ],
                    "Cancel the dismissal",
                    Effect::CancelDismissal(login),
                )
                .with_no("Keep it scheduled"),
            )),
            _ => Outcome::Close,
        }
    }
}
