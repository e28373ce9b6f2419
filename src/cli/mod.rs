//! The command line of SPEC §5: the arguments (`args`), one module per command
//! family, and their output (`output`). This file opens the database, decides who
//! acts, sends each command to its family and turns the outcome into an exit status.

mod access;
mod args;
mod backup;
mod build;
mod checklists;
mod demo;
mod dismissal;
mod hooks;
mod keys;
mod output;
mod people;
mod progress;
mod scim;
mod serve;
mod shell_help;
mod ssh;
mod webhooks;
pub mod wording;

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;

use crate::domain::text::{breaks_text, escape};
use crate::domain::{Actor, Door, Employee, Error, Result};
use crate::{Directory, demo as demo_company};

pub use args::{
    AddArgs, AuditArgs, AuditCommand, ChoiceArg, Cli, Command, ConfigCommand, DemoSize,
    DismissArgs, Forced, FormatArg, HireArgs, InitArgs, KeysCommand, ListArgs, OnOff, ReasonArg,
    ReassignArgs, ServeArgs, SettingsCommand, SshCommand, StatusArg, WebhookCommand, WebhookCreate,
};
pub use output::Table;

/// How an invocation that did not fail ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked was done: exit status 0.
    Done,
    /// The TUI ended the session itself with this status and has already told the user
    /// why (3 when their access was revoked meanwhile): nothing more is printed.
    Reported(i32),
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Done => 0,
            Exit::Reported(code) => code,
        }
    }
}

/// The directory of this invocation and the employee acting on it: what every command
/// works with but `demo`, `init` and `serve`.
pub struct SignedIn {
    pub dir: Directory,
    pub me: Employee,
    pub actor: Actor,
}

/// The platform data folder, e.g. `~/.local/share/offboard`.
pub fn data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "offboard")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| Error::other("cannot find a home folder for the data: pass --db PATH"))
}

/// Which file this invocation works on: `--db`, else `$OFFBOARD_DB`, else the demo
/// company's with `--demo`, else the config file's `database`, else `offboard.db` in the
/// data folder.
pub fn database_path(cli: &Cli) -> Result<PathBuf> {
    if let Some(p) = &cli.db {
        return Ok(p.clone());
    }
    if cli.demo {
        return Ok(data_dir()?.join("demo.db"));
    }
    if let Some(p) = &cli.settings.database {
        return Ok(p.clone());
    }
    Ok(data_dir()?.join("offboard.db"))
}

/// The base of webhook URLs: `$OFFBOARD_BASE_URL`, else the config file's `base_url`,
/// else the built-in one.
pub fn base_url(cli: &Cli) -> String {
    match std::env::var("OFFBOARD_BASE_URL") {
        Ok(base) if !base.trim().is_empty() => base.trim().trim_end_matches('/').to_string(),
        _ => cli
            .settings
            .base_url
            .clone()
            .unwrap_or_else(|| crate::directory::DEFAULT_BASE_URL.to_string()),
    }
}

/// Who acts: `--as`, else `OFFBOARD_USER`, else the operating-system user (named from
/// the uid, never from `$USER`, which anyone can set) if it is a login, else `admin` on
/// the demo company.
pub fn resolve_actor(dir: &Directory, cli: &Cli) -> Result<Employee> {
    if let Some(forced) = &cli.forced {
        return dir.sign_in(&forced.login);
    }
    if let Some(login) = &cli.as_login {
        return dir.sign_in(login);
    }
    if let Some(login) = std::env::var("OFFBOARD_USER")
        .ok()
        .filter(|s| !s.trim().is_empty())
    {
        return dir.sign_in(&login);
    }
    if cli.demo {
        return dir.sign_in("admin");
    }
    let operator = match dir.door() {
        Door::Local { user, .. } => Some(user.clone()),
        Door::Ssh { .. } | Door::Scim { .. } => None,
    };
    if let Some(name) = operator.filter(|n| !n.is_empty())
        && let Ok(e) = dir.employee(&name)
    {
        return dir.sign_in(&e.login);
    }
    if dir.is_demo()? {
        return dir.sign_in("admin");
    }
    Err(Error::Invalid(
        "who is acting? pass --as LOGIN or set OFFBOARD_USER to your login".into(),
    ))
}

/// Open the database for this invocation; `--demo` creates the demo company on first use.
pub fn open_directory(cli: &Cli, err: &mut dyn Write) -> Result<Directory> {
    let path = database_path(cli)?;
    if cli.demo && !build::holds_something(&path) {
        let shown = path.display().to_string();
        let _ = writeln!(err, "Creating the demo company at {} …", escape(&shown));
        build::build_into(&path, "the demo company", |dir, _| {
            demo_company::build_small(dir)
        })?;
    }
    // Whoever opens the file is its operator: every audit event of this invocation
    // (the TUI and `serve` it starts included) records their uid and user name; an SSH
    // session records the key it came in with instead.
    let door = match &cli.forced {
        Some(forced) => forced.door.clone(),
        None => crate::operator::local_door(),
    };
    let mut dir = Directory::open_through(&path, door)?;
    dir.set_base_url(&base_url(cli));
    Ok(dir)
}

/// Open the database and sign in the acting employee.
pub fn sign_in(cli: &Cli, err: &mut dyn Write) -> Result<SignedIn> {
    let dir = open_directory(cli, err)?;
    let me = resolve_actor(&dir, cli)?;
    let actor = Actor::user(me.id);
    Ok(SignedIn { dir, me, actor })
}

/// Run one invocation, writing results to `out` and notes to `err`.
pub fn run(mut cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    let Some(command) = cli.command.take() else {
        return terminal_ui(sign_in(&cli, err)?, tui_options(&cli), out);
    };
    // `demo`, `init` and `serve` make or serve a database and act as nobody, and
    // `completions` and `man` only print; every other command first signs in.
    match command {
        Command::Demo {
            size,
            scale,
            employees,
        } => demo::create(&database_path(&cli)?, size, scale, employees, out)?,
        Command::Init(args) => people::init(&database_path(&cli)?, &args, out)?,
        Command::Serve(args) => serve::serve(open_directory(&cli, err)?, args, out)?,
        Command::Import { file } => people::import(&mut sign_in(&cli, err)?, &file, out)?,
        Command::List(args) => people::list(&sign_in(&cli, err)?, &args, out)?,
        Command::Show { login, json } => people::show(&sign_in(&cli, err)?, &login, json, out)?,
        Command::Add(args) => people::add(&mut sign_in(&cli, err)?, &args, out)?,
        Command::Export { status, format } => {
            people::export(&sign_in(&cli, err)?, status, format, out)?
        }
        Command::Dismiss(args) => dismissal::dismiss(&mut sign_in(&cli, err)?, &args, out, err)?,
        Command::CancelDismissal { login } => {
            dismissal::cancel(&mut sign_in(&cli, err)?, &login, out)?
        }
        Command::Hire(args) => dismissal::hire(&mut sign_in(&cli, err)?, &args, out, err)?,
        Command::Reassign(args) => dismissal::reassign(&mut sign_in(&cli, err)?, &args, out)?,
        Command::Integrations { json } => webhooks::integrations(&sign_in(&cli, err)?, json, out)?,
        Command::Webhook(command) => webhooks::webhook(&mut sign_in(&cli, err)?, &command, out)?,
        Command::Checklist(command) => {
            checklists::checklist(&mut sign_in(&cli, err)?, &command, out)?
        }
        Command::Hook(command) => hooks::hook(&mut sign_in(&cli, err)?, &command, out)?,
        Command::Settings(command) => access::settings(&mut sign_in(&cli, err)?, &command, out)?,
        Command::Grant { login } => access::grant(&mut sign_in(&cli, err)?, &login, true, out)?,
        Command::Revoke { login } => access::grant(&mut sign_in(&cli, err)?, &login, false, out)?,
        Command::Audit(args) => return access::audit(&sign_in(&cli, err)?, &args, out),
        Command::Keys(command) => keys::keys(&mut sign_in(&cli, err)?, &command, out)?,
        Command::Ssh(command) => return ssh::ssh(&cli, command, out, err),
        Command::Backup(args) => return backup::backup(&cli, &args, out, err),
        Command::Restore(args) => return backup::restore(&cli, &args, out, err),
        Command::Scim(command) => scim::scim(&mut sign_in(&cli, err)?, &command, out)?,
        Command::Completions { shell } => shell_help::completions(shell, out)?,
        Command::Man => shell_help::man(out)?,
        Command::Config(ConfigCommand::Show { json }) => config_show(&cli, json, out)?,
    }
    Ok(Exit::Done)
}

/// `offboard config show`: the effective config, with the database and base URL in
/// effect. Opens no database.
fn config_show(cli: &Cli, json: bool, out: &mut dyn Write) -> Result<()> {
    let db = database_path(cli).ok();
    let base = base_url(cli);
    if json {
        let value = cli.settings.to_json(db.as_deref(), &base);
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| Error::other(e.to_string()))?
        )?;
    } else {
        write!(out, "{}", cli.settings.to_toml(db.as_deref(), &base))?;
    }
    Ok(())
}

/// How the terminal UI starts, from the flags, the environment (clap reads
/// `OFFBOARD_NO_MOUSE` into `--no-mouse`) and the config file's `[tui] mouse`.
pub(super) fn tui_options(cli: &Cli) -> crate::tui::Options {
    crate::tui::Options {
        mouse: !cli.no_mouse && cli.settings.tui.mouse,
    }
}

/// No subcommand: the TUI in a terminal; in a pipe or a script, the employee list.
fn terminal_ui(
    session: SignedIn,
    options: crate::tui::Options,
    out: &mut dyn Write,
) -> Result<Exit> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return Ok(match crate::tui::run(session.dir, session.me, options)? {
            0 => Exit::Done,
            code => Exit::Reported(code),
        });
    }
    people::list(&session, &ListArgs::default(), out)?;
    Ok(Exit::Done)
}

/// Parse arguments, run, print the error as one line, and return the exit status.
pub fn main_with(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let mut cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = print_usage_error(&e, &args);
            return code;
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Not locked for the whole run: a progress bar draws on stderr from a thread of its
    // own (and stderr is unbuffered, so each write is whole anyway).
    let mut err = std::io::stderr();
    init_logging();
    // The config file, before anything else and before the terminal is touched: its
    // keys and colours are the TUI's for the whole process.
    let result = configure(&mut cli).and_then(|()| run(cli, &mut out, &mut err));
    match result {
        Ok(exit) => exit.code(),
        // A closed pipe (`offboard list | head`) is not a failure worth a message.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            // Every error goes through here, and many quote what was typed or read (a
            // login, an e-mail, a file name, a CSV field): shown escaped, it can neither
            // drive the terminal nor split the line.
            let _ = writeln!(err, "offboard: {}", escape(&wording::say(&e)));
            if let Error::Interrupted { signal, .. } = e {
                // Cleaned up and said so: now end by the signal itself, as the one who
                // sent it expects (a shell stops a loop on a child that Ctrl-C ended).
                let _ = err.flush();
                crate::stop::end_by(signal);
            }
            e.exit_code()
        }
    }
}

/// Read the config file into `cli.settings` and make its keymap and colours those of
/// this process.
fn configure(cli: &mut Cli) -> Result<()> {
    let config = crate::config::Config::load(cli.config.as_deref())?;
    // Only this function installs them, once per process.
    let _ = crate::tui::keymap::install(config.keymap.clone());
    let _ = crate::tui::ui::theme::install(config.theme);
    cli.settings = config;
    Ok(())
}

/// clap's own message (help, version, a bad flag or value), in colour where it can be. It
/// quotes the bad value, so when an argument holds control characters it is printed
/// plain with them escaped (its own line breaks kept).
fn print_usage_error(e: &clap::Error, args: &[std::ffi::OsString]) -> std::io::Result<()> {
    let hostile = args
        .iter()
        .any(|a| a.to_string_lossy().chars().any(breaks_text));
    if !hostile {
        return e.print();
    }
    let rendered = e.render().to_string();
    let shown: Vec<_> = rendered.split('\n').map(escape).collect();
    let text = shown.join("\n");
    if e.use_stderr() {
        write!(std::io::stderr(), "{text}")
    } else {
        write!(std::io::stdout(), "{text}")
    }
}

/// Whether writing the output failed only because its reader went away.
fn is_broken_pipe(e: &Error) -> bool {
    e.is_broken_pipe()
}

/// Log to `offboard.log` in the data folder (mode 0600, rotated by size), never to the
/// terminal.
fn init_logging() {
    if let Ok(dir) = data_dir() {
        crate::logging::init(&dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `offboard list | head` meets when `head` is gone (EPIPE is 32 on Linux and
    /// macOS). Holds before and after `Error::Io` keeps the error's kind.
    #[cfg(unix)]
    #[test]
    fn a_closed_pipe_is_a_broken_pipe_and_other_io_errors_are_not() {
        let closed = Error::from(std::io::Error::from_raw_os_error(32));
        assert!(is_broken_pipe(&closed), "{closed:?}");
        let denied = Error::from(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert!(!is_broken_pipe(&denied), "{denied:?}");
        assert!(!is_broken_pipe(&Error::Invalid("Broken pipe".into())));
    }

    #[test]
    fn the_tuis_own_status_is_the_exit_status() {
        assert_eq!(Exit::Done.code(), 0);
        assert_eq!(Exit::Reported(3).code(), 3);
    }
}
