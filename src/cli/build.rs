//! Making a new company file (`demo`, and `--demo` on first use). The company is built
//! in a file of its own beside the target, `<name>.building-<pid>`, and renamed onto
//! the target only once it is complete. Whatever stops the build (an error, Ctrl-C,
//! `kill`, a lost SSH connection) the target never holds half a company: on an error
//! or a signal the new file is removed and the target is as it was; after a crash only
//! the `.building-<pid>` file is left, and the target is still untouched.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::Directory;
use crate::demo::Summary;
use crate::domain::{Error, Result};

/// The signals that stop a build: Ctrl-C, `kill`, a closed terminal.
const STOP_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];

/// The file a build for `path` is written to.
pub(super) fn building_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".building-{}", std::process::id()));
    path.with_file_name(name)
}

/// A database file with the journal files SQLite may keep beside it.
pub(super) fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}

/// Set by a stop signal while a build runs; the number says which.
struct Stop {
    asked: Arc<AtomicBool>,
    which: Arc<AtomicUsize>,
}

impl Stop {
    /// Listen from now to the end of the process (signal-hook cannot hand a signal back
    /// to its default action). What runs after a build is short (the summary), or is
    /// the TUI or `serve`, which add their own handling of the same signals.
    fn listen() -> Result<Stop> {
        let stop = Stop {
            asked: Arc::new(AtomicBool::new(false)),
            which: Arc::new(AtomicUsize::new(0)),
        };
        // Actions run in the order they were registered: the number is stored before
        // the flag is raised, so whoever sees the flag also sees which signal it was.
        for sig in STOP_SIGNALS {
            signal_hook::flag::register_usize(sig, Arc::clone(&stop.which), sig as usize)
                .and_then(|_| signal_hook::flag::register(sig, Arc::clone(&stop.asked)))
                .map_err(|e| Error::Io(format!("cannot listen for Ctrl-C: {e}")))?;
        }
        Ok(stop)
    }

    fn signal(&self) -> Option<i32> {
        if !self.asked.load(Ordering::SeqCst) {
            return None;
        }
        // Set before `asked` (see `listen`); a signal's number is always small.
        Some(i32::try_from(self.which.load(Ordering::SeqCst)).unwrap_or(0))
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
    let stop = Stop::listen()?;
    // An empty file there is replaced; a file that appears meanwhile is not.
    let replace = path.exists();
    let building = building_path(path);
    let made = Directory::create(&building).and_then(|mut dir| {
        let summary = build(&mut dir, &stop.asked)?;
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
    let with = |p: &Path, suffix: &str| {
        let mut name = p.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    if std::fs::metadata(with(building, "-wal")).is_ok_and(|m| m.len() > 0) {
        return Err(Error::Io(format!(
            "{} still has changes outside the main file; nothing was moved",
            building.display()
        )));
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with(building, suffix));
        if replace {
            let _ = std::fs::remove_file(with(path, suffix));
        }
    }
    let cannot = |e: std::io::Error| {
        Error::Io(format!(
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
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::WrongState(format!(
            "{} was created by another process while this one was building; it is left as it is",
            path.display()
        ))),
        // A file system without hard links.
        Err(_) => std::fs::rename(building, path).map_err(cannot),
    }
}
