//! Offboarding checklists: `checklist show`, `done`, `reopen`, `open`, `templates`,
//! `add-template`, `default`.

use std::io::Write;

use serde_json::{Value, json};

use super::SignedIn;
use super::args::ChecklistCommand;
use super::output::{Table, json_err};
use crate::directory::{Checklist, ChecklistStep, Named, StepChanged, StepSpec, owner_label};
use crate::domain::text::escape;
use crate::domain::{Result, StepState, timestamp};

/// A checklist as `show --json` and `checklist show --json` give it.
pub(super) fn checklist_json(c: &Checklist) -> Value {
    json!({
        "template": c.template,
        "state": c.state,
        "started_at": timestamp(c.started_at),
        "closed_at": c.closed_at.map(timestamp),
        "steps": c.steps.iter().map(step_json).collect::<Vec<_>>(),
    })
}

fn step_json(s: &ChecklistStep) -> Value {
    json!({
        "number": s.number,
        "title": s.title,
        "owner_role": s.owner_role,
        "owner": s.owner,
        "due_on": s.due_on.to_string(),
        "state": s.state,
        "overdue": s.overdue,
        "done_by": s.done_by,
        "done_at": s.done_at.map(timestamp),
    })
}

fn write_json(out: &mut dyn Write, v: &Value) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, v).map_err(json_err)?;
    writeln!(out)?;
    Ok(())
}

fn state_word(s: &ChecklistStep) -> String {
    if s.overdue {
        "OVERDUE".into()
    } else {
        s.state.to_string()
    }
}

pub(super) fn checklist(s: &mut SignedIn, c: &ChecklistCommand, out: &mut dyn Write) -> Result<()> {
    let (dir, actor) = (&mut s.dir, s.actor);
    match c {
        ChecklistCommand::Show { login, json } => {
            let list = dir.checklist(actor, login)?;
            if *json {
                return write_json(out, &list.as_ref().map_or(Value::Null, checklist_json));
            }
            let Some(list) = list else {
                let who = dir.employee(login)?;
                writeln!(out, "{} has no offboarding checklist.", Named::of(&who))?;
                return Ok(());
            };
            let done = list
                .steps
                .iter()
                .filter(|s| s.state == StepState::Done)
                .count();
            writeln!(
                out,
                "{}: checklist \"{}\", {}, {done} of {} steps done",
                Named::new(&list.name, &list.login),
                escape(&list.template),
                list.state,
                list.steps.len()
            )?;
            let mut t = Table::new(&["STEP", "TITLE", "OWNER", "DUE", "STATE", "DONE BY"]);
            for st in &list.steps {
                t.row(vec![
                    st.number.to_string(),
                    st.title.clone(),
                    st.owner_label(),
                    st.due_on.to_string(),
                    state_word(st),
                    match (&st.done_by, st.done_at) {
                        (Some(by), Some(at)) => format!("{by} {}", timestamp(at)),
                        _ => String::new(),
                    },
                ]);
            }
            t.write(out)?;
        }
        ChecklistCommand::Done { login, step } | ChecklistCommand::Reopen { login, step } => {
            let done = matches!(c, ChecklistCommand::Done { .. });
            let list = dir.checklist_step(actor, login, *step, done)?;
            let changed = StepChanged {
                list: &list,
                step: *step,
                done,
            };
            writeln!(out, "{changed}")?;
        }
        ChecklistCommand::Open { limit, json } => {
            let steps = dir.open_checklist_steps(actor, (*limit).clamp(1, 100_000))?;
            if *json {
                let arr: Vec<Value> = steps
                    .iter()
                    .map(|o| {
                        let mut v = step_json(&o.step);
                        v["login"] = json!(o.login);
                        v["name"] = json!(o.name);
                        v
                    })
                    .collect();
                return write_json(out, &Value::Array(arr));
            }
            let mut t = Table::new(&["DUE", "STATE", "OWNER", "LEAVER", "STEP", "TITLE"]);
            for o in &steps {
                t.row(vec![
                    o.step.due_on.to_string(),
                    state_word(&o.step),
                    o.step.owner_label(),
                    o.login.clone(),
                    o.step.number.to_string(),
                    o.step.title.clone(),
                ]);
            }
            t.write(out)?;
        }
        ChecklistCommand::Templates { json } => {
            let all = dir.checklist_templates(actor)?;
            if *json {
                return write_json(out, &serde_json::to_value(&all).map_err(json_err)?);
            }
            for t in &all {
                let mark = if t.is_default { " (default)" } else { "" };
                writeln!(out, "{}{mark}", escape(&t.name))?;
                for (i, st) in t.steps.iter().enumerate() {
                    writeln!(
                        out,
                        "  {}. {} — {}, {:+} days",
                        i + 1,
                        escape(&st.title),
                        owner_label(st.owner_role, st.owner.as_deref()),
                        st.due_days
                    )?;
                }
            }
        }
        ChecklistCommand::AddTemplate {
            name,
            steps,
            default,
        } => {
            let specs = steps
                .iter()
                .map(|s| s.parse::<StepSpec>())
                .collect::<Result<Vec<_>>>()?;
            let t = dir.add_checklist_template(actor, name, &specs, *default)?;
            let mark = if t.is_default { ", the default" } else { "" };
            writeln!(
                out,
                "Added checklist template \"{}\" with {} steps{mark}.",
                escape(&t.name),
                t.steps.len()
            )?;
        }
        ChecklistCommand::Default { name } => {
            let none = name.trim().eq_ignore_ascii_case("none");
            dir.set_default_checklist(actor, (!none).then_some(name.as_str()))?;
            if none {
                writeln!(out, "No checklist template is the default now.")?;
            } else {
                writeln!(
                    out,
                    "\"{}\" is the default checklist template now.",
                    escape(name.trim())
                )?;
            }
        }
    }
    Ok(())
}
