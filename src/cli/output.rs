//! Human tables and `--json` output.

use std::io::Write;

use serde_json::{Value, json};

use super::{FormatArg, json_err, plural};
use crate::Directory;
use crate::domain::{
    Actor, Error, Integration, Kind, Result, Status, StatusFilter, scopes_to_string,
};
use crate::store::queries::ListRow;

/// An aligned text table: a header row, then rows, columns padded to the widest cell.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate().take(cols) {
                if i + 1 == cols {
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
        line(&self.header, out)?;
        for row in &self.rows {
            line(row, out)?;
        }
        Ok(())
    }
}

fn employee_json(row: &ListRow) -> Value {
    let e = &row.employee;
    let mut v = json!({
        "id": e.id,
        "login": e.login,
        "name": e.name(),
        "first_name": e.first_name,
        "last_name": e.last_name,
        "email": e.email,
        "position": e.position,
        "department": e.department,
        "status": e.status,
        "kind": e.kind,
        "is_admin": e.is_admin,
        "structure_access": e.structure_access,
        "hired_on": e.hired_on,
        "active_integrations": row.active_integrations,
        "leaving_on": row.leaving_on,
    });
    if let Some(owned) = row.owned {
        v["owns"] = json!(owned);
    }
    v
}

pub fn list(rows: &[ListRow], still_owns: bool, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        let arr: Vec<Value> = rows.iter().map(employee_json).collect();
        serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
        writeln!(out)?;
        return Ok(());
    }
    if still_owns {
        let mut t = Table::new(&[
            "LOGIN",
            "NAME",
            "DEPARTMENT",
            "OPEN TASKS",
            "CRM",
            "FILES",
            "MAILBOXES",
        ]);
        for r in rows {
            let o = r.owned.unwrap_or_default();
            t.row(vec![
                r.employee.login.clone(),
                r.employee.name(),
                r.employee.department.clone().unwrap_or_default(),
                o.tasks.to_string(),
                o.crm_items.to_string(),
                o.files.to_string(),
                o.mailboxes.to_string(),
            ]);
        }
        t.write(out)?;
        writeln!(
            out,
            "{} dismissed employee{} still own work.",
            rows.len(),
            plural(rows.len() as i64)
        )?;
        return Ok(());
    }
    let mut t = Table::new(&[
        "LOGIN",
        "NAME",
        "POSITION",
        "DEPARTMENT",
        "STATUS",
        "INTEGRATIONS",
    ]);
    for r in rows {
        let e = &r.employee;
        t.row(vec![
            e.login.clone(),
            e.name(),
            e.position.clone(),
            e.department.clone().unwrap_or_default(),
            match (&r.leaving_on, e.status) {
                (_, Status::Dismissed) => "Dismissed".into(),
                (Some(d), _) => format!("Leaving on {d}"),
                _ => "active".into(),
            },
            r.active_integrations.to_string(),
        ]);
    }
    t.write(out)?;
    writeln!(out, "{} employee{}.", rows.len(), plural(rows.len() as i64))?;
    Ok(())
}

fn integration_json(i: &Integration) -> Value {
    json!({
        "id": i.id,
        "title": i.title,
        "owner": i.owner,
        "owner_kind": i.owner_kind,
        "owner_name": i.owner_name,
        "transferred_from": i.transferred_from,
        "scopes": i.scopes,
        "status": i.status,
        "created_at": i.created_at,
        "created_by": i.created_by,
        "edited_at": i.edited_at,
        "edited_by": i.edited_by,
    })
}

pub fn show(
    dir: &Directory,
    actor: Actor,
    login: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let p = dir.profile(actor, login)?;
    let e = &p.employee;
    if json {
        let v = json!({
            "id": e.id,
            "login": e.login,
            "name": e.name(),
            "first_name": e.first_name,
            "last_name": e.last_name,
            "email": e.email,
            "position": e.position,
            "department": e.department,
            "status": e.status,
            "kind": e.kind,
            "is_admin": e.is_admin,
            "structure_access": e.structure_access,
            "hired_on": e.hired_on,
            "active_integrations": p.active_integrations(),
            "departure": p.departure.as_ref().map(|d| json!({
                "at": d.at,
                "by": d.by,
                "reason": d.reason,
                "note": d.note,
                "state": d.state,
                "integrations": d.integrations,
            })),
            "owns": p.owns,
            "history": p.history,
            "integrations": p.integrations.iter().map(integration_json).collect::<Vec<_>>(),
            "system_user": p.system_user,
            "conversation_with_you": p.conversation_len,
        });
        serde_json::to_writer_pretty(&mut *out, &v).map_err(json_err)?;
        writeln!(out)?;
        return Ok(());
    }
    let badge = match (e.kind, e.status) {
        (Kind::System, _) => "[system user]",
        (_, Status::Dismissed) => "[Dismissed]",
        _ => "[active]",
    };
    writeln!(out, "{} ({}) {badge}", e.name(), e.login)?;
    let role = e.role();
    writeln!(
        out,
        "{}{}{} · {} · hired {}",
        e.position,
        if e.position.is_empty() { "" } else { ", " },
        e.department.as_deref().unwrap_or("no department"),
        role,
        e.hired_on
    )?;
    if !e.email.is_empty() {
        writeln!(out, "Email: {}", e.email)?;
    }
    if let Some(d) = p
        .departure
        .as_ref()
        .filter(|d| d.state != crate::domain::DepartureState::Done)
    {
        let day = &d.at[..d.at.len().min(10)];
        match d.state {
            crate::domain::DepartureState::Failed => writeln!(
                out,
                "Scheduled dismissal on {day} failed: {}",
                d.failure.as_deref().unwrap_or("refused")
            )?,
            _ => writeln!(out, "Leaving on {day} (scheduled by {})", d.by)?,
        }
    } else if let Some(d) = &p.departure {
        write!(
            out,
            "Dismissed on {} by {}",
            &d.at[..d.at.len().min(10)],
            d.by
        )?;
        if let Some(r) = d.reason {
            write!(out, " · reason: {r}")?;
        }
        writeln!(out)?;
        if let Some(n) = &d.note {
            writeln!(out, "Note: {n}")?;
        }
    }
    if let Some(s) = &p.system_user {
        writeln!(out, "System user: {s}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Owns (what reassign moves; tasks and CRM items still open): {}",
        super::work_counts(&p.owns)
    )?;
    writeln!(
        out,
        "History: {} task{}, {} message{}, {} meeting{}, {} feed post{}, {} group{}",
        p.history.tasks,
        plural(p.history.tasks),
        p.history.messages,
        plural(p.history.messages),
        p.history.meetings,
        plural(p.history.meetings),
        p.history.feed_posts,
        plural(p.history.feed_posts),
        p.history.groups,
        plural(p.history.groups)
    )?;
    if !p.integrations.is_empty() {
        writeln!(out)?;
        writeln!(out, "Integrations:")?;
        for i in &p.integrations {
            write!(
                out,
                "  #{} {} [{}] {}",
                i.id,
                i.title,
                scopes_to_string(&i.scopes),
                i.status
            )?;
            if let Some(from) = &i.transferred_from {
                write!(out, " (transferred from {from})")?;
            }
            writeln!(out)?;
        }
    }
    if p.conversation_len > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "Conversation with you ({} message{}, newest first):",
            p.conversation_len,
            plural(p.conversation_len)
        )?;
        for m in dir.conversation(actor, &e.login, 0, 5)? {
            let when = m.when.as_deref().unwrap_or("");
            writeln!(
                out,
                "  {} {}: {}",
                &when[..when.len().min(16)].replace('T', " "),
                m.detail,
                m.title
            )?;
        }
    }
    Ok(())
}

pub fn integrations(dir: &Directory, actor: Actor, json: bool, out: &mut dyn Write) -> Result<()> {
    let all = dir.integrations(actor)?;
    if json {
        let arr: Vec<Value> = all.iter().map(integration_json).collect();
        serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut t = Table::new(&[
        "ID",
        "TITLE",
        "OWNER",
        "SCOPES",
        "STATUS",
        "TRANSFERRED FROM",
    ]);
    for i in &all {
        let owner = if i.owner_kind == Kind::System {
            format!("{} (system user)", i.owner)
        } else {
            i.owner.clone()
        };
        t.row(vec![
            i.id.to_string(),
            i.title.clone(),
            owner,
            scopes_to_string(&i.scopes),
            i.status.to_string(),
            i.transferred_from.clone().unwrap_or_default(),
        ]);
    }
    t.write(out)?;
    writeln!(
        out,
        "{} integration{}.",
        all.len(),
        plural(all.len() as i64)
    )?;
    Ok(())
}

pub fn audit(
    dir: &Directory,
    actor: Actor,
    search: Option<&str>,
    limit: i64,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let events = dir.audit(actor, search, 0, limit)?;
    if json {
        let arr: Vec<Value> = events
            .iter()
            .map(|e| {
                json!({
                    "id": e.id,
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "target": e.target,
                    "details": e.details,
                    "via_integration": e.via_integration,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut t = Table::new(&["AT", "ACTOR", "ACTION", "TARGET", "DETAILS"]);
    for e in &events {
        let mut actor = e.actor.clone();
        if let Some(i) = e.via_integration {
            actor.push_str(&format!(" via #{i}"));
        }
        t.row(vec![
            e.at.clone(),
            actor,
            e.action.clone(),
            e.target.clone().unwrap_or_default(),
            e.details.to_string(),
        ]);
    }
    t.write(out)?;
    Ok(())
}

pub fn export(
    dir: &Directory,
    actor: Actor,
    status: StatusFilter,
    format: FormatArg,
    out: &mut dyn Write,
) -> Result<()> {
    // Rows are written as they are read: the export of a large company never sits in
    // memory whole.
    match format {
        FormatArg::Json => {
            use serde::ser::{SerializeSeq, Serializer};
            let mut buffered = std::io::BufWriter::new(&mut *out);
            let mut ser = serde_json::Serializer::pretty(&mut buffered);
            let mut seq = ser.serialize_seq(None).map_err(json_err)?;
            dir.export_each(actor, status, &mut |row| {
                seq.serialize_element(&row).map_err(json_err)
            })?;
            seq.end().map_err(json_err)?;
            writeln!(buffered)?;
            buffered.flush()?;
        }
        FormatArg::Csv => {
            let csv_err = |e: csv::Error| Error::Io(format!("cannot write CSV: {e}"));
            let mut w = csv::Writer::from_writer(&mut *out);
            let mut written = 0usize;
            dir.export_each(actor, status, &mut |row| {
                written += 1;
                w.serialize(&row).map_err(csv_err)
            })?;
            if written == 0 {
                w.write_record([
                    "login",
                    "first_name",
                    "last_name",
                    "email",
                    "position",
                    "department",
                    "hired_on",
                    "status",
                    "dismissed_at",
                    "dismissed_by",
                    "reason",
                    "note",
                    "open_tasks",
                    "crm_items",
                    "files",
                    "mailboxes",
                ])
                .map_err(csv_err)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
