//! The `filter` parameter of RFC 7644 §3.4.2.2, parsed into a `ScimFilter` over the
//! attributes offboard keeps. Precedence: `not` over `and` over `or`; parentheses
//! group; `emails[value co "x"]` filters the one address offboard keeps. Attribute
//! names and operators compare without case; an attribute offboard does not keep, an
//! operator that does not fit it (`co` on `active`) or a literal of the wrong type is
//! refused with `invalidFilter`, never ignored.

use chrono::{DateTime, Utc};

use super::resource::{CORE_USER, ENTERPRISE_USER};
use crate::domain::scim::{CompareOp, ScimAttr, ScimFilter, ScimValue};

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Str(String),
    Word(String),
}

/// Why a filter was refused, for the `detail` of an `invalidFilter` error.
pub type FilterError = String;

fn tokens(input: &str) -> Result<Vec<Token>, FilterError> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '[' => {
                out.push(Token::OpenBracket);
                i += 1;
            }
            ']' => {
                out.push(Token::CloseBracket);
                i += 1;
            }
            '"' => {
                // A JSON string: find its end, then let serde_json read the escapes.
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return Err("a string is not closed with \"".into());
                }
                i += 1;
                let raw: String = chars[start..i].iter().collect();
                let s: String = serde_json::from_str(&raw)
                    .map_err(|_| format!("{raw} is not a valid JSON string"))?;
                out.push(Token::Str(s));
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !matches!(chars[i], ' ' | '\t' | '(' | ')' | '[' | ']' | '"')
                {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

/// Parse a filter. `Err` says what is wrong, in a sentence.
pub fn parse(input: &str) -> Result<ScimFilter, FilterError> {
    let mut p = Parser {
        tokens: tokens(input)?,
        at: 0,
    };
    if p.tokens.is_empty() {
        return Err("the filter is empty".into());
    }
    let f = p.or(None)?;
    match p.tokens.get(p.at) {
        None => Ok(f),
        Some(t) => Err(format!(
            "unexpected {} after a complete filter",
            describe(t)
        )),
    }
}

fn describe(t: &Token) -> String {
    match t {
        Token::Open => "\"(\"".into(),
        Token::Close => "\")\"".into(),
        Token::OpenBracket => "\"[\"".into(),
        Token::CloseBracket => "\"]\"".into(),
        Token::Str(s) => format!("the string \"{s}\""),
        Token::Word(w) => format!("\"{w}\""),
    }
}

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    /// `within`: inside `emails[…]`, where attribute names are the address's own.
    fn or(&mut self, within: Option<&str>) -> Result<ScimFilter, FilterError> {
        let mut left = self.and(within)?;
        while self.peek_word("or") {
            self.at += 1;
            let right = self.and(within)?;
            left = ScimFilter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, within: Option<&str>) -> Result<ScimFilter, FilterError> {
        let mut left = self.unary(within)?;
        while self.peek_word("and") {
            self.at += 1;
            let right = self.unary(within)?;
            left = ScimFilter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, within: Option<&str>) -> Result<ScimFilter, FilterError> {
        if self.peek_word("not") {
            self.at += 1;
            if self.next() != Some(Token::Open) {
                return Err("\"not\" must be followed by a filter in parentheses".into());
            }
            let inner = self.or(within)?;
            if self.next() != Some(Token::Close) {
                return Err("a \"(\" is not closed".into());
            }
            return Ok(ScimFilter::Not(Box::new(inner)));
        }
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or(within)?;
                if self.next() != Some(Token::Close) {
                    return Err("a \"(\" is not closed".into());
                }
                Ok(inner)
            }
            Some(Token::Word(path)) => {
                if matches!(self.tokens.get(self.at), Some(Token::OpenBracket)) {
                    self.at += 1;
                    if within.is_some() {
                        return Err("a value filter cannot hold another".into());
                    }
                    let name = strip_urn(&path).to_ascii_lowercase();
                    if name != "emails" {
                        return Err(format!(
                            "\"{path}\" is not a multi-valued attribute offboard keeps"
                        ));
                    }
                    let inner = self.or(Some("emails"))?;
                    if self.next() != Some(Token::CloseBracket) {
                        return Err("a \"[\" is not closed".into());
                    }
                    return Ok(inner);
                }
                self.comparison(&path, within)
            }
            Some(t) => Err(format!("expected an attribute, found {}", describe(&t))),
            None => Err("the filter ends where an attribute was expected".into()),
        }
    }

    fn comparison(&mut self, path: &str, within: Option<&str>) -> Result<ScimFilter, FilterError> {
        let attr = attribute(path, within)?;
        let op = match self.next() {
            Some(Token::Word(w)) => w.to_ascii_lowercase(),
            _ => return Err(format!("\"{path}\" must be followed by an operator")),
        };
        if op == "pr" {
            return Ok(ScimFilter::Present(attr));
        }
        let op = match op.as_str() {
            "eq" => CompareOp::Eq,
            "ne" => CompareOp::Ne,
            "co" => CompareOp::Co,
            "sw" => CompareOp::Sw,
            "ew" => CompareOp::Ew,
            "gt" => CompareOp::Gt,
            "ge" => CompareOp::Ge,
            "lt" => CompareOp::Lt,
            "le" => CompareOp::Le,
            other => return Err(format!("\"{other}\" is not an operator")),
        };
        let value = match self.next() {
            Some(Token::Str(s)) => Literal::Str(s),
            Some(Token::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "true" => Literal::Bool(true),
                "false" => Literal::Bool(false),
                "null" => Literal::Null,
                _ if w.parse::<f64>().is_ok() => Literal::Number(w),
                _ => return Err(format!("\"{w}\" is not a value: quote strings")),
            },
            _ => {
                return Err(format!(
                    "\"{path}\" and its operator must be followed by a value"
                ));
            }
        };
        typed(attr, op, value, path).map(|v| ScimFilter::Compare(attr, op, v))
    }
}

enum Literal {
    Str(String),
    Bool(bool),
    Number(String),
    Null,
}

/// Check a literal against its attribute and operator.
fn typed(
    attr: ScimAttr,
    op: CompareOp,
    value: Literal,
    path: &str,
) -> Result<ScimValue, FilterError> {
    match (attr, value) {
        (_, Literal::Null) if matches!(op, CompareOp::Eq | CompareOp::Ne) => Ok(ScimValue::Null),
        (_, Literal::Null) => Err(format!("null can only be compared with eq or ne ({path})")),
        (ScimAttr::Active, Literal::Bool(b)) if matches!(op, CompareOp::Eq | CompareOp::Ne) => {
            Ok(ScimValue::Bool(b))
        }
        (ScimAttr::Active, _) => Err(format!(
            "{path} is a boolean: compare it with eq or ne and true or false"
        )),
        (a, Literal::Str(s)) if a.is_date() => {
            if matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) {
                return Err(format!(
                    "{path} is a date: compare it with eq, ne, gt, ge, lt or le"
                ));
            }
            DateTime::parse_from_rfc3339(&s)
                .map(|t| ScimValue::Moment(t.with_timezone(&Utc)))
                .map_err(|_| {
                    format!("\"{s}\" is not a date and time like 2026-12-01T08:00:00Z ({path})")
                })
        }
        (a, _) if a.is_date() => Err(format!("{path} is a date: give it as a quoted string")),
        (_, Literal::Bool(_)) => Err(format!("{path} is a string, not a boolean")),
        // Text compares as text, in order too (gt/lt), without regard to case.
        (_, Literal::Str(s)) | (_, Literal::Number(s)) => Ok(ScimValue::Text(s)),
    }
}

/// A path without the core or enterprise schema's URN in front.
pub fn strip_urn(path: &str) -> &str {
    for urn in [CORE_USER, ENTERPRISE_USER] {
        if path.len() > urn.len()
            && path[..urn.len()].eq_ignore_ascii_case(urn)
            && path.as_bytes()[urn.len()] == b':'
        {
            return &path[urn.len() + 1..];
        }
    }
    path
}

/// The attribute a filter's path names.
fn attribute(path: &str, within: Option<&str>) -> Result<ScimAttr, FilterError> {
    let name = strip_urn(path).to_ascii_lowercase();
    let attr = match (within, name.as_str()) {
        (Some(_), "value") => ScimAttr::Email,
        (Some(_), _) => {
            return Err(format!(
                "emails[…] can filter on value only: offboard keeps one address, with no {path}"
            ));
        }
        (None, "id") => ScimAttr::Id,
        (None, "username") => ScimAttr::UserName,
        (None, "externalid") => ScimAttr::ExternalId,
        (None, "displayname") | (None, "name.formatted") => ScimAttr::DisplayName,
        (None, "name.givenname") => ScimAttr::GivenName,
        (None, "name.familyname") => ScimAttr::FamilyName,
        (None, "emails") | (None, "emails.value") => ScimAttr::Email,
        (None, "title") => ScimAttr::Title,
        (None, "active") => ScimAttr::Active,
        (None, "meta.created") => ScimAttr::Created,
        (None, "meta.lastmodified") => ScimAttr::LastModified,
        (None, "employeenumber") => ScimAttr::EmployeeNumber,
        (None, "department") => ScimAttr::Department,
        _ => {
            return Err(format!(
                "\"{path}\" is not an attribute offboard can filter on (id, userName, externalId, \
                 displayName, name.givenName, name.familyName, name.formatted, emails, title, active, \
                 meta.created, meta.lastModified, employeeNumber, department)"
            ));
        }
    };
    Ok(attr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> ScimValue {
        ScimValue::Text(s.into())
    }

    #[test]
    fn comparisons_and_precedence() {
        assert_eq!(
            parse(r#"userName eq "bjensen""#),
            Ok(ScimFilter::Compare(
                ScimAttr::UserName,
                CompareOp::Eq,
                text("bjensen")
            ))
        );
        // and binds tighter than or; not takes a group.
        let f = parse(r#"title pr or userName sw "j" and not (active eq false)"#).unwrap();
        assert_eq!(
            f,
            ScimFilter::Or(
                Box::new(ScimFilter::Present(ScimAttr::Title)),
                Box::new(ScimFilter::And(
                    Box::new(ScimFilter::Compare(
                        ScimAttr::UserName,
                        CompareOp::Sw,
                        text("j")
                    )),
                    Box::new(ScimFilter::Not(Box::new(ScimFilter::Compare(
                        ScimAttr::Active,
                        CompareOp::Eq,
                        ScimValue::Bool(false)
                    ))))
                ))
            )
        );
        assert!(matches!(
            parse(r#"meta.lastModified gt "2026-01-01T00:00:00Z""#),
            Ok(ScimFilter::Compare(
                ScimAttr::LastModified,
                CompareOp::Gt,
                ScimValue::Moment(_)
            ))
        ));
        assert_eq!(
            parse(r#"emails[value co "@example.com"]"#),
            Ok(ScimFilter::Compare(
                ScimAttr::Email,
                CompareOp::Co,
                text("@example.com")
            ))
        );
        assert_eq!(
            parse(
                r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department EQ "Sales""#
            ),
            Ok(ScimFilter::Compare(
                ScimAttr::Department,
                CompareOp::Eq,
                text("Sales")
            ))
        );
    }

    #[test]
    fn what_offboard_cannot_answer_is_refused() {
        for bad in [
            "",
            "userName",
            r#"userName xx "a""#,
            r#"nickName eq "a""#,
            r#"active co "t""#,
            r#"meta.created gt "yesterday""#,
            r#"(userName eq "a""#,
            r#"userName eq "a" extra"#,
            r#"emails[type eq "work"]"#,
            r#"userName eq "unclosed"#,
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
