//! Every SQL statement of offboard. Functions take a `Connection` (a `Transaction`
//! derefs to one) so the directory decides the transaction boundaries.

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::{
    CLOSED_CRM_STAGES, Departure, Employee, EmployeeId, History, Integration, IntegrationBrief,
    IntegrationChoice, IntegrationId, IntegrationStatus, Kind, Owned, Reason, Result, Scope,
    Status, StatusFilter, WorkKinds,
};

fn word<T: std::str::FromStr<Err = crate::domain::Error>>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let s: String = row.get(idx)?;
    s.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

fn opt_word<T: std::str::FromStr<Err = crate::domain::Error>>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = row.get(idx)?;
    match s {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))),
    }
}

fn scopes_from(row: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<Scope>> {
    let s: String = row.get(idx)?;
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))
            })
        })
        .collect()
}

/// SQL for "this CRM stage is still open".
fn crm_open_clause() -> String {
    let list = CLOSED_CRM_STAGES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(",");
    format!("stage NOT IN ({list})")
}

// ---------------------------------------------------------------- employees

const EMPLOYEE_COLS: &str = "e.id, e.login, e.first_name, e.last_name, e.email, e.position, \
     d.name, e.hired_on, e.status, e.kind, e.is_admin, \
     EXISTS (SELECT 1 FROM permissions p WHERE p.employee_id = e.id AND p.permission = 'structure'), \
     e.system_for";
const EMPLOYEE_FROM: &str = "employees e LEFT JOIN departments d ON d.id = e.department_id";

fn employee_from_row(row: &Row<'_>) -> rusqlite::Result<Employee> {
    Ok(Employee {
        id: row.get(0)?,
        login: row.get(1)?,
        first_name: row.get(2)?,
        last_name: row.get(3)?,
        email: row.get(4)?,
        position: row.get(5)?,
        department: row.get(6)?,
        hired_on: row.get(7)?,
        status: word::<Status>(row, 8)?,
        kind: word::<Kind>(row, 9)?,
        is_admin: row.get(10)?,
        structure_access: row.get(11)?,
        system_for: row.get(12)?,
    })
}

pub fn employee_by_login(c: &Connection, login: &str) -> Result<Option<Employee>> {
    let sql = format!("SELECT {EMPLOYEE_COLS} FROM {EMPLOYEE_FROM} WHERE e.login = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([login], employee_from_row)
        .optional()?)
}

pub fn employee_by_id(c: &Connection, id: EmployeeId) -> Result<Option<Employee>> {
    let sql = format!("SELECT {EMPLOYEE_COLS} FROM {EMPLOYEE_FROM} WHERE e.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], employee_from_row)
        .optional()?)
}

pub fn employee_count(c: &Connection) -> Result<i64> {
    Ok(c.query_row(
        "SELECT COUNT(*) FROM employees WHERE kind = 'employee'",
        [],
        |r| r.get(0),
    )?)
}

pub fn count_active_admins(c: &Connection) -> Result<i64> {
    Ok(c.query_row(
        "SELECT COUNT(*) FROM employees WHERE is_admin = 1 AND status = 'active' AND kind = 'employee'",
        [],
        |r| r.get(0),
    )?)
}

pub fn login_taken(c: &Connection, login: &str) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM employees WHERE login = ?1)",
        [login],
        |r| r.get(0),
    )?)
}

pub fn email_taken(c: &Connection, email: &str) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM employees WHERE kind = 'employee' AND email = ?1 COLLATE NOCASE)",
        [email],
        |r| r.get(0),
    )?)
}

/// A new row for `employees`.
pub struct NewEmployeeRow<'a> {
    pub login: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub position: &'a str,
    pub department_id: Option<i64>,
    pub hired_on: &'a str,
    pub is_admin: bool,
    pub kind: Kind,
    pub system_for: Option<EmployeeId>,
    pub created_at: &'a str,
}

pub fn insert_employee(c: &Connection, e: &NewEmployeeRow<'_>) -> Result<EmployeeId> {
    c.prepare_cached(
        "INSERT INTO employees (login, first_name, last_name, email, position, department_id, \
         hired_on, status, is_admin, kind, system_for, created_at, name_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        e.login,
        e.first_name,
        e.last_name,
        e.email,
        e.position,
        e.department_id,
        e.hired_on,
        e.is_admin,
        e.kind.as_str(),
        e.system_for,
        e.created_at,
        crate::domain::name_key(e.first_name, e.last_name)
    ])?;
    Ok(c.last_insert_rowid())
}

pub fn set_status(c: &Connection, id: EmployeeId, status: Status) -> Result<()> {
    c.execute(
        "UPDATE employees SET status = ?2 WHERE id = ?1",
        params![id, status.as_str()],
    )?;
    Ok(())
}

pub fn set_admin(c: &Connection, id: EmployeeId, is_admin: bool) -> Result<()> {
    c.execute(
        "UPDATE employees SET is_admin = ?2 WHERE id = ?1",
        params![id, is_admin],
    )?;
    Ok(())
}

pub fn system_user_for(c: &Connection, employee: EmployeeId) -> Result<Option<Employee>> {
    let sql = format!("SELECT {EMPLOYEE_COLS} FROM {EMPLOYEE_FROM} WHERE e.system_for = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([employee], employee_from_row)
        .optional()?)
}

// ---------------------------------------------------------------- departments

pub fn department_id(c: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(
        c.prepare_cached("SELECT id FROM departments WHERE name = ?1 COLLATE NOCASE")?
            .query_row([name], |r| r.get(0))
            .optional()?,
    )
}

pub fn insert_department(c: &Connection, name: &str, parent: Option<i64>) -> Result<i64> {
    c.prepare_cached("INSERT INTO departments (name, parent_id) VALUES (?1, ?2)")?
        .execute(params![name, parent])?;
    Ok(c.last_insert_rowid())
}

pub fn set_department_head(c: &Connection, department: i64, head: EmployeeId) -> Result<()> {
    c.execute(
        "UPDATE departments SET head_id = ?2 WHERE id = ?1",
        params![department, head],
    )?;
    Ok(())
}

/// A department as listed: id, name, parent id, head id.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct DepartmentRow {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    pub head_id: Option<EmployeeId>,
}

pub fn departments(c: &Connection) -> Result<Vec<DepartmentRow>> {
    let mut stmt =
        c.prepare_cached("SELECT id, name, parent_id, head_id FROM departments ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(DepartmentRow {
            id: r.get(0)?,
            name: r.get(1)?,
            parent_id: r.get(2)?,
            head_id: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------------------------------------------------------------- permissions, settings

pub fn grant_structure(
    c: &Connection,
    id: EmployeeId,
    by: Option<EmployeeId>,
    at: &str,
) -> Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO permissions (employee_id, permission, granted_by, granted_at) \
         VALUES (?1, 'structure', ?2, ?3)",
        params![id, by, at],
    )?;
    Ok(())
}

pub fn revoke_structure(c: &Connection, id: EmployeeId) -> Result<()> {
    c.execute(
        "DELETE FROM permissions WHERE employee_id = ?1 AND permission = 'structure'",
        [id],
    )?;
    Ok(())
}

pub fn setting(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(
        c.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?,
    )
}

pub fn set_setting(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Whether another connection changed the file since this connection last looked.
pub fn data_version(c: &Connection) -> Result<i64> {
    Ok(c.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

// ---------------------------------------------------------------- departures

pub struct NewDeparture<'a> {
    pub employee_id: EmployeeId,
    pub effective_at: &'a str,
    pub recorded_by: EmployeeId,
    pub recorded_at: &'a str,
    pub reason: Option<Reason>,
    pub note: Option<&'a str>,
    pub state: crate::domain::DepartureState,
    pub integrations: Option<IntegrationChoice>,
}

pub fn insert_departure(c: &Connection, d: &NewDeparture<'_>) -> Result<i64> {
    c.execute(
        "INSERT INTO departures (employee_id, effective_at, recorded_by, recorded_at, reason, note, state, integrations) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            d.employee_id,
            d.effective_at,
            d.recorded_by,
            d.recorded_at,
            d.reason.map(|r| r.as_str()),
            d.note,
            d.state.as_str(),
            d.integrations.map(|i| i.as_str())
        ],
    )?;
    Ok(c.last_insert_rowid())
}

const DEPARTURE_SELECT: &str = "SELECT d.id, d.effective_at, b.login, d.reason, d.note, d.state, d.integrations, \
     d.failure, d.rehired_at FROM departures d JOIN employees b ON b.id = d.recorded_by";

fn departure_from_row(r: &Row<'_>) -> rusqlite::Result<Departure> {
    departure_at(r, 0)
}

/// A departure read from the nine columns of `DEPARTURE_SELECT`, starting at column `at`.
fn departure_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Departure> {
    Ok(Departure {
        id: r.get(at)?,
        at: r.get(at + 1)?,
        by: r.get(at + 2)?,
        reason: opt_word(r, at + 3)?,
        note: r.get(at + 4)?,
        state: word(r, at + 5)?,
        integrations: opt_word(r, at + 6)?,
        failure: r.get(at + 7)?,
        rehired_at: r.get(at + 8)?,
    })
}

/// The most recent departure of an employee that is not canceled.
pub fn latest_departure(c: &Connection, employee: EmployeeId) -> Result<Option<Departure>> {
    let sql = format!(
        "{DEPARTURE_SELECT} WHERE d.employee_id = ?1 AND d.state != 'canceled' ORDER BY d.id DESC LIMIT 1"
    );
    Ok(c.prepare_cached(&sql)?
        .query_row([employee], departure_from_row)
        .optional()?)
}

/// The pending (scheduled) departure of an employee, if any.
pub fn pending_departure(c: &Connection, employee: EmployeeId) -> Result<Option<Departure>> {
    let sql = format!(
        "{DEPARTURE_SELECT} WHERE d.employee_id = ?1 AND d.state = 'pending' ORDER BY d.id DESC LIMIT 1"
    );
    Ok(c.prepare_cached(&sql)?
        .query_row([employee], departure_from_row)
        .optional()?)
}

/// A scheduled departure that is due: (departure id, employee id, recorded by).
pub fn due_departures(c: &Connection, now: &str) -> Result<Vec<(i64, EmployeeId, EmployeeId)>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, employee_id, recorded_by FROM departures WHERE state = 'pending' AND effective_at <= ?1 ORDER BY effective_at, id",
    )?;
    let rows = stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_departure_state(
    c: &Connection,
    id: i64,
    state: crate::domain::DepartureState,
    failure: Option<&str>,
    effective_at: Option<&str>,
) -> Result<()> {
    c.execute(
        "UPDATE departures SET state = ?2, failure = ?3, effective_at = COALESCE(?4, effective_at) WHERE id = ?1",
        params![id, state.as_str(), failure, effective_at],
    )?;
    Ok(())
}

pub fn mark_rehired(c: &Connection, departure: i64, at: &str, by: EmployeeId) -> Result<()> {
    c.execute(
        "UPDATE departures SET rehired_at = ?2, rehired_by = ?3 WHERE id = ?1",
        params![departure, at, by],
    )?;
    Ok(())
}

// ---------------------------------------------------------------- work: owned and history

/// How many tasks `id` is responsible for, open or done: the one large count a
/// profile needs, made once and shared by `owned_given` and `history_given`.
pub fn responsible_total(c: &Connection, id: EmployeeId) -> Result<i64> {
    Ok(
        c.prepare_cached("SELECT COUNT(*) FROM tasks WHERE responsible_id = ?1")?
            .query_row([id], |r| r.get(0))?,
    )
}

/// Open tasks (open or in progress) of the employee whose id is the SQL `who`.
fn open_tasks_expr(who: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM tasks WHERE responsible_id = {who} AND status IN ('open', 'in_progress'))"
    )
}

/// Open CRM items, files and mailboxes of the employee whose id is the SQL `who`, as
/// three counts: with `open_tasks_expr`, the one definition of what someone still owns
/// that profiles, the backlog and the export all count by.
fn owned_rest_exprs(who: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM crm_items WHERE assigned_id = {who} AND {crm}), \
         (SELECT COUNT(*) FROM files WHERE owner_id = {who}), \
         (SELECT COUNT(*) FROM mailboxes WHERE owner_id = {who})",
        crm = crm_open_clause()
    )
}

/// The four counts of `Owned`, from column `at` on.
fn owned_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Owned> {
    Ok(Owned {
        tasks: r.get(at)?,
        crm_items: r.get(at + 1)?,
        files: r.get(at + 2)?,
        mailboxes: r.get(at + 3)?,
    })
}

pub fn owned(c: &Connection, id: EmployeeId) -> Result<Owned> {
    let sql = format!(
        "SELECT {}, {}",
        open_tasks_expr("?1"),
        owned_rest_exprs("?1")
    );
    Ok(c.prepare_cached(&sql)?
        .query_row([id], |r| owned_at(r, 0))?)
}

/// What `id` owns, given how many tasks they are responsible for in all.
pub fn owned_given(c: &Connection, id: EmployeeId, responsible: i64) -> Result<Owned> {
    // Open tasks are all of theirs minus the done ones (a short range of the index).
    let sql = format!(
        "SELECT ?2 - (SELECT COUNT(*) FROM tasks WHERE responsible_id = ?1 AND status = 'done'), {}",
        owned_rest_exprs("?1")
    );
    Ok(c.prepare_cached(&sql)?
        .query_row(params![id, responsible], |r| owned_at(r, 0))?)
}

pub fn history(c: &Connection, id: EmployeeId) -> Result<History> {
    let total = responsible_total(c, id)?;
    history_given(c, id, total)
}

/// What `id` took part in, given how many tasks they are responsible for in all.
pub fn history_given(c: &Connection, id: EmployeeId, responsible: i64) -> Result<History> {
    // Each task counted once: as responsible, else as creator, else as participant,
    // else as the one who handed it over.
    Ok(c.prepare_cached(
        "SELECT \
         ?2 + (SELECT COUNT(*) FROM tasks WHERE creator_id = ?1 AND responsible_id != ?1) \
           + (SELECT COUNT(*) FROM task_participants p JOIN tasks t ON t.id = p.task_id \
              WHERE p.employee_id = ?1 AND t.responsible_id != ?1 AND t.creator_id != ?1) \
           + (SELECT COUNT(*) FROM tasks t WHERE t.former_responsible_id = ?1 \
              AND t.responsible_id != ?1 AND t.creator_id != ?1 \
              AND NOT EXISTS (SELECT 1 FROM task_participants p \
                              WHERE p.task_id = t.id AND p.employee_id = ?1)), \
         (SELECT COUNT(*) FROM messages WHERE author_id = ?1), \
         (SELECT COUNT(*) FROM meetings WHERE organizer_id = ?1) \
           + (SELECT COUNT(*) FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id \
              WHERE a.employee_id = ?1 AND m.organizer_id != ?1), \
         (SELECT COUNT(*) FROM feed_posts WHERE author_id = ?1), \
         (SELECT COUNT(*) FROM group_members WHERE employee_id = ?1)",
    )?
    .query_row(params![id, responsible], |r| {
        Ok(History {
            tasks: r.get(0)?,
            messages: r.get(1)?,
            meetings: r.get(2)?,
            feed_posts: r.get(3)?,
            groups: r.get(4)?,
        })
    })?)
}

/// Move what `from` still owns to `to`, set-based. Returns the counts moved.
pub fn reassign(
    c: &Connection,
    from: EmployeeId,
    to: EmployeeId,
    what: WorkKinds,
) -> Result<Owned> {
    let mut moved = Owned::default();
    if what.tasks {
        moved.tasks = c.execute(
            "UPDATE tasks SET responsible_id = ?2, former_responsible_id = ?1 \
             WHERE responsible_id = ?1 AND status != 'done'",
            params![from, to],
        )? as i64;
    }
    if what.crm {
        moved.crm_items = c.execute(
            &format!(
                "UPDATE crm_items SET assigned_id = ?2 WHERE assigned_id = ?1 AND {}",
                crm_open_clause()
            ),
            params![from, to],
        )? as i64;
    }
    if what.files {
        moved.files = c.execute(
            "UPDATE files SET owner_id = ?2 WHERE owner_id = ?1",
            params![from, to],
        )? as i64;
    }
    if what.mail {
        moved.mailboxes = c.execute(
            "UPDATE mailboxes SET owner_id = ?2 WHERE owner_id = ?1",
            params![from, to],
        )? as i64;
    }
    Ok(moved)
}

/// One line of a profile section (tasks, drive, conversation, meetings, feed, groups).
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct SectionRow {
    pub id: i64,
    pub when: Option<String>,
    pub title: String,
    pub detail: String,
}

/// A page of the conversation between two people, newest first.
pub fn conversation(
    c: &Connection,
    a: EmployeeId,
    b: EmployeeId,
    offset: i64,
    limit: i64,
) -> Result<Vec<SectionRow>> {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let mut stmt = c.prepare_cached(
        "SELECT m.id, m.sent_at, m.body, w.login FROM chats ch \
         JOIN messages m ON m.chat_id = ch.id JOIN employees w ON w.id = m.author_id \
         WHERE ch.kind = 'private' AND ch.member_a = ?1 AND ch.member_b = ?2 \
         ORDER BY m.sent_at DESC, m.id DESC LIMIT ?3 OFFSET ?4",
    )?;
    let rows = stmt.query_map(params![lo, hi, limit, offset], |r| {
        Ok(SectionRow {
            id: r.get(0)?,
            when: r.get(1)?,
            title: r.get(2)?,
            detail: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn conversation_len(c: &Connection, a: EmployeeId, b: EmployeeId) -> Result<i64> {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM chats ch JOIN messages m ON m.chat_id = ch.id \
         WHERE ch.kind = 'private' AND ch.member_a = ?1 AND ch.member_b = ?2",
    )?
    .query_row(params![lo, hi], |r| r.get(0))?)
}

/// Which profile section to page through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Tasks,
    Drive,
    Meetings,
    Feed,
    Groups,
}

/// A page of one profile section, newest first. Each source is read newest first and
/// only as far as the page needs, so a person with 200,000 tasks costs no more than one
/// with twenty.
pub fn section(
    c: &Connection,
    who: EmployeeId,
    which: Section,
    offset: i64,
    limit: i64,
) -> Result<Vec<SectionRow>> {
    let sql = match which {
        Section::Tasks => {
            "SELECT t.id, t.created_at, t.title, t.status || ' · responsible ' || r.login FROM tasks t \
             JOIN employees r ON r.id = t.responsible_id \
             WHERE t.id IN (SELECT id FROM (SELECT id FROM tasks WHERE responsible_id = ?1 AND status = 'open' \
                                           ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE responsible_id = ?1 AND status = 'in_progress' \
                                                  ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE responsible_id = ?1 AND status = 'done' \
                                                  ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE creator_id = ?1 ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT task_id FROM (SELECT task_id FROM task_participants WHERE employee_id = ?1 \
                                                       ORDER BY task_id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE former_responsible_id = ?1 \
                                                  ORDER BY id DESC LIMIT ?4)) \
             ORDER BY t.id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Drive => {
            "SELECT f.id, f.created_at, f.name, f.folder || ' · ' || f.size || ' bytes · owner ' || o.login \
             FROM files f JOIN employees o ON o.id = f.owner_id \
             WHERE f.id IN (SELECT id FROM (SELECT id FROM files WHERE owner_id = ?1 ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM files WHERE created_by = ?1 ORDER BY id DESC LIMIT ?4)) \
             ORDER BY f.id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Meetings => {
            "SELECT m.id, m.starts_at, m.title, 'organized by ' || o.login FROM meetings m \
             JOIN employees o ON o.id = m.organizer_id \
             WHERE m.id IN (SELECT id FROM (SELECT id FROM meetings WHERE organizer_id = ?1 ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT meeting_id FROM (SELECT meeting_id FROM meeting_attendees WHERE employee_id = ?1 \
                                                          ORDER BY meeting_id DESC LIMIT ?4)) \
             ORDER BY m.id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Feed => {
            "SELECT id, posted_at, body, '' FROM feed_posts WHERE author_id = ?1 \
             ORDER BY posted_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Groups => {
            "SELECT g.id, NULL, g.name, g.description FROM group_members gm JOIN groups g ON g.id = gm.group_id \
             WHERE gm.employee_id = ?1 ORDER BY g.name LIMIT ?2 OFFSET ?3"
        }
    };
    let mut stmt = c.prepare_cached(sql)?;
    let depth = offset.saturating_add(limit);
    let map = |r: &Row<'_>| {
        Ok(SectionRow {
            id: r.get(0)?,
            when: r.get(1)?,
            title: r.get(2)?,
            detail: r.get(3)?,
        })
    };
    let rows = if sql.contains("?4") {
        stmt.query_map(params![who, limit, offset, depth], map)?
            .collect::<rusqlite::Result<_>>()?
    } else {
        stmt.query_map(params![who, limit, offset], map)?
            .collect::<rusqlite::Result<_>>()?
    };
    Ok(rows)
}

// ---------------------------------------------------------------- employee lists

/// What a list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub status: StatusFilter,
    pub search: Option<String>,
    /// Only dismissed employees who still own work (the handover backlog).
    pub still_owns: bool,
    pub offset: i64,
    pub limit: i64,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            status: StatusFilter::Active,
            search: None,
            still_owns: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// One row of the employee list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub employee: Employee,
    pub active_integrations: i64,
    /// The date of a scheduled dismissal, `YYYY-MM-DD`.
    pub leaving_on: Option<String>,
    /// Filled for the handover backlog.
    pub owned: Option<Owned>,
}

pub(crate) fn like_pattern(s: &str) -> String {
    let mut p = String::with_capacity(s.len() + 2);
    p.push('%');
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// How a search text is matched: a fragment of three or more characters anywhere in
/// the name, login or email (trigram index); one or two characters at the start of the
/// last name (a range of the list index, like a phone book).
enum SearchPlan {
    None,
    Fragment(String),
    LastNamePrefix(String, String),
}

fn search_plan(q: &ListQuery) -> SearchPlan {
    let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return SearchPlan::None;
    };
    if text.chars().count() >= 3 {
        // An FTS5 phrase: quotes doubled, so any text is a literal fragment.
        SearchPlan::Fragment(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        let lo = crate::domain::fold(text);
        let hi = format!("{lo}\u{10FFFF}");
        SearchPlan::LastNamePrefix(lo, hi)
    }
}

/// WHERE clause and its parameters for a list query (without the exact-login extra).
fn list_where(q: &ListQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let status = match q.status {
        // The handover backlog is about dismissed employees whatever the filter says.
        _ if q.still_owns => "e.status = 'dismissed'",
        StatusFilter::Active => "e.status = 'active'",
        StatusFilter::Dismissed => "e.status = 'dismissed'",
        StatusFilter::All => "e.status IN ('active', 'dismissed')",
    };
    let mut w = format!("e.kind = 'employee' AND {status}");
    let mut args = Vec::new();
    match search_plan(q) {
        SearchPlan::None => {}
        SearchPlan::Fragment(phrase) => {
            w.push_str(
                " AND e.id IN (SELECT rowid FROM employee_search WHERE employee_search MATCH ?)",
            );
            args.push(Value::Text(phrase));
        }
        SearchPlan::LastNamePrefix(lo, hi) => {
            w.push_str(" AND e.name_key >= ? AND e.name_key < ?");
            args.push(Value::Text(lo));
            args.push(Value::Text(hi));
        }
    }
    if q.still_owns {
        w.push_str(&format!(
            " AND (\
             EXISTS (SELECT 1 FROM tasks t WHERE t.responsible_id = e.id AND t.status != 'done') \
             OR EXISTS (SELECT 1 FROM crm_items ci WHERE ci.assigned_id = e.id AND ci.{}) \
             OR EXISTS (SELECT 1 FROM files f WHERE f.owner_id = e.id) \
             OR EXISTS (SELECT 1 FROM mailboxes mb WHERE mb.owner_id = e.id))",
            crm_open_clause()
        ));
    }
    (w, args)
}

/// A dismissed employee whose login is exactly the search text stays findable while
/// the list shows only active employees (SPEC §4).
fn exact_login_extra(c: &Connection, q: &ListQuery) -> Result<Option<Employee>> {
    if q.still_owns || q.status != StatusFilter::Active {
        return Ok(None);
    }
    let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    Ok(employee_by_login(c, &text.to_ascii_lowercase())?
        .filter(|e| e.kind == Kind::Employee && e.status == Status::Dismissed))
}

fn active_integration_count(c: &Connection, id: EmployeeId) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM integrations WHERE owner_id = ?1 AND status = 'active'",
    )?
    .query_row([id], |r| r.get(0))?)
}

/// One page of the list, in name order. Only the rows asked for are read.
pub fn list_employees(c: &Connection, q: &ListQuery) -> Result<Vec<ListRow>> {
    let mut out = Vec::new();
    list_employees_each(c, q, &mut |row| {
        out.push(row);
        Ok(())
    })?;
    Ok(out)
}

/// The rows of `list_employees`, handed to `each` as they are read.
pub fn list_employees_each(
    c: &Connection,
    q: &ListQuery,
    each: &mut dyn FnMut(ListRow) -> Result<()>,
) -> Result<()> {
    use rusqlite::types::Value;
    let extra = exact_login_extra(c, q)?;
    let (mut offset, mut limit) = (q.offset, q.limit);
    if let Some(e) = extra {
        if offset == 0 {
            let n = active_integration_count(c, e.id)?;
            each(ListRow {
                employee: e,
                active_integrations: n,
                leaving_on: None,
                owned: None,
            })?;
            limit -= 1;
        } else {
            offset -= 1;
        }
    }
    if limit > 0 {
        let (w, mut args) = list_where(q);
        // Page the ids on the covering list index first, then read the few rows shown:
        // rows skipped by OFFSET cost an index step, not a row read and three subqueries.
        let sql = format!(
            "SELECT {EMPLOYEE_COLS}, \
             (SELECT COUNT(*) FROM integrations i WHERE i.owner_id = e.id AND i.status = 'active'), \
             (SELECT substr(dp.effective_at, 1, 10) FROM departures dp WHERE dp.employee_id = e.id AND dp.state = 'pending') \
             FROM (SELECT e.id AS pid FROM employees e WHERE {w} \
                   ORDER BY e.name_key, e.id LIMIT ? OFFSET ?) page \
             JOIN employees e ON e.id = page.pid LEFT JOIN departments d ON d.id = e.department_id \
             ORDER BY e.name_key, e.id"
        );
        args.push(Value::Integer(limit));
        args.push(Value::Integer(offset));
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let employee = employee_from_row(r)?;
            let owned = if q.still_owns {
                Some(owned(c, employee.id)?)
            } else {
                None
            };
            each(ListRow {
                employee,
                active_integrations: r.get(13)?,
                leaving_on: r.get(14)?,
                owned,
            })?;
        }
    }
    Ok(())
}

/// Every employee the filter selects, in list order, each with their latest departure
/// (if dismissed) and what they still own, handed to `each` one at a time: one
/// statement, nothing collected, whatever the size of the company.
pub fn export_rows(
    c: &Connection,
    status: StatusFilter,
    each: &mut dyn FnMut(Employee, Option<Departure>, Owned) -> Result<()>,
) -> Result<()> {
    let (w, args) = list_where(&ListQuery {
        status,
        search: None,
        still_owns: false,
        offset: 0,
        limit: 0,
    });
    let sql = format!(
        "SELECT {EMPLOYEE_COLS}, {tasks}, {rest}, \
         x.id, x.effective_at, xb.login, x.reason, x.note, x.state, x.integrations, x.failure, x.rehired_at \
         FROM {EMPLOYEE_FROM} \
         LEFT JOIN departures x ON e.status = 'dismissed' AND x.id = \
           (SELECT MAX(y.id) FROM departures y WHERE y.employee_id = e.id AND y.state != 'canceled') \
         LEFT JOIN employees xb ON xb.id = x.recorded_by \
         WHERE {w} \
         ORDER BY e.name_key, e.id",
        tasks = open_tasks_expr("e.id"),
        rest = owned_rest_exprs("e.id"),
    );
    let mut stmt = c.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    while let Some(r) = rows.next()? {
        let employee = employee_from_row(r)?;
        let owned = owned_at(r, 13)?;
        let departure = match r.get::<_, Option<i64>>(17)? {
            Some(_) => Some(departure_at(r, 17)?),
            None => None,
        };
        each(employee, departure, owned)?;
    }
    Ok(())
}

/// How many rows the list has in all.
pub fn count_employees(c: &Connection, q: &ListQuery) -> Result<i64> {
    let (w, args) = list_where(q);
    let n: i64 = c
        .prepare_cached(&format!("SELECT COUNT(*) FROM employees e WHERE {w}"))?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    Ok(n + i64::from(exact_login_extra(c, q)?.is_some()))
}

/// Active people who can take over work, by name or login (for pickers).
pub fn successors(
    c: &Connection,
    search: &str,
    exclude: EmployeeId,
    limit: i64,
) -> Result<Vec<Employee>> {
    let sql = format!(
        "SELECT {EMPLOYEE_COLS} FROM {EMPLOYEE_FROM} \
         WHERE e.kind = 'employee' AND e.status = 'active' AND e.id != ?1 \
         AND (e.first_name LIKE ?2 ESCAPE '\\' OR e.last_name LIKE ?2 ESCAPE '\\' \
              OR (e.first_name || ' ' || e.last_name) LIKE ?2 ESCAPE '\\' OR e.login LIKE ?2 ESCAPE '\\' \
              OR e.name_key LIKE ?4 ESCAPE '\\') \
         ORDER BY e.name_key, e.id LIMIT ?3"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    // The folded key lets "alvarez" or "Muller" find "Álvarez" and "Müller".
    let folded = like_pattern(&crate::domain::fold(search.trim()));
    let rows = stmt.query_map(
        params![exclude, like_pattern(search.trim()), limit, folded],
        employee_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------------------------------------------------------------- integrations

const INTEGRATION_COLS: &str = "i.id, i.title, o.login, o.id, o.kind, o.first_name || ' ' || o.last_name, \
     tf.login, i.scopes, i.status, i.created_at, cb.login, i.edited_at, eb.login";
const INTEGRATION_FROM: &str = "integrations i JOIN employees o ON o.id = i.owner_id \
     JOIN employees cb ON cb.id = i.created_by \
     LEFT JOIN employees tf ON tf.id = i.transferred_from \
     LEFT JOIN employees eb ON eb.id = i.edited_by";

fn integration_from_row(r: &Row<'_>) -> rusqlite::Result<Integration> {
    Ok(Integration {
        id: r.get(0)?,
        title: r.get(1)?,
        owner: r.get(2)?,
        owner_id: r.get(3)?,
        owner_kind: word(r, 4)?,
        owner_name: r.get(5)?,
        transferred_from: r.get(6)?,
        scopes: scopes_from(r, 7)?,
        status: word(r, 8)?,
        created_at: r.get(9)?,
        created_by: r.get(10)?,
        edited_at: r.get(11)?,
        edited_by: r.get(12)?,
    })
}

pub fn integration(c: &Connection, id: IntegrationId) -> Result<Option<Integration>> {
    let sql = format!("SELECT {INTEGRATION_COLS} FROM {INTEGRATION_FROM} WHERE i.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], integration_from_row)
        .optional()?)
}

/// All integrations, or those of one owner, by id.
pub fn integrations(c: &Connection, owner: Option<EmployeeId>) -> Result<Vec<Integration>> {
    let sql = format!(
        "SELECT {INTEGRATION_COLS} FROM {INTEGRATION_FROM} WHERE (?1 IS NULL OR i.owner_id = ?1) ORDER BY i.id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([owner], integration_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn active_integrations_of(c: &Connection, owner: EmployeeId) -> Result<Vec<IntegrationBrief>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, title, scopes FROM integrations WHERE owner_id = ?1 AND status = 'active' ORDER BY id",
    )?;
    let rows = stmt.query_map([owner], |r| {
        Ok(IntegrationBrief {
            id: r.get(0)?,
            title: r.get(1)?,
            scopes: scopes_from(r, 2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub struct NewIntegration<'a> {
    pub title: &'a str,
    pub owner_id: EmployeeId,
    pub scopes: &'a str,
    pub salt: &'a str,
    pub hash: &'a str,
    pub status: IntegrationStatus,
    pub created_by: EmployeeId,
    pub created_at: &'a str,
}

pub fn insert_integration(c: &Connection, n: &NewIntegration<'_>) -> Result<IntegrationId> {
    c.prepare_cached(
        "INSERT INTO integrations (title, owner_id, scopes, secret_salt, secret_hash, url_user_id, status, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?2, ?6, ?7, ?8)",
    )?
    .execute(params![n.title, n.owner_id, n.scopes, n.salt, n.hash, n.status.as_str(), n.created_by, n.created_at])?;
    Ok(c.last_insert_rowid())
}

pub fn update_integration_fields(
    c: &Connection,
    id: IntegrationId,
    title: &str,
    scopes: &str,
    edited_by: EmployeeId,
    at: &str,
) -> Result<()> {
    c.execute(
        "UPDATE integrations SET title = ?2, scopes = ?3, edited_by = ?4, edited_at = ?5 WHERE id = ?1",
        params![id, title, scopes, edited_by, at],
    )?;
    Ok(())
}

/// A new owner and a new secret; the URL now names the new owner.
pub fn set_integration_owner_and_secret(
    c: &Connection,
    id: IntegrationId,
    owner: EmployeeId,
    transferred_from: Option<EmployeeId>,
    salt: &str,
    hash: &str,
) -> Result<()> {
    c.execute(
        "UPDATE integrations SET owner_id = ?2, transferred_from = ?3, secret_salt = ?4, secret_hash = ?5, url_user_id = ?2 WHERE id = ?1",
        params![id, owner, transferred_from, salt, hash],
    )?;
    Ok(())
}

pub fn set_integration_secret(
    c: &Connection,
    id: IntegrationId,
    salt: &str,
    hash: &str,
    url_user: EmployeeId,
) -> Result<()> {
    c.execute(
        "UPDATE integrations SET secret_salt = ?2, secret_hash = ?3, url_user_id = ?4 WHERE id = ?1",
        params![id, salt, hash, url_user],
    )?;
    Ok(())
}

pub fn set_integration_status(
    c: &Connection,
    id: IntegrationId,
    status: IntegrationStatus,
) -> Result<()> {
    c.execute(
        "UPDATE integrations SET status = ?2 WHERE id = ?1",
        params![id, status.as_str()],
    )?;
    Ok(())
}

pub fn touch_integration(
    c: &Connection,
    id: IntegrationId,
    by: EmployeeId,
    at: &str,
) -> Result<()> {
    c.execute(
        "UPDATE integrations SET edited_by = ?2, edited_at = ?3 WHERE id = ?1",
        params![id, by, at],
    )?;
    Ok(())
}

/// Keep: hand every active integration of `from` to its system user. Secrets and URLs stay.
pub fn transfer_active_integrations(
    c: &Connection,
    from: EmployeeId,
    to_system: EmployeeId,
) -> Result<usize> {
    Ok(c.execute(
        "UPDATE integrations SET owner_id = ?2, transferred_from = ?1 WHERE owner_id = ?1 AND status = 'active'",
        params![from, to_system],
    )?)
}

/// Disable: every active integration of `owner` stops.
pub fn disable_active_integrations(c: &Connection, owner: EmployeeId) -> Result<usize> {
    Ok(c.execute(
        "UPDATE integrations SET status = 'disabled' WHERE owner_id = ?1 AND status = 'active'",
        [owner],
    )?)
}

/// Rehire: integrations that went from `employee` to `system` come back, secret and URL unchanged.
pub fn return_integrations(
    c: &Connection,
    system: EmployeeId,
    employee: EmployeeId,
) -> Result<usize> {
    Ok(c.execute(
        "UPDATE integrations SET owner_id = ?2, transferred_from = NULL WHERE owner_id = ?1 AND transferred_from = ?2",
        params![system, employee],
    )?)
}

pub fn returnable_integrations(
    c: &Connection,
    system: EmployeeId,
    employee: EmployeeId,
) -> Result<Vec<IntegrationBrief>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, title, scopes FROM integrations WHERE owner_id = ?1 AND transferred_from = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![system, employee], |r| {
        Ok(IntegrationBrief {
            id: r.get(0)?,
            title: r.get(1)?,
            scopes: scopes_from(r, 2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (id, salt, hash, status, owner) of an integration, for authentication.
pub type SecretRow = (
    IntegrationId,
    String,
    String,
    IntegrationStatus,
    EmployeeId,
    Vec<Scope>,
);

/// What authentication needs: (id, salt, hash, status, owner) of every integration
/// whose URL names `url_user`.
pub fn integration_secrets_for(c: &Connection, url_user: EmployeeId) -> Result<Vec<SecretRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, secret_salt, secret_hash, status, owner_id, scopes FROM integrations WHERE url_user_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([url_user], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            word(r, 3)?,
            r.get(4)?,
            scopes_from(r, 5)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The user id that the URL of integration `id` carries.
pub fn integration_url_user(c: &Connection, id: IntegrationId) -> Result<EmployeeId> {
    Ok(c.query_row(
        "SELECT url_user_id FROM integrations WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

// ---------------------------------------------------------------- audit

pub fn append_audit(
    c: &Connection,
    at: &str,
    actor: EmployeeId,
    action: &str,
    target: Option<EmployeeId>,
    details: &serde_json::Value,
    via: Option<IntegrationId>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO audit_events (at, actor_id, action, target_id, details, via_integration) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![at, actor, action, target, details.to_string(), via])?;
    Ok(())
}

/// One audit event as read back.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct AuditEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub details: serde_json::Value,
    pub via_integration: Option<IntegrationId>,
}

pub fn audit_events(
    c: &Connection,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let pat = like_pattern(search.unwrap_or("").trim());
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, ac.login, a.action, t.login, a.details, a.via_integration FROM audit_events a \
         JOIN employees ac ON ac.id = a.actor_id LEFT JOIN employees t ON t.id = a.target_id \
         WHERE ?1 = '%%' OR a.action LIKE ?1 ESCAPE '\\' OR ac.login LIKE ?1 ESCAPE '\\' \
               OR t.login LIKE ?1 ESCAPE '\\' OR a.details LIKE ?1 ESCAPE '\\' \
         ORDER BY a.at DESC, a.id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![pat, limit, offset], |r| {
        let details: String = r.get(5)?;
        Ok(AuditEvent {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::String(details)),
            via_integration: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn audit_count(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get(0))?)
}

pub fn audit_count_matching(c: &Connection, search: Option<&str>) -> Result<i64> {
    let pat = like_pattern(search.unwrap_or("").trim());
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM audit_events a \
         JOIN employees ac ON ac.id = a.actor_id LEFT JOIN employees t ON t.id = a.target_id \
         WHERE ?1 = '%%' OR a.action LIKE ?1 ESCAPE '\\' OR ac.login LIKE ?1 ESCAPE '\\' \
               OR t.login LIKE ?1 ESCAPE '\\' OR a.details LIKE ?1 ESCAPE '\\'",
    )?
    .query_row([pat], |r| r.get(0))?)
}

/// People (not system users) with company-structure access, by name.
pub fn structure_staff(c: &Connection) -> Result<Vec<Employee>> {
    let sql = format!(
        "SELECT {EMPLOYEE_COLS} FROM {EMPLOYEE_FROM} \
         WHERE e.kind = 'employee' AND e.id IN (SELECT employee_id FROM permissions WHERE permission = 'structure') \
         ORDER BY e.name_key, e.id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([], employee_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
