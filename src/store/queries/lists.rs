//! SQL for employee lists.

use super::*;

pub(crate) fn like_pattern(s: &str) -> String {
    let mut p = String::with_capacity(s.len() + 2);
    p.push('%');
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// How a search text is matched: a fragment of three or more characters anywhere in
/// the name, login or email (trigram index); one or two characters at the start of the
/// last name (a range of the list index, like a phone book).
pub(super) enum SearchPlan {
    None,
    Fragment(String),
    LastNamePrefix(String, String),
}

pub(super) fn search_plan(q: &ListQuery) -> SearchPlan {
    let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return SearchPlan::None;
    };
    if text.chars().count() >= 3 {
        // An FTS5 phrase: quotes doubled, so any text is a literal fragment.
        SearchPlan::Fragment(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        let lo = crate::domain::fold(text);
        let hi = format!("{lo}\u{10FFFF}");
        SearchPlan::LastNamePrefix(lo, hi)
    }
}

/// WHERE clause and its parameters for a list query (without the exact-login extra).
pub(super) fn list_where(q: &ListQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let status = match q.status {
        // The handover backlog is about dismissed employees whatever the filter says.
        _ if q.still_owns => "e.status = 'dismissed'",
        StatusFilter::Active => "e.status = 'active'",
        StatusFilter::Dismissed => "e.status = 'dismissed'",
        StatusFilter::All => "e.status IN ('active', 'dismissed')",
    };
    let mut w = format!("e.kind = 'employee' AND {status}");
    let mut args = Vec::new();
    match search_plan(q) {
        SearchPlan::None => {}
        SearchPlan::Fragment(phrase) => {
            w.push_str(
                " AND e.id IN (SELECT rowid FROM employee_search WHERE employee_search MATCH ?)",
            );
            args.push(Value::Text(phrase));
        }
        SearchPlan::LastNamePrefix(lo, hi) => {
            w.push_str(" AND e.name_key >= ? AND e.name_key < ?");
            args.push(Value::Text(lo));
            args.push(Value::Text(hi));
        }
    }
    if q.still_owns {
        w.push_str(&format!(
            " AND (\
             EXISTS (SELECT 1 FROM tasks t WHERE t.responsible_id = e.id AND t.status != 'done') \
             OR EXISTS (SELECT 1 FROM crm_items ci WHERE ci.assigned_id = e.id AND ci.{}) \
             OR EXISTS (SELECT 1 FROM files f WHERE f.owner_id = e.id) \
             OR EXISTS (SELECT 1 FROM mailboxes mb WHERE mb.owner_id = e.id) \
             OR EXISTS (SELECT 1 FROM meetings mt WHERE mt.organizer_id = e.id AND mt.starts_at > {now}) \
             OR EXISTS (SELECT 1 FROM checklists k JOIN checklist_steps s ON s.checklist_id = k.id \
                        WHERE k.employee_id = e.id AND k.state = 'open' AND s.state = 'open' \
                        AND s.due_on < date('now')))",
            crm_open_clause(),
            now = super::work::SQL_NOW
        ));
    }
    (w, args)
}

/// A dismissed employee whose login is exactly the search text stays findable while
/// the list shows only active employees (SPEC §4).
pub(super) fn exact_login_extra(c: &Connection, q: &ListQuery) -> Result<Option<Employee>> {
    if q.still_owns || q.status != StatusFilter::Active {
        return Ok(None);
    }
    let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    Ok(employee_by_login(c, &text.to_ascii_lowercase())?
        .filter(|e| e.kind == Kind::Employee && e.status == Status::Dismissed))
}

pub(super) fn active_integration_count(c: &Connection, id: EmployeeId) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM integrations WHERE owner_id = ?1 AND status = 'active'",
    )?
    .query_row([id], |r| r.get(0))?)
}

/// One page of the list, in name order. Only the rows asked for are read.
pub fn list_employees(c: &Connection, q: &ListQuery) -> Result<Vec<ListRow>> {
    let mut out = Vec::new();
    list_employees_each(c, q, &mut |row| {
        out.push(row);
        Ok(())
    })?;
    Ok(out)
}

/// The rows of `list_employees`, handed to `each` as they are read.
pub fn list_employees_each(
    c: &Connection,
    q: &ListQuery,
    each: &mut dyn FnMut(ListRow) -> Result<()>,
) -> Result<()> {
    use rusqlite::types::Value;
    let extra = exact_login_extra(c, q)?;
    let (mut offset, mut limit) = (q.offset, q.limit);
    if let Some(e) = extra {
        if offset == 0 {
            let n = active_integration_count(c, e.id)?;
            each(ListRow {
                employee: e,
                active_integrations: n,
                leaving_on: None,
                owned: None,
                overdue_steps: None,
            })?;
            limit -= 1;
        } else {
            offset -= 1;
        }
    }
    if limit > 0 {
        let (w, mut args) = list_where(q);
        // Page the ids on the covering list index first, then read the few rows shown:
        // rows skipped by OFFSET cost an index step, not a row read and three subqueries.
        let sql = format!(
            "SELECT {EMPLOYEE_COLS}, \
             (SELECT COUNT(*) FROM integrations i WHERE i.owner_id = e.id AND i.status = 'active'), \
             (SELECT substr(dp.effective_at, 1, 10) FROM departures dp WHERE dp.employee_id = e.id AND dp.state = 'pending') \
             FROM (SELECT e.id AS pid FROM employees e WHERE {w} \
                   ORDER BY e.name_key, e.id LIMIT ? OFFSET ?) page \
             JOIN employees e ON e.id = page.pid LEFT JOIN departments d ON d.id = e.department_id \
             ORDER BY e.name_key, e.id"
        );
        args.push(Value::Integer(limit));
        args.push(Value::Integer(offset));
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let employee = employee_from_row(r)?;
            let (owned, overdue_steps) = if q.still_owns {
                (
                    Some(owned(c, employee.id)?),
                    Some(overdue_steps_today(c, employee.id)?),
                )
            } else {
                (None, None)
            };
            each(ListRow {
                employee,
                active_integrations: r.get(13)?,
                leaving_on: opt_day(r, 14)?,
                owned,
                overdue_steps,
            })?;
        }
    }
    Ok(())
}

/// Every employee the filter selects, in list order, each with their latest departure
/// (if dismissed) and what they still own, handed to `each` one at a time: one
/// statement, nothing collected, whatever the size of the company.
pub fn export_rows(
    c: &Connection,
    status: StatusFilter,
    each: &mut dyn FnMut(Employee, Option<Departure>, Owned) -> Result<()>,
) -> Result<()> {
    let (w, args) = list_where(&ListQuery {
        status,
        search: None,
        still_owns: false,
        offset: 0,
        limit: 0,
    });
    let sql = format!(
        "SELECT {EMPLOYEE_COLS}, {tasks}, {rest}, \
         x.id, x.effective_at, xb.login, x.reason, x.note, x.state, x.integrations, x.failure, x.rehired_at \
         FROM {EMPLOYEE_FROM} \
         LEFT JOIN departures x ON e.status = 'dismissed' AND x.id = \
           (SELECT MAX(y.id) FROM departures y WHERE y.employee_id = e.id AND y.state != 'canceled') \
         LEFT JOIN employees xb ON xb.id = x.recorded_by \
         WHERE {w} \
         ORDER BY e.name_key, e.id",
        tasks = open_tasks_expr("e.id"),
        rest = owned_rest_exprs("e.id"),
    );
    let mut stmt = c.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    while let Some(r) = rows.next()? {
        let employee = employee_from_row(r)?;
        let owned = owned_at(r, 13)?;
        let departure = match r.get::<_, Option<i64>>(18)? {
            Some(_) => Some(departure_at(r, 18)?),
            None => None,
        };
        each(employee, departure, owned)?;
    }
    Ok(())
}

/// How many rows the list has in all.
pub fn count_employees(c: &Connection, q: &ListQuery) -> Result<i64> {
    let (w, args) = list_where(q);
    let n: i64 = c
        .prepare_cached(&format!("SELECT COUNT(*) FROM employees e WHERE {w}"))?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    Ok(n + i64::from(exact_login_extra(c, q)?.is_some()))
}

/// Active people who can take over work, by name or login (for pickers).
pub fn successors(
    c: &Connection,
    search: &str,
    exclude: EmployeeId,
    limit: i64,
) -> Result<Vec<Employee>> {
    let sql = format!(
        "SELECT {EMPLOYEE_COLS} FROM {EMPLOYEE_FROM} \
         WHERE e.kind = 'employee' AND e.status = 'active' AND e.id != ?1 \
         AND (e.first_name LIKE ?2 ESCAPE '\\' OR e.last_name LIKE ?2 ESCAPE '\\' \
              OR (e.first_name || ' ' || e.last_name) LIKE ?2 ESCAPE '\\' OR e.login LIKE ?2 ESCAPE '\\' \
              OR e.name_key LIKE ?4 ESCAPE '\\') \
         ORDER BY e.name_key, e.id LIMIT ?3"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    // The folded key lets "alvarez" or "Muller" find "Álvarez" and "Müller".
    let folded = like_pattern(&crate::domain::fold(search.trim()));
    let rows = stmt.query_map(
        params![exclude, like_pattern(search.trim()), limit, folded],
        employee_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
