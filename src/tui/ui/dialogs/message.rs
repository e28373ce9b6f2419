use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Draw;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::{Component, MessageDialog};
use crate::tui::mouse::Target;
use crate::tui::ui::widgets::{centered, dialog_width, each_key, frame_dialog, key};

impl Draw for MessageDialog {
    fn draw(&self, frame: &mut Frame, app: &App, area: Rect) {
        let t = &app.theme;
        let mode = self.keys();
        let close = each_key(mode, &Action::Cancel).join(" or ");
        let copy = match self.url {
            Some(_) => format!("{} copies the URL · ", key(mode, &Action::CopyUrl)),
            None => String::new(),
        };
        let hint = format!(" {copy}{close} to close");
        // The hint's words answer a click as their keys do.
        {
            let mut hits = app.hits.borrow_mut();
            if self.url.is_some() {
                let copy = format!("{} copies the URL", key(mode, &Action::CopyUrl));
                hits.want(&copy, Target::Act(Action::CopyUrl), false);
            }
            hits.want(
                &format!("{close} to close"),
                Target::Act(Action::Cancel),
                false,
            );
        }
        // A word that must not break (a webhook URL, to be copied whole) widens the
        // box up to the whole window: borders and margins take four columns.
        let longest_word = self
            .lines
            .iter()
            .flat_map(|l| l.split(' '))
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        if self.url.is_some() && longest_word + 4 > area.width as usize {
            // Too long for a box: the whole width, no side borders, the URL from the
            // first column, so that selecting it with the mouse copies no border.
            let mut lines: Vec<Line> = self.lines.iter().map(|l| Line::raw(l.clone())).collect();
            lines.push(Line::raw(""));
            lines.push(Line::styled(hint.trim_start().to_string(), t.dim));
            let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
            let rows = paragraph.line_count(area.width) as u16;
            let popup = centered(area, area.width, (rows + 2).min(area.height));
            frame.render_widget(Clear, popup);
            let block = Block::new()
                .borders(Borders::TOP | Borders::BOTTOM)
                .title(format!(" {} ", self.title))
                .border_style(t.border_focus);
            frame.render_widget(paragraph.block(block), popup);
            app.hits.borrow_mut().found_in(frame.buffer_mut(), popup);
            return;
        }
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::raw(format!(" {l}")))
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(hint, t.dim));
        let width = dialog_width(area)
            .max(u16::try_from(longest_word + 4).unwrap_or(u16::MAX))
            .min(area.width);
        frame_dialog(frame, app, area, &self.title, lines, width, self.error);
    }
}
