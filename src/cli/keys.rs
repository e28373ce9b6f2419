//! SSH keys: `keys add`, `keys list`, `keys remove`.

use std::io::{Read, Write};

use serde_json::json;

use super::SignedIn;
use super::args::KeysCommand;
use super::output::{Table, json_err, plural};
use crate::directory::{KeyAdded, KeyRemoved};
use crate::domain::keys::MAX_KEY_LINE;
use crate::domain::{Error, Result, timestamp};

/// `offboard keys …`.
pub(super) fn keys(s: &mut SignedIn, command: &KeysCommand, out: &mut dyn Write) -> Result<()> {
    let (dir, actor) = (&mut s.dir, s.actor);
    match command {
        KeysCommand::Add { login, key } => {
            let line = if key == "-" {
                read_stdin_key()?
            } else {
                key.clone()
            };
            let added = dir.add_key(actor, login, &line)?;
            writeln!(out, "{}.", KeyAdded(&added))?;
        }
        KeysCommand::List { login, json } => {
            let keys = dir.keys(actor, login.as_deref())?;
            if *json {
                let arr: Vec<_> = keys
                    .iter()
                    .map(|k| {
                        json!({
                            "id": k.id,
                            "login": k.login,
                            "algorithm": k.algorithm,
                            "fingerprint": k.fingerprint,
                            "comment": k.comment,
                            "bits": k.bits,
                            "added_at": timestamp(k.added_at),
                            "added_by": k.added_by,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &arr).map_err(json_err)?;
                writeln!(out)?;
                return Ok(());
            }
            let mut t = Table::new(&["ID", "LOGIN", "TYPE", "FINGERPRINT", "COMMENT", "ADDED"]);
            for k in &keys {
                t.row(vec![
                    k.id.to_string(),
                    k.login.clone(),
                    k.algorithm.clone(),
                    k.fingerprint.clone(),
                    k.comment.clone(),
                    format!("{} by {}", k.added_at.date_naive(), k.added_by),
                ]);
            }
            t.write(out)?;
            writeln!(out, "{} key{}.", keys.len(), plural(keys.len() as i64))?;
        }
        KeysCommand::Remove { id } => {
            let removed = dir.remove_key(actor, *id)?;
            writeln!(out, "{}.", KeyRemoved(&removed))?;
        }
    }
    Ok(())
}

/// `keys add LOGIN -`: the key line from standard input, read no further than a key
/// can be long.
fn read_stdin_key() -> Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_KEY_LINE as u64 + 2)
        .read_to_string(&mut text)
        .map_err(|e| Error::io("cannot read the key from standard input", &e))?;
    Ok(text)
}
