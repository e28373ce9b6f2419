//! Human tables and `--json` output.

use std::io::Write;

use serde_json::{Value, json};

use super::args::FormatArg;
use crate::Directory;
use crate::directory::{ListQuery, ListRow, Named};
use crate::domain::text::escape;
use crate::domain::{
    Actor, Error, Integration, Kind, Result, Status, StatusFilter, time, timestamp,
};

/// "s" for a count other than one: "1 employee", "2 employees".
pub(crate) fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(crate) fn json_err(e: serde_json::Error) -> Error {
    Error::other(format!("cannot write JSON: {e}"))
}

/// How many terminal columns text takes: CJK characters and most emoji take two,
/// combining accents none, so columns line up whatever the names are written in.
fn shown_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// An aligned text table: a header row, then rows, columns padded to the widest cell.
/// Rows can be kept (`row`, then `write`), or only measured (`measure`) and written one
/// at a time later (`write_line`), for lists too long to keep.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    widths: Vec<usize>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            widths: header.iter().map(|h| shown_width(h)).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.measure(&cells);
        self.rows.push(cells);
    }

    /// Widen the columns to fit these cells, without keeping them.
    pub fn measure(&mut self, cells: &[String]) {
        for (w, cell) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(shown_width(&escape(cell)));
        }
    }

    /// One line, padded to the widths measured so far (a wider cell just pushes on).
    /// Cells are shown escaped: a bulk preview repeats the logins as they were typed.
    pub fn write_line(&self, cells: &[String], out: &mut dyn Write) -> std::io::Result<()> {
        let cols = self.widths.len();
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate().take(cols) {
            let cell = escape(cell);
            let cell = cell.as_ref();
            s.push_str(cell);
            if i + 1 < cols {
                let pad = self.widths[i].saturating_sub(shown_width(cell)) + 2;
                s.push_str(&" ".repeat(pad));
            }
        }
        writeln!(out, "{}", s.trim_end())
    }

    pub fn write_header(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.write_line(&self.header, out)
    }

    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.write_header(out)?;
        for row in &self.rows {
            self.write_line(row, out)?;
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
        v["overdue_steps"] = json!(row.overdue_steps.unwrap_or(0));
    }
    v
}

/// A pretty-printed JSON array written element by element as `fill` hands them over,
/// the same text `serde_json::to_writer_pretty` gives for a whole `Vec`.
fn json_array<T: serde::Serialize>(
    out: &mut dyn Write,
    fill: impl FnOnce(&mut dyn FnMut(&T) -> Result<()>) -> Result<()>,
) -> Result<()> {
    use serde::ser::{SerializeSeq, Serializer};
    let mut out = HeldBack::new(out);
    let mut ser = serde_json::Serializer::pretty(&mut out);
    let mut seq = ser.serialize_seq(None).map_err(json_err)?;
    fill(&mut |element| seq.serialize_element(element).map_err(json_err))?;
    seq.end().map_err(json_err)?;
    writeln!(out)?;
    out.finish()?;
    Ok(())
}

/// A buffered writer that writes nothing of what it holds unless told to `finish` or
/// until it holds more than `HELD_BACK` bytes: a refusal (checked before the first
/// row) then leaves stdout empty instead of an opening `[`, while a long list still
/// streams.
pub(super) struct HeldBack<'a> {
    out: &'a mut dyn Write,
    held: Vec<u8>,
    passing: bool,
}

const HELD_BACK: usize = 64 * 1024;

impl<'a> HeldBack<'a> {
    pub(super) fn new(out: &'a mut dyn Write) -> Self {
        HeldBack {
            out,
            held: Vec::new(),
            passing: false,
        }
    }

    /// Write out what is held and flush: the output is complete.
    pub(super) fn finish(mut self) -> std::io::Result<()> {
        self.pass()?;
        self.out.flush()
    }

    fn pass(&mut self) -> std::io::Result<()> {
        self.passing = true;
        self.out.write_all(&self.held)?;
        self.held.clear();
        Ok(())
    }
}

impl Write for HeldBack<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.held.extend_from_slice(buf);
        if self.held.len() > HELD_BACK {
            self.pass()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.passing {
            self.pass()?;
            self.out.flush()?;
        }
        Ok(())
    }
}

const LIST_HEADER: &[&str] = &[
    "LOGIN",
    "NAME",
    "POSITION",
    "DEPARTMENT",
    "STATUS",
    "INTEGRATIONS",
];
const BACKLOG_HEADER: &[&str] = &[
    "LOGIN",
    "NAME",
    "DEPARTMENT",
    "OPEN TASKS",
    "CRM",
    "FILES",
    "MAILBOXES",
    "OVERDUE STEPS",
];

fn list_cells(r: &ListRow) -> Vec<String> {
    let e = &r.employee;
    vec![
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
    ]
}

fn backlog_cells(r: &ListRow) -> Vec<String> {
    let o = r.owned.unwrap_or_default();
    vec![
        r.employee.login.clone(),
        r.employee.name(),
        r.employee.department.clone().unwrap_or_default(),
        o.tasks.to_string(),
        o.crm_items.to_string(),
        o.files.to_string(),
        o.mailboxes.to_string(),
        r.overdue_steps.unwrap_or(0).to_string(),
    ]
}

/// `offboard list`: written as it is read, so a list of 100,000 takes little memory.
/// The table reads the list twice, first for the column widths, then to write it.
pub fn list(
    dir: &Directory,
    actor: Actor,
    query: &ListQuery,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if json {
        return json_array(out, |element| {
            dir.list_each(actor, query, &mut |row| element(&employee_json(&row)))
                .map(drop)
        });
    }
    let mut out = std::io::BufWriter::new(out);
    let (header, cells): (_, fn(&ListRow) -> Vec<String>) = if query.still_owns {
        (BACKLOG_HEADER, backlog_cells)
    } else {
        (LIST_HEADER, list_cells)
    };
    let mut t = Table::new(header);
    dir.list_each(actor, query, &mut |row| {
        t.measure(&cells(&row));
        Ok(())
    })?;
    t.write_header(&mut out)?;
    let n = dir.list_each(actor, query, &mut |row| {
        t.write_line(&cells(&row), &mut out)?;
        Ok(())
    })?;
    if query.still_owns {
        writeln!(out, "{n} dismissed employee{} still own work.", plural(n))?;
    } else {
        writeln!(out, "{n} employee{}.", plural(n))?;
    }
    out.flush()?;
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
        "created_at": timestamp(i.created_at),
        "created_by": i.created_by,
        "edited_at": i.edited_at.map(timestamp),
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
                "at": timestamp(d.at),
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
            // For staff and the owners of its steps; null for everyone else.
            "checklist": p.checklist.as_ref().map(super::checklists::checklist_json),
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
        let day = d.at.date_naive();
        match d.state {
            crate::domain::DepartureState::Failed => writeln!(
                out,
                "Scheduled dismissal on {day} failed: {}",
                d.failure.as_deref().unwrap_or("refused")
            )?,
            _ => writeln!(
                out,
                "Leaving on {day}, scheduled by {}",
                Named::new(&d.by_name, &d.by)
            )?,
        }
    } else if let Some(d) = &p.departure {
        write!(
            out,
            "Dismissed on {} by {}",
            d.at.date_naive(),
            Named::new(&d.by_name, &d.by)
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
        p.owns
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
            write!(out, "  #{} {} [{}] {}", i.id, i.title, i.scopes, i.status)?;
            if let Some(from) = Named::transferred_from(i) {
                write!(out, ", transferred from {from}")?;
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
            let when = m.when.map(time::minute).unwrap_or_default();
            writeln!(out, "  {} {}: {}", when, m.detail, m.title)?;
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
            i.scopes.to_string(),
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
                    "at": timestamp(e.at),
                    "actor": e.actor,
                    "action": e.action,
                    "target": e.target,
                    "details": e.details,
                    "via_integration": e.via_integration,
                    "via": e.via,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut t = Table::new(&["AT", "ACTOR", "VIA", "ACTION", "TARGET", "DETAILS"]);
    for e in &events {
        t.row(vec![
            timestamp(e.at),
            e.actor.clone(),
            e.via.to_string(),
            e.action.clone(),
            e.target.clone().unwrap_or_default(),
            e.details.to_string(),
        ]);
    }
    t.write(out)?;
    Ok(())
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula
/// (a name like `=HYPERLINK(…)` in an export is a known attack): such text gets a
/// leading apostrophe, which spreadsheets show as plain text.
fn spreadsheet_safe(text: &mut String) {
    if text.starts_with(['=', '+', '-', '@']) {
        text.insert(0, '\'');
    }
}

pub fn export(
    dir: &Directory,
    actor: Actor,
    status: StatusFilter,
    format: FormatArg,
    progress: &indicatif::ProgressBar,
    out: &mut dyn Write,
) -> Result<()> {
    // Rows are written as they are read: the export of a large company never sits in
    // memory whole.
    match format {
        FormatArg::Json => json_array(out, |element| {
            dir.export_each(actor, status, &mut |row| {
                progress.inc(1);
                element(&row)
            })
        })?,
        FormatArg::Csv => {
            let csv_err = |e: csv::Error| Error::other(format!("cannot write CSV: {e}"));
            let mut held = HeldBack::new(out);
            let mut w = csv::Writer::from_writer(&mut held);
            let mut written = 0usize;
            dir.export_each(actor, status, &mut |mut row| {
                written += 1;
                progress.inc(1);
                for text in [
                    &mut row.first_name,
                    &mut row.last_name,
                    &mut row.email,
                    &mut row.position,
                    &mut row.department,
                    &mut row.reason,
                    &mut row.note,
                ] {
                    spreadsheet_safe(text);
                }
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
            drop(w);
            held.finish()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Table;

    fn text(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).expect("write");
        String::from_utf8(buf).expect("utf-8")
    }

    /// Columns line up on screen with wide (CJK, emoji) and zero-width (combining)
    /// characters: the column after them starts at the same terminal column.
    #[test]
    fn columns_line_up_with_wide_and_combining_characters() {
        let mut t = Table::new(&["NAME", "STATUS"]);
        t.row(vec!["李小龙".into(), "active".into()]);
        t.row(vec!["Zoe\u{308} 🚚".into(), "active".into()]);
        t.row(vec!["Jane Doe".into(), "dismissed".into()]);
        let out = text(|b| t.write(b));
        let starts: Vec<usize> = out
            .lines()
            .map(|l| {
                // The second column starts after the first gap of two or more spaces.
                let gap = l.find("  ").expect("a gap between the columns");
                let spaces = l[gap..].len() - l[gap..].trim_start().len();
                unicode_width::UnicodeWidthStr::width(&l[..gap + spaces])
            })
            .collect();
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{out}\n{starts:?}");
    }

    #[test]
    fn kept_rows_are_padded_to_the_widest_cell() {
        let mut t = Table::new(&["LOGIN", "NAME"]);
        t.row(vec!["jdoe".into(), "Jane Doe".into()]);
        t.row(vec!["aschneider".into(), "Anna Schneider".into()]);
        assert_eq!(
            text(|b| t.write(b)),
            "LOGIN       NAME\njdoe        Jane Doe\naschneider  Anna Schneider\n"
        );
    }

    #[test]
    fn a_streamed_row_wider_than_measured_pushes_on_instead_of_failing() {
        let mut t = Table::new(&["LOGIN", "NAME"]);
        t.measure(&["jdoe".into(), "Jane Doe".into()]);
        let out = text(|b| {
            t.write_header(b)?;
            t.write_line(&["a-much-longer-login".into(), "Zed".into()], b)
        });
        assert_eq!(out, "LOGIN  NAME\na-much-longer-login  Zed\n");
    }
}
