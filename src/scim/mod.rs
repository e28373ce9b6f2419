//! The SCIM 2.0 endpoint of `offboard serve` (RFC 7643/7644), under `/scim/v2/`:
//! `ServiceProviderConfig`, `ResourceTypes`, `Schemas` and `Users` with the enterprise
//! extension. Each request carries a client's bearer token (`offboard scim token
//! create`), acts as the administrator who made it through the door `Door::Scim`, and
//! changes nothing but through the directory's operations, so the rules, validation and
//! audit are the command line's. Errors are SCIM error documents with `scimType`.

pub mod filter;
pub mod patch;
pub mod resource;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use crate::Directory;
use crate::domain::text::escape_bounded;
use crate::domain::{Actor, Denial, Door, EmployeeId, Error, Missing};
use crate::logging::LOGGED_INPUT_CHARS;
use crate::rest::{BodyError, MAX_BODY, Pool, read_limited};
use resource::{CORE_USER, ENTERPRISE_USER};

/// Where the endpoint lives in `serve`.
pub const PREFIX: &str = "/scim/v2";

pub fn is_scim_path(path: &str) -> bool {
    path == PREFIX || path.starts_with("/scim/v2/")
}

/// A SCIM error (RFC 7644 §3.12): the HTTP status, the `scimType` where one fits, and
/// a sentence naming what was refused (for a rule, the rule).
#[derive(Debug, Clone, PartialEq)]
pub struct ScimError {
    pub status: u16,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub fn new(status: u16, scim_type: Option<&'static str>, detail: impl Into<String>) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::new(400, Some("invalidValue"), detail)
    }
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::new(400, Some("invalidSyntax"), detail)
    }
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::new(400, Some("invalidFilter"), detail)
    }
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::new(400, Some("invalidPath"), detail)
    }
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::new(400, Some("noTarget"), detail)
    }
    fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, None, detail)
    }

    fn response(&self) -> Response {
        let mut body = json!({
            "schemas": [resource::ERROR],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = json!(t);
        }
        let mut r = scim_json(self.status, &body);
        if self.status == 401 {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"offboard SCIM\""),
            );
        }
        r
    }
}

/// What the directory refused, as SCIM says it. A rule about the target (the last
/// administrator, a system user, oneself, the wrong state) is `400 mutability`: the
/// change does not fit the user's current state; a rule about the client's rights is
/// 403; a userName, externalId, login or e-mail taken is `409 uniqueness`.
impl From<Error> for ScimError {
    fn from(e: Error) -> Self {
        let detail = e.to_string();
        match &e {
            Error::Invalid(_) => Self::invalid_value(detail),
            Error::Duplicate(_) => Self::new(409, Some("uniqueness"), detail),
            Error::NotFound(Missing::EmployeeId(_)) => Self::not_found(detail),
            Error::NotFound(_) => Self::invalid_value(detail),
            Error::Denied(
                Denial::SelfDismissal { .. }
                | Denial::LastAdmin { .. }
                | Denial::SystemTarget { .. },
            )
            | Error::WrongState(_)
            | Error::ChoiceNeeded { .. } => Self::new(400, Some("mutability"), detail),
            Error::Denied(_) | Error::SettingOff(_) => Self::new(403, None, detail),
            Error::AccessRevoked(_) => Self::new(401, None, detail),
            Error::Busy(_) => Self::new(503, None, detail),
            _ => Self::new(500, None, detail),
        }
    }
}

fn scim_json(status: u16, body: &Value) -> Response {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/scim+json; charset=utf-8"),
    );
    r
}

/// One request, as the blocking part sees it.
struct Call {
    method: Method,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    token: Option<String>,
    body: Vec<u8>,
    /// `{scheme}://{host}/scim/v2`: where the answers say resources are.
    base: String,
}

type Answer = Result<(u16, Option<Value>, Option<String>), ScimError>;

fn query_pairs(query: Option<&str>) -> Result<Vec<(String, String)>, ScimError> {
    let Some(q) = query else {
        return Ok(Vec::new());
    };
    let uri: axum::http::Uri = format!("/?{q}")
        .parse()
        .map_err(|_| ScimError::invalid_syntax("the query string cannot be read"))?;
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|axum::extract::Query(v)| v)
        .map_err(|_| ScimError::invalid_syntax("the query string cannot be read"))
}

fn bearer(req: &Request) -> Option<String> {
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Answer one SCIM request.
pub async fn handle(pool: Arc<Pool>, scheme: &'static str, req: Request) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1")
        .to_string();
    let token = bearer(&req);
    let query = query_pairs(req.uri().query());
    let body = match read_limited(req.into_body()).await {
        Ok(b) => b.to_vec(),
        Err(e) => {
            let err = match e {
                BodyError::TooLarge => ScimError::new(
                    413,
                    None,
                    format!("the body is larger than {MAX_BODY} bytes"),
                ),
                BodyError::Unreadable => ScimError::invalid_syntax(
                    "the body could not be read: it is malformed or was cut short",
                ),
                BodyError::TooSlow => ScimError::new(408, None, "the body did not arrive in time"),
            };
            return err.response();
        }
    };
    let query = match query {
        Ok(q) => q,
        Err(e) => return e.response(),
    };
    let segments = path
        .strip_prefix(PREFIX)
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let call = Call {
        method: method.clone(),
        segments,
        query,
        token,
        body,
        base: format!("{scheme}://{host}{PREFIX}"),
    };
    let joined = tokio::task::spawn_blocking(move || {
        let mut client = None;
        let out = pool.with(|dir| answer(dir, &call, &mut client));
        let out = match out {
            Ok(a) => a,
            Err(e) => Err(ScimError::from(e)),
        };
        (out, client)
    })
    .await;
    let (answer, client) = match joined {
        Ok(r) => r,
        Err(_) => (Err(ScimError::new(500, None, "the request failed")), None),
    };
    let response = match answer {
        Ok((status, body, location)) => {
            let mut r = match body {
                Some(b) => scim_json(status, &b),
                None => {
                    let mut r = Response::new(Body::empty());
                    *r.status_mut() =
                        StatusCode::from_u16(status).unwrap_or(StatusCode::NO_CONTENT);
                    r
                }
            };
            if let Some(l) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                r.headers_mut().insert(header::LOCATION, l);
            }
            r
        }
        Err(e) => e.response(),
    };
    // The path is whatever the client sent: logged escaped and cut; never the token.
    tracing::info!(
        http = %escape_bounded(method.as_str(), LOGGED_INPUT_CHARS),
        path = %escape_bounded(&path, LOGGED_INPUT_CHARS),
        client = %client.as_deref().map(|c| escape_bounded(c, LOGGED_INPUT_CHARS)).unwrap_or_default(),
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "scim call"
    );
    response
}

/// Sign the token in, run the request through this connection's door set to the
/// client's, and put the door back for whoever uses the connection next.
fn answer(dir: &mut Directory, call: &Call, client: &mut Option<String>) -> Answer {
    let Some(token) = call.token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(ScimError::new(
            401,
            None,
            "a bearer token is required: Authorization: Bearer TOKEN (offboard scim token create)",
        ));
    };
    let Some((actor, door)) = dir.scim_sign_in(token)? else {
        return Err(ScimError::new(401, None, "the bearer token is not valid"));
    };
    if let Door::Scim { client: name, .. } = &door {
        *client = Some(name.clone());
    }
    let saved = dir.door().clone();
    dir.set_door(door);
    let out = route(dir, actor, call);
    dir.set_door(saved);
    out
}

fn not_allowed(method: &Method) -> ScimError {
    ScimError::new(
        405,
        None,
        format!(
            "HTTP {} is not accepted here",
            escape_bounded(method.as_str(), 20)
        ),
    )
}

fn only(method: &Method, allowed: &[Method]) -> Result<(), ScimError> {
    if allowed.contains(method) {
        Ok(())
    } else {
        Err(not_allowed(method))
    }
}

fn route(dir: &mut Directory, actor: Actor, call: &Call) -> Answer {
    let m = &call.method;
    let base = call.base.as_str();
    let segs: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let ok = |v: Value| Ok((200, Some(v), None));
    match segs.as_slice() {
        ["ServiceProviderConfig"] => {
            only(m, &[Method::GET])?;
            ok(resource::service_provider_config(base))
        }
        ["ResourceTypes"] => {
            only(m, &[Method::GET])?;
            ok(resource::list_response(
                vec![resource::user_resource_type(base)],
                1,
                1,
            ))
        }
        ["ResourceTypes", "User"] => {
            only(m, &[Method::GET])?;
            ok(resource::user_resource_type(base))
        }
        ["Schemas"] => {
            only(m, &[Method::GET])?;
            let all = vec![
                resource::user_schema(base),
                resource::enterprise_schema(base),
            ];
            ok(resource::list_response(all, 2, 1))
        }
        ["Schemas", id] if id.eq_ignore_ascii_case(CORE_USER) => {
            only(m, &[Method::GET])?;
            ok(resource::user_schema(base))
        }
        ["Schemas", id] if id.eq_ignore_ascii_case(ENTERPRISE_USER) => {
            only(m, &[Method::GET])?;
            ok(resource::enterprise_schema(base))
        }
        ["Users"] => match *m {
            Method::GET => list(dir, actor, call, &ListParams::from_query(&call.query)?),
            Method::POST => create(dir, actor, call),
            _ => Err(not_allowed(m)),
        },
        ["Users", ".search"] => {
            only(m, &[Method::POST])?;
            let body = json_body(&call.body)?;
            list(dir, actor, call, &ListParams::from_search(&body)?)
        }
        ["Users", id] => {
            let id = user_id(id)?;
            match *m {
                Method::GET => {
                    let u = dir.scim_user(actor, id)?;
                    let p = ListParams::from_query(&call.query)?;
                    ok(resource::project(
                        resource::user_json(&u, base),
                        &p.attributes,
                        &p.excluded,
                    ))
                }
                Method::PUT => {
                    let body = json_body(&call.body)?;
                    let u = dir.scim_modify(actor, id, |cur| {
                        resource::fields_from_json(&body, cur.active)
                    })?;
                    ok(resource::user_json(&u, base))
                }
                Method::PATCH => {
                    let body = json_body(&call.body)?;
                    let u = dir.scim_modify(actor, id, |cur| {
                        let mut doc = resource::user_json(cur, base);
                        if let Value::Object(o) = &mut doc {
                            // Read-only; kept out so that a removed name is not rebuilt from it.
                            o.remove("displayName");
                        }
                        patch::apply(&mut doc, &body)?;
                        resource::fields_from_json(&doc, cur.active)
                    })?;
                    ok(resource::user_json(&u, base))
                }
                Method::DELETE => {
                    dir.scim_delete(actor, id)?;
                    Ok((204, None, None))
                }
                _ => Err(not_allowed(m)),
            }
        }
        [".search"] => Err(ScimError::new(
            501,
            None,
            "searching every resource type at once is not implemented: POST /Users/.search",
        )),
        _ => Err(ScimError::not_found(format!(
            "no such SCIM endpoint: {}",
            escape_bounded(&call.segments.join("/"), 120)
        ))),
    }
}

fn user_id(id: &str) -> Result<EmployeeId, ScimError> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(EmployeeId)
        .ok_or_else(|| {
            ScimError::not_found(format!("no user with id \"{}\"", escape_bounded(id, 64)))
        })
}

fn json_body(body: &[u8]) -> Result<Value, ScimError> {
    if body.is_empty() {
        return Err(ScimError::invalid_syntax("the request needs a JSON body"));
    }
    serde_json::from_slice(body)
        .map_err(|e| ScimError::invalid_syntax(format!("the body is not JSON: {e}")))
}

/// `filter`, `startIndex`, `count`, `attributes`, `excludedAttributes`.
#[derive(Debug, Default)]
struct ListParams {
    filter: Option<String>,
    start_index: i64,
    count: Option<i64>,
    attributes: Vec<String>,
    excluded: Vec<String>,
}

fn names(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

fn number(name: &str, s: &str) -> Result<i64, ScimError> {
    s.trim()
        .parse::<i64>()
        .map_err(|_| ScimError::invalid_value(format!("{name} must be an integer")))
}

impl ListParams {
    fn from_query(q: &[(String, String)]) -> Result<Self, ScimError> {
        let mut p = ListParams {
            start_index: 1,
            ..Default::default()
        };
        for (k, v) in q {
            match k.to_ascii_lowercase().as_str() {
                "filter" => p.filter = Some(v.clone()),
                "startindex" => p.start_index = number("startIndex", v)?,
                "count" => p.count = Some(number("count", v)?),
                "attributes" => p.attributes = names(v),
                "excludedattributes" => p.excluded = names(v),
                "sortby" | "sortorder" => {
                    return Err(ScimError::invalid_value(
                        "sorting is not supported (see ServiceProviderConfig)",
                    ));
                }
                _ => {}
            }
        }
        Ok(p)
    }

    fn from_search(body: &Value) -> Result<Self, ScimError> {
        let Value::Object(o) = body else {
            return Err(ScimError::invalid_syntax(
                "a SearchRequest must be a JSON object",
            ));
        };
        let mut p = ListParams {
            start_index: 1,
            ..Default::default()
        };
        let list = |v: &Value| -> Vec<String> {
            match v {
                Value::Array(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                Value::String(s) => names(s),
                _ => Vec::new(),
            }
        };
        for (k, v) in o {
            match k.to_ascii_lowercase().as_str() {
                "filter" => p.filter = v.as_str().map(str::to_string),
                "startindex" => {
                    p.start_index = v
                        .as_i64()
                        .ok_or_else(|| ScimError::invalid_value("startIndex must be an integer"))?
                }
                "count" => {
                    p.count = Some(
                        v.as_i64()
                            .ok_or_else(|| ScimError::invalid_value("count must be an integer"))?,
                    )
                }
                "attributes" => p.attributes = list(v),
                "excludedattributes" => p.excluded = list(v),
                "sortby" | "sortorder" if !v.is_null() => {
                    return Err(ScimError::invalid_value(
                        "sorting is not supported (see ServiceProviderConfig)",
                    ));
                }
                _ => {}
            }
        }
        Ok(p)
    }
}

fn list(dir: &mut Directory, actor: Actor, call: &Call, p: &ListParams) -> Answer {
    let filter = p
        .filter
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(filter::parse)
        .transpose()
        .map_err(ScimError::invalid_filter)?;
    // RFC 7644 §3.4.2.4: below 1 counts as 1, a negative count as 0.
    let start = p.start_index.max(1);
    let count = p
        .count
        .unwrap_or(resource::DEFAULT_COUNT)
        .clamp(0, resource::MAX_RESULTS);
    let (users, total) = dir.scim_users(actor, filter.as_ref(), start - 1, count)?;
    let resources = users
        .iter()
        .map(|u| {
            resource::project(
                resource::user_json(u, &call.base),
                &p.attributes,
                &p.excluded,
            )
        })
        .collect();
    Ok((
        200,
        Some(resource::list_response(resources, total, start)),
        None,
    ))
}

fn create(dir: &mut Directory, actor: Actor, call: &Call) -> Answer {
    let body = json_body(&call.body)?;
    let fields = resource::fields_from_json(&body, true)?;
    let u = dir.scim_create(actor, &fields)?;
    let json = resource::user_json(&u, &call.base);
    let location = format!("{}/Users/{}", call.base, u.id);
    Ok((201, Some(json), Some(location)))
}
