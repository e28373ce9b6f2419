//! The audit log, newest first, with its search line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Row, Table};

use super::search_line;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::mouse::Target;
use crate::tui::ui::layout::SEARCH_ROWS;
use crate::tui::ui::widgets::block;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let a = &app.audit;
    let outer = block(app, " Audit log (newest first) ".into(), true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if !app.me.is_staff() || a.denied.is_some() {
        let msg = "The audit log is for administrators and company-structure staff.";
        frame.render_widget(Paragraph::new(msg).style(t.dim), inner);
        return;
    }
    let [search, table] =
        Layout::vertical([Constraint::Length(SEARCH_ROWS), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(search_line(
            app,
            Mode::Audit,
            &a.search,
            a.searching,
            search.width,
            vec![],
        )),
        search,
    );
    {
        let mut hits = app.hits.borrow_mut();
        hits.add(search, Target::Act(Action::FocusSearch));
        hits.add(table, Target::Scroll);
        for i in 0..a.rows.len() {
            let index = a.offset + i as i64;
            let y = table.y + 1 + i as u16;
            hits.row(table, y, index, index == a.selected, Mode::Audit);
        }
    }
    let header =
        Row::new(["At", "Actor", "Via", "Action", "Target", "Details"]).style(t.table_header);
    let rows = a.rows.iter().enumerate().map(|(i, ev)| {
        let row = Row::new(vec![
            crate::domain::time::minute(ev.at),
            ev.actor.clone(),
            ev.via.short(),
            ev.action.clone(),
            ev.target.clone().unwrap_or_default(),
            ev.details.to_string(),
        ]);
        if a.offset + i as i64 == a.selected {
            row.style(t.selected)
        } else {
            row
        }
    });
    let widths = [
        Constraint::Length(16),
        Constraint::Length(12),
        Constraint::Length(14),
        Constraint::Length(18),
        Constraint::Length(14),
        Constraint::Fill(1),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), table);
}
