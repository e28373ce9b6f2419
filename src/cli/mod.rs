//! The command line of SPEC §5: argument parsing, the acting user, and output.

mod build;
mod output;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::directory::ListQuery;
use crate::directory::{DismissRequest, NewEmployee};
use crate::domain::{
    Actor, Employee, Error, IntegrationChoice, IntegrationId, Reason, Result, StatusFilter,
    WorkKinds, validate,
};
use crate::{Directory, demo};

pub use output::Table;

/// offboard: dismiss employees without losing any of their work.
#[derive(Debug, Parser)]
#[command(
    name = "offboard",
    version,
    about = "Dismiss employees of a company portal without losing any of their work",
    long_about = "Dismiss employees of a company portal without losing any of their work: hand their \
                  tasks, CRM items, files and mailboxes to someone else, keep or stop the integrations \
                  they created, look up dismissed staff and hire them back.\n\n\
                  Exit status: 0 done; 2 bad usage; 3 refused by a rule (permission, not found, wrong \
                  state, a choice is needed); 1 anything else.",
    after_help = "Run without a subcommand to open the employee list on the chosen database."
)]
pub struct Cli {
    /// The database file [default: the platform data folder, e.g. ~/.local/share/offboard/offboard.db]
    #[arg(long, global = true, env = "OFFBOARD_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Act as this employee (else $OFFBOARD_USER, else your OS user name if it is a login)
    #[arg(long = "as", global = true, value_name = "LOGIN")]
    pub as_login: Option<String>,
    /// Use the demo company (demo.db in the data folder, created on first use), as `admin`
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a demo company
    Demo {
        #[arg(long, value_enum, default_value_t = DemoSize::Small)]
        size: DemoSize,
        /// With --size large: divide every count by N (tests use a smaller copy)
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(i64).range(1..=1000))]
        scale: i64,
    },
    /// Start a new, empty company with one administrator
    Init {
        /// Login of the first administrator
        #[arg(long, value_name = "LOGIN")]
        admin: String,
        /// Their name, "First Last"
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// The company's name
        #[arg(long, default_value = "Company")]
        company: String,
    },
    /// Add employees from a CSV file: all rows or none
    #[command(
        after_help = "The header must name the columns login,first_name,last_name,email,position,department,hired_on (hired_on as YYYY-MM-DD, may be empty)."
    )]
    Import { file: PathBuf },
    /// List employees
    List {
        /// Which employees (dismissed and all need the show_dismissed setting)
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Only those whose name, login or email contains TEXT
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Dismissed employees who still own open tasks, CRM items, files or mailboxes
        #[arg(long)]
        still_owns: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one employee's profile, dismissed or not
    Show {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Add one employee
    Add {
        #[arg(long)]
        login: String,
        /// "First Last"
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        position: Option<String>,
        /// Hire date, YYYY-MM-DD [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        hired_on: Option<String>,
    },
    /// Dismiss employees: they lose access, all their work stays
    #[command(
        after_help = "With several logins, a preview lists what will happen to each (skipping those already dismissed or refused by a rule) and asks before going on; --yes skips the question. Each employee's dismissal is its own transaction."
    )]
    Dismiss {
        #[arg(required = true, num_args = 1.., value_name = "LOGIN")]
        logins: Vec<String>,
        /// Do not ask before a bulk dismissal
        #[arg(long)]
        yes: bool,
        /// What happens to their active integrations: keep them working under a system user, or disable them
        #[arg(long, value_enum)]
        integrations: Option<ChoiceArg>,
        #[arg(long, value_enum)]
        reason: Option<ReasonArg>,
        /// A free note kept with the departure record
        #[arg(long)]
        note: Option<String>,
        /// Schedule the dismissal for this date instead of now (applied when due)
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// Hand what they own to this employee first, in the same transaction
        #[arg(long, value_name = "LOGIN", conflicts_with = "on")]
        handover_to: Option<String>,
        /// With --handover-to: what to hand over [default: all]
        #[arg(long, value_name = "tasks,crm,files,mail", requires = "handover_to")]
        what: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Cancel a scheduled dismissal before it is due
    CancelDismissal { login: String },
    /// Hire dismissed employees back
    Hire {
        #[arg(required = true, num_args = 1.., value_name = "LOGIN")]
        logins: Vec<String>,
        /// Do not ask before a bulk rehire
        #[arg(long)]
        yes: bool,
        /// Give back the integrations their system user holds (secrets and URLs unchanged)
        #[arg(long)]
        return_integrations: bool,
        #[arg(long)]
        json: bool,
    },
    /// Hand what an employee owns to someone else
    Reassign {
        login: String,
        /// The new responsible: an active employee
        #[arg(long, value_name = "LOGIN")]
        to: String,
        /// What to move [default: all]
        #[arg(long, value_name = "tasks,crm,files,mail")]
        what: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List integrations (inbound webhooks)
    Integrations {
        #[arg(long)]
        json: bool,
    },
    /// Create and manage inbound webhooks
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Portal settings (administrators)
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Grant company-structure access (may dismiss and hire)
    Grant { login: String },
    /// Revoke company-structure access
    Revoke { login: String },
    /// The audit log, newest first
    Audit {
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Serve the webhook REST endpoint (the portal's inbound-webhook wire format)
    Serve {
        /// Address to listen on (port 0 picks a free one)
        #[arg(long, default_value = "127.0.0.1:8089")]
        addr: String,
        /// Serve HTTPS with this certificate chain (PEM)
        #[arg(long, value_name = "PEM", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM)
        #[arg(long, value_name = "PEM", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Export employees with their departure records
    Export {
        #[arg(long, value_enum, default_value_t = StatusArg::Dismissed)]
        status: StatusArg,
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Create a webhook owned by you; prints its URL once
    Create(WebhookCreate),
    /// Change a webhook's title or scopes (taking over a system user's gives it a new URL)
    Edit {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, value_name = "user,department,task,crm")]
        scopes: Option<String>,
    },
    /// Stop a webhook at once
    Disable { id: i64 },
    /// Let a disabled webhook work again
    Enable { id: i64 },
    /// Issue a new secret: the old URL stops, the new one is printed once
    Regenerate { id: i64 },
}

#[derive(Debug, Args)]
pub struct WebhookCreate {
    #[arg(long)]
    pub title: String,
    #[arg(long, value_name = "user,department,task,crm")]
    pub scopes: String,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show dismissed employees in the employee list
    ShowDismissed {
        #[arg(value_enum)]
        state: OnOff,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DemoSize {
    Small,
    Large,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum StatusArg {
    Active,
    Dismissed,
    All,
}

impl From<StatusArg> for StatusFilter {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Active => StatusFilter::Active,
            StatusArg::Dismissed => StatusFilter::Dismissed,
            StatusArg::All => StatusFilter::All,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ChoiceArg {
    Keep,
    Disable,
}

impl From<ChoiceArg> for IntegrationChoice {
    fn from(c: ChoiceArg) -> Self {
        match c {
            ChoiceArg::Keep => IntegrationChoice::Keep,
            ChoiceArg::Disable => IntegrationChoice::Disable,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReasonArg {
    Resigned,
    Terminated,
    #[value(alias = "end_of_contract")]
    EndOfContract,
    Retired,
    Other,
}

impl From<ReasonArg> for Reason {
    fn from(r: ReasonArg) -> Self {
        match r {
            ReasonArg::Resigned => Reason::Resigned,
            ReasonArg::Terminated => Reason::Terminated,
            ReasonArg::EndOfContract => Reason::EndOfContract,
            ReasonArg::Retired => Reason::Retired,
            ReasonArg::Other => Reason::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Csv,
    Json,
}

/// The platform data folder, e.g. `~/.local/share/offboard`.
pub fn data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "offboard")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| Error::Io("cannot find a home folder for the data: pass --db PATH".into()))
}

/// Which file this invocation works on.
pub fn database_path(cli: &Cli) -> Result<PathBuf> {
    if let Some(p) = &cli.db {
        return Ok(p.clone());
    }
    let dir = data_dir()?;
    Ok(if cli.demo {
        dir.join("demo.db")
    } else {
        dir.join("offboard.db")
    })
}

/// Who acts: `--as`, else `OFFBOARD_USER`, else the OS user if it is a login, else
/// `admin` on the demo company.
pub fn resolve_actor(dir: &Directory, cli: &Cli) -> Result<Employee> {
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
    for var in ["USER", "LOGNAME"] {
        if let Some(name) = std::env::var(var).ok().filter(|s| !s.is_empty())
            && let Ok(e) = dir.employee(&name)
        {
            return dir.sign_in(&e.login);
        }
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
        let _ = writeln!(err, "Creating the demo company at {} …", path.display());
        build::build_into(&path, "the demo company", |dir, _| demo::build_small(dir))?;
    }
    let mut dir = Directory::open(&path)?;
    if let Ok(base) = std::env::var("OFFBOARD_BASE_URL")
        && !base.trim().is_empty()
    {
        dir.set_base_url(base.trim());
    }
    Ok(dir)
}

/// Run one invocation, writing results to `out` and notes to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    match &cli.command {
        Some(Command::Demo { size, scale }) => return cmd_demo(&cli, *size, *scale, out),
        Some(Command::Init {
            admin,
            name,
            email,
            company,
        }) => {
            let path = database_path(&cli)?;
            let mut dir = Directory::create(&path)?;
            let (first_name, last_name) = validate::full_name(name)?;
            let me = dir.init(
                company,
                &NewEmployee {
                    login: admin.clone(),
                    first_name,
                    last_name,
                    email: email.clone(),
                    position: "Administrator".into(),
                    ..Default::default()
                },
            )?;
            writeln!(
                out,
                "Created {} at {} with administrator {} ({}).",
                company,
                path.display(),
                me.login,
                me.name()
            )?;
            return Ok(());
        }
        Some(Command::Serve {
            addr,
            tls_cert,
            tls_key,
        }) => {
            let dir = open_directory(&cli, err)?;
            let tls = match (tls_cert, tls_key) {
                (Some(c), Some(k)) => Some((c.clone(), k.clone())),
                _ => None,
            };
            let db = dir.path().to_path_buf();
            drop(dir);
            return crate::rest::serve(
                crate::rest::ServeConfig {
                    db,
                    addr: addr.clone(),
                    tls,
                },
                out,
            );
        }
        _ => {}
    }
    let mut dir = open_directory(&cli, err)?;
    let me = resolve_actor(&dir, &cli)?;
    let actor = Actor::user(me.id);
    let Some(command) = &cli.command else {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
            let code = crate::tui::run(dir, me)?;
            return if code == 0 {
                Ok(())
            } else {
                Err(Error::AccessRevoked(TUI_REVOKED.into()))
            };
        }
        // Not a terminal (a pipe, a script): print the employee list instead.
        return cmd_list(&dir, actor, None, None, false, false, out);
    };
    match command {
        Command::Demo { .. } | Command::Init { .. } | Command::Serve { .. } => {
            unreachable!("handled above")
        }
        Command::Import { file } => {
            let f = std::fs::File::open(file)
                .map_err(|e| Error::Io(format!("cannot read {}: {e}", file.display())))?;
            let added = dir.import_csv(actor, std::io::BufReader::new(f))?;
            writeln!(
                out,
                "Imported {} employee{}.",
                added.len(),
                plural(added.len() as i64)
            )?;
        }
        Command::List {
            status,
            search,
            still_owns,
            json,
        } => cmd_list(
            &dir,
            actor,
            status.map(Into::into),
            search.clone(),
            *still_owns,
            *json,
            out,
        )?,
        Command::Show { login, json } => output::show(&dir, actor, login, *json, out)?,
        Command::Add {
            login,
            name,
            email,
            department,
            position,
            hired_on,
        } => {
            let (first_name, last_name) = validate::full_name(name)?;
            let hired_on = hired_on
                .as_deref()
                .map(|d| validate::date("--hired-on", d))
                .transpose()?;
            let e = dir.add(
                actor,
                &NewEmployee {
                    login: login.clone(),
                    first_name,
                    last_name,
                    email: email.clone(),
                    position: position.clone().unwrap_or_default(),
                    department: department.clone(),
                    hired_on,
                    is_admin: false,
                },
            )?;
            writeln!(out, "Added {} ({}).", e.name(), e.login)?;
        }
        Command::Dismiss {
            logins,
            integrations,
            reason,
            note,
            json,
            yes,
            on: None,
            handover_to: None,
            ..
        } if logins.len() > 1 => {
            let request = DismissRequest {
                integrations: integrations.map(Into::into),
                reason: reason.map(Into::into),
                note: note.clone(),
            };
            let steps = dir.preview_dismiss(actor, logins, request.integrations)?;
            bulk(
                &mut dir,
                actor,
                Bulk::Dismiss(request),
                steps,
                *yes,
                *json,
                out,
                err,
            )?;
        }
        Command::Dismiss {
            logins,
            integrations,
            reason,
            note,
            on: Some(on),
            ..
        } => {
            if logins.len() > 1 {
                return Err(Error::Invalid(
                    "--on schedules one employee at a time".into(),
                ));
            }
            let on = validate::date("--on", on)?;
            let d = dir.schedule_dismissal(
                actor,
                &logins[0],
                &DismissRequest {
                    integrations: integrations.map(Into::into),
                    reason: reason.map(Into::into),
                    note: note.clone(),
                },
                on,
            )?;
            // A date of today is due at once.
            let applied = dir.apply_due()?;
            if applied.iter().any(|a| a.login == logins[0] && a.applied) {
                writeln!(out, "Dismissed {} as of today.", logins[0])?;
            } else if let Some(f) = applied.iter().find(|a| a.login == logins[0]) {
                return Err(Error::Denied(f.failure.clone().unwrap_or_default()));
            } else {
                writeln!(
                    out,
                    "{} is leaving on {}; the dismissal is applied then (cancel it with `offboard cancel-dismissal {}`).",
                    logins[0],
                    d.at.date_naive(),
                    logins[0]
                )?;
            }
        }
        Command::Dismiss {
            logins,
            integrations,
            reason,
            note,
            handover_to: Some(to),
            what,
            json,
            ..
        } => {
            if logins.len() > 1 {
                return Err(Error::Invalid(
                    "--handover-to hands over one employee's work at a time".into(),
                ));
            }
            let what = match what {
                Some(w) => w.parse::<WorkKinds>()?,
                None => WorkKinds::ALL,
            };
            let (moved, outcome) = dir.dismiss_with_handover(
                actor,
                &logins[0],
                &DismissRequest {
                    integrations: integrations.map(Into::into),
                    reason: reason.map(Into::into),
                    note: note.clone(),
                },
                to,
                what,
            )?;
            if *json {
                let v = json!({
                    "moved": { "tasks": moved.tasks, "crm_items": moved.crm_items, "files": moved.files, "mailboxes": moved.mailboxes },
                    "dismissed": outcome,
                });
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&v).map_err(json_err)?
                )?;
            } else {
                writeln!(out, "Handed to {to}: {}.", moved)?;
                writeln!(
                    out,
                    "Dismissed {} ({}).",
                    outcome.employee.name(),
                    outcome.employee.login
                )?;
            }
        }
        Command::CancelDismissal { login } => {
            let d = dir.cancel_dismissal(actor, login)?;
            writeln!(
                out,
                "Canceled the dismissal of {login} scheduled for {}.",
                d.at.date_naive()
            )?;
        }
        Command::Dismiss {
            logins,
            integrations,
            reason,
            note,
            json,
            ..
        } => {
            let login = &logins[0];
            let outcome = dir.dismiss(
                actor,
                login,
                &DismissRequest {
                    integrations: integrations.map(Into::into),
                    reason: reason.map(Into::into),
                    note: note.clone(),
                },
            )?;
            if *json {
                serde_json::to_writer_pretty(&mut *out, &outcome).map_err(json_err)?;
                writeln!(out)?;
            } else {
                write!(
                    out,
                    "Dismissed {} ({})",
                    outcome.employee.name(),
                    outcome.employee.login
                )?;
                if !outcome.kept.is_empty() {
                    write!(
                        out,
                        "; {} integration{} moved to the system user {} and keep working",
                        outcome.kept.len(),
                        plural(outcome.kept.len() as i64),
                        outcome.system_user.as_deref().unwrap_or("?")
                    )?;
                }
                if !outcome.disabled.is_empty() {
                    write!(
                        out,
                        "; {} integration{} disabled",
                        outcome.disabled.len(),
                        plural(outcome.disabled.len() as i64)
                    )?;
                }
                writeln!(out, ".")?;
                // The dismissal is done; what they still own is a hint, not part of it.
                if let Ok(p) = dir.profile(actor, &outcome.employee.login)
                    && p.owns.total() > 0
                {
                    writeln!(
                        out,
                        "They still own {} (open tasks and CRM items): hand them over with `offboard reassign {} --to LOGIN`.",
                        p.owns, outcome.employee.login
                    )?;
                }
            }
        }
        Command::Hire {
            logins,
            return_integrations,
            json,
            yes,
        } if logins.len() > 1 => {
            let steps = dir.preview_hire(actor, logins)?;
            bulk(
                &mut dir,
                actor,
                Bulk::Hire(*return_integrations),
                steps,
                *yes,
                *json,
                out,
                err,
            )?;
        }
        Command::Hire {
            logins,
            return_integrations,
            json,
            ..
        } => {
            let login = &logins[0];
            let outcome = dir.hire(actor, login, *return_integrations)?;
            if *json {
                serde_json::to_writer_pretty(&mut *out, &outcome).map_err(json_err)?;
                writeln!(out)?;
            } else {
                write!(
                    out,
                    "Hired {} ({}) back",
                    outcome.employee.name(),
                    outcome.employee.login
                )?;
                if !outcome.returned.is_empty() {
                    write!(
                        out,
                        "; {} integration{} returned to them",
                        outcome.returned.len(),
                        plural(outcome.returned.len() as i64)
                    )?;
                }
                writeln!(out, ".")?;
                if !outcome.left_with_system_user.is_empty() {
                    writeln!(
                        out,
                        "Their system user still holds {} integration{}: pass --return-integrations to give them back.",
                        outcome.left_with_system_user.len(),
                        plural(outcome.left_with_system_user.len() as i64)
                    )?;
                }
            }
        }
        Command::Reassign {
            login,
            to,
            what,
            json,
        } => {
            let what = match what {
                Some(w) => w.parse::<WorkKinds>()?,
                None => WorkKinds::ALL,
            };
            let moved = dir.reassign(actor, login, to, what)?;
            if *json {
                let v = json!({
                    "tasks": moved.tasks,
                    "crm_items": moved.crm_items,
                    "files": moved.files,
                    "mailboxes": moved.mailboxes,
                });
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&v).map_err(json_err)?
                )?;
            } else {
                writeln!(out, "Moved from {login} to {to}: {}.", moved)?;
            }
        }
        Command::Integrations { json } => output::integrations(&dir, actor, *json, out)?,
        Command::Webhook(w) => cmd_webhook(&mut dir, actor, w, out)?,
        Command::Settings(SettingsCommand::ShowDismissed { state }) => {
            let on = *state == OnOff::On;
            let changed = dir.set_show_dismissed(actor, on)?;
            writeln!(
                out,
                "show_dismissed is {}{}.",
                if on { "on" } else { "off" },
                if changed { "" } else { " (unchanged)" }
            )?;
        }
        Command::Grant { login } => {
            let e = dir.set_structure_access(actor, login, true)?;
            writeln!(
                out,
                "Granted company-structure access to {} ({}).",
                e.name(),
                e.login
            )?;
        }
        Command::Revoke { login } => {
            let e = dir.set_structure_access(actor, login, false)?;
            writeln!(
                out,
                "Revoked company-structure access from {} ({}).",
                e.name(),
                e.login
            )?;
        }
        Command::Audit {
            search,
            limit,
            json,
        } => {
            if *limit < 1 {
                return Err(Error::Invalid("--limit must be at least 1".into()));
            }
            output::audit(&dir, actor, search.as_deref(), *limit, *json, out)?
        }
        Command::Export { status, format } => {
            output::export(&dir, actor, (*status).into(), *format, out)?
        }
    }
    Ok(())
}

fn cmd_demo(cli: &Cli, size: DemoSize, scale: i64, out: &mut dyn Write) -> Result<()> {
    let path = database_path(cli)?;
    // Anything but an empty file must be an offboard database without a company yet.
    if build::holds_something(&path) {
        let dir = Directory::open(&path)?;
        if !dir.is_empty()? {
            return Err(Error::WrongState(format!(
                "{} already holds a company: pass another --db, or remove the file first",
                path.display()
            )));
        }
    }
    let summary = build::build_into(&path, "the demo company", |dir, stop| match size {
        DemoSize::Small => demo::build_small(dir),
        DemoSize::Large => demo::build_large_unless(dir, demo::LargeSpec::scaled(scale), stop),
    })?;
    writeln!(
        out,
        "Created the demo company \"{}\" at {}.",
        summary.company,
        path.display()
    )?;
    writeln!(out, "{summary}")?;
    writeln!(
        out,
        "Sign in as admin (administrator), hr (company-structure access) or jdoe (no rights) with --as LOGIN."
    )?;
    Ok(())
}

fn cmd_list(
    dir: &Directory,
    actor: Actor,
    status: Option<StatusFilter>,
    search: Option<String>,
    still_owns: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let status = status.unwrap_or(if still_owns {
        StatusFilter::Dismissed
    } else {
        StatusFilter::Active
    });
    let search = search.filter(|s| !s.trim().is_empty());
    // One query streams the whole list; paging with OFFSET would rescan for every page.
    let query = ListQuery {
        status,
        search,
        still_owns,
        offset: 0,
        limit: i64::MAX,
    };
    output::list(dir, actor, &query, json, out)
}

fn cmd_webhook(
    dir: &mut Directory,
    actor: Actor,
    w: &WebhookCommand,
    out: &mut dyn Write,
) -> Result<()> {
    match w {
        WebhookCommand::Create(c) => {
            let scopes = validate::scopes(&c.scopes)?;
            let issued = dir.create_webhook(actor, &c.title, scopes)?;
            writeln!(
                out,
                "Created integration #{} \"{}\" [{}], owned by {}.",
                issued.integration.id,
                issued.integration.title,
                issued.integration.scopes,
                issued.integration.owner
            )?;
            writeln!(
                out,
                "Its URL is shown only now; anyone who has it can act as you within its scopes:"
            )?;
            writeln!(out, "{}", issued.url)?;
        }
        WebhookCommand::Edit { id, title, scopes } => {
            let scopes = scopes.as_deref().map(validate::scopes).transpose()?;
            let outcome = dir.edit_webhook(actor, IntegrationId(*id), title.as_deref(), scopes)?;
            let i = &outcome.integration;
            writeln!(
                out,
                "Updated integration #{} \"{}\" [{}].",
                i.id, i.title, i.scopes
            )?;
            if let Some(url) = outcome.new_url {
                writeln!(
                    out,
                    "It was held by {} and is now yours: a new secret was issued and the old URL no longer works. The new URL is shown only now:",
                    outcome.previous_owner
                )?;
                writeln!(out, "{url}")?;
            }
        }
        WebhookCommand::Disable { id } => {
            let i = dir.disable_webhook(actor, IntegrationId(*id))?;
            writeln!(
                out,
                "Disabled integration #{} \"{}\": its URL stops working now.",
                i.id, i.title
            )?;
        }
        WebhookCommand::Enable { id } => {
            let i = dir.enable_webhook(actor, IntegrationId(*id))?;
            writeln!(
                out,
                "Enabled integration #{} \"{}\": its URL works again.",
                i.id, i.title
            )?;
        }
        WebhookCommand::Regenerate { id } => {
            let issued = dir.regenerate_webhook(actor, IntegrationId(*id))?;
            writeln!(
                out,
                "Issued a new secret for integration #{} \"{}\", owned by {}; the old URL no longer works. The new URL is shown only now:",
                issued.integration.id, issued.integration.title, issued.integration.owner
            )?;
            writeln!(out, "{}", issued.url)?;
        }
    }
    Ok(())
}

pub(crate) fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(crate) fn json_err(e: serde_json::Error) -> Error {
    Error::Io(format!("cannot write JSON: {e}"))
}

/// Parse arguments, run, print the error as one line, and return the exit status.
pub fn main_with(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    init_logging();
    match run(cli, &mut out, &mut err) {
        Ok(()) => 0,
        // The TUI has already said why it stopped.
        Err(Error::AccessRevoked(m)) if m == TUI_REVOKED => 3,
        Err(e) => {
            // A closed pipe (`offboard list | head`) is not a failure worth a message.
            if let Error::Io(m) = &e
                && m.contains("Broken pipe")
            {
                return 0;
            }
            let _ = writeln!(err, "offboard: {e}");
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

/// Marks the TUI's own exit for a revoked session: the message was already printed.
const TUI_REVOKED: &str = "\u{0}tui";

/// Log to `offboard.log` in the data folder (mode 0600), never to the terminal.
fn init_logging() {
    let Ok(dir) = data_dir() else { return };
    if crate::store::create_private_dir(&dir).is_err() {
        return;
    }
    let path = dir.join("offboard.log");
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let Ok(file) = options.open(&path) else {
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

/// A change applied to a marked set of employees.
enum Bulk {
    Dismiss(DismissRequest),
    Hire(bool),
}

/// Print the preview, ask (or take --yes), then apply to each employee in turn, each in
/// its own transaction, and list who changed and who was skipped and why.
#[allow(clippy::too_many_arguments)]
fn bulk(
    dir: &mut Directory,
    actor: Actor,
    what: Bulk,
    steps: Vec<crate::directory::BulkStep>,
    yes: bool,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    use std::io::IsTerminal;
    let verb = match what {
        Bulk::Dismiss(_) => "dismiss",
        Bulk::Hire(_) => "hire",
    };
    let mut t = Table::new(&["LOGIN", "NAME", "WHAT HAPPENS"]);
    for s in &steps {
        let what = if s.apply {
            if s.active_integrations > 0 {
                let listed: Vec<String> = s.integrations.iter().map(|i| i.to_string()).collect();
                format!(
                    "{verb} ({} active integration{}: {})",
                    s.active_integrations,
                    plural(s.active_integrations as i64),
                    listed.join("; ")
                )
            } else {
                verb.to_string()
            }
        } else {
            format!("skip: {}", s.skip_reason.as_deref().unwrap_or(""))
        };
        t.row(vec![
            s.login.clone(),
            s.name.clone().unwrap_or_default(),
            what,
        ]);
    }
    let going = steps.iter().filter(|s| s.apply).count();
    if !json {
        t.write(out)?;
    }
    if going == 0 {
        if json {
            let v: Vec<serde_json::Value> = steps
                .iter()
                .map(|s| json!({ "login": s.login, "done": false, "reason": s.skip_reason }))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).map_err(json_err)?
            )?;
        } else {
            writeln!(out, "Nothing to {verb}: nothing changed.")?;
        }
        return Ok(());
    }
    if !yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(Error::WrongState(format!(
                "a bulk {verb} of {going} employee{} needs --yes when it does not run in a terminal: nothing changed",
                plural(going as i64)
            )));
        }
        write!(
            err,
            "{} {going} employee{}? [y/N] ",
            capitalize(verb),
            plural(going as i64)
        )?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            writeln!(out, "Canceled: nothing changed.")?;
            return Ok(());
        }
    }
    let mut results = Vec::new();
    for s in &steps {
        if !s.apply {
            results.push((
                s.login.clone(),
                false,
                s.skip_reason.clone().unwrap_or_default(),
            ));
            continue;
        }
        let outcome = match &what {
            Bulk::Dismiss(req) => dir.dismiss(actor, &s.login, req).map(|o| {
                let mut m = "dismissed".to_string();
                if !o.kept.is_empty() {
                    m.push_str(&format!(
                        "; integrations kept under {}",
                        o.system_user.unwrap_or_default()
                    ));
                }
                if !o.disabled.is_empty() {
                    m.push_str(&format!("; {} integration(s) disabled", o.disabled.len()));
                }
                m
            }),
            Bulk::Hire(ret) => dir.hire(actor, &s.login, *ret).map(|o| {
                if o.returned.is_empty() {
                    "hired".to_string()
                } else {
                    format!("hired; {} integration(s) returned", o.returned.len())
                }
            }),
        };
        match outcome {
            Ok(m) => results.push((s.login.clone(), true, m)),
            Err(e) => results.push((s.login.clone(), false, e.to_string())),
        }
    }
    if json {
        let v: Vec<serde_json::Value> = results
            .iter()
            .map(|(login, done, m)| json!({ "login": login, "done": done, if *done { "result" } else { "reason" }: m }))
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).map_err(json_err)?
        )?;
    } else {
        writeln!(out)?;
        for (login, done, m) in &results {
            writeln!(out, "{login}: {}{m}", if *done { "" } else { "skipped: " })?;
        }
        let n = results.iter().filter(|r| r.1).count();
        writeln!(
            out,
            "{n} of {} employee{} {}.",
            results.len(),
            plural(results.len() as i64),
            if verb == "hire" { "hired" } else { "dismissed" }
        )?;
    }
    Ok(())
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
