//! Outbound event hooks: registering receivers, and the outbox they are delivered from
//! (the delivery itself runs in `offboard serve`, `crate::deliver`).

use super::*;
use crate::domain::{DeliveryState, HookStatus, signing};

/// The longest receiver URL accepted.
const MAX_URL: usize = 2000;

/// Check a receiver's address: an absolute `http` or `https` URL with a host, no
/// credentials and no fragment. Delivery goes to exactly this address (no redirects).
pub fn check_hook_url(url: &str) -> Result<String> {
    let url = url.trim();
    let bad = |why: &str| Error::invalid(format!("--url \"{}\" {why}", text_for_error(url)));
    if url.len() > MAX_URL {
        return Err(Error::invalid(format!(
            "--url is longer than {MAX_URL} characters"
        )));
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(bad("must start with http:// or https://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "carries credentials: leave them out, deliveries are signed instead",
        ));
    }
    if parsed.fragment().is_some() {
        return Err(bad("has a #fragment, which is never sent"));
    }
    Ok(parsed.to_string())
}

fn text_for_error(s: &str) -> String {
    crate::domain::text::escape_bounded(s, 200).into_owned()
}

/// `--events` as a list of known types (empty: all).
pub fn parse_event_types(list: &str) -> Result<Vec<EventType>> {
    let mut out: Vec<EventType> = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let t: EventType = part.parse()?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

impl Directory {
    /// Register a receiver for `events` (empty: every type). The signing secret is
    /// returned once; the hook is told of events from now on, not of older ones.
    pub fn create_hook(
        &mut self,
        actor: Actor,
        url: &str,
        events: &[EventType],
    ) -> Result<HookCreated> {
        let url = check_hook_url(url)?;
        let secret = signing::new_secret()?;
        let list = events
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(",");
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageHooks)?;
            let id = q::insert_hook(
                cx.tx,
                &q::NewHook {
                    url: &url,
                    events: &list,
                    secret: &secret,
                    created_by: cx.me.id,
                    created_at: cx.now,
                },
            )?;
            // The audit names the receiver, never the secret.
            cx.audit(
                "hook.create",
                None,
                json!({ "hook": id, "url": url, "events": list }),
            )?;
            let hook = q::hook(cx.tx, id)?.ok_or(Error::NotFound(Missing::Hook(id)))?;
            Ok(HookCreated {
                hook,
                secret: secret.clone(),
            })
        })
    }

    /// Every registered hook (administrators).
    pub fn hooks(&self, actor: Actor) -> Result<Vec<Hook>> {
        self.read(actor, |c, me| {
            rules::ensure_admin(me, Op::ManageHooks)?;
            q::hooks(c)
        })
    }

    /// Stop or resume delivery to a hook. Enabling a failing hook retries the event it
    /// gave up on, then goes on in order.
    pub fn set_hook_enabled(&mut self, actor: Actor, id: i64, enabled: bool) -> Result<Hook> {
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageHooks)?;
            let hook = q::hook(cx.tx, id)?.ok_or(Error::NotFound(Missing::Hook(id)))?;
            let want = if enabled {
                HookStatus::Active
            } else {
                HookStatus::Disabled
            };
            if hook.status == want && (want == HookStatus::Disabled || hook.failing_since.is_none())
            {
                return Err(Error::WrongState(Conflict::HookAlready {
                    id,
                    status: want,
                }));
            }
            q::set_hook_status(cx.tx, id, want, cx.now)?;
            let action = if enabled {
                "hook.enable"
            } else {
                "hook.disable"
            };
            cx.audit(action, None, json!({ "hook": id, "url": hook.url }))?;
            q::hook(cx.tx, id)?.ok_or(Error::NotFound(Missing::Hook(id)))
        })
    }

    /// A hook's delivery log, newest first (administrators).
    pub fn hook_deliveries(&self, actor: Actor, id: i64, limit: i64) -> Result<Vec<DeliveryRow>> {
        self.read(actor, |c, me| {
            rules::ensure_admin(me, Op::ManageHooks)?;
            q::hook(c, id)?.ok_or(Error::NotFound(Missing::Hook(id)))?;
            q::deliveries(c, id, limit)
        })
    }

    /// The outbox, oldest first after event `after` (tests and the benchmark read it).
    pub fn outbox(&self, after: i64, limit: i64) -> Result<Vec<OutboxEvent>> {
        q::outbox_events(&self.conn, after, limit).map_err(|e| self.locate(e))
    }

    /// The hooks the deliverer works for: active and not failing.
    pub fn deliverable_hooks(&self) -> Result<Vec<i64>> {
        q::deliverable_hooks(&self.conn).map_err(|e| self.locate(e))
    }

    /// What to send `hook` next, if anything: the first event after its cursor that it
    /// is subscribed to, with its earlier attempts. None when it has nothing waiting or
    /// is no longer deliverable.
    pub fn delivery_work(&self, hook: i64) -> Result<Option<DeliveryWork>> {
        let work = (|| {
            let tx = self.conn.unchecked_transaction()?;
            let Some((url, events, cursor, secret)) = q::hook_for_delivery(&tx, hook)? else {
                return Ok(None);
            };
            let Some(event) = q::next_event_for(&tx, cursor, &events)? else {
                return Ok(None);
            };
            let log = q::delivery_log(&tx, hook, event.id)?.unwrap_or_default();
            tx.commit()?;
            Ok(Some(DeliveryWork {
                hook,
                url,
                secret,
                event,
                attempts: log.attempts,
                first_attempt_at: log.first_attempt_at,
                next_attempt_at: log.next_attempt_at,
            }))
        })();
        work.map_err(|e: Error| self.locate(e))
    }

    /// Record one delivery attempt (the deliverer's, in its own small transaction).
    #[allow(clippy::too_many_arguments)]
    pub fn record_delivery(
        &mut self,
        work: &DeliveryWork,
        at: DateTime<Utc>,
        state: DeliveryState,
        status: Option<u16>,
        error: Option<&str>,
        next_attempt_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let done = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Disabled or re-enabled meanwhile: what this attempt found still counts in
            // the log, but a stale attempt never moves a cursor backwards (the query
            // only moves it forwards).
            q::record_attempt(
                &tx,
                &q::Attempt {
                    hook: work.hook,
                    event: work.event.id,
                    attempts: work.attempts + 1,
                    first_attempt_at: work.first_attempt_at.unwrap_or(at),
                    at,
                    status,
                    error,
                    state,
                    next_attempt_at,
                },
            )?;
            tx.commit()?;
            Ok(())
        })();
        done.map_err(|e: Error| self.locate(e))
    }
}
