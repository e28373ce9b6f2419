//! `offboard completions bash|zsh|fish` and `offboard man`: generated from the same clap
//! types that parse the arguments (clap_complete, clap_mangen), so they can never name a
//! flag the program does not take. Neither opens a database.

use std::io::Write;

use clap::CommandFactory;

use super::args::{Cli, ShellArg};
use crate::domain::{Error, Result};

/// The completion script for `shell`, on `out`.
pub(super) fn completions(shell: ShellArg, out: &mut dyn Write) -> Result<()> {
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
    };
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "offboard", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// The manual page in roff, with a section for every subcommand, on `out`.
pub(super) fn man(out: &mut dyn Write) -> Result<()> {
    let cmd = Cli::command();
    let mut page = Vec::new();
    let cannot = |e: std::io::Error| Error::io("cannot write the manual page", &e);
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut page).map_err(cannot)?;
    man.render_name_section(&mut page).map_err(cannot)?;
    man.render_synopsis_section(&mut page).map_err(cannot)?;
    man.render_description_section(&mut page).map_err(cannot)?;
    man.render_options_section(&mut page).map_err(cannot)?;
    // Each subcommand's own options, as `offboard COMMAND --help` gives them.
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_string();
        let sub = sub.clone().bin_name(format!("offboard {name}"));
        let sub_man = clap_mangen::Man::new(sub.clone());
        page.extend_from_slice(format!(".SH \"OFFBOARD {}\"\n", name.to_uppercase()).as_bytes());
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        if !about.is_empty() {
            page.extend_from_slice(roff_text(&about).as_bytes());
        }
        let mut part = Vec::new();
        sub_man.render_synopsis_section(&mut part).map_err(cannot)?;
        sub_man.render_options_section(&mut part).map_err(cannot)?;
        // Within the command's section, its synopsis and options are subsections.
        let part = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        let part = part
            .strip_prefix(".SH ")
            .map_or(part.clone(), |rest| format!(".SS {rest}"));
        page.extend_from_slice(part.as_bytes());
    }
    man.render_extra_section(&mut page).map_err(cannot)?;
    man.render_version_section(&mut page).map_err(cannot)?;
    out.write_all(&page)?;
    Ok(())
}

/// A paragraph of plain text for roff: a line may not start with `.` or `'`, and a
/// backslash is written `\e`.
fn roff_text(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.replace('\\', "\\e");
        if line.starts_with(['.', '\'']) {
            out.push_str("\\&");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}
