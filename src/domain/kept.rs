//! What integrations kept at a dismissal can still do, said before the choice is made,
//! when the employee they belonged to had more rights than an ordinary employee: the
//! system user that runs them inherits those rights for its data, never for people.

use std::fmt;

use super::{Employee, IntegrationBrief, Scope, ScopeSet};

/// Kept, these integrations run as a system user with an administrator's or
/// company-structure rights, within their scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptRights {
    /// The employee being dismissed.
    pub login: String,
    /// An administrator (else: company-structure access).
    pub admin: bool,
    /// What the kept integrations reach, together.
    pub scopes: ScopeSet,
    /// How many integrations would be kept.
    pub count: usize,
}

impl KeptRights {
    /// `None` for an ordinary employee: their integrations keep only what anyone has.
    pub fn of(target: &Employee, integrations: &[IntegrationBrief]) -> Option<KeptRights> {
        if !target.is_staff() || integrations.is_empty() {
            return None;
        }
        Some(KeptRights {
            login: target.login.clone(),
            admin: target.is_admin,
            scopes: integrations.iter().flat_map(|i| i.scopes.iter()).collect(),
            count: integrations.len(),
        })
    }

    /// What they can still do, scope by scope (REST methods of each scope, with the
    /// rights of staff): "read every employee and change anyone's name, …".
    pub fn can(&self) -> Vec<&'static str> {
        self.scopes
            .iter()
            .map(|s| match s {
                Scope::User => "read every employee and change anyone's name, e-mail and position",
                Scope::Department => "read the departments",
                Scope::Task => "read every task and delegate any of them",
                Scope::Crm => "read every CRM item",
            })
            .collect()
    }
}

/// "kept, they run as a system user with hr's company-structure access: they can still
/// read every employee …; they cannot hire or dismiss anyone, …".
impl fmt::Display for KeptRights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (they, run) = if self.count == 1 {
            ("it", "runs")
        } else {
            ("they", "run")
        };
        let rights = if self.admin {
            "administrator rights"
        } else {
            "company-structure access"
        };
        let can = self.can();
        let list = match can.split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{}, and {last}", rest.join(", ")),
        };
        write!(
            f,
            "kept, {they} {run} as a system user with {}'s {rights}: {they} can still {list}; {they} cannot hire or dismiss anyone, change settings or permissions, add or import employees, or manage keys",
            self.login
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EmployeeId, IntegrationId, Kind, Status};

    fn staff(login: &str, admin: bool) -> Employee {
        Employee {
            id: EmployeeId(1),
            login: login.into(),
            first_name: "A".into(),
            last_name: "B".into(),
            email: String::new(),
            position: String::new(),
            department: None,
            hired_on: chrono::NaiveDate::default(),
            status: Status::Active,
            kind: Kind::Employee,
            is_admin: admin,
            structure_access: !admin,
            system_for: None,
        }
    }

    fn hook(id: i64, scopes: ScopeSet) -> IntegrationBrief {
        IntegrationBrief {
            id: IntegrationId(id),
            title: "Sync".into(),
            scopes,
        }
    }

    #[test]
    fn says_what_kept_integrations_of_staff_can_still_do_and_not_do() {
        let kept = KeptRights::of(
            &staff("hr", false),
            &[hook(9, [Scope::User, Scope::Task].into())],
        );
        let text = kept.map(|k| k.to_string()).unwrap_or_default();
        assert_eq!(
            text,
            "kept, it runs as a system user with hr's company-structure access: it can still \
             read every employee and change anyone's name, e-mail and position, and read every \
             task and delegate any of them; it cannot hire or dismiss anyone, change settings or \
             permissions, add or import employees, or manage keys"
        );
        let two = KeptRights::of(
            &staff("admin", true),
            &[
                hook(1, Scope::Crm.into()),
                hook(2, Scope::Department.into()),
            ],
        )
        .map(|k| k.to_string())
        .unwrap_or_default();
        assert!(
            two.starts_with("kept, they run as a system user with admin's administrator rights: they can still read the departments, and read every CRM item;"),
            "{two}"
        );
        let mut plain = staff("jdoe", false);
        plain.structure_access = false;
        assert_eq!(
            KeptRights::of(&plain, &[hook(3, Scope::User.into())]),
            None,
            "an ordinary employee's integrations inherit nothing to warn about"
        );
    }
}
