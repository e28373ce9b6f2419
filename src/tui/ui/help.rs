//! The `?` overlay: every key that works, by where it works, from the keymap. It opens
//! at the section for where it was opened (a dialog's own keys from a dialog), pages,
//! and `/` narrows it to the rows that contain what is typed. Each section and row
//! shows its name in the config file (`[keys.employees]`, `open_profile`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::widgets::{centered, field_text, key, named_key};
use crate::tui::action::Action;
use crate::tui::app::{App, HelpView};
use crate::tui::keymap::{self, HelpLine, Mode};
use crate::tui::mouse::Target;

pub fn render(frame: &mut Frame, app: &App, area: Rect, h: &HelpView) {
    let t = &app.theme;
    let popup = centered(
        area,
        area.width.saturating_sub(4).min(90),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, popup);
    // Over everything: only help answers the mouse, and the wheel scrolls it.
    {
        let mut hits = app.hits.borrow_mut();
        hits.modal();
        hits.add(popup, Target::Scroll);
    }
    let all = keymap::help_lines(h.search.value());
    let lines: Vec<Line> = all
        .iter()
        .map(|l| match l {
            // Each section and row also says its name in the config file.
            HelpLine::Title(title) => Line::from(vec![
                Span::styled(title.to_string(), t.table_header),
                Span::styled(format!("  [keys.{}]", keymap::table_of(title)), t.dim),
            ]),
            HelpLine::Row((key, help)) => Line::from(vec![
                Span::styled(format!("  {key:<22}"), t.key),
                Span::raw(format!("{help:<32}")),
                Span::styled(keymap::action_name(help), t.dim),
            ]),
            HelpLine::Blank => Line::raw(""),
        })
        .collect();
    let m = Mode::Help;
    let keys = format!(
        " {}/{} {}/{} scroll · {} search · {} close ",
        named_key(m, &Action::Up),
        named_key(m, &Action::Down),
        key(m, &Action::PageUp),
        key(m, &Action::PageDown),
        key(m, &Action::FocusSearch),
        key(m, &Action::Cancel)
    );
    let block = Block::bordered()
        .title(" Keys: every key that works, by where it works ")
        .title_bottom(Line::from(keys).right_aligned())
        .border_style(t.border_focus);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [search, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let value = h.search.value();
    let search_line = if h.searching || !value.is_empty() {
        let shown = field_text(value, h.search.cursor(), h.searching, 40);
        let found = if all.is_empty() {
            "  nothing matches".to_string()
        } else {
            String::new()
        };
        Line::from(vec![
            Span::styled("Search: ", t.dim),
            Span::styled(shown, if h.searching { t.field_focus } else { t.field }),
            Span::styled(found, t.dim),
        ])
    } else {
        Line::styled(
            format!(
                "Opened at {}; {} searches",
                h.section,
                key(m, &Action::FocusSearch)
            ),
            t.dim,
        )
    };
    frame.render_widget(Paragraph::new(search_line), search);
    let scroll = u16::try_from(h.scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
}
