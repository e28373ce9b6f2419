//! The command line's rough edges (issue 14, items 24–31), each found by a hostile user
//! with the command that shows it: the real binary on a fresh demo company in a
//! temporary folder, asserting the exit status, the one line on stderr, stdout, and the
//! database afterwards.

mod binary;
mod rest_support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rest_support::{Company, Http, Out};
use serde_json::{Value, json};

/// A run of `company` with `args`, standard input from `input` when given.
fn run_with_input(company: &Company, args: &[&str], input: Option<&[u8]>) -> Out {
    let mut c = company.command(args);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    if input.is_some() {
        c.stdin(Stdio::piped());
    }
    let mut child = c.spawn().expect("run offboard");
    if let Some(bytes) = input {
        let mut stdin = child.stdin.take().expect("stdin");
        // The binary may refuse (and close its end) before reading all of it.
        let _ = stdin.write_all(bytes);
    }
    let o = child.wait_with_output().expect("wait for offboard");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Expects exit `code`, nothing on stdout and exactly one line `offboard: …` on stderr
/// holding every fragment; returns that line.
#[track_caller]
fn refused_with(o: &Out, code: i32, fragments: &[&str], what: &str) -> String {
    assert_eq!(
        o.code, code,
        "{what}: exit status\nstdout: {}\nstderr: {}",
        o.stdout, o.stderr
    );
    assert_eq!(o.stdout, "", "{what}: nothing on stdout on a refusal");
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{what}: one line on stderr, got {:?}",
        o.stderr
    );
    assert!(lines[0].starts_with("offboard: "), "{what}: {:?}", lines[0]);
    for f in fragments {
        assert!(
            lines[0].contains(f),
            "{what}: {f:?} should be in {:?}",
            lines[0]
        );
    }
    lines[0].to_string()
}

#[track_caller]
fn refused(company: &Company, args: &[&str], code: i32, fragments: &[&str]) -> String {
    let o = company.run(args);
    refused_with(&o, code, fragments, &args.join(" "))
}

fn sql<T: rusqlite::types::FromSql>(db: &Path, query: &str) -> T {
    let c = rusqlite::Connection::open(db).expect("open the database");
    c.query_row(query, [], |r| r.get(0)).expect(query)
}

fn status_of(company: &Company, login: &str) -> String {
    sql(
        &company.db,
        &format!("SELECT status FROM employees WHERE login = '{login}'"),
    )
}

fn departures(company: &Company) -> i64 {
    sql(&company.db, "SELECT COUNT(*) FROM departures")
}

fn employees(company: &Company) -> i64 {
    sql(&company.db, "SELECT COUNT(*) FROM employees")
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

// ---------------------------------------------------------------------------------------
// 24, 28: dates
// ---------------------------------------------------------------------------------------

#[test]
fn a_date_beyond_year_9999_is_refused_and_never_dismisses_at_once() {
    let company = Company::demo();
    let before = departures(&company);
    for on in [
        "+10000-01-01",
        "10000-01-01",
        "+2027-01-01",
        "-0001-01-01",
        "27-01-01",
    ] {
        let on = format!("--on={on}");
        refused(
            &company,
            &[
                "--as",
                "hr",
                "dismiss",
                "amehta",
                &on,
                "--integrations",
                "disable",
            ],
            2,
            &["--on", "YYYY-MM-DD"],
        );
    }
    assert_eq!(status_of(&company, "amehta"), "active");
    assert_eq!(departures(&company), before, "no departure recorded");
    // Years outside 1900–2199 are refused as out of range, in the TUI's field too
    // (the same validation).
    refused(
        &company,
        &["--as", "hr", "dismiss", "jdoe", "--on", "2200-01-01"],
        2,
        &["out of range", "1900-01-01", "2199-12-31"],
    );
    assert_eq!(departures(&company), before);
}

#[test]
fn stored_dates_compare_as_dates_and_migration_7_rewrites_signed_years() {
    let company = Company::demo();
    // Every day and moment the demo wrote has a four-digit year, so text order is date
    // order in SQL: a scheduled dismissal next year is not due today.
    let next_year = (today() + chrono::Duration::days(365)).to_string();
    let out = company.ok(&[
        "--as", "hr", "dismiss", "jdoe", "--on", &next_year, "--reason", "retired",
    ]);
    assert!(out.contains(&format!("leaving on {next_year}")), "{out}");
    let signed: i64 = sql(
        &company.db,
        "SELECT (SELECT COUNT(*) FROM departures WHERE effective_at NOT GLOB '[0-9][0-9][0-9][0-9]-*') \
         + (SELECT COUNT(*) FROM employees WHERE hired_on NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')",
    );
    assert_eq!(signed, 0);
    assert_eq!(status_of(&company, "jdoe"), "active");

    // A file from before version 7 may hold what a signed year left (what versions 8
    // and 9 made is taken out too, so that it is a file of version 6): a pending
    // departure dated +10000 (text that sorts before today) and a hire date of +12345.
    {
        let c = rusqlite::Connection::open(&company.db).expect("open");
        c.execute_batch(
            "UPDATE departures SET effective_at = '+10000-01-01T00:00:00Z' WHERE state = 'pending';
             UPDATE employees SET hired_on = '+12345-02-02' WHERE login = 'amehta';
             DROP TRIGGER scim_users_touch; DROP TABLE scim_users; DROP TABLE scim_tokens;
             DROP TRIGGER employee_words_insert; DROP TRIGGER employee_words_update;
             DROP TRIGGER employee_words_department; DROP TABLE employee_words;
             DROP INDEX crm_items_assigned_time; DROP INDEX employees_by_position;
             DROP INDEX employees_by_department;
             DROP TABLE checklist_steps; DROP TABLE checklists;
             DROP TABLE checklist_template_steps; DROP TABLE checklist_templates;
             DROP TABLE hook_deliveries; DROP TABLE hooks; DROP TABLE outbox_events;
             ALTER TABLE departures DROP COLUMN checklist;
             DROP TRIGGER employee_counts_insert; DROP TRIGGER employee_counts_update;
             DROP TABLE employee_counts; DROP TABLE work_counts; DROP TABLE name_ranks;
             ALTER TABLE employees DROP COLUMN name_rank;
             PRAGMA user_version = 6;",
        )
        .expect("age the file");
    }
    // Opening it upgrades it: the departure fails with the reason and is dated when it
    // was recorded; jdoe was not dismissed by it.
    let shown = company.json(&["--as", "hr", "show", "jdoe", "--json"]);
    assert_eq!(shown["status"], json!("active"), "{shown}");
    assert_eq!(shown["departure"]["state"], json!("failed"), "{shown}");
    let version: i64 = sql(&company.db, "PRAGMA user_version");
    assert_eq!(version, offboard::store::latest_version());
    // The upgrade left the planner statistics of the list's new indexes: without them
    // it took an index in the wrong order and a 100,000-employee list paged slowly.
    let analysed: i64 = sql(
        &company.db,
        "SELECT COUNT(*) FROM sqlite_stat1 WHERE idx IN ('employees_by_position', 'employees_by_department', 'files_owner')",
    );
    assert_eq!(analysed, 3);
    let failure: String = sql(
        &company.db,
        "SELECT failure FROM departures WHERE state = 'failed'",
    );
    assert!(failure.contains("+10000-01-01"), "{failure}");
    let (effective, recorded): (String, String) = {
        let c = rusqlite::Connection::open(&company.db).expect("open");
        c.query_row(
            "SELECT effective_at, recorded_at FROM departures WHERE state = 'failed'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the failed departure")
    };
    assert_eq!(effective, recorded);
    let hired: String = sql(
        &company.db,
        "SELECT hired_on FROM employees WHERE login = 'amehta'",
    );
    let created: String = sql(
        &company.db,
        "SELECT substr(created_at, 1, 10) FROM employees WHERE login = 'amehta'",
    );
    assert_eq!(hired, created);
    // And the profile reads again (a signed moment could not be read back before).
    company.json(&["--as", "hr", "show", "amehta", "--json"]);
}

#[test]
fn hire_dates_run_from_1900_to_a_year_ahead_and_a_departure_never_comes_before_one() {
    let company = Company::demo();
    let before = employees(&company);
    let add = |login: &str, on: &str| {
        company.run(&[
            "--as",
            "hr",
            "add",
            "--login",
            login,
            "--name",
            "Jane Early",
            "--email",
            &format!("{login}@x.example"),
            "--hired-on",
            on,
        ])
    };
    for on in ["0001-01-01", "1899-12-31", "2999-01-01"] {
        refused_with(&add("early", on), 2, &["--hired-on", "out of range"], on);
    }
    let too_far = (today() + chrono::Duration::days(400)).to_string();
    refused_with(
        &add("early", &too_far),
        2,
        &["out of range", "one year after today"],
        &too_far,
    );
    assert_eq!(employees(&company), before, "nobody added");

    // The edges are accepted.
    assert_eq!(add("oldest", "1900-01-01").code, 0);
    let next_month = (today() + chrono::Duration::days(30)).to_string();
    assert_eq!(add("starter", &next_month).code, 0);
    // Someone who starts next month cannot leave today, nor on a day before they start.
    refused(
        &company,
        &["--as", "hr", "dismiss", "starter"],
        3,
        &["starter", &next_month, "before the hire date"],
    );
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    refused(
        &company,
        &["--as", "hr", "dismiss", "starter", "--on", &tomorrow],
        2,
        &["before starter's hire date"],
    );
    assert_eq!(status_of(&company, "starter"), "active");
    // On their first day or later, they can.
    let out = company.ok(&["--as", "hr", "dismiss", "starter", "--on", &next_month]);
    assert!(out.contains("leaving on"), "{out}");

    // The import checks the same, naming the line and field.
    let csv = company.dir().join("people.csv");
    std::fs::write(
        &csv,
        "login,first_name,last_name,email,position,department,hired_on\n\
         kfox,Kim,Fox,kim.fox@x.example,,,2024-05-01\n\
         lgray,Lee,Gray,lee.gray@x.example,,,2999-01-01\n",
    )
    .expect("write csv");
    let before = employees(&company);
    refused(
        &company,
        &["--as", "hr", "import", csv.to_str().expect("utf-8")],
        2,
        &["line 3", "hired_on", "out of range"],
    );
    assert_eq!(employees(&company), before, "nothing imported");
}

// ---------------------------------------------------------------------------------------
// 25: a schema without a version
// ---------------------------------------------------------------------------------------

#[test]
fn a_company_with_user_version_0_is_refused_in_one_line() {
    let company = Company::demo();
    let size = std::fs::metadata(&company.db).expect("db").len();
    {
        let c = rusqlite::Connection::open(&company.db).expect("open");
        c.execute_batch("PRAGMA user_version = 0;").expect("reset");
    }
    for args in [
        vec!["--as", "hr", "list"],
        vec!["--as", "hr", "show", "jdoe"],
        vec!["--as", "hr", "dismiss", "jdoe"],
    ] {
        refused(&company, &args, 1, &["no schema version", "user_version"]);
    }
    let version: i64 = sql(&company.db, "PRAGMA user_version");
    assert_eq!(version, 0, "left as it was");
    assert_eq!(std::fs::metadata(&company.db).expect("db").len(), size);
}

// ---------------------------------------------------------------------------------------
// 26: nothing on stdout on a refusal; --json is JSON
// ---------------------------------------------------------------------------------------

#[test]
fn a_refused_json_list_or_export_prints_nothing_on_stdout() {
    let company = Company::demo();
    refused(
        &company,
        &["--as", "hr", "list", "--status", "dismissed", "--json"],
        3,
        &["show_dismissed"],
    );
    refused(
        &company,
        &["--as", "hr", "list", "--status", "all", "--json"],
        3,
        &["show_dismissed"],
    );
    for format in ["json", "csv"] {
        refused(
            &company,
            &["--as", "jdoe", "export", "--format", format],
            3,
            &["jdoe may not read the export"],
        );
    }
    // The same commands still answer in full when allowed.
    let list = company.json(&["--as", "hr", "list", "--json"]);
    assert!(list.as_array().is_some_and(|a| a.len() > 30), "{list}");
    let csv = company.ok(&["--as", "hr", "export", "--format", "csv"]);
    assert!(csv.starts_with("login,first_name"), "{csv}");
}

#[test]
fn a_scheduled_dismissal_with_json_answers_json() {
    let company = Company::demo();
    let on = (today() + chrono::Duration::days(20)).to_string();
    let v = company.json(&["--as", "hr", "dismiss", "jdoe", "--on", &on, "--json"]);
    assert_eq!(v, json!({ "login": "jdoe", "on": on, "state": "pending" }));
    let today = today().to_string();
    let v = company.json(&["--as", "hr", "dismiss", "elarsen", "--on", &today, "--json"]);
    assert_eq!(
        v,
        json!({ "login": "elarsen", "on": today, "state": "done" })
    );
    assert_eq!(status_of(&company, "elarsen"), "dismissed");
}

// ---------------------------------------------------------------------------------------
// 27: invisible characters
// ---------------------------------------------------------------------------------------

/// Format characters (general category Cf) a name could hide.
const INVISIBLE: &[char] = &[
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{2060}',
    '\u{FEFF}',
    '\u{00AD}',
    '\u{200E}',
    '\u{200F}',
    '\u{061C}',
    '\u{E0041}',
    '\u{E007F}',
    '\u{2062}',
    '\u{180E}',
];

#[test]
fn names_logins_emails_and_departments_with_format_characters_are_refused() {
    let company = Company::demo();
    let before = employees(&company);
    for &c in INVISIBLE {
        let code = format!("U+{:04X}", c as u32);
        let name = format!("Jane Do{c}e");
        let o = company.run(&[
            "--as",
            "hr",
            "add",
            "--login",
            "jdoe9",
            "--name",
            &name,
            "--email",
            "jane9@x.example",
        ]);
        refused_with(&o, 2, &["last name", "invisible", &code], &code);
        let email = format!("ja{c}ne9@x.example");
        let o = company.run(&[
            "--as",
            "hr",
            "add",
            "--login",
            "jdoe9",
            "--name",
            "Jane Nine",
            "--email",
            &email,
        ]);
        refused_with(&o, 2, &["email", &code], &code);
        let department = format!("Sa{c}les");
        let o = company.run(&[
            "--as",
            "hr",
            "add",
            "--login",
            "jdoe9",
            "--name",
            "Jane Nine",
            "--email",
            "jane9@x.example",
            "--department",
            &department,
        ]);
        refused_with(&o, 2, &["department", &code], &code);
        let login = format!("jdoe{c}9");
        let o = company.run(&[
            "--as",
            "hr",
            "add",
            "--login",
            &login,
            "--name",
            "Jane Nine",
            "--email",
            "jane9@x.example",
        ]);
        refused_with(&o, 2, &["login"], &code);
    }
    // The import door.
    let csv = company.dir().join("people.csv");
    std::fs::write(
        &csv,
        "login,first_name,last_name,email,position,department,hired_on\n\
         kfox,Kim,Fox,kim.fox@x.example,,,\n\
         lgray,L\u{200D}ee,Gray,lee.gray@x.example,,,\n",
    )
    .expect("write csv");
    refused(
        &company,
        &["--as", "hr", "import", csv.to_str().expect("utf-8")],
        2,
        &["line 3", "first_name", "U+200D"],
    );
    assert_eq!(employees(&company), before, "nobody added");
    // Text that only looks foreign is fine.
    company.ok(&[
        "--as",
        "hr",
        "add",
        "--login",
        "zoe",
        "--name",
        "Zoë Ñúñez-Øster",
        "--email",
        "zoe@x.example",
    ]);
}

#[test]
fn the_rest_doors_refuse_format_characters_too() {
    let mut company = Company::demo();
    let _server = company.serve();
    let hr = company.webhook("hr", "HR tools", "user,department");
    let http = Http::new();
    let before = employees(&company);
    let d = http
        .post_json(
            &hr.at("user.add"),
            &json!({"NAME": "Jane", "LAST_NAME": "Do\u{200B}e", "EMAIL": "jane9@x.example"}),
        )
        .err_status(400);
    assert!(d.contains("U+200B"), "{d}");
    assert_eq!(employees(&company), before);
    let jdoe = rest_support::JDOE_ID;
    let d = http
        .post_json(
            &hr.at("user.update"),
            &json!({"ID": jdoe, "NAME": "Ja\u{2060}ne"}),
        )
        .err_status(400);
    assert!(d.contains("U+2060"), "{d}");
    let first: String = sql(
        &company.db,
        "SELECT first_name FROM employees WHERE login = 'jdoe'",
    );
    assert_eq!(first, "Jane");
    let admin = company.webhook("admin", "Admin tools", "user,department");
    let d = http
        .post_json(
            &admin.at("department.add"),
            &json!({"NAME": "Sa\u{FEFF}les"}),
        )
        .err_status(400);
    assert!(d.contains("U+FEFF"), "{d}");
}

// ---------------------------------------------------------------------------------------
// 29: the import's caps
// ---------------------------------------------------------------------------------------

const HEADER: &str = "login,first_name,last_name,email,position,department,hired_on\n";

#[test]
fn a_huge_single_line_import_is_refused_at_the_line_cap() {
    let company = Company::demo();
    let before = employees(&company);
    // 100 MiB on one line, after a valid row: refused at 16 KiB of it, exit 2.
    let path = company.dir().join("one-line.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        f.write_all(HEADER.as_bytes()).expect("write");
        f.write_all(b"kfox,Kim,Fox,kim.fox@x.example,,,\n")
            .expect("write");
        let chunk = vec![b'a'; 1024 * 1024];
        for _ in 0..20 {
            f.write_all(&chunk).expect("write");
        }
    }
    let o = company.run(&["--as", "hr", "import", path.to_str().expect("utf-8")]);
    refused_with(&o, 2, &["line 3 is longer than 16 KiB"], "one long line");
    assert_eq!(employees(&company), before, "nothing imported");

    // The same through a pipe, where the size is not known before reading: 8 MiB
    // on one line, refused as it is read.
    let mut piped = HEADER.as_bytes().to_vec();
    piped.extend(std::iter::repeat_n(b'b', 8 * 1024 * 1024));
    let o = run_with_input(
        &company,
        &["--as", "hr", "import", "/dev/stdin"],
        Some(&piped),
    );
    refused_with(&o, 2, &["line 2 is longer than 16 KiB"], "piped long line");
    // A header line that long is refused the same way.
    let mut header = vec![b'c'; 20 * 1024];
    header.push(b'\n');
    let o = run_with_input(
        &company,
        &["--as", "hr", "import", "/dev/stdin"],
        Some(&header),
    );
    refused_with(&o, 2, &["line 1 is longer than 16 KiB"], "long header");
    assert_eq!(employees(&company), before, "nothing imported");
}

#[test]
fn an_import_larger_than_64_mib_is_refused_before_reading() {
    let company = Company::demo();
    let path = company.dir().join("huge.csv");
    let f = std::fs::File::create(&path).expect("create");
    // Sparse: instant to make, and the size is what is refused.
    f.set_len(64 * 1024 * 1024 + 1).expect("set_len");
    drop(f);
    let started = Instant::now();
    let o = company.run(&["--as", "hr", "import", path.to_str().expect("utf-8")]);
    refused_with(&o, 2, &["larger than 64 MiB"], "huge file");
    assert!(started.elapsed() < Duration::from_secs(20));
}

// ---------------------------------------------------------------------------------------
// 30: unknown logins in a bulk command
// ---------------------------------------------------------------------------------------

#[test]
fn any_unknown_login_in_a_bulk_command_refuses_it_whole_naming_them() {
    let company = Company::demo();
    let before = departures(&company);
    refused(
        &company,
        &["--as", "hr", "dismiss", "nobodyhere", "nobody2", "--yes"],
        3,
        &["\"nobodyhere\"", "\"nobody2\"", "nothing changed"],
    );
    refused(
        &company,
        &["--as", "hr", "dismiss", "nobodyhere", "jdoe", "--yes"],
        3,
        &["\"nobodyhere\""],
    );
    assert_eq!(
        status_of(&company, "jdoe"),
        "active",
        "jdoe was not dismissed"
    );
    refused(
        &company,
        &[
            "--as",
            "hr",
            "dismiss",
            "jdoe",
            "elarsen",
            "nobodyhere",
            "--yes",
            "--json",
        ],
        3,
        &["\"nobodyhere\""],
    );
    refused(
        &company,
        &["--as", "hr", "hire", "lbrandt", "ghost", "--yes"],
        3,
        &["\"ghost\""],
    );
    assert_eq!(status_of(&company, "lbrandt"), "dismissed");
    assert_eq!(departures(&company), before);
    // Known logins in the wrong state are still skipped with the reason, as before.
    let out = company.ok(&["--as", "hr", "hire", "lbrandt", "jdoe", "--yes"]);
    assert!(out.contains("jdoe is already active"), "{out}");
}

// ---------------------------------------------------------------------------------------
// 31: --db on what is not a usable file
// ---------------------------------------------------------------------------------------

/// Run `offboard ARGS --db DB` and wait at most 20 s: a hang is a failure, not a stuck
/// test.
fn run_bounded(mut c: Command, what: &str) -> Out {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run offboard");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().expect("output");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn db_on_a_fifo_or_a_folder_is_refused_at_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fifo = tmp.path().join("pipe.db");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let o = run_bounded(
        binary::command(tmp.path(), &fifo, &["--as", "hr", "list"]),
        "list on a FIFO",
    );
    refused_with(&o, 1, &["named pipe (FIFO)", "not a regular file"], "fifo");
    let o = run_bounded(
        binary::command(tmp.path(), &fifo, &["demo"]),
        "demo on a FIFO",
    );
    refused_with(&o, 1, &["named pipe (FIFO)"], "demo over a FIFO");
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the FIFO is left as it was");
    let o = run_bounded(
        binary::command(tmp.path(), tmp.path(), &["--as", "hr", "list"]),
        "list on a folder",
    );
    refused_with(&o, 1, &["folder", "not a regular file"], "folder");
    let o = run_bounded(
        binary::command(tmp.path(), Path::new("/dev/null"), &["--as", "hr", "list"]),
        "list on a device",
    );
    refused_with(&o, 1, &["a device"], "device");
}

/// Runs the binary as a user who may not write what root made (tests run as root in
/// CI; as anyone else, the files are made read-only with chmod instead).
struct Reader {
    as_root: bool,
    home: PathBuf,
}

impl Reader {
    fn new(tmp: &Path) -> Reader {
        let as_root = nix_uid_is_root();
        let home = tmp.join("reader-home");
        std::fs::create_dir_all(&home).expect("home");
        set_mode(&home, 0o777);
        Reader { as_root, home }
    }

    fn command(&self, db: &Path, args: &[&str]) -> Command {
        let inner = binary::command(&self.home, db, args);
        if !self.as_root {
            return inner;
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(inner.get_program())
            .args(inner.get_args())
            .current_dir(&self.home)
            .stdin(Stdio::null());
        for (k, v) in inner.get_envs() {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        c
    }
}

fn nix_uid_is_root() -> bool {
    // `id -u` rather than a dependency only the tests would use.
    let out = Command::new("id").arg("-u").output().expect("id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn journal_files(folder: &Path) -> Vec<String> {
    binary::files_in(folder)
        .into_iter()
        .filter(|n| n.ends_with("-wal") || n.ends_with("-shm") || n.ends_with("-journal"))
        .collect()
}

#[test]
fn a_database_this_user_cannot_write_is_read_read_only_and_left_as_it_was() {
    let company = Company::demo();
    let tmp = tempfile::tempdir().expect("tempdir");
    set_mode(tmp.path(), 0o755);
    let reader = Reader::new(tmp.path());
    let sha = |p: &Path| std::fs::read(p).expect("read db");

    // A read-only file in a folder the reader may write: reads work, changes are
    // refused saying why, and no -wal or -shm is left behind owned by the reader.
    let open_folder = tmp.path().join("open");
    std::fs::create_dir(&open_folder).expect("mkdir");
    let db = open_folder.join("x.db");
    std::fs::copy(&company.db, &db).expect("copy");
    set_mode(&db, 0o444);
    set_mode(&open_folder, 0o777);
    let before = sha(&db);
    let o = run_bounded(reader.command(&db, &["--as", "hr", "list"]), "list");
    assert_eq!(o.code, 0, "list on a read-only file: {o:?}");
    assert!(o.stdout.contains("jdoe"), "{}", o.stdout);
    let o = run_bounded(
        reader.command(&db, &["--as", "hr", "show", "jdoe", "--json"]),
        "show",
    );
    assert_eq!(o.code, 0, "show on a read-only file: {o:?}");
    let o = run_bounded(
        reader.command(&db, &["--as", "hr", "dismiss", "jdoe"]),
        "dismiss",
    );
    refused_with(
        &o,
        1,
        &["read-only", "may not write the file", "nothing was changed"],
        "dismiss",
    );
    assert_eq!(journal_files(&open_folder), Vec::<String>::new());
    assert!(sha(&db) == before, "the file is unchanged");

    // A read-only folder, with the file itself writable or not: the same.
    let closed_folder = tmp.path().join("closed");
    std::fs::create_dir(&closed_folder).expect("mkdir");
    let db = closed_folder.join("x.db");
    std::fs::copy(&company.db, &db).expect("copy");
    for file_mode in [0o444, 0o666] {
        set_mode(&closed_folder, 0o755);
        set_mode(&db, file_mode);
        if !reader.as_root {
            set_mode(&closed_folder, 0o555);
        }
        let before = sha(&db);
        let o = run_bounded(
            reader.command(&db, &["--as", "hr", "list", "--json"]),
            "list",
        );
        assert_eq!(
            o.code, 0,
            "list in a read-only folder ({file_mode:o}): {o:?}"
        );
        let v: Value = serde_json::from_str(&o.stdout).expect("JSON");
        assert!(v.as_array().is_some_and(|a| !a.is_empty()));
        let o = run_bounded(
            reader.command(&db, &["--as", "admin", "grant", "jdoe"]),
            "grant",
        );
        let why = if file_mode == 0o444 {
            "may not write the file"
        } else {
            "may not write its folder"
        };
        refused_with(&o, 1, &["read-only", why], "grant");
        assert_eq!(journal_files(&closed_folder), Vec::<String>::new());
        assert!(sha(&db) == before, "the file is unchanged");
    }
    set_mode(&closed_folder, 0o755);
}
