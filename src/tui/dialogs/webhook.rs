//! Creating or editing a webhook: its title and scopes. Editing one that a system user
//! holds takes it over, which the dialog says first. It opens on Cancel.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::{Integration, IntegrationId, Scope, ScopeSet};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::Mode;

use super::{Button, Component, Outcome, form_keys};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookButton {
    Save,
    Cancel,
}

impl Button for WebhookButton {
    fn label(self) -> &'static str {
        match self {
            WebhookButton::Save => "Save",
            WebhookButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            WebhookButton::Save => Action::Confirm,
            WebhookButton::Cancel => Action::Cancel,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFocus {
    Button(WebhookButton),
    Title,
    Tick(Scope),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Create,
    Edit {
        id: IntegrationId,
        takes_over: bool,
        /// Who holds it, as a sentence names them.
        owner: String,
    },
}

#[derive(Debug)]
pub struct WebhookForm {
    pub kind: FormKind,
    pub title: Input,
    /// The title as it was when the dialog opened (what Esc would not lose).
    pub original_title: String,
    /// Ticked scopes.
    pub scopes: ScopeSet,
    pub focus: WebhookFocus,
}

impl WebhookForm {
    pub const BUTTONS: [WebhookButton; 2] = [WebhookButton::Save, WebhookButton::Cancel];

    pub fn create() -> Self {
        WebhookForm {
            kind: FormKind::Create,
            title: Input::default(),
            original_title: String::new(),
            scopes: ScopeSet::default(),
            // The caret in the title; Cancel stays the default button (Enter on an
            // empty title presses it).
            focus: WebhookFocus::Title,
        }
    }

    pub fn edit(integration: Integration, takes_over: bool) -> Self {
        WebhookForm {
            kind: FormKind::Edit {
                id: integration.id,
                takes_over,
                owner: crate::directory::Named::owner(&integration).to_string(),
            },
            title: Input::new(integration.title.clone()),
            scopes: integration.scopes,
            original_title: integration.title.clone(),
            // Editing may take the integration over: it opens on Cancel.
            focus: WebhookFocus::Button(WebhookButton::Cancel),
        }
    }

    pub fn ticked(&self, scope: Scope) -> bool {
        self.scopes.contains(scope)
    }

    pub fn chosen_scopes(&self) -> ScopeSet {
        self.scopes
    }

    fn ring() -> Vec<WebhookFocus> {
        let mut v: Vec<WebhookFocus> = Self::BUTTONS
            .into_iter()
            .map(WebhookFocus::Button)
            .collect();
        v.push(WebhookFocus::Title);
        v.extend(Scope::ALL.iter().copied().map(WebhookFocus::Tick));
        v
    }

    fn submit(&self) -> Outcome {
        let title = self.title.value().trim().to_string();
        if title.is_empty() {
            return Outcome::Say("Give the webhook a title".into());
        }
        let scopes = self.chosen_scopes();
        if scopes.is_empty() {
            return Outcome::Say("Tick at least one scope".into());
        }
        Outcome::Run(match &self.kind {
            FormKind::Create => Effect::CreateWebhook { title, scopes },
            FormKind::Edit { id, .. } => Effect::EditWebhook {
                id: *id,
                title,
                scopes,
            },
        })
    }
}

impl Component for WebhookForm {
    fn keys(&self) -> Mode {
        Mode::WebhookForm
    }

    fn typing(&self) -> bool {
        self.focus == WebhookFocus::Title
    }

    fn typed(&self) -> bool {
        self.title.value() != self.original_title
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let buttons = Self::BUTTONS.map(WebhookFocus::Button);
        if let Some(done) = form_keys(&mut self.focus, &Self::ring(), &action, buttons) {
            return done;
        }
        match (action, self.focus) {
            (Action::Toggle | Action::Open, WebhookFocus::Tick(scope)) => {
                self.scopes.toggle(scope);
                Outcome::Stay
            }
            (Action::Toggle, _) => Outcome::Stay,
            (Action::Open, WebhookFocus::Button(WebhookButton::Save)) | (Action::Confirm, _) => {
                self.submit()
            }
            (Action::Text(key), _) => {
                self.title.handle_event(&Event::Key(key));
                Outcome::Stay
            }
            (Action::Open, WebhookFocus::Title) if self.title.value().trim().is_empty() => {
                Outcome::Close
            }
            (Action::Open, WebhookFocus::Title) => {
                // Enter in the title moves on to the scopes.
                self.focus = WebhookFocus::Tick(Scope::ALL[0]);
                Outcome::Stay
            }
            _ => Outcome::Stay,
        }
    }
}
