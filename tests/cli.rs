//! Command-line tests (SPEC §5, §7): the real `offboard` binary, run against a fresh
//! SQLite file in its own temporary folder for every test. HOME points at that folder and
//! the OFFBOARD_* variables are removed, so nothing touches the real data folder.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// What one run of the binary did.
#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A temporary folder with `x.db` in it.
struct Env {
    tmp: TempDir,
    db: PathBuf,
}

impl Env {
    /// No database yet.
    fn empty() -> Env {
        let tmp = tempfile::tempdir().expect("tempdir");
        let db = tmp.path().join("x.db");
        Env { tmp, db }
    }

    /// The demo company, created with `offboard demo --db P`.
    fn demo() -> Env {
        let env = Env::empty();
        env.ok(&["demo"]);
        env
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn db_str(&self) -> &str {
        self.db.to_str().expect("utf-8 temp path")
    }

    /// The binary with a clean environment and no arguments.
    fn bare(&self) -> Command {
        let mut c = Command::cargo_bin("offboard").expect("the offboard binary");
        c.env_remove("OFFBOARD_DB")
            .env_remove("OFFBOARD_USER")
            .env_remove("OFFBOARD_BASE_URL")
            .env_remove("OFFBOARD_LOG")
            .env_remove("XDG_DATA_HOME")
            .env("HOME", self.dir())
            .current_dir(self.dir());
        c
    }

    /// The binary with `args` followed by `--db P`.
    fn cmd<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut c = self.bare();
        c.args(args).arg("--db").arg(&self.db);
        c
    }

    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Out {
        run(self.cmd(args))
    }

    /// Runs and expects exit status 0; returns stdout.
    #[track_caller]
    fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code,
            0,
            "`offboard {}` should succeed\nstdout: {}\nstderr: {}",
            show_args(args),
            o.stdout,
            o.stderr
        );
        o.stdout
    }

    /// Runs and expects `code`; returns stderr.
    #[track_caller]
    fn fails<S: AsRef<OsStr>>(&self, args: &[S], code: i32) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code,
            code,
            "`offboard {}` should exit with {code}\nstdout: {}\nstderr: {}",
            show_args(args),
            o.stdout,
            o.stderr
        );
        o.stderr
    }

    /// Runs and expects a refusal: exit 3 and exactly one line `offboard: …` on stderr.
    #[track_caller]
    fn refused<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        let err = self.fails(args, 3);
        assert_one_line(&err, &show_args(args));
        err
    }

    /// Runs, expects 0, parses stdout as JSON.
    #[track_caller]
    fn json<S: AsRef<OsStr>>(&self, args: &[S]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| {
            panic!(
                "`offboard {}` did not print JSON ({e}):\n{out}",
                show_args(args)
            )
        })
    }

    /// `list --json` as `login` (active employees unless `extra` says otherwise).
    #[track_caller]
    fn list(&self, login: &str, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["list", "--json", "--as", login];
        args.extend_from_slice(extra);
        array(self.json(&args))
    }

    #[track_caller]
    fn show(&self, login: &str, as_login: &str) -> Value {
        self.json(&["show", login, "--json", "--as", as_login])
    }

    #[track_caller]
    fn integrations(&self, as_login: &str) -> Vec<Value> {
        array(self.json(&["integrations", "--json", "--as", as_login]))
    }
}

fn show_args<S: AsRef<OsStr>>(args: &[S]) -> String {
    args.iter()
        .map(|a| {
            let s = a.as_ref().to_string_lossy();
            if s.chars().count() > 60 {
                format!(
                    "{}…({} chars)",
                    s.chars().take(20).collect::<String>(),
                    s.len()
                )
            } else {
                s.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run a prepared command; never lets a panic or a signal through unnoticed.
#[track_caller]
fn run(mut c: Command) -> Out {
    let o = c.output().expect("run offboard");
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert_no_panic(&out);
    out
}

#[track_caller]
fn assert_no_panic(o: &Out) {
    assert!(
        o.code >= 0,
        "offboard was killed by a signal\nstderr: {}",
        o.stderr
    );
    assert_ne!(o.code, 101, "offboard panicked\nstderr: {}", o.stderr);
    assert!(
        !o.stderr.contains("panicked"),
        "offboard panicked\nstderr: {}",
        o.stderr
    );
}

/// One clear line: `offboard: …\n`.
#[track_caller]
fn assert_one_line(stderr: &str, what: &str) {
    assert!(
        stderr.starts_with("offboard: "),
        "`{what}`: stderr should start with \"offboard: \", got {stderr:?}"
    );
    assert!(
        stderr.ends_with('\n') && stderr.lines().count() == 1,
        "`{what}`: stderr should be exactly one line, got {stderr:?}"
    );
}

#[track_caller]
fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        other => panic!("expected a JSON array, got {other}"),
    }
}

fn logins(rows: &[Value]) -> BTreeSet<String> {
    rows.iter()
        .map(|r| r["login"].as_str().expect("login is a string").to_string())
        .collect()
}

#[track_caller]
fn has_keys(v: &Value, keys: &[&str], what: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: expected an object, got {v}"));
    for k in keys {
        assert!(obj.contains_key(*k), "{what}: key `{k}` is missing in {v}");
    }
}

#[track_caller]
fn by_title<'a>(all: &'a [Value], title: &str) -> &'a Value {
    all.iter()
        .find(|i| i["title"].as_str().is_some_and(|t| t.starts_with(title)))
        .unwrap_or_else(|| panic!("no integration titled {title:?} in {all:?}"))
}

#[track_caller]
fn id_of(v: &Value) -> i64 {
    v["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no numeric id in {v}"))
}

/// `http://127.0.0.1:8089/rest/{id}/{code}/` → (id, code), checking the shape.
#[track_caller]
fn parse_url(url: &str) -> (i64, String) {
    let rest = url
        .strip_prefix("http://127.0.0.1:8089/rest/")
        .unwrap_or_else(|| panic!("not a webhook URL under the default base: {url:?}"));
    let rest = rest
        .strip_suffix('/')
        .unwrap_or_else(|| panic!("the URL should end with '/': {url:?}"));
    let (id, code) = rest
        .split_once('/')
        .unwrap_or_else(|| panic!("the URL should be /rest/{{id}}/{{code}}/: {url:?}"));
    let id: i64 = id
        .parse()
        .unwrap_or_else(|_| panic!("the user id in {url:?} is not a number"));
    assert!(
        code.len() >= 16 && code.chars().all(|c| c.is_ascii_alphanumeric()),
        "the secret code in {url:?} should be at least 16 letters and digits"
    );
    (id, code.to_string())
}

#[track_caller]
fn last_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_else(|| panic!("no output at all"))
        .trim()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

const CSV_HEADER: &str = "login,first_name,last_name,email,position,department,hired_on";

// ---------------------------------------------------------------------------------------
// Exit status 2: bad usage (clap) and invalid values
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_flag_exits_2() {
    let env = Env::demo();
    env.fails(&["list", "--as", "hr", "--frobnicate"], 2);
    env.fails(&["--frobnicate"], 2);
}

#[test]
fn unknown_subcommand_exits_2() {
    let env = Env::demo();
    env.fails(&["fire", "jdoe", "--as", "hr"], 2);
}

#[test]
fn missing_argument_exits_2() {
    let env = Env::demo();
    env.fails(&["dismiss", "--as", "hr"], 2);
    env.fails(&["show", "--as", "hr"], 2);
    env.fails(&["reassign", "lbrandt", "--as", "hr"], 2);
    env.fails(&["webhook", "create", "--title", "T", "--as", "hr"], 2);
    env.fails(&["settings", "show-dismissed", "--as", "admin"], 2);
    env.fails(&["list", "--as"], 2);
}

#[test]
fn bad_integrations_value_exits_2_and_changes_nothing() {
    let env = Env::demo();
    env.fails(
        &["dismiss", "tlang", "--integrations", "maybe", "--as", "hr"],
        2,
    );
    assert_eq!(env.show("tlang", "hr")["status"], "active");
}

#[test]
fn bad_enum_values_exit_2() {
    let env = Env::demo();
    env.fails(&["list", "--status", "gone", "--as", "hr"], 2);
    env.fails(&["export", "--format", "xml", "--as", "hr"], 2);
    env.fails(&["settings", "show-dismissed", "maybe", "--as", "admin"], 2);
    env.fails(&["dismiss", "jdoe", "--reason", "bored", "--as", "hr"], 2);
    env.fails(&["webhook", "disable", "one", "--as", "admin"], 2);
}

#[test]
fn bad_scopes_exit_2_with_one_line() {
    let env = Env::demo();
    let before = env.integrations("admin").len();
    let err = env.fails(
        &[
            "webhook",
            "create",
            "--title",
            "T",
            "--scopes",
            "user,bogus",
            "--as",
            "jdoe",
        ],
        2,
    );
    assert_one_line(&err, "webhook create --scopes user,bogus");
    assert!(err.contains("bogus"), "stderr should name the scope: {err}");
    assert_eq!(env.integrations("admin").len(), before, "nothing created");
}

#[test]
fn bad_hired_on_date_exits_2() {
    let env = Env::demo();
    let err = env.fails(
        &[
            "add",
            "--login",
            "newbie",
            "--name",
            "New Bie",
            "--email",
            "newbie@corvane.example",
            "--hired-on",
            "2020-13-45",
            "--as",
            "admin",
        ],
        2,
    );
    assert_one_line(&err, "add --hired-on 2020-13-45");
    assert!(
        err.contains("hired-on"),
        "stderr should name the flag: {err}"
    );
    env.refused(&["show", "newbie", "--as", "hr"]);
}

#[test]
fn reassign_what_nonsense_exits_2() {
    let env = Env::demo();
    let before = env.show("lbrandt", "hr")["owns"].clone();
    let err = env.fails(
        &[
            "reassign", "lbrandt", "--to", "jdoe", "--what", "nonsense", "--as", "hr",
        ],
        2,
    );
    assert_one_line(&err, "reassign --what nonsense");
    assert!(
        err.contains("nonsense"),
        "stderr should name the value: {err}"
    );
    assert_eq!(env.show("lbrandt", "hr")["owns"], before, "nothing moved");
}

// ---------------------------------------------------------------------------------------
// Exit status 3: refused by a rule, one line on stderr
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_acting_login_is_refused_naming_it() {
    let env = Env::demo();
    let err = env.refused(&["list", "--as", "nosuchperson"]);
    assert!(err.contains("nosuchperson"), "stderr: {err}");
}

#[test]
fn unknown_target_login_is_refused_naming_it() {
    let env = Env::demo();
    let err = env.refused(&["show", "ghost42", "--as", "hr"]);
    assert!(err.contains("ghost42"), "stderr: {err}");
    let err = env.refused(&["dismiss", "ghost42", "--as", "hr"]);
    assert!(err.contains("ghost42"), "stderr: {err}");
}

#[test]
fn acting_from_offboard_user_env_is_checked_too() {
    let env = Env::demo();
    let o = run({
        let mut c = env.cmd(&["list"]);
        c.env("OFFBOARD_USER", "nosuchperson");
        c
    });
    assert_eq!(o.code, 3, "stderr: {}", o.stderr);
    assert!(o.stderr.contains("nosuchperson"), "stderr: {}", o.stderr);
    let o = run({
        let mut c = env.cmd(&["dismiss", "shartmann"]);
        c.env("OFFBOARD_USER", "hr");
        c
    });
    assert_eq!(o.code, 0, "OFFBOARD_USER=hr may dismiss: {}", o.stderr);
}

#[test]
fn jdoe_may_not_dismiss() {
    let env = Env::demo();
    let err = env.refused(&["dismiss", "shartmann", "--as", "jdoe"]);
    assert!(
        err.contains("company-structure access"),
        "stderr should say company-structure access is needed: {err}"
    );
    assert_eq!(env.show("shartmann", "hr")["status"], "active");
}

#[test]
fn jdoe_may_not_hire() {
    let env = Env::demo();
    let err = env.refused(&["hire", "lbrandt", "--as", "jdoe"]);
    assert!(err.contains("company-structure access"), "stderr: {err}");
    assert_eq!(env.show("lbrandt", "hr")["status"], "dismissed");
}

#[test]
fn dismissing_the_dismissed_is_refused() {
    let env = Env::demo();
    let err = env.refused(&["dismiss", "lbrandt", "--as", "hr"]);
    assert!(err.contains("lbrandt"), "stderr: {err}");
}

#[test]
fn hiring_the_active_is_refused() {
    let env = Env::demo();
    let err = env.refused(&["hire", "jdoe", "--as", "hr"]);
    assert!(err.contains("jdoe"), "stderr: {err}");
}

#[test]
fn dismiss_with_integrations_needs_a_choice_and_lists_them() {
    let env = Env::demo();
    let err = env.refused(&["dismiss", "tlang", "--as", "hr"]);
    assert!(err.contains("Jira task sync"), "stderr: {err}");
    assert!(err.contains("Carrier tracking events"), "stderr: {err}");
    let t = env.show("tlang", "hr");
    assert_eq!(t["status"], "active", "nothing changed");
    assert_eq!(t["active_integrations"], 2);
    for i in env.integrations("admin") {
        if i["title"] == "Jira task sync" {
            assert_eq!(i["owner"], "tlang");
            assert_eq!(i["status"], "active");
        }
    }
}

#[test]
fn list_dismissed_is_refused_while_show_dismissed_is_off() {
    let env = Env::demo();
    for status in ["dismissed", "all"] {
        let err = env.refused(&["list", "--status", status, "--as", "admin"]);
        assert!(
            err.contains("show_dismissed"),
            "stderr should name the setting: {err}"
        );
    }
    // The default list has no dismissed employees in it.
    let active = env.list("admin", &[]);
    assert!(!logins(&active).contains("lbrandt"));
    assert!(!logins(&active).contains("ydemir"));
    assert!(active.iter().all(|e| e["status"] == "active"));
}

#[test]
fn audit_is_refused_for_jdoe() {
    let env = Env::demo();
    env.refused(&["audit", "--as", "jdoe"]);
    env.refused(&["audit", "--json", "--as", "jdoe"]);
}

#[test]
fn reports_are_refused_for_jdoe() {
    let env = Env::demo();
    env.refused(&["export", "--as", "jdoe"]);
    env.refused(&["list", "--still-owns", "--as", "jdoe"]);
}

#[test]
fn dismissed_employee_cannot_act() {
    let env = Env::demo();
    env.refused(&["list", "--as", "lbrandt"]);
    env.refused(&["show", "jdoe", "--as", "ydemir"]);
}

#[test]
fn system_user_cannot_act() {
    let env = Env::demo();
    env.refused(&["list", "--as", "system.lbrandt"]);
}

#[test]
fn nobody_may_dismiss_themselves_a_system_user_or_the_last_admin() {
    let env = Env::demo();
    env.refused(&["dismiss", "hr", "--as", "hr"]);
    env.refused(&["dismiss", "admin", "--as", "admin"]);
    env.refused(&["dismiss", "system.lbrandt", "--as", "hr"]);
    // Two administrators in the demo: admin and elindqvist. Dismiss one, the other is last.
    let admins: Vec<String> = env
        .list("admin", &[])
        .into_iter()
        .filter(|e| e["is_admin"] == true)
        .map(|e| e["login"].as_str().unwrap().to_string())
        .collect();
    assert!(admins.contains(&"admin".to_string()), "admins: {admins:?}");
    for other in admins.iter().filter(|l| *l != "admin") {
        env.ok(&["dismiss", other, "--as", "hr"]);
    }
    let err = env.refused(&["dismiss", "admin", "--as", "hr"]);
    assert!(err.contains("admin"), "stderr: {err}");
    assert_eq!(env.show("admin", "hr")["status"], "active");
}

#[test]
fn reassign_to_a_dismissed_or_system_user_is_refused() {
    let env = Env::demo();
    let before = env.show("lbrandt", "hr")["owns"].clone();
    env.refused(&["reassign", "lbrandt", "--to", "ydemir", "--as", "hr"]);
    env.refused(&[
        "reassign",
        "lbrandt",
        "--to",
        "system.lbrandt",
        "--as",
        "hr",
    ]);
    env.refused(&["reassign", "lbrandt", "--to", "nosuchperson", "--as", "hr"]);
    assert_eq!(env.show("lbrandt", "hr")["owns"], before, "nothing moved");
}

#[test]
fn only_owner_or_admin_may_change_a_webhook() {
    let env = Env::demo();
    let all = env.integrations("admin");
    let jira = id_of(by_title(&all, "Jira task sync")).to_string();
    env.refused(&["webhook", "disable", &jira, "--as", "jdoe"]);
    env.refused(&["webhook", "regenerate", &jira, "--as", "jdoe"]);
    env.refused(&["webhook", "edit", &jira, "--title", "Mine", "--as", "jdoe"]);
    let after = env.integrations("admin");
    let i = by_title(&after, "Jira task sync");
    assert_eq!(i["status"], "active");
    assert_eq!(i["owner"], "tlang");
}

#[test]
fn unknown_webhook_is_refused() {
    let env = Env::demo();
    env.refused(&["webhook", "disable", "999999", "--as", "admin"]);
    env.refused(&["webhook", "regenerate", "999999", "--as", "admin"]);
}

#[test]
fn every_refusal_is_exactly_one_line() {
    let env = Env::demo();
    let cases: &[&[&str]] = &[
        &["list", "--as", "nosuchperson"],
        &["dismiss", "jdoe", "--as", "jdoe"],
        &["dismiss", "shartmann", "--as", "jdoe"],
        &["dismiss", "lbrandt", "--as", "hr"],
        &["dismiss", "tlang", "--as", "hr"],
        &["hire", "jdoe", "--as", "hr"],
        &["list", "--status", "dismissed", "--as", "hr"],
        &["audit", "--as", "jdoe"],
        &["settings", "show-dismissed", "on", "--as", "hr"],
        &["grant", "jdoe", "--as", "hr"],
        &["show", "nosuchperson", "--as", "hr"],
        &["list", "--as", "lbrandt"],
        &["demo"],
    ];
    for args in cases {
        env.refused(args);
    }
}

// ---------------------------------------------------------------------------------------
// Exit status 1: the database itself
// ---------------------------------------------------------------------------------------

#[test]
fn a_text_file_is_not_an_offboard_database() {
    let env = Env::empty();
    std::fs::write(&env.db, "hello, this is not a database\n").unwrap();
    let err = env.fails(&["list", "--as", "admin"], 1);
    assert_one_line(&err, "list on a text file");
    assert!(
        err.contains("not") && err.contains("offboard database"),
        "stderr should say it is not an offboard database: {err}"
    );
    assert!(
        err.contains(env.db_str()),
        "stderr should name the path: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&env.db).unwrap(),
        "hello, this is not a database\n",
        "the file is left alone"
    );
}

#[test]
fn a_foreign_sqlite_database_is_not_an_offboard_database() {
    let env = Env::empty();
    {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.execute_batch("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);")
            .unwrap();
    }
    let err = env.fails(&["list", "--as", "admin"], 1);
    assert_one_line(&err, "list on a foreign SQLite file");
    assert!(
        err.contains(env.db_str()),
        "stderr should name the path: {err}"
    );
}

#[test]
fn a_missing_database_exits_1_and_is_not_created() {
    let env = Env::empty();
    let err = env.fails(&["list", "--as", "admin"], 1);
    assert_one_line(&err, "list on a missing file");
    assert!(
        err.contains(env.db_str()),
        "stderr should name the path: {err}"
    );
    assert!(
        !env.db.exists(),
        "a missing database is not created by list"
    );
}

#[test]
fn a_database_from_a_newer_version_exits_1() {
    let env = Env::demo();
    {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.execute_batch("PRAGMA user_version = 999;").unwrap();
    }
    let err = env.fails(&["list", "--as", "admin"], 1);
    assert_one_line(&err, "list on a newer database");
    assert!(err.contains("newer"), "stderr should say newer: {err}");
    assert!(
        err.contains(env.db_str()),
        "stderr should name the path: {err}"
    );
    let err = env.fails(&["dismiss", "jdoe", "--as", "hr"], 1);
    assert_one_line(&err, "dismiss on a newer database");
    let v: i64 = rusqlite::Connection::open(&env.db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 999, "the newer file is left alone");
}

// ---------------------------------------------------------------------------------------
// Global flags
// ---------------------------------------------------------------------------------------

#[test]
fn global_flags_work_before_or_after_the_subcommand() {
    let env = Env::demo();
    let db = env.db_str();

    // --as and --db before the subcommand.
    let o = run({
        let mut c = env.bare();
        c.args(["--as", "hr", "--db", db, "dismiss", "jdoe"]);
        c
    });
    assert_eq!(o.code, 0, "--as/--db before: {}", o.stderr);

    // --as and --db after the subcommand and its argument.
    let o = run({
        let mut c = env.bare();
        c.args(["dismiss", "shartmann", "--as", "hr", "--db", db]);
        c
    });
    assert_eq!(o.code, 0, "--as/--db after: {}", o.stderr);

    // Mixed: --db before, --as after.
    let o = run({
        let mut c = env.bare();
        c.args(["--db", db, "list", "--json", "--as", "hr"]);
        c
    });
    assert_eq!(o.code, 0, "--db before, --as after: {}", o.stderr);
    let mixed: Value = serde_json::from_str(&o.stdout).unwrap();
    let o = run({
        let mut c = env.bare();
        c.args(["--as", "hr", "list", "--db", db, "--json"]);
        c
    });
    assert_eq!(o.code, 0, "--as before, --db after: {}", o.stderr);
    let other: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(mixed, other);
    let l = logins(&array(mixed));
    assert!(!l.contains("jdoe") && !l.contains("shartmann"), "{l:?}");
    assert_eq!(env.show("jdoe", "hr")["status"], "dismissed");
    assert_eq!(env.show("shartmann", "hr")["status"], "dismissed");
}

#[test]
fn global_flags_work_after_nested_subcommands() {
    let env = Env::demo();
    let db = env.db_str();
    let o = run({
        let mut c = env.bare();
        c.args(["webhook", "create", "--title", "T", "--scopes", "user"])
            .args(["--as", "jdoe", "--db", db]);
        c
    });
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    let o = run({
        let mut c = env.bare();
        c.args([
            "--as",
            "admin",
            "--db",
            db,
            "settings",
            "show-dismissed",
            "on",
        ]);
        c
    });
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
}

#[test]
fn offboard_db_env_names_the_database() {
    let env = Env::demo();
    let mut c = env.bare();
    c.env("OFFBOARD_DB", &env.db).args(["list", "--as", "hr"]);
    c.assert()
        .success()
        .stdout(predicate::str::contains("jdoe"));
}

// ---------------------------------------------------------------------------------------
// --help
// ---------------------------------------------------------------------------------------

#[test]
fn every_subcommand_has_help() {
    let env = Env::empty();
    let commands: &[&[&str]] = &[
        &[],
        &["demo"],
        &["init"],
        &["import"],
        &["list"],
        &["show"],
        &["add"],
        &["dismiss"],
        &["hire"],
        &["reassign"],
        &["integrations"],
        &["webhook"],
        &["webhook", "create"],
        &["webhook", "edit"],
        &["webhook", "disable"],
        &["webhook", "enable"],
        &["webhook", "regenerate"],
        &["settings"],
        &["settings", "show-dismissed"],
        &["grant"],
        &["revoke"],
        &["audit"],
        &["export"],
    ];
    for words in commands {
        let mut c = env.bare();
        c.args(*words).arg("--help");
        c.assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
    assert!(!env.db.exists());
}

#[test]
fn version_flag_exits_0() {
    let env = Env::empty();
    let mut c = env.bare();
    c.arg("--version");
    c.assert()
        .success()
        .stdout(predicate::str::contains("offboard"));
}

// ---------------------------------------------------------------------------------------
// JSON shapes
// ---------------------------------------------------------------------------------------

const EMPLOYEE_KEYS: &[&str] = &[
    "id",
    "login",
    "name",
    "email",
    "position",
    "department",
    "status",
    "kind",
    "is_admin",
    "active_integrations",
];

#[test]
fn list_json_has_the_employee_keys() {
    let env = Env::demo();
    let rows = env.list("hr", &[]);
    assert!(!rows.is_empty());
    for r in &rows {
        has_keys(r, EMPLOYEE_KEYS, "list --json element");
        assert!(r["id"].is_i64(), "{r}");
        assert!(r["is_admin"].is_boolean(), "{r}");
        assert!(r["active_integrations"].is_i64(), "{r}");
        assert_eq!(r["status"], "active");
        assert_eq!(r["kind"], "employee");
    }
    let t = rows.iter().find(|r| r["login"] == "tlang").unwrap();
    assert_eq!(t["active_integrations"], 2);
    let j = rows.iter().find(|r| r["login"] == "jdoe").unwrap();
    assert_eq!(j["name"], "Jane Doe");
    assert_eq!(j["active_integrations"], 0);
}

#[test]
fn list_search_filters() {
    let env = Env::demo();
    let rows = env.list("hr", &["--search", "jdoe"]);
    assert_eq!(logins(&rows), BTreeSet::from(["jdoe".to_string()]));
    let rows = env.list("hr", &["--search", "zzzz-nobody-zzzz"]);
    assert!(rows.is_empty());
}

/// Names are found and ordered the way people type and read them: accents, case and
/// letters like ø do not matter, so "Álvarez" is found by "a", "Ál" or "alv" and is
/// listed among the A's, not after Z.
#[test]
fn accented_names_are_found_and_ordered_as_they_read() {
    let env = Env::demo();
    env.ok(&[
        "add",
        "--login",
        "josterberg",
        "--name",
        "Jonas Østerberg",
        "--email",
        "jonas@corvane.example",
        "--as",
        "hr",
    ]);
    for typed in ["a", "al", "Ál", "á", "ÁLV", "alvarez"] {
        let rows = env.list("hr", &["--search", typed]);
        assert!(
            rows.iter().any(|r| r["name"] == "Diego Álvarez"),
            "{typed:?} finds Diego Álvarez: {:?}",
            logins(&rows)
        );
    }
    for typed in ["o", "os", "Øs", "oster"] {
        let rows = env.list("hr", &["--search", typed]);
        assert!(
            rows.iter().any(|r| r["login"] == "josterberg"),
            "{typed:?} finds Jonas Østerberg: {:?}",
            logins(&rows)
        );
    }
    let names: Vec<String> = env
        .list("hr", &[])
        .iter()
        .map(|r| r["name"].as_str().unwrap_or_default().to_string())
        .collect();
    let at = |n: &str| {
        names
            .iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert!(
        at("Fatima Al-Sayed") < at("Diego Álvarez") && at("Diego Álvarez") < at("Aisha Bello"),
        "Álvarez among the A's: {names:?}"
    );
    assert!(
        at("Zanele Mokoena") < at("Jonas Østerberg")
            && at("Jonas Østerberg") < at("Karolina Zielińska"),
        "Østerberg among the O's: {names:?}"
    );
}

#[test]
fn show_json_of_an_active_employee() {
    let env = Env::demo();
    let v = env.show("tlang", "hr");
    has_keys(&v, EMPLOYEE_KEYS, "show --json");
    has_keys(
        &v,
        &["departure", "owns", "history", "integrations"],
        "show --json",
    );
    assert!(v["departure"].is_null(), "active: departure is null: {v}");
    has_keys(
        &v["owns"],
        &["tasks", "crm_items", "files", "mailboxes"],
        "owns",
    );
    has_keys(
        &v["history"],
        &["tasks", "messages", "meetings", "feed_posts", "groups"],
        "history",
    );
    let ints = v["integrations"].as_array().expect("integrations array");
    assert_eq!(ints.len(), 2, "tlang owns two integrations: {v}");
    for i in ints {
        has_keys(
            i,
            &["id", "title", "status", "scopes", "owner"],
            "show integration",
        );
        assert_eq!(i["owner"], "tlang");
        assert_eq!(i["status"], "active");
        assert!(i["scopes"].is_array());
    }
    let titles: Vec<&str> = ints.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Jira task sync"), "{titles:?}");
    assert_eq!(v["active_integrations"], 2);
}

#[test]
fn show_json_of_a_dismissed_employee() {
    let env = Env::demo();
    let v = env.show("lbrandt", "hr");
    has_keys(&v, EMPLOYEE_KEYS, "show --json");
    assert_eq!(v["status"], "dismissed");
    let d = &v["departure"];
    has_keys(d, &["at", "by", "reason", "note", "state"], "departure");
    assert!(d["at"].as_str().is_some_and(|s| !s.is_empty()), "{d}");
    assert!(d["by"].is_string(), "{d}");
    assert_eq!(d["state"], "done");
    for k in ["tasks", "crm_items", "files", "mailboxes"] {
        assert!(v["owns"][k].is_i64(), "owns.{k}: {v}");
    }
}

#[test]
fn show_of_a_dismissed_employee_works_for_anyone_while_the_setting_is_off() {
    let env = Env::demo();
    for who in ["admin", "hr", "jdoe"] {
        let v = env.show("lbrandt", who);
        assert_eq!(v["status"], "dismissed");
        let text = env.ok(&["show", "lbrandt", "--as", who]);
        assert!(text.contains("Dismissed"), "{text}");
    }
}

#[test]
fn departure_records_reason_note_and_actor() {
    let env = Env::demo();
    env.ok(&[
        "dismiss",
        "shartmann",
        "--reason",
        "retired",
        "--note",
        "Enjoy the garden",
        "--as",
        "hr",
    ]);
    let d = env.show("shartmann", "admin")["departure"].clone();
    assert_eq!(d["by"], "hr");
    assert_eq!(d["reason"], "retired");
    assert_eq!(d["note"], "Enjoy the garden");
    assert_eq!(d["state"], "done");
    let at = d["at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(at).is_ok(),
        "departure.at {at:?} is a timestamp"
    );
}

#[test]
fn reassign_json_moves_what_show_owns_said() {
    let env = Env::demo();
    let owns = env.show("lbrandt", "hr")["owns"].clone();
    let total: i64 = ["tasks", "crm_items", "files", "mailboxes"]
        .iter()
        .map(|k| owns[*k].as_i64().unwrap())
        .sum();
    assert!(total > 0, "lbrandt owns something in the demo: {owns}");
    let jdoe_before = env.show("jdoe", "hr")["owns"].clone();
    let moved = env.json(&[
        "reassign", "lbrandt", "--to", "jdoe", "--json", "--as", "hr",
    ]);
    has_keys(
        &moved,
        &["tasks", "crm_items", "files", "mailboxes"],
        "reassign --json",
    );
    for k in ["tasks", "crm_items", "files", "mailboxes"] {
        assert_eq!(moved[k], owns[k], "reassign moved {k}");
    }
    let after = env.show("lbrandt", "hr")["owns"].clone();
    for k in ["tasks", "crm_items", "files", "mailboxes"] {
        assert_eq!(after[k], 0, "lbrandt owns no {k} after reassign");
    }
    let jdoe_after = env.show("jdoe", "hr")["owns"].clone();
    for k in ["tasks", "crm_items", "files", "mailboxes"] {
        assert_eq!(
            jdoe_after[k].as_i64().unwrap(),
            jdoe_before[k].as_i64().unwrap() + owns[k].as_i64().unwrap(),
            "jdoe received the {k}"
        );
    }
    // History stays with lbrandt.
    let h = env.show("lbrandt", "hr")["history"].clone();
    assert!(h["messages"].as_i64().unwrap() > 0);
}

#[test]
fn reassign_what_moves_only_the_named_kinds() {
    let env = Env::demo();
    let owns = env.show("ydemir", "hr")["owns"].clone();
    let moved = env.json(&[
        "reassign",
        "ydemir",
        "--to",
        "acosta",
        "--what",
        "files,mail",
        "--json",
        "--as",
        "hr",
    ]);
    assert_eq!(moved["tasks"], 0);
    assert_eq!(moved["crm_items"], 0);
    assert_eq!(moved["files"], owns["files"]);
    assert_eq!(moved["mailboxes"], owns["mailboxes"]);
    let after = env.show("ydemir", "hr")["owns"].clone();
    assert_eq!(after["tasks"], owns["tasks"]);
    assert_eq!(after["crm_items"], owns["crm_items"]);
    assert_eq!(after["files"], 0);
    assert_eq!(after["mailboxes"], 0);
}

#[test]
fn integrations_json_shape_and_the_kept_integration_of_lbrandt() {
    let env = Env::demo();
    let all = env.integrations("hr");
    assert!(!all.is_empty());
    for i in &all {
        has_keys(
            i,
            &[
                "id",
                "title",
                "owner",
                "owner_kind",
                "transferred_from",
                "scopes",
                "status",
            ],
            "integrations --json element",
        );
        assert!(i["scopes"].is_array(), "{i}");
    }
    let kept: Vec<&Value> = all
        .iter()
        .filter(|i| i["transferred_from"] == "lbrandt")
        .collect();
    assert_eq!(kept.len(), 1, "lbrandt's one kept integration: {all:?}");
    assert_eq!(kept[0]["owner"], "system.lbrandt");
    assert_eq!(kept[0]["owner_kind"], "system");
    assert_eq!(kept[0]["status"], "active");
    // Ordinary ones.
    let jira = by_title(&all, "Jira task sync");
    assert_eq!(jira["owner"], "tlang");
    assert_eq!(jira["owner_kind"], "employee");
    assert!(jira["transferred_from"].is_null());
}

#[test]
fn audit_json_shape_and_new_events_first() {
    let env = Env::demo();
    env.ok(&["grant", "jdoe", "--as", "admin"]);
    env.ok(&["dismiss", "shartmann", "--as", "jdoe"]);
    let events = array(env.json(&["audit", "--json", "--as", "admin"]));
    assert!(events.len() >= 2);
    for e in &events {
        has_keys(
            e,
            &["at", "actor", "action", "target", "details"],
            "audit event",
        );
    }
    let first = &events[0];
    assert_eq!(first["actor"], "jdoe", "newest first: {first}");
    assert_eq!(first["target"], "shartmann", "{first}");
    assert!(
        first["action"].as_str().unwrap().contains("dismiss"),
        "{first}"
    );
    let second = &events[1];
    assert_eq!(second["actor"], "admin", "{second}");
    assert_eq!(second["target"], "jdoe", "{second}");
    // hr (company-structure access) may read it too.
    let hr_view = array(env.json(&["audit", "--json", "--as", "hr"]));
    assert_eq!(hr_view.len(), events.len());
}

#[test]
fn audit_json_is_ordered_newest_first_by_at() {
    // SPEC §5: `audit --json` gives an array of events, newest first, each with `at`.
    let env = Env::demo();
    env.ok(&["dismiss", "shartmann", "--as", "hr"]);
    let events = array(env.json(&["audit", "--json", "--as", "admin"]));
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = events
        .iter()
        .map(|e| {
            let at = e["at"].as_str().expect("at is a string");
            chrono::DateTime::parse_from_rfc3339(at)
                .unwrap_or_else(|_| panic!("at {at:?} is an RFC 3339 time"))
        })
        .collect();
    for (n, w) in times.windows(2).enumerate() {
        assert!(
            w[0] >= w[1],
            "audit --json is not newest first: event {n} at {} comes before event {} at {}:\n{}",
            w[0],
            n + 1,
            w[1],
            events
                .iter()
                .map(|e| format!(
                    "  {} {} {} {}",
                    e["at"], e["actor"], e["action"], e["target"]
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------
// Flows
// ---------------------------------------------------------------------------------------

#[test]
fn dismiss_keep_moves_integrations_to_the_system_user() {
    let env = Env::demo();
    let before = env.integrations("admin");
    let ids: Vec<i64> = before
        .iter()
        .filter(|i| i["owner"] == "tlang")
        .map(id_of)
        .collect();
    assert_eq!(ids.len(), 2);
    env.ok(&["dismiss", "tlang", "--integrations", "keep", "--as", "hr"]);
    let after = env.integrations("admin");
    for id in &ids {
        let i = after.iter().find(|i| id_of(i) == *id).unwrap();
        assert_eq!(i["owner"], "system.tlang", "{i}");
        assert_eq!(i["owner_kind"], "system", "{i}");
        assert_eq!(i["transferred_from"], "tlang", "{i}");
        assert_eq!(i["status"], "active", "{i}");
    }
    let t = env.show("tlang", "hr");
    assert_eq!(t["status"], "dismissed");
    assert_eq!(t["departure"]["state"], "done");
    // The system user is never listed among employees.
    let l = logins(&env.list("admin", &[]));
    assert!(!l.contains("tlang") && !l.contains("system.tlang"), "{l:?}");
    // And cannot sign in.
    env.refused(&["list", "--as", "system.tlang"]);
}

#[test]
fn dismiss_disable_disables_the_integrations() {
    let env = Env::demo();
    env.ok(&[
        "dismiss",
        "tlang",
        "--integrations",
        "disable",
        "--as",
        "hr",
    ]);
    let after = env.integrations("admin");
    for title in ["Jira task sync", "Carrier tracking events"] {
        let i = by_title(&after, title);
        assert_eq!(i["status"], "disabled", "{i}");
        assert_ne!(i["owner_kind"], "system", "{i}");
    }
    assert_eq!(env.show("tlang", "hr")["status"], "dismissed");
    assert_eq!(env.show("tlang", "hr")["active_integrations"], 0);
}

#[test]
fn integrations_flag_is_harmless_without_integrations() {
    let env = Env::demo();
    env.ok(&["dismiss", "jdoe", "--integrations", "keep", "--as", "hr"]);
    assert_eq!(env.show("jdoe", "hr")["status"], "dismissed");
}

#[test]
fn hire_brings_an_employee_back_to_the_list() {
    let env = Env::demo();
    env.ok(&["dismiss", "jdoe", "--as", "hr"]);
    assert!(!logins(&env.list("hr", &[])).contains("jdoe"));
    env.refused(&["list", "--as", "jdoe"]);
    env.ok(&["hire", "jdoe", "--as", "hr"]);
    let rows = env.list("hr", &[]);
    let j = rows
        .iter()
        .find(|r| r["login"] == "jdoe")
        .expect("jdoe is listed again");
    assert_eq!(j["status"], "active");
    // jdoe can act again.
    env.ok(&["list", "--as", "jdoe"]);
    // A dismissed-in-the-demo employee comes back too.
    env.ok(&["hire", "lbrandt", "--as", "hr"]);
    assert!(logins(&env.list("hr", &[])).contains("lbrandt"));
}

#[test]
fn hire_leaves_kept_integrations_with_the_system_user() {
    let env = Env::demo();
    env.ok(&["dismiss", "tlang", "--integrations", "keep", "--as", "hr"]);
    env.ok(&["hire", "tlang", "--as", "hr"]);
    let all = env.integrations("admin");
    let i = by_title(&all, "Jira task sync");
    assert_eq!(i["owner"], "system.tlang", "{i}");
    assert_eq!(i["status"], "active");
}

#[test]
fn hire_return_integrations_gives_them_back() {
    let env = Env::demo();
    env.ok(&["dismiss", "tlang", "--integrations", "keep", "--as", "hr"]);
    env.ok(&["hire", "tlang", "--return-integrations", "--as", "hr"]);
    let all = env.integrations("admin");
    for title in ["Jira task sync", "Carrier tracking events"] {
        let i = by_title(&all, title);
        assert_eq!(i["owner"], "tlang", "{i}");
        assert_eq!(i["owner_kind"], "employee", "{i}");
        assert_eq!(i["status"], "active", "{i}");
    }
    assert_eq!(env.show("tlang", "hr")["active_integrations"], 2);
    assert!(logins(&env.list("hr", &[])).contains("tlang"));
}

#[test]
fn hire_leaves_disabled_integrations_disabled() {
    let env = Env::demo();
    env.ok(&[
        "dismiss",
        "tlang",
        "--integrations",
        "disable",
        "--as",
        "hr",
    ]);
    env.ok(&["hire", "tlang", "--as", "hr"]);
    let all = env.integrations("admin");
    assert_eq!(by_title(&all, "Jira task sync")["status"], "disabled");
    let id = id_of(by_title(&all, "Jira task sync")).to_string();
    env.ok(&["webhook", "enable", &id, "--as", "tlang"]);
    let all = env.integrations("admin");
    assert_eq!(by_title(&all, "Jira task sync")["status"], "active");
}

#[test]
fn webhook_create_prints_the_url_last_and_regenerate_a_new_one() {
    let env = Env::demo();
    let out = env.ok(&[
        "webhook",
        "create",
        "--title",
        "T",
        "--scopes",
        "user,task",
        "--as",
        "jdoe",
    ]);
    let url = last_line(&out).to_string();
    let (user, code) = parse_url(&url);
    let jdoe_id = env.show("jdoe", "jdoe")["id"].as_i64().unwrap();
    assert_eq!(user, jdoe_id, "the URL carries the owner's id: {url}");

    let all = env.integrations("jdoe");
    let mine = by_title(&all, "T");
    assert_eq!(mine["owner"], "jdoe");
    assert_eq!(mine["status"], "active");
    let scopes: BTreeSet<&str> = mine["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(scopes, BTreeSet::from(["user", "task"]));
    // The secret is shown once: the list does not carry it.
    let listing = env.ok(&["integrations", "--json", "--as", "admin"]);
    assert!(
        !listing.contains(&code),
        "the secret leaks into integrations"
    );

    let id = id_of(mine).to_string();
    let out = env.ok(&["webhook", "regenerate", &id, "--as", "jdoe"]);
    let url2 = last_line(&out).to_string();
    let (user2, code2) = parse_url(&url2);
    assert_eq!(user2, jdoe_id);
    assert_ne!(url2, url, "regenerate issues a new URL");
    assert_ne!(code2, code);
}

#[test]
fn webhook_edit_of_a_system_users_integration_by_hr_takes_it_over() {
    let env = Env::demo();
    let all = env.integrations("hr");
    let kept = all
        .iter()
        .find(|i| i["owner"] == "system.lbrandt")
        .expect("lbrandt's kept integration");
    let kept_id = id_of(kept);
    let id = kept_id.to_string();
    let out = env.ok(&["webhook", "edit", &id, "--title", "Quotes v2", "--as", "hr"]);
    let (user, _code) = parse_url(last_line(&out));
    let hr_id = env.show("hr", "hr")["id"].as_i64().unwrap();
    assert_eq!(user, hr_id, "the new URL acts as hr");
    let after = env.integrations("hr");
    let i = after
        .iter()
        .find(|i| id_of(i) == kept_id)
        .expect("same integration");
    assert_eq!(i["owner"], "hr", "{i}");
    assert_eq!(i["owner_kind"], "employee", "{i}");
    assert_eq!(i["title"], "Quotes v2");
    assert_eq!(i["status"], "active");
}

#[test]
fn webhook_disable_and_enable_by_owner() {
    let env = Env::demo();
    let all = env.integrations("admin");
    let id = id_of(by_title(&all, "Payroll export")).to_string();
    env.ok(&["webhook", "disable", &id, "--as", "nhaddad"]);
    assert_eq!(
        by_title(&env.integrations("admin"), "Payroll export")["status"],
        "disabled"
    );
    env.ok(&["webhook", "enable", &id, "--as", "admin"]);
    assert_eq!(
        by_title(&env.integrations("admin"), "Payroll export")["status"],
        "active"
    );
}

#[test]
fn settings_show_dismissed_on_lists_the_dismissed() {
    let env = Env::demo();
    env.ok(&["settings", "show-dismissed", "on", "--as", "admin"]);
    for who in ["admin", "hr", "jdoe"] {
        let rows = env.list(who, &["--status", "dismissed"]);
        assert_eq!(
            logins(&rows),
            BTreeSet::from(["lbrandt".to_string(), "ydemir".to_string()]),
            "as {who}"
        );
        assert!(rows.iter().all(|r| r["status"] == "dismissed"));
    }
    let text = env.ok(&["list", "--status", "dismissed", "--as", "hr"]);
    assert!(
        text.contains("lbrandt") && text.contains("ydemir"),
        "{text}"
    );
    assert!(text.contains("Dismissed"), "marked Dismissed: {text}");
    let all = env.list("hr", &["--status", "all"]);
    let l = logins(&all);
    assert!(l.contains("lbrandt") && l.contains("jdoe"), "{l:?}");
    assert!(
        all.iter().all(|r| r["kind"] == "employee"),
        "system users are never listed"
    );
    // And off again.
    env.ok(&["settings", "show-dismissed", "off", "--as", "admin"]);
    env.refused(&["list", "--status", "dismissed", "--as", "hr"]);
}

#[test]
fn settings_are_for_administrators_only() {
    let env = Env::demo();
    env.refused(&["settings", "show-dismissed", "on", "--as", "hr"]);
    env.refused(&["settings", "show-dismissed", "on", "--as", "jdoe"]);
    let err = env.refused(&["list", "--status", "dismissed", "--as", "admin"]);
    assert!(err.contains("show_dismissed"), "still off: {err}");
}

#[test]
fn grant_lets_jdoe_dismiss_and_revoke_takes_it_back() {
    let env = Env::demo();
    env.refused(&["grant", "jdoe", "--as", "hr"]);
    env.ok(&["grant", "jdoe", "--as", "admin"]);
    env.ok(&["dismiss", "shartmann", "--as", "jdoe"]);
    assert_eq!(env.show("shartmann", "hr")["status"], "dismissed");
    env.ok(&["revoke", "jdoe", "--as", "admin"]);
    env.refused(&["hire", "shartmann", "--as", "jdoe"]);
    assert_eq!(env.show("shartmann", "hr")["status"], "dismissed");
}

#[test]
fn still_owns_lists_the_handover_backlog() {
    let env = Env::demo();
    let text = env.ok(&["list", "--still-owns", "--as", "hr"]);
    assert!(text.contains("lbrandt"), "{text}");
    assert!(text.contains("ydemir"), "{text}");
    let rows = env.list("hr", &["--still-owns"]);
    assert_eq!(
        logins(&rows),
        BTreeSet::from(["lbrandt".to_string(), "ydemir".to_string()])
    );
    // After handing over everything lbrandt owns, only the overdue steps of their
    // offboarding checklist keep them in it.
    env.ok(&["reassign", "lbrandt", "--to", "jdoe", "--as", "hr"]);
    let rows = env.list("hr", &["--still-owns"]);
    let lbrandt = rows
        .iter()
        .find(|r| r["login"] == "lbrandt")
        .expect("lbrandt");
    assert_eq!(lbrandt["owns"]["tasks"], 0);
    assert_eq!(lbrandt["owns"]["files"], 0);
    assert!(
        lbrandt["overdue_steps"].as_i64().unwrap_or(0) > 0,
        "{lbrandt}"
    );
}

#[test]
fn export_csv_has_a_header_and_the_dismissed_rows() {
    let env = Env::demo();
    let out = env.ok(&["export", "--format", "csv", "--as", "hr"]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let header = r.headers().expect("a header").clone();
    assert!(
        header.iter().any(|h| h == "login"),
        "header has login: {header:?}"
    );
    let login_col = header.iter().position(|h| h == "login").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("a CSV row")).collect();
    let l: BTreeSet<String> = rows.iter().map(|r| r[login_col].to_string()).collect();
    assert_eq!(
        l,
        BTreeSet::from(["lbrandt".to_string(), "ydemir".to_string()])
    );
    // Default is dismissed, csv.
    assert_eq!(env.ok(&["export", "--as", "hr"]), out);
}

/// Text a spreadsheet would run as a formula is exported as plain text in CSV; JSON
/// keeps it exactly.
#[test]
fn export_csv_defuses_cells_a_spreadsheet_would_run() {
    let env = Env::demo();
    env.ok(&[
        "add",
        "--login",
        "formula",
        "--name",
        "Eve =Mallory",
        "--email",
        "eve@corvane.example",
        "--position",
        "=HYPERLINK(\"http://x\")",
        "--as",
        "hr",
    ]);
    env.ok(&["dismiss", "formula", "--note", "@SUM(A1:A9)", "--as", "hr"]);
    let out = env.ok(&["export", "--format", "csv", "--as", "hr"]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let header = r.headers().expect("a header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = r
        .records()
        .map(|x| x.expect("a CSV row"))
        .find(|row| &row[col("login")] == "formula")
        .expect("the row");
    assert_eq!(&row[col("position")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&row[col("note")], "'@SUM(A1:A9)");
    assert_eq!(&row[col("last_name")], "'=Mallory");
    assert_eq!(&row[col("first_name")], "Eve", "ordinary text is untouched");
    let json = array(env.json(&["export", "--format", "json", "--as", "hr"]));
    let j = json
        .iter()
        .find(|r| r["login"] == "formula")
        .expect("json row");
    assert_eq!(j["position"], "=HYPERLINK(\"http://x\")");
}

#[test]
fn export_json_parses() {
    let env = Env::demo();
    let rows = array(env.json(&["export", "--format", "json", "--as", "hr"]));
    assert_eq!(
        logins(&rows),
        BTreeSet::from(["lbrandt".to_string(), "ydemir".to_string()])
    );
    let all = array(env.json(&[
        "export", "--format", "json", "--status", "all", "--as", "admin",
    ]));
    assert!(all.len() > rows.len());
}

#[test]
fn add_creates_an_active_employee() {
    let env = Env::demo();
    env.ok(&[
        "add",
        "--login",
        "newbie",
        "--name",
        "New Bie",
        "--email",
        "newbie@corvane.example",
        "--department",
        "Sales",
        "--position",
        "Intern",
        "--hired-on",
        "2026-01-05",
        "--as",
        "hr",
    ]);
    let v = env.show("newbie", "hr");
    assert_eq!(v["status"], "active");
    assert_eq!(v["name"], "New Bie");
    assert_eq!(v["department"], "Sales");
    // A second one with the same login is refused.
    env.refused(&[
        "add",
        "--login",
        "newbie",
        "--name",
        "Other Bie",
        "--email",
        "other@corvane.example",
        "--as",
        "hr",
    ]);
}

// ---------------------------------------------------------------------------------------
// SPEC §5 features: several logins, scheduled dismissal
// ---------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------
// The demo company (SPEC §7)
// ---------------------------------------------------------------------------------------

#[test]
fn demo_company_matches_the_spec() {
    let env = Env::demo();
    env.ok(&["settings", "show-dismissed", "on", "--as", "admin"]);
    let all = env.list("admin", &["--status", "all"]);
    assert!(
        (35..=50).contains(&all.len()),
        "about 40 employees, got {}",
        all.len()
    );
    let departments: BTreeSet<&str> = all
        .iter()
        .filter_map(|e| e["department"].as_str())
        .filter(|d| !d.is_empty())
        .collect();
    assert!(
        departments.len() >= 6,
        "6+ departments, got {departments:?}"
    );
    let get = |login: &str| {
        all.iter()
            .find(|e| e["login"] == login)
            .unwrap_or_else(|| panic!("{login} is in the demo"))
            .clone()
    };
    assert_eq!(get("admin")["is_admin"], true);
    assert_eq!(get("hr")["is_admin"], false);
    assert_eq!(get("jdoe")["is_admin"], false);
    for l in ["admin", "hr", "jdoe"] {
        assert_eq!(get(l)["status"], "active", "{l}");
    }
    let owners = all
        .iter()
        .filter(|e| e["status"] == "active" && e["active_integrations"].as_i64().unwrap() > 0)
        .count();
    assert!(
        owners >= 3,
        "at least three employees own active integrations"
    );
    let dismissed = env.list("admin", &["--status", "dismissed"]);
    assert_eq!(
        logins(&dismissed),
        BTreeSet::from(["lbrandt".to_string(), "ydemir".to_string()]),
        "exactly two dismissed"
    );
    // Names look real: "First Last".
    for e in &all {
        let name = e["name"].as_str().unwrap();
        assert!(name.split_whitespace().count() >= 2, "{name}");
    }
}

#[test]
fn demo_roles_behave_as_described() {
    let env = Env::demo();
    // hr may dismiss and hire, but is not an administrator.
    env.ok(&["dismiss", "shartmann", "--as", "hr"]);
    env.ok(&["hire", "shartmann", "--as", "hr"]);
    env.refused(&["settings", "show-dismissed", "on", "--as", "hr"]);
    // jdoe may do neither.
    env.refused(&["dismiss", "shartmann", "--as", "jdoe"]);
    // admin may do both and change settings.
    env.ok(&["dismiss", "shartmann", "--as", "admin"]);
    env.ok(&["settings", "show-dismissed", "on", "--as", "admin"]);
}

#[test]
fn demo_dismissed_employees_have_history() {
    let env = Env::demo();
    for login in ["lbrandt", "ydemir"] {
        let v = env.show(login, "hr");
        assert_eq!(v["status"], "dismissed");
        for k in ["tasks", "messages", "meetings", "feed_posts", "groups"] {
            assert!(
                v["history"][k].as_i64().unwrap_or(0) > 0,
                "{login} history.{k} should be non-zero: {}",
                v["history"]
            );
        }
        assert!(!v["departure"].is_null(), "{login} has a departure record");
    }
}

#[test]
fn demo_again_on_the_same_file_is_refused_and_leaves_it_intact() {
    let env = Env::demo();
    env.ok(&["dismiss", "shartmann", "--as", "hr"]);
    let before = env.ok(&["list", "--json", "--as", "admin"]);
    let show_before = env.show("shartmann", "admin");
    env.refused(&["demo"]);
    assert_eq!(env.ok(&["list", "--json", "--as", "admin"]), before);
    assert_eq!(env.show("shartmann", "admin"), show_before);
}

#[test]
fn demo_output_names_the_roles() {
    let env = Env::empty();
    let out = env.ok(&["demo"]);
    for l in ["admin", "hr", "jdoe"] {
        assert!(out.contains(l), "{out}");
    }
}

// ---------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------

fn write_csv(env: &Env, name: &str, body: &[u8]) -> PathBuf {
    let p = env.dir().join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn import(env: &Env, file: &Path) -> Out {
    env.run(&[
        OsStr::new("import"),
        file.as_os_str(),
        OsStr::new("--as"),
        OsStr::new("admin"),
    ])
}

#[track_caller]
fn assert_import_refused(env: &Env, o: &Out, absent: &[&str]) {
    assert!(
        o.code == 2 || o.code == 3,
        "a bad CSV is bad input or refused (2 or 3), got {}\nstderr: {}",
        o.code,
        o.stderr
    );
    assert_one_line(&o.stderr, "import");
    for l in absent {
        env.refused(&["show", l, "--as", "hr"]);
    }
}

#[test]
fn import_adds_every_row_of_a_good_csv() {
    let env = Env::demo();
    let before = env.list("admin", &[]).len();
    let body = format!(
        "{CSV_HEADER}\n\
         imp.sato,Rin,Sato,rin.sato@corvane.example,Researcher,Research Lab,2024-02-01\n\
         imp.novak,Petr,Novak,petr.novak@corvane.example,Lab Technician,Research Lab,\n\
         imp.moreau,Claire,\"Moreau, Jr\",claire.moreau@corvane.example,Analyst,Finance,2023-11-15\n"
    );
    let p = write_csv(&env, "good.csv", body.as_bytes());
    let o = import(&env, &p);
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    let rows = env.list("admin", &[]);
    assert_eq!(rows.len(), before + 3);
    let l = logins(&rows);
    for login in ["imp.sato", "imp.novak", "imp.moreau"] {
        assert!(l.contains(login), "{login} imported");
    }
    let departments: BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| r["department"].as_str())
        .collect();
    assert!(
        departments.contains("Research Lab"),
        "a new department: {departments:?}"
    );
    let k = env.show("imp.moreau", "hr");
    assert_eq!(k["email"], "claire.moreau@corvane.example");
    assert_eq!(k["status"], "active");
}

#[test]
fn import_with_a_bad_email_in_row_3_adds_nobody() {
    let env = Env::demo();
    let before = env.list("admin", &[]).len();
    let body = format!(
        "{CSV_HEADER}\n\
         imp.sato,Rin,Sato,rin.sato@corvane.example,Researcher,Research Lab,\n\
         imp.novak,Petr,Novak,petr.novak@corvane.example,Technician,Research Lab,\n\
         imp.moreau,Claire,Moreau,claire-at-nowhere,Analyst,Finance,\n\
         imp.last,Zed,Last,zed.last@corvane.example,Analyst,Finance,\n"
    );
    let p = write_csv(&env, "bad_email.csv", body.as_bytes());
    let o = import(&env, &p);
    assert_import_refused(
        &env,
        &o,
        &["imp.sato", "imp.novak", "imp.moreau", "imp.last"],
    );
    // The third data row is line 4 of the file (line 1 is the header).
    assert!(
        o.stderr.contains("line 4"),
        "stderr names the line: {}",
        o.stderr
    );
    assert!(
        o.stderr.contains("email"),
        "stderr names the field: {}",
        o.stderr
    );
    assert_eq!(env.list("admin", &[]).len(), before);
}

#[test]
fn import_without_an_email_column_is_refused_naming_it() {
    let env = Env::demo();
    let body = "login,first_name,last_name,position,department,hired_on\n\
                imp.sato,Rin,Sato,Researcher,Research Lab,\n";
    let p = write_csv(&env, "no_email.csv", body.as_bytes());
    let o = import(&env, &p);
    assert_import_refused(&env, &o, &["imp.sato"]);
    assert!(
        o.stderr.contains("email"),
        "stderr names the column: {}",
        o.stderr
    );
}

#[test]
fn import_with_non_utf8_bytes_is_refused() {
    let env = Env::demo();
    let mut body = format!(
        "{CSV_HEADER}\n\
         imp.sato,Rin,Sato,rin.sato@corvane.example,Researcher,Research Lab,\n\
         imp.novak,Petr,No"
    )
    .into_bytes();
    body.extend_from_slice(b"v\xe1k\xff,petr.novak@corvane.example,Technician,Research Lab,\n");
    let p = write_csv(&env, "latin1.csv", &body);
    let o = import(&env, &p);
    assert_import_refused(&env, &o, &["imp.sato", "imp.novak"]);
    assert!(
        o.stderr.contains("line 3") || o.stderr.contains("UTF-8"),
        "stderr says where or what: {}",
        o.stderr
    );
}

#[test]
fn import_with_a_duplicate_login_in_the_file_adds_nobody() {
    let env = Env::demo();
    let body = format!(
        "{CSV_HEADER}\n\
         imp.sato,Rin,Sato,rin.sato@corvane.example,Researcher,Research Lab,\n\
         imp.novak,Petr,Novak,petr.novak@corvane.example,Technician,Research Lab,\n\
         imp.sato,Ren,Sato,ren.sato@corvane.example,Researcher,Research Lab,\n"
    );
    let p = write_csv(&env, "dup.csv", body.as_bytes());
    let o = import(&env, &p);
    assert_import_refused(&env, &o, &["imp.sato", "imp.novak"]);
    assert!(
        o.stderr.contains("imp.sato"),
        "stderr names the login: {}",
        o.stderr
    );
}

#[test]
fn import_with_an_existing_login_adds_nobody() {
    let env = Env::demo();
    let body = format!(
        "{CSV_HEADER}\n\
         imp.sato,Rin,Sato,rin.sato@corvane.example,Researcher,Research Lab,\n\
         jdoe,Jane,Doe,jane.doe2@corvane.example,Researcher,Research Lab,\n"
    );
    let p = write_csv(&env, "dup_existing.csv", body.as_bytes());
    let o = import(&env, &p);
    assert_import_refused(&env, &o, &["imp.sato"]);
    assert!(
        o.stderr.contains("jdoe"),
        "stderr names the login: {}",
        o.stderr
    );
    assert_eq!(env.show("jdoe", "hr")["email"], "jane.doe@corvane.example");
}

#[test]
fn import_of_a_megabyte_line_is_refused_clearly() {
    let env = Env::demo();
    let mut body = format!("{CSV_HEADER}\nrsato,Rin,").into_bytes();
    body.extend(std::iter::repeat_n(b'S', 1024 * 1024));
    body.extend_from_slice(b",rin.sato@corvane.example,Researcher,Research Lab,\n");
    let p = write_csv(&env, "huge.csv", &body);
    let o = import(&env, &p);
    assert_import_refused(&env, &o, &["imp.sato"]);
    assert!(
        o.stderr.len() < 1000,
        "a clear message, not the line echoed back ({} bytes)",
        o.stderr.len()
    );
}

#[test]
fn import_is_refused_for_jdoe() {
    let env = Env::demo();
    let body = format!("{CSV_HEADER}\nrsato,Rin,Sato,rin.sato@corvane.example,R,Lab,\n");
    let p = write_csv(&env, "ok.csv", body.as_bytes());
    let o = env.run(&[
        OsStr::new("import"),
        p.as_os_str(),
        OsStr::new("--as"),
        OsStr::new("jdoe"),
    ]);
    assert_eq!(o.code, 3, "stderr: {}", o.stderr);
    assert_one_line(&o.stderr, "import as jdoe");
    env.refused(&["show", "imp.sato", "--as", "hr"]);
}

#[test]
fn import_of_a_missing_file_fails_cleanly() {
    let env = Env::demo();
    let o = import(&env, &env.dir().join("nope.csv"));
    assert_ne!(o.code, 0);
    assert_one_line(&o.stderr, "import nope.csv");
    assert!(o.stderr.contains("nope.csv"), "{}", o.stderr);
}

// ---------------------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------------------

#[test]
fn init_creates_a_company_with_one_administrator() {
    let env = Env::empty();
    env.ok(&[
        "init",
        "--admin",
        "boss",
        "--name",
        "Big Boss",
        "--email",
        "boss@x.example",
    ]);
    let rows = env.list("boss", &[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["login"], "boss");
    assert_eq!(rows[0]["name"], "Big Boss");
    assert_eq!(rows[0]["email"], "boss@x.example");
    assert_eq!(rows[0]["is_admin"], true);
    let text = env.ok(&["list", "--as", "boss"]);
    assert!(text.contains("boss"), "{text}");

    let err = env.refused(&[
        "init",
        "--admin",
        "other",
        "--name",
        "Other Boss",
        "--email",
        "other@x.example",
    ]);
    assert!(!err.is_empty());
    assert_eq!(env.list("boss", &[]).len(), 1, "init again changed nothing");
    env.refused(&["list", "--as", "other"]);
    // A demo on top of it is refused too.
    env.refused(&["demo"]);
}

#[test]
fn init_on_a_demo_database_is_refused() {
    let env = Env::demo();
    env.refused(&[
        "init",
        "--admin",
        "boss",
        "--name",
        "Big Boss",
        "--email",
        "boss@x.example",
    ]);
    env.refused(&["show", "boss", "--as", "admin"]);
}

#[test]
fn init_with_bad_values_exits_2_and_creates_no_company() {
    let env = Env::empty();
    env.fails(
        &[
            "init", "--admin", "boss", "--name", "Big Boss", "--email", "nope",
        ],
        2,
    );
    env.fails(
        &[
            "init",
            "--admin",
            "Bad Login",
            "--name",
            "Big Boss",
            "--email",
            "boss@x.example",
        ],
        2,
    );
    env.fails(
        &[
            "init",
            "--admin",
            "boss",
            "--name",
            "Cher",
            "--email",
            "boss@x.example",
        ],
        2,
    );
    // After all that, a correct init still works.
    env.ok(&[
        "init",
        "--admin",
        "boss",
        "--name",
        "Big Boss",
        "--email",
        "boss@x.example",
    ]);
    assert_eq!(env.list("boss", &[]).len(), 1);
}

// ---------------------------------------------------------------------------------------
// File mode
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn the_database_file_is_private() {
    let env = Env::demo();
    assert_eq!(mode(&env.db), 0o600, "demo database mode");
    let env = Env::empty();
    env.ok(&[
        "init",
        "--admin",
        "boss",
        "--name",
        "Big Boss",
        "--email",
        "boss@x.example",
    ]);
    assert_eq!(mode(&env.db), 0o600, "init database mode");
}

// ---------------------------------------------------------------------------------------
// Bad input never panics
// ---------------------------------------------------------------------------------------

#[test]
fn bad_input_never_panics() {
    let env = Env::demo();
    let long = "x".repeat(100_000);
    let long_name = format!("A {long}");
    let cases: Vec<Vec<&str>> = vec![
        vec!["--as", "", "list"],
        vec!["--as", "   ", "list"],
        vec!["show", "", "--as", "hr"],
        vec!["show", "système", "--as", "hr"],
        vec!["show", &long, "--as", "hr"],
        vec!["show", "'; DROP TABLE employees; --", "--as", "hr"],
        vec!["list", "--search", "%' OR 1=1 --", "--as", "hr"],
        vec!["list", "--search", &long, "--as", "hr"],
        vec![
            "add",
            "--login",
            "Bad Login",
            "--name",
            "A B",
            "--email",
            "a@b.example",
            "--as",
            "admin",
        ],
        vec![
            "add",
            "--login",
            "ok1",
            "--name",
            "Cher",
            "--email",
            "a@b.example",
            "--as",
            "admin",
        ],
        vec![
            "add",
            "--login",
            "ok2",
            "--name",
            &long_name,
            "--email",
            "a@b.example",
            "--as",
            "admin",
        ],
        vec![
            "add", "--login", "ok3", "--name", "A B", "--email", "", "--as", "admin",
        ],
        vec![
            "add",
            "--login",
            "ok4",
            "--name",
            "A B",
            "--email",
            "a@b.example",
            "--hired-on",
            "99999-01-01",
            "--as",
            "admin",
        ],
        vec![
            "add",
            "--login",
            "system.x",
            "--name",
            "A B",
            "--email",
            "a@b.example",
            "--as",
            "admin",
        ],
        vec!["webhook", "edit", "999999", "--title", "x", "--as", "admin"],
        vec!["webhook", "disable", "0", "--as", "admin"],
        vec!["webhook", "enable", "-1", "--as", "admin"],
        vec![
            "webhook",
            "regenerate",
            "9223372036854775807",
            "--as",
            "admin",
        ],
        vec![
            "webhook",
            "edit",
            "99999999999999999999999",
            "--as",
            "admin",
        ],
        vec![
            "webhook", "create", "--title", "", "--scopes", "user", "--as", "admin",
        ],
        vec![
            "webhook", "create", "--title", "a\u{7}b", "--scopes", "user", "--as", "admin",
        ],
        vec![
            "webhook", "create", "--title", &long, "--scopes", "user", "--as", "admin",
        ],
        vec![
            "webhook", "create", "--title", "T", "--scopes", ",,,", "--as", "admin",
        ],
        vec![
            "webhook", "create", "--title", "T", "--scopes", "", "--as", "admin",
        ],
        vec!["webhook", "edit", "1", "--scopes", "nope", "--as", "admin"],
        vec!["audit", "--limit", "0", "--as", "admin"],
        vec!["audit", "--limit=-1", "--as", "admin"],
        vec!["audit", "--limit", "99999999999999999999", "--as", "admin"],
        vec!["audit", "--search", "%_'\"\\", "--as", "admin"],
        vec!["dismiss", "jdoe", "--note", &long, "--as", "hr"],
        vec!["dismiss", "jdoe", "--note", "bell\u{7}", "--as", "hr"],
        vec!["reassign", "lbrandt", "--to", "lbrandt", "--as", "hr"],
        vec![
            "reassign",
            "lbrandt",
            "--to",
            "system.lbrandt",
            "--as",
            "hr",
        ],
        vec![
            "reassign", "lbrandt", "--to", "jdoe", "--what", "", "--as", "hr",
        ],
        vec![
            "reassign", "lbrandt", "--to", "jdoe", "--what", ",", "--as", "hr",
        ],
        vec!["grant", "system.lbrandt", "--as", "admin"],
        vec!["grant", "lbrandt", "--as", "admin"],
        vec!["revoke", "admin", "--as", "admin"],
        vec!["hire", "system.lbrandt", "--as", "hr"],
        vec!["import", "/", "--as", "admin"],
        vec!["import", "", "--as", "admin"],
        vec!["demo", "--size", "huge"],
    ];
    for args in &cases {
        let o = env.run(args);
        assert!(
            (0..=3).contains(&o.code),
            "`offboard {}` exited with {}\nstderr: {}",
            show_args(args),
            o.code,
            o.stderr
        );
        if o.code == 3 || o.code == 1 {
            assert_one_line(&o.stderr, &show_args(args));
        }
    }
    // The database is still a working demo company.
    assert!(logins(&env.list("admin", &[])).contains("admin"));
}

#[test]
fn bad_database_paths_never_panic() {
    let env = Env::empty();
    let dir = env.dir().to_str().unwrap().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec![
            "--db".into(),
            dir.clone(),
            "list".into(),
            "--as".into(),
            "admin".into(),
        ],
        vec![
            "--db".into(),
            "".into(),
            "list".into(),
            "--as".into(),
            "admin".into(),
        ],
        vec![
            "--db".into(),
            format!("{dir}/no/such/folder/x.db"),
            "list".into(),
            "--as".into(),
            "admin".into(),
        ],
        vec!["--db".into(), dir.clone(), "demo".into()],
        vec![
            "--db".into(),
            format!("{dir}/no/such/folder/x.db"),
            "demo".into(),
        ],
    ];
    for args in &cases {
        let o = run({
            let mut c = env.bare();
            c.args(args);
            c
        });
        assert!(
            (0..=3).contains(&o.code),
            "`offboard {}` exited with {}\nstderr: {}",
            args.join(" "),
            o.code,
            o.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_never_panic() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::demo();
    let bad = OsStr::from_bytes(b"jd\xffoe");
    for args in [
        vec![
            OsStr::new("show"),
            bad,
            OsStr::new("--as"),
            OsStr::new("hr"),
        ],
        vec![OsStr::new("list"), OsStr::new("--as"), bad],
        vec![
            OsStr::new("list"),
            OsStr::new("--search"),
            bad,
            OsStr::new("--as"),
            OsStr::new("hr"),
        ],
    ] {
        let o = env.run(&args);
        assert!((1..=3).contains(&o.code), "exit {}: {}", o.code, o.stderr);
    }
}

// ---------------------------------------------------------------------------------------
// --demo in the data folder
// ---------------------------------------------------------------------------------------

#[test]
fn demo_flag_creates_demo_db_in_home_and_prints_the_list() {
    let env = Env::empty();
    let mut c = env.bare();
    // The environment's user name is never asked (anyone can set it): as jdoe here,
    // --demo still acts as admin.
    c.env("USER", "jdoe").env("LOGNAME", "jdoe").arg("--demo");
    let o = run(c);
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    let db = env.dir().join(".local/share/offboard/demo.db");
    assert!(db.exists(), "--demo creates {}", db.display());
    assert!(
        o.stdout.contains("jdoe") && o.stdout.contains("hr"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("lbrandt"), "dismissed are hidden");

    // The same list as admin sees it.
    let mut c = env.bare();
    c.args(["--demo", "list", "--as", "admin"]);
    let as_admin = run(c);
    assert_eq!(as_admin.code, 0, "stderr: {}", as_admin.stderr);
    assert_eq!(o.stdout, as_admin.stdout);

    // --demo acts as admin: admin-only changes work, whatever USER claims.
    let mut c = env.bare();
    c.env("USER", "jdoe")
        .args(["--demo", "settings", "show-dismissed", "on"]);
    let o = run(c);
    assert_eq!(o.code, 0, "--demo acts as admin: {}", o.stderr);

    // A second --demo reuses the file.
    let mut c = env.bare();
    c.arg("--demo");
    let o = run(c);
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    assert!(!env.db.exists(), "--demo did not touch --db's default");
}

#[test]
fn demo_flag_uses_xdg_data_home() {
    let env = Env::empty();
    let xdg = env.dir().join("xdg");
    let mut c = env.bare();
    c.env("XDG_DATA_HOME", &xdg).arg("--demo");
    let o = run(c);
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    assert!(
        xdg.join("offboard/demo.db").exists(),
        "demo.db under XDG_DATA_HOME"
    );
    assert!(o.stdout.contains("jdoe"), "{}", o.stdout);
    assert!(!env.dir().join(".local/share/offboard/demo.db").exists());
}

// ---------------------------------------------------------------- bulk dismiss and rehire

/// A bulk run prints the preview with each skip and its reason, applies the rest, and
/// leaves those it skipped as they were.
#[test]
fn bulk_dismiss_previews_skips_and_applies_each() {
    let env = Env::demo();
    let run = |args: &[&str]| {
        let o = env.run(args);
        (Some(o.code), o.stdout, o.stderr)
    };
    // The preview names each integration the one choice affects (SPEC §3).
    let (_, out, _) = run(&[
        "--as",
        "hr",
        "dismiss",
        "jdoe",
        "tlang",
        "--integrations",
        "keep",
    ]);
    assert!(
        out.contains(
            "#2 Jira task sync [user,task]; #3 Carrier tracking events → tasks [task,crm]"
        ),
        "{out}"
    );
    // No terminal and no --yes: refused with 3, nothing changed.
    let (code, out, err) = run(&["--as", "hr", "dismiss", "jdoe", "elarsen"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(out.contains("jdoe") && out.contains("dismiss"), "{out}");
    assert!(err.contains("--yes"), "{err}");
    let (_, show, _) = run(&["--as", "hr", "show", "jdoe", "--json"]);
    assert!(show.contains("\"status\": \"active\""), "{show}");
    // A login that names nobody refuses the whole command (issue 14, item 30).
    let (code, out, err) = run(&[
        "--as", "hr", "dismiss", "jdoe", "lbrandt", "nobody", "tlang", "elarsen", "--yes",
    ]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("no employee with login \"nobody\""), "{err}");
    assert_eq!(out, "");
    // With --yes: applied to each, skips listed with their reasons.
    let (code, out, err) = run(&[
        "--as", "hr", "dismiss", "jdoe", "lbrandt", "tlang", "elarsen", "--yes",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("skip: lbrandt is already dismissed"), "{out}");
    assert!(out.contains("tlang owns 2 active integrations"), "{out}");
    assert!(out.contains("2 of 4 employees dismissed"), "{out}");
    for (login, status) in [
        ("jdoe", "dismissed"),
        ("elarsen", "dismissed"),
        ("tlang", "active"),
    ] {
        let (_, show, _) = run(&["--as", "hr", "show", login, "--json"]);
        assert!(
            show.contains(&format!("\"status\": \"{status}\"")),
            "{login}: {show}"
        );
    }
    // Bulk rehire, returning what a system user holds.
    let (code, out, _) = run(&["--as", "hr", "dismiss", "tlang", "--integrations", "keep"]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out, err) = run(&[
        "--as",
        "hr",
        "hire",
        "jdoe",
        "tlang",
        "hr",
        "--return-integrations",
        "--yes",
        "--json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let arr = v.as_array().expect("array");
    assert_eq!(arr.len(), 3);
    assert_eq!(arr.iter().filter(|r| r["done"] == true).count(), 2, "{out}");
    let (_, ints, _) = run(&["--as", "admin", "integrations", "--json"]);
    let ints: serde_json::Value = serde_json::from_str(&ints).expect("json");
    let tlangs = ints
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| i["owner"] == "tlang")
        .count();
    assert_eq!(tlangs, 2, "tlang's integrations came back to him");
    // A single login still acts at once, without a preview.
    let (code, out, _) = run(&["--as", "hr", "dismiss", "elarsen"]);
    assert_eq!(code, Some(3));
    assert!(!out.contains("WHAT HAPPENS"));
}

/// Scheduled dismissal and handover through the real binary.
#[test]
fn dismiss_on_a_date_cancel_and_handover_from_the_command_line() {
    let env = Env::demo();
    let run = |args: &[&str]| {
        let o = env.run(args);
        (Some(o.code), o.stdout, o.stderr)
    };
    let (code, out, err) = run(&[
        "--as",
        "hr",
        "dismiss",
        "jdoe",
        "--on",
        "2099-06-30",
        "--reason",
        "retired",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("leaving on 2099-06-30"), "{out}");
    let (_, list, _) = run(&["--as", "hr", "list", "--search", "jdoe"]);
    assert!(list.contains("Leaving on 2099-06-30"), "{list}");
    let (_, show, _) = run(&["--as", "hr", "show", "jdoe", "--json"]);
    let v: Value = serde_json::from_str(&show).expect("json");
    assert_eq!(v["status"], "active");
    assert_eq!(v["departure"]["state"], "pending");
    // One pending dismissal at most; a past date is refused as bad usage.
    assert_eq!(
        run(&["--as", "hr", "dismiss", "jdoe", "--on", "2099-07-01"]).0,
        Some(3)
    );
    assert_eq!(
        run(&["--as", "hr", "dismiss", "elarsen", "--on", "2001-01-01"]).0,
        Some(2)
    );
    let (code, out, _) = run(&["--as", "hr", "cancel-dismissal", "jdoe"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("Canceled the dismissal of Jane Doe (jdoe) scheduled for 2099-06-30"),
        "{out}"
    );
    assert_eq!(run(&["--as", "hr", "cancel-dismissal", "jdoe"]).0, Some(3));
    // Handover and dismissal in one go.
    let (_, before, _) = run(&["--as", "hr", "show", "elarsen", "--json"]);
    let before: Value = serde_json::from_str(&before).expect("json");
    let (code, out, err) = run(&[
        "--as",
        "hr",
        "dismiss",
        "elarsen",
        "--handover-to",
        "jdoe",
        "--json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let moved: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(moved["moved"]["tasks"], before["owns"]["tasks"]);
    let (_, after, _) = run(&["--as", "hr", "show", "elarsen", "--json"]);
    let after: Value = serde_json::from_str(&after).expect("json");
    assert_eq!(after["status"], "dismissed");
    assert_eq!(after["owns"]["tasks"], 0);
    // A refused handover (dismissed successor) moves nothing.
    let (_, t0, _) = run(&["--as", "hr", "show", "tlang", "--json"]);
    let t0: Value = serde_json::from_str(&t0).expect("json");
    let (code, _, err) = run(&[
        "--as",
        "hr",
        "dismiss",
        "tlang",
        "--integrations",
        "keep",
        "--handover-to",
        "lbrandt",
    ]);
    assert_eq!(code, Some(3), "{err}");
    let (_, t1, _) = run(&["--as", "hr", "show", "tlang", "--json"]);
    let t1: Value = serde_json::from_str(&t1).expect("json");
    assert_eq!(t0["owns"], t1["owns"]);
    assert_eq!(t1["status"], "active");
}
