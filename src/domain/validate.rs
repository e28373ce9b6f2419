//! Limits on what people type. Documented in README ("Limits").

use super::text::breaks_text;
use chrono::NaiveDate;

use super::{Error, Result, ScopeSet};

pub const MAX_NAME: usize = 100;
pub const MAX_LOGIN: usize = 64;
pub const MAX_EMAIL: usize = 254;
pub const MAX_POSITION: usize = 120;
pub const MAX_DEPARTMENT: usize = 120;
pub const MAX_TITLE: usize = 200;
pub const MAX_NOTE: usize = 2000;

/// Logins: 1–64 characters of a–z, 0–9, `.`, `_`, `-`, starting with a letter or digit.
/// `system.` is reserved for system users.
pub fn login(s: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Error::invalid("login is empty"));
    }
    if s.chars().count() > MAX_LOGIN {
        return Err(Error::invalid(format!(
            "login is longer than {MAX_LOGIN} characters"
        )));
    }
    let ok_first = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok_rest = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !ok_first || !ok_rest {
        return Err(Error::invalid(format!(
            "login \"{s}\" may use only a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
        )));
    }
    if s.starts_with("system.") {
        return Err(Error::invalid(format!(
            "login \"{s}\": logins starting with \"system.\" are reserved for system users"
        )));
    }
    Ok(s.to_string())
}

/// A first or last name: 1–100 characters, no control or format characters.
pub fn name_part(field: &str, s: &str) -> Result<String> {
    visible(field, text(field, s, MAX_NAME, true)?)
}

/// A department's name: up to 120 characters, no control or format characters (a
/// department named with an invisible character would be a second "Sales").
pub fn department(field: &str, s: &str) -> Result<String> {
    visible(field, text(field, s, MAX_DEPARTMENT, false)?)
}

/// Unicode format characters (general category Cf: zero-width space and joiners, the
/// word joiner, the byte-order mark, the soft hyphen, the directional marks, the tag
/// characters, …) draw nothing, so `Jane Do\u{200b}e` would look like `Jane Doe`.
/// Names, e-mails and departments tell people apart and refuse them.
pub fn is_format_char(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    c.general_category() == GeneralCategory::Format
}

fn visible(field: &str, s: String) -> Result<String> {
    match s.chars().find(|&c| is_format_char(c)) {
        Some(c) => Err(Error::invalid(format!(
            "{field} contains the invisible character U+{:04X} (a format character, which draws nothing): it must read as it is written",
            c as u32
        ))),
        None => Ok(s),
    }
}

/// Split "First Last" into first and last name (the last word is the last name).
pub fn full_name(s: &str) -> Result<(String, String)> {
    let s = s.trim();
    let Some((first, last)) = s.rsplit_once(char::is_whitespace) else {
        return Err(Error::invalid(format!(
            "name \"{s}\" needs a first and a last name, like \"Jane Doe\""
        )));
    };
    Ok((
        name_part("first name", first)?,
        name_part("last name", last)?,
    ))
}

pub fn email(s: &str) -> Result<String> {
    let s = s.trim();
    if s.chars().count() > MAX_EMAIL {
        return Err(Error::invalid(format!(
            "email is longer than {MAX_EMAIL} characters"
        )));
    }
    let valid = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@')
        }
        None => false,
    };
    if !valid {
        return Err(Error::invalid(format!(
            "email \"{s}\" is not a valid address"
        )));
    }
    visible("email", s.to_string())
}

pub fn optional_text(field: &str, s: &str, max: usize) -> Result<String> {
    text(field, s, max, false)
}

pub fn title(s: &str) -> Result<String> {
    text("title", s, MAX_TITLE, true)
}

pub fn note(s: &str) -> Result<String> {
    text("note", s, MAX_NOTE, false)
}

fn text(field: &str, s: &str, max: usize, required: bool) -> Result<String> {
    let s = s.trim();
    if required && s.is_empty() {
        return Err(Error::invalid(format!("{field} is empty")));
    }
    if s.chars().count() > max {
        return Err(Error::invalid(format!(
            "{field} is longer than {max} characters"
        )));
    }
    if s.chars().any(breaks_text) {
        return Err(Error::invalid(format!(
            "{field} contains control characters (line breaks, tabs and the like are not allowed)"
        )));
    }
    Ok(s.to_string())
}

/// `user,task,crm` → scopes, in a fixed order, without repeats.
pub fn scopes(s: &str) -> Result<ScopeSet> {
    s.parse()
}

/// A calendar date `YYYY-MM-DD`.
/// The portal's `PERSONAL_GENDER`: `M`, `F`, or empty (not given).
pub fn gender(s: &str) -> Result<String> {
    let g = s.trim().to_ascii_uppercase();
    match g.as_str() {
        "" | "M" | "F" => Ok(g),
        _ => Err(Error::invalid(format!(
            "PERSONAL_GENDER \"{}\" is not M, F or empty",
            s.trim()
        ))),
    }
}

/// A calendar date `YYYY-MM-DD` with a four-digit year, from `FIRST_DAY` to `LAST_DAY`.
/// Days and moments are kept as text, which compares as dates only while every year
/// has four digits: chrono writes `+10000-01-01`, which sorts before `2026`.
pub fn date(field: &str, s: &str) -> Result<NaiveDate> {
    let t = s.trim();
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let day = shaped
        .then(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| Error::invalid(format!("{field} \"{s}\" is not a date: use YYYY-MM-DD")))?;
    if !(FIRST_DAY..=LAST_DAY).contains(&day) {
        return Err(Error::invalid(format!(
            "{field} {day} is out of range: dates run from {FIRST_DAY} to {LAST_DAY}"
        )));
    }
    Ok(day)
}

/// The first and last day offboard accepts anywhere a date is typed.
pub const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real day");
pub const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2199, 12, 31).expect("a real day");

/// How far ahead a hire date may be: someone who signed and starts within a year.
pub const HIRE_AHEAD_DAYS: i64 = 366;

/// A hire date: from `FIRST_DAY` to `HIRE_AHEAD_DAYS` after `today`.
pub fn hire_date(field: &str, day: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    let latest = today + chrono::Duration::days(HIRE_AHEAD_DAYS);
    if day < FIRST_DAY || day > latest {
        return Err(Error::invalid(format!(
            "{field} {day} is out of range: a hire date runs from {FIRST_DAY} to one year after today ({latest})"
        )));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        assert!(login("jdoe").is_ok());
        assert!(login("j.doe-2").is_ok());
        assert!(login("").is_err());
        assert!(login("JDoe").is_err());
        assert!(login("system.jdoe").is_err());
        assert!(login(&"a".repeat(65)).is_err());
    }

    #[test]
    fn names_and_emails() {
        assert_eq!(
            full_name("Mary Ann Smith").unwrap(),
            ("Mary Ann".into(), "Smith".into())
        );
        assert!(full_name("Cher").is_err());
        assert!(full_name(&format!("A {}", "b".repeat(101))).is_err());
        assert!(email("a@b.co").is_ok());
        assert!(email("a@b").is_err());
        assert!(email("ab.co").is_err());
    }

    #[test]
    fn text_that_would_break_a_line_or_read_backwards_is_refused() {
        for bad in [
            "x\ny",
            "x\ty",
            "x\ry",
            "x\u{1b}[2Jy",
            "x\u{2028}y",
            "x\u{202E}y",
        ] {
            assert!(title(bad).is_err(), "title {bad:?}");
            assert!(note(bad).is_err(), "note {bad:?}");
            assert!(name_part("first name", bad).is_err(), "name {bad:?}");
            assert!(optional_text("position", bad, MAX_POSITION).is_err());
        }
        for good in ["Zoë Ñúñez-Øster", "Łódź → CRM 🚚", "李 小龙", "O'Brien"] {
            assert_eq!(title(good).unwrap(), good);
            assert_eq!(note(good).unwrap(), good);
        }
        // Spaces around are trimmed, not refused.
        assert_eq!(title("  Payroll export ").unwrap(), "Payroll export");
    }

    #[test]
    fn format_characters_are_refused_in_names_emails_and_departments() {
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{202E}',
        ] {
            assert!(is_format_char(c), "{c:?} is Cf");
            assert!(name_part("last name", &format!("Do{c}e")).is_err(), "{c:?}");
            assert!(email(&format!("j{c}doe@x.example")).is_err(), "{c:?}");
            assert!(
                department("department", &format!("Sa{c}les")).is_err(),
                "{c:?}"
            );
        }
        // Letters, marks and emoji of every script are not format characters.
        for good in ["Zoë", "李", "Łódź", "O'Brien", "Ñúñez-Øster", "नमस्ते"] {
            assert_eq!(name_part("first name", good).unwrap(), good);
        }
    }

    #[test]
    fn dates_have_four_digit_years_within_the_range() {
        assert!(date("--on", "2026-12-01").is_ok());
        assert!(date("--on", "1900-01-01").is_ok());
        assert!(date("--on", "2199-12-31").is_ok());
        for bad in [
            "+10000-01-01",
            "10000-01-01",
            "+2026-01-01",
            "-0001-01-01",
            "0001-01-01",
            "1899-12-31",
            "2200-01-01",
            "2026-1-01",
            "2026-02-30",
        ] {
            assert!(date("--on", bad).is_err(), "{bad}");
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let within = NaiveDate::from_ymd_opt(2027, 12, 1).unwrap();
        let beyond = NaiveDate::from_ymd_opt(2027, 12, 3).unwrap();
        assert!(hire_date("hire date", within, today).is_ok());
        assert!(hire_date("hire date", beyond, today).is_err());
        assert!(hire_date("hire date", FIRST_DAY, today).is_ok());
    }

    #[test]
    fn scope_lists() {
        use crate::domain::Scope;
        assert_eq!(
            scopes("crm, user,crm").unwrap(),
            ScopeSet::from([Scope::User, Scope::Crm])
        );
        assert!(scopes("").is_err());
        assert!(scopes("user,bogus").is_err());
    }
}
