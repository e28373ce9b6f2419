//! What a change did, as the executor reports it: typed, and worded once. Outcomes the
//! command line reports too use the directory's `Display`, so both say the same.

use std::fmt;

use chrono::NaiveDate;

use crate::directory::{BulkResult, BulkSummary, DismissOutcome, Dismissal, HireOutcome};
use crate::domain::{Integration, Owned};

/// A change that went through; the status line says it.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    Dismissed(DismissOutcome),
    /// Dismissed with a date: applied today or scheduled.
    Dismissal(Dismissal),
    Hired(HireOutcome),
    Canceled {
        login: String,
        on: NaiveDate,
    },
    Moved {
        from: String,
        to: String,
        moved: Owned,
    },
    Bulk {
        dismissal: bool,
        results: Vec<BulkResult>,
    },
    WebhookUpdated(Integration),
    WebhookDisabled(Integration),
    WebhookEnabled(Integration),
    ShowDismissed(bool),
    Access {
        name: String,
        grant: bool,
    },
}

impl fmt::Display for Done {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Done::Dismissed(o) => o.fmt(f),
            Done::Dismissal(d) => d.fmt(f),
            Done::Hired(o) => o.fmt(f),
            Done::Canceled { login, on } => {
                write!(f, "Canceled the dismissal of {login} scheduled for {on}")
            }
            Done::Moved { from, to, moved } => write!(f, "Moved from {from} to {to}: {moved}"),
            Done::Bulk { dismissal, results } => BulkSummary {
                results,
                dismissal: *dismissal,
                say: super::wording::say,
            }
            .fmt(f),
            Done::WebhookUpdated(i) => write!(f, "Updated integration #{} \"{}\"", i.id, i.title),
            Done::WebhookDisabled(i) => write!(
                f,
                "Disabled integration #{} \"{}\": its URL stopped working",
                i.id, i.title
            ),
            Done::WebhookEnabled(i) => write!(f, "Enabled integration #{} \"{}\"", i.id, i.title),
            Done::ShowDismissed(on) => write!(
                f,
                "Dismissed employees are now {} in the employee list",
                if *on { "shown" } else { "hidden" }
            ),
            Done::Access { name, grant: true } => {
                write!(f, "Granted company-structure access to {name}")
            }
            Done::Access { name, grant: false } => {
                write!(f, "Revoked company-structure access from {name}")
            }
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
        previous_owner: String,
    },
    Regenerated(Integration),
}

impl fmt::Display for Issued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Issued::Created(i) => write!(
                f,
                "Created integration #{} \"{}\" [{}]",
                i.id, i.title, i.scopes
            ),
            Issued::TakenOver {
                integration,
                previous_owner,
            } => write!(
                f,
                "Integration #{} is now yours (it was held by {previous_owner}); the old URL no longer works",
                integration.id
            ),
            Issued::Regenerated(i) => write!(
                f,
                "New secret for integration #{} \"{}\"; the old URL no longer works",
                i.id, i.title
            ),
        }
    }
}
