//! The screens at 100×30, as text, for every pane and every dialog, the help overlay and
//! the too-small screen; the dashboard at 80×24 with its styles, in colour and without.
//! Nothing random (webhook URLs) or dated "now" is drawn in them.

mod tui_support;

use offboard::tui::Session;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn search(s: &mut Session, text: &str) {
    s.press(KeyCode::Char('/'));
    s.type_text(text);
    s.press(KeyCode::Enter);
}

fn show_dismissed_on(d: &Demo) {
    let (mut dir, admin) = d.admin();
    dir.set_show_dismissed(admin, true)
        .expect("show_dismissed on");
}

/// The profile of lbrandt as hr, on section `n` (0 = Overview).
fn lbrandt_section(n: usize) -> String {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "lbrandt");
    s.press(KeyCode::Enter);
    for _ in 0..n {
        s.press(KeyCode::Right);
    }
    screen(&s)
}

// ------------------------------------------------------------------ panes

#[test]
fn employees_as_admin() {
    let d = demo();
    let s = d.session("admin");
    insta::assert_snapshot!("employees_admin", screen(&s));
}

#[test]
fn employees_all_with_show_dismissed() {
    let d = demo();
    show_dismissed_on(&d);
    let mut s = d.session("admin");
    s.press(KeyCode::Char('f'));
    s.press(KeyCode::Char('f'));
    insta::assert_snapshot!("employees_all_show_dismissed", screen(&s));
}

#[test]
fn employees_dismissed_filter() {
    let d = demo();
    show_dismissed_on(&d);
    let mut s = d.session("admin");
    s.press(KeyCode::Char('f'));
    insta::assert_snapshot!("employees_dismissed_filter", screen(&s));
}

#[test]
fn employees_search_typing() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('/'));
    s.type_text("ma");
    insta::assert_snapshot!("employees_search_typing", screen(&s));
}

#[test]
fn profile_sections_of_lbrandt() {
    let names = [
        "profile_lbrandt_overview",
        "profile_lbrandt_tasks",
        "profile_lbrandt_drive",
        "profile_lbrandt_crm",
        "profile_lbrandt_mailboxes",
        "profile_lbrandt_conversation",
        "profile_lbrandt_meetings",
        "profile_lbrandt_feed",
        "profile_lbrandt_groups",
        "profile_lbrandt_integrations",
    ];
    for (n, name) in names.iter().enumerate() {
        insta::assert_snapshot!(*name, lbrandt_section(n));
    }
}

#[test]
fn profile_of_an_active_employee_with_integrations() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "tlang");
    s.press(KeyCode::Enter);
    // Left from Overview: SSH keys, then Integrations.
    s.press(KeyCode::Left);
    s.press(KeyCode::Left);
    insta::assert_snapshot!("profile_tlang_integrations", screen(&s));
}

#[test]
fn profile_keys_and_the_add_key_dialog() {
    let d = demo();
    let mut dir = d.open();
    let admin = offboard::Actor::user(dir.employee("admin").unwrap().id);
    dir.set_clock(Some("2026-01-15T10:00:00Z".parse().unwrap()));
    dir.add_key(admin, "tlang", include_str!("ssh/keys/ed25519.pub"))
        .expect("add key");
    let mut s = d.session("hr");
    search(&mut s, "tlang");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Left);
    insta::assert_snapshot!("profile_tlang_keys", screen(&s));
    s.press(KeyCode::Char('+'));
    s.type_text(include_str!("ssh/keys/ecdsa.pub").trim());
    insta::assert_snapshot!("key_dialog", screen(&s));
}

#[test]
fn integrations_pane() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('2'));
    insta::assert_snapshot!("integrations", screen(&s));
    s.press(KeyCode::Char('f'));
    insta::assert_snapshot!("integrations_active_owners", screen(&s));
}

#[test]
fn integrations_pane_for_an_ordinary_employee() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('2'));
    insta::assert_snapshot!("integrations_jdoe_none", screen(&s));
}

#[test]
fn audit_pane() {
    // A fresh demo: its only events carry the demo builder's fixed timestamps.
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('3'));
    insta::assert_snapshot!("audit", screen(&s));
}

#[test]
fn audit_pane_for_an_ordinary_employee() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('3'));
    insta::assert_snapshot!("audit_jdoe", screen(&s));
}

#[test]
fn settings_as_admin() {
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('4'));
    insta::assert_snapshot!("settings_admin", screen(&s));
}

#[test]
fn settings_as_jdoe() {
    let d = demo();
    let mut s = d.session("jdoe");
    s.press(KeyCode::Char('4'));
    insta::assert_snapshot!("settings_jdoe", screen(&s));
}

// ------------------------------------------------------------------ dialogs

#[test]
fn row_menu() {
    let d = demo();
    let mut s = d.session("admin");
    search(&mut s, "amehta");
    s.press(KeyCode::Char('m'));
    insta::assert_snapshot!("menu_row", screen(&s));
}

#[test]
fn actions_menu_greyed_for_jdoe() {
    let d = demo();
    let mut s = d.session("jdoe");
    search(&mut s, "tlang");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('a'));
    insta::assert_snapshot!("menu_actions_jdoe", screen(&s));
}

#[test]
fn dismiss_without_integrations() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    insta::assert_snapshot!("dismiss_no_integrations", screen(&s));
    // With a reason chosen and a note being typed.
    s.press(KeyCode::Tab);
    s.press(KeyCode::Right);
    s.press(KeyCode::Right);
    s.press(KeyCode::Tab);
    s.type_text("Last day 30 November");
    insta::assert_snapshot!("dismiss_no_integrations_filled", screen(&s));
}

#[test]
fn dismiss_with_integrations() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "tlang");
    s.type_text("md");
    insta::assert_snapshot!("dismiss_with_integrations", screen(&s));
}

/// Only the dialog of an administrator or company-structure staff says what kept
/// integrations can still do (and cannot): here hr, with a webhook of her own.
#[test]
fn dismiss_staff_with_integrations() {
    use offboard::domain::Scope;
    let d = demo();
    {
        let mut dir = d.open();
        let hr = dir.employee("hr").expect("hr").id;
        dir.create_webhook(
            offboard::Actor::user(hr),
            "HR sync",
            [Scope::User, Scope::Task].into(),
        )
        .expect("hr's webhook");
    }
    let mut s = d.session("admin");
    search(&mut s, "Jensen");
    s.type_text("md");
    insta::assert_snapshot!("dismiss_staff_with_integrations", screen(&s));
}

#[test]
fn hire_with_returnable_integration() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "lbrandt");
    s.press(KeyCode::Enter);
    s.type_text("ah");
    insta::assert_snapshot!("hire_returnable", screen(&s));
}

#[test]
fn reassign_with_candidates() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "lbrandt");
    s.type_text("mr");
    s.type_text("ma");
    insta::assert_snapshot!("reassign_candidates", screen(&s));
}

#[test]
fn webhook_create() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('2'));
    s.press(KeyCode::Char('c'));
    insta::assert_snapshot!("webhook_create", screen(&s));
}

#[test]
fn webhook_edit_with_takeover_warning() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('2'));
    for _ in 0..4 {
        s.press(KeyCode::Char('j'));
    }
    assert_eq!(
        s.app.selected_integration().expect("selected").owner,
        "system.lbrandt"
    );
    s.press(KeyCode::Char('e'));
    insta::assert_snapshot!("webhook_edit_takeover", screen(&s));
}

#[test]
fn confirm_disable() {
    let d = demo();
    let mut s = d.session("hr");
    s.press(KeyCode::Char('2'));
    s.press(KeyCode::Char('j'));
    s.press(KeyCode::Char('x'));
    insta::assert_snapshot!("confirm_disable", screen(&s));
}

#[test]
fn grant_picker() {
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('4'));
    s.press(KeyCode::Char('+'));
    s.type_text("an");
    insta::assert_snapshot!("grant_picker", screen(&s));
}

#[test]
fn error_message() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    // Someone else dismisses her first: the operation is refused and the TUI says why.
    let (mut other, admin) = d.admin();
    other
        .dismiss(admin, "elarsen", &Default::default())
        .expect("dismiss elsewhere");
    s.press(KeyCode::Char('y'));
    insta::assert_snapshot!("error_message", screen(&s));
}

/// The dashboard of the company with known departures as hr at 80×24, in `theme`: the
/// text, then each run of cells drawn in one style (ratatui's own account of a buffer),
/// so the snapshot holds the colours, or with NO_COLOR their absence.
fn dashboard_in(theme: offboard::tui::ui::theme::Theme) -> String {
    let d = tui_support::dashboard::known_departures();
    let mut s = tui_support::dashboard::session_today(&d, "hr", 80, 24);
    s.app.theme = theme;
    s.press(KeyCode::Char('6'));
    let term = terminal_for(&s, 80, 24);
    format!("{:?}", term.backend().buffer())
}

#[test]
fn dashboard_in_colour_and_without() {
    use offboard::tui::ui::theme::Theme;
    insta::assert_snapshot!("dashboard_colour", dashboard_in(Theme::colour()));
    insta::assert_snapshot!("dashboard_no_color", dashboard_in(Theme::mono()));
}

#[test]
fn help_overlay() {
    let d = demo();
    let mut s = d.session("admin");
    s.press(KeyCode::Char('?'));
    insta::assert_snapshot!("help", screen(&s));
}

#[test]
fn too_small() {
    let d = demo();
    let s = d.session_sized("admin", 50, 10);
    insta::assert_snapshot!("too_small", screen_sized(&s, 50, 10));
}

// ------------------------------------------------------------------ beyond the article

#[test]
fn bulk_menu_and_preview() {
    let d = demo();
    let mut s = d.session("hr");
    for name in ["elarsen", "tlang", "jensen"] {
        search(&mut s, name);
        s.press(KeyCode::Char(' '));
        s.press(KeyCode::Esc);
    }
    s.press(KeyCode::Char('m'));
    insta::assert_snapshot!("bulk_menu", screen(&s));
    s.press(KeyCode::Char('d'));
    insta::assert_snapshot!("bulk_preview", screen(&s));
}

#[test]
fn scheduled_dismissal_in_the_list_and_profile() {
    let d = demo();
    {
        let (mut dir, _) = d.admin();
        let hr = offboard::Actor::user(dir.employee("hr").expect("hr").id);
        let on = chrono::NaiveDate::from_ymd_opt(2099, 12, 31).expect("date");
        dir.schedule_dismissal(hr, "elarsen", &Default::default(), on)
            .expect("schedule");
    }
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    insta::assert_snapshot!("list_leaving_on", screen(&s));
    s.press(KeyCode::Enter);
    insta::assert_snapshot!("profile_leaving_on", screen(&s));
}

#[test]
fn reassign_first_from_the_dismiss_dialog() {
    let d = demo();
    let mut s = d.session("hr");
    search(&mut s, "elarsen");
    s.type_text("md");
    insta::assert_snapshot!("dismiss_with_reassign_first", screen(&s));
    s.press(KeyCode::Char('r'));
    insta::assert_snapshot!("reassign_before_dismissing", screen(&s));
}

// ------------------------------------------------------------------ offboarding checklists

/// A session as `login` whose clock is pinned on 2026-10-20 09:00 UTC: some of the demo
/// leavers' steps are overdue, some not yet due, and a tick is dated the same each run.
fn session_on_2026_10_20(d: &Demo, login: &str) -> Session {
    let mut s = d.session(login);
    s.exec
        .dir
        .set_clock(Some("2026-10-20T09:00:00Z".parse().unwrap()));
    s.dispatch(offboard::tui::Action::ExternalChange);
    s
}

/// The screen as text with its monochrome styles marked: `«…»` reversed, `*…*` bold
/// (what NO_COLOR draws with), after checking no cell has a colour.
fn marked_text(s: &Session) -> String {
    use ratatui::style::{Color, Modifier};
    let term = terminal_for(s, WIDTH, HEIGHT);
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..HEIGHT {
        let mut line = String::new();
        let mut open = (false, false);
        for x in 0..WIDTH {
            let cell = &buf[(x, y)];
            assert!(
                cell.fg == Color::Reset && cell.bg == Color::Reset,
                "cell ({x},{y}) has a colour"
            );
            let now = (
                cell.modifier.contains(Modifier::REVERSED),
                cell.modifier.contains(Modifier::BOLD),
            );
            if now != open {
                if open.1 {
                    line.push('*');
                }
                if open.0 {
                    line.push('»');
                }
                if now.0 {
                    line.push('«');
                }
                if now.1 {
                    line.push('*');
                }
                open = now;
            }
            line.push_str(cell.symbol());
        }
        if open.1 {
            line.push('*');
        }
        if open.0 {
            line.push('»');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn offboarding_pane_in_colour_and_no_color() {
    let d = demo();
    let mut s = session_on_2026_10_20(&d, "hr");
    s.press(KeyCode::Char('5'));
    s.press(KeyCode::Down);
    insta::assert_snapshot!("offboarding_pane", screen(&s));
    s.app.theme = offboard::tui::ui::theme::Theme::mono();
    insta::assert_snapshot!("offboarding_pane_no_color", marked_text(&s));
    // The steps ticked done, with who and when.
    s.press(KeyCode::Char(' '));
    s.press(KeyCode::Char('f'));
    insta::assert_snapshot!("offboarding_pane_done", screen(&s));
}

#[test]
fn offboarding_section_of_the_profile_in_colour_and_no_color() {
    let d = demo();
    let mut s = session_on_2026_10_20(&d, "dferreira");
    search(&mut s, "lbrandt");
    s.press(KeyCode::Enter);
    // dferreira ticks his step 1 and selects step 2, the administrators' (greyed in
    // colour; the status bar offers no tick).
    s.press(KeyCode::Char(' '));
    s.press(KeyCode::Down);
    insta::assert_snapshot!("profile_offboarding_section", screen(&s));
    s.app.theme = offboard::tui::ui::theme::Theme::mono();
    insta::assert_snapshot!("profile_offboarding_section_no_color", marked_text(&s));
}
