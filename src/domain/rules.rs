//! The rules of SPEC §2–§4 as pure functions over values. The directory loads the
//! facts inside its transaction and asks these; nothing here touches storage.

use super::{
    Conflict, Denial, Employee, Error, IntegrationBrief, IntegrationChoice, Invalid, KeptRights,
    Kind, Op, Result, Revoked, Status, StatusFilter,
};

/// The acting user must exist and be active. System users act only through webhooks.
pub fn ensure_can_act(actor: &Employee) -> Result<()> {
    if actor.status == Status::Dismissed {
        return Err(Error::AccessRevoked(Revoked::Dismissed {
            login: actor.login.clone(),
        }));
    }
    Ok(())
}

/// Signing in (CLI, TUI): like acting, and system users cannot log in at all.
pub fn ensure_can_sign_in(actor: &Employee) -> Result<()> {
    ensure_can_act(actor)?;
    if actor.kind == Kind::System {
        return Err(Error::AccessRevoked(Revoked::SystemUser {
            login: actor.login.clone(),
        }));
    }
    Ok(())
}

/// A system user takes no personnel action (`Op::is_personnel`), whatever rights it
/// inherited from the employee it replaces: a kept webhook of a dismissed administrator
/// must not hire them back or dismiss anyone.
pub fn ensure_not_system_for(actor: &Employee, op: Op) -> Result<()> {
    if actor.kind == Kind::System && op.is_personnel() {
        return Err(Error::Denied(Denial::SystemPersonnel {
            login: actor.login.clone(),
            op,
        }));
    }
    Ok(())
}

/// Dismiss, hire, reassign, add and import need an administrator or company-structure
/// access, and a person: system users take no personnel actions.
pub fn ensure_staff(actor: &Employee, op: Op) -> Result<()> {
    ensure_not_system_for(actor, op)?;
    if actor.is_staff() {
        Ok(())
    } else {
        Err(Error::Denied(Denial::NeedsStaff {
            login: actor.login.clone(),
            op,
        }))
    }
}

/// A step of a leaver's checklist, as the rule of who may change it needs it.
#[derive(Debug, Clone, Copy)]
pub struct StepFacts<'a> {
    /// Whose checklist (the leaver's login) and its state.
    pub login: &'a str,
    pub list: super::ChecklistState,
    pub step: i64,
    /// The step is the acting user's: of their login, a department head's included.
    pub owns_step: bool,
    /// The step's owner as shown ("department head dferreira"), for the refusal.
    pub owner: &'a str,
}

/// Who may tick a step of a leaver's checklist done or reopen it: nobody once the
/// checklist is canceled (the leaver was hired back); else the person who owns the
/// step, or company-structure staff, who may change any step. The directory asks this
/// inside its transaction; the TUI asks it to grey the steps a user may not change.
pub fn check_step_change(actor: &Employee, facts: StepFacts<'_>) -> Result<()> {
    let StepFacts {
        login,
        list,
        step,
        owns_step,
        owner,
    } = facts;
    if list == super::ChecklistState::Canceled {
        return Err(Error::WrongState(Conflict::ChecklistClosed {
            login: login.to_string(),
            state: list,
        }));
    }
    if owns_step {
        return Ok(());
    }
    ensure_staff(actor, Op::ReadBacklog).map_err(|_| {
        Error::Denied(Denial::NotStepOwner {
            login: actor.login.clone(),
            step,
            owner: owner.to_string(),
        })
    })
}

/// Settings and permissions: administrators only, and never a system user.
pub fn ensure_admin(actor: &Employee, op: Op) -> Result<()> {
    ensure_not_system_for(actor, op)?;
    if actor.is_admin {
        Ok(())
    } else {
        Err(Error::Denied(Denial::NeedsAdmin {
            login: actor.login.clone(),
            op,
        }))
    }
}

/// Reports (audit, export, the handover backlog): administrators and company-structure
/// staff. `report` is one of `Op::ReadAudit`, `Op::ReadExport`, `Op::ReadBacklog`.
pub fn ensure_may_read_reports(actor: &Employee, report: Op) -> Result<()> {
    ensure_staff(actor, report)
}

/// The facts about a target that the rules need beyond the two employees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetFacts {
    /// Active administrators (people, not system users), the target included.
    pub active_admins: i64,
    /// The day of the target's scheduled dismissal, if one is pending.
    pub leaving_on: Option<chrono::NaiveDate>,
}

/// Whether `actor` may dismiss `target` at all, whatever they choose for the
/// integrations: the rules of SPEC §2 in the order a user needs to hear them.
pub fn may_dismiss(actor: &Employee, target: &Employee, active_admins: i64) -> Result<()> {
    ensure_staff(actor, Op::Dismiss)?;
    if target.kind == Kind::System {
        return Err(Error::Denied(Denial::SystemTarget {
            login: target.login.clone(),
            op: Op::Dismiss,
        }));
    }
    if actor.id == target.id {
        return Err(Error::Denied(Denial::SelfDismissal {
            login: actor.login.clone(),
        }));
    }
    if target.status == Status::Dismissed {
        return Err(Error::WrongState(Conflict::AlreadyDismissed {
            login: target.login.clone(),
        }));
    }
    if target.is_admin && active_admins <= 1 {
        return Err(Error::Denied(Denial::LastAdmin {
            login: target.login.clone(),
        }));
    }
    Ok(())
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
    may_dismiss(actor, target, active_admins)?;
    if !active_integrations.is_empty() && choice.is_none() {
        return Err(Error::ChoiceNeeded {
            login: target.login.clone(),
            integrations: active_integrations.to_vec(),
            kept: KeptRights::of(target, active_integrations).map(Box::new),
        });
    }
    Ok(())
}

pub fn check_hire(actor: &Employee, target: &Employee) -> Result<()> {
    ensure_staff(actor, Op::Hire)?;
    if target.kind == Kind::System {
        return Err(Error::Denied(Denial::SystemTarget {
            login: target.login.clone(),
            op: Op::Hire,
        }));
    }
    if target.status == Status::Active {
        return Err(Error::WrongState(Conflict::AlreadyActive {
            login: target.login.clone(),
        }));
    }
    Ok(())
}

/// A target for new responsibilities (reassign, new integration owner) must be an
/// active person.
pub fn check_successor(to: &Employee) -> Result<()> {
    if to.kind == Kind::System {
        return Err(Error::WrongState(Conflict::SuccessorIsSystem {
            login: to.login.clone(),
        }));
    }
    if to.status == Status::Dismissed {
        return Err(Error::WrongState(Conflict::SuccessorDismissed {
            login: to.login.clone(),
        }));
    }
    Ok(())
}

/// Whether `actor` may hand `from`'s work to someone, before a successor is chosen.
pub fn may_reassign_from(actor: &Employee, from: &Employee) -> Result<()> {
    ensure_staff(actor, Op::Reassign)?;
    if from.kind == Kind::System {
        return Err(Error::Denied(Denial::SystemTarget {
            login: from.login.clone(),
            op: Op::Reassign,
        }));
    }
    Ok(())
}

pub fn check_reassign(actor: &Employee, from: &Employee, to: &Employee) -> Result<()> {
    may_reassign_from(actor, from)?;
    check_successor(to)?;
    if from.id == to.id {
        return Err(Error::Invalid(Invalid::SameSuccessor {
            from: from.login.clone(),
            to: to.login.clone(),
        }));
    }
    Ok(())
}

/// What an acting user may do to one employee, each with the rule that refuses it:
/// computed once here, so that menus, their greyed items and the operations agree.
#[derive(Debug, Clone, PartialEq)]
pub struct Allowed {
    pub dismiss: Result<()>,
    pub hire: Result<()>,
    pub reassign: Result<()>,
    /// `None` when no dismissal is scheduled (nothing to cancel).
    pub cancel_dismissal: Option<Result<()>>,
}

/// SPEC §2 for one actor and one target: dismiss, hire, reassign and cancelling a
/// scheduled dismissal, each allowed or refused with its reason. (Dismissing now is
/// allowed while a dismissal is scheduled: it replaces the scheduled one.)
pub fn allowed_actions(actor: &Employee, target: &Employee, facts: TargetFacts) -> Allowed {
    Allowed {
        // Someone already leaving on a day is dismissed by that schedule: another
        // dismissal waits until it is canceled.
        dismiss: may_dismiss(actor, target, facts.active_admins).and_then(|()| {
            match facts.leaving_on {
                Some(on) => Err(Error::WrongState(Conflict::AlreadyLeaving {
                    login: target.login.clone(),
                    on,
                })),
                None => Ok(()),
            }
        }),
        hire: check_hire(actor, target),
        reassign: may_reassign_from(actor, target),
        cancel_dismissal: facts
            .leaving_on
            .map(|_| ensure_staff(actor, Op::CancelDismissal)),
    }
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
        return Err(Error::Denied(Denial::SystemActor {
            login: actor.login.clone(),
            op: Op::EditIntegration,
        }));
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
    Err(Error::Denied(Denial::NotIntegrationManager {
        login: actor.login.clone(),
        owner: owner.login.clone(),
        op: Op::EditIntegration,
        staff_too: owner.kind == Kind::System,
    }))
}

/// Disable and enable: the owner or an administrator (SPEC §2). Ownership does not change.
pub fn check_integration_toggle(actor: &Employee, owner: &Employee, enabling: bool) -> Result<()> {
    if !(actor.id == owner.id || actor.is_admin) {
        return Err(Error::Denied(Denial::NotIntegrationManager {
            login: actor.login.clone(),
            owner: owner.login.clone(),
            op: if enabling {
                Op::EnableIntegration
            } else {
                Op::DisableIntegration
            },
            staff_too: false,
        }));
    }
    if enabling && owner.status == Status::Dismissed {
        return Err(Error::WrongState(Conflict::OwnerDismissed {
            owner: owner.login.clone(),
        }));
    }
    Ok(())
}

/// SPEC §4: with `show_dismissed` off, no list shows dismissed employees.
pub fn check_list_filter(show_dismissed: bool, filter: StatusFilter) -> Result<()> {
    if !show_dismissed && filter != StatusFilter::Active {
        return Err(Error::SettingOff(filter));
    }
    Ok(())
}

/// Grant or revoke company-structure access.
pub fn check_permission_change(actor: &Employee, target: &Employee, grant: bool) -> Result<()> {
    ensure_admin(actor, if grant { Op::Grant } else { Op::Revoke })?;
    if target.kind == Kind::System {
        return Err(Error::Denied(Denial::SystemTarget {
            login: target.login.clone(),
            op: if grant { Op::Grant } else { Op::Revoke },
        }));
    }
    if grant && target.status == Status::Dismissed {
        return Err(Error::WrongState(Conflict::GrantToDismissed {
            login: target.login.clone(),
        }));
    }
    if grant && target.structure_access {
        return Err(Error::WrongState(Conflict::AlreadyStaff {
            login: target.login.clone(),
        }));
    }
    if !grant && !target.structure_access {
        return Err(Error::WrongState(Conflict::NotStaff {
            login: target.login.clone(),
        }));
    }
    Ok(())
}

/// Who may add, remove and see `owner`'s SSH keys: administrators and company-structure
/// staff anyone's, every employee their own. System users never have keys and manage
/// none, whatever rights they inherited.
pub fn check_key_manager(actor: &Employee, owner: &Employee) -> Result<()> {
    if actor.kind == Kind::System {
        return Err(Error::Denied(Denial::SystemActor {
            login: actor.login.clone(),
            op: Op::ManageKeys,
        }));
    }
    if owner.kind == Kind::System {
        return Err(Error::Denied(Denial::SystemTarget {
            login: owner.login.clone(),
            op: Op::ManageKeys,
        }));
    }
    if actor.id == owner.id || actor.is_staff() {
        Ok(())
    } else {
        Err(Error::Denied(Denial::NeedsStaff {
            login: actor.login.clone(),
            op: Op::ManageOthersKeys,
        }))
    }
}

/// Whether a key lets its owner in: the owner must be an active person (the same rule
/// as signing in by login).
pub fn ensure_key_signs_in(owner: &Employee) -> Result<()> {
    ensure_can_sign_in(owner)
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
    fn a_step_is_changed_by_its_owner_or_staff_and_never_once_canceled() {
        use crate::domain::ChecklistState;
        let facts = |list, owns_step| StepFacts {
            login: "lbrandt",
            list,
            step: 2,
            owns_step,
            owner: "administrators",
        };
        let head = person(1, "dferreira");
        assert!(check_step_change(&head, facts(ChecklistState::Open, true)).is_ok());
        let err = check_step_change(&head, facts(ChecklistState::Open, false)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dferreira may not change step 2: it is administrators's, or company-structure access is required"
        );
        let mut hr = person(2, "hr");
        hr.structure_access = true;
        assert!(check_step_change(&hr, facts(ChecklistState::Completed, false)).is_ok());
        let err = check_step_change(&hr, facts(ChecklistState::Canceled, false)).unwrap_err();
        assert!(matches!(
            err,
            Error::WrongState(Conflict::ChecklistClosed { .. })
        ));
        assert!(check_step_change(&head, facts(ChecklistState::Canceled, true)).is_err());
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

    #[test]
    fn allowed_actions_refuse_the_last_administrator_with_the_reason() {
        let mut hr = person(1, "hr");
        hr.structure_access = true;
        let mut admin = person(2, "admin");
        admin.is_admin = true;
        let alone = TargetFacts {
            active_admins: 1,
            leaving_on: None,
        };
        let allowed = allowed_actions(&hr, &admin, alone);
        assert_eq!(
            allowed.dismiss,
            Err(Error::Denied(Denial::LastAdmin {
                login: "admin".into()
            }))
        );
        assert!(allowed.reassign.is_ok());
        assert!(allowed.hire.is_err(), "an active employee is not hired");
        assert_eq!(allowed.cancel_dismissal, None, "nothing scheduled");
        let two = TargetFacts {
            active_admins: 2,
            leaving_on: chrono::NaiveDate::from_ymd_opt(2099, 1, 1),
        };
        let allowed = allowed_actions(&hr, &admin, two);
        // Already leaving on a day: dismissing again waits for that to be canceled.
        assert!(matches!(
            allowed.dismiss,
            Err(Error::WrongState(Conflict::AlreadyLeaving { .. }))
        ));
        let free = TargetFacts {
            leaving_on: None,
            ..two
        };
        assert!(allowed_actions(&hr, &admin, free).dismiss.is_ok());
        assert_eq!(allowed.cancel_dismissal, Some(Ok(())));
        let jdoe = person(3, "jdoe");
        let allowed = allowed_actions(&jdoe, &admin, two);
        assert!(matches!(
            allowed.cancel_dismissal,
            Some(Err(Error::Denied(Denial::NeedsStaff { .. })))
        ));
    }

    /// A kept webhook's system user inherits `is_admin` or company-structure access, but
    /// takes no personnel action with it; its data rights stay.
    #[test]
    fn system_users_take_no_personnel_actions_whatever_they_inherited() {
        let mut sys = person(9, "system.hr");
        sys.kind = Kind::System;
        sys.is_admin = true;
        sys.structure_access = true;
        let mut hr = person(2, "hr");
        hr.structure_access = true;
        hr.status = Status::Dismissed;
        let jdoe = person(3, "jdoe");
        let personnel = |e: Result<()>| {
            assert!(
                matches!(
                    e,
                    Err(Error::Denied(Denial::SystemPersonnel { ref login, .. })) if login == "system.hr"
                ),
                "{e:?}"
            );
        };
        personnel(check_hire(&sys, &hr));
        personnel(check_dismiss(&sys, &jdoe, 2, &[], None));
        personnel(may_reassign_from(&sys, &jdoe));
        personnel(check_permission_change(&sys, &jdoe, true));
        for op in [
            Op::Add,
            Op::AddAdmin,
            Op::Import,
            Op::CancelDismissal,
            Op::ChangeSettings,
            Op::Grant,
            Op::Revoke,
        ] {
            personnel(ensure_staff(&sys, op));
            personnel(ensure_admin(&sys, op));
        }
        let allowed = allowed_actions(
            &sys,
            &hr,
            TargetFacts {
                active_admins: 2,
                leaving_on: None,
            },
        );
        personnel(allowed.hire);
        personnel(allowed.dismiss);
        // The data rights of its scopes stay: editing others' fields, reading reports.
        assert!(ensure_staff(&sys, Op::ChangeOthers).is_ok());
        assert!(ensure_may_read_reports(&sys, Op::ReadAudit).is_ok());
        let err = check_hire(&sys, &hr).unwrap_err();
        assert_eq!(err.exit_code(), 3);
        assert!(
            err.to_string()
                .starts_with("system.hr is a system user and may not hire employees"),
            "{err}"
        );
    }

    #[test]
    fn io_errors_keep_their_kind() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(Error::from(pipe).is_broken_pipe());
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = Error::io("cannot read x.csv", &missing);
        assert!(matches!(
            e,
            Error::Io {
                kind: std::io::ErrorKind::NotFound,
                ..
            }
        ));
        assert!(!e.is_broken_pipe());
        assert!(e.to_string().starts_with("cannot read x.csv: "), "{e}");
    }

    #[test]
    fn keys_are_managed_by_staff_for_anyone_by_each_for_themselves_never_by_system_users() {
        let admin = Employee {
            is_admin: true,
            ..person(1, "admin")
        };
        let hr = Employee {
            structure_access: true,
            ..person(2, "hr")
        };
        let jdoe = person(3, "jdoe");
        let system = Employee {
            kind: Kind::System,
            is_admin: true,
            system_for: Some(crate::domain::EmployeeId(9)),
            ..person(4, "system.boss")
        };
        for (actor, owner, ok) in [
            (&admin, &jdoe, true),
            (&hr, &jdoe, true),
            (&hr, &admin, true),
            (&jdoe, &jdoe, true),
            (&jdoe, &hr, false),
            (&system, &system, false),
            (&system, &jdoe, false),
            (&admin, &system, false),
        ] {
            let got = check_key_manager(actor, owner);
            assert_eq!(
                got.is_ok(),
                ok,
                "{} on {}'s keys: {got:?}",
                actor.login,
                owner.login
            );
        }
        assert!(matches!(
            check_key_manager(&system, &jdoe),
            Err(Error::Denied(Denial::SystemActor {
                op: Op::ManageKeys,
                ..
            }))
        ));
        let dismissed = Employee {
            status: Status::Dismissed,
            ..person(5, "gone")
        };
        assert!(matches!(
            ensure_key_signs_in(&dismissed),
            Err(Error::AccessRevoked(Revoked::Dismissed { .. }))
        ));
        assert!(ensure_key_signs_in(&jdoe).is_ok());
    }
}
