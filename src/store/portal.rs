//! Queries for the webhook REST endpoint: filtered, sorted, paged lists in the shapes
//! the portal's methods return.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Day;
use super::queries::like_pattern;
use crate::directory::model::{
    ApiCrmItem, ApiTask, ApiUser, Condition, CrmField, FilterOp, FilterValue, TaskField,
    TaskFilter, UserField, UserFilter, UserSort,
};
use crate::domain::{EmployeeId, Result, TaskId};
use chrono::NaiveDate;

/// How a column compares: numbers as numbers, text without regard to case.
#[derive(Clone, Copy)]
enum Column {
    Number(&'static str),
    Text(&'static str),
}

fn bind(v: &FilterValue) -> Value {
    match v {
        FilterValue::Int(i) => Value::Integer(*i),
        FilterValue::Text(t) => Value::Text(t.clone()),
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

/// The SQL of one filter condition, its values pushed onto `args`.
fn condition_sql<F>(col: Column, c: &Condition<F>, args: &mut Vec<Value>) -> String {
    let (name, collate) = match col {
        Column::Number(n) => (n, ""),
        Column::Text(n) => (n, " COLLATE NOCASE"),
    };
    let first_text = || match c.values.first() {
        Some(FilterValue::Text(t)) => t.clone(),
        Some(FilterValue::Int(i)) => i.to_string(),
        None => String::new(),
    };
    let like = |pattern: String, args: &mut Vec<Value>, negate: bool| {
        args.push(Value::Text(pattern));
        let not = if negate { "NOT " } else { "" };
        format!("{name} {not}LIKE ? ESCAPE '\\'")
    };
    match c.op {
        FilterOp::Eq | FilterOp::NotEq => {
            let negate = c.op == FilterOp::NotEq;
            if c.values.is_empty() {
                if negate {
                    return "1".into();
                }
                // Nothing equals NULL: no row, found through the same index as any
                // value (a constant `0` made SQLite plan a scan of the whole table).
                args.push(Value::Null);
                return format!("{name}{collate} IN (?)");
            }
            args.extend(c.values.iter().map(bind));
            let not = if negate { "NOT " } else { "" };
            format!("{name}{collate} {not}IN ({})", placeholders(c.values.len()))
        }
        FilterOp::Gt | FilterOp::Ge | FilterOp::Lt | FilterOp::Le => {
            // An empty bound (a keyset continuation past the last page) matches nothing:
            // a comparison with NULL, which seeks the same index and ends at once (a
            // constant `0` made SQLite plan a scan of the whole table, 4 ms a page on
            // the large company, and a batch past the end of a walk 200 ms).
            args.push(c.values.first().map_or(Value::Null, bind));
            let sign = match c.op {
                FilterOp::Gt => ">",
                FilterOp::Ge => ">=",
                FilterOp::Lt => "<",
                _ => "<=",
            };
            format!("{name}{collate} {sign} ?")
        }
        FilterOp::Contains => like(like_pattern(&first_text()), args, false),
        FilterOp::NotContains => like(like_pattern(&first_text()), args, true),
        // The client's own `%` and `_` are the wildcards; nothing else is special.
        FilterOp::Like => like(first_text().replace('\\', "\\\\"), args, false),
        FilterOp::NotLike => like(first_text().replace('\\', "\\\\"), args, true),
    }
}

fn user_column(f: UserField) -> Column {
    match f {
        UserField::Id => Column::Number("e.id"),
        UserField::Name => Column::Text("e.first_name"),
        UserField::LastName => Column::Text("e.last_name"),
        UserField::Email => Column::Text("e.email"),
        UserField::Position => Column::Text("e.position"),
        UserField::Department => Column::Number("e.department_id"),
    }
}

fn user_where(f: &UserFilter, args: &mut Vec<Value>) -> String {
    let mut w = vec!["e.kind = 'employee'".to_string()];
    if let Some(ids) = &f.ids {
        if ids.is_empty() {
            w.push("0".into());
        } else {
            w.push(format!("e.id IN ({})", placeholders(ids.len())));
            args.extend(ids.iter().map(|i| Value::Integer(i.0)));
        }
    }
    // A dismissed employee is listed only with the setting on, or when asked for by ID.
    if !f.include_dismissed && f.ids.is_none() {
        w.push("e.status = 'active'".into());
    }
    if let Some(a) = f.active {
        w.push(if a {
            "e.status = 'active'".into()
        } else {
            "e.status = 'dismissed'".into()
        });
    }
    for c in &f.conditions {
        w.push(condition_sql(user_column(c.field), c, args));
    }
    if let Some(t) = &f.user_type
        && !t.eq_ignore_ascii_case("employee")
    {
        w.push("0".into());
    }
    if let Some(find) = &f.find {
        for word in find.split_whitespace() {
            // Each word in a name, the login, the e-mail, the position or the
            // profession, or the user's ID, as the portal's FIND looks them up.
            let p = like_pattern(word);
            w.push(
                "(e.first_name LIKE ? ESCAPE '\\' OR e.last_name LIKE ? ESCAPE '\\' \
                 OR e.login LIKE ? ESCAPE '\\' OR e.email LIKE ? ESCAPE '\\' \
                 OR e.position LIKE ? ESCAPE '\\' OR e.personal_profession LIKE ? ESCAPE '\\' \
                 OR CAST(e.id AS TEXT) = ?)"
                    .into(),
            );
            for _ in 0..6 {
                args.push(Value::Text(p.clone()));
            }
            args.push(Value::Text(word.to_string()));
        }
    }
    w.join(" AND ")
}

/// How many users match `f` (cached by the caller: the total of a long list is the
/// costly part of paging through it).
pub fn users_count(c: &Connection, f: &UserFilter) -> Result<i64> {
    let mut args = Vec::new();
    let w = user_where(f, &mut args);
    Ok(
        c.prepare_cached(&format!("SELECT COUNT(*) FROM employees e WHERE {w}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?,
    )
}

/// Rows between two anchors of a `PageIndex`.
pub const ANCHOR_EVERY: i64 = 256;

/// What turns `start=N` in ID order into a seek: the number of users matching, and
/// the ID at every `ANCHOR_EVERY`th position, in the list's direction. A page at
/// `start=90,000` then starts at the anchor below it and skips fewer than
/// `ANCHOR_EVERY` rows, instead of 90,000. One pass over the index, the same as a
/// count; the caller keeps it until the data changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageIndex {
    pub total: i64,
    pub anchors: Vec<i64>,
}

impl PageIndex {
    /// The ID to seek to and the rows to skip after it, for a page at `offset`.
    pub fn seek(&self, offset: i64) -> Option<(i64, i64)> {
        let slot = usize::try_from(offset / ANCHOR_EVERY).ok()?;
        let id = *self.anchors.get(slot)?;
        Some((id, offset % ANCHOR_EVERY))
    }
}

pub fn users_index(c: &Connection, f: &UserFilter, desc: bool) -> Result<PageIndex> {
    let mut args = Vec::new();
    let w = user_where(f, &mut args);
    let dir = if desc { "DESC" } else { "ASC" };
    let mut stmt = c.prepare_cached(&format!(
        "SELECT e.id FROM employees e WHERE {w} ORDER BY e.id {dir}"
    ))?;
    let mut rows = stmt.query(params_from_iter(args.iter()))?;
    let mut index = PageIndex::default();
    while let Some(r) = rows.next()? {
        if index.total % ANCHOR_EVERY == 0 {
            index.anchors.push(r.get(0)?);
        }
        index.total += 1;
    }
    Ok(index)
}

/// A page of users: `limit` rows after skipping `offset`, in the order asked for.
/// `from_id` (ID order only) starts the list at that ID, inclusive, as an anchor of a
/// `PageIndex` says.
pub fn users(
    c: &Connection,
    f: &UserFilter,
    sort: UserSort,
    desc: bool,
    from_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> Result<Vec<ApiUser>> {
    let mut args = Vec::new();
    let mut w = user_where(f, &mut args);
    if let Some(id) = from_id {
        w.push_str(if desc {
            " AND e.id <= ?"
        } else {
            " AND e.id >= ?"
        });
        args.push(Value::Integer(id));
    }
    let col = match sort {
        UserSort::Id => "e.id",
        UserSort::Name => "e.first_name COLLATE NOCASE",
        UserSort::LastName => "e.last_name COLLATE NOCASE",
        UserSort::Email => "e.email COLLATE NOCASE",
    };
    let dir = if desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT e.id, e.status = 'active', e.first_name, e.last_name, e.email, e.position, e.department_id, e.login, e.is_admin, e.hired_on, \
         e.personal_gender, e.personal_profession, e.personal_birthday \
         FROM (SELECT e.id AS pid FROM employees e WHERE {w} ORDER BY {col} {dir}, e.id {dir} LIMIT ? OFFSET ?) page \
         JOIN employees e ON e.id = page.pid ORDER BY {col} {dir}, e.id {dir}"
    );
    args.push(Value::Integer(limit));
    args.push(Value::Integer(offset));
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok(ApiUser {
            id: r.get(0)?,
            active: r.get(1)?,
            name: r.get(2)?,
            last_name: r.get(3)?,
            email: r.get(4)?,
            position: r.get(5)?,
            department: r.get(6)?,
            login: r.get(7)?,
            is_admin: r.get(8)?,
            hired_on: r.get::<_, Day>(9)?.0,
            gender: r.get(10)?,
            profession: r.get(11)?,
            birthday: r.get::<_, Option<Day>>(12)?.map(|d| d.0),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn task_column(f: TaskField) -> Column {
    match f {
        TaskField::Id => Column::Number("t.id"),
        TaskField::Title => Column::Text("t.title"),
        TaskField::Responsible => Column::Number("t.responsible_id"),
        TaskField::CreatedBy => Column::Number("t.creator_id"),
        TaskField::Status => Column::Text("t.status"),
    }
}

/// A page of tasks in ID order, and how many match when `count` is asked for.
pub fn tasks(
    c: &Connection,
    f: &TaskFilter,
    desc: bool,
    offset: i64,
    limit: i64,
    count: bool,
) -> Result<(Vec<ApiTask>, Option<i64>)> {
    let mut w = vec!["1".to_string()];
    let mut args = Vec::new();
    for cond in &f.conditions {
        w.push(condition_sql(task_column(cond.field), cond, &mut args));
    }
    if let Some(me) = f.visible_to {
        w.push(
            "t.id IN (SELECT id FROM tasks WHERE responsible_id = ? UNION SELECT id FROM tasks WHERE creator_id = ? \
             UNION SELECT task_id FROM task_participants WHERE employee_id = ?)"
                .into(),
        );
        args.extend([
            Value::Integer(me.0),
            Value::Integer(me.0),
            Value::Integer(me.0),
        ]);
    }
    let w = w.join(" AND ");
    let total: Option<i64> = if count {
        Some(
            c.prepare_cached(&format!("SELECT COUNT(*) FROM tasks t WHERE {w}"))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?,
        )
    } else {
        None
    };
    let dir = if desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT t.id, t.title, t.responsible_id, t.creator_id, t.status FROM tasks t WHERE {w} ORDER BY t.id {dir} LIMIT ? OFFSET ?"
    );
    args.push(Value::Integer(limit));
    args.push(Value::Integer(offset));
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok(ApiTask {
            id: r.get(0)?,
            title: r.get(1)?,
            responsible: r.get(2)?,
            created_by: r.get(3)?,
            status: r.get(4)?,
        })
    })?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

/// (id, responsible, creator, participants) of one task.
pub fn task_people(
    c: &Connection,
    id: TaskId,
) -> Result<Option<(EmployeeId, EmployeeId, Vec<EmployeeId>)>> {
    use rusqlite::OptionalExtension;
    let head: Option<(EmployeeId, EmployeeId)> = c
        .prepare_cached("SELECT responsible_id, creator_id FROM tasks WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((responsible, creator)) = head else {
        return Ok(None);
    };
    let mut stmt =
        c.prepare_cached("SELECT employee_id FROM task_participants WHERE task_id = ?1")?;
    let people = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<EmployeeId>>>()?;
    Ok(Some((responsible, creator, people)))
}

pub fn set_task_responsible(c: &Connection, id: TaskId, to: EmployeeId) -> Result<()> {
    use rusqlite::OptionalExtension;
    let before: Option<(EmployeeId, bool)> = c
        .prepare_cached("SELECT responsible_id, status = 'done' FROM tasks WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((from, done)) = before.filter(|(from, _)| *from != to) else {
        return Ok(());
    };
    c.execute(
        "UPDATE tasks SET former_responsible_id = responsible_id, responsible_id = ?2 \
         WHERE id = ?1",
        rusqlite::params![id, to],
    )?;
    super::queries::move_work_counts(
        c,
        from,
        to,
        super::queries::WorkDelta {
            responsible: 1,
            done: i64::from(done),
            ..Default::default()
        },
    )
}

fn crm_column(f: CrmField) -> Column {
    match f {
        CrmField::Id => Column::Number("ci.id"),
        CrmField::Title => Column::Text("ci.title"),
        CrmField::Assigned => Column::Number("ci.assigned_id"),
        CrmField::Stage => Column::Text("ci.stage"),
    }
}

/// A page of CRM items of one kind in ID order, and how many match when `count` is
/// asked for.
pub fn crm_items(
    c: &Connection,
    kind: &str,
    conditions: &[Condition<CrmField>],
    desc: bool,
    offset: i64,
    limit: i64,
    count: bool,
) -> Result<(Vec<ApiCrmItem>, Option<i64>)> {
    let mut w = vec!["ci.kind = ?".to_string()];
    let mut args = vec![Value::Text(kind.to_string())];
    for cond in conditions {
        w.push(condition_sql(crm_column(cond.field), cond, &mut args));
    }
    let w = w.join(" AND ");
    let total: Option<i64> = if count {
        Some(
            c.prepare_cached(&format!("SELECT COUNT(*) FROM crm_items ci WHERE {w}"))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?,
        )
    } else {
        None
    };
    let dir = if desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT ci.id, ci.title, ci.assigned_id, ci.stage FROM crm_items ci WHERE {w} ORDER BY ci.id {dir} LIMIT ? OFFSET ?"
    );
    args.push(Value::Integer(limit));
    args.push(Value::Integer(offset));
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok(ApiCrmItem {
            id: r.get(0)?,
            title: r.get(1)?,
            assigned: r.get(2)?,
            stage: r.get(3)?,
        })
    })?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

pub fn update_employee_fields(
    c: &Connection,
    id: EmployeeId,
    first: &str,
    last: &str,
    email: &str,
    position: &str,
) -> Result<()> {
    let key = crate::domain::name_key(first, last);
    let rank = super::queries::rank_for(c, &key)?;
    c.execute(
        "UPDATE employees SET first_name = ?2, last_name = ?3, email = ?4, position = ?5, \
         name_key = ?6, name_rank = ?7 WHERE id = ?1",
        rusqlite::params![id, first, last, email, position, key, rank],
    )?;
    Ok(())
}

pub fn email_taken_by_other(c: &Connection, email: &str, id: EmployeeId) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM employees WHERE kind = 'employee' AND email = ?1 COLLATE NOCASE AND id != ?2)",
        rusqlite::params![email, id],
        |r| r.get(0),
    )?)
}

/// The portal's personal fields of one employee (`user.update`).
pub fn update_personal_fields(
    c: &Connection,
    id: EmployeeId,
    gender: &str,
    profession: &str,
    birthday: Option<NaiveDate>,
) -> Result<()> {
    c.execute(
        "UPDATE employees SET personal_gender = ?2, personal_profession = ?3, personal_birthday = ?4 \
         WHERE id = ?1",
        rusqlite::params![id, gender, profession, birthday.map(Day)],
    )?;
    Ok(())
}

/// What `update_personal_fields` wrote: gender, profession and birthday.
/// What `user.current` adds to the employee its caller was authenticated as: the
/// department's id and the personal fields, in one statement.
pub fn current_extras(c: &Connection, id: EmployeeId) -> Result<CurrentExtras> {
    Ok(c.prepare_cached(
        "SELECT department_id, personal_gender, personal_profession, personal_birthday \
             FROM employees WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(CurrentExtras {
            department: r.get(0)?,
            gender: r.get(1)?,
            profession: r.get(2)?,
            birthday: r.get::<_, Option<Day>>(3)?.map(|d| d.0),
        })
    })?)
}

/// See `current_extras`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CurrentExtras {
    pub department: Option<i64>,
    pub gender: String,
    pub profession: String,
    pub birthday: Option<NaiveDate>,
}

pub fn personal_fields(
    c: &Connection,
    id: EmployeeId,
) -> Result<(String, String, Option<NaiveDate>)> {
    Ok(c.query_row(
        "SELECT personal_gender, personal_profession, personal_birthday FROM employees WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<Day>>(2)?.map(|d| d.0))),
    )?)
}
