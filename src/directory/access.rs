//! Who is acting, the company's settings and who holds company-structure access.

use super::*;

impl Directory {
    /// Sign in as `login` (CLI and TUI): refused for unknown logins, dismissed
    /// employees and system users.
    pub fn sign_in(&self, login: &str) -> Result<Employee> {
        let me = q::employee_by_login(&self.conn, login.trim())
            .map_err(|e| self.locate(e))?
            .ok_or_else(|| unknown_login(login))?;
        rules::ensure_can_sign_in(&me)?;
        Ok(me)
    }

    /// Look an employee up by login, for anyone.
    pub fn employee(&self, login: &str) -> Result<Employee> {
        q::employee_by_login(&self.conn, login.trim())
            .map_err(|e| self.locate(e))?
            .ok_or_else(|| unknown_login(login))
    }

    pub fn employee_by_id(&self, id: EmployeeId) -> Result<Option<Employee>> {
        q::employee_by_id(&self.conn, id).map_err(|e| self.locate(e))
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(q::employee_count(&self.conn)? == 0)
    }

    pub fn company_name(&self) -> Result<String> {
        Ok(q::setting(&self.conn, COMPANY_NAME)?.unwrap_or_else(|| "Company".into()))
    }

    /// True for a database made by `offboard demo`: there `admin` is the default actor.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(q::setting(&self.conn, DEMO_FLAG)?.as_deref() == Some("1"))
    }

    pub fn show_dismissed(&self) -> Result<bool> {
        Ok(q::setting(&self.conn, SHOW_DISMISSED)?.as_deref() == Some("on"))
    }

    /// A cheap token that changes whenever another connection commits to the file.
    pub fn data_version(&self) -> Result<i64> {
        q::data_version(&self.conn)
    }

    pub fn set_structure_access(
        &mut self,
        actor: Actor,
        login: &str,
        grant: bool,
    ) -> Result<Employee> {
        self.change(actor, |cx| {
            let target = cx.employee(login)?;
            rules::check_permission_change(&cx.me, &target, grant)?;
            // A system user has the rights of the employee it replaces: they change together.
            let system = q::system_user_for(cx.tx, target.id)?;
            for id in std::iter::once(target.id).chain(system.map(|s| s.id)) {
                if grant {
                    q::grant_structure(cx.tx, id, Some(cx.me.id), cx.now)?;
                } else {
                    q::revoke_structure(cx.tx, id)?;
                }
            }
            cx.audit(
                if grant { "grant" } else { "revoke" },
                Some(target.id),
                json!({ "permission": "structure" }),
            )?;
            Ok(q::employee_by_id(cx.tx, target.id)?.unwrap_or(target))
        })
    }

    /// Turn `show_dismissed` on or off. Returns whether it changed.
    pub fn set_show_dismissed(&mut self, actor: Actor, on: bool) -> Result<bool> {
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ChangeSettings)?;
            let was = q::setting(cx.tx, SHOW_DISMISSED)?.as_deref() == Some("on");
            if was == on {
                return Ok(false);
            }
            q::set_setting(cx.tx, SHOW_DISMISSED, if on { "on" } else { "off" })?;
            cx.audit("setting", None, json!({ "show_dismissed": on }))?;
            Ok(true)
        })
    }
}
