//! Dismissal and rehire: now, scheduled, in bulk, after a handover; and reassigning
//! what someone owns.

use super::*;

impl Directory {
    /// Dismiss `login`: status, departure record, the integration choice and the audit
    /// event, all in one transaction. Nothing they own is moved or deleted.
    pub fn dismiss(
        &mut self,
        actor: Actor,
        login: &str,
        req: &DismissRequest,
    ) -> Result<DismissOutcome> {
        let note = clean_note(req)?;
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            dismiss_in(cx, &target, req, note.as_deref(), None)
        })
    }

    /// Hand what `login` owns to `to`, then dismiss them: one transaction, all or nothing.
    pub fn dismiss_with_handover(
        &mut self,
        actor: Actor,
        login: &str,
        req: &DismissRequest,
        to: &str,
        what: WorkKinds,
    ) -> Result<(Handover, DismissOutcome)> {
        if what.is_empty() {
            return Err(Error::Invalid(Invalid::NothingToHandOver));
        }
        let note = clean_note(req)?;
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            let successor = cx.employee(to)?;
            // Check the dismissal first, so a refusal says why before anything moves.
            let admins = q::count_active_admins(cx.tx)?;
            let active = q::active_integrations_of(cx.tx, target.id)?;
            rules::check_dismiss(&cx.me, &target, admins, &active, req.integrations)?;
            rules::check_reassign(&cx.me, &target, &successor)?;
            let moved = q::reassign(cx.tx, target.id, successor.id, what)?;
            reassigned(cx, &target, &successor, &moved)?;
            let outcome = dismiss_in(cx, &target, req, note.as_deref(), None)?;
            let handover = Handover {
                from: outcome.employee.clone(),
                to: successor,
                moved,
            };
            Ok((handover, outcome))
        })
    }

    /// Record a dismissal to happen on `on`: a pending departure with its integration
    /// choice, reason and note. Any offboard process applies it when due, under the rules
    /// in force then.
    pub fn schedule_dismissal(
        &mut self,
        actor: Actor,
        login: &str,
        req: &DismissRequest,
        on: NaiveDate,
    ) -> Result<Departure> {
        let note = clean_note(req)?;
        let today = self.now().date_naive();
        if on < today {
            return Err(Error::Invalid(Invalid::DateInPast { date: on, today }));
        }
        // The day is kept as text, which compares as a date only with a four-digit year.
        let latest = validate::LAST_DAY;
        if on > latest {
            return Err(Error::Invalid(Invalid::DateTooFar { date: on, latest }));
        }
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            let admins = q::count_active_admins(cx.tx)?;
            let active = q::active_integrations_of(cx.tx, target.id)?;
            rules::check_dismiss(&cx.me, &target, admins, &active, req.integrations)?;
            let hired = target.hired_on;
            if on < hired {
                return Err(Error::Invalid(Invalid::BeforeHire {
                    login: target.login.clone(),
                    date: on,
                    hired,
                }));
            }
            if let Some(p) = q::pending_departure(cx.tx, target.id)? {
                return Err(Error::WrongState(Conflict::AlreadyLeaving {
                    login: target.login.clone(),
                    on: p.at.date_naive(),
                }));
            }
            // An unknown template refuses the scheduling now, not on the day.
            super::checklists::chosen_template(cx.tx, &req.checklist)?;
            let effective = on.and_time(chrono::NaiveTime::MIN).and_utc();
            let departure = q::insert_departure(
                cx.tx,
                &q::NewDeparture {
                    employee_id: target.id,
                    effective_at: effective,
                    recorded_by: cx.me.id,
                    recorded_at: cx.now,
                    reason: req.reason,
                    note: note.as_deref(),
                    state: DepartureState::Pending,
                    integrations: req.integrations,
                },
            )?;
            q::set_departure_checklist(cx.tx, departure, req.checklist.stored())?;
            cx.audit(
                "dismiss.schedule",
                Some(target.id),
                json!({
                    "on": on.to_string(),
                    "reason": req.reason.map(|r| r.as_str()),
                    "note": note,
                    "integrations": req.integrations.map(|c| c.as_str()),
                }),
            )?;
            cx.emit(
                EventType::EmployeeDismissalScheduled,
                json!({
                    "employee": brief(&target),
                    "on": on.to_string(),
                    "reason": req.reason.map(|r| r.as_str()),
                    "integrations": req.integrations.map(|c| c.as_str()),
                }),
            )?;
            q::pending_departure(cx.tx, target.id)?
                .ok_or_else(|| Error::Storage("departure vanished".into()))
        })
    }

    /// Cancel a scheduled dismissal before it is due: whose it was, and the departure
    /// that no longer happens.
    pub fn cancel_dismissal(&mut self, actor: Actor, login: &str) -> Result<(Employee, Departure)> {
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, Op::CancelDismissal)?;
            let target = cx.employee(login)?;
            let Some(p) = q::pending_departure(cx.tx, target.id)? else {
                return Err(Error::WrongState(Conflict::NothingScheduled {
                    login: target.login.clone(),
                }));
            };
            q::set_departure_state(cx.tx, p.id, DepartureState::Canceled, None, None)?;
            cx.audit(
                "dismiss.cancel",
                Some(target.id),
                json!({ "on": p.at.date_naive().to_string() }),
            )?;
            cx.emit(
                EventType::EmployeeDismissalCanceled,
                json!({ "employee": brief(&target), "on": p.at.date_naive().to_string() }),
            )?;
            Ok((target, p))
        })
    }

    /// Apply every scheduled dismissal that is due, each in its own transaction, acting
    /// as whoever scheduled it. One the rules refuse now becomes `failed`, with the reason.
    pub fn apply_due(&mut self) -> Result<Vec<DueOutcome>> {
        // The scheduler acts, not the user of this session: an SSH session's key is its
        // own user's, and would refuse anyone else (a running TUI applies due ones too).
        let door = std::mem::replace(
            &mut self.door,
            Door::Local {
                uid: 0,
                user: String::new(),
            },
        );
        let applied = self.apply_due_as_scheduled();
        self.door = door;
        applied
    }

    fn apply_due_as_scheduled(&mut self) -> Result<Vec<DueOutcome>> {
        let now = self.now();
        let due = q::due_departures(&self.conn, now).map_err(|e| self.locate(e))?;
        let mut out = Vec::new();
        for (departure, employee, by) in due {
            let result = self.change(Actor::user(by), |cx| {
                // Someone else may have applied or canceled it a moment ago.
                let Some(p) = q::pending_departure(cx.tx, employee)?.filter(|p| p.id == departure)
                else {
                    return Ok(None);
                };
                let target = q::employee_by_id(cx.tx, employee)?
                    .ok_or(Error::NotFound(Missing::EmployeeId(employee)))?;
                let req = DismissRequest {
                    integrations: p.integrations,
                    reason: p.reason,
                    note: p.note.clone(),
                    checklist: ChecklistChoice::from_stored(q::departure_checklist(cx.tx, p.id)?),
                };
                dismiss_in(cx, &target, &req, p.note.as_deref(), Some(p.id)).map(Some)
            });
            let login = q::employee_by_id(&self.conn, employee)?
                .map(|e| e.login)
                .unwrap_or_default();
            match result {
                Ok(Some(_)) => out.push(DueOutcome {
                    login,
                    applied: true,
                    failure: None,
                }),
                Ok(None) => {}
                Err(e) => {
                    let why = e.to_string();
                    let refusal = e;
                    let failed = (|| {
                        let tx = self
                            .conn
                            .transaction_with_behavior(TransactionBehavior::Immediate)?;
                        if q::pending_departure(&tx, employee)?.is_some_and(|p| p.id == departure) {
                            q::set_departure_state(
                                &tx,
                                departure,
                                DepartureState::Failed,
                                Some(&why),
                                None,
                            )?;
                            q::append_audit(
                                &tx,
                                now,
                                by,
                                "dismiss.failed",
                                Some(employee),
                                &json!({ "reason": why }),
                                &Via::of(&self.door, None),
                            )?;
                            if let (Some(actor), Some(target)) = (
                                q::employee_by_id(&tx, by)?,
                                q::employee_by_id(&tx, employee)?,
                            ) {
                                emit_event(
                                    &tx,
                                    now,
                                    EventType::EmployeeDismissalFailed,
                                    &actor,
                                    &Via::of(&self.door, None),
                                    json!({ "employee": brief(&target), "reason": why }),
                                )?;
                            }
                        }
                        tx.commit()?;
                        Ok::<_, Error>(())
                    })();
                    failed.map_err(|e| self.locate(e))?;
                    out.push(DueOutcome {
                        login,
                        applied: false,
                        failure: Some(refusal),
                    });
                }
            }
        }
        Ok(out)
    }

    /// What a bulk dismissal of `logins` would do to each, without changing anything:
    /// who would be dismissed, and who would be skipped and why (already dismissed,
    /// unknown, refused by a rule). Each is checked as if the ones before it had gone.
    pub fn preview_dismiss(
        &self,
        actor: Actor,
        logins: &[String],
        choice: Option<IntegrationChoice>,
    ) -> Result<Vec<BulkStep>> {
        self.read(actor, |c, me| {
            let mut admins = q::count_active_admins(c)?;
            let mut out = Vec::new();
            for login in logins {
                let Some(target) = q::employee_by_login(c, login.trim())? else {
                    out.push(BulkStep::skip(login, None, unknown_login(login)));
                    continue;
                };
                if out.iter().any(|s: &BulkStep| s.login == target.login) {
                    continue;
                }
                let active = q::active_integrations_of(c, target.id)?;
                match rules::check_dismiss(me, &target, admins, &active, choice) {
                    Ok(()) => {
                        if target.is_admin {
                            admins -= 1;
                        }
                        out.push(BulkStep::go(&target, active));
                    }
                    Err(e) => out.push(BulkStep::skip(login, Some(target.name()), e)),
                }
            }
            Ok(out)
        })
    }

    /// What a bulk rehire of `logins` would do to each, without changing anything.
    pub fn preview_hire(&self, actor: Actor, logins: &[String]) -> Result<Vec<BulkStep>> {
        self.read(actor, |c, me| {
            let mut out = Vec::new();
            for login in logins {
                let Some(target) = q::employee_by_login(c, login.trim())? else {
                    out.push(BulkStep::skip(login, None, unknown_login(login)));
                    continue;
                };
                if out.iter().any(|s: &BulkStep| s.login == target.login) {
                    continue;
                }
                match rules::check_hire(me, &target) {
                    Ok(()) => out.push(BulkStep::go(&target, Vec::new())),
                    Err(e) => out.push(BulkStep::skip(login, Some(target.name()), e)),
                }
            }
            Ok(out)
        })
    }

    /// Hire a dismissed employee back. With `return_integrations`, what went to their
    /// system user comes back to them with its secret and URL unchanged.
    pub fn hire(
        &mut self,
        actor: Actor,
        login: &str,
        return_integrations: bool,
    ) -> Result<HireOutcome> {
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            hire_in(cx, &target, return_integrations)
        })
    }

    /// Move what `from` still owns (open tasks, open CRM items, files, mailboxes) to `to`.
    pub fn reassign(
        &mut self,
        actor: Actor,
        from: &str,
        to: &str,
        what: WorkKinds,
    ) -> Result<Owned> {
        self.hand_over(actor, from, to, what).map(|h| h.moved)
    }

    /// `reassign`, saying from whom to whom as well as what moved.
    pub fn hand_over(
        &mut self,
        actor: Actor,
        from: &str,
        to: &str,
        what: WorkKinds,
    ) -> Result<Handover> {
        if what.is_empty() {
            return Err(Error::Invalid(Invalid::NothingToMove));
        }
        self.change(actor, |cx| {
            let from = cx.employee(from)?;
            let to = cx.employee(to)?;
            rules::check_reassign(&cx.me, &from, &to)?;
            let moved = q::reassign(cx.tx, from.id, to.id, what)?;
            reassigned(cx, &from, &to, &moved)?;
            Ok(Handover { from, to, moved })
        })
    }
}

/// The audit event and the `work.reassigned` event of a handover from `from` to `to`.
fn reassigned(cx: &Ctx<'_>, from: &Employee, to: &Employee, moved: &Owned) -> Result<()> {
    cx.audit(
        "reassign",
        Some(from.id),
        json!({
            "to": to.login,
            "tasks": moved.tasks,
            "crm_items": moved.crm_items,
            "files": moved.files,
            "mailboxes": moved.mailboxes,
            "meetings": moved.meetings,
        }),
    )?;
    cx.emit(
        EventType::WorkReassigned,
        json!({ "employee": brief(from), "to": brief(to), "moved": moved }),
    )
}

/// The rehire itself, inside the caller's transaction.
pub(super) fn hire_in(
    cx: &Ctx<'_>,
    target: &Employee,
    return_integrations: bool,
) -> Result<HireOutcome> {
    rules::check_hire(&cx.me, target)?;
    q::set_status(cx.tx, target.id, Status::Active)?;
    if let Some(dep) = q::latest_departure(cx.tx, target.id)?
        && dep.state == DepartureState::Done
        && dep.rehired_at.is_none()
    {
        q::mark_rehired(cx.tx, dep.id, cx.now, cx.me.id)?;
    }
    let mut returned = Vec::new();
    let mut left = Vec::new();
    if let Some(system) = q::system_user_for(cx.tx, target.id)? {
        let held = q::returnable_integrations(cx.tx, system.id, target.id)?;
        if return_integrations {
            q::return_integrations(cx.tx, system.id, target.id)?;
            returned = held;
        } else {
            left = held;
        }
    }
    // Back at work: what was left of their offboarding no longer applies.
    let canceled_steps = q::cancel_open_checklists(cx.tx, target.id, cx.now)?;
    cx.audit(
        "hire",
        Some(target.id),
        json!({
            "returned_integrations": returned.iter().map(|i| i.id).collect::<Vec<_>>(),
            "canceled_checklist_steps": canceled_steps,
        }),
    )?;
    cx.emit(
        EventType::EmployeeHired,
        json!({
            "employee": brief(target),
            "returned_integrations": returned.iter().map(|i| i.id).collect::<Vec<_>>(),
        }),
    )?;
    let employee = q::employee_by_id(cx.tx, target.id)?.unwrap_or_else(|| target.clone());
    Ok(HireOutcome {
        employee,
        returned,
        left_with_system_user: left,
    })
}

pub(super) fn clean_note(req: &DismissRequest) -> Result<Option<String>> {
    Ok(req
        .note
        .as_deref()
        .map(validate::note)
        .transpose()?
        .filter(|n| !n.is_empty()))
}

/// The dismissal itself, inside the caller's transaction: the rules, the status, the
/// departure record (a new one, or the scheduled one now done), the integration choice
/// and the audit event.
pub(super) fn dismiss_in(
    cx: &Ctx<'_>,
    target: &Employee,
    req: &DismissRequest,
    note: Option<&str>,
    scheduled: Option<i64>,
) -> Result<DismissOutcome> {
    let admins = q::count_active_admins(cx.tx)?;
    let active = q::active_integrations_of(cx.tx, target.id)?;
    rules::check_dismiss(&cx.me, target, admins, &active, req.integrations)?;
    if cx.now.date_naive() < target.hired_on {
        return Err(Error::WrongState(Conflict::NotYetHired {
            login: target.login.clone(),
            hired: target.hired_on,
        }));
    }
    let template = super::checklists::chosen_template(cx.tx, &req.checklist)?;
    q::set_status(cx.tx, target.id, Status::Dismissed)?;
    let choice = if active.is_empty() {
        None
    } else {
        req.integrations
    };
    let (departure, leaving) = match scheduled {
        Some(id) => {
            // The leaving date is the day it was scheduled for, whenever it is applied.
            let on = q::pending_departure(cx.tx, target.id)?
                .filter(|d| d.id == id)
                .map_or(cx.now.date_naive(), |d| d.at.date_naive());
            q::set_departure_state(cx.tx, id, DepartureState::Done, None, Some(cx.now))?;
            (id, on)
        }
        None => {
            // Dismissed now: a dismissal scheduled for later has nothing left to do.
            if let Some(p) = q::pending_departure(cx.tx, target.id)? {
                q::set_departure_state(cx.tx, p.id, DepartureState::Canceled, None, None)?;
            }
            q::insert_departure(
                cx.tx,
                &q::NewDeparture {
                    employee_id: target.id,
                    effective_at: cx.now,
                    recorded_by: cx.me.id,
                    recorded_at: cx.now,
                    reason: req.reason,
                    note,
                    state: DepartureState::Done,
                    integrations: choice,
                },
            )
            .map(|id| (id, cx.now.date_naive()))?
        }
    };
    let mut outcome = DismissOutcome {
        employee: target.clone(),
        kept: Vec::new(),
        disabled: Vec::new(),
        system_user: None,
        checklist: None,
    };
    match choice {
        Some(IntegrationChoice::Keep) => {
            let system = ensure_system_user(cx, target)?;
            q::transfer_active_integrations(cx.tx, target.id, system.id)?;
            for i in &active {
                cx.emit(
                    EventType::IntegrationTransferred,
                    json!({
                        "integration": integration_brief(i),
                        "from": brief(target),
                        "to": brief(&system),
                        "because": "dismissal",
                    }),
                )?;
            }
            outcome.system_user = Some(system.login);
            outcome.kept = active.clone();
        }
        Some(IntegrationChoice::Disable) => {
            q::disable_active_integrations(cx.tx, target.id)?;
            for i in &active {
                cx.emit(
                    EventType::IntegrationDisabled,
                    json!({
                        "integration": integration_brief(i),
                        "owner": brief(target),
                        "because": "dismissal",
                    }),
                )?;
            }
            outcome.disabled = active.clone();
        }
        None => {}
    }
    outcome.checklist =
        super::checklists::start_checklist(cx, target, template, Some(departure), leaving)?;
    let mut details = json!({
            "reason": req.reason.map(|r| r.as_str()),
            "note": note,
            "integrations": choice.map(|c| c.as_str()),
            "kept": outcome.kept.iter().map(|i| i.id).collect::<Vec<_>>(),
            "disabled": outcome.disabled.iter().map(|i| i.id).collect::<Vec<_>>(),
            "system_user": outcome.system_user,
            "scheduled": scheduled.is_some(),
    });
    // Named only when one started, so a company without checklists audits as before.
    if let (Some(name), Some(d)) = (&outcome.checklist, details.as_object_mut()) {
        d.insert("checklist".into(), json!(name));
    }
    cx.audit("dismiss", Some(target.id), details)?;
    cx.emit(
        EventType::EmployeeDismissed,
        json!({
            "employee": brief(target),
            "reason": req.reason.map(|r| r.as_str()),
            "integrations": choice.map(|c| c.as_str()),
            "kept": outcome.kept.iter().map(|i| i.id).collect::<Vec<_>>(),
            "disabled": outcome.disabled.iter().map(|i| i.id).collect::<Vec<_>>(),
            "system_user": outcome.system_user,
            "scheduled": scheduled.is_some(),
            "checklist": outcome.checklist,
        }),
    )?;
    outcome.employee = q::employee_by_id(cx.tx, target.id)?.unwrap_or_else(|| target.clone());
    Ok(outcome)
}

/// An integration as events name it (never its secret).
pub(super) fn integration_brief(i: &IntegrationBrief) -> serde_json::Value {
    json!({ "id": i.id, "title": i.title, "scopes": i.scopes.to_string() })
}

/// The system user that keeps `target`'s integrations alive: created the first time it is
/// needed, and given the rights `target` has now.
pub(super) fn ensure_system_user(cx: &Ctx<'_>, target: &Employee) -> Result<Employee> {
    let system = match q::system_user_for(cx.tx, target.id)? {
        Some(s) => s,
        None => {
            let department_id = match &target.department {
                Some(d) => q::department_id(cx.tx, d)?,
                None => None,
            };
            let mut login = format!("system.{}", target.login);
            let mut n = 2;
            while q::login_taken(cx.tx, &login)? {
                login = format!("system.{}.{n}", target.login);
                n += 1;
            }
            let id = q::insert_employee(
                cx.tx,
                &q::NewEmployeeRow {
                    login: &login,
                    first_name: &target.first_name,
                    last_name: &format!("{} (system user)", target.last_name),
                    email: "",
                    position: "System user",
                    department_id,
                    hired_on: cx.now.date_naive(),
                    is_admin: false,
                    kind: Kind::System,
                    system_for: Some(target.id),
                    created_at: cx.now,
                },
            )?;
            q::employee_by_id(cx.tx, id)?
                .ok_or_else(|| Error::Storage("system user vanished".into()))?
        }
    };
    // It inherits the rights of the employee it replaces, so the integrations keep
    // working exactly as before.
    q::set_admin(cx.tx, system.id, target.is_admin)?;
    if target.structure_access {
        q::grant_structure(cx.tx, system.id, Some(cx.me.id), cx.now)?;
    } else {
        q::revoke_structure(cx.tx, system.id)?;
    }
    Ok(q::employee_by_id(cx.tx, system.id)?.unwrap_or(system))
}

impl Directory {
    /// Dismiss `login` now, or on a day: one call for the command line, the TUI and
    /// REST. A day of today is applied at once, as scheduled dismissals are (under the
    /// rules in force, acting as whoever scheduled it); if the rules refuse it then,
    /// the departure is recorded as failed and the refusal returned.
    pub fn dismiss_when(
        &mut self,
        actor: Actor,
        login: &str,
        req: &DismissRequest,
        when: When,
    ) -> Result<Dismissal> {
        let day = match when {
            When::Now => return self.dismiss(actor, login, req).map(Dismissal::Done),
            When::On(day) => day,
        };
        let pending = self.schedule_dismissal(actor, login, req, day)?;
        let employee = self.employee(login)?;
        let (login, name) = (employee.login.clone(), employee.name());
        let applied = self.apply_due()?;
        match applied.into_iter().find(|a| a.login == login) {
            Some(DueOutcome { applied: true, .. }) => Ok(Dismissal::AsOfToday { login, name }),
            Some(DueOutcome {
                failure: Some(refusal),
                ..
            }) => Err(refusal),
            _ => Ok(Dismissal::Scheduled {
                login,
                name,
                on: pending.at.date_naive(),
            }),
        }
    }

    /// What the dismiss dialog needs before it opens: the target, what they still own,
    /// and the active integrations the keep/disable choice is about (empty: no choice).
    pub fn prepare_dismissal(&self, actor: Actor, login: &str) -> Result<DismissPlan> {
        self.read(actor, |c, _| {
            let target =
                q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            let owns = q::owned(c, target.id)?;
            let integrations = q::active_integrations_of(c, target.id)?;
            let templates = q::templates(c)?;
            let default_checklist = templates
                .iter()
                .find(|t| t.is_default)
                .map(|t| t.name.clone());
            let checklists = templates.into_iter().map(|t| t.name).collect();
            Ok(DismissPlan {
                target,
                owns,
                integrations,
                checklists,
                default_checklist,
            })
        })
    }

    /// What `actor` may do to `login` (dismiss, hire, reassign, cancel a scheduled
    /// dismissal), each allowed or refused by the rule that applies: menus are built
    /// from this, so they offer exactly what the operations accept.
    pub fn allowed_actions(&self, actor: Actor, login: &str) -> Result<(Employee, rules::Allowed)> {
        self.read(actor, |c, me| {
            let target =
                q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            let facts = rules::TargetFacts {
                active_admins: q::count_active_admins(c)?,
                leaving_on: q::pending_departure(c, target.id)?.map(|p| p.at.date_naive()),
            };
            let allowed = rules::allowed_actions(me, &target, facts);
            Ok((target, allowed))
        })
    }

    /// Preview a bulk dismissal: who goes and who is skipped, and why. `apply_bulk`
    /// then carries it out.
    pub fn plan_bulk_dismiss(
        &self,
        actor: Actor,
        logins: &[String],
        req: DismissRequest,
    ) -> Result<BulkPlan> {
        let steps = self.preview_dismiss(actor, logins, req.integrations)?;
        refuse_unknown(&steps)?;
        Ok(BulkPlan {
            change: BulkChange::Dismiss(req),
            steps,
        })
    }

    /// Preview a bulk rehire.
    pub fn plan_bulk_hire(
        &self,
        actor: Actor,
        logins: &[String],
        return_integrations: bool,
    ) -> Result<BulkPlan> {
        let steps = self.preview_hire(actor, logins)?;
        refuse_unknown(&steps)?;
        Ok(BulkPlan {
            change: BulkChange::Hire {
                return_integrations,
            },
            steps,
        })
    }

    /// Carry out a bulk plan: each employee in a transaction of their own, in the
    /// preview's order; those the preview skipped stay skipped with its reason, and one
    /// the rules refuse now is skipped with that refusal.
    /// `apply_bulk` of a dismissal on `day`: each employee's dismissal is scheduled
    /// for that day (applied at once if it is today), in their own transaction, as
    /// `dismiss_when` does for one. A hire plan is applied as `apply_bulk` does.
    pub fn apply_bulk_on(
        &mut self,
        actor: Actor,
        plan: &BulkPlan,
        day: NaiveDate,
    ) -> Vec<BulkResult> {
        let BulkChange::Dismiss(req) = &plan.change else {
            return self.apply_bulk(actor, plan);
        };
        plan.steps
            .iter()
            .map(|step| BulkResult {
                login: step.login.clone(),
                name: step.name.clone(),
                outcome: match &step.skip {
                    Some(why) => Err(why.clone()),
                    None => self
                        .dismiss_when(actor, &step.login, req, When::On(day))
                        .map(Changed::Scheduled),
                },
            })
            .collect()
    }

    pub fn apply_bulk(&mut self, actor: Actor, plan: &BulkPlan) -> Vec<BulkResult> {
        plan.steps
            .iter()
            .map(|step| {
                let outcome = match (&step.skip, &plan.change) {
                    (Some(why), _) => Err(why.clone()),
                    (None, BulkChange::Dismiss(req)) => self
                        .dismiss(actor, &step.login, req)
                        .map(Changed::Dismissed),
                    (
                        None,
                        BulkChange::Hire {
                            return_integrations,
                        },
                    ) => self
                        .hire(actor, &step.login, *return_integrations)
                        .map(Changed::Hired),
                };
                BulkResult {
                    login: step.login.clone(),
                    name: step.name.clone(),
                    outcome,
                }
            })
            .collect()
    }
}

/// A login of a bulk change that names nobody is a typo, not a state to skip: the
/// whole change is refused, naming every such login, before anything is asked or done.
fn refuse_unknown(steps: &[BulkStep]) -> Result<()> {
    let unknown: Vec<String> = steps
        .iter()
        .filter(|s| matches!(s.skip, Some(Error::NotFound(Missing::Login(_)))))
        .map(|s| s.login.clone())
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Error::NotFound(Missing::Logins(unknown)))
    }
}
