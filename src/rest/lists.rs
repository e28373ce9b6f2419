//! What the list methods share: the portal's filter keys (`>ID`, `!@UF_DEPARTMENT`,
//! `%NAME` …) turned into conditions, `start` (a row number, or -1 for the uncounted
//! fast mode), and the references a batch command makes to an earlier command's answer
//! (`$result[req_0][49][ID]`), which is how clients page through a list by its last ID
//! inside one batch.
//!
//! A filter key offboard cannot honour is refused with 400 naming it: a filter that is
//! silently ignored returns the wrong rows, and a client paging by `>ID` would never
//! see the end of the list.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::methods::ApiError;
use super::params::{as_int, as_list, as_text, get_ci};
use super::payload::Section;
use crate::directory::{Condition, FilterOp, FilterValue, PageStart};

/// How a field's filter values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Text,
}

/// A field a list method filters on, by the portal's name.
pub struct Field<F> {
    pub name: &'static str,
    pub kind: Kind,
    pub field: F,
}

/// The portal's prefixes, longest first so that `!=%` is not read as `!`.
const PREFIXES: &[(&str, FilterOp)] = &[
    ("!=%", FilterOp::NotLike),
    ("!%=", FilterOp::NotLike),
    (">=", FilterOp::Ge),
    ("<=", FilterOp::Le),
    ("!=", FilterOp::NotEq),
    ("!@", FilterOp::NotEq),
    ("!%", FilterOp::NotContains),
    ("=%", FilterOp::Like),
    ("%=", FilterOp::Like),
    (">", FilterOp::Gt),
    ("<", FilterOp::Lt),
    ("=", FilterOp::Eq),
    ("!", FilterOp::NotEq),
    ("@", FilterOp::Eq),
    ("%", FilterOp::Contains),
];

const OPERATORS: &str = "= ! != > >= < <= @ !@ % !% =% %= !=% !%=";

/// A filter key split into its operator and its field name (upper case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub op: FilterOp,
    pub field: String,
}

/// Read `!=%NAME` as (`NotLike`, `NAME`); a prefix the portal does not document, or
/// offboard does not support (`><`, `?`, `*` …), is refused naming the key.
pub fn split_key(key: &str) -> Result<Key, ApiError> {
    let (op, rest) = PREFIXES
        .iter()
        .find_map(|(p, op)| key.strip_prefix(p).map(|rest| (*op, rest)))
        .unwrap_or((FilterOp::Eq, key));
    let name_ok = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !name_ok {
        let operator: String = key
            .chars()
            .take_while(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
            .collect();
        return Err(if operator.is_empty() || rest.is_empty() {
            ApiError::bad(format!(
                "filter key \"{}\" is not a field name with an optional operator ({OPERATORS})",
                shown(key)
            ))
        } else {
            ApiError::bad(format!(
                "filter key \"{}\": the operator \"{}\" is not supported; use one of {OPERATORS}",
                shown(key),
                shown(&operator)
            ))
        });
    }
    Ok(Key {
        op,
        field: rest.to_ascii_uppercase(),
    })
}

/// A key as the client sent it, cut so an error stays readable.
fn shown(s: &str) -> String {
    s.chars().take(60).collect()
}

/// The values of a filter: one, or a list (`@ID`, `ID[]=1&ID[]=2`). Empty strings and
/// nulls are no value at all (see `Condition`).
fn values(key: &str, field: &str, kind: Kind, v: &Value) -> Result<Vec<FilterValue>, ApiError> {
    let mut out = Vec::new();
    for item in as_list(v) {
        match item {
            Value::Null => continue,
            Value::String(s) if s.trim().is_empty() => continue,
            Value::Array(_) | Value::Object(_) => {
                return Err(ApiError::bad(format!(
                    "filter \"{}\" takes a value or a list of values, not nested lists",
                    shown(key)
                )));
            }
            _ => {}
        }
        out.push(match kind {
            Kind::Number => FilterValue::Int(as_int(item).ok_or_else(|| {
                ApiError::bad(format!(
                    "filter \"{}\": {field} must be a number or a list of numbers",
                    shown(key)
                ))
            })?),
            Kind::Text => FilterValue::Text(as_text(item).unwrap_or_default()),
        });
    }
    Ok(out)
}

/// One filter key and its value as a condition on one of `fields`.
pub fn condition<F: Copy>(
    method: &str,
    key: &str,
    parsed: &Key,
    value: &Value,
    fields: &[Field<F>],
) -> Result<Condition<F>, ApiError> {
    let Some(spec) = fields.iter().find(|f| f.name == parsed.field) else {
        return Err(unknown_field(method, key, fields.iter().map(|f| f.name)));
    };
    let vals = values(key, spec.name, spec.kind, value)?;
    let text_only = matches!(
        parsed.op,
        FilterOp::Contains | FilterOp::NotContains | FilterOp::Like | FilterOp::NotLike
    );
    if text_only && spec.kind != Kind::Text {
        return Err(ApiError::bad(format!(
            "filter \"{}\": {} is a number; % and LIKE apply to text fields",
            shown(key),
            spec.name
        )));
    }
    let single = text_only
        || matches!(
            parsed.op,
            FilterOp::Gt | FilterOp::Ge | FilterOp::Lt | FilterOp::Le
        );
    if single && vals.len() > 1 {
        return Err(ApiError::bad(format!(
            "filter \"{}\" compares with one value, not a list",
            shown(key)
        )));
    }
    Ok(Condition {
        field: spec.field,
        op: parsed.op,
        values: vals,
    })
}

/// The 400 for a filter on a field a method does not filter on.
pub fn unknown_field<'a>(
    method: &str,
    key: &str,
    supported: impl IntoIterator<Item = &'a str>,
) -> ApiError {
    let names: Vec<&str> = supported.into_iter().collect();
    ApiError::bad(format!(
        "{method} cannot filter by \"{}\": it filters by {}",
        shown(key),
        names.join(", ")
    ))
}

/// The 400 for an operator a field takes only as equality (ACTIVE, USER_TYPE …).
pub fn equality_only(key: &str, field: &str) -> ApiError {
    ApiError::bad(format!(
        "filter \"{}\": {field} takes only = (or no operator)",
        shown(key)
    ))
}

/// The filter's keys and values: those inside `filter` (any case), and for methods
/// that take them at the top level too (`user.get`), the top-level parameters that
/// name one of `fields` or start with an operator. Other top-level parameters are the
/// method's own or a client's housekeeping (fast-bitrix24 sends `__order`), not a filter.
pub fn filter_entries(
    params: &Map<String, Value>,
    top_level: Option<&[&str]>,
) -> Result<Vec<(String, Value)>, ApiError> {
    let mut out = Vec::new();
    if let Some(fields) = top_level {
        for (k, v) in params {
            let operator = k.starts_with(|c: char| "<>=!%@?*~".contains(c));
            let named = fields.iter().any(|f| f.eq_ignore_ascii_case(k));
            if operator || named {
                out.push((k.clone(), v.clone()));
            }
        }
    }
    match get_ci(params, "filter") {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) => out.extend(o.iter().map(|(k, v)| (k.clone(), v.clone()))),
        Some(Value::Array(a)) if a.is_empty() => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(_) => {
            return Err(ApiError::bad(
                "FILTER must be an object like {\">ID\": 100}",
            ));
        }
    }
    Ok(out)
}

/// `start`: a row number (the total is counted), or -1, the portal's documented fast
/// mode for large lists (no total, no `next`: the client continues by ID).
pub fn start_of(params: &Map<String, Value>) -> Result<PageStart, ApiError> {
    match get_ci(params, "start") {
        None | Some(Value::Null) => Ok(PageStart::Offset(0)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(PageStart::Offset(0)),
        Some(v) => match as_int(v) {
            Some(-1) => Ok(PageStart::Uncounted),
            Some(n) if n >= 0 => Ok(PageStart::Offset(n)),
            Some(_) => Err(ApiError::bad(
                "start must not be negative, but for -1 (pages without a total)",
            )),
            None => Err(ApiError::bad("start must be a number")),
        },
    }
}

/// Replace the references a batch command makes to earlier answers
/// (`$result[req_0][49][ID]`, `$total[users]`, `$next[users]`) by what those answers
/// hold. A reference to something that is not there (the page before held fewer than
/// 50 rows) becomes an empty value, which as a bound matches no row: the client's next
/// page is empty, and its walk ends.
pub fn resolve_references(params: &mut Map<String, Value>, sections: &[(&str, &dyn Section)]) {
    for v in params.values_mut() {
        resolve_value(v, sections);
    }
}

fn resolve_value(v: &mut Value, sections: &[(&str, &dyn Section)]) {
    match v {
        Value::String(s) if s.contains('$') => *v = substitute(s, sections),
        Value::Array(items) => items.iter_mut().for_each(|i| resolve_value(i, sections)),
        Value::Object(map) => map.values_mut().for_each(|i| resolve_value(i, sections)),
        _ => {}
    }
}

/// One reference at the start of `s`: what it points to (None when nothing is there)
/// and how many bytes it spans.
fn reference<'a>(
    s: &str,
    sections: &[(&str, &'a dyn Section)],
) -> Option<(Option<Cow<'a, Value>>, usize)> {
    let after = s.strip_prefix('$')?;
    let (name, section) = sections.iter().find(|(name, _)| {
        after
            .get(..name.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(name))
            && after[name.len()..].starts_with('[')
    })?;
    let mut rest = &after[name.len()..];
    let mut segments = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let end = inner.find(']')?;
        segments.push(&inner[..end]);
        rest = &inner[end + 1..];
    }
    let (first, path) = segments.split_first()?;
    Some((section.lookup(first, path), s.len() - rest.len()))
}

fn substitute(s: &str, sections: &[(&str, &dyn Section)]) -> Value {
    // A value that is one reference to a list or an object takes it whole.
    if let Some((Some(found), len)) = reference(s, sections)
        && len == s.len()
        && (found.is_array() || found.is_object())
    {
        return found.into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        match reference(&rest[at..], sections) {
            Some((found, len)) => {
                match found.as_deref() {
                    Some(Value::String(t)) => out.push_str(t),
                    Some(Value::Number(n)) => out.push_str(&n.to_string()),
                    Some(Value::Bool(b)) => out.push_str(if *b { "1" } else { "0" }),
                    _ => {}
                }
                rest = &rest[at + len..];
            }
            None => {
                out.push('$');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    Value::String(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prefixes_split_longest_first() {
        let k = |s| split_key(s).map(|k| (k.op, k.field));
        assert_eq!(k(">ID"), Ok((FilterOp::Gt, "ID".into())));
        assert_eq!(k(">=id"), Ok((FilterOp::Ge, "ID".into())));
        assert_eq!(k("!=%NAME"), Ok((FilterOp::NotLike, "NAME".into())));
        assert_eq!(k("!@ID"), Ok((FilterOp::NotEq, "ID".into())));
        assert_eq!(k("=%EMAIL"), Ok((FilterOp::Like, "EMAIL".into())));
        assert_eq!(k("NAME"), Ok((FilterOp::Eq, "NAME".into())));
        for bad in ["><ID", "?NAME", ">>ID", "*ID", ">", "", "NA ME"] {
            let e = split_key(bad).expect_err(bad);
            assert_eq!(e.status, 400);
            assert!(e.description.contains(bad), "{bad}: {}", e.description);
        }
    }

    #[test]
    fn references_resolve_into_values() {
        let mut results = Map::new();
        results.insert("req_0".into(), json!([{"ID": "7"}, {"ID": "9"}]));
        let totals = Map::new();
        let sections: [(&str, &dyn Section); 2] = [("result", &results), ("total", &totals)];
        let mut p = Map::new();
        p.insert("filter".into(), json!({">ID": "$result[req_0][1][ID]"}));
        p.insert("a".into(), json!("x$result[req_0][5][ID]y"));
        p.insert("b".into(), json!("$result[req_0]"));
        p.insert("c".into(), json!("$5 and $other[x]"));
        resolve_references(&mut p, &sections);
        assert_eq!(p["filter"][">ID"], json!("9"));
        assert_eq!(p["a"], json!("xy"));
        assert_eq!(p["b"], json!([{"ID": "7"}, {"ID": "9"}]));
        assert_eq!(p["c"], json!("$5 and $other[x]"));
    }

    #[test]
    fn start_minus_one_is_uncounted() {
        let mut p = Map::new();
        p.insert("start".into(), json!("-1"));
        assert_eq!(start_of(&p), Ok(PageStart::Uncounted));
        p.insert("start".into(), json!(90000));
        assert_eq!(start_of(&p), Ok(PageStart::Offset(90000)));
        p.insert("start".into(), json!(-2));
        assert!(start_of(&p).is_err());
    }
}
