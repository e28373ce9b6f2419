//! SQL for departures.

use super::*;

pub struct NewDeparture<'a> {
    pub employee_id: EmployeeId,
    pub effective_at: DateTime<Utc>,
    pub recorded_by: EmployeeId,
    pub recorded_at: DateTime<Utc>,
    pub reason: Option<Reason>,
    pub note: Option<&'a str>,
    pub state: crate::domain::DepartureState,
    pub integrations: Option<IntegrationChoice>,
}

pub fn insert_departure(c: &Connection, d: &NewDeparture<'_>) -> Result<i64> {
    c.execute(
        "INSERT INTO departures (employee_id, effective_at, recorded_by, recorded_at, reason, note, state, integrations) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            d.employee_id,
            Stamp(d.effective_at),
            d.recorded_by,
            Stamp(d.recorded_at),
            d.reason.map(|r| r.as_str()),
            d.note,
            d.state.as_str(),
            d.integrations.map(|i| i.as_str())
        ],
    )?;
    Ok(c.last_insert_rowid())
}

pub(super) const DEPARTURE_SELECT: &str = "SELECT d.id, d.effective_at, b.login, d.reason, d.note, d.state, d.integrations, \
     d.failure, d.rehired_at, b.first_name || ' ' || b.last_name \
     FROM departures d JOIN employees b ON b.id = d.recorded_by";

/// A departure of `DEPARTURE_SELECT`, with the name of whoever recorded it.
pub(super) fn departure_from_row(r: &Row<'_>) -> rusqlite::Result<Departure> {
    Ok(Departure {
        by_name: r.get(9)?,
        ..departure_at(r, 0)?
    })
}

/// A departure read from the nine columns of `DEPARTURE_SELECT`, starting at column `at`.
pub(super) fn departure_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Departure> {
    Ok(Departure {
        id: r.get(at)?,
        at: moment(r, at + 1)?,
        by: r.get(at + 2)?,
        by_name: String::new(),
        reason: opt_word(r, at + 3)?,
        note: r.get(at + 4)?,
        state: word(r, at + 5)?,
        integrations: opt_word(r, at + 6)?,
        failure: r.get(at + 7)?,
        rehired_at: opt_moment(r, at + 8)?,
    })
}

/// The most recent departure of an employee that is not canceled.
pub fn latest_departure(c: &Connection, employee: EmployeeId) -> Result<Option<Departure>> {
    let sql = format!(
        "{DEPARTURE_SELECT} WHERE d.employee_id = ?1 AND d.state != 'canceled' ORDER BY d.id DESC LIMIT 1"
    );
    Ok(c.prepare_cached(&sql)?
        .query_row([employee], departure_from_row)
        .optional()?)
}

/// The pending (scheduled) departure of an employee, if any.
pub fn pending_departure(c: &Connection, employee: EmployeeId) -> Result<Option<Departure>> {
    let sql = format!(
        "{DEPARTURE_SELECT} WHERE d.employee_id = ?1 AND d.state = 'pending' ORDER BY d.id DESC LIMIT 1"
    );
    Ok(c.prepare_cached(&sql)?
        .query_row([employee], departure_from_row)
        .optional()?)
}

/// A scheduled departure that is due: (departure id, employee id, recorded by).
pub fn due_departures(
    c: &Connection,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, EmployeeId, EmployeeId)>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, employee_id, recorded_by FROM departures WHERE state = 'pending' AND effective_at <= ?1 ORDER BY effective_at, id",
    )?;
    let rows = stmt.query_map([Stamp(now)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_departure_state(
    c: &Connection,
    id: i64,
    state: crate::domain::DepartureState,
    failure: Option<&str>,
    effective_at: Option<DateTime<Utc>>,
) -> Result<()> {
    c.execute(
        "UPDATE departures SET state = ?2, failure = ?3, effective_at = COALESCE(?4, effective_at) WHERE id = ?1",
        params![id, state.as_str(), failure, effective_at.map(Stamp)],
    )?;
    Ok(())
}

pub fn mark_rehired(
    c: &Connection,
    departure: i64,
    at: DateTime<Utc>,
    by: EmployeeId,
) -> Result<()> {
    c.execute(
        "UPDATE departures SET rehired_at = ?2, rehired_by = ?3 WHERE id = ?1",
        params![departure, Stamp(at), by],
    )?;
    Ok(())
}
