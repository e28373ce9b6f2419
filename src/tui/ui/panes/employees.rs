//! The employee list, or the handover backlog: a page of rows around the selection.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::search_line;
use crate::domain::{Status, StatusFilter};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::ui::layout::SEARCH_ROWS;
use crate::tui::ui::widgets::{block, key};

/// The width of the status column: its longest word, "Leaving 2026-12-31"; in a
/// narrow window (below `WIDE`) "Leaving" alone, the day being on the profile.
const STATUS_WIDTH: u16 = 18;
const NARROW_STATUS_WIDTH: u16 = 9;
const WIDE: u16 = 80;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let e = &app.employees;
    let title = if e.backlog {
        format!(" Employees · still own work ({}) ", e.total)
    } else if e.dismissed_hidden > 0 {
        format!(
            " Employees ({}) · {} dismissed hidden ",
            e.total, e.dismissed_hidden
        )
    } else {
        format!(" Employees ({}) ", e.total)
    };
    let outer = block(app, title, true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [search, table] =
        Layout::vertical([Constraint::Length(SEARCH_ROWS), Constraint::Min(1)]).areas(inner);
    let mut extra = Vec::new();
    if app.show_dismissed && !e.backlog {
        let f = match e.filter {
            StatusFilter::Active => "active",
            StatusFilter::Dismissed => "dismissed",
            StatusFilter::All => "all",
        };
        let k = key(Mode::Employees, &Action::CycleStatusFilter);
        extra.push(Span::styled(format!("   Status: {f} ({k})"), t.dim));
    }
    if e.backlog {
        let k = key(Mode::Employees, &Action::ToggleBacklog);
        extra.push(Span::styled(
            format!("   Handover backlog ({k})"),
            t.dismissed,
        ));
    }
    frame.render_widget(
        Paragraph::new(search_line(
            app,
            Mode::Employees,
            &e.search,
            e.searching,
            search.width,
            extra,
        )),
        search,
    );

    let selected_row = (e.selected - e.offset) as usize;
    let wide = area.width >= WIDE;
    if e.backlog {
        let header = Row::new([
            "Name",
            "Login",
            "Department",
            "Open tasks",
            "CRM",
            "Files",
            "Mail",
        ])
        .style(t.table_header);
        let rows = e.rows.iter().enumerate().map(|(i, r)| {
            let o = r.owned.unwrap_or_default();
            let mark = if e.marked.contains(&r.employee.login) {
                "✓ "
            } else {
                ""
            };
            let row = Row::new(vec![
                Cell::from(format!("{mark}{}", r.employee.name())),
                Cell::from(r.employee.login.clone()),
                Cell::from(r.employee.department.clone().unwrap_or_default()),
                Cell::from(o.tasks.to_string()),
                Cell::from(o.crm_items.to_string()),
                Cell::from(o.files.to_string()),
                Cell::from(o.mailboxes.to_string()),
            ]);
            if i == selected_row {
                row.style(t.selected)
            } else {
                row
            }
        });
        let widths = [
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Length(10),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(5),
        ];
        frame.render_widget(Table::new(rows, widths).header(header), table);
    } else {
        let header = Row::new([
            "Name",
            "Position",
            "Department",
            "Status",
            if wide { "Integr." } else { "Int." },
        ])
        .style(t.table_header);
        let rows = e.rows.iter().enumerate().map(|(i, r)| {
            let status = if r.employee.status == Status::Dismissed {
                Cell::from(Span::styled("Dismissed", t.dismissed))
            } else if let Some(day) = &r.leaving_on {
                let text = if wide {
                    format!("Leaving {day}")
                } else {
                    "Leaving".into()
                };
                Cell::from(Span::styled(text, t.dismissed))
            } else {
                Cell::from("Active")
            };
            let mark = if e.marked.contains(&r.employee.login) {
                "✓ "
            } else {
                ""
            };
            let row = Row::new(vec![
                Cell::from(format!("{mark}{}", r.employee.name())),
                Cell::from(r.employee.position.clone()),
                Cell::from(r.employee.department.clone().unwrap_or_default()),
                status,
                Cell::from(if r.active_integrations > 0 {
                    r.active_integrations.to_string()
                } else {
                    String::new()
                }),
            ]);
            if i == selected_row {
                row.style(t.selected)
            } else {
                row
            }
        });
        // Every column keeps its width whatever the page or filter shows: the status
        // column fits its longest word ("Leaving 2026-12-31"), and two spaces keep it
        // apart from the count after it.
        let widths = [
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(if wide {
                STATUS_WIDTH
            } else {
                NARROW_STATUS_WIDTH
            }),
            Constraint::Length(if wide { 7 } else { 4 }),
        ];
        frame.render_widget(
            Table::new(rows, widths)
                .header(header)
                .column_spacing(if wide { 2 } else { 1 }),
            table,
        );
    }
    if e.loaded && e.rows.is_empty() {
        let msg = if e.search.value().is_empty() {
            "No employees here.".to_string()
        } else {
            format!("Nobody matches \"{}\".", e.search.value())
        };
        let area = Rect {
            y: table.y + 1,
            height: 1,
            ..table
        };
        frame.render_widget(Paragraph::new(msg).style(t.dim), area);
    }
}
