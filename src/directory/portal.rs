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
    /// with `show_dismissed` on, or when asked for by ID. The total comes with a counted
    /// start; in ID order the page seeks to the nearest anchor of the list's cached
    /// `PageIndex`, so a page deep in the list costs what the first one does.
    pub fn api_users(
        &self,
        actor: Actor,
        filter: &UserFilter,
        sort: UserSort,
        desc: bool,
        start: PageStart,
        limit: i64,
    ) -> Result<(Vec<ApiUser>, Option<i64>)> {
        let show = self.show_dismissed()?;
        let mut f = filter.clone();
        f.include_dismissed = show;
        let by_id = sort == UserSort::Id;
        let PageStart::Offset(offset) = start else {
            let rows = self.read(actor, |c, _| {
                store::portal::users(c, &f, sort, desc, None, 0, limit)
            })?;
            return Ok((rows, None));
        };
        let key = format!("{f:?} {by_id} {desc}");
        let (version, cached) = self.kept_index(&key)?;
        let (rows, index) = self.read(actor, |c, _| {
            let index = match cached {
                Some(index) => index,
                None if by_id => std::sync::Arc::new(store::portal::users_index(c, &f, desc)?),
                None => std::sync::Arc::new(store::portal::PageIndex {
                    total: store::portal::users_count(c, &f)?,
                    anchors: Vec::new(),
                }),
            };
            let rows = match index.seek(offset).filter(|_| by_id) {
                Some((from, skip)) => {
                    store::portal::users(c, &f, sort, desc, Some(from), skip, limit)?
                }
                None => store::portal::users(c, &f, sort, desc, None, offset, limit)?,
            };
            Ok((rows, index))
        })?;
        let total = index.total;
        self.keep_index(key, version, index);
        Ok((rows, Some(total)))
    }

    /// The data version now, and the page index kept for `key` if it was read at it.
    pub(super) fn kept_index(
        &self,
        key: &str,
    ) -> Result<(i64, Option<std::sync::Arc<store::portal::PageIndex>>)> {
        let version = self.data_version()?;
        let cached = self
            .count_cache
            .borrow()
            .get(key)
            .filter(|(v, _)| *v == version)
            .map(|(_, index)| index.clone());
        Ok((version, cached))
    }

    /// Keep `index` for `key`, read at `version` (at most 256 lists are kept).
    pub(super) fn keep_index(
        &self,
        key: String,
        version: i64,
        index: std::sync::Arc<store::portal::PageIndex>,
    ) {
        let mut cache = self.count_cache.borrow_mut();
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key, (version, index));
    }

    /// Tasks for `tasks.task.list`: all for staff, those they take part in for others.
    pub fn api_tasks(
        &self,
        actor: Actor,
        filter: &TaskFilter,
        desc: bool,
        start: PageStart,
        limit: i64,
    ) -> Result<(Vec<ApiTask>, Option<i64>)> {
        self.read(actor, |c, me| {
            let mut f = filter.clone();
            if !me.is_staff() {
                f.visible_to = Some(me.id);
            }
            let count = matches!(start, PageStart::Offset(_));
            store::portal::tasks(c, &f, desc, start.offset(), limit, count)
        })
    }

    /// CRM items of one kind for the `crm.*.list` methods.
    pub fn api_crm(
        &self,
        actor: Actor,
        kind: &str,
        conditions: &[Condition<CrmField>],
        desc: bool,
        start: PageStart,
        limit: i64,
    ) -> Result<(Vec<ApiCrmItem>, Option<i64>)> {
        self.read(actor, |c, _| {
            let count = matches!(start, PageStart::Offset(_));
            store::portal::crm_items(c, kind, conditions, desc, start.offset(), limit, count)
        })
    }

    /// The department id and personal fields of the employee a call was authenticated
    /// as (`user.current`), read without the permission round trip: a caller may
    /// always read itself.
    pub fn current_extras(&self, id: EmployeeId) -> Result<store::portal::CurrentExtras> {
        store::portal::current_extras(&self.conn, id).map_err(|e| self.locate(e))
    }

    /// The id of a department, by name.
    pub fn department_id(&self, name: &str) -> Result<Option<i64>> {
        q::department_id(&self.conn, name).map_err(|e| self.locate(e))
    }

    pub fn departments(&self, actor: Actor) -> Result<Vec<DepartmentRow>> {
        self.read(actor, |c, _| q::departments(c))
    }
}
