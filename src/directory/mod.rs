//! Every operation of offboard. Each change is one `BEGIN IMMEDIATE` transaction that
//! loads the facts, re-checks the acting user, asks the rules, writes, and appends its
//! audit event before committing. The TUI, the command line and the REST endpoint call
//! these and nothing else changes data.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;
use serde_json::json;

use crate::domain::rules::{self, EditEffect};
use crate::domain::{
    Actor, ChecklistChoice, Conflict, Denial, Departure, DepartureState, Door, Employee,
    EmployeeId, Error, EventType, History, Integration, IntegrationBrief, IntegrationChoice,
    IntegrationId, IntegrationStatus, Invalid, Kind, Missing, Op, Owned, Reason, Result, Revoked,
    ScopeSet, Status, StatusFilter, Taken, TaskId, Via, WorkKinds, secret, validate,
};
use crate::store::queries as q;
use crate::store::{self, OpenMode};

pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8089";
const SHOW_DISMISSED: &str = "show_dismissed";
const COMPANY_NAME: &str = "company_name";
const DEMO_FLAG: &str = "demo";

mod access;
pub mod backup;
mod checklists;
mod dashboard;
mod departments;
mod dismissal;
mod hooks;
mod import;
mod keys;
pub mod model;
mod outcome;
mod people;
mod portal;
mod reads;
mod scim;
mod webhooks;

pub use checklists::{StepChanged, StepSpec, seed_checklist_template};
pub use dashboard::{Dashboard, Departures, Pending};
pub use hooks::{check_hook_url, parse_event_types};
pub use import::{MAX_IMPORT_BYTES, MAX_IMPORT_LINE};
pub use model::*;
pub use outcome::{
    AccessChanged, BulkSummary, Canceled, Created, HandedTo, KeyAdded, KeyRemoved, Moved, Named,
    Regenerated, TakenOver, Toggled,
};

use dismissal::{dismiss_in, hire_in};
use people::insert_person;

/// The company directory over one SQLite file.
pub struct Directory {
    conn: Connection,
    /// The totals and ID anchors of the REST and SCIM user lists, by filter, with the
    /// data version they were read at: valid while no connection changes the file
    /// (`PRAGMA data_version` for others; every change of ours clears it). Read and
    /// kept through `kept_index` and `keep_index`.
    count_cache: std::cell::RefCell<
        std::collections::HashMap<String, (i64, std::sync::Arc<store::portal::PageIndex>)>,
    >,
    path: PathBuf,
    clock: Option<DateTime<Utc>>,
    base_url: String,
    /// How the acting user got in; recorded with every audit event.
    door: Door,
    /// Inside `all_or_nothing`: changes join its transaction as savepoints.
    outer: bool,
}

/// What a change sees inside its transaction.
pub(crate) struct Ctx<'t> {
    tx: &'t Connection,
    me: Employee,
    actor: Actor,
    now: DateTime<Utc>,
    /// The door of this directory's session, recorded with each audit event.
    door: &'t Door,
}

impl Ctx<'_> {
    fn audit(
        &self,
        action: &str,
        target: Option<EmployeeId>,
        details: serde_json::Value,
    ) -> Result<()> {
        q::append_audit(
            self.tx,
            self.now,
            self.me.id,
            action,
            target,
            &details,
            &Via::of(self.door, self.actor.via_integration),
        )
    }

    /// Write an event to the outbox in this change's transaction: it exists exactly
    /// when the change commits. `data` holds the facts; the actor is added here.
    fn emit(&self, kind: EventType, data: serde_json::Value) -> Result<()> {
        let via = Via::of(self.door, self.actor.via_integration);
        emit_event(self.tx, self.now, kind, &self.me, &via, data)
    }

    fn employee(&self, login: &str) -> Result<Employee> {
        q::employee_by_login(self.tx, login.trim())?.ok_or_else(|| unknown_login(login))
    }
}

/// An employee as events name them.
pub(crate) fn brief(e: &Employee) -> serde_json::Value {
    json!({ "id": e.id, "login": e.login, "name": e.name() })
}

/// Append an event of `kind` by `actor` to the outbox: the Standard Webhooks payload
/// `{"type", "timestamp", "data": {…, "actor"}}`, kept as sent.
pub(crate) fn emit_event(
    tx: &Connection,
    now: DateTime<Utc>,
    kind: EventType,
    actor: &Employee,
    via: &Via,
    data: serde_json::Value,
) -> Result<()> {
    let mut data = match data {
        serde_json::Value::Object(m) => m,
        other => {
            let mut m = serde_json::Map::new();
            m.insert("value".into(), other);
            m
        }
    };
    let mut who = brief(actor);
    if let Some(o) = who.as_object_mut() {
        o.insert("door".into(), via.door().into());
        if let Via::Webhook { integration } = via {
            o.insert("integration".into(), json!(integration));
        }
    }
    data.insert("actor".into(), who);
    let body = json!({
        "type": kind.as_str(),
        "timestamp": timestamp(now),
        "data": data,
    })
    .to_string();
    let uid = crate::domain::signing::new_event_id()?;
    q::append_outbox(tx, &uid, kind.as_str(), now, &body)?;
    Ok(())
}

fn unknown_login(login: &str) -> Error {
    Error::NotFound(Missing::Login(login.trim().to_string()))
}

fn unknown_integration(id: IntegrationId) -> Error {
    Error::NotFound(Missing::Integration(id))
}

pub use crate::domain::timestamp;

impl Directory {
    /// Open an existing offboard database, applying any scheduled dismissal that is due
    /// (a read-only file is opened all the same, for reading).
    pub fn open(path: &Path) -> Result<Self> {
        let door = Self::unset_door();
        Self::open_through(path, door)
    }

    /// `open`, for a session that came in through `door`: the scheduled dismissals it
    /// applies on opening are recorded with that door, as everything after.
    pub fn open_through(path: &Path, door: Door) -> Result<Self> {
        let mut dir = Self::with_mode(path, OpenMode::Existing)?;
        dir.door = door;
        match dir.apply_due() {
            Ok(applied) => {
                for d in applied {
                    tracing::info!(login = %d.login, applied = d.applied, failure = ?d.failure, "scheduled dismissal");
                }
            }
            Err(Error::ReadOnly(_)) | Err(Error::Busy(_)) => {}
            Err(e) => return Err(e),
        }
        Ok(dir)
    }

    /// Open the file only to answer which key sshd was offered (`ssh authorized-keys`):
    /// read-only, without checks, migrations or scheduled dismissals, so that it is
    /// fast. Operations other than `offered_key` are not for it.
    pub fn open_for_lookup(path: &Path) -> Result<Option<Self>> {
        Ok(store::open_lookup(path)?.map(|conn| Directory {
            conn,
            count_cache: Default::default(),
            path: path.to_path_buf(),
            clock: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            door: Door::Local {
                uid: 0,
                user: String::new(),
            },
            outer: false,
        }))
    }

    /// Open the database, creating the file and schema if needed.
    pub fn create(path: &Path) -> Result<Self> {
        Self::with_mode(path, OpenMode::Create)
    }

    fn with_mode(path: &Path, mode: OpenMode) -> Result<Self> {
        let conn = store::open(path, mode)?;
        Ok(Directory {
            conn,
            count_cache: Default::default(),
            path: path.to_path_buf(),
            clock: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            door: Self::unset_door(),
            outer: false,
        })
    }

    /// The door of a directory nobody set one for (the library used directly, as the
    /// tests do): uid 0 with no name. The command line sets the operator's.
    fn unset_door() -> Door {
        Door::Local {
            uid: 0,
            user: String::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Fix "now" (the demo builder writes history in the past; tests pin time).
    pub fn set_clock(&mut self, at: Option<DateTime<Utc>>) {
        self.clock = at;
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.unwrap_or_else(Utc::now)
    }

    /// Through which door the acting users of this directory came in (the SSH session
    /// sets it; the default is the local operator).
    pub fn set_door(&mut self, door: Door) {
        self.door = door;
    }

    pub fn door(&self) -> &Door {
        &self.door
    }

    pub fn set_base_url(&mut self, base: &str) {
        self.base_url = base.trim_end_matches('/').to_string();
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The raw connection, for the demo builder's bulk inserts and for tests that
    /// inspect the file. Operations never need it.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    #[doc(hidden)]
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn locate(&self, e: Error) -> Error {
        let path = self.path.display().to_string();
        match e {
            Error::ReadOnly(_) => Error::ReadOnly(match store::read_only_reason(&self.path) {
                Some(why) => format!("{path} ({why})"),
                None => path,
            }),
            Error::NotOffboard { why, .. } => Error::NotOffboard { path, why },
            other => other,
        }
    }

    /// Run `f` as one immediate transaction on behalf of `actor`, re-checked inside it.
    fn change<T>(&mut self, actor: Actor, f: impl FnOnce(&Ctx<'_>) -> Result<T>) -> Result<T> {
        let now = self.now();
        self.count_cache.borrow_mut().clear();
        let door = &self.door;
        let inside = |tx: &Connection| -> Result<T> {
            let me = q::employee_by_id(tx, actor.id)?.ok_or(Error::AccessRevoked(Revoked::Gone))?;
            rules::ensure_can_act(&me)?;
            keys::door_open(tx, door, me.id)?;
            let ctx = Ctx {
                tx,
                me,
                actor,
                now,
                door,
            };
            f(&ctx)
        };
        let result = if self.outer {
            // Within `all_or_nothing`: a savepoint, so a refused change undoes only
            // itself and the whole stays for the caller to keep or undo.
            (|| {
                let sp = self.conn.savepoint()?;
                let out = inside(&sp)?;
                sp.commit()?;
                Ok(out)
            })()
        } else {
            (|| {
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                let out = inside(&tx)?;
                tx.commit()?;
                Ok(out)
            })()
        };
        result.map_err(|e| self.locate(e))
    }

    /// Run `f` in one `BEGIN IMMEDIATE` transaction: every change it makes joins it,
    /// reads see those changes, and it is committed only when `f` says to keep it
    /// (`(value, true)`); otherwise all of it is undone. A `batch` with `halt=1` runs
    /// through this, so that it changes nothing when any of its commands fails.
    pub fn all_or_nothing<T>(&mut self, f: impl FnOnce(&mut Directory) -> (T, bool)) -> Result<T> {
        if self.outer {
            return Ok(f(self).0);
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.locate(e.into()))?;
        self.outer = true;
        let (out, keep) = f(self);
        self.outer = false;
        // Totals read inside saw the transaction's own writes; after it they may not hold.
        self.count_cache.borrow_mut().clear();
        let end = if keep { "COMMIT" } else { "ROLLBACK" };
        if let Err(e) = self.conn.execute_batch(end) {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(self.locate(e.into()));
        }
        Ok(out)
    }

    /// A consistent read on behalf of `actor`, who must still be active.
    fn read<T>(
        &self,
        actor: Actor,
        f: impl FnOnce(&Connection, &Employee) -> Result<T>,
    ) -> Result<T> {
        let inside = |c: &Connection| -> Result<T> {
            let me = q::employee_by_id(c, actor.id)?.ok_or(Error::AccessRevoked(Revoked::Gone))?;
            rules::ensure_can_act(&me)?;
            keys::door_open(c, &self.door, me.id)?;
            f(c, &me)
        };
        let result = if self.outer {
            // Already inside `all_or_nothing`'s transaction, which is consistent.
            inside(&self.conn)
        } else {
            (|| {
                let tx = self.conn.unchecked_transaction()?;
                let out = inside(&tx)?;
                tx.commit()?;
                Ok(out)
            })()
        };
        result.map_err(|e| self.locate(e))
    }
}
