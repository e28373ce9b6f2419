//! Dialogs, drawn last over `Clear`. Each shows its own keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{centered, fit};
use crate::domain::{IntegrationBrief, Scope};
use crate::tui::app::{App, Focus, FormKind, Modal, WORK_KINDS};

fn button<'a>(app: &App, label: &str, key: &str, focused: bool) -> Span<'a> {
    let t = &app.theme;
    Span::styled(
        format!("[ {label} ({key}) ]"),
        if focused { t.button_focus } else { t.button },
    )
}

/// Buttons side by side, or one per line when they do not fit.
fn buttons_lines<'a>(app: &App, items: &[(&str, &str, bool)], width: usize) -> Vec<Line<'a>> {
    let total: usize = items
        .iter()
        .map(|(l, k, _)| l.chars().count() + k.chars().count() + 9)
        .sum::<usize>()
        + 1;
    if total <= width {
        let mut spans = vec![Span::raw(" ")];
        for (label, key, focused) in items {
            spans.push(button(app, label, key, *focused));
            spans.push(Span::raw("  "));
        }
        vec![Line::from(spans)]
    } else {
        items
            .iter()
            .map(|(label, key, focused)| {
                Line::from(vec![Span::raw(" "), button(app, label, key, *focused)])
            })
            .collect()
    }
}

fn field<'a>(app: &App, label: &str, value: &str, focused: bool, width: usize) -> Line<'a> {
    let t = &app.theme;
    let shown = fit(value, width.saturating_sub(2));
    let pad = width.saturating_sub(shown.chars().count() + 1);
    Line::from(vec![
        Span::styled(format!(" {label} "), if focused { t.key } else { t.dim }),
        Span::styled(
            format!(
                "{shown}{}{}",
                if focused { "▏" } else { " " },
                " ".repeat(pad)
            ),
            if focused {
                t.field_focus
            } else {
                t.field.add_modifier(ratatui::style::Modifier::UNDERLINED)
            },
        ),
    ])
}

fn tick<'a>(app: &App, label: String, on: bool, focused: bool) -> Line<'a> {
    let t = &app.theme;
    Line::styled(
        format!("   [{}] {label}", if on { "x" } else { " " }),
        if focused {
            t.button_focus
        } else {
            Style::new()
        },
    )
}

/// One integration in a dialog: its id, title and scopes, after `lead`.
fn integration_line<'a>(lead: &str, i: &IntegrationBrief, width: usize) -> Line<'a> {
    Line::raw(fit(
        &format!("{lead}#{} {}  [{}]", i.id, i.title, i.scopes),
        width,
    ))
}

fn frame_dialog(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    width: u16,
    error: bool,
) {
    let t = &app.theme;
    let width = width.min(area.width);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Wrapped lines take more rows than there are lines: size the box to what is drawn.
    let rows = paragraph.line_count(width.saturating_sub(2)) as u16;
    let popup = centered(area, width, (rows + 2).min(area.height));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(if error { t.error } else { t.border_focus });
    frame.render_widget(paragraph.block(block), popup);
}

/// A dialog whose `footer` (fields and buttons) is always drawn whole at the bottom,
/// and whose `body` gets the rows left: when the body does not fit, it scrolls (from
/// `scroll`, kept in range) and the bottom border says how to see the rest. A
/// destructive dialog thus always shows its focused Cancel, whatever the window size.
#[allow(clippy::too_many_arguments)]
fn frame_dialog_split(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    title: &str,
    body: Vec<Line>,
    footer: Vec<Line>,
    width: u16,
    scroll: u16,
) {
    let t = &app.theme;
    let width = width.min(area.width);
    let text_w = width.saturating_sub(2);
    let body = Paragraph::new(body).wrap(Wrap { trim: false });
    let footer = Paragraph::new(footer).wrap(Wrap { trim: false });
    let body_rows = u16::try_from(body.line_count(text_w)).unwrap_or(u16::MAX);
    let footer_rows = u16::try_from(footer.line_count(text_w)).unwrap_or(u16::MAX);
    let popup = centered(
        area,
        width,
        body_rows.saturating_add(footer_rows).saturating_add(2),
    );
    frame.render_widget(Clear, popup);
    let inner_h = popup.height.saturating_sub(2);
    let footer_h = footer_rows.min(inner_h);
    let body_h = inner_h - footer_h;
    let hidden = body_rows.saturating_sub(body_h);
    let scroll = scroll.min(hidden);
    let mut block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(t.border_focus);
    if hidden > 0 {
        let above = scroll;
        let below = hidden - scroll;
        block = block.title_bottom(Line::styled(
            format!(" {above} more above, {below} below: ↑/↓ PgUp/PgDn "),
            t.key,
        ));
    }
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(
        body.scroll((scroll, 0)),
        Rect {
            height: body_h,
            ..inner
        },
    );
    // The footer's last rows are the buttons: when even the footer is cut, keep those.
    let footer_skip = footer_rows.saturating_sub(footer_h);
    frame.render_widget(
        footer.scroll((footer_skip, 0)),
        Rect {
            y: inner.y + body_h,
            height: footer_h,
            ..inner
        },
    );
}

pub fn render(frame: &mut Frame, app: &App, modal: &Modal, area: Rect) {
    let t = &app.theme;
    let width = area.width.saturating_sub(6).min(84);
    let inner_w = width.saturating_sub(2) as usize;
    match modal {
        Modal::BulkMenu { logins, selected } => {
            let width = width.min(70);
            let mut lines = vec![Line::styled(
                format!(" {} marked: {}", logins.len(), fit(&logins.join(", "), 50)),
                t.dim,
            )];
            for (i, (key, label)) in [
                ('d', "Dismiss the marked employees"),
                ('h', "Hire the marked employees"),
            ]
            .iter()
            .enumerate()
            {
                let style = if i == *selected {
                    t.selected
                } else if app.me.is_staff() {
                    Style::new()
                } else {
                    t.greyed
                };
                lines.push(Line::styled(format!(" {key}  {label}"), style));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                " letter or ↑/↓ + Enter to choose · Esc to close",
                t.dim,
            ));
            frame_dialog(frame, app, area, "Marked employees", lines, width, false);
        }
        Modal::Bulk(b) => {
            let verb = if b.dismiss { "dismiss" } else { "hire" };
            let going = b.going().len();
            let mut lines = vec![Line::styled(
                format!(
                    " {} {going} of {} marked employee{}?",
                    if b.dismiss { "Dismiss" } else { "Hire" },
                    b.steps.len(),
                    if b.steps.len() == 1 { "" } else { "s" }
                ),
                t.table_header,
            )];
            for s in &b.steps {
                let name = s.name.clone().unwrap_or_else(|| s.login.clone());
                let text = if s.apply {
                    let extra = if s.active_integrations > 0 {
                        format!(
                            " ({} active integration{})",
                            s.active_integrations,
                            if s.active_integrations == 1 { "" } else { "s" }
                        )
                    } else {
                        String::new()
                    };
                    format!("   • {name}: {verb}{extra}")
                } else {
                    format!(
                        "   • {name}: skipped, {}",
                        s.skip_reason.as_deref().unwrap_or("")
                    )
                };
                lines.push(Line::styled(
                    fit(&text, inner_w),
                    if s.apply { Style::new() } else { t.greyed },
                ));
                if s.apply {
                    for i in &s.integrations {
                        lines.push(integration_line("       ", i, inner_w));
                    }
                }
            }
            if b.buttons().iter().any(|(_, k)| *k == 'k') {
                lines.push(Line::raw(" One choice for every integration of the set:"));
                lines.push(Line::raw(
                    " Keep: they move to a system user and keep working for anyone with the link.",
                ));
                lines.push(Line::raw(" Disable: they stop working at once."));
            }
            lines.push(Line::styled(
                " Each employee is changed on their own: one refusal stops no other.",
                t.dim,
            ));
            let body = std::mem::take(&mut lines);
            lines.push(Line::raw(""));
            let buttons = b.buttons();
            let items: Vec<(&str, &str, bool)> = buttons
                .iter()
                .enumerate()
                .map(|(i, (label, key))| {
                    (
                        *label,
                        match key {
                            'n' => "n/Esc",
                            'k' => "k",
                            'x' => "x",
                            _ => "y",
                        },
                        b.focus == Focus::Button(i),
                    )
                })
                .collect();
            lines.extend(buttons_lines(app, &items, inner_w));
            frame_dialog_split(
                frame,
                app,
                area,
                if b.dismiss {
                    "Dismiss marked employees"
                } else {
                    "Hire marked employees"
                },
                body,
                lines,
                width,
                b.scroll,
            );
        }
        Modal::Menu {
            title,
            items,
            selected,
            ..
        } => {
            let mut lines = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let mut style = if it.refused.is_some() {
                    t.greyed
                } else {
                    Style::new()
                };
                if i == *selected {
                    style = t.selected;
                }
                let mut text = format!(" {}  {}", it.key, it.label);
                if let Some(why) = &it.refused {
                    text.push_str(&format!("  ({})", why));
                }
                lines.push(Line::styled(fit(&text, inner_w), style));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                " letter or ↑/↓ + Enter to choose · Esc to close",
                t.dim,
            ));
            frame_dialog(frame, app, area, title, lines, width, false);
        }
        Modal::Dismiss(d) => {
            let e = &d.target;
            let mut lines = vec![Line::styled(
                format!(" Dismiss {}?", e.name()),
                t.table_header,
            )];
            let mut owns = format!(
                " {} still owns {} open task{}, {} CRM item{}, {} file{} and {} mailbox{}",
                e.first_name,
                d.owns.tasks,
                if d.owns.tasks == 1 { "" } else { "s" },
                d.owns.crm_items,
                if d.owns.crm_items == 1 { "" } else { "s" },
                d.owns.files,
                if d.owns.files == 1 { "" } else { "s" },
                d.owns.mailboxes,
                if d.owns.mailboxes == 1 { "" } else { "es" }
            );
            if !d.integrations.is_empty() {
                owns.push_str(&format!(
                    ", and {} active integration{}",
                    d.integrations.len(),
                    if d.integrations.len() == 1 { "" } else { "s" }
                ));
            }
            owns.push('.');
            lines.push(Line::raw(owns));
            lines.push(Line::styled(
                " Nothing is deleted: their work and history stay; they lose access.",
                t.dim,
            ));
            if !d.integrations.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(" Active integrations:", t.table_header));
                for i in &d.integrations {
                    lines.push(integration_line("   • ", i, inner_w));
                }
                lines.push(Line::raw(
                    " Keep: they move to a system user and keep working for anyone with the link.",
                ));
                lines.push(Line::raw(" Disable: they stop working at once."));
            }
            let body = std::mem::take(&mut lines);
            lines.push(Line::raw(""));
            let reason = d
                .reason
                .map(|r| r.to_string())
                .unwrap_or_else(|| "none".into());
            lines.push(Line::from(vec![
                Span::styled(
                    " Reason ",
                    if d.focus == Focus::Reason {
                        t.key
                    } else {
                        t.dim
                    },
                ),
                Span::styled(
                    format!("‹ {reason} ›"),
                    if d.focus == Focus::Reason {
                        t.field_focus
                    } else {
                        t.field
                    },
                ),
            ]));
            lines.push(field(
                app,
                "Note  ",
                d.note.value(),
                d.focus == Focus::Note,
                inner_w.saturating_sub(10),
            ));
            let when = if d.date.value().is_empty() && d.focus != Focus::Date {
                "now"
            } else {
                d.date.value()
            };
            lines.push(field(
                app,
                "When  ",
                when,
                d.focus == Focus::Date,
                inner_w.saturating_sub(10),
            ));
            // In a short window the hints give way to the text above (the status bar
            // still lists the keys).
            let roomy = area.height >= 24;
            if roomy {
                lines.push(Line::styled(
                    " (When: leave empty for now, or a date YYYY-MM-DD to schedule)",
                    t.dim,
                ));
                lines.push(Line::raw(""));
            }
            let buttons = d.buttons();
            let items: Vec<(&str, &str, bool)> = buttons
                .iter()
                .enumerate()
                .map(|(i, (label, key))| {
                    (
                        *label,
                        if *key == 'n' {
                            "n/Esc"
                        } else {
                            match key {
                                'y' => "y",
                                'k' => "k",
                                'r' => "r",
                                _ => "x",
                            }
                        },
                        d.focus == Focus::Button(i),
                    )
                })
                .collect();
            lines.extend(buttons_lines(app, &items, inner_w));
            if roomy {
                lines.push(Line::styled(
                    " Enter presses the focused button · Tab next field · ←/→ move",
                    t.dim,
                ));
            }
            frame_dialog_split(
                frame,
                app,
                area,
                "Dismiss employee",
                body,
                lines,
                width,
                d.scroll,
            );
        }
        Modal::Hire(h) => {
            let mut lines = vec![
                Line::styled(format!(" Hire {}?", h.target.name()), t.table_header),
                Line::raw(format!(
                    " {} becomes active again and can sign in as before.",
                    h.target.first_name
                )),
            ];
            if !h.returnable.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::raw(format!(
                    " Their system user holds {} integration{} that came from them:",
                    h.returnable.len(),
                    if h.returnable.len() == 1 { "" } else { "s" }
                )));
                for i in &h.returnable {
                    lines.push(integration_line("   • ", i, inner_w));
                }
                lines.push(tick(
                    app,
                    "Return them to the employee (t); URLs stay the same".into(),
                    h.return_ticked,
                    h.focus == Focus::Tick(0),
                ));
            }
            lines.push(Line::raw(""));
            lines.extend(buttons_lines(
                app,
                &[
                    ("Hire", "y", h.focus == Focus::Button(0)),
                    ("Cancel", "n/Esc", h.focus == Focus::Button(1)),
                ],
                inner_w,
            ));
            lines.push(Line::styled(
                " Enter presses the focused button · Tab/←/→ move",
                t.dim,
            ));
            frame_dialog(frame, app, area, "Hire employee", lines, width, false);
        }
        Modal::Reassign(r) => {
            let mut lines = vec![
                Line::styled(
                    format!(" Reassign what {} owns", r.from.name()),
                    t.table_header,
                ),
                Line::styled(
                    " New responsible (active employees only; Tab here and type a name):",
                    t.dim,
                ),
                field(
                    app,
                    "To",
                    r.picker.value(),
                    r.focus == Focus::Picker,
                    inner_w.saturating_sub(6),
                ),
            ];
            if r.chosen.is_none() {
                if r.candidates.is_empty() && !r.picker.value().is_empty() {
                    lines.push(Line::styled("   nobody active matches", t.dim));
                }
                for (i, c) in r.candidates.iter().enumerate() {
                    let style = if i == r.candidate {
                        t.selected
                    } else {
                        Style::new()
                    };
                    lines.push(Line::styled(
                        fit(
                            &format!("   {} ({}) · {}", c.name(), c.login, c.position),
                            inner_w,
                        ),
                        style,
                    ));
                }
            } else if let Some(c) = &r.chosen {
                lines.push(Line::styled(
                    format!("   → {} ({})", c.name(), c.login),
                    t.ok,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(" Move (Space ticks):", t.dim));
            let counts = r.counts();
            for i in 0..4 {
                lines.push(tick(
                    app,
                    format!("{} ({})", WORK_KINDS[i], counts[i]),
                    r.ticks[i],
                    r.focus == Focus::Tick(i),
                ));
            }
            let moving: i64 = (0..4).filter(|i| r.ticks[*i]).map(|i| counts[i]).sum();
            lines.push(Line::raw(format!(
                " Preview: {moving} item{} will move.",
                if moving == 1 { "" } else { "s" }
            )));
            lines.push(Line::raw(""));
            lines.extend(buttons_lines(
                app,
                &[
                    ("Reassign", "y", r.focus == Focus::Button(0)),
                    ("Cancel", "n/Esc", r.focus == Focus::Button(1)),
                ],
                inner_w,
            ));
            lines.push(Line::styled(
                " Enter presses the focused button or picks the name · Tab next field",
                t.dim,
            ));
            frame_dialog(frame, app, area, "Reassign", lines, width, false);
        }
        Modal::Webhook(w) => {
            let title = match &w.kind {
                FormKind::Create => "Create webhook".to_string(),
                FormKind::Edit { id, .. } => format!("Edit integration #{id}"),
            };
            let mut lines = Vec::new();
            if let FormKind::Edit {
                takes_over: true,
                owner,
                ..
            } = &w.kind
            {
                lines.push(Line::styled(
                    format!(" It is held by {owner}. Saving makes it yours:"),
                    t.error,
                ));
                lines.push(Line::styled(
                    " a new secret is issued and shown once, and the old URL stops working.",
                    t.error,
                ));
                lines.push(Line::raw(""));
            }
            lines.push(field(
                app,
                "Title",
                w.title.value(),
                w.focus == Focus::Title,
                inner_w.saturating_sub(9),
            ));
            lines.push(Line::styled(" Scopes (Space ticks):", t.dim));
            for (i, s) in Scope::ALL.iter().enumerate() {
                lines.push(tick(
                    app,
                    s.to_string(),
                    w.scopes.contains(*s),
                    w.focus == Focus::Tick(i),
                ));
            }
            lines.push(Line::raw(""));
            lines.extend(buttons_lines(
                app,
                &[
                    ("Save", "y", w.focus == Focus::Button(0)),
                    ("Cancel", "n/Esc", w.focus == Focus::Button(1)),
                ],
                inner_w,
            ));
            lines.push(Line::styled(
                " Enter presses the focused button · Tab next field",
                t.dim,
            ));
            frame_dialog(frame, app, area, &title, lines, width, false);
        }
        Modal::Grant(p) => {
            let mut lines = vec![
                Line::styled(" Grant company-structure access", t.table_header),
                Line::styled(
                    " They will be able to dismiss, hire and reassign. Tab here and type a name:",
                    t.dim,
                ),
                field(
                    app,
                    "Who",
                    p.input.value(),
                    p.focus == Focus::Picker,
                    inner_w.saturating_sub(7),
                ),
            ];
            for (i, c) in p.candidates.iter().enumerate() {
                let style = if i == p.candidate {
                    t.selected
                } else {
                    Style::new()
                };
                lines.push(Line::styled(
                    fit(
                        &format!("   {} ({}) · {}", c.name(), c.login, c.position),
                        inner_w,
                    ),
                    style,
                ));
            }
            lines.push(Line::raw(""));
            lines.extend(buttons_lines(
                app,
                &[
                    ("Grant", "y", p.focus == Focus::Button(0)),
                    ("Cancel", "n/Esc", p.focus == Focus::Button(1)),
                ],
                inner_w,
            ));
            frame_dialog(frame, app, area, "Grant access", lines, width, false);
        }
        Modal::Confirm {
            title,
            lines: body,
            yes,
            focus_yes,
            ..
        } => {
            let mut lines: Vec<Line> = body.iter().map(|l| Line::raw(format!(" {l}"))).collect();
            lines.push(Line::raw(""));
            lines.extend(buttons_lines(
                app,
                &[(yes, "y", *focus_yes), ("Cancel", "n/Esc", !*focus_yes)],
                inner_w,
            ));
            lines.push(Line::styled(
                " Enter presses the focused button · Tab switches",
                t.dim,
            ));
            frame_dialog(frame, app, area, title, lines, width, false);
        }
        Modal::Message {
            title,
            lines: body,
            error,
        } => {
            let mut lines: Vec<Line> = body.iter().map(|l| Line::raw(format!(" {l}"))).collect();
            lines.push(Line::raw(""));
            lines.push(Line::styled(" Enter or Esc to close", t.dim));
            // A word that must not break (a webhook URL, to be copied whole) widens the
            // box up to the whole window: borders and margins take four columns.
            let longest_word = body
                .iter()
                .flat_map(|l| l.split(' '))
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            let width = width
                .max(u16::try_from(longest_word + 4).unwrap_or(u16::MAX))
                .min(area.width);
            frame_dialog(frame, app, area, title, lines, width, *error);
        }
    }
}
