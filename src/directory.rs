//! Every operation of offboard. Each change is one `BEGIN IMMEDIATE` transaction that
//! loads the facts, re-checks the acting user, asks the rules, writes, and appends its
//! audit event before committing. The TUI, the command line and the REST endpoint call
//! these and nothing else changes data.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;
use serde_json::json;

use crate::domain::rules::{self, EditEffect};
use crate::domain::{
    Actor, Departure, DepartureState, Employee, EmployeeId, Error, History, Integration,
    IntegrationBrief, IntegrationChoice, IntegrationId, IntegrationStatus, Kind, Owned, Reason,
    Result, Scope, Status, StatusFilter, WorkKinds, scopes_to_string, secret, validate,
};
use crate::store::queries::{self as q, ListQuery, ListRow, Section, SectionRow};
use crate::store::{self, OpenMode};

pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8089";
const SHOW_DISMISSED: &str = "show_dismissed";
const COMPANY_NAME: &str = "company_name";
const DEMO_FLAG: &str = "demo";

/// A person to add.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewEmployee {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub department: Option<String>,
    pub hired_on: Option<NaiveDate>,
    pub is_admin: bool,
}

/// Fields `user.update` may change; `None` leaves one as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmployeeChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub position: Option<String>,
}

/// What the administrator chose in the dismissal dialog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DismissRequest {
    pub integrations: Option<IntegrationChoice>,
    pub reason: Option<Reason>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DismissOutcome {
    pub employee: Employee,
    /// Integrations now held by the system user, still working.
    pub kept: Vec<IntegrationBrief>,
    /// Integrations that stopped.
    pub disabled: Vec<IntegrationBrief>,
    pub system_user: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HireOutcome {
    pub employee: Employee,
    pub returned: Vec<IntegrationBrief>,
    /// Integrations still held by their system user (offered for return).
    pub left_with_system_user: Vec<IntegrationBrief>,
}

/// What happened to one scheduled dismissal that fell due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueOutcome {
    pub login: String,
    pub applied: bool,
    pub failure: Option<String>,
}

/// One line of a bulk preview: an employee and whether the change applies to them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkStep {
    pub login: String,
    pub name: Option<String>,
    /// True when the change will be made; false when the employee is skipped.
    pub apply: bool,
    /// Why they are skipped.
    pub skip_reason: Option<String>,
    pub active_integrations: usize,
    /// Those integrations, so that the one choice for the set is made knowing what
    /// it affects (SPEC §3).
    pub integrations: Vec<IntegrationBrief>,
}

impl BulkStep {
    fn go(e: &Employee, integrations: Vec<IntegrationBrief>) -> Self {
        BulkStep {
            login: e.login.clone(),
            name: Some(e.name()),
            apply: true,
            skip_reason: None,
            active_integrations: integrations.len(),
            integrations,
        }
    }
    fn skip(login: &str, name: Option<String>, why: String) -> Self {
        BulkStep {
            login: login.trim().to_string(),
            name,
            apply: false,
            skip_reason: Some(why),
            active_integrations: 0,
            integrations: Vec::new(),
        }
    }
}

/// A secret shown once: to the owner, right after it is issued.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub integration: Integration,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EditOutcome {
    pub integration: Integration,
    /// Set when the editor took the integration over: the new URL, shown once.
    pub new_url: Option<String>,
    pub previous_owner: String,
}

/// Who a webhook call acts as: its integration's id and scopes, and its current owner.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookCaller {
    pub integration_id: IntegrationId,
    pub scopes: Vec<Scope>,
    pub owner: Employee,
}

/// A page of employees and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub rows: Vec<ListRow>,
    pub total: i64,
}

/// Everything a profile shows at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub employee: Employee,
    pub departure: Option<Departure>,
    pub owns: Owned,
    pub history: History,
    pub integrations: Vec<Integration>,
    /// Messages between the viewer and this employee.
    pub conversation_len: i64,
    /// Their system user, if one was ever created.
    pub system_user: Option<String>,
}

impl Profile {
    pub fn active_integrations(&self) -> usize {
        self.integrations
            .iter()
            .filter(|i| i.status == IntegrationStatus::Active && i.owner_id == self.employee.id)
            .count()
    }
}

/// One row of `offboard export`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRow {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub department: String,
    pub hired_on: String,
    pub status: Status,
    pub dismissed_at: String,
    pub dismissed_by: String,
    pub reason: String,
    pub note: String,
    pub open_tasks: i64,
    pub crm_items: i64,
    pub files: i64,
    pub mailboxes: i64,
}

/// The company directory over one SQLite file.
pub struct Directory {
    conn: Connection,
    /// Totals of REST user lists, valid while no connection changes the file
    /// (`PRAGMA data_version` for others; every change of ours clears it).
    count_cache: std::cell::RefCell<std::collections::HashMap<String, (i64, i64)>>,
    path: PathBuf,
    clock: Option<DateTime<Utc>>,
    base_url: String,
}

/// What a change sees inside its transaction.
struct Ctx<'t> {
    tx: &'t Connection,
    me: Employee,
    actor: Actor,
    now: String,
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
            &self.now,
            self.me.id,
            action,
            target,
            &details,
            self.actor.via_integration,
        )
    }

    fn employee(&self, login: &str) -> Result<Employee> {
        q::employee_by_login(self.tx, login.trim())?.ok_or_else(|| unknown_login(login))
    }
}

fn unknown_login(login: &str) -> Error {
    Error::NotFound(format!("no employee with login \"{}\"", login.trim()))
}

fn unknown_integration(id: IntegrationId) -> Error {
    Error::NotFound(format!("no integration #{id}"))
}

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Directory {
    /// Open an existing offboard database, applying any scheduled dismissal that is due
    /// (a read-only file is opened all the same, for reading).
    pub fn open(path: &Path) -> Result<Self> {
        let mut dir = Self::with_mode(path, OpenMode::Existing)?;
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
        })
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
            Error::ReadOnly(_) => Error::ReadOnly(path),
            Error::NotOffboard { why, .. } => Error::NotOffboard { path, why },
            other => other,
        }
    }

    /// Run `f` as one immediate transaction on behalf of `actor`, re-checked inside it.
    fn change<T>(&mut self, actor: Actor, f: impl FnOnce(&Ctx<'_>) -> Result<T>) -> Result<T> {
        let now = timestamp(self.now());
        self.count_cache.borrow_mut().clear();
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let me = q::employee_by_id(&tx, actor.id)?
                .ok_or_else(|| Error::AccessRevoked("the acting user no longer exists".into()))?;
            rules::ensure_can_act(&me)?;
            let ctx = Ctx {
                tx: &tx,
                me,
                actor,
                now,
            };
            let out = f(&ctx)?;
            tx.commit()?;
            Ok(out)
        })();
        result.map_err(|e| self.locate(e))
    }

    /// A consistent read on behalf of `actor`, who must still be active.
    fn read<T>(
        &self,
        actor: Actor,
        f: impl FnOnce(&Connection, &Employee) -> Result<T>,
    ) -> Result<T> {
        let result = (|| {
            let tx = self.conn.unchecked_transaction()?;
            let me = q::employee_by_id(&tx, actor.id)?
                .ok_or_else(|| Error::AccessRevoked("the acting user no longer exists".into()))?;
            rules::ensure_can_act(&me)?;
            let out = f(&tx, &me)?;
            tx.commit()?;
            Ok(out)
        })();
        result.map_err(|e| self.locate(e))
    }

    // ------------------------------------------------------------ who is acting

    /// Sign in as `login` (CLI and TUI): refused for unknown logins, dismissed
    /// employees and system users.
    pub fn sign_in(&self, login: &str) -> Result<Employee> {
        let me = q::employee_by_login(&self.conn, login.trim())
            .map_err(|e| self.locate(e))?
            .ok_or_else(|| unknown_login(login))?;
        rules::ensure_can_sign_in(&me)?;
        Ok(me)
    }

    /// Look an employee up by login, for anyone.
    pub fn employee(&self, login: &str) -> Result<Employee> {
        q::employee_by_login(&self.conn, login.trim())
            .map_err(|e| self.locate(e))?
            .ok_or_else(|| unknown_login(login))
    }

    pub fn employee_by_id(&self, id: EmployeeId) -> Result<Option<Employee>> {
        q::employee_by_id(&self.conn, id).map_err(|e| self.locate(e))
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(q::employee_count(&self.conn)? == 0)
    }

    pub fn company_name(&self) -> Result<String> {
        Ok(q::setting(&self.conn, COMPANY_NAME)?.unwrap_or_else(|| "Company".into()))
    }

    /// True for a database made by `offboard demo`: there `admin` is the default actor.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(q::setting(&self.conn, DEMO_FLAG)?.as_deref() == Some("1"))
    }

    pub fn show_dismissed(&self) -> Result<bool> {
        Ok(q::setting(&self.conn, SHOW_DISMISSED)?.as_deref() == Some("on"))
    }

    /// A cheap token that changes whenever another connection commits to the file.
    pub fn data_version(&self) -> Result<i64> {
        q::data_version(&self.conn)
    }

    // ------------------------------------------------------------ creating a company

    /// Start a new company with one administrator. Refused if the file already has one.
    pub fn init(&mut self, company: &str, admin: &NewEmployee) -> Result<Employee> {
        let company = validate::optional_text("company name", company, validate::MAX_TITLE)?;
        let now_dt = self.now();
        let now = timestamp(now_dt);
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            if q::employee_count(&tx)? > 0 {
                return Err(Error::WrongState(
                    "this database already holds a company: pass another --db to start a new one"
                        .into(),
                ));
            }
            let mut admin = admin.clone();
            admin.is_admin = true;
            let id = insert_person(&tx, &admin, &now, now_dt.date_naive())?;
            let name = if company.is_empty() {
                "Company".to_string()
            } else {
                company
            };
            q::set_setting(&tx, COMPANY_NAME, &name)?;
            q::set_setting(&tx, SHOW_DISMISSED, "off")?;
            q::append_audit(
                &tx,
                &now,
                id,
                "init",
                Some(id),
                &json!({ "company": name }),
                None,
            )?;
            let me = q::employee_by_id(&tx, id)?
                .ok_or_else(|| Error::Storage("admin vanished".into()))?;
            tx.commit()?;
            Ok(me)
        })();
        result.map_err(|e| self.locate(e))
    }

    /// Mark this database as the demo company (the builder calls it).
    pub fn mark_demo(&mut self, company: &str) -> Result<()> {
        q::set_setting(&self.conn, DEMO_FLAG, "1")?;
        q::set_setting(&self.conn, COMPANY_NAME, company)?;
        if q::setting(&self.conn, SHOW_DISMISSED)?.is_none() {
            q::set_setting(&self.conn, SHOW_DISMISSED, "off")?;
        }
        Ok(())
    }

    /// Add one employee.
    pub fn add(&mut self, actor: Actor, new: &NewEmployee) -> Result<Employee> {
        let today = self.now().date_naive();
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, "add employees")?;
            if new.is_admin {
                rules::ensure_admin(&cx.me, "add administrators")?;
            }
            let id = insert_person(cx.tx, new, &cx.now, today)?;
            let e = q::employee_by_id(cx.tx, id)?
                .ok_or_else(|| Error::Storage("employee vanished".into()))?;
            cx.audit(
                "add",
                Some(id),
                json!({ "login": e.login, "name": e.name() }),
            )?;
            Ok(e)
        })
    }

    /// Add every employee of a CSV file (header
    /// `login,first_name,last_name,email,position,department,hired_on`), all or none.
    pub fn import_csv(&mut self, actor: Actor, input: impl Read) -> Result<Vec<String>> {
        let rows = parse_import(input)?;
        let today = self.now().date_naive();
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, "import employees")?;
            let mut logins = Vec::with_capacity(rows.len());
            for (line, new) in &rows {
                insert_person(cx.tx, new, &cx.now, today).map_err(|e| match e {
                    Error::Invalid(m) => Error::Invalid(format!("line {line}: {m}")),
                    Error::Duplicate(m) => Error::Duplicate(format!("line {line}: {m}")),
                    other => other,
                })?;
                logins.push(new.login.clone());
            }
            cx.audit(
                "import",
                None,
                json!({ "count": logins.len(), "logins": logins }),
            )?;
            Ok(logins)
        })
    }

    // ------------------------------------------------------------ dismissal and rehire

    /// Dismiss `login`: status, departure record, the integration choice and the audit
    /// event, all in one transaction. Nothing they own is moved or deleted.
    pub fn dismiss(
        &mut self,
        actor: Actor,
        login: &str,
        req: &DismissRequest,
    ) -> Result<DismissOutcome> {
        let note = clean_note(req)?;
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            dismiss_in(cx, &target, req, note.as_deref(), None)
        })
    }

    /// Hand what `login` owns to `to`, then dismiss them: one transaction, all or nothing.
    pub fn dismiss_with_handover(
        &mut self,
        actor: Actor,
        login: &str,
        req: &DismissRequest,
        to: &str,
        what: WorkKinds,
    ) -> Result<(Owned, DismissOutcome)> {
        if what.is_empty() {
            return Err(Error::Invalid(
                "nothing to hand over: choose tasks, crm, files or mail".into(),
            ));
        }
        let note = clean_note(req)?;
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            let successor = cx.employee(to)?;
            // Check the dismissal first, so a refusal says why before anything moves.
            let admins = q::count_active_admins(cx.tx)?;
            let active = q::active_integrations_of(cx.tx, target.id)?;
            rules::check_dismiss(&cx.me, &target, admins, &active, req.integrations)?;
            rules::check_reassign(&cx.me, &target, &successor)?;
            let moved = q::reassign(cx.tx, target.id, successor.id, what)?;
            cx.audit(
                "reassign",
                Some(target.id),
                json!({
                    "to": successor.login,
                    "tasks": moved.tasks,
                    "crm_items": moved.crm_items,
                    "files": moved.files,
                    "mailboxes": moved.mailboxes,
                }),
            )?;
            let outcome = dismiss_in(cx, &target, req, note.as_deref(), None)?;
            Ok((moved, outcome))
        })
    }

    /// Record a dismissal to happen on `on`: a pending departure with its integration
    /// choice, reason and note. Any offboard process applies it when due, under the rules
    /// in force then.
    pub fn schedule_dismissal(
        &mut self,
        actor: Actor,
        login: &str,
        req: &DismissRequest,
        on: NaiveDate,
    ) -> Result<Departure> {
        let note = clean_note(req)?;
        let today = self.now().date_naive();
        if on < today {
            return Err(Error::Invalid(format!(
                "--on {on} is in the past: give today or a later date"
            )));
        }
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            let admins = q::count_active_admins(cx.tx)?;
            let active = q::active_integrations_of(cx.tx, target.id)?;
            rules::check_dismiss(&cx.me, &target, admins, &active, req.integrations)?;
            if let Ok(hired) = NaiveDate::parse_from_str(&target.hired_on, "%Y-%m-%d")
                && on < hired {
                    return Err(Error::Invalid(format!(
                        "--on {on} is before {}'s hire date {hired}",
                        target.login
                    )));
                }
            if let Some(p) = q::pending_departure(cx.tx, target.id)? {
                return Err(Error::WrongState(format!(
                    "{} is already leaving on {}: cancel that first with `offboard cancel-dismissal {}`",
                    target.login,
                    &p.at[..p.at.len().min(10)],
                    target.login
                )));
            }
            let effective = format!("{on}T00:00:00Z");
            q::insert_departure(
                cx.tx,
                &q::NewDeparture {
                    employee_id: target.id,
                    effective_at: &effective,
                    recorded_by: cx.me.id,
                    recorded_at: &cx.now,
                    reason: req.reason,
                    note: note.as_deref(),
                    state: DepartureState::Pending,
                    integrations: req.integrations,
                },
            )?;
            cx.audit(
                "dismiss.schedule",
                Some(target.id),
                json!({
                    "on": on.to_string(),
                    "reason": req.reason.map(|r| r.as_str()),
                    "note": note,
                    "integrations": req.integrations.map(|c| c.as_str()),
                }),
            )?;
            q::pending_departure(cx.tx, target.id)?.ok_or_else(|| Error::Storage("departure vanished".into()))
        })
    }

    /// Cancel a scheduled dismissal before it is due.
    pub fn cancel_dismissal(&mut self, actor: Actor, login: &str) -> Result<Departure> {
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, "cancel dismissals")?;
            let target = cx.employee(login)?;
            let Some(p) = q::pending_departure(cx.tx, target.id)? else {
                return Err(Error::WrongState(format!(
                    "{} has no scheduled dismissal",
                    target.login
                )));
            };
            q::set_departure_state(cx.tx, p.id, DepartureState::Canceled, None, None)?;
            cx.audit(
                "dismiss.cancel",
                Some(target.id),
                json!({ "on": &p.at[..p.at.len().min(10)] }),
            )?;
            Ok(p)
        })
    }

    /// Apply every scheduled dismissal that is due, each in its own transaction, acting
    /// as whoever scheduled it. One the rules refuse now becomes `failed`, with the reason.
    pub fn apply_due(&mut self) -> Result<Vec<DueOutcome>> {
        let now = timestamp(self.now());
        let due = q::due_departures(&self.conn, &now).map_err(|e| self.locate(e))?;
        let mut out = Vec::new();
        for (departure, employee, by) in due {
            let result = self.change(Actor::user(by), |cx| {
                // Someone else may have applied or canceled it a moment ago.
                let Some(p) = q::pending_departure(cx.tx, employee)?.filter(|p| p.id == departure)
                else {
                    return Ok(None);
                };
                let target = q::employee_by_id(cx.tx, employee)?
                    .ok_or_else(|| Error::NotFound("employee vanished".into()))?;
                let req = DismissRequest {
                    integrations: p.integrations,
                    reason: p.reason,
                    note: p.note.clone(),
                };
                dismiss_in(cx, &target, &req, p.note.as_deref(), Some(p.id)).map(Some)
            });
            let login = q::employee_by_id(&self.conn, employee)?
                .map(|e| e.login)
                .unwrap_or_default();
            match result {
                Ok(Some(_)) => out.push(DueOutcome {
                    login,
                    applied: true,
                    failure: None,
                }),
                Ok(None) => {}
                Err(e) => {
                    let why = e.to_string();
                    let failed = (|| {
                        let tx = self
                            .conn
                            .transaction_with_behavior(TransactionBehavior::Immediate)?;
                        if q::pending_departure(&tx, employee)?.is_some_and(|p| p.id == departure) {
                            q::set_departure_state(
                                &tx,
                                departure,
                                DepartureState::Failed,
                                Some(&why),
                                None,
                            )?;
                            q::append_audit(
                                &tx,
                                &now,
                                by,
                                "dismiss.failed",
                                Some(employee),
                                &json!({ "reason": why }),
                                None,
                            )?;
                        }
                        tx.commit()?;
                        Ok::<_, Error>(())
                    })();
                    failed.map_err(|e| self.locate(e))?;
                    out.push(DueOutcome {
                        login,
                        applied: false,
                        failure: Some(why),
                    });
                }
            }
        }
        Ok(out)
    }

    /// What a bulk dismissal of `logins` would do to each, without changing anything:
    /// who would be dismissed, and who would be skipped and why (already dismissed,
    /// unknown, refused by a rule). Each is checked as if the ones before it had gone.
    pub fn preview_dismiss(
        &self,
        actor: Actor,
        logins: &[String],
        choice: Option<IntegrationChoice>,
    ) -> Result<Vec<BulkStep>> {
        self.read(actor, |c, me| {
            let mut admins = q::count_active_admins(c)?;
            let mut out = Vec::new();
            for login in logins {
                let Some(target) = q::employee_by_login(c, login.trim())? else {
                    out.push(BulkStep::skip(
                        login,
                        None,
                        unknown_login(login).to_string(),
                    ));
                    continue;
                };
                if out.iter().any(|s: &BulkStep| s.login == target.login) {
                    continue;
                }
                let active = q::active_integrations_of(c, target.id)?;
                match rules::check_dismiss(me, &target, admins, &active, choice) {
                    Ok(()) => {
                        if target.is_admin {
                            admins -= 1;
                        }
                        out.push(BulkStep::go(&target, active));
                    }
                    Err(e) => out.push(BulkStep::skip(login, Some(target.name()), e.to_string())),
                }
            }
            Ok(out)
        })
    }

    /// What a bulk rehire of `logins` would do to each, without changing anything.
    pub fn preview_hire(&self, actor: Actor, logins: &[String]) -> Result<Vec<BulkStep>> {
        self.read(actor, |c, me| {
            let mut out = Vec::new();
            for login in logins {
                let Some(target) = q::employee_by_login(c, login.trim())? else {
                    out.push(BulkStep::skip(
                        login,
                        None,
                        unknown_login(login).to_string(),
                    ));
                    continue;
                };
                if out.iter().any(|s: &BulkStep| s.login == target.login) {
                    continue;
                }
                match rules::check_hire(me, &target) {
                    Ok(()) => out.push(BulkStep::go(&target, Vec::new())),
                    Err(e) => out.push(BulkStep::skip(login, Some(target.name()), e.to_string())),
                }
            }
            Ok(out)
        })
    }

    /// Hire a dismissed employee back. With `return_integrations`, what went to their
    /// system user comes back to them with its secret and URL unchanged.
    pub fn hire(
        &mut self,
        actor: Actor,
        login: &str,
        return_integrations: bool,
    ) -> Result<HireOutcome> {
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            hire_in(cx, &target, return_integrations)
        })
    }

    /// Move what `from` still owns (open tasks, open CRM items, files, mailboxes) to `to`.
    pub fn reassign(
        &mut self,
        actor: Actor,
        from: &str,
        to: &str,
        what: WorkKinds,
    ) -> Result<Owned> {
        if what.is_empty() {
            return Err(Error::Invalid(
                "nothing to move: choose tasks, crm, files or mail".into(),
            ));
        }
        self.change(actor, |cx| {
            let from = cx.employee(from)?;
            let to = cx.employee(to)?;
            rules::check_reassign(&cx.me, &from, &to)?;
            let moved = q::reassign(cx.tx, from.id, to.id, what)?;
            cx.audit(
                "reassign",
                Some(from.id),
                json!({
                    "to": to.login,
                    "tasks": moved.tasks,
                    "crm_items": moved.crm_items,
                    "files": moved.files,
                    "mailboxes": moved.mailboxes,
                }),
            )?;
            Ok(moved)
        })
    }

    // ------------------------------------------------------------ permissions and settings

    pub fn set_structure_access(
        &mut self,
        actor: Actor,
        login: &str,
        grant: bool,
    ) -> Result<Employee> {
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            rules::check_permission_change(&cx.me, &target, grant)?;
            // A system user has the rights of the employee it replaces: they change together.
            let system = q::system_user_for(cx.tx, target.id)?;
            for id in std::iter::once(target.id).chain(system.map(|s| s.id)) {
                if grant {
                    q::grant_structure(cx.tx, id, Some(cx.me.id), &cx.now)?;
                } else {
                    q::revoke_structure(cx.tx, id)?;
                }
            }
            cx.audit(
                if grant { "grant" } else { "revoke" },
                Some(target.id),
                json!({ "permission": "structure" }),
            )?;
            Ok(q::employee_by_id(cx.tx, target.id)?.unwrap_or(target))
        })
    }

    /// Turn `show_dismissed` on or off. Returns whether it changed.
    pub fn set_show_dismissed(&mut self, actor: Actor, on: bool) -> Result<bool> {
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, "change settings")?;
            let was = q::setting(cx.tx, SHOW_DISMISSED)?.as_deref() == Some("on");
            if was == on {
                return Ok(false);
            }
            q::set_setting(cx.tx, SHOW_DISMISSED, if on { "on" } else { "off" })?;
            cx.audit("setting", None, json!({ "show_dismissed": on }))?;
            Ok(true)
        })
    }

    // ------------------------------------------------------------ webhooks

    /// A new inbound webhook owned by the acting user. The URL is shown once.
    pub fn create_webhook(
        &mut self,
        actor: Actor,
        title: &str,
        scopes: &[Scope],
    ) -> Result<Issued> {
        let title = validate::title(title)?;
        if scopes.is_empty() {
            return Err(Error::Invalid(
                "an integration needs at least one scope".into(),
            ));
        }
        let scopes = scopes_to_string(scopes);
        let base = self.base_url.clone();
        self.change(actor, |cx| {
            if cx.me.kind == Kind::System {
                return Err(Error::Denied(format!(
                    "{} is a system user and cannot create integrations",
                    cx.me.login
                )));
            }
            let code = secret::new_code()?;
            let salt = secret::new_salt()?;
            let id = q::insert_integration(
                cx.tx,
                &q::NewIntegration {
                    title: &title,
                    owner_id: cx.me.id,
                    scopes: &scopes,
                    salt: &salt,
                    hash: &secret::hash_code(&salt, &code),
                    status: IntegrationStatus::Active,
                    created_by: cx.me.id,
                    created_at: &cx.now,
                },
            )?;
            cx.audit(
                "webhook.create",
                Some(cx.me.id),
                json!({ "integration": id, "title": title, "scopes": scopes }),
            )?;
            let integration = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(Issued {
                integration,
                url: secret::webhook_url(&base, cx.me.id, &code),
            })
        })
    }

    /// Change title and/or scopes. When the owner is a system user (or dismissed), the
    /// editor takes the integration over and a new secret is issued: the old URL stops.
    pub fn edit_webhook(
        &mut self,
        actor: Actor,
        id: IntegrationId,
        title: Option<&str>,
        scopes: Option<&[Scope]>,
    ) -> Result<EditOutcome> {
        let title = title.map(validate::title).transpose()?;
        if scopes.is_some_and(|s| s.is_empty()) {
            return Err(Error::Invalid(
                "an integration needs at least one scope".into(),
            ));
        }
        if title.is_none() && scopes.is_none() {
            return Err(Error::Invalid(
                "nothing to change: give a new title or new scopes".into(),
            ));
        }
        let base = self.base_url.clone();
        self.change(actor, |cx| {
            let current = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner = q::employee_by_id(cx.tx, current.owner_id)?
                .ok_or_else(|| unknown_integration(id))?;
            let effect = rules::check_integration_edit(&cx.me, &owner)?;
            let new_title = title.clone().unwrap_or_else(|| current.title.clone());
            let new_scopes = scopes
                .map(scopes_to_string)
                .unwrap_or_else(|| scopes_to_string(&current.scopes));
            q::update_integration_fields(cx.tx, id, &new_title, &new_scopes, cx.me.id, &cx.now)?;
            let mut new_url = None;
            if effect == EditEffect::TakeOver {
                let code = secret::new_code()?;
                let salt = secret::new_salt()?;
                q::set_integration_owner_and_secret(
                    cx.tx,
                    id,
                    cx.me.id,
                    Some(owner.id),
                    &salt,
                    &secret::hash_code(&salt, &code),
                )?;
                new_url = Some(secret::webhook_url(&base, cx.me.id, &code));
            }
            cx.audit(
                "webhook.edit",
                Some(owner.id),
                json!({
                    "integration": id,
                    "title": new_title,
                    "scopes": new_scopes,
                    "new_owner": if new_url.is_some() { Some(cx.me.login.clone()) } else { None },
                }),
            )?;
            let integration = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(EditOutcome {
                integration,
                new_url,
                previous_owner: owner.login,
            })
        })
    }

    /// Would editing this integration move it to the acting user? (The edit dialog warns.)
    pub fn edit_would_take_over(&self, actor: Actor, id: IntegrationId) -> Result<bool> {
        self.read(actor, |c, me| {
            let current = q::integration(c, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner =
                q::employee_by_id(c, current.owner_id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(rules::check_integration_edit(me, &owner)? == EditEffect::TakeOver)
        })
    }

    pub fn disable_webhook(&mut self, actor: Actor, id: IntegrationId) -> Result<Integration> {
        self.toggle_webhook(actor, id, false)
    }

    pub fn enable_webhook(&mut self, actor: Actor, id: IntegrationId) -> Result<Integration> {
        self.toggle_webhook(actor, id, true)
    }

    fn toggle_webhook(
        &mut self,
        actor: Actor,
        id: IntegrationId,
        enable: bool,
    ) -> Result<Integration> {
        self.change(actor, |cx| {
            let current = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner = q::employee_by_id(cx.tx, current.owner_id)?
                .ok_or_else(|| unknown_integration(id))?;
            rules::check_integration_toggle(&cx.me, &owner, enable)?;
            let wanted = if enable {
                IntegrationStatus::Active
            } else {
                IntegrationStatus::Disabled
            };
            if current.status == wanted {
                return Err(Error::WrongState(format!(
                    "integration #{id} is already {wanted}"
                )));
            }
            q::set_integration_status(cx.tx, id, wanted)?;
            q::touch_integration(cx.tx, id, cx.me.id, &cx.now)?;
            cx.audit(
                if enable {
                    "webhook.enable"
                } else {
                    "webhook.disable"
                },
                Some(owner.id),
                json!({ "integration": id, "title": current.title }),
            )?;
            q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))
        })
    }

    /// A new secret; the old URL stops at once. A non-owner who may take the
    /// integration over becomes its owner, as with an edit.
    pub fn regenerate_webhook(&mut self, actor: Actor, id: IntegrationId) -> Result<Issued> {
        let base = self.base_url.clone();
        self.change(actor, |cx| {
            let current = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner = q::employee_by_id(cx.tx, current.owner_id)?.ok_or_else(|| unknown_integration(id))?;
            let effect = rules::check_integration_edit(&cx.me, &owner)?;
            let code = secret::new_code()?;
            let salt = secret::new_salt()?;
            let hash = secret::hash_code(&salt, &code);
            let new_owner = if effect == EditEffect::TakeOver { cx.me.id } else { owner.id };
            if effect == EditEffect::TakeOver {
                q::set_integration_owner_and_secret(cx.tx, id, cx.me.id, Some(owner.id), &salt, &hash)?;
            } else {
                q::set_integration_secret(cx.tx, id, &salt, &hash, owner.id)?;
            }
            q::touch_integration(cx.tx, id, cx.me.id, &cx.now)?;
            cx.audit(
                "webhook.regenerate",
                Some(owner.id),
                json!({
                    "integration": id,
                    "new_owner": if effect == EditEffect::TakeOver { Some(cx.me.login.clone()) } else { None },
                }),
            )?;
            let integration = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(Issued { integration, url: secret::webhook_url(&base, new_owner, &code) })
        })
    }

    /// Who a webhook call acts as: the integration whose URL names `user_id` and whose
    /// secret is `code`, if it is active, and its current owner. `None` for anything else,
    /// without saying which part was wrong.
    pub fn authenticate_webhook(
        &self,
        user_id: EmployeeId,
        code: &str,
    ) -> Result<Option<(Integration, Employee)>> {
        let Some(caller) = self.authenticate_caller(user_id, code)? else {
            return Ok(None);
        };
        let integration =
            q::integration(&self.conn, caller.integration_id).map_err(|e| self.locate(e))?;
        Ok(integration.map(|i| (i, caller.owner)))
    }

    // ------------------------------------------------------------ the REST endpoint's operations

    /// Change an employee's name, email or position: administrators and company-structure
    /// staff for anyone, everyone for themselves.
    pub fn update_employee(
        &mut self,
        actor: Actor,
        id: EmployeeId,
        changes: &EmployeeChanges,
        active: Option<(bool, Option<IntegrationChoice>)>,
    ) -> Result<Employee> {
        let first = changes
            .first_name
            .as_deref()
            .map(|s| validate::name_part("NAME", s))
            .transpose()?;
        let last = changes
            .last_name
            .as_deref()
            .map(|s| validate::name_part("LAST_NAME", s))
            .transpose()?;
        let email = changes.email.as_deref().map(validate::email).transpose()?;
        let position = changes
            .position
            .as_deref()
            .map(|s| validate::optional_text("WORK_POSITION", s, validate::MAX_POSITION))
            .transpose()?;
        self.change(actor, |cx| {
            let target = q::employee_by_id(cx.tx, id)?
                .filter(|e| e.kind == Kind::Employee)
                .ok_or_else(|| Error::NotFound(format!("no employee with ID {id}")))?;
            if cx.me.id != target.id {
                rules::ensure_staff(&cx.me, "change other employees")?;
            }
            let first = first.clone().unwrap_or_else(|| target.first_name.clone());
            let last = last.clone().unwrap_or_else(|| target.last_name.clone());
            let email = email.clone().unwrap_or_else(|| target.email.clone());
            let position = position.clone().unwrap_or_else(|| target.position.clone());
            if crate::store::api::email_taken_by_other(cx.tx, &email, target.id)? {
                return Err(Error::Duplicate(format!("email \"{email}\" is already used by another employee")));
            }
            let renamed = first != target.first_name
                || last != target.last_name
                || email != target.email
                || position != target.position;
            if renamed {
            crate::store::api::update_employee_fields(cx.tx, target.id, &first, &last, &email, &position)?;
            cx.audit(
                "update",
                Some(target.id),
                json!({ "first_name": first, "last_name": last, "email": email, "position": position }),
            )?;
            }
            // ACTIVE=false dismisses and ACTIVE=true rehires, in the same transaction.
            match active {
                Some((false, choice)) if target.status == Status::Active => {
                    let req = DismissRequest { integrations: choice, reason: None, note: None };
                    dismiss_in(cx, &target, &req, None, None)?;
                }
                Some((true, _)) if target.status == Status::Dismissed => {
                    hire_in(cx, &target, false)?;
                }
                _ => {}
            }
            Ok(q::employee_by_id(cx.tx, target.id)?.unwrap_or(target))
        })
    }

    /// Make `to` responsible for one task: its responsible, its creator, or staff may.
    pub fn delegate_task(&mut self, actor: Actor, task: i64, to: EmployeeId) -> Result<()> {
        self.change(actor, |cx| {
            let (responsible, creator, _) = crate::store::api::task_people(cx.tx, task)?
                .ok_or_else(|| Error::NotFound(format!("no task with ID {task}")))?;
            if !(cx.me.is_staff() || cx.me.id == responsible || cx.me.id == creator) {
                return Err(Error::Denied(format!(
                    "{} may not delegate task {task}: only its responsible, its creator or company-structure staff may",
                    cx.me.login
                )));
            }
            let successor = q::employee_by_id(cx.tx, to)?
                .ok_or_else(|| Error::NotFound(format!("no employee with ID {to}")))?;
            rules::check_successor(&successor)?;
            crate::store::api::set_task_responsible(cx.tx, task, to)?;
            cx.audit("task.delegate", Some(successor.id), json!({ "task": task, "from": responsible, "to": to }))?;
            Ok(())
        })
    }

    /// Users for `user.get` and `user.search`. System users never; dismissed ones only
    /// with `show_dismissed` on, or when asked for by ID.
    pub fn api_users(
        &self,
        actor: Actor,
        filter: &crate::store::api::UserFilter,
        sort: crate::store::api::UserSort,
        desc: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<crate::store::api::ApiUser>, i64)> {
        let show = self.show_dismissed()?;
        let mut f = filter.clone();
        f.include_dismissed = show;
        let key = format!("{f:?}");
        let version = self.data_version()?;
        let cached = self
            .count_cache
            .borrow()
            .get(&key)
            .filter(|(v, _)| *v == version)
            .map(|(_, n)| *n);
        let (rows, total) = self.read(actor, |c, _| {
            let total = match cached {
                Some(n) => n,
                None => crate::store::api::users_count(c, &f)?,
            };
            crate::store::api::users(c, &f, sort, desc, offset, limit, total)
        })?;
        let mut cache = self.count_cache.borrow_mut();
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key, (version, total));
        Ok((rows, total))
    }

    /// Tasks for `tasks.task.list`: all for staff, those they take part in for others.
    pub fn api_tasks(
        &self,
        actor: Actor,
        filter: &crate::store::api::TaskFilter,
        desc: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<crate::store::api::ApiTask>, i64)> {
        self.read(actor, |c, me| {
            let mut f = filter.clone();
            if !me.is_staff() {
                f.visible_to = Some(me.id);
            }
            crate::store::api::tasks(c, &f, desc, offset, limit)
        })
    }

    /// CRM items of one kind for the `crm.*.list` methods.
    pub fn api_crm(
        &self,
        actor: Actor,
        kind: &str,
        assigned: Option<&[i64]>,
        desc: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<crate::store::api::ApiCrmItem>, i64)> {
        self.read(actor, |c, _| {
            crate::store::api::crm_items(c, kind, assigned, desc, offset, limit)
        })
    }

    /// The id of a department, by name.
    pub fn department_id(&self, name: &str) -> Result<Option<i64>> {
        q::department_id(&self.conn, name).map_err(|e| self.locate(e))
    }

    pub fn departments(&self, actor: Actor) -> Result<Vec<q::DepartmentRow>> {
        self.read(actor, |c, _| q::departments(c))
    }

    /// The REST endpoint's check of a call: like `authenticate_webhook`, in two queries.
    pub fn authenticate_caller(
        &self,
        user_id: EmployeeId,
        code: &str,
    ) -> Result<Option<WebhookCaller>> {
        let candidates =
            q::integration_secrets_for(&self.conn, user_id).map_err(|e| self.locate(e))?;
        let mut found = None;
        for (id, salt, hash, status, owner, scopes) in candidates {
            if secret::verify(&salt, &hash, code) && found.is_none() {
                found = Some((id, status, owner, scopes));
            }
        }
        let Some((integration_id, status, owner_id, scopes)) = found else {
            return Ok(None);
        };
        if status != IntegrationStatus::Active {
            return Ok(None);
        }
        match q::employee_by_id(&self.conn, owner_id)? {
            Some(owner) if owner.status == Status::Active => Ok(Some(WebhookCaller {
                integration_id,
                scopes,
                owner,
            })),
            _ => Ok(None),
        }
    }

    // ------------------------------------------------------------ reading

    /// A page of the employee list. Dismissed employees only with `show_dismissed` on,
    /// except an exact login match; the handover backlog for staff whatever the setting.
    pub fn list(&self, actor: Actor, query: &ListQuery) -> Result<Page> {
        let show = self.show_dismissed()?;
        self.read(actor, |c, me| {
            may_list(me, show, query)?;
            let rows = q::list_employees(c, query)?;
            let total = q::count_employees(c, query)?;
            Ok(Page { rows, total })
        })
    }

    /// The rows of `list`, one at a time as they are read (for writing out a list of any
    /// length in little memory). Returns how many there were.
    pub fn list_each(
        &self,
        actor: Actor,
        query: &ListQuery,
        each: &mut dyn FnMut(ListRow) -> Result<()>,
    ) -> Result<i64> {
        let show = self.show_dismissed()?;
        self.read(actor, |c, me| {
            may_list(me, show, query)?;
            let mut n = 0;
            q::list_employees_each(c, query, &mut |row| {
                n += 1;
                each(row)
            })?;
            Ok(n)
        })
    }

    /// The rows of a page only, without counting the whole list (scrolling).
    pub fn list_rows(&self, actor: Actor, query: &ListQuery) -> Result<Vec<ListRow>> {
        let show = self.show_dismissed()?;
        self.read(actor, |c, me| {
            if query.still_owns {
                rules::ensure_may_read_reports(me, "handover backlog (--still-owns)")?;
            } else {
                rules::check_list_filter(show, query.status)?;
            }
            q::list_employees(c, query)
        })
    }

    /// The profile of anyone, by direct look-up.
    pub fn profile(&self, actor: Actor, login: &str) -> Result<Profile> {
        self.read(actor, |c, me| {
            let employee =
                q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            let departure = q::latest_departure(c, employee.id)?.filter(|d| {
                employee.status == Status::Dismissed
                    || matches!(d.state, DepartureState::Pending | DepartureState::Failed)
            });
            let responsible = q::responsible_total(c, employee.id)?;
            let owns = q::owned_given(c, employee.id, responsible)?;
            let history = q::history_given(c, employee.id, responsible)?;
            let integrations = q::integrations(c, Some(employee.id))?;
            let conversation_len = q::conversation_len(c, me.id, employee.id)?;
            let system_user = q::system_user_for(c, employee.id)?.map(|s| s.login);
            Ok(Profile {
                employee,
                departure,
                owns,
                history,
                integrations,
                conversation_len,
                system_user,
            })
        })
    }

    /// A page of the conversation between the viewer and `login`, newest first.
    pub fn conversation(
        &self,
        actor: Actor,
        login: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<SectionRow>> {
        self.read(actor, |c, me| {
            let other =
                q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            q::conversation(c, me.id, other.id, offset, limit)
        })
    }

    /// A page of one profile section.
    pub fn section(
        &self,
        actor: Actor,
        login: &str,
        which: Section,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<SectionRow>> {
        self.read(actor, |c, _| {
            let who = q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            q::section(c, who.id, which, offset, limit)
        })
    }

    /// Active people who may take over work, matching `search` (for pickers).
    pub fn successors(
        &self,
        actor: Actor,
        search: &str,
        exclude: EmployeeId,
        limit: i64,
    ) -> Result<Vec<Employee>> {
        self.read(actor, |c, _| q::successors(c, search, exclude, limit))
    }

    /// Employees holding company-structure access (the settings pane lists them).
    pub fn structure_staff(&self, actor: Actor) -> Result<Vec<Employee>> {
        self.read(actor, |c, _| q::structure_staff(c))
    }

    /// The integrations that `login`'s system user holds and a rehire could return.
    pub fn returnable_integrations(
        &self,
        actor: Actor,
        login: &str,
    ) -> Result<Vec<IntegrationBrief>> {
        self.read(actor, |c, _| {
            let who = q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            match q::system_user_for(c, who.id)? {
                Some(system) => q::returnable_integrations(c, system.id, who.id),
                None => Ok(Vec::new()),
            }
        })
    }

    /// How many audit events match `search`.
    pub fn audit_total(&self, actor: Actor, search: Option<&str>) -> Result<i64> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, "audit log")?;
            q::audit_count_matching(c, search)
        })
    }

    /// Integrations: all of them for administrators and company-structure staff,
    /// one's own for everyone else.
    pub fn integrations(&self, actor: Actor) -> Result<Vec<Integration>> {
        self.read(actor, |c, me| {
            let owner = if me.is_staff() { None } else { Some(me.id) };
            q::integrations(c, owner)
        })
    }

    pub fn integration(&self, actor: Actor, id: IntegrationId) -> Result<Integration> {
        self.read(actor, |c, me| {
            let i = q::integration(c, id)?.ok_or_else(|| unknown_integration(id))?;
            if !me.is_staff() && i.owner_id != me.id {
                return Err(unknown_integration(id));
            }
            Ok(i)
        })
    }

    /// The audit log, newest first.
    pub fn audit(
        &self,
        actor: Actor,
        search: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<q::AuditEvent>> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, "audit log")?;
            q::audit_events(c, search, offset, limit)
        })
    }

    /// Employees with their departure, for CSV or JSON export.
    pub fn export(&self, actor: Actor, status: StatusFilter) -> Result<Vec<ExportRow>> {
        let mut out = Vec::new();
        self.export_each(actor, status, &mut |row| {
            out.push(row);
            Ok(())
        })?;
        Ok(out)
    }

    /// The export, one row at a time in list order, for writing out as it is read: a
    /// company of any size is exported in one query and little memory. All rows come
    /// from one read transaction, so they agree with each other.
    pub fn export_each(
        &self,
        actor: Actor,
        status: StatusFilter,
        each: &mut dyn FnMut(ExportRow) -> Result<()>,
    ) -> Result<()> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, "export")?;
            q::export_rows(c, status, &mut |e, dep, owned| {
                each(ExportRow {
                    login: e.login,
                    first_name: e.first_name,
                    last_name: e.last_name,
                    email: e.email,
                    position: e.position,
                    department: e.department.unwrap_or_default(),
                    hired_on: e.hired_on,
                    status: e.status,
                    dismissed_at: dep.as_ref().map(|d| d.at.clone()).unwrap_or_default(),
                    dismissed_by: dep.as_ref().map(|d| d.by.clone()).unwrap_or_default(),
                    reason: dep
                        .as_ref()
                        .and_then(|d| d.reason)
                        .map(|r| r.to_string())
                        .unwrap_or_default(),
                    note: dep.and_then(|d| d.note).unwrap_or_default(),
                    open_tasks: owned.tasks,
                    crm_items: owned.crm_items,
                    files: owned.files,
                    mailboxes: owned.mailboxes,
                })
            })
        })
    }
}

/// Whether `me` may see this list: the handover backlog is for staff; other lists
/// follow the show-dismissed setting.
fn may_list(me: &Employee, show_dismissed: bool, query: &ListQuery) -> Result<()> {
    if query.still_owns {
        rules::ensure_may_read_reports(me, "handover backlog (--still-owns)")
    } else {
        rules::check_list_filter(show_dismissed, query.status)
    }
}

/// Validate and insert one person, creating their department if missing.
fn insert_person(
    c: &Connection,
    new: &NewEmployee,
    now: &str,
    today: NaiveDate,
) -> Result<EmployeeId> {
    let login = validate::login(&new.login)?;
    let first = validate::name_part("first name", &new.first_name)?;
    let last = validate::name_part("last name", &new.last_name)?;
    let email = validate::email(&new.email)?;
    let position = validate::optional_text("position", &new.position, validate::MAX_POSITION)?;
    let department = new
        .department
        .as_deref()
        .map(|d| validate::optional_text("department", d, validate::MAX_DEPARTMENT))
        .transpose()?
        .filter(|d| !d.is_empty());
    if q::login_taken(c, &login)? {
        return Err(Error::Duplicate(format!(
            "login \"{login}\" is already taken"
        )));
    }
    if q::email_taken(c, &email)? {
        return Err(Error::Duplicate(format!(
            "email \"{email}\" is already used by another employee"
        )));
    }
    let department_id = match department {
        Some(name) => Some(match q::department_id(c, &name)? {
            Some(id) => id,
            None => q::insert_department(c, &name, None)?,
        }),
        None => None,
    };
    let hired = new.hired_on.unwrap_or(today);
    q::insert_employee(
        c,
        &q::NewEmployeeRow {
            login: &login,
            first_name: &first,
            last_name: &last,
            email: &email,
            position: &position,
            department_id,
            hired_on: &hired.format("%Y-%m-%d").to_string(),
            is_admin: new.is_admin,
            kind: Kind::Employee,
            system_for: None,
            created_at: now,
        },
    )
}

/// The rehire itself, inside the caller's transaction.
fn hire_in(cx: &Ctx<'_>, target: &Employee, return_integrations: bool) -> Result<HireOutcome> {
    rules::check_hire(&cx.me, target)?;
    q::set_status(cx.tx, target.id, Status::Active)?;
    if let Some(dep) = q::latest_departure(cx.tx, target.id)?
        && dep.state == DepartureState::Done
        && dep.rehired_at.is_none()
    {
        q::mark_rehired(cx.tx, dep.id, &cx.now, cx.me.id)?;
    }
    let mut returned = Vec::new();
    let mut left = Vec::new();
    if let Some(system) = q::system_user_for(cx.tx, target.id)? {
        let held = q::returnable_integrations(cx.tx, system.id, target.id)?;
        if return_integrations {
            q::return_integrations(cx.tx, system.id, target.id)?;
            returned = held;
        } else {
            left = held;
        }
    }
    cx.audit(
        "hire",
        Some(target.id),
        json!({ "returned_integrations": returned.iter().map(|i| i.id).collect::<Vec<_>>() }),
    )?;
    let employee = q::employee_by_id(cx.tx, target.id)?.unwrap_or_else(|| target.clone());
    Ok(HireOutcome {
        employee,
        returned,
        left_with_system_user: left,
    })
}

fn clean_note(req: &DismissRequest) -> Result<Option<String>> {
    Ok(req
        .note
        .as_deref()
        .map(validate::note)
        .transpose()?
        .filter(|n| !n.is_empty()))
}

/// The dismissal itself, inside the caller's transaction: the rules, the status, the
/// departure record (a new one, or the scheduled one now done), the integration choice
/// and the audit event.
fn dismiss_in(
    cx: &Ctx<'_>,
    target: &Employee,
    req: &DismissRequest,
    note: Option<&str>,
    scheduled: Option<i64>,
) -> Result<DismissOutcome> {
    let admins = q::count_active_admins(cx.tx)?;
    let active = q::active_integrations_of(cx.tx, target.id)?;
    rules::check_dismiss(&cx.me, target, admins, &active, req.integrations)?;
    q::set_status(cx.tx, target.id, Status::Dismissed)?;
    let choice = if active.is_empty() {
        None
    } else {
        req.integrations
    };
    match scheduled {
        Some(id) => q::set_departure_state(cx.tx, id, DepartureState::Done, None, Some(&cx.now))?,
        None => {
            // Dismissed now: a dismissal scheduled for later has nothing left to do.
            if let Some(p) = q::pending_departure(cx.tx, target.id)? {
                q::set_departure_state(cx.tx, p.id, DepartureState::Canceled, None, None)?;
            }
            q::insert_departure(
                cx.tx,
                &q::NewDeparture {
                    employee_id: target.id,
                    effective_at: &cx.now,
                    recorded_by: cx.me.id,
                    recorded_at: &cx.now,
                    reason: req.reason,
                    note,
                    state: DepartureState::Done,
                    integrations: choice,
                },
            )?;
        }
    }
    let mut outcome = DismissOutcome {
        employee: target.clone(),
        kept: Vec::new(),
        disabled: Vec::new(),
        system_user: None,
    };
    match choice {
        Some(IntegrationChoice::Keep) => {
            let system = ensure_system_user(cx, target)?;
            q::transfer_active_integrations(cx.tx, target.id, system.id)?;
            outcome.system_user = Some(system.login);
            outcome.kept = active.clone();
        }
        Some(IntegrationChoice::Disable) => {
            q::disable_active_integrations(cx.tx, target.id)?;
            outcome.disabled = active.clone();
        }
        None => {}
    }
    cx.audit(
        "dismiss",
        Some(target.id),
        json!({
            "reason": req.reason.map(|r| r.as_str()),
            "note": note,
            "integrations": choice.map(|c| c.as_str()),
            "kept": outcome.kept.iter().map(|i| i.id).collect::<Vec<_>>(),
            "disabled": outcome.disabled.iter().map(|i| i.id).collect::<Vec<_>>(),
            "system_user": outcome.system_user,
            "scheduled": scheduled.is_some(),
        }),
    )?;
    outcome.employee = q::employee_by_id(cx.tx, target.id)?.unwrap_or_else(|| target.clone());
    Ok(outcome)
}

/// The system user that keeps `target`'s integrations alive: created the first time it is
/// needed, and given the rights `target` has now.
fn ensure_system_user(cx: &Ctx<'_>, target: &Employee) -> Result<Employee> {
    let system = match q::system_user_for(cx.tx, target.id)? {
        Some(s) => s,
        None => {
            let department_id = match &target.department {
                Some(d) => q::department_id(cx.tx, d)?,
                None => None,
            };
            let mut login = format!("system.{}", target.login);
            let mut n = 2;
            while q::login_taken(cx.tx, &login)? {
                login = format!("system.{}.{n}", target.login);
                n += 1;
            }
            let id = q::insert_employee(
                cx.tx,
                &q::NewEmployeeRow {
                    login: &login,
                    first_name: &target.first_name,
                    last_name: &format!("{} (system user)", target.last_name),
                    email: "",
                    position: "System user",
                    department_id,
                    hired_on: &cx.now[..10],
                    is_admin: false,
                    kind: Kind::System,
                    system_for: Some(target.id),
                    created_at: &cx.now,
                },
            )?;
            q::employee_by_id(cx.tx, id)?
                .ok_or_else(|| Error::Storage("system user vanished".into()))?
        }
    };
    // It inherits the rights of the employee it replaces, so the integrations keep
    // working exactly as before.
    q::set_admin(cx.tx, system.id, target.is_admin)?;
    if target.structure_access {
        q::grant_structure(cx.tx, system.id, Some(cx.me.id), &cx.now)?;
    } else {
        q::revoke_structure(cx.tx, system.id)?;
    }
    Ok(q::employee_by_id(cx.tx, system.id)?.unwrap_or(system))
}

const IMPORT_COLUMNS: [&str; 7] = [
    "login",
    "first_name",
    "last_name",
    "email",
    "position",
    "department",
    "hired_on",
];

/// Parse an import file into employees, naming the line and field of the first problem.
fn parse_import(mut input: impl Read) -> Result<Vec<(u64, NewEmployee)>> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Io(format!("cannot read the file: {e}")))?;
    // UTF-16 (from some spreadsheet exports) starts with a byte-order mark and is full
    // of NUL bytes; say so rather than complain about the columns.
    let head = &bytes[..bytes.len().min(4096)];
    let nuls = head.iter().filter(|b| **b == 0).count();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || nuls * 4 > head.len()
    {
        return Err(Error::Invalid(
            "line 1: the file is not UTF-8 text (it looks like UTF-16): save it as CSV UTF-8"
                .into(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(bytes.as_slice());
    let headers = reader
        .byte_headers()
        .map_err(|e| Error::Invalid(format!("line 1: cannot read the header: {e}")))?
        .clone();
    let headers: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
        })
        .collect();
    let mut index = [0usize; 7];
    for (slot, col) in IMPORT_COLUMNS.iter().enumerate() {
        index[slot] = headers.iter().position(|h| h == col).ok_or_else(|| {
            Error::Invalid(format!(
                "line 1: the header has no \"{col}\" column (expected {})",
                IMPORT_COLUMNS.join(",")
            ))
        })?;
    }
    let mut out = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::Invalid(format!("line {line}: {}", describe_csv_error(&e)))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |slot: usize| -> Result<String> {
            let raw = record.get(index[slot]).unwrap_or_default();
            String::from_utf8(raw.to_vec())
                .map(|s| s.trim().to_string())
                .map_err(|_| {
                    Error::Invalid(format!(
                        "line {line}, field {}: not valid UTF-8",
                        IMPORT_COLUMNS[slot]
                    ))
                })
        };
        let at = |slot: usize, e: Error| match e {
            Error::Invalid(m) => {
                Error::Invalid(format!("line {line}, field {}: {m}", IMPORT_COLUMNS[slot]))
            }
            other => other,
        };
        let login = field(0)?;
        validate::login(&login).map_err(|e| at(0, e))?;
        let first_name = field(1)?;
        validate::name_part("first name", &first_name).map_err(|e| at(1, e))?;
        let last_name = field(2)?;
        validate::name_part("last name", &last_name).map_err(|e| at(2, e))?;
        let email = field(3)?;
        validate::email(&email).map_err(|e| at(3, e))?;
        let position = field(4)?;
        validate::optional_text("position", &position, validate::MAX_POSITION)
            .map_err(|e| at(4, e))?;
        let department = field(5)?;
        validate::optional_text("department", &department, validate::MAX_DEPARTMENT)
            .map_err(|e| at(5, e))?;
        let hired = field(6)?;
        let hired_on = if hired.is_empty() {
            None
        } else {
            Some(validate::date("hired_on", &hired).map_err(|e| at(6, e))?)
        };
        out.push((
            line,
            NewEmployee {
                login,
                first_name,
                last_name,
                email,
                position,
                department: Some(department).filter(|d| !d.is_empty()),
                hired_on,
                is_admin: false,
            },
        ));
    }
    if out.is_empty() {
        return Err(Error::Invalid(
            "the file has a header but no employees".into(),
        ));
    }
    Ok(out)
}

fn describe_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        csv::ErrorKind::Io(io) => format!("cannot read the file: {io}"),
        _ => e.to_string(),
    }
}
