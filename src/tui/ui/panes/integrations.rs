//! The integrations pane: a table of webhooks, or the active ones grouped by owner.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::id_width;
use crate::domain::{IntegrationStatus, Kind};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::mouse::Target;
use crate::tui::ui::widgets::{block, key};

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let v = app.integrations.visible();
    let title = if app.integrations.active_only {
        // Counted both ways: the view is grouped by owner, and both numbers matter.
        let mut owners: Vec<&str> = v.iter().map(|i| i.owner.as_str()).collect();
        owners.sort_unstable();
        owners.dedup();
        format!(
            " Active integrations ({}) · {} owner{} ",
            v.len(),
            owners.len(),
            if owners.len() == 1 { "" } else { "s" }
        )
    } else {
        format!(" Integrations ({}) ", v.len())
    };
    let outer = block(app, title, true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let height = inner.height.saturating_sub(1) as usize;
    let sel = app.integrations.selected;
    let start = sel.saturating_sub(height.saturating_sub(1));
    {
        let mut hits = app.hits.borrow_mut();
        hits.add(inner, Target::Scroll);
        for (n, i) in (start..v.len()).take(height).enumerate() {
            let y = inner.y + 1 + n as u16;
            hits.row(inner, y, i as i64, i == sel, Mode::Integrations);
        }
    }
    let header = Row::new([
        "ID",
        "Title",
        "Owner",
        "Scopes",
        "Status",
        "Transferred from",
    ])
    .style(t.table_header);
    let rows = v
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, it)| {
            let owner = if it.owner_kind == Kind::System {
                Cell::from(Span::styled(format!("⚙ {} (system)", it.owner), t.system))
            } else {
                Cell::from(it.owner.clone())
            };
            let status = if it.status == IntegrationStatus::Active {
                Cell::from("active")
            } else {
                Cell::from(Span::styled("disabled", t.greyed))
            };
            let row = Row::new(vec![
                Cell::from(format!("#{}", it.id)),
                Cell::from(it.title.clone()),
                owner,
                Cell::from(it.scopes.to_string()),
                status,
                Cell::from(it.transferred_from.clone().unwrap_or_default()),
            ]);
            if i == sel { row.style(t.selected) } else { row }
        });
    let widths = [
        Constraint::Length(id_width(v.iter().skip(start).take(height).map(|it| it.id))),
        Constraint::Fill(4),
        Constraint::Fill(4),
        Constraint::Fill(3),
        Constraint::Length(8),
        Constraint::Fill(2),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), inner);
    if v.is_empty() {
        let k = key(Mode::Integrations, &Action::CreateWebhook);
        let msg = if app.me.is_staff() {
            format!("No integrations yet: press {k} to create one.")
        } else {
            format!("You own no integrations: press {k} to create one.")
        };
        frame.render_widget(
            Paragraph::new(msg).style(t.dim),
            Rect {
                y: inner.y + 1,
                height: 1,
                ..inner
            },
        );
    }
}
