//! All colour comes from here. With `NO_COLOR` set, the monochrome theme uses bold and
//! reversed text only. The config file's `[theme]` changes the colours of the roles
//! below (`install`); NO_COLOR still wins.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

/// The roles a colour can be given, by their names in the config file's `[theme]`.
pub const ROLES: [&str; 20] = [
    "header",
    "tab",
    "tab_active",
    "border",
    "border_focus",
    "table_header",
    "selected",
    "dismissed",
    "system",
    "greyed",
    "button",
    "button_focus",
    "error",
    "ok",
    "key",
    "dim",
    "field",
    "field_focus",
    "chart",
    "chart_value",
];

static COLOURS: OnceLock<Theme> = OnceLock::new();

/// Make `theme` the colour theme of this process (the config file's colours), before
/// the first session starts. Gives it back when one is in use already.
pub fn install(theme: Theme) -> Result<(), Box<Theme>> {
    COLOURS.set(theme).map_err(Box::new)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub header: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub border: Style,
    pub border_focus: Style,
    pub table_header: Style,
    pub selected: Style,
    pub dismissed: Style,
    pub system: Style,
    pub greyed: Style,
    pub button: Style,
    pub button_focus: Style,
    pub error: Style,
    pub ok: Style,
    pub key: Style,
    pub dim: Style,
    pub field: Style,
    pub field_focus: Style,
    /// The dashboard's bars and backlog line.
    pub chart: Style,
    /// A number drawn on a bar.
    pub chart_value: Style,
}

impl Theme {
    pub fn colour() -> Self {
        Theme {
            header: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab: Style::new().fg(Color::Gray),
            tab_active: Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            border: Style::new().fg(Color::DarkGray),
            border_focus: Style::new().fg(Color::Cyan),
            table_header: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            dismissed: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            system: Style::new().fg(Color::Magenta),
            greyed: Style::new().fg(Color::DarkGray),
            button: Style::new().fg(Color::White),
            button_focus: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::Gray),
            field: Style::new().fg(Color::White),
            field_focus: Style::new().fg(Color::Black).bg(Color::White),
            chart: Style::new().fg(Color::Cyan),
            chart_value: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
        }
    }

    pub fn mono() -> Self {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let rev = Style::new().add_modifier(Modifier::REVERSED);
        Theme {
            header: rev,
            tab: plain,
            tab_active: bold.add_modifier(Modifier::REVERSED),
            border: plain,
            border_focus: bold,
            table_header: bold,
            selected: rev,
            dismissed: bold,
            system: plain,
            greyed: plain,
            button: plain,
            button_focus: rev.add_modifier(Modifier::BOLD),
            error: bold,
            ok: plain,
            key: bold,
            dim: plain,
            field: plain,
            field_focus: rev,
            // Bars are block characters, which read without colour; a number on one
            // is cut out of it, reversed.
            chart: plain,
            chart_value: rev.add_modifier(Modifier::BOLD),
        }
    }

    /// The colour theme in use (installed, else the built-in one) unless `NO_COLOR` is
    /// set (to anything non-empty).
    pub fn from_env() -> Self {
        Theme::pick(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
    }

    /// The monochrome theme when `no_color`, whatever the config file says; else the
    /// colour theme in use.
    pub fn pick(no_color: bool) -> Self {
        if no_color {
            Theme::mono()
        } else {
            *COLOURS.get_or_init(Theme::colour)
        }
    }

    /// The style of a role by its name in `ROLES`.
    pub fn role(&self, name: &str) -> Option<Style> {
        let mut copy = *self;
        copy.role_mut(name).map(|s| *s)
    }

    /// The style of a role by its name in `ROLES`, to change.
    pub fn role_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "header" => &mut self.header,
            "tab" => &mut self.tab,
            "tab_active" => &mut self.tab_active,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "table_header" => &mut self.table_header,
            "selected" => &mut self.selected,
            "dismissed" => &mut self.dismissed,
            "system" => &mut self.system,
            "greyed" => &mut self.greyed,
            "button" => &mut self.button,
            "button_focus" => &mut self.button_focus,
            "error" => &mut self.error,
            "ok" => &mut self.ok,
            "key" => &mut self.key,
            "dim" => &mut self.dim,
            "field" => &mut self.field,
            "field_focus" => &mut self.field_focus,
            "chart" => &mut self.chart,
            "chart_value" => &mut self.chart_value,
            _ => return None,
        })
    }
}

/// A colour as the config file writes it: `dark-gray`, `#1e1e2e`, `208`.
pub fn colour_name(c: Color) -> String {
    let shown = c.to_string();
    let mut out = String::new();
    for (i, ch) in shown.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 && !shown.starts_with('#') {
            out.push('-');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// A colour from the config file: a name (`red`, `light-blue`, `dark gray`, `reset`),
/// `#rrggbb`, or a number 0–255 of the terminal's palette.
pub fn parse_colour(text: &str) -> Option<Color> {
    text.trim().parse().ok()
}
