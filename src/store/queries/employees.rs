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
        crate::domain::name_rank(&key)
    ])?;
    Ok(EmployeeId(c.last_insert_rowid()))
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
