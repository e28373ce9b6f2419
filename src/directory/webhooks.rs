//! Inbound webhooks: create, edit, disable, enable, regenerate, authenticate.

use super::*;

impl Directory {
    /// A new inbound webhook owned by the acting user. The URL is shown once.
    pub fn create_webhook(
        &mut self,
        actor: Actor,
        title: &str,
        scopes: ScopeSet,
    ) -> Result<Issued> {
        let title = validate::title(title)?;
        if scopes.is_empty() {
            return Err(Error::Invalid(Invalid::NoScopes));
        }
        let base = self.base_url.clone();
        self.change(actor, |cx| {
            if cx.me.kind == Kind::System {
                return Err(Error::Denied(Denial::SystemActor {
                    login: cx.me.login.clone(),
                    op: Op::CreateIntegration,
                }));
            }
            let code = secret::new_code()?;
            let salt = secret::new_salt()?;
            let id = q::insert_integration(
                cx.tx,
                &q::NewIntegration {
                    title: &title,
                    owner_id: cx.me.id,
                    scopes,
                    salt: &salt,
                    hash: &secret::hash_code(&salt, &code),
                    status: IntegrationStatus::Active,
                    created_by: cx.me.id,
                    created_at: cx.now,
                },
            )?;
            cx.audit(
                "webhook.create",
                Some(cx.me.id),
                json!({ "integration": id, "title": title, "scopes": scopes.to_string() }),
            )?;
            let integration = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(Issued {
                integration,
                url: secret::webhook_url(&base, cx.me.id, &code),
            })
        })
    }

    /// Change title and/or scopes. When the owner is a system user (or dismissed), the
    /// editor takes the integration over and a new secret is issued: the old URL stops.
    pub fn edit_webhook(
        &mut self,
        actor: Actor,
        id: IntegrationId,
        title: Option<&str>,
        scopes: Option<ScopeSet>,
    ) -> Result<EditOutcome> {
        let title = title.map(validate::title).transpose()?;
        if scopes.is_some_and(|s| s.is_empty()) {
            return Err(Error::Invalid(Invalid::NoScopes));
        }
        if title.is_none() && scopes.is_none() {
            return Err(Error::Invalid(Invalid::NothingToChange));
        }
        let base = self.base_url.clone();
        self.change(actor, |cx| {
            let current = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner = q::employee_by_id(cx.tx, current.owner_id)?
                .ok_or_else(|| unknown_integration(id))?;
            let effect = rules::check_integration_edit(&cx.me, &owner)?;
            let new_title = title.clone().unwrap_or_else(|| current.title.clone());
            let new_scopes = scopes.unwrap_or(current.scopes);
            q::update_integration_fields(cx.tx, id, &new_title, new_scopes, cx.me.id, cx.now)?;
            let mut new_url = None;
            if effect == EditEffect::TakeOver {
                let code = secret::new_code()?;
                let salt = secret::new_salt()?;
                q::set_integration_owner_and_secret(
                    cx.tx,
                    id,
                    cx.me.id,
                    Some(owner.id),
                    &salt,
                    &secret::hash_code(&salt, &code),
                )?;
                new_url = Some(secret::webhook_url(&base, cx.me.id, &code));
            }
            if effect == EditEffect::TakeOver {
                cx.emit(
                    EventType::IntegrationTransferred,
                    json!({
                        "integration": { "id": id, "title": new_title, "scopes": new_scopes.to_string() },
                        "from": brief(&owner),
                        "to": brief(&cx.me),
                        "because": "edit",
                    }),
                )?;
            }
            cx.audit(
                "webhook.edit",
                Some(owner.id),
                json!({
                    "integration": id,
                    "title": new_title,
                    "scopes": new_scopes.to_string(),
                    "new_owner": if new_url.is_some() { Some(cx.me.login.clone()) } else { None },
                }),
            )?;
            let integration = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(EditOutcome {
                integration,
                new_url,
                previous_owner: owner,
            })
        })
    }

    /// Would editing this integration move it to the acting user? (The edit dialog warns.)
    pub fn edit_would_take_over(&self, actor: Actor, id: IntegrationId) -> Result<bool> {
        self.read(actor, |c, me| {
            let current = q::integration(c, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner =
                q::employee_by_id(c, current.owner_id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(rules::check_integration_edit(me, &owner)? == EditEffect::TakeOver)
        })
    }

    pub fn disable_webhook(&mut self, actor: Actor, id: IntegrationId) -> Result<Integration> {
        self.toggle_webhook(actor, id, false)
    }

    pub fn enable_webhook(&mut self, actor: Actor, id: IntegrationId) -> Result<Integration> {
        self.toggle_webhook(actor, id, true)
    }

    fn toggle_webhook(
        &mut self,
        actor: Actor,
        id: IntegrationId,
        enable: bool,
    ) -> Result<Integration> {
        self.change(actor, |cx| {
            let current = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner = q::employee_by_id(cx.tx, current.owner_id)?
                .ok_or_else(|| unknown_integration(id))?;
            rules::check_integration_toggle(&cx.me, &owner, enable)?;
            let wanted = if enable {
                IntegrationStatus::Active
            } else {
                IntegrationStatus::Disabled
            };
            if current.status == wanted {
                return Err(Error::WrongState(Conflict::IntegrationAlready {
                    id,
                    status: wanted,
                }));
            }
            q::set_integration_status(cx.tx, id, wanted)?;
            q::touch_integration(cx.tx, id, cx.me.id, cx.now)?;
            cx.audit(
                if enable {
                    "webhook.enable"
                } else {
                    "webhook.disable"
                },
                Some(owner.id),
                json!({ "integration": id, "title": current.title }),
            )?;
            if !enable {
                cx.emit(
                    EventType::IntegrationDisabled,
                    json!({
                        "integration": {
                            "id": id, "title": current.title, "scopes": current.scopes.to_string(),
                        },
                        "owner": brief(&owner),
                        "because": "disabled",
                    }),
                )?;
            }
            q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))
        })
    }

    /// A new secret; the old URL stops at once. A non-owner who may take the
    /// integration over becomes its owner, as with an edit.
    pub fn regenerate_webhook(&mut self, actor: Actor, id: IntegrationId) -> Result<Issued> {
        let base = self.base_url.clone();
        self.change(actor, |cx| {
            let current = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            let owner = q::employee_by_id(cx.tx, current.owner_id)?.ok_or_else(|| unknown_integration(id))?;
            let effect = rules::check_integration_edit(&cx.me, &owner)?;
            let code = secret::new_code()?;
            let salt = secret::new_salt()?;
            let hash = secret::hash_code(&salt, &code);
            let new_owner = if effect == EditEffect::TakeOver { cx.me.id } else { owner.id };
            if effect == EditEffect::TakeOver {
                q::set_integration_owner_and_secret(cx.tx, id, cx.me.id, Some(owner.id), &salt, &hash)?;
            } else {
                q::set_integration_secret(cx.tx, id, &salt, &hash, owner.id)?;
            }
            q::touch_integration(cx.tx, id, cx.me.id, cx.now)?;
            cx.audit(
                "webhook.regenerate",
                Some(owner.id),
                json!({
                    "integration": id,
                    "new_owner": if effect == EditEffect::TakeOver { Some(cx.me.login.clone()) } else { None },
                }),
            )?;
            let integration = q::integration(cx.tx, id)?.ok_or_else(|| unknown_integration(id))?;
            Ok(Issued { integration, url: secret::webhook_url(&base, new_owner, &code) })
        })
    }

    /// Who a webhook call acts as: the integration whose URL names `user_id` and whose
    /// secret is `code`, if it is active, and its current owner. `None` for anything else,
    /// without saying which part was wrong.
    pub fn authenticate_webhook(
        &self,
        user_id: EmployeeId,
        code: &str,
    ) -> Result<Option<(Integration, Employee)>> {
        let Some(caller) = self.authenticate_caller(user_id, code)? else {
            return Ok(None);
        };
        let integration =
            q::integration(&self.conn, caller.integration_id).map_err(|e| self.locate(e))?;
        Ok(integration.map(|i| (i, caller.owner)))
    }

    /// The REST endpoint's check of a call: like `authenticate_webhook`, in two queries.
    pub fn authenticate_caller(
        &self,
        user_id: EmployeeId,
        code: &str,
    ) -> Result<Option<WebhookCaller>> {
        let candidates =
            q::integration_secrets_for(&self.conn, user_id).map_err(|e| self.locate(e))?;
        let mut found = None;
        for (id, salt, hash, status, owner, scopes) in candidates {
            if secret::verify(&salt, &hash, code) && found.is_none() {
                found = Some((id, status, owner, scopes));
            }
        }
        let Some((integration_id, status, owner_id, scopes)) = found else {
            return Ok(None);
        };
        if status != IntegrationStatus::Active {
            return Ok(None);
        }
        match q::employee_by_id(&self.conn, owner_id)? {
            Some(owner) if owner.status == Status::Active => Ok(Some(WebhookCaller {
                integration_id,
                scopes,
                owner,
            })),
            _ => Ok(None),
        }
    }
}
