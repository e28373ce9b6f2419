//! Who may do what, and what was done: `settings`, `grant`, `revoke`, `audit`.

use std::io::Write;

use super::args::{AuditArgs, AuditCommand, OnOff, SettingsCommand};
use super::output;
use super::{Exit, SignedIn};
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
        SettingsCommand::ScimIntegrations { choice } => {
            let choice = (*choice).into();
            let changed = s.dir.set_scim_integrations(s.actor, choice)?;
            writeln!(
                out,
                "scim_integrations is {choice}: a SCIM deactivation {} the employee's active integrations{}.",
                match choice {
                    crate::domain::IntegrationChoice::Keep => "keeps (under a system user)",
                    crate::domain::IntegrationChoice::Disable => "disables",
                },
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

/// `offboard audit`: the log, newest first; `offboard audit verify`: its chain.
pub(super) fn audit(s: &SignedIn, args: &AuditArgs, out: &mut dyn Write) -> Result<Exit> {
    if let Some(AuditCommand::Verify) = args.command {
        return verify(s, out);
    }
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
    )?;
    Ok(Exit::Done)
}

/// `offboard audit verify`: `OK: N events`, or the first broken event and exit 3; the
/// same when the triggers that keep the log append-only are gone.
fn verify(s: &SignedIn, out: &mut dyn Write) -> Result<Exit> {
    let check = s.dir.verify_audit(s.actor)?;
    match &check.broken {
        None => writeln!(out, "OK: {} event{}", check.events, plural(check.events))?,
        Some(broken) => {
            writeln!(out, "BROKEN: {broken}")?;
            writeln!(
                out,
                "{} event{} before it {} sound.",
                check.events,
                plural(check.events),
                if check.events == 1 { "is" } else { "are" }
            )?;
        }
    }
    if let Some((id, hash)) = &check.last {
        // The chain cannot show events cut from its end: this is what to compare with.
        writeln!(out, "Last sound event: #{id}, hash {hash}")?;
    }
    for name in &check.missing_guards {
        writeln!(
            out,
            "NOT GUARDED: the trigger {name} is missing, so audit events can be {} without an error",
            if name.contains("delete") {
                "deleted"
            } else {
                "changed"
            }
        )?;
    }
    Ok(if check.is_sound() {
        Exit::Done
    } else {
        Exit::Reported(3)
    })
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
