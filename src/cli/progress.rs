//! Progress bars for long work (`demo --size large`, a large import, a large export to a
//! file), drawn by indicatif on stderr only when stderr is a terminal: a pipe, a file or
//! a script gets nothing, and stdout never does. A finished bar stays on its line, so the
//! terminal shows what was done and how long it took.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// An import of a file this large or larger shows a bar.
pub(super) const IMPORT_BAR_FROM: u64 = 256 * 1024;

/// An export of this many employees or more shows a bar.
pub(super) const EXPORT_BAR_FROM: i64 = 1_000;

/// Whether bars are drawn at all: stderr is a terminal.
pub(super) fn on_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// What a bar counts.
#[derive(Debug, Clone, Copy)]
pub(super) enum Unit {
    Bytes,
    Rows,
}

/// A bar of `len` units, its line starting with `what`; hidden (drawing nothing) when
/// stderr is not a terminal.
pub(super) fn bar(len: u64, what: &str, unit: Unit) -> ProgressBar {
    if !on_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template = match unit {
        Unit::Bytes => "{prefix} [{bar:40}] {percent:>3}% {bytes}/{total_bytes} {msg} {elapsed}",
        Unit::Rows => "{prefix} [{bar:40}] {percent:>3}% {human_pos}/{human_len} {msg} {elapsed}",
    };
    // Plain ASCII: readable on any terminal, with or without colour.
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}

/// End a bar: on success it fills and stays; on failure it is cleared, so the error
/// line that follows stands alone.
pub(super) fn end<T, E>(bar: &ProgressBar, result: &Result<T, E>, done: &str) {
    match result {
        Ok(_) => {
            if let Some(len) = bar.length() {
                bar.set_position(len);
            }
            bar.finish_with_message(done.to_string());
        }
        Err(_) => bar.finish_and_clear(),
    }
}
