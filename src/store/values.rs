//! How the model's typed values are kept in SQLite: moments as RFC 3339 text with
//! whole seconds and `Z`, days as `YYYY-MM-DD`, scope sets as `user,task`.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, Value, ValueRef};

use crate::domain::{ScopeSet, timestamp};

/// A moment in a `TEXT` column (`2026-11-01T08:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp(pub DateTime<Utc>);

/// A calendar day in a `TEXT` column (`2026-11-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

fn bad(what: &str, text: &str) -> FromSqlError {
    FromSqlError::Other(format!("\"{text}\" is not {what}").into())
}

impl ToSql for Stamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(timestamp(self.0))))
    }
}

impl FromSql for Stamp {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        DateTime::parse_from_rfc3339(text)
            .map(|t| Stamp(t.with_timezone(&Utc)))
            .map_err(|_| bad("an RFC 3339 date and time", text))
    }
}

impl ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(
            self.0.format("%Y-%m-%d").to_string(),
        )))
    }
}

impl FromSql for Day {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        parse_day(text)
            .map(Day)
            .ok_or_else(|| bad("a date (YYYY-MM-DD)", text))
    }
}

/// `YYYY-MM-DD`, read without the general parser: lists of 100,000 employees read a
/// hire date per row.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    // Years beyond 9999 are written with a sign (`+12345-01-01`).
    if text.starts_with(['+', '-']) {
        text.parse().ok()
    } else {
        None
    }
}

impl ToSql for ScopeSet {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(self.to_string())))
    }
}

impl FromSql for ScopeSet {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        ScopeSet::parse_list(value.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn round_trip<T: ToSql + FromSql>(v: &T) -> (String, T) {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let text: String = c.query_row("SELECT ?1", [v], |r| r.get(0)).unwrap();
        let back: T = c.query_row("SELECT ?1", [&text], |r| r.get(0)).unwrap();
        (text, back)
    }

    #[test]
    fn values_are_written_as_before_and_read_back() {
        let t = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 5).unwrap();
        assert_eq!(
            round_trip(&Stamp(t)),
            ("2026-11-01T08:00:05Z".into(), Stamp(t))
        );
        for (y, shown) in [
            (2015, "2015-02-02"),
            (987, "0987-02-02"),
            (12345, "+12345-02-02"),
        ] {
            let d = NaiveDate::from_ymd_opt(y, 2, 2).unwrap();
            assert_eq!(round_trip(&Day(d)), (shown.to_string(), Day(d)));
            assert_eq!(d.to_string(), shown, "a day shows as it is stored");
        }
        let s: ScopeSet = "task,user".parse().unwrap();
        assert_eq!(round_trip(&s), ("user,task".into(), s));
    }

    #[test]
    fn malformed_text_is_refused() {
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("2026-2-3"), None);
        assert_eq!(parse_day("2026-0a-03"), None);
        let c = rusqlite::Connection::open_in_memory().unwrap();
        assert!(
            c.query_row("SELECT 'yesterday'", [], |r| r.get::<_, Stamp>(0))
                .is_err()
        );
        assert!(
            c.query_row("SELECT 'user,bogus'", [], |r| r.get::<_, ScopeSet>(0))
                .is_err()
        );
    }
}
