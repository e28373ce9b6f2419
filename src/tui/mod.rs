//! The terminal UI: input → Action → update → Effect → directory → result Action → render.

pub mod action;
pub mod app;
pub mod effect;
pub mod keymap;
pub mod ui;

use std::io;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyModifiers};

use crate::Directory;
use crate::domain::{Actor, Employee, Result};

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

    /// The same path a terminal event takes.
    pub fn handle_event(&mut self, ev: &Event) {
        match ev {
            Event::Key(key) => {
                if let Some(a) = keymap::lookup(self.app.mode(), key) {
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
}

pub struct TerminalEvents;

impl EventSource for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if event::poll(timeout)? {
            Ok(Some(event::read()?))
        } else {
            Ok(None)
        }
    }
}

/// The main loop, generic over the backend so tests drive it with `TestBackend`.
/// Returns the exit status.
pub fn main_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &mut Session,
    events: &mut dyn EventSource,
    poll_every: Duration,
) -> io::Result<i32> {
    session.draw(terminal)?;
    let mut last_poll = Instant::now();
    loop {
        if let Some(code) = session.app.exit {
            session.draw(terminal)?;
            return Ok(code);
        }
        let wait = poll_every
            .saturating_sub(last_poll.elapsed())
            .min(Duration::from_millis(250));
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

/// Take over the terminal, run the session, and give the terminal back on every path
/// (`ratatui::init` restores it on panics too).
pub fn run(dir: Directory, me: Employee) -> Result<i32> {
    let mut terminal = ratatui::init();
    let size = terminal.size().unwrap_or_default();
    let outcome = Session::new(dir, me, size.width, size.height).map(|mut session| {
        let code = main_loop(&mut terminal, &mut session, &mut TerminalEvents, POLL_EVERY);
        (code, session.app.revoked.clone())
    });
    ratatui::restore();
    let (code, revoked) = outcome?;
    if let Some(msg) = revoked {
        eprintln!("offboard: access revoked: {msg}");
    }
    code.map_err(|e| crate::Error::Io(format!("terminal error: {e}")))
}
