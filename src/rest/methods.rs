//! The portal's REST methods, over the directory's operations and rules.

use serde_json::{Map, Value, json};

use super::fields::{self, Kept, PortalUser};
use super::lists::{self, Field, Kind};
use super::params::{ParamError, as_int, as_list, as_text, get_ci, parse_urlencoded, truthy};
use super::payload::{Payload, Results, Section};
use crate::Directory;
use crate::directory::{
    ApiUser, CrmField, FilterOp, FilterValue, PageStart, TaskField, TaskFilter, UserField,
    UserFilter, UserSort,
};
use crate::directory::{DepartmentChanges, EmployeeChanges, NewDepartment, NewEmployee};
use crate::domain::{
    Actor, Employee, EmployeeId, Error, IntegrationChoice, IntegrationId, Scope, ScopeSet, TaskId,
};

/// Rows in one page of a list method.
pub const PAGE: i64 = 50;
/// Commands in one batch.
pub const MAX_BATCH: usize = 50;

/// An error answer: HTTP status, the portal's code, and a description.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub description: String,
}

impl ApiError {
    pub fn new(status: u16, code: &str, description: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            description: description.into(),
        }
    }
    pub fn bad(description: impl Into<String>) -> Self {
        ApiError::new(400, "INVALID_ARG_VALUE", description)
    }
}

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> Self {
        ApiError::new(400, "INVALID_REQUEST", e.0)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let text = e.to_string();
        match e {
            Error::Denied(_) | Error::SettingOff(_) => ApiError::new(403, "ACCESS_DENIED", text),
            Error::AccessRevoked(_) => ApiError::new(401, "INVALID_CREDENTIALS", text),
            Error::NotFound(_) => ApiError::new(400, "ERROR_NOT_FOUND", text),
            Error::WrongState(_) | Error::Duplicate(_) | Error::Invalid(_) => ApiError::bad(text),
            Error::ChoiceNeeded { kept, .. } => ApiError::new(
                400,
                "INTEGRATIONS_CHOICE_REQUIRED",
                match kept {
                    None => format!("{text}: pass INTEGRATIONS=keep or INTEGRATIONS=disable"),
                    Some(kept) => {
                        format!("{text}; {kept}: pass INTEGRATIONS=keep or INTEGRATIONS=disable")
                    }
                },
            ),
            // Another process holds the database: worth a retry.
            Error::Busy(_) => ApiError::new(503, "QUERY_LIMIT_EXCEEDED", text),
            Error::ReadOnly(_) => ApiError::new(403, "ACCESS_DENIED", text),
            _ => ApiError::new(
                500,
                "INTERNAL_SERVER_ERROR",
                "the server could not complete the call",
            ),
        }
    }
}

/// A successful answer before the envelope is added.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The method that answered, as `METHODS` spells it.
    pub method: &'static str,
    pub result: Payload,
    pub total: Option<i64>,
    pub next: Option<i64>,
}

impl Answer {
    fn plain(result: Value) -> Self {
        Answer {
            method: "",
            result: Payload::Json(result),
            total: None,
            next: None,
        }
    }
    /// A page of a list: with a total and `next` when counted, neither with `start=-1`.
    fn page(
        result: impl Into<Payload>,
        start: PageStart,
        shown: usize,
        total: Option<i64>,
    ) -> Self {
        let next = start.offset() + shown as i64;
        Answer {
            method: "",
            result: result.into(),
            total,
            next: total.filter(|t| next < *t).map(|_| next),
        }
    }
}

/// Who is calling: the integration and its current owner, as whom the call acts.
pub struct Caller<'a> {
    pub integration_id: IntegrationId,
    pub scopes: ScopeSet,
    pub owner: &'a Employee,
}

impl Caller<'_> {
    fn actor(&self) -> Actor {
        Actor {
            id: self.owner.id,
            via_integration: Some(self.integration_id),
        }
    }
}

/// Methods that read a row or two and never write, whatever their parameters: the
/// server runs them on its own threads rather than handing them to a blocking one.
const QUICK: &[&str] = &[
    "user.current",
    "profile",
    "server.time",
    "scope",
    "methods",
    "user.admin",
    "user.fields",
];

/// Whether `method` (as the client spelled it) is one of `QUICK`.
pub fn is_quick(method: &str) -> bool {
    let m = normalize_method(method);
    QUICK.iter().any(|q| q.eq_ignore_ascii_case(&m))
}

/// Methods and the scope each needs (`None`: any integration may call it, as the
/// portal's `basic` methods). Names compare without case.
pub const METHODS: &[(&str, Option<Scope>)] = &[
    ("batch", None),
    ("methods", None),
    ("scope", None),
    ("server.time", None),
    ("user.admin", None),
    ("user.access", None),
    ("profile", Some(Scope::User)),
    ("user.current", Some(Scope::User)),
    ("user.fields", Some(Scope::User)),
    ("user.get", Some(Scope::User)),
    ("user.search", Some(Scope::User)),
    ("user.add", Some(Scope::User)),
    ("user.update", Some(Scope::User)),
    ("department.get", Some(Scope::Department)),
    ("department.add", Some(Scope::Department)),
    ("department.update", Some(Scope::Department)),
    ("tasks.task.list", Some(Scope::Task)),
    ("tasks.task.getFields", Some(Scope::Task)),
    ("tasks.task.delegate", Some(Scope::Task)),
    ("crm.deal.list", Some(Scope::Crm)),
    ("crm.deal.fields", Some(Scope::Crm)),
    ("crm.lead.list", Some(Scope::Crm)),
    ("crm.lead.fields", Some(Scope::Crm)),
    ("crm.contact.list", Some(Scope::Crm)),
    ("crm.contact.fields", Some(Scope::Crm)),
    ("crm.company.list", Some(Scope::Crm)),
    ("crm.company.fields", Some(Scope::Crm)),
];

/// The methods that change data (a halted batch that fails undoes them).
const CHANGES: &[&str] = &[
    "user.add",
    "user.update",
    "department.add",
    "department.update",
    "tasks.task.delegate",
];

/// The scope a method of the portal's families needs, for a name offboard does not
/// answer: the scope is checked before the method exists, as the portal does.
enum Family {
    /// One of the scopes an integration may hold here.
    Scope(Scope),
    /// A family of the portal (chats, drive, calendar, …) that no integration of
    /// offboard holds a scope for.
    Foreign(&'static str),
}

fn family_of(method: &str) -> Option<Family> {
    let head = method.split('.').next().unwrap_or("");
    Some(match head {
        "user" => Family::Scope(Scope::User),
        "department" => Family::Scope(Scope::Department),
        "crm" => Family::Scope(Scope::Crm),
        "tasks" | "task" => Family::Scope(Scope::Task),
        "im" => Family::Foreign("im"),
        "imbot" => Family::Foreign("imbot"),
        "imopenlines" => Family::Foreign("imopenlines"),
        "imconnector" => Family::Foreign("imconnector"),
        "disk" => Family::Foreign("disk"),
        "calendar" => Family::Foreign("calendar"),
        "telephony" | "voximplant" => Family::Foreign("telephony"),
        "sonet_group" | "socialnetwork" => Family::Foreign("sonet_group"),
        "log" => Family::Foreign("log"),
        "entity" => Family::Foreign("entity"),
        "bizproc" => Family::Foreign("bizproc"),
        "lists" => Family::Foreign("lists"),
        "placement" => Family::Foreign("placement"),
        "landing" => Family::Foreign("landing"),
        "sale" => Family::Foreign("sale"),
        "catalog" => Family::Foreign("catalog"),
        "timeman" => Family::Foreign("timeman"),
        "mailservice" => Family::Foreign("mailservice"),
        "messageservice" => Family::Foreign("messageservice"),
        "iblock" => Family::Foreign("iblock"),
        "documentgenerator" => Family::Foreign("documentgenerator"),
        "biconnector" => Family::Foreign("biconnector"),
        "forum" => Family::Foreign("forum"),
        "intranet" => Family::Foreign("intranet"),
        "pull" => Family::Foreign("pull"),
        "userconsent" => Family::Foreign("userconsent"),
        "rpa" => Family::Foreign("rpa"),
        "sign" => Family::Foreign("sign"),
        "booking" => Family::Foreign("booking"),
        _ => return None,
    })
}

fn insufficient_scope(method: &str, scope: &str) -> ApiError {
    ApiError::new(
        401,
        "insufficient_scope",
        format!(
            "The request requires higher privileges than provided by the webhook: {method} needs the scope \"{scope}\""
        ),
    )
}

/// `user.current` and friends spell a method in any case, with an optional `.json`.
pub fn normalize_method(raw: &str) -> String {
    let m = raw.trim_matches('/').to_ascii_lowercase();
    m.strip_suffix(".json").unwrap_or(&m).to_string()
}

fn object<'a>(
    params: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match get_ci(params, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(Value::Array(a)) if a.is_empty() => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(_) => Err(ApiError::bad(format!(
            "{} must be an object",
            key.to_ascii_uppercase()
        ))),
    }
}

fn ids(v: &Value, field: &str) -> Result<Vec<i64>, ApiError> {
    as_list(v)
        .into_iter()
        .map(|x| {
            as_int(x).ok_or_else(|| {
                ApiError::bad(format!("{field} must be a number or a list of numbers"))
            })
        })
        .collect()
}

fn employee_ids(v: &Value, field: &str) -> Result<Vec<EmployeeId>, ApiError> {
    Ok(ids(v, field)?.into_iter().map(EmployeeId).collect())
}

/// `order` as a string (`"DESC"`) or an object (`{"ID": "DESC"}`): the field and whether descending.
fn order_of(params: &Map<String, Value>, default_field: &str) -> Result<(String, bool), ApiError> {
    let sort = get_ci(params, "sort")
        .and_then(as_text)
        .map(|s| s.to_ascii_uppercase());
    match get_ci(params, "order") {
        None | Some(Value::Null) => Ok((sort.unwrap_or_else(|| default_field.into()), false)),
        Some(Value::String(s)) => Ok((sort.unwrap_or_else(|| default_field.into()), direction(s)?)),
        Some(Value::Object(o)) => match o.iter().next() {
            Some((field, dir)) => Ok((
                field.to_ascii_uppercase(),
                direction(&as_text(dir).unwrap_or_default())?,
            )),
            None => Ok((default_field.into(), false)),
        },
        Some(_) => Err(ApiError::bad(
            "order must be ASC, DESC or an object like {\"ID\": \"DESC\"}",
        )),
    }
}

fn direction(s: &str) -> Result<bool, ApiError> {
    match s.trim().to_ascii_uppercase().as_str() {
        "" | "ASC" => Ok(false),
        "DESC" => Ok(true),
        other => Err(ApiError::bad(format!(
            "order direction \"{other}\" is not ASC or DESC"
        ))),
    }
}

fn portal_user(u: ApiUser) -> PortalUser {
    PortalUser {
        id: u.id.0,
        active: u.active,
        first_name: u.name,
        last_name: u.last_name,
        email: u.email,
        position: u.position,
        department: u.department,
        hired_on: u.hired_on,
        user_type: "employee",
        gender: u.gender,
        profession: u.profession,
        birthday: u.birthday,
    }
}

/// `user.current`: the employee the call was authenticated as, with what the
/// authentication did not read (the department's id, the personal fields).
fn current_user(dir: &Directory, me: &Employee) -> Result<PortalUser, ApiError> {
    let extra = dir.current_extras(me.id)?;
    Ok(PortalUser {
        id: me.id.0,
        active: me.is_active(),
        first_name: me.first_name.clone(),
        last_name: me.last_name.clone(),
        email: me.email.clone(),
        position: me.position.clone(),
        department: extra.department,
        hired_on: me.hired_on,
        user_type: if me.is_system() { "system" } else { "employee" },
        gender: extra.gender,
        profession: extra.profession,
        birthday: extra.birthday,
    })
}

/// What `user.get` and `user.search` filter on with every operator; ACTIVE,
/// USER_TYPE, FIND, NAME_SEARCH and IS_ONLINE take equality only.
const USER_FIELDS: &[Field<UserField>] = &[
    Field {
        name: "ID",
        kind: Kind::Number,
        field: UserField::Id,
    },
    Field {
        name: "NAME",
        kind: Kind::Text,
        field: UserField::Name,
    },
    Field {
        name: "LAST_NAME",
        kind: Kind::Text,
        field: UserField::LastName,
    },
    Field {
        name: "EMAIL",
        kind: Kind::Text,
        field: UserField::Email,
    },
    Field {
        name: "WORK_POSITION",
        kind: Kind::Text,
        field: UserField::Position,
    },
    Field {
        name: "UF_DEPARTMENT",
        kind: Kind::Number,
        field: UserField::Department,
    },
];

const USER_EQUALITY_FIELDS: &[&str] = &["ACTIVE", "USER_TYPE", "FIND", "NAME_SEARCH", "IS_ONLINE"];

fn user_filter(method: &str, params: &Map<String, Value>) -> Result<UserFilter, ApiError> {
    // The portal takes filter fields inside FILTER or, for user.get, at the top level.
    let names: Vec<&str> = USER_FIELDS
        .iter()
        .map(|f| f.name)
        .chain(USER_EQUALITY_FIELDS.iter().copied())
        .collect();
    let entries = lists::filter_entries(params, Some(&names))?;
    let mut out = UserFilter::default();
    for (key, v) in &entries {
        let parsed = lists::split_key(key)?;
        let field = parsed.field.as_str();
        let equality = matches!(parsed.op, FilterOp::Eq | FilterOp::NotEq);
        if USER_EQUALITY_FIELDS.contains(&field) && !equality {
            return Err(lists::equality_only(key, field));
        }
        let negate = parsed.op == FilterOp::NotEq;
        match field {
            "ID" if parsed.op == FilterOp::Eq => out.ids = Some(employee_ids(v, "ID")?),
            "ACTIVE" => {
                let a = truthy(v).ok_or_else(|| ApiError::bad("ACTIVE must be true or false"))?;
                out.active = Some(a != negate);
            }
            "USER_TYPE" if !negate => out.user_type = as_text(v),
            "FIND" | "NAME_SEARCH" if !negate => {
                out.find = as_text(v).filter(|s| !s.trim().is_empty())
            }
            "IS_ONLINE" => {
                // Nobody is online here: asking for those online finds no one.
                let online = truthy(v).ok_or_else(|| ApiError::bad("IS_ONLINE must be Y or N"))?;
                if online != negate {
                    out.conditions.push(crate::directory::Condition {
                        field: UserField::Id,
                        op: FilterOp::Eq,
                        values: Vec::new(),
                    });
                }
            }
            "USER_TYPE" | "FIND" | "NAME_SEARCH" => return Err(lists::equality_only(key, field)),
            _ => {
                let supported = USER_FIELDS
                    .iter()
                    .map(|f| f.name)
                    .chain(USER_EQUALITY_FIELDS.iter().copied());
                if !USER_FIELDS.iter().any(|f| f.name == field) {
                    return Err(lists::unknown_field(method, key, supported));
                }
                out.conditions
                    .push(lists::condition(method, key, &parsed, v, USER_FIELDS)?);
            }
        }
    }
    Ok(out)
}

fn user_list(
    dir: &Directory,
    caller: &Caller<'_>,
    method: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let filter = user_filter(method, params)?;
    let start = lists::start_of(params)?;
    let (field, desc) = order_of(params, "ID")?;
    let sort = match field.as_str() {
        "ID" => UserSort::Id,
        "NAME" => UserSort::Name,
        "LAST_NAME" => UserSort::LastName,
        "EMAIL" => UserSort::Email,
        other => {
            return Err(ApiError::bad(format!(
                "cannot sort users by \"{other}\": use ID, NAME, LAST_NAME or EMAIL"
            )));
        }
    };
    let (rows, total) = dir.api_users(caller.actor(), &filter, sort, desc, start, PAGE)?;
    let shown = rows.len();
    let result: Vec<PortalUser> = rows.into_iter().map(portal_user).collect();
    Ok(Answer::page(Payload::Users(result), start, shown, total))
}

/// Lists other than users sort by ID only: any other field is refused, not ignored.
fn id_order(method: &str, params: &Map<String, Value>) -> Result<bool, ApiError> {
    let (field, desc) = order_of(params, "ID")?;
    if field != "ID" {
        return Err(ApiError::bad(format!(
            "{method} cannot sort by \"{field}\": it sorts by ID"
        )));
    }
    Ok(desc)
}

fn required_int(params: &Map<String, Value>, keys: &[&str]) -> Result<i64, ApiError> {
    for k in keys {
        if let Some(v) = get_ci(params, k) {
            return as_int(v).ok_or_else(|| ApiError::bad(format!("{k} must be a number")));
        }
    }
    Err(ApiError::bad(format!("{} is required", keys[0])))
}

/// The portal's user fields in `params` that offboard does not keep, given a value:
/// refused by name rather than dropped. An empty value (what `user.get` answers for
/// them) is accepted, so a client may send back a user it read.
fn refuse_unkept(params: &Map<String, Value>) -> Result<(), ApiError> {
    let unkept: Vec<&str> = params
        .iter()
        .filter_map(|(k, v)| match fields::user_field(k) {
            Some((name, Kept::No)) if !is_empty_value(v) => Some(name),
            _ => None,
        })
        .collect();
    if unkept.is_empty() {
        Ok(())
    } else {
        Err(ApiError::new(
            400,
            "ERROR_FIELD_NOT_KEPT",
            format!(
                "offboard does not keep {}: it keeps NAME, LAST_NAME, EMAIL, WORK_POSITION, UF_DEPARTMENT, ACTIVE, PERSONAL_GENDER, PERSONAL_PROFESSION and PERSONAL_BIRTHDAY",
                unkept.join(", ")
            ),
        ))
    }
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// `UF_DEPARTMENT`: offboard keeps one department, given as an id or a list of one;
/// an empty list means none.
fn department_of(v: &Value) -> Result<Option<i64>, ApiError> {
    let list = ids(v, "UF_DEPARTMENT")?;
    match list.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(ApiError::bad(
            "UF_DEPARTMENT: offboard keeps one department per employee; pass one ID",
        )),
    }
}

/// `PERSONAL_BIRTHDAY`: a day (`1990-04-12`, or the portal's `1990-04-12T00:00:00+03:00`);
/// empty clears it.
fn birthday_of(v: &Value) -> Result<Option<chrono::NaiveDate>, ApiError> {
    let text = as_text(v).unwrap_or_default();
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            ApiError::bad(format!(
                "PERSONAL_BIRTHDAY \"{text}\" is not a date: use YYYY-MM-DD"
            ))
        })
}

/// `user.update` and `user.add` take the fields at the top level; some clients nest
/// them in `fields`.
fn user_fields_of(params: &Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    let mut all = params.clone();
    if let Some(f) = object(params, "fields")? {
        for (k, v) in f {
            all.insert(k.clone(), v.clone());
        }
    }
    Ok(all)
}

fn user_update(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let params = &user_fields_of(params)?;
    let id = EmployeeId(required_int(params, &["ID"])?);
    refuse_unkept(params)?;
    let fields = |k: &str| get_ci(params, k).and_then(as_text);
    let changes = EmployeeChanges {
        first_name: fields("NAME"),
        last_name: fields("LAST_NAME"),
        email: fields("EMAIL"),
        position: fields("WORK_POSITION"),
        department: get_ci(params, "UF_DEPARTMENT")
            .map(department_of)
            .transpose()?,
        gender: fields("PERSONAL_GENDER"),
        profession: fields("PERSONAL_PROFESSION"),
        birthday: get_ci(params, "PERSONAL_BIRTHDAY")
            .map(birthday_of)
            .transpose()?,
    };
    let active = match get_ci(params, "ACTIVE") {
        None => None,
        Some(v) => Some(truthy(v).ok_or_else(|| ApiError::bad("ACTIVE must be true or false"))?),
    };
    let integrations = match get_ci(params, "INTEGRATIONS").and_then(as_text) {
        None => None,
        Some(s) => Some(
            s.parse::<IntegrationChoice>()
                .map_err(|_| ApiError::bad("INTEGRATIONS must be keep or disable"))?,
        ),
    };
    // Fields and ACTIVE change together, in one transaction: all of it or none.
    dir.update_employee(
        caller.actor(),
        id,
        &changes,
        active.map(|a| (a, integrations)),
    )?;
    Ok(Answer::plain(Value::Bool(true)))
}

/// The login of an employee added through `user.add`: `LOGIN` when given (offboard's
/// own parameter; the portal has none), else the part of the e-mail before `@`,
/// lowercased, with what a login may not hold replaced by `.`.
fn login_for(params: &Map<String, Value>, email: &str) -> String {
    if let Some(l) = get_ci(params, "LOGIN").and_then(as_text) {
        return l;
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let mapped: String = local
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '.'
            }
        })
        .collect();
    mapped
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

/// `user.add`: through `Directory::add`, the operation `offboard add` runs, with its
/// rules (administrators and company-structure staff; never a system user), its
/// validation and its audit event. The result is the new user's id, a number.
fn user_add(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let params = &user_fields_of(params)?;
    refuse_unkept(params)?;
    // `offboard add` knows no personal fields; rather than drop them, say where they go.
    let personal: Vec<&str> = [
        "PERSONAL_GENDER",
        "PERSONAL_PROFESSION",
        "PERSONAL_BIRTHDAY",
    ]
    .into_iter()
    .filter(|k| get_ci(params, k).is_some_and(|v| !is_empty_value(v)))
    .collect();
    if !personal.is_empty() {
        return Err(ApiError::new(
            400,
            "ERROR_FIELD_NOT_KEPT",
            format!(
                "user.add does not take {}: set them with user.update once the user exists",
                personal.join(", ")
            ),
        ));
    }
    if get_ci(params, "ACTIVE").and_then(truthy) == Some(false) {
        return Err(ApiError::bad(
            "user.add adds an active employee: ACTIVE=false is not accepted (dismiss with user.update)",
        ));
    }
    let text = |k: &str| get_ci(params, k).and_then(as_text).unwrap_or_default();
    let email = text("EMAIL");
    if email.trim().is_empty() {
        return Err(ApiError::new(400, "ERROR_ARGUMENT", "EMAIL is required"));
    }
    let department = match get_ci(params, "UF_DEPARTMENT")
        .map(department_of)
        .transpose()?
    {
        Some(Some(id)) => Some(
            dir.departments(caller.actor())?
                .into_iter()
                .find(|d| d.id == id)
                .map(|d| d.name)
                .ok_or_else(|| {
                    ApiError::new(
                        400,
                        "ERROR_NOT_FOUND",
                        format!("UF_DEPARTMENT: no department with ID {id}"),
                    )
                })?,
        ),
        _ => None,
    };
    let new = NewEmployee {
        login: login_for(params, &email),
        first_name: text("NAME"),
        last_name: text("LAST_NAME"),
        email,
        position: text("WORK_POSITION"),
        department,
        hired_on: None,
        is_admin: false,
    };
    let e = dir.add(caller.actor(), &new)?;
    Ok(Answer::plain(json!(e.id.0)))
}

/// `user.access`: whether the caller holds at least one of the access codes, as the
/// portal reads them: `AU` and `G2` everyone, `U<id>` the user, `D<id>` their
/// department, `DR<id>` it or one above it, `IU<id>` the employee or their head
/// (of their department or one above), `G1` administrators; administrators hold
/// every code, and with no codes only they get `true`. Codes of things offboard does
/// not have (groups, projects, authors) are held by nobody else.
fn user_access(
    dir: &Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let me = caller.owner;
    let is_admin = me.is_admin && !me.is_system();
    let codes: Vec<String> = get_ci(params, "ACCESS")
        .map(|v| as_list(v).into_iter().filter_map(as_text).collect())
        .unwrap_or_default();
    if is_admin {
        return Ok(Answer::plain(json!(true)));
    }
    let departments = dir.departments(caller.actor())?;
    let my_dept = match &me.department {
        Some(name) => dir.department_id(name)?,
        None => None,
    };
    // The department and those above it, nearest first.
    let chain = |start: Option<i64>| {
        let mut out = Vec::new();
        let mut at = start;
        while let Some(d) = at {
            if out.contains(&d) || out.len() > departments.len() {
                break;
            }
            out.push(d);
            at = departments
                .iter()
                .find(|x| x.id == d)
                .and_then(|x| x.parent_id);
        }
        out
    };
    let number = |s: &str| s.parse::<i64>().ok();
    for code in codes.iter().map(|c| c.trim().to_ascii_uppercase()) {
        let held = if code == "AU" || code == "G2" {
            true
        } else if let Some(n) = code.strip_prefix("DR").and_then(number) {
            chain(my_dept).contains(&n)
        } else if let Some(n) = code.strip_prefix("IU").and_then(number) {
            if n == me.id.0 {
                true
            } else {
                let filter = UserFilter {
                    ids: Some(vec![EmployeeId(n)]),
                    ..Default::default()
                };
                let (rows, _) = dir.api_users(
                    caller.actor(),
                    &filter,
                    UserSort::Id,
                    false,
                    PageStart::Uncounted,
                    1,
                )?;
                rows.first().is_some_and(|u| {
                    chain(u.department).iter().any(|d| {
                        departments
                            .iter()
                            .any(|x| x.id == *d && x.head_id == Some(me.id))
                    })
                })
            }
        } else if let Some(n) = code.strip_prefix('D').and_then(number) {
            my_dept == Some(n)
        } else if let Some(n) = code.strip_prefix('U').and_then(number) {
            n == me.id.0
        } else {
            false
        };
        if held {
            return Ok(Answer::plain(json!(true)));
        }
    }
    Ok(Answer::plain(json!(false)))
}

/// `PARENT` and `UF_HEAD` of `department.add` and `department.update`: an id, or
/// empty (`0`, `""`) for none.
fn optional_id(params: &Map<String, Value>, key: &str) -> Result<Option<Option<i64>>, ApiError> {
    match get_ci(params, key) {
        None => Ok(None),
        Some(v) if is_empty_value(v) => Ok(Some(None)),
        Some(v) => match as_int(v) {
            Some(0) => Ok(Some(None)),
            Some(n) if n > 0 => Ok(Some(Some(n))),
            _ => Err(ApiError::bad(format!(
                "{key} must be a department or employee ID"
            ))),
        },
    }
}

/// `SORT`: offboard keeps no order of its own among departments (it answers 500, the
/// portal's default); another value is refused, not dropped.
fn check_sort(params: &Map<String, Value>) -> Result<(), ApiError> {
    match get_ci(params, "SORT") {
        None => Ok(()),
        Some(v) if is_empty_value(v) || as_int(v) == Some(500) => Ok(()),
        Some(_) => Err(ApiError::new(
            400,
            "ERROR_FIELD_NOT_KEPT",
            "offboard does not keep SORT for departments (always 500)",
        )),
    }
}

fn department_add(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let params = &user_fields_of(params)?;
    check_sort(params)?;
    let name = get_ci(params, "NAME").and_then(as_text).unwrap_or_default();
    if name.trim().is_empty() {
        return Err(ApiError::new(400, "ERROR_ARGUMENT", "NAME is required"));
    }
    let new = NewDepartment {
        name,
        parent: optional_id(params, "PARENT")?.flatten(),
        head: optional_id(params, "UF_HEAD")?.flatten().map(EmployeeId),
    };
    let id = dir.add_department(caller.actor(), &new)?;
    Ok(Answer::plain(json!(id)))
}

fn department_update(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let params = &user_fields_of(params)?;
    let id = required_int(params, &["ID"])?;
    check_sort(params)?;
    let changes = DepartmentChanges {
        name: get_ci(params, "NAME").and_then(as_text),
        parent: optional_id(params, "PARENT")?,
        head: optional_id(params, "UF_HEAD")?.map(|h| h.map(EmployeeId)),
    };
    dir.update_department(caller.actor(), id, &changes)?;
    Ok(Answer::plain(json!(true)))
}

fn department_get(
    dir: &Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let start = lists::start_of(params)?;
    let mut all = dir.departments(caller.actor())?;
    let mut merged = params.clone();
    if let Some(f) = object(params, "filter")? {
        merged.extend(f.clone());
    }
    if let Some(v) = get_ci(&merged, "ID") {
        let wanted = ids(v, "ID")?;
        all.retain(|d| wanted.contains(&d.id));
    }
    if let Some(v) = get_ci(&merged, "PARENT") {
        let wanted = ids(v, "PARENT")?;
        all.retain(|d| d.parent_id.is_some_and(|p| wanted.contains(&p)));
    }
    if let Some(name) = get_ci(&merged, "NAME").and_then(as_text) {
        all.retain(|d| d.name.eq_ignore_ascii_case(&name));
    }
    let total = all.len() as i64;
    let page: Vec<Value> = all
        .iter()
        .skip(start.offset().min(total) as usize)
        .take(PAGE as usize)
        .map(|d| {
            let mut v = json!({ "ID": d.id.to_string(), "NAME": d.name, "SORT": 500 });
            if let Some(p) = d.parent_id {
                v["PARENT"] = json!(p.to_string());
            }
            if let Some(h) = d.head_id {
                v["UF_HEAD"] = json!(h.to_string());
            }
            v
        })
        .collect();
    let n = page.len();
    let total = matches!(start, PageStart::Offset(_)).then_some(total);
    Ok(Answer::page(Value::Array(page), start, n, total))
}

/// The portal's task status codes: 2 waiting, 3 in progress, 5 completed.
fn task_status_code(s: &str) -> &'static str {
    match s {
        "in_progress" => "3",
        "done" => "5",
        _ => "2",
    }
}

fn task_status_from_code(v: &Value) -> Result<String, ApiError> {
    let s = as_text(v).unwrap_or_default();
    Ok(match s.trim() {
        "1" | "2" | "open" => "open",
        "3" | "4" | "in_progress" => "in_progress",
        "5" | "done" => "done",
        other => {
            return Err(ApiError::bad(format!(
                "STATUS \"{other}\" is not a task status (2, 3 or 5)"
            )));
        }
    }
    .to_string())
}

const TASK_FIELDS: &[Field<TaskField>] = &[
    Field {
        name: "ID",
        kind: Kind::Number,
        field: TaskField::Id,
    },
    Field {
        name: "TITLE",
        kind: Kind::Text,
        field: TaskField::Title,
    },
    Field {
        name: "RESPONSIBLE_ID",
        kind: Kind::Number,
        field: TaskField::Responsible,
    },
    Field {
        name: "CREATED_BY",
        kind: Kind::Number,
        field: TaskField::CreatedBy,
    },
    Field {
        name: "STATUS",
        kind: Kind::Text,
        field: TaskField::Status,
    },
    Field {
        name: "REAL_STATUS",
        kind: Kind::Text,
        field: TaskField::Status,
    },
];

fn tasks_list(
    dir: &Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let method = "tasks.task.list";
    let start = lists::start_of(params)?;
    let mut f = TaskFilter::default();
    for (key, v) in lists::filter_entries(params, None)? {
        let parsed = lists::split_key(&key)?;
        let mut cond = lists::condition(method, &key, &parsed, &v, TASK_FIELDS)?;
        if cond.field == TaskField::Status {
            if !matches!(cond.op, FilterOp::Eq | FilterOp::NotEq) {
                return Err(lists::equality_only(&key, &parsed.field));
            }
            cond.values = cond
                .values
                .iter()
                .map(|code| match code {
                    FilterValue::Text(t) => {
                        task_status_from_code(&Value::String(t.clone())).map(FilterValue::Text)
                    }
                    FilterValue::Int(i) => {
                        task_status_from_code(&json!(i.to_string())).map(FilterValue::Text)
                    }
                })
                .collect::<Result<_, _>>()?;
        }
        f.conditions.push(cond);
    }
    let desc = id_order(method, params)?;
    let (rows, total) = dir.api_tasks(caller.actor(), &f, desc, start, PAGE)?;
    let tasks: Vec<Value> = rows
        .iter()
        .map(|t| {
            json!({
                "id": t.id.to_string(),
                "title": t.title,
                "responsibleId": t.responsible.to_string(),
                "createdBy": t.created_by.to_string(),
                "status": task_status_code(&t.status),
            })
        })
        .collect();
    let n = tasks.len();
    Ok(Answer::page(json!({ "tasks": tasks }), start, n, total))
}

fn tasks_delegate(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let task = TaskId(required_int(params, &["taskId", "TASK_ID", "id"])?);
    let user = EmployeeId(required_int(params, &["userId", "USER_ID"])?);
    dir.delegate_task(caller.actor(), task, user)?;
    Ok(Answer::plain(
        json!({ "task": { "id": task.to_string(), "responsibleId": user.to_string() } }),
    ))
}

const LEAD_FIELDS: &[Field<CrmField>] = &[
    Field {
        name: "ID",
        kind: Kind::Number,
        field: CrmField::Id,
    },
    Field {
        name: "TITLE",
        kind: Kind::Text,
        field: CrmField::Title,
    },
    Field {
        name: "ASSIGNED_BY_ID",
        kind: Kind::Number,
        field: CrmField::Assigned,
    },
    Field {
        name: "STAGE_ID",
        kind: Kind::Text,
        field: CrmField::Stage,
    },
    Field {
        name: "STATUS_ID",
        kind: Kind::Text,
        field: CrmField::Stage,
    },
];

/// Deals, contacts and companies filter on the fields leads have, but STATUS_ID (last).
const CRM_FIELDS: &[Field<CrmField>] = LEAD_FIELDS.split_at(LEAD_FIELDS.len() - 1).0;

fn crm_list(
    dir: &Directory,
    caller: &Caller<'_>,
    kind: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let method = format!("crm.{kind}.list");
    let start = lists::start_of(params)?;
    let fields = if kind == "lead" {
        LEAD_FIELDS
    } else {
        CRM_FIELDS
    };
    let mut conditions = Vec::new();
    for (key, v) in lists::filter_entries(params, None)? {
        let parsed = lists::split_key(&key)?;
        conditions.push(lists::condition(&method, &key, &parsed, &v, fields)?);
    }
    let desc = id_order(&method, params)?;
    let (rows, total) = dir.api_crm(caller.actor(), kind, &conditions, desc, start, PAGE)?;
    let items: Vec<Value> = rows
        .iter()
        .map(|c| {
            let mut v = json!({
                "ID": c.id.to_string(),
                "TITLE": c.title,
                "ASSIGNED_BY_ID": c.assigned.to_string(),
                "STAGE_ID": c.stage,
            });
            if kind == "lead" {
                v["STATUS_ID"] = json!(c.stage);
            }
            v
        })
        .collect();
    let n = items.len();
    Ok(Answer::page(Value::Array(items), start, n, total))
}

/// Run one method (not `batch`) for `caller`.
pub fn call(
    dir: &mut Directory,
    caller: &Caller<'_>,
    method: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let Some((name, scope)) = METHODS.iter().find(|(m, _)| m.eq_ignore_ascii_case(method)) else {
        // Scope before existence: a name of a family the webhook holds no scope for is
        // refused for its scope, whether or not offboard has that method.
        return Err(match family_of(method) {
            Some(Family::Scope(s)) if !caller.scopes.contains(s) => {
                insufficient_scope(method, s.as_str())
            }
            Some(Family::Foreign(s)) => insufficient_scope(method, s),
            _ => ApiError::new(
                404,
                "ERROR_METHOD_NOT_FOUND",
                format!("Method not found: {method}"),
            ),
        });
    };
    if let Some(scope) = scope
        && !caller.scopes.contains(*scope)
    {
        return Err(insufficient_scope(method, scope.as_str()));
    }
    let method = *name;
    let answer = match method {
        "scope" => Ok(Answer::plain(json!(
            caller.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>()
        ))),
        "methods" => Ok(Answer::plain(json!(
            METHODS
                .iter()
                .filter(|(_, s)| s.is_none_or(|s| caller.scopes.contains(s)))
                .map(|(m, _)| *m)
                .collect::<Vec<_>>()
        ))),
        "user.current" => Ok(Answer {
            // The owner was read when the call was authenticated, a moment ago.
            result: Payload::User(Box::new(current_user(dir, caller.owner)?)),
            ..Answer::plain(Value::Null)
        }),
        "profile" => {
            let me = caller.owner;
            Ok(Answer::plain(json!({
                "ID": me.id.to_string(),
                "ADMIN": me.is_admin,
                "NAME": me.first_name,
                "LAST_NAME": me.last_name,
                "PERSONAL_GENDER": "",
                "TIME_ZONE": "",
                "TIME_ZONE_OFFSET": 0,
            })))
        }
        "server.time" => Ok(Answer::plain(json!(
            chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        ))),
        "user.admin" => Ok(Answer::plain(json!(
            caller.owner.is_admin && !caller.owner.is_system()
        ))),
        "user.access" => user_access(dir, caller, params),
        "user.fields" => Ok(Answer::plain(fields::user_fields())),
        "user.get" | "user.search" => user_list(dir, caller, method, params),
        "user.add" => user_add(dir, caller, params),
        "user.update" => user_update(dir, caller, params),
        "department.get" => department_get(dir, caller, params),
        "department.add" => department_add(dir, caller, params),
        "department.update" => department_update(dir, caller, params),
        "tasks.task.getFields" => Ok(Answer::plain(fields::task_fields())),
        "crm.deal.fields" => Ok(Answer::plain(fields::crm_fields("deal"))),
        "crm.lead.fields" => Ok(Answer::plain(fields::crm_fields("lead"))),
        "crm.contact.fields" => Ok(Answer::plain(fields::crm_fields("contact"))),
        "crm.company.fields" => Ok(Answer::plain(fields::crm_fields("company"))),
        "tasks.task.list" => tasks_list(dir, caller, params),
        "tasks.task.delegate" => tasks_delegate(dir, caller, params),
        "crm.deal.list" => crm_list(dir, caller, "deal", params),
        "crm.lead.list" => crm_list(dir, caller, "lead", params),
        "crm.contact.list" => crm_list(dir, caller, "contact", params),
        "crm.company.list" => crm_list(dir, caller, "company", params),
        "batch" => Err(ApiError::new(
            400,
            "ERROR_BATCH_METHOD_NOT_ALLOWED",
            "batch cannot be called inside batch",
        )),
        _ => Err(ApiError::new(
            404,
            "ERROR_METHOD_NOT_FOUND",
            format!("Method not found: {method}"),
        )),
    };
    answer.map(|a| Answer { method, ..a })
}

/// The sections of a batch answer.
pub struct BatchAnswer {
    pub result: Results,
    pub errors: Map<String, Value>,
    pub totals: Map<String, Value>,
    pub nexts: Map<String, Value>,
    pub times: Map<String, Value>,
}

/// Run `{"halt": 0|1, "cmd": {key: "method?query"}}`.
///
/// With `halt=1` the whole batch is one transaction (`Directory::all_or_nothing`):
/// when a command is invalid or refused, the batch stops there and every change made
/// by the commands before it is undone, so a halted batch changes nothing. Checking
/// every command first cannot promise that: whether a command is refused depends on
/// what the ones before it did (a dismissal, then a change to the same employee; the
/// last administrator; an e-mail just taken), which only running them shows. The
/// commands before the failing one that had changed data, and any read after such a
/// change, are answered in `result_error` as `BATCH_ROLLED_BACK`, since what they
/// returned is no longer true. With `halt=0` each command is its own transaction and
/// stands whatever the others do, as on the portal.
pub fn batch(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
    time_of: &dyn Fn(&'static str, std::time::Instant) -> Value,
) -> Result<BatchAnswer, ApiError> {
    let halt = get_ci(params, "halt").and_then(truthy).unwrap_or(false);
    let cmds = match get_ci(params, "cmd") {
        Some(Value::Object(o)) => o.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        None | Some(Value::Null) => {
            return Err(ApiError::bad("batch needs cmd: {key: \"method?params\"}"));
        }
        Some(_) => return Err(ApiError::bad("cmd must be an object of commands")),
    };
    if cmds.len() > MAX_BATCH {
        return Err(ApiError::bad(format!(
            "a batch may hold at most {MAX_BATCH} commands; this one has {}",
            cmds.len()
        )));
    }
    // The form of every command is checked before any runs.
    let mut parsed = Vec::with_capacity(cmds.len());
    for (key, cmd) in &cmds {
        let Some(text) = as_text(cmd) else {
            return Err(ApiError::bad(format!("command \"{key}\" must be a string")));
        };
        let (method, query) = text.split_once('?').unwrap_or((&text, ""));
        let method = normalize_method(method);
        if method == "batch" {
            return Err(ApiError::new(
                400,
                "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "batch cannot be called inside batch",
            ));
        }
        parsed.push((key.clone(), method, query.to_string()));
    }
    let run = |dir: &mut Directory| -> (BatchAnswer, bool) {
        let mut out = BatchAnswer {
            result: Results::default(),
            errors: Map::new(),
            totals: Map::new(),
            nexts: Map::new(),
            times: Map::new(),
        };
        // The key of the first command that changed data, and the keys from it on.
        let mut since_change: Vec<String> = Vec::new();
        let mut failed: Option<String> = None;
        for (key, method, query) in &parsed {
            let started = std::time::Instant::now();
            let mut p = Map::new();
            let outcome = match parse_urlencoded(query, &mut p) {
                Ok(()) => {
                    // `$result[req_0][49][ID]` and the like: a command may page on from
                    // an earlier one's answer, as the portal's clients do.
                    lists::resolve_references(
                        &mut p,
                        &[
                            ("result", &out.result as &dyn Section),
                            ("total", &out.totals),
                            ("next", &out.nexts),
                        ],
                    );
                    call(dir, caller, method, &p)
                }
                Err(e) => Err(e.into()),
            };
            match outcome {
                Ok(a) => {
                    if !since_change.is_empty()
                        || CHANGES.iter().any(|c| c.eq_ignore_ascii_case(method))
                    {
                        since_change.push(key.clone());
                    }
                    out.result.insert(key.clone(), a.result);
                    if let Some(t) = a.total {
                        out.totals.insert(key.clone(), json!(t));
                    }
                    if let Some(n) = a.next {
                        out.nexts.insert(key.clone(), json!(n));
                    }
                    out.times.insert(key.clone(), time_of(a.method, started));
                }
                Err(e) => {
                    out.errors.insert(
                        key.clone(),
                        json!({ "error": e.code, "error_description": e.description }),
                    );
                    // A failed command is charged to the method it named, if there is one.
                    let named = METHODS
                        .iter()
                        .find(|(m, _)| m.eq_ignore_ascii_case(method))
                        .map_or("unknown", |(m, _)| *m);
                    out.times.insert(key.clone(), time_of(named, started));
                    if halt {
                        failed = Some(key.clone());
                        break;
                    }
                }
            }
        }
        if let Some(failed) = &failed {
            for key in &since_change {
                out.result.remove(key);
                out.totals.remove(key);
                out.nexts.remove(key);
                out.errors.insert(
                    key.clone(),
                    json!({
                        "error": "BATCH_ROLLED_BACK",
                        "error_description": format!(
                            "undone: command \"{failed}\" failed, and with halt=1 the batch changes nothing"
                        ),
                    }),
                );
            }
        }
        (out, failed.is_none())
    };
    // A halted batch of reads changes nothing whatever happens, and need not hold the
    // write lock (nor fail on a read-only file) for it.
    let changes = parsed
        .iter()
        .any(|(_, m, _)| CHANGES.iter().any(|c| c.eq_ignore_ascii_case(m)));
    if halt && changes {
        Ok(dir.all_or_nothing(run)?)
    } else {
        Ok(run(dir).0)
    }
}
