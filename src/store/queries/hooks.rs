//! SQL for the outbox and outbound event hooks.

use super::*;
use crate::directory::model::{DeliveryRow, Hook, OutboxEvent};
use crate::domain::DeliveryState;
use crate::domain::HookStatus;

/// Append one event to the outbox, inside the caller's transaction.
pub fn append_outbox(
    c: &Connection,
    uid: &str,
    kind: &str,
    at: DateTime<Utc>,
    body: &str,
) -> Result<i64> {
    c.prepare_cached("INSERT INTO outbox_events (uid, type, at, body) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![uid, kind, Stamp(at), body])?;
    Ok(c.last_insert_rowid())
}

/// The ID of the newest event in the outbox (0 when empty).
pub fn last_outbox_id(c: &Connection) -> Result<i64> {
    Ok(
        c.query_row("SELECT COALESCE(MAX(id), 0) FROM outbox_events", [], |r| {
            r.get(0)
        })?,
    )
}

/// Every event in the outbox, oldest first (for tests and `hook deliveries`).
pub fn outbox_events(c: &Connection, after: i64, limit: i64) -> Result<Vec<OutboxEvent>> {
    let mut st = c.prepare_cached(
        "SELECT id, uid, type, at, body FROM outbox_events WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = st.query_map(params![after, limit], outbox_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn outbox_row(r: &Row<'_>) -> rusqlite::Result<OutboxEvent> {
    Ok(OutboxEvent {
        id: r.get(0)?,
        uid: r.get(1)?,
        kind: r.get(2)?,
        at: moment(r, 3)?,
        body: r.get(4)?,
    })
}

/// The next event after `cursor` that a hook subscribed to `events` (a comma list,
/// '' for all) is told of.
pub fn next_event_for(c: &Connection, cursor: i64, events: &str) -> Result<Option<OutboxEvent>> {
    Ok(c.prepare_cached(
        "SELECT id, uid, type, at, body FROM outbox_events \
         WHERE id > ?1 AND (?2 = '' OR instr(',' || ?2 || ',', ',' || type || ',') > 0) \
         ORDER BY id LIMIT 1",
    )?
    .query_row(params![cursor, events], outbox_row)
    .optional()?)
}

pub struct NewHook<'a> {
    pub url: &'a str,
    pub events: &'a str,
    pub secret: &'a str,
    pub created_by: EmployeeId,
    pub created_at: DateTime<Utc>,
}

/// Register a hook; it starts after the events already in the outbox.
pub fn insert_hook(c: &Connection, h: &NewHook<'_>) -> Result<i64> {
    c.execute(
        "INSERT INTO hooks (url, events, secret, status, cursor, created_by, created_at) \
         VALUES (?1, ?2, ?3, 'active', (SELECT COALESCE(MAX(id), 0) FROM outbox_events), ?4, ?5)",
        params![h.url, h.events, h.secret, h.created_by, Stamp(h.created_at)],
    )?;
    Ok(c.last_insert_rowid())
}

const HOOK_COLS: &str = "h.id, h.url, h.events, h.status, h.cursor, h.failing_since, h.failure, \
     (SELECT login FROM employees WHERE id = h.created_by), h.created_at, \
     (SELECT COUNT(*) FROM outbox_events o WHERE o.id > h.cursor \
        AND (h.events = '' OR instr(',' || h.events || ',', ',' || o.type || ',') > 0))";

fn hook_row(r: &Row<'_>) -> rusqlite::Result<Hook> {
    let events: String = r.get(2)?;
    Ok(Hook {
        id: r.get(0)?,
        url: r.get(1)?,
        events: events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect(),
        status: word(r, 3)?,
        cursor: r.get(4)?,
        failing_since: opt_moment(r, 5)?,
        failure: r.get(6)?,
        created_by: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
        created_at: moment(r, 8)?,
        backlog: r.get(9)?,
    })
}

pub fn hooks(c: &Connection) -> Result<Vec<Hook>> {
    let mut st = c.prepare(&format!("SELECT {HOOK_COLS} FROM hooks h ORDER BY h.id"))?;
    let rows = st.query_map([], hook_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn hook(c: &Connection, id: i64) -> Result<Option<Hook>> {
    Ok(c.query_row(
        &format!("SELECT {HOOK_COLS} FROM hooks h WHERE h.id = ?1"),
        [id],
        hook_row,
    )
    .optional()?)
}

/// What the deliverer needs of a hook it may deliver to (active, not failing): its
/// URL, its events, its cursor and the secret it signs with (the only reader of it).
pub fn hook_for_delivery(c: &Connection, id: i64) -> Result<Option<(String, String, i64, String)>> {
    Ok(c.prepare_cached(
        "SELECT url, events, cursor, secret FROM hooks \
         WHERE id = ?1 AND status = 'active' AND failing_since IS NULL",
    )?
    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
    .optional()?)
}

/// Enable or disable; enabling also clears a failure, so delivery resumes.
pub fn set_hook_status(
    c: &Connection,
    id: i64,
    status: HookStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "UPDATE hooks SET status = ?2, failing_since = CASE WHEN ?2 = 'active' THEN NULL ELSE failing_since END, \
         failure = CASE WHEN ?2 = 'active' THEN NULL ELSE failure END WHERE id = ?1",
        params![id, status.as_str()],
    )?;
    if status == HookStatus::Active {
        // The event it gave up on is tried afresh.
        c.execute(
            "UPDATE hook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = NULL, \
             first_attempt_at = ?2 WHERE hook_id = ?1 AND state = 'failed'",
            params![id, Stamp(now)],
        )?;
    }
    Ok(())
}

/// The hooks delivery runs for: active and not failing.
pub fn deliverable_hooks(c: &Connection) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT id FROM hooks WHERE status = 'active' AND failing_since IS NULL ORDER BY id",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What one attempt left in the delivery log.
#[derive(Debug, Clone, Default)]
pub struct DeliveryLog {
    pub attempts: i64,
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

pub fn delivery_log(c: &Connection, hook: i64, event: i64) -> Result<Option<DeliveryLog>> {
    Ok(c.prepare_cached(
        "SELECT attempts, first_attempt_at, next_attempt_at FROM hook_deliveries \
         WHERE hook_id = ?1 AND event_id = ?2",
    )?
    .query_row([hook, event], |r| {
        Ok(DeliveryLog {
            attempts: r.get(0)?,
            first_attempt_at: opt_moment(r, 1)?,
            next_attempt_at: opt_moment(r, 2)?,
        })
    })
    .optional()?)
}

/// One attempt's result.
pub struct Attempt<'a> {
    pub hook: i64,
    pub event: i64,
    pub attempts: i64,
    pub first_attempt_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
    pub status: Option<u16>,
    pub error: Option<&'a str>,
    pub state: DeliveryState,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Record an attempt; a delivered event moves the hook's cursor past it, and a failed
/// one (retries ran out) marks the hook failing.
pub fn record_attempt(c: &Connection, a: &Attempt<'_>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO hook_deliveries (hook_id, event_id, state, attempts, first_attempt_at, \
         last_attempt_at, next_attempt_at, last_status, last_error) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT (hook_id, event_id) DO UPDATE SET state = ?3, attempts = ?4, \
         last_attempt_at = ?6, next_attempt_at = ?7, last_status = ?8, last_error = ?9",
    )?
    .execute(params![
        a.hook,
        a.event,
        a.state.as_str(),
        a.attempts,
        Stamp(a.first_attempt_at),
        Stamp(a.at),
        a.next_attempt_at.map(Stamp),
        a.status,
        a.error,
    ])?;
    match a.state {
        DeliveryState::Delivered => {
            c.prepare_cached("UPDATE hooks SET cursor = ?2 WHERE id = ?1 AND cursor < ?2")?
                .execute([a.hook, a.event])?;
        }
        DeliveryState::Failed => {
            c.prepare_cached("UPDATE hooks SET failing_since = ?2, failure = ?3 WHERE id = ?1")?
                .execute(params![a.hook, Stamp(a.at), a.error])?;
        }
        DeliveryState::Pending => {}
    }
    Ok(())
}

/// A hook's delivery log, newest first.
pub fn deliveries(c: &Connection, hook: i64, limit: i64) -> Result<Vec<DeliveryRow>> {
    let mut st = c.prepare(
        "SELECT d.event_id, o.uid, o.type, d.state, d.attempts, d.first_attempt_at, \
         d.last_attempt_at, d.next_attempt_at, d.last_status, d.last_error \
         FROM hook_deliveries d JOIN outbox_events o ON o.id = d.event_id \
         WHERE d.hook_id = ?1 ORDER BY d.event_id DESC LIMIT ?2",
    )?;
    let rows = st.query_map(params![hook, limit], |r| {
        Ok(DeliveryRow {
            event_id: r.get(0)?,
            webhook_id: r.get(1)?,
            event_type: r.get(2)?,
            state: word(r, 3)?,
            attempts: r.get(4)?,
            first_attempt_at: moment(r, 5)?,
            last_attempt_at: moment(r, 6)?,
            next_attempt_at: opt_moment(r, 7)?,
            last_status: r.get(8)?,
            last_error: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
