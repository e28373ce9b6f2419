//! Issue 12, item 8, with the real binary: text from input reaches the terminal and the
//! log escaped, whatever it holds, and a client without a valid secret can neither flood
//! the log nor forge lines in it; the log rotates by size and keeps a bounded number of
//! private files.
//!
//! "Escaped" means: the raw control byte (ESC, BEL, CR, LF, a bidi override) is absent
//! from what was printed, and its visible escape (`\e`, `\a`, `\r`, `\n`, `\u{202e}`)
//! stands where it was.

mod binary;
mod rest_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rest_support::{Company, Http, Server};

/// What one run printed.
struct Printed {
    code: i32,
    stdout: String,
    stderr: Vec<u8>,
}

fn run(company: &Company, args: &[&str]) -> Printed {
    let o = company.command(args).output().expect("run offboard");
    Printed {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: o.stderr,
    }
}

/// The command failed (never a crash) with one line `offboard: …` on stderr that holds `visible` and
/// none of the raw control characters in `raw`.
#[track_caller]
fn says_escaped(what: &str, p: &Printed, raw: &str, visible: &str) {
    let text = String::from_utf8_lossy(&p.stderr);
    assert!(
        (1..=3).contains(&p.code),
        "{what}: expected a failure (1, 2 or 3), got {}\nstderr: {text:?}",
        p.code
    );
    assert!(
        p.stdout.is_empty(),
        "{what}: nothing on stdout: {:?}",
        p.stdout
    );
    let line = text.strip_suffix('\n').unwrap_or(&text);
    for c in raw.chars().filter(|c| c.is_control() || !c.is_ascii()) {
        assert!(
            !line.contains(c),
            "{what}: the raw {:?} reached stderr: {text:?}",
            c
        );
    }
    assert!(
        text.contains(visible),
        "{what}: stderr should show {visible:?}: {text:?}"
    );
    assert!(
        text.starts_with("offboard: ") && text.ends_with('\n') && text.lines().count() == 1,
        "{what}: one line on stderr: {text:?}"
    );
}

const TITLE_AND_CLEAR: &str = "\u{1b}]0;PWNED\u{7}\u{1b}[2J";
const TITLE_AND_CLEAR_SHOWN: &str = "\\e]0;PWNED\\a\\e[2J";

#[test]
fn an_escape_sequence_in_a_csv_login_reaches_stderr_escaped() {
    let company = Company::demo();
    let file = company.dir().join("people.csv");
    std::fs::write(
        &file,
        format!(
            "login,first_name,last_name,email,position,department,hired_on\n\
             {TITLE_AND_CLEAR},Mia,Keller,mia.keller@example.com,Analyst,Finance,\n"
        ),
    )
    .expect("write the CSV");
    let p = run(
        &company,
        &[
            "--as",
            "admin",
            "import",
            file.to_str().expect("a UTF-8 path"),
        ],
    );
    says_escaped("import", &p, TITLE_AND_CLEAR, TITLE_AND_CLEAR_SHOWN);
    assert!(String::from_utf8_lossy(&p.stderr).contains("line 2"));
}

#[test]
fn an_escape_sequence_in_another_csv_field_reaches_stderr_escaped() {
    let company = Company::demo();
    let file = company.dir().join("people.csv");
    std::fs::write(
        &file,
        format!(
            "login,first_name,last_name,email,position,department,hired_on\n\
             mkeller,Mia,Keller,mia.keller@example.com,Analyst,Finance,2024-05-01{TITLE_AND_CLEAR}\n"
        ),
    )
    .expect("write the CSV");
    let p = run(
        &company,
        &[
            "--as",
            "admin",
            "import",
            file.to_str().expect("a UTF-8 path"),
        ],
    );
    says_escaped("import", &p, TITLE_AND_CLEAR, TITLE_AND_CLEAR_SHOWN);
}

#[test]
fn a_line_break_in_an_email_does_not_split_the_message() {
    let company = Company::demo();
    let email = "mia.keller@example.com\r\noffboard: all employees dismissed";
    let p = run(
        &company,
        &[
            "--as",
            "admin",
            "add",
            "--login",
            "mkeller",
            "--name",
            "Mia Keller",
            "--email",
            email,
        ],
    );
    says_escaped(
        "add --email",
        &p,
        email,
        "mia.keller@example.com\\r\\noffboard: all employees dismissed",
    );
}

#[test]
fn an_escape_sequence_in_show_and_in_as_reaches_stderr_escaped() {
    let company = Company::demo();
    let login = "\u{1b}[31mjdoe\u{1b}[0m";
    let shown = "\\e[31mjdoe\\e[0m";
    let p = run(&company, &["--as", "admin", "show", login]);
    says_escaped("show", &p, login, shown);
    let p = run(&company, &["--as", login, "list"]);
    says_escaped("--as", &p, login, shown);
    // The bidi override that would make the rest of the line read backwards.
    let backwards = "jdoe\u{202e}nimda";
    let p = run(&company, &["--as", backwards, "list"]);
    says_escaped(
        "--as with a bidi override",
        &p,
        backwards,
        "jdoe\\u{202e}nimda",
    );
}

#[test]
fn an_escape_sequence_in_a_file_name_reaches_stderr_escaped() {
    let company = Company::demo();
    let name = "\u{1b}[2Jmissing.csv";
    let p = run(&company, &["--as", "admin", "import", name]);
    says_escaped("import of a missing file", &p, name, "\\e[2Jmissing.csv");
}

#[test]
fn a_control_character_in_a_flag_value_reaches_stderr_escaped() {
    let company = Company::demo();
    let value = "5\r\u{202e}0";
    let p = run(&company, &["--as", "admin", "audit", "--limit", value]);
    let text = String::from_utf8_lossy(&p.stderr);
    assert_eq!(p.code, 2, "{text}");
    assert!(
        !text.contains('\r') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("5\\r\\u{202e}0"), "{text:?}");
}

// ---------------------------------------------------------------------------------------
// The log
// ---------------------------------------------------------------------------------------

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Wait until the log has grown past `len` bytes (a request's line is written before its
/// answer is sent, so this rarely waits).
fn grown_past(path: &Path, len: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let log = read(path);
        if log.len() > len || Instant::now() > deadline {
            return log;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A `/rest/…` path of exactly `len` bytes whose method name is nearly all of it.
fn long_path(prefix: &str, len: usize) -> String {
    format!("{prefix}{}", "A".repeat(len - prefix.len()))
}

/// The longest line a request may add: the bounded method (200 characters and the
/// marker) and the fixed fields around it.
const MAX_LINE: usize = 600;

#[test]
fn a_65_kb_unauthenticated_path_adds_at_most_one_bounded_line_to_the_log() {
    let company = Company::demo();
    let server = Server::start_with_env(&company, &[], &[]);
    let http = Http::new();
    let log_path = binary::log_file(company.dir());
    // A wrong secret for a real user id, and a user id that is not a number: both 401.
    for prefix in ["/rest/2/not-the-secret/", "/rest/x/y/"] {
        let before = grown_past(&log_path, 0);
        let path = long_path(prefix, 65_000);
        http.get(&format!("{}{path}", server.base))
            .err(401, "INVALID_CREDENTIALS");
        let after = grown_past(&log_path, before.len());
        assert!(after.starts_with(&before), "the log is appended to");
        let added = &after[before.len()..];
        assert_eq!(
            added.lines().count(),
            1,
            "one line for one request: {added:?}"
        );
        assert!(
            added.len() <= MAX_LINE,
            "the line is bounded: {} bytes: {added:?}",
            added.len()
        );
        assert!(added.contains("status=401"), "{added}");
        assert!(
            added.contains(&format!("method={}…[cut: ", "a".repeat(200))),
            "the method is cut at 200 characters with a marker: {added}"
        );
    }
    // Many such requests (300 of them wrote 19.7 MB before): each a bounded line.
    let before = read(&log_path).len();
    let path = long_path("/rest/2/not-the-secret/", 65_000);
    for _ in 0..100 {
        http.get(&format!("{}{path}", server.base))
            .err(401, "INVALID_CREDENTIALS");
    }
    let after = grown_past(&log_path, before);
    assert!(
        after.len() - before <= 100 * MAX_LINE,
        "100 requests of 65 KB added {} bytes to the log",
        after.len() - before
    );
}

#[test]
fn what_a_client_sends_cannot_forge_a_log_line() {
    let company = Company::demo();
    let server = Server::start_with_env(&company, &[], &[]);
    let http = Http::new();
    let log_path = binary::log_file(company.dir());
    let before = grown_past(&log_path, 0);
    // An extension method (verb) that a client may send, made long; and a method name
    // with what would be a line break once decoded (it is logged as sent).
    let verb = reqwest::Method::from_bytes("FORGED".repeat(100).as_bytes()).expect("a verb");
    let r = http.send(
        "a long verb".into(),
        http.client.request(
            verb,
            format!("{}/rest/2/nope/user.current%0D%0Aforged", server.base),
        ),
    );
    // Only GET and POST run a method: any other verb is 405, and still logged.
    assert_eq!(r.status, 405, "{:?}", r.body);
    let after = grown_past(&log_path, before.len());
    let added = &after[before.len()..];
    assert_eq!(added.lines().count(), 1, "{added:?}");
    assert!(added.len() <= MAX_LINE, "{} bytes: {added:?}", added.len());
    assert!(added.contains("…[cut: "), "the verb is cut: {added}");
}

/// The log's files in the data folder: name → (size, mode).
fn log_files(folder: &Path) -> Vec<(String, u64, u32)> {
    use std::os::unix::fs::PermissionsExt;
    binary::files_in(folder)
        .into_iter()
        .filter(|n| n.starts_with("offboard.log"))
        .map(|n| {
            let m = std::fs::metadata(folder.join(&n)).expect("metadata");
            (n, m.len(), m.permissions().mode() & 0o777)
        })
        .collect()
}

#[test]
fn the_log_rotates_by_size_and_keeps_five_private_files() {
    let company = Company::demo();
    let limit = 4_000;
    let server = Server::start_with_env(
        &company,
        &[],
        &[("OFFBOARD_LOG_MAX_BYTES", limit.to_string().as_str())],
    );
    let http = Http::new();
    let log_path: PathBuf = binary::log_file(company.dir());
    let folder = log_path.parent().expect("the data folder").to_path_buf();
    // About 60 KB of log lines: fifteen times the limit.
    for i in 0..150 {
        let path = long_path(&format!("/rest/2/nope{i:03}/"), 2_000);
        http.get(&format!("{}{path}", server.base))
            .err(401, "INVALID_CREDENTIALS");
    }
    let last = "/rest/2/the-last-one/user.current";
    http.get(&format!("{}{last}", server.base))
        .err(401, "INVALID_CREDENTIALS");
    grown_past(&log_path, 0);
    let files = log_files(&folder);
    let names: Vec<&str> = files.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "offboard.log",
            "offboard.log.1",
            "offboard.log.2",
            "offboard.log.3",
            "offboard.log.4"
        ],
        "the current file and four rotated ones, no more"
    );
    for (name, size, mode) in &files {
        assert_eq!(*mode, 0o600, "{name} is private");
        assert!(
            *size <= (limit + MAX_LINE) as u64,
            "{name} has {size} bytes, over the limit by more than a line"
        );
    }
    let rotated = read(&folder.join("offboard.log.1"));
    assert!(
        rotated.lines().count() > 1 && rotated.ends_with('\n'),
        "a rotated file holds whole lines: {rotated:?}"
    );
    assert!(
        read(&log_path).contains("rest call"),
        "the newest lines are in offboard.log"
    );
}

#[test]
fn a_bulk_refusal_shows_the_logins_typed_escaped() {
    let company = Company::demo();
    let login = "\u{1b}[2Jnobody";
    // A login that names nobody refuses the whole bulk change (issue 14, item 30),
    // quoting it: escaped, in one line, and nobody else is changed.
    let hire = ["--as", "admin", "hire", login, "lbrandt", "--yes"];
    let dismiss = ["--as", "admin", "dismiss", login, "jdoe", "--yes"];
    for args in [&hire[..], &dismiss[..]] {
        let verb = args[2];
        let p = run(&company, args);
        let stderr = String::from_utf8_lossy(&p.stderr);
        assert_eq!(p.code, 3, "{verb}: {stderr:?}");
        assert_eq!(p.stdout, "", "{verb}: nothing on stdout");
        assert!(
            !stderr.contains('\u{1b}'),
            "{verb}: raw ESC on stderr: {stderr:?}"
        );
        assert_eq!(stderr.lines().count(), 1, "{verb}: one line: {stderr:?}");
        assert!(
            stderr.contains("\"\\e[2Jnobody\"") && stderr.contains("nothing changed"),
            "{verb}: the login shown escaped: {stderr:?}"
        );
    }
    let lbrandt = company.json(&["--as", "admin", "show", "lbrandt", "--json"]);
    assert_eq!(lbrandt["status"], "dismissed");
    let jdoe = company.json(&["--as", "admin", "show", "jdoe", "--json"]);
    assert_eq!(jdoe["status"], "active");
}
