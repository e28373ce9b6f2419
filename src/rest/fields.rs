//! The fields of the portal's entities as `offboard serve` answers them: the user
//! (`user.fields`, and every field of `user.get`, `user.current`, `user.search`), the
//! CRM items and tasks offboard lists (`crm.*.fields`, `tasks.task.getFields`).

use chrono::{Datelike, NaiveDate};
use std::sync::LazyLock;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
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

/// What offboard knows of one user, for the portal's full field set. It is written
/// straight to the answer (`Serialize`), without a map of sixty fields per user.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalUser {
    pub id: i64,
    pub active: bool,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub department: Option<i64>,
    pub hired_on: NaiveDate,
    pub user_type: &'static str,
    pub gender: String,
    pub profession: String,
    pub birthday: Option<NaiveDate>,
}

/// Where the value of each of `USER_FIELDS` comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Id,
    Active,
    FirstName,
    LastName,
    Email,
    Position,
    Department,
    Hired,
    Online,
    UserType,
    Gender,
    Profession,
    Birthday,
    Empty,
}

fn source(name: &str) -> Source {
    match name {
        "ID" => Source::Id,
        "ACTIVE" => Source::Active,
        "NAME" => Source::FirstName,
        "LAST_NAME" => Source::LastName,
        "EMAIL" => Source::Email,
        "WORK_POSITION" => Source::Position,
        "UF_DEPARTMENT" => Source::Department,
        "DATE_REGISTER" | "UF_EMPLOYMENT_DATE" => Source::Hired,
        "IS_ONLINE" => Source::Online,
        "USER_TYPE" => Source::UserType,
        "PERSONAL_GENDER" => Source::Gender,
        "PERSONAL_PROFESSION" => Source::Profession,
        "PERSONAL_BIRTHDAY" => Source::Birthday,
        _ => Source::Empty,
    }
}

/// The fields offboard does not keep that the portal sends in every user, set or not
/// (its documented answers of `user.get` and `user.current`; the SDK's tests look for
/// them): each is answered with its empty value. The portal sends any other field
/// only when it holds a value (a user without a mobile number has no `PERSONAL_MOBILE`
/// in the answer); offboard keeps none of those, so it leaves them out as the portal
/// does. `user.fields` names them all.
pub const ALWAYS_ANSWERED: &[&str] = &[
    "XML_ID",
    "LAST_LOGIN",
    "TIME_ZONE",
    "TIMESTAMP_X",
    "LAST_ACTIVITY_DATE",
];

/// The fields of a user's answer, in `USER_FIELDS`' order, with the source of each:
/// every field offboard keeps or derives, and `ALWAYS_ANSWERED`. Worked out once.
static SOURCES: LazyLock<Vec<(&'static str, Source)>> = LazyLock::new(|| {
    USER_FIELDS
        .iter()
        .map(|(name, _, _)| (*name, source(name)))
        .filter(|(name, from)| *from != Source::Empty || ALWAYS_ANSWERED.contains(name))
        .collect()
});

/// The names of the fields every user's answer carries.
pub fn answered_user_fields() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(name, _)| *name)
}

/// A day as the portal writes dates: midnight, with the offset.
struct PortalDay(NaiveDate);

impl std::fmt::Display for PortalDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T00:00:00+00:00",
            d.year(),
            d.month(),
            d.day()
        )
    }
}

/// One field's value, borrowed where offboard keeps it as text, written without an
/// allocation of its own.
enum FieldValue<'a> {
    Text(&'a str),
    Number(i64),
    Day(Option<NaiveDate>),
    Bool(bool),
    Ids(Option<i64>),
}

impl Serialize for FieldValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Text(t) => s.serialize_str(t),
            // The portal writes ids as strings.
            FieldValue::Number(n) => s.collect_str(n),
            FieldValue::Day(Some(d)) => s.collect_str(&PortalDay(*d)),
            FieldValue::Day(None) => s.serialize_str(""),
            FieldValue::Bool(b) => s.serialize_bool(*b),
            FieldValue::Ids(None) => s.serialize_seq(Some(0))?.end(),
            FieldValue::Ids(Some(d)) => {
                let mut seq = s.serialize_seq(Some(1))?;
                seq.serialize_element(d)?;
                seq.end()
            }
        }
    }
}

impl PortalUser {
    /// Every field of `USER_FIELDS`: what offboard keeps, the registration and
    /// employment dates from the hire date, and the documented empty value of the rest
    /// (`""`; the portal's presence flag `IS_ONLINE` is `"N"`, as offboard sees nobody
    /// online).
    fn value(&self, from: Source) -> FieldValue<'_> {
        match from {
            Source::Id => FieldValue::Number(self.id),
            Source::Active => FieldValue::Bool(self.active),
            Source::FirstName => FieldValue::Text(&self.first_name),
            Source::LastName => FieldValue::Text(&self.last_name),
            Source::Email => FieldValue::Text(&self.email),
            Source::Position => FieldValue::Text(&self.position),
            Source::Department => FieldValue::Ids(self.department),
            Source::Hired => FieldValue::Day(Some(self.hired_on)),
            Source::Online => FieldValue::Text("N"),
            Source::UserType => FieldValue::Text(self.user_type),
            Source::Gender => FieldValue::Text(&self.gender),
            Source::Profession => FieldValue::Text(&self.profession),
            Source::Birthday => FieldValue::Day(self.birthday),
            Source::Empty => FieldValue::Text(""),
        }
    }

    /// One field by its exact name, as a batch reference (`$result[a][0][ID]`) reads it.
    pub fn field(&self, name: &str) -> Option<Value> {
        let from = SOURCES.iter().find(|(n, _)| *n == name)?.1;
        serde_json::to_value(self.value(from)).ok()
    }
}

impl Serialize for PortalUser {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(SOURCES.len()))?;
        for (name, from) in SOURCES.iter() {
            m.serialize_entry(name, &self.value(*from))?;
        }
        m.end()
    }
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
pub(crate) mod tests {
    use super::*;

    /// One user, as the tests of this module and of `payload` read her.
    pub(crate) fn ana() -> PortalUser {
        PortalUser {
            id: 7,
            active: true,
            first_name: "Ana".into(),
            last_name: "Costa".into(),
            email: "ana@x.test".into(),
            position: "Dev".into(),
            department: Some(3),
            hired_on: NaiveDate::from_ymd_opt(2020, 3, 1).unwrap(),
            user_type: "employee",
            gender: String::new(),
            profession: String::new(),
            birthday: None,
        }
    }

    #[test]
    fn every_user_field_is_answered_and_named() {
        let user = ana();
        let u = serde_json::to_value(&user).unwrap();
        let answered: Vec<&str> = answered_user_fields().collect();
        assert_eq!(u.as_object().unwrap().len(), answered.len());
        for name in [
            "ID",
            "XML_ID",
            "TIME_ZONE",
            "PERSONAL_BIRTHDAY",
            "WORK_POSITION",
            "USER_TYPE",
        ] {
            assert!(answered.contains(&name), "{name}");
        }
        // Fields the portal sends only when set are left out, as it leaves them out.
        assert_eq!(u.get("PERSONAL_ICQ"), None);
        assert_eq!(u.get("SECOND_NAME"), None);
        assert_eq!(user.field("ID"), Some(json!("7")));
        assert_eq!(user.field("UF_DEPARTMENT"), Some(json!([3])));
        assert_eq!(user.field("ACTIVE"), Some(json!(true)));
        assert_eq!(user.field("id"), None);
        let names = user_fields();
        for (name, _, _) in USER_FIELDS {
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
