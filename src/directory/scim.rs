//! SCIM 2.0 (issue 15): the bearer tokens of identity providers' clients, and the
//! User operations a client drives. A client acts as the administrator who made its
//! token, through the door `Door::Scim` that names the client in every audit event;
//! its changes go through the same rules and inner steps as the command line's
//! (`insert_person`, `update_in`, `dismiss_in`, `hire_in`), each one transaction.

use super::people::{FieldNames, ValidChanges, update_in};
use super::*;
use crate::domain::scim::{self, ScimFields, ScimFilter, ScimToken, ScimUser};

const SCIM_INTEGRATIONS: &str = "scim_integrations";

/// How SCIM's attributes are named in refusals.
const SCIM_NAMES: FieldNames = FieldNames {
    first: "name.givenName",
    last: "name.familyName",
    position: "title",
    profession: "profession",
};

/// The longest userName, externalId and employeeNumber kept.
pub const MAX_SCIM_ID: usize = 254;

/// A SCIM client's user, checked: what `ScimFields` says, validated as `offboard add`
/// validates, and the login the userName gives.
struct CheckedFields {
    fields: ScimFields,
    login: String,
}

fn check_fields(f: &ScimFields) -> Result<CheckedFields> {
    let user_name = validate::optional_text("userName", &f.user_name, MAX_SCIM_ID)?;
    if user_name.is_empty() {
        return Err(Error::invalid("userName is required"));
    }
    let login = validate::login(&scim::login_for(&user_name))
        .map_err(|e| Error::invalid(format!("userName \"{user_name}\" gives no login: {e}")))?;
    let external_id = f
        .external_id
        .as_deref()
        .map(|s| validate::optional_text("externalId", s, MAX_SCIM_ID))
        .transpose()?
        .filter(|s| !s.is_empty());
    let employee_number =
        validate::optional_text("employeeNumber", &f.employee_number, MAX_SCIM_ID)?;
    let first_name = validate::name_part(SCIM_NAMES.first, &f.first_name)?;
    let last_name = validate::name_part(SCIM_NAMES.last, &f.last_name)?;
    let email = validate::email(&f.email)?;
    let position = validate::optional_text("title", &f.position, validate::MAX_POSITION)?;
    let department = f
        .department
        .as_deref()
        .map(|d| validate::optional_text("department", d, validate::MAX_DEPARTMENT))
        .transpose()?
        .filter(|d| !d.is_empty());
    Ok(CheckedFields {
        fields: ScimFields {
            user_name,
            external_id,
            first_name,
            last_name,
            email,
            position,
            department,
            employee_number,
            active: f.active,
        },
        login,
    })
}

/// The SCIM client of this change's door, for departure notes.
fn client_of(cx: &Ctx<'_>) -> String {
    match cx.door {
        Door::Scim { client, .. } => client.clone(),
        _ => "unknown".into(),
    }
}

/// The dismissal a SCIM deactivation (or deletion) asks for: the company's choice for
/// integrations, and a note naming the client.
fn scim_dismissal(cx: &Ctx<'_>, what: &str) -> Result<DismissRequest> {
    let choice = integration_choice(cx.tx)?;
    Ok(DismissRequest {
        integrations: Some(choice),
        reason: None,
        note: Some(format!("{what} by the SCIM client {}", client_of(cx))),
        checklist: Default::default(),
    })
}

fn integration_choice(c: &Connection) -> Result<IntegrationChoice> {
    // Unset or unreadable: disable, the safe choice.
    Ok(match q::setting(c, SCIM_INTEGRATIONS)?.as_deref() {
        Some("keep") => IntegrationChoice::Keep,
        _ => IntegrationChoice::Disable,
    })
}

fn ensure_unique(
    cx: &Ctx<'_>,
    me: Option<EmployeeId>,
    user_name: &str,
    external_id: Option<&str>,
) -> Result<()> {
    if let Some(holder) = q::scim_user_name_holder(cx.tx, user_name)?
        && Some(holder) != me
    {
        return Err(Error::Duplicate(Taken::UserName {
            user_name: user_name.to_string(),
        }));
    }
    if let Some(external_id) = external_id
        && let Some(holder) = q::scim_external_id_holder(cx.tx, external_id)?
        && Some(holder) != me
    {
        return Err(Error::Duplicate(Taken::ExternalId {
            external_id: external_id.to_string(),
        }));
    }
    Ok(())
}

fn department_for(cx: &Ctx<'_>, name: Option<&str>) -> Result<Option<i64>> {
    Ok(match name {
        None => None,
        Some(name) => Some(match q::department_id(cx.tx, name)? {
            Some(id) => id,
            None => {
                rules::ensure_staff(&cx.me, Op::MoveEmployee)?;
                q::insert_department(cx.tx, name, None)?
            }
        }),
    })
}

/// Make `user` what `w` says, through the same steps as `user.update` and
/// `dismiss`/`hire`: what does not differ is neither written nor audited.
fn apply_fields(cx: &Ctx<'_>, user: &ScimUser, w: &ScimFields) -> Result<()> {
    let id = user.id;
    ensure_unique(cx, Some(id), &w.user_name, w.external_id.as_deref())?;
    let target = q::employee_by_id(cx.tx, id)?.ok_or(Error::NotFound(Missing::EmployeeId(id)))?;
    let department = if w.department.as_deref().map(str::to_lowercase)
        == user.department.as_deref().map(str::to_lowercase)
    {
        None
    } else {
        Some(department_for(cx, w.department.as_deref())?)
    };
    let changes = EmployeeChanges {
        first_name: Some(w.first_name.clone()),
        last_name: Some(w.last_name.clone()),
        email: Some(w.email.clone()),
        position: Some(w.position.clone()),
        department,
        ..Default::default()
    };
    let valid = ValidChanges::of(&changes, &SCIM_NAMES)?;
    let active = if w.active == user.active {
        None
    } else if w.active {
        Some((true, DismissRequest::default()))
    } else {
        Some((false, scim_dismissal(cx, "Deactivated")?))
    };
    update_in(cx, &target, &valid, active.as_ref())?;
    let was = (&user.user_name, &user.external_id, &user.employee_number);
    if was != (&w.user_name, &w.external_id, &w.employee_number) {
        q::set_scim_fields(
            cx.tx,
            id,
            &w.user_name,
            w.external_id.as_deref(),
            &w.employee_number,
            cx.now,
        )?;
        cx.audit(
            "scim.update",
            Some(id),
            json!({
                "user_name": w.user_name,
                "external_id": w.external_id,
                "employee_number": w.employee_number,
            }),
        )?;
    }
    Ok(())
}

fn visible(cx: &Ctx<'_>, id: EmployeeId) -> Result<ScimUser> {
    q::scim_user(cx.tx, id)?.ok_or(Error::NotFound(Missing::EmployeeId(id)))
}

impl Directory {
    /// A new token for the SCIM client `name` (administrators): returns it as listed and
    /// the token itself, which is shown this once and kept only as its hash.
    pub fn create_scim_token(&mut self, actor: Actor, name: &str) -> Result<(ScimToken, String)> {
        let name = validate::optional_text("name", name, validate::MAX_TITLE)?;
        if name.is_empty() {
            return Err(Error::invalid("a SCIM token needs a name (--name)"));
        }
        let token = scim::new_token()?;
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageScim)?;
            if q::scim_token_by_name(cx.tx, &name)?.is_some() {
                return Err(Error::Duplicate(Taken::ScimToken { name: name.clone() }));
            }
            let id =
                q::insert_scim_token(cx.tx, &name, &scim::token_hash(&token), cx.now, cx.me.id)?;
            cx.audit(
                "scim.token.create",
                None,
                json!({ "token": id, "name": name }),
            )?;
            let listed = q::scim_token_by_name(cx.tx, &name)?
                .ok_or_else(|| Error::Storage("SCIM token vanished".into()))?;
            Ok((listed, token.clone()))
        })
    }

    /// Every SCIM client's token (administrators).
    pub fn scim_tokens(&self, actor: Actor) -> Result<Vec<ScimToken>> {
        self.read(actor, |c, me| {
            rules::ensure_admin(me, Op::ManageScim)?;
            q::scim_tokens(c)
        })
    }

    /// Revoke the token of SCIM client `name` (administrators): its next request is
    /// refused, and so is a change it has under way.
    pub fn revoke_scim_token(&mut self, actor: Actor, name: &str) -> Result<ScimToken> {
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ManageScim)?;
            let token = q::scim_token_by_name(cx.tx, name.trim())?
                .ok_or_else(|| Error::NotFound(Missing::ScimToken(name.trim().to_string())))?;
            q::delete_scim_token(cx.tx, token.id)?;
            cx.audit(
                "scim.token.revoke",
                None,
                json!({ "token": token.id, "name": token.name }),
            )?;
            Ok(token)
        })
    }

    /// A SCIM request's bearer token: the administrator it acts as and its door, or
    /// `None` for a token that is not one. Refused when its maker may no longer act.
    pub fn scim_sign_in(&self, token: &str) -> Result<Option<(Actor, Door)>> {
        let hash = scim::token_hash(token.trim());
        let Some((id, name, stored, maker)) =
            q::scim_token_by_hash(&self.conn, &hash).map_err(|e| self.locate(e))?
        else {
            return Ok(None);
        };
        if !scim::token_matches(&stored, token.trim()) {
            return Ok(None);
        }
        let me = q::employee_by_id(&self.conn, maker)
            .map_err(|e| self.locate(e))?
            .ok_or(Error::AccessRevoked(Revoked::Gone))?;
        rules::ensure_can_act(&me)?;
        Ok(Some((
            Actor::user(me.id),
            Door::Scim {
                token: id,
                client: name,
            },
        )))
    }

    /// What a SCIM deactivation does with the employee's active integrations
    /// (`scim_integrations`, default disable).
    pub fn scim_integrations(&self) -> Result<IntegrationChoice> {
        integration_choice(&self.conn).map_err(|e| self.locate(e))
    }

    /// Set `scim_integrations` (administrators). Returns whether it changed.
    pub fn set_scim_integrations(
        &mut self,
        actor: Actor,
        choice: IntegrationChoice,
    ) -> Result<bool> {
        self.change(actor, |cx| {
            rules::ensure_admin(&cx.me, Op::ChangeSettings)?;
            if integration_choice(cx.tx)? == choice {
                return Ok(false);
            }
            q::set_setting(cx.tx, SCIM_INTEGRATIONS, choice.as_str())?;
            cx.audit(
                "setting",
                None,
                json!({ "scim_integrations": choice.as_str() }),
            )?;
            Ok(true)
        })
    }

    /// One user as SCIM sees them: never a system user, nor one SCIM deleted.
    pub fn scim_user(&self, actor: Actor, id: EmployeeId) -> Result<ScimUser> {
        self.read(actor, |c, _| {
            q::scim_user(c, id)?.ok_or(Error::NotFound(Missing::EmployeeId(id)))
        })
    }

    /// A page of the users `filter` selects, in id order, from the 0-based `start`, and
    /// how many match in all. The count and every 256th id are kept until the data
    /// changes, so a page deep in the list is a seek.
    pub fn scim_users(
        &self,
        actor: Actor,
        filter: Option<&ScimFilter>,
        start: i64,
        count: i64,
    ) -> Result<(Vec<ScimUser>, i64)> {
        let key = format!("scim {filter:?}");
        let (version, cached) = self.kept_index(&key)?;
        let (rows, index) = self.read(actor, |c, _| {
            let index = match cached {
                Some(index) => index,
                None => std::sync::Arc::new(q::scim_users_index(c, filter)?),
            };
            let rows = match index.seek(start) {
                Some((from, skip)) if count > 0 => q::scim_users(c, filter, from, skip, count)?,
                _ => Vec::new(),
            };
            Ok((rows, index))
        })?;
        let total = index.total;
        self.keep_index(key, version, index);
        Ok((rows, total))
    }

    /// Provision a user: an employee added under the rules and validation of `offboard
    /// add`, with the SCIM userName, externalId and employeeNumber kept beside; one who
    /// arrives `active: false` is added and dismissed in the same transaction. A userName
    /// or externalId already provisioned is refused, so a retried create adds no one.
    pub fn scim_create(&mut self, actor: Actor, fields: &ScimFields) -> Result<ScimUser> {
        let checked = check_fields(fields)?;
        let f = &checked.fields;
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, Op::Add)?;
            // Someone SCIM deleted, provisioned again: the same employee comes back
            // (rehired when active), never a second one.
            if let Some(holder) = q::scim_user_name_holder(cx.tx, &f.user_name)?
                && q::scim_removed(cx.tx, holder)?
            {
                q::clear_scim_removed(cx.tx, holder)?;
                let user = visible(cx, holder)?;
                cx.audit(
                    "scim.restore",
                    Some(holder),
                    json!({ "user_name": f.user_name }),
                )?;
                apply_fields(cx, &user, f)?;
                return visible(cx, holder);
            }
            ensure_unique(cx, None, &f.user_name, f.external_id.as_deref())?;
            let new = NewEmployee {
                login: checked.login.clone(),
                first_name: f.first_name.clone(),
                last_name: f.last_name.clone(),
                email: f.email.clone(),
                position: f.position.clone(),
                department: f.department.clone(),
                hired_on: None,
                is_admin: false,
            };
            if f.department.is_some() {
                rules::ensure_staff(&cx.me, Op::MoveEmployee)?;
            }
            let id = insert_person(cx.tx, &new, cx.now, cx.now.date_naive())?;
            q::set_scim_fields(
                cx.tx,
                id,
                &f.user_name,
                f.external_id.as_deref(),
                &f.employee_number,
                cx.now,
            )?;
            let e = q::employee_by_id(cx.tx, id)?
                .ok_or_else(|| Error::Storage("employee vanished".into()))?;
            cx.audit(
                "add",
                Some(id),
                json!({
                    "login": e.login,
                    "name": e.name(),
                    "user_name": f.user_name,
                    "external_id": f.external_id,
                }),
            )?;
            cx.emit(
                EventType::EmployeeAdded,
                super::people::added_event(&e, false),
            )?;
            if !f.active {
                let req = scim_dismissal(cx, "Deactivated")?;
                dismiss_in(cx, &e, &req, req.note.as_deref(), None)?;
            }
            visible(cx, id)
        })
    }

    /// Change a user: `f` gets the user as they are inside the transaction and returns
    /// what they should be (a PUT's body, or a PATCH applied), so two clients changing
    /// one user at once cannot lose either change. What differs is changed through the
    /// same steps as `user.update` and `dismiss`/`hire`; nothing that differs, nothing
    /// written and nothing audited. `active` false dismisses, true rehires.
    pub fn scim_modify<E: From<Error>>(
        &mut self,
        actor: Actor,
        id: EmployeeId,
        f: impl FnOnce(&ScimUser) -> std::result::Result<ScimFields, E>,
    ) -> std::result::Result<ScimUser, E> {
        let mut refused: Option<E> = None;
        let refusal = &mut refused;
        let result = self.change(actor, |cx| {
            let user = visible(cx, id)?;
            let wanted = match f(&user) {
                Ok(w) => w,
                Err(e) => {
                    *refusal = Some(e);
                    return Err(Error::other("the SCIM request was refused"));
                }
            };
            let checked = check_fields(&wanted)?;
            apply_fields(cx, &user, &checked.fields)?;
            visible(cx, id)
        });
        match (result, refused) {
            (_, Some(e)) => Err(e),
            (Ok(u), None) => Ok(u),
            (Err(e), None) => Err(e.into()),
        }
    }

    /// SCIM's DELETE: the employee is dismissed (if active) under the same rules, with a
    /// note naming the client, and is gone for SCIM from then on; nothing is deleted.
    pub fn scim_delete(&mut self, actor: Actor, id: EmployeeId) -> Result<()> {
        self.change(actor, |cx| {
            let user = visible(cx, id)?;
            let target =
                q::employee_by_id(cx.tx, id)?.ok_or(Error::NotFound(Missing::EmployeeId(id)))?;
            if user.active {
                let req = scim_dismissal(cx, "Deleted")?;
                dismiss_in(cx, &target, &req, req.note.as_deref(), None)?;
            } else {
                rules::ensure_staff(&cx.me, Op::Dismiss)?;
            }
            q::mark_scim_removed(cx.tx, id, cx.now)?;
            cx.audit(
                "scim.delete",
                Some(id),
                json!({ "user_name": user.user_name }),
            )?;
            Ok(())
        })
    }
}
