//! A profile: the head, the section tabs (fitted to the width) and the current tab.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use super::{id_width, plural};
use crate::domain::{DepartureState, IntegrationStatus, Kind, Status};
use crate::tui::action::Action;
use crate::tui::app::{App, ProfileTab};
use crate::tui::keymap::{Mode, key_for};
use crate::tui::mouse::Target;
use crate::tui::ui::layout::{PROFILE_HEAD_ROWS, PROFILE_TABS_ROWS};
use crate::tui::ui::widgets::{block, fit};
use crate::tui::views::offboarding::may_change;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let Some(view) = &app.profile else { return };
    let p = &view.data.profile;
    let e = &p.employee;
    let outer = block(app, format!(" Profile: {} ", e.name()), true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [head, tabs, body] = Layout::vertical([
        Constraint::Length(PROFILE_HEAD_ROWS),
        Constraint::Length(PROFILE_TABS_ROWS),
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
                DepartureState::Pending => {
                    format!(
                        "Leaving on {day}, scheduled by {}",
                        crate::directory::Named::new(&d.by_name, &d.by)
                    )
                }
                DepartureState::Failed => format!(
                    "Scheduled dismissal on {day} failed: {}",
                    d.failure.as_deref().unwrap_or("refused")
                ),
                _ => format!(
                    "Dismissed on {day} by {}",
                    crate::directory::Named::new(&d.by_name, &d.by)
                ),
            };
            if let Some(r) = d.reason {
                s.push_str(&format!(" · reason: {}", r.words()));
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
    let mut hits = app.hits.borrow_mut();
    for (tab, label) in section_tabs(view.tab, tabs.width as usize) {
        let style = if tab == Some(view.tab) {
            t.tab_active
        } else {
            t.tab
        };
        // A click on a section's tab shows it.
        if let Some(tab) = tab {
            let x = tabs.x + Line::from(spans.clone()).width() as u16;
            let w = Line::raw(label.as_str()).width() as u16;
            let at = Rect::new(x, tabs.y, w, 1).intersection(tabs);
            hits.add(at, Target::Act(Action::ShowSection(tab)));
        }
        spans.push(Span::styled(label, style));
        spans.push(Span::raw("  "));
    }
    frame.render_widget(Paragraph::new(vec![Line::from(spans), Line::raw("")]), tabs);
    // The wheel moves in the section; a click on a row selects it.
    hits.add(body, Target::Scroll);
    match view.tab {
        ProfileTab::Overview => {}
        ProfileTab::Integrations | ProfileTab::Keys => {
            let n = if view.tab == ProfileTab::Keys {
                view.keys.len()
            } else {
                p.integrations.len() + p.kept.len()
            } as i64;
            // The Keys tab keeps its last line for its keys.
            let list = if view.tab == ProfileTab::Keys {
                Rect {
                    height: body.height.saturating_sub(1),
                    ..body
                }
            } else {
                body
            };
            for (row, i) in (view.offset..n).enumerate() {
                let y = list.y.saturating_add(row as u16);
                hits.row(list, y, i, i == view.selected, Mode::Profile);
            }
        }
        _ => {
            let n = view.rows.len();
            for i in 0..n {
                // A conversation is drawn newest (first loaded) at the bottom.
                let row = if view.tab == ProfileTab::Conversation {
                    n - 1 - i
                } else {
                    i
                };
                let index = view.offset + i as i64;
                let y = body.y.saturating_add(row as u16);
                hits.row(body, y, index, index == view.selected, Mode::Profile);
            }
        }
    }
    drop(hits);

    let width = body.width as usize;
    match view.tab {
        ProfileTab::Overview => {
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
                    "  {} owned, {} active{}",
                    p.integrations.len(),
                    p.integrations
                        .iter()
                        .filter(|i| i.status == IntegrationStatus::Active)
                        .count(),
                    match (&p.system_user, p.kept.len()) {
                        (Some(s), n) if n > 0 => format!(" · {n} kept running under {s}"),
                        _ => String::new(),
                    }
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
            // A long checklist scrolls so that the selected step stays in view.
            let mut scroll = 0;
            if let Some(c) = &p.checklist {
                let at = offboarding_lines(&mut lines, c, app, view.step);
                scroll = (at + 1).saturating_sub(body.height as usize);
            }
            let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
            frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
        }
        ProfileTab::Integrations => {
            // Theirs, then those their system user keeps running for them.
            let all: Vec<&crate::domain::Integration> =
                p.integrations.iter().chain(&p.kept).collect();
            let rows = all
                .iter()
                .enumerate()
                .skip(view.offset as usize)
                .map(|(i, it)| {
                    let row = Row::new(vec![
                        format!("#{}", it.id),
                        it.title.clone(),
                        it.scopes.to_string(),
                        it.status.to_string(),
                        if it.owner_id == e.id {
                            it.transferred_from
                                .clone()
                                .map(|f| format!("from {f}"))
                                .unwrap_or_default()
                        } else {
                            format!("kept: runs as {}", it.owner)
                        },
                    ]);
                    if i as i64 == view.selected {
                        row.style(t.selected)
                    } else {
                        row
                    }
                });
            let widths = [
                Constraint::Length(id_width(
                    all.iter().skip(view.offset as usize).map(|it| it.id),
                )),
                Constraint::Fill(3),
                Constraint::Fill(1),
                Constraint::Length(9),
                Constraint::Fill(3),
            ];
            frame.render_widget(Table::new(rows, widths), body);
            if all.is_empty() {
                frame.render_widget(Paragraph::new("No integrations.").style(t.dim), body);
            }
        }
        ProfileTab::Keys => render_keys(frame, app, body),
        _ => {
            let chat = view.tab == ProfileTab::Conversation;
            let mut rows: Vec<Line> = view
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    // Rows without a time (groups) start at the margin.
                    let when = r
                        .when
                        .map(|w| format!("{:<16}  ", crate::domain::time::minute(w)))
                        .unwrap_or_default();
                    let text = if chat {
                        format!("{when}{}: {}", r.detail, r.title)
                    } else if r.detail.is_empty() {
                        format!("{when}{}", r.title)
                    } else {
                        format!("{when}{} · {}", r.title, r.detail)
                    };
                    let style = if view.offset + i as i64 == view.selected {
                        t.selected
                    } else {
                        Style::new()
                    };
                    Line::styled(fit(&text, width), style)
                })
                .collect();
            // A conversation reads like a chat: the newest message at the bottom.
            if chat {
                rows.reverse();
            }
            if rows.is_empty() {
                let what = if view.tab == ProfileTab::Conversation {
                    "No messages between you.".to_string()
                } else {
                    format!("Nothing in {}.", view.tab.title())
                };
                frame.render_widget(Paragraph::new(what).style(t.dim), body);
            } else {
                frame.render_widget(Paragraph::new(rows), body);
            }
        }
    }
}

/// The Keys tab: the employee's SSH keys and the keys that add and remove one, or why
/// the acting user may not see them.
fn render_keys(frame: &mut Frame, app: &App, body: Rect) {
    let t = &app.theme;
    let Some(view) = &app.profile else { return };
    if let Some(why) = &view.keys_denied {
        frame.render_widget(Paragraph::new(why.clone()).style(t.dim), body);
        return;
    }
    let [list, hint] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(body);
    let rows = view
        .keys
        .iter()
        .enumerate()
        .skip(view.offset as usize)
        .map(|(i, k)| {
            let row = Row::new(vec![
                format!("#{}", k.id),
                k.algorithm.clone(),
                k.fingerprint.clone(),
                k.comment.clone(),
                format!("{} by {}", k.added_at.date_naive(), k.added_by),
            ]);
            if i as i64 == view.selected {
                row.style(t.selected)
            } else {
                row
            }
        });
    let widths = [
        Constraint::Length(
            view.keys
                .iter()
                .map(|k| format!("#{}", k.id).len() as u16)
                .max()
                .unwrap_or(2),
        ),
        Constraint::Length(
            view.keys
                .iter()
                .map(|k| k.algorithm.len() as u16)
                .max()
                .unwrap_or(0),
        ),
        Constraint::Length(50),
        Constraint::Fill(1),
        Constraint::Length(
            view.keys
                .iter()
                .map(|k| k.added_by.chars().count() as u16 + 14)
                .max()
                .unwrap_or(0),
        ),
    ];
    frame.render_widget(Table::new(rows, widths), list);
    if view.keys.is_empty() {
        let none = format!(
            "No SSH keys: {} cannot sign in over SSH.",
            view.data.profile.employee.name()
        );
        frame.render_widget(Paragraph::new(none).style(t.dim), list);
    }
    let keys = |a: &Action| key_for(Mode::Profile, a).unwrap_or_default();
    let line = format!(
        "{} add a key · {} remove the selected one",
        keys(&Action::AddKey),
        keys(&Action::RemoveKey)
    );
    frame.render_widget(Paragraph::new(line).style(t.dim), hint);
}

/// The Offboarding section of the overview: the checklist's state and its steps, each
/// with due date, state, owner and who ticked it when, the `selected` one highlighted
/// (Space ticks or reopens it), overdue ones in the error colour, those the acting user
/// may not change greyed. Returns the line the selected step is on.
fn offboarding_lines(
    lines: &mut Vec<Line<'static>>,
    c: &crate::directory::Checklist,
    app: &App,
    selected: usize,
) -> usize {
    use crate::domain::StepState;
    let t = &app.theme;
    let done = c
        .steps
        .iter()
        .filter(|s| s.state == StepState::Done)
        .count();
    let overdue = c.steps.iter().filter(|s| s.overdue).count();
    lines.push(Line::styled(
        format!(
            "Offboarding: {} ({}, {done} of {} done{})",
            crate::domain::text::escape(&c.template),
            c.state,
            c.steps.len(),
            if overdue > 0 {
                format!(", {overdue} overdue")
            } else {
                String::new()
            }
        ),
        t.table_header,
    ));
    let mut at = lines.len();
    for (i, s) in c.steps.iter().enumerate() {
        let mark = match s.state {
            StepState::Done => "[x]",
            StepState::Open => "[ ]",
            StepState::Canceled => "[-]",
        };
        let state = if s.overdue {
            "OVERDUE".to_string()
        } else {
            s.state.to_string()
        };
        // Due date and state first: a narrow window cuts the owner, not the news.
        let line = format!(
            "  {mark} {} {state:<8} {}. {} · {}",
            s.due_on,
            s.number,
            crate::domain::text::escape(&s.title),
            s.owner_label()
        );
        let style = if i == selected {
            t.selected
        } else if may_change(&app.me, &c.login, c.state, s).is_err() {
            t.greyed
        } else if s.overdue {
            t.error
        } else {
            Style::new()
        };
        lines.push(Line::styled(line, style));
        // Who ticked it and when, under its title.
        if let (Some(by), Some(when)) = (&s.done_by, s.done_at) {
            let when = crate::domain::time::minute(when);
            lines.push(Line::styled(format!("{:26}done by {by} {when}", ""), style));
        }
        if i == selected {
            at = lines.len() - 1;
        }
    }
    at
}

/// The profile's section tabs that fit in `width`: every tab by its title; if that is
/// too wide, the short titles; if still too wide, the tabs around the current one,
/// with "…" (no tab) where some are left out. The current tab is always shown.
fn section_tabs(current: ProfileTab, width: usize) -> Vec<(Option<ProfileTab>, String)> {
    let labels = |short: bool| -> Vec<(Option<ProfileTab>, String)> {
        ProfileTab::ALL
            .iter()
            .map(|t| {
                let s = if short { t.short_title() } else { t.title() };
                (Some(*t), s.to_string())
            })
            .collect()
    };
    let current = ProfileTab::ALL
        .iter()
        .position(|t| *t == current)
        .unwrap_or(0);
    let fits = |tabs: &[(Option<ProfileTab>, String)]| -> bool {
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
            let mut candidate = all[f..t].to_vec();
            if f > 0 {
                candidate.insert(0, (None, "…".into()));
            }
            if t < all.len() {
                candidate.push((None, "…".into()));
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
    let mut shown = all[from..to].to_vec();
    if from > 0 {
        shown.insert(0, (None, "…".into()));
    }
    if to < all.len() {
        shown.push((None, "…".into()));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::section_tabs;
    use crate::tui::app::ProfileTab;

    fn width_of(tabs: &[(Option<ProfileTab>, String)]) -> usize {
        tabs.iter().map(|(_, l)| l.chars().count() + 2).sum()
    }

    #[test]
    fn section_tabs_fit_and_always_show_the_current_one() {
        let wide = section_tabs(ProfileTab::Overview, 200);
        assert_eq!(wide.len(), 11);
        assert!(wide.iter().any(|(_, l)| l == "Conversation history"));
        assert!(wide.iter().any(|(_, l)| l == "SSH keys"));
        // 90 columns: every tab, the long names shortened.
        let tabs = section_tabs(ProfileTab::Integrations, 88);
        assert_eq!(tabs.len(), 11, "{tabs:?}");
        assert!(width_of(&tabs) <= 88);
        assert!(tabs.iter().any(|(_, l)| l == "Integrations"));
        assert!(tabs.iter().any(|(_, l)| l == "Keys"));
        for current in ProfileTab::ALL {
            for width in [20, 40, 58] {
                let tabs = section_tabs(current, width);
                assert!(width_of(&tabs) <= width, "{current:?} at {width}: {tabs:?}");
                assert!(
                    tabs.iter().any(|(t, _)| *t == Some(current)),
                    "{current:?} at {width}: {tabs:?}"
                );
            }
        }
    }
}
