//! SCIM's JSON: a User as offboard answers it, a body read into `ScimFields`, the
//! partial representations `attributes`/`excludedAttributes` ask for, and the
//! discovery documents (`ServiceProviderConfig`, `ResourceTypes`, `Schemas`), which
//! advertise exactly what is implemented.

use serde_json::{Map, Value, json};

use super::ScimError;
use crate::domain::scim::{ScimFields, ScimUser};
use crate::domain::timestamp;

pub const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const SPC: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// The most users one page holds; a larger `count` is cut to it.
pub const MAX_RESULTS: i64 = 200;
/// A page's size when the client gives no `count`.
pub const DEFAULT_COUNT: i64 = 100;

/// A user as SCIM answers it. Attributes with no value are left out.
pub fn user_json(u: &ScimUser, base: &str) -> Value {
    let mut o = Map::new();
    let mut schemas = vec![json!(CORE_USER)];
    o.insert("id".into(), json!(u.id.to_string()));
    if let Some(x) = &u.external_id {
        o.insert("externalId".into(), json!(x));
    }
    o.insert("userName".into(), json!(u.user_name));
    o.insert(
        "name".into(),
        json!({ "givenName": u.first_name, "familyName": u.last_name }),
    );
    o.insert("displayName".into(), json!(u.display_name()));
    if !u.position.is_empty() {
        o.insert("title".into(), json!(u.position));
    }
    o.insert("emails".into(), json!([{ "value": u.email }]));
    o.insert("active".into(), json!(u.active));
    let mut ext = Map::new();
    if !u.employee_number.is_empty() {
        ext.insert("employeeNumber".into(), json!(u.employee_number));
    }
    if let Some(d) = &u.department {
        ext.insert("department".into(), json!(d));
    }
    if let Some((id, name)) = &u.manager {
        ext.insert(
            "manager".into(),
            json!({ "value": id.to_string(), "$ref": format!("{base}/Users/{id}"), "displayName": name }),
        );
    }
    if !ext.is_empty() {
        schemas.push(json!(ENTERPRISE_USER));
        o.insert(ENTERPRISE_USER.into(), Value::Object(ext));
    }
    o.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": timestamp(u.created),
            "lastModified": timestamp(u.modified),
            "location": format!("{base}/Users/{}", u.id),
        }),
    );
    let mut out = Map::new();
    out.insert("schemas".into(), Value::Array(schemas));
    out.extend(o);
    Value::Object(out)
}

/// The value under `key`, whose name compares without case (RFC 7643 §2.1).
pub fn get_ci<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn text(o: &Map<String, Value>, key: &str, shown: &str) -> Result<Option<String>, ScimError> {
    match get_ci(o, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ScimError::invalid_value(format!(
            "{shown} must be a string"
        ))),
    }
}

/// `active` as a boolean; Microsoft Entra ID sends it as the string "True" or "False".
pub fn boolean(v: &Value, shown: &str) -> Result<bool, ScimError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::invalid_value(format!(
            "{shown} must be true or false"
        ))),
    }
}

/// A User body (a create, a PUT, or a PATCH's result) read into what offboard keeps.
/// Read-only attributes (`id`, `meta`, `displayName`, the manager) are ignored, as RFC
/// 7643 says; so are attributes offboard does not keep (phone numbers, addresses), which
/// identity providers send by default. An attribute offboard keeps, with a value of the
/// wrong type, is refused.
pub fn fields_from_json(body: &Value, active_default: bool) -> Result<ScimFields, ScimError> {
    let Value::Object(o) = body else {
        return Err(ScimError::invalid_syntax("the body must be a JSON object"));
    };
    let user_name = text(o, "userName", "userName")?.unwrap_or_default();
    let external_id = text(o, "externalId", "externalId")?;
    let (mut first, mut last) = (None, None);
    match get_ci(o, "name") {
        None | Some(Value::Null) => {}
        Some(Value::Object(n)) => {
            first = text(n, "givenName", "name.givenName")?;
            last = text(n, "familyName", "name.familyName")?;
        }
        Some(_) => return Err(ScimError::invalid_value("name must be an object")),
    }
    // A provider that sends only displayName: its first word and the rest.
    if (first.is_none() || last.is_none())
        && let Some(display) = text(o, "displayName", "displayName")?
        && let Some((f, l)) = display.trim().split_once(' ')
    {
        first.get_or_insert_with(|| f.trim().to_string());
        last.get_or_insert_with(|| l.trim().to_string());
    }
    let email = match get_ci(o, "emails") {
        None | Some(Value::Null) => String::new(),
        Some(Value::Array(list)) => {
            let chosen = list
                .iter()
                .find(|e| {
                    e.get("primary")
                        .is_some_and(|p| boolean(p, "primary").unwrap_or(false))
                })
                .or_else(|| list.first());
            match chosen {
                None => String::new(),
                Some(Value::Object(e)) => text(e, "value", "emails.value")?.unwrap_or_default(),
                Some(_) => {
                    return Err(ScimError::invalid_value("each of emails must be an object"));
                }
            }
        }
        Some(_) => return Err(ScimError::invalid_value("emails must be a list")),
    };
    let position = text(o, "title", "title")?.unwrap_or_default();
    let active = match get_ci(o, "active") {
        None | Some(Value::Null) => active_default,
        Some(v) => boolean(v, "active")?,
    };
    let (mut employee_number, mut department) = (String::new(), None);
    match get_ci(o, ENTERPRISE_USER) {
        None | Some(Value::Null) => {}
        Some(Value::Object(e)) => {
            employee_number = text(e, "employeeNumber", "employeeNumber")?.unwrap_or_default();
            department = text(e, "department", "department")?.filter(|d| !d.trim().is_empty());
        }
        Some(_) => {
            return Err(ScimError::invalid_value(format!(
                "{ENTERPRISE_USER} must be an object"
            )));
        }
    }
    Ok(ScimFields {
        user_name,
        external_id,
        first_name: first.unwrap_or_default(),
        last_name: last.unwrap_or_default(),
        email,
        position,
        department,
        employee_number,
        active,
    })
}

/// One name of `attributes` or `excludedAttributes`: the attribute (or the extension's
/// URN) and a sub-attribute.
fn split_attribute(path: &str) -> (String, Option<String>) {
    let path = path.trim();
    let lower = path.to_ascii_lowercase();
    let ext = ENTERPRISE_USER.to_ascii_lowercase();
    let core = CORE_USER.to_ascii_lowercase();
    if lower == ext {
        return (ENTERPRISE_USER.into(), None);
    }
    if let Some(rest) = lower.strip_prefix(&format!("{ext}:")) {
        return (ENTERPRISE_USER.into(), Some(rest.to_string()));
    }
    let rest = lower.strip_prefix(&format!("{core}:")).unwrap_or(&lower);
    match rest.split_once('.') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (rest.to_string(), None),
    }
}

/// Keep only `attributes` (and what is always returned: `id`, `schemas`), or drop
/// `excluded`.
pub fn project(user: Value, attributes: &[String], excluded: &[String]) -> Value {
    let Value::Object(o) = user else {
        return user;
    };
    let always = |k: &str| k == "id" || k == "schemas";
    if !attributes.is_empty() {
        let wanted: Vec<(String, Option<String>)> =
            attributes.iter().map(|a| split_attribute(a)).collect();
        let mut out = Map::new();
        for (k, v) in o {
            if always(&k) {
                out.insert(k, v);
                continue;
            }
            let kl = k.to_ascii_lowercase();
            let subs: Vec<&Option<String>> = wanted
                .iter()
                .filter(|(a, _)| a.eq_ignore_ascii_case(&kl))
                .map(|(_, s)| s)
                .collect();
            if subs.is_empty() {
                continue;
            }
            if subs.iter().any(|s| s.is_none()) {
                out.insert(k, v);
                continue;
            }
            let keep = |m: Map<String, Value>| -> Map<String, Value> {
                m.into_iter()
                    .filter(|(sk, _)| {
                        subs.iter()
                            .any(|s| s.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(sk)))
                    })
                    .collect()
            };
            match v {
                Value::Object(m) => {
                    out.insert(k, Value::Object(keep(m)));
                }
                Value::Array(items) => {
                    let items = items
                        .into_iter()
                        .map(|i| match i {
                            Value::Object(m) => Value::Object(keep(m)),
                            other => other,
                        })
                        .collect();
                    out.insert(k, Value::Array(items));
                }
                other => {
                    out.insert(k, other);
                }
            }
        }
        return Value::Object(out);
    }
    let mut o = o;
    for a in excluded {
        let (top, sub) = split_attribute(a);
        if always(&top) {
            continue;
        }
        let key = o.keys().find(|k| k.eq_ignore_ascii_case(&top)).cloned();
        let Some(key) = key else { continue };
        match sub {
            None => {
                o.remove(&key);
            }
            Some(sub) => match o.get_mut(&key) {
                Some(Value::Object(m)) => {
                    m.retain(|k, _| !k.eq_ignore_ascii_case(&sub));
                }
                Some(Value::Array(items)) => {
                    for i in items {
                        if let Value::Object(m) = i {
                            m.retain(|k, _| !k.eq_ignore_ascii_case(&sub));
                        }
                    }
                }
                _ => {}
            },
        }
    }
    Value::Object(o)
}

pub fn list_response(resources: Vec<Value>, total: i64, start_index: i64) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// What offboard implements, and nothing more: PATCH and filters, no bulk, no sort, no
/// ETags, no password changes; a bearer token per client.
pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [SPC],
        "patch": { "supported": true },
        "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
        "filter": { "supported": true, "maxResults": MAX_RESULTS },
        "changePassword": { "supported": false },
        "sort": { "supported": false },
        "etag": { "supported": false },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token made by an administrator with `offboard scim token create --name NAME`, sent as `Authorization: Bearer TOKEN`",
            "primary": true,
        }],
        "meta": { "resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig") },
    })
}

pub fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": [RESOURCE_TYPE],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "Employees of the company",
        "schema": CORE_USER,
        "schemaExtensions": [{ "schema": ENTERPRISE_USER, "required": false }],
        "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") },
    })
}

struct Attr {
    name: &'static str,
    kind: &'static str,
    multi: bool,
    required: bool,
    mutability: &'static str,
    unique: bool,
    sub: Vec<Attr>,
    references: &'static [&'static str],
}

fn attr(name: &'static str, kind: &'static str, required: bool, mutability: &'static str) -> Attr {
    Attr {
        name,
        kind,
        multi: false,
        required,
        mutability,
        unique: false,
        sub: Vec::new(),
        references: &[],
    }
}

impl Attr {
    fn json(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "type": self.kind,
            "multiValued": self.multi,
            "required": self.required,
            "caseExact": false,
            "mutability": self.mutability,
            "returned": "default",
            "uniqueness": if self.unique { "server" } else { "none" },
        });
        if !self.sub.is_empty() {
            v["subAttributes"] = Value::Array(self.sub.iter().map(Attr::json).collect());
        }
        if !self.references.is_empty() {
            v["referenceTypes"] = json!(self.references);
        }
        v
    }
}

/// The core User schema, as far as offboard keeps it: one e-mail address, the names an
/// employee has, the position as `title`; `active` is the employee's status.
pub fn user_schema(base: &str) -> Value {
    let mut user_name = attr("userName", "string", true, "readWrite");
    user_name.unique = true;
    let mut name = attr("name", "complex", true, "readWrite");
    name.sub = vec![
        attr("givenName", "string", true, "readWrite"),
        attr("familyName", "string", true, "readWrite"),
    ];
    let mut emails = attr("emails", "complex", true, "readWrite");
    emails.multi = true;
    emails.sub = vec![attr("value", "string", true, "readWrite")];
    let attributes = [
        user_name,
        name,
        attr("displayName", "string", false, "readOnly"),
        attr("title", "string", false, "readWrite"),
        emails,
        attr("active", "boolean", true, "readWrite"),
    ];
    json!({
        "schemas": [SCHEMA],
        "id": CORE_USER,
        "name": "User",
        "description": "An employee",
        "attributes": attributes.iter().map(Attr::json).collect::<Vec<_>>(),
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{CORE_USER}") },
    })
}

/// The enterprise extension: employeeNumber, the department (by name) and the manager,
/// who is the head of the employee's department and so is read-only here.
pub fn enterprise_schema(base: &str) -> Value {
    let mut manager = attr("manager", "complex", false, "readOnly");
    let mut reference = attr("$ref", "reference", false, "readOnly");
    reference.references = &["User"];
    manager.sub = vec![
        attr("value", "string", false, "readOnly"),
        reference,
        attr("displayName", "string", false, "readOnly"),
    ];
    let attributes = [
        attr("employeeNumber", "string", false, "readWrite"),
        attr("department", "string", false, "readWrite"),
        manager,
    ];
    json!({
        "schemas": [SCHEMA],
        "id": ENTERPRISE_USER,
        "name": "EnterpriseUser",
        "description": "Enterprise User",
        "attributes": attributes.iter().map(Attr::json).collect::<Vec<_>>(),
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{ENTERPRISE_USER}") },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_read_what_offboard_keeps() {
        let body = json!({
            "schemas": [CORE_USER, ENTERPRISE_USER],
            "UserName": "Jane.Doe@example.com",
            "name": { "givenName": "Jane", "familyName": "Doe" },
            "emails": [{ "value": "other@example.com" }, { "value": "jane@example.com", "primary": true }],
            "phoneNumbers": [{ "value": "+1 555" }],
            "active": "False",
            ENTERPRISE_USER: { "department": "Sales", "employeeNumber": "701" },
        });
        let f = fields_from_json(&body, true).unwrap();
        assert_eq!(f.user_name, "Jane.Doe@example.com");
        assert_eq!(f.email, "jane@example.com");
        assert_eq!(f.department.as_deref(), Some("Sales"));
        assert_eq!(f.employee_number, "701");
        assert!(!f.active);
        assert!(fields_from_json(&json!({ "active": 3 }), true).is_err());
        let shown = fields_from_json(&json!({ "displayName": "Mia van Dam" }), true).unwrap();
        assert_eq!(
            (shown.first_name.as_str(), shown.last_name.as_str()),
            ("Mia", "van Dam")
        );
    }

    #[test]
    fn partial_representations() {
        let user = json!({ "schemas": [CORE_USER], "id": "1", "userName": "a", "title": "t",
            "name": { "givenName": "A", "familyName": "B" } });
        let only = project(user.clone(), &["name.givenName".into()], &[]);
        assert_eq!(
            only,
            json!({ "schemas": [CORE_USER], "id": "1", "name": { "givenName": "A" } })
        );
        let without = project(user, &[], &["title".into(), "id".into()]);
        assert!(without.get("title").is_none() && without.get("id").is_some());
    }
}
