//! The keymap is data: per-mode tables with a common fallback. The same tables drive
//! the keys, the `?` help and the status-bar hints, so they cannot disagree.

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
    Menu,
    /// Dismissing someone who owns no active integrations.
    Dismiss,
    /// Dismissing someone who owns active integrations: keep or disable.
    DismissChoice,
    Hire,
    Reassign,
    WebhookForm,
    Confirm,
    /// A text field inside a dialog has focus.
    DialogText,
    Message,
    Help,
}

impl Mode {
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
            Mode::Hire => "Hire dialog",
            Mode::Reassign => "Reassign dialog",
            Mode::WebhookForm => "Webhook dialog",
            Mode::Confirm => "Confirmation",
            Mode::DialogText => "Text field in a dialog",
            Mode::Message => "Messages",
            Mode::Help => "Help",
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
        )
    }

    /// Modes whose letters go to a text field.
    pub fn is_typing(self) -> bool {
        matches!(
            self,
            Mode::EmployeesSearch | Mode::AuditSearch | Mode::DialogText
        )
    }
}

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

    fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl || ev.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        // SHIFT is ignored on character keys: the character already carries it.
        match (self.code, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b,
            (a, b) => a == b,
        }
    }
}

/// One row of the keymap.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the status bar when the mode is active.
    pub hint: bool,
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
fn push_scroll_keys(v: &mut Vec<Binding>) {
    v.push(b(&[code(KeyCode::Up)], Action::Up, "scroll up", false));
    v.push(b(
        &[code(KeyCode::Down)],
        Action::Down,
        "scroll down",
        false,
    ));
    v.push(b(PGUP, Action::PageUp, "scroll a page up", false));
    v.push(b(PGDN, Action::PageDown, "scroll a page down", false));
}

/// The bindings of one mode (without the common fallback).
pub fn bindings(mode: Mode) -> Vec<Binding> {
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
            v.push(b(&[k('r')], Action::MenuReassign, "reassign…", false));
            v.push(b(SPACE, Action::Toggle, "mark", true));
            v.push(b(ESC, Action::Back, "clear search", false));
        }
        Mode::EmployeesSearch | Mode::AuditSearch => {
            v.push(b(ENTER, Action::SearchDone, "keep filter", true));
            v.push(b(ESC, Action::SearchClear, "clear", true));
            v.push(b(
                &[code(KeyCode::Down)],
                Action::SearchDone,
                "to the list",
                false,
            ));
        }
        Mode::Profile => {
            v.extend(movement());
            v.push(b(LEFT, Action::PrevSection, "previous section", true));
            v.push(b(RIGHT, Action::NextSection, "next section", true));
            v.push(b(&[k('a')], Action::ActionsMenu, "actions", true));
            v.push(b(ESC, Action::Back, "back", true));
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
            v.push(b(ESC, Action::Back, "clear search", false));
        }
        Mode::SettingsLocked => {}
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
            push_scroll_keys(&mut v);
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
            push_scroll_keys(&mut v);
        }
        Mode::Reassign | Mode::WebhookForm => {
            v.push(b(&[k('y')], Action::Confirm, "confirm", true));
            v.push(b(CANCEL, Action::Cancel, "cancel", true));
            v.push(b(TAB, Action::FocusNext, "next field", true));
            v.push(b(BACKTAB, Action::FocusPrev, "previous field", false));
            v.push(b(SPACE, Action::Toggle, "tick the focused box", true));
            v.push(b(
                &[code(KeyCode::Up)],
                Action::Up,
                "previous candidate",
                false,
            ));
            v.push(b(
                &[code(KeyCode::Down)],
                Action::Down,
                "next candidate",
                false,
            ));
            v.push(b(ARROW_LEFT, Action::Left, "previous button", false));
            v.push(b(ARROW_RIGHT, Action::Right, "next button", false));
            v.push(b(ENTER, Action::Open, "press focused", true));
        }
        Mode::DialogText => {
            v.push(b(TAB, Action::FocusNext, "next field", true));
            v.push(b(BACKTAB, Action::FocusPrev, "previous field", false));
            v.push(b(
                &[code(KeyCode::Up)],
                Action::Up,
                "previous candidate",
                false,
            ));
            v.push(b(
                &[code(KeyCode::Down)],
                Action::Down,
                "next candidate",
                false,
            ));
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
        }
    }
    v
}

/// Keys that work in every pane (not in dialogs or while typing).
pub fn common() -> Vec<Binding> {
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
    ]
}

/// The action a key press means in `mode`, if any. Ctrl-C always quits; releases and
/// repeats of other kinds are ignored; in a text field unbound keys go to the field.
pub fn lookup(mode: Mode, ev: &KeyEvent) -> Option<Action> {
    if ev.kind != KeyEventKind::Press && ev.kind != KeyEventKind::Repeat {
        return None;
    }
    if ev.modifiers.contains(KeyModifiers::CONTROL) && ev.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    let own = bindings(mode);
    if let Some(found) = own
        .iter()
        .find(|bd| bd.keys.iter().any(|key| key.matches(ev)))
    {
        return Some(found.action.clone());
    }
    if mode.is_typing() {
        return Some(Action::Text(*ev));
    }
    if mode.uses_common()
        && let Some(found) = common()
            .iter()
            .find(|bd| bd.keys.iter().any(|key| key.matches(ev)))
    {
        return Some(found.action.clone());
    }
    None
}

/// "key label: what it does" for the status bar of `mode`, sorted by key.
pub fn hints(mode: Mode) -> Vec<(String, &'static str)> {
    let mut v: Vec<(String, &'static str)> = bindings(mode)
        .into_iter()
        .filter(|bd| bd.hint)
        .map(|bd| {
            (
                bd.keys.iter().map(Key::label).collect::<Vec<_>>().join("/"),
                bd.help,
            )
        })
        .collect();
    if mode.uses_common() {
        v.extend(common().into_iter().filter(|bd| bd.hint).map(|bd| {
            (
                bd.keys.iter().map(Key::label).collect::<Vec<_>>().join("/"),
                bd.help,
            )
        }));
    }
    v.sort_by_key(|a| a.0.to_lowercase());
    v
}

/// Every key, grouped by mode, for the help overlay.
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let mut out = vec![("Everywhere", {
        let mut v: Vec<(String, &'static str)> = common()
            .into_iter()
            .map(|bd| {
                (
                    bd.keys.iter().map(Key::label).collect::<Vec<_>>().join("/"),
                    bd.help,
                )
            })
            .collect();
        v.push(("Ctrl-c".into(), "quit, always"));
        v
    })];
    for mode in [
        Mode::Employees,
        Mode::EmployeesSearch,
        Mode::Profile,
        Mode::Integrations,
        Mode::Audit,
        Mode::Settings,
        Mode::AuditSearch,
        Mode::Menu,
        Mode::Dismiss,
        Mode::DismissChoice,
        Mode::Hire,
        Mode::Reassign,
        Mode::WebhookForm,
        Mode::Confirm,
        Mode::DialogText,
        Mode::Message,
    ] {
        let mut rows: Vec<(String, &'static str)> = bindings(mode)
            .into_iter()
            .map(|bd| {
                (
                    bd.keys.iter().map(Key::label).collect::<Vec<_>>().join("/"),
                    bd.help,
                )
            })
            .collect();
        rows.sort_by_key(|a| a.0.to_lowercase());
        out.push((mode.title(), rows));
    }
    out
}
