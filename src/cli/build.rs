//! Making a new company file (`demo`, and `--demo` on first use). The company is built
//! in a file of its own beside the target, `<name>.building-<pid>`, and renamed onto
//! the target only once it is complete. Whatever stops the build (an error, Ctrl-C,
//! `kill`, a lost SSH connection) the target never holds half a company: on an error
//! or a signal the new file is removed and the target is as it was; after a crash only
//! the `.building-<pid>` file is left, and the target is still untouched.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::Directory;
use crate::demo::Summary;
use crate::domain::{Error, Result};
use crate::stop::Stop;

/// `path` with `suffix` added to its name: `x.db` → `x.db-wal`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether a file at `path` holds anything: an empty one (made by `touch`, say) is as
/// good as none, and a company may be made there.
pub(super) fn holds_something(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// A database file with the journal files SQLite may keep beside it.
fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(beside(path, suffix));
    }
}

/// Build a new company for `path` with `build`, which is given a flag to stop at when a
/// signal comes, and move it onto `path` when it is complete. `path` must not hold a
/// company (the caller checks); an empty database there is replaced.
pub(super) fn build_into(
    path: &Path,
    what: &str,
    build: impl FnOnce(&mut Directory, &AtomicBool) -> Result<Summary>,
) -> Result<Summary> {
    // Stop signals are heard from now to the end of the process: what follows a build
    // is short (the summary), or the TUI or `serve`, which handle them themselves.
    let stop = Stop::listen().map_err(|e| Error::io("cannot listen for Ctrl-C", &e))?;
    // An empty file there is replaced; a file that appears meanwhile is not. A FIFO,
    // a device or a folder is not a file to replace.
    let replace = path.exists();
    if replace {
        crate::store::refuse_unless_regular(path)?;
    }
    let building = beside(path, &format!(".building-{}", std::process::id()));
    let made = Directory::create(&building).and_then(|mut dir| {
        // The events the build writes record the operator who ran it.
        dir.set_door(crate::operator::local_door());
        let summary = build(&mut dir, stop.asked())?;
        // Everything into the main file, so that it is whole on its own when renamed.
        dir.connection_mut()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(summary)
    });
    // The connection is closed by now (dropped inside the closure).
    let finished = match (made, stop.signal()) {
        (_, Some(signal)) => Err(Error::Interrupted {
            signal,
            what: format!("{what} was not created, and nothing was left behind"),
        }),
        (Ok(summary), None) => move_into_place(&building, path, replace).map(|()| summary),
        (Err(e), None) => Err(e),
    };
    if finished.is_err() {
        remove_database_files(&building);
    }
    finished
}

/// Put the finished file at `path`: renamed over the empty file it replaces (after
/// removing that file's journal files, which are not the new file's), or linked in only
/// if nothing is there, so that a company another process made meanwhile is kept.
fn move_into_place(building: &Path, path: &Path, replace: bool) -> Result<()> {
    if holds_something(&beside(building, "-wal")) {
        return Err(Error::other(format!(
            "{} still has changes outside the main file; nothing was moved",
            building.display()
        )));
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(building, suffix));
        if replace {
            let _ = std::fs::remove_file(beside(path, suffix));
        }
    }
    let cannot = |e: std::io::Error| {
        Error::other(format!(
            "cannot move the new company from {} to {}: {e}",
            building.display(),
            path.display()
        ))
    };
    if replace {
        return std::fs::rename(building, path).map_err(cannot);
    }
    match std::fs::hard_link(building, path) {
        Ok(()) => std::fs::remove_file(building).map_err(cannot),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::WrongState(
            format!(
                "{} was created by another process while this one was building; it is left as it is",
                path.display()
            )
            .into(),
        )),
        // A file system without hard links.
        Err(_) => std::fs::rename(building, path).map_err(cannot),
    }
}
