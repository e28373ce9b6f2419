//! The integrations pane: every webhook the acting user may see, or only the active
//! ones grouped by owner; create, edit, disable, enable, new secret.

use crate::domain::{Integration, IntegrationStatus, Kind};
use crate::tui::action::Action;
use crate::tui::dialogs::{ConfirmDialog, Dialog, WebhookForm};
use crate::tui::effect::Effect;

use super::{Context, Outcome, is_move, move_selection};

#[derive(Debug, Default)]
pub struct IntegrationsView {
    pub all: Vec<Integration>,
    pub active_only: bool,
    pub selected: usize,
}

impl IntegrationsView {
    pub fn visible(&self) -> Vec<&Integration> {
        let mut v: Vec<&Integration> = self
            .all
            .iter()
            .filter(|i| !self.active_only || i.status == IntegrationStatus::Active)
            .collect();
        if self.active_only {
            v.sort_by(|a, b| a.owner.cmp(&b.owner).then(a.id.cmp(&b.id)));
        }
        v
    }

    pub fn selected_integration(&self) -> Option<Integration> {
        self.visible().get(self.selected).map(|i| (*i).clone())
    }

    pub fn apply(&mut self, list: Vec<Integration>) {
        self.all = list;
        let n = self.visible().len();
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    pub fn handle(&mut self, action: Action, cx: &Context) -> Outcome {
        match action {
            a if is_move(&a) => {
                let n = self.visible().len() as i64;
                let mut sel = self.selected as i64;
                let mut off = 0;
                move_selection(&mut sel, &mut off, n, cx.list_height, &a);
                self.selected = sel.max(0) as usize;
                Outcome::Nothing
            }
            Action::ToggleIntegrationFilter => {
                self.active_only = !self.active_only;
                self.selected = 0;
                Outcome::Nothing
            }
            Action::CreateWebhook => Outcome::Open(Dialog::Webhook(WebhookForm::create())),
            Action::EditWebhook => self
                .selected_integration()
                .map(|i| Effect::PrepareEdit(i.id))
                .into(),
            Action::EnableWebhook => self
                .selected_integration()
                .map(|i| Effect::EnableWebhook(i.id))
                .into(),
            Action::DisableWebhook => {
                let Some(i) = self.selected_integration() else {
                    return Outcome::Nothing;
                };
                Outcome::Open(Dialog::Confirm(ConfirmDialog::new(
                    "Disable integration",
                    vec![
                        format!(
                            "Disable #{} \"{}\" owned by {}?",
                            i.id,
                            i.title,
                            crate::directory::Named::owner(&i)
                        ),
                        "Its URL stops working at once for everyone who has it.".into(),
                    ],
                    "Disable",
                    Effect::DisableWebhook(i.id),
                )))
            }
            Action::RegenerateWebhook => {
                let Some(i) = self.selected_integration() else {
                    return Outcome::Nothing;
                };
                let mut lines = vec![
                    format!("Issue a new secret for #{} \"{}\"?", i.id, i.title),
                    "The old URL stops working at once; the new one is shown to you once.".into(),
                ];
                if i.owner_id != cx.me.id && i.owner_kind == Kind::System {
                    lines.push(format!(
                        "It is held by the system user {}: it becomes yours.",
                        i.owner
                    ));
                }
                Outcome::Open(Dialog::Confirm(ConfirmDialog::new(
                    "New secret",
                    lines,
                    "Issue new secret",
                    Effect::RegenerateWebhook(i.id),
                )))
            }
            _ => Outcome::Nothing,
        }
    }
}
