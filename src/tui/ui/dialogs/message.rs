use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::{Component, MessageDialog};
use crate::tui::ui::widgets::{dialog_width, each_key, frame_dialog};

impl Draw for MessageDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::raw(format!(" {l}")))
            .collect();
        lines.push(Line::raw(""));
        let close = each_key(self.keys(), &Action::Cancel).join(" or ");
        lines.push(Line::styled(format!(" {close} to close"), t.dim));
        // A word that must not break (a webhook URL, to be copied whole) widens the
        // box up to the whole window: borders and margins take four columns.
        let longest_word = self
            .lines
            .iter()
            .flat_map(|l| l.split(' '))
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        let width = dialog_width(area)
            .max(u16::try_from(longest_word + 4).unwrap_or(u16::MAX))
            .min(area.width);
        frame_dialog(frame, app, area, &self.title, lines, width, self.error);
    }
}
