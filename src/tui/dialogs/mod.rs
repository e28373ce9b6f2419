//! Dialogs as components. Each module holds one dialog: its state, its typed buttons
//! and focus, and a handler that turns an `Action` into an `Outcome`. `App` keeps them
//! on a stack: the top one owns all input and is drawn last.
//!
//! Adding a dialog: a module here with its state and `impl Component`, its drawing in
//! `ui/dialogs/` (`impl Draw`, which `Component` requires), and one variant with its
//! two match arms in `Dialog` below.

pub mod bulk;
pub mod bulk_menu;
pub mod confirm;
pub mod department;
pub mod dismiss;
pub mod grant;
pub mod hire;
pub mod key;
pub mod menu;
pub mod message;
pub mod reassign;
pub mod webhook;

use crate::domain::Employee;

use super::action::Action;
use super::effect::Effect;
use super::keymap::Mode;
use super::ui::dialogs::Draw;

pub use bulk::BulkDialog;
pub use bulk_menu::BulkMenu;
pub use confirm::ConfirmDialog;
pub use department::DepartmentDialog;
pub use dismiss::DismissDialog;
pub use grant::GrantDialog;
pub use hire::HireDialog;
pub use key::KeyDialog;
pub use menu::{MenuDialog, MenuItem};
pub use message::MessageDialog;
pub use reassign::ReassignDialog;
pub use webhook::WebhookForm;

/// What a dialog's handler asks of the app. One is made per key press and consumed
/// at once, so the size of a dialog in it does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Outcome {
    /// Handled (or ignored): the dialog stays as it is.
    Stay,
    /// Stay, and say something in the status line (a reason it cannot go on).
    Say(String),
    /// Stay and run an effect; its result closes or updates the dialog.
    Run(Effect),
    /// Close this dialog.
    Close,
    /// Close this dialog, then act on what it chose (a filter of the pane under it).
    CloseAndAct(Action),
    /// Close this dialog and the one under it (Discard what was typed there).
    CloseWithBelow,
    /// Close this dialog, then run an effect (which may open the next one).
    CloseAndRun(Effect),
    /// Close this dialog and say why in the status line.
    CloseAndSay(String),
    /// Open another dialog over this one, which stays underneath.
    Push(Dialog),
    /// Put another dialog in this one's place.
    Replace(Dialog),
}

/// A dialog's behaviour; its drawing (`Draw`) lives in `ui/dialogs/`.
pub trait Component: Draw + std::fmt::Debug {
    /// The mode whose keys this dialog's buttons and hints show.
    fn keys(&self) -> Mode;

    /// A text field of the dialog has the focus: letters go to it.
    fn typing(&self) -> bool {
        false
    }

    /// Where input goes while this dialog is on top.
    fn mode(&self) -> Mode {
        if self.typing() {
            Mode::DialogText
        } else {
            self.keys()
        }
    }

    /// Something typed in a text field would be lost by closing: Esc asks first.
    fn typed(&self) -> bool {
        false
    }

    /// One action while the dialog is on top.
    fn handle(&mut self, action: Action) -> Outcome;

    /// People matching what was typed in a name field arrived.
    fn candidates_loaded(&mut self, _list: Vec<Employee>) {}

    /// What reloads this dialog when the one above it closes (the work it waited on
    /// may have changed what it says).
    fn uncovered(&self) -> Option<Effect> {
        None
    }
}

/// Every dialog. The stack holds only a few, so the largest variant's size does not
/// matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Dialog {
    Menu(MenuDialog),
    BulkMenu(BulkMenu),
    Bulk(BulkDialog),
    Dismiss(DismissDialog),
    Hire(HireDialog),
    Reassign(ReassignDialog),
    Webhook(WebhookForm),
    Grant(GrantDialog),
    Key(KeyDialog),
    Confirm(ConfirmDialog),
    Message(MessageDialog),
    Department(DepartmentDialog),
}

impl Dialog {
    pub fn component(&self) -> &dyn Component {
        match self {
            Dialog::Menu(d) => d,
            Dialog::BulkMenu(d) => d,
            Dialog::Bulk(d) => d,
            Dialog::Dismiss(d) => d,
            Dialog::Hire(d) => d,
            Dialog::Reassign(d) => d,
            Dialog::Webhook(d) => d,
            Dialog::Grant(d) => d,
            Dialog::Key(d) => d,
            Dialog::Confirm(d) => d,
            Dialog::Message(d) => d,
            Dialog::Department(d) => d,
        }
    }

    pub fn component_mut(&mut self) -> &mut dyn Component {
        match self {
            Dialog::Menu(d) => d,
            Dialog::BulkMenu(d) => d,
            Dialog::Bulk(d) => d,
            Dialog::Dismiss(d) => d,
            Dialog::Hire(d) => d,
            Dialog::Reassign(d) => d,
            Dialog::Webhook(d) => d,
            Dialog::Grant(d) => d,
            Dialog::Key(d) => d,
            Dialog::Confirm(d) => d,
            Dialog::Message(d) => d,
            Dialog::Department(d) => d,
        }
    }
}

/// A dialog's button: what it says and which action its key stands for (the keymap
/// gives the key's label, so a button never names its key by hand).
pub trait Button: Copy + PartialEq {
    fn label(self) -> &'static str;
    fn action(self) -> Action;
}

/// The next (or previous) stop of a focus ring, wrapping around.
pub(crate) fn ring_step<T: Copy + PartialEq>(ring: &[T], current: T, forward: bool) -> T {
    let i = ring.iter().position(|f| *f == current).unwrap_or(0);
    let n = ring.len();
    ring[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

/// The keys a form with two buttons (confirm, Cancel) handles the same way in every
/// dialog: Esc closes, Tab and Shift-Tab go round `ring`, ←/→ move between the two
/// buttons, and Enter on Cancel closes. `None` leaves the key to the dialog.
pub(crate) fn form_keys<F: Copy + PartialEq>(
    focus: &mut F,
    ring: &[F],
    action: &Action,
    [confirm, cancel]: [F; 2],
) -> Option<Outcome> {
    let on_button = *focus == confirm || *focus == cancel;
    match action {
        Action::Cancel | Action::Back => Some(Outcome::Close),
        Action::FocusNext | Action::FocusPrev => {
            *focus = ring_step(ring, *focus, *action == Action::FocusNext);
            Some(Outcome::Stay)
        }
        Action::Left | Action::Right => {
            if on_button {
                *focus = if *action == Action::Right {
                    cancel
                } else {
                    confirm
                };
            }
            Some(Outcome::Stay)
        }
        Action::Open if *focus == cancel => Some(Outcome::Close),
        _ => None,
    }
}

/// Move a dialog's scroll for ↑/↓/PgUp/PgDn; `lines` (what the text could need at most)
/// bounds it, and drawing keeps it within what is really hidden.
pub(crate) fn scroll_by(scroll: &mut u16, action: &Action, lines: usize) -> bool {
    let most = u16::try_from(lines).unwrap_or(u16::MAX);
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = (*scroll + 1).min(most),
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::PageDown => *scroll = scroll.saturating_add(10).min(most),
        _ => return false,
    }
    true
}
