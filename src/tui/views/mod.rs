//! The panes as components: each module holds a pane's state, what it asks the
//! directory for, and its key handling, which turns an `Action` into an `Outcome`.

pub mod audit;
pub mod dashboard;
pub mod employees;
pub mod integrations;
pub mod offboarding;
pub mod profile;
pub mod settings;

use crate::domain::Employee;

use super::action::Action;
use super::dialogs::Dialog;
use super::effect::Effect;

pub use audit::AuditView;
pub use dashboard::DashboardView;
pub use employees::EmployeesView;
pub use integrations::IntegrationsView;
pub use offboarding::OffboardingView;
pub use profile::{ProfileData, ProfileTab, ProfileView};
pub use settings::SettingsView;

/// What a pane's key handling asks of the app. One is made per key press and
/// consumed at once, so the size of a dialog in it does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Outcome {
    Nothing,
    Run(Effect),
    /// Say something in the status line.
    Say(String),
    /// Open a dialog.
    Open(Dialog),
    /// Leave the profile for the pane it was opened from.
    Back,
    /// Open this employee's profile (from another pane than the list).
    OpenProfile(String),
    /// Show the handover backlog list (from the dashboard).
    Backlog,
}

impl From<Option<Effect>> for Outcome {
    fn from(effect: Option<Effect>) -> Self {
        effect.map_or(Outcome::Nothing, Outcome::Run)
    }
}

/// What the panes need to know of the app around them.
pub struct Context<'a> {
    pub me: &'a Employee,
    /// Rows of a list that fit on the screen.
    pub list_height: i64,
    /// Rows of a profile section that fit.
    pub section_height: i64,
    pub show_dismissed: bool,
}

/// Is this one of the keys that move a selection?
pub(crate) fn is_move(action: &Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::PageUp
            | Action::PageDown
            | Action::Select(_)
    )
}

/// Move a selection within `total` rows and keep it on a page of `height` rows starting
/// at `offset`. Returns whether the page moved.
pub(crate) fn move_selection(
    selected: &mut i64,
    offset: &mut i64,
    total: i64,
    height: i64,
    action: &Action,
) -> bool {
    if total <= 0 {
        return false;
    }
    let last = total - 1;
    let max_offset = (total - height).max(0);
    let before = *offset;
    match action {
        Action::Up => *selected = (*selected - 1).max(0),
        Action::Down => *selected = (*selected + 1).min(last),
        Action::Top => *selected = 0,
        Action::Bottom => *selected = last,
        Action::Select(i) => *selected = (*i).clamp(0, last),
        Action::PageDown => {
            *selected = (*selected + height).min(last);
            *offset = (*offset + height).min(max_offset);
        }
        Action::PageUp => {
            *selected = (*selected - height).max(0);
            *offset = (*offset - height).max(0);
        }
        _ => {}
    }
    if *selected < *offset {
        *offset = *selected;
    } else if *selected >= *offset + height {
        *offset = *selected - height + 1;
    }
    *offset != before
}
