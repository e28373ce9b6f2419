//! SQLite: opening a file safely, the numbered migrations, and every query.

pub mod backup;
pub mod bulk;
mod error;
mod ids;
pub mod portal;
pub mod queries;
mod values;

pub(crate) use values::{Day, Stamp};

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::domain::{Error, Result};
use crate::files::{create_private_dir, create_private_file};

/// Two processes on one file wait this long for each other before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Files smaller than this are checked whole (`PRAGMA quick_check`) when opened.
const QUICK_CHECK_BELOW: u64 = 32 * 1024 * 1024;

/// Marks a file as an offboard database ("OFFB").
const APPLICATION_ID: i64 = 0x4F46_4642;

/// Numbered migrations; the schema version is `PRAGMA user_version`.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_init.sql")),
    (2, include_str!("migrations/0002_handover_history.sql")),
    (3, include_str!("migrations/0003_name_order.sql")),
    (4, include_str!("migrations/0004_audit_door_chain.sql")),
    (5, include_str!("migrations/0005_keys.sql")),
    (6, include_str!("migrations/0006_personal_fields.sql")),
    (7, include_str!("migrations/0007_four_digit_years.sql")),
    (8, include_str!("migrations/0008_scim.sql")),
    (9, include_str!("migrations/0009_word_search.sql")),
    (10, include_str!("migrations/0010_hooks_checklists.sql")),
    (11, include_str!("migrations/0011_step_indexes.sql")),
    (
        12,
        include_str!("migrations/0012_counts_and_ranked_search.sql"),
    ),
];

/// What a migration needs done in the program after its SQL, by version: 4 chains the
/// audit events already there (SHA-256 is not SQL) and restores the trigger it set aside.
const AFTER_SQL: &[(i64, AfterSql)] = &[(4, queries::chain_existing_events)];

type AfterSql = fn(&Connection) -> Result<()>;

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

/// How to open the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The file must already hold an offboard database.
    Existing,
    /// Create the file (mode 0600) and the schema if missing.
    Create,
}

/// Open (or create) the database at `path`, set the connection up and bring the schema
/// to the latest version. Refuses files that are not offboard databases.
pub fn open(path: &Path, mode: OpenMode) -> Result<Connection> {
    let shown = path.display().to_string();
    let exists = path.exists();
    if !exists {
        if mode == OpenMode::Existing {
            return Err(Error::NoCompany {
                path: shown,
                empty: false,
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| {
                Error::io(format!("cannot create the folder {}", dir.display()), &e)
            })?;
        }
        create_private_file(path).map_err(|e| Error::io(format!("cannot create {shown}"), &e))?;
    } else {
        refuse_unless_regular(path)?;
    }
    // What this user cannot write is opened read-only, so that reading works and
    // nothing is left behind: SQLite would otherwise create `-wal` and `-shm` files,
    // owned by this reader, that the file's owner could then not use.
    let read_only = read_only_reason(path);
    let conn = match &read_only {
        None => Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ),
        Some(_) => Connection::open_with_flags(
            read_only_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ),
    }
    .map_err(|e| Error::other(format!("cannot open {shown}: {e}")))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| storage_at(&shown, e))?;
    // The operations use more distinct statements than rusqlite's default cache of 16.
    conn.set_prepared_statement_cache_capacity(64);
    // One plan per statement, whatever its parameters: the bundled SQLite keeps
    // per-value statistics (STAT4), and with them a cached statement whose range
    // bound changes (`id > ?`, a page's anchor) was planned again on every step: a
    // third of a REST page's time. The per-table statistics still choose the plans.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(|e| storage_at(&shown, e))?;
    let not_ours = |why: String| Error::NotOffboard {
        path: shown.clone(),
        why,
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_ours(describe_open_failure(&e)))?;
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_ours(describe_open_failure(&e)))?;
    let tables: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| not_ours(describe_open_failure(&e)))?;
    if version == 0 && tables == 0 {
        if mode == OpenMode::Existing {
            return Err(Error::NoCompany {
                path: shown,
                empty: true,
            });
        }
    } else if app_id != APPLICATION_ID {
        return Err(not_ours(
            "it is an SQLite database of some other program".into(),
        ));
    } else if version == 0 {
        // Every migration sets the version in its own transaction, so tables without
        // one were made or changed by another tool: running migration 1 over them
        // would only fail on the first table that is there.
        return Err(not_ours(format!(
            "it holds {tables} schema objects but no schema version (PRAGMA user_version is 0): restore it from a backup"
        )));
    }
    // A damaged page is only noticed when read, maybe after a change has been written
    // elsewhere in the file: check small files whole before using them. (A large company
    // would take seconds to check; there SQLite's own errors say it when they meet one.)
    if version > 0
        && std::fs::metadata(path)
            .map(|m| m.len() < QUICK_CHECK_BELOW)
            .unwrap_or(false)
    {
        let quick: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| not_ours(describe_open_failure(&e)))?;
        if quick != "ok" {
            let detail = quick
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(not_ours(format!("it is damaged ({detail})")));
        }
    }
    if version > latest_version() {
        return Err(Error::TooNew {
            path: shown,
            found: version,
            known: latest_version(),
        });
    }
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        .map_err(|e| storage_at(&shown, e))?;
    if version < latest_version()
        && let Some(why) = &read_only
    {
        return Err(Error::ReadOnly(format!(
            "{shown} ({why}; its schema version {version} needs the upgrade to {})",
            latest_version()
        )));
    }
    if version < latest_version() {
        migrate(&conn, version).map_err(|e| match e {
            Error::ReadOnly(_) => Error::ReadOnly(shown.clone()),
            other => other,
        })?;
    }
    Ok(conn)
}

/// Only a regular file (or a link to one) can be a database: opening a FIFO would wait
/// for a writer forever, and a folder or a device is no company.
pub fn refuse_unless_regular(path: &Path) -> Result<()> {
    let kind = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), &e))?
        .file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        special_file_kind(&kind)
    };
    Err(Error::NotOffboard {
        path: path.display().to_string(),
        why: format!("it is {what}, not a regular file"),
    })
}

#[cfg(unix)]
fn special_file_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Why this user cannot change the database at `path`, if they cannot: the file, or
/// the folder SQLite writes its `-wal` and `-shm` files in, is not writable for them
/// (permissions, `chattr +i`, a read-only mount).
pub fn read_only_reason(path: &Path) -> Option<String> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !writable(path) {
        Some("this user may not write the file".into())
    } else if !writable(folder) {
        Some(format!(
            "this user may not write its folder {}, where SQLite keeps its journal",
            folder.display()
        ))
    } else {
        None
    }
}

#[cfg(unix)]
fn writable(path: &Path) -> bool {
    nix::unistd::access(path, nix::unistd::AccessFlags::W_OK).is_ok()
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// `file:PATH?mode=ro`, and `&immutable=1` when no writer has a journal open beside it
/// (no `-wal`): then SQLite reads the file as it is and creates nothing beside it. With
/// a `-wal` there a writer is at work, and its `-shm` is read to see its changes.
fn read_only_uri(path: &Path) -> String {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let immutable = !Path::new(&wal).exists();
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'_' | b'-' | b'~' => {
                uri.push(char::from(*b))
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro");
    if immutable {
        uri.push_str("&immutable=1");
    }
    uri
}

/// The first schema version with SSH keys.
pub const KEYS_SINCE: i64 = 5;

/// Open the file only to look a key up, as fast as sshd needs: read-only, no integrity
/// check, no migration (a file without keys yet answers that it has none). Refuses
/// what `open` refuses as not ours or too new.
pub fn open_lookup(path: &Path) -> Result<Option<Connection>> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(Error::NoCompany {
            path: shown,
            empty: false,
        });
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::other(format!("cannot open {shown}: {e}")))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| storage_at(&shown, e))?;
    let not_ours = |why: String| Error::NotOffboard {
        path: shown.clone(),
        why,
    };
    let (version, app_id): (i64, i64) = conn
        .query_row(
            "SELECT user_version, application_id FROM pragma_user_version, pragma_application_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| not_ours(describe_open_failure(&e)))?;
    if app_id != APPLICATION_ID {
        return Err(not_ours("it is not an offboard database".into()));
    }
    if version > latest_version() {
        return Err(Error::TooNew {
            path: shown,
            found: version,
            known: latest_version(),
        });
    }
    Ok((version >= KEYS_SINCE).then_some(conn))
}

fn describe_open_failure(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => "it is not an SQLite database".into(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => "it is damaged".into(),
        _ => e.to_string(),
    }
}

fn storage_at(path: &str, e: rusqlite::Error) -> Error {
    match Error::from(e) {
        Error::ReadOnly(_) => Error::ReadOnly(path.to_string()),
        Error::NotOffboard { why, .. } => Error::NotOffboard {
            path: path.to_string(),
            why,
        },
        other => other,
    }
}

fn migrate(conn: &Connection, from: i64) -> Result<()> {
    if from == 0 {
        // WAL lets readers (a TUI, `serve`) go on while one process writes.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    }
    // Migrations may fill columns with the program's own name folding.
    conn.create_scalar_function(
        "offboard_name_key",
        2,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8
            | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let first: String = ctx.get(0)?;
            let last: String = ctx.get(1)?;
            Ok(crate::domain::name_key(&first, &last))
        },
    )?;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > from) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        for (_, step) in AFTER_SQL.iter().filter(|(v, _)| v == version) {
            step(&tx)?;
        }
        tx.execute_batch(&format!(
            "PRAGMA user_version = {version}; PRAGMA application_id = {APPLICATION_ID};"
        ))?;
        tx.commit()?;
    }
    Ok(())
}

/// Set a higher `user_version` on a file: lets tests make a "newer program" database.
#[doc(hidden)]
pub fn force_schema_version(path: &Path, version: i64) -> Result<()> {
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!("PRAGMA user_version = {version};"))?;
    Ok(())
}
