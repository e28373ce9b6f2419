//! The state of the terminal UI and `update`, which changes it for each action and
//! returns the effect to run. No I/O happens here. The panes (`views/`) and the dialogs
//! (`dialogs/`) handle their own keys; this module routes actions to them and applies
//! the results the executor feeds back.

use crate::domain::{Denial, Employee, Error, Integration, Invalid, Op, StatusFilter};

use super::action::Action;
use super::dialogs::{
    BulkDialog, ConfirmDialog, DepartmentDialog, Dialog, DismissDialog, HireDialog, MenuDialog,
    MessageDialog, Outcome, ReassignDialog, WebhookForm,
};
use super::effect::Effect;
use super::keymap::Mode;
use super::outcome::Done;
use super::ui::layout::{LIST_CHROME, SECTION_CHROME};
use super::views::{self, Context};

pub use super::ui::layout::{MIN_HEIGHT, MIN_WIDTH};
pub use super::views::{
    AuditView, DashboardView, EmployeesView, IntegrationsView, OffboardingView, ProfileData,
    ProfileTab, ProfileView, SettingsView,
};

/// The top-level panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Employees,
    /// The offboarding steps across the company.
    Offboarding,
    Integrations,
    Audit,
    Settings,
    Dashboard,
}

impl Pane {
    /// The Offboarding and Dashboard panes come after the four older ones, so that
    /// their number keys (1–4) stay what they were.
    pub const ALL: [Pane; 6] = [
        Pane::Employees,
        Pane::Integrations,
        Pane::Audit,
        Pane::Settings,
        Pane::Offboarding,
        Pane::Dashboard,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Pane::Employees => "Employees",
            Pane::Offboarding => "Offboarding",
            Pane::Integrations => "Integrations",
            Pane::Audit => "Audit",
            Pane::Settings => "Settings",
            Pane::Dashboard => "Dashboard",
        }
    }
}

/// The `?` overlay: where it is scrolled to, its search, and where it was opened.
#[derive(Debug)]
pub struct HelpView {
    /// The first line shown.
    pub scroll: usize,
    pub search: tui_input::Input,
    pub searching: bool,
    /// The section it opened at: the one of the mode it was opened from.
    pub section: &'static str,
}

impl HelpView {
    /// Opened from `from`: at that mode's section.
    pub fn at(from: Mode) -> Self {
        let (section, scroll) = super::keymap::Keymap::get().help_section_of(from);
        HelpView {
            scroll,
            search: tui_input::Input::default(),
            searching: false,
            section,
        }
    }

    /// One key while help is open; `page` is how many lines it shows. Returns false
    /// when help closes.
    fn handle(&mut self, action: Action, page: usize) -> bool {
        use tui_input::backend::crossterm::EventHandler;
        let total = super::keymap::help_lines(self.search.value()).len();
        let last = total.saturating_sub(page);
        match action {
            Action::Cancel | Action::Help => return false,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page.max(1)),
            Action::PageDown => self.scroll += page.max(1),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = last,
            Action::FocusSearch => self.searching = true,
            Action::SearchDone => self.searching = false,
            Action::SearchClear => {
                self.searching = false;
                self.search.reset();
                self.scroll = 0;
            }
            Action::Text(key)
                if self
                    .search
                    .handle_event(&ratatui::crossterm::event::Event::Key(key))
                    .is_some() =>
            {
                self.scroll = 0;
            }
            _ => {}
        }
        self.scroll = self.scroll.min(last);
        true
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
    pub offboarding: OffboardingView,
    /// The profile on screen was opened from the Offboarding pane: Esc goes back there.
    pub profile_from_offboarding: bool,
    pub dashboard: DashboardView,
    /// Open dialogs, the top one last: it owns the input and is drawn over the rest.
    pub dialogs: Vec<Dialog>,
    pub help: Option<HelpView>,
    pub status: Option<String>,
    pub width: u16,
    pub height: u16,
    pub show_dismissed: bool,
    /// Set when the program should end, with its exit status.
    pub exit: Option<i32>,
    pub revoked: Option<String>,
    pub theme: super::ui::theme::Theme,
    /// Whether clicks and the wheel count (`--no-mouse` turns them off).
    pub mouse: bool,
    /// Where the last frame drew what the mouse can reach: filled by `ui::render`,
    /// read when a mouse event arrives. Drawing takes the app by reference, hence the
    /// cell; nothing else in the state is written while drawing.
    pub hits: std::cell::RefCell<super::mouse::HitMap>,
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
            offboarding: OffboardingView::default(),
            profile_from_offboarding: false,
            dashboard: DashboardView::default(),
            dialogs: Vec::new(),
            help: None,
            status: None,
            width,
            height,
            show_dismissed,
            exit: None,
            revoked: None,
            theme: super::ui::theme::Theme::from_env(),
            mouse: true,
            hits: Default::default(),
        }
    }

    /// What the first frame needs.
    pub fn initial_effect(&self) -> Effect {
        Effect::Batch(vec![self.load_employees(), Effect::LoadSettings])
    }

    /// The dialog on top, which has the input.
    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialogs.last()
    }

    /// Where input goes now.
    pub fn mode(&self) -> Mode {
        if let Some(h) = &self.help {
            return if h.searching {
                Mode::HelpSearch
            } else {
                Mode::Help
            };
        }
        if let Some(d) = self.dialog() {
            return d.component().mode();
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
            Pane::Offboarding => Mode::Offboarding,
            Pane::Dashboard => Mode::Dashboard,
        }
    }

    /// Whether `action`, bound in the pane on screen, would do something for this
    /// user now: the status bar offers only those (the keys still answer, saying why).
    pub fn offers(&self, action: &Action) -> bool {
        let staff = self.me.is_staff();
        match (self.mode(), action) {
            (Mode::Employees, Action::ToggleBacklog | Action::Toggle | Action::RowMenu) => staff,
            (Mode::Employees, Action::CycleStatusFilter) => self.show_dismissed,
            (Mode::Dashboard, Action::ToggleBacklog) => staff,
            (Mode::Profile, Action::ActionsMenu) => staff,
            (Mode::Profile, Action::TickStep) => {
                self.profile.as_ref().is_some_and(|p| p.can_tick(&self.me))
            }
            (Mode::Offboarding, Action::TickStep) => self.offboarding.can_tick(&self.me),
            (Mode::Offboarding, Action::Open) => self.offboarding.selected_row().is_some(),
            (Mode::Offboarding, Action::ToggleMine) => staff,
            (Mode::Message, Action::CopyUrl) => {
                matches!(self.dialog(), Some(Dialog::Message(m)) if m.url.is_some())
            }
            (Mode::Profile, Action::Open) => self.profile.as_ref().is_some_and(|p| match p.tab {
                ProfileTab::Keys => false,
                ProfileTab::Overview => p.data.profile.departure.is_some(),
                _ => true,
            }),
            _ => true,
        }
    }

    /// Rows of a list that fit on the screen.
    pub fn list_height(&self) -> i64 {
        (self.height.saturating_sub(LIST_CHROME) as i64).max(1)
    }

    /// Rows of a profile section that fit (the profile's head takes more room).
    pub fn section_height(&self) -> i64 {
        (self.height.saturating_sub(SECTION_CHROME) as i64).max(1)
    }

    pub fn selected_employee(&self) -> Option<&Employee> {
        self.employees.selected_employee()
    }

    pub fn selected_integration(&self) -> Option<Integration> {
        self.integrations.selected_integration()
    }

    fn load_employees(&self) -> Effect {
        self.employees.load(self.list_height())
    }

    fn load_section(&self) -> Option<Effect> {
        self.profile.as_ref()?.load_section(self.section_height())
    }

    /// Reload what is on screen (after a change, ours or another process's).
    pub fn refresh(&self) -> Effect {
        let mut v = vec![Effect::LoadSettings, self.load_employees()];
        if let Some(p) = &self.profile {
            v.push(Effect::LoadProfile(p.login().to_string()));
            if let Some(e) = self.load_section() {
                v.push(e);
            }
        }
        match self.pane {
            Pane::Integrations => v.push(Effect::LoadIntegrations),
            Pane::Audit if self.me.is_staff() => v.push(self.audit.load(self.list_height())),
            Pane::Offboarding => v.push(self.offboarding.load(self.list_height())),
            Pane::Dashboard => v.push(self.dashboard.load()),
            _ => {}
        }
        Effect::Batch(v)
    }

    /// Close the dialog on top; the one it uncovers may want reloading.
    fn close_dialog(&mut self) -> Option<Effect> {
        self.dialogs.pop();
        self.dialog()?.component().uncovered()
    }

    /// Put a dialog in place of everything open (an error is about the whole flow).
    fn show_only(&mut self, dialog: Dialog) {
        self.dialogs.clear();
        self.dialogs.push(dialog);
    }

    fn apply_dialog(&mut self, outcome: Outcome) -> Option<Effect> {
        match outcome {
            Outcome::Stay => None,
            Outcome::Say(msg) => {
                self.status = Some(msg);
                None
            }
            Outcome::Run(effect) => Some(effect),
            Outcome::Close => self.close_dialog(),
            Outcome::CloseAndAct(action) => {
                let uncovered = self.close_dialog();
                both(uncovered, handle_intent(self, action))
            }
            Outcome::CloseWithBelow => {
                self.dialogs.pop();
                self.close_dialog()
            }
            Outcome::CloseAndRun(effect) => both(Some(effect), self.close_dialog()),
            Outcome::CloseAndSay(msg) => {
                self.status = Some(msg);
                self.close_dialog()
            }
            Outcome::Push(dialog) => {
                self.dialogs.push(dialog);
                None
            }
            Outcome::Replace(dialog) => {
                self.dialogs.pop();
                self.dialogs.push(dialog);
                None
            }
        }
    }

    fn apply_view(&mut self, outcome: views::Outcome) -> Option<Effect> {
        match outcome {
            views::Outcome::Nothing => None,
            views::Outcome::Run(effect) => Some(effect),
            views::Outcome::Say(msg) => {
                self.status = Some(msg);
                None
            }
            views::Outcome::Open(dialog) => {
                self.dialogs.push(dialog);
                None
            }
            views::Outcome::Back if self.profile_from_offboarding => {
                self.profile = None;
                self.profile_from_offboarding = false;
                self.pane = Pane::Offboarding;
                Some(self.offboarding.load(self.list_height()))
            }
            views::Outcome::Back => {
                self.profile = None;
                Some(self.load_employees())
            }
            // The profile lives in the Employees pane; Esc brings the user back here.
            views::Outcome::OpenProfile(login) => {
                self.pane = Pane::Employees;
                self.profile_from_offboarding = true;
                Some(Effect::LoadProfile(login))
            }
            views::Outcome::Backlog => {
                self.pane = Pane::Employees;
                self.profile = None;
                self.employees.show_backlog();
                Some(self.load_employees())
            }
        }
    }
}

/// Both effects, in order, or whichever there is.
fn both(first: Option<Effect>, next: Option<Effect>) -> Option<Effect> {
    match (first, next) {
        (Some(first), Some(next)) => Some(Effect::Batch(vec![first, next])),
        (first, next) => first.or(next),
    }
}

/// Apply one action to the state; return the effect to run, if any.
pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    // Results first: they arrive whatever the mode.
    match action {
        Action::Resize(w, h) => {
            app.width = w;
            app.height = h;
            let mut v = vec![app.load_employees()];
            v.extend(app.load_section());
            if app.pane == Pane::Offboarding {
                v.push(app.offboarding.load(app.list_height()));
            }
            Some(Effect::Batch(v))
        }
        Action::EmployeesLoaded(page) => {
            app.employees.apply_page(page);
            None
        }
        Action::EmployeeRowsLoaded { offset, rows } => {
            app.employees.apply_rows(offset, rows);
            None
        }
        Action::ProfileLoaded(data) => {
            match &mut app.profile {
                Some(p) if p.login() == data.profile.employee.login => p.set_data(*data),
                _ => app.profile = Some(ProfileView::new(*data)),
            }
            None
        }
        Action::SectionLoaded {
            login,
            section,
            offset,
            rows,
        } => {
            let (screen, height) = (app.height as i64, app.section_height());
            let p = app.profile.as_mut()?;
            p.apply_section((&login, section, offset), rows, screen, height)
        }
        Action::IntegrationsLoaded(list) => {
            app.integrations.apply(list);
            None
        }
        Action::DashboardLoaded(data) => {
            app.dashboard.apply(*data);
            None
        }
        Action::AuditLoaded { offset, rows } => {
            app.audit.apply(offset, rows);
            None
        }
        Action::KeysLoaded {
            login,
            keys,
            denied,
        } => {
            if let Some(p) = app.profile.as_mut() {
                p.apply_keys(&login, keys, denied);
            }
            None
        }
        Action::StaffLoaded(staff) => {
            app.settings.apply_staff(staff);
            None
        }
        Action::ScimLoaded {
            tokens,
            integrations,
        } => {
            app.settings.scim_tokens = tokens;
            app.settings.scim_integrations = integrations;
            None
        }
        Action::StepsLoaded(page) => {
            let height = app.list_height();
            app.offboarding.apply(page, height)
        }
        Action::StepRowsLoaded { offset, rows } => {
            app.offboarding.apply_rows(offset, rows);
            None
        }
        Action::HooksLoaded(hooks) => {
            app.settings.hooks = hooks;
            None
        }
        Action::ShowDismissedLoaded(on) => {
            let changed = app.show_dismissed != on;
            app.show_dismissed = on;
            app.settings.show_dismissed = on;
            if !on && app.employees.filter != StatusFilter::Active {
                app.employees.filter = StatusFilter::Active;
                return Some(app.load_employees());
            }
            changed.then(|| app.load_employees())
        }
        Action::DepartmentsLoaded(list) => {
            let current = app.employees.department.as_ref().map(|(id, _)| *id);
            app.dialogs
                .push(Dialog::Department(DepartmentDialog::new(list, current)));
            None
        }
        Action::CandidatesLoaded(list) => {
            if let Some(d) = app.dialogs.last_mut() {
                d.component_mut().candidates_loaded(list);
            }
            None
        }
        Action::MenuInfo {
            target,
            allowed,
            in_profile,
        } => {
            app.dialogs.push(Dialog::Menu(MenuDialog::for_employee(
                &target, in_profile, &allowed,
            )));
            None
        }
        Action::DismissInfo {
            target,
            owns,
            integrations,
            checklists,
            default_checklist,
        } => {
            // Back from "Reassign first…", the dialog underneath is the same person's:
            // it shows the counts as they are now and keeps what was typed.
            match app.dialogs.last_mut() {
                Some(Dialog::Dismiss(d)) if d.target.login == target.login => {
                    d.refresh(target, owns, integrations)
                }
                _ => {
                    let mut d = DismissDialog::new(target, owns, integrations);
                    d.set_checklists(&checklists, default_checklist.as_deref());
                    app.dialogs.push(Dialog::Dismiss(d))
                }
            }
            None
        }
        Action::BulkInfo { dismiss, steps } => {
            app.dialogs
                .push(Dialog::Bulk(BulkDialog::new(dismiss, steps)));
            None
        }
        Action::HireInfo { target, returnable } => {
            app.dialogs
                .push(Dialog::Hire(HireDialog::new(target, returnable)));
            None
        }
        Action::ReassignInfo { target, owns } => {
            app.dialogs
                .push(Dialog::Reassign(ReassignDialog::new(target, owns)));
            None
        }
        Action::EditInfo {
            integration,
            takes_over,
        } => {
            app.dialogs
                .push(Dialog::Webhook(WebhookForm::edit(integration, takes_over)));
            None
        }
        Action::Done(done) => {
            if matches!(done, Done::Bulk { .. }) {
                app.employees.marked.clear();
                app.employees.marked_names.clear();
            }
            let msg = done.to_string();
            // The dialog that asked for the change closes; the one under it, if any,
            // shows the data as it is now.
            app.status = Some(msg);
            let uncovered = app.close_dialog();
            both(uncovered, Some(app.refresh()))
        }
        Action::UrlIssued { issued, url } => {
            let message = issued.to_string();
            app.status = Some(message.clone());
            app.dialogs.pop();
            app.dialogs
                .push(Dialog::Message(MessageDialog::url(message, url)));
            Some(app.refresh())
        }
        Action::Failed(e) => {
            let msg = super::wording::say(&e);
            if app.pane == Pane::Audit
                && matches!(
                    e,
                    Error::Denied(Denial::NeedsStaff {
                        op: Op::ReadAudit,
                        ..
                    })
                )
            {
                app.audit.denied = Some(msg);
                return None;
            }
            // A refused date is the field's business: the error goes over the dismiss
            // dialog, which keeps what was typed and takes the caret back to When.
            if let (
                Some(Dialog::Dismiss(d)),
                Error::Invalid(Invalid::DateInPast { .. } | Invalid::BeforeHire { .. }),
            ) = (app.dialogs.last_mut(), &e)
            {
                d.date_refused();
                app.dialogs.push(Dialog::Message(MessageDialog::error(msg)));
                return None;
            }
            app.show_only(Dialog::Message(MessageDialog::error(msg)));
            None
        }
        Action::Copied(msg) => {
            app.status = Some(msg);
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

fn handle_intent(app: &mut App, action: Action) -> Option<Effect> {
    // Quit comes from `q` outside text fields, or from Ctrl-C anywhere.
    if action == Action::Quit {
        app.exit = Some(0);
        return None;
    }
    let page = usize::from(app.height.saturating_sub(super::ui::layout::HELP_CHROME));
    if let Some(help) = &mut app.help {
        if !help.handle(action, page) {
            app.help = None;
        }
        return None;
    }
    // `?` over a dialog: the keys of that dialog.
    if action == Action::Help && app.dialog().is_some() {
        app.help = Some(HelpView::at(app.mode()));
        return None;
    }
    if let Some(dialog) = app.dialogs.last_mut() {
        // Esc in a text field with something typed asks before it is lost.
        let d = dialog.component();
        if action == Action::Cancel && d.typing() && d.typed() {
            app.dialogs
                .push(Dialog::Confirm(ConfirmDialog::discard_typed()));
            return None;
        }
        let outcome = dialog.component_mut().handle(action);
        return app.apply_dialog(outcome);
    }
    match action {
        Action::Help => {
            app.help = Some(HelpView::at(app.mode()));
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
        _ => pane_intent(app, action),
    }
}

/// An action for the pane on screen.
fn pane_intent(app: &mut App, action: Action) -> Option<Effect> {
    let cx = Context {
        me: &app.me,
        list_height: app.list_height(),
        section_height: app.section_height(),
        show_dismissed: app.show_dismissed,
    };
    let outcome = match (app.pane, app.profile.as_mut()) {
        (Pane::Employees, Some(profile)) => profile.handle(action, &cx),
        (Pane::Employees, None) => app.employees.handle(action, &cx),
        (Pane::Integrations, _) => app.integrations.handle(action, &cx),
        (Pane::Audit, _) => app.audit.handle(action, &cx),
        (Pane::Settings, _) => app.settings.handle(action, &cx),
        (Pane::Offboarding, _) => app.offboarding.handle(action, &cx),
        (Pane::Dashboard, _) => app.dashboard.handle(action, &cx),
    };
    app.apply_view(outcome)
}

fn go_to(app: &mut App, pane: Pane) -> Option<Effect> {
    app.pane = pane;
    // Chosen by its key: Esc in a profile goes back to the list, as usual.
    app.profile_from_offboarding = false;
    Some(match pane {
        Pane::Employees => app.load_employees(),
        Pane::Integrations => Effect::LoadIntegrations,
        Pane::Audit => app.audit.load(app.list_height()),
        Pane::Settings => Effect::LoadSettings,
        Pane::Offboarding => app.offboarding.load(app.list_height()),
        Pane::Dashboard => app.dashboard.load(),
    })
}
