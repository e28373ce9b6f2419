//! Integrations (inbound webhooks): `integrations`, and `webhook create`, `edit`,
//! `disable`, `enable`, `regenerate`.

use std::io::Write;

use super::SignedIn;
use super::args::WebhookCommand;
use super::output;
use crate::directory::{Created, Regenerated, Toggled};
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
            writeln!(out, "{}.", Created(&issued.integration))?;
            writeln!(
                out,
                "Its URL is shown only now; anyone who has it can act as you within its scopes:"
            )?;
            writeln!(out, "{}", issued.url)?;
        }
        WebhookCommand::Edit { id, title, scopes } => {
            let scopes = scopes.as_deref().map(validate::scopes).transpose()?;
            let outcome = dir.edit_webhook(actor, IntegrationId(*id), title.as_deref(), scopes)?;
            writeln!(out, "{outcome}.")?;
            if let Some(url) = outcome.new_url {
                writeln!(
                    out,
                    "A new secret was issued; the new URL is shown only now:"
                )?;
                writeln!(out, "{url}")?;
            }
        }
        WebhookCommand::Disable { id } => {
            let i = dir.disable_webhook(actor, IntegrationId(*id))?;
            let said = Toggled {
                integration: &i,
                enabled: false,
            };
            writeln!(out, "{said}.")?;
        }
        WebhookCommand::Enable { id } => {
            let i = dir.enable_webhook(actor, IntegrationId(*id))?;
            let said = Toggled {
                integration: &i,
                enabled: true,
            };
            writeln!(out, "{said}.")?;
        }
        WebhookCommand::Regenerate { id } => {
            let issued = dir.regenerate_webhook(actor, IntegrationId(*id))?;
            writeln!(out, "{}.", Regenerated(&issued.integration))?;
            writeln!(out, "The new URL is shown only now:")?;
            writeln!(out, "{}", issued.url)?;
        }
    }
    Ok(())
}
