//! The one error type of offboard: every message says what a user needs to know.

use super::IntegrationBrief;

/// What went wrong, in the words a user needs. The variant decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule of SPEC §2 refused the acting user.
    #[error("{0}")]
    Denied(String),
    /// A login, integration or record that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The target is in the wrong state for this change (dismissing the dismissed, …).
    #[error("{0}")]
    WrongState(String),
    /// Something unique (login, email, mailbox) is already taken.
    #[error("{0}")]
    Duplicate(String),
    /// A portal setting forbids it (`show_dismissed`).
    #[error("{0}")]
    SettingOff(String),
    /// The employee owns active integrations and no keep/disable choice was made.
    /// `message` names them; the command line's way to choose is added when shown
    /// (the REST endpoint names its own parameter instead).
    #[error("{message}: choose --integrations keep or --integrations disable")]
    ChoiceNeeded {
        message: String,
        integrations: Vec<IntegrationBrief>,
    },
    /// The acting user is dismissed (or cannot sign in at all).
    #[error("access revoked: {0}")]
    AccessRevoked(String),
    /// Input that breaks a documented format or limit.
    #[error("{0}")]
    Invalid(String),
    /// Another process held the database longer than the busy timeout.
    #[error(
        "the database is busy: another offboard process held it for more than {0} seconds; nothing was changed, try again"
    )]
    Busy(u64),
    /// The file cannot be written.
    #[error("the database {0} is read-only: nothing was changed")]
    ReadOnly(String),
    /// The file is not an offboard database or is damaged.
    #[error("{path} is not a usable offboard database: {why}")]
    NotOffboard { path: String, why: String },
    /// The schema is newer than this program understands.
    #[error(
        "{path} was written by a newer offboard (schema version {found}; this program knows up to {known}): upgrade offboard to open it"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    /// A signal (Ctrl-C, `kill`) stopped a long command before it changed anything.
    #[error("stopped by {}: {what}", signal_name(*signal))]
    Interrupted { signal: i32, what: String },
    #[error("{0}")]
    Io(String),
    #[error("database error: {0}")]
    Storage(String),
}

impl Error {
    /// Exit status per SPEC §5: 2 bad usage, 3 refused by a rule, 1 anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_) => 2,
            Error::Denied(_)
            | Error::NotFound(_)
            | Error::WrongState(_)
            | Error::Duplicate(_)
            | Error::SettingOff(_)
            | Error::ChoiceNeeded { .. }
            | Error::AccessRevoked(_) => 3,
            Error::Busy(_)
            | Error::ReadOnly(_)
            | Error::NotOffboard { .. }
            | Error::TooNew { .. }
            | Error::Io(_)
            | Error::Storage(_) => 1,
            // What a shell reports for a process that a signal ended.
            Error::Interrupted { signal, .. } => 128 + signal,
        }
    }

    /// True when a rule refused the change (as opposed to bad input or a failure).
    pub fn is_refusal(&self) -> bool {
        self.exit_code() == 3
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The name of a stop signal (POSIX numbers), or "signal N".
fn signal_name(signal: i32) -> String {
    match signal {
        1 => "SIGHUP".into(),
        2 => "SIGINT (Ctrl-C)".into(),
        15 => "SIGTERM".into(),
        n => format!("signal {n}"),
    }
}
