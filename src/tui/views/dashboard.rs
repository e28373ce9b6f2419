//! The dashboard: figures read once when the pane opens and again whenever the data
//! changes (ours or another process's), never on a frame.

use crate::directory::Dashboard;
use crate::tui::action::Action;
use crate::tui::effect::Effect;

use super::{Context, Outcome};

#[derive(Debug, Default)]
pub struct DashboardView {
    /// The figures last read; none before the first read.
    pub data: Option<Dashboard>,
}

impl DashboardView {
    pub fn load(&self) -> Effect {
        Effect::LoadDashboard
    }

    pub fn apply(&mut self, data: Dashboard) {
        self.data = Some(data);
    }

    pub fn handle(&mut self, action: Action, cx: &Context) -> Outcome {
        match action {
            // The list behind the backlog line: who still owns work, by name.
            Action::ToggleBacklog if cx.me.is_staff() => Outcome::Backlog,
            Action::ToggleBacklog => Outcome::Say(
                "The handover backlog is for administrators and company-structure staff".into(),
            ),
            _ => Outcome::Nothing,
        }
    }
}
