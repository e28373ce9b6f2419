//! The operations only the REST endpoint (the portal's wire format) needs.

use super::*;

impl Directory {
    /// Make `to` responsible for one task: its responsible, its creator, or staff may.
    pub fn delegate_task(&mut self, actor: Actor, task: TaskId, to: EmployeeId) -> Result<()> {
        self.change(actor, |cx| {
            let (responsible, creator, _) = store::portal::task_people(cx.tx, task)?
                .ok_or(Error::NotFound(Missing::Task(task)))?;
            if !(cx.me.is_staff() || cx.me.id == responsible || cx.me.id == creator) {
                return Err(Error::Denied(Denial::NotTaskParty {
                    login: cx.me.login.clone(),
                    task,
                }));
            }
            let successor =
                q::employee_by_id(cx.tx, to)?.ok_or(Error::NotFound(Missing::EmployeeId(to)))?;
            rules::check_successor(&successor)?;
            store::portal::set_task_responsible(cx.tx, task, to)?;
            cx.audit(
                "task.delegate",
                Some(successor.id),
                json!({ "task": task, "from": responsible, "to": to }),
            )?;
            Ok(())
        })
    }

    /// Users for `user.get` and `user.search`. System users never; dismissed ones only
    /// with `show_dismissed` on, or when asked for by ID.
    pub fn api_users(
        &self,
        actor: Actor,
        filter: &UserFilter,
        sort: UserSort,
        desc: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ApiUser>, i64)> {
        let show = self.show_dismissed()?;
        let mut f = filter.clone();
        f.include_dismissed = show;
        let key = format!("{f:?}");
        let version = self.data_version()?;
        let cached = self
            .count_cache
            .borrow()
            .get(&key)
            .filter(|(v, _)| *v == version)
            .map(|(_, n)| *n);
        let (rows, total) = self.read(actor, |c, _| {
            let total = match cached {
                Some(n) => n,
                None => store::portal::users_count(c, &f)?,
            };
            store::portal::users(c, &f, sort, desc, offset, limit, total)
        })?;
        let mut cache = self.count_cache.borrow_mut();
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key, (version, total));
        Ok((rows, total))
    }

    /// Tasks for `tasks.task.list`: all for staff, those they take part in for others.
    pub fn api_tasks(
        &self,
        actor: Actor,
        filter: &TaskFilter,
        desc: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ApiTask>, i64)> {
        self.read(actor, |c, me| {
            let mut f = filter.clone();
            if !me.is_staff() {
                f.visible_to = Some(me.id);
            }
            store::portal::tasks(c, &f, desc, offset, limit)
        })
    }

    /// CRM items of one kind for the `crm.*.list` methods.
    pub fn api_crm(
        &self,
        actor: Actor,
        kind: &str,
        assigned: Option<&[EmployeeId]>,
        desc: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ApiCrmItem>, i64)> {
        self.read(actor, |c, _| {
            store::portal::crm_items(c, kind, assigned, desc, offset, limit)
        })
    }

    /// The id of a department, by name.
    pub fn department_id(&self, name: &str) -> Result<Option<i64>> {
        q::department_id(&self.conn, name).map_err(|e| self.locate(e))
    }

    pub fn departments(&self, actor: Actor) -> Result<Vec<DepartmentRow>> {
        self.read(actor, |c, _| q::departments(c))
    }
}
