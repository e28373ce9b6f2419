//! The one error type of offboard: every message says what a user needs to know.

use std::fmt;

use chrono::NaiveDate;

use super::{
    EmployeeId, IntegrationBrief, IntegrationId, IntegrationStatus, KeptRights, StatusFilter,
    TaskId,
};

/// What went wrong, as facts: which login, rule, date or limit. `Display` gives the
/// neutral wording; each interface (command line, TUI, REST) adds its own way out (a
/// flag, a button, a parameter) where there is one. The variant decides the exit code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A rule of SPEC §2 refused the acting user.
    #[error("{0}")]
    Denied(Denial),
    /// A login, integration or record that does not exist.
    #[error("{0}")]
    NotFound(Missing),
    /// The target is in the wrong state for this change (dismissing the dismissed, …).
    #[error("{0}")]
    WrongState(Conflict),
    /// Something unique (login, email) is already taken.
    #[error("{0}")]
    Duplicate(Taken),
    /// `show_dismissed` is off, so a list of these employees may not be shown.
    #[error("listing {0} employees needs the setting show_dismissed, which is off")]
    SettingOff(StatusFilter),
    /// The employee owns active integrations and no keep/disable choice was made.
    /// `kept`: what the integrations could still do if kept, for an administrator or
    /// company-structure staff (each interface says it beside its own way to choose).
    #[error("{}", owns_integrations(login, integrations))]
    ChoiceNeeded {
        login: String,
        integrations: Vec<IntegrationBrief>,
        kept: Option<Box<KeptRights>>,
    },
    /// The acting user is dismissed (or cannot sign in at all).
    #[error("access revoked: {0}")]
    AccessRevoked(Revoked),
    /// Input that breaks a documented format or limit.
    #[error("{0}")]
    Invalid(Invalid),
    /// Another process held the database longer than the busy timeout.
    #[error(
        "the database is busy: another offboard process held it for more than {0} seconds; nothing was changed, try again"
    )]
    Busy(u64),
    /// The file cannot be written.
    #[error("the database {0} is read-only: nothing was changed")]
    ReadOnly(String),
    /// There is no company to open: no file at `path`, or an empty one.
    #[error(
        "{}", if *empty { format!("{path} is not a usable offboard database: it is empty") } else { format!("no offboard database at {path}") }
    )]
    NoCompany { path: String, empty: bool },
    /// The file is not an offboard database or is damaged.
    #[error("{path} is not a usable offboard database: {why}")]
    NotOffboard { path: String, why: String },
    /// The schema is newer than this program understands.
    #[error(
        "{path} was written by a newer offboard (schema version {found}; this program knows up to {known}): upgrade offboard to open it"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    /// A signal (Ctrl-C, `kill`) stopped a long command before it changed anything.
    #[error("stopped by {}: {what}", signal_name(*signal))]
    Interrupted { signal: i32, what: String },
    /// A file, the terminal or the network failed; `kind` says how.
    #[error("{message}")]
    Io {
        kind: std::io::ErrorKind,
        message: String,
    },
    #[error("database error: {0}")]
    Storage(String),
}

/// What an acting user may not do, and why: the rule that refused them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Denial {
    /// Ticking or reading a checklist step someone else owns.
    #[error(
        "{login} may not change step {step}: it is {owner}'s, or company-structure access is required"
    )]
    NotStepOwner {
        login: String,
        step: i64,
        owner: String,
    },
    #[error("{login} may not {op}: company-structure access is required")]
    NeedsStaff { login: String, op: Op },
    #[error("{login} may not {op}: only administrators may")]
    NeedsAdmin { login: String, op: Op },
    #[error("{login} may not dismiss themselves")]
    SelfDismissal { login: String },
    #[error("{login} is the last active administrator and cannot be dismissed")]
    LastAdmin { login: String },
    /// The target is a system user, which this operation cannot touch.
    #[error("{login} is a system user: {}", system_target(*op))]
    SystemTarget { login: String, op: Op },
    /// The acting user is a system user (through a kept webhook).
    #[error("{login} is a system user and {}", system_actor(*op))]
    SystemActor { login: String, op: Op },
    /// The acting user is a system user and the operation is a personnel action
    /// (`Op::is_personnel`): whatever rights it inherited, it takes none.
    #[error(
        "{login} is a system user and may not {op}: a kept integration keeps its data rights, not its owner's power over people, settings or permissions"
    )]
    SystemPersonnel { login: String, op: Op },
    /// Only an integration's owner or an administrator (or, for a system user's
    /// integration, company-structure staff) may manage it.
    #[error(
        "{login} may not {op} an integration owned by {owner}: only its owner or an administrator may{}",
        if *staff_too { " (or company-structure staff)" } else { "" }
    )]
    NotIntegrationManager {
        login: String,
        owner: String,
        op: Op,
        staff_too: bool,
    },
    #[error(
        "{login} may not delegate task {task}: only its responsible, its creator or company-structure staff may"
    )]
    NotTaskParty { login: String, task: TaskId },
}

/// The operations a rule can refuse, worded as the end of "may not …".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Dismiss,
    Hire,
    Reassign,
    CancelDismissal,
    Add,
    AddAdmin,
    Import,
    ChangeOthers,
    ChangeSettings,
    Grant,
    Revoke,
    ReadAudit,
    ReadExport,
    ReadBacklog,
    CreateIntegration,
    EditIntegration,
    EnableIntegration,
    DisableIntegration,
    /// Add or remove one's own SSH keys.
    ManageKeys,
    /// Add or remove another employee's SSH keys.
    ManageOthersKeys,
    /// Add departments or change their name, parent or head.
    ManageDepartments,
    /// Move an employee to another department: the company structure, so staff only,
    /// and a personnel action (never a system user).
    MoveEmployee,
    /// Copy the whole company to a file (`offboard backup`).
    Backup,
    /// Replace the company with a backup (`offboard restore --force`).
    Restore,
    /// Make, list or revoke the bearer tokens of SCIM clients: administrators only.
    ManageScim,
    /// Register, disable or enable outbound event hooks, and read their deliveries.
    ManageHooks,
    /// Define offboarding checklist templates.
    ManageChecklists,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Dismiss => "dismiss employees",
            Op::Hire => "hire employees",
            Op::Reassign => "reassign responsibilities",
            Op::CancelDismissal => "cancel dismissals",
            Op::Add => "add employees",
            Op::AddAdmin => "add administrators",
            Op::Import => "import employees",
            Op::ChangeOthers => "change other employees",
            Op::ChangeSettings => "change settings",
            Op::Grant => "grant company-structure access",
            Op::Revoke => "revoke company-structure access",
            Op::ReadAudit => "read the audit log",
            Op::ReadExport => "read the export",
            Op::ReadBacklog => "read the handover backlog",
            Op::CreateIntegration => "create integrations",
            Op::EditIntegration => "manage",
            Op::EnableIntegration => "enable",
            Op::DisableIntegration => "disable",
            Op::ManageKeys => "manage SSH keys",
            Op::ManageOthersKeys => "manage other employees' SSH keys",
            Op::ManageDepartments => "manage departments",
            Op::MoveEmployee => "move employees between departments",
            Op::Backup => "back up the company",
            Op::Restore => "replace the company with a backup",
            Op::ManageScim => "manage SCIM tokens",
            Op::ManageHooks => "manage event hooks",
            Op::ManageChecklists => "manage checklist templates",
        })
    }
}

impl Op {
    /// A personnel action: hiring, dismissing, handing over, adding people, settings,
    /// permissions, keys. System users take none, whatever rights they inherited.
    /// Deny by default: an operation is personnel unless it is one of the data rights
    /// an integration keeps within its scopes (reading, editing an employee's fields,
    /// managing integrations, which has rules of its own).
    pub fn is_personnel(self) -> bool {
        !matches!(
            self,
            Op::ChangeOthers
                | Op::ReadAudit
                | Op::ReadExport
                | Op::ReadBacklog
                | Op::CreateIntegration
                | Op::EditIntegration
                | Op::EnableIntegration
                | Op::DisableIntegration
        )
    }
}

fn system_target(op: Op) -> &'static str {
    match op {
        Op::Dismiss => "system users cannot be dismissed",
        Op::Hire => "system users cannot be hired",
        Op::Reassign => "it holds integrations only; edit them to take them over",
        Op::ManageKeys | Op::ManageOthersKeys => "system users never have SSH keys",
        _ => "its rights follow the employee it replaces",
    }
}

fn system_actor(op: Op) -> &'static str {
    match op {
        Op::CreateIntegration => "cannot create integrations",
        Op::ManageKeys | Op::ManageOthersKeys => "may not manage SSH keys",
        _ => "may not manage other integrations",
    }
}

/// Something looked up that does not exist.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Missing {
    #[error("no employee with login \"{0}\"")]
    Login(String),
    /// Logins of a bulk command that name nobody: the command is refused whole.
    #[error("no employee with login {}: nothing changed", quoted_list(.0))]
    Logins(Vec<String>),
    #[error("no employee with ID {0}")]
    EmployeeId(EmployeeId),
    #[error("no integration #{0}")]
    Integration(IntegrationId),
    #[error("no task with ID {0}")]
    Task(TaskId),
    #[error("no SSH key #{0}")]
    Key(i64),
    #[error("no department with ID {0}")]
    Department(i64),
    #[error("no SCIM token named \"{0}\"")]
    ScimToken(String),
    #[error("no event hook #{0}")]
    Hook(i64),
    #[error("no checklist template named \"{0}\"")]
    ChecklistTemplate(String),
    #[error("{0} has no offboarding checklist")]
    Checklist(String),
    #[error("{login}'s checklist has no step {step}")]
    ChecklistStep { login: String, step: i64 },
}

/// The target is not in a state this change applies to.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Conflict {
    #[error("{login} is already dismissed")]
    AlreadyDismissed { login: String },
    #[error("{login} is already active")]
    AlreadyActive { login: String },
    /// A dismissal is already scheduled; it must be canceled before another.
    #[error("{login} is already leaving on {on}")]
    AlreadyLeaving { login: String, on: NaiveDate },
    /// Dismissing now someone whose hire date is still ahead: a departure never comes
    /// before the hire date.
    #[error("{login} is hired from {hired}: a dismissal cannot come before the hire date")]
    NotYetHired { login: String, hired: NaiveDate },
    #[error("{login} has no scheduled dismissal")]
    NothingScheduled { login: String },
    #[error("{login} is a system user and cannot take over work")]
    SuccessorIsSystem { login: String },
    #[error("{login} is dismissed and cannot take over work")]
    SuccessorDismissed { login: String },
    #[error("integration #{id} is already {status}")]
    IntegrationAlready {
        id: IntegrationId,
        status: IntegrationStatus,
    },
    /// Enabling an integration whose owner is gone.
    #[error(
        "its owner {owner} is dismissed: edit the integration to take it over, or hire {owner} first"
    )]
    OwnerDismissed { owner: String },
    #[error("step {step} of {login}'s checklist is already {state}")]
    StepAlready {
        login: String,
        step: i64,
        state: crate::domain::StepState,
    },
    #[error("{login}'s checklist is {state}: its steps no longer change")]
    ChecklistClosed {
        login: String,
        state: crate::domain::ChecklistState,
    },
    #[error("a checklist template named \"{name}\" already exists")]
    TemplateExists { name: String },
    #[error("event hook #{id} is already {status}")]
    HookAlready {
        id: i64,
        status: crate::domain::HookStatus,
    },
    #[error("{login} is dismissed: hire them before granting access")]
    GrantToDismissed { login: String },
    #[error("{login} already has company-structure access")]
    AlreadyStaff { login: String },
    #[error("{login} does not have company-structure access")]
    NotStaff { login: String },
    /// `init` or `demo` on a file that already has a company.
    #[error("the database already holds a company")]
    CompanyExists,
    /// A precondition of one interface, which that interface words itself (a bulk
    /// change without `--yes` outside a terminal, a file made meanwhile by another
    /// process).
    #[error("{0}")]
    Interface(String),
}

/// A login or email that someone else has; `line` when it came from an import file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Taken {
    #[error("{}login \"{login}\" is already taken", at_line(*line))]
    Login { login: String, line: Option<u64> },
    #[error("{}email \"{email}\" is already used by another employee", at_line(*line))]
    Email { email: String, line: Option<u64> },
    /// One key belongs to one employee.
    #[error("the SSH key {fingerprint} is already registered to {owner}")]
    Key { fingerprint: String, owner: String },
    /// Department names are unique, compared without case.
    #[error("a department named \"{name}\" already exists")]
    Department { name: String },
    /// A SCIM userName (unique, compared without case) already provisioned.
    #[error("userName \"{user_name}\" is already taken")]
    UserName { user_name: String },
    /// A SCIM externalId (unique, compared exactly) already provisioned.
    #[error("externalId \"{external_id}\" is already taken")]
    ExternalId { external_id: String },
    /// SCIM client names are unique.
    #[error("a SCIM token named \"{name}\" already exists")]
    ScimToken { name: String },
}

impl Taken {
    /// The same conflict, found on line `line` of an import file.
    pub fn on_line(self, at: u64) -> Taken {
        match self {
            Taken::Login { login, .. } => Taken::Login {
                login,
                line: Some(at),
            },
            Taken::Email { email, .. } => Taken::Email {
                email,
                line: Some(at),
            },
            other => other,
        }
    }
}

fn at_line(line: Option<u64>) -> String {
    line.map(|l| format!("line {l}: ")).unwrap_or_default()
}

/// Why the acting user has no access.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Revoked {
    #[error("{login} is dismissed and has no access")]
    Dismissed { login: String },
    #[error("{login} is a system user and cannot sign in")]
    SystemUser { login: String },
    #[error("the acting user no longer exists")]
    Gone,
    /// The SSH key a session signed in with was removed (or moved to someone else).
    #[error("SSH key #{key} was removed")]
    KeyRemoved { key: i64 },
    /// The SCIM client's token was revoked.
    #[error("the SCIM token of {client} was revoked")]
    ScimTokenRevoked { client: String },
}

/// Input that breaks a format or a limit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Invalid {
    /// A value that breaks a documented format or limit; the text names the field
    /// and the limit ("login is longer than 64 characters").
    #[error("{0}")]
    Input(String),
    /// A dismissal date before today.
    #[error("the dismissal date {date} is in the past: give today or a later date")]
    DateInPast { date: NaiveDate, today: NaiveDate },
    /// A dismissal date further ahead than a dismissal may be scheduled.
    #[error("the dismissal date {date} is too far ahead: schedule it no later than {latest}")]
    DateTooFar { date: NaiveDate, latest: NaiveDate },
    /// A dismissal date before the employee was hired.
    #[error("the dismissal date {date} is before {login}'s hire date {hired}")]
    BeforeHire {
        login: String,
        date: NaiveDate,
        hired: NaiveDate,
    },
    /// A reassignment or handover that moves nothing.
    #[error("nothing to move: choose tasks, crm, files, mail or meetings")]
    NothingToMove,
    /// A handover before a dismissal that hands nothing over.
    #[error("nothing to hand over: choose tasks, crm, files, mail or meetings")]
    NothingToHandOver,
    #[error("cannot reassign {from}'s work to {to} themselves")]
    SameSuccessor { from: String, to: String },
    #[error("an integration needs at least one scope")]
    NoScopes,
    #[error("nothing to change: give a new title or new scopes")]
    NothingToChange,
    /// Text that is not one SSH public key; `why` says what is wrong with it.
    #[error("cannot read the SSH key: {0}")]
    KeyUnreadable(String),
    /// A key of a kind offboard refuses (DSA, …).
    #[error("{algorithm} keys are refused: use an ed25519, ecdsa or rsa (at least 2048 bits) key")]
    KeyKind { algorithm: String },
    #[error("this rsa key has {bits} bits: rsa keys need at least {min}")]
    KeyTooShort { bits: u32, min: u32 },
}

/// `"a"`, `"a" nor "b"`, `"a", "b" nor "c"`.
fn quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} nor {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// "tlang owns 2 active integrations (#3 Jira [task]; #4 …)".
fn owns_integrations(login: &str, integrations: &[IntegrationBrief]) -> String {
    let list = integrations
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "{login} owns {} active integration{} ({list})",
        integrations.len(),
        if integrations.len() == 1 { "" } else { "s" }
    )
}

impl Error {
    /// Exit status per SPEC §5: 2 bad usage, 3 refused by a rule, 1 anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_) => 2,
            Error::Denied(_)
            | Error::NotFound(_)
            | Error::WrongState(_)
            | Error::Duplicate(_)
            | Error::SettingOff(_)
            | Error::ChoiceNeeded { .. }
            | Error::AccessRevoked(_) => 3,
            Error::Busy(_)
            | Error::ReadOnly(_)
            | Error::NotOffboard { .. }
            | Error::NoCompany { .. }
            | Error::TooNew { .. }
            | Error::Io { .. }
            | Error::Storage(_) => 1,
            // What a shell reports for a process that a signal ended.
            Error::Interrupted { signal, .. } => 128 + signal,
        }
    }

    /// True when a rule refused the change (as opposed to bad input or a failure).
    pub fn is_refusal(&self) -> bool {
        self.exit_code() == 3
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl Error {
    /// A failed file, terminal or network operation, said with what was being done:
    /// `Error::io("cannot read x.csv", &e)` keeps `e`'s kind.
    pub fn io(doing: impl fmt::Display, e: &std::io::Error) -> Error {
        Error::Io {
            kind: e.kind(),
            message: format!("{doing}: {e}"),
        }
    }

    /// A failure with no operating-system error behind it.
    pub fn other(message: impl Into<String>) -> Error {
        Error::Io {
            kind: std::io::ErrorKind::Other,
            message: message.into(),
        }
    }

    /// Input that breaks a format or limit, in words naming the field.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid(Invalid::Input(message.into()))
    }

    /// True for a write to a pipe whose reader has gone (`offboard list | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(
            self,
            Error::Io {
                kind: std::io::ErrorKind::BrokenPipe,
                ..
            }
        )
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The name of a stop signal (POSIX numbers), or "signal N".
fn signal_name(signal: i32) -> String {
    match signal {
        1 => "SIGHUP".into(),
        2 => "SIGINT (Ctrl-C)".into(),
        15 => "SIGTERM".into(),
        n => format!("signal {n}"),
    }
}

/// Text that an interface words itself (its own flags, its own limits).
impl From<String> for Invalid {
    fn from(text: String) -> Self {
        Invalid::Input(text)
    }
}

impl From<&str> for Invalid {
    fn from(text: &str) -> Self {
        Invalid::Input(text.to_string())
    }
}

impl From<String> for Conflict {
    fn from(text: String) -> Self {
        Conflict::Interface(text)
    }
}

impl From<&str> for Conflict {
    fn from(text: &str) -> Self {
        Conflict::Interface(text.to_string())
    }
}
