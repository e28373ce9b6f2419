//! All colour comes from here. With `NO_COLOR` set, the monochrome theme uses bold and
//! reversed text only.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
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

    /// The colour theme unless `NO_COLOR` is set (to anything non-empty).
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::colour(),
        }
    }
}
