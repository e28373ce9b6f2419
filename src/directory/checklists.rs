//! Offboarding checklists: templates (administrators), a checklist started by each
//! dismissal in its own transaction, steps ticked done or reopened by their owners or
//! company-structure staff, canceled by a rehire.

use super::*;
use crate::domain::{ChecklistChoice, ChecklistState, OwnerRole, StepState};

/// A template step as typed: `DAYS|OWNER|TITLE`, OWNER a login or `head`
/// (the leaver's department head), `structure` (company-structure staff) or `admins`.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSpec {
    pub due_days: i64,
    pub owner: String,
    pub title: String,
}

impl std::str::FromStr for StepSpec {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let mut parts = s.splitn(3, '|');
        let (Some(days), Some(owner), Some(title)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::invalid(format!(
                "--step \"{}\" is not DAYS|OWNER|TITLE (like \"0|head|Collect the laptop\")",
                crate::domain::text::escape_bounded(s, 200)
            )));
        };
        let due_days: i64 = days.trim().trim_start_matches('+').parse().map_err(|_| {
            Error::invalid(format!(
                "--step: \"{}\" is not a number of days from the leaving date",
                crate::domain::text::escape_bounded(days.trim(), 40)
            ))
        })?;
        if !(-365..=365).contains(&due_days) {
            return Err(Error::invalid(
                "--step: the due offset must be within 365 days of the leaving date",
            ));
        }
        Ok(StepSpec {
            due_days,
            owner: owner.trim().to_string(),
            title: validate::title(title)?,
        })
    }
}

/// `head`, `structure`, `admins`, or a login.
fn owner_role(word: &str) -> OwnerRole {
    match word.to_ascii_lowercase().as_str() {
        "head" | "department_head" | "department-head" => OwnerRole::DepartmentHead,
        "structure" | "staff" => OwnerRole::Structure,
        "admins" | "administrators" => OwnerRole::Admins,
        _ => OwnerRole::Login,
    }
}

impl Directory {
    /// A new checklist template (administrators). With `is_default`, dismissals start
    /// it unless told otherwise.
    pub fn add_checklist_template(
        &mut self,
        actor: Actor,
        name: &str,
        steps: &[StepSpec],
        is_default: bool,
    ) -> Result<ChecklistTemplate> {
        let name = validate::title(name)?;
        if name.eq_ignore_ascii_case("none") {
            return Err(Error::invalid(
                "a checklist template cannot be called \"none\": `--checklist none` means no checklist",
            ));
        }
        if steps.is_empty() {
            return Err(Error::invalid(
                "a checklist template needs at least one --step",
            ));
        }
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageChecklists)?;
            if q::template_by_name(cx.tx, &name)?.is_some() {
                return Err(Error::WrongState(Conflict::TemplateExists {
                    name: name.clone(),
                }));
            }
            let id = q::insert_template(cx.tx, &name, is_default, cx.me.id, cx.now)?;
            for (i, s) in steps.iter().enumerate() {
                let role = owner_role(&s.owner);
                let owner = match role {
                    OwnerRole::Login => {
                        let e = cx.employee(&s.owner)?;
                        rules::check_reassign(&cx.me, &e, &e).or_else(|err| match err {
                            // Only the successor checks matter here: an active employee.
                            Error::Invalid(Invalid::SameSuccessor { .. }) => Ok(()),
                            other => Err(other),
                        })?;
                        Some(e.id)
                    }
                    _ => None,
                };
                q::insert_template_step(
                    cx.tx,
                    id,
                    i as i64 + 1,
                    &s.title,
                    role,
                    owner,
                    s.due_days,
                )?;
            }
            cx.audit(
                "checklist.template_add",
                None,
                json!({ "template": name, "steps": steps.len(), "default": is_default }),
            )?;
            q::templates(cx.tx)?
                .into_iter()
                .find(|t| t.id == id)
                .ok_or_else(|| Error::Storage("template vanished".into()))
        })
    }

    /// Make `name` the default template, or none (administrators).
    pub fn set_default_checklist(&mut self, actor: Actor, name: Option<&str>) -> Result<()> {
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageChecklists)?;
            let id = match name {
                Some(n) => Some(
                    q::template_by_name(cx.tx, n.trim())?
                        .ok_or_else(|| {
                            Error::NotFound(Missing::ChecklistTemplate(n.trim().into()))
                        })?
                        .0,
                ),
                None => None,
            };
            q::set_default_template(cx.tx, id)?;
            cx.audit("checklist.default", None, json!({ "template": name }))
        })
    }

    /// Every template (administrators and company-structure staff).
    pub fn checklist_templates(&self, actor: Actor) -> Result<Vec<ChecklistTemplate>> {
        self.read(actor, |c, me| {
            rules::ensure_staff(me, Op::ReadBacklog)?;
            q::templates(c)
        })
    }

    /// `login`'s newest checklist: for staff, and for whoever owns one of its steps.
    pub fn checklist(&self, actor: Actor, login: &str) -> Result<Option<Checklist>> {
        let today = self.now().date_naive();
        self.read(actor, |c, me| {
            let target =
                q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            let list = q::latest_checklist(c, target.id, today)?;
            if me.is_staff() {
                return Ok(list);
            }
            match list {
                Some(l)
                    if l.steps
                        .iter()
                        .any(|s| s.owner.as_deref() == Some(&me.login)) =>
                {
                    Ok(Some(l))
                }
                _ => Err(Error::Denied(Denial::NeedsStaff {
                    login: me.login.clone(),
                    op: Op::ReadBacklog,
                })),
            }
        })
    }

    /// Every open step: all of them for staff, one's own for everyone else; overdue
    /// first, then by due date and owner.
    pub fn open_checklist_steps(&self, actor: Actor, limit: i64) -> Result<Vec<OpenStep>> {
        let today = self.now().date_naive();
        self.read(actor, |c, me| {
            // Filtered in the query, so that the limit counts one's own steps.
            let owner = (!me.is_staff()).then_some(me.id);
            q::open_steps(c, today, limit, owner)
        })
    }

    /// A page of the steps across the company, for the TUI's Offboarding pane: open ones
    /// overdue first, or those ticked done; with how many there are. Staff see
    /// everyone's, or with `mine` their own and their roles'; everyone else only ever
    /// their own.
    pub fn checklist_steps_page(&self, actor: Actor, query: &StepQuery) -> Result<StepsPage> {
        let today = self.now().date_naive();
        self.read(actor, |c, me| {
            let (owners, mine) = step_owners(me, query.mine);
            let (total, overdue) = q::steps_count(c, query.filter, owners, today)?;
            Ok(StepsPage {
                rows: step_rows(c, query, owners, today)?,
                total,
                overdue,
                mine,
            })
        })
    }

    /// Another page of the same steps, without counting them again (moving through
    /// the pane).
    pub fn checklist_step_rows(&self, actor: Actor, query: &StepQuery) -> Result<Vec<OpenStep>> {
        let today = self.now().date_naive();
        self.read(actor, |c, me| {
            step_rows(c, query, step_owners(me, query.mine).0, today)
        })
    }

    /// Tick step `number` of `login`'s checklist done (or reopen it): its owner or
    /// company-structure staff. The last step done completes the checklist.
    pub fn checklist_step(
        &mut self,
        actor: Actor,
        login: &str,
        number: i64,
        done: bool,
    ) -> Result<Checklist> {
        let today = self.now().date_naive();
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            let list = q::latest_checklist(cx.tx, target.id, today)?
                .ok_or_else(|| Error::NotFound(Missing::Checklist(target.login.clone())))?;
            let step = list
                .steps
                .iter()
                .find(|s| s.number == number)
                .ok_or_else(|| {
                    Error::NotFound(Missing::ChecklistStep {
                        login: target.login.clone(),
                        step: number,
                    })
                })?;
            let owner = q::step_owner(cx.tx, list.id, number)?;
            let owns_step = owner.is_some_and(|(_, id)| id == Some(cx.me.id));
            rules::check_step_change(
                &cx.me,
                rules::StepFacts {
                    login: &target.login,
                    list: list.state,
                    step: number,
                    owns_step,
                    owner: &step.owner_label(),
                },
            )?;
            let want = if done {
                StepState::Done
            } else {
                StepState::Open
            };
            if step.state == want {
                return Err(Error::WrongState(Conflict::StepAlready {
                    login: target.login.clone(),
                    step: number,
                    state: want,
                }));
            }
            let title = step.title.clone();
            if done {
                q::set_step_state(
                    cx.tx,
                    list.id,
                    number,
                    StepState::Done,
                    Some(cx.me.id),
                    Some(cx.now),
                )?;
            } else {
                q::set_step_state(cx.tx, list.id, number, StepState::Open, None, None)?;
            }
            let action = if done {
                "checklist.step_done"
            } else {
                "checklist.step_reopen"
            };
            let facts = json!({
                "template": list.template,
                "step": number,
                "title": title,
            });
            cx.audit(action, Some(target.id), facts.clone())?;
            if done {
                cx.emit(
                    EventType::ChecklistStepDone,
                    json!({
                        "employee": brief(&target),
                        "checklist": list.template,
                        "step": { "number": number, "title": title },
                    }),
                )?;
            }
            let after = q::latest_checklist(cx.tx, target.id, today)?
                .ok_or_else(|| Error::Storage("checklist vanished".into()))?;
            let all_done = after.steps.iter().all(|s| s.state == StepState::Done);
            if all_done && after.state == ChecklistState::Open {
                q::set_checklist_state(cx.tx, list.id, ChecklistState::Completed, Some(cx.now))?;
                cx.audit(
                    "checklist.complete",
                    Some(target.id),
                    json!({ "template": list.template }),
                )?;
                cx.emit(
                    EventType::ChecklistCompleted,
                    json!({
                        "employee": brief(&target),
                        "checklist": list.template,
                        "steps": after.steps.len(),
                    }),
                )?;
            } else if !all_done && after.state == ChecklistState::Completed {
                q::set_checklist_state(cx.tx, list.id, ChecklistState::Open, None)?;
            }
            q::latest_checklist(cx.tx, target.id, today)?
                .ok_or_else(|| Error::Storage("checklist vanished".into()))
        })
    }
}

/// What ticking a step done or reopening it did, in the words the command line prints
/// and the TUI's status line shows: the step, whose checklist, what is left.
pub struct StepChanged<'a> {
    pub list: &'a Checklist,
    pub step: i64,
    pub done: bool,
}

impl std::fmt::Display for StepChanged<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let title = self
            .list
            .steps
            .iter()
            .find(|s| s.number == self.step)
            .map(|s| crate::domain::text::escape(&s.title).into_owned())
            .unwrap_or_default();
        let verb = if self.done { "Done" } else { "Reopened" };
        let left = self
            .list
            .steps
            .iter()
            .filter(|s| s.state == StepState::Open)
            .count();
        write!(
            f,
            "{verb}: step {} \"{title}\" of the checklist of {}; {left} open, checklist {}.",
            self.step,
            super::Named::new(&self.list.name, &self.list.login),
            self.list.state
        )
    }
}

/// Whose steps `me` is shown (and whether that is only theirs): everyone's for staff
/// unless they ask for their own; always their own for everyone else.
fn step_owners(me: &Employee, mine: bool) -> (q::StepOwners, bool) {
    let mine = mine || !me.is_staff();
    let owners = if mine {
        q::StepOwners {
            me: Some(me.id),
            structure: me.structure_access,
            admin: me.is_admin,
        }
    } else {
        q::StepOwners::ALL
    };
    (owners, mine)
}

fn step_rows(
    c: &Connection,
    query: &StepQuery,
    owners: q::StepOwners,
    today: NaiveDate,
) -> Result<Vec<OpenStep>> {
    q::steps_page(
        c,
        query.filter,
        owners,
        today,
        query.offset.max(0),
        query.limit.clamp(1, 1000),
    )
}

/// Write a default template inside the caller's transaction, without an audit event
/// of its own (the demo builder's, whose one event covers the company it makes).
pub fn seed_checklist_template(
    tx: &Connection,
    name: &str,
    steps: &[StepSpec],
    by: EmployeeId,
    at: DateTime<Utc>,
) -> Result<()> {
    let id = q::insert_template(tx, name, true, by, at)?;
    for (i, s) in steps.iter().enumerate() {
        let role = owner_role(&s.owner);
        let owner = match role {
            OwnerRole::Login => Some(
                q::employee_by_login(tx, &s.owner)?
                    .ok_or_else(|| unknown_login(&s.owner))?
                    .id,
            ),
            _ => None,
        };
        q::insert_template_step(tx, id, i as i64 + 1, &s.title, role, owner, s.due_days)?;
    }
    Ok(())
}

/// Which template a dismissal's choice names: checked before anything is written, so
/// an unknown name refuses the whole dismissal.
pub(super) fn chosen_template(
    c: &Connection,
    choice: &ChecklistChoice,
) -> Result<Option<(i64, String)>> {
    match choice {
        ChecklistChoice::CompanyDefault => q::default_template(c),
        ChecklistChoice::None => Ok(None),
        ChecklistChoice::Named(n) => q::template_by_name(c, n)?
            .map(Some)
            .ok_or_else(|| Error::NotFound(Missing::ChecklistTemplate(n.clone()))),
    }
}

/// Start the checklist of a dismissal, inside its transaction: a copy of the
/// template's steps, each due its offset from `leaving`, a department-head step owned
/// by the head of the leaver's department now. The dismissal's audit event names it.
pub(super) fn start_checklist(
    cx: &Ctx<'_>,
    target: &Employee,
    template: Option<(i64, String)>,
    departure: Option<i64>,
    leaving: NaiveDate,
) -> Result<Option<String>> {
    let Some((id, name)) = template else {
        return Ok(None);
    };
    let list = q::insert_checklist(cx.tx, target.id, departure, &name, cx.now)?;
    let steps = q::template_steps(cx.tx, id)?;
    let head = q::department_head_of(cx.tx, target.id)?;
    for (i, (title, role, owner, _, days)) in steps.iter().enumerate() {
        let owner = match role {
            OwnerRole::DepartmentHead => head,
            OwnerRole::Login => *owner,
            _ => None,
        };
        let due = leaving + chrono::Duration::days(*days);
        q::insert_checklist_step(cx.tx, list, i as i64 + 1, title, *role, owner, due)?;
    }
    Ok(Some(name))
}
