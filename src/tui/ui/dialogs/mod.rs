//! The dialogs' drawing, one file each, mirroring `tui/dialogs/`. Only the dialog on
//! top of the stack is drawn, last, over `Clear`; each shows its own keys.

mod bulk;
mod bulk_menu;
mod confirm;
mod department;
mod dismiss;
mod grant;
mod hire;
mod key;
mod menu;
mod message;
mod reassign;
mod webhook;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::app::App;

/// How a dialog draws itself over `area` (the pane's).
pub trait Draw {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect);
}

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    if let Some(dialog) = app.dialog() {
        // Only the dialog answers the mouse while it is open, as it alone the keys.
        app.hits.borrow_mut().modal();
        dialog.component().draw(frame, app, area);
    }
}
