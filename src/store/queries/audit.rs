//! SQL for audit.

use super::*;

pub fn append_audit(
    c: &Connection,
    at: DateTime<Utc>,
    actor: EmployeeId,
    action: &str,
    target: Option<EmployeeId>,
    details: &serde_json::Value,
    via: Option<IntegrationId>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO audit_events (at, actor_id, action, target_id, details, via_integration) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![Stamp(at), actor, action, target, details.to_string(), via])?;
    Ok(())
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
            at: moment(r, 1)?,
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
