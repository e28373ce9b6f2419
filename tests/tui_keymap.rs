//! The keymap as tables: which key means which action in which mode, and that the
//! status-bar hints and the help overlay are generated from the same bindings.

use offboard::tui::Action;
use offboard::tui::app::Pane;
use offboard::tui::keymap::{
    self, Key, Keymap, Mode, bindings, common, help_sections, hints, key_for, lookup,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Every mode; the match makes the compiler point here when a mode is added.
fn all_modes() -> Vec<Mode> {
    let v = vec![
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
    for m in &v {
        match m {
            Mode::Employees
            | Mode::EmployeesSearch
            | Mode::Profile
            | Mode::Integrations
            | Mode::Audit
            | Mode::AuditSearch
            | Mode::Settings
            | Mode::SettingsLocked
            | Mode::Offboarding
            | Mode::Dashboard
            | Mode::Menu
            | Mode::Dismiss
            | Mode::DismissChoice
            | Mode::Hire
            | Mode::Reassign
            | Mode::WebhookForm
            | Mode::KeyForm
            | Mode::Confirm
            | Mode::DialogText
            | Mode::Message
            | Mode::Help
            | Mode::HelpSearch => {}
        }
    }
    v
}

/// The modes of the panes (where the common keys work), with their search fields.
const PANE_MODES: [Mode; 10] = [
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
];

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyCode {
    KeyCode::Char(c)
}

#[track_caller]
fn check(mode: Mode, table: &[(KeyCode, Action)]) {
    for (code, action) in table {
        assert_eq!(
            lookup(mode, &press(*code)),
            Some(action.clone()),
            "{mode:?}: {code:?}"
        );
    }
}

#[test]
fn employees_list_keys() {
    check(
        Mode::Employees,
        &[
            (ch('j'), Action::Down),
            (ch('k'), Action::Up),
            (KeyCode::Down, Action::Down),
            (KeyCode::Up, Action::Up),
            (ch('g'), Action::Top),
            (ch('G'), Action::Bottom),
            (KeyCode::Home, Action::Top),
            (KeyCode::End, Action::Bottom),
            (KeyCode::PageUp, Action::PageUp),
            (KeyCode::PageDown, Action::PageDown),
            (KeyCode::Enter, Action::Open),
            (ch('/'), Action::FocusSearch),
            (ch('m'), Action::RowMenu),
            (ch('f'), Action::CycleStatusFilter),
            (ch('o'), Action::ToggleBacklog),
            (KeyCode::Esc, Action::Back),
            (ch('q'), Action::Quit),
            (ch('?'), Action::Help),
            (KeyCode::Tab, Action::NextPane),
            (KeyCode::BackTab, Action::PrevPane),
            (ch('1'), Action::GoTo(Pane::Employees)),
            (ch('2'), Action::GoTo(Pane::Integrations)),
            (ch('3'), Action::GoTo(Pane::Audit)),
            (ch('4'), Action::GoTo(Pane::Settings)),
            (ch('5'), Action::GoTo(Pane::Offboarding)),
            (ch('6'), Action::GoTo(Pane::Dashboard)),
        ],
    );
    // Dialog letters mean nothing on the list.
    for c in ['y', 'x', 'n', 'a'] {
        assert_eq!(lookup(Mode::Employees, &press(ch(c))), None, "{c}");
    }
}

#[test]
fn employees_search_field_takes_letters() {
    check(
        Mode::EmployeesSearch,
        &[
            (KeyCode::Enter, Action::SearchDone),
            (KeyCode::Esc, Action::SearchClear),
            (KeyCode::Down, Action::SearchDone),
        ],
    );
    for c in ['a', 'q', 'j', 'k', 'm', '?', '1', '/', 'G', ' '] {
        let ev = press(ch(c));
        assert_eq!(
            lookup(Mode::EmployeesSearch, &ev),
            Some(Action::Text(ev)),
            "{c:?} is typed into the search field"
        );
    }
    assert_ne!(
        lookup(Mode::EmployeesSearch, &press(ch('q'))),
        Some(Action::Quit),
        "q is not Quit while typing"
    );
    let bs = press(KeyCode::Backspace);
    assert_eq!(lookup(Mode::EmployeesSearch, &bs), Some(Action::Text(bs)));
    // Tab does not switch panes from inside the field.
    assert_ne!(
        lookup(Mode::EmployeesSearch, &press(KeyCode::Tab)),
        Some(Action::NextPane)
    );
}

#[test]
fn audit_search_field_is_like_the_employees_one() {
    check(
        Mode::AuditSearch,
        &[
            (KeyCode::Enter, Action::SearchDone),
            (KeyCode::Esc, Action::SearchClear),
        ],
    );
    let ev = press(ch('q'));
    assert_eq!(lookup(Mode::AuditSearch, &ev), Some(Action::Text(ev)));
    check(
        Mode::Audit,
        &[
            (ch('/'), Action::FocusSearch),
            (ch('j'), Action::Down),
            (ch('q'), Action::Quit),
        ],
    );
}

#[test]
fn profile_keys() {
    check(
        Mode::Profile,
        &[
            (ch('h'), Action::PrevSection),
            (ch('l'), Action::NextSection),
            (KeyCode::Left, Action::PrevSection),
            (KeyCode::Right, Action::NextSection),
            (ch('a'), Action::ActionsMenu),
            (KeyCode::Esc, Action::Back),
            (ch('j'), Action::Down),
            (ch('k'), Action::Up),
            (ch('g'), Action::Top),
            (ch('G'), Action::Bottom),
            (KeyCode::PageDown, Action::PageDown),
            (KeyCode::PageUp, Action::PageUp),
            (ch('q'), Action::Quit),
            (ch('?'), Action::Help),
            (ch('2'), Action::GoTo(Pane::Integrations)),
            (ch(' '), Action::TickStep),
        ],
    );
}

#[test]
fn offboarding_pane_keys() {
    check(
        Mode::Offboarding,
        &[
            (ch(' '), Action::TickStep),
            (KeyCode::Enter, Action::Open),
            (ch('m'), Action::ToggleMine),
            (ch('f'), Action::ToggleDoneSteps),
            (ch('j'), Action::Down),
            (ch('k'), Action::Up),
            (ch('G'), Action::Bottom),
            (KeyCode::PageDown, Action::PageDown),
            (ch('q'), Action::Quit),
            (ch('?'), Action::Help),
            (ch('1'), Action::GoTo(Pane::Employees)),
        ],
    );
    // Every pane reaches it by its number.
    for mode in [
        Mode::Employees,
        Mode::Profile,
        Mode::Integrations,
        Mode::Audit,
        Mode::Settings,
    ] {
        assert_eq!(
            lookup(mode, &press(ch('5'))),
            Some(Action::GoTo(Pane::Offboarding)),
            "{mode:?}"
        );
    }
}

#[test]
fn integrations_and_settings_keys() {
    check(
        Mode::Integrations,
        &[
            (ch('c'), Action::CreateWebhook),
            (ch('e'), Action::EditWebhook),
            (KeyCode::Enter, Action::EditWebhook),
            (ch('x'), Action::DisableWebhook),
            (ch('u'), Action::EnableWebhook),
            (ch('r'), Action::RegenerateWebhook),
            (ch('f'), Action::ToggleIntegrationFilter),
            (ch('j'), Action::Down),
            (ch('q'), Action::Quit),
        ],
    );
    check(
        Mode::Settings,
        &[
            (ch(' '), Action::Toggle),
            (KeyCode::Enter, Action::Toggle),
            (ch('s'), Action::ToggleShowDismissed),
            (ch('+'), Action::Grant),
            (ch('-'), Action::Revoke),
            (ch('k'), Action::Up),
            (ch('1'), Action::GoTo(Pane::Employees)),
        ],
    );
}

#[test]
fn menu_keys() {
    check(
        Mode::Menu,
        &[
            (ch('p'), Action::MenuProfile),
            (ch('d'), Action::MenuDismiss),
            (ch('h'), Action::MenuHire),
            (ch('r'), Action::MenuReassign),
            (ch('j'), Action::Down),
            (ch('k'), Action::Up),
            (KeyCode::Down, Action::Down),
            (KeyCode::Up, Action::Up),
            (KeyCode::Enter, Action::Open),
            (KeyCode::Esc, Action::Cancel),
        ],
    );
    // A menu owns the keys: no pane switching or quitting by letter underneath it.
    assert_eq!(lookup(Mode::Menu, &press(ch('2'))), None);
    assert_eq!(lookup(Mode::Menu, &press(KeyCode::Tab)), None);
}

#[test]
fn dismiss_dialog_keys() {
    // Someone without active integrations: y dismisses.
    check(
        Mode::Dismiss,
        &[
            (ch('y'), Action::Confirm),
            (ch('r'), Action::ReassignFirst),
            (ch('n'), Action::Cancel),
            (KeyCode::Esc, Action::Cancel),
            (KeyCode::Tab, Action::FocusNext),
            (KeyCode::BackTab, Action::FocusPrev),
            (KeyCode::Left, Action::Left),
            (KeyCode::Right, Action::Right),
            (KeyCode::Enter, Action::Open),
        ],
    );
    assert_eq!(
        lookup(Mode::Dismiss, &press(ch('k'))),
        None,
        "no keep without integrations"
    );
    // Someone with active integrations: keep or disable, never a plain y.
    check(
        Mode::DismissChoice,
        &[
            (ch('k'), Action::Keep),
            (ch('x'), Action::DisableAll),
            (ch('r'), Action::ReassignFirst),
            (ch('n'), Action::Cancel),
            (KeyCode::Esc, Action::Cancel),
            (KeyCode::Enter, Action::Open),
        ],
    );
    assert_eq!(
        lookup(Mode::DismissChoice, &press(ch('y'))),
        None,
        "a choice is needed"
    );
    assert_eq!(
        lookup(Mode::Dismiss, &press(ch('q'))),
        None,
        "q does nothing in a dialog"
    );
}

#[test]
fn dashboard_keys() {
    check(
        Mode::Dashboard,
        &[
            (ch('o'), Action::ToggleBacklog),
            (ch('?'), Action::Help),
            (ch('q'), Action::Quit),
            (KeyCode::Tab, Action::NextPane),
            (KeyCode::BackTab, Action::PrevPane),
            (ch('1'), Action::GoTo(Pane::Employees)),
            (ch('5'), Action::GoTo(Pane::Offboarding)),
            (ch('6'), Action::GoTo(Pane::Dashboard)),
        ],
    );
    // Nothing to move through: the list keys are not the dashboard's.
    assert_eq!(lookup(Mode::Dashboard, &press(ch('j'))), None);
    assert!(
        hints(Mode::Dashboard)
            .iter()
            .any(|(k, h)| k == "o" && *h == "who still owns work")
    );
}

#[test]
fn settings_keys_only_for_administrators() {
    assert_eq!(
        lookup(Mode::Settings, &press(ch('s'))),
        Some(Action::ToggleShowDismissed)
    );
    assert_eq!(lookup(Mode::SettingsLocked, &press(ch('s'))), None);
    assert!(
        hints(Mode::SettingsLocked)
            .iter()
            .all(|(_, h)| *h != "show dismissed")
    );
    assert_eq!(
        lookup(Mode::SettingsLocked, &press(ch('q'))),
        Some(Action::Quit)
    );
}

#[test]
fn hire_dialog_keys() {
    check(
        Mode::Hire,
        &[
            (ch('y'), Action::Confirm),
            (ch('n'), Action::Cancel),
            (KeyCode::Esc, Action::Cancel),
            (ch('t'), Action::Toggle),
            (ch(' '), Action::Toggle),
            (KeyCode::Tab, Action::FocusNext),
            (KeyCode::BackTab, Action::FocusPrev),
            (KeyCode::Left, Action::Left),
            (KeyCode::Right, Action::Right),
            (KeyCode::Enter, Action::Open),
        ],
    );
}

#[test]
fn other_dialog_keys() {
    for mode in [Mode::Reassign, Mode::WebhookForm] {
        check(
            mode,
            &[
                (ch('y'), Action::Confirm),
                (ch('n'), Action::Cancel),
                (KeyCode::Esc, Action::Cancel),
                (KeyCode::Tab, Action::FocusNext),
                (KeyCode::BackTab, Action::FocusPrev),
                (ch(' '), Action::Toggle),
                (KeyCode::Enter, Action::Open),
            ],
        );
    }
    check(
        Mode::Confirm,
        &[
            (ch('y'), Action::Confirm),
            (ch('n'), Action::Cancel),
            (KeyCode::Esc, Action::Cancel),
            (KeyCode::Tab, Action::FocusNext),
            (KeyCode::Enter, Action::Open),
        ],
    );
    check(
        Mode::Message,
        &[
            (KeyCode::Enter, Action::Cancel),
            (KeyCode::Esc, Action::Cancel),
        ],
    );
    check(
        Mode::Help,
        &[
            (KeyCode::Esc, Action::Cancel),
            (ch('?'), Action::Cancel),
            (ch('q'), Action::Cancel),
            (ch('j'), Action::Down),
            (ch('k'), Action::Up),
        ],
    );
    // In a dialog's text field letters are text, even y and n.
    check(
        Mode::DialogText,
        &[
            (KeyCode::Tab, Action::FocusNext),
            (KeyCode::BackTab, Action::FocusPrev),
            (KeyCode::Enter, Action::Open),
            (KeyCode::Esc, Action::Cancel),
        ],
    );
    for c in ['y', 'n', 'k', 'x', 'q'] {
        let ev = press(ch(c));
        assert_eq!(lookup(Mode::DialogText, &ev), Some(Action::Text(ev)), "{c}");
    }
}

#[test]
fn ctrl_c_quits_in_every_mode() {
    let ev = KeyEvent::new(ch('c'), KeyModifiers::CONTROL);
    for mode in all_modes() {
        assert_eq!(lookup(mode, &ev), Some(Action::Quit), "{mode:?}");
    }
    // Ctrl-C with Shift held (some terminals report it) quits too.
    let ev = KeyEvent::new(ch('c'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
    assert_eq!(lookup(Mode::Employees, &ev), Some(Action::Quit));
}

#[test]
fn key_releases_are_ignored() {
    for mode in all_modes() {
        for code in [ch('q'), ch('j'), KeyCode::Enter, KeyCode::Esc, ch('y')] {
            let ev = KeyEvent::new_with_kind(code, KeyModifiers::NONE, KeyEventKind::Release);
            assert_eq!(lookup(mode, &ev), None, "{mode:?}: release of {code:?}");
        }
        let ev = KeyEvent::new_with_kind(ch('c'), KeyModifiers::CONTROL, KeyEventKind::Release);
        assert_eq!(lookup(mode, &ev), None, "{mode:?}: release of Ctrl-C");
    }
}

#[test]
fn shift_is_ignored_on_character_keys() {
    let ev = KeyEvent::new(ch('G'), KeyModifiers::SHIFT);
    assert_eq!(lookup(Mode::Employees, &ev), Some(Action::Bottom));
    assert_eq!(lookup(Mode::Profile, &ev), Some(Action::Bottom));
    let ev = KeyEvent::new(ch('?'), KeyModifiers::SHIFT);
    assert_eq!(lookup(Mode::Employees, &ev), Some(Action::Help));
    let ev = KeyEvent::new(ch('+'), KeyModifiers::SHIFT);
    assert_eq!(lookup(Mode::Settings, &ev), Some(Action::Grant));
    // A capital typed in a search field is text.
    let ev = KeyEvent::new(ch('J'), KeyModifiers::SHIFT);
    assert_eq!(lookup(Mode::EmployeesSearch, &ev), Some(Action::Text(ev)));
}

#[test]
fn ctrl_and_alt_letters_are_not_plain_letters() {
    let ev = KeyEvent::new(ch('q'), KeyModifiers::CONTROL);
    assert_ne!(lookup(Mode::Employees, &ev), Some(Action::Quit));
    let ev = KeyEvent::new(ch('d'), KeyModifiers::ALT);
    assert_ne!(lookup(Mode::Menu, &ev), Some(Action::MenuDismiss));
}

/// A key label from the status bar back to key codes: "k/↑" → [k, ↑], "/" → [/].
fn parse_label(label: &str) -> Vec<(KeyCode, bool)> {
    if label == "/" {
        return vec![(ch('/'), false)];
    }
    label
        .split('/')
        .map(|part| {
            let (ctrl, base) = match part.strip_prefix("Ctrl-") {
                Some(rest) => (true, rest),
                None => (false, part),
            };
            let code = match base {
                "Space" => ch(' '),
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "Shift-Tab" => KeyCode::BackTab,
                "↑" => KeyCode::Up,
                "↓" => KeyCode::Down,
                "←" => KeyCode::Left,
                "→" => KeyCode::Right,
                "PgUp" => KeyCode::PageUp,
                "PgDn" => KeyCode::PageDown,
                "Home" => KeyCode::Home,
                "End" => KeyCode::End,
                other => {
                    let mut chars = other.chars();
                    let c = chars
                        .next()
                        .unwrap_or_else(|| panic!("empty key in {label:?}"));
                    assert!(
                        chars.next().is_none(),
                        "unknown key label {other:?} in {label:?}"
                    );
                    ch(c)
                }
            };
            (code, ctrl)
        })
        .collect()
}

/// The actions a (label, help) pair can stand for in `mode`.
fn actions_for(mode: Mode, help: &str) -> Vec<Action> {
    let mut all = bindings(mode).to_vec();
    if PANE_MODES.contains(&mode) && !mode.is_typing() {
        all.extend(common().iter().cloned());
    }
    all.into_iter()
        .filter(|b| b.help == help)
        .map(|b| b.action)
        .collect()
}

#[test]
fn every_status_bar_hint_is_a_key_that_works() {
    for mode in all_modes() {
        let shown = hints(mode);
        assert!(!shown.is_empty(), "{mode:?} shows no hints at all");
        for (label, help) in shown {
            let expected = actions_for(mode, help);
            assert!(
                !expected.is_empty(),
                "{mode:?}: hint {label:?} {help:?} has no binding"
            );
            for (code, ctrl) in parse_label(label) {
                let mods = if ctrl {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::NONE
                };
                let got = lookup(mode, &KeyEvent::new(code, mods));
                assert!(
                    got.as_ref().is_some_and(|a| expected.contains(a)),
                    "{mode:?}: the status bar says {label:?} = {help:?}, but {code:?} does {got:?}"
                );
            }
        }
    }
}

#[test]
fn every_binding_is_reachable_by_its_keys() {
    // A binding hidden behind an earlier one with the same key would be a lie in help.
    for mode in all_modes() {
        for b in bindings(mode) {
            for key in &b.keys {
                let mods = if key.ctrl {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::NONE
                };
                assert_eq!(
                    lookup(mode, &KeyEvent::new(key.code, mods)),
                    Some(b.action.clone()),
                    "{mode:?}: {} is listed as {:?}",
                    key.label(),
                    b.help
                );
            }
        }
    }
}

#[test]
fn status_bar_hints_are_sorted_by_key() {
    for mode in all_modes() {
        let labels: Vec<String> = hints(mode).iter().map(|(l, _)| l.to_lowercase()).collect();
        let mut sorted = labels.clone();
        sorted.sort();
        assert_eq!(labels, sorted, "{mode:?}");
    }
}

fn label_of(keys: &[Key]) -> String {
    keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
}

#[test]
fn help_lists_every_binding_of_every_pane_mode() {
    let sections = help_sections();
    let find = |title: &str| {
        sections
            .iter()
            .find(|(t, _)| *t == title)
            .map(|(_, rows)| rows.clone())
    };
    let everywhere = find("Everywhere").expect("an Everywhere section");
    for b in common() {
        let row = (label_of(&b.keys), b.help);
        assert!(everywhere.contains(&row), "Everywhere lacks {row:?}");
    }
    assert!(
        everywhere.iter().any(|(k, _)| k.to_lowercase() == "ctrl-c"),
        "help names Ctrl-C"
    );
    // A mode with no keys of its own (the locked settings pane) needs no section.
    for mode in PANE_MODES.into_iter().filter(|m| !bindings(*m).is_empty()) {
        let rows = find(mode.title())
            .unwrap_or_else(|| panic!("help has no section {:?} for {mode:?}", mode.title()));
        for b in bindings(mode) {
            let row = (label_of(&b.keys), b.help);
            assert!(
                rows.contains(&row),
                "help section {:?} lacks {row:?}",
                mode.title()
            );
        }
    }
}

#[test]
fn help_covers_the_dialogs_too() {
    let sections = help_sections();
    for mode in [
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
        let rows = sections
            .iter()
            .find(|(t, _)| *t == mode.title())
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("no help section for {mode:?}"));
        for b in bindings(mode) {
            let row = (label_of(&b.keys), b.help);
            assert!(rows.contains(&row), "{mode:?} help lacks {row:?}");
        }
    }
}

#[test]
fn mode_titles_are_distinct() {
    let mut titles: Vec<&str> = all_modes().into_iter().map(Mode::title).collect();
    let n = titles.len();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), n, "two modes share a title");
    // The keymap module is the one source: its public tables are not empty.
    assert!(!keymap::common().is_empty());
}

/// The keymap is built once: every call gets the same tables, not new ones.
#[test]
fn the_keymap_is_built_once() {
    assert!(std::ptr::eq(Keymap::get(), Keymap::get()));
    assert!(std::ptr::eq(
        bindings(Mode::Employees).as_ptr(),
        bindings(Mode::Employees).as_ptr()
    ));
}

/// Reverse lookup: what the screen names as the key of an action.
#[test]
fn key_for_names_the_keys_of_an_action() {
    assert_eq!(
        key_for(Mode::Dismiss, &Action::Cancel).as_deref(),
        Some("n/Esc")
    );
    assert_eq!(
        key_for(Mode::Dismiss, &Action::Confirm).as_deref(),
        Some("y")
    );
    assert_eq!(
        key_for(Mode::DismissChoice, &Action::Keep).as_deref(),
        Some("k")
    );
    assert_eq!(
        key_for(Mode::Menu, &Action::MenuProfile).as_deref(),
        Some("p")
    );
    assert_eq!(key_for(Mode::Hire, &Action::Toggle).as_deref(), Some("t"));
    // Pane modes fall back to the common keys.
    assert_eq!(
        key_for(Mode::Profile, &Action::GoTo(Pane::Audit)).as_deref(),
        Some("3")
    );
    // Nothing bound: nothing to show.
    assert_eq!(key_for(Mode::Dismiss, &Action::Keep), None);
    assert_eq!(key_for(Mode::Menu, &Action::GoTo(Pane::Audit)), None);
    // Every binding's keys are found back from its action (the first binding wins).
    for mode in all_modes() {
        for b in bindings(mode) {
            let label = key_for(mode, &b.action).expect("bound");
            let first = bindings(mode)
                .iter()
                .find(|x| x.action == b.action)
                .expect("itself");
            assert_eq!(label, label_of(&first.keys), "{mode:?}: {:?}", b.action);
        }
    }
}

const KEYS_START: &str =
    "<!-- keys: generated by tui::keymap::readme_table(); edit the keymap, not this table -->";
const KEYS_END: &str = "<!-- keys: end -->";

/// README's table of keys is the keymap's: it may not say anything else.
#[test]
fn readme_key_table_is_the_keymap() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let expected = keymap::readme_table();
    let table = readme
        .split_once(KEYS_START)
        .and_then(|(_, rest)| rest.split_once(KEYS_END))
        .map(|(table, _)| table.trim());
    assert!(
        table == Some(expected.trim()),
        "README.md's key table differs from the keymap. Put this between {KEYS_START:?} and \
         {KEYS_END:?}:\n\n{expected}"
    );
}
