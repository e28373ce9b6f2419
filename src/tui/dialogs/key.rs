//! Adding an SSH key to an employee: one field for the authorized_keys line (pasted),
//! which the dialog reads as it is typed and says what key it is, or why it is not
//! one. It opens on the field; Enter there moves to the buttons, so a stray Enter adds
//! nothing.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::Employee;
use crate::domain::keys::parse_key_line;
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Button, Component, Outcome, form_keys};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyButton {
    Add,
    Cancel,
}

impl Button for KeyButton {
    fn label(self) -> &'static str {
        match self {
            KeyButton::Add => "Add key",
            KeyButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            KeyButton::Add => Action::Confirm,
            KeyButton::Cancel => Action::Cancel,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFocus {
    Button(KeyButton),
    Line,
}

#[derive(Debug)]
pub struct KeyDialog {
    pub login: String,
    pub name: String,
    pub line: Input,
    /// What the typed line is: "ssh-ed25519 SHA256:…", or why it is not a key.
    pub reading: Result<String, String>,
    pub focus: KeyFocus,
}

impl KeyDialog {
    pub const BUTTONS: [KeyButton; 2] = [KeyButton::Add, KeyButton::Cancel];
    const RING: [KeyFocus; 3] = [
        KeyFocus::Line,
        KeyFocus::Button(KeyButton::Add),
        KeyFocus::Button(KeyButton::Cancel),
    ];

    pub fn new(owner: &Employee) -> Self {
        KeyDialog {
            login: owner.login.clone(),
            name: owner.name(),
            line: Input::default(),
            reading: Err("paste the public key (the .pub file's line)".into()),
            focus: KeyFocus::Line,
        }
    }

    fn read(&mut self) {
        self.reading = if self.line.value().trim().is_empty() {
            Err("paste the public key (the .pub file's line)".into())
        } else {
            parse_key_line(self.line.value())
                .map(|k| format!("{} {}", k.algorithm, k.fingerprint))
                .map_err(|e| e.to_string())
        };
    }

    fn submit(&self) -> Outcome {
        match &self.reading {
            Ok(_) => Outcome::Run(Effect::AddKey {
                login: self.login.clone(),
                line: self.line.value().to_string(),
            }),
            Err(why) => Outcome::Say(why.clone()),
        }
    }
}

impl Component for KeyDialog {
    fn keys(&self) -> Mode {
        Mode::KeyForm
    }

    fn typing(&self) -> bool {
        self.focus == KeyFocus::Line
    }

    fn typed(&self) -> bool {
        !self.line.value().trim().is_empty()
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let buttons = Self::BUTTONS.map(KeyFocus::Button);
        if let Some(done) = form_keys(&mut self.focus, &Self::RING, &action, buttons) {
            return done;
        }
        match (action, self.focus) {
            (Action::Text(key), KeyFocus::Line) => {
                self.line.handle_event(&Event::Key(key));
                self.read();
                Outcome::Stay
            }
            (Action::Open, KeyFocus::Line) => {
                self.focus = KeyFocus::Button(KeyButton::Add);
                Outcome::Stay
            }
            (Action::Open, KeyFocus::Button(KeyButton::Add)) | (Action::Confirm, _) => {
                self.submit()
            }
            _ => Outcome::Stay,
        }
    }
}
