//! SQL for SCIM: clients' tokens, what SCIM keeps of an employee, and the User list a
//! SCIM filter selects.

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::*;
use crate::domain::scim::{CompareOp, ScimAttr, ScimFilter, ScimToken, ScimUser, ScimValue};
use crate::store::portal::{ANCHOR_EVERY, PageIndex};

// ---- tokens ----

pub fn insert_scim_token(
    c: &Connection,
    name: &str,
    hash: &str,
    at: DateTime<Utc>,
    by: EmployeeId,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO scim_tokens (name, token_hash, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![name, hash, Stamp(at), by])?;
    Ok(c.last_insert_rowid())
}

fn token_row(r: &Row<'_>) -> rusqlite::Result<ScimToken> {
    Ok(ScimToken {
        id: r.get(0)?,
        name: r.get(1)?,
        created_at: moment(r, 2)?,
        created_by: r.get(3)?,
    })
}

pub fn scim_tokens(c: &Connection) -> Result<Vec<ScimToken>> {
    let mut stmt = c.prepare_cached(
        "SELECT t.id, t.name, t.created_at, e.login FROM scim_tokens t \
         JOIN employees e ON e.id = t.created_by ORDER BY t.name",
    )?;
    let rows = stmt.query_map([], token_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn scim_token_by_name(c: &Connection, name: &str) -> Result<Option<ScimToken>> {
    Ok(c.prepare_cached(
        "SELECT t.id, t.name, t.created_at, e.login FROM scim_tokens t \
         JOIN employees e ON e.id = t.created_by WHERE t.name = ?1",
    )?
    .query_row([name], token_row)
    .optional()?)
}

/// The token stored under `hash`: its id, name, stored hash and maker.
pub fn scim_token_by_hash(
    c: &Connection,
    hash: &str,
) -> Result<Option<(i64, String, String, EmployeeId)>> {
    Ok(c.prepare_cached(
        "SELECT id, name, token_hash, created_by FROM scim_tokens WHERE token_hash = ?1",
    )?
    .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
    .optional()?)
}

pub fn delete_scim_token(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached("DELETE FROM scim_tokens WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Is token `id` still there, made by `me`?
pub fn scim_token_made_by(c: &Connection, id: i64, me: EmployeeId) -> Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM scim_tokens WHERE id = ?1 AND created_by = ?2")?
            .query_row(params![id, me], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

// ---- users ----

const USER_COLS: &str = "e.id, e.login, COALESCE(s.user_name, e.login), s.external_id, \
     e.first_name, e.last_name, e.email, e.position, d.name, COALESCE(s.employee_number, ''), \
     h.id, h.first_name || ' ' || h.last_name, e.status = 'active', e.created_at, \
     COALESCE(s.modified_at, e.created_at), COALESCE(s.version, 0)";

const USER_FROM: &str = "FROM employees e LEFT JOIN scim_users s ON s.employee_id = e.id \
     LEFT JOIN departments d ON d.id = e.department_id \
     LEFT JOIN employees h ON h.id = d.head_id AND h.id != e.id";

/// Employees SCIM sees: never system users, never those SCIM deleted. The `+` keeps
/// SQLite from reading `kind` through an index, whose order is not the id's: pages go
/// in id order, and would otherwise sort the whole company each time.
const VISIBLE: &str = "+e.kind = 'employee' AND s.removed_at IS NULL";

fn user_row(r: &Row<'_>) -> rusqlite::Result<ScimUser> {
    let head: Option<EmployeeId> = r.get(10)?;
    let head_name: Option<String> = r.get(11)?;
    Ok(ScimUser {
        id: r.get(0)?,
        login: r.get(1)?,
        user_name: r.get(2)?,
        external_id: r.get(3)?,
        first_name: r.get(4)?,
        last_name: r.get(5)?,
        email: r.get(6)?,
        position: r.get(7)?,
        department: r.get(8)?,
        employee_number: r.get(9)?,
        manager: head.zip(head_name),
        active: r.get(12)?,
        created: moment(r, 13)?,
        modified: moment(r, 14)?,
        version: r.get(15)?,
    })
}

/// One user SCIM sees, by id.
pub fn scim_user(c: &Connection, id: EmployeeId) -> Result<Option<ScimUser>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {USER_COLS} {USER_FROM} WHERE e.id = ?1 AND {VISIBLE}"
    ))?
    .query_row([id], user_row)
    .optional()?)
}

/// The employee (SCIM-visible or not, but never a system user) who holds `user_name`
/// as their userName.
pub fn scim_user_name_holder(c: &Connection, user_name: &str) -> Result<Option<EmployeeId>> {
    Ok(c.prepare_cached(
        "SELECT e.id FROM employees e LEFT JOIN scim_users s ON s.employee_id = e.id \
         WHERE e.id IN (SELECT employee_id FROM scim_users WHERE user_name = ?1 \
                        UNION ALL SELECT id FROM employees WHERE login = lower(?1)) \
           AND e.kind = 'employee' AND COALESCE(s.user_name, e.login) = ?1 COLLATE NOCASE",
    )?
    .query_row([user_name], |r| r.get(0))
    .optional()?)
}

pub fn scim_external_id_holder(c: &Connection, external_id: &str) -> Result<Option<EmployeeId>> {
    Ok(
        c.prepare_cached("SELECT employee_id FROM scim_users WHERE external_id = ?1")?
            .query_row([external_id], |r| r.get(0))
            .optional()?,
    )
}

/// Write what SCIM keeps of `id` beside the employee's own fields.
pub fn set_scim_fields(
    c: &Connection,
    id: EmployeeId,
    user_name: &str,
    external_id: Option<&str>,
    employee_number: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO scim_users (employee_id, user_name, external_id, employee_number, version, modified_at) \
         VALUES (?1, ?2, ?3, ?4, 1, ?5) \
         ON CONFLICT (employee_id) DO UPDATE SET user_name = excluded.user_name, \
             external_id = excluded.external_id, employee_number = excluded.employee_number, \
             version = version + 1, modified_at = excluded.modified_at",
    )?
    .execute(params![id, user_name, external_id, employee_number, Stamp(at)])?;
    Ok(())
}

/// SCIM deleted `id`: gone for SCIM from now on (the employee stays).
pub fn mark_scim_removed(c: &Connection, id: EmployeeId, at: DateTime<Utc>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO scim_users (employee_id, removed_at, version, modified_at) VALUES (?1, ?2, 1, ?2) \
         ON CONFLICT (employee_id) DO UPDATE SET removed_at = excluded.removed_at, \
             version = version + 1, modified_at = excluded.modified_at",
    )?
    .execute(params![id, Stamp(at)])?;
    Ok(())
}

pub fn scim_removed(c: &Connection, id: EmployeeId) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT 1 FROM scim_users WHERE employee_id = ?1 AND removed_at IS NOT NULL",
    )?
    .query_row([id], |_| Ok(()))
    .optional()?
    .is_some())
}

pub fn clear_scim_removed(c: &Connection, id: EmployeeId) -> Result<()> {
    c.prepare_cached("UPDATE scim_users SET removed_at = NULL WHERE employee_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The column or expression an attribute is kept in (in `USER_FROM`'s names).
fn column(attr: ScimAttr) -> &'static str {
    match attr {
        ScimAttr::Id => "e.id",
        ScimAttr::UserName => "COALESCE(s.user_name, e.login)",
        ScimAttr::ExternalId => "s.external_id",
        ScimAttr::DisplayName => "(e.first_name || ' ' || e.last_name)",
        ScimAttr::GivenName => "e.first_name",
        ScimAttr::FamilyName => "e.last_name",
        ScimAttr::Email => "e.email",
        ScimAttr::Title => "e.position",
        ScimAttr::Active => "(e.status = 'active')",
        ScimAttr::Created => "e.created_at",
        ScimAttr::LastModified => "COALESCE(s.modified_at, e.created_at)",
        ScimAttr::EmployeeNumber => "s.employee_number",
        ScimAttr::Department => "d.name",
    }
}

/// `%`, `_` and `\` taken literally in a LIKE pattern with `ESCAPE '\'`.
fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The SQL of a filter, its values pushed to `args`. The parser has already checked
/// each literal against its attribute.
fn filter_sql(f: &ScimFilter, args: &mut Vec<Value>) -> String {
    match f {
        ScimFilter::And(a, b) => format!("({} AND {})", filter_sql(a, args), filter_sql(b, args)),
        ScimFilter::Or(a, b) => format!("({} OR {})", filter_sql(a, args), filter_sql(b, args)),
        ScimFilter::Not(a) => format!("(NOT COALESCE({}, 0))", filter_sql(a, args)),
        ScimFilter::Present(attr) => {
            let col = column(*attr);
            match attr {
                ScimAttr::Id | ScimAttr::Active | ScimAttr::Created | ScimAttr::LastModified => {
                    "1".into()
                }
                _ => format!("({col} IS NOT NULL AND {col} != '')"),
            }
        }
        ScimFilter::Compare(attr, op, value) => compare_sql(*attr, *op, value, args),
    }
}

fn compare_sql(attr: ScimAttr, op: CompareOp, value: &ScimValue, args: &mut Vec<Value>) -> String {
    let col = column(attr);
    let text = match value {
        ScimValue::Null => {
            // `eq null` is "not present"; `ne null` is "present".
            let present = filter_sql(&ScimFilter::Present(attr), args);
            return match op {
                CompareOp::Ne => present,
                _ => format!("(NOT {present})"),
            };
        }
        ScimValue::Bool(b) => {
            let b = i64::from(*b);
            return match op {
                CompareOp::Ne => format!("({col} != {b})"),
                _ => format!("({col} = {b})"),
            };
        }
        ScimValue::Moment(t) => crate::domain::timestamp(*t),
        ScimValue::Text(t) => t.clone(),
    };
    if attr == ScimAttr::Id {
        // Ids are numbers; one that is not matches nothing.
        let Ok(n) = text.parse::<i64>() else {
            return if op == CompareOp::Ne {
                "1".into()
            } else {
                "0".into()
            };
        };
        args.push(Value::Integer(n));
        let sym = match op {
            CompareOp::Ne => "!=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            _ => "=",
        };
        return format!("(e.id {sym} ?)");
    }
    if attr == ScimAttr::UserName && op == CompareOp::Eq {
        // The look-up identity providers make before each change: two index probes.
        args.push(Value::Text(text.clone()));
        args.push(Value::Text(text.to_lowercase()));
        args.push(Value::Text(text));
        return "(e.id IN (SELECT employee_id FROM scim_users WHERE user_name = ? \
                 UNION ALL SELECT id FROM employees WHERE login = ?) \
                 AND COALESCE(s.user_name, e.login) = ? COLLATE NOCASE)"
            .into();
    }
    let collate = if attr.case_exact() || attr.is_date() {
        ""
    } else {
        " COLLATE NOCASE"
    };
    match op {
        CompareOp::Eq
        | CompareOp::Ne
        | CompareOp::Gt
        | CompareOp::Ge
        | CompareOp::Lt
        | CompareOp::Le => {
            let sym = match op {
                CompareOp::Eq => "=",
                CompareOp::Ne => "!=",
                CompareOp::Gt => ">",
                CompareOp::Ge => ">=",
                CompareOp::Lt => "<",
                _ => "<=",
            };
            args.push(Value::Text(text));
            if op == CompareOp::Ne {
                format!("({col} IS NULL OR {col} != ?{collate})")
            } else {
                format!("({col} {sym} ?{collate})")
            }
        }
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew if attr.case_exact() => {
            let n = text.chars().count() as i64;
            args.push(Value::Text(text));
            match op {
                CompareOp::Co => format!("(instr({col}, ?) > 0)"),
                CompareOp::Sw => format!("(substr({col}, 1, {n}) = ?)"),
                _ => format!("(substr({col}, -{n}) = ? AND length({col}) >= {n})"),
            }
        }
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => {
            let lit = like_literal(&text);
            let pattern = match op {
                CompareOp::Co => format!("%{lit}%"),
                CompareOp::Sw => format!("{lit}%"),
                _ => format!("%{lit}"),
            };
            args.push(Value::Text(pattern));
            format!("({col} LIKE ? ESCAPE '\\')")
        }
    }
}

fn where_clause(f: Option<&ScimFilter>, args: &mut Vec<Value>) -> String {
    match f {
        // Bare, so that SQLite can drive the query from an indexed condition (a NULL
        // there is false all the same; `not` makes its own NULL false first).
        Some(f) => format!("{VISIBLE} AND {}", filter_sql(f, args)),
        None => VISIBLE.to_string(),
    }
}

/// How many users match, and the id at every `ANCHOR_EVERY`th of them in id order:
/// what makes a page at any `startIndex` a seek.
pub fn scim_users_index(c: &Connection, f: Option<&ScimFilter>) -> Result<PageIndex> {
    let mut args = Vec::new();
    let w = where_clause(f, &mut args);
    let mut stmt = c.prepare_cached(&format!("SELECT e.id {USER_FROM} WHERE {w} ORDER BY e.id"))?;
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

/// A page of users in id order: from id `from` (inclusive), skipping `skip`, at most
/// `limit`.
pub fn scim_users(
    c: &Connection,
    f: Option<&ScimFilter>,
    from: i64,
    skip: i64,
    limit: i64,
) -> Result<Vec<ScimUser>> {
    let mut args = Vec::new();
    let w = where_clause(f, &mut args);
    args.push(Value::Integer(from));
    args.push(Value::Integer(limit));
    args.push(Value::Integer(skip));
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {USER_COLS} {USER_FROM} WHERE {w} AND e.id >= ? ORDER BY e.id LIMIT ? OFFSET ?"
    ))?;
    let rows = stmt.query_map(params_from_iter(args.iter()), user_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
