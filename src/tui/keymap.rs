//! The keymap is data: one `Keymap`, built once, holds per-mode tables with a common
//! fallback. The same tables drive the keys (`lookup`), every key shown on screen
//! (`key_for`: hints, buttons, menu letters, help) and README's key table
//! (`readme_table`), so none of them can disagree with the real keys.

use std::sync::OnceLock;

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
    /// The open (or ticked) offboarding steps across the company.
    Offboarding,
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
    pub const ALL: [Mode; 22] = [
        Mode::Employees,
        Mode::EmployeesSearch,
        Mode::Profile,
        Mode::Integrations,
        Mode::Audit,
        Mode::AuditSearch,
        Mode::Settings,
        Mode::SettingsLocked,
        Mode::Offboarding,
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
            Mode::Offboarding => "Offboarding",
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
                | Mode::Offboarding
                | Mode::Dashboard
        )
    }

    /// The name of the mode's table in the config file (`[keys.employees]`).
    pub fn config_name(self) -> &'static str {
        match self {
            Mode::Employees => "employees",
            Mode::EmployeesSearch => "employees_search",
            Mode::Profile => "profile",
            Mode::Integrations => "integrations",
            Mode::Audit => "audit",
            Mode::AuditSearch => "audit_search",
            Mode::Settings => "settings",
            Mode::SettingsLocked => "settings_locked",
            Mode::Menu => "menu",
            Mode::Dismiss => "dismiss",
            Mode::DismissChoice => "dismiss_choice",
            Mode::Hire => "hire",
            Mode::Reassign => "reassign",
            Mode::WebhookForm => "webhook_form",
            Mode::KeyForm => "key_form",
            Mode::Confirm => "confirm",
            Mode::DialogText => "dialog_text",
            Mode::Message => "message",
            Mode::Help => "help",
            Mode::HelpSearch => "help_search",
            Mode::Offboarding => "offboarding",
            Mode::Dashboard => "dashboard",
        }
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
const HELP_ORDER: [Mode; 21] = [
    Mode::Employees,
    Mode::EmployeesSearch,
    Mode::Profile,
    Mode::Integrations,
    Mode::Audit,
    Mode::Settings,
    Mode::Offboarding,
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
const LIST_MODES: [Mode; 6] = [
    Mode::Employees,
    Mode::Profile,
    Mode::Integrations,
    Mode::Audit,
    Mode::Settings,
    Mode::Offboarding,
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
            other => named(other),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }

    /// The key as the config file writes it: the label, with the arrows by name
    /// ("Up") so that it can be typed.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            _ => {
                let bare = Key {
                    code: self.code,
                    ctrl: false,
                };
                bare.label()
            }
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }

    /// A key from its name in the config file: one character (`x`, `G`, `/`, ` `),
    /// a named key (`Enter`, `Esc`, `Tab`, `Shift-Tab`, `Space`, `Up` or `↑`, `PgDn`,
    /// `Home`, `F1`…; case aside), either after `Ctrl-`. Labels the screen shows are
    /// accepted as they are. None for anything else.
    pub fn parse(name: &str) -> Option<Key> {
        let prefixed = name
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("ctrl-") || p.eq_ignore_ascii_case("ctrl+"));
        let (ctrl, base) = match name.get(5..) {
            Some(rest) if prefixed && !rest.is_empty() => (true, rest),
            _ => (false, name),
        };
        let mut chars = base.chars();
        let code = match (chars.next(), chars.next()) {
            (Some('↑'), None) => KeyCode::Up,
            (Some('↓'), None) => KeyCode::Down,
            (Some('←'), None) => KeyCode::Left,
            (Some('→'), None) => KeyCode::Right,
            (Some(c), None) if c.is_control() => return None,
            // Terminals report Ctrl with a letter as the small letter.
            (Some(c), None) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            (Some(c), None) => KeyCode::Char(c),
            _ => match base.to_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "shift-tab" | "shift+tab" | "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "backspace" => KeyCode::Backspace,
                "del" | "delete" => KeyCode::Delete,
                "ins" | "insert" => KeyCode::Insert,
                other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n @ 1..=12) => KeyCode::F(n),
                    _ => return None,
                },
            },
        };
        Some(Key { code, ctrl })
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

/// The label of a key without a label of its own above.
fn named(code: KeyCode) -> String {
    match code {
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        other => format!("{other:?}"),
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

    /// The action's name in the config file: the words help shows, joined by `_`.
    pub fn name(&self) -> String {
        action_name(self.help)
    }
}

/// The config file's name for an action from the words help shows for it: small
/// letters, a remark in brackets, apostrophes and hyphens dropped, every other run of
/// signs one `_` ("open profile" → `open_profile`, "copy e-mail" → `copy_email`,
/// "add SSH key (Keys)" → `add_ssh_key`, "quit, always" → `quit_always`).
pub fn action_name(help: &str) -> String {
    let bare = match help.find(" (") {
        Some(at) => &help[..at],
        None => help,
    };
    let kept: String = bare
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '-'))
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join("_")
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
            // Short: the profile's status bar is nearly full at 100 columns.
            v.push(b(SPACE, Action::TickStep, "tick", true));
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
        Mode::Offboarding => {
            v.extend(movement());
            v.push(b(SPACE, Action::TickStep, "tick done / reopen", true));
            v.push(b(ENTER, Action::Open, "open profile", true));
            v.push(b(&[k('m')], Action::ToggleMine, "mine / everyone's", true));
            v.push(b(&[k('f')], Action::ToggleDoneSteps, "open / done", true));
        }
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
        b(
            &[k('5')],
            Action::GoTo(Pane::Offboarding),
            "Offboarding",
            false,
        ),
        b(&[k('6')], Action::GoTo(Pane::Dashboard), "Dashboard", false),
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
    let mouse = (super::mouse::HELP_TITLE, super::mouse::help_rows());
    for (title, rows) in help_sections().into_iter().chain([mouse]) {
        let in_title = title.to_lowercase().contains(&query);
        let rows: Vec<HelpRow> = rows
            .into_iter()
            .filter(|(keys, help)| {
                query.is_empty()
                    || in_title
                    || keys.to_lowercase().contains(&query)
                    || help.to_lowercase().contains(&query)
                    || action_name(help).contains(&query)
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

/// Every binding, by mode: the built-in keys with the config file's overrides, built
/// once at start (`install`, else the defaults on first use; `Keymap::get`).
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    always: Vec<Binding>,
    common: Vec<Binding>,
    /// Indexed by `Mode as usize`.
    modes: Vec<Vec<Binding>>,
    /// The status-bar hints of each mode, sorted by key, indexed like `modes`.
    hints: Vec<Vec<HelpRow>>,
}

static KEYMAP: OnceLock<Keymap> = OnceLock::new();

/// Make `map` the keymap of this process, before the first key is looked up or shown
/// (main does it with the config file's keys, before the terminal is touched). Gives
/// `map` back when a keymap is in use already.
pub fn install(map: Keymap) -> std::result::Result<(), Box<Keymap>> {
    KEYMAP.set(map).map_err(Box::new)
}

/// The config file's table of the keys that work in every pane (and Ctrl-C's).
pub const GLOBAL_TABLE: &str = "global";

/// The action that stays bound to Ctrl-C whatever the config file says.
const CTRL_C: Key = ctrl('c');

/// The name of the table in `[keys.NAME]` for every mode that has keys of its own,
/// after `global`.
pub fn table_names() -> Vec<&'static str> {
    let defaults = Keymap::defaults();
    std::iter::once(GLOBAL_TABLE)
        .chain(
            Mode::ALL
                .iter()
                .filter(|m| !defaults.bindings(**m).is_empty())
                .map(|m| m.config_name()),
        )
        .collect()
}

/// An action's name in the config file and its keys.
pub type NamedKeys = (String, Vec<Key>);

/// The config table of a help section, by its title: `global` for "Everywhere".
pub fn table_of(title: &str) -> &'static str {
    Mode::ALL
        .iter()
        .find(|m| m.title() == title)
        .map_or(GLOBAL_TABLE, |m| m.config_name())
}

/// One line of a `[keys.TABLE]` table of the config file: `ACTION = KEYS`.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyOverride {
    pub table: String,
    pub action: String,
    pub keys: Vec<String>,
}

/// Why overrides were refused: which of them (its index in the list given; none when
/// no single line is to blame) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideError {
    pub entry: Option<usize>,
    pub message: String,
}

/// Where a binding lives in a `Keymap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Always(usize),
    Common(usize),
    Own(Mode, usize),
}

/// The name of a table for a message: `[keys.employees]`.
fn table_shown(name: &str) -> String {
    format!("[keys.{name}]")
}

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

    /// The keymap in use: the one installed, else the defaults.
    pub fn get() -> &'static Keymap {
        KEYMAP.get_or_init(Keymap::defaults)
    }

    fn binding(&self, slot: Slot) -> &Binding {
        match slot {
            Slot::Always(i) => &self.always[i],
            Slot::Common(i) => &self.common[i],
            Slot::Own(m, i) => &self.modes[m as usize][i],
        }
    }

    fn binding_mut(&mut self, slot: Slot) -> &mut Binding {
        match slot {
            Slot::Always(i) => &mut self.always[i],
            Slot::Common(i) => &mut self.common[i],
            Slot::Own(m, i) => &mut self.modes[m as usize][i],
        }
    }

    /// The bindings of one config table, with where each lives: `global` holds the
    /// pane keys and Ctrl-C's, a mode's table its own keys.
    fn table(&self, name: &str) -> Option<Vec<Slot>> {
        if name == GLOBAL_TABLE {
            let common = (0..self.common.len()).map(Slot::Common);
            return Some(
                common
                    .chain((0..self.always.len()).map(Slot::Always))
                    .collect(),
            );
        }
        let mode = *Mode::ALL.iter().find(|m| m.config_name() == name)?;
        let own = self.bindings(mode);
        (!own.is_empty()).then(|| (0..own.len()).map(|i| Slot::Own(mode, i)).collect())
    }

    /// Every config table with its actions' names and keys, in the order help lists
    /// them: what `offboard config show` prints.
    pub fn tables(&self) -> Vec<(&'static str, Vec<NamedKeys>)> {
        table_names()
            .into_iter()
            .filter_map(|name| {
                let slots = self.table(name)?;
                let rows = slots
                    .into_iter()
                    .map(|slot| {
                        let bd = self.binding(slot);
                        (bd.name(), bd.keys.clone())
                    })
                    .collect();
                Some((name, rows))
            })
            .collect()
    }

    /// The defaults with `overrides` applied: each replaces the keys of one action of
    /// one table (an empty list unbinds it). Refused, naming the override to blame: an
    /// unknown table, action or key name; Ctrl-C taken from quitting; a plain
    /// character where it would be typed into a field instead; and two actions on one
    /// key where both would be looked up (in a mode, its own keys, the pane keys when
    /// it is a pane, and Ctrl-C's).
    pub fn with_overrides(overrides: &[KeyOverride]) -> Result<Keymap, OverrideError> {
        let mut map = Keymap::defaults();
        let mut from: std::collections::HashMap<Slot, usize> = Default::default();
        for (i, o) in overrides.iter().enumerate() {
            let refuse = |message: String| OverrideError {
                entry: Some(i),
                message,
            };
            let Some(slots) = map.table(&o.table) else {
                return Err(refuse(format!(
                    "unknown table {}: the tables are {}",
                    table_shown(&o.table),
                    table_names().join(", ")
                )));
            };
            let Some(slot) = slots
                .iter()
                .copied()
                .find(|s| map.binding(*s).name() == o.action)
            else {
                let names: Vec<String> = slots.iter().map(|s| map.binding(*s).name()).collect();
                return Err(refuse(format!(
                    "unknown action \"{}\" in {}: its actions are {}",
                    o.action,
                    table_shown(&o.table),
                    names.join(", ")
                )));
            };
            let mut keys: Vec<Key> = Vec::new();
            for name in &o.keys {
                let Some(key) = Key::parse(name) else {
                    return Err(refuse(format!(
                        "unknown key name \"{name}\" for {}: a key is one character, Enter, \
                         Esc, Tab, Shift-Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End, \
                         Backspace, Del, Ins or F1 to F12, each also after Ctrl-",
                        o.action
                    )));
                };
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            let typed_into = match slot {
                Slot::Always(_) => Some("it works while typing in a field"),
                Slot::Own(m, _) if m.is_typing() => Some("this table's keys work in a text field"),
                _ => None,
            };
            if let (Some(why), Some(plain)) =
                (typed_into, keys.iter().find(|k| k.is_char() && !k.ctrl))
            {
                return Err(refuse(format!(
                    "\"{}\" cannot be bound to {} in {}: {why}, where a character is typed; \
                     use a named key or Ctrl-",
                    plain.name(),
                    o.action,
                    table_shown(&o.table)
                )));
            }
            if map.binding(slot).keys.contains(&CTRL_C) && !keys.contains(&CTRL_C) {
                return Err(refuse(format!(
                    "{} must keep Ctrl-c: Ctrl-c always quits, whatever else is bound",
                    o.action
                )));
            }
            map.binding_mut(slot).keys = keys;
            from.insert(slot, i);
        }
        map.check_clashes(&from)?;
        let (always, common, modes) = (map.always, map.common, map.modes);
        Ok(Keymap::from_tables(always, common, modes))
    }

    /// Two bindings that one key press could mean, where it is looked up.
    fn check_clashes(
        &self,
        from: &std::collections::HashMap<Slot, usize>,
    ) -> Result<(), OverrideError> {
        let always = (0..self.always.len()).map(Slot::Always);
        let common = || (0..self.common.len()).map(Slot::Common);
        let mut scopes: Vec<(Option<Mode>, Vec<Slot>)> =
            vec![(None, always.clone().chain(common()).collect())];
        for mode in Mode::ALL {
            let own = (0..self.bindings(mode).len()).map(|i| Slot::Own(mode, i));
            let mut slots: Vec<Slot> = always.clone().chain(own).collect();
            if mode.uses_common() {
                slots.extend(common());
            }
            scopes.push((Some(mode), slots));
        }
        let place = |slot: Slot| match slot {
            Slot::Own(m, _) => table_shown(m.config_name()),
            _ => table_shown(GLOBAL_TABLE),
        };
        for (_, slots) in scopes {
            let mut seen: Vec<(Key, Slot)> = Vec::new();
            for slot in slots {
                for key in &self.binding(slot).keys {
                    if let Some((_, first)) = seen.iter().find(|(k, s)| k == key && *s != slot) {
                        let (a, b) = (self.binding(*first), self.binding(slot));
                        let (pa, pb) = (place(*first), place(slot));
                        let both = if pa == pb {
                            format!("{} and {} in {pa}", a.name(), b.name())
                        } else {
                            format!("{} in {pa} and {} in {pb}", a.name(), b.name())
                        };
                        // Blame the later line of the two that were overridden.
                        let entry = [from.get(first), from.get(&slot)]
                            .into_iter()
                            .flatten()
                            .max()
                            .copied();
                        return Err(OverrideError {
                            entry,
                            message: format!(
                                "two actions on one key: \"{}\" would mean both {both}",
                                key.name()
                            ),
                        });
                    }
                    seen.push((*key, slot));
                }
            }
        }
        Ok(())
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
            .filter(|bd| bd.hint && !bd.keys.is_empty())
            .map(|bd| (bd.label(), bd.help))
            .collect();
        v.sort_by_key(|a| a.0.to_lowercase());
        v
    }

    /// The status-bar bindings of `mode`, in the order `hints` gives them.
    pub fn hint_bindings(&self, mode: Mode) -> Vec<&Binding> {
        let mut v: Vec<&Binding> = self
            .reachable(mode)
            .filter(|bd| bd.hint && !bd.keys.is_empty())
            .collect();
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
            list.iter()
                .map(|bd| match bd.keys.is_empty() {
                    // Unbound by the config file: still listed, so help says so.
                    true => ("(no key)".to_string(), bd.help),
                    false => (bd.label(), bd.help),
                })
                .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_are_helps_words_joined() {
        for (help, name) in [
            ("open profile", "open_profile"),
            ("quit, always", "quit_always"),
            ("copy e-mail", "copy_email"),
            ("add SSH key (Keys)", "add_ssh_key"),
            ("reassign…", "reassign"),
            ("keep integrations & dismiss", "keep_integrations_dismiss"),
            ("toggle / choose", "toggle_choose"),
            ("this dialog's keys", "this_dialogs_keys"),
            ("Employees", "employees"),
        ] {
            assert_eq!(action_name(help), name, "{help}");
        }
    }

    /// A name picks one action: no two bindings of a table share one.
    #[test]
    fn every_table_names_each_action_once() {
        let map = Keymap::defaults();
        for (table, rows) in map.tables() {
            let mut names: Vec<&String> = rows.iter().map(|(n, _)| n).collect();
            let all = names.len();
            names.sort();
            names.dedup();
            assert_eq!(
                names.len(),
                all,
                "[keys.{table}] has a name twice: {rows:?}"
            );
            assert!(rows.iter().all(|(n, _)| !n.is_empty()), "{table}");
        }
        assert_eq!(map.tables().len(), table_names().len());
    }

    /// The built-in keys pass the same checks as a config file's: no overrides give
    /// exactly the defaults.
    #[test]
    fn the_defaults_have_no_clash() {
        assert_eq!(Keymap::with_overrides(&[]), Ok(Keymap::defaults()));
    }

    /// Every key the screen shows, by its label or its config name, reads back as itself.
    #[test]
    fn labels_and_names_parse_back() {
        let map = Keymap::defaults();
        for (_, rows) in map.tables() {
            for (_, keys) in rows {
                for key in keys {
                    assert_eq!(Key::parse(&key.label()), Some(key), "{}", key.label());
                    assert_eq!(Key::parse(&key.name()), Some(key), "{}", key.name());
                }
            }
        }
        assert_eq!(Key::parse("ctrl+X"), Some(ctrl('x')));
        assert_eq!(
            Key::parse("Ctrl-Up"),
            Some(Key {
                code: KeyCode::Up,
                ctrl: true
            })
        );
        assert_eq!(Key::parse("pagedown"), Some(code(KeyCode::PageDown)));
        assert_eq!(Key::parse(" "), Some(k(' ')));
        assert_eq!(Key::parse("F12"), Some(code(KeyCode::F(12))));
        assert_eq!(Key::parse("-"), Some(k('-')));
        assert_eq!(Key::parse("Ctrl-"), None);
        for bad in ["", "F13", "Hyper-x", "xy", "\u{1b}", "Ctrl-"] {
            assert_eq!(Key::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_override_replaces_one_actions_keys() {
        let o = |table: &str, action: &str, keys: &[&str]| KeyOverride {
            table: table.into(),
            action: action.into(),
            keys: keys.iter().map(|s| s.to_string()).collect(),
        };
        let map = Keymap::with_overrides(&[
            o("employees", "row_menu", &["M", "F2"]),
            o("global", "quit_always", &["Ctrl-c", "Ctrl-q"]),
            o("profile", "copy_login", &[]),
            o("employees", "search", &[]),
        ])
        .expect("overrides");
        let press = |code: KeyCode, m: KeyModifiers| KeyEvent::new(code, m);
        let none = KeyModifiers::NONE;
        assert_eq!(
            map.lookup(Mode::Employees, &press(KeyCode::Char('m'), none)),
            None
        );
        assert_eq!(
            map.lookup(
                Mode::Employees,
                &press(KeyCode::Char('M'), KeyModifiers::SHIFT)
            ),
            Some(Action::RowMenu)
        );
        assert_eq!(
            map.lookup(Mode::Employees, &press(KeyCode::F(2), none)),
            Some(Action::RowMenu)
        );
        assert_eq!(
            map.key_for(Mode::Employees, &Action::RowMenu).as_deref(),
            Some("M/F2")
        );
        // Ctrl-Q quits everywhere, typing included.
        let ctrl_q = press(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(map.lookup(Mode::DialogText, &ctrl_q), Some(Action::Quit));
        assert_eq!(
            map.lookup(Mode::Profile, &press(KeyCode::Char('c'), none)),
            None
        );
        // Hints are rebuilt from the new keys.
        assert!(
            map.hints(Mode::Employees)
                .iter()
                .any(|(k, h)| k == "M/F2" && *h == "row menu")
        );
        // An unbound action leaves the status bar, and help says it has no key.
        assert!(
            !map.hints(Mode::Employees)
                .iter()
                .any(|(_, h)| *h == "search")
        );
        let sections = map.help_sections();
        let (_, employees) = sections.iter().find(|(t, _)| *t == "Employees").unwrap();
        assert!(employees.contains(&("(no key)".to_string(), "search")));
        // Nothing else moved.
        let defaults = Keymap::defaults();
        assert_eq!(
            map.bindings(Mode::Integrations),
            defaults.bindings(Mode::Integrations)
        );
    }
}
