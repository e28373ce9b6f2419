//! SQL for departments.

use super::*;

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

pub fn department_by_id(c: &Connection, id: i64) -> Result<Option<DepartmentRow>> {
    Ok(
        c.prepare_cached("SELECT id, name, parent_id, head_id FROM departments WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(DepartmentRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    parent_id: r.get(2)?,
                    head_id: r.get(3)?,
                })
            })
            .optional()?,
    )
}

/// Write a department's name, parent and head as given.
pub fn update_department(c: &Connection, d: &DepartmentRow) -> Result<()> {
    c.prepare_cached(
        "UPDATE departments SET name = ?2, parent_id = ?3, head_id = ?4 WHERE id = ?1",
    )?
    .execute(params![d.id, d.name, d.parent_id, d.head_id])?;
    Ok(())
}
