//! Backups of the whole company: who may take one and what the audit records. The
//! copying itself is the store's (`store::backup`).

use std::path::Path;

use super::*;
pub use crate::store::backup::BackupCheck;

/// A backup just written.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupMade {
    pub path: String,
    pub bytes: u64,
    /// Audit events in the copy, the last of them and its hash.
    pub events: i64,
    pub last: Option<(i64, String)>,
}

impl Directory {
    /// Copy the company to `path` while others keep writing: administrators only. The
    /// event that records it comes after the copy, so it is in the live log only.
    pub fn backup(&mut self, actor: Actor, path: &Path, force: bool) -> Result<BackupMade> {
        self.read(actor, |_, me| rules::ensure_admin(me, Op::Backup))?;
        let bytes = store::backup::backup(&self.conn, path, force)?;
        let (events, last) = store::backup::audit_tail(path)?;
        let shown = path.display().to_string();
        self.change(actor, |cx| {
            cx.audit(
                "company.backup",
                None,
                json!({ "path": shown, "bytes": bytes, "events": events }),
            )
        })?;
        Ok(BackupMade {
            path: shown,
            bytes,
            events,
            last,
        })
    }

    /// Whether `actor` may replace this company with a backup: administrators only.
    pub fn ensure_may_restore(&self, actor: Actor) -> Result<()> {
        self.read(actor, |_, me| rules::ensure_admin(me, Op::Restore))
    }

    /// Record in a company just restored that `actor` restored it from `from`.
    pub fn record_restore(&mut self, actor: Actor, from: &Path, check: &BackupCheck) -> Result<()> {
        let events = check.audit.as_ref().map_or(0, |a| a.events);
        self.change(actor, |cx| {
            cx.audit(
                "company.restored",
                None,
                json!({ "from": from.display().to_string(), "events_in_backup": events }),
            )
        })
    }
}
