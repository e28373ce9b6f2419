//! What SQLite's errors mean to a user: the store is the only place that knows them.

use rusqlite::ErrorCode;

use super::BUSY_TIMEOUT;
use crate::domain::Error;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    return Error::Busy(BUSY_TIMEOUT.as_secs());
                }
                ErrorCode::ReadOnly => {
                    return Error::ReadOnly("file".into());
                }
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                    return Error::NotOffboard {
                        path: "the file".into(),
                        why: msg.clone().unwrap_or_else(|| "it is damaged".into()),
                    };
                }
                ErrorCode::CannotOpen => {
                    return Error::other(format!("cannot open the database: {e}"));
                }
                ErrorCode::DiskFull => {
                    return Error::other("the disk is full: nothing was changed");
                }
                _ => {}
            }
        }
        // Its Display quotes the whole statement (a migration is hundreds of lines):
        // what went wrong is the message alone.
        if let rusqlite::Error::SqlInputError { msg, .. } = &e {
            return Error::Storage(msg.clone());
        }
        Error::Storage(e.to_string())
    }
}
