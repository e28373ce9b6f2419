//! SQL for offboarding checklists and their templates.

use super::*;
use crate::directory::model::{
    Checklist, ChecklistStep, ChecklistTemplate, OpenStep, StepFilter, TemplateStep,
};
use crate::domain::{ChecklistState, OwnerRole, StepState};

pub fn insert_template(
    c: &Connection,
    name: &str,
    is_default: bool,
    by: EmployeeId,
    at: DateTime<Utc>,
) -> Result<i64> {
    if is_default {
        c.execute(
            "UPDATE checklist_templates SET is_default = 0 WHERE is_default = 1",
            [],
        )?;
    }
    c.execute(
        "INSERT INTO checklist_templates (name, is_default, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, is_default, by, Stamp(at)],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn insert_template_step(
    c: &Connection,
    template: i64,
    position: i64,
    title: &str,
    role: OwnerRole,
    owner: Option<EmployeeId>,
    due_days: i64,
) -> Result<()> {
    c.execute(
        "INSERT INTO checklist_template_steps (template_id, position, title, owner_role, owner_id, due_days) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![template, position, title, role.as_str(), owner, due_days],
    )?;
    Ok(())
}

/// Make `template` the default (None: no default).
pub fn set_default_template(c: &Connection, template: Option<i64>) -> Result<()> {
    c.execute(
        "UPDATE checklist_templates SET is_default = 0 WHERE is_default = 1",
        [],
    )?;
    if let Some(t) = template {
        c.execute(
            "UPDATE checklist_templates SET is_default = 1 WHERE id = ?1",
            [t],
        )?;
    }
    Ok(())
}

/// (id, name) of the template called `name` (any case).
pub fn template_by_name(c: &Connection, name: &str) -> Result<Option<(i64, String)>> {
    Ok(
        c.prepare_cached(
            "SELECT id, name FROM checklist_templates WHERE name = ?1 COLLATE NOCASE",
        )?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?,
    )
}

pub fn default_template(c: &Connection) -> Result<Option<(i64, String)>> {
    Ok(
        c.prepare_cached("SELECT id, name FROM checklist_templates WHERE is_default = 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    )
}

/// A template's steps: (title, role, owner id, owner login, due days), in order.
#[allow(clippy::type_complexity)]
pub fn template_steps(
    c: &Connection,
    template: i64,
) -> Result<Vec<(String, OwnerRole, Option<EmployeeId>, Option<String>, i64)>> {
    let mut st = c.prepare_cached(
        "SELECT s.title, s.owner_role, s.owner_id, e.login, s.due_days FROM checklist_template_steps s \
         LEFT JOIN employees e ON e.id = s.owner_id WHERE s.template_id = ?1 ORDER BY s.position",
    )?;
    let rows = st.query_map([template], |r| {
        Ok((r.get(0)?, word(r, 1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn templates(c: &Connection) -> Result<Vec<ChecklistTemplate>> {
    let mut st = c.prepare("SELECT id, name, is_default FROM checklist_templates ORDER BY name")?;
    let heads: Vec<(i64, String, bool)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(heads.len());
    for (id, name, is_default) in heads {
        let steps = template_steps(c, id)?
            .into_iter()
            .map(|(title, owner_role, _, owner, due_days)| TemplateStep {
                title,
                owner_role,
                owner,
                due_days,
            })
            .collect();
        out.push(ChecklistTemplate {
            id,
            name,
            is_default,
            steps,
        });
    }
    Ok(out)
}

/// The head of `employee`'s department, if it has one other than them.
pub fn department_head_of(c: &Connection, employee: EmployeeId) -> Result<Option<EmployeeId>> {
    Ok(c.prepare_cached(
        "SELECT d.head_id FROM employees e JOIN departments d ON d.id = e.department_id \
         WHERE e.id = ?1 AND d.head_id IS NOT NULL AND d.head_id != e.id",
    )?
    .query_row([employee], |r| r.get(0))
    .optional()?)
}

pub fn insert_checklist(
    c: &Connection,
    employee: EmployeeId,
    departure: Option<i64>,
    template: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO checklists (employee_id, departure_id, template, started_at, state) \
         VALUES (?1, ?2, ?3, ?4, 'open')",
    )?
    .execute(params![employee, departure, template, Stamp(at)])?;
    Ok(c.last_insert_rowid())
}

pub fn insert_checklist_step(
    c: &Connection,
    checklist: i64,
    number: i64,
    title: &str,
    role: OwnerRole,
    owner: Option<EmployeeId>,
    due_on: NaiveDate,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO checklist_steps (checklist_id, position, title, owner_role, owner_id, due_on, state) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open')",
    )?
    .execute(params![checklist, number, title, role.as_str(), owner, Day(due_on)])?;
    Ok(())
}

const STEP_COLS: &str =
    "s.position, s.title, s.owner_role, o.login, s.due_on, s.state, d.login, s.done_at";

fn step_at(r: &Row<'_>, at: usize, today: NaiveDate) -> rusqlite::Result<ChecklistStep> {
    let state: StepState = word(r, at + 5)?;
    let due_on = day(r, at + 4)?;
    Ok(ChecklistStep {
        number: r.get(at)?,
        title: r.get(at + 1)?,
        owner_role: word(r, at + 2)?,
        owner: r.get(at + 3)?,
        due_on,
        state,
        done_by: r.get(at + 6)?,
        done_at: opt_moment(r, at + 7)?,
        overdue: state == StepState::Open && due_on < today,
    })
}

/// The newest checklist of `employee`, with its steps.
pub fn latest_checklist(
    c: &Connection,
    employee: EmployeeId,
    today: NaiveDate,
) -> Result<Option<Checklist>> {
    let head = c
        .prepare_cached(
            "SELECT k.id, e.login, e.first_name || ' ' || e.last_name, k.template, k.started_at, k.state, k.closed_at \
             FROM checklists k JOIN employees e ON e.id = k.employee_id \
             WHERE k.employee_id = ?1 ORDER BY k.id DESC LIMIT 1",
        )?
        .query_row([employee], |r| {
            Ok(Checklist {
                id: r.get(0)?,
                login: r.get(1)?,
                name: r.get(2)?,
                template: r.get(3)?,
                started_at: moment(r, 4)?,
                state: word(r, 5)?,
                closed_at: opt_moment(r, 6)?,
                steps: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut list) = head else {
        return Ok(None);
    };
    let mut st = c.prepare_cached(&format!(
        "SELECT {STEP_COLS} FROM checklist_steps s LEFT JOIN employees o ON o.id = s.owner_id \
         LEFT JOIN employees d ON d.id = s.done_by WHERE s.checklist_id = ?1 ORDER BY s.position"
    ))?;
    list.steps = st
        .query_map([list.id], |r| step_at(r, 0, today))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(list))
}

/// The owner of a step (role and login), to check who may tick it.
pub fn step_owner(
    c: &Connection,
    checklist: i64,
    number: i64,
) -> Result<Option<(OwnerRole, Option<EmployeeId>)>> {
    Ok(c.prepare_cached(
        "SELECT owner_role, owner_id FROM checklist_steps WHERE checklist_id = ?1 AND position = ?2",
    )?
    .query_row([checklist, number], |r| Ok((word(r, 0)?, r.get(1)?)))
    .optional()?)
}

pub fn set_step_state(
    c: &Connection,
    checklist: i64,
    number: i64,
    state: StepState,
    by: Option<EmployeeId>,
    at: Option<DateTime<Utc>>,
) -> Result<()> {
    c.execute(
        "UPDATE checklist_steps SET state = ?3, done_by = ?4, done_at = ?5 WHERE checklist_id = ?1 AND position = ?2",
        params![checklist, number, state.as_str(), by, at.map(Stamp)],
    )?;
    Ok(())
}

pub fn set_checklist_state(
    c: &Connection,
    checklist: i64,
    state: ChecklistState,
    at: Option<DateTime<Utc>>,
) -> Result<()> {
    c.execute(
        "UPDATE checklists SET state = ?2, closed_at = ?3 WHERE id = ?1",
        params![checklist, state.as_str(), at.map(Stamp)],
    )?;
    Ok(())
}

/// Close `employee`'s open checklists as canceled, their open steps with them.
/// Returns how many steps were canceled.
pub fn cancel_open_checklists(
    c: &Connection,
    employee: EmployeeId,
    at: DateTime<Utc>,
) -> Result<i64> {
    let steps = c.execute(
        "UPDATE checklist_steps SET state = 'canceled' WHERE state = 'open' AND checklist_id IN \
         (SELECT id FROM checklists WHERE employee_id = ?1 AND state = 'open')",
        [employee],
    )?;
    c.execute(
        "UPDATE checklists SET state = 'canceled', closed_at = ?2 WHERE employee_id = ?1 AND state = 'open'",
        params![employee, Stamp(at)],
    )?;
    Ok(steps as i64)
}

/// Every open step of an open checklist (or only those `owner` owns), overdue first,
/// then by due date and owner.
pub fn open_steps(
    c: &Connection,
    today: NaiveDate,
    limit: i64,
    owner: Option<EmployeeId>,
) -> Result<Vec<OpenStep>> {
    let mut st = c.prepare(&format!(
        "SELECT e.login, e.first_name || ' ' || e.last_name, {STEP_COLS} FROM checklist_steps s \
         JOIN checklists k ON k.id = s.checklist_id AND k.state = 'open' \
         JOIN employees e ON e.id = k.employee_id \
         LEFT JOIN employees o ON o.id = s.owner_id LEFT JOIN employees d ON d.id = s.done_by \
         WHERE s.state = 'open' AND (?3 IS NULL OR s.owner_id = ?3) \
         ORDER BY s.due_on < ?1 DESC, s.due_on, s.owner_role, o.login, e.login, s.position \
         LIMIT ?2"
    ))?;
    let rows = st.query_map(params![Day(today), limit, owner], |r| {
        Ok(OpenStep {
            login: r.get(0)?,
            name: r.get(1)?,
            step: step_at(r, 2, today)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whose steps a page of steps lists: everyone's, or one person's (`me`) with the
/// steps of the roles they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepOwners {
    pub me: Option<EmployeeId>,
    pub structure: bool,
    pub admin: bool,
}

impl StepOwners {
    pub const ALL: StepOwners = StepOwners {
        me: None,
        structure: false,
        admin: false,
    };
}

/// Whose steps, as SQL on `s` (parameters ?1 owner, ?2 structure, ?3 admin): none
/// asked (everyone's) reads the steps' index alone; one person's alone (someone without
/// company-structure access) reads the index of open steps by owner.
fn whose(owners: StepOwners) -> &'static str {
    match owners {
        StepOwners { me: None, .. } => "1",
        StepOwners {
            structure: false,
            admin: false,
            ..
        } => "s.owner_id = ?1",
        _ => {
            "(s.owner_id = ?1 OR (?2 AND s.owner_role = 'structure') \
             OR (?3 AND s.owner_role = 'admins'))"
        }
    }
}

/// The SQL of one page of steps (parameters: owner, structure, admin, limit, offset).
/// The page is found first on the steps alone: open ones walk the partial index
/// `checklist_steps_open` (or, for one person's, `checklist_steps_owner_open`) in due
/// order, done ones `checklist_steps_done` newest first; OFFSET skips index entries, not
/// joined rows. Then only the page's rows are joined with the names and put in order.
/// An open step is always of an open checklist (see `steps_count_sql`), so open steps
/// need no look at their checklist to be found; a done step of a canceled checklist is
/// left out (it no longer changes).
pub fn steps_page_sql(filter: StepFilter, owners: StepOwners) -> String {
    let (found, order) = match filter {
        // Overdue is due before today: due order puts the overdue first.
        StepFilter::Open => (
            "FROM checklist_steps s WHERE s.state = 'open'",
            "s.due_on, s.checklist_id, s.position",
        ),
        StepFilter::Done => (
            "FROM checklist_steps s JOIN checklists k ON k.id = s.checklist_id \
             AND k.state != 'canceled' WHERE s.state = 'done'",
            "s.done_at DESC, s.checklist_id DESC, s.position DESC",
        ),
    };
    format!(
        "WITH page AS MATERIALIZED (SELECT s.checklist_id, s.position {found} AND {} \
           ORDER BY {order} LIMIT ?4 OFFSET ?5) \
         SELECT e.login, e.first_name || ' ' || e.last_name, {STEP_COLS} FROM page p \
         JOIN checklist_steps s ON s.checklist_id = p.checklist_id AND s.position = p.position \
         JOIN checklists k ON k.id = s.checklist_id JOIN employees e ON e.id = k.employee_id \
         LEFT JOIN employees o ON o.id = s.owner_id LEFT JOIN employees d ON d.id = s.done_by \
         ORDER BY {order}",
        whose(owners)
    )
}

/// One page of steps, in the order of `steps_page_sql`.
pub fn steps_page(
    c: &Connection,
    filter: StepFilter,
    owners: StepOwners,
    today: NaiveDate,
    offset: i64,
    limit: i64,
) -> Result<Vec<OpenStep>> {
    let mut st = c.prepare_cached(&steps_page_sql(filter, owners))?;
    let rows = st.query_map(
        params![owners.me, owners.structure, owners.admin, limit, offset],
        |r| {
            Ok(OpenStep {
                login: r.get(0)?,
                name: r.get(1)?,
                step: step_at(r, 2, today)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQL that counts the steps the pages hold, and how many of them are overdue
/// (parameters: owner, structure, admin, today). Counted on the steps alone (the names
/// the pages join are not needed). An open step is always of an open checklist (a
/// checklist completes when its last step is done, and a rehire cancels its open steps
/// with it), so counting open steps reads only an index, or its rows for staff's own.
pub fn steps_count_sql(filter: StepFilter, owners: StepOwners) -> String {
    let from = match filter {
        StepFilter::Open => "FROM checklist_steps s WHERE s.state = 'open'",
        StepFilter::Done => {
            "FROM checklist_steps s JOIN checklists k ON k.id = s.checklist_id \
             AND k.state != 'canceled' WHERE s.state = 'done'"
        }
    };
    format!(
        "SELECT COUNT(*), COALESCE(SUM(s.state = 'open' AND s.due_on < ?4), 0) {from} AND {}",
        whose(owners)
    )
}

/// How many steps the pages hold, and how many of them are overdue.
pub fn steps_count(
    c: &Connection,
    filter: StepFilter,
    owners: StepOwners,
    today: NaiveDate,
) -> Result<(i64, i64)> {
    Ok(c.prepare_cached(&steps_count_sql(filter, owners))?
        .query_row(
            params![owners.me, owners.structure, owners.admin, Day(today)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
}

/// Open steps of `employee`'s checklists that are past due.
pub fn overdue_steps_of(c: &Connection, employee: EmployeeId, today: NaiveDate) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM checklist_steps s JOIN checklists k ON k.id = s.checklist_id \
         WHERE k.employee_id = ?1 AND k.state = 'open' AND s.state = 'open' AND s.due_on < ?2",
    )?
    .query_row(params![employee, Day(today)], |r| r.get(0))?)
}

/// `overdue_steps_of` as of today's date by the database's clock, for the handover
/// backlog (the list's own filter counts by the same date).
pub fn overdue_steps_today(c: &Connection, employee: EmployeeId) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM checklist_steps s JOIN checklists k ON k.id = s.checklist_id \
         WHERE k.employee_id = ?1 AND k.state = 'open' AND s.state = 'open' AND s.due_on < date('now')",
    )?
    .query_row([employee], |r| r.get(0))?)
}

/// The checklist choice a scheduled departure keeps.
pub fn set_departure_checklist(c: &Connection, departure: i64, stored: Option<&str>) -> Result<()> {
    c.execute(
        "UPDATE departures SET checklist = ?2 WHERE id = ?1",
        params![departure, stored],
    )?;
    Ok(())
}

pub fn departure_checklist(c: &Connection, departure: i64) -> Result<Option<String>> {
    Ok(
        c.prepare_cached("SELECT checklist FROM departures WHERE id = ?1")?
            .query_row([departure], |r| r.get(0))
            .optional()?
            .flatten(),
    )
}
