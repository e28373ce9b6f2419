//! Reading: lists, profiles and their sections, integrations, the audit log, export.

use super::*;

impl Directory {
    /// A page of the employee list. Dismissed employees only with `show_dismissed` on,
    /// except an exact login match; the handover backlog for staff whatever the setting.
    pub fn list(&self, actor: Actor, query: &ListQuery) -> Result<Page> {
        let show = self.show_dismissed()?;
        self.read(actor, |c, me| {
            may_list(me, show, query)?;
            let rows = q::list_employees(c, query)?;
            let total = q::count_employees_shown(c, query)?;
            let hidden = if query.status == StatusFilter::Active && !query.still_owns {
                let dismissed = ListQuery {
                    status: StatusFilter::Dismissed,
                    ..query.clone()
                };
                // The one found by their exact login is on the list already.
                // A hint, counted less far than the list itself.
                let mut n = q::count_employees_upto(c, &dismissed, q::HIDDEN_COUNT_FROM)?;
                n.n -= i64::from(q::exact_login_extra(c, query)?.is_some());
                n
            } else {
                q::Counted::default()
            };
            Ok(Page {
                rows,
                total: total.n,
                more: total.more,
                dismissed_hidden: hidden.n,
                hidden_more: hidden.more,
            })
        })
    }

    /// The rows of `list`, one at a time as they are read (for writing out a list of any
    /// length in little memory). Returns how many there were.
    pub fn list_each(
        &self,
        actor: Actor,
        query: &ListQuery,
        each: &mut dyn FnMut(ListRow) -> Result<()>,
    ) -> Result<i64> {
        let show = self.show_dismissed()?;
        self.read(actor, |c, me| {
            may_list(me, show, query)?;
            let mut n = 0;
            q::list_employees_each(c, query, &mut |row| {
                n += 1;
                each(row)
            })?;
            Ok(n)
        })
    }

    /// The rows of a page only, without counting the whole list (scrolling).
    pub fn list_rows(&self, actor: Actor, query: &ListQuery) -> Result<Vec<ListRow>> {
        let show = self.show_dismissed()?;
        self.read(actor, |c, me| {
            if query.still_owns {
                rules::ensure_may_read_reports(me, Op::ReadBacklog)?;
            } else {
                rules::check_list_filter(show, query.status)?;
            }
            q::list_employees(c, query)
        })
    }

    /// The profile of anyone, by direct look-up.
    pub fn profile(&self, actor: Actor, login: &str) -> Result<Profile> {
        self.read(actor, |c, me| {
            let employee =
                q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            let departure = q::latest_departure(c, employee.id)?.filter(|d| {
                employee.status == Status::Dismissed
                    || matches!(d.state, DepartureState::Pending | DepartureState::Failed)
            });
            let responsible = q::responsible_total(c, employee.id)?;
            let owns = q::owned_given(c, employee.id, responsible)?;
            let history = q::history_given(c, employee.id, responsible)?;
            let integrations = q::integrations(c, Some(employee.id))?;
            let conversation_len = q::conversation_len(c, me.id, employee.id)?;
            let system = q::system_user_for(c, employee.id)?;
            let kept = match &system {
                Some(s) => q::integrations(c, Some(s.id))?,
                None => vec![],
            };
            let system_user = system.map(|s| s.login);
            let checklist =
                q::latest_checklist(c, employee.id, self.now().date_naive())?.filter(|l| {
                    me.is_staff()
                        || l.steps
                            .iter()
                            .any(|s| s.owner.as_deref() == Some(&me.login))
                });
            Ok(Profile {
                kept,
                employee,
                departure,
                owns,
                history,
                integrations,
                conversation_len,
                system_user,
                checklist,
            })
        })
    }

    /// A page of the conversation between the viewer and `login`, newest first.
    pub fn conversation(
        &self,
        actor: Actor,
        login: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<SectionRow>> {
        self.read(actor, |c, me| {
            let other =
                q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            q::conversation(c, me.id, other.id, offset, limit)
        })
    }

    /// A page of one profile section.
    pub fn section(
        &self,
        actor: Actor,
        login: &str,
        which: Section,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<SectionRow>> {
        self.read(actor, |c, _| {
            let who = q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            q::section(c, who.id, which, offset, limit)
        })
    }

    /// Active people who may take over work, matching `search` (for pickers).
    pub fn successors(
        &self,
        actor: Actor,
        search: &str,
        exclude: EmployeeId,
        limit: i64,
    ) -> Result<Vec<Employee>> {
        self.read(actor, |c, _| q::successors(c, search, exclude, limit))
    }

    /// Employees holding company-structure access (the settings pane lists them).
    pub fn structure_staff(&self, actor: Actor) -> Result<Vec<Employee>> {
        self.read(actor, |c, _| q::structure_staff(c))
    }

    /// The integrations that `login`'s system user holds and a rehire could return.
    pub fn returnable_integrations(
        &self,
        actor: Actor,
        login: &str,
    ) -> Result<Vec<IntegrationBrief>> {
        self.read(actor, |c, _| {
            let who = q::employee_by_login(c, login.trim())?.ok_or_else(|| unknown_login(login))?;
            match q::system_user_for(c, who.id)? {
                Some(system) => q::returnable_integrations(c, system.id, who.id),
                None => Ok(Vec::new()),
            }
        })
    }

    /// How many audit events match `search`.
    pub fn audit_total(&self, actor: Actor, search: Option<&str>) -> Result<i64> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, Op::ReadAudit)?;
            q::audit_count_matching(c, search)
        })
    }

    /// Integrations: all of them for administrators and company-structure staff,
    /// one's own for everyone else.
    pub fn integrations(&self, actor: Actor) -> Result<Vec<Integration>> {
        self.read(actor, |c, me| {
            let owner = if me.is_staff() { None } else { Some(me.id) };
            q::integrations(c, owner)
        })
    }

    pub fn integration(&self, actor: Actor, id: IntegrationId) -> Result<Integration> {
        self.read(actor, |c, me| {
            let i = q::integration(c, id)?.ok_or_else(|| unknown_integration(id))?;
            if !me.is_staff() && i.owner_id != me.id {
                return Err(unknown_integration(id));
            }
            Ok(i)
        })
    }

    /// The audit log, newest first.
    pub fn audit(
        &self,
        actor: Actor,
        search: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, Op::ReadAudit)?;
            q::audit_events(c, search, offset, limit)
        })
    }

    /// Walk the audit log's hash chain from the first event and check its guards.
    pub fn verify_audit(&self, actor: Actor) -> Result<AuditCheck> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, Op::ReadAudit)?;
            q::verify_audit(c)
        })
    }

    /// Employees with their departure, for CSV or JSON export.
    pub fn export(&self, actor: Actor, status: StatusFilter) -> Result<Vec<ExportRow>> {
        let mut out = Vec::new();
        self.export_each(actor, status, &mut |row| {
            out.push(row);
            Ok(())
        })?;
        Ok(out)
    }

    /// The export, one row at a time in list order, for writing out as it is read: a
    /// company of any size is exported in one query and little memory. All rows come
    /// from one read transaction, so they agree with each other.
    /// How many rows `export_each` gives for `status` (for a progress bar).
    pub fn export_count(&self, actor: Actor, status: StatusFilter) -> Result<i64> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, Op::ReadExport)?;
            q::count_employees(
                c,
                &ListQuery {
                    status,
                    ..Default::default()
                },
            )
        })
    }

    pub fn export_each(
        &self,
        actor: Actor,
        status: StatusFilter,
        each: &mut dyn FnMut(ExportRow) -> Result<()>,
    ) -> Result<()> {
        self.read(actor, |c, me| {
            rules::ensure_may_read_reports(me, Op::ReadExport)?;
            q::export_rows(c, status, &mut |e, dep, owned| {
                each(ExportRow {
                    login: e.login,
                    first_name: e.first_name,
                    last_name: e.last_name,
                    email: e.email,
                    position: e.position,
                    department: e.department.unwrap_or_default(),
                    hired_on: e.hired_on,
                    status: e.status,
                    dismissed_at: dep.as_ref().map(|d| d.at),
                    dismissed_by: dep.as_ref().map(|d| d.by.clone()).unwrap_or_default(),
                    reason: dep
                        .as_ref()
                        .and_then(|d| d.reason)
                        .map(|r| r.to_string())
                        .unwrap_or_default(),
                    note: dep.and_then(|d| d.note).unwrap_or_default(),
                    open_tasks: owned.tasks,
                    crm_items: owned.crm_items,
                    files: owned.files,
                    mailboxes: owned.mailboxes,
                })
            })
        })
    }
}

/// Whether `me` may see this list: the handover backlog is for staff; other lists
/// follow the show-dismissed setting.
fn may_list(me: &Employee, show_dismissed: bool, query: &ListQuery) -> Result<()> {
    if query.still_owns {
        rules::ensure_may_read_reports(me, Op::ReadBacklog)
    } else {
        rules::check_list_filter(show_dismissed, query.status)
    }
}
