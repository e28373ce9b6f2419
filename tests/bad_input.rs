//! Bad input (issue 6, item 4): ONE table of cases, each with the exit status or HTTP
//! status it must give, a fragment of the message it must say, and a proof that nothing
//! changed.
//!
//! * CLI cases run the real binary on a fresh copy of the demo company (or on a damaged,
//!   missing, read-only, newer or locked file). Every one must exit with the expected
//!   status (never 101, never a signal), print exactly one line `offboard: …` on stderr
//!   containing the fragments, print nothing on stdout, and leave the data as it was: a
//!   SHA-256 of every table's rows before and after for usable databases, the exact bytes
//!   of the file (and of any `-wal` beside it) for unusable ones.
//! * REST cases go to one `offboard serve --addr 127.0.0.1:0` over a raw TCP socket (so
//!   that invalid UTF-8 and any content type can be sent as is). Every one must answer
//!   the expected 4xx with the JSON error envelope `{"error", "error_description"}`,
//!   never a 5xx, and leave every table's rows as they were.
//!
//! All cases run (CLI ones in parallel, REST ones in order); the test then lists every
//! case that failed with what was expected and what happened.

mod binary;
mod rest_support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use binary::BIN;
use rest_support::{Company, HR_ID, TLANG_ID};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

/// The database file a CLI case runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Db {
    /// A fresh copy of the demo company.
    Demo,
    /// No file at all.
    Missing,
    /// A file of zero bytes.
    Empty,
    /// A text file.
    Text,
    /// An SQLite database of some other program.
    Foreign,
    /// A folder where the file should be.
    Folder,
    /// The demo company with 16 KiB in the middle of the file overwritten.
    CorruptMiddle,
    /// The demo company with its middle third overwritten.
    CorruptWide,
    /// The demo company with `PRAGMA user_version = 999`.
    Newer,
    /// The demo company, made immutable with `chattr +i` (tests run as root).
    ReadOnly,
    /// The demo company while another connection holds `BEGIN IMMEDIATE`.
    Locked,
}

#[derive(Debug)]
struct CliCase {
    db: Db,
    /// Commands run first, each of which must succeed (not part of the comparison).
    before: Vec<Vec<String>>,
    /// Arguments; `{CSV}` is replaced by the path of `csv` written beside the database.
    args: Vec<String>,
    csv: Option<Vec<u8>>,
}

#[derive(Debug)]
struct RestCase {
    http: &'static str,
    /// The request target as raw bytes; `{HOOK}` becomes `/rest/{user_id}/{code}/` of
    /// hr's webhook (every scope) and `{CODE}` its code.
    target: Vec<u8>,
    content_type: Option<Vec<u8>>,
    body: Vec<u8>,
}

#[derive(Debug)]
enum Input {
    Cli(CliCase),
    Rest(RestCase),
}

struct Case {
    name: String,
    input: Input,
    /// Exit status (CLI) or HTTP status (REST).
    expect: i32,
    /// Fragments the message must contain (case-insensitive): stderr for the CLI,
    /// `error` + `error_description` for REST.
    says: &'static [&'static str],
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name)
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// A command on the demo company.
fn cli(name: &str, args: &[&str], expect: i32, says: &'static [&'static str]) -> Case {
    cli_on(name, Db::Demo, args, expect, says)
}

fn cli_on(name: &str, db: Db, args: &[&str], expect: i32, says: &'static [&'static str]) -> Case {
    Case {
        name: format!("cli/{name}"),
        input: Input::Cli(CliCase {
            db,
            before: Vec::new(),
            args: strings(args),
            csv: None,
        }),
        expect,
        says,
    }
}

/// A command on the demo company after `before` commands have succeeded.
fn cli_after(
    name: &str,
    before: &[&[&str]],
    args: &[&str],
    expect: i32,
    says: &'static [&'static str],
) -> Case {
    let mut c = cli(name, args, expect, says);
    if let Input::Cli(cc) = &mut c.input {
        cc.before = before.iter().map(|b| strings(b)).collect();
    }
    c
}

/// `offboard add` as hr with one flag changed (or added) from a valid new employee.
fn add(name: &str, flag: &str, value: &str, expect: i32, says: &'static [&'static str]) -> Case {
    let mut args: Vec<(String, String)> = [
        ("--login", "nnewbie"),
        ("--name", "Nora Newbie"),
        ("--email", "nora.newbie@corvane.example"),
        ("--as", "hr"),
    ]
    .iter()
    .map(|(f, v)| (f.to_string(), v.to_string()))
    .collect();
    match args.iter_mut().find(|(f, _)| f == flag) {
        Some(slot) => slot.1 = value.to_string(),
        None => args.push((flag.to_string(), value.to_string())),
    }
    let mut argv = vec!["add".to_string()];
    for (f, v) in args {
        argv.push(f);
        argv.push(v);
    }
    Case {
        name: format!("cli/add {name}"),
        input: Input::Cli(CliCase {
            db: Db::Demo,
            before: Vec::new(),
            args: argv,
            csv: None,
        }),
        expect,
        says,
    }
}

/// `offboard import FILE --as hr` with `csv` as the file's bytes.
fn import(name: &str, csv: Vec<u8>, expect: i32, says: &'static [&'static str]) -> Case {
    Case {
        name: format!("csv/{name}"),
        input: Input::Cli(CliCase {
            db: Db::Demo,
            before: Vec::new(),
            args: strings(&["import", "{CSV}", "--as", "hr"]),
            csv: Some(csv),
        }),
        expect,
        says,
    }
}

fn rest(
    name: &str,
    http: &'static str,
    target: impl Into<Vec<u8>>,
    content_type: Option<&[u8]>,
    body: impl Into<Vec<u8>>,
    expect: i32,
    says: &'static [&'static str],
) -> Case {
    Case {
        name: format!("rest/{name}"),
        input: Input::Rest(RestCase {
            http,
            target: target.into(),
            content_type: content_type.map(<[u8]>::to_vec),
            body: body.into(),
        }),
        expect,
        says,
    }
}

fn get(name: &str, target: &str, expect: i32, says: &'static [&'static str]) -> Case {
    rest(name, "GET", target, None, Vec::new(), expect, says)
}

fn post(
    name: &str,
    target: &str,
    content_type: Option<&str>,
    body: impl Into<Vec<u8>>,
    expect: i32,
    says: &'static [&'static str],
) -> Case {
    rest(
        name,
        "POST",
        target,
        content_type.map(str::as_bytes),
        body,
        expect,
        says,
    )
}

const JSON: Option<&str> = Some("application/json");
const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

const CSV_HEADER: &str = "login,first_name,last_name,email,position,department,hired_on\n";
const CSV_ROW: &str = "mkeller,Mia,Keller,mia.keller@example.com,Analyst,Finance,2024-05-01\n";

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = CSV_HEADER.to_string();
    for r in rows {
        s.push_str(r);
    }
    s.into_bytes()
}

fn utf16le_with_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn nested_json(depth: usize) -> Vec<u8> {
    let mut s = String::new();
    for _ in 0..depth {
        s.push_str("{\"a\":");
    }
    s.push('1');
    for _ in 0..depth {
        s.push('}');
    }
    s.into_bytes()
}

fn batch_of(n: usize) -> Vec<u8> {
    let cmd: serde_json::Map<String, Value> = (0..n)
        .map(|i| (format!("c{i}"), json!("user.current")))
        .collect();
    json!({"halt": 0, "cmd": cmd}).to_string().into_bytes()
}

fn multipart(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut s = String::new();
    for (k, v) in parts {
        s.push_str(&format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    s.push_str("--XyZ--\r\n");
    s.into_bytes()
}

const MULTIPART: Option<&str> = Some("multipart/form-data; boundary=XyZ");

/// Every bad input, with what it must give.
fn cases() -> Vec<Case> {
    let long = |n: usize, c: char| std::iter::repeat_n(c, n).collect::<String>();
    let name101_first = format!("{} Doe", long(101, 'a'));
    let name101_last = format!("Jane {}", long(101, 'b'));
    let email255 = format!("{}@corvane.example", long(255 - 16, 'e'));
    let login65 = long(65, 'a');
    let text121 = long(121, 'p');
    let note2001 = long(2001, 'n');
    let title201 = long(201, 't');
    let mb = long(1024 * 1024, 'A');
    let ten_mb = vec![b'x'; 10 * 1024 * 1024];
    let mut ten_mb_json = b"{\"pad\": \"".to_vec();
    ten_mb_json.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    ten_mb_json.extend(b"\"}");
    let deep_key = format!("a{}", "[x]".repeat(20));
    let nine_levels = "a[1][2][3][4][5][6][7][8][9]";
    let key513 = long(513, 'k');
    let key900k = long(900 * 1024, 'k');
    let many_params = (0..2001)
        .map(|i| format!("p{i}=1"))
        .collect::<Vec<_>>()
        .join("&");
    let batch51_form = (0..51)
        .map(|i| format!("cmd[c{i}]=user.current"))
        .collect::<Vec<_>>()
        .join("&");

    let t = vec![
        // ------------------------------------------------------------------ CLI: logins
        cli(
            "dismiss an unknown login",
            &["dismiss", "nobody", "--as", "hr"],
            3,
            &["no employee with login \"nobody\""],
        ),
        cli(
            "act as an unknown login",
            &["list", "--as", "nobody"],
            3,
            &["nobody"],
        ),
        cli(
            "show an unknown login",
            &["show", "nobody", "--as", "jdoe"],
            3,
            &["nobody"],
        ),
        cli(
            "hire an unknown login",
            &["hire", "nobody", "--as", "hr"],
            3,
            &["nobody"],
        ),
        cli(
            "reassign from an unknown login",
            &["reassign", "nobody", "--to", "jdoe", "--as", "hr"],
            3,
            &["nobody"],
        ),
        cli(
            "reassign to an unknown login",
            &["reassign", "ydemir", "--to", "nobody", "--as", "hr"],
            3,
            &["nobody"],
        ),
        cli(
            "grant an unknown login",
            &["grant", "nobody", "--as", "admin"],
            3,
            &["nobody"],
        ),
        // ------------------------------------------------------------ CLI: wrong states
        cli(
            "dismiss the dismissed",
            &["dismiss", "lbrandt", "--as", "hr"],
            3,
            &["lbrandt", "already dismissed"],
        ),
        cli(
            "hire the active",
            &["hire", "jdoe", "--as", "hr"],
            3,
            &["jdoe", "already active"],
        ),
        cli(
            "dismiss oneself",
            &["dismiss", "hr", "--as", "hr"],
            3,
            &["themselves"],
        ),
        cli_after(
            "dismiss the last administrator",
            &[&["dismiss", "elindqvist", "--as", "admin"]],
            &["dismiss", "admin", "--as", "hr"],
            3,
            &["last active administrator"],
        ),
        cli(
            "dismiss a system user",
            &["dismiss", "system.lbrandt", "--as", "admin"],
            3,
            &["system user"],
        ),
        cli(
            "dismiss an integration owner without a choice",
            &["dismiss", "tlang", "--as", "hr"],
            3,
            &["--integrations keep", "--integrations disable"],
        ),
        cli(
            "dismiss without the right",
            &["dismiss", "tlang", "--integrations", "keep", "--as", "jdoe"],
            3,
            &["jdoe may not"],
        ),
        cli(
            "act as a dismissed employee",
            &["list", "--as", "lbrandt"],
            3,
            &["access revoked"],
        ),
        cli(
            "act as a system user",
            &["list", "--as", "system.lbrandt"],
            3,
            &["cannot sign in"],
        ),
        cli(
            "reassign to a dismissed employee",
            &["reassign", "ydemir", "--to", "lbrandt", "--as", "hr"],
            3,
            &["lbrandt", "dismissed"],
        ),
        cli(
            "reassign to a system user",
            &["reassign", "ydemir", "--to", "system.lbrandt", "--as", "hr"],
            3,
            &["system user"],
        ),
        cli(
            "list dismissed with the setting off",
            &["list", "--status", "dismissed", "--as", "jdoe"],
            3,
            &["show_dismissed"],
        ),
        cli(
            "change a setting without being an administrator",
            &["settings", "show-dismissed", "on", "--as", "hr"],
            3,
            &["only administrators"],
        ),
        cli(
            "edit an unknown webhook",
            &["webhook", "edit", "999", "--title", "x", "--as", "admin"],
            3,
            &["#999"],
        ),
        cli(
            "disable an unknown webhook",
            &["webhook", "disable", "999", "--as", "admin"],
            3,
            &["#999"],
        ),
        // -------------------------------------------------------------- CLI: bad dates
        add(
            "--hired-on month 13",
            "--hired-on",
            "2024-13-01",
            2,
            &["--hired-on", "not a date"],
        ),
        add(
            "--hired-on 29 February of a common year",
            "--hired-on",
            "2023-02-29",
            2,
            &["--hired-on", "not a date"],
        ),
        add(
            "--hired-on a word",
            "--hired-on",
            "tomorrow",
            2,
            &["--hired-on", "not a date"],
        ),
        add(
            "--hired-on day/month/year",
            "--hired-on",
            "01/05/2024",
            2,
            &["--hired-on", "not a date"],
        ),
        add(
            "--hired-on empty",
            "--hired-on",
            "",
            2,
            &["--hired-on", "not a date"],
        ),
        add(
            "--hired-on with a time",
            "--hired-on",
            "2024-05-01T09:00",
            2,
            &["--hired-on", "not a date"],
        ),
        // ------------------------------------------------------ CLI: scopes and --what
        cli(
            "webhook with an unknown scope",
            &[
                "webhook", "create", "--title", "T", "--scopes", "user,bogus", "--as", "admin",
            ],
            2,
            &["\"bogus\" is not a valid scope"],
        ),
        cli(
            "webhook title with a line break",
            &[
                "webhook", "create", "--title", "Sync\nrm -rf", "--scopes", "user", "--as", "admin",
            ],
            2,
            &["title contains control characters"],
        ),
        cli(
            "dismissal note with a tab",
            &["dismiss", "elarsen", "--note", "a\tb", "--as", "hr"],
            2,
            &["note contains control characters"],
        ),
        cli(
            "webhook with no scopes",
            &[
                "webhook", "create", "--title", "T", "--scopes", "", "--as", "admin",
            ],
            2,
            &["at least one scope"],
        ),
        cli(
            "webhook with only commas as scopes",
            &[
                "webhook", "create", "--title", "T", "--scopes", " , , ", "--as", "admin",
            ],
            2,
            &["at least one scope"],
        ),
        cli(
            "webhook edit to an unknown scope",
            &["webhook", "edit", "1", "--scopes", "admin", "--as", "admin"],
            2,
            &["\"admin\" is not a valid scope"],
        ),
        cli(
            "webhook with an empty title",
            &[
                "webhook", "create", "--title", " ", "--scopes", "user", "--as", "admin",
            ],
            2,
            &["title is empty"],
        ),
        cli(
            "webhook with a 201-character title",
            &[
                "webhook", "create", "--title", &title201, "--scopes", "user", "--as", "admin",
            ],
            2,
            &["longer than 200"],
        ),
        cli(
            "reassign an unknown --what",
            &[
                "reassign", "ydemir", "--to", "jdoe", "--what", "tasks,cars", "--as", "hr",
            ],
            2,
            &["\"cars\""],
        ),
        cli(
            "reassign an empty --what",
            &["reassign", "ydemir", "--to", "jdoe", "--what", "", "--as", "hr"],
            2,
            &["nothing to move"],
        ),
        cli(
            "reassign --what of commas",
            &["reassign", "ydemir", "--to", "jdoe", "--what", ",", "--as", "hr"],
            2,
            &["nothing to move"],
        ),
        cli(
            "dismiss with a 2001-character note",
            &["dismiss", "jdoe", "--note", &note2001, "--as", "hr"],
            2,
            &["note", "longer than 2000"],
        ),
        cli(
            "audit --limit 0",
            &["audit", "--limit", "0", "--as", "admin"],
            2,
            &["--limit"],
        ),
        // ----------------------------------------------------- CLI: names, emails, logins
        add("empty name", "--name", "", 2, &["first and a last name"]),
        add("one-word name", "--name", "Cher", 2, &["first and a last name"]),
        add(
            "101-character first name",
            "--name",
            &name101_first,
            2,
            &["first name", "longer than 100"],
        ),
        add(
            "101-character last name",
            "--name",
            &name101_last,
            2,
            &["last name", "longer than 100"],
        ),
        add(
            "name with a control character",
            "--name",
            "Ja\u{7}ne Doe",
            2,
            &["control characters"],
        ),
        add(
            "email without @",
            "--email",
            "not-an-email",
            2,
            &["not a valid address"],
        ),
        add(
            "email without a dot in the domain",
            "--email",
            "a@b",
            2,
            &["not a valid address"],
        ),
        add(
            "email with a space",
            "--email",
            "nora newbie@corvane.example",
            2,
            &["not a valid address"],
        ),
        add(
            "255-character email",
            "--email",
            &email255,
            2,
            &["longer than 254"],
        ),
        add("empty email", "--email", "", 2, &["not a valid address"]),
        add(
            "duplicate login",
            "--login",
            "jdoe",
            3,
            &["login \"jdoe\" is already taken"],
        ),
        add(
            "duplicate email in other case",
            "--email",
            "JANE.DOE@Corvane.Example",
            3,
            &["already used"],
        ),
        add("empty login", "--login", "", 2, &["login is empty"]),
        add("upper-case login", "--login", "JDoe", 2, &["may use only"]),
        add("system. login", "--login", "system.x", 2, &["reserved"]),
        add(
            "65-character login",
            "--login",
            &login65,
            2,
            &["longer than 64"],
        ),
        add(
            "121-character position",
            "--position",
            &text121,
            2,
            &["position", "longer than 120"],
        ),
        add(
            "121-character department",
            "--department",
            &text121,
            2,
            &["department", "longer than 120"],
        ),
        add("without the right", "--as", "jdoe", 3, &["jdoe may not"]),
        // -------------------------------------------------------------------- CSV import
        import(
            "missing email column",
            b"login,first_name,last_name,position,department,hired_on\nmkeller,Mia,Keller,Analyst,Finance,2024-05-01\n".to_vec(),
            2,
            &["\"email\" column"],
        ),
        import(
            "header of other names",
            b"user,first,last\nmkeller,Mia,Keller\n".to_vec(),
            2,
            &["\"login\" column"],
        ),
        import(
            "Latin-1 bytes in a name",
            latin1(&csv(&[
                "jmuller,J\u{fc}rgen,M\u{fc}ller,juergen@example.com,Analyst,Finance,2024-05-01\n",
            ])),
            2,
            &["line 2", "UTF-8"],
        ),
        import(
            "UTF-16 file",
            utf16le_with_bom(&format!("{CSV_HEADER}{CSV_ROW}")),
            2,
            &["UTF-8"],
        ),
        import(
            "the same row twice",
            csv(&[CSV_ROW, CSV_ROW]),
            3,
            &["line 3", "mkeller"],
        ),
        import(
            "two rows with one email",
            csv(&[
                CSV_ROW,
                "mkeller2,Mia,Keller,mia.keller@example.com,Analyst,Finance,2024-05-01\n",
            ]),
            3,
            &["line 3", "email"],
        ),
        import(
            "a login already taken",
            csv(&["jdoe,Jane,Again,jane.again@example.com,Analyst,Finance,\n"]),
            3,
            &["line 2", "jdoe"],
        ),
        import(
            "a 1 MB position",
            csv(&[&format!(
                "mkeller,Mia,Keller,mia.keller@example.com,{mb},Finance,2024-05-01\n"
            )]),
            2,
            &["line 2 is longer than 16 KiB"],
        ),
        import(
            "a 1 MB line of one field",
            csv(&[&format!("{mb}\n")]),
            2,
            &["line 2 is longer than 16 KiB"],
        ),
        import(
            "a 10 KB position (within the line cap)",
            csv(&[&format!(
                "mkeller,Mia,Keller,mia.keller@example.com,{},Finance,2024-05-01\n",
                "p".repeat(10_000)
            )]),
            2,
            &["line 2", "position", "longer than 120"],
        ),
        import(
            "a hire date in 2999",
            csv(&["mkeller,Mia,Keller,mia.keller@example.com,,Finance,2999-01-01\n"]),
            2,
            &["line 2", "hired_on", "out of range"],
        ),
        import(
            "a zero-width space in a name",
            csv(&["mkeller,Mia,Kel\u{200b}ler,mia.keller@example.com,,Finance,\n"]),
            2,
            &["line 2", "last_name", "U+200B"],
        ),
        import("an empty file", Vec::new(), 2, &["header"]),
        import("a header only", csv(&[]), 2, &["no employees"]),
        import(
            "a good row then a bad date",
            csv(&[
                CSV_ROW,
                "pweber,Paul,Weber,paul.weber@example.com,Analyst,Finance,2024-02-30\n",
            ]),
            2,
            &["line 3", "hired_on"],
        ),
        import(
            "a row of five fields",
            csv(&["mkeller,Mia,Keller,mia.keller@example.com,Analyst\n"]),
            2,
            &["line 2", "expected 7 fields"],
        ),
        import(
            "a bad email",
            csv(&["mkeller,Mia,Keller,mia.keller,Analyst,Finance,\n"]),
            2,
            &["line 2", "email"],
        ),
        import(
            "an upper-case login",
            csv(&["MKeller,Mia,Keller,mia.keller@example.com,Analyst,Finance,\n"]),
            2,
            &["line 2", "login"],
        ),
        import(
            "a NUL byte in a name",
            csv(&["mkeller,Mi\u{0}a,Keller,mia.keller@example.com,Analyst,Finance,\n"]),
            2,
            &["line 2", "control characters"],
        ),
        Case {
            name: "csv/a file that does not exist".into(),
            input: Input::Cli(CliCase {
                db: Db::Demo,
                before: Vec::new(),
                args: strings(&["import", "no-such-file.csv", "--as", "hr"]),
                csv: None,
            }),
            expect: 1,
            says: &["cannot read", "no-such-file.csv"],
        },
        Case {
            name: "csv/import without the right".into(),
            input: Input::Cli(CliCase {
                db: Db::Demo,
                before: Vec::new(),
                args: strings(&["import", "{CSV}", "--as", "jdoe"]),
                csv: Some(csv(&[CSV_ROW])),
            }),
            expect: 3,
            says: &["jdoe may not"],
        },
        // ---------------------------------------------------------------- database files
        cli_on(
            "missing database",
            Db::Missing,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["no offboard database"],
        ),
        cli_on(
            "empty file",
            Db::Empty,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["not a usable offboard database", "empty"],
        ),
        cli_on(
            "text file",
            Db::Text,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["not an SQLite database"],
        ),
        cli_on(
            "another program's SQLite database",
            Db::Foreign,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["some other program"],
        ),
        cli_on(
            "a folder",
            Db::Folder,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["folder"],
        ),
        cli_on(
            "corrupt: 16 KiB overwritten in the middle",
            Db::CorruptMiddle,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["not a usable offboard database"],
        ),
        cli_on(
            "corrupt: the middle third overwritten",
            Db::CorruptWide,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["not a usable offboard database"],
        ),
        cli_on(
            "from a newer version",
            Db::Newer,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["newer offboard", "999"],
        ),
        cli_on(
            "read-only file",
            Db::ReadOnly,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["read-only", "nothing was changed"],
        ),
        cli_on(
            "locked by another writer",
            Db::Locked,
            &["dismiss", "jdoe", "--as", "hr"],
            1,
            &["busy", "another"],
        ),
        // ---------------------------------------------------------- REST: bodies and types
        post(
            "malformed JSON",
            "{HOOK}user.get",
            JSON,
            &b"{\"FILTER\": "[..],
            400,
            &["not valid JSON"],
        ),
        post(
            "JSON with trailing garbage",
            "{HOOK}user.get",
            JSON,
            &b"{\"start\": 0} {\"x\": 1}"[..],
            400,
            &["not valid JSON"],
        ),
        post(
            "JSON array body",
            "{HOOK}user.get",
            JSON,
            &b"[1, 2]"[..],
            400,
            &["must be an object"],
        ),
        post(
            "malformed JSON without a content type",
            "{HOOK}user.get",
            None,
            &b"{\"ID\": "[..],
            400,
            &["not valid JSON"],
        ),
        post(
            "text/plain body",
            "{HOOK}user.current",
            Some("text/plain"),
            &b"hello"[..],
            400,
            &["text/plain", "not accepted"],
        ),
        post(
            "application/xml body",
            "{HOOK}user.current",
            Some("application/xml"),
            &b"<a/>"[..],
            400,
            &["not accepted"],
        ),
        post(
            "garbage content type",
            "{HOOK}user.current",
            Some("garbage;;==;"),
            &b"ID=1"[..],
            400,
            &["not accepted"],
        ),
        rest(
            "content type with a Latin-1 byte",
            "POST",
            &b"{HOOK}user.update"[..],
            Some(&b"text/pl\xe4in"[..]),
            format!("ID={TLANG_ID}&NAME=Latin").into_bytes(),
            400,
            &["not accepted"],
        ),
        post(
            "10 MB form body",
            "{HOOK}user.current",
            FORM,
            ten_mb,
            413,
            &["larger than"],
        ),
        post(
            "10 MB JSON body",
            "{HOOK}user.update",
            JSON,
            ten_mb_json,
            413,
            &["larger than"],
        ),
        // -------------------------------------------------------------- REST: PHP keys
        get(
            "20 levels of brackets in the query",
            &format!("{{HOOK}}user.get?{deep_key}=1"),
            400,
            &["nested deeper than 8"],
        ),
        get(
            "9 levels of brackets in the query",
            &format!("{{HOOK}}user.get?{nine_levels}=1"),
            400,
            &["nested deeper than 8"],
        ),
        post(
            "20 levels of brackets in a form body",
            "{HOOK}user.get",
            FORM,
            format!("{deep_key}=1").into_bytes(),
            400,
            &["nested deeper than 8"],
        ),
        post(
            "20 levels of brackets in a multipart name",
            "{HOOK}user.get",
            MULTIPART,
            multipart(&[(&deep_key, "1")]),
            400,
            &["nested deeper than 8"],
        ),
        post(
            "JSON nested 100 deep",
            "{HOOK}user.get",
            JSON,
            nested_json(100),
            400,
            &["nested deeper than 8"],
        ),
        post(
            "JSON nested 100,000 deep",
            "{HOOK}user.get",
            JSON,
            nested_json(100_000),
            400,
            &["not valid JSON"],
        ),
        get(
            "a 513-byte key in the query",
            &format!("{{HOOK}}user.get?{key513}=1"),
            400,
            &["longer than 512"],
        ),
        post(
            "a 900 KB key in a form body",
            "{HOOK}user.get",
            FORM,
            format!("{key900k}[x]=1").into_bytes(),
            400,
            &["longer than 512"],
        ),
        get(
            "2001 parameters",
            &format!("{{HOOK}}user.get?{many_params}"),
            400,
            &["more than 2000"],
        ),
        // --------------------------------------------------------- REST: start and IDs
        get(
            "negative start",
            "{HOOK}user.get?start=-5",
            400,
            &["start must not be negative"],
        ),
        get(
            "most negative start",
            "{HOOK}tasks.task.list?start=-9223372036854775808",
            400,
            &["start must not be negative"],
        ),
        get(
            "start beyond 64 bits",
            "{HOOK}crm.deal.list?start=99999999999999999999999",
            400,
            &["start must be a number"],
        ),
        post(
            "JSON start as a huge float",
            "{HOOK}user.get",
            JSON,
            &b"{\"start\": 1e300}"[..],
            400,
            &["start must be a number"],
        ),
        get(
            "non-numeric start",
            "{HOOK}department.get?start=abc",
            400,
            &["start must be a number"],
        ),
        get(
            "non-numeric FILTER[ID]",
            "{HOOK}user.get?FILTER[ID]=abc",
            400,
            &["ID must be a number"],
        ),
        get(
            "non-numeric item in FILTER[ID][]",
            "{HOOK}user.get?FILTER[ID][]=1&FILTER[ID][]=two",
            400,
            &["ID must be a number"],
        ),
        post(
            "non-numeric ID in a JSON filter",
            "{HOOK}user.get",
            JSON,
            &b"{\"FILTER\": {\"ID\": [1, \"x\"]}}"[..],
            400,
            &["ID must be a number"],
        ),
        get(
            "non-numeric department ID",
            "{HOOK}department.get?ID=abc",
            400,
            &["ID must be a number"],
        ),
        get(
            "non-numeric RESPONSIBLE_ID",
            "{HOOK}tasks.task.list?filter[RESPONSIBLE_ID]=nobody",
            400,
            &["RESPONSIBLE_ID must be a number"],
        ),
        get(
            "non-numeric ASSIGNED_BY_ID",
            "{HOOK}crm.deal.list?filter[ASSIGNED_BY_ID]=nobody",
            400,
            &["ASSIGNED_BY_ID must be a number"],
        ),
        post(
            "user.update with a non-numeric ID",
            "{HOOK}user.update",
            FORM,
            &b"ID=abc&NAME=Changed"[..],
            400,
            &["ID must be a number"],
        ),
        post(
            "tasks.task.delegate with a non-numeric task",
            "{HOOK}tasks.task.delegate",
            FORM,
            &b"taskId=abc&userId=5"[..],
            400,
            &["taskId must be a number"],
        ),
        get(
            "non-numeric user id in the path",
            "/rest/abc/{CODE}/user.current",
            401,
            &["INVALID_CREDENTIALS"],
        ),
        // ------------------------------------------------------------ REST: invalid UTF-8
        get(
            "percent-encoded invalid UTF-8 value",
            "{HOOK}user.get?FILTER[NAME]=%FF",
            400,
            &["UTF-8"],
        ),
        get(
            "percent-encoded invalid UTF-8 key",
            "{HOOK}user.get?%C3%28=1",
            400,
            &["UTF-8"],
        ),
        // Raw bytes above 0x7F in the request line are refused by the HTTP parser itself
        // (a bare 400 before the endpoint sees the request); %FF is covered above.
        post(
            "invalid UTF-8 in a form body",
            "{HOOK}user.get",
            FORM,
            &b"FILTER[NAME]=\xff\xfe"[..],
            400,
            &["UTF-8"],
        ),
        post(
            "invalid UTF-8 in a JSON body",
            "{HOOK}user.get",
            JSON,
            &b"{\"FILTER\": {\"NAME\": \"\xff\"}}"[..],
            400,
            &["UTF-8"],
        ),
        post(
            "invalid UTF-8 in a multipart body",
            "{HOOK}user.get",
            MULTIPART,
            &b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n--XyZ--\r\n"[..],
            400,
            &["UTF-8"],
        ),
        post(
            "invalid UTF-8 in a body without a content type",
            "{HOOK}user.get",
            None,
            &b"a=\xc3\x28"[..],
            400,
            &["UTF-8"],
        ),
        // ------------------------------------------------------------------ REST: batch
        post(
            "a batch of 51 commands",
            "{HOOK}batch",
            JSON,
            batch_of(51),
            400,
            &["at most 50"],
        ),
        post(
            "a batch of 51 commands as a form",
            "{HOOK}batch",
            FORM,
            batch51_form.into_bytes(),
            400,
            &["at most 50"],
        ),
        post(
            "a nested batch",
            "{HOOK}batch",
            JSON,
            json!({"halt": 0, "cmd": {"a": "user.current", "b": "batch?cmd[x]=user.current"}})
                .to_string()
                .into_bytes(),
            400,
            &["ERROR_BATCH_METHOD_NOT_ALLOWED"],
        ),
        post(
            "a nested batch spelled BATCH.json",
            "{HOOK}batch",
            JSON,
            json!({"cmd": {"a": "BATCH.json?cmd[x]=user.current"}})
                .to_string()
                .into_bytes(),
            400,
            &["ERROR_BATCH_METHOD_NOT_ALLOWED"],
        ),
        post(
            "a batch without cmd",
            "{HOOK}batch",
            JSON,
            &b"{\"halt\": 0}"[..],
            400,
            &["cmd"],
        ),
        post(
            "a batch whose cmd is a string",
            "{HOOK}batch",
            JSON,
            &b"{\"cmd\": \"user.current\"}"[..],
            400,
            &["cmd must be an object"],
        ),
        post(
            "a batch with a change before a command that is not a string",
            "{HOOK}batch",
            JSON,
            json!({"halt": 0, "cmd": {
                "a": format!("user.update?ID={}&NAME=Batched", rest_support::JDOE_ID),
                "b": {"not": "a string"}
            }})
            .to_string()
            .into_bytes(),
            400,
            &["must be a string"],
        ),
        // -------------------------------------------------------------- REST: multipart
        post(
            "truncated multipart",
            "{HOOK}user.get",
            MULTIPART,
            &b"--XyZ\r\nContent-Disposition: form-data; name=\"FILTER[ID]\""[..],
            400,
            &["multipart"],
        ),
        post(
            "multipart without a boundary",
            "{HOOK}user.get",
            Some("multipart/form-data"),
            &b"x"[..],
            400,
            &["boundary"],
        ),
        post(
            "multipart file upload",
            "{HOOK}user.get",
            MULTIPART,
            &b"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n"[..],
            400,
            &["file uploads"],
        ),
        // ---------------------------------------------------- REST: user.update values
        post(
            "user.update: rename and dismiss an integration owner without a choice",
            "{HOOK}user.update",
            JSON,
            json!({"ID": TLANG_ID, "NAME": "Halfway", "ACTIVE": false})
                .to_string()
                .into_bytes(),
            400,
            &["INTEGRATIONS_CHOICE_REQUIRED"],
        ),
        post(
            "user.update: rename and dismiss oneself",
            "{HOOK}user.update",
            FORM,
            format!("ID={HR_ID}&LAST_NAME=Selfish&ACTIVE=N").into_bytes(),
            403,
            &["themselves"],
        ),
        post(
            "user.update: ACTIVE=maybe",
            "{HOOK}user.update",
            FORM,
            format!("ID={TLANG_ID}&NAME=Changed&ACTIVE=maybe").into_bytes(),
            400,
            &["ACTIVE must be true or false"],
        ),
        post(
            "user.update: INTEGRATIONS=sometimes",
            "{HOOK}user.update",
            FORM,
            format!("ID={TLANG_ID}&ACTIVE=false&INTEGRATIONS=sometimes").into_bytes(),
            400,
            &["INTEGRATIONS must be keep or disable"],
        ),
        post(
            "user.update: a 101-character NAME",
            "{HOOK}user.update",
            JSON,
            json!({"ID": TLANG_ID, "NAME": long(101, 'n')})
                .to_string()
                .into_bytes(),
            400,
            &["longer than 100"],
        ),
        post(
            "user.update: a bad EMAIL",
            "{HOOK}user.update",
            JSON,
            json!({"ID": TLANG_ID, "EMAIL": "nope"})
                .to_string()
                .into_bytes(),
            400,
            &["not a valid address"],
        ),
        post(
            "user.update: an unknown ID",
            "{HOOK}user.update",
            JSON,
            &b"{\"ID\": 99999, \"NAME\": \"Changed\"}"[..],
            400,
            &["ERROR_NOT_FOUND"],
        ),
        get(
            "an order that is neither ASC nor DESC",
            "{HOOK}user.get?order[ID]=sideways",
            400,
            &["not ASC or DESC"],
        ),
        get(
            "FILTER as text",
            "{HOOK}user.get?FILTER=justtext",
            400,
            &["FILTER must be an object"],
        ),
        get(
            "an unknown method",
            "{HOOK}user.delete",
            404,
            &["ERROR_METHOD_NOT_FOUND"],
        ),
    ];
    t
}

/// Latin-1 bytes for the UTF-8 text `v` (every character below U+0100).
fn latin1(v: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(v)
        .chars()
        .map(|c| c as u32 as u8)
        .collect()
}

// ---------------------------------------------------------------------------------------
// What "nothing changed" means
// ---------------------------------------------------------------------------------------

/// Per table: number of rows and the SHA-256 of its rows (sorted).
type RowsDigest = BTreeMap<String, (usize, String)>;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn rows_digest(db: &Path) -> Result<RowsDigest, String> {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| format!("cannot open {} to compare: {e}", db.display()))?;
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| format!("cannot list the tables: {e}"))?;
    let mut out = RowsDigest::new();
    for t in tables {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .map_err(|e| format!("cannot read {t}: {e}"))?;
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let vals: Vec<rusqlite::types::Value> =
                    (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                Ok(format!("{vals:?}"))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| format!("cannot read {t}: {e}"))?;
        rows.sort();
        let mut h = Sha256::new();
        for r in &rows {
            h.update(r.as_bytes());
            h.update(b"\n");
        }
        out.insert(t, (rows.len(), hex(&h.finalize())));
    }
    Ok(out)
}

fn describe_digest_change(before: &RowsDigest, after: &RowsDigest) -> Option<String> {
    let mut changed = Vec::new();
    for (t, b) in before {
        match after.get(t) {
            Some(a) if a == b => {}
            Some(a) => changed.push(format!(
                "{t} ({} rows → {} rows, content differs)",
                b.0, a.0
            )),
            None => changed.push(format!("{t} (table gone)")),
        }
    }
    for t in after.keys().filter(|t| !before.contains_key(*t)) {
        changed.push(format!("{t} (new table)"));
    }
    (!changed.is_empty()).then(|| format!("the data changed: {}", changed.join(", ")))
}

/// What is compared before and after a case.
#[derive(Debug, PartialEq, Eq)]
enum State {
    /// A usable database: every table's rows.
    Rows(RowsDigest),
    /// An unusable one: the bytes of the file and of its `-wal` (None: absent), or the
    /// entries of a folder.
    Files(Vec<(String, Option<Vec<u8>>)>),
}

fn read_opt(p: &Path) -> Option<Vec<u8>> {
    if p.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(p)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        return Some(format!("<folder: {names:?}>").into_bytes());
    }
    std::fs::read(p).ok()
}

fn wal_of(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

fn capture(db_kind: Db, db: &Path) -> Result<State, String> {
    match db_kind {
        Db::Demo | Db::ReadOnly | Db::Locked => rows_digest(db).map(State::Rows),
        _ => Ok(State::Files(vec![
            ("the file".into(), read_opt(db)),
            (
                "its -wal".into(),
                read_opt(&wal_of(db)).filter(|w| !w.is_empty()),
            ),
        ])),
    }
}

fn describe_state_change(before: &State, after: &State) -> Option<String> {
    match (before, after) {
        (State::Rows(b), State::Rows(a)) => describe_digest_change(b, a),
        (State::Files(b), State::Files(a)) if a != b => {
            let what: Vec<String> = b
                .iter()
                .zip(a)
                .filter(|(x, y)| x != y)
                .map(|((name, x), (_, y))| {
                    let len = |v: &Option<Vec<u8>>| {
                        v.as_ref()
                            .map(|v| format!("{} bytes", v.len()))
                            .unwrap_or_else(|| "absent".into())
                    };
                    format!("{name} changed ({} → {})", len(x), len(y))
                })
                .collect();
            Some(what.join(", "))
        }
        (State::Files(_), State::Files(_)) => None,
        _ => Some("the state could not be compared".into()),
    }
}

// ---------------------------------------------------------------------------------------
// Building the database files
// ---------------------------------------------------------------------------------------

fn clean_command(home: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("OFFBOARD_DB")
        .env_remove("OFFBOARD_USER")
        .env_remove("OFFBOARD_BASE_URL")
        .env_remove("OFFBOARD_LOG")
        .env_remove("XDG_DATA_HOME")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env("HOME", home)
        .current_dir(home)
        .stdin(Stdio::null());
    c
}

/// The demo company, built once; each case gets a copy of the file.
fn build_template(dir: &Path) -> PathBuf {
    let db = dir.join("template.db");
    let o = clean_command(dir)
        .args(["demo", "--db"])
        .arg(&db)
        .output()
        .expect("run offboard demo");
    assert!(
        o.status.success(),
        "offboard demo failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let c = rusqlite::Connection::open(&db).expect("open the template");
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint the template");
    drop(c);
    let _ = std::fs::remove_file(wal_of(&db));
    db
}

fn overwrite(path: &Path, from: usize, len: usize) -> Result<(), String> {
    let mut bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let end = (from + len).min(bytes.len());
    for (i, b) in bytes[from..end].iter_mut().enumerate() {
        *b = ((i * 37 + 11) % 256) as u8;
    }
    std::fs::write(path, bytes).map_err(|e| e.to_string())
}

/// Put the file of `kind` at `db`.
fn prepare(kind: Db, template: &Path, db: &Path) -> Result<(), String> {
    let copy = || {
        std::fs::copy(template, db)
            .map(|_| ())
            .map_err(|e| format!("cannot copy the demo company: {e}"))
    };
    let page = 4096;
    match kind {
        Db::Demo | Db::ReadOnly | Db::Locked => copy(),
        Db::Missing => Ok(()),
        Db::Empty => std::fs::write(db, b"").map_err(|e| e.to_string()),
        Db::Text => std::fs::write(
            db,
            "These are my notes, not a database.\nBuy milk.\nDismiss nobody.\n",
        )
        .map_err(|e| e.to_string()),
        Db::Folder => std::fs::create_dir(db).map_err(|e| e.to_string()),
        Db::Foreign => {
            let c = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
            c.execute_batch(
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');",
            )
            .map_err(|e| e.to_string())
        }
        Db::CorruptMiddle => {
            copy()?;
            let len = std::fs::metadata(db).map_err(|e| e.to_string())?.len() as usize;
            overwrite(db, (len / 2) / page * page, 4 * page)
        }
        Db::CorruptWide => {
            copy()?;
            let len = std::fs::metadata(db).map_err(|e| e.to_string())?.len() as usize;
            let from = (len / 3) / page * page;
            overwrite(db, from, len / 3)
        }
        Db::Newer => {
            copy()?;
            let c = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
            c.execute_batch("PRAGMA user_version = 999;")
                .map_err(|e| e.to_string())?;
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(|e| e.to_string())?;
            Ok(())
        }
    }
}

/// `chattr +i` on a file, lifted when dropped.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Result<Immutable, String> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            Ok(Immutable(path.to_path_buf()))
        } else {
            Err("cannot make a read-only database: `chattr +i` is not available here (tests run as root, so file modes do not stop writes); install e2fsprogs or run on a file system that supports it".into())
        }
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// Holds a write transaction on the database until dropped.
struct Lock(rusqlite::Connection);

impl Lock {
    fn take(db: &Path) -> Result<Lock, String> {
        let c = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
        c.execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| format!("cannot take the write lock: {e}"))?;
        Ok(Lock(c))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}

// ---------------------------------------------------------------------------------------
// Running a CLI case
// ---------------------------------------------------------------------------------------

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

fn short(s: &str) -> String {
    let one: String = s.trim_end().chars().take(400).collect();
    if s.trim_end().chars().count() > 400 {
        format!("{one}…")
    } else {
        one
    }
}

/// The outcome of one case: what happened, and what was wrong with it.
struct Outcome {
    actual: String,
    problems: Vec<String>,
}

fn run_cli(template: &Path, c: &CliCase, expect: i32, says: &[&str]) -> Outcome {
    let mut problems = Vec::new();
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("x.db");
    if let Err(e) = prepare(c.db, template, &db) {
        return Outcome {
            actual: "setup failed".into(),
            problems: vec![e],
        };
    }
    let csv_path = tmp.path().join("input.csv");
    if let Some(bytes) = &c.csv {
        std::fs::write(&csv_path, bytes).expect("write the CSV file");
    }
    for b in &c.before {
        let o = clean_command(tmp.path())
            .args(b)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("run offboard");
        if !o.status.success() {
            return Outcome {
                actual: "setup failed".into(),
                problems: vec![format!(
                    "`offboard {}` should succeed first: {}",
                    b.join(" "),
                    String::from_utf8_lossy(&o.stderr).trim()
                )],
            };
        }
    }
    let args: Vec<String> = c
        .args
        .iter()
        .map(|a| {
            if a == "{CSV}" {
                csv_path.to_string_lossy().into_owned()
            } else {
                a.clone()
            }
        })
        .collect();
    let before = match capture(c.db, &db) {
        Ok(s) => s,
        Err(e) => {
            return Outcome {
                actual: "setup failed".into(),
                problems: vec![e],
            };
        }
    };
    let immutable = match c.db {
        Db::ReadOnly => match Immutable::set(&db) {
            Ok(g) => Some(g),
            Err(e) => {
                return Outcome {
                    actual: "setup failed".into(),
                    problems: vec![e],
                };
            }
        },
        _ => None,
    };
    let lock = match c.db {
        Db::Locked => match Lock::take(&db) {
            Ok(l) => Some(l),
            Err(e) => {
                return Outcome {
                    actual: "setup failed".into(),
                    problems: vec![e],
                };
            }
        },
        _ => None,
    };
    let started = Instant::now();
    let o = clean_command(tmp.path())
        .args(&args)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("run offboard");
    let took = started.elapsed();
    drop(lock);
    drop(immutable);

    let code = o.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let actual = format!("exit {code}, stderr {:?}", short(&stderr));
    if code < 0 {
        problems.push("killed by a signal".into());
    }
    if code == 101 || stderr.contains("panicked") {
        problems.push("it panicked".into());
    }
    if code != expect {
        problems.push(format!("exit status {code}, expected {expect}"));
    }
    if !(stderr.starts_with("offboard: ") && stderr.ends_with('\n') && stderr.lines().count() == 1)
    {
        problems.push("stderr is not exactly one line `offboard: …`".into());
    }
    for s in says {
        if !contains_ci(&stderr, s) {
            problems.push(format!("the message does not say {s:?}"));
        }
    }
    if !stdout.trim().is_empty() {
        problems.push(format!(
            "it printed on stdout although it failed: {:?}",
            short(&stdout)
        ));
    }
    if c.db == Db::Locked {
        if took < Duration::from_millis(4500) {
            problems.push(format!(
                "it gave up after {took:?}, before the 5 s busy timeout"
            ));
        }
        if took > Duration::from_secs(30) {
            problems.push(format!(
                "it waited {took:?}, far beyond the 5 s busy timeout"
            ));
        }
    }
    match capture(c.db, &db) {
        Ok(after) => {
            if let Some(d) = describe_state_change(&before, &after) {
                problems.push(d);
            }
        }
        Err(e) => problems.push(format!("cannot compare afterwards: {e}")),
    }
    Outcome { actual, problems }
}

// ---------------------------------------------------------------------------------------
// Running a REST case
// ---------------------------------------------------------------------------------------

struct Target {
    addr: String,
    hook_path: String,
    code: String,
    db: PathBuf,
}

fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

/// Send one HTTP/1.1 request as raw bytes; the body is written from another thread so
/// that an early answer (413) is read even when the server stops reading.
fn http_raw(addr: &str, head: Vec<u8>, body: Vec<u8>) -> Result<(u16, String, Vec<u8>), String> {
    let mut s = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let mut w = s.try_clone().map_err(|e| e.to_string())?;
    let writer = std::thread::spawn(move || {
        let _ = w.write_all(&head);
        for chunk in body.chunks(64 * 1024) {
            if w.write_all(chunk).is_err() {
                break;
            }
        }
        let _ = w.flush();
    });
    let mut resp = Vec::new();
    let read = s.read_to_end(&mut resp);
    let _ = writer.join();
    if resp.is_empty() {
        return Err(format!("no answer ({read:?})"));
    }
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no end of headers in {:?}", String::from_utf8_lossy(&resp)))?;
    let headers = String::from_utf8_lossy(&resp[..split]).into_owned();
    let mut body = resp[split + 4..].to_vec();
    let status: u16 = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {headers:?}"))?;
    let header = |name: &str| {
        headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    if let Some(n) = header("content-length").and_then(|n| n.parse::<usize>().ok()) {
        body.truncate(n);
    }
    Ok((status, header("content-type").unwrap_or_default(), body))
}

fn run_rest(target: &Target, c: &RestCase, expect: i32, says: &[&str]) -> Outcome {
    let mut problems = Vec::new();
    let before = match rows_digest(&target.db) {
        Ok(d) => d,
        Err(e) => {
            return Outcome {
                actual: "setup failed".into(),
                problems: vec![e],
            };
        }
    };
    let path = replace_bytes(&c.target, b"{HOOK}", target.hook_path.as_bytes());
    let path = replace_bytes(&path, b"{CODE}", target.code.as_bytes());
    let mut head = format!("{} ", c.http).into_bytes();
    head.extend_from_slice(&path);
    head.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(ct) = &c.content_type {
        head.extend_from_slice(b"Content-Type: ");
        head.extend_from_slice(ct);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(format!("Content-Length: {}\r\n\r\n", c.body.len()).as_bytes());
    let actual = match http_raw(&target.addr, head, c.body.clone()) {
        Err(e) => {
            problems.push(format!("the request failed: {e}"));
            format!("no answer: {e}")
        }
        Ok((status, ctype, body)) => {
            let text = String::from_utf8_lossy(&body).into_owned();
            if status >= 500 {
                problems.push(format!("a 5xx: {status}"));
            }
            if i32::from(status) != expect {
                problems.push(format!("status {status}, expected {expect}"));
            }
            if !ctype.starts_with("application/json") {
                problems.push(format!("content-type {ctype:?}, not JSON"));
            }
            match serde_json::from_str::<Value>(&text) {
                Err(e) => problems.push(format!("the body is not JSON ({e})")),
                Ok(v) => {
                    let error = v["error"].as_str().unwrap_or_default();
                    let description = v["error_description"].as_str().unwrap_or_default();
                    if error.is_empty() || description.trim().is_empty() {
                        problems.push("no error envelope {error, error_description}".into());
                    }
                    if v.get("result").is_some() {
                        problems.push("an error answer carries a result".into());
                    }
                    let message = format!("{error} {description}");
                    for s in says {
                        if !contains_ci(&message, s) {
                            problems.push(format!("the error does not say {s:?}"));
                        }
                    }
                }
            }
            format!("{status} {}", short(&text))
        }
    };
    match rows_digest(&target.db) {
        Ok(after) => {
            if let Some(d) = describe_digest_change(&before, &after) {
                problems.push(d);
            }
        }
        Err(e) => problems.push(format!("cannot compare afterwards: {e}")),
    }
    Outcome { actual, problems }
}

// ---------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------

#[test]
fn every_bad_input_is_refused_cleanly_and_changes_nothing() {
    let started = Instant::now();
    let table = cases();
    assert!(table.len() >= 40, "the table should hold at least 40 cases");
    let mut names: Vec<&str> = table.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), table.len(), "case names must be unique");

    let work = tempfile::tempdir().expect("tempdir");
    let template = build_template(work.path());

    // The REST server: the demo company, hr's webhook with every scope.
    let mut company = Company::demo();
    let server = company.serve();
    let hook = company.webhook("hr", "Bad input", "user,department,task,crm");
    let (user, code) = hook.parts();
    let target = Target {
        addr: server.base.trim_start_matches("http://").to_string(),
        hook_path: format!("/rest/{user}/{code}/"),
        code,
        db: company.db.clone(),
    };

    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..table.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let cli_cases: Vec<usize> = (0..table.len())
        .filter(|i| matches!(table[*i].input, Input::Cli(_)))
        .collect();
    std::thread::scope(|s| {
        // REST cases one after the other: each compares the data before and after.
        s.spawn(|| {
            for (i, case) in table.iter().enumerate() {
                if let Input::Rest(r) = &case.input {
                    let o = run_rest(&target, r, case.expect, case.says);
                    results.lock().unwrap()[i] = Some(o);
                }
            }
        });
        // CLI cases in parallel: each has its own copy of the database.
        for _ in 0..6 {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = cli_cases.get(k) else { break };
                    let case = &table[i];
                    if let Input::Cli(c) = &case.input {
                        let o = run_cli(&template, c, case.expect, case.says);
                        results.lock().unwrap()[i] = Some(o);
                    }
                }
            });
        }
    });
    // The server is still alive after all of it.
    let alive = http_raw(
        &target.addr,
        format!(
            "GET {}user.current HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            target.hook_path
        )
        .into_bytes(),
        Vec::new(),
    );
    drop(server);

    let results = results.into_inner().unwrap();
    let mut failures = Vec::new();
    let (mut n_cli, mut n_rest) = (0, 0);
    for (case, outcome) in table.iter().zip(results) {
        match case.input {
            Input::Cli(_) => n_cli += 1,
            Input::Rest(_) => n_rest += 1,
        }
        let outcome = outcome.unwrap_or_else(|| Outcome {
            actual: "not run".into(),
            problems: vec!["not run".into()],
        });
        let verdict = if outcome.problems.is_empty() {
            "ok"
        } else {
            "FAILED"
        };
        eprintln!(
            "{verdict:6} {} (expected {} {:?}): {}",
            case.name, case.expect, case.says, outcome.actual
        );
        if !outcome.problems.is_empty() {
            failures.push(format!(
                "- {}\n    expected: {} saying {:?}, nothing changed\n    actual:   {}\n    wrong:    {}",
                case.name,
                case.expect,
                case.says,
                outcome.actual,
                outcome.problems.join("; ")
            ));
        }
    }
    eprintln!(
        "{} cases ({n_cli} CLI, {n_rest} REST) in {:.1?}; {} failed",
        table.len(),
        started.elapsed(),
        failures.len()
    );
    match alive {
        Ok((200, _, _)) => {}
        other => failures.push(format!(
            "- the server should still answer user.current after every case, got {other:?}"
        )),
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}
