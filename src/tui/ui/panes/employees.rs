//! The employee list, or the handover backlog: a page of rows around the selection.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::search_line;
use crate::directory::ListSort;
use crate::domain::{Status, StatusFilter};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::mouse::Target;
use crate::tui::ui::layout::SEARCH_ROWS;
use crate::tui::ui::widgets::{block, fit, highlighted, key, list_scrollbar};

/// The width of the status column: its longest word, "Leaving 2026-12-31"; in a
/// narrow window (below `WIDE`) "Leaving" alone, the day being on the profile.
const STATUS_WIDTH: u16 = 18;
const NARROW_STATUS_WIDTH: u16 = 9;
const WIDE: u16 = 80;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let e = &app.employees;
    // A broad search is counted up to a point: "1000+".
    let plus = |n: i64, more: bool| if more { format!("{n}+") } else { n.to_string() };
    let total = plus(e.total, e.more);
    let title = if e.backlog {
        format!(" Employees · still own work ({total}) ")
    } else if e.dismissed_hidden > 0 {
        format!(
            " Employees ({total}) · {} dismissed hidden ",
            plus(e.dismissed_hidden, e.hidden_more)
        )
    } else {
        format!(" Employees ({total}) ")
    };
    // Where the selection is, of how many: "12/40".
    let position = if e.total > 0 {
        format!(" {}/{total} ", e.selected + 1)
    } else {
        String::new()
    };
    let outer = block(app, title, true).title_bottom(Line::from(position).right_aligned());
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
    if let Some((_, name)) = &e.department {
        let k = key(Mode::Employees, &Action::PickDepartment);
        extra.push(Span::styled(format!("   Department: {name} ({k})"), t.dim));
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
    {
        // A click on the search line searches; on a row selects it (under the header).
        let mut hits = app.hits.borrow_mut();
        hits.add(search, Target::Act(Action::FocusSearch));
        hits.add(table, Target::Scroll);
        for i in 0..e.rows.len() {
            let y = table.y + 1 + i as u16;
            hits.row(
                table,
                y,
                e.offset + i as i64,
                i == selected_row,
                Mode::Employees,
            );
        }
    }
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
        // The column the list is sorted by says so.
        let sorted = |title: &'static str, by: ListSort| -> String {
            if e.sort == by {
                format!("{title} ▲")
            } else {
                title.to_string()
            }
        };
        let header = Row::new([
            sorted("Name", ListSort::Name),
            sorted("Position", ListSort::Position),
            sorted("Department", ListSort::Department),
            "Status".into(),
            if wide { "Integr." } else { "Int." }.into(),
        ])
        .style(t.table_header);
        let query = e.search.value();
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
        // What each column has room for, so that a cut value ends with "…".
        let spacing: u16 = if wide { 2 } else { 1 };
        let columns = Layout::horizontal(widths).spacing(spacing).split(table);
        let room: Vec<usize> = columns.iter().map(|r| r.width as usize).collect();
        // A click on a column's title sorts by it.
        for (column, sort) in columns.iter().zip(ListSort::ALL) {
            let title = Rect {
                height: 1,
                ..*column
            };
            app.hits
                .borrow_mut()
                .add(title, Target::Act(Action::SortBy(sort)));
        }

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
            let department = r.employee.department.clone().unwrap_or_default();
            let row = Row::new(vec![
                Cell::from(highlighted(
                    mark,
                    &fit(
                        &r.employee.name(),
                        room[0].saturating_sub(mark.chars().count()),
                    ),
                    query,
                    t.key,
                )),
                Cell::from(highlighted(
                    "",
                    &fit(&r.employee.position, room[1]),
                    query,
                    t.key,
                )),
                Cell::from(highlighted("", &fit(&department, room[2]), query, t.key)),
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
        frame.render_widget(
            Table::new(rows, widths)
                .header(header)
                .column_spacing(spacing),
            table,
        );
    }
    // A scrollbar on the border when the list is longer than the screen.
    list_scrollbar(frame, area, table, e.total, e.selected);
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
