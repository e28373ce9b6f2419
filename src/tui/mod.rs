//! The terminal UI: input → Action → update → Effect → directory → result Action → render.

pub mod action;
pub mod app;
pub mod dialogs;
pub mod effect;
pub mod keymap;
pub mod mouse;
pub mod outcome;
pub mod ui;
pub mod views;
pub mod wording;

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{
    self, Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::Directory;
use crate::domain::{Actor, Employee, Result};
use crate::stop::Stop;

pub use action::Action;
pub use app::{App, Pane};
pub use effect::{Effect, Executor};

/// How often a running session checks that its user is still allowed in and whether
/// another process changed the data.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// One signed-in session: the state and the executor that runs its effects.
pub struct Session {
    pub app: App,
    pub exec: Executor,
}

impl Session {
    pub fn new(dir: Directory, me: Employee, width: u16, height: u16) -> Result<Self> {
        let company = dir.company_name()?;
        let show = dir.show_dismissed()?;
        let app = App::new(me.clone(), company, show, width, height);
        let mut s = Session {
            app,
            exec: Executor::new(dir, Actor::user(me.id)),
        };
        let first = s.app.initial_effect();
        s.run_effect(first);
        Ok(s)
    }

    fn run_effect(&mut self, effect: Effect) {
        let mut queue: std::collections::VecDeque<Action> = self.exec.run(effect).into();
        while let Some(a) = queue.pop_front() {
            if let Some(next) = app::update(&mut self.app, a) {
                queue.extend(self.exec.run(next));
            }
        }
    }

    /// Apply an action and everything it leads to.
    pub fn dispatch(&mut self, action: Action) {
        tracing::debug!(?action, "action");
        if let Some(effect) = app::update(&mut self.app, action) {
            self.run_effect(effect);
        }
    }

    /// The same path a terminal event takes: a key through the keymap, a click or the
    /// wheel through what the last frame drew (`mouse.rs`), to the same actions.
    pub fn handle_event(&mut self, ev: &Event) {
        match ev {
            Event::Key(key) => {
                if let Some(a) = keymap::lookup(self.app.mode(), key) {
                    // A message lasts until the next key that does something, so the
                    // status bar goes back to the keys (quitting leaves it on the last
                    // frame).
                    if a != Action::Quit {
                        self.app.status = None;
                    }
                    self.dispatch(a);
                }
            }
            Event::Mouse(m) if self.app.mouse => {
                let actions = mouse::actions(&self.app.hits.borrow(), self.app.mode(), m);
                if !actions.is_empty() {
                    self.app.status = None;
                }
                for a in actions {
                    self.dispatch(a);
                }
            }
            Event::Resize(w, h) => self.dispatch(Action::Resize(*w, *h)),
            _ => {}
        }
    }

    /// Press one key (tests and scripted demos).
    pub fn press(&mut self, code: KeyCode) {
        self.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// Press the left mouse button at column `x`, row `y` (tests).
    pub fn click(&mut self, x: u16, y: u16) {
        self.mouse_event(MouseEventKind::Down(MouseButton::Left), x, y);
    }

    /// Turn the wheel one step at column `x`, row `y`, down (towards the end) or up.
    pub fn wheel(&mut self, x: u16, y: u16, down: bool) {
        let kind = if down {
            MouseEventKind::ScrollDown
        } else {
            MouseEventKind::ScrollUp
        };
        self.mouse_event(kind, x, y);
    }

    fn mouse_event(&mut self, kind: MouseEventKind, column: u16, row: u16) {
        self.handle_event(&Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
    }

    /// Type text, one key press per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Check for revocation and for changes made by other processes.
    pub fn poll(&mut self) {
        self.run_effect(Effect::Poll);
    }

    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> io::Result<()> {
        terminal
            .draw(|f| ui::render(f, &self.app))
            .map(|_| ())
            .map_err(|e| io::Error::other(e.to_string()))
    }
}

/// Where events come from: the terminal, or a script in tests.
pub trait EventSource {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>>;

    /// A signal asking the program to stop (SIGTERM, SIGHUP, SIGINT), by number, once
    /// one has arrived.
    fn stop_signal(&self) -> Option<i32> {
        None
    }
}

/// Keys and resizes from the terminal, and the stop signals (`crate::stop`), which only
/// set a flag: the main loop sees it within one wait and leaves through the same door
/// as `q`, so the terminal is given back.
pub struct TerminalEvents {
    stop: Stop,
}

impl TerminalEvents {
    pub fn new() -> io::Result<Self> {
        Ok(TerminalEvents {
            stop: Stop::listen()?,
        })
    }

    /// Make sure a stop signal ends the process even when the main loop cannot see it.
    /// When the terminal goes away (a closed SSH connection, a killed tmux pane) the
    /// terminal library's read loop spins on end-of-file and never returns, so the
    /// loop never looks at the flag. A watcher thread gives the main loop `grace` to
    /// leave by itself, then gives the terminal back as well as it can and ends the
    /// process by the signal. Dropping the returned guard (the loop has ended) stops
    /// the watcher.
    pub fn watch(&self, grace: Duration, mouse: bool) -> Watcher {
        let done = Arc::new(AtomicBool::new(false));
        let (stop, seen_done) = (self.stop.clone(), Arc::clone(&done));
        let thread = std::thread::spawn(move || {
            let tick = Duration::from_millis(50);
            let mut since: Option<Instant> = None;
            while !seen_done.load(Ordering::SeqCst) {
                if let Some(sig) = stop.signal() {
                    let first = *since.get_or_insert_with(Instant::now);
                    if first.elapsed() >= grace {
                        give_terminal_back_from_aside(mouse);
                        crate::stop::end_by(sig);
                    }
                }
                std::thread::sleep(tick);
            }
        });
        Watcher {
            done,
            thread: Some(thread),
        }
    }
}

/// What `ratatui::restore` does, from a thread other than the main one: the main
/// thread holds the locks on stdout and stderr for the whole run, so this writes to the
/// terminal device itself and says nothing when it fails (the terminal may be gone).
fn give_terminal_back_from_aside(mouse: bool) {
    use ratatui::crossterm::{cursor, execute, terminal};
    let _ = terminal::disable_raw_mode();
    if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        if mouse {
            let _ = execute!(tty, Clicks(false));
        }
        let _ = execute!(tty, terminal::LeaveAlternateScreen, cursor::Show);
    }
}

/// Stops the watcher thread of `TerminalEvents::watch` when dropped.
pub struct Watcher {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// How long the main loop has to leave by itself after a stop signal before the
/// watcher ends the process: the loop looks every 250 ms, and a change being written
/// when the signal came is given time to commit.
const STOP_GRACE: Duration = Duration::from_secs(2);

impl EventSource for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if event::poll(timeout)? {
            Ok(Some(event::read()?))
        } else {
            Ok(None)
        }
    }

    fn stop_signal(&self) -> Option<i32> {
        self.stop.signal()
    }
}

/// The wait between looks at the stop flag and the clock when no key comes.
const LONGEST_WAIT: Duration = Duration::from_millis(250);

/// The main loop, generic over the backend so tests drive it with `TestBackend`.
/// Returns the exit status: the app's own, or 128 + the signal's number when a stop
/// signal ended it (what a shell reports for a process a signal ended).
pub fn main_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &mut Session,
    events: &mut dyn EventSource,
    poll_every: Duration,
) -> io::Result<i32> {
    session.draw(terminal)?;
    let mut last_poll = Instant::now();
    loop {
        if let Some(sig) = events.stop_signal() {
            return Ok(128 + sig);
        }
        if let Some(code) = session.app.exit {
            session.draw(terminal)?;
            return Ok(code);
        }
        let wait = poll_every
            .saturating_sub(last_poll.elapsed())
            .min(LONGEST_WAIT);
        match events.next(wait)? {
            Some(ev) => session.handle_event(&ev),
            None if last_poll.elapsed() < poll_every => continue,
            None => {}
        }
        if last_poll.elapsed() >= poll_every {
            session.poll();
            last_poll = Instant::now();
        }
        session.draw(terminal)?;
    }
}

/// How the terminal UI starts: what the command line, the environment (and a
/// configuration file) chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Clicks and the wheel (`mouse.rs`). Off, the terminal is not asked for mouse
    /// events at all, so selecting text works as in any program.
    pub mouse: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { mouse: true }
    }
}

/// Asks the terminal to report clicks and the wheel (`Clicks(true)`), or to stop.
/// crossterm's `EnableMouseCapture` also asks for every movement of the pointer (modes
/// 1002 and 1003), which the UI has no use for: each would cross an SSH connection and
/// cost a redraw. Normal tracking (1000) reports presses, releases and the wheel, and
/// SGR (1006) writes them without the old form's limit of 223 columns. On Windows,
/// where the console is asked by a call rather than a sequence, crossterm's own.
pub struct Clicks(pub bool);

/// What `Clicks` writes to a terminal.
pub const CLICKS_ON: &str = "\x1b[?1000h\x1b[?1006h";
pub const CLICKS_OFF: &str = "\x1b[?1006l\x1b[?1000l";

impl ratatui::crossterm::Command for Clicks {
    fn write_ansi(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        f.write_str(if self.0 { CLICKS_ON } else { CLICKS_OFF })
    }

    #[cfg(windows)]
    fn execute_winapi(&self) -> io::Result<()> {
        use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
        if self.0 {
            EnableMouseCapture.execute_winapi()
        } else {
            DisableMouseCapture.execute_winapi()
        }
    }
}

/// Ask the terminal for clicks, and to stop on every way out: the normal one
/// (`mouse_off`), a panic (a hook chained before `ratatui::init`'s, which gives the rest
/// back) and the watcher's (`give_terminal_back_from_aside`).
fn mouse_on() {
    give_clicks_back_on_panic(io::stdout);
    let _ = ratatui::crossterm::execute!(io::stdout(), Clicks(true));
}

/// Chain a panic hook that tells the terminal `out` writes to to stop reporting clicks,
/// then runs the hooks already there (`ratatui::init`'s gives the rest back).
fn give_clicks_back_on_panic<W: io::Write>(out: impl Fn() -> W + Send + Sync + 'static) {
    let next = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::crossterm::execute!(out(), Clicks(false));
        next(info);
    }));
}

fn mouse_off() {
    let _ = ratatui::crossterm::execute!(io::stdout(), Clicks(false));
}

/// Take over the terminal, run the session, and give the terminal back on every path:
/// `q`, revocation, an error, a panic (`ratatui::init`'s hook, and ours for the mouse)
/// and a stop signal. A stop signal is passed on once the terminal is back, so whoever
/// sent it sees the process end by that signal, as it would have without us.
pub fn run(dir: Directory, me: Employee, options: Options) -> Result<i32> {
    let mut events =
        TerminalEvents::new().map_err(|e| crate::Error::io("cannot handle stop signals", &e))?;
    let mut terminal = ratatui::init();
    if options.mouse {
        mouse_on();
    }
    let size = terminal.size().unwrap_or_default();
    let watcher = events.watch(STOP_GRACE, options.mouse);
    let outcome = Session::new(dir, me, size.width, size.height).map(|mut session| {
        session.app.mouse = options.mouse;
        // OSC 52 goes to the terminal the UI draws on (through SSH too).
        session.exec.clipboard = Some(Box::new(io::stdout()));
        let code = main_loop(&mut terminal, &mut session, &mut events, POLL_EVERY);
        (code, session.app.revoked.clone())
    });
    drop(watcher);
    if options.mouse {
        mouse_off();
    }
    ratatui::restore();
    if let Some(sig) = events.stop_signal() {
        crate::stop::end_by(sig);
    }
    let (code, revoked) = outcome?;
    if let Some(msg) = revoked {
        eprintln!(
            "offboard: access revoked: {}",
            crate::domain::text::escape(&msg)
        );
    }
    code.map_err(|e| crate::Error::io("terminal error", &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A terminal that keeps what it is sent.
    #[derive(Clone, Default)]
    struct Kept(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Kept {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_panic_tells_the_terminal_to_stop_reporting_clicks() {
        let terminal = Kept::default();
        let seen = terminal.clone();
        give_clicks_back_on_panic(move || terminal.clone());
        let ended = std::panic::catch_unwind(|| panic!("a panic on purpose, in a test"));
        assert!(ended.is_err());
        let sent = seen.0.lock().map(|b| b.clone()).unwrap_or_default();
        assert!(
            String::from_utf8_lossy(&sent).contains(CLICKS_OFF),
            "{sent:?}"
        );
    }
}
