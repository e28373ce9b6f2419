//! offboard served over SSH with real parts: a private OpenSSH server on 127.0.0.1
//! with its own host key and config, whose `AuthorizedKeysCommand` is the built binary
//! (copied to a folder only root may write, as sshd demands), a service account, and
//! the real `ssh` client with keys made by `ssh-keygen` (in tmux for the TUI).
//!
//! These need root (to make the account and to start sshd) and OpenSSH (`.ci/run`
//! installs it). Elsewhere they say why they are skipped; under CI they fail instead.
//! Tests that need neither are at the end.

mod binary;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The account people connect as.
const ACCOUNT: &str = "offboard-ssh";
/// Where the binary is installed for sshd: root's, not writable by group or others.
const INSTALL_DIR: &str = "/usr/local/lib/offboard-ssh-test";
const SSHD: &str = "/usr/sbin/sshd";
const WAIT: Duration = Duration::from_secs(15);

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The service account's uid and gid, and the installed binary, made once per run.
struct Host {
    uid: u32,
    gid: u32,
    program: PathBuf,
}

/// The host set up for these tests, or why it cannot be (then the test is skipped,
/// except under CI, where it fails).
fn host() -> Option<&'static Host> {
    static HOST: OnceLock<Result<Host, String>> = OnceLock::new();
    match HOST.get_or_init(prepare_host) {
        Ok(h) => Some(h),
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("the SSH tests cannot run: {why}")
        }
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

fn prepare_host() -> Result<Host, String> {
    let me = run_text(Command::new("id").arg("-u"))?;
    if me.trim() != "0" {
        return Err("they need root, to make a service account and start sshd".into());
    }
    for tool in [SSHD, "/usr/bin/ssh", "/usr/bin/ssh-keygen"] {
        if !Path::new(tool).exists() {
            return Err(format!(
                "{tool} is missing: install openssh-server and openssh-client (.ci/run does)"
            ));
        }
    }
    // Tests may run twice: make the account only when missing. The password field `*`
    // (no password) is not a locked account to sshd, as `!` would be.
    if Command::new("id")
        .arg(ACCOUNT)
        .output()
        .map_err(|e| e.to_string())?
        .status
        .success()
    {
    } else {
        run_text(Command::new("useradd").args(["--create-home", "--shell", "/bin/sh", ACCOUNT]))?;
    }
    run_text(Command::new("usermod").args(["-p", "*", ACCOUNT]))?;
    let uid: u32 = parse_id(&run_text(Command::new("id").args(["-u", ACCOUNT]))?)?;
    let gid: u32 = parse_id(&run_text(Command::new("id").args(["-g", ACCOUNT]))?)?;
    // sshd's privilege separation folder (made by systemd on a booted machine).
    std::fs::create_dir_all("/run/sshd").map_err(|e| format!("/run/sshd: {e}"))?;
    std::fs::set_permissions("/run/sshd", std::fs::Permissions::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    let dir = Path::new(INSTALL_DIR);
    std::fs::create_dir_all(dir).map_err(|e| format!("{INSTALL_DIR}: {e}"))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    // Copied beside, then renamed: a binary that an sshd of an earlier run still
    // executes cannot be written over.
    let program = dir.join("offboard");
    let fresh = dir.join(format!(".offboard-{}", std::process::id()));
    std::fs::copy(binary::BIN, &fresh).map_err(|e| format!("copy the binary: {e}"))?;
    std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    std::fs::rename(&fresh, &program).map_err(|e| e.to_string())?;
    Ok(Host { uid, gid, program })
}

fn parse_id(s: &str) -> Result<u32, String> {
    s.trim().parse().map_err(|e| format!("id {s:?}: {e}"))
}

fn run_text(c: &mut Command) -> Result<String, String> {
    let out = c.output().map_err(|e| format!("{c:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{c:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One test's world: a demo company owned by the service account, a private sshd in
/// front of it, and a folder for keys. The sshd is killed when it is dropped.
struct World {
    host: &'static Host,
    tmp: TempDir,
    db: PathBuf,
    port: u16,
    sshd: Child,
}

impl World {
    fn new() -> Option<World> {
        let host = host()?;
        let tmp = tempfile::tempdir().expect("tempdir");
        // The account must reach its database; the keys stay root's (ssh wants that).
        std::os::unix::fs::chown(tmp.path(), Some(host.uid), Some(host.gid)).expect("chown");
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        let db = tmp.path().join("company.db");
        let world_db = db.clone();
        let out = as_account(host, &world_db, &["demo"]);
        assert!(out.status.success(), "demo: {}", text(&out.stderr));
        let keys = tmp.path().join("keys");
        std::fs::create_dir(&keys).expect("keys folder");
        std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        let (sshd, port) = start_sshd(host, tmp.path(), &db);
        Some(World {
            host,
            tmp,
            db,
            port,
            sshd,
        })
    }

    /// `offboard --db DB ARGS` on the host, as the service account (the owner of the file).
    fn offboard(&self, args: &[&str]) -> Output {
        as_account(self.host, &self.db, args)
    }

    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let out = self.offboard(args);
        assert!(
            out.status.success(),
            "offboard {args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// A new key pair made by ssh-keygen; returns the private key's path.
    fn keygen(&self, name: &str) -> PathBuf {
        let path = self.tmp.path().join("keys").join(name);
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&path)
            .output()
            .expect("ssh-keygen");
        assert!(out.status.success(), "ssh-keygen: {}", text(&out.stderr));
        path
    }

    /// Register the public half of `key` for `login`, as admin; returns the key's ID.
    fn register(&self, login: &str, key: &Path) -> i64 {
        let public = std::fs::read_to_string(key.with_extension("pub")).expect("public key");
        let said = self.ok(&["--as", "admin", "keys", "add", login, public.trim()]);
        said.split('#')
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no key ID in {said:?}"))
    }

    /// The `ssh` client's arguments up to the host, with `key`.
    fn ssh_args(&self, key: &Path) -> Vec<String> {
        [
            "-F",
            "/dev/null",
            "-i",
            &key.display().to_string(),
            "-p",
            &self.port.to_string(),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "ConnectTimeout=10",
            &format!("{ACCOUNT}@127.0.0.1"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// `ssh … COMMAND` with `key`, no terminal.
    fn ssh(&self, key: &Path, command: &[&str]) -> Output {
        Command::new("ssh")
            .args(self.ssh_args(key))
            // The command's own flags are not the client's.
            .arg("--")
            .args(command)
            .stdin(Stdio::null())
            .output()
            .expect("ssh")
    }

    fn status_of(&self, login: &str) -> String {
        let out = self.ok(&["--as", "admin", "show", login, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out).expect("show --json");
        v["status"].as_str().expect("a status").to_string()
    }

    fn sshd_log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("sshd.log")).unwrap_or_default()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

fn as_account(host: &Host, db: &Path, args: &[&str]) -> Output {
    let home = db.parent().expect("a folder").join("home");
    let _ = std::fs::create_dir_all(&home);
    let _ = std::os::unix::fs::chown(&home, Some(host.uid), Some(host.gid));
    binary::command(&home, db, args)
        .uid(host.uid)
        .gid(host.gid)
        .output()
        .expect("run offboard")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A free port on loopback, for sshd to listen on.
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Start `sshd -D -e` with its own host key and config, and wait until it greets a
/// connection with its banner.
fn start_sshd(host: &Host, folder: &Path, db: &Path) -> (Child, u16) {
    let host_key = folder.join("host_key");
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&host_key)
        .output()
        .expect("ssh-keygen");
    assert!(out.status.success(), "host key: {}", text(&out.stderr));
    for attempt in 0..5 {
        let port = free_port();
        let config = folder.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "\
Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile none
UsePAM no
LogLevel VERBOSE
AllowUsers {ACCOUNT}
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile none
AuthorizedKeysCommand {program} --db {db} ssh authorized-keys %t %k
AuthorizedKeysCommandUser {ACCOUNT}
PermitTTY yes
AllowTcpForwarding no
X11Forwarding no
",
                host_key = host_key.display(),
                program = host.program.display(),
                db = db.display(),
            ),
        )
        .expect("sshd_config");
        let log = std::fs::File::create(folder.join("sshd.log")).expect("sshd.log");
        let mut child = Command::new(SSHD)
            .arg("-f")
            .arg(&config)
            .args(["-D", "-e"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start sshd");
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("sshd status") {
                let log = std::fs::read_to_string(folder.join("sshd.log")).unwrap_or_default();
                if log.contains("Address already in use") && attempt < 4 {
                    break;
                }
                panic!("sshd ended ({status}) before it accepted a connection:\n{log}");
            }
            if greets(port) {
                return (child, port);
            }
            if start.elapsed() > WAIT {
                let _ = child.kill();
                panic!("sshd did not accept connections within {WAIT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("no free port for sshd");
}

/// Whether something on `port` answers with an SSH banner.
fn greets(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = [0u8; 8];
    matches!(s.read(&mut buf), Ok(n) if n >= 4 && buf.starts_with(b"SSH-"))
}

#[track_caller]
fn assert_refused_at_authentication(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{what}: {err}");
    assert!(
        err.contains("Permission denied (publickey)"),
        "{what}: {err}"
    );
    assert!(out.stdout.is_empty(), "{what}: {}", text(&out.stdout));
}

#[test]
fn a_key_of_an_active_employee_runs_commands_as_them() {
    let Some(w) = World::new() else { return };
    let key = w.keygen("hr");
    let id = w.register("hr", &key);

    let out = w.ssh(&key, &["list", "--json"]);
    assert!(
        out.status.success(),
        "list --json over SSH: {}\nsshd:\n{}",
        text(&out.stderr),
        w.sshd_log()
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(rows.as_array().is_some_and(|r| r.len() > 30), "{rows:?}");

    // Words are split as a shell would, and the change is made as the key's owner.
    let out = w.ssh(
        &key,
        &[
            "dismiss",
            "jdoe",
            "--reason",
            "resigned",
            "--note",
            "'Moved abroad'",
        ],
    );
    assert!(
        out.status.success(),
        "dismiss over SSH: {}",
        text(&out.stderr)
    );
    assert_eq!(w.status_of("jdoe"), "dismissed");
    let audit = w.ok(&["--as", "admin", "audit", "--limit", "1", "--json"]);
    let last: serde_json::Value = serde_json::from_str(&audit).expect("audit JSON");
    assert_eq!(last[0]["action"], "dismiss", "{last}");
    assert_eq!(last[0]["actor"], "hr", "{last}");
    assert_eq!(last[0]["target"], "jdoe", "{last}");
    // The audit says how hr got in: over SSH, with the key's fingerprint, as
    // `ssh-keygen -l` prints it for the key file.
    let listed = w.ok(&["--as", "admin", "keys", "list", "hr", "--json"]);
    let keys: serde_json::Value = serde_json::from_str(&listed).expect("keys JSON");
    let fingerprint = keys
        .as_array()
        .and_then(|k| k.iter().find(|k| k["id"] == id))
        .map(|k| k["fingerprint"].clone())
        .unwrap_or_else(|| panic!("key #{id} not listed: {listed}"));
    let by_keygen = std::process::Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(key.with_extension("pub"))
        .output()
        .expect("ssh-keygen -l");
    assert!(
        text(&by_keygen.stdout).contains(fingerprint.as_str().unwrap_or("?")),
        "{fingerprint} is the key's: {}",
        text(&by_keygen.stdout)
    );
    assert_eq!(last[0]["via"]["door"], "ssh", "{last}");
    assert_eq!(last[0]["via"]["key"], id, "{last}");
    assert_eq!(last[0]["via"]["fingerprint"], fingerprint, "{last}");
    let table = w.ok(&["--as", "admin", "audit", "--limit", "1"]);
    assert!(
        table.contains(fingerprint.as_str().unwrap_or("?")),
        "the audit table names the key: {table}"
    );
    let show = w.ok(&["--as", "admin", "show", "jdoe", "--json"]);
    assert!(show.contains("Moved abroad"), "{show}");

    // Who acts and which database are the key's to decide.
    for command in [
        &["--as", "admin", "list"][..],
        &["list", "--as", "admin"],
        &["list", "--db", "/tmp/other.db"],
        &["--demo"],
        &["demo"],
        &["serve"],
        &["ssh", "setup"],
    ] {
        let out = w.ssh(&key, command);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {err}");
        assert!(err.contains("not allowed over SSH"), "{command:?}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("offboard:")).count(),
            1,
            "{err}"
        );
        assert!(out.stdout.is_empty(), "{command:?}");
    }
    // The forced command names this key.
    let line = w.ok(&[
        "ssh",
        "authorized-keys",
        "ssh-ed25519",
        &public_base64(&key),
    ]);
    assert!(
        line.contains(&format!("ssh session --key {id}\"")),
        "{line}"
    );
}

fn public_base64(key: &Path) -> String {
    let public = std::fs::read_to_string(key.with_extension("pub")).expect("public key");
    public
        .split_whitespace()
        .nth(1)
        .expect("base64")
        .to_string()
}

#[test]
fn keys_of_nobody_of_a_dismissed_employee_and_removed_keys_are_refused_at_authentication() {
    let Some(w) = World::new() else { return };
    let nobody = w.keygen("nobody");
    assert_refused_at_authentication(&w.ssh(&nobody, &["list"]), "a key of nobody");

    let tlang = w.keygen("tlang");
    w.register("tlang", &tlang);
    let out = w.ssh(&tlang, &["show", "tlang"]);
    assert!(out.status.success(), "before: {}", text(&out.stderr));
    w.ok(&["--as", "hr", "dismiss", "tlang", "--integrations", "keep"]);
    assert_refused_at_authentication(&w.ssh(&tlang, &["list"]), "a dismissed employee's key");

    let jdoe = w.keygen("jdoe");
    let id = w.register("jdoe", &jdoe);
    let out = w.ssh(&jdoe, &["keys", "list"]);
    assert!(out.status.success(), "before: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("jdoe"), "{}", text(&out.stdout));
    w.ok(&["--as", "jdoe", "keys", "remove", &id.to_string()]);
    assert_refused_at_authentication(&w.ssh(&jdoe, &["list"]), "a removed key");
}

/// A tmux server of this test's own, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Tmux {
        let t = Tmux {
            socket: format!(
                "offboard-ssh-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            ),
        };
        t.run(&[
            "new-session",
            "-d",
            "-s",
            "ssh",
            "-x",
            "100",
            "-y",
            "30",
            "sh",
        ]);
        t.run(&["resize-window", "-t", "ssh", "-x", "100", "-y", "30"]);
        t.run(&["send-keys", "-t", "ssh", "-l", "echo SHELL''READY"]);
        t.run(&["send-keys", "-t", "ssh", "Enter"]);
        // The echo's output, not the typed command (which has the quotes): keys typed
        // before the shell's first prompt make the output follow that prompt, "# ".
        t.wait_until("the shell", WAIT, |s| {
            s.lines().any(|l| {
                let l = l.trim();
                l.ends_with("SHELLREADY") && !l.contains('\'')
            })
        });
        t.run(&["send-keys", "-t", "ssh", "-l", command]);
        t.run(&["send-keys", "-t", "ssh", "Enter"]);
        t
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .env("PS1", "$ ")
            .output()
            .expect("tmux (.ci/run installs it)");
        assert!(out.status.success(), "tmux {args:?}: {}", text(&out.stderr));
        out
    }

    fn capture(&self) -> String {
        text(&self.run(&["capture-pane", "-p", "-t", "ssh"]).stdout)
    }

    #[track_caller]
    fn wait_until(&self, what: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > limit {
                panic!("waited {limit:?} for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

#[test]
fn the_tui_over_ssh_is_the_employees_and_ends_within_two_seconds_of_a_dismissal_or_key_removal() {
    let Some(w) = World::new() else { return };
    // A second administrator, so that one can be dismissed.
    w.ok(&[
        "--as",
        "admin",
        "add",
        "--login",
        "ops",
        "--name",
        "Olga Petrova",
        "--email",
        "olga@corvane.example",
    ]);
    promote_to_admin(&w.db, "ops");
    let key = w.keygen("ops");
    w.register("ops", &key);

    let line = format!("ssh -t {}; echo EXIT=$?", w.ssh_args(&key).join(" "));
    let tmux = Tmux::start(&line);
    let connecting = Instant::now();
    tmux.wait_until("the TUI's header as ops", WAIT, |s| {
        s.contains("Olga Petrova (ops)") && s.contains("administrator") && s.contains("Employees (")
    });
    // The figure the issue asks to report (debug build, loopback, key exchange included).
    eprintln!(
        "ssh connect to the first TUI frame: {:?}",
        connecting.elapsed()
    );

    w.ok(&["--as", "admin", "dismiss", "ops"]);
    let dismissed = Instant::now();
    let screen = tmux.wait_until("the session to end", WAIT, session_ended);
    let took = dismissed.elapsed();
    eprintln!("the session ended {took:?} after the dismissal");
    assert!(
        took < Duration::from_secs(2),
        "the session ended {took:?} after the dismissal:\n{screen}"
    );
    assert!(screen.contains("EXIT=3"), "{screen}");
    assert!(screen.contains("access revoked"), "{screen}");

    // Removing the key a session signed in with ends it the same way.
    let hr = w.keygen("hr");
    let id = w.register("hr", &hr);
    let line = format!("ssh -t {}; echo EXIT=$?", w.ssh_args(&hr).join(" "));
    let tmux = Tmux::start(&line);
    let screen = tmux.wait_until("the TUI's header as hr", WAIT, |s| {
        s.contains("Laura Jensen (hr)") && s.contains("Employees (") && s.contains(" 1/40 ")
    });
    // The mouse works through SSH as in a local terminal: a click is bytes on the pty.
    // A press and release of the left button on Jane Doe's row, in SGR form.
    let (x, y) = screen
        .lines()
        .enumerate()
        .find_map(|(y, l)| {
            l.find("Jane Doe")
                .map(|i| (l[..i].chars().count() + 1, y + 1))
        })
        .unwrap_or_else(|| panic!("Jane Doe is not on the screen:\n{screen}"));
    let click = format!("\u{1b}[<0;{x};{y}M\u{1b}[<0;{x};{y}m");
    tmux.run(&["send-keys", "-t", "ssh", "-l", &click]);
    tmux.wait_until("the click to select Jane Doe", WAIT, |s| {
        s.contains(" 10/40 ")
    });
    w.ok(&["--as", "admin", "keys", "remove", &id.to_string()]);
    let removed = Instant::now();
    let screen = tmux.wait_until("the session to end", WAIT, session_ended);
    let took = removed.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "the session ended {took:?} after its key was removed:\n{screen}"
    );
    assert!(screen.contains("EXIT=3"), "{screen}");
    assert!(
        screen.contains(&format!("SSH key #{id} was removed")),
        "{screen}"
    );
}

/// The shell has printed the session's exit status in full (`EXIT=3`) and its next
/// prompt: a capture that lands while `EXIT=` is half drawn does not count.
fn session_ended(screen: &str) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    lines.iter().enumerate().any(|(i, l)| {
        l.strip_prefix("EXIT=").is_some_and(|code| {
            !code.trim().is_empty() && code.trim().chars().all(|c| c.is_ascii_digit())
        }) && lines[i + 1..].iter().any(|next| next.starts_with('#'))
    })
}

/// Make `login` an administrator: no command does that but `init` (for the first).
fn promote_to_admin(db: &Path, login: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    let n = conn
        .execute(
            "UPDATE employees SET is_admin = 1 WHERE login = ?1",
            [login],
        )
        .expect("update");
    assert_eq!(n, 1);
}

// ---- Without sshd: the binary as sshd and the forced command call it.

const ED25519: &str = include_str!("ssh/keys/ed25519.pub");
const ECDSA: &str = include_str!("ssh/keys/ecdsa.pub");

/// A demo company made by the binary in a folder of its own.
fn company() -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("company.db");
    let out = binary::command(tmp.path(), &db, &["demo"])
        .output()
        .expect("demo");
    assert!(out.status.success(), "demo: {}", text(&out.stderr));
    (tmp, db)
}

fn offboard_at(tmp: &Path, db: &Path, args: &[&str]) -> Output {
    binary::command(tmp, db, args).output().expect("offboard")
}

fn key_words(line: &str) -> Vec<&str> {
    line.split_whitespace().take(2).collect()
}

#[test]
fn authorized_keys_prints_one_pinned_line_for_an_active_employees_key_and_nothing_else() {
    let (tmp, db) = company();
    let t = tmp.path();
    let out = offboard_at(
        t,
        &db,
        &["--as", "hr", "keys", "add", "tlang", ED25519.trim()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let kw = key_words(ED25519);
    let ask = |words: &[&str]| {
        let mut args = vec!["ssh", "authorized-keys"];
        args.extend_from_slice(words);
        offboard_at(t, &db, &args)
    };
    let out = ask(&kw);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    let db_abs = std::fs::canonicalize(&db).expect("canonical");
    let expected = format!(
        "restrict,pty,command=\"{} --db {} ssh session --key 1\" {} {}\n",
        binary::BIN,
        db_abs.display(),
        kw[0],
        kw[1]
    );
    assert_eq!(said, expected);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));

    // A key of nobody, another type's name, garbage: nothing at all, status 0.
    for words in [
        key_words(ECDSA),
        vec!["ssh-rsa", kw[1]],
        vec!["ssh-ed25519", "AAAA"],
    ] {
        let out = ask(&words);
        assert_eq!(out.status.code(), Some(0), "{words:?}");
        assert!(out.stdout.is_empty(), "{words:?}: {}", text(&out.stdout));
    }
    let out = offboard_at(
        t,
        &db,
        &["--as", "hr", "dismiss", "tlang", "--integrations", "keep"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = ask(&kw);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "dismissed: {}", text(&out.stdout));
}

#[test]
fn the_session_refuses_a_removed_key_and_what_a_key_does_not_decide() {
    let (tmp, db) = company();
    let t = tmp.path();
    let out = offboard_at(
        t,
        &db,
        &["--as", "admin", "keys", "add", "jdoe", ED25519.trim()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let session = |command: &str| {
        binary::command(t, &db, &["ssh", "session", "--key", "1"])
            .env("SSH_ORIGINAL_COMMAND", command)
            .output()
            .expect("session")
    };
    let out = session("show jdoe --json");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"login\": \"jdoe\""));
    let out = session("keys list --json");
    assert!(text(&out.stdout).contains("\"login\": \"jdoe\""));
    for refused in [
        "--as admin list",
        "list --db /tmp/x.db",
        "--demo",
        "init --admin a --name 'A B' --email a@b.example",
        "ssh authorized-keys ssh-ed25519 AAAA",
        "list 'unclosed",
        "--config /tmp/x.toml list",
        "list --config /tmp/x.toml",
        "config show",
    ] {
        let out = session(refused);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{refused}: {err}");
        assert_eq!(err.lines().count(), 1, "{refused}: {err}");
        assert!(out.stdout.is_empty(), "{refused}");
    }
    // jdoe may not dismiss: the command runs as her, not as whoever ran sshd.
    let out = session("dismiss tlang --integrations keep");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));

    let out = offboard_at(t, &db, &["--as", "admin", "keys", "remove", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = session("list");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        text(&out.stderr),
        "offboard: access revoked: SSH key #1 was removed\n"
    );

    // A dismissed owner's key is refused too (sshd would not even have let them in).
    let out = offboard_at(
        t,
        &db,
        &["--as", "admin", "keys", "add", "tlang", ECDSA.trim()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = offboard_at(
        t,
        &db,
        &["--as", "hr", "dismiss", "tlang", "--integrations", "keep"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = binary::command(t, &db, &["ssh", "session", "--key", "2"])
        .env("SSH_ORIGINAL_COMMAND", "list")
        .output()
        .expect("session");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        text(&out.stderr),
        "offboard: access revoked: tlang is dismissed and has no access\n"
    );
}

#[test]
fn setup_prints_the_sshd_block_for_the_account() {
    let (tmp, db) = company();
    let out = offboard_at(tmp.path(), &db, &["ssh", "setup", "--user", "portal"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    let db_abs = std::fs::canonicalize(&db).expect("canonical");
    for needle in [
        "Match User portal".to_string(),
        format!(
            "AuthorizedKeysCommand {} --db {} ssh authorized-keys %t %k",
            binary::BIN,
            db_abs.display()
        ),
        "AuthorizedKeysCommandUser portal".into(),
        "AuthorizedKeysFile none".into(),
        "PermitTTY yes".into(),
        "usermod -p '*' portal".into(),
    ] {
        assert!(said.contains(&needle), "{needle}\n{said}");
    }
}
