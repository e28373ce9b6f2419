//! The keymap is data: one `Keymap`, built once, holds per-mode tables with a common
//! fallback. The same tables drive the keys (`lookup`), every key shown on screen
//! (`key_for`: hints, buttons, menu letters, help) and README's key table
//! (`readme_table`), so none of them can disagree with the real keys.

use std::sync::LazyLock;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::app::Pane;

/// Where input goes right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Employees,
    EmployeesSearch,
    Profile,
    Integrations,
    Audit,
    AuditSearch,
    Settings,
    /// The settings pane for someone who is not an administrator.
    SettingsLocked,
    Dashboard,
    Menu,
    /// Dismissing someone who owns no active integrations.
    Dismiss,
    /// Dismissing someone who owns active integrations: keep or disable.
    DismissChoice,
    Hire,
    Reassign,
    WebhookForm,
    /// Adding an SSH key.
    KeyForm,
    Confirm,
    /// A text field inside a dialog has focus.
    DialogText,
    Message,
    Help,
    /// Typing in the help overlay's search field.
    HelpSearch,
}

impl Mode {
    /// Every mode, in declaration order (`Mode as usize` indexes it).
    pub const ALL: [Mode; 21] = [
        Mode::Employees,
        Mode::EmployeesSearch,
        Mode::Profile,
        Mode::Integrations,
        Mode::Audit,
        Mode::AuditSearch,
        Mode::Settings,
        Mode::SettingsLocked,
        Mode::Dashboard,
        Mode::Menu,
        Mode::Dismiss,
        Mode::DismissChoice,
        Mode::Hire,
        Mode::Reassign,
        Mode::WebhookForm,
        Mode::KeyForm,
        Mode::Confirm,
        Mode::DialogText,
        Mode::Message,
        Mode::Help,
        Mode::HelpSearch,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Mode::Employees => "Employees",
            Mode::EmployeesSearch => "Employees: search field",
            Mode::Profile => "Profile",
            Mode::Integrations => "Integrations",
            Mode::Audit => "Audit",
            Mode::AuditSearch => "Audit: search field",
            Mode::Settings => "Settings",
            Mode::Menu => "Menus",
            Mode::Dismiss => "Dismiss dialog",
            Mode::DismissChoice => "Dismiss dialog, with integrations",
            Mode::SettingsLocked => "Settings (not an administrator)",
            Mode::Dashboard => "Dashboard",
            Mode::Hire => "Hire dialog",
            Mode::Reassign => "Reassign dialog",
            Mode::WebhookForm => "Webhook dialog",
            Mode::KeyForm => "SSH key dialog",
            Mode::Confirm => "Confirmation",
            Mode::DialogText => "Text field in a dialog",
            Mode::Message => "Messages",
            Mode::Help => "Help",
            Mode::HelpSearch => "Help: search field",
        }
    }

    /// Modes that fall back to the common pane keys.
    fn uses_common(self) -> bool {
        matches!(
            self,
            Mode::Employees
                | Mode::Profile
                | Mode::Integrations
                | Mode::Audit
                | Mode::Settings
                | Mode::SettingsLocked
                | Mode::Dashboard
        )
    }

    /// Modes whose letters go to a text field.
    pub fn is_typing(self) -> bool {
        matches!(
            self,
            Mode::EmployeesSearch | Mode::AuditSearch | Mode::DialogText | Mode::HelpSearch
        )
    }
}

/// The modes the help overlay lists, in its order (after "Everywhere").
const HELP_ORDER: [Mode; 20] = [
    Mode::Employees,
    Mode::EmployeesSearch,
    Mode::Profile,
    Mode::Integrations,
    Mode::Audit,
    Mode::Settings,
    Mode::Dashboard,
    Mode::AuditSearch,
    Mode::Menu,
    Mode::Dismiss,
    Mode::DismissChoice,
    Mode::Hire,
    Mode::Reassign,
    Mode::WebhookForm,
    Mode::KeyForm,
    Mode::Confirm,
    Mode::DialogText,
    Mode::Message,
    Mode::Help,
    Mode::HelpSearch,
];

/// The panes whose lists share the movement keys; README lists those keys once.
const LIST_MODES: [Mode; 5] = [
    Mode::Employees,
    Mode::Profile,
    Mode::Integrations,
    Mode::Audit,
    Mode::Settings,
];

/// A key as bound: a code and whether Ctrl is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}
const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }

    /// A printable character (a letter, digit or sign, Space), as opposed to a named
    /// key such as an arrow or Enter.
    pub fn is_char(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
    }

    fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl || ev.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        self.same_code(ev)
    }

    /// The key with at least its own modifier held, whatever else is: how the keys
    /// that always work (Ctrl-C) are matched.
    fn held_in(&self, ev: &KeyEvent) -> bool {
        (!self.ctrl || ev.modifiers.contains(KeyModifiers::CONTROL)) && self.same_code(ev)
    }

    fn same_code(&self, ev: &KeyEvent) -> bool {
        // SHIFT is ignored on character keys: the character already carries it.
        match (self.code, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b,
            (a, b) => a == b,
        }
    }
}

/// Labels of keys as the screen shows them: "n/Esc".
pub fn label_of(keys: &[Key]) -> String {
    keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
}

/// One row of the keymap.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the status bar when the mode is active.
    pub hint: bool,
}

impl Binding {
    pub fn label(&self) -> String {
        label_of(&self.keys)
    }
}

fn b(keys: &[Key], action: Action, help: &'static str, hint: bool) -> Binding {
    Binding {
        keys: keys.to_vec(),
        action,
        help,
        hint,
    }
}

const UP: &[Key] = &[k('k'), code(KeyCode::Up)];
const DOWN: &[Key] = &[k('j'), code(KeyCode::Down)];
const TOP: &[Key] = &[k('g'), code(KeyCode::Home)];
const BOTTOM: &[Key] = &[k('G'), code(KeyCode::End)];
const PGUP: &[Key] = &[code(KeyCode::PageUp)];
const PGDN: &[Key] = &[code(KeyCode::PageDown)];
const ENTER: &[Key] = &[code(KeyCode::Enter)];
const ESC: &[Key] = &[code(KeyCode::Esc)];
const TAB: &[Key] = &[code(KeyCode::Tab)];
const BACKTAB: &[Key] = &[code(KeyCode::BackTab)];
const LEFT: &[Key] = &[k('h'), code(KeyCode::Left)];
const RIGHT: &[Key] = &[k('l'), code(KeyCode::Right)];
const ARROW_UP: &[Key] = &[code(KeyCode::Up)];
const ARROW_DOWN: &[Key] = &[code(KeyCode::Down)];
const ARROW_LEFT: &[Key] = &[code(KeyCode::Left)];
const ARROW_RIGHT: &[Key] = &[code(KeyCode::Right)];
const SPACE: &[Key] = &[k(' ')];
const CANCEL: &[Key] = &[k('n'), code(KeyCode::Esc)];

fn movement() -> Vec<Binding> {
    vec![
        b(UP, Action::Up, "move up", false),
        b(DOWN, Action::Down, "move down", false),
        b(TOP, Action::Top, "first row", false),
        b(BOTTOM, Action::Bottom, "last row", false),
        b(PGUP, Action::PageUp, "page up", false),
        b(PGDN, Action::PageDown, "page down", false),
    ]
}

/// Scrolling the text of a dialog too tall for the window (arrows only: letters are
/// the dialog's buttons).
fn scroll_keys() -> Vec<Binding> {
    vec![
        b(ARROW_UP, Action::Up, "scroll up", false),
        b(ARROW_DOWN, Action::Down, "scroll down", false),
        b(PGUP, Action::PageUp, "scroll a page up", false),
        b(PGDN, Action::PageDown, "scroll a page down", false),
    ]
}

/// The default bindings of one mode (without the common fallback).
fn defaults(mode: Mode) -> Vec<Binding> {
    let mut v = Vec::new();
    match mode {
        Mode::Employees => {
            v.extend(movement());
            v.push(b(ENTER, Action::Open, "open profile", true));
            v.push(b(&[k('/')], Action::FocusSearch, "search", true));
            v.push(b(&[k('m')], Action::RowMenu, "row menu", true));
            v.push(b(
                &[k('f')],
                Action::CycleStatusFilter,
                "status filter",
                true,
            ));
            v.push(b(&[k('o')], Action::ToggleBacklog, "still owns work", true));
            v.push(b(
                &[k('s')],
                Action::CycleSort,
                "sort by next column",
                false,
            ));
            v.push(b(
                &[k('d')],
                Action::PickDepartment,
                "department filter",
                false,
            ));
            v.push(b(&[k('r')], Action::MenuReassign, "reassign…", false));
            v.push(b(SPACE, Action::Toggle, "mark", true));
            v.push(b(ESC, Action::Back, "clear search", false));
        }
        Mode::EmployeesSearch | Mode::AuditSearch => {
            v.push(b(ENTER, Action::SearchDone, "keep filter", true));
            v.push(b(ESC, Action::SearchClear, "clear", true));
            v.push(b(ARROW_DOWN, Action::SearchDone, "to the list", false));
        }
        Mode::Profile => {
            v.extend(movement());
            v.push(b(LEFT, Action::PrevSection, "previous section", true));
            v.push(b(RIGHT, Action::NextSection, "next section", true));
            v.push(b(&[k('a')], Action::ActionsMenu, "actions", true));
            v.push(b(ESC, Action::Back, "back", true));
            v.push(b(ENTER, Action::Open, "show whole", true));
            v.push(b(&[k('c')], Action::CopyLogin, "copy login", false));
            v.push(b(&[k('e')], Action::CopyEmail, "copy e-mail", false));
            v.push(b(&[k('+')], Action::AddKey, "add SSH key (Keys)", false));
            v.push(b(
                &[k('-')],
                Action::RemoveKey,
                "remove SSH key (Keys)",
                false,
            ));
        }
        Mode::Integrations => {
            v.extend(movement());
            v.push(b(&[k('c')], Action::CreateWebhook, "create", true));
            v.push(b(
                &[k('e'), code(KeyCode::Enter)],
                Action::EditWebhook,
                "edit",
                true,
            ));
            v.push(b(&[k('x')], Action::DisableWebhook, "disable", true));
            v.push(b(&[k('u')], Action::EnableWebhook, "enable", true));
            v.push(b(&[k('r')], Action::RegenerateWebhook, "new secret", true));
            v.push(b(
                &[k('f')],
                Action::ToggleIntegrationFilter,
                "active owners",
                true,
            ));
        }
        Mode::Audit => {
            v.extend(movement());
            v.push(b(&[k('/')], Action::FocusSearch, "search", true));
            v.push(b(ENTER, Action::Open, "show whole", true));
            v.push(b(ESC, Action::Back, "clear search", false));
        }
        Mode::SettingsLocked => {}
        Mode::Dashboard => {
            v.push(b(
                &[k('o')],
                Action::ToggleBacklog,
                "who still owns work",
                true,
            ));
        }
        Mode::Settings => {
            v.extend(movement());
            v.push(b(
                &[k(' '), code(KeyCode::Enter)],
                Action::Toggle,
                "toggle / choose",
                true,
            ));
            v.push(b(
                &[k('s')],
                Action::ToggleShowDismissed,
                "show dismissed",
                true,
            ));
            v.push(b(&[k('+')], Action::Grant, "grant access", true));
            v.push(b(&[k('-')], Action::Revoke, "revoke access", true));
        }
        Mode::Menu => {
            v.push(b(&[k('p')], Action::MenuProfile, "view profile", false));
            v.push(b(&[k('d')], Action::MenuDismiss, "dismiss", false));
            v.push(b(&[k('h')], Action::MenuHire, "hire", false));
            v.push(b(&[k('r')], Action::MenuReassign, "reassign", false));
            v.push(b(
                &[k('c')],
                Action::MenuCancelDismissal,
                "cancel scheduled dismissal",
                false,
            ));
            v.push(b(UP, Action::Up, "move up", false));
            v.push(b(DOWN, Action::Down, "move down", false));
            v.push(b(ENTER, Action::Open, "choose", true));
            v.push(b(ESC, Action::Cancel, "close", true));
        }
        Mode::Dismiss | Mode::DismissChoice => {
            if mode == Mode::Dismiss {
                v.push(b(&[k('y')], Action::Confirm, "dismiss employee", true));
            } else {
                v.push(b(
                    &[k('k')],
                    Action::Keep,
                    "keep integrations & dismiss",
                    true,
                ));
                v.push(b(
                    &[k('x')],
                    Action::DisableAll,
                    "disable integrations & dismiss",
                    true,
                ));
            }
            v.push(b(
                &[k('r')],
                Action::ReassignFirst,
                "reassign first…",
                false,
            ));
            v.push(b(CANCEL, Action::Cancel, "cancel", true));
            v.push(b(TAB, Action::FocusNext, "next field", true));
            v.push(b(BACKTAB, Action::FocusPrev, "previous field", false));
            v.push(b(
                ARROW_LEFT,
                Action::Left,
                "previous button / reason",
                false,
            ));
            v.push(b(ARROW_RIGHT, Action::Right, "next button / reason", false));
            v.push(b(ENTER, Action::Open, "press focused", true));
            v.extend(scroll_keys());
        }
        Mode::Hire => {
            v.push(b(&[k('y')], Action::Confirm, "hire", true));
            v.push(b(CANCEL, Action::Cancel, "cancel", true));
            v.push(b(&[k('t')], Action::Toggle, "return integrations", false));
            v.push(b(SPACE, Action::Toggle, "tick the focused box", false));
            v.push(b(TAB, Action::FocusNext, "next", false));
            v.push(b(BACKTAB, Action::FocusPrev, "previous", false));
            v.push(b(ARROW_LEFT, Action::Left, "previous button", false));
            v.push(b(ARROW_RIGHT, Action::Right, "next button", false));
            v.push(b(ENTER, Action::Open, "press focused", true));
            v.extend(scroll_keys());
        }
        Mode::Reassign | Mode::WebhookForm => {
            v.push(b(&[k('y')], Action::Confirm, "confirm", true));
            v.push(b(CANCEL, Action::Cancel, "cancel", true));
            v.push(b(TAB, Action::FocusNext, "next field", true));
            v.push(b(BACKTAB, Action::FocusPrev, "previous field", false));
            v.push(b(SPACE, Action::Toggle, "tick the focused box", true));
            v.push(b(ARROW_UP, Action::Up, "previous candidate", false));
            v.push(b(ARROW_DOWN, Action::Down, "next candidate", false));
            v.push(b(ARROW_LEFT, Action::Left, "previous button", false));
            v.push(b(ARROW_RIGHT, Action::Right, "next button", false));
            v.push(b(ENTER, Action::Open, "press focused", true));
        }
        Mode::KeyForm => {
            v.push(b(&[k('y')], Action::Confirm, "add key", true));
            v.push(b(CANCEL, Action::Cancel, "cancel", true));
            v.push(b(TAB, Action::FocusNext, "next field", true));
            v.push(b(BACKTAB, Action::FocusPrev, "previous field", false));
            v.push(b(ARROW_LEFT, Action::Left, "previous button", false));
            v.push(b(ARROW_RIGHT, Action::Right, "next button", false));
            v.push(b(ENTER, Action::Open, "press focused", true));
        }
        Mode::DialogText => {
            v.push(b(TAB, Action::FocusNext, "next field", true));
            v.push(b(BACKTAB, Action::FocusPrev, "previous field", false));
            v.push(b(ARROW_UP, Action::Up, "previous candidate", false));
            v.push(b(ARROW_DOWN, Action::Down, "next candidate", false));
            v.push(b(ENTER, Action::Open, "choose / next", true));
            v.push(b(ESC, Action::Cancel, "cancel", true));
        }
        Mode::Confirm => {
            v.push(b(&[k('y')], Action::Confirm, "yes", true));
            v.push(b(CANCEL, Action::Cancel, "cancel", true));
            v.push(b(
                &[
                    code(KeyCode::Tab),
                    code(KeyCode::Left),
                    code(KeyCode::Right),
                ],
                Action::FocusNext,
                "switch button",
                false,
            ));
            v.push(b(ENTER, Action::Open, "press focused", true));
        }
        Mode::Message => {
            v.push(b(&[k('c')], Action::CopyUrl, "copy the URL", true));
            v.push(b(
                &[code(KeyCode::Enter), code(KeyCode::Esc)],
                Action::Cancel,
                "close",
                true,
            ));
        }
        Mode::Help => {
            v.push(b(
                &[code(KeyCode::Esc), k('?'), k('q')],
                Action::Cancel,
                "close help",
                true,
            ));
            v.push(b(UP, Action::Up, "scroll up", false));
            v.push(b(DOWN, Action::Down, "scroll down", false));
            v.push(b(PGUP, Action::PageUp, "page up", true));
            v.push(b(PGDN, Action::PageDown, "page down", true));
            v.push(b(TOP, Action::Top, "top", false));
            v.push(b(BOTTOM, Action::Bottom, "bottom", false));
            v.push(b(&[k('/')], Action::FocusSearch, "search", true));
        }
        Mode::HelpSearch => {
            v.push(b(ENTER, Action::SearchDone, "keep filter", true));
            v.push(b(ESC, Action::SearchClear, "clear", true));
        }
    }
    v
}

/// The dialogs' modes (not typing): `?` there shows the dialog's own keys.
const DIALOG_MODES: [Mode; 9] = [
    Mode::Menu,
    Mode::Dismiss,
    Mode::DismissChoice,
    Mode::Hire,
    Mode::Reassign,
    Mode::WebhookForm,
    Mode::KeyForm,
    Mode::Confirm,
    Mode::Message,
];

/// Keys that work in every pane (not in dialogs or while typing).
fn default_common() -> Vec<Binding> {
    vec![
        b(&[k('?')], Action::Help, "help", true),
        b(&[k('q')], Action::Quit, "quit", true),
        b(TAB, Action::NextPane, "next pane", false),
        b(BACKTAB, Action::PrevPane, "previous pane", false),
        b(&[k('1')], Action::GoTo(Pane::Employees), "Employees", false),
        b(
            &[k('2')],
            Action::GoTo(Pane::Integrations),
            "Integrations",
            false,
        ),
        b(&[k('3')], Action::GoTo(Pane::Audit), "Audit", false),
        b(&[k('4')], Action::GoTo(Pane::Settings), "Settings", false),
        b(&[k('5')], Action::GoTo(Pane::Dashboard), "Dashboard", false),
    ]
}

/// Keys that work whatever the mode, before anything else, even while typing.
fn default_always() -> Vec<Binding> {
    vec![b(&[ctrl('c')], Action::Quit, "quit, always", false)]
}

/// One row of the help overlay or of a table of keys: the key labels and what they do.
pub type HelpRow = (String, &'static str);

/// A line of the help overlay.
#[derive(Debug, Clone, PartialEq)]
pub enum HelpLine {
    Title(&'static str),
    Row(HelpRow),
    Blank,
}

/// The help overlay's lines: every section, or with `query` only the rows whose keys,
/// words or section title contain it (case aside), under their titles.
pub fn help_lines(query: &str) -> Vec<HelpLine> {
    let query = query.trim().to_lowercase();
    let mut out = Vec::new();
    for (title, rows) in help_sections() {
        let in_title = title.to_lowercase().contains(&query);
        let rows: Vec<HelpRow> = rows
            .into_iter()
            .filter(|(keys, help)| {
                query.is_empty()
                    || in_title
                    || keys.to_lowercase().contains(&query)
                    || help.to_lowercase().contains(&query)
            })
            .collect();
        if rows.is_empty() && !query.is_empty() {
            continue;
        }
        out.push(HelpLine::Title(title));
        out.extend(rows.into_iter().map(HelpLine::Row));
        out.push(HelpLine::Blank);
    }
    out
}

/// Every binding, by mode, built once (`Keymap::get`).
#[derive(Debug)]
pub struct Keymap {
    always: Vec<Binding>,
    common: Vec<Binding>,
    /// Indexed by `Mode as usize`.
    modes: Vec<Vec<Binding>>,
    /// The status-bar hints of each mode, sorted by key, indexed like `modes`.
    hints: Vec<Vec<HelpRow>>,
}

static KEYMAP: LazyLock<Keymap> = LazyLock::new(Keymap::defaults);

impl Keymap {
    /// The built-in keys.
    pub fn defaults() -> Keymap {
        Keymap::from_tables(
            default_always(),
            default_common(),
            Mode::ALL
                .iter()
                .map(|m| {
                    let mut v = defaults(*m);
                    if DIALOG_MODES.contains(m) {
                        v.push(b(&[k('?')], Action::Help, "this dialog's keys", false));
                    }
                    v
                })
                .collect(),
        )
    }

    fn from_tables(always: Vec<Binding>, common: Vec<Binding>, modes: Vec<Vec<Binding>>) -> Self {
        let mut map = Keymap {
            always,
            common,
            modes,
            hints: Vec::new(),
        };
        map.hints = Mode::ALL.iter().map(|m| map.build_hints(*m)).collect();
        map
    }

    /// The keymap in use, built on first use.
    pub fn get() -> &'static Keymap {
        &KEYMAP
    }

    /// The bindings of one mode (without the common fallback).
    pub fn bindings(&self, mode: Mode) -> &[Binding] {
        &self.modes[mode as usize]
    }

    /// Keys that work in every pane.
    pub fn common(&self) -> &[Binding] {
        &self.common
    }

    /// The bindings `mode` consults, in order: its own, then the common ones.
    fn reachable(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        let common: &[Binding] = if mode.uses_common() {
            &self.common
        } else {
            &[]
        };
        self.bindings(mode).iter().chain(common)
    }

    /// The action a key press means in `mode`, if any. Ctrl-C always quits; releases
    /// are ignored; in a text field unbound keys go to the field.
    pub fn lookup(&self, mode: Mode, ev: &KeyEvent) -> Option<Action> {
        if ev.kind != KeyEventKind::Press && ev.kind != KeyEventKind::Repeat {
            return None;
        }
        let held = |bd: &&Binding| bd.keys.iter().any(|key| key.held_in(ev));
        if let Some(found) = self.always.iter().find(held) {
            return Some(found.action.clone());
        }
        let pressed = |bd: &&Binding| bd.keys.iter().any(|key| key.matches(ev));
        if let Some(found) = self.bindings(mode).iter().find(pressed) {
            return Some(found.action.clone());
        }
        if mode.is_typing() {
            return Some(Action::Text(*ev));
        }
        if mode.uses_common() {
            return self.common.iter().find(pressed).map(|bd| bd.action.clone());
        }
        None
    }

    /// The keys of the first binding for `action` in `mode` (its own, then the common
    /// ones); empty when nothing is bound to it.
    pub fn keys_for(&self, mode: Mode, action: &Action) -> &[Key] {
        self.reachable(mode)
            .find(|bd| bd.action == *action)
            .map(|bd| bd.keys.as_slice())
            .unwrap_or(&[])
    }

    /// Reverse lookup: the label of the keys for `action` in `mode` ("n/Esc", "y").
    pub fn key_for(&self, mode: Mode, action: &Action) -> Option<String> {
        let keys = self.keys_for(mode, action);
        (!keys.is_empty()).then(|| label_of(keys))
    }

    /// The label of the common key for `action` ("1" for the Employees pane).
    pub fn common_key_for(&self, action: &Action) -> Option<String> {
        self.common
            .iter()
            .find(|bd| bd.action == *action)
            .map(Binding::label)
    }

    fn build_hints(&self, mode: Mode) -> Vec<HelpRow> {
        let mut v: Vec<HelpRow> = self
            .reachable(mode)
            .filter(|bd| bd.hint)
            .map(|bd| (bd.label(), bd.help))
            .collect();
        v.sort_by_key(|a| a.0.to_lowercase());
        v
    }

    /// The status-bar bindings of `mode`, in the order `hints` gives them.
    pub fn hint_bindings(&self, mode: Mode) -> Vec<&Binding> {
        let mut v: Vec<&Binding> = self.reachable(mode).filter(|bd| bd.hint).collect();
        v.sort_by_key(|bd| bd.label().to_lowercase());
        v
    }

    /// "key label: what it does" for the status bar of `mode`, sorted by key.
    pub fn hints(&self, mode: Mode) -> &[HelpRow] {
        &self.hints[mode as usize]
    }

    /// Every key, grouped by where it works, for the help overlay: first the keys of
    /// every pane and those that always work, then each mode's, sorted by key.
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<HelpRow>)> {
        let rows = |list: &[Binding]| -> Vec<HelpRow> {
            list.iter().map(|bd| (bd.label(), bd.help)).collect()
        };
        let mut everywhere = rows(&self.common);
        everywhere.extend(rows(&self.always));
        let mut out = vec![("Everywhere", everywhere)];
        for mode in HELP_ORDER {
            let mut own = rows(self.bindings(mode));
            own.sort_by_key(|a| a.0.to_lowercase());
            out.push((mode.title(), own));
        }
        out
    }

    /// The help overlay's section for `mode` and the line it starts at ("Everywhere"
    /// at 0 for a mode without its own section): help opens there.
    pub fn help_section_of(&self, mode: Mode) -> (&'static str, usize) {
        let mut line = 0;
        for (title, rows) in self.help_sections() {
            if title == mode.title() {
                return (title, line);
            }
            line += rows.len() + 2;
        }
        ("Everywhere", 0)
    }

    /// README's table of keys, in Markdown, from the same tables as the help overlay:
    /// where, keys, what they do; in the keymap's own order, the movement keys every
    /// list shares given once, and modes with the same keys given together.
    pub fn readme_table(&self) -> String {
        let shared: Vec<&Binding> = self
            .bindings(LIST_MODES[0])
            .iter()
            .filter(|bd| LIST_MODES.iter().all(|m| self.bindings(*m).contains(bd)))
            .collect();
        let lists = LIST_MODES.map(Mode::title).join(", ");
        let mut groups: Vec<(Vec<String>, Vec<&Binding>)> = vec![(
            vec!["Everywhere".into()],
            self.common.iter().chain(&self.always).collect(),
        )];
        groups.push((vec![format!("Lists ({lists})")], shared.clone()));
        for mode in HELP_ORDER {
            let own: Vec<&Binding> = self
                .bindings(mode)
                .iter()
                .filter(|bd| !(LIST_MODES.contains(&mode) && shared.contains(bd)))
                .collect();
            if own.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(_, rows)| *rows == own) {
                Some((titles, _)) => titles.push(mode.title().into()),
                None => groups.push((vec![mode.title().into()], own)),
            }
        }
        let mut out = String::from("| where | keys | what they do |\n|---|---|---|\n");
        for (titles, rows) in groups {
            for (i, bd) in rows.iter().enumerate() {
                let place = if i == 0 {
                    titles.join("; ")
                } else {
                    String::new()
                };
                let keys: Vec<String> =
                    bd.keys.iter().map(|k| format!("`{}`", k.label())).collect();
                let row = [place, keys.join(" "), bd.help.to_string()];
                out.push_str(&format!("| {} |\n", row.join(" | ").trim()));
            }
        }
        out
    }
}

/// The bindings of one mode in the keymap in use.
pub fn bindings(mode: Mode) -> &'static [Binding] {
    Keymap::get().bindings(mode)
}

/// The common pane keys of the keymap in use.
pub fn common() -> &'static [Binding] {
    Keymap::get().common()
}

/// What a key press means in `mode` (see `Keymap::lookup`).
pub fn lookup(mode: Mode, ev: &KeyEvent) -> Option<Action> {
    Keymap::get().lookup(mode, ev)
}

/// The label of the keys for `action` in `mode` (see `Keymap::key_for`).
pub fn key_for(mode: Mode, action: &Action) -> Option<String> {
    Keymap::get().key_for(mode, action)
}

/// The status-bar hints of `mode`.
pub fn hints(mode: Mode) -> &'static [HelpRow] {
    Keymap::get().hints(mode)
}

/// The help overlay's sections.
pub fn help_sections() -> Vec<(&'static str, Vec<HelpRow>)> {
    Keymap::get().help_sections()
}

/// README's key table (see `Keymap::readme_table`).
pub fn readme_table() -> String {
    Keymap::get().readme_table()
}
