//! Settings: the show-dismissed switch and who has company-structure access.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::domain::Status;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::mouse::Target;
use crate::tui::ui::widgets::{block, first_key, key};

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let outer = block(app, " Settings ".into(), true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if !app.me.is_admin {
        frame.render_widget(
            Paragraph::new("Settings are for administrators.").style(t.dim),
            inner,
        );
        return;
    }
    let s = &app.settings;
    let m = Mode::Settings;
    let mark = |on: bool| if on { "[x]" } else { "[ ]" };
    let mut lines = vec![
        Line::styled("Employees", t.table_header),
        Line::styled(
            format!(
                "  {} Show dismissed employees in the employee list",
                mark(s.show_dismissed)
            ),
            if s.selected == 0 {
                t.selected
            } else {
                Style::new()
            },
        ),
        Line::raw(""),
        Line::styled(
            "Company-structure access (may dismiss, hire and reassign)",
            t.table_header,
        ),
    ];
    if s.staff.is_empty() {
        lines.push(Line::styled(
            format!(
                "  Nobody has it yet: press {} to grant it.",
                key(m, &Action::Grant)
            ),
            t.dim,
        ));
    }
    // A click selects the switch (the second line) or a person; again, toggles or
    // revokes as Enter does.
    let mut hits = app.hits.borrow_mut();
    hits.add(inner, Target::Scroll);
    hits.row(inner, inner.y + 1, 0, s.selected == 0, Mode::Settings);
    for (i, e) in s.staff.iter().enumerate() {
        let y = inner.y + u16::try_from(lines.len()).unwrap_or(u16::MAX);
        hits.row(inner, y, i as i64 + 1, s.selected == i + 1, Mode::Settings);
        let status = if e.status == Status::Dismissed {
            " · Dismissed"
        } else {
            ""
        };
        lines.push(Line::styled(
            format!("  {} ({}) · {}{}", e.name(), e.login, e.position, status),
            if s.selected == i + 1 {
                t.selected
            } else {
                Style::new()
            },
        ));
    }
    if !s.scim_tokens.is_empty() {
        // Made and revoked with `offboard scim token`; shown here so an administrator
        // sees which identity providers can change the company.
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "SCIM clients (a deactivation {} their integrations)",
                match s.scim_integrations {
                    crate::domain::IntegrationChoice::Keep => "keeps",
                    crate::domain::IntegrationChoice::Disable => "disables",
                }
            ),
            t.table_header,
        ));
        for token in &s.scim_tokens {
            lines.push(Line::raw(format!(
                "  {} · token #{} · made {} by {}",
                token.name,
                token.id,
                token.created_at.date_naive(),
                token.created_by
            )));
        }
    }
    if !s.hooks.is_empty() {
        // Registered with `offboard hook create`; shown here so a failing receiver is
        // seen where the administrator looks.
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Event hooks (delivered by offboard serve)",
            t.table_header,
        ));
        for h in &s.hooks {
            let events = if h.events.is_empty() {
                "all events".to_string()
            } else {
                h.events.join(",")
            };
            let state = match (h.health(), h.failing_since) {
                ("failing", Some(since)) => {
                    format!("FAILING since {}", crate::domain::time::minute(since))
                }
                (health, _) => health.to_string(),
            };
            let line = format!(
                "  #{} {} · {} · {} · {} waiting",
                h.id,
                crate::domain::text::escape(&h.url),
                events,
                state,
                h.backlog
            );
            if h.health() == "failing" {
                lines.push(Line::styled(line, t.error));
                lines.push(Line::styled(
                    format!(
                        "      {} (offboard hook enable {} resumes it)",
                        crate::domain::text::escape(h.failure.as_deref().unwrap_or("")),
                        h.id
                    ),
                    t.error,
                ));
            } else {
                lines.push(Line::raw(line));
            }
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "  {} toggles the switch · {} grants access · {} revokes it from the selected person",
            first_key(m, &Action::Toggle),
            key(m, &Action::Grant),
            key(m, &Action::Revoke)
        ),
        t.dim,
    ));
    drop(hits);
    frame.render_widget(Paragraph::new(lines), inner);
}
