//! `offboard backup PATH`, `offboard backup --verify PATH`, `offboard restore PATH`.

use std::io::Write;

use super::args::{BackupArgs, Cli, RestoreArgs};
use super::{Exit, database_path, open_directory, resolve_actor, sign_in};
use crate::directory::backup::BackupCheck;
use crate::domain::text::escape;
use crate::domain::{Actor, Error, Result};
use crate::store;

pub fn backup(
    cli: &Cli,
    args: &BackupArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    if args.verify {
        return verify(args, out);
    }
    let mut session = sign_in(cli, err)?;
    let made = session.dir.backup(session.actor, &args.path, args.force)?;
    let last = made
        .last
        .as_ref()
        .map(|(id, hash)| format!("; the last is #{id}, hash {hash}"))
        .unwrap_or_default();
    writeln!(
        out,
        "Backed up the company to {} ({} bytes, {} audit events{last}).",
        escape(&made.path),
        made.bytes,
        made.events
    )?;
    Ok(Exit::Done)
}

fn describe(check: &BackupCheck) -> String {
    let audit = match &check.audit {
        None => "no audit chain in this schema".to_string(),
        Some(a) => match (&a.broken, a.missing_guards.is_empty(), &a.last) {
            (Some(b), _, _) => format!("the audit chain is broken: {b}"),
            (None, false, _) => format!(
                "the audit log's guards are missing: {}",
                a.missing_guards.join(", ")
            ),
            (None, true, Some((id, hash))) => {
                format!(
                    "{} audit events chained, the last #{id} with hash {hash}",
                    a.events
                )
            }
            (None, true, None) => "no audit events".to_string(),
        },
    };
    format!(
        "schema version {}, {} employees, {audit}",
        check.schema, check.employees
    )
}

/// Check a backup: exit 0 when sound, 1 with what failed.
fn verify(args: &BackupArgs, out: &mut dyn Write) -> Result<Exit> {
    let shown = escape(&args.path.display().to_string()).to_string();
    let check = store::backup::verify(&args.path)?;
    if !check.chain_sound() {
        return Err(Error::NotOffboard {
            path: args.path.display().to_string(),
            why: describe(&check),
        });
    }
    writeln!(out, "{shown} is a sound backup: {}.", describe(&check))?;
    Ok(Exit::Done)
}

pub fn restore(
    cli: &Cli,
    args: &RestoreArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    let db = database_path(cli)?;
    let holds_something = std::fs::metadata(&db).is_ok_and(|m| m.len() > 0);
    if holds_something && args.force {
        // Replacing a company is for one of its administrators.
        let session = sign_in(cli, err)?;
        session.dir.ensure_may_restore(session.actor)?;
    }
    let check = store::backup::restore(&args.path, &db, args.force)?;
    let from = escape(&args.path.display().to_string()).to_string();
    let to = escape(&db.display().to_string()).to_string();
    writeln!(out, "Restored {from} to {to}: {}.", describe(&check))?;
    // The restored company's own log says who put it back, when they are one of its
    // employees; the program's log says it in any case.
    tracing::info!(from = %from, to = %to, "company restored");
    let mut dir = open_directory(cli, err)?;
    match resolve_actor(&dir, cli) {
        Ok(me) => dir.record_restore(Actor::user(me.id), &args.path, &check)?,
        Err(_) => writeln!(
            err,
            "note: the restore is not in the restored company's audit log: the acting login is not one of its employees"
        )?,
    }
    Ok(Exit::Done)
}
