//! A real third-party client against the webhook REST endpoint: the Python package
//! fast-bitrix24, installed unchanged from the Python package index into a virtualenv
//! cached under `target/pyenv/fast-bitrix24` (tests/pyenv), runs tests/python/test_fast_bitrix24.py against
//! `offboard serve` over plain HTTP.
//!
//! This test sets everything up itself: the virtualenv (created on first use, reused
//! afterwards), a demo company with extra employees so that `user.get` has more than
//! one page, two webhooks, and the server on an ephemeral port. It needs `python3`
//! with the `venv` module (Debian: the python3-venv package) and, on the first run,
//! access to the package index. Without them it fails, saying what is missing.

mod binary;
mod pyenv;

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use binary::BIN;
use tempfile::TempDir;
/// Employees added to the 40 active ones of the demo company: 100 in all, two pages and
/// more, and more than 50 whose first name contains `NAME_PART`.
const EXTRA_EMPLOYEES: usize = 60;
const NAME_PART: &str = "an";
const FIRST_NAMES: &[&str] = &[
    "Anja", "Jan", "Stefan", "Johan", "Ivan", "Hanne", "Danai", "Roman", "Anton", "Susanne",
];
const LAST_NAMES: &[&str] = &["Berg", "Vos", "Lund", "Kowalski", "Moreau", "Silva"];
const DEPARTMENTS: &[&str] = &["Operations", "Sales", "Platform Team", "Field Service"];
/// Whose webhook is kept on dismissal, and whose is disabled.
const KEEP_OWNER: &str = "tlang";
const DISABLE_OWNER: &str = "jdoe";
const STAFF: &str = "hr";

const SERVER_START_TIMEOUT: Duration = Duration::from_secs(30);
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);

fn run_ok(cmd: &mut Command, what: &str) -> String {
    let out = pyenv::output(cmd, what);
    assert!(
        out.status.success(),
        "{what} failed: {}",
        pyenv::describe(&out)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn extra_employees_csv() -> String {
    let mut csv = String::from("login,first_name,last_name,email,position,department,hired_on\n");
    for i in 0..EXTRA_EMPLOYEES {
        let first = FIRST_NAMES[i % FIRST_NAMES.len()];
        let last = LAST_NAMES[i % LAST_NAMES.len()];
        let dept = DEPARTMENTS[i % DEPARTMENTS.len()];
        let hired = if i % 5 == 0 { "" } else { "2024-05-01" };
        writeln!(
            csv,
            "fbclient{i:03},{first},{last},fbclient{i:03}@corvane.example,Analyst,{dept},{hired}"
        )
        .expect("write to a String");
    }
    csv
}

/// `offboard serve` on an ephemeral port, killed when dropped.
struct Server {
    child: Child,
    // Kept open so the server never writes to a closed pipe.
    _stdout: Option<BufReader<ChildStdout>>,
    base: String,
    stderr_path: PathBuf,
}

impl Server {
    fn start(home: &Path, db: &Path) -> Server {
        let stderr_path = home.join("serve.stderr");
        let stderr = File::create(&stderr_path).expect("serve stderr file");
        let mut child = binary::command(home, db, &[])
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN} serve: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let read = reader.read_line(&mut line).map(|_| line);
            let _ = tx.send((read, reader));
        });
        let mut server = Server {
            child,
            _stdout: None,
            base: String::new(),
            stderr_path,
        };
        let (line, reader) = match rx.recv_timeout(SERVER_START_TIMEOUT) {
            Ok((Ok(line), reader)) => (line, reader),
            Ok((Err(e), _)) => panic!("cannot read the server's output: {e}{}", server.stderr()),
            Err(_) => panic!(
                "offboard serve printed nothing within {SERVER_START_TIMEOUT:?}{}",
                server.stderr()
            ),
        };
        server._stdout = Some(reader);
        let base = line
            .trim()
            .strip_prefix("Listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "offboard serve's first line is {line:?}, not \"Listening on URL\"{}",
                    server.stderr()
                )
            })
            .trim_end_matches('/')
            .to_string();
        assert!(
            base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
            "unexpected listening address {base:?}"
        );
        server.base = base;
        server
    }

    fn stderr(&self) -> String {
        match fs::read_to_string(&self.stderr_path) {
            Ok(s) if !s.trim().is_empty() => format!("\n--- server stderr\n{}", s.trim_end()),
            _ => String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `offboard --as OWNER webhook create`; the URL is the last line.
fn create_webhook(home: &Path, db: &Path, base: &str, owner: &str, title: &str) -> String {
    let stdout = run_ok(
        binary::command(home, db, &[])
            .args(["--as", owner, "webhook", "create", "--title", title])
            .args(["--scopes", "user,task,crm"])
            .env("OFFBOARD_BASE_URL", base),
        &format!("webhook create as {owner}"),
    );
    let url = stdout.lines().last().unwrap_or_default().trim().to_string();
    assert!(
        url.starts_with(&format!("{base}/rest/")) && url.ends_with('/'),
        "webhook create as {owner}: the last line is not a URL under {base}: {stdout}"
    );
    url
}

#[test]
fn fast_bitrix24_client_works_unchanged_against_serve() {
    let started = Instant::now();
    let python = pyenv::python_env(&pyenv::FAST_BITRIX24);
    let venv_ready = started.elapsed();

    let tmp = TempDir::new().expect("tempdir");
    let home = tmp.path();
    let db = home.join("company.db");
    run_ok(binary::command(home, &db, &[]).arg("demo"), "offboard demo");
    let csv = home.join("extra.csv");
    fs::write(&csv, extra_employees_csv()).expect("write the CSV");
    run_ok(
        binary::command(home, &db, &[])
            .args(["--as", STAFF, "import"])
            .arg(&csv),
        "offboard import",
    );

    let server = Server::start(home, &db);
    let keep_url = create_webhook(home, &db, &server.base, KEEP_OWNER, "fast-bitrix24 (kept)");
    let disable_url = create_webhook(
        home,
        &db,
        &server.base,
        DISABLE_OWNER,
        "fast-bitrix24 (disabled)",
    );

    let script = pyenv::script("test_fast_bitrix24.py");
    let mut cmd = Command::new(&python);
    cmd.arg(&script)
        .current_dir(home)
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("HOME", home)
        .env("XDG_DATA_HOME", binary::data_dir(home))
        .env_remove("OFFBOARD_USER")
        .env_remove("OFFBOARD_BASE_URL")
        .env("OFFBOARD_BIN", BIN)
        .env("OFFBOARD_DB", &db)
        .env("FB_KEEP_URL", &keep_url)
        .env("FB_KEEP_OWNER", KEEP_OWNER)
        .env("FB_DISABLE_URL", &disable_url)
        .env("FB_DISABLE_OWNER", DISABLE_OWNER)
        .env("FB_STAFF", STAFF)
        .env("FB_NAME_PART", NAME_PART);
    let script_started = Instant::now();
    let (status, stdout, stderr) = pyenv::run_script(cmd, home, SCRIPT_TIMEOUT);
    let script_took = script_started.elapsed();
    println!("{stdout}");
    if !stderr.trim().is_empty() {
        eprintln!("--- script stderr\n{stderr}");
    }
    println!(
        "virtualenv ready in {venv_ready:.1?}; the Python test took {script_took:.1?}; \
         {:.1?} in all",
        started.elapsed()
    );

    let last = stdout.lines().last().unwrap_or_default().trim().to_string();
    let counts_ok = last.ends_with(" passed, 0 failed")
        && last
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n > 0);
    let log = fs::read_to_string(binary::log_file(home))
        .map(|l| {
            let lines: Vec<&str> = l.lines().collect();
            lines[lines.len().saturating_sub(40)..].join("\n")
        })
        .unwrap_or_default();
    assert!(
        status == Some(0) && counts_ok,
        "the fast-bitrix24 test failed (exit status {status:?}{}); last line {last:?}\n\
         --- stdout\n{stdout}\n--- stderr\n{stderr}{}\n--- server log (last lines)\n{log}",
        if status.is_none() {
            ", killed after the timeout"
        } else {
            ""
        },
        server.stderr()
    );
    drop(server);
}

/// The synthetic company at a tenth of its size: 10,000 employees (some dismissed).
const LARGE_SCALE: &str = "10";

#[test]
fn fast_bitrix24_get_all_returns_every_one_of_10000() {
    let python = pyenv::python_env(&pyenv::FAST_BITRIX24);
    let tmp = TempDir::new().expect("tempdir");
    let home = tmp.path();
    let db = home.join("company.db");
    run_ok(
        &mut binary::command(
            home,
            &db,
            &["demo", "--size", "large", "--scale", LARGE_SCALE],
        ),
        "offboard demo --size large --scale 10",
    );
    let server = Server::start(home, &db);
    let url = create_webhook(home, &db, &server.base, "admin", "fast-bitrix24 get_all");

    let mut cmd = Command::new(&python);
    cmd.arg(pyenv::script("fast_bitrix24_get_all.py"))
        .current_dir(home)
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("HOME", home)
        .env("FB_URL", &url)
        .env("FB_DB", &db);
    let (status, stdout, stderr) = pyenv::run_script(cmd, home, SCRIPT_TIMEOUT);
    println!("{stdout}");
    if !stderr.trim().is_empty() {
        eprintln!("--- script stderr\n{stderr}");
    }
    assert!(
        status == Some(0) && pyenv::all_passed(&stdout),
        "fast-bitrix24 get_all over 10,000 employees failed (exit status {status:?}):\n{}\
         --- stdout\n{stdout}\n--- stderr\n{stderr}{}",
        pyenv::failures(&stdout),
        server.stderr()
    );
}
