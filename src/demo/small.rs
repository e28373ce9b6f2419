//! The small demo company, read from the hand-written files under `assets/demo/`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::Summary;
use crate::Directory;
use crate::directory::DismissRequest;
use crate::domain::{
    Actor, EmployeeId, Error, IntegrationChoice, IntegrationStatus, Kind, Reason, Result, secret,
};
use crate::store::{bulk, queries as q};

#[derive(Deserialize)]
struct Company {
    name: String,
}

#[derive(Deserialize)]
struct Department {
    name: String,
    parent: Option<String>,
    head: Option<String>,
}

#[derive(Deserialize)]
struct Dismissal {
    on: String,
    by: String,
    reason: Option<String>,
    note: Option<String>,
    integrations: Option<String>,
}

#[derive(Deserialize)]
struct Person {
    login: String,
    first_name: String,
    last_name: String,
    email: String,
    position: String,
    department: String,
    hired_on: NaiveDate,
    is_admin: bool,
    structure_access: bool,
    dismissed: Option<Dismissal>,
}

#[derive(Deserialize)]
struct Hook {
    title: String,
    owner: String,
    scopes: Vec<String>,
    status: String,
    created: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Task {
    title: String,
    status: String,
    creator: String,
    responsible: String,
    #[serde(default)]
    participants: Vec<String>,
}

#[derive(Deserialize)]
struct Crm {
    kind: String,
    title: String,
    stage: String,
    assigned: String,
}

#[derive(Deserialize)]
struct File {
    name: String,
    size: i64,
    folder: String,
    owner: String,
    created: String,
}

#[derive(Deserialize)]
struct Mailbox {
    address: String,
    owner: String,
}

#[derive(Deserialize)]
struct Message {
    from: String,
    text: String,
    at: String,
}

#[derive(Deserialize)]
struct Chat {
    kind: String,
    title: Option<String>,
    members: Vec<String>,
    messages: Vec<Message>,
}

#[derive(Deserialize)]
struct Meeting {
    title: String,
    at: String,
    organizer: String,
    attendees: Vec<String>,
}

#[derive(Deserialize)]
struct Post {
    author: String,
    text: String,
    at: String,
}

#[derive(Deserialize)]
struct Group {
    name: String,
    description: String,
    members: Vec<String>,
}

fn asset<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::Storage(format!("demo asset {name} is malformed: {e}")))
}

macro_rules! load {
    ($file:literal) => {
        asset($file, include_str!(concat!("../../assets/demo/", $file)))?
    };
}

/// Build the small demo company into an empty directory.
/// The demo company's default offboarding checklist: `DAYS|OWNER|TITLE`.
pub const DEMO_CHECKLIST_NAME: &str = "Standard offboarding";
const DEMO_CHECKLIST: &[&str] = &[
    "0|head|Collect the laptop, badge and keys",
    "0|admins|Revoke accounts in other systems (VPN, SaaS tools)",
    "1|structure|Tell payroll the leaving date and final pay",
    "3|head|Hand over meetings and shared calendars",
    "7|structure|Send the employment certificate",
    "30|admins|Archive the mailbox after the forwarding period",
];

pub fn build_small(dir: &mut Directory) -> Result<Summary> {
    let company: Company = load!("company.json");
    let departments: Vec<Department> = load!("departments.json");
    let people: Vec<Person> = load!("employees.json");
    let hooks: Vec<Hook> = load!("integrations.json");
    let tasks: Vec<Task> = load!("tasks.json");
    let crm: Vec<Crm> = load!("crm.json");
    let files: Vec<File> = load!("files.json");
    let mailboxes: Vec<Mailbox> = load!("mailboxes.json");
    let chats: Vec<Chat> = load!("chats.json");
    let meetings: Vec<Meeting> = load!("meetings.json");
    let posts: Vec<Post> = load!("posts.json");
    let groups: Vec<Group> = load!("groups.json");

    if !dir.is_empty()? {
        return Err(Error::WrongState(crate::domain::Conflict::CompanyExists));
    }
    let mut summary = Summary {
        company: company.name.clone(),
        ..Default::default()
    };
    let created_at = Utc
        .with_ymd_and_hms(2026, 11, 1, 8, 0, 0)
        .single()
        .unwrap_or_default();
    // The builder's own event records whoever built the company.
    let door = crate::domain::Via::of(dir.door(), None);
    let tx = dir.connection_mut().transaction()?;
    let mut dept_ids: HashMap<&str, i64> = HashMap::new();
    for d in &departments {
        let parent = d.parent.as_deref().and_then(|p| dept_ids.get(p).copied());
        dept_ids.insert(&d.name, q::insert_department(&tx, &d.name, parent)?);
        summary.departments += 1;
    }
    let mut ids: HashMap<&str, EmployeeId> = HashMap::new();
    for p in &people {
        let id = q::insert_employee(
            &tx,
            &q::NewEmployeeRow {
                login: &p.login,
                first_name: &p.first_name,
                last_name: &p.last_name,
                email: &p.email,
                position: &p.position,
                department_id: dept_ids.get(p.department.as_str()).copied(),
                hired_on: p.hired_on,
                is_admin: p.is_admin,
                kind: Kind::Employee,
                system_for: None,
                created_at,
            },
        )?;
        if p.structure_access {
            q::grant_structure(&tx, id, None, created_at)?;
        }
        ids.insert(&p.login, id);
        summary.employees += 1;
    }
    let who = |login: &str| -> Result<EmployeeId> {
        ids.get(login)
            .copied()
            .ok_or_else(|| Error::Storage(format!("demo data names an unknown login \"{login}\"")))
    };
    for d in &departments {
        if let Some(head) = &d.head {
            q::set_department_head(&tx, dept_ids[d.name.as_str()], who(head)?)?;
        }
    }
    for h in &hooks {
        let owner = who(&h.owner)?;
        let salt = secret::new_salt()?;
        // Nobody is shown these secrets: the demo's integrations get a fresh URL when
        // their owner regenerates one.
        let code = secret::new_code()?;
        let status: IntegrationStatus = h.status.parse()?;
        let scopes = crate::domain::validate::scopes(&h.scopes.join(","))?;
        q::insert_integration(
            &tx,
            &q::NewIntegration {
                title: &h.title,
                owner_id: owner,
                scopes,
                salt: &salt,
                hash: &secret::hash_code(&salt, &code),
                status,
                created_by: owner,
                created_at: h.created,
            },
        )?;
        summary.integrations += 1;
    }
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    for (n, t) in tasks.iter().enumerate() {
        // Created in the order listed, every two days from January 2026.
        let at = (start + chrono::Duration::days(2 * n as i64))
            .format("%Y-%m-%dT09:00:00Z")
            .to_string();
        let id = bulk::task(
            &tx,
            &t.title,
            &t.status,
            who(&t.creator)?,
            who(&t.responsible)?,
            &at,
        )?;
        for p in &t.participants {
            bulk::task_participant(&tx, id, who(p)?)?;
        }
        summary.tasks += 1;
    }
    for (n, c) in crm.iter().enumerate() {
        let at = (start + chrono::Duration::days(5 * n as i64))
            .format("%Y-%m-%dT10:00:00Z")
            .to_string();
        bulk::crm_item(&tx, &c.kind, &c.title, &c.stage, who(&c.assigned)?, &at)?;
        summary.crm_items += 1;
    }
    for f in &files {
        bulk::file(&tx, &f.name, f.size, &f.folder, who(&f.owner)?, &f.created)?;
        summary.files += 1;
    }
    for m in &mailboxes {
        bulk::mailbox(&tx, &m.address, who(&m.owner)?)?;
        summary.mailboxes += 1;
    }
    for c in &chats {
        let chat = if c.kind == "private" && c.members.len() == 2 {
            bulk::private_chat(&tx, who(&c.members[0])?, who(&c.members[1])?)?
        } else {
            let id = bulk::group_chat(&tx, c.title.as_deref().unwrap_or("Group chat"))?;
            for m in &c.members {
                bulk::chat_member(&tx, id, who(m)?)?;
            }
            id
        };
        for m in &c.messages {
            bulk::message(&tx, chat, who(&m.from)?, &m.text, &m.at)?;
            summary.messages += 1;
        }
    }
    for m in &meetings {
        let id = bulk::meeting(&tx, &m.title, &m.at, who(&m.organizer)?)?;
        for a in &m.attendees {
            bulk::attendee(&tx, id, who(a)?)?;
        }
        summary.meetings += 1;
    }
    for p in &posts {
        bulk::post(&tx, who(&p.author)?, &p.text, &p.at)?;
        summary.posts += 1;
    }
    for g in &groups {
        let id = bulk::group(&tx, &g.name, &g.description)?;
        for m in &g.members {
            bulk::group_member(&tx, id, who(m)?)?;
        }
        summary.groups += 1;
    }
    let admin = who("admin")?;
    // The default offboarding checklist is part of the company, like the rest of what
    // the demo's one audit event covers; the two departures below start it.
    let steps = DEMO_CHECKLIST
        .iter()
        .map(|s| s.parse())
        .collect::<Result<Vec<crate::directory::StepSpec>>>()?;
    crate::directory::seed_checklist_template(&tx, DEMO_CHECKLIST_NAME, &steps, admin, created_at)?;
    q::append_audit(
        &tx,
        created_at,
        admin,
        "demo",
        None,
        &serde_json::json!({ "company": company.name }),
        &door,
    )?;
    // The tasks went in through the bulk statements, which leave the counts to this.
    q::recount_work(&tx)?;
    tx.commit()?;
    dir.mark_demo(&company.name)?;

    // The two departures happen through the real operation, on their dates, so the
    // departure records, system user and audit events are exactly what a user would make.
    for p in people.iter().filter(|p| p.dismissed.is_some()) {
        let d = p.dismissed.as_ref().expect("filtered");
        let day = NaiveDate::parse_from_str(&d.on, "%Y-%m-%d").map_err(|_| {
            Error::Storage(format!("demo dismissal date \"{}\" is malformed", d.on))
        })?;
        let at = Utc.from_utc_datetime(&day.and_hms_opt(16, 30, 0).unwrap_or_default());
        dir.set_clock(Some(at));
        let by = dir.employee(&d.by)?;
        let request = DismissRequest {
            integrations: d
                .integrations
                .as_deref()
                .map(str::parse::<IntegrationChoice>)
                .transpose()?,
            reason: d.reason.as_deref().map(str::parse::<Reason>).transpose()?,
            note: d.note.clone(),
            checklist: Default::default(),
        };
        let result = dir.dismiss(Actor::user(by.id), &p.login, &request);
        dir.set_clock(None);
        result?;
        summary.dismissed += 1;
    }
    Ok(summary)
}
