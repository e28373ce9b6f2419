//! Errors in the TUI's own terms: where a rule leaves a way out, the way is a key,
//! a button or a pane of this screen, never a command line.

use crate::domain::{Conflict, Denial, Employee, Error, Invalid, Op};

/// The text of the error dialog (or the skip reason in a preview) for `e`.
pub fn say(e: &Error) -> String {
    match e {
        Error::ChoiceNeeded { kept: None, .. } => {
            format!("{e}: keep them or disable them with the dialog's buttons")
        }
        Error::ChoiceNeeded {
            kept: Some(kept), ..
        } => {
            format!("{e}; {kept}: keep them or disable them with the dialog's buttons")
        }
        Error::SettingOff(_) => {
            format!("{e}; an administrator can turn it on in the Settings pane")
        }
        Error::WrongState(Conflict::AlreadyLeaving { .. }) => {
            format!("{e}: cancel that first with Cancel scheduled dismissal in the row menu")
        }
        Error::Invalid(Invalid::DateInPast { date, .. }) => format!(
            "When: {date} is in the past: give today or a later date, or leave it empty for now"
        ),
        Error::Invalid(Invalid::BeforeHire { login, date, hired }) => {
            format!("When: {date} is before {login}'s hire date {hired}")
        }
        other => other.to_string(),
    }
}

/// Why a menu item is greyed, said to the person looking at `target`'s row: by name
/// alone, as the menu's title has named them with their login already.
pub fn menu_reason(e: &Error, target: &Employee) -> String {
    match e {
        Error::Denied(Denial::NeedsStaff { op, .. }) => format!(
            "Company-structure access is required to {}",
            match op {
                Op::Dismiss => "dismiss",
                Op::Hire => "hire",
                Op::Reassign => "reassign responsibilities",
                Op::CancelDismissal => "cancel a dismissal",
                _ => "do this",
            }
        ),
        Error::Denied(Denial::SelfDismissal { .. }) => "You cannot dismiss yourself".into(),
        Error::Denied(Denial::SystemTarget {
            op: Op::Dismiss, ..
        }) => "System users cannot be dismissed".into(),
        Error::Denied(Denial::SystemTarget { op: Op::Hire, .. }) => {
            "System users cannot be hired".into()
        }
        Error::Denied(Denial::SystemTarget { .. }) => {
            "A system user holds integrations only".into()
        }
        Error::Denied(Denial::LastAdmin { .. }) => {
            format!("{} is the last active administrator", target.name())
        }
        Error::WrongState(Conflict::AlreadyDismissed { .. }) => {
            format!("{} is already dismissed", target.name())
        }
        Error::WrongState(Conflict::AlreadyActive { .. }) => format!("{} is active", target.name()),
        Error::WrongState(Conflict::AlreadyLeaving { on, .. }) => format!(
            "leaving on {on}: {} Cancel scheduled dismissal first",
            crate::tui::keymap::key_for(
                crate::tui::keymap::Mode::Menu,
                &crate::tui::action::Action::MenuCancelDismissal
            )
            .unwrap_or_default()
        ),
        other => say(other),
    }
}
