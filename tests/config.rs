//! The config file through the real binary: where it is read from, every class of
//! mistake (exit 2, one line naming the file and line, before anything else happens),
//! `config show`, the precedence of `database` and `base_url`, the default file in
//! assets/, and that over SSH the server's config applies.

mod binary;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use offboard::config::Config;
use offboard::tui::keymap::Keymap;
use offboard::tui::ui::theme::{ROLES, Theme};
use tempfile::TempDir;

const ED25519: &str = include_str!("ssh/keys/ed25519.pub");

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `offboard ARGS` without `--db`, in `home` with a clean environment (no OFFBOARD_*,
/// no XDG_CONFIG_HOME: the config file's default place is `home/.config`).
fn bare(home: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(binary::BIN);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("OFFBOARD_") {
            c.env_remove(&k);
        }
    }
    c.env_remove("XDG_CONFIG_HOME")
        .env("HOME", home)
        .env("XDG_DATA_HOME", binary::data_dir(home))
        .current_dir(home)
        .args(args)
        .stdin(Stdio::null());
    c
}

fn run(c: &mut Command) -> Output {
    c.output().expect("offboard")
}

/// A folder with the demo company in `company.db`.
fn company() -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("company.db");
    let out = run(&mut binary::command(tmp.path(), &db, &["demo"]));
    assert!(out.status.success(), "demo: {}", text(&out.stderr));
    (tmp, db)
}

fn write(path: &Path, body: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, body).expect("write");
}

/// Run `config show` with `--config FILE` holding `body`: the output.
fn show_with(body: &str) -> (Output, TempDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("my.toml");
    write(&file, body);
    let out = run(&mut bare(
        tmp.path(),
        &["--config", file.to_str().unwrap(), "config", "show"],
    ));
    (out, tmp)
}

#[test]
fn every_mistake_is_one_line_naming_the_file_and_line_with_exit_2() {
    let cases: &[(&str, &str, usize, &str)] = &[
        ("bad TOML", "\n\nquit = [\n", 3, ""),
        (
            "an unknown setting",
            "base_url = \"http://a.example\"\ncolour = 1\n",
            2,
            "colour",
        ),
        (
            "an unknown table",
            "\n[keys.nowhere]\n",
            2,
            "[keys.nowhere]",
        ),
        (
            "an unknown action",
            "[keys.global]\n\nquitt = \"x\"\n",
            3,
            "unknown action \"quitt\"",
        ),
        (
            "an unknown key name",
            "[keys.employees]\nrow_menu = \"Hyper-m\"\n",
            2,
            "unknown key name \"Hyper-m\"",
        ),
        (
            "a value that is no key",
            "[keys.employees]\nrow_menu = 3\n",
            2,
            "row_menu",
        ),
        (
            "two actions on one key in a pane",
            "[keys.employees]\nrow_menu = \"m\"\nopen_profile = \"o\"\n",
            3,
            "\"o\" would mean both open_profile and still_owns_work in [keys.employees]",
        ),
        (
            "a pane key taking a global one",
            "[keys.global]\nquit = \"x\"\n",
            2,
            "disable in [keys.integrations] and quit in [keys.global]",
        ),
        (
            "two actions on one key in a dialog",
            "[keys.dismiss]\ndismiss_employee = \"r\"\n",
            2,
            "in [keys.dismiss]",
        ),
        (
            "Ctrl-C unbound",
            "[keys.global]\nquit_always = \"Ctrl-q\"\n",
            2,
            "must keep Ctrl-c",
        ),
        (
            "Ctrl-C given to another action",
            "[keys.profile]\nback = \"Ctrl-c\"\n",
            2,
            "Ctrl-c",
        ),
        (
            "a letter in a text field's table",
            "[keys.employees_search]\nkeep_filter = \"x\"\n",
            2,
            "a character is typed",
        ),
        (
            "a bad colour",
            "[theme]\nheader = \"black\"\nselected = { bg = \"#12345\" }\n",
            3,
            "bad colour \"#12345\"",
        ),
        (
            "an unknown role",
            "[theme]\nheadline = \"red\"\n",
            2,
            "headline",
        ),
        (
            "a relative database",
            "database = \"company.db\"\n",
            1,
            "absolute",
        ),
        (
            "a base URL that is none",
            "\nbase_url = \"ftp://files\"\n",
            2,
            "http:// or https://",
        ),
        ("mouse not a boolean", "[tui]\nmouse = \"yes\"\n", 2, ""),
    ];
    for (what, body, line, says) in cases {
        let (out, tmp) = show_with(body);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(out.stdout.is_empty(), "{what}: {}", text(&out.stdout));
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
        let file = tmp.path().join("my.toml");
        let expected = format!("offboard: config file {} line {line}: ", file.display());
        assert!(err.starts_with(&expected), "{what}: {err}");
        assert!(err.contains(says), "{what}: {err}");
    }
}

#[test]
fn a_bad_file_stops_every_command_before_it_opens_anything() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(
        &tmp.path().join(".config/offboard/config.toml"),
        "[keys.global]\nquit = \"Hyper-q\"\n",
    );
    let db = tmp.path().join("never.db");
    for args in [&["demo"][..], &["list"], &[]] {
        let out = run(&mut binary::command(tmp.path(), &db, args));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("config.toml line 2: unknown key name"),
            "{err}"
        );
        assert!(!db.exists(), "{args:?} went on after the config error");
    }
}

#[test]
fn where_the_file_is_read_from() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path();
    // No file at the default place is fine: the built-in keys.
    let out = run(&mut bare(home, &["config", "show"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\nquit = \"q\"\n"));
    assert!(text(&out.stdout).contains("# no config file"));

    // ~/.config/offboard/config.toml.
    write(
        &home.join(".config/offboard/config.toml"),
        "[keys.global]\nquit = \"Q\"\n",
    );
    let out = run(&mut bare(home, &["config", "show"]));
    assert!(
        text(&out.stdout).contains("\nquit = \"Q\"\n"),
        "{}",
        text(&out.stdout)
    );

    // $XDG_CONFIG_HOME wins over ~/.config.
    let xdg = home.join("xdg");
    write(
        &xdg.join("offboard/config.toml"),
        "[keys.global]\nquit = \"F10\"\n",
    );
    let out = run(bare(home, &["config", "show"]).env("XDG_CONFIG_HOME", &xdg));
    assert!(text(&out.stdout).contains("\nquit = \"F10\"\n"));

    // --config wins over both, after the subcommand too; a missing one is an error.
    let mine = home.join("mine.toml");
    write(&mine, "[keys.global]\nquit = [\"Ctrl-x\", \"F12\"]\n");
    let out = run(bare(
        home,
        &["config", "show", "--config", mine.to_str().unwrap()],
    )
    .env("XDG_CONFIG_HOME", &xdg));
    assert!(
        text(&out.stdout).contains("\nquit = [\"Ctrl-x\", \"F12\"]\n"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&mut bare(
        home,
        &["--config", "missing.toml", "config", "show"],
    ));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("offboard: config file missing.toml: "));
}

#[cfg(unix)]
#[test]
fn a_file_others_may_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join(".config/offboard/config.toml");
    write(&file, "[keys.global]\nquit = \"Q\"\n");
    for mode in [0o664, 0o646] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let out = run(&mut bare(tmp.path(), &["config", "show"]));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{mode:o}: {err}");
        assert!(err.contains("can be changed by other users"), "{err}");
    }
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = run(&mut bare(tmp.path(), &["config", "show"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn config_show_prints_the_effective_config_and_reads_back_as_it() {
    let body = "[keys.employees]\nrow_menu = \"M\"\n\n[theme]\nselected = { bg = \"#112233\" }\n\n[tui]\nmouse = false\n";
    let (out, tmp) = show_with(body);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("\n[keys.employees]\n"), "{shown}");
    assert!(shown.contains("\nrow_menu = \"M\"\n"), "{shown}");
    assert!(shown.contains("selected = { fg = \"white\", bg = \"#112233\" }"));
    assert!(shown.contains("\nmouse = false\n"));
    // What it prints is a config file that gives the same configuration.
    let again = Config::parse(&shown, "shown").expect("config show reads back");
    let file = tmp.path().join("my.toml");
    let original = Config::load(Some(&file)).expect("load");
    assert_eq!(again.keymap, original.keymap);
    assert_eq!(again.theme, original.theme);
    assert_eq!(again.tui, original.tui);
    assert_ne!(original.keymap, Keymap::defaults());

    let file = tmp.path().join("my.toml");
    let out = run(&mut bare(
        tmp.path(),
        &[
            "--config",
            file.to_str().unwrap(),
            "config",
            "show",
            "--json",
        ],
    ));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["keys"]["employees"]["row_menu"],
        serde_json::json!(["M"])
    );
    assert_eq!(
        json["keys"]["employees"]["move_up"],
        serde_json::json!(["k", "Up"])
    );
    assert_eq!(json["theme"]["selected"]["bg"], "#112233");
    assert_eq!(json["tui"]["mouse"], false);
}

#[test]
fn the_default_file_in_assets_sets_everything_to_the_built_in_values() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/config.toml");
    let body = std::fs::read_to_string(path).expect("assets/config.toml");
    let parsed = Config::parse(&body, path).expect("assets/config.toml parses");
    let built_in = Config::default();
    assert_eq!(parsed.keymap, built_in.keymap);
    assert_eq!(parsed.theme, built_in.theme);
    assert_eq!(parsed.tui, built_in.tui);
    assert_eq!(
        parsed.base_url.as_deref(),
        Some(offboard::directory::DEFAULT_BASE_URL)
    );
    // Not true by leaving things out: every table, action and role is written.
    let raw: toml::Table = toml::from_str(&body).expect("toml");
    let keys = raw["keys"].as_table().expect("[keys]");
    for (table, rows) in built_in.keymap.tables() {
        let written = keys
            .get(table)
            .and_then(|t| t.as_table())
            .unwrap_or_else(|| panic!("assets/config.toml lacks [keys.{table}]"));
        for (name, _) in rows {
            assert!(written.contains_key(&name), "[keys.{table}] lacks {name}");
        }
        assert_eq!(
            written.len(),
            built_in
                .keymap
                .tables()
                .iter()
                .find(|t| t.0 == table)
                .unwrap()
                .1
                .len()
        );
    }
    let theme = raw["theme"].as_table().expect("[theme]");
    for role in ROLES {
        assert!(theme.contains_key(role), "[theme] lacks {role}");
    }
    assert_eq!(built_in.theme, Theme::colour());
}

#[test]
fn database_comes_from_the_flag_then_the_environment_then_the_file() {
    let (tmp, db) = company();
    let home = tmp.path();
    let other = home.join("other.db");
    write(
        &home.join(".config/offboard/config.toml"),
        &format!("database = {:?}\n", db.to_str().unwrap()),
    );
    // The file's database is used when nothing else names one.
    let out = run(&mut bare(home, &["--as", "admin", "list", "--json"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"login\": \"jdoe\""));
    // $OFFBOARD_DB beats the file, --db beats $OFFBOARD_DB.
    let shown = |c: &mut Command| {
        let out = run(c.args(["config", "show", "--json"]));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json["database"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(shown(&mut bare(home, &[])), db.to_str().unwrap());
    assert_eq!(
        shown(bare(home, &[]).env("OFFBOARD_DB", &other)),
        other.to_str().unwrap()
    );
    let third = home.join("third.db");
    assert_eq!(
        shown(bare(home, &["--db", third.to_str().unwrap()]).env("OFFBOARD_DB", &other)),
        third.to_str().unwrap()
    );
    // And the environment really is the one opened.
    let out = run(bare(home, &["--as", "admin", "list"]).env("OFFBOARD_DB", &other));
    assert_ne!(out.status.code(), Some(0), "other.db holds no company");
    // ~/ is the home folder.
    write(
        &home.join(".config/offboard/config.toml"),
        "database = \"~/company.db\"\n",
    );
    let out = run(&mut bare(home, &["--as", "admin", "list", "--json"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn base_url_comes_from_the_environment_then_the_file() {
    let (tmp, db) = company();
    let home = tmp.path();
    write(
        &home.join(".config/offboard/config.toml"),
        "base_url = \"https://hooks.corvane.example:8443/\"\n",
    );
    let create = |c: &mut Command| {
        let out = run(c.args([
            "--as", "admin", "webhook", "create", "--title", "T", "--scopes", "user",
        ]));
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let url = create(&mut binary::command(home, &db, &[]));
    assert!(
        url.starts_with("https://hooks.corvane.example:8443/rest/"),
        "{url}"
    );
    let url =
        create(binary::command(home, &db, &[]).env("OFFBOARD_BASE_URL", "http://env.example"));
    assert!(url.starts_with("http://env.example/rest/"), "{url}");
    std::fs::remove_file(home.join(".config/offboard/config.toml")).expect("rm");
    let url = create(&mut binary::command(home, &db, &[]));
    assert!(url.starts_with("http://127.0.0.1:8089/rest/"), "{url}");
}

/// Over SSH the config is the service account's own file: the remote user can name
/// none (`--config` is refused), and its `database` cannot move a session off the
/// database its key's forced command names.
#[test]
fn over_ssh_the_servers_config_applies_and_never_picks_the_database() {
    let (tmp, db) = company();
    let home = tmp.path();
    let out = run(&mut binary::command(
        home,
        &db,
        &["--as", "admin", "keys", "add", "jdoe", ED25519.trim()],
    ));
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Another company, which the config file names.
    let elsewhere = home.join("elsewhere.db");
    let out = run(&mut binary::command(
        home,
        &elsewhere,
        &[
            "init",
            "--admin",
            "zed",
            "--name",
            "Zed Zee",
            "--email",
            "z@z.example",
        ],
    ));
    assert!(out.status.success(), "{}", text(&out.stderr));
    write(
        &home.join(".config/offboard/config.toml"),
        &format!(
            "database = {:?}\nbase_url = \"https://server.example\"\n",
            elsewhere.to_str().unwrap()
        ),
    );
    let session = |command: &str| {
        run(
            binary::command(home, &db, &["ssh", "session", "--key", "1"])
                .env("SSH_ORIGINAL_COMMAND", command),
        )
    };
    let out = session("show jdoe --json");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"login\": \"jdoe\""));
    let out = session("webhook create --title Mine --scopes user");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("https://server.example/rest/"));
    let evil = home.join("evil.toml");
    write(
        &evil,
        &format!("database = {:?}\n", elsewhere.to_str().unwrap()),
    );
    for refused in [
        format!("--config {} list", evil.display()),
        format!("list --config {}", evil.display()),
        "config show".to_string(),
    ] {
        let out = session(&refused);
        assert_eq!(out.status.code(), Some(2), "{refused}");
        assert!(out.stdout.is_empty(), "{refused}: {}", text(&out.stdout));
    }
    // sshd's key look-up answers for the key while the file is sound, and for nobody
    // while it has a mistake.
    let words: Vec<&str> = ED25519.split_whitespace().collect();
    let lookup = || {
        run(&mut binary::command(
            home,
            &db,
            &["ssh", "authorized-keys", words[0], words[1]],
        ))
    };
    let out = lookup();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ssh session --key 1"));
    write(
        &home.join(".config/offboard/config.toml"),
        "[keys.global]\nquit = \"Hyper-q\"\n",
    );
    let out = lookup();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

/// README's example config file is one that offboard takes, and does what it says.
#[test]
fn the_readme_example_is_a_valid_config() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("\n## Configuration\n")
        .nth(1)
        .expect("a Configuration section");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a toml example");
    let config = Config::parse(example, "README.md").expect("README's example parses");
    let tables = config.keymap.tables();
    let keys_of = |table: &str, action: &str| -> Vec<String> {
        let (_, rows) = tables.iter().find(|(t, _)| *t == table).expect("table");
        let (_, keys) = rows.iter().find(|(n, _)| n == action).expect("action");
        keys.iter().map(|k| k.name()).collect()
    };
    assert_eq!(keys_of("global", "quit"), ["Q"]);
    assert_eq!(keys_of("employees", "row_menu"), ["m", "Enter"]);
    assert_eq!(keys_of("dismiss", "dismiss_employee"), ["Y"]);
    assert!(!config.tui.mouse);
    assert_eq!(
        config.base_url.as_deref(),
        Some("https://offboard.corvane.example:8443")
    );
}
