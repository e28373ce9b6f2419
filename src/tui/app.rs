//! The state of the terminal UI and `update`, which changes it for each action and
//! returns the effect to run. No I/O happens here.

use chrono::NaiveDate;
use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::directory::{AuditEvent, ListQuery, ListRow, SectionRow};
use crate::directory::{DismissRequest, Page, Profile};
use crate::domain::{
    Employee, Integration, IntegrationBrief, IntegrationId, IntegrationStatus, Kind, Owned, Reason,
    Scope, ScopeSet, Status, StatusFilter, WorkKinds,
};

use super::action::Action;
use super::effect::Effect;
use super::keymap::Mode;

/// The top-level panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Employees,
    Integrations,
    Audit,
    Settings,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Employees,
        Pane::Integrations,
        Pane::Audit,
        Pane::Settings,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Pane::Employees => "Employees",
            Pane::Integrations => "Integrations",
            Pane::Audit => "Audit",
            Pane::Settings => "Settings",
        }
    }
}

/// Profile sections, switched with ←/→.
pub const SECTIONS: [&str; 8] = [
    "Overview",
    "Tasks",
    "Drive",
    "Conversation history",
    "Meetings",
    "Feed",
    "Groups",
    "Integrations",
];

/// Rows around the list that the screen does not show: header, tabs, borders, search
/// line, table header and the status bar.
pub const LIST_CHROME: u16 = 7;
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, PartialEq)]
pub struct ProfileData {
    pub profile: Profile,
}

#[derive(Debug, Default)]
pub struct EmployeesView {
    pub search: Input,
    pub filter: StatusFilter,
    pub backlog: bool,
    pub rows: Vec<ListRow>,
    pub total: i64,
    /// Absolute index of the first loaded (and first visible) row.
    pub offset: i64,
    /// Absolute index of the selected row.
    pub selected: i64,
    pub searching: bool,
    pub loaded: bool,
    /// Logins marked with Space: the row menu then acts on all of them.
    pub marked: Vec<String>,
}

#[derive(Debug)]
pub struct ProfileView {
    pub data: ProfileData,
    pub section: usize,
    pub rows: Vec<SectionRow>,
    pub offset: i64,
    pub selected: i64,
}

#[derive(Debug, Default)]
pub struct IntegrationsView {
    pub all: Vec<Integration>,
    pub active_only: bool,
    pub selected: usize,
}

impl IntegrationsView {
    pub fn visible(&self) -> Vec<&Integration> {
        let mut v: Vec<&Integration> = self
            .all
            .iter()
            .filter(|i| !self.active_only || i.status == IntegrationStatus::Active)
            .collect();
        if self.active_only {
            v.sort_by(|a, b| a.owner.cmp(&b.owner).then(a.id.cmp(&b.id)));
        }
        v
    }
}

#[derive(Debug, Default)]
pub struct AuditView {
    pub search: Input,
    pub searching: bool,
    pub rows: Vec<AuditEvent>,
    pub offset: i64,
    pub selected: i64,
    pub total: i64,
    pub denied: Option<String>,
}

#[derive(Debug, Default)]
pub struct SettingsView {
    pub show_dismissed: bool,
    pub staff: Vec<Employee>,
    /// 0 is the show-dismissed switch; 1.. are staff rows.
    pub selected: usize,
}

/// One entry of a row or Actions menu.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuItem {
    pub label: &'static str,
    pub key: char,
    pub action: Action,
    /// Why the acting user may not take it; `None` when they may.
    pub refused: Option<String>,
}

/// Focus inside a dialog: a button (by index) or a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Button(usize),
    Reason,
    Note,
    Picker,
    Tick(usize),
    Title,
    Date,
}

#[derive(Debug, Clone)]
pub struct DismissDialog {
    pub target: Employee,
    pub owns: Owned,
    pub integrations: Vec<IntegrationBrief>,
    pub reason: Option<Reason>,
    pub note: Input,
    /// Empty: now. A date `YYYY-MM-DD`: scheduled for that day.
    pub date: Input,
    pub focus: Focus,
    /// How far the text above the fields is scrolled (when the window is too short).
    pub scroll: u16,
}

impl DismissDialog {
    /// Buttons, left to right; Cancel is always last.
    pub fn buttons(&self) -> Vec<(&'static str, char)> {
        let mut v = if self.integrations.is_empty() {
            vec![("Dismiss employee", 'y')]
        } else {
            vec![
                ("Keep integrations and dismiss", 'k'),
                ("Disable integrations and dismiss", 'x'),
            ]
        };
        if self.owns.total() > 0 {
            v.push(("Reassign first…", 'r'));
        }
        v.push(("Cancel", 'n'));
        v
    }
    fn ring(&self) -> Vec<Focus> {
        let mut v: Vec<Focus> = (0..self.buttons().len()).map(Focus::Button).collect();
        v.push(Focus::Reason);
        v.push(Focus::Note);
        v.push(Focus::Date);
        v
    }
}

#[derive(Debug)]
pub struct HireDialog {
    pub target: Employee,
    pub returnable: Vec<IntegrationBrief>,
    pub return_ticked: bool,
    pub focus: Focus,
}

impl HireDialog {
    fn ring(&self) -> Vec<Focus> {
        let mut v = vec![Focus::Button(0), Focus::Button(1)];
        if !self.returnable.is_empty() {
            v.push(Focus::Tick(0));
        }
        v
    }
}

pub const WORK_KINDS: [&str; 4] = ["Tasks", "CRM items", "Files", "Mailboxes"];

#[derive(Debug)]
pub struct ReassignDialog {
    /// Opened from the dismiss dialog ("Reassign first…"): back to it when done.
    pub then_dismiss: bool,
    pub from: Employee,
    pub owns: Owned,
    pub picker: Input,
    pub candidates: Vec<Employee>,
    pub candidate: usize,
    pub chosen: Option<Employee>,
    pub ticks: [bool; 4],
    pub focus: Focus,
}

impl ReassignDialog {
    fn ring() -> Vec<Focus> {
        vec![
            Focus::Button(0),
            Focus::Button(1),
            Focus::Picker,
            Focus::Tick(0),
            Focus::Tick(1),
            Focus::Tick(2),
            Focus::Tick(3),
        ]
    }
    pub fn counts(&self) -> [i64; 4] {
        [
            self.owns.tasks,
            self.owns.crm_items,
            self.owns.files,
            self.owns.mailboxes,
        ]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Create,
    Edit {
        id: IntegrationId,
        takes_over: bool,
        owner: String,
    },
}

#[derive(Debug)]
pub struct WebhookForm {
    pub kind: FormKind,
    pub title: Input,
    pub scopes: ScopeSet,
    pub focus: Focus,
}

impl WebhookForm {
    /// The buttons, the title, then a tick box for each of `Scope::ALL`.
    fn ring() -> Vec<Focus> {
        [Focus::Button(0), Focus::Button(1), Focus::Title]
            .into_iter()
            .chain((0..Scope::ALL.len()).map(Focus::Tick))
            .collect()
    }
}

/// A picker of one active employee (granting access).
#[derive(Debug)]
pub struct PickerDialog {
    pub input: Input,
    pub candidates: Vec<Employee>,
    pub candidate: usize,
    pub focus: Focus,
}

/// One dialog is open at a time, so the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Modal {
    Menu {
        title: String,
        target: Employee,
        items: Vec<MenuItem>,
        selected: usize,
    },
    Dismiss(DismissDialog),
    Hire(HireDialog),
    Reassign(ReassignDialog),
    Webhook(WebhookForm),
    Grant(PickerDialog),
    Confirm {
        title: String,
        lines: Vec<String>,
        yes: &'static str,
        on_yes: Effect,
        focus_yes: bool,
    },
    Message {
        title: String,
        lines: Vec<String>,
        error: bool,
    },
    /// The row menu for a marked set.
    BulkMenu {
        logins: Vec<String>,
        selected: usize,
    },
    /// The preview of a bulk dismissal or rehire.
    Bulk(BulkDialog),
}

#[derive(Debug)]
pub struct BulkDialog {
    pub dismiss: bool,
    pub steps: Vec<crate::directory::BulkStep>,
    pub focus: Focus,
    /// How far the preview above the buttons is scrolled.
    pub scroll: u16,
}

/// Move a dialog's scroll for ↑/↓/PgUp/PgDn; `lines` (what the text could need at most)
/// bounds it, and drawing keeps it within what is really hidden.
fn scroll_by(scroll: &mut u16, action: &Action, lines: usize) -> bool {
    let most = u16::try_from(lines).unwrap_or(u16::MAX);
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = (*scroll + 1).min(most),
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::PageDown => *scroll = scroll.saturating_add(10).min(most),
        _ => return false,
    }
    true
}

impl BulkDialog {
    pub fn going(&self) -> Vec<&crate::directory::BulkStep> {
        self.steps.iter().filter(|s| s.apply).collect()
    }
    /// Buttons, left to right; Cancel is always last.
    pub fn buttons(&self) -> Vec<(&'static str, char)> {
        let with_integrations = self.going().iter().any(|s| s.active_integrations > 0);
        let mut v = match (self.dismiss, with_integrations) {
            (true, true) => vec![
                ("Keep integrations and dismiss", 'k'),
                ("Disable integrations and dismiss", 'x'),
            ],
            (true, false) => vec![("Dismiss these employees", 'y')],
            (false, _) => vec![("Hire these employees", 'y')],
        };
        if self.going().is_empty() {
            v.clear();
        }
        v.push(("Cancel", 'n'));
        v
    }
}

/// Everything the screen shows.
pub struct App {
    pub me: Employee,
    pub company: String,
    pub pane: Pane,
    pub profile: Option<ProfileView>,
    pub employees: EmployeesView,
    pub integrations: IntegrationsView,
    pub audit: AuditView,
    pub settings: SettingsView,
    pub modal: Option<Modal>,
    pub help: Option<u16>,
    pub status: Option<String>,
    pub width: u16,
    pub height: u16,
    pub show_dismissed: bool,
    /// Set when the program should end, with its exit status.
    pub exit: Option<i32>,
    pub revoked: Option<String>,
    pub theme: super::ui::theme::Theme,
    /// A dismiss dialog left for "Reassign first…": what was typed in it is given back
    /// when the dialog opens again for the same employee.
    pub dismiss_draft: Option<DismissDialog>,
}

impl App {
    pub fn new(
        me: Employee,
        company: String,
        show_dismissed: bool,
        width: u16,
        height: u16,
    ) -> Self {
        App {
            me,
            company,
            pane: Pane::Employees,
            profile: None,
            employees: EmployeesView::default(),
            integrations: IntegrationsView::default(),
            audit: AuditView::default(),
            settings: SettingsView::default(),
            modal: None,
            help: None,
            status: None,
            width,
            height,
            show_dismissed,
            exit: None,
            revoked: None,
            theme: super::ui::theme::Theme::from_env(),
            dismiss_draft: None,
        }
    }

    /// What the first frame needs.
    pub fn initial_effect(&self) -> Effect {
        Effect::Batch(vec![self.employees_query_effect(), Effect::LoadSettings])
    }

    /// Where input goes now.
    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            return Mode::Help;
        }
        if let Some(m) = &self.modal {
            return match m {
                Modal::Menu { .. } => Mode::Menu,
                Modal::Dismiss(d) if matches!(d.focus, Focus::Note | Focus::Date) => {
                    Mode::DialogText
                }
                Modal::Dismiss(d) if d.integrations.is_empty() => Mode::Dismiss,
                Modal::Dismiss(_) => Mode::DismissChoice,
                Modal::Hire(_) => Mode::Hire,
                Modal::Reassign(r) if r.focus == Focus::Picker => Mode::DialogText,
                Modal::Reassign(_) => Mode::Reassign,
                Modal::Webhook(w) if w.focus == Focus::Title => Mode::DialogText,
                Modal::Webhook(_) => Mode::WebhookForm,
                Modal::Grant(p) if p.focus == Focus::Picker => Mode::DialogText,
                Modal::Grant(_) => Mode::Confirm,
                Modal::Confirm { .. } => Mode::Confirm,
                Modal::Message { .. } => Mode::Message,
                Modal::BulkMenu { .. } => Mode::Menu,
                Modal::Bulk(b) if b.buttons().iter().any(|(_, k)| *k == 'k') => Mode::DismissChoice,
                Modal::Bulk(b) if b.dismiss => Mode::Dismiss,
                Modal::Bulk(_) => Mode::Hire,
            };
        }
        match self.pane {
            Pane::Employees if self.profile.is_some() => Mode::Profile,
            Pane::Employees if self.employees.searching => Mode::EmployeesSearch,
            Pane::Employees => Mode::Employees,
            Pane::Integrations => Mode::Integrations,
            Pane::Audit if self.audit.searching => Mode::AuditSearch,
            Pane::Audit => Mode::Audit,
            Pane::Settings if self.me.is_admin => Mode::Settings,
            Pane::Settings => Mode::SettingsLocked,
        }
    }

    /// Rows of a list that fit on the screen.
    pub fn list_height(&self) -> i64 {
        (self.height.saturating_sub(LIST_CHROME) as i64).max(1)
    }

    /// Rows of a profile section that fit (the profile header takes more room).
    pub fn section_height(&self) -> i64 {
        (self.height.saturating_sub(LIST_CHROME + 4) as i64).max(1)
    }

    pub fn selected_employee(&self) -> Option<&Employee> {
        let e = &self.employees;
        e.rows
            .get((e.selected - e.offset) as usize)
            .map(|r| &r.employee)
    }

    pub fn selected_integration(&self) -> Option<Integration> {
        self.integrations
            .visible()
            .get(self.integrations.selected)
            .map(|i| (*i).clone())
    }

    fn employees_query(&self) -> ListQuery {
        let search = self.employees.search.value().trim().to_string();
        ListQuery {
            status: if self.employees.backlog {
                StatusFilter::Dismissed
            } else {
                self.employees.filter
            },
            search: if search.is_empty() {
                None
            } else {
                Some(search)
            },
            still_owns: self.employees.backlog,
            offset: self.employees.offset,
            limit: self.list_height(),
        }
    }

    fn employees_query_effect(&self) -> Effect {
        Effect::LoadEmployees(self.employees_query())
    }

    fn audit_effect(&self) -> Effect {
        let s = self.audit.search.value().trim().to_string();
        Effect::LoadAudit {
            search: if s.is_empty() { None } else { Some(s) },
            offset: self.audit.offset,
            limit: self.list_height(),
        }
    }

    fn section_effect(&self) -> Option<Effect> {
        let p = self.profile.as_ref()?;
        match SECTIONS[p.section] {
            "Overview" | "Integrations" => None,
            _ => Some(Effect::LoadSection {
                login: p.data.profile.employee.login.clone(),
                section: p.section,
                offset: p.offset,
                limit: self.section_height(),
            }),
        }
    }

    /// Reload what is on screen (after a change, ours or another process's).
    pub fn refresh(&self) -> Effect {
        let mut v = vec![Effect::LoadSettings, self.employees_query_effect()];
        if let Some(p) = &self.profile {
            v.push(Effect::LoadProfile(p.data.profile.employee.login.clone()));
            if let Some(e) = self.section_effect() {
                v.push(e);
            }
        }
        match self.pane {
            Pane::Integrations => v.push(Effect::LoadIntegrations),
            Pane::Audit if self.me.is_staff() => v.push(self.audit_effect()),
            _ => {}
        }
        Effect::Batch(v)
    }

    fn menu_for(
        &self,
        target: &Employee,
        in_profile: bool,
        leaving_on: Option<NaiveDate>,
    ) -> Modal {
        let me = &self.me;
        let staff_needed =
            |verb: &str| Some(format!("Company-structure access is required to {verb}"));
        let dismiss_refused = if !me.is_staff() {
            staff_needed("dismiss")
        } else if target.id == me.id {
            Some("You cannot dismiss yourself".into())
        } else if target.kind == Kind::System {
            Some("System users cannot be dismissed".into())
        } else if target.status == Status::Dismissed {
            Some(format!("{} is already dismissed", target.name()))
        } else {
            None
        };
        let hire_refused = if !me.is_staff() {
            staff_needed("hire")
        } else if target.status == Status::Active {
            Some(format!("{} is active", target.name()))
        } else {
            None
        };
        let reassign_refused = if !me.is_staff() {
            staff_needed("reassign responsibilities")
        } else if target.kind == Kind::System {
            Some("A system user holds integrations only".into())
        } else {
            None
        };
        let mut items = Vec::new();
        if !in_profile {
            items.push(MenuItem {
                label: "View profile",
                key: 'p',
                action: Action::MenuProfile,
                refused: None,
            });
        }
        items.push(MenuItem {
            label: "Dismiss",
            key: 'd',
            action: Action::MenuDismiss,
            refused: dismiss_refused,
        });
        items.push(MenuItem {
            label: "Hire",
            key: 'h',
            action: Action::MenuHire,
            refused: hire_refused,
        });
        items.push(MenuItem {
            label: "Reassign…",
            key: 'r',
            action: Action::MenuReassign,
            refused: reassign_refused,
        });
        if let Some(day) = leaving_on {
            items.push(MenuItem {
                label: "Cancel scheduled dismissal",
                key: 'c',
                action: Action::MenuCancelDismissal,
                refused: if me.is_staff() {
                    None
                } else {
                    staff_needed("cancel a dismissal")
                },
            });
            let _ = day;
        }
        Modal::Menu {
            title: if in_profile {
                "Actions".into()
            } else {
                target.name()
            },
            target: target.clone(),
            items,
            selected: 0,
        }
    }
}

fn ring_step(ring: &[Focus], current: Focus, forward: bool) -> Focus {
    let i = ring.iter().position(|f| *f == current).unwrap_or(0);
    let n = ring.len();
    ring[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

/// What a key did in a form with a field, four tick boxes and two buttons (confirm,
/// Cancel): the Reassign and webhook dialogs share these keys.
enum FormKey {
    Handled,
    Cancel,
    Submit,
    /// Left to the form: typing, the field's own Enter, candidate moves.
    Other,
}

fn form_key(
    focus: &mut Focus,
    mut tick: impl FnMut(usize),
    ring: &[Focus],
    action: &Action,
) -> FormKey {
    match action {
        Action::Cancel | Action::Back => FormKey::Cancel,
        Action::FocusNext | Action::FocusPrev => {
            *focus = ring_step(ring, *focus, *action == Action::FocusNext);
            FormKey::Handled
        }
        Action::Left | Action::Right => {
            if let Focus::Button(_) = focus {
                *focus = Focus::Button(usize::from(*action == Action::Right));
            }
            FormKey::Handled
        }
        Action::Toggle | Action::Open if matches!(focus, Focus::Tick(_)) => {
            if let Focus::Tick(i) = *focus {
                tick(i);
            }
            FormKey::Handled
        }
        Action::Toggle => FormKey::Handled,
        Action::Open if *focus == Focus::Button(1) => FormKey::Cancel,
        Action::Open if *focus == Focus::Button(0) => FormKey::Submit,
        Action::Confirm => FormKey::Submit,
        _ => FormKey::Other,
    }
}

fn next_reason(r: Option<Reason>, forward: bool) -> Option<Reason> {
    let all: Vec<Option<Reason>> = std::iter::once(None)
        .chain(Reason::ALL.iter().copied().map(Some))
        .collect();
    let i = all.iter().position(|x| *x == r).unwrap_or(0);
    let n = all.len();
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

/// Apply one action to the state; return the effect to run, if any.
pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    // Results first: they arrive whatever the mode.
    match action {
        Action::Resize(w, h) => {
            app.width = w;
            app.height = h;
            let mut v = vec![app.employees_query_effect()];
            if let Some(e) = app.section_effect() {
                v.push(e);
            }
            Some(Effect::Batch(v))
        }
        Action::EmployeesLoaded(page) => {
            apply_employees(app, page);
            None
        }
        Action::EmployeeRowsLoaded { offset, rows } => {
            // A page that arrives after the user moved on is dropped.
            if offset == app.employees.offset {
                app.employees.rows = rows;
            }
            None
        }
        Action::ProfileLoaded(data) => {
            match &mut app.profile {
                Some(p) if p.data.profile.employee.login == data.profile.employee.login => {
                    p.data = *data
                }
                _ => {
                    app.profile = Some(ProfileView {
                        data: *data,
                        section: 0,
                        rows: vec![],
                        offset: 0,
                        selected: 0,
                    });
                }
            }
            None
        }
        Action::SectionLoaded {
            login,
            section,
            offset,
            rows,
        } => {
            if let Some(p) = &mut app.profile
                && p.data.profile.employee.login == login
                && p.section == section
                && p.offset == offset
            {
                if rows.is_empty() && offset > 0 {
                    // Past the end: step back to the last page.
                    p.offset = (offset - app.height as i64).max(0);
                    p.selected = p.selected.min(offset - 1);
                    return app.section_effect();
                }
                p.rows = rows;
                let last = p.offset + p.rows.len() as i64 - 1;
                p.selected = p.selected.clamp(p.offset, last.max(p.offset));
            }
            None
        }
        Action::IntegrationsLoaded(list) => {
            app.integrations.all = list;
            let n = app.integrations.visible().len();
            app.integrations.selected = app.integrations.selected.min(n.saturating_sub(1));
            None
        }
        Action::AuditLoaded { offset, rows } => {
            if offset == app.audit.offset {
                app.audit.rows = rows;
                app.audit.denied = None;
                let last = app.audit.offset + app.audit.rows.len() as i64 - 1;
                app.audit.selected = app
                    .audit
                    .selected
                    .clamp(app.audit.offset, last.max(app.audit.offset));
            }
            None
        }
        Action::StaffLoaded(staff) => {
            app.settings.staff = staff;
            app.settings.selected = app.settings.selected.min(app.settings.staff.len());
            None
        }
        Action::ShowDismissedLoaded(on) => {
            let changed = app.show_dismissed != on;
            app.show_dismissed = on;
            app.settings.show_dismissed = on;
            if !on && app.employees.filter != StatusFilter::Active {
                app.employees.filter = StatusFilter::Active;
                return Some(app.employees_query_effect());
            }
            if changed {
                Some(app.employees_query_effect())
            } else {
                None
            }
        }
        Action::CandidatesLoaded(list) => {
            match &mut app.modal {
                Some(Modal::Reassign(r)) => {
                    r.candidates = list;
                    r.candidate = 0;
                }
                Some(Modal::Grant(p)) => {
                    p.candidates = list;
                    p.candidate = 0;
                }
                _ => {}
            }
            None
        }
        Action::DismissInfo {
            target,
            owns,
            integrations,
        } => {
            // Cancel, the last button, has the focus.
            let buttons =
                (if integrations.is_empty() { 1 } else { 2 }) + usize::from(owns.total() > 0);
            let mut dialog = DismissDialog {
                focus: Focus::Button(buttons),
                target,
                owns,
                integrations,
                reason: None,
                note: Input::default(),
                date: Input::default(),
                scroll: 0,
            };
            // Back from "Reassign first…": what was typed is still there. The focus
            // goes back to a field, or to Cancel (the buttons may have changed).
            if let Some(draft) = app.dismiss_draft.take()
                && draft.target.login == dialog.target.login
            {
                dialog.reason = draft.reason;
                dialog.note = draft.note;
                dialog.date = draft.date;
                if !matches!(draft.focus, Focus::Button(_)) {
                    dialog.focus = draft.focus;
                }
            }
            app.modal = Some(Modal::Dismiss(dialog));
            None
        }
        Action::BulkInfo { dismiss, steps } => {
            let mut dialog = BulkDialog {
                dismiss,
                steps,
                focus: Focus::Button(0),
                scroll: 0,
            };
            dialog.focus = Focus::Button(dialog.buttons().len() - 1);
            app.modal = Some(Modal::Bulk(dialog));
            None
        }
        Action::BulkDone(msg) => {
            app.employees.marked.clear();
            app.status = Some(msg);
            app.modal = None;
            Some(app.refresh())
        }
        Action::HireInfo { target, returnable } => {
            app.modal = Some(Modal::Hire(HireDialog {
                target,
                returnable,
                return_ticked: false,
                focus: Focus::Button(1),
            }));
            None
        }
        Action::ReassignInfo {
            target,
            owns,
            then_dismiss,
        } => {
            app.modal = Some(Modal::Reassign(ReassignDialog {
                from: target,
                owns,
                picker: Input::default(),
                candidates: vec![],
                candidate: 0,
                chosen: None,
                ticks: [true; 4],
                focus: Focus::Button(1),
                then_dismiss,
            }));
            None
        }
        Action::EditInfo {
            integration,
            takes_over,
        } => {
            let scopes = integration.scopes;
            app.modal = Some(Modal::Webhook(WebhookForm {
                kind: FormKind::Edit {
                    id: integration.id,
                    takes_over,
                    owner: integration.owner.clone(),
                },
                title: Input::new(integration.title.clone()),
                scopes,
                focus: Focus::Button(1),
            }));
            None
        }
        Action::Done(msg) => {
            app.status = Some(msg);
            app.modal = None;
            Some(app.refresh())
        }
        Action::UrlIssued { message, url } => {
            app.status = Some(message.clone());
            app.modal = Some(Modal::Message {
                title: "Webhook URL".into(),
                lines: vec![
                    message,
                    String::new(),
                    url,
                    String::new(),
                    "Copy it now: this URL will not be shown again.".into(),
                    "Anyone who has it can act through it within its scopes.".into(),
                ],
                error: false,
            });
            Some(app.refresh())
        }
        Action::Failed(msg) => {
            if app.pane == Pane::Audit && msg.contains("audit log") {
                app.audit.denied = Some(msg);
                return None;
            }
            app.modal = Some(Modal::Message {
                title: "Error".into(),
                lines: vec![msg],
                error: true,
            });
            None
        }
        Action::AccessRevoked(msg) => {
            app.revoked = Some(msg);
            app.exit = Some(3);
            None
        }
        Action::ExternalChange => Some(app.refresh()),
        other => handle_intent(app, other),
    }
}

fn apply_employees(app: &mut App, page: Page) {
    let e = &mut app.employees;
    e.rows = page.rows;
    e.total = page.total;
    e.loaded = true;
    if e.total == 0 {
        e.selected = 0;
        e.offset = 0;
    } else if e.selected >= e.total {
        e.selected = e.total - 1;
    }
}

fn handle_intent(app: &mut App, action: Action) -> Option<Effect> {
    // Quit comes from `q` outside text fields, or from Ctrl-C anywhere.
    if action == Action::Quit {
        app.exit = Some(0);
        return None;
    }
    if app.help.is_some() {
        match action {
            Action::Cancel | Action::Help => app.help = None,
            Action::Up => app.help = app.help.map(|s| s.saturating_sub(1)),
            Action::Down => app.help = app.help.map(|s| s.saturating_add(1)),
            _ => {}
        }
        return None;
    }
    if app.modal.is_some() {
        return modal_intent(app, action);
    }
    match action {
        Action::Quit => {
            app.exit = Some(0);
            None
        }
        Action::Help => {
            app.help = Some(0);
            None
        }
        Action::NextPane | Action::PrevPane => {
            let i = Pane::ALL.iter().position(|p| *p == app.pane).unwrap_or(0);
            let n = Pane::ALL.len();
            let next = if action == Action::NextPane {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            go_to(app, Pane::ALL[next])
        }
        Action::GoTo(p) => go_to(app, p),
        _ => match app.pane {
            Pane::Employees if app.profile.is_some() => profile_intent(app, action),
            Pane::Employees => employees_intent(app, action),
            Pane::Integrations => integrations_intent(app, action),
            Pane::Audit => audit_intent(app, action),
            Pane::Settings => settings_intent(app, action),
        },
    }
}

fn go_to(app: &mut App, pane: Pane) -> Option<Effect> {
    app.pane = pane;
    match pane {
        Pane::Employees => Some(app.employees_query_effect()),
        Pane::Integrations => Some(Effect::LoadIntegrations),
        Pane::Audit => Some(app.audit_effect()),
        Pane::Settings => Some(Effect::LoadSettings),
    }
}

/// Move a selection within `total` rows and keep it on a page of `height` rows starting
/// at `offset`. Returns whether the page moved.
fn move_selection(
    selected: &mut i64,
    offset: &mut i64,
    total: i64,
    height: i64,
    action: &Action,
) -> bool {
    if total <= 0 {
        return false;
    }
    let last = total - 1;
    let max_offset = (total - height).max(0);
    let before = *offset;
    match action {
        Action::Up => *selected = (*selected - 1).max(0),
        Action::Down => *selected = (*selected + 1).min(last),
        Action::Top => *selected = 0,
        Action::Bottom => *selected = last,
        Action::PageDown => {
            *selected = (*selected + height).min(last);
            *offset = (*offset + height).min(max_offset);
        }
        Action::PageUp => {
            *selected = (*selected - height).max(0);
            *offset = (*offset - height).max(0);
        }
        _ => {}
    }
    if *selected < *offset {
        *offset = *selected;
    } else if *selected >= *offset + height {
        *offset = *selected - height + 1;
    }
    *offset != before
}

fn employees_intent(app: &mut App, action: Action) -> Option<Effect> {
    let height = app.list_height();
    match action {
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            let e = &mut app.employees;
            if move_selection(&mut e.selected, &mut e.offset, e.total, height, &action) {
                return Some(Effect::LoadEmployeeRows(app.employees_query()));
            }
            None
        }
        Action::FocusSearch => {
            app.employees.searching = true;
            None
        }
        Action::SearchDone => {
            app.employees.searching = false;
            None
        }
        Action::Back
            if !app.employees.marked.is_empty()
                && !app.employees.searching
                && app.employees.search.value().is_empty() =>
        {
            app.employees.marked.clear();
            app.status = Some("Marks cleared".into());
            None
        }
        Action::SearchClear | Action::Back => {
            app.employees.searching = false;
            if app.employees.search.value().is_empty() {
                return None;
            }
            app.employees.search.reset();
            reset_list(app)
        }
        Action::Text(key) => {
            if app
                .employees
                .search
                .handle_event(&Event::Key(key))
                .is_some()
            {
                return reset_list(app);
            }
            None
        }
        Action::CycleStatusFilter => {
            if !app.show_dismissed {
                app.status = Some(
                    "Dismissed employees are hidden: an administrator can show them in Settings (show_dismissed)".into(),
                );
                return None;
            }
            app.employees.filter = match app.employees.filter {
                StatusFilter::Active => StatusFilter::Dismissed,
                StatusFilter::Dismissed => StatusFilter::All,
                StatusFilter::All => StatusFilter::Active,
            };
            reset_list(app)
        }
        Action::ToggleBacklog => {
            if !app.me.is_staff() {
                app.status = Some(
                    "The handover backlog is for administrators and company-structure staff".into(),
                );
                return None;
            }
            app.employees.backlog = !app.employees.backlog;
            reset_list(app)
        }
        Action::Open => {
            let login = app.selected_employee()?.login.clone();
            Some(Effect::LoadProfile(login))
        }
        Action::MenuReassign => {
            let target = app.selected_employee()?.clone();
            if !app.me.is_staff() {
                app.status = Some(
                    "Company-structure access is required to reassign responsibilities".into(),
                );
                return None;
            }
            Some(Effect::PrepareReassign(target.login, false))
        }
        Action::Toggle => {
            let login = app.selected_employee()?.login.clone();
            let marked = &mut app.employees.marked;
            if let Some(i) = marked.iter().position(|l| *l == login) {
                marked.remove(i);
            } else {
                marked.push(login);
            }
            // The status bar shows the count while there are marks (see `marks_hint`).
            None
        }
        Action::RowMenu if !app.employees.marked.is_empty() => {
            app.modal = Some(Modal::BulkMenu {
                logins: app.employees.marked.clone(),
                selected: 0,
            });
            None
        }
        Action::RowMenu => {
            let target = app.selected_employee()?.clone();
            let leaving = app
                .employees
                .rows
                .get((app.employees.selected - app.employees.offset) as usize)
                .and_then(|r| r.leaving_on);
            app.modal = Some(app.menu_for(&target, false, leaving));
            None
        }
        _ => None,
    }
}

fn reset_list(app: &mut App) -> Option<Effect> {
    app.employees.offset = 0;
    app.employees.selected = 0;
    Some(app.employees_query_effect())
}

fn profile_intent(app: &mut App, action: Action) -> Option<Effect> {
    let height = app.section_height();
    let p = app.profile.as_mut()?;
    match action {
        Action::Back => {
            app.profile = None;
            Some(app.employees_query_effect())
        }
        Action::PrevSection | Action::NextSection => {
            let n = SECTIONS.len();
            p.section = if action == Action::NextSection {
                (p.section + 1) % n
            } else {
                (p.section + n - 1) % n
            };
            p.rows.clear();
            p.offset = 0;
            p.selected = 0;
            app.section_effect()
        }
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            // Section lists are paged without a total: move within the page, and ask for
            // the next or previous page at its edges.
            let len = p.rows.len() as i64;
            if SECTIONS[p.section] == "Integrations" {
                let n = p.data.profile.integrations.len() as i64;
                move_selection(&mut p.selected, &mut p.offset, n, height, &action);
                return None;
            }
            let before = p.offset;
            match action {
                Action::Up if p.selected > p.offset => p.selected -= 1,
                Action::Up if p.offset > 0 => {
                    p.offset -= 1;
                    p.selected -= 1;
                }
                Action::Down if p.selected + 1 < p.offset + len => p.selected += 1,
                Action::Down if len == height => {
                    p.offset += 1;
                    p.selected += 1;
                }
                Action::PageDown if len == height => {
                    p.offset += height;
                    p.selected = p.offset;
                }
                Action::PageUp => {
                    p.offset = (p.offset - height).max(0);
                    p.selected = p.offset;
                }
                Action::Top => {
                    p.offset = 0;
                    p.selected = 0;
                }
                _ => {}
            }
            if p.offset != before {
                app.section_effect()
            } else {
                None
            }
        }
        Action::ActionsMenu => {
            let target = p.data.profile.employee.clone();
            let leaving = p
                .data
                .profile
                .departure
                .as_ref()
                .filter(|d| d.state == crate::domain::DepartureState::Pending)
                .map(|d| d.at.date_naive());
            app.modal = Some(app.menu_for(&target, true, leaving));
            None
        }
        _ => None,
    }
}

fn integrations_intent(app: &mut App, action: Action) -> Option<Effect> {
    let n = app.integrations.visible().len() as i64;
    let height = app.list_height();
    match action {
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            let mut sel = app.integrations.selected as i64;
            let mut off = 0;
            move_selection(&mut sel, &mut off, n, height, &action);
            app.integrations.selected = sel.max(0) as usize;
            None
        }
        Action::ToggleIntegrationFilter => {
            app.integrations.active_only = !app.integrations.active_only;
            app.integrations.selected = 0;
            None
        }
        Action::CreateWebhook => {
            app.modal = Some(Modal::Webhook(WebhookForm {
                kind: FormKind::Create,
                title: Input::default(),
                scopes: ScopeSet::EMPTY,
                focus: Focus::Button(1),
            }));
            None
        }
        Action::EditWebhook => Some(Effect::PrepareEdit(app.selected_integration()?.id)),
        Action::DisableWebhook => {
            let i = app.selected_integration()?;
            app.modal = Some(Modal::Confirm {
                title: "Disable integration".into(),
                lines: vec![
                    format!("Disable #{} \"{}\" owned by {}?", i.id, i.title, i.owner),
                    "Its URL stops working at once for everyone who has it.".into(),
                ],
                yes: "Disable",
                on_yes: Effect::DisableWebhook(i.id),
                focus_yes: false,
            });
            None
        }
        Action::EnableWebhook => Some(Effect::EnableWebhook(app.selected_integration()?.id)),
        Action::RegenerateWebhook => {
            let i = app.selected_integration()?;
            let mut lines = vec![
                format!("Issue a new secret for #{} \"{}\"?", i.id, i.title),
                "The old URL stops working at once; the new one is shown to you once.".into(),
            ];
            if i.owner_id != app.me.id && (i.owner_kind == Kind::System) {
                lines.push(format!(
                    "It is held by the system user {}: it becomes yours.",
                    i.owner
                ));
            }
            app.modal = Some(Modal::Confirm {
                title: "New secret".into(),
                lines,
                yes: "Issue new secret",
                on_yes: Effect::RegenerateWebhook(i.id),
                focus_yes: false,
            });
            None
        }
        _ => None,
    }
}

fn audit_intent(app: &mut App, action: Action) -> Option<Effect> {
    let height = app.list_height();
    match action {
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            let a = &mut app.audit;
            // The total is unknown until asked; a page shorter than the screen is the end.
            let total = if (a.rows.len() as i64) < height {
                a.offset + a.rows.len() as i64
            } else {
                i64::MAX / 4
            };
            if action == Action::Bottom && total == i64::MAX / 4 {
                return None;
            }
            if move_selection(&mut a.selected, &mut a.offset, total, height, &action) {
                return Some(app.audit_effect());
            }
            None
        }
        Action::FocusSearch => {
            app.audit.searching = true;
            None
        }
        Action::SearchDone => {
            app.audit.searching = false;
            None
        }
        Action::SearchClear | Action::Back => {
            app.audit.searching = false;
            app.audit.search.reset();
            app.audit.offset = 0;
            app.audit.selected = 0;
            Some(app.audit_effect())
        }
        Action::Text(key) => {
            if app.audit.search.handle_event(&Event::Key(key)).is_some() {
                app.audit.offset = 0;
                app.audit.selected = 0;
                return Some(app.audit_effect());
            }
            None
        }
        _ => None,
    }
}

fn settings_intent(app: &mut App, action: Action) -> Option<Effect> {
    if !app.me.is_admin {
        return None;
    }
    let n = app.settings.staff.len() + 1;
    match action {
        Action::Up => {
            app.settings.selected = app.settings.selected.saturating_sub(1);
            None
        }
        Action::Down => {
            app.settings.selected = (app.settings.selected + 1).min(n - 1);
            None
        }
        Action::Top | Action::PageUp => {
            app.settings.selected = 0;
            None
        }
        Action::Bottom | Action::PageDown => {
            app.settings.selected = n - 1;
            None
        }
        Action::ToggleShowDismissed => Some(Effect::SetShowDismissed(!app.settings.show_dismissed)),
        Action::Toggle if app.settings.selected == 0 => {
            Some(Effect::SetShowDismissed(!app.settings.show_dismissed))
        }
        Action::Grant => {
            app.modal = Some(Modal::Grant(PickerDialog {
                input: Input::default(),
                candidates: vec![],
                candidate: 0,
                focus: Focus::Button(1),
            }));
            None
        }
        Action::Revoke | Action::Toggle => {
            let who = app
                .settings
                .staff
                .get(app.settings.selected.checked_sub(1)?)?
                .clone();
            app.modal = Some(Modal::Confirm {
                title: "Revoke access".into(),
                lines: vec![
                    format!(
                        "Revoke company-structure access from {} ({})?",
                        who.name(),
                        who.login
                    ),
                    "They will no longer be able to dismiss, hire or reassign.".into(),
                ],
                yes: "Revoke",
                on_yes: Effect::SetAccess {
                    login: who.login.clone(),
                    grant: false,
                },
                focus_yes: false,
            });
            None
        }
        _ => None,
    }
}

fn modal_intent(app: &mut App, action: Action) -> Option<Effect> {
    let me_id = app.me.id;
    let modal = app.modal.as_mut()?;
    match modal {
        Modal::BulkMenu { logins, selected } => {
            let chosen = match action {
                Action::Cancel | Action::Back => {
                    app.modal = None;
                    return None;
                }
                Action::Up => {
                    *selected = selected.saturating_sub(1);
                    return None;
                }
                Action::Down => {
                    *selected = (*selected + 1).min(1);
                    return None;
                }
                Action::Open => [Action::MenuDismiss, Action::MenuHire][*selected].clone(),
                other => other,
            };
            let logins = logins.clone();
            let staff = app.me.is_staff();
            match chosen {
                Action::MenuDismiss | Action::MenuHire if !staff => {
                    app.modal = None;
                    app.status =
                        Some("Company-structure access is required to dismiss or hire".into());
                    None
                }
                Action::MenuDismiss => Some(Effect::PrepareBulk {
                    dismiss: true,
                    logins,
                }),
                Action::MenuHire => Some(Effect::PrepareBulk {
                    dismiss: false,
                    logins,
                }),
                _ => None,
            }
        }
        Modal::Bulk(b) => {
            let buttons = b.buttons();
            let n = buttons.len();
            let apply = |b: &BulkDialog, key: char| -> Option<Effect> {
                let logins: Vec<String> = b.going().iter().map(|s| s.login.clone()).collect();
                let choice = match key {
                    'k' => Some(crate::domain::IntegrationChoice::Keep),
                    'x' => Some(crate::domain::IntegrationChoice::Disable),
                    'y' => None,
                    _ => return None,
                };
                if logins.is_empty() || !b.buttons().iter().any(|(_, k)| *k == key) {
                    return None;
                }
                Some(Effect::BulkApply {
                    dismiss: b.dismiss,
                    logins,
                    choice,
                })
            };
            match action {
                Action::Cancel | Action::Back => {
                    app.modal = None;
                    None
                }
                Action::Confirm => apply(b, 'y'),
                Action::Keep => apply(b, 'k'),
                Action::DisableAll => apply(b, 'x'),
                Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                    // A line per employee and per integration, and a few more.
                    let lines = b
                        .steps
                        .iter()
                        .map(|s| 1 + s.integrations.len())
                        .sum::<usize>()
                        + 8;
                    scroll_by(&mut b.scroll, &action, lines);
                    None
                }
                Action::FocusNext | Action::Right => {
                    if let Focus::Button(i) = b.focus {
                        b.focus = Focus::Button((i + 1) % n);
                    }
                    None
                }
                Action::FocusPrev | Action::Left => {
                    if let Focus::Button(i) = b.focus {
                        b.focus = Focus::Button((i + n - 1) % n);
                    }
                    None
                }
                Action::Open => match b.focus {
                    Focus::Button(i) if buttons[i].1 != 'n' => apply(b, buttons[i].1),
                    _ => {
                        app.modal = None;
                        None
                    }
                },
                _ => None,
            }
        }
        Modal::Message { .. } => {
            if matches!(action, Action::Cancel | Action::Open) {
                app.modal = None;
            }
            None
        }
        Modal::Menu {
            target,
            items,
            selected,
            ..
        } => {
            let chosen = match action {
                Action::Cancel | Action::Back => {
                    app.modal = None;
                    return None;
                }
                Action::Up => {
                    *selected = selected.saturating_sub(1);
                    return None;
                }
                Action::Down => {
                    *selected = (*selected + 1).min(items.len() - 1);
                    return None;
                }
                Action::Open => items.get(*selected).cloned(),
                other => items.iter().find(|i| i.action == other).cloned(),
            }?;
            let target = target.clone();
            app.modal = None;
            if let Some(why) = chosen.refused {
                app.status = Some(why);
                return None;
            }
            match chosen.action {
                Action::MenuProfile => Some(Effect::LoadProfile(target.login)),
                Action::MenuDismiss => Some(Effect::PrepareDismiss(target.login)),
                Action::MenuHire => Some(Effect::PrepareHire(target.login)),
                Action::MenuReassign => Some(Effect::PrepareReassign(target.login, false)),
                Action::MenuCancelDismissal => {
                    app.modal = Some(Modal::Confirm {
                        title: "Cancel scheduled dismissal".into(),
                        lines: vec![
                            format!(
                                "Cancel the dismissal scheduled for {} ({})?",
                                target.name(),
                                target.login
                            ),
                            "They stay active; nothing else changes.".into(),
                        ],
                        yes: "Cancel the dismissal",
                        on_yes: Effect::CancelDismissal(target.login),
                        focus_yes: false,
                    });
                    None
                }
                _ => None,
            }
        }
        Modal::Dismiss(d) => {
            let ring = d.ring();
            let buttons = d.buttons();
            let press = |d: &DismissDialog, key: char| -> Option<Effect> {
                let choice = match key {
                    'y' if d.integrations.is_empty() => None,
                    'k' if !d.integrations.is_empty() => {
                        Some(crate::domain::IntegrationChoice::Keep)
                    }
                    'x' if !d.integrations.is_empty() => {
                        Some(crate::domain::IntegrationChoice::Disable)
                    }
                    _ => return None,
                };
                let note = d.note.value().trim().to_string();
                let request = DismissRequest {
                    integrations: choice,
                    reason: d.reason,
                    note: if note.is_empty() { None } else { Some(note) },
                };
                let date = d.date.value().trim().to_string();
                if date.is_empty() {
                    return Some(Effect::Dismiss {
                        login: d.target.login.clone(),
                        request,
                    });
                }
                Some(Effect::ScheduleDismiss {
                    login: d.target.login.clone(),
                    request,
                    on: date,
                })
            };
            match action {
                Action::Cancel | Action::Back => {
                    app.modal = None;
                    None
                }
                Action::Confirm => press(d, 'y'),
                Action::Keep => press(d, 'k'),
                Action::DisableAll => press(d, 'x'),
                Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                    let lines = d.integrations.len() + 10;
                    scroll_by(&mut d.scroll, &action, lines);
                    None
                }
                Action::ReassignFirst if d.owns.total() > 0 => {
                    app.dismiss_draft = Some(d.clone());
                    Some(Effect::PrepareReassign(d.target.login.clone(), true))
                }
                Action::FocusNext => {
                    d.focus = ring_step(&ring, d.focus, true);
                    None
                }
                Action::FocusPrev => {
                    d.focus = ring_step(&ring, d.focus, false);
                    None
                }
                Action::Left | Action::Right => {
                    let fwd = action == Action::Right;
                    match d.focus {
                        Focus::Button(i) => {
                            let n = buttons.len();
                            d.focus = Focus::Button(if fwd {
                                (i + 1).min(n - 1)
                            } else {
                                i.saturating_sub(1)
                            });
                        }
                        Focus::Reason => d.reason = next_reason(d.reason, fwd),
                        _ => {}
                    }
                    None
                }
                Action::Open => match d.focus {
                    Focus::Button(i) => {
                        let key = buttons[i].1;
                        if key == 'n' {
                            app.modal = None;
                            None
                        } else if key == 'r' {
                            Some(Effect::PrepareReassign(d.target.login.clone(), true))
                        } else {
                            press(d, key)
                        }
                    }
                    Focus::Reason => {
                        d.reason = next_reason(d.reason, true);
                        None
                    }
                    _ => {
                        d.focus = ring_step(&ring, d.focus, true);
                        None
                    }
                },
                Action::Text(key) => {
                    if d.focus == Focus::Date {
                        d.date.handle_event(&Event::Key(key));
                    } else {
                        d.note.handle_event(&Event::Key(key));
                    }
                    None
                }
                _ => None,
            }
        }
        Modal::Hire(h) => {
            let ring = h.ring();
            let hire = |h: &HireDialog| Effect::Hire {
                login: h.target.login.clone(),
                return_integrations: h.return_ticked && !h.returnable.is_empty(),
            };
            match action {
                Action::Cancel | Action::Back => {
                    app.modal = None;
                    None
                }
                Action::Confirm => Some(hire(h)),
                Action::Toggle => {
                    if !h.returnable.is_empty() {
                        h.return_ticked = !h.return_ticked;
                    }
                    None
                }
                Action::FocusNext | Action::Right => {
                    h.focus = ring_step(&ring, h.focus, true);
                    None
                }
                Action::FocusPrev | Action::Left => {
                    h.focus = ring_step(&ring, h.focus, false);
                    None
                }
                Action::Open => match h.focus {
                    Focus::Button(0) => Some(hire(h)),
                    Focus::Tick(_) => {
                        h.return_ticked = !h.return_ticked;
                        None
                    }
                    _ => {
                        app.modal = None;
                        None
                    }
                },
                _ => None,
            }
        }
        Modal::Reassign(r) => {
            let ring = ReassignDialog::ring();
            let submit = |r: &ReassignDialog| -> Result<Effect, String> {
                let to = r
                    .chosen
                    .as_ref()
                    .ok_or("Choose who takes over first: Tab to the name field and type")?;
                let what = WorkKinds {
                    tasks: r.ticks[0],
                    crm: r.ticks[1],
                    files: r.ticks[2],
                    mail: r.ticks[3],
                };
                if what.is_empty() {
                    return Err("Tick at least one kind of work to move".into());
                }
                Ok(Effect::Reassign {
                    from: r.from.login.clone(),
                    to: to.login.clone(),
                    what,
                    then_dismiss: r.then_dismiss,
                })
            };
            match form_key(&mut r.focus, |i| r.ticks[i] = !r.ticks[i], &ring, &action) {
                FormKey::Handled => None,
                // Reached from a dismiss dialog: back to it, as it was left.
                FormKey::Cancel if r.then_dismiss => {
                    let login = r.from.login.clone();
                    app.modal = None;
                    Some(Effect::PrepareDismiss(login))
                }
                FormKey::Cancel => {
                    app.modal = None;
                    None
                }
                FormKey::Submit => submit(r).map_err(|why| app.status = Some(why)).ok(),
                FormKey::Other if action == Action::Up => {
                    r.candidate = r.candidate.saturating_sub(1);
                    None
                }
                FormKey::Other if action == Action::Down => {
                    r.candidate = (r.candidate + 1).min(r.candidates.len().saturating_sub(1));
                    None
                }
                FormKey::Other if let Action::Text(key) = action => {
                    if r.picker.handle_event(&Event::Key(key)).is_some() {
                        r.chosen = None;
                        return Some(Effect::LoadCandidates {
                            search: r.picker.value().to_string(),
                            exclude: r.from.id,
                        });
                    }
                    None
                }
                FormKey::Other if action == Action::Open => {
                    // Enter in the name field picks the highlighted person.
                    if let Some(c) = r.candidates.get(r.candidate).cloned() {
                        r.picker = Input::new(c.name());
                        r.chosen = Some(c);
                        r.focus = Focus::Tick(0);
                    }
                    None
                }
                FormKey::Other => None,
            }
        }
        Modal::Webhook(w) => {
            let ring = WebhookForm::ring();
            let submit = |w: &WebhookForm| -> Result<Effect, String> {
                let title = w.title.value().trim().to_string();
                if title.is_empty() {
                    return Err("Give the webhook a title".into());
                }
                let scopes = w.scopes;
                if scopes.is_empty() {
                    return Err("Tick at least one scope".into());
                }
                Ok(match &w.kind {
                    FormKind::Create => Effect::CreateWebhook { title, scopes },
                    FormKind::Edit { id, .. } => Effect::EditWebhook {
                        id: *id,
                        title,
                        scopes,
                    },
                })
            };
            let tick = |i: usize| {
                if let Some(s) = Scope::ALL.get(i) {
                    w.scopes.toggle(*s);
                }
            };
            match form_key(&mut w.focus, tick, &ring, &action) {
                FormKey::Handled => None,
                FormKey::Cancel => {
                    app.modal = None;
                    None
                }
                FormKey::Submit => submit(w).map_err(|why| app.status = Some(why)).ok(),
                FormKey::Other if let Action::Text(key) = action => {
                    w.title.handle_event(&Event::Key(key));
                    None
                }
                FormKey::Other if action == Action::Open => {
                    // Enter in the title moves on to the scopes.
                    w.focus = Focus::Tick(0);
                    None
                }
                FormKey::Other => None,
            }
        }
        Modal::Grant(p) => {
            let ring = [Focus::Button(0), Focus::Button(1), Focus::Picker];
            let submit = |p: &PickerDialog| {
                p.candidates.get(p.candidate).map(|c| Effect::SetAccess {
                    login: c.login.clone(),
                    grant: true,
                })
            };
            match action {
                Action::Cancel | Action::Back => {
                    app.modal = None;
                    None
                }
                Action::FocusNext | Action::Right => {
                    p.focus = ring_step(&ring, p.focus, true);
                    None
                }
                Action::FocusPrev | Action::Left => {
                    p.focus = ring_step(&ring, p.focus, false);
                    None
                }
                Action::Up => {
                    p.candidate = p.candidate.saturating_sub(1);
                    None
                }
                Action::Down => {
                    p.candidate = (p.candidate + 1).min(p.candidates.len().saturating_sub(1));
                    None
                }
                Action::Text(key) => {
                    if p.input.handle_event(&Event::Key(key)).is_some() {
                        return Some(Effect::LoadCandidates {
                            search: p.input.value().to_string(),
                            exclude: me_id,
                        });
                    }
                    None
                }
                Action::Open if p.focus == Focus::Picker => {
                    p.focus = Focus::Button(0);
                    None
                }
                Action::Open if p.focus == Focus::Button(1) => {
                    app.modal = None;
                    None
                }
                Action::Open | Action::Confirm => {
                    let e = submit(p);
                    if e.is_none() {
                        app.status = Some("Type a name and pick someone first".into());
                    }
                    e
                }
                _ => None,
            }
        }
        Modal::Confirm {
            on_yes, focus_yes, ..
        } => match action {
            Action::Cancel | Action::Back => {
                app.modal = None;
                None
            }
            Action::Confirm => {
                let e = on_yes.clone();
                Some(e)
            }
            Action::FocusNext | Action::FocusPrev | Action::Left | Action::Right => {
                *focus_yes = !*focus_yes;
                None
            }
            Action::Open => {
                if *focus_yes {
                    Some(on_yes.clone())
                } else {
                    app.modal = None;
                    None
                }
            }
            _ => None,
        },
    }
}
