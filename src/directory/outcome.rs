//! What a change did, worded once: the command line prints these (and adds its own
//! next step, such as where the URL is), the TUI shows them in its status line.

use std::fmt;

use chrono::NaiveDate;

use super::*;

/// "Dismissed Tobias Lang; 2 integrations moved to a system user (system.tlang)": the
/// same words on the command line and in the TUI.
impl fmt::Display for DismissOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dismissed {}", self.employee.name())?;
        if !self.kept.is_empty() {
            write!(
                f,
                "; {} moved to a system user ({}) and keep working",
                integrations(self.kept.len()),
                self.system_user.as_deref().unwrap_or("")
            )?;
        }
        if !self.disabled.is_empty() {
            write!(f, "; {} disabled", integrations(self.disabled.len()))?;
        }
        Ok(())
    }
}

impl fmt::Display for Dismissal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dismissal::Done(o) => o.fmt(f),
            Dismissal::AsOfToday { login } => write!(f, "Dismissed {login} as of today"),
            Dismissal::Scheduled { login, on } => {
                write!(
                    f,
                    "{login} is leaving on {on}: the dismissal is applied then"
                )
            }
        }
    }
}

/// "Hired Lukas Brandt back; 1 integration returned to them".
impl fmt::Display for HireOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hired {} back", self.employee.name())?;
        if !self.returned.is_empty() {
            write!(
                f,
                "; {} returned to them",
                integrations(self.returned.len())
            )?;
        }
        Ok(())
    }
}

/// "1 integration", "2 integrations".
fn integrations(n: usize) -> String {
    format!("{n} integration{}", if n == 1 { "" } else { "s" })
}

/// "Dismissed 2 of 3: jdoe, amehta; skipped hr (hr may not dismiss themselves)".
pub struct BulkSummary<'a> {
    pub results: &'a [BulkResult],
    pub dismissal: bool,
    /// How each interface words a refusal.
    pub say: fn(&Error) -> String,
}

impl fmt::Display for BulkSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done: Vec<&str> = self
            .results
            .iter()
            .filter(|r| r.outcome.is_ok())
            .map(|r| r.login.as_str())
            .collect();
        // Dismissals on a later day are scheduled, not done.
        let scheduled = self.results.iter().find_map(|r| match &r.outcome {
            Ok(Changed::Scheduled(Dismissal::Scheduled { on, .. })) => Some(*on),
            _ => None,
        });
        let verb = match (self.dismissal, scheduled) {
            (true, Some(on)) => format!("Scheduled the dismissal on {on} of"),
            (true, None) => "Dismissed".into(),
            (false, _) => "Hired".into(),
        };
        write!(
            f,
            "{verb} {} of {}: {}",
            done.len(),
            self.results.len(),
            done.join(", ")
        )?;
        let skipped: Vec<String> = self
            .results
            .iter()
            .filter_map(|r| {
                r.outcome
                    .as_ref()
                    .err()
                    .map(|e| format!("{} ({})", r.login, (self.say)(e)))
            })
            .collect();
        if !skipped.is_empty() {
            write!(f, "; skipped {}", skipped.join(", "))?;
        }
        Ok(())
    }
}

/// "Created integration #5 \"CRM sync\" [user,crm], owned by tlang".
pub struct Created<'a>(pub &'a Integration);

impl fmt::Display for Created<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        write!(
            f,
            "Created integration #{} \"{}\" [{}], owned by {}",
            i.id, i.title, i.scopes, i.owner
        )
    }
}

/// An edit: "Updated integration #5 …", or, when the editor took it over, "Integration
/// #5 is now yours (it was held by system.tlang); the old URL no longer works".
impl fmt::Display for EditOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.new_url.is_some() {
            TakenOver {
                integration: &self.integration,
                previous_owner: &self.previous_owner,
            }
            .fmt(f)
        } else {
            let i = &self.integration;
            write!(
                f,
                "Updated integration #{} \"{}\" [{}]",
                i.id, i.title, i.scopes
            )
        }
    }
}

/// An integration the editor took over; the old URL stopped.
pub struct TakenOver<'a> {
    pub integration: &'a Integration,
    pub previous_owner: &'a str,
}

impl fmt::Display for TakenOver<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Integration #{} is now yours (it was held by {}); the old URL no longer works",
            self.integration.id, self.previous_owner
        )
    }
}

/// "New secret for integration #5 \"CRM sync\", owned by tlang; the old URL no longer works".
pub struct Regenerated<'a>(pub &'a Integration);

impl fmt::Display for Regenerated<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        write!(
            f,
            "New secret for integration #{} \"{}\", owned by {}; the old URL no longer works",
            i.id, i.title, i.owner
        )
    }
}

/// An integration disabled or enabled.
pub struct Toggled<'a> {
    pub integration: &'a Integration,
    pub enabled: bool,
}

impl fmt::Display for Toggled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.integration;
        if self.enabled {
            write!(
                f,
                "Enabled integration #{} \"{}\": its URL works again",
                i.id, i.title
            )
        } else {
            write!(
                f,
                "Disabled integration #{} \"{}\": its URL stopped working",
                i.id, i.title
            )
        }
    }
}

/// Company-structure access granted or revoked.
pub struct AccessChanged<'a> {
    pub employee: &'a Employee,
    pub granted: bool,
}

impl fmt::Display for AccessChanged<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.employee;
        if self.granted {
            write!(
                f,
                "Granted company-structure access to {} ({})",
                e.name(),
                e.login
            )
        } else {
            write!(
                f,
                "Revoked company-structure access from {} ({})",
                e.name(),
                e.login
            )
        }
    }
}

/// A scheduled dismissal canceled before it was due.
pub struct Canceled<'a> {
    pub login: &'a str,
    pub on: NaiveDate,
}

impl fmt::Display for Canceled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Canceled the dismissal of {} scheduled for {}",
            self.login, self.on
        )
    }
}

/// "Moved from elarsen to jdoe: 2 tasks, 0 CRM items, 1 file, 0 mailboxes".
pub struct Moved<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub moved: Owned,
}

impl fmt::Display for Moved<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Moved from {} to {}: {}", self.from, self.to, self.moved)
    }
}

/// "Added SSH key #3 (ssh-ed25519 SHA256:…) for jdoe".
pub struct KeyAdded<'a>(pub &'a SshKey);

impl fmt::Display for KeyAdded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.0;
        write!(
            f,
            "Added SSH key #{} ({} {}) for {}",
            k.id, k.algorithm, k.fingerprint, k.login
        )
    }
}

/// "Removed SSH key #3 (SHA256:…) of jdoe: it no longer signs in".
pub struct KeyRemoved<'a>(pub &'a SshKey);

impl fmt::Display for KeyRemoved<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.0;
        write!(
            f,
            "Removed SSH key #{} ({}) of {}: it no longer signs in",
            k.id, k.fingerprint, k.login
        )
    }
}
