//! Effects are the only way the TUI touches data: `update` returns one, the executor
//! runs it against the directory and feeds the outcome back as actions.

use crate::Directory;
use crate::directory::DismissRequest;
use crate::directory::{ListQuery, Section};
use crate::domain::{Actor, EmployeeId, Error, IntegrationId, ScopeSet, Status, WorkKinds};

use super::action::Action;
use super::app::{ProfileData, SECTIONS};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadEmployees(ListQuery),
    /// Another page of the same list: rows only, the total is known.
    LoadEmployeeRows(ListQuery),
    LoadProfile(String),
    LoadSection {
        login: String,
        section: usize,
        offset: i64,
        limit: i64,
    },
    LoadIntegrations,
    LoadAudit {
        search: Option<String>,
        offset: i64,
        limit: i64,
    },
    LoadSettings,
    LoadCandidates {
        search: String,
        exclude: EmployeeId,
    },
    PrepareDismiss(String),
    PrepareHire(String),
    PrepareReassign(String, bool),
    PrepareEdit(IntegrationId),
    Dismiss {
        login: String,
        request: DismissRequest,
    },
    ScheduleDismiss {
        login: String,
        request: DismissRequest,
        on: String,
    },
    CancelDismissal(String),
    PrepareBulk {
        dismiss: bool,
        logins: Vec<String>,
    },
    BulkApply {
        dismiss: bool,
        logins: Vec<String>,
        choice: Option<crate::domain::IntegrationChoice>,
    },
    Hire {
        login: String,
        return_integrations: bool,
    },
    Reassign {
        from: String,
        to: String,
        what: WorkKinds,
        then_dismiss: bool,
    },
    CreateWebhook {
        title: String,
        scopes: ScopeSet,
    },
    EditWebhook {
        id: IntegrationId,
        title: String,
        scopes: ScopeSet,
    },
    DisableWebhook(IntegrationId),
    EnableWebhook(IntegrationId),
    RegenerateWebhook(IntegrationId),
    SetShowDismissed(bool),
    SetAccess {
        login: String,
        grant: bool,
    },
    /// Is the acting user still allowed in, and did anyone else change the data?
    Poll,
    Batch(Vec<Effect>),
}

/// Runs effects against one directory on behalf of the signed-in user.
pub struct Executor {
    pub dir: Directory,
    pub actor: Actor,
    last_version: Option<i64>,
    polls: u64,
}

fn failed(e: Error) -> Action {
    match e {
        Error::AccessRevoked(m) => Action::AccessRevoked(m),
        other => Action::Failed(other.to_string()),
    }
}

impl Executor {
    pub fn new(dir: Directory, actor: Actor) -> Self {
        let last_version = dir.data_version().ok();
        Executor {
            dir,
            actor,
            last_version,
            polls: 0,
        }
    }

    pub fn run(&mut self, effect: Effect) -> Vec<Action> {
        let a = self.actor;
        let dir = &mut self.dir;
        let one = |r: Result<Action, Error>| vec![r.unwrap_or_else(failed)];
        match effect {
            Effect::Batch(list) => list.into_iter().flat_map(|e| self.run(e)).collect(),
            Effect::LoadEmployees(q) => match dir.list(a, &q) {
                Ok(page) => vec![Action::EmployeesLoaded(page)],
                // The setting was turned off under a dismissed/all filter: follow it.
                Err(Error::SettingOff(_)) => vec![Action::ShowDismissedLoaded(false)],
                Err(e) => vec![failed(e)],
            },
            Effect::LoadEmployeeRows(q) => match dir.list_rows(a, &q) {
                Ok(rows) => vec![Action::EmployeeRowsLoaded { offset: q.offset, rows }],
                Err(Error::SettingOff(_)) => vec![Action::ShowDismissedLoaded(false)],
                Err(e) => vec![failed(e)],
            },
            Effect::LoadProfile(login) => one(dir.profile(a, &login).map(|profile| {
                Action::ProfileLoaded(Box::new(ProfileData { profile }))
            })),
            Effect::LoadSection { login, section, offset, limit } => {
                let which = match SECTIONS[section] {
                    "Tasks" => Some(Section::Tasks),
                    "Drive" => Some(Section::Drive),
                    "Meetings" => Some(Section::Meetings),
                    "Feed" => Some(Section::Feed),
                    "Groups" => Some(Section::Groups),
                    _ => None,
                };
                let rows = match which {
                    Some(s) => dir.section(a, &login, s, offset, limit),
                    None => dir.conversation(a, &login, offset, limit),
                };
                one(rows.map(|rows| Action::SectionLoaded { login, section, offset, rows }))
            }
            Effect::LoadIntegrations => one(dir.integrations(a).map(Action::IntegrationsLoaded)),
            Effect::LoadAudit { search, offset, limit } => {
                one(dir.audit(a, search.as_deref(), offset, limit).map(|rows| Action::AuditLoaded { offset, rows }))
            }
            Effect::LoadSettings => {
                let mut out = vec![];
                match dir.show_dismissed() {
                    Ok(on) => out.push(Action::ShowDismissedLoaded(on)),
                    Err(e) => out.push(failed(e)),
                }
                match dir.structure_staff(a) {
                    Ok(staff) => out.push(Action::StaffLoaded(staff)),
                    Err(e) => out.push(failed(e)),
                }
                out
            }
            Effect::LoadCandidates { search, exclude } => {
                one(dir.successors(a, &search, exclude, 8).map(Action::CandidatesLoaded))
            }
            Effect::PrepareDismiss(login) => one(dir.profile(a, &login).map(|p| Action::DismissInfo {
                integrations: p
                    .integrations
                    .iter()
                    .filter(|i| i.owner_id == p.employee.id && i.status == crate::domain::IntegrationStatus::Active)
                    .map(|i| crate::domain::IntegrationBrief { id: i.id, title: i.title.clone(), scopes: i.scopes })
                    .collect(),
                owns: p.owns,
                target: p.employee,
            })),
            Effect::PrepareHire(login) => one(dir.returnable_integrations(a, &login).and_then(|returnable| {
                Ok(Action::HireInfo { target: dir.employee(&login)?, returnable })
            })),
            Effect::PrepareReassign(login, then_dismiss) => {
                one(dir.profile(a, &login).map(|p| Action::ReassignInfo { target: p.employee, owns: p.owns, then_dismiss }))
            }
            Effect::PrepareEdit(id) => one(dir.integration(a, id).and_then(|integration| {
                let takes_over = dir.edit_would_take_over(a, id)?;
                Ok(Action::EditInfo { integration, takes_over })
            })),
            Effect::Dismiss { login, request } => one(dir.dismiss(a, &login, &request).map(|o| {
                let mut msg = format!("Dismissed {}", o.employee.name());
                if !o.kept.is_empty() {
                    msg.push_str(&format!(
                        "; {} integration{} moved to a system user ({})",
                        o.kept.len(),
                        if o.kept.len() == 1 { "" } else { "s" },
                        o.system_user.as_deref().unwrap_or("")
                    ));
                }
                if !o.disabled.is_empty() {
                    msg.push_str(&format!(
                        "; {} integration{} disabled",
                        o.disabled.len(),
                        if o.disabled.len() == 1 { "" } else { "s" }
                    ));
                }
                Action::Done(msg)
            })),
            Effect::ScheduleDismiss { login, request, on } => {
                let date = match crate::domain::validate::date("date", &on) {
                    Ok(d) => d,
                    Err(e) => return vec![failed(e)],
                };
                let scheduled = dir.schedule_dismissal(a, &login, &request, date);
                let due = scheduled.is_ok() && dir.apply_due().map(|v| v.iter().any(|d| d.login == login && d.applied)).unwrap_or(false);
                one(scheduled.map(|d| {
                    if due {
                        format!("Dismissed {login} as of today")
                    } else {
                        format!("{login} is leaving on {}: the dismissal is applied then", d.at.date_naive())
                    }
                })
                .map(Action::Done))
            }
            Effect::PrepareBulk { dismiss, logins } => {
                // The integration choice is made once, in the dialog: preview as if made.
                let steps = if dismiss {
                    dir.preview_dismiss(a, &logins, Some(crate::domain::IntegrationChoice::Keep))
                } else {
                    dir.preview_hire(a, &logins)
                };
                one(steps.map(|steps| Action::BulkInfo { dismiss, steps }))
            }
            Effect::BulkApply { dismiss, logins, choice } => {
                // Each employee is their own transaction; the result names every one.
                let mut done = Vec::new();
                let mut skipped = Vec::new();
                for login in &logins {
                    let r = if dismiss {
                        dir.dismiss(a, login, &DismissRequest { integrations: choice, reason: None, note: None }).map(|_| ())
                    } else {
                        dir.hire(a, login, false).map(|_| ())
                    };
                    match r {
                        Ok(()) => done.push(login.clone()),
                        Err(e) => skipped.push(format!("{login} ({e})")),
                    }
                }
                let mut msg = format!(
                    "{} {} of {}: {}",
                    if dismiss { "Dismissed" } else { "Hired" },
                    done.len(),
                    logins.len(),
                    done.join(", ")
                );
                if !skipped.is_empty() {
                    msg.push_str(&format!("; skipped {}", skipped.join(", ")));
                }
                vec![Action::BulkDone(msg)]
            }
            Effect::CancelDismissal(login) => one(dir.cancel_dismissal(a, &login).map(|d| {
                Action::Done(format!("Canceled the dismissal of {login} scheduled for {}", d.at.date_naive()))
            })),
            Effect::Hire { login, return_integrations } => one(dir.hire(a, &login, return_integrations).map(|o| {
                let mut msg = format!("Hired {} back", o.employee.name());
                if !o.returned.is_empty() {
                    msg.push_str(&format!("; {} integration(s) returned to them", o.returned.len()));
                }
                Action::Done(msg)
            })),
            Effect::Reassign { from, to, what, then_dismiss } => {
                let mut out = one(dir.reassign(a, &from, &to, what).map(|m| {
                    Action::Done(format!("Moved from {from} to {to}: {m}"))
                }));
                // The handover was the first step of a dismissal: back to it, with the
                // counts as they are now.
                if then_dismiss && matches!(out.first(), Some(Action::Done(_))) {
                    out.extend(self.run(Effect::PrepareDismiss(from)));
                }
                out
            }
            Effect::CreateWebhook { title, scopes } => one(dir.create_webhook(a, &title, scopes).map(|i| Action::UrlIssued {
                message: format!("Created integration #{} \"{}\" [{}]", i.integration.id, i.integration.title, scopes),
                url: i.url,
            })),
            Effect::EditWebhook { id, title, scopes } => one(dir.edit_webhook(a, id, Some(&title), Some(scopes)).map(|o| {
                match o.new_url {
                    Some(url) => Action::UrlIssued {
                        message: format!(
                            "Integration #{} is now yours (it was held by {}); the old URL no longer works",
                            o.integration.id, o.previous_owner
                        ),
                        url,
                    },
                    None => Action::Done(format!("Updated integration #{} \"{}\"", o.integration.id, o.integration.title)),
                }
            })),
            Effect::DisableWebhook(id) => one(dir.disable_webhook(a, id).map(|i| {
                Action::Done(format!("Disabled integration #{} \"{}\": its URL stopped working", i.id, i.title))
            })),
            Effect::EnableWebhook(id) => one(dir.enable_webhook(a, id).map(|i| {
                Action::Done(format!("Enabled integration #{} \"{}\"", i.id, i.title))
            })),
            Effect::RegenerateWebhook(id) => one(dir.regenerate_webhook(a, id).map(|i| Action::UrlIssued {
                message: format!("New secret for integration #{} \"{}\"; the old URL no longer works", i.integration.id, i.integration.title),
                url: i.url,
            })),
            Effect::SetShowDismissed(on) => one(dir.set_show_dismissed(a, on).map(|_| {
                Action::Done(format!("Dismissed employees are now {} in the employee list", if on { "shown" } else { "hidden" }))
            })),
            Effect::SetAccess { login, grant } => one(dir.set_structure_access(a, &login, grant).map(|e| {
                Action::Done(if grant {
                    format!("Granted company-structure access to {}", e.name())
                } else {
                    format!("Revoked company-structure access from {}", e.name())
                })
            })),
            Effect::Poll => {
                // A long session applies scheduled dismissals as they fall due, once a minute.
                self.polls += 1;
                if self.polls.is_multiple_of(60) {
                    let _ = dir.apply_due();
                }
                match dir.employee_by_id(a.id) {
                    Ok(Some(me)) if me.status == Status::Dismissed => {
                        return vec![Action::AccessRevoked(format!("{} was dismissed", me.login))];
                    }
                    Ok(None) => return vec![Action::AccessRevoked("the signed-in user no longer exists".into())],
                    _ => {}
                }
                let now = dir.data_version().ok();
                if now.is_some() && now != self.last_version {
                    self.last_version = now;
                    return vec![Action::ExternalChange];
                }
                vec![]
            }
        }
    }
}
