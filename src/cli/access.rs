//! Who may do what, and what was done: `settings`, `grant`, `revoke`, `audit`.

use std::io::Write;

use super::SignedIn;
use super::args::{AuditArgs, OnOff, SettingsCommand};
use super::output;
use crate::domain::{Error, Result};

/// `offboard settings …` (administrators).
pub(super) fn settings(
    s: &mut SignedIn,
    command: &SettingsCommand,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        SettingsCommand::ShowDismissed { state } => {
            let on = *state == OnOff::On;
            let changed = s.dir.set_show_dismissed(s.actor, on)?;
            writeln!(
                out,
                "show_dismissed is {}{}.",
                if on { "on" } else { "off" },
                if changed { "" } else { " (unchanged)" }
            )?;
        }
    }
    Ok(())
}

/// `offboard grant LOGIN` (`grant` true) and `offboard revoke LOGIN` (false):
/// company-structure access.
pub(super) fn grant(s: &mut SignedIn, login: &str, grant: bool, out: &mut dyn Write) -> Result<()> {
    let e = s.dir.set_structure_access(s.actor, login, grant)?;
    let said = crate::directory::AccessChanged {
        employee: &e,
        granted: grant,
    };
    writeln!(out, "{said}.")?;
    Ok(())
}

/// `offboard audit`: the log, newest first.
pub(super) fn audit(s: &SignedIn, args: &AuditArgs, out: &mut dyn Write) -> Result<()> {
    if args.limit < 1 {
        return Err(Error::Invalid("--limit must be at least 1".into()));
    }
    output::audit(
        &s.dir,
        s.actor,
        args.search.as_deref(),
        args.limit,
        args.json,
        out,
    )
}
