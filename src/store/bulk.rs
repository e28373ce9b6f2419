//! Inserts for building companies in bulk (the demo builder). Each statement is
//! prepared once and cached; the caller holds one transaction around all of them.

use std::path::{Path, PathBuf};

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, params};

use crate::domain::{EmployeeId, Result};

/// How many rows one statement of a `Batch` carries.
const BATCH_ROWS: usize = 64;

/// One table's rows in bulk, `BATCH_ROWS` to a multi-row INSERT: one statement run per
/// batch instead of one per row, and within it the table's cursors stay where they
/// wrote last, so an index whose rows arrive in its own order is appended to rather
/// than searched from its root for every row.
pub struct Batch<'c, 'a> {
    c: &'c Connection,
    head: &'static str,
    width: usize,
    full: String,
    values: Vec<ToSqlOutput<'a>>,
}

impl<'c, 'a> Batch<'c, 'a> {
    /// `head` is the statement up to `VALUES` (`INSERT INTO t (a, b)`), for rows of
    /// `width` values.
    pub fn new(c: &'c Connection, head: &'static str, width: usize) -> Self {
        Batch {
            c,
            head,
            width,
            full: batch_sql(head, width, BATCH_ROWS),
            values: Vec::with_capacity(width * BATCH_ROWS),
        }
    }

    /// Add one row; a full batch is written at once.
    pub fn push<const N: usize>(&mut self, row: [ToSqlOutput<'a>; N]) -> Result<()> {
        debug_assert_eq!(N, self.width, "a row of {N} values for {}", self.head);
        self.values.extend(row);
        if self.values.len() == self.width * BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Write the rows still held.
    pub fn finish(mut self) -> Result<()> {
        self.flush()
    }

    fn flush(&mut self) -> Result<()> {
        let rows = self.values.len() / self.width;
        if rows == 0 {
            return Ok(());
        }
        let rest;
        let sql = if rows == BATCH_ROWS {
            &self.full
        } else {
            rest = batch_sql(self.head, self.width, rows);
            &rest
        };
        let mut stmt = self.c.prepare_cached(sql)?;
        for (i, v) in self.values.drain(..).enumerate() {
            stmt.raw_bind_parameter(i + 1, v)?;
        }
        stmt.raw_execute()?;
        Ok(())
    }
}

fn batch_sql(head: &str, width: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; width].join(", "));
    format!("{head} VALUES {}", vec![row; rows].join(", "))
}

/// An integer value for a `Batch` row.
pub fn int(v: i64) -> ToSqlOutput<'static> {
    v.into()
}

/// The first id a table's next row gets.
pub fn next_id(c: &Connection, table: &str) -> Result<i64> {
    Ok(c.query_row(
        &format!("SELECT coalesce(max(rowid), 0) + 1 FROM \"{table}\""),
        [],
        |r| r.get(0),
    )?)
}

pub fn task(
    c: &Connection,
    title: &str,
    status: &str,
    creator: EmployeeId,
    responsible: EmployeeId,
    at: &str,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO tasks (title, status, creator_id, responsible_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![title, status, creator, responsible, at])?;
    Ok(c.last_insert_rowid())
}

pub fn task_participant(c: &Connection, task: i64, who: EmployeeId) -> Result<()> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO task_participants (task_id, employee_id) VALUES (?1, ?2)",
    )?
    .execute(params![task, who])?;
    Ok(())
}

pub fn crm_item(
    c: &Connection,
    kind: &str,
    title: &str,
    stage: &str,
    assigned: EmployeeId,
    at: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO crm_items (kind, title, stage, assigned_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![kind, title, stage, assigned, at])?;
    Ok(())
}

pub fn file(
    c: &Connection,
    name: &str,
    size: i64,
    folder: &str,
    owner: EmployeeId,
    at: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO files (name, size, folder, owner_id, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
    )?
    .execute(params![name, size, folder, owner, at])?;
    Ok(())
}

pub fn mailbox(c: &Connection, address: &str, owner: EmployeeId) -> Result<()> {
    c.prepare_cached("INSERT INTO mailboxes (address, owner_id) VALUES (?1, ?2)")?
        .execute(params![address, owner])?;
    Ok(())
}

/// A private chat between two people (stored with the lower id first).
pub fn private_chat(c: &Connection, a: EmployeeId, b: EmployeeId) -> Result<i64> {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    c.prepare_cached("INSERT INTO chats (kind, member_a, member_b) VALUES ('private', ?1, ?2)")?
        .execute(params![lo, hi])?;
    let id = c.last_insert_rowid();
    chat_member(c, id, lo)?;
    chat_member(c, id, hi)?;
    Ok(id)
}

pub fn group_chat(c: &Connection, title: &str) -> Result<i64> {
    c.prepare_cached("INSERT INTO chats (kind, title) VALUES ('group', ?1)")?
        .execute([title])?;
    Ok(c.last_insert_rowid())
}

pub fn chat_member(c: &Connection, chat: i64, who: EmployeeId) -> Result<()> {
    c.prepare_cached("INSERT OR IGNORE INTO chat_members (chat_id, employee_id) VALUES (?1, ?2)")?
        .execute(params![chat, who])?;
    Ok(())
}

pub fn message(c: &Connection, chat: i64, author: EmployeeId, body: &str, at: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO messages (chat_id, author_id, body, sent_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![chat, author, body, at])?;
    Ok(())
}

pub fn meeting(c: &Connection, title: &str, at: &str, organizer: EmployeeId) -> Result<i64> {
    c.prepare_cached("INSERT INTO meetings (title, starts_at, organizer_id) VALUES (?1, ?2, ?3)")?
        .execute(params![title, at, organizer])?;
    Ok(c.last_insert_rowid())
}

pub fn attendee(c: &Connection, meeting: i64, who: EmployeeId) -> Result<()> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO meeting_attendees (meeting_id, employee_id) VALUES (?1, ?2)",
    )?
    .execute(params![meeting, who])?;
    Ok(())
}

pub fn post(c: &Connection, author: EmployeeId, body: &str, at: &str) -> Result<()> {
    c.prepare_cached("INSERT INTO feed_posts (author_id, body, posted_at) VALUES (?1, ?2, ?3)")?
        .execute(params![author, body, at])?;
    Ok(())
}

pub fn group(c: &Connection, name: &str, description: &str) -> Result<i64> {
    c.prepare_cached("INSERT INTO groups (name, description) VALUES (?1, ?2)")?
        .execute(params![name, description])?;
    Ok(c.last_insert_rowid())
}

pub fn group_member(c: &Connection, group: i64, who: EmployeeId) -> Result<()> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO group_members (group_id, employee_id) VALUES (?1, ?2)",
    )?
    .execute(params![group, who])?;
    Ok(())
}

/// A departure that already happened, written directly (the large synthetic company).
pub fn past_dismissal(
    c: &Connection,
    who: EmployeeId,
    at: &str,
    by: EmployeeId,
    reason: &str,
) -> Result<()> {
    c.prepare_cached("UPDATE employees SET status = 'dismissed' WHERE id = ?1")?
        .execute([who])?;
    c.prepare_cached(
        "INSERT INTO departures (employee_id, effective_at, recorded_by, recorded_at, reason, state) \
         VALUES (?1, ?2, ?3, ?2, ?4, 'done')",
    )?
    .execute(params![who, at, by, reason])?;
    Ok(())
}

/// Settings that make a one-off bulk load fast. The file is new and is not in use until
/// the load commits, so it needs no journal meanwhile. No sorter threads: the other core
/// is busy with the side file (`SideFile`). Index builds sort through temporary files
/// with an 8 MiB cache: SQLite then sorts in cache-sized runs and merges them, which
/// measured three times faster than sorting every entry at once in memory
/// (`temp_store = MEMORY`) or in bigger runs. Everything goes back to normal (WAL)
/// afterwards.
pub fn fast_load(c: &Connection, on: bool) -> Result<()> {
    if on {
        c.query_row("PRAGMA journal_mode = OFF", [], |_| Ok(()))?;
        c.execute_batch(
            "PRAGMA synchronous = OFF; PRAGMA cache_size = -8192; PRAGMA temp_store = FILE; PRAGMA threads = 0;",
        )?;
    } else {
        // WAL first, while writes are still not waited for: turning it on with
        // `synchronous = NORMAL` would first wait for the whole new file to reach the
        // disk. The kernel writes it out within seconds, as it does a bare insert.
        c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        c.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA threads = 0;",
        )?;
    }
    Ok(())
}

/// Refresh the planner's statistics after a bulk load.
pub fn analyze(c: &Connection) -> Result<()> {
    c.execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
    Ok(())
}

/// Indexes and triggers set aside while a new company is loaded in bulk: building an
/// index once over sorted data is far cheaper than keeping it up to date row by row.
#[derive(Clone)]
pub struct Deferred {
    /// (kind, name, table, sql) in the order they were found
    items: Vec<(String, String, String, String)>,
}

impl Deferred {
    /// Take out the indexes (`"index"`) or triggers (`"trigger"`) of these tables, to be
    /// put back separately.
    pub fn take(&mut self, tables: &[&str], kind: &str) -> Deferred {
        self.take_where(|k, _, t| k == kind && tables.contains(&t))
    }

    /// Take out these by name.
    pub fn take_named(&mut self, names: &[&str]) -> Deferred {
        self.take_where(|_, n, _| names.contains(&n))
    }

    fn take_where(&mut self, pick: impl Fn(&str, &str, &str) -> bool) -> Deferred {
        let (taken, kept) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|(k, n, t, _)| pick(k, n, t));
        self.items = kept;
        Deferred { items: taken }
    }

    pub fn sql(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|(_, _, _, sql)| sql.as_str())
    }
}

/// Drop every explicit index and trigger (their SQL is kept). Call inside the loading
/// transaction; `restore` puts everything back.
pub fn defer_indexes(c: &Connection) -> Result<Deferred> {
    let mut stmt = c.prepare(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_master \
         WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name NOT LIKE 'employee_words%'",
    )?;
    let found: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for (kind, name, _, _) in &found {
        c.execute_batch(&format!(
            "DROP {} main.\"{}\";",
            kind.to_uppercase(),
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(Deferred { items: found })
}

/// Rebuild what `defer_indexes` set aside (indexes before triggers, as found).
pub fn restore(c: &Connection, deferred: Deferred) -> Result<()> {
    for sql in deferred.sql() {
        c.execute_batch(sql)?;
    }
    Ok(())
}

/// The search index's rows of every employee, in row-id order, as `(rowid, words,
/// state)` (the words of `queries::WORDS_SQL`, the status as a token), read to be
/// written into another file's index (`fill_search_with`).
pub fn search_rows(c: &Connection) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = c.prepare(&format!(
        "SELECT (e.name_rank << 28) | e.id, {words}, 'is' || e.status \
         FROM employees e LEFT JOIN departments d ON d.id = e.department_id \
         WHERE e.kind = 'employee' ORDER BY 1",
        words = crate::store::queries::WORDS_SQL
    ))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Fill an empty search index with `rows` (`search_rows`, in row-id order).
///
/// The rows go in in row-id order, as FTS5 wants them: a row id below the last one
/// makes it write out what it holds at once, into a segment of its own. While it fills,
/// it may hold 64 MiB of new entries before it writes them (1 MiB, the default, again
/// afterwards), so that a million employees make a few large segments instead of
/// hundreds to merge.
pub fn fill_search_with(c: &Connection, rows: &[(i64, String, String)]) -> Result<()> {
    c.execute_batch(
        "INSERT INTO employee_words (employee_words, rank) VALUES ('hashsize', 67108864);",
    )?;
    let mut words = Batch::new(c, "INSERT INTO employee_words (rowid, words, state)", 3);
    for (rowid, text, state) in rows {
        words.push([int(*rowid), text.as_str().into(), state.as_str().into()])?;
    }
    words.finish()?;
    c.execute_batch(
        "INSERT INTO employee_words (employee_words, rank) VALUES ('hashsize', 1048576);",
    )?;
    Ok(())
}

/// The tables in which FTS5 keeps the search index (`employee_words`).
const SEARCH_SHADOWS: &[&str] = &[
    "employee_words_data",
    "employee_words_idx",
    "employee_words_content",
    "employee_words_docsize",
    "employee_words_config",
];

/// A side file that a second thread fills with some of the tables while the loading
/// connection fills the rest: both cores work, and the biggest indexes are sorted while
/// the other tables are being written. The file, `<database>.load-<process id>`, sits
/// beside the database (on the same disk, as private), is attached as `side` before the
/// loading transaction starts (SQLite cannot attach inside one), and is removed when
/// this is dropped.
pub struct SideFile {
    path: PathBuf,
}

impl SideFile {
    /// Create the side file for `db` with empty copies of `tables` (their exact SQL, so
    /// that SQLite can later copy rows and index entries across without re-sorting them),
    /// and attach it to `c` as `side`.
    pub fn attach(c: &Connection, db: &Path, tables: &[&str]) -> Result<SideFile> {
        // Named for this process and made only if new: nothing that was there already
        // is ever touched, and the file is ours to remove.
        let mut name = db.as_os_str().to_owned();
        name.push(format!(".load-{}", std::process::id()));
        let path = PathBuf::from(name);
        crate::files::create_private_file(&path)
            .map_err(|e| crate::Error::io(format!("cannot create {}", path.display()), &e))?;
        let side = SideFile { path };
        {
            let s = Connection::open(&side.path)?;
            for table in tables {
                let sql: String = c.query_row(
                    "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )?;
                s.execute_batch(&sql)?;
            }
        }
        c.execute(
            "ATTACH DATABASE ?1 AS side",
            [side.path.to_string_lossy().as_ref()],
        )?;
        Ok(side)
    }

    /// A connection of the loading thread's own to the side file, set up for a bulk load.
    pub fn open(&self) -> Result<Connection> {
        let s = Connection::open(&self.path)?;
        s.query_row("PRAGMA journal_mode = OFF", [], |_| Ok(()))?;
        s.execute_batch(
            "PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192; PRAGMA temp_store = FILE;",
        )?;
        Ok(s)
    }

    /// Copy each table from the side file into the same, still empty, table of the main
    /// database. With the main table's indexes already made (on no rows) and the same
    /// indexes filled in the side file, SQLite copies records and index entries as they
    /// are, in order, instead of inserting row by row and sorting again.
    pub fn copy_into_main(&self, c: &Connection, tables: &[&str]) -> Result<()> {
        // The side file's schema changed after it was attached: read it again first.
        c.query_row("SELECT count(*) FROM side.sqlite_master", [], |_| Ok(()))?;
        for table in tables {
            c.execute_batch(&format!(
                "INSERT INTO main.\"{table}\" SELECT * FROM side.\"{table}\";"
            ))?;
        }
        Ok(())
    }

    /// Put the search index built in the side file (`fill_search_with`) in place of the
    /// main database's, still empty one: FTS5 keeps an index in ordinary tables, and
    /// both were made by the same statement, so their rows are the same index in either
    /// file. The loading connection must not have read its own index during the load:
    /// FTS5 would keep what it read of the empty one.
    pub fn copy_search_into_main(&self, c: &Connection) -> Result<()> {
        for table in SEARCH_SHADOWS {
            c.execute_batch(&format!(
                "DELETE FROM main.\"{table}\"; INSERT INTO main.\"{table}\" SELECT * FROM side.\"{table}\";"
            ))?;
        }
        Ok(())
    }

    /// Detach (outside any transaction) and remove the file.
    pub fn detach(self, c: &Connection) -> Result<()> {
        c.execute_batch("DETACH DATABASE side;")?;
        Ok(())
    }

    fn remove(&self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = self.path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

impl Drop for SideFile {
    fn drop(&mut self) {
        self.remove();
    }
}

pub fn foreign_keys(c: &Connection, on: bool) -> Result<()> {
    c.execute_batch(if on {
        "PRAGMA foreign_keys = ON;"
    } else {
        "PRAGMA foreign_keys = OFF;"
    })?;
    Ok(())
}

/// What one employee owns, counted while a bulk load writes it: the figures of
/// `work_counts`, as `queries::recount_work` would count them from the rows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Owned {
    /// tasks they are responsible for, any state
    pub responsible: i64,
    /// of those, done
    pub done: i64,
    /// CRM items assigned to them that are not closed
    pub crm_open: i64,
    pub files: i64,
    pub mailboxes: i64,
}

impl Owned {
    /// Add a CRM item at `stage`.
    pub fn crm(&mut self, stage: &str) {
        if !crate::domain::CLOSED_CRM_STAGES.contains(&stage) {
            self.crm_open += 1;
        }
    }
}

/// Write the counts of a new company's work (`work_counts` is empty), one row for each
/// employee who owns anything.
pub fn write_work_counts<'e>(
    c: &Connection,
    owned: impl IntoIterator<Item = (EmployeeId, &'e Owned)>,
) -> Result<()> {
    let mut rows = Batch::new(
        c,
        "INSERT INTO work_counts (employee_id, responsible, done, crm_open, files, mailboxes)",
        6,
    );
    for (id, o) in owned {
        if *o != Owned::default() {
            rows.push([
                int(id.0),
                int(o.responsible),
                int(o.done),
                int(o.crm_open),
                int(o.files),
                int(o.mailboxes),
            ])?;
        }
    }
    rows.finish()
}

/// After a bulk load: the integrations of everyone already dismissed are disabled.
pub fn disable_integrations_of_dismissed(c: &Connection) -> Result<usize> {
    Ok(c.execute(
        "UPDATE integrations SET status = 'disabled' WHERE status = 'active' \
         AND owner_id IN (SELECT id FROM employees WHERE status = 'dismissed')",
        [],
    )?)
}
