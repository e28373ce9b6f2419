//! `offboard serve`: the inbound-webhook REST endpoint, in the portal's wire format.

pub mod fields;
pub mod lists;
pub mod methods;
pub mod params;
pub mod payload;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Serialize;
use serde_json::{Value, json};

use payload::{Payload, Plain, Results};

use crate::Directory;
use crate::domain::text::escape_bounded;
use crate::domain::{Door, EmployeeId, Error, IntegrationId, Result};
use crate::logging::LOGGED_INPUT_CHARS;
use methods::{Answer, ApiError, Caller};

/// Bodies larger than this get 413.
pub const MAX_BODY: usize = 1024 * 1024;
/// A client must send its headers within this time, and its body within `BODY_TIMEOUT`.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub db: PathBuf,
    /// The operator who started the server: the door of what the server does on its
    /// own (scheduled dismissals); webhook calls are recorded as webhook calls.
    pub door: Door,
    pub addr: String,
    pub tls: Option<(PathBuf, PathBuf)>,
    /// How outbound event hooks are delivered.
    pub delivery: crate::deliver::DeliveryConfig,
}

/// Connections to the database, one per call in flight, reused.
pub struct Pool {
    path: PathBuf,
    door: Door,
    free: Mutex<Vec<Directory>>,
}

impl Pool {
    pub fn new(path: &Path, door: Door) -> Result<Self> {
        let first = Directory::open_through(path, door.clone())?;
        Ok(Pool {
            path: path.to_path_buf(),
            door,
            free: Mutex::new(vec![first]),
        })
    }

    fn take(&self) -> Result<Directory> {
        let found = self.free.lock().ok().and_then(|mut f| f.pop());
        match found {
            Some(d) => Ok(d),
            None => Directory::open_through(&self.path, self.door.clone()),
        }
    }

    fn give_back(&self, d: Directory) {
        if let Ok(mut f) = self.free.lock()
            && f.len() < 16
        {
            f.push(d);
        }
    }

    /// Run `f` with a connection, on the calling (blocking) thread.
    pub fn with<T>(&self, f: impl FnOnce(&mut Directory) -> T) -> Result<T> {
        let mut d = self.take()?;
        let out = f(&mut d);
        self.give_back(d);
        Ok(out)
    }
}

struct AppState {
    pool: Arc<Pool>,
    operating: Operating,
    /// `http` or `https`: how SCIM's answers name their own URLs.
    scheme: &'static str,
}

/// The portal's `operating` account: seconds each integration spent in each method
/// within a window of `OPERATING_WINDOW` seconds, which clients' rate limiters read
/// (`time.operating`, and `time.operating_reset_at` when the window starts over).
/// offboard blocks nothing; it reports the time so a client's limiter sees the truth.
pub const OPERATING_WINDOW: f64 = 600.0;

/// Which account a call is charged to: the method (as `METHODS` spells it, so the
/// accounts are bounded whatever a client sends) and whether it ran inside a batch,
/// which the portal counts apart (`batch::METHOD`).
type Account = (i64, &'static str, bool);

#[derive(Default)]
pub struct Operating {
    /// account → (window start, seconds used in it).
    used: Mutex<HashMap<Account, (f64, f64)>>,
}

impl Operating {
    /// Add `seconds` spent at `now` and return the window's total and its end.
    pub fn charge(
        &self,
        integration: i64,
        method: &'static str,
        in_batch: bool,
        now: f64,
        seconds: f64,
    ) -> (f64, i64) {
        let Ok(mut used) = self.used.lock() else {
            return (seconds, (now + OPERATING_WINDOW) as i64);
        };
        if used.len() > 100_000 {
            used.retain(|_, (start, _)| now < *start + OPERATING_WINDOW);
        }
        let slot = used
            .entry((integration, method, in_batch))
            .or_insert((now, 0.0));
        if now >= slot.0 + OPERATING_WINDOW {
            *slot = (now, 0.0);
        }
        slot.1 += seconds;
        (slot.1, (slot.0 + OPERATING_WINDOW) as i64)
    }
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn iso(secs: f64) -> String {
    chrono::DateTime::from_timestamp(secs as i64, ((secs.fract()) * 1e9) as u32)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

/// The `time` object of every answer.
#[derive(Debug, Clone, Serialize)]
pub struct Time {
    start: f64,
    finish: f64,
    duration: f64,
    processing: f64,
    date_start: String,
    date_finish: String,
    operating_reset_at: i64,
    operating: f64,
}

/// The `time` object of every answer, charging its duration to `method` of `integration`.
fn time_since(
    operating: &Operating,
    account: (IntegrationId, &'static str, bool),
    started_wall: f64,
    started: Instant,
) -> Time {
    let duration = started.elapsed().as_secs_f64();
    let finish = started_wall + duration;
    let (integration, method, in_batch) = account;
    let (used, reset_at) = operating.charge(integration.0, method, in_batch, finish, duration);
    Time {
        start: started_wall,
        finish,
        duration,
        processing: duration,
        date_start: iso(started_wall),
        date_finish: iso(finish),
        operating_reset_at: reset_at,
        operating: used,
    }
}

/// A method's answer as the portal wraps it.
#[derive(Serialize)]
struct Reply<'a> {
    result: &'a Payload,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<i64>,
    time: Time,
}

/// A batch's answer: its sections, then the time of the whole.
#[derive(Serialize)]
struct BatchReply<'a> {
    result: BatchSections<'a>,
    time: Time,
}

#[derive(Serialize)]
struct BatchSections<'a> {
    result: &'a Results,
    result_error: Plain<'a>,
    result_total: Plain<'a>,
    result_next: Plain<'a>,
    result_time: Plain<'a>,
}

fn json_response<T: Serialize + ?Sized>(status: u16, body: &T) -> Response {
    json_response_sized(status, body, 512)
}

/// `json_response` into a buffer of about the answer's size (a batch of user pages
/// is ~3 MB: growing a buffer that large by doubling costs more than writing it).
fn json_response_sized<T: Serialize + ?Sized>(status: u16, body: &T, hint: usize) -> Response {
    let mut bytes = Vec::with_capacity(hint);
    if serde_json::to_writer(&mut bytes, body).is_err() {
        bytes = br#"{"error":"INTERNAL_SERVER_ERROR","error_description":"the answer could not be written"}"#.to_vec();
    }
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

fn error_response(e: &ApiError) -> Response {
    json_response(
        e.status,
        &json!({ "error": e.code, "error_description": e.description }),
    )
}

/// The parts of `/rest/{user_id}/{code}/{method}`.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    Call {
        user_id: String,
        code: String,
        method: String,
    },
    NoCode,
    NoMethod,
    NotRest,
}

pub fn route(path: &str) -> Route {
    let Some(rest) = path.strip_prefix("/rest/") else {
        return Route::NotRest;
    };
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] | [_] => Route::NoCode,
        [_, _] => Route::NoMethod,
        [user, code, method] => Route::Call {
            user_id: user.to_string(),
            code: code.to_string(),
            method: method.to_string(),
        },
        _ => Route::NotRest,
    }
}

/// Everything about one call but the HTTP plumbing: runs on a blocking thread.
fn answer(
    state: &AppState,
    user_id: &str,
    code: &str,
    method: &str,
    query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> (Response, Option<IntegrationId>) {
    let started = Instant::now();
    let wall = now_secs();
    let Ok(user_id) = user_id.parse::<EmployeeId>() else {
        return (
            error_response(&ApiError::new(
                401,
                "INVALID_CREDENTIALS",
                "Invalid request credentials",
            )),
            None,
        );
    };
    let operating = &state.operating;
    let outcome = state.pool.with(|dir| {
        let Some(who) = dir.authenticate_caller(user_id, code)? else {
            return Ok((
                error_response(&ApiError::new(
                    401,
                    "INVALID_CREDENTIALS",
                    "Invalid request credentials",
                )),
                None,
            ));
        };
        let id = Some(who.integration_id);
        let method = methods::normalize_method(method);
        let params = match params::parse_request(query, content_type, body) {
            Ok(p) => p,
            Err(e) => return Ok((error_response(&e.into()), id)),
        };
        let caller = Caller {
            integration_id: who.integration_id,
            scopes: who.scopes,
            owner: &who.owner,
        };
        if method == "batch" {
            // Each command is charged as the portal charges it, `batch::METHOD`.
            let time_of = |m: &'static str, s: Instant| {
                let t = time_since(
                    operating,
                    (who.integration_id, m, true),
                    wall + (s - started).as_secs_f64(),
                    s,
                );
                serde_json::to_value(t).unwrap_or(Value::Null)
            };
            return Ok(match methods::batch(dir, &caller, &params, &time_of) {
                Ok(b) => (
                    json_response_sized(
                        200,
                        &BatchReply {
                            result: BatchSections {
                                result: &b.result,
                                result_error: Plain(&b.errors),
                                result_total: Plain(&b.totals),
                                result_next: Plain(&b.nexts),
                                result_time: Plain(&b.times),
                            },
                            time: time_since(
                                operating,
                                (who.integration_id, "batch", false),
                                wall,
                                started,
                            ),
                        },
                        b.result.size_hint() + 1024,
                    ),
                    id,
                ),
                Err(e) => (error_response(&e), id),
            });
        }
        Ok::<_, Error>(match methods::call(dir, &caller, &method, &params) {
            Ok(Answer {
                method: name,
                result,
                total,
                next,
            }) => {
                let time = time_since(operating, (who.integration_id, name, false), wall, started);
                let body = Reply {
                    result: &result,
                    total,
                    next,
                    time,
                };
                (
                    json_response_sized(200, &body, result.size_hint() + 512),
                    id,
                )
            }
            Err(e) => (error_response(&e), id),
        })
    });
    match outcome {
        Ok(Ok(r)) => r,
        Ok(Err(e)) | Err(e) => (error_response(&ApiError::from(e)), None),
    }
}

/// The verbs the portal answers: GET and POST run a method (HEAD as GET, without
/// the body), OPTIONS is a browser's CORS preflight and runs nothing.
const ALLOWED: &str = "GET, POST, HEAD, OPTIONS";

/// A CORS preflight: the portal lets browser applications call it from any origin,
/// so `offboard serve` says the same; nothing runs and no secret is checked.
fn preflight() -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::OK;
    let h = r.headers_mut();
    h.insert(header::ALLOW, HeaderValue::from_static(ALLOWED));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Content-Type, Accept, Authorization, X-Requested-With"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    r
}

fn method_not_allowed(verb: &Method) -> Response {
    let mut r = error_response(&ApiError::new(
        405,
        "METHOD_NOT_ALLOWED",
        format!(
            "HTTP {} is not accepted: call a method with GET or POST",
            escape_bounded(verb.as_str(), 20)
        ),
    ));
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(ALLOWED));
    r
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Larger than `MAX_BODY` (413).
    TooLarge,
    /// A malformed chunked encoding, a connection cut short (400).
    Unreadable,
    /// Not all there within `BODY_TIMEOUT` (408).
    TooSlow,
}

/// Read a body of at most `MAX_BODY` bytes within `BODY_TIMEOUT`: what the REST and
/// the SCIM endpoint share, each answering a failure in its own format.
pub(crate) async fn read_limited(body: Body) -> std::result::Result<axum::body::Bytes, BodyError> {
    let limited = Limited::new(body, MAX_BODY);
    match tokio::time::timeout(BODY_TIMEOUT, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(BodyError::TooLarge),
        Ok(Err(_)) => Err(BodyError::Unreadable),
        Err(_) => Err(BodyError::TooSlow),
    }
}

/// An answer after which the connection is closed (`Connection: close`): the body was
/// not read to its end, so what follows on the connection is not the next request,
/// and a client that kept the connection would send its next request into the rest.
pub(crate) fn closing(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// Read the body, at most `MAX_BODY` bytes: 413 past it, 400 when it cannot be read
/// (a malformed chunked encoding, a connection cut short), 408 when it is too slow;
/// each of those closes the connection.
async fn read_body(body: Body) -> std::result::Result<axum::body::Bytes, Response> {
    read_limited(body).await.map_err(|e| {
        closing(match e {
            BodyError::TooLarge => error_response(&ApiError::new(
                413,
                "REQUEST_ENTITY_TOO_LARGE",
                format!("the body is larger than {} bytes", MAX_BODY),
            )),
            BodyError::Unreadable => error_response(&ApiError::new(
                400,
                "INVALID_REQUEST",
                "the body could not be read: it is malformed or was cut short",
            )),
            BodyError::TooSlow => error_response(&ApiError::new(
                408,
                "REQUEST_TIMEOUT",
                "the body did not arrive in time",
            )),
        })
    })
}

async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    if crate::scim::is_scim_path(req.uri().path()) {
        return crate::scim::handle(state.pool.clone(), state.scheme, req).await;
    }
    let started = Instant::now();
    let method_name = req.method().clone();
    if !matches!(method_name, Method::GET | Method::POST | Method::HEAD) {
        let response = if method_name == Method::OPTIONS {
            preflight()
        } else {
            method_not_allowed(&method_name)
        };
        // Nothing ran, so no method or integration: the verb and the status.
        tracing::info!(
            http = %escape_bounded(method_name.as_str(), LOGGED_INPUT_CHARS),
            status = response.status().as_u16(),
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "rest call"
        );
        return response;
    }
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let content_type = match req.headers().get(header::CONTENT_TYPE).map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) => Some(v.to_string()),
        Some(Err(_)) => {
            return error_response(&ApiError::new(
                400,
                "INVALID_REQUEST",
                "the Content-Type header is not accepted: it is not plain ASCII",
            ));
        }
    };
    let (user_id, code, method) = match route(&path) {
        Route::Call {
            user_id,
            code,
            method,
        } => (user_id, code, method),
        Route::NoCode => {
            return error_response(&ApiError::new(
                401,
                "NO_AUTH_FOUND",
                "Wrong authorization data: the webhook code is missing",
            ));
        }
        Route::NoMethod => {
            return error_response(&ApiError::new(
                404,
                "ERROR_METHOD_NOT_FOUND",
                "Method not found: none given",
            ));
        }
        Route::NotRest => {
            return error_response(&ApiError::new(
                404,
                "ERROR_METHOD_NOT_FOUND",
                "Not a REST path: use /rest/{user_id}/{code}/{method}",
            ));
        }
    };
    let body = match read_body(req.into_body()).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (response, integration) = if methods::is_quick(&method) {
        // A read of a row or two: a hop to a blocking thread and back would cost
        // more than the call (a context switch each way), so it runs here.
        answer(
            &state,
            &user_id,
            &code,
            &method,
            query.as_deref(),
            content_type.as_deref(),
            &body,
        )
    } else {
        let st = state.clone();
        let m = method.clone();
        let joined = tokio::task::spawn_blocking(move || {
            answer(
                &st,
                &user_id,
                &code,
                &m,
                query.as_deref(),
                content_type.as_deref(),
                &body,
            )
        })
        .await;
        match joined {
            Ok(r) => r,
            Err(_) => (
                error_response(&ApiError::new(
                    500,
                    "INTERNAL_SERVER_ERROR",
                    "the call failed",
                )),
                None,
            ),
        }
    };
    // The method name and the HTTP verb are whatever the client sent, before or without
    // a valid secret: logged escaped and cut, so a client can neither forge lines nor
    // fill the disk (a path may be ~65 KB).
    tracing::info!(
        http = %escape_bounded(method_name.as_str(), LOGGED_INPUT_CHARS),
        method = %escape_bounded(&methods::normalize_method(&method), LOGGED_INPUT_CHARS),
        integration = integration.map_or(0, |i| i.0),
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "rest call"
    );
    response
}

/// The router: `/scim/v2/` goes to the SCIM endpoint (`crate::scim`), every other path
/// to one handler that speaks the portal's format.
pub fn router(pool: Pool) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(Arc::new(AppState {
            pool: Arc::new(pool),
            operating: Operating::default(),
            scheme: "http",
        }))
}

/// Serve until Ctrl-C or SIGTERM. Prints `Listening on URL` first (tests read it).
pub fn serve(config: ServeConfig, out: &mut dyn Write) -> Result<()> {
    let pool = Pool::new(&config.db, config.door.clone())?;
    let addr: SocketAddr = config.addr.parse().map_err(|_| {
        Error::invalid(format!(
            "--addr \"{}\" is not an address like 127.0.0.1:8089",
            config.addr
        ))
    })?;
    let listener = std::net::TcpListener::bind(addr)
        .map_err(|e| Error::io(format!("cannot listen on {addr}"), &e))?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the server", &e))?;
    let tls = match &config.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            Some(
                runtime
                    .block_on(axum_server::tls_rustls::RustlsConfig::from_pem_file(
                        cert, key,
                    ))
                    .map_err(|e| {
                        Error::invalid(format!("cannot use the TLS certificate or key: {e}"))
                    })?,
            )
        }
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    writeln!(out, "Listening on {scheme}://{local}")?;
    out.flush()?;
    tracing::info!(%local, scheme, "serving");
    let state = Arc::new(AppState {
        pool: Arc::new(pool),
        operating: Operating::default(),
        scheme,
    });
    let app = Router::new().fallback(handle).with_state(state.clone());
    runtime.block_on(async move {
        // Scheduled dismissals fall due while the server runs: apply them every minute.
        let ticker = state.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                let st = ticker.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    if let Ok(Err(e)) = st.pool.with(|d| d.apply_due()) {
                        tracing::warn!(error = %e, "applying scheduled dismissals");
                    }
                })
                .await;
            }
        });
        // Outbound event hooks, from the outbox, on connections of their own.
        match Pool::new(&config.db, config.door.clone()) {
            Ok(p) => {
                tokio::spawn(crate::deliver::run(Arc::new(p), config.delivery));
            }
            Err(e) => tracing::error!(error = %e, "event hooks are not delivered"),
        }
        let handle = axum_server::Handle::new();
        let h = handle.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            h.graceful_shutdown(Some(Duration::from_secs(5)));
        });
        let result = match tls {
            None => {
                let mut server = axum_server::from_tcp(listener)?.handle(handle);
                configure(server.http_builder());
                server.serve(app.into_make_service()).await
            }
            Some(cfg) => {
                let mut server = axum_server::from_tcp_rustls(listener, cfg)?.handle(handle);
                configure(server.http_builder());
                server.serve(app.into_make_service()).await
            }
        };
        result.map_err(|e| Error::io("the server stopped", &e))
    })
}

fn configure(b: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>) {
    b.http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operating_adds_up_per_account_and_starts_over_after_the_window() {
        let o = Operating::default();
        assert_eq!(o.charge(1, "user.get", false, 1000.0, 0.5), (0.5, 1600));
        assert_eq!(o.charge(1, "user.get", false, 1100.0, 0.25), (0.75, 1600));
        // Another method, another integration, or inside a batch: accounts of their own.
        assert_eq!(o.charge(1, "user.current", false, 1100.0, 0.1).0, 0.1);
        assert_eq!(o.charge(2, "user.get", false, 1100.0, 0.1).0, 0.1);
        assert_eq!(o.charge(1, "user.get", true, 1100.0, 0.1).0, 0.1);
        // The window ends at its start + 10 minutes; the next call opens a new one.
        assert_eq!(o.charge(1, "user.get", false, 1600.0, 0.5), (0.5, 2200));
    }

    #[test]
    fn routes() {
        assert_eq!(
            route("/rest/1/abc/user.current.json"),
            Route::Call {
                user_id: "1".into(),
                code: "abc".into(),
                method: "user.current.json".into()
            }
        );
        assert_eq!(
            route("/rest/1/abc/user.get/"),
            Route::Call {
                user_id: "1".into(),
                code: "abc".into(),
                method: "user.get".into()
            }
        );
        assert_eq!(route("/rest/1/"), Route::NoCode);
        assert_eq!(route("/rest/1/abc/"), Route::NoMethod);
        assert_eq!(route("/other"), Route::NotRest);
    }
}
