//! Errors in the command line's own terms: where a rule leaves a way out, the way is
//! a flag or a command of this program.

use crate::domain::{Conflict, Denial, Error, Invalid, Op};

/// The one line `offboard` prints for `e` (after "offboard: ").
pub fn say(e: &Error) -> String {
    match e {
        Error::ChoiceNeeded { kept: None, .. } => {
            format!("{e}: choose --integrations keep or --integrations disable")
        }
        Error::ChoiceNeeded {
            kept: Some(kept), ..
        } => {
            format!("{e}; {kept}: choose --integrations keep or --integrations disable")
        }
        Error::SettingOff(_) => format!(
            "{e}; an administrator can turn it on with `offboard settings show-dismissed on` (a dismissed employee's profile stays reachable with `offboard show LOGIN`)"
        ),
        Error::WrongState(Conflict::AlreadyLeaving { login, on }) => format!(
            "{login} is already leaving on {on}: cancel that first with `offboard cancel-dismissal {login}`"
        ),
        Error::WrongState(Conflict::CompanyExists) => {
            "this database already holds a company: pass another --db to start a new one".into()
        }
        Error::Invalid(Invalid::DateInPast { date, .. }) => {
            format!("--on {date} is in the past: give today or a later date")
        }
        Error::Invalid(Invalid::BeforeHire { login, date, hired }) => {
            format!("--on {date} is before {login}'s hire date {hired}")
        }
        Error::Invalid(Invalid::NothingToMove) => {
            "nothing to move: --what needs at least one of tasks, crm, files, mail".into()
        }
        Error::Denied(Denial::NeedsStaff {
            login,
            op: Op::ReadBacklog,
        }) => format!(
            "{login} may not read the handover backlog (--still-owns): company-structure access is required"
        ),
        Error::NoCompany { empty: false, .. } => {
            format!("{e}: create one with `offboard init` or `offboard demo`, or pass --db PATH")
        }
        Error::NoCompany { empty: true, .. } => {
            format!("{e}: create a company with `offboard init` or `offboard demo`")
        }
        other => other.to_string(),
    }
}
