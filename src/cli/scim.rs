//! SCIM clients' tokens: `scim token create`, `scim token list`, `scim token revoke`.

use std::io::Write;

use serde_json::json;

use super::SignedIn;
use super::args::{ScimCommand, ScimTokenCommand};
use super::output::{Table, json_err, plural};
use crate::domain::text::escape;
use crate::domain::{Result, timestamp};

/// `offboard scim …` (administrators).
pub(super) fn scim(s: &mut SignedIn, command: &ScimCommand, out: &mut dyn Write) -> Result<()> {
    let (dir, actor) = (&mut s.dir, s.actor);
    let ScimCommand::Token(command) = command;
    match command {
        ScimTokenCommand::Create { name } => {
            let (made, token) = dir.create_scim_token(actor, name)?;
            writeln!(
                out,
                "Made SCIM token #{} for {}: the client sends it as \"Authorization: Bearer TOKEN\" to {}/scim/v2/.",
                made.id,
                escape(&made.name),
                dir.base_url()
            )?;
            writeln!(out, "It is shown only now; offboard keeps only its hash.")?;
            writeln!(out, "{token}")?;
        }
        ScimTokenCommand::List { json } => {
            let tokens = dir.scim_tokens(actor)?;
            if *json {
                let arr: Vec<_> = tokens
                    .iter()
                    .map(|t| {
                        json!({
                            "id": t.id,
                            "name": t.name,
                            "created_at": timestamp(t.created_at),
                            "created_by": t.created_by,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
                writeln!(out)?;
                return Ok(());
            }
            let mut t = Table::new(&["ID", "NAME", "MADE", "ACTS AS"]);
            for k in &tokens {
                t.row(vec![
                    k.id.to_string(),
                    k.name.clone(),
                    k.created_at.date_naive().to_string(),
                    k.created_by.clone(),
                ]);
            }
            t.write(out)?;
            writeln!(
                out,
                "{} SCIM token{}.",
                tokens.len(),
                plural(tokens.len() as i64)
            )?;
        }
        ScimTokenCommand::Revoke { name } => {
            let gone = dir.revoke_scim_token(actor, name)?;
            writeln!(
                out,
                "Revoked the SCIM token of {} (#{}): its next request is refused.",
                escape(&gone.name),
                gone.id
            )?;
        }
    }
    Ok(())
}
