//! SQL for employees.

use super::*;

// The department's name is a scalar subquery, not a join: with a join, SQLite marks the
// statement to be prepared again whenever its parameters are cleared, which rusqlite's
// statement cache does on every use, so each call parsed and planned the query anew
// (most of the time of an authenticated REST call). See `cached_reads_do_not_reprepare`.
pub(super) const EMPLOYEE_COLS: &str = "e.id, e.login, e.first_name, e.last_name, e.email, e.position, \
     (SELECT d.name FROM departments d WHERE d.id = e.department_id), e.hired_on, e.status, e.kind, e.is_admin, \
     EXISTS (SELECT 1 FROM permissions p WHERE p.employee_id = e.id AND p.permission = 'structure'), \
     e.system_for";
pub(super) const EMPLOYEE_FROM: &str = "employees e";

pub(super) fn employee_from_row(row: &Row<'_>) -> rusqlite::Result<Employee> {
    Ok(Employee {
        id: row.get(0)?,
        login: row.get(1)?,
        first_name: row.get(2)?,
        last_name: row.get(3)?,
        email: row.get(4)?,
        position: row.get(5)?,
        department: row.get(6)?,
        hired_on: day(row, 7)?,
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
    pub hired_on: NaiveDate,
    pub is_admin: bool,
    pub kind: Kind,
    pub system_for: Option<EmployeeId>,
    pub created_at: DateTime<Utc>,
}

pub fn insert_employee(c: &Connection, e: &NewEmployeeRow<'_>) -> Result<EmployeeId> {
    let key = crate::domain::name_key(e.first_name, e.last_name);
    let rank = rank_for(c, &key)?;
    c.prepare_cached(
        "INSERT INTO employees (login, first_name, last_name, email, position, department_id, \
         hired_on, status, is_admin, kind, system_for, created_at, name_key, name_rank) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        e.login,
        e.first_name,
        e.last_name,
        e.email,
        e.position,
        e.department_id,
        Day(e.hired_on),
        e.is_admin,
        e.kind.as_str(),
        e.system_for,
        Stamp(e.created_at),
        key,
        rank
    ])?;
    Ok(EmployeeId(c.last_insert_rowid()))
}

/// The rank of a name key (`name_ranks`, migration 12): a number that orders as the
/// keys do, so that the search index, whose row ids begin with it, hands out matches in
/// list order. A key seen before keeps its rank; a new one gets the middle of the gap
/// between its neighbours' ranks, or a step past the last (names are often added in
/// order). When a gap is used up the key shares its lower neighbour's rank: lists still
/// come out in order (ranks only need never to order against the keys), a page just
/// reads that rank whole.
pub fn rank_for(c: &Connection, key: &str) -> Result<i64> {
    use rusqlite::OptionalExtension;
    const STEP: i64 = 1 << 22;
    let known: Option<i64> = c
        .prepare_cached("SELECT rank FROM name_ranks WHERE name_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    if let Some(rank) = known {
        return Ok(rank);
    }
    let below: Option<i64> = c
        .prepare_cached(
            "SELECT rank FROM name_ranks WHERE name_key < ?1 ORDER BY name_key DESC LIMIT 1",
        )?
        .query_row([key], |r| r.get(0))
        .optional()?;
    let above: Option<i64> = c
        .prepare_cached(
            "SELECT rank FROM name_ranks WHERE name_key > ?1 ORDER BY name_key LIMIT 1",
        )?
        .query_row([key], |r| r.get(0))
        .optional()?;
    let space = crate::domain::RANK_SPACE;
    let rank = match (below, above) {
        (None, None) => space / 2,
        (Some(lo), None) if space - lo > 2 * STEP => lo + STEP,
        (None, Some(hi)) if hi > 2 * STEP => hi - STEP,
        (lo, hi) => {
            let (lo, hi) = (lo.unwrap_or(-1), hi.unwrap_or(space));
            if hi - lo >= 2 {
                lo + (hi - lo) / 2
            } else {
                lo.max(0)
            }
        }
    };
    c.prepare_cached("INSERT INTO name_ranks (name_key, rank) VALUES (?1, ?2)")?
        .execute(params![key, rank])?;
    Ok(rank)
}

/// Give every name key a rank evenly spread over the rank space again, and every
/// employee their key's new rank (after a bulk add, whose names in order use up the
/// gaps). The search index follows by its trigger; SCIM does not see it as a change of
/// the user (migration 12's `scim_users_touch`).
pub fn respread_ranks(c: &Connection) -> Result<()> {
    c.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS spread (name_key TEXT PRIMARY KEY, rank INTEGER) WITHOUT ROWID; \
         DELETE FROM temp.spread; \
         INSERT INTO temp.spread (name_key, rank) \
           SELECT name_key, row_number() OVER (ORDER BY name_key) * \
                  ({space} / ((SELECT count(*) FROM name_ranks) + 1)) FROM name_ranks; \
         UPDATE name_ranks SET rank = (SELECT s.rank FROM temp.spread s WHERE s.name_key = name_ranks.name_key); \
         UPDATE employees SET name_rank = (SELECT s.rank FROM temp.spread s WHERE s.name_key = employees.name_key) \
           WHERE name_rank IS NOT (SELECT s.rank FROM temp.spread s WHERE s.name_key = employees.name_key); \
         DELETE FROM temp.spread;",
        space = crate::domain::RANK_SPACE
    ))?;
    Ok(())
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

pub fn set_department(c: &Connection, id: EmployeeId, department: Option<i64>) -> Result<()> {
    c.prepare_cached("UPDATE employees SET department_id = ?2 WHERE id = ?1")?
        .execute(params![id, department])?;
    Ok(())
}
