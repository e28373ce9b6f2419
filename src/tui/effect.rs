//! Effects are the only way the TUI touches data: `update` returns one, the executor
//! runs it against the directory and feeds the outcome back as actions.

use crate::Directory;
use crate::directory::{DismissRequest, When};
use crate::directory::{ListQuery, Section};
use crate::domain::{
    Actor, EmployeeId, Error, IntegrationChoice, IntegrationId, ScopeSet, Status, WorkKinds,
};

use super::action::Action;
use super::app::{ProfileData, ProfileTab};
use super::outcome::{Done, Issued};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadEmployees(ListQuery),
    /// Another page of the same list: rows only, the total is known.
    LoadEmployeeRows(ListQuery),
    LoadProfile(String),
    LoadSection {
        login: String,
        section: ProfileTab,
        offset: i64,
        limit: i64,
    },
    LoadIntegrations,
    /// The dashboard's figures.
    LoadDashboard,
    LoadAudit {
        search: Option<String>,
        offset: i64,
        limit: i64,
    },
    LoadSettings,
    /// The departments, for the list's department filter.
    LoadDepartments,
    LoadCandidates {
        search: String,
        exclude: EmployeeId,
    },
    /// The row or Actions menu for one employee: what the rules allow.
    PrepareMenu {
        login: String,
        in_profile: bool,
    },
    PrepareDismiss(String),
    PrepareHire(String),
    PrepareReassign(String),
    PrepareEdit(IntegrationId),
    Dismiss {
        login: String,
        request: DismissRequest,
    },
    ScheduleDismiss {
        login: String,
        request: DismissRequest,
        on: chrono::NaiveDate,
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
        /// A dismissal's reason and note, the same for each.
        reason: Option<crate::domain::Reason>,
        note: Option<String>,
        /// A day to schedule each dismissal for; none: now.
        on: Option<chrono::NaiveDate>,
    },
    Hire {
        login: String,
        return_integrations: bool,
    },
    Reassign {
        from: String,
        to: String,
        what: WorkKinds,
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
    /// A page of steps across the company, for the Offboarding pane, with the counts.
    LoadSteps(crate::directory::StepQuery),
    /// Another page of the same steps: rows only, the counts are known.
    LoadStepRows(crate::directory::StepQuery),
    /// Tick step `number` of `login`'s checklist done, or (`done` false) reopen it.
    ChangeStep {
        login: String,
        number: i64,
        done: bool,
    },
    /// An employee's SSH keys, for the profile's Keys tab.
    LoadKeys(String),
    AddKey {
        login: String,
        line: String,
    },
    RemoveKey(i64),
    /// Put `text` on the terminal's clipboard (OSC 52, which works over SSH);
    /// `what` names it for the status line.
    Copy {
        what: String,
        text: String,
    },
    /// Is the acting user still allowed in, and did anyone else change the data?
    Poll,
    Batch(Vec<Effect>),
}

/// Where a profile tab's rows come from: a section of the directory, or (`None`) the
/// conversation between the acting user and the employee.
fn source(tab: ProfileTab) -> Option<Section> {
    match tab {
        ProfileTab::Tasks => Some(Section::Tasks),
        ProfileTab::Drive => Some(Section::Drive),
        ProfileTab::Crm => Some(Section::Crm),
        ProfileTab::Mailboxes => Some(Section::Mailboxes),
        ProfileTab::Meetings => Some(Section::Meetings),
        ProfileTab::Feed => Some(Section::Feed),
        ProfileTab::Groups => Some(Section::Groups),
        ProfileTab::Conversation
        | ProfileTab::Overview
        | ProfileTab::Integrations
        | ProfileTab::Keys => None,
    }
}

/// Where the clipboard's escape sequence is written: the terminal the TUI draws on.
pub type ClipboardSink = Box<dyn std::io::Write + Send>;

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

/// Runs effects against one directory on behalf of the signed-in user.
pub struct Executor {
    pub dir: Directory,
    pub actor: Actor,
    /// The terminal, for OSC 52; none in a session without one.
    pub clipboard: Option<ClipboardSink>,
    last_version: Option<i64>,
    polls: u64,
}

fn failed(e: Error) -> Action {
    match e {
        Error::AccessRevoked(m) => Action::AccessRevoked(m.to_string()),
        other => Action::Failed(other),
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
            clipboard: None,
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
                Ok(rows) => vec![Action::EmployeeRowsLoaded {
                    offset: q.offset,
                    rows,
                }],
                Err(Error::SettingOff(_)) => vec![Action::ShowDismissedLoaded(false)],
                Err(e) => vec![failed(e)],
            },
            Effect::LoadProfile(login) => one(dir
                .profile(a, &login)
                .map(|profile| Action::ProfileLoaded(Box::new(ProfileData { profile })))),
            Effect::LoadSection {
                login,
                section,
                offset,
                limit,
            } => {
                let rows = match source(section) {
                    Some(s) => dir.section(a, &login, s, offset, limit),
                    None => dir.conversation(a, &login, offset, limit),
                };
                one(rows.map(|rows| Action::SectionLoaded {
                    login,
                    section,
                    offset,
                    rows,
                }))
            }
            Effect::LoadIntegrations => one(dir.integrations(a).map(Action::IntegrationsLoaded)),
            Effect::LoadDashboard => one(dir
                .dashboard(a)
                .map(|d| Action::DashboardLoaded(Box::new(d)))),
            Effect::LoadAudit {
                search,
                offset,
                limit,
            } => one(dir
                .audit(a, search.as_deref(), offset, limit)
                .map(|rows| Action::AuditLoaded { offset, rows })),
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
                // SCIM clients are the administrators' to see; others get nothing here.
                match (dir.scim_tokens(a), dir.scim_integrations()) {
                    (Ok(tokens), Ok(integrations)) => out.push(Action::ScimLoaded {
                        tokens,
                        integrations,
                    }),
                    (Err(crate::domain::Error::Denied(_)), _) => {}
                    (Err(e), _) | (_, Err(e)) => out.push(failed(e)),
                }
                match dir.hooks(a) {
                    Ok(hooks) => out.push(Action::HooksLoaded(hooks)),
                    Err(crate::domain::Error::Denied(_)) => {}
                    Err(e) => out.push(failed(e)),
                }
                out
            }
            Effect::LoadDepartments => one(dir.departments(a).map(Action::DepartmentsLoaded)),
            Effect::LoadCandidates { search, exclude } => one(dir
                .successors(a, &search, exclude, 8)
                .map(Action::CandidatesLoaded)),
            Effect::PrepareMenu { login, in_profile } => {
                one(dir
                    .allowed_actions(a, &login)
                    .map(|(target, allowed)| Action::MenuInfo {
                        target,
                        allowed,
                        in_profile,
                    }))
            }
            Effect::PrepareDismiss(login) => {
                one(dir
                    .prepare_dismissal(a, &login)
                    .map(|p| Action::DismissInfo {
                        integrations: p.integrations,
                        owns: p.owns,
                        target: p.target,
                        checklists: p.checklists,
                        default_checklist: p.default_checklist,
                    }))
            }
            Effect::PrepareHire(login) => {
                one(dir
                    .returnable_integrations(a, &login)
                    .and_then(|returnable| {
                        Ok(Action::HireInfo {
                            target: dir.employee(&login)?,
                            returnable,
                        })
                    }))
            }
            Effect::PrepareReassign(login) => {
                one(dir.profile(a, &login).map(|p| Action::ReassignInfo {
                    target: p.employee,
                    owns: p.owns,
                }))
            }
            Effect::PrepareEdit(id) => one(dir.integration(a, id).and_then(|integration| {
                let takes_over = dir.edit_would_take_over(a, id)?;
                Ok(Action::EditInfo {
                    integration,
                    takes_over,
                })
            })),
            Effect::Dismiss { login, request } => one(dir
                .dismiss(a, &login, &request)
                .map(|o| Action::Done(Done::Dismissed(o)))),
            Effect::ScheduleDismiss {
                login,
                request,
                on: day,
            } => one(dir
                .dismiss_when(a, &login, &request, When::On(day))
                .map(|d| Action::Done(Done::Dismissal(d)))),
            Effect::PrepareBulk { dismiss, logins } => {
                // The integration choice is made once, in the dialog: preview as if made.
                let plan = if dismiss {
                    let keep = DismissRequest {
                        integrations: Some(IntegrationChoice::Keep),
                        ..Default::default()
                    };
                    dir.plan_bulk_dismiss(a, &logins, keep)
                } else {
                    dir.plan_bulk_hire(a, &logins, false)
                };
                one(plan.map(|plan| Action::BulkInfo {
                    dismiss,
                    steps: plan.steps,
                }))
            }
            Effect::BulkApply {
                dismiss,
                logins,
                choice,
                reason,
                note,
                on,
            } => {
                // Each employee is their own transaction; the result names every one.
                let plan = if dismiss {
                    let request = DismissRequest {
                        integrations: choice,
                        reason,
                        note,
                        checklist: Default::default(),
                    };
                    dir.plan_bulk_dismiss(a, &logins, request)
                } else {
                    dir.plan_bulk_hire(a, &logins, false)
                };
                match plan {
                    Ok(plan) => {
                        let results = match on {
                            Some(day) => dir.apply_bulk_on(a, &plan, day),
                            None => dir.apply_bulk(a, &plan),
                        };
                        vec![Action::Done(Done::Bulk {
                            dismissal: dismiss,
                            results,
                        })]
                    }
                    Err(e) => vec![failed(e)],
                }
            }
            Effect::CancelDismissal(login) => {
                one(dir.cancel_dismissal(a, &login).map(|(employee, d)| {
                    Action::Done(Done::Canceled {
                        on: d.at.date_naive(),
                        employee,
                    })
                }))
            }
            Effect::Hire {
                login,
                return_integrations,
            } => one(dir
                .hire(a, &login, return_integrations)
                .map(|o| Action::Done(Done::Hired(o)))),
            // Reached from the dismiss dialog ("Reassign first…"), the dialog under the
            // handover reloads itself once it is uncovered (`Component::uncovered`).
            Effect::Reassign { from, to, what } => one(dir
                .hand_over(a, &from, &to, what)
                .map(|h| Action::Done(Done::Moved(h)))),
            Effect::CreateWebhook { title, scopes } => one(dir
                .create_webhook(a, &title, scopes)
                .map(|i| Action::UrlIssued {
                    issued: Issued::Created(i.integration),
                    url: i.url,
                })),
            Effect::EditWebhook { id, title, scopes } => one(dir
                .edit_webhook(a, id, Some(&title), Some(scopes))
                .map(|o| match o.new_url.clone() {
                    Some(url) => Action::UrlIssued {
                        issued: Issued::TakenOver {
                            integration: o.integration,
                            previous_owner: o.previous_owner,
                        },
                        url,
                    },
                    None => Action::Done(Done::WebhookUpdated(o)),
                })),
            Effect::DisableWebhook(id) => one(dir
                .disable_webhook(a, id)
                .map(|i| Action::Done(Done::WebhookDisabled(i)))),
            Effect::EnableWebhook(id) => one(dir
                .enable_webhook(a, id)
                .map(|i| Action::Done(Done::WebhookEnabled(i)))),
            Effect::RegenerateWebhook(id) => {
                one(dir.regenerate_webhook(a, id).map(|i| Action::UrlIssued {
                    issued: Issued::Regenerated(i.integration),
                    url: i.url,
                }))
            }
            Effect::SetShowDismissed(on) => one(dir
                .set_show_dismissed(a, on)
                .map(|_| Action::Done(Done::ShowDismissed(on)))),
            Effect::SetAccess { login, grant } => one(dir
                .set_structure_access(a, &login, grant)
                .map(|e| Action::Done(Done::Access { employee: e, grant }))),
            Effect::LoadSteps(query) => {
                one(dir.checklist_steps_page(a, &query).map(Action::StepsLoaded))
            }
            Effect::LoadStepRows(query) => {
                one(dir
                    .checklist_step_rows(a, &query)
                    .map(|rows| Action::StepRowsLoaded {
                        offset: query.offset,
                        rows,
                    }))
            }
            Effect::ChangeStep {
                login,
                number,
                done,
            } => one(dir
                .checklist_step(a, &login, number, done)
                .map(|list| Action::Done(Done::Step { list, number, done }))),
            Effect::LoadKeys(login) => match dir.keys(a, Some(&login)) {
                Ok(keys) => vec![Action::KeysLoaded {
                    login,
                    keys,
                    denied: None,
                }],
                // Someone else's keys: the tab says who may see them.
                Err(e @ Error::Denied(_)) => vec![Action::KeysLoaded {
                    login,
                    keys: vec![],
                    denied: Some(super::wording::say(&e)),
                }],
                Err(e) => vec![failed(e)],
            },
            Effect::AddKey { login, line } => one(dir
                .add_key(a, &login, &line)
                .map(|k| Action::Done(Done::KeyAdded(k)))),
            Effect::RemoveKey(id) => one(dir
                .remove_key(a, id)
                .map(|k| Action::Done(Done::KeyRemoved(k)))),
            Effect::Copy { what, text } => match &mut self.clipboard {
                Some(out) => match out
                    .write_all(osc52(&text).as_bytes())
                    .and_then(|()| out.flush())
                {
                    Ok(()) => vec![Action::Copied(format!(
                        "Copied {what} to the clipboard (through the terminal)"
                    ))],
                    Err(e) => vec![Action::Copied(format!("Could not copy {what}: {e}"))],
                },
                None => vec![Action::Copied(format!(
                    "No terminal to copy {what} through"
                ))],
            },
            Effect::Poll => {
                // A long session applies scheduled dismissals as they fall due, once a minute.
                self.polls += 1;
                // What this connection applies does not change the data version it
                // sees (only other connections' commits do): the screen is told here.
                let mut applied_here = false;
                if self.polls.is_multiple_of(60) {
                    match dir.apply_due() {
                        Ok(applied) => applied_here = !applied.is_empty(),
                        // Another process applies them too; a busy or read-only file here
                        // is not the user's business, but it is worth a line in the log.
                        Err(e) => {
                            tracing::warn!(error = %e, "applying scheduled dismissals failed")
                        }
                    }
                }
                match dir.employee_by_id(a.id) {
                    Ok(Some(me)) if me.status == Status::Dismissed => {
                        return vec![Action::AccessRevoked(format!(
                            "{} was dismissed",
                            crate::directory::Named::of(&me)
                        ))];
                    }
                    Ok(None) => {
                        return vec![Action::AccessRevoked(
                            "the signed-in user no longer exists".into(),
                        )];
                    }
                    _ => {}
                }
                // Signed in over SSH: the key must still be theirs.
                if let Err(Error::AccessRevoked(why)) = dir.check_door(a) {
                    return vec![Action::AccessRevoked(why.to_string())];
                }
                let now = dir.data_version().ok();
                if now.is_some() && now != self.last_version {
                    self.last_version = now;
                    return vec![Action::ExternalChange];
                }
                if applied_here {
                    return vec![Action::ExternalChange];
                }
                vec![]
            }
        }
    }
}
