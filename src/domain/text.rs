//! Text from input on its way to a terminal or the log: the one place that makes control
//! characters visible, so that what someone typed, sent or put in a file can neither
//! drive the terminal (ESC sequences, a title change, a cleared screen) nor forge a line
//! (CR, LF) nor read backwards (the bidirectional controls).

use std::borrow::Cow;
use std::fmt::Write;

/// Characters that would break a line of a table, a profile or a log, or make text
/// show other than it reads: control characters (newline and tab included, C1 too),
/// the Unicode line and paragraph separators, and the bidirectional embeddings,
/// overrides and isolates. Input validation refuses them; `escape` shows them.
pub fn breaks_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character of `breaks_text` written as a visible escape: `\e` for ESC,
/// `\r`, `\n`, `\t`, `\a` for BEL, `\u{202e}` and the like for the rest. Everything
/// else, backslashes included, stays as it is. Borrows when there is nothing to escape,
/// which is nearly always.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(breaks_text) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Like `escape`, but at most `max_chars` characters of the escaped text, followed by a
/// marker saying how much of it was left out: for what an unauthenticated client sends,
/// which may be as long as it likes.
pub fn escape_bounded(s: &str, max_chars: usize) -> Cow<'_, str> {
    if s.len() <= max_chars && !s.chars().any(breaks_text) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(max_chars.min(s.len()) + 40);
    let mut shown = 0;
    for (at, c) in s.char_indices() {
        let mut one = String::new();
        push_escaped(&mut one, c);
        let width = one.chars().count();
        if shown + width > max_chars {
            let _ = write!(out, "…[cut: {} more bytes]", s.len() - at);
            return Cow::Owned(out);
        }
        shown += width;
        out.push_str(&one);
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    if !breaks_text(c) {
        out.push(c);
        return;
    }
    match c {
        '\u{1b}' => out.push_str("\\e"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\u{7}' => out.push_str("\\a"),
        other => {
            let _ = write!(out, "\\u{{{:x}}}", other as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for s in ["", "jdoe", "Álvarez Müller", "a\\e b", "日本語"] {
            assert!(matches!(escape(s), Cow::Borrowed(x) if x == s), "{s:?}");
            assert!(matches!(escape_bounded(s, 200), Cow::Borrowed(x) if x == s));
        }
    }

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(
            escape("\u{1b}]0;PWNED\u{7}\u{1b}[2J"),
            "\\e]0;PWNED\\a\\e[2J"
        );
        assert_eq!(escape("a\r\nb\tc"), "a\\r\\nb\\tc");
        assert_eq!(escape("x\u{202e}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
        assert_eq!(
            escape("\u{0}\u{7f}\u{9b}\u{2028}"),
            "\\u{0}\\u{7f}\\u{9b}\\u{2028}"
        );
        for s in ["\u{1b}[31m", "a\nb", "\u{9b}2J", "\u{202e}"] {
            assert!(!escape(s).chars().any(breaks_text), "{s:?}");
        }
    }

    #[test]
    fn a_long_text_is_cut_with_a_marker_and_never_inside_an_escape() {
        let long = "a".repeat(65_000);
        let shown = escape_bounded(&long, 200);
        assert!(shown.starts_with(&"a".repeat(200)));
        assert!(shown.ends_with("…[cut: 64800 more bytes]"), "{shown}");
        assert!(shown.chars().count() < 230);

        let escapes = "\u{1b}".repeat(300);
        let shown = escape_bounded(&escapes, 201);
        assert!(shown.starts_with(&"\\e".repeat(100)));
        assert!(shown.ends_with("…[cut: 200 more bytes]"), "{shown}");
        assert!(!shown.contains('\u{1b}'));

        assert_eq!(escape_bounded("ab\ncd", 200), "ab\\ncd");
        assert_eq!(escape_bounded(&"é".repeat(10), 10), "é".repeat(10));
    }
}
