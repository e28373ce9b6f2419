//! What a method answers, written straight to the response: most methods answer a
//! JSON value, the user lists answer rows of `PortalUser`, which are serialized
//! without first becoming a map per user (a batch of 50 pages is 2,500 users).

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use super::fields::PortalUser;

/// About the bytes of one user written with every field (the fixed part is ~1,100).
const USER_BYTES: usize = 1_300;

#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Json(Value),
    Users(Vec<PortalUser>),
    User(Box<PortalUser>),
}

impl From<Value> for Payload {
    fn from(v: Value) -> Self {
        Payload::Json(v)
    }
}

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Payload::Json(v) => v.serialize(s),
            Payload::Users(rows) => rows.serialize(s),
            Payload::User(u) => u.serialize(s),
        }
    }
}

impl Payload {
    /// The whole answer as a JSON value (tests, and a reference to a whole answer).
    pub fn to_value(&self) -> Value {
        match self {
            Payload::Json(v) => v.clone(),
            other => serde_json::to_value(other).unwrap_or(Value::Null),
        }
    }

    /// About how many bytes the answer takes written.
    pub fn size_hint(&self) -> usize {
        match self {
            Payload::Json(_) => 256,
            Payload::Users(rows) => rows.len() * USER_BYTES,
            Payload::User(_) => USER_BYTES,
        }
    }

    /// What `path` (list indexes and field names) points to inside the answer.
    pub fn lookup(&self, path: &[&str]) -> Option<Cow<'_, Value>> {
        match (self, path) {
            (Payload::Json(v), _) => walk(v, path).map(Cow::Borrowed),
            (_, []) => Some(Cow::Owned(self.to_value())),
            (Payload::Users(rows), [index, rest @ ..]) => {
                let row = rows.get(index.parse::<usize>().ok()?)?;
                user_lookup(row, rest)
            }
            (Payload::User(u), _) => user_lookup(u, path),
        }
    }
}

fn user_lookup<'a>(u: &PortalUser, path: &[&str]) -> Option<Cow<'a, Value>> {
    match path {
        [] => serde_json::to_value(u).ok().map(Cow::Owned),
        [field, rest @ ..] => {
            let v = u.field(field)?;
            walk(&v, rest).cloned().map(Cow::Owned)
        }
    }
}

/// Follow list indexes and object keys down a JSON value.
pub fn walk<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut found = v;
    for seg in path {
        found = match found {
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            Value::Object(o) => o.get(*seg)?,
            _ => return None,
        };
    }
    Some(found)
}

/// A section of a batch that later commands may refer to (`$result[…]`,
/// `$total[…]`, `$next[…]`).
pub trait Section {
    fn lookup(&self, key: &str, path: &[&str]) -> Option<Cow<'_, Value>>;
}

impl Section for Map<String, Value> {
    fn lookup(&self, key: &str, path: &[&str]) -> Option<Cow<'_, Value>> {
        walk(self.get(key)?, path).map(Cow::Borrowed)
    }
}

/// The answers of a batch's commands, by key, in the order they ran. Written as an
/// object, or `[]` when empty, as the portal sends an empty section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results(pub Vec<(String, Payload)>);

impl Results {
    pub fn insert(&mut self, key: String, p: Payload) {
        self.0.retain(|(k, _)| *k != key);
        self.0.push((key, p));
    }
    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }
    pub fn get(&self, key: &str) -> Option<&Payload> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, p)| p)
    }
    /// About how many bytes the answers take written.
    pub fn size_hint(&self) -> usize {
        self.0
            .iter()
            .map(|(k, p)| k.len() + 4 + p.size_hint())
            .sum()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Section for Results {
    fn lookup(&self, key: &str, path: &[&str]) -> Option<Cow<'_, Value>> {
        self.get(key)?.lookup(path)
    }
}

impl Serialize for Results {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            return s.serialize_seq(Some(0))?.end();
        }
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A section of plain values (errors, totals, nexts, times), `[]` when empty.
pub struct Plain<'a>(pub &'a Map<String, Value>);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            s.serialize_seq(Some(0))?.end()
        } else {
            self.0.serialize(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::fields::tests::ana;
    use serde_json::json;

    #[test]
    fn rows_are_looked_up_as_their_json_would_be() {
        let p = Payload::Users(vec![ana()]);
        let v = p.to_value();
        assert_eq!(p.lookup(&["0", "ID"]).as_deref(), Some(&json!("7")));
        assert_eq!(
            p.lookup(&["0", "UF_DEPARTMENT", "0"]).as_deref(),
            Some(&json!(3))
        );
        assert_eq!(p.lookup(&["0"]).as_deref(), Some(&v[0]));
        assert_eq!(p.lookup(&[]).as_deref(), Some(&v));
        assert_eq!(p.lookup(&["1", "ID"]), None);
        assert_eq!(p.lookup(&["0", "NOPE"]), None);
        assert_eq!(serde_json::to_value(&p).unwrap(), v);
    }

    #[test]
    fn empty_sections_are_lists() {
        assert_eq!(serde_json::to_string(&Results::default()).unwrap(), "[]");
        assert_eq!(serde_json::to_string(&Plain(&Map::new())).unwrap(), "[]");
        let mut r = Results::default();
        r.insert("a".into(), Payload::Json(json!(1)));
        r.insert("b".into(), Payload::Json(json!(2)));
        r.remove("a");
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"b":2}"#);
    }
}
