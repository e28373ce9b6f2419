//! What SCIM 2.0 (RFC 7643/7644) means to offboard as values: the attributes of a
//! User a filter may name, a parsed filter, a provisioned user and what a client may
//! write. The wire format (JSON, the filter's text, PATCH) is `crate::scim`'s; the SQL
//! is the store's.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::EmployeeId;

/// The attributes of a User a filter may name, each kept in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScimAttr {
    Id,
    UserName,
    ExternalId,
    /// `displayName` and `name.formatted`: "First Last".
    DisplayName,
    GivenName,
    FamilyName,
    /// `emails` and `emails.value`: the one address offboard keeps.
    Email,
    Title,
    Active,
    Created,
    LastModified,
    EmployeeNumber,
    Department,
}

impl ScimAttr {
    /// Compared with regard to case (RFC 7643 `caseExact`): only `id` and `externalId`.
    pub fn case_exact(self) -> bool {
        matches!(self, ScimAttr::Id | ScimAttr::ExternalId)
    }

    pub fn is_date(self) -> bool {
        matches!(self, ScimAttr::Created | ScimAttr::LastModified)
    }
}

/// The comparison operators of RFC 7644 §3.4.2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A filter's literal, already checked against its attribute: text, a boolean for
/// `active`, a moment (as offboard writes them) for the dates.
#[derive(Debug, Clone, PartialEq)]
pub enum ScimValue {
    Text(String),
    Bool(bool),
    Moment(DateTime<Utc>),
    Null,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum ScimFilter {
    Present(ScimAttr),
    Compare(ScimAttr, CompareOp, ScimValue),
    And(Box<ScimFilter>, Box<ScimFilter>),
    Or(Box<ScimFilter>, Box<ScimFilter>),
    Not(Box<ScimFilter>),
}

/// An employee as SCIM sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScimUser {
    pub id: EmployeeId,
    pub login: String,
    pub user_name: String,
    pub external_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub department: Option<String>,
    pub employee_number: String,
    /// The head of their department (when that is someone else): id and name.
    pub manager: Option<(EmployeeId, String)>,
    pub active: bool,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub version: i64,
}

impl ScimUser {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// What a client may write, as it stands.
    pub fn fields(&self) -> ScimFields {
        ScimFields {
            user_name: self.user_name.clone(),
            external_id: self.external_id.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            position: self.position.clone(),
            department: self.department.clone(),
            employee_number: self.employee_number.clone(),
            active: self.active,
        }
    }
}

/// What a SCIM client may write of a user (a create, a PUT, or a PATCH applied to what
/// is there).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScimFields {
    pub user_name: String,
    pub external_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub department: Option<String>,
    pub employee_number: String,
    pub active: bool,
}

/// A SCIM client's token, as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScimToken {
    pub id: i64,
    pub name: String,
    #[serde(with = "super::time::as_timestamp")]
    pub created_at: DateTime<Utc>,
    /// The login of the administrator who made it, as whom the client acts.
    pub created_by: String,
}

/// The login a SCIM userName gets: the userName itself in lower case when it is a
/// valid login, else (an e-mail address, as identity providers send) its part before
/// `@`, as the REST `user.add` does. Validated as every login is, by the caller.
pub fn login_for(user_name: &str) -> String {
    let lower = user_name.trim().to_lowercase();
    match lower.split_once('@') {
        Some((local, _)) if super::validate::login(&lower).is_err() => local.to_string(),
        _ => lower,
    }
}

/// The SHA-256 (hex) under which a token is kept.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh token: 32 bytes from the operating system's random source, as 64 hex digits.
pub fn new_token() -> super::Result<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf)
        .map_err(|e| super::Error::other(format!("the system random source failed: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Does `token` hash to `stored`? The comparison takes the same time wherever the
/// first difference is.
pub fn token_matches(stored: &str, token: &str) -> bool {
    use subtle::ConstantTimeEq;
    token_hash(token).as_bytes().ct_eq(stored.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_from_user_names() {
        assert_eq!(login_for("jdoe"), "jdoe");
        assert_eq!(login_for("Jane.Doe@Example.com"), "jane.doe");
        assert_eq!(login_for("JDOE"), "jdoe");
    }

    #[test]
    fn tokens_are_kept_hashed_and_match_only_themselves() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), 64);
        let stored = token_hash(&t);
        assert!(!stored.contains(&t));
        assert!(token_matches(&stored, &t));
        assert!(!token_matches(&stored, "nope"));
        assert_ne!(new_token().unwrap(), t);
    }
}
