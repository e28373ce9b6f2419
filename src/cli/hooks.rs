//! Outbound event hooks: `hook create`, `list`, `disable`, `enable`, `deliveries`.

use std::io::Write;

use serde_json::json;

use super::SignedIn;
use super::args::HookCommand;
use super::output::{Table, json_err};
use crate::directory::{check_hook_url, parse_event_types};
use crate::domain::{Result, timestamp};

/// `offboard hook …`. A secret is printed only when it is issued, as the last line.
pub(super) fn hook(s: &mut SignedIn, c: &HookCommand, out: &mut dyn Write) -> Result<()> {
    let (dir, actor) = (&mut s.dir, s.actor);
    match c {
        HookCommand::Create { url, events } => {
            let url = check_hook_url(url)?;
            let events = parse_event_types(events.as_deref().unwrap_or(""))?;
            let made = dir.create_hook(actor, &url, &events)?;
            let told = if made.hook.events.is_empty() {
                "every event".to_string()
            } else {
                made.hook.events.join(", ")
            };
            writeln!(
                out,
                "Created event hook #{} for {} ({told}).",
                made.hook.id, made.hook.url
            )?;
            writeln!(
                out,
                "Its signing secret is shown only now; deliveries are signed with it (Standard Webhooks):"
            )?;
            writeln!(out, "{}", made.secret)?;
        }
        HookCommand::List { json } => {
            let hooks = dir.hooks(actor)?;
            if *json {
                let arr: Vec<_> = hooks
                    .iter()
                    .map(|h| {
                        json!({
                            "id": h.id,
                            "url": h.url,
                            "events": h.events,
                            "status": h.health(),
                            "failing_since": h.failing_since.map(timestamp),
                            "failure": h.failure,
                            "backlog": h.backlog,
                            "created_by": h.created_by,
                            "created_at": timestamp(h.created_at),
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
                writeln!(out)?;
                return Ok(());
            }
            let mut t = Table::new(&["ID", "URL", "EVENTS", "STATUS", "WAITING", "FAILURE"]);
            for h in &hooks {
                let status = match h.failing_since {
                    Some(since) if h.health() == "failing" => {
                        format!("failing since {}", timestamp(since))
                    }
                    _ => h.health().to_string(),
                };
                t.row(vec![
                    h.id.to_string(),
                    h.url.clone(),
                    if h.events.is_empty() {
                        "all".into()
                    } else {
                        h.events.join(",")
                    },
                    status,
                    h.backlog.to_string(),
                    h.failure.clone().unwrap_or_default(),
                ]);
            }
            t.write(out)?;
        }
        HookCommand::Disable { id } => {
            let h = dir.set_hook_enabled(actor, *id, false)?;
            writeln!(
                out,
                "Disabled event hook #{} ({}): its events wait until it is enabled.",
                h.id, h.url
            )?;
        }
        HookCommand::Enable { id } => {
            let h = dir.set_hook_enabled(actor, *id, true)?;
            writeln!(
                out,
                "Enabled event hook #{} ({}): `offboard serve` delivers its {} waiting events in order.",
                h.id, h.url, h.backlog
            )?;
        }
        HookCommand::Deliveries { id, limit, json } => {
            let rows = dir.hook_deliveries(actor, *id, (*limit).clamp(1, 100_000))?;
            if *json {
                let arr: Vec<_> = rows
                    .iter()
                    .map(|d| {
                        json!({
                            "event_id": d.event_id,
                            "webhook_id": d.webhook_id,
                            "type": d.event_type,
                            "state": d.state,
                            "attempts": d.attempts,
                            "first_attempt_at": timestamp(d.first_attempt_at),
                            "last_attempt_at": timestamp(d.last_attempt_at),
                            "next_attempt_at": d.next_attempt_at.map(timestamp),
                            "last_status": d.last_status,
                            "last_error": d.last_error,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
                writeln!(out)?;
                return Ok(());
            }
            let mut t = Table::new(&[
                "EVENT",
                "WEBHOOK-ID",
                "TYPE",
                "STATE",
                "ATTEMPTS",
                "LAST",
                "STATUS",
                "ERROR",
            ]);
            for d in &rows {
                t.row(vec![
                    d.event_id.to_string(),
                    d.webhook_id.clone(),
                    d.event_type.clone(),
                    d.state.to_string(),
                    d.attempts.to_string(),
                    timestamp(d.last_attempt_at),
                    d.last_status.map(|s| s.to_string()).unwrap_or_default(),
                    d.last_error.clone().unwrap_or_default(),
                ]);
            }
            t.write(out)?;
        }
    }
    Ok(())
}
