//! Settings, for administrators: whether dismissed employees are shown, and who has
//! company-structure access (grant, revoke).

use crate::domain::Employee;
use crate::tui::action::Action;
use crate::tui::dialogs::{ConfirmDialog, Dialog, GrantDialog};
use crate::tui::effect::Effect;

use super::{Context, Outcome};

#[derive(Debug)]
pub struct SettingsView {
    pub show_dismissed: bool,
    pub staff: Vec<Employee>,
    /// The SCIM clients' tokens (`offboard scim token`), listed when there are any.
    pub scim_tokens: Vec<crate::domain::scim::ScimToken>,
    pub scim_integrations: crate::domain::IntegrationChoice,
    /// The outbound event hooks (`offboard hook`), listed when there are any.
    pub hooks: Vec<crate::directory::Hook>,
    /// 0 is the show-dismissed switch; 1.. are staff rows.
    pub selected: usize,
}

impl Default for SettingsView {
    fn default() -> Self {
        SettingsView {
            show_dismissed: false,
            staff: Vec::new(),
            scim_tokens: Vec::new(),
            scim_integrations: crate::domain::IntegrationChoice::Disable,
            hooks: Vec::new(),
            selected: 0,
        }
    }
}

impl SettingsView {
    pub fn apply_staff(&mut self, staff: Vec<Employee>) {
        self.staff = staff;
        self.selected = self.selected.min(self.staff.len());
    }

    pub fn handle(&mut self, action: Action, cx: &Context) -> Outcome {
        if !cx.me.is_admin {
            return Outcome::Nothing;
        }
        let last = self.staff.len();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Top | Action::PageUp => self.selected = 0,
            Action::Bottom | Action::PageDown => self.selected = last,
            Action::Select(i) => self.selected = usize::try_from(i).unwrap_or(0).min(last),
            Action::ToggleShowDismissed => {
                return Outcome::Run(Effect::SetShowDismissed(!self.show_dismissed));
            }
            Action::Toggle if self.selected == 0 => {
                return Outcome::Run(Effect::SetShowDismissed(!self.show_dismissed));
            }
            Action::Grant => return Outcome::Open(Dialog::Grant(GrantDialog::new(cx.me))),
            Action::Revoke | Action::Toggle => {
                let Some(who) = self.selected.checked_sub(1).and_then(|i| self.staff.get(i)) else {
                    return Outcome::Nothing;
                };
                return Outcome::Open(Dialog::Confirm(ConfirmDialog::new(
                    "Revoke access",
                    vec![
                        format!(
                            "Revoke company-structure access from {}?",
                            crate::directory::Named::of(who)
                        ),
                        "They will no longer be able to dismiss, hire or reassign.".into(),
                    ],
                    "Revoke",
                    Effect::SetAccess {
                        login: who.login.clone(),
                        grant: false,
                    },
                )));
            }
            _ => {}
        }
        Outcome::Nothing
    }
}
