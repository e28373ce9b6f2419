//! The dashboard's arithmetic, as pure functions over values: which months a window
//! holds and how departures fall into them, and for how long someone who left counts
//! in the handover backlog, sampled once a week.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// A calendar month (in UTC, as every moment is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month before this one.
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// "Jan" … "Dec".
    pub fn short_name(self) -> &'static str {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        NAMES[(self.month.clamp(1, 12) - 1) as usize]
    }
}

/// How many months the departures chart covers: the current one and the eleven before.
pub const MONTHS: usize = 12;

/// How many weekly samples the backlog line has: a year's worth, the last one now.
pub const WEEKS: usize = 52;

/// The `n` months that end with the one `today` is in, oldest first.
pub fn last_months(today: NaiveDate, n: usize) -> Vec<Month> {
    let mut v = Vec::with_capacity(n);
    let mut m = Month::of(today);
    for _ in 0..n {
        v.push(m);
        m = m.previous();
    }
    v.reverse();
    v
}

/// Departures per month over the `n` months that end with `today`'s, oldest first, every
/// month present (those nobody left in with 0). `days` holds how many left on a day;
/// days outside the window are not counted.
pub fn per_month(today: NaiveDate, n: usize, days: &[(NaiveDate, u64)]) -> Vec<(Month, u64)> {
    let mut out: Vec<(Month, u64)> = last_months(today, n).into_iter().map(|m| (m, 0)).collect();
    for (day, count) in days {
        let m = Month::of(*day);
        if let Some(slot) = out.iter_mut().find(|(month, _)| *month == m) {
            slot.1 += count;
        }
    }
    out
}

/// What the store knows of one departure that took effect, for the backlog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaver {
    /// When the departure took effect.
    pub left: DateTime<Utc>,
    /// When they were hired back, if they were.
    pub rehired: Option<DateTime<Utc>>,
    /// Still dismissed (this is their latest departure) and still owning work now.
    pub owns_now: bool,
    /// The last handover of their work (a `reassign` audit event about them) after they
    /// left and before a rehire; it does not matter for one who still owns work.
    pub last_handover: Option<DateTime<Utc>>,
}

impl Leaver {
    /// The time they count in the backlog, from `left` until the end (none: still now).
    /// Someone who still owns work counts from leaving until now; otherwise until the
    /// last handover of their work. Nothing dates work that ended otherwise (a task
    /// closed, or a rehire before any handover), so such a leaver is not counted.
    pub fn in_backlog(&self) -> Option<(DateTime<Utc>, Option<DateTime<Utc>>)> {
        if self.owns_now && self.rehired.is_none() {
            return Some((self.left, None));
        }
        let end = self.last_handover?;
        let end = match self.rehired {
            Some(back) => end.min(back),
            None => end,
        };
        (end > self.left).then_some((self.left, Some(end)))
    }
}

/// How many leavers were in the backlog at each of `n` moments a week apart, oldest
/// first, the last one `now`.
pub fn weekly_backlog(now: DateTime<Utc>, n: usize, leavers: &[Leaver]) -> Vec<u64> {
    let spans: Vec<_> = leavers.iter().filter_map(Leaver::in_backlog).collect();
    (0..n)
        .rev()
        .map(|weeks_ago| {
            let at = now - Duration::weeks(weeks_ago as i64);
            spans
                .iter()
                .filter(|(from, until)| *from <= at && until.is_none_or(|u| at < u))
                .count() as u64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    fn month(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    #[test]
    fn the_window_is_twelve_months_ending_with_the_current_one() {
        let m = last_months(day(2026, 7, 31), MONTHS);
        assert_eq!(m.len(), 12);
        assert_eq!(m[0], month(2025, 8));
        assert_eq!(m[11], month(2026, 7));
    }

    #[test]
    fn the_window_crosses_the_year_boundary_in_order() {
        let m = last_months(day(2026, 2, 10), MONTHS);
        let names: Vec<String> = m
            .iter()
            .map(|m| format!("{} {}", m.short_name(), m.year))
            .collect();
        assert_eq!(
            names,
            [
                "Mar 2025", "Apr 2025", "May 2025", "Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025",
                "Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026"
            ]
        );
        // In January the window is the whole previous year from February on.
        let jan = last_months(day(2027, 1, 1), MONTHS);
        assert_eq!((jan[0], jan[11]), (month(2026, 2), month(2027, 1)));
    }

    #[test]
    fn months_nobody_left_in_are_there_with_zero() {
        let counts = per_month(day(2026, 5, 20), MONTHS, &[(day(2026, 1, 3), 2)]);
        assert_eq!(counts.len(), 12);
        assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 2);
        assert!(
            counts
                .iter()
                .all(|(m, n)| (*m == month(2026, 1)) == (*n == 2))
        );
        assert!(
            per_month(day(2026, 5, 20), MONTHS, &[])
                .iter()
                .all(|c| c.1 == 0)
        );
    }

    #[test]
    fn days_fall_into_their_months_across_the_year_boundary() {
        let today = day(2026, 2, 10);
        let days = [
            (day(2025, 2, 28), 5), // thirteen months back: outside
            (day(2025, 3, 1), 1),  // the first day of the window
            (day(2025, 12, 31), 2),
            (day(2026, 1, 1), 3),
            (day(2026, 1, 31), 1),
        ];
        let counts = per_month(today, MONTHS, &days);
        let get = |y, m| counts.iter().find(|c| c.0 == month(y, m)).unwrap().1;
        assert_eq!(get(2025, 3), 1);
        assert_eq!(get(2025, 12), 2);
        assert_eq!(get(2026, 1), 4);
        assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 7);
    }

    #[test]
    fn the_current_month_counts_up_to_today_and_is_last() {
        let today = day(2026, 11, 15);
        let counts = per_month(
            today,
            MONTHS,
            &[(day(2026, 11, 1), 1), (today, 2), (day(2026, 10, 31), 4)],
        );
        assert_eq!(counts[11], (month(2026, 11), 3));
        assert_eq!(counts[10], (month(2026, 10), 4));
    }

    #[test]
    fn a_leaver_who_still_owns_work_counts_until_now() {
        let l = Leaver {
            left: at(2026, 1, 5),
            rehired: None,
            owns_now: true,
            last_handover: Some(at(2026, 2, 1)),
        };
        assert_eq!(l.in_backlog(), Some((at(2026, 1, 5), None)));
    }

    #[test]
    fn a_leaver_counts_until_the_last_handover_or_the_rehire() {
        let handed = Leaver {
            left: at(2026, 1, 5),
            rehired: None,
            owns_now: false,
            last_handover: Some(at(2026, 3, 1)),
        };
        assert_eq!(
            handed.in_backlog(),
            Some((at(2026, 1, 5), Some(at(2026, 3, 1))))
        );
        // Back at work before the handover was finished: until the rehire.
        let back = Leaver {
            rehired: Some(at(2026, 2, 1)),
            owns_now: true,
            ..handed
        };
        assert_eq!(
            back.in_backlog(),
            Some((at(2026, 1, 5), Some(at(2026, 2, 1))))
        );
        // Nothing dates the end of work that was not handed over: not counted.
        let closed = Leaver {
            last_handover: None,
            ..handed
        };
        assert_eq!(closed.in_backlog(), None);
        // Handed over when leaving (the same moment): never in the backlog.
        let at_once = Leaver {
            last_handover: Some(handed.left),
            ..handed
        };
        assert_eq!(at_once.in_backlog(), None);
    }

    #[test]
    fn the_weekly_line_ends_now_and_counts_who_was_in_the_backlog_each_week() {
        let now = at(2026, 6, 1);
        let leavers = [
            // Left 10 weeks ago, still owns work.
            Leaver {
                left: now - Duration::weeks(10),
                rehired: None,
                owns_now: true,
                last_handover: None,
            },
            // Left 8 weeks ago, handed over 3 weeks ago (a day after that sample).
            Leaver {
                left: now - Duration::weeks(8),
                rehired: None,
                owns_now: false,
                last_handover: Some(now - Duration::weeks(3) + Duration::days(1)),
            },
            // Left two years ago and never handed over: no line at all.
            Leaver {
                left: now - Duration::weeks(100),
                rehired: None,
                owns_now: false,
                last_handover: None,
            },
        ];
        let line = weekly_backlog(now, 12, &leavers);
        assert_eq!(line.len(), 12);
        // Oldest first: 11 and 10 weeks ago …, 0 weeks ago (now) last.
        assert_eq!(line, [0, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1]);
    }
}
