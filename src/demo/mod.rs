//! The demo company: a small, hand-written one from `assets/demo/`, and a large
//! synthetic one for measuring scale.

mod large;
mod small;

use std::fmt;

pub use large::{LargeSpec, build_large, build_large_unless};
pub use small::build_small;

/// What a demo build made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub company: String,
    pub employees: i64,
    pub departments: i64,
    pub dismissed: i64,
    pub tasks: i64,
    pub crm_items: i64,
    pub files: i64,
    pub mailboxes: i64,
    pub messages: i64,
    pub meetings: i64,
    pub posts: i64,
    pub groups: i64,
    pub integrations: i64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} employees ({} dismissed) in {} departments; {} tasks, {} CRM items, {} files, {} mailboxes, {} messages, {} meetings, {} feed posts, {} groups, {} integrations.",
            self.employees,
            self.dismissed,
            self.departments,
            self.tasks,
            self.crm_items,
            self.files,
            self.mailboxes,
            self.messages,
            self.meetings,
            self.posts,
            self.groups,
            self.integrations
        )
    }
}
