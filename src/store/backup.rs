//! Online backup and restore of the database file, with SQLite's online backup API.
//!
//! Why the backup API and not `VACUUM INTO`: both copy one consistent state while
//! others keep writing (WAL lets writers go on past the copy's read transaction), but
//! the backup API copies pages as they are, where `VACUUM INTO` rebuilds every table
//! and index (about twice the time on the large company), and the backup API also
//! writes into a database that others have open, in one transaction, which is what a
//! restore over a live company needs. The copy is made in one step (`step(-1)`): a
//! backup made in small steps starts over each time another connection writes, and
//! under steady writes would never end.

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{APPLICATION_ID, BUSY_TIMEOUT, latest_version, queries};
use crate::directory::model::AuditCheck;
use crate::domain::{Error, Result};
use crate::files::create_private_file;

/// The first schema version whose audit events are chained by hash.
const CHAIN_SINCE: i64 = 4;

/// What `verify` found in a backup file.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupCheck {
    pub schema: i64,
    pub employees: i64,
    /// The audit chain, when the schema has one.
    pub audit: Option<AuditCheck>,
}

impl BackupCheck {
    /// Every check passed: the caller already knows the file is sound and ours.
    pub fn chain_sound(&self) -> bool {
        self.audit
            .as_ref()
            .is_none_or(|a| a.broken.is_none() && a.missing_guards.is_empty())
    }
}

/// A file beside `path` that becomes `path` by a rename: `.NAME.partial`.
fn beside(path: &Path) -> Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} is not a file name", path.display())))?;
    let mut partial = std::ffi::OsString::from(".");
    partial.push(name);
    partial.push(".partial");
    Ok(path.with_file_name(partial))
}

/// Copy every page of `src` into `dst` in one step.
fn copy_pages(src: &Connection, dst: &mut Connection) -> Result<()> {
    let backup = Backup::new(src, dst)?;
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // Another connection holds a lock the copy needs: wait as a write would.
            StepResult::Busy | StepResult::Locked if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            StepResult::Busy | StepResult::Locked => {
                return Err(Error::Busy(BUSY_TIMEOUT.as_secs()));
            }
            _ => {}
        }
    }
}

/// Write a copy of `src` to `path` (mode 0600): into a file beside it, made
/// self-contained (rollback journal, not WAL) and synced, then renamed into place, so
/// `path` is either absent or a whole backup. An existing `path` is replaced only with
/// `force`.
pub fn backup(src: &Connection, path: &Path, force: bool) -> Result<u64> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(Error::invalid(format!(
            "{shown} is a folder: give a file name"
        )));
    }
    if path.exists() && !force {
        return Err(Error::WrongState(crate::domain::Conflict::Interface(
            format!("{shown} already exists: pass --force to replace it"),
        )));
    }
    let partial = beside(path)?;
    let _ = std::fs::remove_file(&partial);
    create_private_file(&partial)
        .map_err(|e| Error::io(format!("cannot create {}", partial.display()), &e))?;
    let written = (|| -> Result<()> {
        let mut dst = Connection::open(&partial)?;
        dst.busy_timeout(BUSY_TIMEOUT)?;
        copy_pages(src, &mut dst)?;
        // One file that opens anywhere, without a -wal beside it.
        dst.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        drop(dst);
        File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(match e {
            Error::Storage(m) => Error::other(format!("cannot write the backup {shown}: {m}")),
            other => other,
        });
    }
    Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))
}

/// The audit events a backup just written holds: how many, and the last with its
/// hash. A count and one row, not `verify`'s walk of the whole file (its
/// `integrity_check` reads every page: seconds on a large company).
pub fn audit_tail(path: &Path) -> Result<(i64, Option<(i64, String)>)> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let events: i64 = c.query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get(0))?;
    let last = c
        .query_row(
            "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                ))
            },
        )
        .optional()?;
    Ok((events, last))
}

/// Check a backup file: an offboard database, whole (`integrity_check`), of a schema
/// this program knows, with an unbroken audit chain if its schema has one.
pub fn verify(path: &Path) -> Result<BackupCheck> {
    let shown = path.display().to_string();
    let not_ours = |why: String| Error::NotOffboard {
        path: shown.clone(),
        why,
    };
    let meta =
        std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {shown}"), &e))?;
    if !meta.is_file() {
        return Err(not_ours("it is not a regular file".into()));
    }
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::other(format!("cannot open {shown}: {e}")))?;
    c.busy_timeout(BUSY_TIMEOUT)?;
    let (version, app_id): (i64, i64) = c
        .query_row(
            "SELECT user_version, application_id FROM pragma_user_version, pragma_application_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| not_ours(super::describe_open_failure(&e)))?;
    if app_id != APPLICATION_ID || version == 0 {
        return Err(not_ours("it is not an offboard database".into()));
    }
    if version > latest_version() {
        return Err(Error::TooNew {
            path: shown,
            found: version,
            known: latest_version(),
        });
    }
    let mut problems = Vec::new();
    let mut stmt = c
        .prepare("PRAGMA integrity_check")
        .map_err(|e| not_ours(super::describe_open_failure(&e)))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(|e| not_ours(super::describe_open_failure(&e)))?;
    for row in rows {
        let line = row.map_err(|e| not_ours(super::describe_open_failure(&e)))?;
        if line != "ok" {
            problems.push(line);
        }
    }
    drop(stmt);
    if !problems.is_empty() {
        problems.truncate(3);
        return Err(not_ours(format!(
            "integrity_check found it damaged ({})",
            problems.join("; ")
        )));
    }
    let employees: i64 = c.query_row("SELECT COUNT(*) FROM employees", [], |r| r.get(0))?;
    let audit = if version >= CHAIN_SINCE {
        Some(queries::verify_audit(&c)?)
    } else {
        None
    };
    Ok(BackupCheck {
        schema: version,
        employees,
        audit,
    })
}

/// Put the backup at `from` in place at `db`. `from` is checked first (`verify`), and
/// one of a newer schema is refused whatever `force` says. Where `db` holds nothing,
/// the backup is copied into a file beside it and renamed into place; where it holds a
/// company (only with `force`), the backup replaces its pages in one transaction of
/// that database, so a process that has it open reads the old company or the
/// restored one, never a mix, and its `-wal` stays consistent with the file.
pub fn restore(from: &Path, db: &Path, force: bool) -> Result<BackupCheck> {
    let check = verify(from)?;
    if !check.chain_sound() {
        return Err(Error::NotOffboard {
            path: from.display().to_string(),
            why: "its audit chain is broken (see `offboard backup --verify`)".into(),
        });
    }
    let shown = db.display().to_string();
    let src = Connection::open_with_flags(
        from,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let holds_something = std::fs::metadata(db).is_ok_and(|m| m.len() > 0);
    if holds_something {
        if !force {
            return Err(Error::WrongState(crate::domain::Conflict::Interface(
                format!(
                    "{shown} already holds a database: pass --force to replace it with the backup"
                ),
            )));
        }
        let mut live = super::open(db, super::OpenMode::Existing)?;
        copy_pages(&src, &mut live)?;
        return Ok(check);
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::files::create_private_dir(dir)
            .map_err(|e| Error::io(format!("cannot create the folder {}", dir.display()), &e))?;
    }
    let partial = beside(db)?;
    let _ = std::fs::remove_file(&partial);
    create_private_file(&partial)
        .map_err(|e| Error::io(format!("cannot create {}", partial.display()), &e))?;
    let written = (|| -> Result<()> {
        let mut dst = Connection::open(&partial)?;
        copy_pages(&src, &mut dst)?;
        dst.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        drop(dst);
        File::open(&partial)?.sync_all()?;
        // An empty file at `db` (left by a failed init) gives way too.
        std::fs::rename(&partial, db)?;
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        for extra in ["-wal", "-shm", "-journal"] {
            let mut p = partial.clone().into_os_string();
            p.push(extra);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        return Err(e);
    }
    Ok(check)
}
