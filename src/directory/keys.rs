//! SSH keys: add, remove and list an employee's keys; what sshd asks
//! (`ssh authorized-keys`), and how an SSH session signs in and stays signed in.

use super::*;
use crate::domain::keys::{self, PublicKeyLine};

impl Directory {
    /// Register `line` (an authorized_keys line) as one of `login`'s keys.
    pub fn add_key(&mut self, actor: Actor, login: &str, line: &str) -> Result<SshKey> {
        let key = keys::parse_key_line(line)?;
        self.change(actor, |cx| {
            let owner = cx.employee(login)?;
            rules::check_key_manager(&cx.me, &owner)?;
            if let Some(held) = q::key_by_fingerprint(cx.tx, &key.fingerprint)? {
                return Err(Error::Duplicate(Taken::Key {
                    fingerprint: key.fingerprint.clone(),
                    owner: held.login,
                }));
            }
            let id = q::insert_key(cx.tx, owner.id, &key, cx.me.id, cx.now)?;
            cx.audit("key.add", Some(owner.id), key_details(id, &key))?;
            q::key(cx.tx, id)?.ok_or(Error::NotFound(Missing::Key(id)))
        })
    }

    /// Remove key `id`: the next login with it is refused, and a session signed in
    /// with it ends.
    pub fn remove_key(&mut self, actor: Actor, id: i64) -> Result<SshKey> {
        self.change(actor, |cx| {
            let key = q::key(cx.tx, id)?.ok_or(Error::NotFound(Missing::Key(id)))?;
            let owner =
                q::employee_by_id(cx.tx, key.owner_id)?.ok_or(Error::NotFound(Missing::Key(id)))?;
            rules::check_key_manager(&cx.me, &owner)?;
            q::delete_key(cx.tx, id)?;
            cx.audit(
                "key.remove",
                Some(owner.id),
                json!({ "key": id, "fingerprint": key.fingerprint, "algorithm": key.algorithm }),
            )?;
            Ok(key)
        })
    }

    /// `login`'s keys; without a login, every key the acting user may see (all of them
    /// for administrators and company-structure staff, else their own).
    pub fn keys(&self, actor: Actor, login: Option<&str>) -> Result<Vec<SshKey>> {
        self.read(actor, |c, me| match login {
            Some(login) => {
                let owner =
                    q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
                rules::check_key_manager(me, &owner)?;
                q::keys(c, Some(owner.id))
            }
            None if me.is_staff() && !me.is_system() => q::keys(c, None),
            None => {
                rules::check_key_manager(me, me)?;
                q::keys(c, Some(me.id))
            }
        })
    }

    /// What sshd asks through `ssh authorized-keys`: is this offered key registered,
    /// and does it let its owner in? `None` for a key of nobody (or not a key at all).
    pub fn offered_key(&self, algorithm: &str, base64: &str) -> Result<Option<OfferedKey>> {
        let Some(offered) = keys::parse_offered(algorithm, base64) else {
            return Ok(None);
        };
        let found = q::offered_key(&self.conn, &offered.fingerprint).map_err(|e| self.locate(e))?;
        // The type sshd names must be the key's own.
        Ok(found.filter(|k| k.algorithm == offered.algorithm))
    }

    /// An SSH session signs in with key `id`: refused for a removed key and for an
    /// owner who may not sign in (dismissed, a system user).
    pub fn sign_in_by_key(&self, id: i64) -> Result<(Employee, SshKey)> {
        let key = q::key(&self.conn, id)
            .map_err(|e| self.locate(e))?
            .ok_or(Error::AccessRevoked(Revoked::KeyRemoved { key: id }))?;
        let owner = q::employee_by_id(&self.conn, key.owner_id)
            .map_err(|e| self.locate(e))?
            .ok_or(Error::AccessRevoked(Revoked::Gone))?;
        rules::ensure_key_signs_in(&owner)?;
        Ok((owner, key))
    }

    /// Is the door this directory's users came through still open for `actor`? Always
    /// for the local operator; over SSH, only while the key is still theirs. Sessions
    /// ask this when they poll, and every operation inside its transaction.
    pub fn check_door(&self, actor: Actor) -> Result<()> {
        door_open(&self.conn, &self.door, actor.id).map_err(|e| self.locate(e))
    }
}

/// Whether `door` still lets employee `me` in.
pub(super) fn door_open(c: &Connection, door: &Door, me: EmployeeId) -> Result<()> {
    match door {
        Door::Local { .. } => Ok(()),
        Door::Ssh { key, .. } => {
            if q::key_belongs_to(c, *key, me)? {
                Ok(())
            } else {
                Err(Error::AccessRevoked(Revoked::KeyRemoved { key: *key }))
            }
        }
        // A SCIM client acts as the administrator who made its token, while the token
        // is not revoked: a revocation stops the next change, even one under way.
        Door::Scim { token, client } => {
            if q::scim_token_made_by(c, *token, me)? {
                Ok(())
            } else {
                Err(Error::AccessRevoked(Revoked::ScimTokenRevoked {
                    client: client.clone(),
                }))
            }
        }
    }
}

fn key_details(id: i64, key: &PublicKeyLine) -> serde_json::Value {
    json!({
        "key": id,
        "fingerprint": key.fingerprint,
        "algorithm": key.algorithm,
        "comment": key.comment,
    })
}
