//! SQL for SSH keys.

use super::*;
use crate::directory::model::{OfferedKey, SshKey};
use crate::domain::keys::PublicKeyLine;

const KEY_COLS: &str = "k.id, o.login, o.id, k.algorithm, k.fingerprint, k.comment, k.bits, k.added_at, ab.login, \
     o.first_name || ' ' || o.last_name";
const KEY_FROM: &str =
    "ssh_keys k JOIN employees o ON o.id = k.employee_id JOIN employees ab ON ab.id = k.added_by";

fn key_from_row(r: &Row<'_>) -> rusqlite::Result<SshKey> {
    Ok(SshKey {
        id: r.get(0)?,
        login: r.get(1)?,
        owner_id: r.get(2)?,
        algorithm: r.get(3)?,
        fingerprint: r.get(4)?,
        comment: r.get(5)?,
        bits: r.get(6)?,
        added_at: moment(r, 7)?,
        added_by: r.get(8)?,
        name: r.get(9)?,
    })
}

pub fn insert_key(
    c: &Connection,
    owner: EmployeeId,
    key: &PublicKeyLine,
    by: EmployeeId,
    at: DateTime<Utc>,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO ssh_keys (employee_id, algorithm, key_data, fingerprint, comment, bits, added_at, added_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        owner,
        key.algorithm,
        key.data,
        key.fingerprint,
        key.comment,
        key.bits,
        Stamp(at),
        by
    ])?;
    Ok(c.last_insert_rowid())
}

pub fn key(c: &Connection, id: i64) -> Result<Option<SshKey>> {
    let sql = format!("SELECT {KEY_COLS} FROM {KEY_FROM} WHERE k.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], key_from_row)
        .optional()?)
}

pub fn key_by_fingerprint(c: &Connection, fingerprint: &str) -> Result<Option<SshKey>> {
    let sql = format!("SELECT {KEY_COLS} FROM {KEY_FROM} WHERE k.fingerprint = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([fingerprint], key_from_row)
        .optional()?)
}

/// Every key, or one employee's, by owner then id.
pub fn keys(c: &Connection, owner: Option<EmployeeId>) -> Result<Vec<SshKey>> {
    let sql = format!(
        "SELECT {KEY_COLS} FROM {KEY_FROM} WHERE (?1 IS NULL OR k.employee_id = ?1) ORDER BY o.login, k.id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([owner], key_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn delete_key(c: &Connection, id: i64) -> Result<bool> {
    Ok(c.prepare_cached("DELETE FROM ssh_keys WHERE id = ?1")?
        .execute([id])?
        == 1)
}

/// What sshd waits for: one probe of the fingerprint index.
pub fn offered_key(c: &Connection, fingerprint: &str) -> Result<Option<OfferedKey>> {
    Ok(c.prepare_cached(
        "SELECT k.id, k.algorithm, e.status = 'active' AND e.kind = 'employee' \
         FROM ssh_keys k JOIN employees e ON e.id = k.employee_id WHERE k.fingerprint = ?1",
    )?
    .query_row([fingerprint], |r| {
        Ok(OfferedKey {
            id: r.get(0)?,
            algorithm: r.get(1)?,
            lets_in: r.get(2)?,
        })
    })
    .optional()?)
}

/// Whether key `id` still exists and belongs to `owner` (a session re-checks its key).
pub fn key_belongs_to(c: &Connection, id: i64, owner: EmployeeId) -> Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM ssh_keys WHERE id = ?1 AND employee_id = ?2")?
            .query_row(params![id, owner], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}
