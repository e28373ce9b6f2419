//! The fields of the portal's entities as `offboard serve` answers them: the user
//! (`user.fields`, and every field of `user.get`, `user.current`, `user.search`), the
//! CRM items and tasks offboard lists (`crm.*.fields`, `tasks.task.getFields`).

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

/// What offboard does with a user field of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// offboard keeps it: `user.add` and `user.update` set it.
    Yes,
    /// Derived or written by the portal itself (ID, dates, presence): clients send it
    /// back with what they read, and the portal ignores it, so offboard does too.
    ReadOnly,
    /// A field offboard does not keep: answered with its empty value; a change to it
    /// is refused rather than dropped, so nobody believes it was saved.
    No,
}

/// Every standard user field (`user.fields`), its title, and whether offboard keeps it.
pub const USER_FIELDS: &[(&str, &str, Kept)] = &[
    ("ID", "ID", Kept::ReadOnly),
    ("XML_ID", "External code", Kept::No),
    ("ACTIVE", "Activity", Kept::Yes),
    ("NAME", "First Name", Kept::Yes),
    ("LAST_NAME", "Last Name", Kept::Yes),
    ("SECOND_NAME", "Middle Name", Kept::No),
    ("TITLE", "Title", Kept::No),
    ("EMAIL", "E-Mail", Kept::Yes),
    ("LAST_LOGIN", "Last Login", Kept::ReadOnly),
    ("DATE_REGISTER", "Registration Date", Kept::ReadOnly),
    ("TIME_ZONE", "Time Zone", Kept::No),
    ("IS_ONLINE", "Online", Kept::ReadOnly),
    ("TIMESTAMP_X", "Last Modified", Kept::ReadOnly),
    ("LAST_ACTIVITY_DATE", "Last Activity Date", Kept::ReadOnly),
    ("PERSONAL_GENDER", "Gender", Kept::Yes),
    ("PERSONAL_PROFESSION", "Profession", Kept::Yes),
    ("PERSONAL_WWW", "Homepage", Kept::No),
    ("PERSONAL_BIRTHDAY", "Birthday", Kept::Yes),
    ("PERSONAL_PHOTO", "Photo", Kept::No),
    ("PERSONAL_ICQ", "ICQ", Kept::No),
    ("PERSONAL_PHONE", "Personal Phone", Kept::No),
    ("PERSONAL_FAX", "Fax", Kept::No),
    ("PERSONAL_MOBILE", "Personal Mobile", Kept::No),
    ("PERSONAL_PAGER", "Pager", Kept::No),
    ("PERSONAL_STREET", "Street Address", Kept::No),
    ("PERSONAL_CITY", "City of Residence", Kept::No),
    ("PERSONAL_STATE", "Region / Territory", Kept::No),
    ("PERSONAL_ZIP", "Postal Code", Kept::No),
    ("PERSONAL_COUNTRY", "Country", Kept::No),
    ("PERSONAL_MAILBOX", "Mailbox", Kept::No),
    ("PERSONAL_NOTES", "Additional Notes", Kept::No),
    ("WORK_PHONE", "Company Phone", Kept::No),
    ("WORK_COMPANY", "Company", Kept::No),
    ("WORK_POSITION", "Position", Kept::Yes),
    ("WORK_DEPARTMENT", "Department", Kept::No),
    ("WORK_WWW", "Company Website", Kept::No),
    ("WORK_FAX", "Work Fax", Kept::No),
    ("WORK_PAGER", "Work Pager", Kept::No),
    ("WORK_STREET", "Work Street", Kept::No),
    ("WORK_MAILBOX", "Work Mailbox", Kept::No),
    ("WORK_CITY", "City of Work", Kept::No),
    ("WORK_STATE", "Work Region", Kept::No),
    ("WORK_ZIP", "Work Postal Code", Kept::No),
    ("WORK_COUNTRY", "Work Country", Kept::No),
    ("WORK_PROFILE", "Work Profile", Kept::No),
    ("WORK_LOGO", "Company Logo", Kept::No),
    ("WORK_NOTES", "Work Notes", Kept::No),
    ("UF_SKYPE_LINK", "Skype Chat Link", Kept::No),
    ("UF_ZOOM", "Zoom", Kept::No),
    ("UF_EMPLOYMENT_DATE", "Employment Date", Kept::ReadOnly),
    ("UF_TIMEMAN", "Time Management", Kept::No),
    ("UF_DEPARTMENT", "Departments", Kept::Yes),
    ("UF_INTERESTS", "Interests", Kept::No),
    ("UF_SKILLS", "Skills", Kept::No),
    ("UF_WEB_SITES", "Other Websites", Kept::No),
    ("UF_XING", "Xing", Kept::No),
    ("UF_LINKEDIN", "LinkedIn", Kept::No),
    ("UF_FACEBOOK", "Facebook", Kept::No),
    ("UF_TWITTER", "Twitter", Kept::No),
    ("UF_SKYPE", "Skype", Kept::No),
    ("UF_DISTRICT", "District", Kept::No),
    ("UF_PHONE_INNER", "Internal Phone", Kept::No),
    ("USER_TYPE", "User Type", Kept::ReadOnly),
];

/// `user.fields`: name → title.
pub fn user_fields() -> Value {
    Value::Object(
        USER_FIELDS
            .iter()
            .map(|(name, title, _)| (name.to_string(), json!(title)))
            .collect(),
    )
}

/// A user field the portal defines, by name in any case.
pub fn user_field(name: &str) -> Option<(&'static str, Kept)> {
    USER_FIELDS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|(n, _, k)| (*n, *k))
}

/// What offboard knows of one user, for the portal's full field set.
pub struct UserView<'a> {
    pub id: i64,
    pub active: bool,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub position: &'a str,
    pub department: Option<i64>,
    pub hired_on: NaiveDate,
    pub user_type: &'a str,
    pub gender: &'a str,
    pub profession: &'a str,
    pub birthday: Option<NaiveDate>,
}

/// A day as the portal writes dates: midnight, with the offset.
fn portal_day(d: NaiveDate) -> String {
    format!("{}T00:00:00+00:00", d.format("%Y-%m-%d"))
}

/// Every field of `USER_FIELDS`: what offboard keeps, the registration and employment
/// dates from the hire date, and the documented empty value of the rest (`""`; the
/// portal's presence flag `IS_ONLINE` is `"N"`, as offboard sees nobody online).
pub fn user_json(u: &UserView<'_>) -> Value {
    let mut m = Map::with_capacity(USER_FIELDS.len());
    for (name, _, _) in USER_FIELDS {
        let v = match *name {
            "ID" => json!(u.id.to_string()),
            "ACTIVE" => json!(u.active),
            "NAME" => json!(u.first_name),
            "LAST_NAME" => json!(u.last_name),
            "EMAIL" => json!(u.email),
            "WORK_POSITION" => json!(u.position),
            "UF_DEPARTMENT" => json!(u.department.map(|d| vec![d]).unwrap_or_default()),
            "DATE_REGISTER" | "UF_EMPLOYMENT_DATE" => json!(portal_day(u.hired_on)),
            "IS_ONLINE" => json!("N"),
            "USER_TYPE" => json!(u.user_type),
            "PERSONAL_GENDER" => json!(u.gender),
            "PERSONAL_PROFESSION" => json!(u.profession),
            "PERSONAL_BIRTHDAY" => json!(u.birthday.map(portal_day).unwrap_or_default()),
            _ => json!(""),
        };
        m.insert(name.to_string(), v);
    }
    Value::Object(m)
}

/// One field of a CRM item as `crm.*.fields` describes it.
fn crm_field(kind: &str, title: &str, read_only: bool, required: bool) -> Value {
    json!({
        "type": kind,
        "isRequired": required,
        "isReadOnly": read_only,
        "isImmutable": false,
        "isMultiple": false,
        "isDynamic": false,
        "title": title,
    })
}

/// `crm.deal.fields` and friends: the fields offboard's `crm.*.list` answers with.
pub fn crm_fields(kind: &str) -> Value {
    let mut m = Map::new();
    m.insert("ID".into(), crm_field("integer", "ID", true, false));
    m.insert("TITLE".into(), crm_field("string", "Title", false, true));
    m.insert(
        "ASSIGNED_BY_ID".into(),
        crm_field("user", "Responsible person", false, false),
    );
    m.insert(
        "STAGE_ID".into(),
        crm_field("crm_status", "Stage", false, false),
    );
    if kind == "lead" {
        m.insert(
            "STATUS_ID".into(),
            crm_field("crm_status", "Status", false, false),
        );
    }
    Value::Object(m)
}

/// `tasks.task.getFields`: the fields offboard's `tasks.task.list` answers with.
pub fn task_fields() -> Value {
    json!({
        "fields": {
            "ID": { "title": "ID", "type": "integer", "primary": true },
            "TITLE": { "title": "Name", "type": "string", "required": true },
            "STATUS": {
                "title": "Status",
                "type": "enum",
                "values": { "2": "Pending", "3": "In progress", "5": "Completed" },
                "default": 2
            },
            "CREATED_BY": { "title": "Created by", "type": "integer", "required": true },
            "RESPONSIBLE_ID": { "title": "Assignee", "type": "integer", "required": true },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_user_field_is_answered_and_named() {
        let day = NaiveDate::from_ymd_opt(2020, 3, 1).unwrap();
        let u = user_json(&UserView {
            id: 7,
            active: true,
            first_name: "Ana",
            last_name: "Costa",
            email: "ana@x.test",
            position: "Dev",
            department: Some(3),
            hired_on: day,
            user_type: "employee",
            gender: "",
            profession: "",
            birthday: None,
        });
        let names = user_fields();
        for (name, _, _) in USER_FIELDS {
            assert!(u.get(*name).is_some(), "{name}");
            assert!(names[*name].is_string(), "{name}");
        }
        assert_eq!(u["ID"], json!("7"));
        assert_eq!(u["UF_DEPARTMENT"], json!([3]));
        assert_eq!(u["DATE_REGISTER"], json!("2020-03-01T00:00:00+00:00"));
        assert_eq!(u["PERSONAL_GENDER"], json!(""));
        assert_eq!(
            user_field("personal_gender"),
            Some(("PERSONAL_GENDER", Kept::Yes))
        );
        assert_eq!(user_field("personal_icq"), Some(("PERSONAL_ICQ", Kept::No)));
        assert_eq!(user_field("NOT_A_FIELD"), None);
    }
}
