//! The pieces the panes and dialogs are drawn with: buttons, fields, tick boxes, the
//! dialog frames, and the keys they show, which always come from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Clear, Padding, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap,
};

use crate::domain::IntegrationBrief;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialogs::Button;
use crate::tui::keymap::{Keymap, Mode};
use crate::tui::mouse::Target;

/// The label of the keys for `action` in `mode` ("n/Esc"); empty when none is bound.
pub fn key(mode: Mode, action: &Action) -> String {
    Keymap::get().key_for(mode, action).unwrap_or_default()
}

/// The first of the keys for `action` in `mode` ("Tab" of Tab/←/→).
pub fn first_key(mode: Mode, action: &Action) -> String {
    Keymap::get()
        .keys_for(mode, action)
        .first()
        .map(|k| k.label())
        .unwrap_or_default()
}

/// The first named key (not a letter) for `action` in `mode`: "↑" of k/↑; the first
/// key when the config file left it letters only.
pub fn named_key(mode: Mode, action: &Action) -> String {
    let keys = Keymap::get().keys_for(mode, action);
    keys.iter()
        .find(|k| !k.is_char())
        .or(keys.first())
        .map(|k| k.label())
        .unwrap_or_default()
}

/// Each key for `action` in `mode`, one by one ("Enter", "Esc").
pub fn each_key(mode: Mode, action: &Action) -> Vec<String> {
    Keymap::get()
        .keys_for(mode, action)
        .iter()
        .map(|k| k.label())
        .collect()
}

/// The keys that scroll a dialog's text: "↑/↓ PgUp/PgDn".
pub fn scroll_keys(mode: Mode) -> String {
    format!(
        "{}/{} {}/{}",
        key(mode, &Action::Up),
        key(mode, &Action::Down),
        key(mode, &Action::PageUp),
        key(mode, &Action::PageDown)
    )
}

/// A rectangle of `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Cut `s` to `max` characters, marking the cut with an ellipsis.
pub fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else if max == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

/// A pane's box, its border highlighted when focused.
/// A scrollbar on the right border of a list's `area` when its `total` rows do not fit
/// the table below its header line (`table`), at the `selected` row.
pub fn list_scrollbar(frame: &mut Frame, area: Rect, table: Rect, total: i64, selected: i64) {
    let shown = table.height.saturating_sub(1) as i64;
    if total <= shown {
        return;
    }
    let mut state = ScrollbarState::new(total as usize)
        .viewport_content_length(shown as usize)
        .position(selected as usize);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None),
        Rect {
            x: area.x,
            y: table.y + 1,
            width: area.width,
            height: shown as u16,
        },
        &mut state,
    );
}

pub fn block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let t = &app.theme;
    Block::bordered()
        .title(title)
        .border_style(if focused { t.border_focus } else { t.border })
}

/// How wide a dialog is over `area`.
pub fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(6).min(84)
}

/// One button; a click on it gives `action`, as its key does (the dialog's frame finds
/// it on the screen once drawn).
fn button<'a>(app: &App, item: &ButtonItem) -> Span<'a> {
    let t = &app.theme;
    let (label, key, focused, action) = item;
    // A button whose action the config file unbound shows no key.
    let text = if key.is_empty() {
        format!("[ {label} ]")
    } else {
        format!("[ {label} ({key}) ]")
    };
    app.hits
        .borrow_mut()
        .want(&text, Target::Act(action.clone()), false);
    Span::styled(text, if *focused { t.button_focus } else { t.button })
}

/// A button to draw: its label, its key, whether it has the focus, and its action.
pub type ButtonItem<'b> = (&'b str, &'b str, bool, Action);

/// Buttons side by side, or one per line when they do not fit.
pub fn buttons_lines<'a>(app: &App, items: &[ButtonItem], width: usize) -> Vec<Line<'a>> {
    let total: usize = items
        .iter()
        .map(|(l, k, _, _)| l.chars().count() + k.chars().count() + 9)
        .sum::<usize>()
        + 1;
    if total <= width {
        let mut spans = vec![Span::raw(" ")];
        for item in items {
            spans.push(button(app, item));
            spans.push(Span::raw("  "));
        }
        vec![Line::from(spans)]
    } else {
        items
            .iter()
            .map(|item| Line::from(vec![Span::raw(" "), button(app, item)]))
            .collect()
    }
}

/// A dialog's typed buttons, each with its key in `mode`, `focus` highlighted.
pub fn button_row<'a, B: Button>(
    app: &App,
    mode: Mode,
    buttons: &[B],
    focus: Option<B>,
    width: usize,
) -> Vec<Line<'a>> {
    let keys: Vec<String> = buttons.iter().map(|b| key(mode, &b.action())).collect();
    let items: Vec<ButtonItem> = buttons
        .iter()
        .zip(&keys)
        .map(|(b, k)| (b.label(), k.as_str(), focus == Some(*b), b.action()))
        .collect();
    buttons_lines(app, &items, width)
}

/// What of a text field fits in `width` columns, with the caret (`▏`) where typing
/// inserts when `focused`: the window scrolls to keep the caret in view, and a `…`
/// at either end says there is more that way.
pub fn field_text(value: &str, cursor: usize, focused: bool, width: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if !focused {
        return fit(value, width);
    }
    // One column is the caret's.
    let room = width.saturating_sub(1).max(1);
    let cursor = cursor.min(chars.len());
    let start = if chars.len() < room {
        0
    } else {
        cursor.saturating_sub(room - 1).min(chars.len() + 1 - room)
    };
    let end = (start + room).min(chars.len());
    let mut shown: Vec<char> = chars[start..end].to_vec();
    if start > 0 {
        shown[0] = '…';
    }
    if end < chars.len()
        && let Some(last) = shown.last_mut()
    {
        *last = '…';
    }
    let at = cursor - start;
    let mut out: String = shown[..at.min(shown.len())].iter().collect();
    out.push('▏');
    out.extend(&shown[at.min(shown.len())..]);
    out
}

/// A labelled text field, `width` wide, with the caret at `cursor` (a character
/// index) when focused, scrolled to keep it in view.
pub fn field<'a>(
    app: &App,
    label: &str,
    value: &str,
    cursor: usize,
    focused: bool,
    width: usize,
) -> Line<'a> {
    let t = &app.theme;
    let room = width.saturating_sub(1);
    let mut shown = field_text(value, cursor, focused, room);
    if !focused {
        shown.push(' ');
    }
    let pad = width.saturating_sub(shown.chars().count());
    Line::from(vec![
        Span::styled(format!(" {label} "), if focused { t.key } else { t.dim }),
        Span::styled(
            format!("{shown}{}", " ".repeat(pad)),
            if focused {
                t.field_focus
            } else {
                t.field.add_modifier(Modifier::UNDERLINED)
            },
        ),
    ])
}

/// `text` with the start of each of its words that a word of `query` begins drawn in
/// `hit` (how the list's search matches: case and accents aside), after `lead`.
pub fn highlighted<'a>(lead: &str, text: &str, query: &str, hit: Style) -> Line<'a> {
    let wanted: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(crate::domain::fold)
        .collect();
    let mut spans = vec![Span::raw(lead.to_string())];
    let mut plain = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            plain.push(c);
            continue;
        }
        // One word: how much of its start (in folded letters) a query word covers.
        let mut end = start + c.len_utf8();
        while let Some(&(i, n)) = chars.peek() {
            if !n.is_alphanumeric() {
                break;
            }
            end = i + n.len_utf8();
            chars.next();
        }
        let word = &text[start..end];
        let folded = crate::domain::fold(word);
        let covered = wanted
            .iter()
            .filter(|q| folded.starts_with(q.as_str()))
            .map(|q| q.len())
            .max()
            .unwrap_or(0);
        if covered == 0 {
            plain.push_str(word);
            continue;
        }
        // The original letters whose folded spelling makes up the covered part.
        let (mut cut, mut folded_len) = (0, 0);
        for (i, ch) in word.char_indices() {
            if folded_len >= covered {
                break;
            }
            folded_len += crate::domain::fold(&ch.to_string()).len();
            cut = i + ch.len_utf8();
        }
        if !plain.is_empty() {
            spans.push(Span::raw(std::mem::take(&mut plain)));
        }
        spans.push(Span::styled(word[..cut].to_string(), hit));
        plain.push_str(&word[cut..]);
    }
    if !plain.is_empty() {
        spans.push(Span::raw(plain));
    }
    Line::from(spans)
}

/// A tick box and its label.
pub fn tick<'a>(app: &App, label: String, on: bool, focused: bool) -> Line<'a> {
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
pub fn integration_line<'a>(lead: &str, i: &IntegrationBrief, width: usize) -> Line<'a> {
    Line::raw(fit(
        &format!("{lead}#{} {}  [{}]", i.id, i.title, i.scopes),
        width,
    ))
}

/// A dialog's lines with their one-column left margin taken off: the box's padding
/// gives every row that margin instead, so a line that wraps keeps it on the rows it
/// wraps onto.
fn margined(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    lines
        .into_iter()
        .map(|mut line| {
            if let Some(first) = line.spans.first_mut()
                && first.content.starts_with(' ')
            {
                let rest = first.content[1..].to_string();
                first.content = rest.into();
            }
            line
        })
        .collect()
}

/// The border of a dialog, with the one-column margin its text keeps when it wraps.
fn dialog_block<'a>(title: String, style: Style) -> Block<'a> {
    Block::bordered()
        .title(title)
        .border_style(style)
        .padding(Padding::left(1))
}

/// A dialog box sized to its wrapped text, in the middle of `area`, over `Clear`.
pub fn frame_dialog(
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
    let paragraph = Paragraph::new(margined(lines)).wrap(Wrap { trim: false });
    // Wrapped lines take more rows than there are lines: size the box to what is drawn.
    let rows = paragraph.line_count(width.saturating_sub(3)) as u16;
    let popup = centered(area, width, (rows + 2).min(area.height));
    frame.render_widget(Clear, popup);
    let block = dialog_block(
        format!(" {title} "),
        if error { t.error } else { t.border_focus },
    );
    frame.render_widget(paragraph.block(block), popup);
    app.hits.borrow_mut().found_in(frame.buffer_mut(), popup);
}

/// The parts of a dialog whose text may be taller than the window.
pub struct SplitDialog<'a> {
    pub title: &'a str,
    /// The text above the fields and buttons; it scrolls when it does not fit.
    pub body: Vec<Line<'a>>,
    /// Fields and buttons, always drawn whole at the bottom.
    pub footer: Vec<Line<'a>>,
    pub width: u16,
    pub scroll: u16,
    /// The keys that scroll the body, for the bottom border ("↑/↓ PgUp/PgDn").
    pub scroll_keys: String,
}

/// A dialog whose footer (fields and buttons) is always drawn whole at the bottom, and
/// whose body gets the rows left: when the body does not fit, it scrolls (from
/// `scroll`, kept in range) and the bottom border says how to see the rest. A
/// destructive dialog thus always shows its focused Cancel, whatever the window size.
pub fn frame_dialog_split(frame: &mut Frame, app: &App, area: Rect, d: SplitDialog) {
    let t = &app.theme;
    let width = d.width.min(area.width);
    let text_w = width.saturating_sub(3);
    let body = Paragraph::new(margined(d.body)).wrap(Wrap { trim: false });
    let footer = Paragraph::new(margined(d.footer)).wrap(Wrap { trim: false });
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
    let scroll = d.scroll.min(hidden);
    let mut block = dialog_block(format!(" {} ", d.title), t.border_focus);
    if hidden > 0 {
        let above = scroll;
        let below = hidden - scroll;
        block = block.title_bottom(Line::styled(
            format!(" {above} more above, {below} below: {} ", d.scroll_keys),
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
    let mut hits = app.hits.borrow_mut();
    hits.found_in(frame.buffer_mut(), popup);
    // The wheel scrolls the body, as ↑/↓ do.
    if hidden > 0 {
        hits.add(popup, Target::Scroll);
    }
}
