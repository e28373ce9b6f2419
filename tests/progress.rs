//! Progress on long work (issue 14, item 21): `demo --size large`, a large CSV import and
//! `export` to a file draw a bar on stderr when it is a terminal (a real one: tmux), and
//! nothing at all when it is not.

mod binary;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The large company divided by this: 500 employees, 10,000 tasks; a second or two.
const SCALE: &str = "200";

/// A folder with the large demo company (built without a terminal) and a CSV of 5,000
/// employees (about 500 KiB, over the size that shows a bar).
struct Setup {
    tmp: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().expect("tempdir");
        let s = Setup { tmp };
        let o = s.offboard(&["demo", "--size", "large", "--scale", SCALE]);
        assert!(
            o.status.success(),
            "demo: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut csv =
            String::from("login,first_name,last_name,email,position,department,hired_on\n");
        for i in 0..5_000 {
            csv.push_str(&format!(
                "imp{i},Imogen,Porter{i},imp{i}@import.example,Analyst of imported things,Imported Department,2024-05-01\n"
            ));
        }
        std::fs::write(s.csv(), csv).expect("write csv");
        s
    }

    fn home(&self) -> &Path {
        self.tmp.path()
    }

    fn db(&self) -> PathBuf {
        self.home().join("large.db")
    }

    fn csv(&self) -> PathBuf {
        self.home().join("people.csv")
    }

    /// The binary on this company, stdout and stderr piped (not a terminal).
    fn offboard(&self, args: &[&str]) -> Output {
        binary::command(self.home(), &self.db(), args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("run offboard")
    }

    /// A shell line that runs the binary on this company in tmux.
    fn line(&self, args: &str) -> String {
        format!("'{}' --db '{}' {args}", binary::BIN, self.db().display())
    }
}

#[test]
fn nothing_is_drawn_when_stderr_is_not_a_terminal() {
    let s = Setup::new();
    let other = s.home().join("other.db");
    let o = binary::command(
        s.home(),
        &other,
        &["demo", "--size", "large", "--scale", SCALE],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .output()
    .expect("demo");
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stderr), "", "demo: stderr");
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("Created the demo company"));
    let o = s.offboard(&["--as", "hr", "import", s.csv().to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stderr), "", "import: stderr");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "Imported 5000 employees.\n"
    );
    for format in ["csv", "json"] {
        let o = s.offboard(&[
            "--as", "hr", "export", "--status", "all", "--format", format,
        ]);
        assert!(o.status.success());
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            "",
            "export {format}: stderr"
        );
        assert!(
            !o.stdout.contains(&0x1b),
            "export {format}: no escape in the data"
        );
    }
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own with one 150×40 shell, killed when dropped.
struct Tmux {
    socket: String,
    home: PathBuf,
}

impl Tmux {
    fn start(home: &Path) -> Tmux {
        let t = Tmux {
            socket: format!(
                "offboard-progress-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            ),
            home: home.to_path_buf(),
        };
        t.run(&[
            "new-session",
            "-d",
            "-s",
            "p",
            "-x",
            "150",
            "-y",
            "40",
            "sh",
        ]);
        t.run(&["resize-window", "-t", "p", "-x", "150", "-y", "40"]);
        t
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", binary::data_dir(&self.home))
            .env("PS1", "$ ");
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("OFFBOARD_") {
                c.env_remove(&k);
            }
        }
        let out = c
            .output()
            .unwrap_or_else(|e| panic!("tmux is needed (.ci/run installs it): {e}"));
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Clear the pane, run `line` in its shell, and wait until it has ended; the screen.
    fn run_line(&self, line: &str) -> String {
        self.run(&["send-keys", "-t", "p", "clear", "Enter"]);
        self.wait_until("a clear screen", |s| matches!(s.trim(), "" | "$" | "#"));
        let marked = format!("{line}; echo \"END=$?\"");
        self.run(&["send-keys", "-t", "p", "-l", &marked]);
        self.run(&["send-keys", "-t", "p", "Enter"]);
        self.wait_until("the command to end", |s| {
            s.lines().any(|l| l.starts_with("END=") && l.len() > 4)
        })
    }

    #[track_caller]
    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let out = self.run(&["capture-pane", "-p", "-t", "p"]);
            let screen = String::from_utf8_lossy(&out.stdout).into_owned();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(120) {
                panic!("waited for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
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

/// The line of the screen that starts with `what`, a finished bar.
#[track_caller]
fn bar_line<'a>(screen: &'a str, what: &str) -> &'a str {
    let line = screen
        .lines()
        .find(|l| l.starts_with(what))
        .unwrap_or_else(|| panic!("a {what} bar on the screen:\n{screen}"));
    assert!(
        line.contains("[========================================]") && line.contains("100%"),
        "a full bar: {line:?}"
    );
    line
}

#[test]
fn a_bar_is_drawn_on_a_terminal_for_a_large_build_import_and_export() {
    let s = Setup::new();
    let tmux = Tmux::start(s.home());
    let other = s.home().join("built-in-tmux.db");
    let screen = tmux.run_line(&format!(
        "'{}' --db '{}' demo --size large --scale {SCALE} > '{}'",
        binary::BIN,
        other.display(),
        s.home().join("demo.out").display()
    ));
    assert!(screen.contains("END=0"), "{screen}");
    let line = bar_line(&screen, "Building");
    assert!(line.contains("built"), "{line:?}");
    let out = std::fs::read_to_string(s.home().join("demo.out")).expect("demo.out");
    assert!(
        out.starts_with("Created the demo company"),
        "stdout has no bar: {out:?}"
    );

    let screen = tmux.run_line(&s.line(&format!("--as hr import '{}'", s.csv().display())));
    assert!(screen.contains("END=0"), "{screen}");
    assert!(screen.contains("Imported 5000 employees."), "{screen}");
    bar_line(&screen, "Importing");

    let file = s.home().join("export.csv");
    let screen = tmux.run_line(&s.line(&format!(
        "--as hr export --status all > '{}'",
        file.display()
    )));
    assert!(screen.contains("END=0"), "{screen}");
    let line = bar_line(&screen, "Exporting");
    assert!(line.contains("5,500/5,500"), "{line:?}");
    let csv = std::fs::read_to_string(&file).expect("export.csv");
    assert!(csv.starts_with("login,"), "the file holds the rows only");
    assert_eq!(csv.lines().count(), 5_501, "a header and 5,500 rows");

    // An export to the terminal itself draws no bar over its rows, and a small import
    // draws none either.
    let screen = tmux.run_line(&s.line("--as hr export --status all"));
    assert!(screen.contains("END=0"), "{screen}");
    assert!(
        !screen.lines().any(|l| l.starts_with("Exporting")),
        "{screen}"
    );
    let small = s.home().join("small.csv");
    std::fs::write(
        &small,
        "login,first_name,last_name,email,position,department,hired_on\nkfox,Kim,Fox,kim.fox@x.example,,,\n",
    )
    .expect("write");
    let screen = tmux.run_line(&s.line(&format!("--as hr import '{}'", small.display())));
    assert!(screen.contains("Imported 1 employee."), "{screen}");
    assert!(!screen.contains("Importing"), "{screen}");
}
