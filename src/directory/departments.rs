//! The company structure: adding departments and changing their name, parent or head.
//! Administrators only (`Op::ManageDepartments`, a personnel action, so never a system
//! user); each change one transaction with its audit event.

use super::*;

impl Directory {
    /// Add a department; returns its id.
    pub fn add_department(&mut self, actor: Actor, new: &NewDepartment) -> Result<i64> {
        let name = department_name(&new.name)?;
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageDepartments)?;
            if q::department_id(cx.tx, &name)?.is_some() {
                return Err(Error::Duplicate(Taken::Department { name }));
            }
            if let Some(p) = new.parent {
                q::department_by_id(cx.tx, p)?.ok_or(Error::NotFound(Missing::Department(p)))?;
            }
            if let Some(h) = new.head {
                check_head(cx, h)?;
            }
            let id = q::insert_department(cx.tx, &name, new.parent)?;
            if let Some(h) = new.head {
                q::set_department_head(cx.tx, id, h)?;
            }
            cx.audit(
                "department.add",
                new.head,
                json!({ "department": id, "name": name, "parent": new.parent, "head": new.head }),
            )?;
            Ok(id)
        })
    }

    /// Change a department's name, parent or head.
    pub fn update_department(
        &mut self,
        actor: Actor,
        id: i64,
        changes: &DepartmentChanges,
    ) -> Result<()> {
        let name = changes.name.as_deref().map(department_name).transpose()?;
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageDepartments)?;
            let old =
                q::department_by_id(cx.tx, id)?.ok_or(Error::NotFound(Missing::Department(id)))?;
            let mut new = old.clone();
            if let Some(name) = &name {
                if !name.eq_ignore_ascii_case(&old.name) && q::department_id(cx.tx, name)?.is_some()
                {
                    return Err(Error::Duplicate(Taken::Department { name: name.clone() }));
                }
                new.name = name.clone();
            }
            if let Some(parent) = changes.parent {
                if let Some(p) = parent {
                    ensure_not_below(cx.tx, id, p)?;
                }
                new.parent_id = parent;
            }
            if let Some(head) = changes.head {
                if let Some(h) = head {
                    check_head(cx, h)?;
                }
                new.head_id = head;
            }
            if new == old {
                return Ok(());
            }
            q::update_department(cx.tx, &new)?;
            cx.audit(
                "department.update",
                new.head_id,
                json!({
                    "department": id,
                    "name": new.name, "parent": new.parent_id, "head": new.head_id,
                    "was": { "name": old.name, "parent": old.parent_id, "head": old.head_id },
                }),
            )?;
            Ok(())
        })
    }
}

fn department_name(s: &str) -> Result<String> {
    let name = validate::department("department name", s)?;
    if name.is_empty() {
        return Err(Error::invalid("department name is empty"));
    }
    Ok(name)
}

/// A head is an active employee (a system user heads nothing).
fn check_head(cx: &Ctx<'_>, head: EmployeeId) -> Result<()> {
    let e = q::employee_by_id(cx.tx, head)?
        .filter(|e| e.kind == Kind::Employee)
        .ok_or(Error::NotFound(Missing::EmployeeId(head)))?;
    if e.status != Status::Active {
        return Err(Error::invalid(format!(
            "{} is dismissed and cannot head a department",
            e.login
        )));
    }
    Ok(())
}

/// `parent` must exist and be neither `id` nor one of its sub-departments, so the
/// structure stays a tree.
fn ensure_not_below(c: &Connection, id: i64, parent: i64) -> Result<()> {
    let mut at = Some(parent);
    let mut steps = 0;
    while let Some(d) = at {
        if d == id {
            return Err(Error::invalid(format!(
                "department {id} cannot be placed under {parent}: that is itself or one of its sub-departments"
            )));
        }
        let row = q::department_by_id(c, d)?.ok_or(Error::NotFound(Missing::Department(d)))?;
        at = row.parent_id;
        steps += 1;
        if steps > 10_000 {
            break;
        }
    }
    Ok(())
}
