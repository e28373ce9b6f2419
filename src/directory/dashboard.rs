//! The dashboard: departures per month and their reasons, the handover backlog week by
//! week, and the scheduled dismissals to come, in one consistent read.

use super::*;
use crate::domain::dashboard::{self as figures, Month};

/// Everything the dashboard shows, as of `today`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub today: NaiveDate,
    /// Departures of the last `figures::MONTHS` months; none when the acting user may
    /// not see who left (not staff, and dismissed employees hidden from lists).
    pub departures: Option<Departures>,
    /// How many who had left still owned work, once a week for `figures::WEEKS`
    /// weeks, oldest first, the last one now; none for those who may not read the
    /// handover backlog.
    pub backlog: Option<Vec<u64>>,
    pub pending: Pending,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Departures {
    /// Oldest first, the current month last, every month there (0 when nobody left).
    pub months: Vec<(Month, u64)>,
    /// How many left for each reason over the same months: every reason in its order,
    /// then those with none given.
    pub reasons: Vec<(Option<Reason>, u64)>,
}

/// The scheduled dismissals still to come.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub count: i64,
    /// The next one due: its day and who.
    pub next: Option<(NaiveDate, Employee)>,
}

impl Directory {
    /// The dashboard for `actor`. Departures are shown to staff, and to everyone while
    /// dismissed employees are shown in lists (each of them is on the list then, with
    /// their departure on the profile); the backlog only to staff, like the backlog
    /// list; the scheduled dismissals to everyone, as the list says "Leaving on" to all.
    pub fn dashboard(&self, actor: Actor) -> Result<Dashboard> {
        let show = self.show_dismissed()?;
        let now = self.now();
        self.read(actor, |c, me| {
            let today = now.date_naive();
            let departures = if me.is_staff() || show {
                Some(departures(c, today)?)
            } else {
                None
            };
            let backlog = if me.is_staff() {
                let first_sample =
                    now - chrono::Duration::weeks(figures::WEEKS.saturating_sub(1) as i64);
                let leavers = q::leavers(c, first_sample)?;
                Some(figures::weekly_backlog(now, figures::WEEKS, &leavers))
            } else {
                None
            };
            let (count, next) = q::pending_dismissals(c)?;
            Ok(Dashboard {
                today,
                departures,
                backlog,
                pending: Pending { count, next },
            })
        })
    }
}

fn departures(c: &Connection, today: NaiveDate) -> Result<Departures> {
    let window = figures::last_months(today, figures::MONTHS);
    let from = window.first().map_or(today, |m| m.first_day());
    let rows = q::departures_by_day(c, from)?;
    let days: Vec<(NaiveDate, u64)> = rows.iter().map(|(d, _, n)| (*d, *n)).collect();
    let months = figures::per_month(today, figures::MONTHS, &days);
    // The same days the months count: none after the current month.
    let in_window = |d: &NaiveDate| Month::of(*d) <= Month::of(today);
    let reasons = Reason::ALL
        .iter()
        .copied()
        .map(Some)
        .chain(std::iter::once(None))
        .map(|reason| {
            let n = rows
                .iter()
                .filter(|(d, r, _)| *r == reason && in_window(d))
                .map(|(_, _, n)| n)
                .sum();
            (reason, n)
        })
        .collect();
    Ok(Departures { months, reasons })
}
