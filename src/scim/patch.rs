//! PATCH (RFC 7644 §3.5.2): `add`, `replace` and `remove`, with and without `path`,
//! applied to a user's JSON representation, which `resource::fields_from_json` then
//! reads back. The shapes identity providers send are all here: Okta's
//! `{"op":"replace","value":{"active":false}}`, Microsoft Entra ID's
//! `{"op":"Replace","path":"active","value":"False"}`, its
//! `emails[type eq "work"].value` paths and its URN-prefixed extension attributes.
//!
//! offboard keeps one e-mail address, so a value filter on `emails` selects that
//! address whatever it says. Read-only attributes (`id`, `meta`, `displayName`,
//! `name.formatted`, the manager) and attributes offboard does not keep are left as
//! they are, as providers send them by default.

use serde_json::{Map, Value};

use super::ScimError;
use super::resource::{CORE_USER, ENTERPRISE_USER, get_ci};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Where a path points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A simple attribute offboard keeps: `userName`, `title`, `active`, `externalId`.
    Simple(&'static str),
    /// `name`, or one of its sub-attributes.
    Name(Option<&'static str>),
    /// `emails` (any value filter), or `emails.value`.
    Emails { value: bool },
    /// The enterprise extension, or one of its attributes.
    Enterprise(Option<&'static str>),
    /// Read-only, or not kept: left as it is.
    Ignored,
}

fn canonical(name: &str, among: &[&'static str]) -> Option<&'static str> {
    among.iter().copied().find(|c| c.eq_ignore_ascii_case(name))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &s[prefix.len()..])
}

fn target(path: &str) -> Result<Target, ScimError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(ScimError::invalid_path("the path is empty"));
    }
    if let Some(rest) = strip_prefix_ci(path, ENTERPRISE_USER) {
        let rest = match rest.strip_prefix(':') {
            Some(r) => r,
            None if rest.is_empty() => return Ok(Target::Enterprise(None)),
            None => return Err(ScimError::invalid_path(format!("\"{path}\" is not a path"))),
        };
        return Ok(match canonical(rest, &["employeeNumber", "department"]) {
            Some(a) => Target::Enterprise(Some(a)),
            None => Target::Ignored,
        });
    }
    let path = strip_prefix_ci(path, CORE_USER)
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or(path);
    let (attr, filtered, sub) = match path.find('[') {
        Some(open) => {
            let close = path[open..].find(']').map(|c| open + c).ok_or_else(|| {
                ScimError::invalid_path(format!("\"{path}\": a \"[\" is not closed"))
            })?;
            let after = &path[close + 1..];
            let sub =
                match after {
                    "" => None,
                    _ => Some(after.strip_prefix('.').ok_or_else(|| {
                        ScimError::invalid_path(format!("\"{path}\" is not a path"))
                    })?),
                };
            (&path[..open], true, sub)
        }
        None => match path.split_once('.') {
            Some((a, s)) => (a, false, Some(s)),
            None => (path, false, None),
        },
    };
    let simple = ["userName", "title", "active", "externalId"];
    if let Some(a) = canonical(attr, &simple) {
        if filtered || sub.is_some() {
            return Err(ScimError::invalid_path(format!(
                "{a} has no sub-attributes"
            )));
        }
        return Ok(Target::Simple(a));
    }
    if attr.eq_ignore_ascii_case("name") {
        if filtered {
            return Err(ScimError::invalid_path("name is not multi-valued"));
        }
        return Ok(match sub {
            None => Target::Name(None),
            Some(s) => match canonical(s, &["givenName", "familyName"]) {
                Some(s) => Target::Name(Some(s)),
                None => Target::Ignored,
            },
        });
    }
    if attr.eq_ignore_ascii_case("emails") {
        return Ok(match sub {
            None => Target::Emails { value: false },
            Some(s) if s.eq_ignore_ascii_case("value") => Target::Emails { value: true },
            // type, primary, display: offboard keeps the address only.
            Some(_) => Target::Ignored,
        });
    }
    Ok(Target::Ignored)
}

fn object_at<'a>(doc: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let existing = doc.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned();
    let key = existing.unwrap_or_else(|| key.to_string());
    let slot = doc.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(m) => m,
        _ => unreachable!("made an object just above"),
    }
}

fn remove_ci(doc: &mut Map<String, Value>, key: &str) {
    doc.retain(|k, _| !k.eq_ignore_ascii_case(key));
}

fn set_ci(doc: &mut Map<String, Value>, key: &str, value: Value) {
    remove_ci(doc, key);
    doc.insert(key.to_string(), value);
}

fn apply_at(
    doc: &mut Map<String, Value>,
    t: Target,
    op: Op,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let value = match (op, value) {
        (Op::Remove, _) => None,
        (_, None) | (_, Some(Value::Null)) if op != Op::Remove => {
            return Err(ScimError::invalid_value(
                "add and replace need a value (use remove to clear an attribute)",
            ));
        }
        (_, v) => v,
    };
    match (t, value) {
        (Target::Ignored, _) => {}
        (Target::Simple(a), None) => remove_ci(doc, a),
        (Target::Simple(a), Some(v)) => set_ci(doc, a, v.clone()),
        (Target::Emails { .. }, None) => set_ci(doc, "emails", Value::Array(Vec::new())),
        (Target::Emails { value: true }, Some(v)) => {
            let mut item = Map::new();
            item.insert("value".into(), v.clone());
            set_ci(doc, "emails", Value::Array(vec![Value::Object(item)]));
        }
        (Target::Emails { value: false }, Some(v)) => {
            let list = match v {
                Value::Array(_) => v.clone(),
                Value::Object(_) => Value::Array(vec![v.clone()]),
                _ => return Err(ScimError::invalid_value("emails must be a list of objects")),
            };
            set_ci(doc, "emails", list);
        }
        (Target::Name(None), None) => remove_ci(doc, "name"),
        (Target::Enterprise(None), None) => remove_ci(doc, ENTERPRISE_USER),
        (Target::Name(None), Some(v)) => merge(doc, "name", &["givenName", "familyName"], v)?,
        (Target::Enterprise(None), Some(v)) => {
            merge(doc, ENTERPRISE_USER, &["employeeNumber", "department"], v)?
        }
        (Target::Name(Some(s)), None) => {
            remove_ci(object_at(doc, "name"), s);
        }
        (Target::Enterprise(Some(s)), None) => {
            remove_ci(object_at(doc, ENTERPRISE_USER), s);
        }
        (Target::Name(Some(s)), Some(v)) => set_ci(object_at(doc, "name"), s, v.clone()),
        (Target::Enterprise(Some(s)), Some(v)) => {
            set_ci(object_at(doc, ENTERPRISE_USER), s, v.clone())
        }
    }
    Ok(())
}

/// A complex attribute's sub-attributes set from `v`; those not given are left
/// unchanged (§3.5.2.1, §3.5.2.3).
fn merge(
    doc: &mut Map<String, Value>,
    key: &str,
    subs: &[&'static str],
    v: &Value,
) -> Result<(), ScimError> {
    let Value::Object(given) = v else {
        return Err(ScimError::invalid_value(format!(
            "{key} needs an object as its value"
        )));
    };
    let into = object_at(doc, key);
    for (k, sv) in given {
        if let Some(k) = canonical(k, subs) {
            set_ci(into, k, sv.clone());
        }
    }
    Ok(())
}

/// Apply a PatchOp body to `doc`, a user's JSON representation.
pub fn apply(doc: &mut Value, body: &Value) -> Result<(), ScimError> {
    let Value::Object(body) = body else {
        return Err(ScimError::invalid_syntax("the body must be a JSON object"));
    };
    let Some(ops) = get_ci(body, "Operations") else {
        return Err(ScimError::invalid_syntax("a PatchOp needs Operations"));
    };
    let Value::Array(ops) = ops else {
        return Err(ScimError::invalid_syntax("Operations must be a list"));
    };
    if ops.is_empty() {
        return Err(ScimError::invalid_syntax("Operations is empty"));
    }
    let Value::Object(doc) = doc else {
        return Err(ScimError::invalid_syntax("the user is not an object"));
    };
    for op in ops {
        let Value::Object(op) = op else {
            return Err(ScimError::invalid_syntax(
                "each operation must be an object",
            ));
        };
        let kind = match get_ci(op, "op")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("add") => Op::Add,
            Some("replace") => Op::Replace,
            Some("remove") => Op::Remove,
            _ => {
                return Err(ScimError::invalid_syntax(
                    "each operation's op must be add, replace or remove",
                ));
            }
        };
        let value = get_ci(op, "value");
        match get_ci(op, "path") {
            Some(Value::String(path)) => apply_at(doc, target(path)?, kind, value)?,
            Some(Value::Null) | None => {
                if kind == Op::Remove {
                    return Err(ScimError::no_target("remove needs a path"));
                }
                let Some(Value::Object(values)) = value else {
                    return Err(ScimError::invalid_value(
                        "an operation without a path needs an object of attributes as its value",
                    ));
                };
                for (k, v) in values {
                    // The extension, whole or by attribute, or a path as the key
                    // (Entra ID sends "name.givenName" so).
                    let t = if k.eq_ignore_ascii_case(ENTERPRISE_USER) {
                        Target::Enterprise(None)
                    } else {
                        target(k)?
                    };
                    if v.is_null() {
                        continue;
                    }
                    apply_at(doc, t, kind, Some(v))?;
                }
            }
            Some(_) => return Err(ScimError::invalid_path("path must be a string")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "schemas": [CORE_USER], "id": "7", "userName": "jdoe", "active": true,
            "name": { "givenName": "Jane", "familyName": "Doe" },
            "emails": [{ "value": "jane@example.com" }], "title": "Analyst",
        })
    }

    fn patched(ops: Value) -> Result<Value, ScimError> {
        let mut doc = user();
        apply(
            &mut doc,
            &json!({ "schemas": [super::super::resource::PATCH_OP], "Operations": ops }),
        )?;
        Ok(doc)
    }

    #[test]
    fn with_and_without_path() {
        let d = patched(
            json!([{ "op": "replace", "value": { "active": false, "name.givenName": "Janet" } }]),
        )
        .unwrap();
        assert_eq!(d["active"], json!(false));
        assert_eq!(d["name"]["givenName"], json!("Janet"));
        assert_eq!(d["name"]["familyName"], json!("Doe"));
        let d = patched(json!([{ "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "j@x.org" }])).unwrap();
        assert_eq!(d["emails"], json!([{ "value": "j@x.org" }]));
        let d = patched(json!([{ "op": "remove", "path": "title" }])).unwrap();
        assert!(d.get("title").is_none());
        let d = patched(json!([{ "op": "add", "path": format!("{ENTERPRISE_USER}:department"), "value": "Sales" }])).unwrap();
        assert_eq!(d[ENTERPRISE_USER]["department"], json!("Sales"));
        let d = patched(
            json!([{ "op": "add", "value": { ENTERPRISE_USER: { "employeeNumber": "9" } } }]),
        )
        .unwrap();
        assert_eq!(d[ENTERPRISE_USER]["employeeNumber"], json!("9"));
        // Read-only and unkept attributes are left alone.
        let d = patched(
            json!([{ "op": "replace", "value": { "displayName": "X", "phoneNumbers": [] } }]),
        )
        .unwrap();
        assert_eq!(d, user());
    }

    #[test]
    fn malformed_operations_are_refused_with_their_type() {
        let e = patched(json!([{ "op": "remove" }])).unwrap_err();
        assert_eq!(e.scim_type, Some("noTarget"));
        let e = patched(json!([{ "op": "move", "path": "title" }])).unwrap_err();
        assert_eq!(e.scim_type, Some("invalidSyntax"));
        let e =
            patched(json!([{ "op": "replace", "path": "userName.x", "value": "a" }])).unwrap_err();
        assert_eq!(e.scim_type, Some("invalidPath"));
        let e = patched(json!([{ "op": "replace", "path": "title" }])).unwrap_err();
        assert_eq!(e.scim_type, Some("invalidValue"));
    }
}
