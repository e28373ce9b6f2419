//! `offboard demo`: a demo company in a file of its own (see `build`).

use std::io::Write;
use std::path::Path;

use super::args::DemoSize;
use super::build;
use crate::domain::text::escape;
use crate::domain::{Error, Result};
use crate::{Directory, demo};

/// Create the demo company at `path`, which must not hold a company yet.
pub(super) fn create(
    path: &Path,
    size: DemoSize,
    scale: i64,
    employees: Option<i64>,
    out: &mut dyn Write,
) -> Result<()> {
    // Anything but an empty file must be an offboard database without a company yet.
    if build::holds_something(path) {
        let dir = Directory::open(path)?;
        if !dir.is_empty()? {
            return Err(Error::WrongState(
                format!(
                    "{} already holds a company: pass another --db, or remove the file first",
                    path.display()
                )
                .into(),
            ));
        }
    }
    let summary = build::build_into(path, "the demo company", |dir, stop| {
        match (employees, size) {
            (Some(n), _) => demo::build_large_unless(dir, demo::LargeSpec::for_employees(n), stop),
            (None, DemoSize::Small) => demo::build_small(dir),
            (None, DemoSize::Large) => {
                demo::build_large_unless(dir, demo::LargeSpec::scaled(scale), stop)
            }
        }
    })?;
    writeln!(
        out,
        "Created the demo company \"{}\" at {}.",
        summary.company,
        escape(&path.display().to_string())
    )?;
    writeln!(out, "{summary}")?;
    writeln!(
        out,
        "Sign in as admin (administrator), hr (company-structure access) or jdoe (no rights) with --as LOGIN."
    )?;
    Ok(())
}
