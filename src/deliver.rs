//! Delivery of outbound event hooks, run by `offboard serve` in the background.
//!
//! The state lives in the database (each hook's cursor and the delivery log), never in
//! memory: a `serve` killed mid-delivery starts again from the event it had not
//! recorded as delivered, and sends it again with the same `webhook-id`. Each hook is
//! delivered in order by one task of its own: its next event waits until the one
//! before it was delivered. A failing attempt is retried with exponential backoff and
//! jitter for `retry_for`; then the hook is marked failing and delivery to it stops
//! until an administrator enables it again (`offboard hook enable`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::directory::DeliveryWork;
use crate::domain::{DeliveryState, Error, Result, signing};
use crate::rest::Pool;

/// At most this much of a receiver's answer is read (and then thrown away).
pub const MAX_ANSWER: usize = 64 * 1024;
/// The first retry waits about this long; each next one twice as long.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// No wait between retries is longer than this.
const MAX_BACKOFF: Duration = Duration::from_secs(600);
/// How often new hooks and new events are looked for.
const POLL: Duration = Duration::from_millis(200);

/// How deliveries are bounded.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryConfig {
    /// One attempt: connecting, sending and the answer's headers.
    pub timeout: Duration,
    /// How long one event is retried before its hook is marked failing.
    pub retry_for: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            timeout: Duration::from_secs(10),
            retry_for: Duration::from_secs(86_400),
        }
    }
}

/// The HTTP client: no redirects (a receiver is only the address the administrator
/// gave), bounded time, the system's certificate authorities for `https`.
pub fn client(config: &DeliveryConfig) -> Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .connect_timeout(config.timeout.min(Duration::from_secs(5)))
        .user_agent(concat!("offboard/", env!("CARGO_PKG_VERSION")))
        .pool_idle_timeout(Duration::from_secs(30));
    let bundle = std::env::var_os("SSL_CERT_FILE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".into());
    if let Ok(pem) = std::fs::read(&bundle)
        && let Ok(certs) = reqwest::Certificate::from_pem_bundle(&pem)
    {
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    b.build()
        .map_err(|e| Error::other(format!("cannot start delivering event hooks: {e}")))
}

/// Run `f` with a connection of `pool` on a blocking thread.
async fn with_db<T: Send + 'static>(
    pool: &Arc<Pool>,
    f: impl FnOnce(&mut crate::Directory) -> Result<T> + Send + 'static,
) -> Result<T> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || pool.with(f).and_then(|r| r))
        .await
        .map_err(|e| Error::other(format!("a delivery task stopped: {e}")))?
}

/// Deliver for as long as the server runs: one task per deliverable hook.
pub async fn run(pool: Arc<Pool>, config: DeliveryConfig) {
    let client = match client(&config) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "event hooks are not delivered");
            return;
        }
    };
    let mut running: HashMap<i64, tokio::task::JoinHandle<()>> = HashMap::new();
    loop {
        running.retain(|_, h| !h.is_finished());
        match with_db(&pool, |d| d.deliverable_hooks()).await {
            Ok(ids) => {
                for id in ids {
                    running.entry(id).or_insert_with(|| {
                        tokio::spawn(deliver_hook(pool.clone(), client.clone(), config, id))
                    });
                }
            }
            Err(e) => tracing::warn!(error = %e, "listing event hooks"),
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Deliver one hook's events in order until it has none waiting (or may no longer be
/// delivered to); the supervisor starts it again when there is more.
async fn deliver_hook(pool: Arc<Pool>, client: reqwest::Client, config: DeliveryConfig, id: i64) {
    loop {
        let work = match with_db(&pool, move |d| d.delivery_work(id)).await {
            Ok(Some(w)) => w,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(hook = id, error = %e, "reading the outbox");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let now = Utc::now();
        if let Some(due) = work.next_attempt_at
            && due > now
        {
            // Wake up at least every second, so that a disable or enable is noticed.
            let wait = (due - now).to_std().unwrap_or_default();
            tokio::time::sleep(wait.min(Duration::from_secs(1))).await;
            continue;
        }
        let (status, error) = attempt(&client, &work).await;
        let at = Utc::now();
        let (state, next) = match (status, &error) {
            (Some(s), None) if (200..300).contains(&s) => (DeliveryState::Delivered, None),
            _ => next_step(&work, at, &config),
        };
        if let Some(e) = &error {
            tracing::info!(hook = id, event = %work.event.uid, attempt = work.attempts + 1, error = %e, "event hook delivery failed");
        }
        let recorded = with_db(&pool, move |d| {
            d.record_delivery(&work, at, state, status, error.as_deref(), next)
        })
        .await;
        if let Err(e) = recorded {
            tracing::warn!(hook = id, error = %e, "recording a delivery");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        if state == DeliveryState::Failed {
            tracing::warn!(hook = id, "event hook marked failing: retries ran out");
            return;
        }
    }
}

/// After a failed attempt: retry later, or give up when `retry_for` has passed since
/// the first attempt. The wait doubles each time, capped, and is drawn at random from
/// its upper half (jitter), so that many receivers coming back do not all get their
/// retries at once. The last retry is at the deadline.
fn next_step(
    work: &DeliveryWork,
    at: DateTime<Utc>,
    config: &DeliveryConfig,
) -> (DeliveryState, Option<DateTime<Utc>>) {
    let first = work.first_attempt_at.unwrap_or(at);
    let deadline = first + chrono::Duration::from_std(config.retry_for).unwrap_or_default();
    if at >= deadline {
        return (DeliveryState::Failed, None);
    }
    let wait = backoff(work.attempts + 1, jitter());
    let next = (at + chrono::Duration::from_std(wait).unwrap_or_default()).min(deadline);
    (DeliveryState::Pending, Some(next))
}

/// The wait after the `attempts`-th failed attempt, `fraction` in [0, 1) choosing where
/// in the upper half of the exponential step.
pub fn backoff(attempts: i64, fraction: f64) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let step = FIRST_BACKOFF
        .saturating_mul(2u32.saturating_pow(exp))
        .min(MAX_BACKOFF);
    step.mul_f64(0.5 + 0.5 * fraction.clamp(0.0, 1.0))
}

fn jitter() -> f64 {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0)
}

/// One POST of the event, signed for this attempt. The answer's status, or what went
/// wrong (a non-2xx status is also an error, with its text).
async fn attempt(client: &reqwest::Client, work: &DeliveryWork) -> (Option<u16>, Option<String>) {
    let ts = Utc::now().timestamp();
    let signature = match signing::sign(&work.secret, &work.event.uid, ts, &work.event.body) {
        Ok(s) => s,
        Err(e) => return (None, Some(e.to_string())),
    };
    let sent = client
        .post(&work.url)
        .header("content-type", "application/json")
        .header("webhook-id", &work.event.uid)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", signature)
        .body(work.event.body.clone())
        .send()
        .await;
    let mut answer = match sent {
        Ok(a) => a,
        Err(e) => return (None, Some(short(&describe(&e)))),
    };
    let status = answer.status();
    // Read a bounded part of the answer, so the connection can be reused; the rest
    // is not waited for.
    let mut read = 0usize;
    while read < MAX_ANSWER {
        match answer.chunk().await {
            Ok(Some(c)) => read += c.len(),
            _ => break,
        }
    }
    let code = status.as_u16();
    if status.is_success() {
        (Some(code), None)
    } else if status.is_redirection() {
        (
            Some(code),
            Some(format!("answered {code}: redirects are not followed")),
        )
    } else {
        (Some(code), Some(format!("answered {status}")))
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        format!("cannot connect: {e}")
    } else {
        e.to_string()
    }
}

fn short(s: &str) -> String {
    crate::domain::text::escape_bounded(s, 300).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_jitter_and_is_capped() {
        assert_eq!(backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(3, 0.0), Duration::from_secs(2));
        assert_eq!(backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(40, 1.0), MAX_BACKOFF);
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }
}
