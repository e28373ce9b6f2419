//! `offboard demo`: a demo company in a file of its own (see `build`).

use std::io::Write;
use std::path::Path;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::args::DemoSize;
use super::{build, progress};
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
            (Some(n), _) => build_large(dir, demo::LargeSpec::for_employees(n), stop),
            (None, DemoSize::Small) => demo::build_small(dir),
            (None, DemoSize::Large) => build_large(dir, demo::LargeSpec::scaled(scale), stop),
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

/// The large company, with a progress bar on a terminal: a second thread reads how far
/// the build has come ten times a second; the build itself only counts.
fn build_large(
    dir: &mut Directory,
    spec: demo::LargeSpec,
    stop: &AtomicBool,
) -> Result<demo::Summary> {
    if !progress::on_terminal() {
        return demo::build_large_unless(dir, spec, stop);
    }
    let bar = progress::bar(spec.rows(), "Building", progress::Unit::Rows);
    let watched = demo::BuildProgress::default();
    let finished = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        let ticker = scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                bar.set_position(watched.rows().min(spec.rows()));
                bar.set_message(watched.stage());
                std::thread::park_timeout(Duration::from_millis(100));
            }
        });
        let result = demo::build_large_watched(dir, spec, stop, &watched);
        finished.store(true, Ordering::Relaxed);
        ticker.thread().unpark();
        let _ = ticker.join();
        result
    });
    progress::end(&bar, &result, "built");
    result
}
