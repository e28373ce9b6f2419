//! How moments and days are written wherever they are shown or stored as text: RFC 3339
//! with whole seconds and `Z` (`2026-11-01T08:00:00Z`), and `YYYY-MM-DD`.

use chrono::{DateTime, SecondsFormat, Utc};

/// `2026-11-01T08:00:00Z`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `2026-11-01 08:00`: a moment to the minute, as lists and tables show it.
pub fn minute(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// `serde(with)` for a moment: serialized as `timestamp` writes it.
pub mod as_timestamp {
    use super::*;

    pub fn serialize<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&timestamp(*t))
    }
}

/// `serde(with)` for a moment that may be missing: `null` then.
pub mod as_opt_timestamp {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        t: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&timestamp(*t)),
            None => s.serialize_none(),
        }
    }
}

/// `serde(with)` for a moment that may be missing, in a flat record (CSV): an empty
/// string then.
pub mod as_timestamp_or_empty {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        t: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.map(timestamp).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moments_are_written_to_the_second_with_z() {
        let t = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 5).unwrap();
        assert_eq!(timestamp(t), "2026-11-01T08:00:05Z");
        assert_eq!(minute(t), "2026-11-01 08:00");
        let t = t + chrono::Duration::milliseconds(250);
        assert_eq!(timestamp(t), "2026-11-01T08:00:05Z");
    }
}
