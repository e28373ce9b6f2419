//! The demo company: a small, hand-written one from `assets/demo/`, and a large
//! synthetic one for measuring scale.

mod large;
mod small;

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

pub use large::{LargeSpec, build_large, build_large_unless, build_large_watched};
pub use small::build_small;

/// How far a large build has come, for whoever shows it (the command line's progress
/// bar): the rows written so far, counted every few thousand, and the stage it is in.
/// The build only stores into it; reading it from another thread costs the build
/// nothing.
#[derive(Debug, Default)]
pub struct BuildProgress {
    rows: AtomicU64,
    stage: AtomicUsize,
}

/// The stages of a large build, in order: `BuildProgress::stage` is an index into it.
pub const BUILD_STAGES: &[&str] = &[
    "employees",
    "tasks, CRM items, files, messages and search index",
    "indexes",
    "tasks and search index into place",
    "counts",
    "statistics",
    "done",
];

impl BuildProgress {
    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows.load(Ordering::Relaxed)
    }

    /// The name of the stage under way.
    pub fn stage(&self) -> &'static str {
        let i = self.stage.load(Ordering::Relaxed);
        BUILD_STAGES[i.min(BUILD_STAGES.len() - 1)]
    }

    fn add(&self, rows: u64) {
        self.rows.fetch_add(rows, Ordering::Relaxed);
    }

    fn enter(&self, stage: &str) {
        if let Some(i) = BUILD_STAGES.iter().position(|s| *s == stage) {
            self.stage.store(i, Ordering::Relaxed);
        }
    }
}

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
