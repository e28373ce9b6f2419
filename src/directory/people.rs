//! Adding people: the first administrator, one employee, and the fields the REST
//! endpoint may change.

use super::*;

impl Directory {
    /// Start a new company with one administrator. Refused if the file already has one.
    pub fn init(&mut self, company: &str, admin: &NewEmployee) -> Result<Employee> {
        let company = validate::optional_text("company name", company, validate::MAX_TITLE)?;
        let now = self.now();
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            if q::employee_count(&tx)? > 0 {
                return Err(Error::WrongState(Conflict::CompanyExists));
            }
            let mut admin = admin.clone();
            admin.is_admin = true;
            let id = insert_person(&tx, &admin, now, now.date_naive())?;
            let name = if company.is_empty() {
                "Company".to_string()
            } else {
                company
            };
            q::set_setting(&tx, COMPANY_NAME, &name)?;
            q::set_setting(&tx, SHOW_DISMISSED, "off")?;
            q::append_audit(
                &tx,
                now,
                id,
                "init",
                Some(id),
                &json!({ "company": name }),
                &Via::of(&self.door, None),
            )?;
            let me = q::employee_by_id(&tx, id)?
                .ok_or_else(|| Error::Storage("admin vanished".into()))?;
            tx.commit()?;
            Ok(me)
        })();
        result.map_err(|e| self.locate(e))
    }

    /// Mark this database as the demo company (the builder calls it).
    pub fn mark_demo(&mut self, company: &str) -> Result<()> {
        q::set_setting(&self.conn, DEMO_FLAG, "1")?;
        q::set_setting(&self.conn, COMPANY_NAME, company)?;
        if q::setting(&self.conn, SHOW_DISMISSED)?.is_none() {
            q::set_setting(&self.conn, SHOW_DISMISSED, "off")?;
        }
        Ok(())
    }

    /// Add one employee.
    pub fn add(&mut self, actor: Actor, new: &NewEmployee) -> Result<Employee> {
        let today = self.now().date_naive();
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, Op::Add)?;
            if new.is_admin {
                rules::ensure_admin(&cx.me, Op::AddAdmin)?;
            }
            let id = insert_person(cx.tx, new, cx.now, today)?;
            let e = q::employee_by_id(cx.tx, id)?
                .ok_or_else(|| Error::Storage("employee vanished".into()))?;
            cx.audit(
                "add",
                Some(id),
                json!({ "login": e.login, "name": e.name() }),
            )?;
            cx.emit(EventType::EmployeeAdded, added_event(&e, false))?;
            Ok(e)
        })
    }

    /// Change an employee's name, email or position: administrators and company-structure
    /// staff for anyone, everyone for themselves.
    pub fn update_employee(
        &mut self,
        actor: Actor,
        id: EmployeeId,
        changes: &EmployeeChanges,
        active: Option<(bool, Option<IntegrationChoice>)>,
    ) -> Result<Employee> {
        let valid = ValidChanges::of(changes, &FieldNames::PORTAL)?;
        self.change(actor, |cx| {
            let target = q::employee_by_id(cx.tx, id)?
                .filter(|e| e.kind == Kind::Employee)
                .ok_or(Error::NotFound(Missing::EmployeeId(id)))?;
            let active = active.map(|(on, choice)| {
                (
                    on,
                    DismissRequest {
                        integrations: choice,
                        reason: None,
                        note: None,
                        checklist: Default::default(),
                    },
                )
            });
            update_in(cx, &target, &valid, active.as_ref())
        })
    }
}

/// How the fields are named in the refusals of one interface.
pub(super) struct FieldNames {
    pub first: &'static str,
    pub last: &'static str,
    pub position: &'static str,
    pub profession: &'static str,
}

impl FieldNames {
    pub const PORTAL: FieldNames = FieldNames {
        first: "NAME",
        last: "LAST_NAME",
        position: "WORK_POSITION",
        profession: "PERSONAL_PROFESSION",
    };
}

/// `EmployeeChanges`, validated (before the transaction: bad input touches nothing).
pub(super) struct ValidChanges {
    first: Option<String>,
    last: Option<String>,
    email: Option<String>,
    position: Option<String>,
    gender: Option<String>,
    profession: Option<String>,
    birthday: Option<Option<NaiveDate>>,
    department: Option<Option<i64>>,
}

impl ValidChanges {
    pub fn of(changes: &EmployeeChanges, names: &FieldNames) -> Result<Self> {
        Ok(ValidChanges {
            first: changes
                .first_name
                .as_deref()
                .map(|s| validate::name_part(names.first, s))
                .transpose()?,
            last: changes
                .last_name
                .as_deref()
                .map(|s| validate::name_part(names.last, s))
                .transpose()?,
            email: changes.email.as_deref().map(validate::email).transpose()?,
            position: changes
                .position
                .as_deref()
                .map(|s| validate::optional_text(names.position, s, validate::MAX_POSITION))
                .transpose()?,
            gender: changes
                .gender
                .as_deref()
                .map(validate::gender)
                .transpose()?,
            profession: changes
                .profession
                .as_deref()
                .map(|s| validate::optional_text(names.profession, s, validate::MAX_POSITION))
                .transpose()?,
            birthday: changes.birthday,
            department: changes.department,
        })
    }
}

/// An employee's fields changed, and a dismissal or rehire (`active`), inside the
/// caller's transaction; each change that alters something is audited, one that alters
/// nothing writes nothing.
pub(super) fn update_in(
    cx: &Ctx<'_>,
    target: &Employee,
    changes: &ValidChanges,
    active: Option<&(bool, DismissRequest)>,
) -> Result<Employee> {
    if cx.me.id != target.id {
        rules::ensure_staff(&cx.me, Op::ChangeOthers)?;
    }
    let first = changes
        .first
        .clone()
        .unwrap_or_else(|| target.first_name.clone());
    let last = changes
        .last
        .clone()
        .unwrap_or_else(|| target.last_name.clone());
    let email = changes
        .email
        .clone()
        .unwrap_or_else(|| target.email.clone());
    let position = changes
        .position
        .clone()
        .unwrap_or_else(|| target.position.clone());
    if store::portal::email_taken_by_other(cx.tx, &email, target.id)? {
        return Err(Error::Duplicate(Taken::Email { email, line: None }));
    }
    // UF_DEPARTMENT: the one department offboard keeps, by its id.
    let department = match changes.department {
        Some(Some(d)) => Some(Some(
            q::department_by_id(cx.tx, d)?.ok_or(Error::NotFound(Missing::Department(d)))?,
        )),
        Some(None) => Some(None),
        None => None,
    };
    if let Some(new) = department {
        let was = target.department.clone();
        let now = new.as_ref().map(|d| d.name.clone());
        if now.as_deref().map(str::to_lowercase) != was.as_deref().map(str::to_lowercase) {
            rules::ensure_staff(&cx.me, Op::MoveEmployee)?;
            q::set_department(cx.tx, target.id, new.as_ref().map(|d| d.id))?;
            cx.audit(
                "update",
                Some(target.id),
                json!({ "department": now, "was": was }),
            )?;
        }
    }
    let renamed = first != target.first_name
        || last != target.last_name
        || email != target.email
        || position != target.position;
    if renamed {
        store::portal::update_employee_fields(cx.tx, target.id, &first, &last, &email, &position)?;
        cx.audit(
            "update",
            Some(target.id),
            json!({ "first_name": first, "last_name": last, "email": email, "position": position }),
        )?;
    }
    // The portal's personal fields, which its clients set and read back.
    if changes.gender.is_some() || changes.profession.is_some() || changes.birthday.is_some() {
        let (was_gender, was_profession, was_birthday) =
            store::portal::personal_fields(cx.tx, target.id)?;
        let gender = changes.gender.clone().unwrap_or(was_gender.clone());
        let profession = changes.profession.clone().unwrap_or(was_profession.clone());
        let birthday = changes.birthday.unwrap_or(was_birthday);
        if (&gender, &profession, birthday) != (&was_gender, &was_profession, was_birthday) {
            store::portal::update_personal_fields(
                cx.tx,
                target.id,
                &gender,
                &profession,
                birthday,
            )?;
            cx.audit(
                "update",
                Some(target.id),
                json!({ "gender": gender, "profession": profession, "birthday": birthday.map(|d| d.to_string()) }),
            )?;
        }
    }
    // ACTIVE=false dismisses and ACTIVE=true rehires, in the same transaction.
    match active {
        Some((false, req)) if target.status == Status::Active => {
            let note = dismissal::clean_note(req)?;
            dismiss_in(cx, target, req, note.as_deref(), None)?;
        }
        Some((true, _)) if target.status == Status::Dismissed => {
            hire_in(cx, target, false)?;
        }
        _ => {}
    }
    Ok(q::employee_by_id(cx.tx, target.id)?.unwrap_or_else(|| target.clone()))
}

/// The facts of `employee.added`.
pub(super) fn added_event(e: &Employee, imported: bool) -> serde_json::Value {
    json!({
        "employee": brief(e),
        "email": e.email,
        "position": e.position,
        "department": e.department,
        "hired_on": e.hired_on.to_string(),
        "is_admin": e.is_admin,
        "imported": imported,
    })
}

/// Validate and insert one person, creating their department if missing.
pub(super) fn insert_person(
    c: &Connection,
    new: &NewEmployee,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<EmployeeId> {
    let login = validate::login(&new.login)?;
    let first = validate::name_part("first name", &new.first_name)?;
    let last = validate::name_part("last name", &new.last_name)?;
    let email = validate::email(&new.email)?;
    let position = validate::optional_text("position", &new.position, validate::MAX_POSITION)?;
    let department = new
        .department
        .as_deref()
        .map(|d| validate::department("department", d))
        .transpose()?
        .filter(|d| !d.is_empty());
    if q::login_taken(c, &login)? {
        return Err(Error::Duplicate(Taken::Login { login, line: None }));
    }
    if q::email_taken(c, &email)? {
        return Err(Error::Duplicate(Taken::Email { email, line: None }));
    }
    let department_id = match department {
        Some(name) => Some(match q::department_id(c, &name)? {
            Some(id) => id,
            None => q::insert_department(c, &name, None)?,
        }),
        None => None,
    };
    let hired = match new.hired_on {
        Some(day) => validate::hire_date("hire date", day, today)?,
        None => today,
    };
    q::insert_employee(
        c,
        &q::NewEmployeeRow {
            login: &login,
            first_name: &first,
            last_name: &last,
            email: &email,
            position: &position,
            department_id,
            hired_on: hired,
            is_admin: new.is_admin,
            kind: Kind::Employee,
            system_for: None,
            created_at: now,
        },
    )
}
