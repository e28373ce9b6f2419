//! SQL for permissions, settings.

use super::*;

pub fn grant_structure(
    c: &Connection,
    id: EmployeeId,
    by: Option<EmployeeId>,
    at: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO permissions (employee_id, permission, granted_by, granted_at) \
         VALUES (?1, 'structure', ?2, ?3)",
        params![id, by, Stamp(at)],
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
