//! The Offboarding pane: a page of checklist steps across the company, the overdue in
//! the error colour, those the user may not change greyed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::directory::{OpenStep, StepFilter};
use crate::domain::text::escape;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::mouse::Target;
use crate::tui::ui::layout::SEARCH_ROWS;
use crate::tui::ui::widgets::{block, fit, key, list_scrollbar};
use crate::tui::views::offboarding::may_change_row;

/// Who owns a step, short enough for its column: a login, "dferreira (head)" for the
/// leaver's department head, "structure staff", "administrators".
fn owner_short(step: &crate::directory::ChecklistStep) -> String {
    use crate::domain::OwnerRole;
    match (step.owner_role, &step.owner) {
        (OwnerRole::DepartmentHead, Some(l)) => format!("{l} (head)"),
        (OwnerRole::Structure, _) => "structure staff".into(),
        _ => step.owner_label(),
    }
}

/// What the State column says of a step: OVERDUE, open, or who ticked it and when.
pub fn step_state(step: &crate::directory::ChecklistStep) -> String {
    if step.overdue {
        return "OVERDUE".into();
    }
    match (&step.done_by, step.done_at) {
        (Some(by), Some(at)) => format!("done by {by} {}", crate::domain::time::minute(at)),
        _ => step.state.to_string(),
    }
}

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let v = &app.offboarding;
    let p = &v.page;
    let what = match v.filter {
        StepFilter::Open => "open steps",
        StepFilter::Done => "steps done",
    };
    let whose = if p.mine { "yours" } else { "everyone's" };
    let mut title = format!(" Offboarding · {what} ({}) · {whose} ", p.total);
    if v.filter == StepFilter::Open && p.overdue > 0 {
        title.push_str(&format!("· {} overdue ", p.overdue));
    }
    let position = if p.total > 0 {
        format!(" {}/{} ", v.selected + 1, p.total)
    } else {
        String::new()
    };
    let outer = block(app, title, true).title_bottom(Line::from(position).right_aligned());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [line, table] =
        Layout::vertical([Constraint::Length(SEARCH_ROWS), Constraint::Min(1)]).areas(inner);

    // The keys that change what is shown first (a narrow window cuts the words after
    // them), then the order. Only staff can widen "yours".
    let k = |a: &Action| key(Mode::Offboarding, a);
    let mut spans = vec![
        Span::styled(k(&Action::ToggleDoneSteps), t.key),
        Span::styled(
            match v.filter {
                StepFilter::Open => " steps done   ",
                StepFilter::Done => " open steps   ",
            },
            t.dim,
        ),
    ];
    if app.me.is_staff() {
        spans.push(Span::styled(k(&Action::ToggleMine), t.key));
        spans.push(Span::styled(
            if p.mine {
                " everyone's   "
            } else {
                " mine only   "
            },
            t.dim,
        ));
    }
    spans.push(Span::styled(
        match v.filter {
            StepFilter::Open => "Overdue first, then by due date",
            StepFilter::Done => "The most recently ticked first",
        },
        t.dim,
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), line);

    {
        // A click selects a step (again: what Enter does); the wheel scrolls.
        let mut hits = app.hits.borrow_mut();
        hits.add(table, Target::Scroll);
        for i in 0..p.rows.len() {
            let index = v.offset + i as i64;
            let y = table.y + 1 + i as u16;
            hits.row(table, y, index, index == v.selected, Mode::Offboarding);
        }
    }
    let header = Row::new(["Leaver", "Step", "Owner", "Due", "State"]).style(t.table_header);
    // The leaver, owner and state columns fit this page's longest (within bounds, and
    // a share of a narrow window); the step's title has the rest.
    let wide = usize::from(table.width);
    let longest = |f: &dyn Fn(&OpenStep) -> usize, least: usize, most: usize| -> u16 {
        let n = p.rows.iter().map(f).max().unwrap_or(0);
        u16::try_from(n.clamp(least, most.max(least))).unwrap_or(u16::MAX)
    };
    let leaver = |r: &OpenStep| format!("{} ({})", escape(&r.name), r.login);
    let widths = [
        Constraint::Length(longest(
            &|r| leaver(r).chars().count(),
            6,
            (wide / 4).min(28),
        )),
        Constraint::Fill(1),
        Constraint::Length(longest(
            &|r| owner_short(&r.step).chars().count(),
            5,
            (wide / 5).min(24),
        )),
        Constraint::Length(10),
        Constraint::Length(longest(
            &|r| step_state(&r.step).chars().count(),
            7,
            (wide / 3).min(40),
        )),
    ];
    let room: Vec<usize> = Layout::horizontal(widths)
        .spacing(1)
        .split(table)
        .iter()
        .map(|r| r.width as usize)
        .collect();
    let selected_row = v.selected - v.offset;
    let rows = p.rows.iter().enumerate().map(|(i, r): (usize, &OpenStep)| {
        let s = &r.step;
        let cells = vec![
            Cell::from(fit(&leaver(r), room[0])),
            Cell::from(fit(&format!("{}. {}", s.number, escape(&s.title)), room[1])),
            Cell::from(fit(&owner_short(s), room[2])),
            Cell::from(s.due_on.to_string()),
            Cell::from(fit(&step_state(s), room[4])),
        ];
        let style = if i as i64 == selected_row {
            t.selected
        } else if !may_change_row(&app.me, r) {
            t.greyed
        } else if s.overdue {
            t.error
        } else {
            ratatui::style::Style::new()
        };
        Row::new(cells).style(style)
    });
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );

    list_scrollbar(frame, area, table, p.total, v.selected);
    if v.loaded && p.rows.is_empty() {
        let msg = match (v.filter, p.mine) {
            (StepFilter::Open, true) => "No open offboarding steps of yours.",
            (StepFilter::Open, false) => "No open offboarding steps.",
            (StepFilter::Done, true) => "None of your steps is ticked done.",
            (StepFilter::Done, false) => "No step is ticked done.",
        };
        let area = Rect {
            y: table.y + 1,
            height: 1,
            ..table
        };
        frame.render_widget(Paragraph::new(msg).style(t.dim), area);
    }
}
