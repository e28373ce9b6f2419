//! The rules of SPEC §2–§4 as pure functions over values. The directory loads the
//! facts inside its transaction and asks these; nothing here touches storage.

use super::{
    Employee, Error, IntegrationBrief, IntegrationChoice, Kind, Result, Status, StatusFilter,
};

/// The acting user must exist and be active. System users act only through webhooks.
pub fn ensure_can_act(actor: &Employee) -> Result<()> {
    if actor.status == Status::Dismissed {
        return Err(Error::AccessRevoked(format!(
            "{} is dismissed and has no access",
            actor.login
        )));
    }
    Ok(())
}

/// Signing in (CLI, TUI): like acting, and system users cannot log in at all.
pub fn ensure_can_sign_in(actor: &Employee) -> Result<()> {
    ensure_can_act(actor)?;
    if actor.kind == Kind::System {
        return Err(Error::AccessRevoked(format!(
            "{} is a system user and cannot sign in",
            actor.login
        )));
    }
    Ok(())
}

/// Dismiss, hire, reassign, add and import need an administrator or company-structure access.
pub fn ensure_staff(actor: &Employee, doing: &str) -> Result<()> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(Error::Denied(format!(
            "{} may not {doing}: company-structure access is required",
            actor.login
        )))
    }
}

/// Settings and permissions: administrators only.
pub fn ensure_admin(actor: &Employee, doing: &str) -> Result<()> {
    if actor.is_admin {
        Ok(())
    } else {
        Err(Error::Denied(format!(
            "{} may not {doing}: only administrators may",
            actor.login
        )))
    }
}

/// Reports (audit, export, the handover backlog): administrators and company-structure staff.
pub fn ensure_may_read_reports(actor: &Employee, report: &str) -> Result<()> {
    ensure_staff(actor, &format!("read the {report}"))
}

/// May `actor` dismiss `target`? `active_admins` counts active administrators (people, not
/// system users) including the target. `active_integrations` are the target's.
pub fn check_dismiss(
    actor: &Employee,
    target: &Employee,
    active_admins: i64,
    active_integrations: &[IntegrationBrief],
    choice: Option<IntegrationChoice>,
) -> Result<()> {
    ensure_staff(actor, "dismiss employees")?;
    if target.kind == Kind::System {
        return Err(Error::Denied(format!(
            "{} is a system user: system users cannot be dismissed",
            target.login
        )));
    }
    if actor.id == target.id {
        return Err(Error::Denied(format!(
            "{} may not dismiss themselves",
            actor.login
        )));
    }
    if target.status == Status::Dismissed {
        return Err(Error::WrongState(format!(
            "{} is already dismissed",
            target.login
        )));
    }
    if target.is_admin && active_admins <= 1 {
        return Err(Error::Denied(format!(
            "{} is the last active administrator and cannot be dismissed",
            target.login
        )));
    }
    if !active_integrations.is_empty() && choice.is_none() {
        let list = active_integrations
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::ChoiceNeeded {
            message: format!(
                "{} owns {} active integration{} ({list})",
                target.login,
                active_integrations.len(),
                if active_integrations.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ),
            integrations: active_integrations.to_vec(),
        });
    }
    Ok(())
}

pub fn check_hire(actor: &Employee, target: &Employee) -> Result<()> {
    ensure_staff(actor, "hire employees")?;
    if target.kind == Kind::System {
        return Err(Error::Denied(format!(
            "{} is a system user: system users cannot be hired",
            target.login
        )));
    }
    if target.status == Status::Active {
        return Err(Error::WrongState(format!(
            "{} is already active",
            target.login
        )));
    }
    Ok(())
}

/// A target for new responsibilities (reassign, new integration owner) must be an
/// active person.
pub fn check_successor(to: &Employee) -> Result<()> {
    if to.kind == Kind::System {
        return Err(Error::WrongState(format!(
            "{} is a system user and cannot take over work",
            to.login
        )));
    }
    if to.status == Status::Dismissed {
        return Err(Error::WrongState(format!(
            "{} is dismissed and cannot take over work",
            to.login
        )));
    }
    Ok(())
}

pub fn check_reassign(actor: &Employee, from: &Employee, to: &Employee) -> Result<()> {
    ensure_staff(actor, "reassign responsibilities")?;
    if from.kind == Kind::System {
        return Err(Error::Denied(format!(
            "{} is a system user: it holds integrations only; edit them to take them over",
            from.login
        )));
    }
    check_successor(to)?;
    if from.id == to.id {
        return Err(Error::Invalid(format!(
            "cannot reassign {}'s work to {} themselves",
            from.login, to.login
        )));
    }
    Ok(())
}

/// What editing an integration does to its ownership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditEffect {
    /// The owner stays; the secret stays.
    KeepOwner,
    /// The editor becomes the owner and a new secret is issued (SPEC §3): the integration
    /// belonged to a system user or to a dismissed employee, who can no longer manage it.
    TakeOver,
}

/// May `actor` edit (or regenerate) an integration owned by `owner`, and what happens if so?
/// SPEC §2: the owner or an administrator; for a system user's integration also
/// company-structure staff, and whoever edits it then becomes its owner (§3). An
/// administrator who edits a dismissed employee's integration takes it over the same
/// way, since its owner can no longer manage it.
pub fn check_integration_edit(actor: &Employee, owner: &Employee) -> Result<EditEffect> {
    if actor.id == owner.id {
        return Ok(EditEffect::KeepOwner);
    }
    if actor.kind == Kind::System {
        return Err(Error::Denied(format!(
            "{} is a system user and may not manage other integrations",
            actor.login
        )));
    }
    if owner.kind == Kind::System && actor.is_staff() {
        return Ok(EditEffect::TakeOver);
    }
    if actor.is_admin {
        return Ok(if owner.status == Status::Dismissed {
            EditEffect::TakeOver
        } else {
            EditEffect::KeepOwner
        });
    }
    Err(Error::Denied(format!(
        "{} may not manage an integration owned by {}: only its owner or an administrator may{}",
        actor.login,
        owner.login,
        if owner.kind == Kind::System {
            " (or company-structure staff)"
        } else {
            ""
        }
    )))
}

/// Disable and enable: the owner or an administrator (SPEC §2). Ownership does not change.
pub fn check_integration_toggle(actor: &Employee, owner: &Employee, enabling: bool) -> Result<()> {
    if !(actor.id == owner.id || actor.is_admin) {
        return Err(Error::Denied(format!(
            "{} may not {} an integration owned by {}: only its owner or an administrator may",
            actor.login,
            if enabling { "enable" } else { "disable" },
            owner.login
        )));
    }
    if enabling && owner.status == Status::Dismissed {
        return Err(Error::WrongState(format!(
            "its owner {} is dismissed: edit the integration to take it over, or hire {} first",
            owner.login, owner.login
        )));
    }
    Ok(())
}

/// SPEC §4: with `show_dismissed` off, no list shows dismissed employees.
pub fn check_list_filter(show_dismissed: bool, filter: StatusFilter) -> Result<()> {
    if !show_dismissed && filter != StatusFilter::Active {
        return Err(Error::SettingOff(format!(
            "listing {} employees needs the setting show_dismissed, which is off; an administrator can turn it on with `offboard settings show-dismissed on` (a dismissed employee's profile stays reachable with `offboard show LOGIN`)",
            filter
        )));
    }
    Ok(())
}

/// Grant or revoke company-structure access.
pub fn check_permission_change(actor: &Employee, target: &Employee, grant: bool) -> Result<()> {
    ensure_admin(
        actor,
        if grant {
            "grant company-structure access"
        } else {
            "revoke company-structure access"
        },
    )?;
    if target.kind == Kind::System {
        return Err(Error::Denied(format!(
            "{} is a system user: its rights follow the employee it replaces",
            target.login
        )));
    }
    if grant && target.status == Status::Dismissed {
        return Err(Error::WrongState(format!(
            "{} is dismissed: hire them before granting access",
            target.login
        )));
    }
    if grant && target.structure_access {
        return Err(Error::WrongState(format!(
            "{} already has company-structure access",
            target.login
        )));
    }
    if !grant && !target.structure_access {
        return Err(Error::WrongState(format!(
            "{} does not have company-structure access",
            target.login
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Scope;

    fn person(id: i64, login: &str) -> Employee {
        Employee {
            id: crate::domain::EmployeeId(id),
            login: login.into(),
            first_name: "A".into(),
            last_name: "B".into(),
            email: format!("{login}@x.test"),
            position: String::new(),
            department: None,
            hired_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
            status: Status::Active,
            kind: Kind::Employee,
            is_admin: false,
            structure_access: false,
            system_for: None,
        }
    }

    #[test]
    fn ordinary_employee_cannot_dismiss() {
        let actor = person(1, "jdoe");
        let target = person(2, "bob");
        let err = check_dismiss(&actor, &target, 1, &[], None).unwrap_err();
        assert!(
            err.to_string()
                .contains("company-structure access is required")
        );
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn structure_staff_can_dismiss_but_not_themselves() {
        let mut actor = person(1, "hr");
        actor.structure_access = true;
        assert!(check_dismiss(&actor, &person(2, "bob"), 1, &[], None).is_ok());
        assert!(check_dismiss(&actor, &actor.clone(), 1, &[], None).is_err());
    }

    #[test]
    fn last_admin_is_protected() {
        let mut actor = person(1, "hr");
        actor.structure_access = true;
        let mut admin = person(2, "admin");
        admin.is_admin = true;
        assert!(check_dismiss(&actor, &admin, 1, &[], None).is_err());
        assert!(check_dismiss(&actor, &admin, 2, &[], None).is_ok());
    }

    #[test]
    fn integrations_need_a_choice() {
        let mut actor = person(1, "hr");
        actor.structure_access = true;
        let brief = IntegrationBrief {
            id: crate::domain::IntegrationId(7),
            title: "Sync".into(),
            scopes: Scope::Crm.into(),
        };
        let err = check_dismiss(
            &actor,
            &person(2, "bob"),
            1,
            std::slice::from_ref(&brief),
            None,
        )
        .unwrap_err();
        assert!(matches!(err, Error::ChoiceNeeded { .. }));
        assert!(err.to_string().contains("Sync"));
        assert!(
            check_dismiss(
                &actor,
                &person(2, "bob"),
                1,
                &[brief],
                Some(IntegrationChoice::Keep)
            )
            .is_ok()
        );
    }

    #[test]
    fn takeover_of_system_users_integration() {
        let mut staff = person(1, "hr");
        staff.structure_access = true;
        let mut sys = person(2, "system.bob");
        sys.kind = Kind::System;
        assert_eq!(
            check_integration_edit(&staff, &sys).unwrap(),
            EditEffect::TakeOver
        );
        let plain = person(3, "jdoe");
        assert!(check_integration_edit(&plain, &sys).is_err());
        let owner = person(4, "amy");
        assert!(check_integration_edit(&staff, &owner).is_err());
        let mut admin = person(5, "admin");
        admin.is_admin = true;
        assert_eq!(
            check_integration_edit(&admin, &owner).unwrap(),
            EditEffect::KeepOwner
        );
    }

    #[test]
    fn dismissed_list_needs_setting() {
        assert!(check_list_filter(false, StatusFilter::Active).is_ok());
        let err = check_list_filter(false, StatusFilter::All).unwrap_err();
        assert!(err.to_string().contains("show_dismissed"));
        assert!(check_list_filter(true, StatusFilter::Dismissed).is_ok());
    }
}
