//! SQL for integrations.

use super::*;

pub(super) const INTEGRATION_COLS: &str = "i.id, i.title, o.login, o.id, o.kind, o.first_name || ' ' || o.last_name, \
     tf.login, i.scopes, i.status, i.created_at, cb.login, i.edited_at, eb.login, \
     tf.first_name || ' ' || tf.last_name, tf.kind";
pub(super) const INTEGRATION_FROM: &str = "integrations i JOIN employees o ON o.id = i.owner_id \
     JOIN employees cb ON cb.id = i.created_by \
     LEFT JOIN employees tf ON tf.id = i.transferred_from \
     LEFT JOIN employees eb ON eb.id = i.edited_by";

pub(super) fn integration_from_row(r: &Row<'_>) -> rusqlite::Result<Integration> {
    Ok(Integration {
        id: r.get(0)?,
        title: r.get(1)?,
        owner: r.get(2)?,
        owner_id: r.get(3)?,
        owner_kind: word(r, 4)?,
        owner_name: r.get(5)?,
        transferred_from: r.get(6)?,
        scopes: r.get(7)?,
        status: word(r, 8)?,
        created_at: moment(r, 9)?,
        created_by: r.get(10)?,
        edited_at: opt_moment(r, 11)?,
        edited_by: r.get(12)?,
        transferred_from_name: r.get(13)?,
        transferred_from_kind: opt_word(r, 14)?,
    })
}

pub fn integration(c: &Connection, id: IntegrationId) -> Result<Option<Integration>> {
    let sql = format!("SELECT {INTEGRATION_COLS} FROM {INTEGRATION_FROM} WHERE i.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], integration_from_row)
        .optional()?)
}

/// All integrations, or those of one owner, by id. Two statements, so that one owner's
/// are read from the owner index: `?1 IS NULL OR owner_id = ?1` is planned once, as a
/// scan of every integration.
pub fn integrations(c: &Connection, owner: Option<EmployeeId>) -> Result<Vec<Integration>> {
    let filter = if owner.is_some() {
        "WHERE i.owner_id = ?1"
    } else {
        "WHERE ?1 IS NULL"
    };
    let sql = format!("SELECT {INTEGRATION_COLS} FROM {INTEGRATION_FROM} {filter} ORDER BY i.id");
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
            scopes: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub struct NewIntegration<'a> {
    pub title: &'a str,
    pub owner_id: EmployeeId,
    pub scopes: ScopeSet,
    pub salt: &'a str,
    pub hash: &'a str,
    pub status: IntegrationStatus,
    pub created_by: EmployeeId,
    pub created_at: DateTime<Utc>,
}

pub fn insert_integration(c: &Connection, n: &NewIntegration<'_>) -> Result<IntegrationId> {
    c.prepare_cached(
        "INSERT INTO integrations (title, owner_id, scopes, secret_salt, secret_hash, url_user_id, status, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?2, ?6, ?7, ?8)",
    )?
    .execute(params![n.title, n.owner_id, n.scopes, n.salt, n.hash, n.status.as_str(), n.created_by, Stamp(n.created_at)])?;
    Ok(IntegrationId(c.last_insert_rowid()))
}

pub fn update_integration_fields(
    c: &Connection,
    id: IntegrationId,
    title: &str,
    scopes: ScopeSet,
    edited_by: EmployeeId,
    at: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "UPDATE integrations SET title = ?2, scopes = ?3, edited_by = ?4, edited_at = ?5 WHERE id = ?1",
        params![id, title, scopes, edited_by, Stamp(at)],
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
    at: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "UPDATE integrations SET edited_by = ?2, edited_at = ?3 WHERE id = ?1",
        params![id, by, Stamp(at)],
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
            scopes: r.get(2)?,
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
    ScopeSet,
);

const SECRETS_SQL: &str = "SELECT id, secret_salt, secret_hash, status, owner_id, scopes \
     FROM integrations WHERE url_user_id = ?1";

/// What authentication needs: (id, salt, hash, status, owner) of every integration
/// whose URL names `url_user`.
pub fn integration_secrets_for(c: &Connection, url_user: EmployeeId) -> Result<Vec<SecretRow>> {
    // Sorted here rather than by ORDER BY, which would make SQLite prepare the statement
    // again on every call (see `EMPLOYEE_COLS`); a user has few integrations.
    let mut stmt = c.prepare_cached(SECRETS_SQL)?;
    let rows = stmt.query_map([url_user], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            word(r, 3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut found: Vec<SecretRow> = rows.collect::<rusqlite::Result<_>>()?;
    found.sort_by_key(|row| row.0);
    Ok(found)
}

/// The user id that the URL of integration `id` carries.
pub fn integration_url_user(c: &Connection, id: IntegrationId) -> Result<EmployeeId> {
    Ok(c.query_row(
        "SELECT url_user_id FROM integrations WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Authentication reads two statements on every REST call: each must be planned
    /// once per connection, not on every use (see `employees::EMPLOYEE_COLS`).
    #[test]
    fn cached_reads_do_not_reprepare() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let c = crate::store::open(&tmp.path().join("x.db"), crate::store::OpenMode::Create)
            .expect("open");
        for id in 1..5 {
            integration_secrets_for(&c, EmployeeId(id)).expect("secrets");
            super::super::employee_by_id(&c, EmployeeId(id)).expect("employee");
        }
        let by_id = format!(
            "SELECT {} FROM {} WHERE e.id = ?1",
            super::super::employees::EMPLOYEE_COLS,
            super::super::employees::EMPLOYEE_FROM
        );
        for sql in [SECRETS_SQL, by_id.as_str()] {
            let stmt = c.prepare_cached(sql).expect("cached");
            assert_eq!(
                stmt.get_status(rusqlite::StatementStatus::RePrepare),
                0,
                "prepared again on use: {sql}"
            );
        }
    }
}
