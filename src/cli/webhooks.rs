//! Integrations (inbound webhooks): `integrations`, and `webhook create`, `edit`,
//! `disable`, `enable`, `regenerate`.

use std::io::Write;

use super::SignedIn;
use super::args::WebhookCommand;
use super::output;
use crate::domain::{IntegrationId, Result, validate};

/// `offboard integrations`: every integration, its owner and status.
pub(super) fn integrations(s: &SignedIn, json: bool, out: &mut dyn Write) -> Result<()> {
    output::integrations(&s.dir, s.actor, json, out)
}

/// `offboard webhook …`. A URL is printed only when it is issued, as the last line.
pub(super) fn webhook(s: &mut SignedIn, w: &WebhookCommand, out: &mut dyn Write) -> Result<()> {
    let (dir, actor) = (&mut s.dir, s.actor);
    match w {
        WebhookCommand::Create(c) => {
            let scopes = validate::scopes(&c.scopes)?;
            let issued = dir.create_webhook(actor, &c.title, scopes)?;
            writeln!(
                out,
                "Created integration #{} \"{}\" [{}], owned by {}.",
                issued.integration.id,
                issued.integration.title,
                issued.integration.scopes,
                issued.integration.owner
            )?;
            writeln!(
                out,
                "Its URL is shown only now; anyone who has it can act as you within its scopes:"
            )?;
            writeln!(out, "{}", issued.url)?;
        }
        WebhookCommand::Edit { id, title, scopes } => {
            let scopes = scopes.as_deref().map(validate::scopes).transpose()?;
            let outcome = dir.edit_webhook(actor, IntegrationId(*id), title.as_deref(), scopes)?;
            let i = &outcome.integration;
            writeln!(
                out,
                "Updated integration #{} \"{}\" [{}].",
                i.id, i.title, i.scopes
            )?;
            if let Some(url) = outcome.new_url {
                writeln!(
                    out,
                    "It was held by {} and is now yours: a new secret was issued and the old URL no longer works. The new URL is shown only now:",
                    outcome.previous_owner
                )?;
                writeln!(out, "{url}")?;
            }
        }
        WebhookCommand::Disable { id } => {
            let i = dir.disable_webhook(actor, IntegrationId(*id))?;
            writeln!(
                out,
                "Disabled integration #{} \"{}\": its URL stops working now.",
                i.id, i.title
            )?;
        }
        WebhookCommand::Enable { id } => {
            let i = dir.enable_webhook(actor, IntegrationId(*id))?;
            writeln!(
                out,
                "Enabled integration #{} \"{}\": its URL works again.",
                i.id, i.title
            )?;
        }
        WebhookCommand::Regenerate { id } => {
            let issued = dir.regenerate_webhook(actor, IntegrationId(*id))?;
            writeln!(
                out,
                "Issued a new secret for integration #{} \"{}\", owned by {}; the old URL no longer works. The new URL is shown only now:",
                issued.integration.id, issued.integration.title, issued.integration.owner
            )?;
            writeln!(out, "{}", issued.url)?;
        }
    }
    Ok(())
}
