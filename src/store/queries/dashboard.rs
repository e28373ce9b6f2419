//! SQL for the dashboard: departures by day and reason, the leavers the handover
//! backlog is counted from, and the scheduled dismissals still to come. Each reads the
//! departures table (one row per departure, a few thousand on the largest company) and
//! looks everything else up by index; none reads the employees, tasks or audit events
//! from end to end (`tests/dashboard.rs` checks the plans).

use super::*;
use crate::domain::dashboard::Leaver;

/// Departures that took effect on or after `from`, by day and reason (none: no reason
/// given): (day, reason, how many).
pub fn departures_by_day(
    c: &Connection,
    from: NaiveDate,
) -> Result<Vec<(NaiveDate, Option<Reason>, u64)>> {
    let mut stmt = c.prepare_cached(DEPARTURES_BY_DAY)?;
    let rows = stmt.query_map([Day(from)], |r| {
        Ok((
            day(r, 0)?,
            opt_word(r, 1)?,
            r.get::<_, i64>(2)?.max(0) as u64,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) const DEPARTURES_BY_DAY: &str = "SELECT substr(effective_at, 1, 10), reason, COUNT(*) \
     FROM departures WHERE state = 'done' AND effective_at >= ?1 GROUP BY 1, 2";

/// Every departure that took effect and was not undone by a rehire before `since`: when
/// it took effect, the rehire, whether the leaver still owns work now (the backlog's
/// own definition) and the last handover of their work after leaving.
pub fn leavers(c: &Connection, since: DateTime<Utc>) -> Result<Vec<Leaver>> {
    let mut stmt = c.prepare_cached(&leavers_sql())?;
    let rows = stmt.query_map([Stamp(since)], |r| {
        Ok(Leaver {
            left: moment(r, 0)?,
            rehired: opt_moment(r, 1)?,
            owns_now: r.get(2)?,
            last_handover: opt_moment(r, 3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `leavers`' statement. Whether each leaver still owns work is worked out once, in
/// a materialized step; the handover is looked up only for those who own nothing now
/// (for the others it does not matter), by the audit log's target index (`INDEXED
/// BY`): left alone, SQLite answers `MAX(at)` by walking the log's time index
/// backwards, every event of every employee.
pub(crate) fn leavers_sql() -> String {
    format!(
        "WITH l AS MATERIALIZED (\
         SELECT d.employee_id AS who, d.effective_at AS left_at, d.rehired_at AS back, \
         e.status = 'dismissed' AND d.rehired_at IS NULL AND {owns} AS owns \
         FROM departures d JOIN employees e ON e.id = d.employee_id \
         WHERE d.state = 'done' AND (d.rehired_at IS NULL OR d.rehired_at >= ?1)) \
         SELECT left_at, back, owns, CASE WHEN owns THEN NULL ELSE \
         (SELECT MAX(a.at) FROM audit_events a INDEXED BY audit_events_target \
          WHERE a.target_id = l.who AND a.action = 'reassign' \
          AND a.at >= l.left_at AND (l.back IS NULL OR a.at <= l.back)) END \
         FROM l",
        owns = super::lists::still_owns_clause("e.id")
    )
}

/// How many dismissals are scheduled, and the next one due: its day and who.
pub fn pending_dismissals(c: &Connection) -> Result<(i64, Option<(NaiveDate, Employee)>)> {
    let count: i64 = c
        .prepare_cached(PENDING_COUNT)?
        .query_row([], |r| r.get(0))?;
    let next = c
        .prepare_cached(&next_due_sql())?
        .query_row([], |r| {
            Ok((moment(r, 13)?.date_naive(), employee_from_row(r)?))
        })
        .optional()?;
    Ok((count, next))
}

pub(crate) const PENDING_COUNT: &str = "SELECT COUNT(*) FROM departures WHERE state = 'pending'";

pub(crate) fn next_due_sql() -> String {
    format!(
        "SELECT {EMPLOYEE_COLS}, d.effective_at FROM departures d JOIN {EMPLOYEE_FROM} ON e.id = d.employee_id \
         WHERE d.state = 'pending' ORDER BY d.effective_at, d.id LIMIT 1"
    )
}

/// What SQLite plans for the dashboard's statements (`EXPLAIN QUERY PLAN`, one detail
/// per line, each statement's after a line naming it): tests check that nothing but the
/// departures is read from end to end.
#[doc(hidden)]
pub fn dashboard_query_plan(c: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let statements = [
        ("departures by day", DEPARTURES_BY_DAY.to_string(), 1),
        ("leavers", leavers_sql(), 1),
        ("pending", PENDING_COUNT.to_string(), 0),
        ("next due", next_due_sql(), 0),
    ];
    for (name, sql, params) in statements {
        out.push(format!("-- {name}"));
        let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let args = vec![rusqlite::types::Value::Text("2026-01-01".into()); params];
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, String>(3)
        })?;
        for r in rows {
            out.push(r?);
        }
    }
    Ok(out)
}
