//! The real `offboard` binary, run the way the end-to-end tests need it: every
//! OFFBOARD_* variable and XDG_CONFIG_HOME of the calling environment removed, HOME and the data folder
//! (XDG_DATA_HOME, where the log goes) inside the test's own folder, and no standard
//! input, so nothing a test does can touch a real user's data or wait for a keyboard.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_offboard");

/// The data folder the binary is given under `home`.
pub fn data_dir(home: &Path) -> PathBuf {
    home.join("data")
}

/// Where the binary's log file ends up under `home`.
pub fn log_file(home: &Path) -> PathBuf {
    data_dir(home).join("offboard").join("offboard.log")
}

/// `offboard ARGS --db DB` with the clean environment described above, run in `home`.
pub fn command(home: &Path, db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("OFFBOARD_") {
            c.env_remove(&k);
        }
    }
    // The config file too: a real user's ~/.config/offboard or $XDG_CONFIG_HOME must
    // not change what a test sees.
    c.env_remove("XDG_CONFIG_HOME");
    c.env("HOME", home)
        .env("XDG_DATA_HOME", data_dir(home))
        .current_dir(home)
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null());
    c
}

/// The names in `folder`, sorted: what a command (or a build) left there.
pub fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
