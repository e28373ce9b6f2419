//! Serving offboard through OpenSSH, the way git hosts do: sshd does the
//! cryptography and asks `ssh authorized-keys` whose key it was offered; the line that
//! answers pins the forced command `ssh session --key ID`, which signs the key's owner
//! in and runs the TUI or the command line they sent. `ssh setup` prints the sshd side.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use super::args::{Cli, Command, Forced, SshCommand};
use super::{Exit, SignedIn, database_path, open_directory, terminal_ui};
use crate::Directory;
use crate::domain::{Actor, Door, Error, Result};

/// The flags that say who acts or which database: an SSH session's key decides both.
/// `--config` too: the server's config file applies, never one the remote user names.
const FIXED_BY_THE_KEY: &[(&str, &str)] = &[
    ("as_login", "--as"),
    ("db", "--db"),
    ("demo", "--demo"),
    ("config", "--config"),
];

/// `offboard ssh …`.
pub(super) fn ssh(
    cli: &Cli,
    command: SshCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    match command {
        SshCommand::AuthorizedKeys { algorithm, key } => {
            authorized_keys(cli, &algorithm, &key, out)?
        }
        SshCommand::Session { key } => return session(cli, key, out, err),
        SshCommand::Setup { user } => setup(cli, &user, out)?,
    }
    Ok(Exit::Done)
}

/// sshd's `AuthorizedKeysCommand … %t %k`: one line for a key of an active employee,
/// nothing for any other (sshd then refuses the key). Nothing else is ever written to
/// standard output, and the look-up is one probe of an index.
fn authorized_keys(cli: &Cli, algorithm: &str, key: &str, out: &mut dyn Write) -> Result<()> {
    let db = absolute_database(cli)?;
    let Some(dir) = Directory::open_for_lookup(&db)? else {
        return Ok(());
    };
    match dir.offered_key(algorithm, key)? {
        Some(found) if found.lets_in => {
            let command = format!(
                "{} --db {} ssh session --key {}",
                quoted(&this_program()?)?,
                quoted(&db)?,
                found.id
            );
            writeln!(
                out,
                "restrict,pty,command=\"{}\" {} {}",
                command.replace('\\', "\\\\").replace('"', "\\\""),
                found.algorithm,
                key
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// The forced command of key `key`: signs its owner in (a removed key or a dismissed
/// owner is refused), then the TUI, or the command line sshd passes in
/// `SSH_ORIGINAL_COMMAND`, run as that employee.
fn session(cli: &Cli, key: i64, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    let db = database_path(cli)?;
    let mut dir = open_directory(cli, err)?;
    let (me, found) = dir.sign_in_by_key(key)?;
    let door = Door::Ssh {
        key,
        fingerprint: found.fingerprint,
    };
    let sent = std::env::var("SSH_ORIGINAL_COMMAND")
        .ok()
        .filter(|c| !c.trim().is_empty());
    let Some(line) = sent else {
        dir.set_door(door);
        let actor = Actor::user(me.id);
        return terminal_ui(SignedIn { dir, me, actor }, super::tui_options(cli), out);
    };
    drop(dir);
    let mut inner = match session_command(&line)? {
        Parsed::Run(inner) => inner,
        Parsed::Said(text) => {
            write!(out, "{text}")?;
            return Ok(Exit::Done);
        }
    };
    inner.db = Some(db);
    inner.as_login = None;
    // The config this process read at start: the service account's own file.
    inner.settings = cli.settings.clone();
    inner.forced = Some(Forced {
        login: me.login,
        door,
    });
    super::run(*inner, out, err)
}

/// A command line sent over SSH, read as offboard's own arguments.
enum Parsed {
    Run(Box<Cli>),
    /// `--help` or `--version`: clap's text, to print.
    Said(String),
}

/// Split `line` into words as a shell would (without running one) and parse them as
/// offboard's arguments, refusing what an SSH key does not allow: choosing who acts or
/// which database, and the commands that make, serve or configure one.
fn session_command(line: &str) -> Result<Parsed> {
    let words = shlex::split(line).ok_or_else(|| {
        Error::invalid("cannot read the command sent over SSH: a quote is not closed")
    })?;
    let args = std::iter::once("offboard".to_string()).chain(words);
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) if !e.use_stderr() => return Ok(Parsed::Said(e.render().to_string())),
        Err(e) => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("bad arguments");
            return Err(Error::invalid(
                first.trim_start_matches("error: ").to_string(),
            ));
        }
    };
    for (id, flag) in FIXED_BY_THE_KEY {
        if matches.value_source(id) == Some(ValueSource::CommandLine) {
            return Err(Error::invalid(format!(
                "{flag} is not allowed over SSH: your key decides who acts and on which database"
            )));
        }
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|e| Error::invalid(e.to_string()))?;
    let refused = match &cli.command {
        Some(Command::Demo { .. }) => Some("demo"),
        Some(Command::Init(_)) => Some("init"),
        Some(Command::Serve(_)) => Some("serve"),
        Some(Command::Ssh(_)) => Some("ssh"),
        Some(Command::Backup(_)) => Some("backup"),
        Some(Command::Restore(_)) => Some("restore"),
        Some(Command::Config(_)) => Some("config"),
        _ => None,
    };
    if let Some(name) = refused {
        return Err(Error::invalid(format!(
            "`{name}` is not allowed over SSH: it makes, copies, restores, serves or configures a database; run it on the host"
        )));
    }
    Ok(Parsed::Run(Box::new(cli)))
}

/// `offboard ssh setup`: the sshd_config block for one service account, and the steps.
fn setup(cli: &Cli, user: &str, out: &mut dyn Write) -> Result<()> {
    crate::domain::validate::login(user)
        .map_err(|_| Error::invalid(format!("--user \"{user}\" is not a user name")))?;
    let db = absolute_database(cli)?;
    let exe = this_program()?;
    let (exe, db) = (quoted(&exe)?, quoted(&db)?);
    writeln!(
        out,
        "\
# Serving offboard over SSH, for the service account {user}.
#
# 1. The account: a shell, no password (the field `*`, which sshd does not take for a
#    locked account), and the database file its own:
#      useradd --create-home --shell /bin/sh {user}
#      usermod -p '*' {user}
#      chown {user}: {db}   (and its folder, so SQLite can write beside it)
# 2. sshd runs the AuthorizedKeysCommand only from a file that root owns and no group
#    or other user can write, in folders likewise up to /: install offboard so, e.g.
#      install -o root -g root -m 0755 offboard /usr/local/bin/offboard
#    and use that path below.
# 3. Register each person's key:  offboard keys add LOGIN - < their_key.pub
# 4. Put this block at the end of /etc/ssh/sshd_config (or in sshd_config.d/), check
#    it with `sshd -t`, and reload sshd:

Match User {user}
    AuthorizedKeysFile none
    AuthorizedKeysCommand {exe} --db {db} ssh authorized-keys %t %k
    AuthorizedKeysCommandUser {user}
    PubkeyAuthentication yes
    PasswordAuthentication no
    KbdInteractiveAuthentication no
    PermitTTY yes
    AllowTcpForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTunnel no

# 5. Then `ssh -t {user}@HOST` opens the terminal UI as the key's owner, and
#    `ssh {user}@HOST list --json` runs one command as them. Dismissing someone, or
#    `offboard keys remove ID`, refuses their next login and ends their open sessions
#    within two seconds."
    )?;
    Ok(())
}

/// The database as an absolute path: sshd runs the forced command from the service
/// account's home folder.
fn absolute_database(cli: &Cli) -> Result<PathBuf> {
    let db = database_path(cli)?;
    std::fs::canonicalize(&db)
        .map_err(|e| Error::io(format!("cannot find the database {}", db.display()), &e))
}

fn this_program() -> Result<PathBuf> {
    std::env::current_exe()
        .map_err(|e| Error::io("cannot tell where this program is installed", &e))
}

/// A path as one word of a shell command line (sshd runs the forced command with the
/// account's shell).
fn quoted(path: &Path) -> Result<String> {
    let text = path
        .to_str()
        .ok_or_else(|| Error::other(format!("{} is not UTF-8", path.display())))?;
    shlex::try_quote(text).map(|q| q.into_owned()).map_err(|_| {
        Error::other(format!(
            "{} cannot be written in a command line",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(line: &str) -> String {
        match session_command(line) {
            Err(e) => {
                assert_eq!(e.exit_code(), 2, "{line}: {e}");
                e.to_string()
            }
            Ok(_) => panic!("{line} was accepted"),
        }
    }

    #[test]
    fn who_acts_and_which_database_are_refused_wherever_they_stand() {
        for line in [
            "--as admin list",
            "list --as admin",
            "list --as=admin",
            "--db /tmp/x.db list",
            "list --db=/tmp/x.db",
            "--demo list",
            "dismiss jdoe --demo",
        ] {
            let said = refusal(line);
            assert!(said.contains("not allowed over SSH"), "{line}: {said}");
        }
    }

    #[test]
    fn making_serving_and_configuring_are_refused() {
        for line in [
            "demo",
            "init --admin a --name 'A B' --email a@b.c",
            "serve",
            "ssh setup",
            "backup /tmp/copy.db",
            "backup --verify /tmp/copy.db",
            "restore /tmp/copy.db --force",
        ] {
            let said = refusal(line);
            assert!(said.contains("not allowed over SSH"), "{line}: {said}");
        }
    }

    #[test]
    fn ordinary_commands_parse_with_shell_quoting() {
        let Ok(Parsed::Run(cli)) = session_command("dismiss tlang --note 'Moved abroad' --yes")
        else {
            panic!("refused");
        };
        let Some(Command::Dismiss(args)) = cli.command else {
            panic!("not a dismissal");
        };
        assert_eq!(args.note.as_deref(), Some("Moved abroad"));
        assert!(matches!(session_command("--help"), Ok(Parsed::Said(_))));
        let said = refusal("show 'jdoe");
        assert!(said.contains("quote"), "{said}");
        let said = refusal("list --bogus");
        assert!(!said.contains('\n'), "{said}");
    }

    /// `ssh -t offboard@host --no-mouse`: the terminal UI, without the mouse.
    #[test]
    fn the_tui_over_ssh_can_be_asked_for_without_the_mouse() {
        let Ok(Parsed::Run(cli)) = session_command("--no-mouse") else {
            panic!("refused");
        };
        assert!(cli.command.is_none(), "the terminal UI");
        assert!(!super::super::tui_options(&cli).mouse);
    }
}
