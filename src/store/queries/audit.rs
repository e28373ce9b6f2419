//! SQL for audit.

use rusqlite::types::Value;

use super::*;
use crate::directory::model::{AuditBreak, AuditCheck, ChainBreak};
use crate::domain::Via;

/// The columns of an event that its hash covers, in this order (a macro, so that the
/// statements using it are whole string constants).
macro_rules! audit_hashed_cols {
    () => {
        "at, actor_id, action, target_id, details, via_integration, \
         door, door_uid, door_user, door_key, door_fingerprint"
    };
}
const AUDIT_HASHED: usize = 11;

/// The hash of the event before the first: the chain starts from nothing.
pub const AUDIT_GENESIS: &str = "";

/// SHA-256 (hex) over the previous event's hash and this event's stored values, each
/// kept as SQLite keeps it (so that what `audit verify` reads back hashes the same).
fn event_hash(prev: &str, values: &[Value]) -> String {
    use sha2::{Digest, Sha256};
    let canonical: Vec<serde_json::Value> = values
        .iter()
        .map(|v| match v {
            Value::Null => serde_json::Value::Null,
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Real(f) => serde_json::Value::from(*f),
            Value::Text(t) => serde_json::Value::from(t.as_str()),
            Value::Blob(b) => serde_json::json!({ "blob": hex(b) }),
        })
        .collect();
    let mut h = Sha256::new();
    h.update(b"offboard audit event v1\0");
    h.update(prev.as_bytes());
    h.update(b"\0");
    h.update(serde_json::Value::Array(canonical).to_string().as_bytes());
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The stored values of one event's door: `(door, uid, user, key, fingerprint)` and
/// the integration of a webhook call.
fn door_values(via: &Via) -> ([Value; 5], Option<IntegrationId>) {
    let text = |s: &str| Value::Text(s.to_string());
    match via {
        Via::Local { uid, user } => (
            [
                text("local"),
                Value::Integer(i64::from(*uid)),
                text(user),
                Value::Null,
                Value::Null,
            ],
            None,
        ),
        Via::Ssh { key, fingerprint } => (
            [
                text("ssh"),
                Value::Null,
                Value::Null,
                Value::Integer(*key),
                text(fingerprint),
            ],
            None,
        ),
        Via::Webhook { integration } => (
            [
                text("webhook"),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            ],
            Some(*integration),
        ),
        // The token in the key column, the client's name in the user column.
        Via::Scim { token, client } => (
            [
                text("scim"),
                Value::Null,
                text(client),
                Value::Integer(*token),
                Value::Null,
            ],
            None,
        ),
        Via::Unknown => (
            [
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            ],
            None,
        ),
    }
}

/// The door of an event as stored; anything that does not read as one is unknown.
fn via_from(
    door: Option<&str>,
    uid: Option<i64>,
    user: Option<String>,
    key: Option<i64>,
    fingerprint: Option<String>,
    integration: Option<IntegrationId>,
) -> Via {
    match (door, integration) {
        (Some("webhook"), Some(integration)) => Via::Webhook { integration },
        (Some("local"), _) => match uid.and_then(|u| u32::try_from(u).ok()) {
            Some(uid) => Via::Local {
                uid,
                user: user.unwrap_or_default(),
            },
            None => Via::Unknown,
        },
        (Some("scim"), _) => match key {
            Some(token) => Via::Scim {
                token,
                client: user.unwrap_or_default(),
            },
            None => Via::Unknown,
        },
        (Some("ssh"), _) => match key {
            Some(key) => Via::Ssh {
                key,
                fingerprint: fingerprint.unwrap_or_default(),
            },
            None => Via::Unknown,
        },
        _ => Via::Unknown,
    }
}

/// Append one event, chained to the one before it: one read of the last event's hash
/// (by rowid, the newest) on top of the insert.
pub fn append_audit(
    c: &Connection,
    at: DateTime<Utc>,
    actor: EmployeeId,
    action: &str,
    target: Option<EmployeeId>,
    details: &serde_json::Value,
    via: &Via,
) -> Result<()> {
    let (door, integration) = door_values(via);
    let mut values: Vec<Value> = Vec::with_capacity(AUDIT_HASHED + 2);
    values.extend([
        Value::Text(crate::domain::timestamp(at)),
        Value::Integer(actor.0),
        Value::Text(action.to_string()),
        target.map_or(Value::Null, |t| Value::Integer(t.0)),
        Value::Text(details.to_string()),
        integration.map_or(Value::Null, |i| Value::Integer(i.0)),
    ]);
    values.extend(door);
    let prev: String = c
        .prepare_cached("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten()
        .unwrap_or_else(|| AUDIT_GENESIS.to_string());
    let hash = event_hash(&prev, &values);
    values.push(Value::Text(prev));
    values.push(Value::Text(hash));
    c.prepare_cached(concat!(
        "INSERT INTO audit_events (",
        audit_hashed_cols!(),
        ", prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// One stored event as the chain sees it.
struct ChainRow {
    id: i64,
    values: Vec<Value>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

/// The events after id `after`, at most `limit` of them (-1: all), in order, to `each`
/// until it says stop; read as they come, never all at once.
fn chain_rows(
    c: &Connection,
    after: i64,
    limit: i64,
    mut each: impl FnMut(ChainRow) -> Result<bool>,
) -> Result<()> {
    let mut stmt = c.prepare_cached(concat!(
        "SELECT id, ",
        audit_hashed_cols!(),
        ", prev_hash, hash FROM audit_events WHERE id > ?1 ORDER BY id LIMIT ?2"
    ))?;
    let mut rows = stmt.query(params![after, limit])?;
    while let Some(r) = rows.next()? {
        let values = (1..=AUDIT_HASHED)
            .map(|i| r.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // A hash column holding anything but text is as good as no hash.
        let text = |i: usize| -> rusqlite::Result<Option<String>> {
            Ok(match r.get::<_, Value>(i)? {
                Value::Text(t) => Some(t),
                _ => None,
            })
        };
        let row = ChainRow {
            id: r.get(0)?,
            prev_hash: text(AUDIT_HASHED + 1)?,
            hash: text(AUDIT_HASHED + 2)?,
            values,
        };
        if !each(row)? {
            break;
        }
    }
    Ok(())
}

/// Chain the events of a database from before the chain (the migration to version 4
/// calls it), then put back the append-only trigger that the migration set aside.
pub fn chain_existing_events(c: &Connection) -> Result<()> {
    // In slices, so that a long log is never held in memory whole.
    const SLICE: i64 = 1000;
    let mut update =
        c.prepare("UPDATE audit_events SET prev_hash = ?1, hash = ?2 WHERE id = ?3")?;
    let mut prev = AUDIT_GENESIS.to_string();
    let mut after = i64::MIN;
    loop {
        let mut slice = Vec::new();
        chain_rows(c, after, SLICE, |row| {
            slice.push(row);
            Ok(true)
        })?;
        let Some(last) = slice.last().map(|r| r.id) else {
            break;
        };
        for row in slice {
            let hash = event_hash(&prev, &row.values);
            update.execute(params![prev, hash, row.id])?;
            prev = hash;
        }
        after = last;
    }
    c.execute_batch(AUDIT_NO_UPDATE)?;
    Ok(())
}

/// The append-only guards of the audit log, by name, as the schema makes them.
const AUDIT_NO_UPDATE: &str = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";
const AUDIT_GUARDS: &[(&str, &str)] = &[
    ("audit_no_delete", "BEFORE DELETE"),
    ("audit_no_update", "BEFORE UPDATE"),
];

/// The guards (triggers refusing to delete or change audit events) that are gone, or
/// that no longer refuse.
pub fn missing_audit_guards(c: &Connection) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    for (name, when) in AUDIT_GUARDS {
        let sql: Option<String> = c
            .prepare_cached(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1 AND tbl_name = 'audit_events'",
            )?
            .query_row([name], |r| r.get(0))
            .optional()?
            .flatten();
        let norm = sql
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase();
        if !(norm.contains(when) && norm.contains("RAISE(ABORT")) {
            missing.push(name.to_string());
        }
    }
    Ok(missing)
}

/// Walk the chain from the first event: the count, the last event and its hash, and
/// the first break, if any.
pub fn verify_audit(c: &Connection) -> Result<AuditCheck> {
    let mut check = AuditCheck {
        events: 0,
        last: None,
        broken: None,
        missing_guards: missing_audit_guards(c)?,
    };
    let mut prev: Option<(i64, String)> = None;
    chain_rows(c, i64::MIN, -1, |row| {
        let expected = prev
            .as_ref()
            .map_or(AUDIT_GENESIS, |(_, h)| h.as_str())
            .to_string();
        let problem = match (&row.hash, &row.prev_hash) {
            (None, _) | (_, None) => Some(ChainBreak::NoHash),
            (Some(hash), Some(linked)) => {
                if *linked != expected {
                    Some(match &prev {
                        None => ChainBreak::StartMissing,
                        Some((before, _)) if row.id > before + 1 => {
                            ChainBreak::Deleted { after: *before }
                        }
                        Some((before, _)) => ChainBreak::PreviousChanged { previous: *before },
                    })
                } else if event_hash(linked, &row.values) != *hash {
                    Some(ChainBreak::Edited)
                } else {
                    None
                }
            }
        };
        if let Some(problem) = problem {
            check.broken = Some(AuditBreak {
                id: row.id,
                problem,
            });
            return Ok(false);
        }
        check.events += 1;
        prev = Some((row.id, row.hash.unwrap_or_default()));
        Ok(true)
    })?;
    check.last = prev;
    Ok(check)
}

pub fn audit_events(
    c: &Connection,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let pat = like_pattern(search.unwrap_or("").trim());
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, ac.login, a.action, t.login, a.details, a.via_integration, \
                a.door, a.door_uid, a.door_user, a.door_key, a.door_fingerprint FROM audit_events a \
         JOIN employees ac ON ac.id = a.actor_id LEFT JOIN employees t ON t.id = a.target_id \
         WHERE ?1 = '%%' OR a.action LIKE ?1 ESCAPE '\\' OR ac.login LIKE ?1 ESCAPE '\\' \
               OR t.login LIKE ?1 ESCAPE '\\' OR a.details LIKE ?1 ESCAPE '\\' \
         ORDER BY a.at DESC, a.id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![pat, limit, offset], |r| {
        let details: String = r.get(5)?;
        let via_integration: Option<IntegrationId> = r.get(6)?;
        let door: Option<String> = r.get(7)?;
        Ok(AuditEvent {
            id: r.get(0)?,
            at: moment(r, 1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::String(details)),
            via_integration,
            via: via_from(
                door.as_deref(),
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                via_integration,
            ),
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
