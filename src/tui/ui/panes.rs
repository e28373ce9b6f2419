//! The panes: Employees, Profile, Integrations, Audit, Settings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{block, fit};
use crate::domain::{IntegrationId, IntegrationStatus, Kind, Status, StatusFilter, time};
use crate::tui::app::{App, SECTIONS};

fn search_line<'a>(
    app: &App,
    label: &str,
    value: &str,
    focused: bool,
    extra: Vec<Span<'a>>,
) -> Line<'a> {
    let t = &app.theme;
    let mut spans = vec![
        Span::styled(format!("{label} "), t.dim),
        Span::styled(
            format!("{}{}", value, if focused { "▏" } else { "" }),
            if focused { t.field_focus } else { t.field },
        ),
    ];
    if !focused && value.is_empty() {
        spans.push(Span::styled("(press / to search)", t.greyed));
    }
    spans.extend(extra);
    Line::from(spans)
}

pub fn employees(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let e = &app.employees;
    let title = if e.backlog {
        format!(" Employees · still own work ({}) ", e.total)
    } else {
        format!(" Employees ({}) ", e.total)
    };
    let outer = block(app, title, true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [search, table] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let mut extra = Vec::new();
    if app.show_dismissed && !e.backlog {
        let f = match e.filter {
            StatusFilter::Active => "active",
            StatusFilter::Dismissed => "dismissed",
            StatusFilter::All => "all",
        };
        extra.push(Span::styled(format!("   Status: {f} (f)"), t.dim));
    }
    if e.backlog {
        extra.push(Span::styled("   Handover backlog (o)", t.dismissed));
    }
    frame.render_widget(
        Paragraph::new(search_line(
            app,
            "Search:",
            e.search.value(),
            e.searching,
            extra,
        )),
        search,
    );

    let selected_row = (e.selected - e.offset) as usize;
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
            let row = Row::new(vec![
                Cell::from(r.employee.name()),
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
        let header =
            Row::new(["Name", "Position", "Department", "Status", "Integr."]).style(t.table_header);
        let rows = e.rows.iter().enumerate().map(|(i, r)| {
            let status = if r.employee.status == Status::Dismissed {
                Cell::from(Span::styled("Dismissed", t.dismissed))
            } else if let Some(day) = &r.leaving_on {
                Cell::from(Span::styled(format!("Leaving {day}"), t.dismissed))
            } else {
                Cell::from("active")
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
        // The status column is as wide as what it shows on this page ("active" takes
        // less room than "Leaving 2026-12-31"): the rest goes to the names.
        let status_width = e
            .rows
            .iter()
            .map(|r| match (&r.employee.status, &r.leaving_on) {
                (Status::Dismissed, _) => "Dismissed".len(),
                (_, Some(day)) => "Leaving ".len() + day.to_string().chars().count(),
                _ => "active".len(),
            })
            .max()
            .unwrap_or(0)
            .max("Status".len());
        let widths = [
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(u16::try_from(status_width).unwrap_or(u16::MAX)),
            Constraint::Length(7),
        ];
        frame.render_widget(Table::new(rows, widths).header(header), table);
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

pub fn profile(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let Some(view) = &app.profile else { return };
    let p = &view.data.profile;
    let e = &p.employee;
    let outer = block(app, format!(" Profile: {} ", e.name()), true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [head, tabs, body] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(2),
        Constraint::Min(1),
    ])
    .areas(inner);

    let badge = match (e.kind, e.status) {
        (Kind::System, _) => Span::styled(" System user ", t.system),
        (_, Status::Dismissed) => Span::styled(" Dismissed ", t.dismissed),
        _ => Span::styled(" Active ", t.ok),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ({})", e.name(), e.login), t.table_header),
            Span::raw("  "),
            badge,
        ]),
        Line::raw(format!(
            "{} · {} · {} · hired {}",
            if e.position.is_empty() {
                "no position"
            } else {
                &e.position
            },
            e.department.as_deref().unwrap_or("no department"),
            if e.email.is_empty() {
                "no email"
            } else {
                &e.email
            },
            e.hired_on
        )),
    ];
    match &p.departure {
        Some(d) => {
            let day = d.at.date_naive();
            let mut s = match d.state {
                crate::domain::DepartureState::Pending => {
                    format!("Leaving on {day} (scheduled by {})", d.by)
                }
                crate::domain::DepartureState::Failed => format!(
                    "Scheduled dismissal on {day} failed: {}",
                    d.failure.as_deref().unwrap_or("refused")
                ),
                _ => format!("Dismissed on {day} by {}", d.by),
            };
            if let Some(r) = d.reason {
                s.push_str(&format!(" · reason: {r}"));
            }
            if let Some(n) = &d.note {
                s.push_str(&format!(" · {n}"));
            }
            lines.push(Line::styled(fit(&s, inner.width as usize), t.dismissed));
        }
        None => lines.push(Line::raw(format!("Role: {}", e.role()))),
    }
    frame.render_widget(Paragraph::new(lines), head);

    let mut spans = Vec::new();
    for (i, label) in section_tabs(view.section, tabs.width as usize) {
        let style = if i == view.section {
            t.tab_active
        } else {
            t.tab
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw("  "));
    }
    frame.render_widget(Paragraph::new(vec![Line::from(spans), Line::raw("")]), tabs);

    let width = body.width as usize;
    match SECTIONS[view.section] {
        "Overview" => {
            let o = p.owns;
            let h = p.history;
            let mut lines = vec![
                Line::styled("Still owns (what Reassign… moves)", t.table_header),
                Line::raw(format!(
                    "  {} open task{} · {} CRM item{} · {} file{} · {} mailbox{}",
                    o.tasks,
                    if o.tasks == 1 { "" } else { "s" },
                    o.crm_items,
                    if o.crm_items == 1 { "" } else { "s" },
                    o.files,
                    if o.files == 1 { "" } else { "s" },
                    o.mailboxes,
                    if o.mailboxes == 1 { "" } else { "es" }
                )),
                Line::styled("Took part in", t.table_header),
                Line::raw(format!(
                    "  {} task{} · {} message{} · {} meeting{} · {} feed post{} · {} group{}",
                    h.tasks,
                    plural(h.tasks),
                    h.messages,
                    plural(h.messages),
                    h.meetings,
                    plural(h.meetings),
                    h.feed_posts,
                    plural(h.feed_posts),
                    h.groups,
                    plural(h.groups)
                )),
                Line::styled("Integrations", t.table_header),
                Line::raw(format!(
                    "  {} owned, {} active",
                    p.integrations.len(),
                    p.integrations
                        .iter()
                        .filter(|i| i.status == IntegrationStatus::Active)
                        .count()
                )),
                Line::raw(format!(
                    "  Conversation with you: {} messages",
                    p.conversation_len
                )),
            ];
            if let Some(s) = &p.system_user {
                lines.push(Line::raw(format!(
                    "  System user keeping their integrations: {s}"
                )));
            }
            frame.render_widget(Paragraph::new(lines), body);
        }
        "Integrations" => {
            let rows = p
                .integrations
                .iter()
                .enumerate()
                .skip(view.offset as usize)
                .map(|(i, it)| {
                    let row = Row::new(vec![
                        format!("#{}", it.id),
                        it.title.clone(),
                        it.scopes.to_string(),
                        it.status.to_string(),
                        it.transferred_from
                            .clone()
                            .map(|f| format!("from {f}"))
                            .unwrap_or_default(),
                    ]);
                    if i as i64 == view.selected {
                        row.style(t.selected)
                    } else {
                        row
                    }
                });
            let widths = [
                Constraint::Length(id_width(
                    p.integrations
                        .iter()
                        .skip(view.offset as usize)
                        .map(|it| it.id),
                )),
                Constraint::Fill(3),
                Constraint::Fill(2),
                Constraint::Length(9),
                Constraint::Fill(1),
            ];
            frame.render_widget(Table::new(rows, widths), body);
            if p.integrations.is_empty() {
                frame.render_widget(Paragraph::new("No integrations.").style(t.dim), body);
            }
        }
        _ => {
            let rows: Vec<Line> = view
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let when = r.when.map(time::minute).unwrap_or_default();
                    let text = if SECTIONS[view.section] == "Conversation history" {
                        format!("{when:<16}  {}: {}", r.detail, r.title)
                    } else if r.detail.is_empty() {
                        format!("{when:<16}  {}", r.title)
                    } else {
                        format!("{when:<16}  {} · {}", r.title, r.detail)
                    };
                    let style = if view.offset + i as i64 == view.selected {
                        t.selected
                    } else {
                        Style::new()
                    };
                    Line::styled(fit(&text, width), style)
                })
                .collect();
            if rows.is_empty() {
                let what = if SECTIONS[view.section] == "Conversation history" {
                    "No messages between you.".to_string()
                } else {
                    format!("Nothing in {}.", SECTIONS[view.section])
                };
                frame.render_widget(Paragraph::new(what).style(t.dim), body);
            } else {
                frame.render_widget(Paragraph::new(rows), body);
            }
        }
    }
}

pub fn integrations(frame: &mut Frame, app: &App, area: Rect) {
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
        let msg = if app.me.is_staff() {
            "No integrations yet: press c to create one."
        } else {
            "You own no integrations: press c to create one."
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

pub fn audit(frame: &mut Frame, app: &App, area: Rect) {
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
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(search_line(
            app,
            "Search:",
            a.search.value(),
            a.searching,
            vec![],
        )),
        search,
    );
    let header = Row::new(["At", "Actor", "Action", "Target", "Details"]).style(t.table_header);
    let rows = a.rows.iter().enumerate().map(|(i, ev)| {
        let actor = match ev.via_integration {
            Some(id) => format!("{} via #{id}", ev.actor),
            None => ev.actor.clone(),
        };
        let row = Row::new(vec![
            time::minute(ev.at),
            actor,
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
        Constraint::Length(18),
        Constraint::Length(14),
        Constraint::Fill(1),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), table);
}

pub fn settings(frame: &mut Frame, app: &App, area: Rect) {
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
            "  Nobody has it yet: press + to grant it.",
            t.dim,
        ));
    }
    for (i, e) in s.staff.iter().enumerate() {
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
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "  Space toggles the switch · + grants access · - revokes it from the selected person",
        t.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The width of an integration ID column: "#" and the longest ID shown, never cut
/// (a cut ID would send someone to the wrong integration), at least as wide as "ID".
fn id_width(ids: impl Iterator<Item = IntegrationId>) -> u16 {
    let longest = ids.map(|id| format!("#{id}").len()).max().unwrap_or(0);
    u16::try_from(longest.max(2)).unwrap_or(u16::MAX)
}

/// The profile's section tabs that fit in `width`: every tab by its name; if that is
/// too wide, "Conversation history" shortened; if still too wide, the tabs around the
/// current one, with "…" where some are left out. The current tab is always shown.
fn section_tabs(current: usize, width: usize) -> Vec<(usize, String)> {
    let labels = |short: bool| -> Vec<(usize, String)> {
        SECTIONS
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let s = if short && *s == "Conversation history" {
                    "Conversation"
                } else {
                    s
                };
                (i, s.to_string())
            })
            .collect()
    };
    let fits = |tabs: &[(usize, String)]| -> bool {
        tabs.iter()
            .map(|(_, l)| l.chars().count() + 2)
            .sum::<usize>()
            <= width
    };
    for short in [false, true] {
        let all = labels(short);
        if fits(&all) {
            return all;
        }
    }
    // A window of tabs around the current one, grown while it fits.
    let all = labels(true);
    let (mut from, mut to) = (current, current + 1);
    loop {
        let grown = [
            (to < all.len()).then(|| (from, to + 1)),
            (from > 0).then(|| (from - 1, to)),
        ];
        let mut grew = false;
        for (f, t) in grown.into_iter().flatten() {
            let mut candidate: Vec<(usize, String)> = all[f..t].to_vec();
            if f > 0 {
                candidate.insert(0, (usize::MAX, "…".into()));
            }
            if t < all.len() {
                candidate.push((usize::MAX, "…".into()));
            }
            if fits(&candidate) {
                (from, to) = (f, t);
                grew = true;
                break;
            }
        }
        if !grew {
            break;
        }
    }
    let mut shown: Vec<(usize, String)> = all[from..to].to_vec();
    if from > 0 {
        shown.insert(0, (usize::MAX, "…".into()));
    }
    if to < all.len() {
        shown.push((usize::MAX, "…".into()));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::section_tabs;

    fn width_of(tabs: &[(usize, String)]) -> usize {
        tabs.iter().map(|(_, l)| l.chars().count() + 2).sum()
    }

    #[test]
    fn section_tabs_fit_and_always_show_the_current_one() {
        let wide = section_tabs(0, 200);
        assert_eq!(wide.len(), 8);
        assert!(wide.iter().any(|(_, l)| l == "Conversation history"));
        // 80 columns: every tab, one name shortened.
        let tabs = section_tabs(7, 78);
        assert_eq!(tabs.len(), 8, "{tabs:?}");
        assert!(width_of(&tabs) <= 78);
        assert!(tabs.iter().any(|(_, l)| l == "Integrations"));
        for current in 0..8 {
            for width in [20, 40, 58] {
                let tabs = section_tabs(current, width);
                assert!(width_of(&tabs) <= width, "{current} at {width}: {tabs:?}");
                assert!(
                    tabs.iter().any(|(i, _)| *i == current),
                    "{current} at {width}: {tabs:?}"
                );
            }
        }
    }
}
