//! The portal's REST methods, over the directory's operations and rules.

use serde_json::{Map, Value, json};

use super::lists::{self, Field, Kind};
use super::params::{ParamError, as_int, as_list, as_text, get_ci, parse_urlencoded, truthy};
use crate::Directory;
use crate::directory::EmployeeChanges;
use crate::directory::{
    ApiUser, CrmField, FilterOp, FilterValue, PageStart, TaskField, TaskFilter, UserField,
    UserFilter, UserSort,
};
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
    pub result: Value,
    pub total: Option<i64>,
    pub next: Option<i64>,
}

impl Answer {
    fn plain(result: Value) -> Self {
        Answer {
            result,
            total: None,
            next: None,
        }
    }
    /// A page of a list: with a total and `next` when counted, neither with `start=-1`.
    fn page(result: Value, start: PageStart, shown: usize, total: Option<i64>) -> Self {
        let next = start.offset() + shown as i64;
        Answer {
            result,
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

/// Methods and the scope each needs (`None`: any integration may call it).
pub const METHODS: &[(&str, Option<Scope>)] = &[
    ("batch", None),
    ("methods", None),
    ("scope", None),
    ("user.current", Some(Scope::User)),
    ("user.get", Some(Scope::User)),
    ("user.search", Some(Scope::User)),
    ("user.update", Some(Scope::User)),
    ("profile", Some(Scope::User)),
    ("department.get", Some(Scope::Department)),
    ("tasks.task.list", Some(Scope::Task)),
    ("tasks.task.delegate", Some(Scope::Task)),
    ("crm.deal.list", Some(Scope::Crm)),
    ("crm.lead.list", Some(Scope::Crm)),
    ("crm.contact.list", Some(Scope::Crm)),
    ("crm.company.list", Some(Scope::Crm)),
];

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

fn user_json(u: &ApiUser) -> Value {
    json!({
        "ID": u.id.to_string(),
        "ACTIVE": u.active,
        "NAME": u.name,
        "LAST_NAME": u.last_name,
        "EMAIL": u.email,
        "WORK_POSITION": u.position,
        "UF_DEPARTMENT": u.department.map(|d| vec![d]).unwrap_or_default(),
        "USER_TYPE": "employee",
        "IS_ONLINE": "N",
    })
}

fn employee_json(e: &Employee, dept_id: Option<i64>) -> Value {
    json!({
        "ID": e.id.to_string(),
        "ACTIVE": e.is_active(),
        "NAME": e.first_name,
        "LAST_NAME": e.last_name,
        "EMAIL": e.email,
        "WORK_POSITION": e.position,
        "UF_DEPARTMENT": dept_id.map(|d| vec![d]).unwrap_or_default(),
        "USER_TYPE": if e.is_system() { "system" } else { "employee" },
        "IS_ONLINE": "N",
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
    let result: Vec<Value> = rows.iter().map(user_json).collect();
    Ok(Answer::page(Value::Array(result), start, rows.len(), total))
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

fn user_update(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let id = EmployeeId(required_int(params, &["ID"])?);
    let fields = |k: &str| get_ci(params, k).and_then(as_text);
    let changes = EmployeeChanges {
        first_name: fields("NAME"),
        last_name: fields("LAST_NAME"),
        email: fields("EMAIL"),
        position: fields("WORK_POSITION"),
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

const CRM_FIELDS: &[Field<CrmField>] = &[
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
];

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
    let Some((_, scope)) = METHODS.iter().find(|(m, _)| *m == method) else {
        return Err(ApiError::new(
            404,
            "ERROR_METHOD_NOT_FOUND",
            format!("Method not found: {method}"),
        ));
    };
    if let Some(scope) = scope
        && !caller.scopes.contains(*scope)
    {
        return Err(ApiError::new(
            401,
            "insufficient_scope",
            format!(
                "The request requires higher privileges than provided by the webhook: {method} needs the scope \"{scope}\""
            ),
        ));
    }
    match method {
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
        "user.current" => {
            // The owner was read when the call was authenticated, a moment ago.
            let me = caller.owner;
            let dept = match &me.department {
                Some(name) => dir.department_id(name)?,
                None => None,
            };
            Ok(Answer::plain(employee_json(me, dept)))
        }
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
        "user.get" | "user.search" => user_list(dir, caller, method, params),
        "user.update" => user_update(dir, caller, params),
        "department.get" => department_get(dir, caller, params),
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
    }
}

/// The sections of a batch answer.
pub struct BatchAnswer {
    pub result: Map<String, Value>,
    pub errors: Map<String, Value>,
    pub totals: Map<String, Value>,
    pub nexts: Map<String, Value>,
    pub times: Map<String, Value>,
}

/// Run `{"halt": 0|1, "cmd": {key: "method?query"}}`.
pub fn batch(
    dir: &mut Directory,
    caller: &Caller<'_>,
    params: &Map<String, Value>,
    time_of: &dyn Fn(std::time::Instant) -> Value,
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
    // Every command is checked before any runs, so a bad one changes nothing.
    for (key, cmd) in &cmds {
        let Some(text) = as_text(cmd) else {
            return Err(ApiError::bad(format!("command \"{key}\" must be a string")));
        };
        if normalize_method(text.split('?').next().unwrap_or("")) == "batch" {
            return Err(ApiError::new(
                400,
                "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "batch cannot be called inside batch",
            ));
        }
    }
    let mut out = BatchAnswer {
        result: Map::new(),
        errors: Map::new(),
        totals: Map::new(),
        nexts: Map::new(),
        times: Map::new(),
    };
    for (key, cmd) in cmds {
        let started = std::time::Instant::now();
        let text = as_text(&cmd)
            .ok_or_else(|| ApiError::bad(format!("command \"{key}\" must be a string")))?;
        let (method, query) = text.split_once('?').unwrap_or((&text, ""));
        let method = normalize_method(method);
        let outcome = if method == "batch" {
            Err(ApiError::new(
                400,
                "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "batch cannot be called inside batch",
            ))
        } else {
            let mut p = Map::new();
            match parse_urlencoded(query, &mut p) {
                Ok(()) => {
                    lists::resolve_references(
                        &mut p,
                        &[
                            ("result", &out.result),
                            ("total", &out.totals),
                            ("next", &out.nexts),
                        ],
                    );
                    call(dir, caller, &method, &p)
                }
                Err(e) => Err(e.into()),
            }
        };
        match outcome {
            Ok(a) => {
                out.result.insert(key.clone(), a.result);
                if let Some(t) = a.total {
                    out.totals.insert(key.clone(), json!(t));
                }
                if let Some(n) = a.next {
                    out.nexts.insert(key.clone(), json!(n));
                }
                out.times.insert(key.clone(), time_of(started));
            }
            Err(e) => {
                out.errors.insert(
                    key.clone(),
                    json!({ "error": e.code, "error_description": e.description }),
                );
                out.times.insert(key.clone(), time_of(started));
                if halt {
                    break;
                }
            }
        }
    }
    Ok(out)
}
