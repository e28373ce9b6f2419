//! Leaving and coming back: `dismiss` (now, `--on` a date, `--handover-to` someone,
//! several at once), `cancel-dismissal`, `hire`, `reassign`. Each workflow is one
//! directory operation (`dismiss_when`, `plan_bulk_*` then `apply_bulk`); this module
//! only asks, prints and words.

use std::io::{IsTerminal, Write};

use serde_json::json;

use super::SignedIn;
use super::args::{DismissArgs, HireArgs, ReassignArgs};
use super::output::{Table, json_err, plural};
use super::wording::say;
use crate::directory::{
    BulkChange, BulkPlan, BulkStep, Changed, DismissOutcome, DismissRequest, Dismissal, HandedTo,
    When,
};
use crate::domain::text::escape;
use crate::domain::{ChecklistChoice, Error, Result, WorkKinds, validate};

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
        checklist: args
            .checklist
            .as_deref()
            .map(ChecklistChoice::parse)
            .unwrap_or_default(),
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
            let done = s.dir.dismiss_when(s.actor, login, &request, When::On(on))?;
            if args.json {
                // The departure as `show --json` gives it: its day and its state.
                let v = match &done {
                    Dismissal::Scheduled { login, on, .. } => {
                        json!({ "login": login, "on": on.to_string(), "state": "pending" })
                    }
                    Dismissal::AsOfToday { login, .. } => {
                        json!({ "login": login, "on": on.to_string(), "state": "done" })
                    }
                    Dismissal::Done(outcome) => serde_json::to_value(outcome).map_err(json_err)?,
                };
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&v).map_err(json_err)?
                )?;
                return Ok(());
            }
            match &done {
                Dismissal::Scheduled { login, .. } => writeln!(
                    out,
                    "{done} (cancel it with `offboard cancel-dismissal {login}`)."
                )?,
                _ => writeln!(out, "{done}.")?,
            }
        }
        (None, Some(to)) => {
            if logins.len() > 1 {
                return Err(Error::Invalid(
                    "--handover-to hands over one employee's work at a time".into(),
                ));
            }
            let what = work_kinds(args.what.as_deref())?;
            let (handover, outcome) = s
                .dir
                .dismiss_with_handover(s.actor, &logins[0], &request, to, what)?;
            if args.json {
                let moved = &handover.moved;
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
                writeln!(out, "{}.", HandedTo(&handover))?;
                writeln!(out, "{outcome}.")?;
            }
        }
        (None, None) if logins.len() > 1 => {
            let plan = s.dir.plan_bulk_dismiss(s.actor, logins, request)?;
            let options = BulkOptions {
                yes: args.yes,
                json: args.json,
            };
            bulk(s, &plan, options, out, err)?;
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
    writeln!(out, "{outcome}.")?;
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

/// `offboard cancel-dismissal LOGIN`: a scheduled one, before it is due.
pub(super) fn cancel(s: &mut SignedIn, login: &str, out: &mut dyn Write) -> Result<()> {
    let (employee, d) = s.dir.cancel_dismissal(s.actor, login)?;
    let said = crate::directory::Canceled {
        employee: &employee,
        on: d.at.date_naive(),
    };
    writeln!(out, "{said}.")?;
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
        let plan = s
            .dir
            .plan_bulk_hire(s.actor, logins, args.return_integrations)?;
        let options = BulkOptions {
            yes: args.yes,
            json: args.json,
        };
        return bulk(s, &plan, options, out, err);
    }
    let outcome = s.dir.hire(s.actor, &logins[0], args.return_integrations)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &outcome).map_err(json_err)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{outcome}.")?;
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
    let handover = s.dir.hand_over(s.actor, &args.login, &args.to, what)?;
    let moved = handover.moved;
    if args.json {
        let v = json!({
            "tasks": moved.tasks,
            "crm_items": moved.crm_items,
            "files": moved.files,
            "mailboxes": moved.mailboxes,
            "meetings": moved.meetings,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).map_err(json_err)?
        )?;
    } else {
        writeln!(out, "{}.", crate::directory::Moved(&handover))?;
    }
    Ok(())
}

/// `--what tasks,crm,files,mail,meetings`, all of them when not given.
fn work_kinds(what: Option<&str>) -> Result<WorkKinds> {
    match what {
        Some(w) => w.parse::<WorkKinds>(),
        None => Ok(WorkKinds::ALL),
    }
}

/// How a bulk change is run: without asking (`--yes`), and reported as JSON (`--json`).
#[derive(Debug, Clone, Copy)]
struct BulkOptions {
    yes: bool,
    json: bool,
}

/// "dismiss" or "hire", for the preview and the question.
fn verb(change: &BulkChange) -> &'static str {
    if change.is_dismissal() {
        "dismiss"
    } else {
        "hire"
    }
}

/// What happened to one employee, or why not, in a few words.
fn describe(outcome: &Result<Changed>) -> String {
    match outcome {
        Ok(Changed::Dismissed(o)) => o.to_string(),
        Ok(Changed::Hired(o)) => o.to_string(),
        Ok(Changed::Scheduled(d)) => d.to_string(),
        Err(e) => say(e),
    }
}

/// Print the preview, ask (or take --yes), apply, and list who changed and who was
/// skipped and why.
fn bulk(
    s: &mut SignedIn,
    plan: &BulkPlan,
    BulkOptions { yes, json }: BulkOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let verb = verb(&plan.change);
    let steps = &plan.steps;
    let going = plan.going().count();
    if !json {
        preview_table(verb, steps).write(out)?;
    }
    if going == 0 {
        if json {
            let v: Vec<serde_json::Value> = steps
                .iter()
                .map(|s| json!({ "login": s.login, "done": false, "reason": s.skip.as_ref().map(say) }))
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
    let results = s.dir.apply_bulk(s.actor, plan);
    if json {
        let v: Vec<serde_json::Value> = results
            .iter()
            .map(|r| {
                let done = r.outcome.is_ok();
                json!({ "login": r.login, "done": done, if done { "result" } else { "reason" }: describe(&r.outcome) })
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).map_err(json_err)?
        )?;
    } else {
        writeln!(out)?;
        // A change's own sentence names them; a skip names them before its reason.
        for r in &results {
            let line = match &r.outcome {
                Ok(_) => describe(&r.outcome),
                Err(e) => format!("Skipped {}: {}", r.named(), say(e)),
            };
            writeln!(out, "{}", escape(&line))?;
        }
        let n = results.iter().filter(|r| r.outcome.is_ok()).count();
        writeln!(
            out,
            "{n} of {} employee{} {}.",
            results.len(),
            plural(results.len() as i64),
            if plan.change.is_dismissal() {
                "dismissed"
            } else {
                "hired"
            }
        )?;
    }
    Ok(())
}

/// The preview of a bulk change: what will happen to each employee.
fn preview_table(verb: &str, steps: &[BulkStep]) -> Table {
    let mut t = Table::new(&["LOGIN", "NAME", "WHAT HAPPENS"]);
    for s in steps {
        let what = if !s.apply {
            format!("skip: {}", s.skip.as_ref().map(say).unwrap_or_default())
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
        return Err(Error::WrongState(
            format!(
                "a bulk {verb} of {going} employee{} needs --yes when it does not run in a terminal: nothing changed",
                plural(going as i64)
            )
            .into(),
        ));
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
