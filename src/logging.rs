//! The log: `offboard.log` in the data folder, never the terminal the TUI draws on. It
//! rotates by size and keeps a bounded number of files, so nothing a client sends can
//! fill the disk through it; every file is mode 0600 in a 0700 folder.
//!
//! Rotation is the `rolling-file` crate's (`offboard.log` → `offboard.log.1` → … up to
//! `offboard.log.4`, the oldest removed). It was chosen over `file-rotate`, which
//! asserts (panics) when another process has rotated the files under it, as happens here
//! when `serve`, the TUI and commands share one log; `rolling-file` tolerates that and
//! needs only `chrono`. `tracing-appender` rotates by time only. One thing it does that
//! we would rather it did not: should a rename be refused (not merely find no file), it
//! says so on stderr and keeps writing to the current file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local};
use rolling_file::{RollingCondition, RollingFileAppender};

/// The log's name in the data folder.
pub const LOG_FILE: &str = "offboard.log";
/// A file that has reached this size is rotated before the next line (10 MiB).
pub const LOG_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// How many files are kept: `offboard.log` and four rotated ones (at most ~50 MiB).
pub const LOG_FILES: usize = 5;
/// What a client sends is logged cut to this many characters, with a marker saying so.
pub const LOGGED_INPUT_CHARS: usize = 200;
/// For tests only: a smaller size limit than `LOG_MAX_BYTES`, in bytes.
pub const MAX_BYTES_VAR: &str = "OFFBOARD_LOG_MAX_BYTES";

/// Rotate once the file has reached `max` bytes; remember that it did, so the new file
/// can be made private.
#[derive(Debug)]
struct BySize {
    max: u64,
    rotated: bool,
}

impl RollingCondition for BySize {
    fn should_rollover(&mut self, _now: &DateTime<Local>, current_size: u64) -> bool {
        let due = current_size >= self.max;
        self.rotated |= due;
        due
    }
}

/// The log file, rotating by size. Writes go straight to the file (no buffer), so a
/// line is never lost when the process ends and each line is one append.
pub struct LogFile {
    appender: RollingFileAppender<BySize>,
    path: PathBuf,
}

impl LogFile {
    /// Open (or create, mode 0600) the log at `path`, keeping `files` files of about
    /// `max_bytes` each. The folder must exist.
    pub fn open(path: &Path, max_bytes: u64, files: usize) -> io::Result<LogFile> {
        if !path.exists() {
            match crate::files::create_private_file(path) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
        }
        make_private(path)?;
        let condition = BySize {
            max: max_bytes.max(1),
            rotated: false,
        };
        let appender = RollingFileAppender::new_with_buffer_capacity(
            path,
            condition,
            files.saturating_sub(1).max(1),
            0,
        )?;
        Ok(LogFile {
            appender,
            path: path.to_path_buf(),
        })
    }
}

impl Write for LogFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.appender.write(buf)?;
        // The crate creates the new file with the default mode: narrow it at once (the
        // folder is 0700, so nobody else could open it meanwhile).
        if std::mem::take(&mut self.appender.condition_mut().rotated) {
            make_private(&self.path)?;
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.appender.flush()
    }
}

#[cfg(unix)]
fn make_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn make_private(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// The size limit: `LOG_MAX_BYTES`, or a positive `OFFBOARD_LOG_MAX_BYTES` (for tests).
fn max_bytes() -> u64 {
    std::env::var(MAX_BYTES_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(LOG_MAX_BYTES)
}

/// Log to `LOG_FILE` in `dir` (created 0700 if missing) at the level of `OFFBOARD_LOG`
/// (info by default). Without a usable folder or file there is no log, never an error.
pub fn init(dir: &Path) {
    if crate::files::create_private_dir(dir).is_err() {
        return;
    }
    let Ok(file) = LogFile::open(&dir.join(LOG_FILE), max_bytes(), LOG_FILES) else {
        return;
    };
    let filter = std::env::var("OFFBOARD_LOG").unwrap_or_else(|_| "info".into());
    let level = match filter.to_ascii_lowercase().as_str() {
        "trace" => tracing::Level::TRACE,
        "debug" => tracing::Level::DEBUG,
        "warn" => tracing::Level::WARN,
        "error" => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_log_rotates_by_size_and_keeps_a_bounded_number_of_private_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join(LOG_FILE);
        let mut log = LogFile::open(&path, 1_000, 5).expect("open");
        // One write per line, as tracing writes each event.
        for i in 0..200 {
            let line = format!("line {i:04} {}\n", "x".repeat(80));
            log.write_all(line.as_bytes()).expect("write");
        }
        drop(log);
        assert_eq!(
            names(tmp.path()),
            [
                "offboard.log",
                "offboard.log.1",
                "offboard.log.2",
                "offboard.log.3",
                "offboard.log.4"
            ]
        );
        for name in names(tmp.path()) {
            let p = tmp.path().join(&name);
            let len = std::fs::metadata(&p).expect("metadata").len();
            assert!(len <= 1_000 + 100, "{name} has {len} bytes");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&p)
                    .expect("metadata")
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{name}");
            }
            // Whole lines only: rotation happens between writes.
            let text = std::fs::read_to_string(&p).expect("read");
            assert!(
                text.lines()
                    .all(|l| l.starts_with("line ") && l.len() == 90)
            );
        }
        let newest = std::fs::read_to_string(&path).expect("read");
        assert!(newest.contains("line 0199"), "{newest}");
        let oldest = std::fs::read_to_string(tmp.path().join("offboard.log.4")).expect("read");
        assert!(!oldest.contains("line 0000 "), "the oldest lines are gone");
    }

    #[test]
    fn an_existing_log_is_appended_to_and_counted() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join(LOG_FILE);
        std::fs::write(&path, "x".repeat(2_000)).expect("write");
        let mut log = LogFile::open(&path, 1_000, 5).expect("open");
        writeln!(log, "after").expect("write");
        drop(log);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "after\n");
        assert_eq!(
            std::fs::read(tmp.path().join("offboard.log.1"))
                .expect("read")
                .len(),
            2_000
        );
    }
}
