//! What a change did, as the executor reports it: typed, and worded by the directory's
//! `Display` (the command line prints the same words).

use std::fmt;

use chrono::NaiveDate;

use crate::directory::{
    AccessChanged, BulkResult, BulkSummary, Canceled, Checklist, Created, DismissOutcome,
    Dismissal, EditOutcome, Handover, HireOutcome, KeyAdded, KeyRemoved, Moved, Regenerated,
    SshKey, StepChanged, TakenOver, Toggled,
};
use crate::domain::{Employee, Integration};

/// A change that went through; the status line says it.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    Dismissed(DismissOutcome),
    /// Dismissed with a date: applied today or scheduled.
    Dismissal(Dismissal),
    Hired(HireOutcome),
    Canceled {
        employee: Employee,
        on: NaiveDate,
    },
    Moved(Handover),
    Bulk {
        dismissal: bool,
        results: Vec<BulkResult>,
    },
    WebhookUpdated(EditOutcome),
    WebhookDisabled(Integration),
    WebhookEnabled(Integration),
    ShowDismissed(bool),
    Access {
        employee: Employee,
        grant: bool,
    },
    KeyAdded(SshKey),
    KeyRemoved(SshKey),
    /// A checklist step ticked done (or reopened): the checklist as it is now.
    Step {
        list: Checklist,
        number: i64,
        done: bool,
    },
}

impl fmt::Display for Done {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Done::Dismissed(o) => o.fmt(f),
            Done::Dismissal(d) => d.fmt(f),
            Done::Hired(o) => o.fmt(f),
            Done::Canceled { employee, on } => Canceled { employee, on: *on }.fmt(f),
            Done::Moved(handover) => Moved(handover).fmt(f),
            Done::Bulk { dismissal, results } => BulkSummary {
                results,
                dismissal: *dismissal,
                say: super::wording::say,
            }
            .fmt(f),
            Done::WebhookUpdated(o) => o.fmt(f),
            Done::WebhookDisabled(integration) => Toggled {
                integration,
                enabled: false,
            }
            .fmt(f),
            Done::WebhookEnabled(integration) => Toggled {
                integration,
                enabled: true,
            }
            .fmt(f),
            // The TUI says what changed on screen; the command line says the state.
            Done::ShowDismissed(on) => write!(
                f,
                "Dismissed employees are now {} in the employee list",
                if *on { "shown" } else { "hidden" }
            ),
            Done::Access { employee, grant } => AccessChanged {
                employee,
                granted: *grant,
            }
            .fmt(f),
            Done::KeyAdded(key) => KeyAdded(key).fmt(f),
            Done::KeyRemoved(key) => KeyRemoved(key).fmt(f),
            Done::Step { list, number, done } => StepChanged {
                list,
                step: *number,
                done: *done,
            }
            .fmt(f),
        }
    }
}

/// A change that issued a webhook URL, shown once.
#[derive(Debug, Clone, PartialEq)]
pub enum Issued {
    Created(Integration),
    /// The editor took the integration over from `previous_owner`.
    TakenOver {
        integration: Integration,
        previous_owner: Employee,
    },
    Regenerated(Integration),
}

impl fmt::Display for Issued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Issued::Created(i) => Created(i).fmt(f),
            Issued::TakenOver {
                integration,
                previous_owner,
            } => TakenOver {
                integration,
                previous_owner,
            }
            .fmt(f),
            Issued::Regenerated(i) => Regenerated(i).fmt(f),
        }
    }
}
