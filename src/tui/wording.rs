//! Errors in the TUI's own terms: where a rule leaves a way out, the way is a key,
//! a button or a pane of this screen, never a command line.

use crate::domain::{Conflict, Error, Invalid};

/// The text of the error dialog (or the skip reason in a preview) for `e`.
pub fn say(e: &Error) -> String {
    match e {
        Error::ChoiceNeeded { .. } => {
            format!("{e}: keep them or disable them with the dialog's buttons")
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
