//! Every SQL statement of the operations, one file per family of tables. Functions take a `Connection` (a `Transaction`
//! derefs to one) so the directory decides the transaction boundaries.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Day, Stamp};
use crate::domain::{
    CLOSED_CRM_STAGES, Departure, Employee, EmployeeId, History, Integration, IntegrationBrief,
    IntegrationChoice, IntegrationId, IntegrationStatus, Kind, Owned, Reason, Result, ScopeSet,
    Status, StatusFilter, WorkKinds,
};

fn word<T: std::str::FromStr<Err = crate::domain::Error>>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let s: String = row.get(idx)?;
    s.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

fn opt_word<T: std::str::FromStr<Err = crate::domain::Error>>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = row.get(idx)?;
    match s {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))),
    }
}

/// A moment kept as RFC 3339 text.
fn moment(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    row.get::<_, Stamp>(idx).map(|s| s.0)
}

fn opt_moment(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    Ok(row.get::<_, Option<Stamp>>(idx)?.map(|s| s.0))
}

/// A day kept as `YYYY-MM-DD`.
fn day(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    row.get::<_, Day>(idx).map(|d| d.0)
}

fn opt_day(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(row.get::<_, Option<Day>>(idx)?.map(|d| d.0))
}

/// SQL for "this CRM stage is still open".
fn crm_open_clause() -> String {
    let list = CLOSED_CRM_STAGES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(",");
    format!("stage NOT IN ({list})")
}

use crate::directory::model::{
    AuditEvent, DepartmentRow, ListQuery, ListRow, ListSort, Section, SectionRow,
};

mod audit;
mod checklists;
mod dashboard;
mod departments;
mod departures;
mod employees;
mod hooks;
mod integrations;
mod keys;
mod lists;
mod scim;
mod settings;
mod work;

pub use audit::*;
pub use checklists::*;
pub use dashboard::*;
pub use departments::*;
pub use departures::*;
pub use employees::*;
pub use hooks::*;
pub use integrations::*;
pub use keys::*;
pub use lists::*;
pub use scim::*;
pub use settings::*;
pub use work::*;
