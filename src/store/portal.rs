//! Queries for the webhook REST endpoint: filtered, sorted, paged lists in the shapes
//! the portal's methods return.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Day;
use super::queries::like_pattern;
use crate::directory::model::{
    ApiCrmItem, ApiTask, ApiUser, TaskFilter, TextMatch, UserFilter, UserSort,
};
use crate::domain::{EmployeeId, Result, TaskId};

fn text_clause(col: &str, m: &TextMatch, args: &mut Vec<Value>) -> String {
    match m {
        TextMatch::Exact(s) => {
            args.push(Value::Text(s.clone()));
            format!("{col} = ? COLLATE NOCASE")
        }
        TextMatch::Contains(s) => {
            args.push(Value::Text(like_pattern(s)));
            format!("{col} LIKE ? ESCAPE '\\'")
        }
    }
}

fn user_where(f: &UserFilter, args: &mut Vec<Value>) -> String {
    let mut w = vec!["e.kind = 'employee'".to_string()];
    if let Some(ids) = &f.ids {
        if ids.is_empty() {
            w.push("0".into());
        } else {
            w.push(format!("e.id IN ({})", vec!["?"; ids.len()].join(",")));
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
    if let Some(m) = &f.name {
        w.push(text_clause("e.first_name", m, args));
    }
    if let Some(m) = &f.last_name {
        w.push(text_clause("e.last_name", m, args));
    }
    if let Some(m) = &f.email {
        w.push(text_clause("e.email", m, args));
    }
    if let Some(d) = &f.departments {
        if d.is_empty() {
            w.push("0".into());
        } else {
            w.push(format!(
                "e.department_id IN ({})",
                vec!["?"; d.len()].join(",")
            ));
            args.extend(d.iter().map(|i| Value::Integer(*i)));
        }
    }
    if let Some(t) = &f.user_type
        && !t.eq_ignore_ascii_case("employee")
    {
        w.push("0".into());
    }
    if let Some(find) = &f.find {
        for word in find.split_whitespace() {
            let p = like_pattern(word);
            w.push(
                "(e.first_name LIKE ? ESCAPE '\\' OR e.last_name LIKE ? ESCAPE '\\' \
                 OR e.login LIKE ? ESCAPE '\\' OR e.email LIKE ? ESCAPE '\\')"
                    .into(),
            );
            for _ in 0..4 {
                args.push(Value::Text(p.clone()));
            }
        }
    }
    w.join(" AND ")
}

/// A page of users and the number matching.
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

/// A page of users; `total` is what `users_count` said.
pub fn users(
    c: &Connection,
    f: &UserFilter,
    sort: UserSort,
    desc: bool,
    offset: i64,
    limit: i64,
    total: i64,
) -> Result<(Vec<ApiUser>, i64)> {
    let mut args = Vec::new();
    let w = user_where(f, &mut args);
    let col = match sort {
        UserSort::Id => "e.id",
        UserSort::Name => "e.first_name COLLATE NOCASE",
        UserSort::LastName => "e.last_name COLLATE NOCASE",
        UserSort::Email => "e.email COLLATE NOCASE",
    };
    let dir = if desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT e.id, e.status = 'active', e.first_name, e.last_name, e.email, e.position, e.department_id, e.login, e.is_admin, e.hired_on \
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
        })
    })?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

fn in_list(col: &str, vals: &[EmployeeId], w: &mut Vec<String>, args: &mut Vec<Value>) {
    if vals.is_empty() {
        w.push("0".into());
    } else {
        w.push(format!("{col} IN ({})", vec!["?"; vals.len()].join(",")));
        args.extend(vals.iter().map(|v| Value::Integer(v.0)));
    }
}

pub fn tasks(
    c: &Connection,
    f: &TaskFilter,
    desc: bool,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ApiTask>, i64)> {
    let mut w = vec!["1".to_string()];
    let mut args = Vec::new();
    if let Some(v) = &f.responsible {
        in_list("t.responsible_id", v, &mut w, &mut args);
    }
    if let Some(v) = &f.created_by {
        in_list("t.creator_id", v, &mut w, &mut args);
    }
    if let Some(v) = &f.status {
        if v.is_empty() {
            w.push("0".into());
        } else {
            w.push(format!("t.status IN ({})", vec!["?"; v.len()].join(",")));
            args.extend(v.iter().map(|s| Value::Text(s.clone())));
        }
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
    let total: i64 = c
        .prepare_cached(&format!("SELECT COUNT(*) FROM tasks t WHERE {w}"))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
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
    c.execute(
        "UPDATE tasks SET former_responsible_id = responsible_id, responsible_id = ?2 \
         WHERE id = ?1 AND responsible_id != ?2",
        rusqlite::params![id, to],
    )?;
    Ok(())
}

pub fn crm_items(
    c: &Connection,
    kind: &str,
    assigned: Option<&[EmployeeId]>,
    desc: bool,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ApiCrmItem>, i64)> {
    let mut w = vec!["ci.kind = ?".to_string()];
    let mut args = vec![Value::Text(kind.to_string())];
    if let Some(v) = assigned {
        in_list("ci.assigned_id", v, &mut w, &mut args);
    }
    let w = w.join(" AND ");
    let total: i64 = c
        .prepare_cached(&format!("SELECT COUNT(*) FROM crm_items ci WHERE {w}"))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
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
    c.execute(
        "UPDATE employees SET first_name = ?2, last_name = ?3, email = ?4, position = ?5, \
         name_key = ?6 WHERE id = ?1",
        rusqlite::params![
            id,
            first,
            last,
            email,
            position,
            crate::domain::name_key(first, last)
        ],
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
