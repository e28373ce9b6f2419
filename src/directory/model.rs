//! The read models and outcomes every interface uses: what a list row, a profile, a
//! bulk preview or a dismissal's result holds. The store maps rows into these.

use super::*;

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
    /// `Some(None)` takes the employee out of every department.
    pub department: Option<Option<i64>>,
    /// The portal's personal fields: `PERSONAL_GENDER` (`M`, `F` or empty),
    /// `PERSONAL_PROFESSION`, `PERSONAL_BIRTHDAY` (`Some(None)` clears it).
    pub gender: Option<String>,
    pub profession: Option<String>,
    pub birthday: Option<Option<NaiveDate>>,
}

/// A new department (`department.add`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewDepartment {
    pub name: String,
    pub parent: Option<i64>,
    pub head: Option<EmployeeId>,
}

/// Changes to a department (`department.update`); `None` leaves a field as it is,
/// `Some(None)` clears the parent or the head.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DepartmentChanges {
    pub name: Option<String>,
    pub parent: Option<Option<i64>>,
    pub head: Option<Option<EmployeeId>>,
}

/// What the administrator chose in the dismissal dialog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DismissRequest {
    pub integrations: Option<IntegrationChoice>,
    pub reason: Option<Reason>,
    pub note: Option<String>,
    /// The offboarding checklist it starts.
    pub checklist: crate::domain::ChecklistChoice,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DismissOutcome {
    pub employee: Employee,
    /// Integrations now held by the system user, still working.
    pub kept: Vec<IntegrationBrief>,
    /// Integrations that stopped.
    pub disabled: Vec<IntegrationBrief>,
    pub system_user: Option<String>,
    /// The template of the checklist it started, if any.
    pub checklist: Option<String>,
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
    /// Why the rules refused it when it fell due.
    #[serde(serialize_with = "as_text")]
    pub failure: Option<Error>,
}

/// One line of a bulk preview: an employee and whether the change applies to them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkStep {
    pub login: String,
    pub name: Option<String>,
    /// True when the change will be made; false when the employee is skipped.
    pub apply: bool,
    /// Why they are skipped.
    #[serde(rename = "skip_reason", serialize_with = "as_text")]
    pub skip: Option<Error>,
    pub active_integrations: usize,
    /// Those integrations, so that the one choice for the set is made knowing what
    /// it affects (SPEC §3).
    pub integrations: Vec<IntegrationBrief>,
}

impl BulkStep {
    /// How a sentence names them.
    pub fn named(&self) -> super::Named<'_> {
        super::Named::maybe(self.name.as_deref(), &self.login)
    }

    pub(super) fn go(e: &Employee, integrations: Vec<IntegrationBrief>) -> Self {
        BulkStep {
            login: e.login.clone(),
            name: Some(e.name()),
            apply: true,
            skip: None,
            active_integrations: integrations.len(),
            integrations,
        }
    }
    pub(super) fn skip(login: &str, name: Option<String>, why: Error) -> Self {
        BulkStep {
            login: login.trim().to_string(),
            name,
            apply: false,
            skip: Some(why),
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
    /// Who held it before the edit (the editor themselves when it stayed theirs).
    pub previous_owner: Employee,
}

/// Who a webhook call acts as: its integration's id and scopes, and its current owner.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookCaller {
    pub integration_id: IntegrationId,
    pub scopes: ScopeSet,
    pub owner: Employee,
}

/// A page of employees and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub rows: Vec<ListRow>,
    pub total: i64,
    /// `total` is where counting stopped: there are more (a broad search,
    /// `SEARCH_COUNT_FROM`).
    pub more: bool,
    /// How many dismissed employees the same search would find that this list leaves
    /// out (it shows active ones only); 0 for other lists.
    pub dismissed_hidden: i64,
    /// `dismissed_hidden` is where counting stopped.
    pub hidden_more: bool,
}

/// Everything a profile shows at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub employee: Employee,
    pub departure: Option<Departure>,
    pub owns: Owned,
    pub history: History,
    pub integrations: Vec<Integration>,
    /// Integrations they created that their system user keeps running since their
    /// dismissal (not theirs any more, but they came from them).
    pub kept: Vec<Integration>,
    /// Messages between the viewer and this employee.
    pub conversation_len: i64,
    /// Their system user, if one was ever created.
    pub system_user: Option<String>,
    /// Their newest offboarding checklist, for staff and the owners of its steps.
    pub checklist: Option<Checklist>,
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
    pub hired_on: NaiveDate,
    pub status: Status,
    /// Empty for someone not dismissed, in JSON as in CSV.
    #[serde(with = "crate::domain::time::as_timestamp_or_empty")]
    pub dismissed_at: Option<DateTime<Utc>>,
    pub dismissed_by: String,
    pub reason: String,
    pub note: String,
    pub open_tasks: i64,
    pub crm_items: i64,
    pub files: i64,
    pub mailboxes: i64,
}

// ---------------------------------------------------------------- lists, profiles, audit

/// A department as listed: id, name, parent id, head id.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct DepartmentRow {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    pub head_id: Option<EmployeeId>,
}

/// One line of a profile section (tasks, drive, conversation, meetings, feed, groups).
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct SectionRow {
    pub id: i64,
    #[serde(with = "crate::domain::time::as_opt_timestamp")]
    pub when: Option<DateTime<Utc>>,
    pub title: String,
    pub detail: String,
}

/// Which profile section to page through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Tasks,
    Drive,
    /// CRM items assigned to them (what Reassign… moves as CRM).
    Crm,
    /// The mailboxes they own (what Reassign… moves as mail).
    Mailboxes,
    Meetings,
    Feed,
    Groups,
}

/// What a list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub status: StatusFilter,
    pub search: Option<String>,
    /// Only dismissed employees who still own work (the handover backlog).
    pub still_owns: bool,
    pub offset: i64,
    pub limit: i64,
    /// Only the employees of this department (its id).
    pub department: Option<i64>,
    /// The column the list is in the order of (then by name).
    pub sort: ListSort,
}

/// The order of an employee list: by name (last, then first), or by a column and
/// then by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    #[default]
    Name,
    Position,
    Department,
}

impl ListSort {
    pub const ALL: [ListSort; 3] = [ListSort::Name, ListSort::Position, ListSort::Department];

    /// The next order, round the columns.
    pub fn next(self) -> ListSort {
        let i = ListSort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        ListSort::ALL[(i + 1) % ListSort::ALL.len()]
    }
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            status: StatusFilter::Active,
            search: None,
            still_owns: false,
            offset: 0,
            limit: 50,
            department: None,
            sort: ListSort::Name,
        }
    }
}

/// One row of the employee list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub employee: Employee,
    pub active_integrations: i64,
    /// The day of a scheduled dismissal.
    pub leaving_on: Option<NaiveDate>,
    /// Filled for the handover backlog.
    pub owned: Option<Owned>,
    /// For the handover backlog: open checklist steps past their due date.
    pub overdue_steps: Option<i64>,
}

/// One audit event as read back.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct AuditEvent {
    pub id: i64,
    #[serde(with = "crate::domain::time::as_timestamp")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub details: serde_json::Value,
    pub via_integration: Option<IntegrationId>,
    /// How the actor was authenticated (`Via::Unknown` for events from before doors
    /// were recorded).
    pub via: crate::domain::Via,
}

/// What `audit verify` found: the events whose chain holds, from the first, and the
/// first break; and whether the triggers that refuse deleting or changing events are
/// still there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    /// Events checked and found sound, from the first up to the break (or all).
    pub events: i64,
    /// The last sound event and its hash: worth writing down elsewhere, as the chain
    /// alone cannot show that events were cut from its end.
    pub last: Option<(i64, String)>,
    pub broken: Option<AuditBreak>,
    /// `audit_no_delete`, `audit_no_update`: guards dropped or made harmless.
    pub missing_guards: Vec<String>,
}

impl AuditCheck {
    pub fn is_sound(&self) -> bool {
        self.broken.is_none() && self.missing_guards.is_empty()
    }
}

/// The first event where the chain breaks, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditBreak {
    pub id: i64,
    pub problem: ChainBreak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainBreak {
    /// No hash at all: the row was not written by offboard.
    NoHash,
    /// Its content no longer matches its hash: changed after it was written.
    Edited,
    /// The first event left is chained to an earlier one: events before it are gone.
    StartMissing,
    /// Chained to an event that is no longer there: the events after `after` and
    /// before this one were deleted.
    Deleted { after: i64 },
    /// Chained to another hash than the event before it has now: `previous` was
    /// changed (and its hash made to match) or replaced.
    PreviousChanged { previous: i64 },
}

/// "event #12: its content does not match its hash (changed after it was written)".
impl std::fmt::Display for AuditBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = self.id;
        match self.problem {
            ChainBreak::NoHash => {
                write!(f, "event #{id} has no hash: it was not written by offboard")
            }
            ChainBreak::Edited => write!(
                f,
                "event #{id}: its content does not match its hash (changed after it was written)"
            ),
            ChainBreak::StartMissing => write!(
                f,
                "event #{id} is chained to an earlier event that is gone: events before it were deleted"
            ),
            ChainBreak::Deleted { after } if after + 2 == id => write!(
                f,
                "event #{id} is chained to an event that is gone: event #{} was deleted",
                after + 1
            ),
            ChainBreak::Deleted { after } => write!(
                f,
                "event #{id} is chained to an event that is gone: events #{}–#{} were deleted",
                after + 1,
                id - 1
            ),
            ChainBreak::PreviousChanged { previous } => write!(
                f,
                "event #{id} is chained to another hash than event #{previous} has now: #{previous} was changed or replaced"
            ),
        }
    }
}

// ---------------------------------------------------------------- the portal's REST shapes

/// How a filter key compares its field with its value: the portal's prefixes
/// (`>ID`, `!@UF_DEPARTMENT`, `%NAME`, `=%EMAIL` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterOp {
    /// `=` or no prefix; with a list of values, any of them (`IN`).
    Eq,
    /// `!` or `!=`; with a list, none of them.
    NotEq,
    Gt,
    Ge,
    Lt,
    Le,
    /// `%`: contains the value (a `%` in the value is literal).
    Contains,
    /// `!%`
    NotContains,
    /// `=%` or `%=`: a LIKE pattern, `%` and `_` as wildcards.
    Like,
    /// `!=%` or `!%=`
    NotLike,
}

/// One value a filter compares with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FilterValue {
    Int(i64),
    Text(String),
}

/// One condition of a list filter on a field of type `F`. An empty `values` (the
/// filter's value was empty, or a batch reference found nothing) matches no row for
/// `Eq` and the ordering comparisons, and every row for `NotEq`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition<F> {
    pub field: F,
    pub op: FilterOp,
    pub values: Vec<FilterValue>,
}

/// The fields `user.get` filters on beyond ACTIVE, USER_TYPE and FIND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserField {
    Id,
    Name,
    LastName,
    Email,
    Position,
    Department,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct UserFilter {
    /// Exactly these ids (`ID` or `@ID`): the one way dismissed employees are listed
    /// with `show_dismissed` off.
    pub ids: Option<Vec<EmployeeId>>,
    pub active: Option<bool>,
    pub conditions: Vec<Condition<UserField>>,
    /// Only "employee" matches: the portal's other user types do not exist here.
    pub user_type: Option<String>,
    /// Words to find in name, login or email (`user.search`).
    pub find: Option<String>,
    /// Whether dismissed employees may be listed at all.
    pub include_dismissed: bool,
}

/// Where a page starts: a row number (`start=N`, with the total counted), or the
/// portal's fast mode (`start=-1`: the first rows matching, nothing counted; a client
/// continues with a filter on the last ID it saw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart {
    Offset(i64),
    Uncounted,
}

impl PageStart {
    pub fn offset(self) -> i64 {
        match self {
            PageStart::Offset(n) => n,
            PageStart::Uncounted => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserSort {
    #[default]
    Id,
    Name,
    LastName,
    Email,
}

/// One user as `user.get` returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiUser {
    pub id: EmployeeId,
    pub active: bool,
    pub name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub department: Option<i64>,
    pub login: String,
    pub is_admin: bool,
    pub hired_on: NaiveDate,
    pub gender: String,
    pub profession: String,
    pub birthday: Option<NaiveDate>,
}

/// The fields `tasks.task.list` filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskField {
    Id,
    Title,
    Responsible,
    CreatedBy,
    /// Values are offboard's status words (open, in_progress, done).
    Status,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    pub conditions: Vec<Condition<TaskField>>,
    /// Only tasks this employee takes part in (for those who may not see every task).
    pub visible_to: Option<EmployeeId>,
}

/// The fields the `crm.*.list` methods filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrmField {
    Id,
    Title,
    Assigned,
    Stage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiTask {
    pub id: TaskId,
    pub title: String,
    pub responsible: EmployeeId,
    pub created_by: EmployeeId,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiCrmItem {
    pub id: i64,
    pub title: String,
    pub assigned: EmployeeId,
    pub stage: String,
}

// ---------------------------------------------------------------- workflows

fn as_text<S: serde::Serializer>(e: &Option<Error>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_some(&e.to_string()),
        None => s.serialize_none(),
    }
}

/// When a dismissal takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Now,
    /// On this day (today applies it at once).
    On(NaiveDate),
}

/// What a dismissal did. (One is made per user action, so the size of the largest
/// variant does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Dismissal {
    /// Dismissed now.
    Done(DismissOutcome),
    /// Scheduled for today, and so applied at once.
    AsOfToday { login: String, name: String },
    /// Scheduled for a later day; any offboard process applies it then.
    Scheduled {
        login: String,
        name: String,
        on: NaiveDate,
    },
}

/// What a reassignment moved, and from whom to whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    pub from: Employee,
    pub to: Employee,
    pub moved: Owned,
}

/// What the dismiss dialog shows before anything happens.
#[derive(Debug, Clone, PartialEq)]
pub struct DismissPlan {
    pub target: Employee,
    pub owns: Owned,
    /// Active integrations: not empty means keep or disable must be chosen.
    pub integrations: Vec<IntegrationBrief>,
    /// The checklist templates a dismissal may start, by name, and the default one.
    pub checklists: Vec<String>,
    pub default_checklist: Option<String>,
}

/// The change a bulk plan makes to each employee.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkChange {
    Dismiss(DismissRequest),
    Hire { return_integrations: bool },
}

impl BulkChange {
    pub fn is_dismissal(&self) -> bool {
        matches!(self, BulkChange::Dismiss(_))
    }
}

/// A previewed bulk change: what happens to each, before anything does.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPlan {
    pub change: BulkChange,
    pub steps: Vec<BulkStep>,
}

impl BulkPlan {
    /// The steps that will change someone.
    pub fn going(&self) -> impl Iterator<Item = &BulkStep> {
        self.steps.iter().filter(|s| s.apply)
    }
}

/// What happened to one employee of a bulk change.
#[derive(Debug, Clone, PartialEq)]
pub enum Changed {
    Dismissed(DismissOutcome),
    Hired(HireOutcome),
    /// A dismissal on a day (`apply_bulk_on`): scheduled, or applied as of today.
    Scheduled(Dismissal),
}

#[derive(Debug, Clone, PartialEq)]
pub struct BulkResult {
    pub login: String,
    /// Their name, as the preview found it (none for a login that names nobody).
    pub name: Option<String>,
    /// The change, or why this employee was skipped.
    pub outcome: Result<Changed>,
}

impl BulkResult {
    /// How a sentence names them.
    pub fn named(&self) -> super::Named<'_> {
        super::Named::maybe(self.name.as_deref(), &self.login)
    }
}

/// An employee's SSH key, as listed (the key itself stays in the store: the
/// fingerprint names it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SshKey {
    pub id: i64,
    /// The owner's login.
    pub login: String,
    /// The owner's name, for sentences (`keys --json` gives the login, as before).
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub owner_id: EmployeeId,
    /// As sshd names it: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`.
    pub algorithm: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    pub comment: String,
    /// The modulus size of an RSA key.
    pub bits: Option<u32>,
    #[serde(with = "crate::domain::time::as_timestamp")]
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

/// A registered key that sshd offered: which one, and whether its owner may sign in.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferedKey {
    pub id: i64,
    pub algorithm: String,
    pub lets_in: bool,
}

/// One event in the outbox: its stable id (`webhook-id`), type, time and the payload
/// exactly as delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEvent {
    pub id: i64,
    pub uid: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub at: DateTime<Utc>,
    pub body: String,
}

/// An outbound event hook as `hook list` shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hook {
    pub id: i64,
    pub url: String,
    /// The event types it is told of; empty for all.
    pub events: Vec<String>,
    pub status: crate::domain::HookStatus,
    /// The last outbox event handled for it.
    #[serde(skip)]
    pub cursor: i64,
    /// Set when retries of an event ran out: nothing more is delivered until enabled.
    pub failing_since: Option<DateTime<Utc>>,
    pub failure: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Events waiting for it.
    pub backlog: i64,
}

impl Hook {
    /// `active`, `failing` or `disabled`: what the admin needs to know first.
    pub fn health(&self) -> &'static str {
        match (self.status, self.failing_since) {
            (crate::domain::HookStatus::Disabled, _) => "disabled",
            (_, Some(_)) => "failing",
            _ => "active",
        }
    }
}

/// A new hook and its signing secret, shown once.
#[derive(Debug, Clone, PartialEq)]
pub struct HookCreated {
    pub hook: Hook,
    pub secret: String,
}

/// One line of a hook's delivery log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryRow {
    pub event_id: i64,
    pub webhook_id: String,
    pub event_type: String,
    pub state: crate::domain::DeliveryState,
    pub attempts: i64,
    pub first_attempt_at: DateTime<Utc>,
    pub last_attempt_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
}

/// The next thing to send to one hook: its address and secret, the event, and what
/// earlier attempts at it left.
#[derive(Debug, Clone)]
pub struct DeliveryWork {
    pub hook: i64,
    pub url: String,
    pub secret: String,
    pub event: OutboxEvent,
    pub attempts: i64,
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A step of a checklist template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateStep {
    pub title: String,
    pub owner_role: crate::domain::OwnerRole,
    /// The login, for a step owned by one person.
    pub owner: Option<String>,
    /// Days from the leaving date (negative: before it).
    pub due_days: i64,
}

/// A checklist template with its steps, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistTemplate {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub steps: Vec<TemplateStep>,
}

/// One step of a running checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistStep {
    /// 1, 2, …: what `checklist done LOGIN STEP` names.
    pub number: i64,
    pub title: String,
    pub owner_role: crate::domain::OwnerRole,
    /// The owner's login, for a step of one person (a department head is resolved when
    /// the checklist starts).
    pub owner: Option<String>,
    pub due_on: NaiveDate,
    pub state: crate::domain::StepState,
    pub done_by: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    /// Open and due before today.
    pub overdue: bool,
}

impl ChecklistStep {
    /// "jdoe", "department head mkeller", "company-structure staff", "administrators".
    pub fn owner_label(&self) -> String {
        owner_label(self.owner_role, self.owner.as_deref())
    }
}

/// How a step's owner is shown.
pub fn owner_label(role: crate::domain::OwnerRole, login: Option<&str>) -> String {
    use crate::domain::OwnerRole;
    match (role, login) {
        (OwnerRole::Login, Some(l)) => l.to_string(),
        (OwnerRole::DepartmentHead, Some(l)) => format!("department head {l}"),
        (OwnerRole::DepartmentHead, None) => "department head (none)".into(),
        (OwnerRole::Structure, _) => "company-structure staff".into(),
        (OwnerRole::Admins, _) => "administrators".into(),
        (OwnerRole::Login, None) => "nobody".into(),
    }
}

/// An offboarding checklist, started by a dismissal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checklist {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub template: String,
    pub started_at: DateTime<Utc>,
    pub state: crate::domain::ChecklistState,
    pub closed_at: Option<DateTime<Utc>>,
    pub steps: Vec<ChecklistStep>,
}

/// Which steps the view of steps across the company lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StepFilter {
    /// Open steps of open checklists: overdue first, then by due date.
    #[default]
    Open,
    /// Steps ticked done (of checklists not canceled), the most recently ticked first:
    /// where a step ticked by mistake is reopened.
    Done,
}

/// A page of the view of steps across the company.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepQuery {
    pub filter: StepFilter,
    /// Only the acting user's steps: those of their login (a department head's
    /// included), and those of a role they hold (company-structure staff, administrators).
    /// Employees without company-structure access only ever see their own.
    pub mine: bool,
    pub offset: i64,
    pub limit: i64,
}

/// One page of steps, with how many there are in all and how many of those are overdue.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepsPage {
    pub rows: Vec<OpenStep>,
    pub total: i64,
    pub overdue: i64,
    /// Whether only the acting user's steps are listed (always, for non-staff).
    pub mine: bool,
}

/// An open step in the view of all open steps: whose checklist, and the step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenStep {
    pub login: String,
    pub name: String,
    #[serde(flatten)]
    pub step: ChecklistStep,
}
