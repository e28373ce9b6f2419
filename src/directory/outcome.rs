//! What a change did, worded once: the command line prints these (and adds its own
//! next step, such as where the URL is), the TUI shows them in its status line.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;

use super::*;
use crate::domain::text::escape;

/// How every sentence names a person: by name, then login, "Tobias Lang (tlang)": the
/// name to recognise them by, the login to type in a command or a search, and two people
/// of the same name told apart. A system user is named by its login alone
/// ("system.tlang"): it is not a person, and its name is only its employee's with
/// "(system user)" added. So is someone whose name is not known (a login that named
/// nobody). Both parts are escaped for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<'a> {
    name: Cow<'a, str>,
    login: &'a str,
}

impl<'a> Named<'a> {
    /// A person by the name and login kept for them.
    pub fn new(name: &'a str, login: &'a str) -> Self {
        Named {
            name: Cow::Borrowed(name),
            login,
        }
    }

    /// By the login alone: a system user, or a login that names nobody.
    pub fn login(login: &'a str) -> Self {
        Named {
            name: Cow::Borrowed(""),
            login,
        }
    }

    /// By name and login when the name is known, else by the login alone.
    pub fn maybe(name: Option<&'a str>, login: &'a str) -> Self {
        Named::new(name.unwrap_or(""), login)
    }

    /// An employee, or a system user by its login.
    pub fn of(e: &'a Employee) -> Self {
        if e.is_system() {
            Named::login(&e.login)
        } else {
            Named {
                name: Cow::Owned(e.name()),
                login: &e.login,
            }
        }
    }

    /// The owner of an integration (often a system user, after a dismissal).
    pub fn owner(i: &'a Integration) -> Self {
        if i.owner_kind == Kind::System {
            Named::login(&i.owner)
        } else {
            Named::new(&i.owner_name, &i.owner)
        }
    }

    /// Whom an integration was transferred from, if anyone.
    pub fn transferred_from(i: &'a Integration) -> Option<Self> {
        let login = i.transferred_from.as_deref()?;
        Some(match (&i.transferred_from_kind, &i.transferred_from_name) {
            (Some(Kind::Employee), Some(name)) => Named::new(name, login),
            _ => Named::login(login),
        })
    }
}

/// "Tobias Lang (tlang)", or "system.tlang".
impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name.trim();
        if name.is_empty() {
            write!(f, "{}", escape(self.login))
        } else {
            write!(f, "{} ({})", escape(name), escape(self.login))
        }
    }
}

/// "Dismissed Tobias Lang (tlang); 2 integrations moved to a system user (system.tlang)":
/// the same words on the command line and in the TUI.
impl fmt::Display for DismissOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dismissed {}", Named::of(&self.employee))?;
        if !self.kept.is_empty() {
            write!(
                f,
                "; {} moved to a system user ({}) and keep working",
                integrations(self.kept.len()),
                Named::login(self.system_user.as_deref().unwrap_or(""))
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
            Dismissal::AsOfToday { login, name } => {
                write!(f, "Dismissed {} as of today", Named::new(name, login))
            }
            Dismissal::Scheduled { login, name, on } => {
                write!(
                    f,
                    "{} is leaving on {on}: the dismissal is applied then",
                    Named::new(name, login)
                )
            }
        }
    }
}

/// "Hired Lukas Brandt (lbrandt) back; 1 integration returned to them".
impl fmt::Display for HireOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hired {} back", Named::of(&self.employee))?;
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

/// "Dismissed 2 of 3: Jane Doe (jdoe), Aisha Mehta (amehta); skipped Helen Roe (hr): hr
/// may not dismiss themselves".
pub struct BulkSummary<'a> {
    pub results: &'a [BulkResult],
    pub dismissal: bool,
    /// How each interface words a refusal.
    pub say: fn(&Error) -> String,
}

impl fmt::Display for BulkSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done: Vec<String> = self
            .results
            .iter()
            .filter(|r| r.outcome.is_ok())
            .map(|r| r.named().to_string())
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
        // Each skip its own clause: a reason may hold commas of its own.
        for r in self.results {
            if let Err(e) = &r.outcome {
                write!(f, "; skipped {}: {}", r.named(), (self.say)(e))?;
            }
        }
        Ok(())
    }
}

/// "Created integration #5 \"CRM sync\" [user,crm], owned by Tobias Lang (tlang)".
pub struct Created<'a>(pub &'a Integration);

impl fmt::Display for Created<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        write!(
            f,
            "Created integration #{} \"{}\" [{}], owned by {}",
            i.id,
            i.title,
            i.scopes,
            Named::owner(i)
        )
    }
}

/// An edit: "Updated integration #5 …", or, when the editor took it over, "Integration
/// #5 is now yours, taken over from system.tlang; the old URL no longer works".
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

/// An integration the editor took over from its previous owner (a system user, or a
/// dismissed employee); the old URL stopped.
pub struct TakenOver<'a> {
    pub integration: &'a Integration,
    pub previous_owner: &'a Employee,
}

impl fmt::Display for TakenOver<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Integration #{} is now yours, taken over from {}; the old URL no longer works",
            self.integration.id,
            Named::of(self.previous_owner)
        )
    }
}

/// "New secret for integration #5 \"CRM sync\", owned by Tobias Lang (tlang); the old URL
/// no longer works".
pub struct Regenerated<'a>(pub &'a Integration);

impl fmt::Display for Regenerated<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        write!(
            f,
            "New secret for integration #{} \"{}\", owned by {}; the old URL no longer works",
            i.id,
            i.title,
            Named::owner(i)
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
        let who = Named::of(self.employee);
        if self.granted {
            write!(f, "Granted company-structure access to {who}")
        } else {
            write!(f, "Revoked company-structure access from {who}")
        }
    }
}

/// "Canceled the dismissal of Erik Larsen (elarsen) scheduled for 2026-12-01".
pub struct Canceled<'a> {
    pub employee: &'a Employee,
    pub on: NaiveDate,
}

impl fmt::Display for Canceled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Canceled the dismissal of {} scheduled for {}",
            Named::of(self.employee),
            self.on
        )
    }
}

/// "Moved from Erik Larsen (elarsen) to Jane Doe (jdoe): 2 tasks, 0 CRM items, 1 file, 0
/// mailboxes".
pub struct Moved<'a>(pub &'a Handover);

impl fmt::Display for Moved<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.0;
        write!(
            f,
            "Moved from {} to {}: {}",
            Named::of(&h.from),
            Named::of(&h.to),
            h.moved
        )
    }
}

/// "Handed to Jane Doe (jdoe): 2 tasks, 0 CRM items, 1 file, 0 mailboxes": the first half
/// of a handover then a dismissal, whose second half is the `DismissOutcome`.
pub struct HandedTo<'a>(pub &'a Handover);

impl fmt::Display for HandedTo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handed to {}: {}", Named::of(&self.0.to), self.0.moved)
    }
}

/// "Added SSH key #3 (ssh-ed25519 SHA256:…) for Jane Doe (jdoe)".
pub struct KeyAdded<'a>(pub &'a SshKey);

impl fmt::Display for KeyAdded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.0;
        write!(
            f,
            "Added SSH key #{} ({} {}) for {}",
            k.id,
            k.algorithm,
            k.fingerprint,
            Named::new(&k.name, &k.login)
        )
    }
}

/// "Removed SSH key #3 (SHA256:…) of Jane Doe (jdoe): it no longer signs in".
pub struct KeyRemoved<'a>(pub &'a SshKey);

impl fmt::Display for KeyRemoved<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.0;
        write!(
            f,
            "Removed SSH key #{} ({}) of {}: it no longer signs in",
            k.id,
            k.fingerprint,
            Named::new(&k.name, &k.login)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Denial, IntegrationStatus};

    fn person(id: i64, login: &str, first: &str, last: &str) -> Employee {
        Employee {
            id: EmployeeId(id),
            login: login.into(),
            first_name: first.into(),
            last_name: last.into(),
            email: String::new(),
            position: String::new(),
            department: None,
            hired_on: NaiveDate::default(),
            status: Status::Active,
            kind: Kind::Employee,
            is_admin: false,
            structure_access: false,
            system_for: None,
        }
    }

    fn tobias() -> Employee {
        person(1, "tlang", "Tobias", "Lang")
    }

    fn system_user() -> Employee {
        Employee {
            kind: Kind::System,
            system_for: Some(EmployeeId(1)),
            ..person(9, "system.tlang", "Tobias", "Lang (system user)")
        }
    }

    fn integration(owner: &Employee) -> Integration {
        Integration {
            id: IntegrationId(5),
            title: "CRM sync".into(),
            owner: owner.login.clone(),
            owner_id: owner.id,
            owner_kind: owner.kind,
            owner_name: owner.name(),
            transferred_from: None,
            transferred_from_name: None,
            transferred_from_kind: None,
            scopes: "user,crm".parse().expect("scopes"),
            status: IntegrationStatus::Active,
            created_at: DateTime::default(),
            created_by: owner.login.clone(),
            edited_at: None,
            edited_by: None,
        }
    }

    fn key(owner: &Employee) -> SshKey {
        SshKey {
            id: 3,
            login: owner.login.clone(),
            name: owner.name(),
            owner_id: owner.id,
            algorithm: "ssh-ed25519".into(),
            fingerprint: "SHA256:abc".into(),
            comment: String::new(),
            bits: None,
            added_at: DateTime::default(),
            added_by: "admin".into(),
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 31).expect("day")
    }

    #[test]
    fn a_person_is_named_by_name_then_login_and_a_system_user_by_its_login() {
        assert_eq!(Named::of(&tobias()).to_string(), "Tobias Lang (tlang)");
        assert_eq!(
            Named::new("Jane Doe", "jdoe").to_string(),
            "Jane Doe (jdoe)"
        );
        assert_eq!(Named::of(&system_user()).to_string(), "system.tlang");
        assert_eq!(
            Named::owner(&integration(&system_user())).to_string(),
            "system.tlang"
        );
        assert_eq!(
            Named::owner(&integration(&tobias())).to_string(),
            "Tobias Lang (tlang)"
        );
        let mut moved = integration(&tobias());
        assert_eq!(Named::transferred_from(&moved), None);
        moved.transferred_from = Some("jdoe".into());
        moved.transferred_from_name = Some("Jane Doe".into());
        moved.transferred_from_kind = Some(Kind::Employee);
        let from = Named::transferred_from(&moved).map(|n| n.to_string());
        assert_eq!(from.as_deref(), Some("Jane Doe (jdoe)"));
        moved.transferred_from = Some("system.tlang".into());
        moved.transferred_from_name = Some("Tobias Lang (system user)".into());
        moved.transferred_from_kind = Some(Kind::System);
        let from = Named::transferred_from(&moved).map(|n| n.to_string());
        assert_eq!(from.as_deref(), Some("system.tlang"));
        // A name not known (a login that names nobody): the login alone.
        assert_eq!(Named::login("ghost").to_string(), "ghost");
        assert_eq!(Named::new("  ", "ghost").to_string(), "ghost");
    }

    #[test]
    fn a_name_and_login_are_escaped_for_the_terminal() {
        let e = person(2, "x\u{1b}[2J", "Eve\u{202e}", "Evil\nNext");
        assert_eq!(
            Named::of(&e).to_string(),
            "Eve\\u{202e} Evil\\nNext (x\\e[2J)"
        );
    }

    /// Every outcome sentence that names someone says "Name (login)".
    #[test]
    fn every_outcome_names_a_person_by_name_and_login() {
        let t = tobias();
        let jane = person(2, "jdoe", "Jane", "Doe");
        let dismissed = DismissOutcome {
            employee: t.clone(),
            kept: vec![IntegrationBrief {
                id: IntegrationId(5),
                title: "CRM sync".into(),
                scopes: "user".parse().expect("scopes"),
            }],
            disabled: vec![],
            system_user: Some("system.tlang".into()),
            checklist: None,
        };
        let hired = HireOutcome {
            employee: t.clone(),
            returned: vec![],
            left_with_system_user: vec![],
        };
        let handover = Handover {
            from: t.clone(),
            to: jane.clone(),
            moved: Owned {
                tasks: 2,
                files: 1,
                ..Owned::default()
            },
        };
        let mine = integration(&jane);
        let said = [
            (
                dismissed.to_string(),
                "Dismissed Tobias Lang (tlang); 1 integration moved to a system user (system.tlang) and keep working",
            ),
            (
                Dismissal::AsOfToday {
                    login: "tlang".into(),
                    name: t.name(),
                }
                .to_string(),
                "Dismissed Tobias Lang (tlang) as of today",
            ),
            (
                Dismissal::Scheduled {
                    login: "tlang".into(),
                    name: t.name(),
                    on: day(),
                }
                .to_string(),
                "Tobias Lang (tlang) is leaving on 2026-12-31: the dismissal is applied then",
            ),
            (hired.to_string(), "Hired Tobias Lang (tlang) back"),
            (
                Canceled {
                    employee: &t,
                    on: day(),
                }
                .to_string(),
                "Canceled the dismissal of Tobias Lang (tlang) scheduled for 2026-12-31",
            ),
            (
                Moved(&handover).to_string(),
                "Moved from Tobias Lang (tlang) to Jane Doe (jdoe): 2 tasks, 0 CRM items, 1 file, 0 mailboxes",
            ),
            (
                HandedTo(&handover).to_string(),
                "Handed to Jane Doe (jdoe): 2 tasks, 0 CRM items, 1 file, 0 mailboxes",
            ),
            (
                Created(&mine).to_string(),
                "Created integration #5 \"CRM sync\" [user,crm], owned by Jane Doe (jdoe)",
            ),
            (
                Regenerated(&mine).to_string(),
                "New secret for integration #5 \"CRM sync\", owned by Jane Doe (jdoe); the old URL no longer works",
            ),
            (
                Regenerated(&integration(&system_user())).to_string(),
                "New secret for integration #5 \"CRM sync\", owned by system.tlang; the old URL no longer works",
            ),
            (
                TakenOver {
                    integration: &mine,
                    previous_owner: &t,
                }
                .to_string(),
                "Integration #5 is now yours, taken over from Tobias Lang (tlang); the old URL no longer works",
            ),
            (
                TakenOver {
                    integration: &mine,
                    previous_owner: &system_user(),
                }
                .to_string(),
                "Integration #5 is now yours, taken over from system.tlang; the old URL no longer works",
            ),
            (
                AccessChanged {
                    employee: &jane,
                    granted: true,
                }
                .to_string(),
                "Granted company-structure access to Jane Doe (jdoe)",
            ),
            (
                KeyAdded(&key(&jane)).to_string(),
                "Added SSH key #3 (ssh-ed25519 SHA256:abc) for Jane Doe (jdoe)",
            ),
            (
                KeyRemoved(&key(&jane)).to_string(),
                "Removed SSH key #3 (SHA256:abc) of Jane Doe (jdoe): it no longer signs in",
            ),
        ];
        for (got, want) in said {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn a_bulk_summary_names_who_changed_and_who_was_skipped() {
        let t = tobias();
        let done = |login: &str, name: &str| BulkResult {
            login: login.into(),
            name: Some(name.into()),
            outcome: Ok(Changed::Hired(HireOutcome {
                employee: t.clone(),
                returned: vec![],
                left_with_system_user: vec![],
            })),
        };
        let results = [
            done("tlang", "Tobias Lang"),
            done("jdoe", "Jane Doe"),
            BulkResult {
                login: "hr".into(),
                name: Some("Laura Jensen".into()),
                outcome: Err(Error::Denied(Denial::SelfDismissal { login: "hr".into() })),
            },
        ];
        let said = BulkSummary {
            results: &results,
            dismissal: false,
            say: |e| e.to_string(),
        }
        .to_string();
        assert_eq!(
            said,
            "Hired 2 of 3: Tobias Lang (tlang), Jane Doe (jdoe); skipped Laura Jensen (hr): hr may not dismiss themselves"
        );
    }
}
