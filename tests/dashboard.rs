//! The Dashboard pane: its figures on a company with known departures, who sees what,
//! the query plans behind it, the pane at the smallest sizes, its keys, and that it
//! follows changes made in the TUI and elsewhere.

mod tui_support;

use offboard::directory::{Dashboard, ListQuery};
use offboard::domain::Reason;
use offboard::domain::dashboard::Month;
use offboard::tui::Pane;
use offboard::tui::keymap::Mode;
use ratatui::crossterm::event::KeyCode;
use tui_support::dashboard::*;
use tui_support::*;

/// The dashboard as `login` sees it on `TODAY`.
fn figures_as(d: &Demo, login: &str) -> Dashboard {
    let mut dir = d.open();
    dir.set_clock(Some(moment(TODAY)));
    dir.dashboard(actor_of(&dir, login)).expect("dashboard")
}

fn month(year: i32, month: u32) -> Month {
    Month { year, month }
}

#[test]
fn the_figures_of_a_company_with_known_departures() {
    let d = known_departures();
    let f = figures_as(&d, "hr");
    assert_eq!(f.today.to_string(), "2027-02-15");

    // March 2026 to February 2027, every month there; kwatanabe (January 2026) is not.
    let dep = f.departures.expect("hr sees the departures");
    assert_eq!(
        dep.months,
        vec![
            (month(2026, 3), 0),
            (month(2026, 4), 1), // cmartin
            (month(2026, 5), 1), // smurphy, hired back since: the departure stays
            (month(2026, 6), 0),
            (month(2026, 7), 0),
            (month(2026, 8), 0),
            (month(2026, 9), 1),  // ydemir
            (month(2026, 10), 1), // lbrandt
            (month(2026, 11), 0),
            (month(2026, 12), 1), // obennett
            (month(2027, 1), 1),  // smoreno
            (month(2027, 2), 1),  // hkessler
        ]
    );
    assert_eq!(
        dep.reasons,
        vec![
            (Some(Reason::Resigned), 2),
            (Some(Reason::Terminated), 1),
            (Some(Reason::EndOfContract), 1),
            (Some(Reason::Retired), 1),
            (Some(Reason::Other), 1),
            (None, 1),
        ]
    );

    // A sample a week, the first 51 weeks ago (2026-02-23), the last now. kwatanabe
    // counts throughout; cmartin from the week after leaving (2026-04-13) to the
    // handover (2026-08-03, an hour after that sample); smurphy, hired back before any
    // handover, never; then ydemir, lbrandt, obennett, smoreno and hkessler from the
    // first sample after each left.
    let line = f.backlog.expect("hr sees the backlog");
    let mut expected = vec![1; 7];
    expected.extend([2; 17]);
    expected.extend([1; 8]);
    expected.extend([2; 2]);
    expected.extend([3; 11]);
    expected.push(4);
    expected.extend([5; 4]);
    expected.extend([6; 2]);
    assert_eq!(line, expected);

    // Now is what the backlog list counts.
    let mut dir = d.open();
    dir.set_clock(Some(moment(TODAY)));
    let page = dir
        .list(
            actor_of(&dir, "hr"),
            &ListQuery {
                still_owns: true,
                limit: 50,
                ..Default::default()
            },
        )
        .expect("backlog list");
    assert_eq!(line.last().copied(), Some(page.total as u64));

    assert_eq!(f.pending.count, 2);
    let (on, who) = f.pending.next.expect("a next one");
    assert_eq!(
        (on.to_string(), who.login.as_str()),
        ("2099-06-30".into(), "jdoe")
    );
}

#[test]
fn staff_see_everything_others_what_the_list_shows_them() {
    let d = known_departures();
    let hr = figures_as(&d, "hr");
    let admin = figures_as(&d, "admin");
    assert_eq!(hr, admin);

    // With dismissed employees hidden, jdoe sees neither who left nor the backlog; the
    // scheduled dismissals are on everyone's list ("Leaving on").
    let jdoe = figures_as(&d, "jdoe");
    assert_eq!(jdoe.departures, None);
    assert_eq!(jdoe.backlog, None);
    assert_eq!(jdoe.pending, hr.pending);

    // Shown in lists, each leaver is on jdoe's list with their departure on the
    // profile: the departures are theirs to see too; the backlog stays with staff.
    let (mut dir, admin) = d.admin();
    dir.set_show_dismissed(admin, true).expect("show dismissed");
    let jdoe = figures_as(&d, "jdoe");
    assert_eq!(jdoe.departures, hr.departures);
    assert_eq!(jdoe.backlog, None);

    let mut s = session_today(&d, "jdoe", 80, 24);
    s.press(KeyCode::Char('6'));
    let sc = screen_sized(&s, 80, 24);
    assert_on_screen(&sc, "Departures per month, Mar 2026 – Feb 2027: 7 in all");
    assert_on_screen(
        &sc,
        "Handover backlog: for administrators and company-structure staff.",
    );
}

#[test]
fn a_dismissed_session_reads_no_figures() {
    let d = known_departures();
    let mut dir = d.open();
    let hkessler = actor_of(&dir, "hkessler");
    dir.set_clock(Some(moment(TODAY)));
    let e = dir.dashboard(hkessler).expect_err("a dismissed employee");
    assert!(
        matches!(e, offboard::Error::AccessRevoked(_)),
        "{e:?}: access revoked"
    );
}

#[test]
fn its_queries_read_only_the_departures_from_end_to_end() {
    let d = known_departures();
    let dir = d.open();
    let plan = offboard::store::queries::dashboard_query_plan(dir.connection()).expect("plan");
    let scans: Vec<&String> = plan
        .iter()
        .filter(|p| p.starts_with("SCAN"))
        // `l`: the leavers, made from the departures once.
        .filter(|p| !p.starts_with("SCAN departures") && *p != "SCAN d" && *p != "SCAN l")
        .collect();
    assert!(
        scans.is_empty(),
        "scans besides departures: {scans:?}\n{plan:#?}"
    );
    // Each leaver's handover by the audit log's target index, never its time index.
    assert!(
        plan.iter()
            .any(|p| p.contains("USING INDEX audit_events_target")),
        "{plan:#?}"
    );
    assert!(
        !plan.iter().any(|p| p.contains("audit_events_at")),
        "{plan:#?}"
    );
    // A leaver's overdue checklist steps in their own checklists, not among every open
    // step of the company, once per leaver.
    assert!(
        !plan.iter().any(|p| p.contains("checklist_steps_open")),
        "{plan:#?}"
    );
    // The scheduled ones by their own index.
    let pending = plan
        .iter()
        .skip_while(|p| *p != "-- pending")
        .nth(1)
        .expect("pending plan");
    assert!(pending.contains("departures_pending"), "{plan:#?}");
}

#[test]
fn tab_and_its_number_reach_the_dashboard_last() {
    let d = known_departures();
    let mut s = session_today(&d, "hr", 100, 30);
    s.press(KeyCode::Char('4'));
    s.press(KeyCode::Tab);
    assert_eq!(s.app.pane, Pane::Offboarding);
    s.press(KeyCode::Tab);
    assert_eq!(s.app.pane, Pane::Dashboard);
    assert_eq!(s.app.mode(), Mode::Dashboard);
    s.press(KeyCode::Tab);
    assert_eq!(s.app.pane, Pane::Employees, "Tab goes round");
    s.press(KeyCode::BackTab);
    assert_eq!(s.app.pane, Pane::Dashboard);
    s.press(KeyCode::Char('1'));
    s.press(KeyCode::Char('6'));
    assert_eq!(s.app.pane, Pane::Dashboard);
    let sc = screen(&s);
    assert!(
        sc.lines()
            .nth(1)
            .is_some_and(|l| l.trim_end().ends_with("6 Dashboard")),
        "the last tab:\n{sc}"
    );
    // Help opens at the dashboard's keys.
    s.press(KeyCode::Char('?'));
    assert_eq!(s.app.help.as_ref().map(|h| h.section), Some("Dashboard"));
    assert_on_screen(&screen(&s), "who still owns work");
}

#[test]
fn o_opens_the_list_behind_the_backlog_line_for_staff_only() {
    let d = known_departures();
    let mut s = session_today(&d, "hr", 100, 30);
    s.press(KeyCode::Char('6'));
    assert_on_screen(&status_bar(&s), "o who still owns work");
    s.press(KeyCode::Char('o'));
    assert_eq!(s.app.pane, Pane::Employees);
    let sc = screen(&s);
    assert_on_screen(&sc, "Employees · still own work (6)");
    assert_on_screen(&sc, "Yusuf Demir");

    let mut s = session_today(&d, "jdoe", 100, 30);
    s.press(KeyCode::Char('6'));
    assert_not_on_screen(&status_bar(&s), "who still owns work");
    s.press(KeyCode::Char('o'));
    assert_eq!(s.app.pane, Pane::Dashboard);
    assert_on_screen(
        &status_bar(&s),
        "The handover backlog is for administrators and company-structure staff",
    );
}

/// What must be on the pane whole at any size it is drawn at.
fn assert_whole(sc: &str) {
    for m in [
        "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb",
    ] {
        assert_on_screen(sc, &format!("{m} "));
    }
    assert_on_screen(sc, "2026");
    assert_on_screen(sc, "2027");
    assert_on_screen(sc, "Departures per month, Mar 2026 – Feb 2027: 7 in all");
    for r in [
        "resigned",
        "terminated",
        "end of contract",
        "retired",
        "other",
        "none given",
    ] {
        assert_on_screen(sc, r);
    }
    assert_on_screen(sc, "Handover backlog, weekly for a year: 6 now, 6 at most");
    assert_on_screen(
        sc,
        "Scheduled dismissals: 2 · next 2099-06-30 Jane Doe (jdoe)",
    );
    assert_on_screen(sc, "6 Dashboard");
    assert_not_on_screen(sc, "…");
}

#[test]
fn it_fits_80x24_and_60x16() {
    let d = known_departures();
    for (w, h) in [(80, 24), (60, 16)] {
        let mut s = session_today(&d, "hr", w, h);
        s.press(KeyCode::Char('6'));
        let sc = screen_sized(&s, w, h);
        assert_whole(&sc);
        // Every bar's number, and a 0 for each month nobody left in.
        let base = sc
            .lines()
            .find(|l| l.contains('0') && l.contains('1') && !l.contains("Departures"))
            .unwrap_or_else(|| panic!("the bars' numbers at {w}×{h}:\n{sc}"));
        let digits: String = base.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits, "011000110111", "{w}×{h}: {base}");
        // The reasons' numbers: beside the chart at 80, on lines under it at 60.
        let reasons = if w >= 80 {
            [
                "resigned        2",
                "retired         1",
                "none given      1",
            ]
        } else {
            ["resigned 2", "retired 1", "none given 1"]
        };
        for r in reasons {
            assert_on_screen(&sc, r);
        }
    }
}

#[test]
fn without_colour_it_says_the_same_in_bold_and_reverse() {
    let d = known_departures();
    let mut s = session_today(&d, "hr", 80, 24);
    s.press(KeyCode::Char('6'));
    let coloured = screen_sized(&s, 80, 24);
    s.app.theme = offboard::tui::ui::theme::Theme::mono();
    let term = terminal_for(&s, 80, 24);
    assert_eq!(buffer_text(&term), coloured, "the same words and numbers");
    let buf = term.backend().buffer();
    let reset = ratatui::style::Color::Reset;
    for cell in buf.content() {
        assert!(
            cell.fg == reset && cell.bg == reset,
            "a colour with NO_COLOR: {cell:?}"
        );
    }
    // A number on a bar is cut out of it, reversed.
    let on_bar = cell_of(&term, "█1█");
    assert_eq!(on_bar.symbol(), "█");
    let sc = buffer_text(&term);
    let (y, line) = sc
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("█1█"))
        .expect("a number on a bar");
    let x = line[..line.find("█1█").unwrap()].chars().count() as u16 + 1;
    assert!(
        buf[(x, y as u16)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn a_dismissal_in_the_tui_changes_the_chart() {
    let d = known_departures();
    let mut s = session_today(&d, "hr", 100, 30);
    s.press(KeyCode::Char('6'));
    let before = screen(&s);
    assert_on_screen(
        &before,
        "Departures per month, Mar 2026 – Feb 2027: 7 in all",
    );
    assert_on_screen(
        &before,
        "Handover backlog, weekly for a year: 6 now, 6 at most",
    );

    // Dismiss Aisha Bello from the list, then come back.
    s.press(KeyCode::Char('1'));
    s.press(KeyCode::Char('/'));
    s.type_text("abello");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Char('m'));
    s.press(KeyCode::Char('d'));
    assert_on_screen(&screen(&s), "Dismiss Aisha Bello (abello)?");
    s.press(KeyCode::Char('y'));
    assert_on_screen(&screen(&s), "Dismissed Aisha Bello");
    s.press(KeyCode::Char('6'));
    let after = screen(&s);
    assert_on_screen(
        &after,
        "Departures per month, Mar 2026 – Feb 2027: 8 in all",
    );
    assert_on_screen(&after, "none given      2");
    assert_on_screen(
        &after,
        "Handover backlog, weekly for a year: 7 now, 7 at most",
    );
    // February's bar reads 2 now.
    let digits = |sc: &str| -> String {
        sc.lines()
            .find(|l| l.contains(" 0 ") && l.contains('1') && !l.contains("Departures"))
            .map(|l| l.chars().filter(char::is_ascii_digit).collect())
            .unwrap_or_default()
    };
    assert_eq!(digits(&before), "011000110111");
    assert_eq!(digits(&after), "011000110112");
}

#[test]
fn the_open_dashboard_follows_a_change_made_elsewhere() {
    let d = known_departures();
    let mut s = session_today(&d, "hr", 100, 30);
    s.press(KeyCode::Char('6'));
    assert_on_screen(&screen(&s), "Scheduled dismissals: 2 · next 2099-06-30");

    // Another process schedules a dismissal earlier than jdoe's and dismisses someone.
    let mut other = d.open();
    other.set_clock(Some(moment(TODAY)));
    let hr = actor_of(&other, "hr");
    other
        .dismiss_when(
            hr,
            "abello",
            &offboard::directory::DismissRequest {
                checklist: offboard::domain::ChecklistChoice::None,
                ..Default::default()
            },
            offboard::directory::When::On("2099-01-31".parse().unwrap()),
        )
        .expect("schedule abello");
    other
        .dismiss(
            hr,
            "pnovak",
            &offboard::directory::DismissRequest {
                reason: Some(Reason::Retired),
                checklist: offboard::domain::ChecklistChoice::None,
                ..Default::default()
            },
        )
        .expect("dismiss pnovak");

    // No key pressed: the watcher's poll sees the change and the pane reads it again.
    s.poll();
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "Scheduled dismissals: 3 · next 2099-01-31 Aisha Bello (abello)",
    );
    assert_on_screen(&sc, "Departures per month, Mar 2026 – Feb 2027: 8 in all");
    assert_on_screen(&sc, "retired         2");
}

#[test]
fn a_scheduled_dismissal_this_tui_applies_when_due_shows_at_once() {
    let d = known_departures();
    let mut other = d.open();
    other.set_clock(Some(moment(TODAY)));
    let hr = actor_of(&other, "hr");
    other
        .dismiss_when(
            hr,
            "abello",
            &offboard::directory::DismissRequest {
                checklist: offboard::domain::ChecklistChoice::None,
                ..Default::default()
            },
            offboard::directory::When::On("2027-02-20".parse().unwrap()),
        )
        .expect("schedule abello");
    let mut s = session_today(&d, "hr", 100, 30);
    s.press(KeyCode::Char('6'));
    assert_on_screen(
        &screen(&s),
        "Scheduled dismissals: 3 · next 2027-02-20 Aisha Bello (abello)",
    );
    // The day comes while the dashboard is open; the session applies it (once a
    // minute, every 60th poll) on its own connection.
    s.exec.dir.set_clock(Some(moment("2027-02-20T09:00:00Z")));
    for _ in 0..60 {
        s.poll();
    }
    let sc = screen(&s);
    assert_on_screen(
        &sc,
        "Scheduled dismissals: 2 · next 2099-06-30 Jane Doe (jdoe)",
    );
    assert_on_screen(&sc, "Departures per month, Mar 2026 – Feb 2027: 8 in all");
}

#[test]
fn every_size_from_the_minimum_up_draws_whole_figures() {
    let d = known_departures();
    let mut s = session_today(&d, "hr", 60, 16);
    s.press(KeyCode::Char('6'));
    for w in (60..=140).step_by(7) {
        for h in (16..=48).step_by(5) {
            let sc = screen_sized(&s, w, h);
            assert_on_screen(&sc, "Departures per month, Mar 2026 – Feb 2027: 7 in all");
            assert_on_screen(&sc, "Scheduled dismissals: 2 · next 2099-06-30");
            assert_on_screen(&sc, "Handover backlog, weekly for a year: 6 now");
        }
    }
}

#[test]
fn a_narrow_window_keeps_every_tab_on_the_line() {
    let tabs = |s: &offboard::tui::Session, w: u16, h: u16| {
        screen_sized(s, w, h)
            .lines()
            .nth(1)
            .unwrap_or_default()
            .trim_end()
            .to_string()
    };
    let d = known_departures();
    // One space between the six names fits 80 columns.
    let s = session_today(&d, "hr", 80, 24);
    assert_eq!(
        tabs(&s, 80, 24),
        " 1 Employees 2 Integrations 3 Audit 4 Settings 5 Offboarding 6 Dashboard"
    );
    // At 60 they do not: the tabs not on screen show their keys alone.
    let mut s = session_today(&d, "hr", 60, 16);
    assert_eq!(tabs(&s, 60, 16), " 1 Employees 2 3 4 5 6");
    s.press(KeyCode::Char('/'));
    s.type_text("ydemir");
    s.press(KeyCode::Enter);
    s.press(KeyCode::Enter);
    assert_eq!(tabs(&s, 60, 16), " 1 Employees › Profile 2 3 4 5 6");
    s.press(KeyCode::Char('6'));
    assert_eq!(tabs(&s, 60, 16), " 1 2 3 4 5 6 Dashboard");
}
