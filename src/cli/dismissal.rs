//! Leaving and coming back: `dismiss` (now, `--on` a date, `--handover-to` someone,
//! several at once), `cancel-dismissal`, `hire`, `reassign`.
//!
//! Two workflows are still put together here from several directory calls, each in
//! one function so that one directory operation can replace it: `schedule_or_apply`
//! (`dismiss --on`) and `apply_each` (the bulk loop of `dismiss` and `hire`).

use std::io::{IsTerminal, Write};

use chrono::NaiveDate;
use serde_json::json;

use super::SignedIn;
use super::args::{DismissArgs, HireArgs, ReassignArgs};
use super::output::{Table, json_err, plural};
use crate::Directory;
use crate::directory::{BulkStep, DismissOutcome, DismissRequest, HireOutcome};
use crate::domain::{Actor, Departure, Error, Result, WorkKinds, validate};

/// `offboard dismiss`: one employee now, on a date, after a handover, or several.
pub(super) fn dismiss(
    s: &mut SignedIn,
    args: &DismissArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let request = DismissRequest {
        integrations: args.integrations.map(Into::into),
        reason: args.reason.map(Into::into),
        note: args.note.clone(),
    };
    let logins = &args.logins;
    // clap refuses --on with --handover-to, so at most one of them is here.
    match (&args.on, &args.handover_to) {
        (Some(on), _) => {
            if logins.len() > 1 {
                return Err(Error::Invalid(
                    "--on schedules one employee at a time".into(),
                ));
            }
            let on = validate::date("--on", on)?;
            let login = &logins[0];
            match schedule_or_apply(&mut s.dir, s.actor, login, &request, on)? {
                Scheduled::AppliedToday => writeln!(out, "Dismissed {login} as of today.")?,
                Scheduled::Pending(d) => writeln!(
                    out,
                    "{login} is leaving on {}; the dismissal is applied then (cancel it with `offboard cancel-dismissal {login}`).",
                    day(&d.at)
                )?,
            }
        }
        (None, Some(to)) => {
            if logins.len() > 1 {
                return Err(Error::Invalid(
                    "--handover-to hands over one employee's work at a time".into(),
                ));
            }
            let what = work_kinds(args.what.as_deref())?;
            let (moved, outcome) = s
                .dir
                .dismiss_with_handover(s.actor, &logins[0], &request, to, what)?;
            if args.json {
                let v = json!({
                    "moved": { "tasks": moved.tasks, "crm_items": moved.crm_items, "files": moved.files, "mailboxes": moved.mailboxes },
                    "dismissed": outcome,
                });
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&v).map_err(json_err)?
                )?;
            } else {
                writeln!(out, "Handed to {to}: {}.", moved)?;
                writeln!(
                    out,
                    "Dismissed {} ({}).",
                    outcome.employee.name(),
                    outcome.employee.login
                )?;
            }
        }
        (None, None) if logins.len() > 1 => {
            let steps = s
                .dir
                .preview_dismiss(s.actor, logins, request.integrations)?;
            let options = BulkOptions {
                yes: args.yes,
                json: args.json,
            };
            bulk(s, &Bulk::Dismiss(request), &steps, options, out, err)?;
        }
        (None, None) => {
            let outcome = s.dir.dismiss(s.actor, &logins[0], &request)?;
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &outcome).map_err(json_err)?;
                writeln!(out)?;
            } else {
                say_dismissed(s, &outcome, out)?;
            }
        }
    }
    Ok(())
}

/// The lines of a dismissal done now, with a hint at what they still own.
fn say_dismissed(s: &SignedIn, outcome: &DismissOutcome, out: &mut dyn Write) -> Result<()> {
    write!(
        out,
        "Dismissed {} ({})",
        outcome.employee.name(),
        outcome.employee.login
    )?;
    if !outcome.kept.is_empty() {
        write!(
            out,
            "; {} integration{} moved to the system user {} and keep working",
            outcome.kept.len(),
            plural(outcome.kept.len() as i64),
            outcome.system_user.as_deref().unwrap_or("?")
        )?;
    }
    if !outcome.disabled.is_empty() {
        write!(
            out,
            "; {} integration{} disabled",
            outcome.disabled.len(),
            plural(outcome.disabled.len() as i64)
        )?;
    }
    writeln!(out, ".")?;
    // The dismissal is done; what they still own is a hint, not part of it.
    if let Ok(p) = s.dir.profile(s.actor, &outcome.employee.login)
        && p.owns.total() > 0
    {
        writeln!(
            out,
            "They still own {} (open tasks and CRM items): hand them over with `offboard reassign {} --to LOGIN`.",
            p.owns, outcome.employee.login
        )?;
    }
    Ok(())
}

/// What `dismiss --on DATE` came to.
enum Scheduled {
    /// The date was today: the dismissal is done.
    AppliedToday,
    /// Recorded, to be applied on its day.
    Pending(Departure),
}

/// Schedule the dismissal of `login` for `on`, then apply what has fallen due, so that
/// a date of today dismisses at once. A due dismissal that the rules refuse is refused
/// here too.
fn schedule_or_apply(
    dir: &mut Directory,
    actor: Actor,
    login: &str,
    request: &DismissRequest,
    on: NaiveDate,
) -> Result<Scheduled> {
    let departure = dir.schedule_dismissal(actor, login, request, on)?;
    let applied = dir.apply_due()?;
    match applied.iter().find(|a| a.login == login && a.applied) {
        Some(_) => Ok(Scheduled::AppliedToday),
        None => match applied.iter().find(|a| a.login == login) {
            Some(failed) => Err(Error::Denied(failed.failure.clone().unwrap_or_default())),
            None => Ok(Scheduled::Pending(departure)),
        },
    }
}

/// `offboard cancel-dismissal LOGIN`: a scheduled one, before it is due.
pub(super) fn cancel(s: &mut SignedIn, login: &str, out: &mut dyn Write) -> Result<()> {
    let d = s.dir.cancel_dismissal(s.actor, login)?;
    writeln!(
        out,
        "Canceled the dismissal of {login} scheduled for {}.",
        day(&d.at)
    )?;
    Ok(())
}

/// `offboard hire`: one dismissed employee back, or several.
pub(super) fn hire(
    s: &mut SignedIn,
    args: &HireArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let logins = &args.logins;
    if logins.len() > 1 {
        let steps = s.dir.preview_hire(s.actor, logins)?;
        let what = Bulk::Hire {
            return_integrations: args.return_integrations,
        };
        let options = BulkOptions {
            yes: args.yes,
            json: args.json,
        };
        return bulk(s, &what, &steps, options, out, err);
    }
    let outcome = s.dir.hire(s.actor, &logins[0], args.return_integrations)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &outcome).map_err(json_err)?;
        writeln!(out)?;
        return Ok(());
    }
    write!(
        out,
        "Hired {} ({}) back",
        outcome.employee.name(),
        outcome.employee.login
    )?;
    if !outcome.returned.is_empty() {
        write!(
            out,
            "; {} integration{} returned to them",
            outcome.returned.len(),
            plural(outcome.returned.len() as i64)
        )?;
    }
    writeln!(out, ".")?;
    if !outcome.left_with_system_user.is_empty() {
        writeln!(
            out,
            "Their system user still holds {} integration{}: pass --return-integrations to give them back.",
            outcome.left_with_system_user.len(),
            plural(outcome.left_with_system_user.len() as i64)
        )?;
    }
    Ok(())
}

/// `offboard reassign LOGIN --to LOGIN`: hand over what they own.
pub(super) fn reassign(s: &mut SignedIn, args: &ReassignArgs, out: &mut dyn Write) -> Result<()> {
    let what = work_kinds(args.what.as_deref())?;
    let moved = s.dir.reassign(s.actor, &args.login, &args.to, what)?;
    if args.json {
        let v = json!({
            "tasks": moved.tasks,
            "crm_items": moved.crm_items,
            "files": moved.files,
            "mailboxes": moved.mailboxes,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).map_err(json_err)?
        )?;
    } else {
        writeln!(out, "Moved from {} to {}: {}.", args.login, args.to, moved)?;
    }
    Ok(())
}

/// `--what tasks,crm,files,mail`, all of them when not given.
fn work_kinds(what: Option<&str>) -> Result<WorkKinds> {
    match what {
        Some(w) => w.parse::<WorkKinds>(),
        None => Ok(WorkKinds::ALL),
    }
}

/// The day of a stored date and time, `YYYY-MM-DD`.
fn day(at: &str) -> &str {
    &at[..at.len().min(10)]
}

/// A change applied to a marked set of employees.
enum Bulk {
    Dismiss(DismissRequest),
    Hire { return_integrations: bool },
}

impl Bulk {
    fn verb(&self) -> &'static str {
        match self {
            Bulk::Dismiss(_) => "dismiss",
            Bulk::Hire { .. } => "hire",
        }
    }

    fn done(&self) -> &'static str {
        match self {
            Bulk::Dismiss(_) => "dismissed",
            Bulk::Hire { .. } => "hired",
        }
    }
}

/// How a bulk change is run: without asking (`--yes`), and reported as JSON (`--json`).
#[derive(Debug, Clone, Copy)]
struct BulkOptions {
    yes: bool,
    json: bool,
}

/// What became of one employee of a bulk change.
enum StepOutcome {
    /// Left out by the preview, with its reason.
    Skipped(Option<String>),
    Dismissed(DismissOutcome),
    Hired(HireOutcome),
    /// Refused when their turn came: each change checks the rules again.
    Refused(Error),
}

impl StepOutcome {
    fn done(&self) -> bool {
        matches!(self, StepOutcome::Dismissed(_) | StepOutcome::Hired(_))
    }

    /// What happened, or why not, in a few words.
    fn describe(&self) -> String {
        match self {
            StepOutcome::Skipped(reason) => reason.clone().unwrap_or_default(),
            StepOutcome::Dismissed(o) => {
                let mut m = "dismissed".to_string();
                if !o.kept.is_empty() {
                    m.push_str(&format!(
                        "; integrations kept under {}",
                        o.system_user.as_deref().unwrap_or_default()
                    ));
                }
                if !o.disabled.is_empty() {
                    m.push_str(&format!("; {} integration(s) disabled", o.disabled.len()));
                }
                m
            }
            StepOutcome::Hired(o) if o.returned.is_empty() => "hired".to_string(),
            StepOutcome::Hired(o) => {
                format!("hired; {} integration(s) returned", o.returned.len())
            }
            StepOutcome::Refused(e) => e.to_string(),
        }
    }
}

/// The bulk loop: apply the change to each employee the preview lets through, each in
/// its own transaction, one refusal not stopping the others.
fn apply_each(
    dir: &mut Directory,
    actor: Actor,
    what: &Bulk,
    steps: &[BulkStep],
) -> Vec<(String, StepOutcome)> {
    steps
        .iter()
        .map(|step| {
            let outcome = if !step.apply {
                StepOutcome::Skipped(step.skip_reason.clone())
            } else {
                let changed = match what {
                    Bulk::Dismiss(request) => dir
                        .dismiss(actor, &step.login, request)
                        .map(StepOutcome::Dismissed),
                    Bulk::Hire {
                        return_integrations,
                    } => dir
                        .hire(actor, &step.login, *return_integrations)
                        .map(StepOutcome::Hired),
                };
                changed.unwrap_or_else(StepOutcome::Refused)
            };
            (step.login.clone(), outcome)
        })
        .collect()
}

/// Print the preview, ask (or take --yes), apply, and list who changed and who was
/// skipped and why.
fn bulk(
    s: &mut SignedIn,
    what: &Bulk,
    steps: &[BulkStep],
    BulkOptions { yes, json }: BulkOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let verb = what.verb();
    let going = steps.iter().filter(|s| s.apply).count();
    if !json {
        preview_table(verb, steps).write(out)?;
    }
    if going == 0 {
        if json {
            let v: Vec<serde_json::Value> = steps
                .iter()
                .map(|s| json!({ "login": s.login, "done": false, "reason": s.skip_reason }))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).map_err(json_err)?
            )?;
        } else {
            writeln!(out, "Nothing to {verb}: nothing changed.")?;
        }
        return Ok(());
    }
    if !yes && !confirmed(verb, going, err)? {
        writeln!(out, "Canceled: nothing changed.")?;
        return Ok(());
    }
    let results = apply_each(&mut s.dir, s.actor, what, steps);
    if json {
        let v: Vec<serde_json::Value> = results
            .iter()
            .map(|(login, o)| {
                let done = o.done();
                json!({ "login": login, "done": done, if done { "result" } else { "reason" }: o.describe() })
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).map_err(json_err)?
        )?;
    } else {
        writeln!(out)?;
        for (login, o) in &results {
            let skipped = if o.done() { "" } else { "skipped: " };
            writeln!(out, "{login}: {skipped}{}", o.describe())?;
        }
        let n = results.iter().filter(|(_, o)| o.done()).count();
        writeln!(
            out,
            "{n} of {} employee{} {}.",
            results.len(),
            plural(results.len() as i64),
            what.done()
        )?;
    }
    Ok(())
}

/// The preview of a bulk change: what will happen to each employee.
fn preview_table(verb: &str, steps: &[BulkStep]) -> Table {
    let mut t = Table::new(&["LOGIN", "NAME", "WHAT HAPPENS"]);
    for s in steps {
        let what = if !s.apply {
            format!("skip: {}", s.skip_reason.as_deref().unwrap_or(""))
        } else if s.active_integrations > 0 {
            let listed: Vec<String> = s.integrations.iter().map(|i| i.to_string()).collect();
            format!(
                "{verb} ({} active integration{}: {})",
                s.active_integrations,
                plural(s.active_integrations as i64),
                listed.join("; ")
            )
        } else {
            verb.to_string()
        };
        t.row(vec![
            s.login.clone(),
            s.name.clone().unwrap_or_default(),
            what,
        ]);
    }
    t
}

/// Ask on the terminal whether to go on; without one, refuse: a script must say --yes.
fn confirmed(verb: &str, going: usize, err: &mut dyn Write) -> Result<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::WrongState(format!(
            "a bulk {verb} of {going} employee{} needs --yes when it does not run in a terminal: nothing changed",
            plural(going as i64)
        )));
    }
    write!(
        err,
        "{} {going} employee{}? [y/N] ",
        capitalize(verb),
        plural(going as i64)
    )?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
