//! Entities of SPEC §1 and the rules of SPEC §2–§4 as pure functions.

pub mod dashboard;
pub mod error;
mod ids;
mod kept;
pub mod keys;
pub mod rules;
pub mod scim;
mod scopes;
pub mod secret;
pub mod signing;
pub mod text;
pub mod time;
pub mod validate;
mod via;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

pub use error::{Conflict, Denial, Error, Invalid, Missing, Op, Result, Revoked, Taken};
pub use ids::{EmployeeId, IntegrationId, TaskId};
pub use kept::KeptRights;
pub use scopes::ScopeSet;
pub use time::timestamp;
pub use via::Via;

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
            /// The word as a sentence says it ("end of contract", "in progress"),
            /// for screens; `as_str` is the stored and typed one.
            pub fn words(self) -> String {
                self.as_str().replace('_', " ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                let norm = s.trim().to_ascii_lowercase().replace('-', "_");
                match norm.as_str() {
                    $($word => Ok($name::$variant),)+
                    _ => Err(Error::invalid(format!(
                        "\"{}\" is not a valid {}: use one of {}",
                        s,
                        stringify!($name).to_ascii_lowercase(),
                        [$($word),+].join(", ")
                    ))),
                }
            }
        }
    };
}

word_enum!(
    /// Whether an employee works here.
    Status { Active => "active", Dismissed => "dismissed" }
);
word_enum!(
    /// A person, or a service account that keeps a dismissed employee's integrations alive.
    Kind { Employee => "employee", System => "system" }
);
word_enum!(
    /// Why someone left.
    Reason {
        Resigned => "resigned",
        Terminated => "terminated",
        EndOfContract => "end_of_contract",
        Retired => "retired",
        Other => "other",
    }
);
word_enum!(
    /// What happens to a dismissed employee's active integrations.
    IntegrationChoice { Keep => "keep", Disable => "disable" }
);
word_enum!(
    /// What an integration may reach through the REST endpoint.
    Scope { User => "user", Department => "department", Task => "task", Crm => "crm" }
);
word_enum!(
    IntegrationStatus { Active => "active", Disabled => "disabled" }
);
word_enum!(
    DepartureState { Pending => "pending", Done => "done", Failed => "failed", Canceled => "canceled" }
);
word_enum!(
    /// Which employees a list shows.
    StatusFilter { Active => "active", Dismissed => "dismissed", All => "all" }
);

/// Lists show active employees unless asked otherwise.
impl Default for StatusFilter {
    fn default() -> Self {
        StatusFilter::Active
    }
}

/// One employee (or system user) as the operations see them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Employee {
    pub id: EmployeeId,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub department: Option<String>,
    pub hired_on: NaiveDate,
    pub status: Status,
    pub kind: Kind,
    pub is_admin: bool,
    pub structure_access: bool,
    /// For a system user: the employee it replaces.
    pub system_for: Option<EmployeeId>,
}

impl Employee {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }
    pub fn is_system(&self) -> bool {
        self.kind == Kind::System
    }
    /// Administrators and company-structure staff may dismiss, hire and reassign.
    pub fn is_staff(&self) -> bool {
        self.is_admin || self.structure_access
    }
    /// The role shown in headers: "administrator", "company-structure access", "employee".
    pub fn role(&self) -> &'static str {
        if self.is_system() {
            "system user"
        } else if self.is_admin {
            "administrator"
        } else if self.structure_access {
            "company-structure access"
        } else {
            "employee"
        }
    }
}

/// Who performs an operation: an employee, possibly acting through one of their webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: EmployeeId,
    pub via_integration: Option<IntegrationId>,
}

impl Actor {
    pub fn user(id: EmployeeId) -> Self {
        Actor {
            id,
            via_integration: None,
        }
    }
}

/// How the person or program behind a directory proved who it is: the door it came
/// through. A directory opened on the file directly is `Local` (its operator is the
/// operating-system user, looked up from the uid); the SSH session sets `Ssh`; a
/// webhook call is named by `Actor::via_integration`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Door {
    /// On the host, with access to the database file.
    Local { uid: u32, user: String },
    /// Signed in over SSH with this key (its SHA256 fingerprint).
    Ssh { key: i64, fingerprint: String },
    /// An identity provider's SCIM client, by its bearer token (`offboard scim token`):
    /// the token's id and the client's name.
    Scim { token: i64, client: String },
}

/// An integration, as listed for people (never with its secret).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Integration {
    pub id: IntegrationId,
    pub title: String,
    pub owner: String,
    pub owner_id: EmployeeId,
    pub owner_kind: Kind,
    pub owner_name: String,
    pub transferred_from: Option<String>,
    /// The name and kind of whoever it was transferred from, for sentences (`--json`
    /// gives the login, as before).
    #[serde(skip)]
    pub transferred_from_name: Option<String>,
    #[serde(skip)]
    pub transferred_from_kind: Option<Kind>,
    pub scopes: ScopeSet,
    pub status: IntegrationStatus,
    #[serde(with = "time::as_timestamp")]
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    #[serde(with = "time::as_opt_timestamp")]
    pub edited_at: Option<DateTime<Utc>>,
    pub edited_by: Option<String>,
}

/// The short form shown in dismissal dialogs and refusals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IntegrationBrief {
    pub id: IntegrationId,
    pub title: String,
    pub scopes: ScopeSet,
}

impl fmt::Display for IntegrationBrief {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} {} [{}]", self.id, self.title, self.scopes)
    }
}

/// A departure record: one per dismissal, kept after rehire.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Departure {
    pub id: i64,
    /// When it took effect, or takes effect if scheduled.
    #[serde(with = "time::as_timestamp")]
    pub at: DateTime<Utc>,
    /// The login of whoever recorded it.
    pub by: String,
    /// Their name, for sentences ("Dismissed on … by Laura Jensen (hr)"); empty where a
    /// read does not need it (the export).
    #[serde(skip)]
    pub by_name: String,
    pub reason: Option<Reason>,
    pub note: Option<String>,
    pub state: DepartureState,
    pub integrations: Option<IntegrationChoice>,
    pub failure: Option<String>,
    #[serde(with = "time::as_opt_timestamp")]
    pub rehired_at: Option<DateTime<Utc>>,
}

/// Which kinds of work a reassignment moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkKinds {
    pub tasks: bool,
    pub crm: bool,
    pub files: bool,
    pub mail: bool,
    /// The meetings they organize that have not started yet (past ones stay history).
    pub meetings: bool,
}

impl WorkKinds {
    pub const ALL: WorkKinds = WorkKinds {
        tasks: true,
        crm: true,
        files: true,
        mail: true,
        meetings: true,
    };
    pub const NONE: WorkKinds = WorkKinds {
        tasks: false,
        crm: false,
        files: false,
        mail: false,
        meetings: false,
    };

    pub fn is_empty(&self) -> bool {
        !(self.tasks || self.crm || self.files || self.mail || self.meetings)
    }
}

impl FromStr for WorkKinds {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let mut k = WorkKinds::NONE;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "tasks" | "task" => k.tasks = true,
                "crm" | "crm_items" => k.crm = true,
                "files" | "file" | "drive" => k.files = true,
                "mail" | "mailboxes" | "mailbox" | "email" => k.mail = true,
                "meetings" | "meeting" | "calendar" => k.meetings = true,
                other => {
                    return Err(Error::invalid(format!(
                        "\"{other}\" is not something reassign can move: use tasks, crm, files, mail, meetings"
                    )));
                }
            }
        }
        if k.is_empty() {
            return Err(Error::Invalid(error::Invalid::NothingToMove));
        }
        Ok(k)
    }
}

/// Counts of what an employee still owns: exactly what `reassign` moves.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Owned {
    pub tasks: i64,
    pub crm_items: i64,
    pub files: i64,
    pub mailboxes: i64,
    /// Meetings they organize that have not started yet.
    pub meetings: i64,
}

impl Owned {
    pub fn total(&self) -> i64 {
        self.tasks + self.crm_items + self.files + self.mailboxes + self.meetings
    }
}

/// "3 tasks, 1 CRM item, 0 files, 2 mailboxes": the same words on the command line
/// and in the TUI.
impl fmt::Display for Owned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = |n: i64, many: &'static str| if n == 1 { "" } else { many };
        write!(
            f,
            "{} task{}, {} CRM item{}, {} file{}, {} mailbox{}",
            self.tasks,
            s(self.tasks, "s"),
            self.crm_items,
            s(self.crm_items, "s"),
            self.files,
            s(self.files, "s"),
            self.mailboxes,
            s(self.mailboxes, "es")
        )?;
        if self.meetings > 0 {
            write!(
                f,
                ", {} future meeting{}",
                self.meetings,
                s(self.meetings, "s")
            )?;
        }
        Ok(())
    }
}

/// Counts of what an employee took part in.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct History {
    pub tasks: i64,
    pub messages: i64,
    pub meetings: i64,
    pub feed_posts: i64,
    pub groups: i64,
}

/// CRM stages that end an item's life; items in them are history, not work.
pub const CLOSED_CRM_STAGES: &[&str] = &["WON", "LOSE", "CONVERTED", "JUNK"];

/// Text as people type it when they look a name up: lower case, and accented or
/// special letters spelled plainly ("Øster" → "oster", "Ñúñez" → "nunez").
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The key lists are ordered by and looked up in: the folded last name, then the
/// folded first name (a separator below every letter keeps "Li Anna" before "Lia").
pub fn name_key(first_name: &str, last_name: &str) -> String {
    format!("{}\u{1}{}", fold(last_name), fold(first_name))
}

/// Bits of a search row's id that hold the employee's id (`(name_rank << 28) | id`,
/// migration 12): ids up to 268,435,455. The 35 bits above hold the name rank.
pub const RANK_ID_BITS: u32 = 28;

/// Name ranks run from 0 to this, less one (`store::queries::rank_for`).
pub const RANK_SPACE: i64 = 1 << 35;

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn folding_spells_letters_plainly_and_keys_order_by_last_then_first() {
        assert_eq!(fold("Ñúñez-Øster"), "nunez-oster");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łódź"), "lodz");
        let mut keys = [
            name_key("Zoë", "Zielińska"),
            name_key("Diego", "Álvarez"),
            name_key("Fatima", "Al-Sayed"),
            name_key("Aisha", "Bello"),
            name_key("Ana", "Li"),
            name_key("Bo", "Lia"),
        ];
        keys.sort();
        assert_eq!(
            keys.map(|k| k.split('\u{1}').next().unwrap_or_default().to_string()),
            ["al-sayed", "alvarez", "bello", "li", "lia", "zielinska"]
        );
    }
}

word_enum!(
    /// What an outbound event hook can be told (`offboard hook create --events`).
    EventType {
        EmployeeDismissed => "employee.dismissed",
        EmployeeDismissalScheduled => "employee.dismissal_scheduled",
        EmployeeDismissalCanceled => "employee.dismissal_canceled",
        EmployeeDismissalFailed => "employee.dismissal_failed",
        EmployeeHired => "employee.hired",
        EmployeeAdded => "employee.added",
        IntegrationTransferred => "integration.transferred",
        IntegrationDisabled => "integration.disabled",
        WorkReassigned => "work.reassigned",
        ChecklistStepDone => "checklist.step_done",
        ChecklistCompleted => "checklist.completed",
    }
);
word_enum!(
    /// Whether an outbound event hook is delivered to.
    HookStatus { Active => "active", Disabled => "disabled" }
);
word_enum!(
    /// Where one event stands for one hook: being tried, delivered, or given up on.
    DeliveryState { Pending => "pending", Delivered => "delivered", Failed => "failed" }
);
word_enum!(
    /// Who a checklist step is for: one login, or a role resolved when the checklist
    /// starts (the leaver's department head) or whenever it is asked (staff, admins).
    OwnerRole {
        Login => "login",
        DepartmentHead => "department_head",
        Structure => "structure",
        Admins => "admins",
    }
);
word_enum!(
    /// Where one checklist step stands.
    StepState { Open => "open", Done => "done", Canceled => "canceled" }
);
word_enum!(
    /// Where a checklist stands: open until every step is done (completed), or closed
    /// by a rehire (canceled).
    ChecklistState { Open => "open", Completed => "completed", Canceled => "canceled" }
);

/// Which checklist a dismissal starts: the company's default template (if it has
/// one), none, or a template by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ChecklistChoice {
    #[default]
    CompanyDefault,
    None,
    Named(String),
}

impl ChecklistChoice {
    /// `--checklist NAME|none`.
    pub fn parse(s: &str) -> ChecklistChoice {
        let t = s.trim();
        if t.eq_ignore_ascii_case("none") {
            ChecklistChoice::None
        } else {
            ChecklistChoice::Named(t.to_string())
        }
    }

    /// How a scheduled dismissal keeps it: NULL, '' or the name.
    pub fn stored(&self) -> Option<&str> {
        match self {
            ChecklistChoice::CompanyDefault => Option::None,
            ChecklistChoice::None => Some(""),
            ChecklistChoice::Named(n) => Some(n),
        }
    }

    pub fn from_stored(s: Option<String>) -> ChecklistChoice {
        match s {
            Option::None => ChecklistChoice::CompanyDefault,
            Some(n) if n.is_empty() => ChecklistChoice::None,
            Some(n) => ChecklistChoice::Named(n),
        }
    }
}
