//! Every user intent, and every result the executor feeds back, is one `Action`.

use ratatui::crossterm::event::KeyEvent;

use crate::directory::Page;
use crate::directory::{AuditEvent, ListRow, SectionRow};
use crate::domain::{Employee, Integration, IntegrationBrief, Owned};

use super::app::{Pane, ProfileData, ProfileTab};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    // ---- intents (bound to keys in the keymap)
    Quit,
    Help,
    NextPane,
    PrevPane,
    GoTo(Pane),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    /// Select the row with this index (a click on it): absolute in a paged list.
    Select(i64),
    /// Show this section of the profile (a click on its tab).
    ShowSection(ProfileTab),
    /// Enter: open the selected row, choose the focused button or item.
    Open,
    /// Esc: back out of whatever is open.
    Back,
    FocusSearch,
    /// Leave the search field, keeping the filter.
    SearchDone,
    /// Leave the search field and clear it.
    SearchClear,
    CycleStatusFilter,
    /// Sort the employee list by the next column.
    CycleSort,
    /// Sort the employee list by this column (a click on its title).
    SortBy(crate::directory::ListSort),
    /// Choose a department to filter the employee list by.
    PickDepartment,
    /// Filter the employee list by this department (id, name), or by none.
    FilterDepartment(Option<(i64, String)>),
    ToggleBacklog,
    RowMenu,
    ActionsMenu,
    PrevSection,
    NextSection,
    // menu items (their letters are the keymap's)
    MenuProfile,
    MenuDismiss,
    MenuHire,
    MenuReassign,
    MenuCancelDismissal,
    // dialogs
    Confirm,
    Keep,
    DisableAll,
    ReassignFirst,
    Cancel,
    FocusNext,
    FocusPrev,
    Left,
    Right,
    Toggle,
    /// A key for the focused text field.
    Text(KeyEvent),
    // integrations pane
    CreateWebhook,
    EditWebhook,
    DisableWebhook,
    EnableWebhook,
    RegenerateWebhook,
    ToggleIntegrationFilter,
    // settings pane
    ToggleShowDismissed,
    Grant,
    Revoke,
    // the profile's Keys tab
    AddKey,
    RemoveKey,
    // the clipboard (OSC 52): the URL shown once, a profile's login or e-mail
    CopyUrl,
    CopyLogin,
    CopyEmail,
    // offboarding checklists: the profile's Overview and the Offboarding pane
    /// Tick the selected step done, or reopen it when it is done.
    TickStep,
    /// The Offboarding pane: only the acting user's steps, or everyone's.
    ToggleMine,
    /// The Offboarding pane: open steps, or those ticked done.
    ToggleDoneSteps,

    // ---- results, fed back by the executor
    EmployeesLoaded(Page),
    EmployeeRowsLoaded {
        offset: i64,
        rows: Vec<ListRow>,
    },
    ProfileLoaded(Box<ProfileData>),
    SectionLoaded {
        login: String,
        section: ProfileTab,
        offset: i64,
        rows: Vec<SectionRow>,
    },
    IntegrationsLoaded(Vec<Integration>),
    /// The dashboard's figures.
    DashboardLoaded(Box<crate::directory::Dashboard>),
    AuditLoaded {
        offset: i64,
        rows: Vec<AuditEvent>,
    },
    StaffLoaded(Vec<Employee>),
    /// The SCIM clients' tokens and what a SCIM deactivation does with integrations.
    ScimLoaded {
        tokens: Vec<crate::domain::scim::ScimToken>,
        integrations: crate::domain::IntegrationChoice,
    },
    /// A page of the Offboarding pane's steps.
    StepsLoaded(crate::directory::StepsPage),
    /// Another page of the same steps.
    StepRowsLoaded {
        offset: i64,
        rows: Vec<crate::directory::OpenStep>,
    },
    /// The outbound event hooks and their state (administrators).
    HooksLoaded(Vec<crate::directory::Hook>),
    /// An employee's SSH keys, or (`denied`) why the acting user may not see them.
    KeysLoaded {
        login: String,
        keys: Vec<crate::directory::SshKey>,
        denied: Option<String>,
    },
    ShowDismissedLoaded(bool),
    CandidatesLoaded(Vec<Employee>),
    /// The departments to choose from, for the list's filter.
    DepartmentsLoaded(Vec<crate::directory::DepartmentRow>),
    /// What the acting user may do to `target`, for its row or Actions menu.
    MenuInfo {
        target: Employee,
        allowed: crate::domain::rules::Allowed,
        in_profile: bool,
    },
    DismissInfo {
        target: Employee,
        owns: Owned,
        integrations: Vec<IntegrationBrief>,
        /// Checklist templates by name, and the company's default.
        checklists: Vec<String>,
        default_checklist: Option<String>,
    },
    BulkInfo {
        dismiss: bool,
        steps: Vec<crate::directory::BulkStep>,
    },
    HireInfo {
        target: Employee,
        returnable: Vec<IntegrationBrief>,
    },
    ReassignInfo {
        target: Employee,
        owns: Owned,
    },
    EditInfo {
        integration: Integration,
        takes_over: bool,
    },
    /// A change went through: the status line says what happened.
    Done(super::outcome::Done),
    /// A change went through and produced a URL to show once.
    UrlIssued {
        issued: super::outcome::Issued,
        url: String,
    },
    /// Text went to the terminal's clipboard: the status line says what.
    Copied(String),
    /// A refusal or failure, shown in a dialog in the TUI's words.
    Failed(crate::domain::Error),
    /// The acting user was dismissed: leave.
    AccessRevoked(String),
    /// Another process changed the data.
    ExternalChange,
    Resize(u16, u16),
}
