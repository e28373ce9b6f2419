//! A message to read and close: an error, or a webhook URL shown once.

use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Component, Outcome};

#[derive(Debug)]
pub struct MessageDialog {
    pub title: String,
    pub lines: Vec<String>,
    pub error: bool,
    /// The URL shown once, which the copy key puts on the clipboard.
    pub url: Option<String>,
}

impl MessageDialog {
    /// A refusal or failure, said as the directory says it.
    pub fn error(msg: String) -> Self {
        MessageDialog {
            title: "Error".into(),
            lines: vec![msg],
            error: true,
            url: None,
        }
    }

    /// Something shown whole that a row or line had to cut: the text wraps in the box.
    pub fn detail(title: String, lines: Vec<String>) -> Self {
        MessageDialog {
            title,
            lines,
            error: false,
            url: None,
        }
    }

    /// A new webhook URL, which is shown this once.
    pub fn url(message: String, url: String) -> Self {
        MessageDialog {
            title: "Webhook URL".into(),
            lines: vec![
                message,
                String::new(),
                url.clone(),
                String::new(),
                "Copy it now: this URL will not be shown again.".into(),
                "Anyone who has it can act through it within its scopes.".into(),
            ],
            error: false,
            url: Some(url),
        }
    }
}

impl Component for MessageDialog {
    fn keys(&self) -> Mode {
        Mode::Message
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel | Action::Open => Outcome::Close,
            Action::CopyUrl => match &self.url {
                Some(url) => Outcome::Run(Effect::Copy {
                    what: "the webhook URL".into(),
                    text: url.clone(),
                }),
                None => Outcome::Stay,
            },
            _ => Outcome::Stay,
        }
    }
}
