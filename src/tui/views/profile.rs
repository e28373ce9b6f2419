//! An employee's profile: the header, and the sections as tabs (←/→). Section lists are
//! paged from the directory, a screenful at a time.

use crate::directory::Profile;
use crate::directory::{ChecklistStep, SectionRow, SshKey};
use crate::tui::action::Action;
use crate::tui::dialogs::{ConfirmDialog, Dialog, KeyDialog, MessageDialog};

use crate::tui::effect::Effect;

use super::offboarding::{may_change, tick};
use super::{Context, Outcome, is_move, move_selection};

/// The profile's sections, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileTab {
    Overview,
    Tasks,
    Drive,
    /// CRM items assigned to them.
    Crm,
    /// Mailboxes they own.
    Mailboxes,
    /// The messages between the acting user and this employee.
    Conversation,
    Meetings,
    Feed,
    Groups,
    Integrations,
    /// The employee's SSH keys (for staff and the employee themselves).
    Keys,
}

impl ProfileTab {
    pub const ALL: [ProfileTab; 11] = [
        ProfileTab::Overview,
        ProfileTab::Tasks,
        ProfileTab::Drive,
        ProfileTab::Crm,
        ProfileTab::Mailboxes,
        ProfileTab::Conversation,
        ProfileTab::Meetings,
        ProfileTab::Feed,
        ProfileTab::Groups,
        ProfileTab::Integrations,
        ProfileTab::Keys,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ProfileTab::Overview => "Overview",
            ProfileTab::Tasks => "Tasks",
            ProfileTab::Drive => "Drive",
            ProfileTab::Crm => "CRM",
            ProfileTab::Mailboxes => "Mailboxes",
            ProfileTab::Conversation => "Conversation history",
            ProfileTab::Meetings => "Meetings",
            ProfileTab::Feed => "Feed",
            ProfileTab::Groups => "Groups",
            ProfileTab::Integrations => "Integrations",
            ProfileTab::Keys => "SSH keys",
        }
    }

    /// The title for a narrow window.
    pub fn short_title(self) -> &'static str {
        match self {
            ProfileTab::Conversation => "Conversation",
            ProfileTab::Keys => "Keys",
            ProfileTab::Mailboxes => "Mail",
            other => other.title(),
        }
    }

    /// Whether the tab is a list paged from the directory (the others are drawn from
    /// the profile itself).
    pub fn is_paged(self) -> bool {
        !matches!(
            self,
            ProfileTab::Overview | ProfileTab::Integrations | ProfileTab::Keys
        )
    }

    fn step(self, forward: bool) -> ProfileTab {
        let all = Self::ALL;
        let n = all.len();
        let i = all.iter().position(|t| *t == self).unwrap_or(0);
        all[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProfileData {
    pub profile: Profile,
}

#[derive(Debug)]
pub struct ProfileView {
    pub data: ProfileData,
    pub tab: ProfileTab,
    pub rows: Vec<SectionRow>,
    pub offset: i64,
    pub selected: i64,
    /// The Keys tab: the employee's SSH keys, or why the acting user may not see them.
    pub keys: Vec<SshKey>,
    pub keys_denied: Option<String>,
    /// The Overview: the selected step of the Offboarding section (Space ticks it).
    pub step: usize,
}

impl ProfileView {
    pub fn new(data: ProfileData) -> Self {
        ProfileView {
            data,
            tab: ProfileTab::Overview,
            rows: vec![],
            offset: 0,
            selected: 0,
            keys: vec![],
            keys_denied: None,
            step: 0,
        }
    }

    /// The profile as it is now (after a change, ours or another's): the step
    /// selection stays within the checklist.
    pub fn set_data(&mut self, data: ProfileData) {
        self.data = data;
        let steps = self
            .data
            .profile
            .checklist
            .as_ref()
            .map_or(0, |c| c.steps.len());
        self.step = self.step.min(steps.saturating_sub(1));
    }

    /// The checklist step selected on the Overview, if one is shown.
    pub fn selected_step(&self) -> Option<(&crate::directory::Checklist, &ChecklistStep)> {
        if self.tab != ProfileTab::Overview {
            return None;
        }
        let list = self.data.profile.checklist.as_ref()?;
        Some((list, list.steps.get(self.step)?))
    }

    /// Whether Space would tick or reopen the selected step for `me`.
    pub fn can_tick(&self, me: &crate::domain::Employee) -> bool {
        self.selected_step()
            .is_some_and(|(list, s)| may_change(me, &list.login, list.state, s).is_ok())
    }

    pub fn login(&self) -> &str {
        &self.data.profile.employee.login
    }

    /// The page of the current tab, when it is a paged list (or the keys, on the Keys
    /// tab).
    pub fn load_section(&self, height: i64) -> Option<Effect> {
        if self.tab == ProfileTab::Keys {
            return Some(Effect::LoadKeys(self.login().to_string()));
        }
        self.tab.is_paged().then(|| Effect::LoadSection {
            login: self.login().to_string(),
            section: self.tab,
            offset: self.offset,
            limit: height,
        })
    }

    /// A page of a section arrived; pages for another person, tab or offset are stale.
    /// Past the end, step back towards the last page (by `screen_height` rows).
    pub fn apply_section(
        &mut self,
        (login, tab, offset): (&str, ProfileTab, i64),
        rows: Vec<SectionRow>,
        screen_height: i64,
        section_height: i64,
    ) -> Option<Effect> {
        if self.login() != login || self.tab != tab || self.offset != offset {
            return None;
        }
        if rows.is_empty() && offset > 0 {
            self.offset = (offset - screen_height).max(0);
            self.selected = self.selected.min(offset - 1);
            return self.load_section(section_height);
        }
        self.rows = rows;
        let last = self.offset + self.rows.len() as i64 - 1;
        self.selected = self.selected.clamp(self.offset, last.max(self.offset));
        None
    }

    /// The keys arrived; those of another person are stale.
    pub fn apply_keys(&mut self, login: &str, keys: Vec<SshKey>, denied: Option<String>) {
        if self.login() != login {
            return;
        }
        self.keys = keys;
        self.keys_denied = denied;
        let last = (self.keys.len() as i64 - 1).max(0);
        self.selected = self.selected.clamp(0, last);
        self.offset = self.offset.min(self.selected);
    }

    /// The selected key on the Keys tab.
    pub fn selected_key(&self) -> Option<&SshKey> {
        (self.tab == ProfileTab::Keys)
            .then(|| self.keys.get(self.selected as usize))
            .flatten()
    }

    /// `+` and `-` on the Keys tab: the add dialog, or the question before removing.
    fn key_intent(&self, action: &Action) -> Outcome {
        if self.tab != ProfileTab::Keys {
            return Outcome::Nothing;
        }
        if let Some(why) = &self.keys_denied {
            return Outcome::Say(why.clone());
        }
        let employee = &self.data.profile.employee;
        if *action == Action::AddKey {
            return Outcome::Open(Dialog::Key(KeyDialog::new(employee)));
        }
        let Some(key) = self.selected_key() else {
            return Outcome::Say(format!(
                "{} has no SSH keys to remove",
                crate::directory::Named::of(employee)
            ));
        };
        let comment = if key.comment.is_empty() {
            String::new()
        } else {
            format!(", \"{}\"", key.comment)
        };
        Outcome::Open(Dialog::Confirm(ConfirmDialog::new(
            "Remove SSH key",
            vec![
                format!(
                    "Remove SSH key #{} of {}?",
                    key.id,
                    crate::directory::Named::of(employee)
                ),
                format!("{} {}{comment}", key.algorithm, key.fingerprint),
                "The next login with it is refused, and sessions signed in".into(),
                "with it end within two seconds.".into(),
            ],
            "Remove",
            Effect::RemoveKey(key.id),
        )))
    }

    pub fn handle(&mut self, action: Action, cx: &Context) -> Outcome {
        let height = cx.section_height;
        match action {
            Action::Back => Outcome::Back,
            Action::PrevSection | Action::NextSection | Action::ShowSection(_) => {
                self.tab = match action {
                    Action::ShowSection(tab) => tab,
                    _ => self.tab.step(action == Action::NextSection),
                };
                self.rows.clear();
                self.offset = 0;
                self.selected = 0;
                self.load_section(height).into()
            }
            Action::AddKey | Action::RemoveKey => self.key_intent(&action),
            Action::TickStep => match self.selected_step() {
                Some((list, step)) => tick(cx.me, &list.login, list.state, step),
                None if self.tab == ProfileTab::Overview => Outcome::Say(format!(
                    "{} has no offboarding checklist you can see",
                    self.data.profile.employee.name()
                )),
                None => Outcome::Nothing,
            },
            Action::Open => self.show_whole(),
            Action::CopyLogin | Action::CopyEmail => {
                let e = &self.data.profile.employee;
                let (what, text) = if action == Action::CopyLogin {
                    (format!("{}'s login", e.name()), e.login.clone())
                } else {
                    (format!("{}'s e-mail", e.name()), e.email.clone())
                };
                Outcome::Run(Effect::Copy { what, text })
            }
            a if is_move(&a) => self.move_in_section(&a, height),
            Action::ActionsMenu => Outcome::Run(Effect::PrepareMenu {
                login: self.data.profile.employee.login.clone(),
                in_profile: true,
            }),
            _ => Outcome::Nothing,
        }
    }

    /// Enter: what the selected row (or, on Overview, the departure) had to cut, whole.
    fn show_whole(&self) -> Outcome {
        let p = &self.data.profile;
        let detail = |title: String, lines: Vec<String>| {
            Outcome::Open(Dialog::Message(MessageDialog::detail(title, lines)))
        };
        match self.tab {
            ProfileTab::Overview => match &p.departure {
                Some(d) => {
                    let mut lines = vec![
                        crate::directory::Named::of(&p.employee).to_string(),
                        format!("When: {} ({})", d.at.date_naive(), d.state.words()),
                        format!(
                            "Recorded by: {}",
                            crate::directory::Named::new(&d.by_name, &d.by)
                        ),
                    ];
                    if let Some(r) = d.reason {
                        lines.push(format!("Reason: {}", r.words()));
                    }
                    if let Some(f) = &d.failure {
                        lines.push(format!("Why it did not apply: {f}"));
                    }
                    lines.push(format!("Note: {}", d.note.as_deref().unwrap_or("none")));
                    detail("Departure".into(), lines)
                }
                None => Outcome::Nothing,
            },
            ProfileTab::Keys => Outcome::Nothing,
            ProfileTab::Integrations => {
                let all: Vec<&crate::domain::Integration> =
                    p.integrations.iter().chain(&p.kept).collect();
                match all.get(self.selected as usize) {
                    Some(i) => detail(
                        format!("Integration #{}", i.id),
                        vec![
                            format!("Title: {}", i.title),
                            format!("Owner: {}", crate::directory::Named::owner(i)),
                            format!("Scopes: {}", i.scopes),
                            format!("Status: {}", i.status),
                            format!(
                                "Transferred from: {}",
                                crate::directory::Named::transferred_from(i)
                                    .map_or("nobody".into(), |n| n.to_string())
                            ),
                        ],
                    ),
                    None => Outcome::Nothing,
                }
            }
            tab => match self.rows.get((self.selected - self.offset) as usize) {
                Some(r) => {
                    let mut lines = Vec::new();
                    if let Some(w) = r.when {
                        lines.push(crate::domain::time::minute(w));
                    }
                    if tab == ProfileTab::Conversation {
                        lines.push(format!("{}:", r.detail));
                        lines.push(r.title.clone());
                    } else {
                        lines.push(r.title.clone());
                        if !r.detail.is_empty() {
                            lines.push(r.detail.clone());
                        }
                    }
                    detail(tab.title().to_string(), lines)
                }
                None => Outcome::Nothing,
            },
        }
    }

    /// Section lists are paged without a total: move within the page, and ask for the
    /// next or previous page at its edges.
    fn move_in_section(&mut self, action: &Action, height: i64) -> Outcome {
        // The Overview's list is the checklist's steps.
        if self.tab == ProfileTab::Overview {
            let n = self
                .data
                .profile
                .checklist
                .as_ref()
                .map_or(0, |c| c.steps.len()) as i64;
            let (mut selected, mut offset) = (self.step as i64, 0);
            move_selection(&mut selected, &mut offset, n, n.max(1), action);
            self.step = selected.max(0) as usize;
            return Outcome::Nothing;
        }
        if matches!(self.tab, ProfileTab::Integrations | ProfileTab::Keys) {
            let n = if self.tab == ProfileTab::Keys {
                self.keys.len() as i64
            } else {
                (self.data.profile.integrations.len() + self.data.profile.kept.len()) as i64
            };
            move_selection(&mut self.selected, &mut self.offset, n, height, action);
            return Outcome::Nothing;
        }
        // A conversation is drawn newest at the bottom, as a chat reads: ↑ goes to
        // older messages, which come later in the newest-first pages.
        let flipped;
        let action = if self.tab == ProfileTab::Conversation {
            flipped = match action {
                Action::Up => Action::Down,
                Action::Down => Action::Up,
                Action::PageUp => Action::PageDown,
                Action::PageDown => Action::PageUp,
                other => other.clone(),
            };
            &flipped
        } else {
            action
        };
        let len = self.rows.len() as i64;
        let before = self.offset;
        match action {
            Action::Up if self.selected > self.offset => self.selected -= 1,
            Action::Up if self.offset > 0 => {
                self.offset -= 1;
                self.selected -= 1;
            }
            Action::Down if self.selected + 1 < self.offset + len => self.selected += 1,
            Action::Down if len == height => {
                self.offset += 1;
                self.selected += 1;
            }
            Action::PageDown if len == height => {
                self.offset += height;
                self.selected = self.offset;
            }
            Action::PageUp => {
                self.offset = (self.offset - height).max(0);
                self.selected = self.offset;
            }
            Action::Top => {
                self.offset = 0;
                self.selected = 0;
            }
            // A click selects a row on the page as drawn.
            Action::Select(i) if (self.offset..self.offset + len).contains(i) => {
                self.selected = *i;
            }
            _ => {}
        }
        if self.offset != before {
            self.load_section(height).into()
        } else {
            Outcome::Nothing
        }
    }
}
