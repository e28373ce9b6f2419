//! Handing an employee's work over to an active colleague: pick the person by name,
//! tick what moves. Opened over the dismiss dialog by "Reassign first…", it closes back
//! onto it. It opens on Cancel.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::{Employee, Owned, WorkKinds};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keymap::{self, Mode};

use super::{Button, Component, Outcome, form_keys};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReassignButton {
    Reassign,
    Cancel,
}

impl Button for ReassignButton {
    fn label(self) -> &'static str {
        match self {
            ReassignButton::Reassign => "Reassign",
            ReassignButton::Cancel => "Cancel",
        }
    }
    fn action(self) -> Action {
        match self {
            ReassignButton::Reassign => Action::Confirm,
            ReassignButton::Cancel => Action::Cancel,
        }
    }
}

/// A kind of work that can move, one tick box each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Tasks,
    CrmItems,
    Files,
    Mailboxes,
    Meetings,
}

impl Work {
    pub const ALL: [Work; 5] = [
        Work::Tasks,
        Work::CrmItems,
        Work::Files,
        Work::Mailboxes,
        Work::Meetings,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Work::Tasks => "Tasks",
            Work::CrmItems => "CRM items",
            Work::Files => "Files",
            Work::Mailboxes => "Mailboxes",
            Work::Meetings => "Future meetings",
        }
    }

    pub fn count(self, owns: &Owned) -> i64 {
        match self {
            Work::Tasks => owns.tasks,
            Work::CrmItems => owns.crm_items,
            Work::Files => owns.files,
            Work::Mailboxes => owns.mailboxes,
            Work::Meetings => owns.meetings,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReassignFocus {
    Button(ReassignButton),
    /// The name field of the new responsible.
    Picker,
    Tick(Work),
}

#[derive(Debug)]
pub struct ReassignDialog {
    pub from: Employee,
    pub owns: Owned,
    pub picker: Input,
    pub candidates: Vec<Employee>,
    pub candidate: usize,
    pub chosen: Option<Employee>,
    /// Ticked kinds of work, in `Work::ALL` order.
    pub ticks: [bool; 5],
    pub focus: ReassignFocus,
}

impl ReassignDialog {
    pub const BUTTONS: [ReassignButton; 2] = [ReassignButton::Reassign, ReassignButton::Cancel];

    pub fn new(from: Employee, owns: Owned) -> Self {
        ReassignDialog {
            from,
            owns,
            picker: Input::default(),
            candidates: vec![],
            candidate: 0,
            chosen: None,
            ticks: [true; 5],
            // The caret in To; Cancel stays the default button (Enter on an empty
            // field presses it).
            focus: ReassignFocus::Picker,
        }
    }

    pub fn ticked(&self, work: Work) -> bool {
        self.ticks[work as usize]
    }

    fn ring() -> Vec<ReassignFocus> {
        let mut v: Vec<ReassignFocus> = Self::BUTTONS
            .into_iter()
            .map(ReassignFocus::Button)
            .collect();
        v.push(ReassignFocus::Picker);
        v.extend(Work::ALL.map(ReassignFocus::Tick));
        v
    }

    fn submit(&self) -> Outcome {
        let Some(to) = &self.chosen else {
            let tab = keymap::key_for(self.keys(), &Action::FocusNext).unwrap_or_default();
            return Outcome::Say(format!(
                "Choose who takes over first: {tab} to the name field and type"
            ));
        };
        let what = WorkKinds {
            tasks: self.ticked(Work::Tasks),
            crm: self.ticked(Work::CrmItems),
            files: self.ticked(Work::Files),
            mail: self.ticked(Work::Mailboxes),
            meetings: self.ticked(Work::Meetings),
        };
        if what.is_empty() {
            return Outcome::Say("Tick at least one kind of work to move".into());
        }
        Outcome::Run(Effect::Reassign {
            from: self.from.login.clone(),
            to: to.login.clone(),
            what,
        })
    }
}

impl Component for ReassignDialog {
    fn keys(&self) -> Mode {
        Mode::Reassign
    }

    fn typing(&self) -> bool {
        self.focus == ReassignFocus::Picker
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let buttons = [ReassignButton::Reassign, ReassignButton::Cancel].map(ReassignFocus::Button);
        if let Some(done) = form_keys(&mut self.focus, &Self::ring(), &action, buttons) {
            return done;
        }
        match (action, self.focus) {
            (Action::Toggle | Action::Open, ReassignFocus::Tick(work)) => {
                self.ticks[work as usize] = !self.ticks[work as usize];
                Outcome::Stay
            }
            (Action::Toggle, _) => Outcome::Stay,
            (Action::Open, ReassignFocus::Button(ReassignButton::Reassign))
            | (Action::Confirm, _) => self.submit(),
            (Action::Up, _) => {
                self.candidate = self.candidate.saturating_sub(1);
                Outcome::Stay
            }
            (Action::Down, _) => {
                self.candidate = (self.candidate + 1).min(self.candidates.len().saturating_sub(1));
                Outcome::Stay
            }
            (Action::Text(key), _) => {
                if self.picker.handle_event(&Event::Key(key)).is_some() {
                    self.chosen = None;
                    return Outcome::Run(Effect::LoadCandidates {
                        search: self.picker.value().to_string(),
                        exclude: self.from.id,
                    });
                }
                Outcome::Stay
            }
            (Action::Open, ReassignFocus::Picker) if self.picker.value().is_empty() => {
                Outcome::Close
            }
            (Action::Open, ReassignFocus::Picker) => {
                // Enter in the name field picks the highlighted person.
                if let Some(c) = self.candidates.get(self.candidate).cloned() {
                    self.picker = Input::new(c.name());
                    self.chosen = Some(c);
                    self.focus = ReassignFocus::Tick(Work::Tasks);
                }
                Outcome::Stay
            }
            _ => Outcome::Stay,
        }
    }

    fn typed(&self) -> bool {
        !self.picker.value().trim().is_empty()
    }

    fn candidates_loaded(&mut self, list: Vec<Employee>) {
        self.candidates = list;
        self.candidate = 0;
    }
}
