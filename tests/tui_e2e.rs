//! End to end: the real `offboard` binary in a real terminal (tmux), with its own tmux
//! server and its own demo database per test. The tests wait for text on the screen
//! instead of sleeping for fixed times.

mod binary;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use binary::BIN;
use tempfile::TempDir;

const WAIT: Duration = Duration::from_secs(10);
const SESSION: &str = "e2e";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own, killed when the test ends, passed or failed.
struct Tmux {
    socket: String,
    home: PathBuf,
    /// Where the server's socket file is, to remove it after the server is gone.
    socket_path: Option<PathBuf>,
}

impl Tmux {
    /// Start a detached 100×30 session running a plain shell, its output logged raw to
    /// `log` so the test can see every escape sequence the program wrote.
    fn start(home: &Path, log: &Path) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => panic!(
                "tmux -V failed ({}): the end-to-end tests need a working tmux (.ci/run installs it)",
                o.status
            ),
            Err(e) => panic!(
                "tmux is not installed ({e}): the end-to-end tests need it; install tmux (.ci/run does)"
            ),
        }
        let socket = format!(
            "offboard-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let mut t = Tmux {
            socket,
            home: home.to_path_buf(),
            socket_path: None,
        };
        t.run(&[
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            "100",
            "-y",
            "30",
            "sh",
        ]);
        t.socket_path = Some(PathBuf::from(t.format("#{socket_path}")));
        // Whatever the server's defaults, the window is 100×30.
        t.run(&["resize-window", "-t", SESSION, "-x", "100", "-y", "30"]);
        let pipe = format!("cat >> '{}'", log.display());
        t.run(&["pipe-pane", "-o", "-t", SESSION, &pipe]);
        t
    }

    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"])
            .env_remove("TMUX")
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", binary::data_dir(&self.home))
            .env("PS1", "$ ")
            .env_remove("NO_COLOR")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("OFFBOARD_DB")
            .env_remove("OFFBOARD_USER")
            .env_remove("OFFBOARD_NO_MOUSE");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self
            .command()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"));
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Keys by tmux name ("Enter", "Escape") or single characters.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Text typed literally.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", SESSION, "-l", text]);
    }

    fn capture(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", SESSION]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn format(&self, f: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", SESSION, f]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Wait until the screen satisfies `ok`, polling; panic with the screen after `limit`.
    #[track_caller]
    fn wait_until(&self, what: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > limit {
                panic!("waited {:?} for {what}; the screen shows:\n{screen}", limit);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[track_caller]
    fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), WAIT, |s| s.contains(needle))
    }

    /// Wait until every needle is on one captured screen. A capture can fall in the
    /// middle of a redraw (half the new frame over the old one), so a test that needs
    /// several things from one frame waits for all of them rather than waiting for one
    /// and asserting the rest.
    #[track_caller]
    fn wait_for_all(&self, needles: &[&str]) -> String {
        self.wait_until(&format!("all of {needles:?}"), WAIT, |s| {
            needles.iter().all(|n| s.contains(n))
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").output();
        if let Some(p) = &self.socket_path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// A temporary folder with a demo database made by the binary itself.
struct Setup {
    tmp: TempDir,
    db: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().expect("tempdir");
        let db = tmp.path().join("company.db");
        let s = Setup { tmp, db };
        std::fs::create_dir_all(s.home()).expect("home");
        let out = s.offboard(&["demo"]);
        assert!(
            out.status.success(),
            "offboard demo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        s
    }

    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    fn log(&self) -> PathBuf {
        self.tmp.path().join("pane.log")
    }

    /// Run the binary outside the terminal (another process) on the same database.
    fn offboard(&self, args: &[&str]) -> Output {
        binary::command(&self.home(), &self.db, args)
            .output()
            .expect("run offboard")
    }

    /// The command line that runs the TUI as `login` in the pane and then prints its
    /// exit status.
    fn tui_line(&self, login: &str) -> String {
        self.tui_line_with(login, "", "")
    }

    /// The same, with `env` before the program (`NAME=value `) and `args` after it.
    fn tui_line_with(&self, login: &str, env: &str, args: &str) -> String {
        format!(
            "{env}'{}' --db '{}' --as {login}{args}; echo EXIT=$?",
            BIN,
            self.db.display()
        )
    }

    fn start_tui(&self, login: &str) -> Tmux {
        let t = self.start_shell();
        t.type_text(&self.tui_line(login));
        t.keys(&["Enter"]);
        t
    }

    /// A shell in tmux, ready for a command line.
    fn start_shell(&self) -> Tmux {
        let t = Tmux::start(&self.home(), &self.log());
        // The shell is ready when it runs a command (whatever its prompt looks like).
        t.type_text("echo SHELL''READY");
        t.keys(&["Enter"]);
        // The echo's output, not the typed command (which has the quotes): keys typed
        // before the shell's first prompt make the output follow that prompt.
        t.wait_until("the shell", WAIT, |s| {
            s.lines().any(|l| {
                let l = l.trim();
                l.ends_with("SHELLREADY") && !l.contains('\'')
            })
        });
        t
    }

    fn raw_output(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(self.log()).unwrap_or_default()).into_owned()
    }

    fn status_of(&self, login: &str) -> String {
        let out = self.offboard(&["--as", "admin", "show", login, "--json"]);
        assert!(
            out.status.success(),
            "show {login}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("show --json");
        v["status"].as_str().expect("a status").to_string()
    }
}

/// The alternate screen: what a full-screen program switches to.
const ALT_SCREEN_ON: &str = "\u{1b}[?1049h";

#[test]
fn search_open_dismiss_with_keep_and_quit() {
    let setup = Setup::new();
    let t = setup.start_tui("hr");
    t.wait_for_all(&["Employees (40)", "Laura Jensen (hr)"]);
    assert_eq!(t.format("#{alternate_on}"), "1", "the TUI is full screen");

    t.keys(&["/"]);
    t.type_text("tlang");
    t.wait_until("the search to filter", WAIT, |s| {
        s.contains("Search: tlang") && s.contains("Employees (1)") && s.contains("Tobias Lang")
    });
    t.keys(&["Enter"]);
    t.wait_for("Enter open profile");
    t.keys(&["Enter"]);
    t.wait_for_all(&["Profile: Tobias Lang", "Tobias Lang (tlang)"]);
    t.keys(&["Escape"]);
    t.wait_until("the list again", WAIT, |s| {
        s.contains("Employees (1)") && !s.contains("Profile: Tobias Lang")
    });

    t.keys(&["m"]);
    t.wait_for("View profile");
    t.keys(&["d"]);
    t.wait_for_all(&[
        "Dismiss Tobias Lang (tlang)?",
        "Jira task sync",
        "Keep integrations and dismiss (k)",
    ]);
    t.keys(&["k"]);
    t.wait_for("Dismissed Tobias Lang (tlang); 2 integrations moved to a system user");

    t.keys(&["q"]);
    let screen = t.wait_for("EXIT=0");
    assert_eq!(
        t.format("#{alternate_on}"),
        "0",
        "the terminal is given back"
    );
    assert!(
        !screen.contains("┌"),
        "the TUI's frame is gone after quitting:\n{screen}"
    );
    assert!(
        setup.raw_output().contains(ALT_SCREEN_ON),
        "the log sees the TUI take the screen (so the check in the refusal test can fail)"
    );

    assert_eq!(setup.status_of("tlang"), "dismissed");
    let out = setup.offboard(&["--as", "admin", "integrations", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let owners: Vec<String> = list
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| {
            i["title"] == "Jira task sync" || i["title"] == "Carrier tracking events → tasks"
        })
        .map(|i| i.to_string())
        .collect();
    assert_eq!(owners.len(), 2, "{list}");
    for o in owners {
        assert!(
            o.contains("system.tlang"),
            "kept under the system user: {o}"
        );
    }
}

#[test]
fn a_dismissed_employee_is_refused_before_the_screen_is_taken() {
    let setup = Setup::new();
    let t = setup.start_tui("lbrandt");
    let screen = t.wait_for("EXIT=3");
    assert!(
        screen.contains("access revoked"),
        "says access was revoked:\n{screen}"
    );
    assert!(
        screen.contains("access revoked: lbrandt"),
        "names the login:\n{screen}"
    );
    assert!(!screen.contains("┌"), "no TUI was drawn:\n{screen}");
    let raw = setup.raw_output();
    assert!(
        !raw.contains(ALT_SCREEN_ON),
        "the terminal was taken over (alternate screen) before refusing:\n{raw:?}"
    );
    assert!(
        raw.contains("access revoked: lbrandt"),
        "the message went to the terminal as plain text: {raw:?}"
    );
    assert_eq!(setup.status_of("lbrandt"), "dismissed");
}

/// The config file at its default place (`~/.config/offboard/config.toml`) gives the
/// real program its keys and colours; a broken one stops it before the screen is taken.
#[test]
fn the_config_files_keys_and_colours_are_the_programs() {
    let setup = Setup::new();
    let file = setup.home().join(".config/offboard/config.toml");
    std::fs::create_dir_all(file.parent().unwrap()).expect("mkdir");
    std::fs::write(
        &file,
        "[keys.global]\nquit = \"Q\"\nhelp = \"F1\"\n\n[theme]\nselected = { bg = \"#112233\" }\n",
    )
    .expect("config");
    let t = setup.start_tui("admin");
    t.wait_for_all(&["Employees (40)", "F1 help", "Q quit"]);
    // q is no longer quit: the program is still there to open help with F1.
    t.keys(&["q", "F1"]);
    t.wait_for("close help");
    t.keys(&["Escape"]);
    t.wait_for("F1 help");
    t.keys(&["Q"]);
    t.wait_for("EXIT=0");
    assert!(
        setup.raw_output().contains("48;2;17;34;51"),
        "the selected row is drawn on #112233"
    );

    drop(t);

    // A mistake in it: one line naming it and exit 2, before the screen is taken.
    std::fs::write(&file, "[keys.global]\nquit = \"Hyper-q\"\n").expect("config");
    let t = setup.start_tui("admin");
    let screen = t.wait_for("EXIT=2");
    assert!(screen.contains("line 2: unknown key name"), "{screen}");
    assert!(!screen.contains("┌"), "no TUI was drawn:\n{screen}");
}

#[test]
fn a_running_session_ends_within_five_seconds_when_its_user_is_dismissed() {
    let setup = Setup::new();
    let t = setup.start_tui("hr");
    t.wait_for("Employees (40)");

    let out = setup.offboard(&["--as", "admin", "dismiss", "hr"]);
    assert!(
        out.status.success(),
        "dismiss hr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let screen = t.wait_until(
        "\"access revoked\" within 5 s",
        Duration::from_secs(5),
        |s| s.contains("access revoked"),
    );
    assert!(screen.contains("hr"), "{screen}");
    t.wait_for("EXIT=3");
    assert_eq!(
        t.format("#{alternate_on}"),
        "0",
        "the terminal is given back"
    );
}

#[test]
fn another_process_change_shows_up_without_a_key_press() {
    let setup = Setup::new();
    let t = setup.start_tui("hr");
    t.wait_for_all(&["Employees (40)", "Nadia Haddad"]);

    let out = setup.offboard(&[
        "--as",
        "admin",
        "dismiss",
        "nhaddad",
        "--integrations",
        "keep",
    ]);
    assert!(
        out.status.success(),
        "dismiss nhaddad: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.wait_until(
        "the list to drop Nadia within 5 s",
        Duration::from_secs(5),
        |s| s.contains("Employees (39)") && !s.contains("Nadia Haddad"),
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

/// The process id of the TUI started by `setup`, found by its command line (the
/// database path is unique to the test).
fn tui_pid(setup: &Setup) -> u32 {
    let db = setup.db.display().to_string();
    let deadline = Instant::now() + WAIT;
    loop {
        let found = std::fs::read_dir("/proc")
            .expect("/proc")
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .find(|pid| {
                let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                let args: Vec<&[u8]> = cmd.split(|b| *b == 0).collect();
                args.first().is_some_and(|a| a.ends_with(b"offboard"))
                    && args.contains(&db.as_bytes())
                    && args.contains(&b"--as".as_slice())
            });
        if let Some(pid) = found {
            return pid;
        }
        assert!(Instant::now() < deadline, "no offboard process for {db}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `kill` from another shell (SIGTERM) or a dropped SSH connection (SIGHUP) ends the
/// TUI with the terminal given back: the normal screen, line editing and echo on, and
/// the shell told which signal it was.
#[test]
fn a_stop_signal_gives_the_terminal_back() {
    for (signal, number) in [("TERM", 15), ("HUP", 1)] {
        let setup = Setup::new();
        let t = setup.start_tui("hr");
        t.wait_for("Employees (40)");
        // Half-way through a dialog: nothing in it is written.
        t.keys(&["m"]);
        t.wait_for("View profile");
        assert_eq!(
            t.format("#{mouse_standard_flag}"),
            "1",
            "the pane reports clicks"
        );
        let pid = tui_pid(&setup);
        // The shell's own `kill`: a separate kill binary is not on every machine.
        let status = Command::new("sh")
            .args(["-c", &format!("kill -{signal} {pid}")])
            .status()
            .expect("sh -c kill");
        assert!(status.success(), "kill -{signal} {pid}");

        let exit = format!("EXIT={}", 128 + number);
        let screen = t.wait_for(&exit);
        assert_eq!(
            t.format("#{alternate_on}"),
            "0",
            "SIG{signal} gives the normal screen back"
        );
        assert!(!screen.contains("┌"), "the TUI's frame is gone:\n{screen}");
        assert_eq!(
            (
                t.format("#{mouse_standard_flag}"),
                t.format("#{mouse_sgr_flag}")
            ),
            ("0".into(), "0".into()),
            "SIG{signal}: the pane no longer reports clicks"
        );
        // In raw mode Enter would not even run this line (no CR → NL), and icanon
        // would be off.
        t.type_text(
            "case \"$(stty -a)\" in *-icanon*) echo TTY''=RAW;; *icanon*) echo TTY''=COOKED;; esac",
        );
        t.keys(&["Enter"]);
        t.wait_until("the shell to report the terminal mode", WAIT, |s| {
            s.lines().any(|l| l.trim() == "TTY=COOKED")
        });
        assert_eq!(setup.status_of("hr"), "active", "after SIG{signal}");
    }
}

/// Whether process `pid` has ended (gone, or a zombie waiting for its parent).
fn has_ended(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // "pid (comm) S …": the state follows the last ')'.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
    }
}

/// A dropped SSH connection, here a tmux pane that is killed: the terminal is gone,
/// reading it gives end-of-file forever, and the TUI must still end (it used to spin
/// on the dead terminal at full CPU, deaf even to SIGTERM).
#[test]
fn closing_the_terminal_under_the_tui_ends_it() {
    let setup = Setup::new();
    let t = setup.start_tui("hr");
    t.wait_for("Employees (40)");
    let pid = tui_pid(&setup);
    t.run(&["kill-session", "-t", SESSION]);
    let deadline = Instant::now() + WAIT;
    while !has_ended(pid) {
        if Instant::now() > deadline {
            // Do not leave it spinning on the machine.
            let _ = Command::new("sh")
                .args(["-c", &format!("kill -9 {pid}")])
                .status();
            panic!("the TUI (pid {pid}) still ran {WAIT:?} after its terminal went away");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(setup.status_of("hr"), "active", "nothing was changed");
}

#[test]
fn the_offboarding_pane_ticks_a_step_and_follows_another_process() {
    let setup = Setup::new();
    let t = setup.start_tui("hr");
    t.wait_for("Employees (40)");
    t.keys(&["5"]);
    // The demo's leavers have twelve open steps; ydemir's, due first, lead.
    t.wait_for_all(&["Offboarding · open steps (12)", "Yusuf Demir (ydemir)"]);
    t.keys(&["Space"]);
    t.wait_for_all(&["Done: step 1", "Offboarding · open steps (11)"]);
    let out = setup.offboard(&["--as", "admin", "checklist", "show", "ydemir", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list["steps"][0]["state"], "done", "{list}");
    assert_eq!(list["steps"][0]["done_by"], "hr", "{list}");
    // Another process ticks one: the pane follows without a key press.
    let out = setup.offboard(&["--as", "admin", "checklist", "done", "lbrandt", "2"]);
    assert!(
        out.status.success(),
        "checklist done: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.wait_until(
        "the pane to drop the step within 5 s",
        Duration::from_secs(5),
        |s| s.contains("Offboarding · open steps (10)"),
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

/// What a terminal is sent to report clicks and the wheel, in SGR form, and to stop;
/// and to report every movement of the pointer, which the TUI does not ask for.
const MOUSE_CLICKS_ON: &str = "\u{1b}[?1000h";
const MOUSE_SGR_ON: &str = "\u{1b}[?1006h";
const MOUSE_CLICKS_OFF: &str = "\u{1b}[?1000l";
const MOUSE_MOTION_ON: &str = "\u{1b}[?1003h";

/// Where `needle` is on the screen, as a terminal numbers it (column, row from 1).
#[track_caller]
fn cell_of(screen: &str, needle: &str) -> (usize, usize) {
    screen
        .lines()
        .enumerate()
        .find_map(|(y, l)| l.find(needle).map(|i| (l[..i].chars().count() + 1, y + 1)))
        .unwrap_or_else(|| panic!("{needle:?} is not on the screen:\n{screen}"))
}

/// A press and release of the left button at (column, row), as a terminal in SGR mouse
/// mode (1006) reports them.
fn sgr_click(t: &Tmux, (x, y): (usize, usize)) {
    t.type_text(&format!("\u{1b}[<0;{x};{y}M\u{1b}[<0;{x};{y}m"));
}

#[test]
fn a_click_selects_the_row_the_wheel_moves_a_second_click_opens_and_capture_is_given_back() {
    let setup = Setup::new();
    let t = setup.start_shell();
    // 0 (like no, false, off or nothing) leaves the mouse on.
    t.type_text(&setup.tui_line_with("hr", "OFFBOARD_NO_MOUSE=0 ", ""));
    t.keys(&["Enter"]);
    let screen = t.wait_for_all(&["Employees (40)", "Jane Doe", " 1/40 "]);
    let raw = setup.raw_output();
    assert!(
        raw.contains(MOUSE_CLICKS_ON) && raw.contains(MOUSE_SGR_ON),
        "the TUI asks the terminal for clicks in SGR form"
    );
    assert!(
        !raw.contains(MOUSE_MOTION_ON),
        "nor for every move of the pointer"
    );
    assert_eq!(
        (
            t.format("#{mouse_standard_flag}"),
            t.format("#{mouse_sgr_flag}")
        ),
        ("1".into(), "1".into()),
        "the pane reports clicks in SGR form"
    );
    let jane = cell_of(&screen, "Jane Doe");
    sgr_click(&t, jane);
    t.wait_for(" 10/40 ");
    // The wheel (buttons 64 and 65 in SGR form) moves the selection by three rows.
    let (x, y) = jane;
    t.type_text(&format!("\u{1b}[<65;{x};{y}M"));
    t.wait_for(" 13/40 ");
    t.type_text(&format!("\u{1b}[<64;{x};{y}M"));
    t.wait_for(" 10/40 ");
    sgr_click(&t, jane);
    t.wait_for("Profile: Jane Doe");
    let screen = t.wait_for("2 Integrations");
    sgr_click(&t, cell_of(&screen, "2 Integrations"));
    t.wait_for("Integrations (");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert!(
        setup.raw_output().contains(MOUSE_CLICKS_OFF),
        "the terminal is told to stop reporting clicks on the way out"
    );
    assert_eq!(
        t.format("#{mouse_standard_flag}"),
        "0",
        "the pane no longer reports clicks"
    );
}

#[test]
fn with_no_mouse_the_terminal_is_not_asked_for_clicks() {
    let setup = Setup::new();
    let t = setup.start_shell();
    for (env, args) in [("", " --no-mouse"), ("OFFBOARD_NO_MOUSE=1 ", "")] {
        std::fs::write(setup.log(), b"").expect("empty the log");
        t.type_text(&setup.tui_line_with("hr", env, args));
        t.keys(&["Enter"]);
        let screen = t.wait_for_all(&["Employees (40)", "Jane Doe", " 1/40 "]);
        // A click sent anyway (as a terminal would not), then a key: the key is seen
        // after the click was read, and the click changed nothing.
        sgr_click(&t, cell_of(&screen, "Jane Doe"));
        t.keys(&["j"]);
        let screen = t.wait_for(" 2/40 ");
        assert!(!screen.contains(" 10/40 "), "{screen}");
        assert_eq!(
            t.format("#{mouse_standard_flag}"),
            "0",
            "{env}{args}: the pane does not report clicks while the TUI runs"
        );
        t.keys(&["q"]);
        t.wait_for("EXIT=0");
        let raw = setup.raw_output();
        assert!(
            raw.contains(ALT_SCREEN_ON),
            "the log saw the TUI ({env}{args})"
        );
        assert!(
            !raw.contains(MOUSE_CLICKS_ON) && !raw.contains(MOUSE_SGR_ON),
            "{env}{args}: mouse capture is never enabled"
        );
        t.keys(&["clear", "Enter"]);
        t.wait_until("the screen cleared", WAIT, |s| !s.contains("EXIT=0"));
    }
}
