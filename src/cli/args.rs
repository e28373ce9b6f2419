//! Every argument the command line takes (SPEC §5), as clap types. Scripts depend on
//! these names, defaults, help texts and environment variables: change none of them
//! lightly.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::{IntegrationChoice, Reason, StatusFilter};

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
    /// Act as this employee (else $OFFBOARD_USER, else your OS user name, from the uid, if it is a login)
    #[arg(long = "as", global = true, value_name = "LOGIN")]
    pub as_login: Option<String>,
    /// Use the demo company (demo.db in the data folder, created on first use), as `admin`
    #[arg(long, global = true)]
    pub demo: bool,
    /// The config file (keys, theme, defaults) [default: $XDG_CONFIG_HOME/offboard/config.toml, else ~/.config/offboard/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The terminal UI without the mouse: the terminal is not asked for clicks, so it
    /// selects text as usual (also OFFBOARD_NO_MOUSE=1)
    #[arg(long, env = "OFFBOARD_NO_MOUSE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_mouse: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Set by `ssh session` only, never from arguments: the employee its key belongs
    /// to and the door they came through, for the command line it runs.
    #[arg(skip)]
    pub forced: Option<Forced>,
    /// The config file's settings, read before the command runs (`main_with`).
    #[arg(skip)]
    pub settings: crate::config::Config,
}

/// Who acts, fixed by an SSH session: `--as`, `OFFBOARD_USER` and the OS user do not
/// count then.
#[derive(Debug, Clone, PartialEq)]
pub struct Forced {
    pub login: String,
    pub door: crate::domain::Door,
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
        /// A synthetic company of N employees, everything else in the large company's
        /// proportions (per employee 20 tasks, 5 CRM items, 5 files, 20 messages; one
        /// integration per 10; `heavy` responsible for 2 tasks per employee)
        #[arg(long, value_name = "N", conflicts_with_all = ["size", "scale"], value_parser = clap::value_parser!(i64).range(50..=10_000_000))]
        employees: Option<i64>,
    },
    /// Start a new, empty company with one administrator
    Init(InitArgs),
    /// Add employees from a CSV file: all rows or none
    #[command(
        after_help = "The header must name the columns login,first_name,last_name,email,position,department,hired_on (hired_on as YYYY-MM-DD, may be empty)."
    )]
    Import { file: PathBuf },
    /// List employees
    List(ListArgs),
    /// Show one employee's profile, dismissed or not
    Show {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Add one employee
    Add(AddArgs),
    /// Dismiss employees: they lose access, all their work stays
    #[command(
        after_help = "With several logins, a preview lists what will happen to each (skipping those already dismissed or refused by a rule) and asks before going on; --yes skips the question. Each employee's dismissal is its own transaction."
    )]
    Dismiss(DismissArgs),
    /// Cancel a scheduled dismissal before it is due
    CancelDismissal { login: String },
    /// Hire dismissed employees back
    Hire(HireArgs),
    /// Hand what an employee owns to someone else
    Reassign(ReassignArgs),
    /// List integrations (inbound webhooks)
    Integrations {
        #[arg(long)]
        json: bool,
    },
    /// Create and manage inbound webhooks
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Offboarding checklists: templates, each leaver's steps, ticking them done
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Outbound event hooks: receivers told of dismissals and other changes (administrators)
    #[command(subcommand)]
    Hook(HookCommand),
    /// Portal settings (administrators)
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Grant company-structure access (may dismiss and hire)
    Grant { login: String },
    /// Revoke company-structure access
    Revoke { login: String },
    /// The audit log, newest first
    Audit(AuditArgs),
    /// Serve the webhook REST endpoint (the portal's inbound-webhook wire format)
    Serve(ServeArgs),
    /// SSH keys by which employees sign in over SSH
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Serve offboard through OpenSSH: sshd's key look-up, the session, the setup
    #[command(subcommand)]
    Ssh(SshCommand),
    /// Copy the company to a file while others keep using it (administrators)
    #[command(
        after_help = "The copy is one consistent state (SQLite's online backup API, in one step), written beside PATH with mode 0600 and renamed into place. --verify PATH checks a backup instead: integrity_check, the schema version and the audit chain; exit 1 names what failed."
    )]
    Backup(BackupArgs),
    /// Put a backup in place at the database path
    #[command(
        after_help = "The backup is checked first; one of a newer schema is always refused. A path that holds a company is replaced only with --force, by an administrator of it, in one transaction. The restore is recorded in the restored company's audit log when the acting login is one of its employees."
    )]
    Restore(RestoreArgs),
    /// SCIM 2.0 for identity providers (`serve` answers it under /scim/v2/)
    #[command(subcommand)]
    Scim(ScimCommand),
    /// Export employees with their departure records
    Export {
        #[arg(long, value_enum, default_value_t = StatusArg::Dismissed)]
        status: StatusArg,
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
    },
    /// Print the shell completion script for bash, zsh or fish
    #[command(
        after_help = "bash: offboard completions bash > ~/.local/share/bash-completion/completions/offboard
                      zsh:  offboard completions zsh > \"${fpath[1]}/_offboard\"
                      fish: offboard completions fish > ~/.config/fish/completions/offboard.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the manual page (roff), e.g. `offboard man | man -l -`
    Man,
    /// The config file: keys, theme colours, default database and base URL
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration as TOML (every key, with overrides applied), to save as a starting file
    Show {
        #[arg(long)]
        json: bool,
    },
}

/// The shells `offboard completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
}

// The arguments of the larger subcommands, one struct each so that a command family
// takes them whole. They have no `///` doc comment on purpose: clap would take it as
// the subcommand's help, which is the variant's.

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write (or, with --verify, to check)
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Check the backup at PATH instead of writing one
    #[arg(long)]
    pub verify: bool,
    /// Replace PATH if it exists
    #[arg(long, conflicts_with = "verify")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file to restore
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Replace the company at the database path
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Login of the first administrator
    #[arg(long, value_name = "LOGIN")]
    pub admin: String,
    /// Their name, "First Last"
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub email: String,
    /// The company's name
    #[arg(long, default_value = "Company")]
    pub company: String,
}

#[derive(Debug, Default, Args)]
pub struct ListArgs {
    /// Which employees (dismissed and all need the show_dismissed setting)
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only those whose name, login or email contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Dismissed employees who still own open tasks, CRM items, files or mailboxes
    #[arg(long)]
    pub still_owns: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    pub login: String,
    /// "First Last"
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub department: Option<String>,
    #[arg(long)]
    pub position: Option<String>,
    /// Hire date, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub hired_on: Option<String>,
}

#[derive(Debug, Args)]
pub struct DismissArgs {
    #[arg(required = true, num_args = 1.., value_name = "LOGIN")]
    pub logins: Vec<String>,
    /// Do not ask before a bulk dismissal
    #[arg(long)]
    pub yes: bool,
    /// What happens to their active integrations: keep them working under a system user, or disable them
    #[arg(long, value_enum)]
    pub integrations: Option<ChoiceArg>,
    #[arg(long, value_enum)]
    pub reason: Option<ReasonArg>,
    /// A free note kept with the departure record
    #[arg(long)]
    pub note: Option<String>,
    /// Schedule the dismissal for this date instead of now (applied when due)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<String>,
    /// Hand what they own to this employee first, in the same transaction
    #[arg(long, value_name = "LOGIN", conflicts_with = "on")]
    pub handover_to: Option<String>,
    /// The offboarding checklist to start: a template's name, or none [default: the company's default template]
    #[arg(long, value_name = "NAME|none")]
    pub checklist: Option<String>,
    /// With --handover-to: what to hand over [default: all]
    #[arg(
        long,
        value_name = "tasks,crm,files,mail,meetings",
        requires = "handover_to"
    )]
    pub what: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HireArgs {
    #[arg(required = true, num_args = 1.., value_name = "LOGIN")]
    pub logins: Vec<String>,
    /// Do not ask before a bulk rehire
    #[arg(long)]
    pub yes: bool,
    /// Give back the integrations their system user holds (secrets and URLs unchanged)
    #[arg(long)]
    pub return_integrations: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReassignArgs {
    pub login: String,
    /// The new responsible: an active employee
    #[arg(long, value_name = "LOGIN")]
    pub to: String,
    /// What to move [default: all]
    #[arg(long, value_name = "tasks,crm,files,mail,meetings")]
    pub what: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    #[arg(long, default_value_t = 100)]
    pub limit: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no event was deleted or changed (the hash chain) and that the
    /// database still refuses it: prints OK or the first broken event (exit 3)
    Verify,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one)
    #[arg(long, default_value = "127.0.0.1:8089")]
    pub addr: String,
    /// Serve HTTPS with this certificate chain (PEM)
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM)
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Event hooks: give up on one delivery attempt after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub hook_timeout: u64,
    /// Event hooks: retry an event for this many seconds, then mark the hook failing
    #[arg(long, value_name = "SECONDS", default_value_t = 86_400, value_parser = clap::value_parser!(u64).range(1..=604_800))]
    pub hook_retry_for: u64,
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// A leaver's offboarding checklist: each step with its owner, due date and state
    Show {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Tick step STEP (its number) of LOGIN's checklist done
    Done { login: String, step: i64 },
    /// Open a done step again
    Reopen { login: String, step: i64 },
    /// Open steps of every open checklist (yours, or all for staff), overdue first
    Open {
        #[arg(long, default_value_t = 500)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// The checklist templates and their steps
    Templates {
        #[arg(long)]
        json: bool,
    },
    /// Define a template (administrators)
    #[command(
        after_help = "Each --step is DAYS|OWNER|TITLE: DAYS from the leaving date (negative: before it), OWNER a login, head (the leaver's department head), structure (company-structure staff) or admins. Example: --step \"0|head|Collect the laptop and badge\""
    )]
    AddTemplate {
        name: String,
        #[arg(long = "step", value_name = "DAYS|OWNER|TITLE", required = true)]
        steps: Vec<String>,
        /// Start it on every dismissal that names no other
        #[arg(long)]
        default: bool,
    },
    /// Make NAME the default template, or none
    Default {
        #[arg(value_name = "NAME|none")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Register a receiver; prints its signing secret once, as the last line
    Create {
        /// Where deliveries are POSTed (http:// or https://; redirects are not followed)
        #[arg(long)]
        url: String,
        /// Event types to send, comma-separated (default: all)
        #[arg(long, value_name = "LIST")]
        events: Option<String>,
    },
    /// Every receiver with its state (active, failing, disabled) and backlog
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop delivering to a receiver (its events wait)
    Disable { id: i64 },
    /// Resume a disabled or failing receiver, from the event it stopped at
    Enable { id: i64 },
    /// A receiver's delivery log, newest first
    Deliveries {
        id: i64,
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[arg(long)]
        json: bool,
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
pub enum KeysCommand {
    /// Register a key of LOGIN: an authorized_keys line, quoted as one argument (ed25519, ecdsa, or rsa of at least 2048 bits), or - to read it from standard input
    Add {
        login: String,
        #[arg(allow_hyphen_values = true, value_name = "KEY")]
        key: String,
    },
    /// List SSH keys: LOGIN's, else all you may see (everyone's for staff, else your own)
    List {
        login: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remove a key: the next login with it is refused, and sessions signed in with it end
    Remove { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum SshCommand {
    /// sshd's AuthorizedKeysCommand (%t %k): for a key of an active employee, the one authorized_keys line that pins `ssh session`; otherwise nothing
    AuthorizedKeys {
        #[arg(value_name = "TYPE")]
        algorithm: String,
        #[arg(value_name = "BASE64")]
        key: String,
    },
    /// The forced command of a key: the TUI, or $SSH_ORIGINAL_COMMAND, as the key's owner
    Session {
        #[arg(long, value_name = "ID")]
        key: i64,
    },
    /// Print the sshd_config block and the steps that serve offboard over SSH
    Setup {
        /// The service account people connect as (ssh NAME@host)
        #[arg(long, value_name = "NAME", default_value = "offboard")]
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show dismissed employees in the employee list
    ShowDismissed {
        #[arg(value_enum)]
        state: OnOff,
    },
    /// What a SCIM deactivation does with the employee's active integrations (default disable)
    ScimIntegrations {
        #[arg(value_enum)]
        choice: ChoiceArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScimCommand {
    /// The bearer tokens of SCIM clients (administrators)
    #[command(subcommand)]
    Token(ScimTokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum ScimTokenCommand {
    /// Make a token for the SCIM client NAME; it is printed once, as the last line
    Create {
        #[arg(long, value_name = "NAME")]
        name: String,
    },
    /// List the SCIM clients' tokens (never the tokens themselves)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke the token of the SCIM client NAME: its next request is refused
    Revoke { name: String },
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
