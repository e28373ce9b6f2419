//! The dashboard's test company: the demo with departures on known days, and sessions
//! whose "now" is fixed, so the figures and the screens never depend on the date.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use offboard::directory::{DismissRequest, When};
use offboard::domain::{ChecklistChoice, IntegrationChoice, Reason, WorkKinds};
use offboard::tui::Session;
use offboard::{Actor, Directory};

use super::{Demo, demo};

/// "Today" in these tests: the window of twelve months is March 2026 to February 2027,
/// across a year boundary.
pub const TODAY: &str = "2027-02-15T09:00:00Z";

pub fn moment(s: &str) -> DateTime<Utc> {
    s.parse().expect("moment")
}

pub fn actor_of(dir: &Directory, login: &str) -> Actor {
    Actor::user(dir.employee(login).expect("actor").id)
}

/// As hr, at `at`, dismiss `login` for `reason` (no checklist: its steps fall overdue
/// by the real date, which the backlog counts).
fn dismiss_at(dir: &mut Directory, login: &str, at: &str, reason: Option<Reason>) {
    let hr = actor_of(dir, "hr");
    dir.set_clock(Some(moment(at)));
    dir.dismiss(
        hr,
        login,
        &DismissRequest {
            integrations: Some(IntegrationChoice::Disable),
            reason,
            checklist: ChecklistChoice::None,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("dismiss {login}: {e}"));
    dir.set_clock(None);
}

/// The demo company (lbrandt left on 2026-10-16, resigned; ydemir on 2026-09-30, end of
/// contract) and six more departures: one before the window, one hired back a month
/// later; cmartin's work handed over in August; two dismissals scheduled far ahead.
pub fn known_departures() -> Demo {
    let d = demo();
    let mut dir = d.open();
    dismiss_at(
        &mut dir,
        "kwatanabe",
        "2026-01-20T10:00:00Z",
        Some(Reason::Retired),
    );
    dismiss_at(
        &mut dir,
        "cmartin",
        "2026-04-10T10:00:00Z",
        Some(Reason::Terminated),
    );
    dismiss_at(
        &mut dir,
        "smurphy",
        "2026-05-05T10:00:00Z",
        Some(Reason::Retired),
    );
    dismiss_at(
        &mut dir,
        "obennett",
        "2026-12-28T10:00:00Z",
        Some(Reason::Resigned),
    );
    dismiss_at(&mut dir, "smoreno", "2027-01-05T10:00:00Z", None);
    dismiss_at(
        &mut dir,
        "hkessler",
        "2027-02-03T10:00:00Z",
        Some(Reason::Other),
    );
    let hr = actor_of(&dir, "hr");
    dir.set_clock(Some(moment("2026-06-01T10:00:00Z")));
    dir.hire(hr, "smurphy", false).expect("hire smurphy");
    dir.set_clock(Some(moment("2026-08-03T10:00:00Z")));
    dir.reassign(hr, "cmartin", "jdoe", WorkKinds::ALL)
        .expect("reassign");
    dir.set_clock(Some(moment("2027-02-10T10:00:00Z")));
    for (login, on) in [("elarsen", "2099-09-01"), ("jdoe", "2099-06-30")] {
        dir.dismiss_when(
            hr,
            login,
            &DismissRequest {
                checklist: ChecklistChoice::None,
                ..Default::default()
            },
            When::On(on.parse().expect("day")),
        )
        .unwrap_or_else(|e| panic!("schedule {login}: {e}"));
    }
    dir.set_clock(None);
    d
}

/// A session as `login` at `w`×`h` whose "now" is `TODAY`.
pub fn session_today(d: &Demo, login: &str, w: u16, h: u16) -> Session {
    let mut dir = d.open();
    dir.set_clock(Some(moment(TODAY)));
    let me = dir.sign_in(login).expect("sign in");
    let mut s = Session::new(dir, me, w, h).expect("session");
    s.app.theme = offboard::tui::ui::theme::Theme::colour();
    s
}
