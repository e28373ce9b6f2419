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

/// How a search text is matched, the same in every list and picker: each word typed
/// (letters and digits; anything else separates words) must be the start of some word
/// of the name, the login, the e-mail's local part, the department or the position,
/// whatever the case and accents. Adding a letter or a word only narrows the result.
/// The words are one FTS5 query over `employee_words` (migration 9), whose prefix
/// indexes answer a query of one to three letters with one read.
pub(super) enum SearchPlan {
    None,
    Words(String),
}

/// The FTS5 query for `text`: every word a prefix, all of them needed; `None` when
/// the text has no letter or digit.
pub(crate) fn word_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| format!("words : ({})", words.join(" AND ")))
}

pub(super) fn search_plan(q: &ListQuery) -> SearchPlan {
    match q.search.as_deref().and_then(word_query) {
        Some(query) => SearchPlan::Words(query),
        None => SearchPlan::None,
    }
}

/// WHERE clause and its parameters for a list query (without the exact-login extra).
pub(super) fn list_where(q: &ListQuery) -> (String, Vec<rusqlite::types::Value>) {
    list_where_on(q, true)
}

/// `list_where`; without `indexed`, a `+` before the kind and status keeps SQLite off
/// the list indexes (a search of few matches reads them by id and sorts them).
fn list_where_on(q: &ListQuery, indexed: bool) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let col = if indexed { "e." } else { "+e." };
    let status = if q.still_owns {
        // The handover backlog is about dismissed employees whatever the filter says.
        status_clause(StatusFilter::Dismissed)
    } else {
        status_clause(q.status)
    };
    let mut w = format!("{col}kind = 'employee' AND {col}{status}");
    let mut args = Vec::new();
    match search_plan(q) {
        SearchPlan::None => {}
        SearchPlan::Words(query) => {
            w.push_str(
                " AND e.id IN (SELECT rowid & 268435455 FROM employee_words WHERE employee_words MATCH ?)",
            );
            args.push(Value::Text(query));
        }
    }
    if let Some(d) = q.department {
        w.push_str(" AND e.department_id = ?");
        args.push(Value::Integer(d));
    }
    if q.still_owns {
        w.push_str(" AND ");
        w.push_str(&still_owns_clause("e.id"));
    }
    (w, args)
}

/// SQL for "the employee whose id is the SQL `who` still owns work": the handover
/// backlog's one definition, which its list and the dashboard both count by. Overdue
/// steps are looked for in that employee's checklists (the `+` keeps SQLite off the
/// index of every open step in the company, which it would read for each employee).
pub(super) fn still_owns_clause(who: &str) -> String {
    format!(
        "(\
         EXISTS (SELECT 1 FROM tasks t WHERE t.responsible_id = {who} AND t.status != 'done') \
         OR EXISTS (SELECT 1 FROM crm_items ci WHERE ci.assigned_id = {who} AND ci.{crm}) \
         OR EXISTS (SELECT 1 FROM files f WHERE f.owner_id = {who}) \
         OR EXISTS (SELECT 1 FROM mailboxes mb WHERE mb.owner_id = {who}) \
         OR EXISTS (SELECT 1 FROM meetings mt WHERE mt.organizer_id = {who} AND mt.starts_at > {now}) \
         OR EXISTS (SELECT 1 FROM checklists k WHERE k.employee_id = {who} AND k.state = 'open' \
                    AND EXISTS (SELECT 1 FROM checklist_steps s WHERE s.checklist_id = k.id \
                                AND +s.state = 'open' AND +s.due_on < date('now'))))",
        crm = crm_open_clause(),
        now = super::work::SQL_NOW
    )
}

/// The condition on `status` of a status filter (of `employees` or `employee_counts`).
fn status_clause(status: StatusFilter) -> &'static str {
    match status {
        StatusFilter::Active => "status = 'active'",
        StatusFilter::Dismissed => "status = 'dismissed'",
        StatusFilter::All => "status IN ('active', 'dismissed')",
    }
}

/// A dismissed employee whose login is exactly the search text stays findable while
/// the list shows only active employees (SPEC §4).
pub(crate) fn exact_login_extra(c: &Connection, q: &ListQuery) -> Result<Option<Employee>> {
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
        let (sql, args) = if let Some(fts) = ranked_search(q) {
            let (ids, skip, rank) = ranked_page_ids(c, &fts, offset, limit)?;
            if ids.len() > RANK_SORT_MAX && q.status != StatusFilter::All {
                let page = walk_ranks(c, q.status, rank, &ids, skip, limit)?;
                ids_sql(q, &page, None)
            } else {
                ids_sql(q, &ids, Some((limit, skip)))
            }
        } else {
            let sparse = few_matches(c, q)?;
            let dense = if sparse {
                None
            } else {
                dense_page_ids(c, q, offset, limit)?
            };
            match dense {
                Some(ids) => ids_sql(q, &ids, None),
                None => page_sql(q, limit, offset, sparse),
            }
        };
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

/// Above this many matches a search pages along the list index (matches are dense
/// there, so a page is found within a few hundred steps); below it, the matches are
/// read by id and sorted, rather than walking the index past 100,000 non-matches.
const DENSE_MATCHES: i64 = 5_000;

/// Whether a search matches few enough employees to read them by id (`DENSE_MATCHES`);
/// counting stops at the threshold, so this costs little whatever the query.
fn few_matches(c: &Connection, q: &ListQuery) -> Result<bool> {
    let SearchPlan::Words(words) = search_plan(q) else {
        return Ok(false);
    };
    let n: i64 = c
        .prepare_cached(
            "SELECT COUNT(*) FROM (SELECT 1 FROM employee_words WHERE employee_words MATCH ?1 LIMIT ?2)",
        )?
        .query_row(rusqlite::params![words, DENSE_MATCHES], |r| r.get(0))?;
    Ok(n < DENSE_MATCHES)
}

/// The search index's query for a search of the list in name order, with the status
/// filter as a token (`state`); `None` for another list (a department, the backlog,
/// another order), which pages along the list's own indexes.
fn ranked_search(q: &ListQuery) -> Option<String> {
    let SearchPlan::Words(words) = search_plan(q) else {
        return None;
    };
    if q.still_owns || q.department.is_some() || q.sort != ListSort::Name {
        return None;
    }
    Some(status_words(words, q.status))
}

/// `words` limited to the employees of the status filter.
fn status_words(words: String, status: StatusFilter) -> String {
    match status {
        StatusFilter::All => words,
        StatusFilter::Dismissed => format!("{words} AND state : isdismissed"),
        StatusFilter::Active => format!("{words} NOT state : isdismissed"),
    }
}

/// The employees of a page of a search in name order, and how many of them come
/// before the page. The index hands out its matches by row id, which is the name rank
/// above the id (migration 12): in list order but for rows of equal rank. So the
/// matches are read as far as the page's end and then to the end of that rank, and
/// only the ranks that reach into the page are sorted by name: a page reads its own
/// rows and a few of the same rank, however many match in all.
fn ranked_page_ids(
    c: &Connection,
    fts: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<i64>, i64, i64)> {
    let rank = |rowid: i64| rowid >> crate::domain::RANK_ID_BITS;
    let need = (offset + limit).max(1) as usize;
    let mut stmt = c.prepare_cached(
        "SELECT rowid FROM employee_words WHERE employee_words MATCH ?1 ORDER BY rowid",
    )?;
    let mut rows = stmt.query([fts])?;
    let mut found: Vec<i64> = Vec::new();
    while let Some(r) = rows.next()? {
        let rowid: i64 = r.get(0)?;
        if found.len() >= need && rank(rowid) != rank(found[need - 1]) {
            break;
        }
        found.push(rowid);
    }
    let offset = offset as usize;
    if offset >= found.len() {
        return Ok((Vec::new(), 0, 0));
    }
    // Every row of a lower rank than the page's first sorts before it.
    let first = rank(found[offset]);
    let before = found.partition_point(|&r| rank(r) < first);
    let mask = (1i64 << crate::domain::RANK_ID_BITS) - 1;
    let ids: Vec<i64> = found[before..].iter().map(|r| r & mask).collect();
    Ok((ids, (offset - before) as i64, first))
}

/// Up to this many matches of the page's ranks are read by id and sorted; more (a rank
/// shared by hundreds of names, as in a synthetic company) are found in order along the
/// list index instead, which reads index entries one after the other, not rows here
/// and there.
const RANK_SORT_MAX: usize = 64;

/// The page among `ids` (matches of ranks from `rank` on, `skip` of them before the
/// page), found by walking the list index in name order from the first key of `rank`:
/// the walk reads the rows of those ranks as far as the page, not all of them.
fn walk_ranks(
    c: &Connection,
    status: StatusFilter,
    rank: i64,
    ids: &[i64],
    skip: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let status = if status == StatusFilter::Dismissed {
        "dismissed"
    } else {
        "active"
    };
    let mut stmt = c.prepare_cached(
        "SELECT e.id FROM employees e WHERE e.kind = 'employee' AND e.status = ?1 \
         AND e.name_key >= ?2 ORDER BY e.name_key, e.id",
    )?;
    let floor: String = c
        .prepare_cached(
            "SELECT coalesce((SELECT name_key FROM name_ranks WHERE rank = ?1 \
             ORDER BY name_key LIMIT 1), '')",
        )?
        .query_row([rank], |r| r.get(0))?;
    let mut rows = stmt.query(rusqlite::params![status, floor])?;
    let (mut skip, mut page, mut seen) = (skip, Vec::new(), 0);
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if !wanted.contains(&id) {
            continue;
        }
        seen += 1;
        if skip > 0 {
            skip -= 1;
            continue;
        }
        page.push(id);
        if page.len() as i64 >= limit || seen == wanted.len() {
            break;
        }
    }
    Ok(page)
}

/// The words a search matches for an employee `e` (with `d` their department): what the
/// search index holds (`employee_words.words`, as migrations 9 and 12 define it).
pub(crate) const WORDS_SQL: &str = "e.first_name || ' ' || e.last_name || ' ' || e.name_key || ' ' || e.login \
     || ' ' || substr(e.email, 1, instr(e.email || '@', '@') - 1) || ' ' || coalesce(d.name, '') \
     || ' ' || e.position";

/// How many rows of the list a broad search walks at most to find its page, before it
/// builds the set of all its matches instead (a deep page of a rarer word).
const DENSE_WALK: usize = 4_000;

/// A broad search (`DENSE_MATCHES` or more) of plain ASCII words finds its page by
/// walking the list in order and testing each row's words here, as the index would:
/// each word typed starts one of the row's words (letters and digits, case aside). That
/// reads a few dozen rows where building the set of 50,000 matches reads them all. A
/// row whose words are not plain ASCII is asked of the index itself, so the answer is
/// the index's. `None`: not such a search, or the page lies too deep.
fn dense_page_ids(
    c: &Connection,
    q: &ListQuery,
    offset: i64,
    limit: i64,
) -> Result<Option<Vec<i64>>> {
    let Some(text) = q.search.as_deref().filter(|t| t.is_ascii()) else {
        return Ok(None);
    };
    let Some(fts) = word_query(text) else {
        return Ok(None);
    };
    let wanted: Vec<String> = text
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let unfiltered = ListQuery {
        search: None,
        ..q.clone()
    };
    let (w, args) = list_where(&unfiltered);
    let order = list_order(q.sort);
    let sql = format!(
        "SELECT e.id, {WORDS_SQL} FROM employees e LEFT JOIN departments d ON d.id = e.department_id \
         WHERE {w} ORDER BY {order}"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    let mut probe = c.prepare_cached(
        "SELECT COUNT(*) FROM employee_words WHERE employee_words MATCH ?1 \
         AND rowid = (SELECT (name_rank << 28) | id FROM employees WHERE id = ?2)",
    )?;
    let (mut skip, mut ids, mut walked) = (offset, Vec::new(), 0);
    while let Some(r) = rows.next()? {
        walked += 1;
        if walked > DENSE_WALK {
            return Ok(None);
        }
        let id: i64 = r.get(0)?;
        let words: String = r.get(1)?;
        let hit = if words.is_ascii() {
            let lower = words.to_ascii_lowercase();
            let tokens: Vec<&str> = lower
                .split(|ch: char| !ch.is_ascii_alphanumeric())
                .filter(|t| !t.is_empty())
                .collect();
            wanted
                .iter()
                .all(|q| tokens.iter().any(|t| t.starts_with(q.as_str())))
        } else {
            probe.query_row(rusqlite::params![fts, id], |r| r.get::<_, i64>(0))? > 0
        };
        if !hit {
            continue;
        }
        if skip > 0 {
            skip -= 1;
            continue;
        }
        ids.push(id);
        if ids.len() as i64 >= limit {
            break;
        }
    }
    Ok(Some(ids))
}

/// The rows of the employees `ids` (a page found by `dense_page_ids`), in list order.
/// With `window` (limit, offset), only that part of them, in list order.
fn ids_sql(
    q: &ListQuery,
    ids: &[i64],
    window: Option<(i64, i64)>,
) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let order = list_order(q.sort);
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let window = match window {
        Some((limit, offset)) => format!(" LIMIT {limit} OFFSET {offset}"),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {EMPLOYEE_COLS}, \
         (SELECT COUNT(*) FROM integrations i WHERE i.owner_id = e.id AND i.status = 'active'), \
         (SELECT substr(dp.effective_at, 1, 10) FROM departures dp WHERE dp.employee_id = e.id AND dp.state = 'pending') \
         FROM (SELECT value AS pid FROM json_each(?)) page \
         JOIN employees e ON e.id = page.pid LEFT JOIN departments d ON d.id = e.department_id \
         ORDER BY {order}{window}"
    );
    (sql, vec![Value::Text(list)])
}

/// The ORDER BY of a list sorted by `sort`: by a column, then by name. Position and a
/// department filter have indexes in that order (migration 9); a department's name
/// is looked up, so sorting by it sorts the rows the filter selects.
fn list_order(sort: ListSort) -> &'static str {
    match sort {
        ListSort::Name => "e.name_key, e.id",
        ListSort::Position => "e.position COLLATE NOCASE, e.name_key, e.id",
        ListSort::Department => {
            "(SELECT name FROM departments WHERE id = e.department_id) COLLATE NOCASE, e.name_key, e.id"
        }
    }
}

/// The statement of one page of the list and its parameters. With `sparse` (few
/// matches) SQLite is kept off the list index, so it reads the matches by id and
/// sorts them.
fn page_sql(
    q: &ListQuery,
    limit: i64,
    offset: i64,
    sparse: bool,
) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let (w, mut args) = list_where_on(q, !sparse);
    let order = list_order(q.sort);
    // Page the ids on the covering list index first, then read the few rows shown:
    // rows skipped by OFFSET cost an index step, not a row read and three subqueries.
    let sql = format!(
        "SELECT {EMPLOYEE_COLS}, \
         (SELECT COUNT(*) FROM integrations i WHERE i.owner_id = e.id AND i.status = 'active'), \
         (SELECT substr(dp.effective_at, 1, 10) FROM departures dp WHERE dp.employee_id = e.id AND dp.state = 'pending') \
         FROM (SELECT e.id AS pid FROM employees e WHERE {w} \
               ORDER BY {order} LIMIT ? OFFSET ?) page \
         JOIN employees e ON e.id = page.pid LEFT JOIN departments d ON d.id = e.department_id \
         ORDER BY {order}"
    );
    args.push(Value::Integer(limit));
    args.push(Value::Integer(offset));
    (sql, args)
}

/// The statement that counts the list and its parameters. A search counts in the
/// word index alone (the status is one of its tokens): a broad query of one letter
/// counts tens of thousands of matches without reading a row of `employees`.
fn count_sql(q: &ListQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    if let (SearchPlan::Words(words), false, None) = (search_plan(q), q.still_owns, q.department) {
        let count = "SELECT COUNT(*) FROM employee_words WHERE employee_words MATCH";
        let dismissed = Value::Text(format!("{words} AND state : isdismissed"));
        return match q.status {
            StatusFilter::All => (format!("{count} ?"), vec![Value::Text(words)]),
            StatusFilter::Dismissed => (format!("{count} ?"), vec![dismissed]),
            // All the matches less the few dismissed: two short reads of the index,
            // where intersecting with every active employee's token would be a long one.
            StatusFilter::Active => (
                format!("SELECT ({count} ?) - ({count} ?)"),
                vec![Value::Text(words), dismissed],
            ),
        };
    }
    let (w, args) = list_where(q);
    (format!("SELECT COUNT(*) FROM employees e WHERE {w}"), args)
}

/// The ids of a page of the list as the index alone finds them (the set of every
/// match, paged in order): tests check the walk of `dense_page_ids` against it.
#[doc(hidden)]
pub fn page_ids_from_index(c: &Connection, q: &ListQuery) -> Result<Vec<i64>> {
    let (sql, args) = page_sql(q, q.limit, q.offset, false);
    let mut stmt = c.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What SQLite plans for a page of the list and for its count (`EXPLAIN QUERY PLAN`,
/// one detail per line): tests check that a search never scans the employees.
#[doc(hidden)]
pub fn list_query_plan(c: &Connection, q: &ListQuery) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let sparse = few_matches(c, q)?;
    for (sql, args) in [page_sql(q, q.limit, q.offset, sparse), count_sql(q)] {
        let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, String>(3)
        })?;
        for r in rows {
            out.push(r?);
        }
    }
    Ok(out)
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
        ..Default::default()
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

/// A search's count stops at this many matches, or twice the rows up to the page shown
/// if that is more: counting every match of one letter among a million employees would
/// read them all for a number no one needs exactly ("1000+").
pub const SEARCH_COUNT_FROM: i64 = 1_000;

/// How far the dismissed employees a search leaves out are counted ("100+ dismissed
/// hidden"): the status is a second token to match, so each counted one costs more.
pub const HIDDEN_COUNT_FROM: i64 = 100;

/// How many rows a list has, or at least has (`more`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counted {
    pub n: i64,
    pub more: bool,
}

/// How many rows the list has, as a screen shows it: a search counted up to
/// `SEARCH_COUNT_FROM` (see there), the whole list from the counts kept beside the
/// employees (migration 12), anything else counted (`count_employees`).
pub fn count_employees_shown(c: &Connection, q: &ListQuery) -> Result<Counted> {
    count_employees_upto(c, q, SEARCH_COUNT_FROM.max(2 * (q.offset + q.limit)))
}

/// `count_employees_shown`, a search counted up to `cap`.
pub fn count_employees_upto(c: &Connection, q: &ListQuery, cap: i64) -> Result<Counted> {
    let extra = i64::from(exact_login_extra(c, q)?.is_some());
    if q.still_owns {
        return Ok(Counted {
            n: count_employees(c, q)?,
            more: false,
        });
    }
    match search_plan(q) {
        SearchPlan::None => {
            let status = status_clause(q.status);
            let mut sql = format!("SELECT coalesce(sum(n), 0) FROM employee_counts WHERE {status}");
            let mut args = Vec::new();
            if let Some(d) = q.department {
                sql.push_str(" AND department_id = ?");
                args.push(d);
            }
            let n: i64 = c
                .prepare_cached(&sql)?
                .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            Ok(Counted { n, more: false })
        }
        SearchPlan::Words(words) if q.department.is_none() => {
            let n: i64 = c
                .prepare_cached(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM employee_words \
                     WHERE employee_words MATCH ?1 LIMIT ?2)",
                )?
                .query_row(
                    rusqlite::params![status_words(words, q.status), cap + 1],
                    |r| r.get(0),
                )?;
            Ok(Counted {
                n: n.min(cap) + extra,
                more: n > cap,
            })
        }
        SearchPlan::Words(_) => Ok(Counted {
            n: count_employees(c, q)?,
            more: false,
        }),
    }
}

/// How many rows the list has in all (`count_sql`).
pub fn count_employees(c: &Connection, q: &ListQuery) -> Result<i64> {
    let extra = i64::from(exact_login_extra(c, q)?.is_some());
    let (sql, args) = count_sql(q);
    let n: i64 = c
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    Ok(n + extra)
}

/// Active people who can take over work, matched as the list's search matches
/// (`search_plan`), in list order (for pickers).
pub fn successors(
    c: &Connection,
    search: &str,
    exclude: EmployeeId,
    limit: i64,
) -> Result<Vec<Employee>> {
    use rusqlite::types::Value;
    let mut sql = format!(
        "SELECT {EMPLOYEE_COLS} FROM {EMPLOYEE_FROM} \
         WHERE e.kind = 'employee' AND e.status = 'active' AND e.id != ?"
    );
    let mut args = vec![Value::Integer(exclude.0)];
    if let Some(words) = word_query(search) {
        sql.push_str(
            " AND e.id IN (SELECT rowid & 268435455 FROM employee_words WHERE employee_words MATCH ?)",
        );
        args.push(Value::Text(words));
    }
    sql.push_str(" ORDER BY e.name_key, e.id LIMIT ?");
    args.push(Value::Integer(limit));
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), employee_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
