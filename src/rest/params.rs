//! Request parameters as the portal's clients send them: a query string and a JSON,
//! form-urlencoded or multipart body, with PHP bracket keys (`FILTER[ACTIVE]=Y`,
//! `select[]=ID`, `a[b][c]=v`) turned into nested values.

use serde_json::{Map, Value};

/// Deepest bracket nesting accepted (`a[b][c]…`).
pub const MAX_DEPTH: usize = 8;
/// Longest parameter name accepted, in bytes.
pub const MAX_KEY_LEN: usize = 512;
/// Most parameters accepted in one request.
pub const MAX_PARAMS: usize = 2000;

/// Why the parameters could not be read: always a 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError(pub String);

type Result<T> = std::result::Result<T, ParamError>;

fn bad(msg: impl Into<String>) -> ParamError {
    ParamError(msg.into())
}

/// Decode `%XX` and `+` in one component of a urlencoded string.
pub fn percent_decode(s: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad("a parameter is not valid UTF-8"))
}

/// Split `FILTER[ID][]` into `["FILTER", "ID", ""]`; `""` means "append".
pub fn split_key(key: &str) -> Result<Vec<String>> {
    if key.len() > MAX_KEY_LEN {
        return Err(bad(format!(
            "a parameter name is longer than {MAX_KEY_LEN} bytes"
        )));
    }
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if head.is_empty() {
        return Err(bad(format!("parameter \"{}\" has no name", key)));
    }
    let mut parts = vec![head.to_string()];
    while !rest.is_empty() {
        if !rest.starts_with('[') {
            // PHP ignores what follows a malformed bracket; so do we.
            break;
        }
        let Some(end) = rest.find(']') else { break };
        parts.push(rest[1..end].to_string());
        rest = &rest[end + 1..];
        if parts.len() > MAX_DEPTH + 1 {
            return Err(bad(format!(
                "parameter \"{}\" is nested deeper than {MAX_DEPTH} levels",
                fit(key)
            )));
        }
    }
    Ok(parts)
}

fn fit(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Put `value` at `path` inside `root`, creating objects and arrays on the way.
pub fn insert(root: &mut Map<String, Value>, path: &[String], value: Value) -> Result<()> {
    let (first, rest) = path
        .split_first()
        .ok_or_else(|| bad("empty parameter name"))?;
    if rest.is_empty() {
        root.insert(first.clone(), value);
        return Ok(());
    }
    let slot = root.entry(first.clone()).or_insert(Value::Null);
    insert_into(slot, rest, value)
}

fn insert_into(slot: &mut Value, path: &[String], value: Value) -> Result<()> {
    let (key, rest) = path
        .split_first()
        .ok_or_else(|| bad("empty parameter name"))?;
    if key.is_empty() {
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        let arr = slot.as_array_mut().ok_or_else(|| bad("internal"))?;
        if rest.is_empty() {
            arr.push(value);
        } else {
            arr.push(Value::Null);
            let last = arr.last_mut().ok_or_else(|| bad("internal"))?;
            insert_into(last, rest, value)?;
        }
        return Ok(());
    }
    if !slot.is_object() {
        // `a[]=1&a[x]=2`: PHP turns the list into a map; keep what was there under its index.
        let old = std::mem::take(slot);
        let mut map = Map::new();
        if let Value::Array(items) = old {
            for (i, v) in items.into_iter().enumerate() {
                map.insert(i.to_string(), v);
            }
        }
        *slot = Value::Object(map);
    }
    let map = slot.as_object_mut().ok_or_else(|| bad("internal"))?;
    if rest.is_empty() {
        map.insert(key.clone(), value);
        Ok(())
    } else {
        let child = map.entry(key.clone()).or_insert(Value::Null);
        insert_into(child, rest, value)
    }
}

/// Parse `a=1&b[c]=2` into nested values, adding to `into`.
pub fn parse_urlencoded(s: &str, into: &mut Map<String, Value>) -> Result<()> {
    let mut count = 0;
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        count += 1;
        if count > MAX_PARAMS {
            return Err(bad(format!("more than {MAX_PARAMS} parameters")));
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(k)?;
        let value = percent_decode(v)?;
        let path = split_key(&key)?;
        insert(into, &path, Value::String(value))?;
    }
    Ok(())
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Parse a JSON body: an object (or nothing).
pub fn parse_json(body: &[u8], into: &mut Map<String, Value>) -> Result<()> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(());
    }
    let text = std::str::from_utf8(body).map_err(|_| bad("the body is not valid UTF-8"))?;
    let v: Value =
        serde_json::from_str(text).map_err(|e| bad(format!("the body is not valid JSON: {e}")))?;
    if depth(&v) > MAX_DEPTH + 1 {
        return Err(bad(format!(
            "the body is nested deeper than {MAX_DEPTH} levels"
        )));
    }
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k.is_empty() {
                    return Err(bad("a parameter in the JSON body has no name"));
                }
                into.insert(k, v);
            }
            Ok(())
        }
        Value::Null => Ok(()),
        _ => Err(bad("the JSON body must be an object")),
    }
}

/// Parse a `multipart/form-data` body (text fields; file parts are refused).
pub fn parse_multipart(body: &[u8], boundary: &str, into: &mut Map<String, Value>) -> Result<()> {
    let delim = format!("--{boundary}");
    let text =
        std::str::from_utf8(body).map_err(|_| bad("the multipart body is not valid UTF-8"))?;
    let mut count = 0;
    for part in text.split(delim.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            return Err(bad("a multipart part has no headers"));
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .ok_or_else(|| bad("a multipart part has no Content-Disposition"))?;
        if disposition.contains("filename=") {
            return Err(bad("file uploads are not accepted"));
        }
        let name = disposition
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("name="))
            .map(|n| n.trim_matches('"').to_string())
            .ok_or_else(|| bad("a multipart part has no name"))?;
        count += 1;
        if count > MAX_PARAMS {
            return Err(bad(format!("more than {MAX_PARAMS} parameters")));
        }
        insert(into, &split_key(&name)?, Value::String(value.to_string()))?;
    }
    Ok(())
}

/// How many parameters `v` holds: one for a plain value, and for a list or an object
/// (a JSON body's `[1, 2, …]` as much as `ID[]=1&ID[]=2`) the values inside it, so
/// that `MAX_PARAMS` bounds what a request can ask for however it is written.
pub fn count_values(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.iter().map(count_values).sum::<usize>().max(1),
        Value::Object(o) => o.values().map(count_values).sum::<usize>().max(1),
        _ => 1,
    }
}

fn check_count(params: &Map<String, Value>) -> Result<()> {
    let n: usize = params.values().map(count_values).sum();
    if n > MAX_PARAMS {
        return Err(bad(format!(
            "more than {MAX_PARAMS} parameters ({n}; each item of a list counts as one)"
        )));
    }
    Ok(())
}

/// Query string and body together; the body wins on a clash.
pub fn parse_request(
    query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Map<String, Value>> {
    let mut params = Map::new();
    if let Some(q) = query {
        parse_urlencoded(q, &mut params)?;
    }
    if body.is_empty() {
        return Ok(params);
    }
    let params = parse_body(params, content_type, body)?;
    check_count(&params)?;
    Ok(params)
}

fn parse_body(
    mut params: Map<String, Value>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Map<String, Value>> {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if ct.starts_with("application/json") {
        parse_json(body, &mut params)?;
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        let text = std::str::from_utf8(body).map_err(|_| bad("the body is not valid UTF-8"))?;
        parse_urlencoded(text, &mut params)?;
    } else if ct.starts_with("multipart/form-data") {
        let boundary = content_type
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("boundary="))
            .map(|b| b.trim_matches('"').to_string())
            .ok_or_else(|| bad("multipart/form-data without a boundary"))?;
        parse_multipart(body, &boundary, &mut params)?;
    } else if ct.is_empty() {
        // No content type: JSON if it looks like it, else a form.
        let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if first == Some(b'{') {
            parse_json(body, &mut params)?;
        } else {
            let text = std::str::from_utf8(body).map_err(|_| bad("the body is not valid UTF-8"))?;
            parse_urlencoded(text, &mut params)?;
        }
    } else {
        return Err(bad(format!(
            "content type \"{}\" is not accepted: send JSON, form-urlencoded or multipart/form-data",
            fit(&ct)
        )));
    }
    Ok(params)
}

/// `map[key]`, with the key compared case-insensitively.
pub fn get_ci<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// The portal's booleans: `true`, `"true"`, `"True"`, `"Y"`, `1` and their opposites.
pub fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "y" | "yes" | "1" => Some(true),
            "false" | "n" | "no" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A number given as a JSON number or a string.
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value or a list of values (arrays, or objects with index keys, as PHP makes them).
pub fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => o.values().collect(),
        other => vec![other],
    }
}

pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn brackets_nest() {
        let p = parse_request(
            Some("FILTER[ACTIVE]=true&select[]=ID&select[]=NAME&a[b][c]=v"),
            None,
            b"",
        )
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"FILTER": {"ACTIVE": "true"}, "select": ["ID", "NAME"], "a": {"b": {"c": "v"}}})
        );
    }

    #[test]
    fn body_wins_and_json_parses() {
        let p = parse_request(
            Some("start=0"),
            Some("application/json"),
            br#"{"start": 50, "filter": {"ID": 3}}"#,
        )
        .unwrap();
        assert_eq!(p["start"], json!(50));
        assert_eq!(p["filter"]["ID"], json!(3));
    }

    #[test]
    fn multipart_fields() {
        let body =
            "--XX\r\nContent-Disposition: form-data; name=\"FILTER[ID]\"\r\n\r\n7\r\n--XX--\r\n";
        let p = parse_request(
            None,
            Some("multipart/form-data; boundary=XX"),
            body.as_bytes(),
        )
        .unwrap();
        assert_eq!(p["FILTER"]["ID"], json!("7"));
    }

    #[test]
    fn limits_and_bad_input() {
        let deep = format!("a{}=1", "[x]".repeat(20));
        assert!(parse_request(Some(&deep), None, b"").is_err());
        assert!(parse_request(Some("a=%FF"), None, b"").is_err());
        assert!(parse_request(None, Some("text/plain"), b"hello").is_err());
        assert!(parse_request(None, Some("application/json"), b"[1]").is_err());
        assert!(parse_request(None, Some("application/json"), b"{").is_err());
    }

    #[test]
    fn json_list_items_count_against_the_limit() {
        let list = |n: usize| {
            let ids: Vec<usize> = (0..n).collect();
            serde_json::to_vec(&json!({ "FILTER": { "ID": ids } })).unwrap()
        };
        assert!(parse_request(None, Some("application/json"), &list(MAX_PARAMS)).is_ok());
        let e = parse_request(None, Some("application/json"), &list(MAX_PARAMS + 1)).unwrap_err();
        assert!(e.0.contains("2000"), "{}", e.0);
        // With the query string's parameters counted in.
        let e =
            parse_request(Some("a=1"), Some("application/json"), &list(MAX_PARAMS)).unwrap_err();
        assert!(e.0.contains("2000"), "{}", e.0);
        assert_eq!(
            count_values(&json!({"a": [1, 2, {"b": [3, 4]}], "c": []})),
            5
        );
    }

    #[test]
    fn truthiness() {
        for t in [
            json!(true),
            json!("true"),
            json!("True"),
            json!("Y"),
            json!(1),
        ] {
            assert_eq!(truthy(&t), Some(true), "{t}");
        }
        for f in [json!(false), json!("false"), json!("N"), json!(0)] {
            assert_eq!(truthy(&f), Some(false), "{f}");
        }
    }
}
