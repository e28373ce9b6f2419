//! The rows of the screen's frame, named once: the layout is built from them, and how
//! many rows of a list fit (what the app asks the directory for) is summed from them,
//! so the two cannot drift apart.

/// The line naming the company and the acting user.
pub const HEADER_ROWS: u16 = 1;
/// The pane tabs ("1 Employees   2 Integrations …").
pub const TABS_ROWS: u16 = 1;
/// The status bar: a message, or the keys that work.
pub const STATUS_ROWS: u16 = 1;
/// The top and bottom border of the pane's box.
pub const BORDER_ROWS: u16 = 2;
/// A list pane's search line, above its table.
pub const SEARCH_ROWS: u16 = 1;
/// A table's column titles.
pub const TABLE_HEADER_ROWS: u16 = 1;
/// The profile's head: name and badge, position and more, departure or role.
pub const PROFILE_HEAD_ROWS: u16 = 3;
/// The profile's section tabs and the blank line under them.
pub const PROFILE_TABS_ROWS: u16 = 2;
/// The smallest pane body the layout keeps.
pub const MIN_BODY_ROWS: u16 = 3;

/// Rows around a list that do not show its rows: header, tabs, borders, search line,
/// table header and the status bar.
pub const LIST_CHROME: u16 =
    HEADER_ROWS + TABS_ROWS + BORDER_ROWS + SEARCH_ROWS + TABLE_HEADER_ROWS + STATUS_ROWS;

/// Rows around a profile section's list: header, tabs, borders, the profile's head and
/// section tabs, and the status bar.
pub const SECTION_CHROME: u16 =
    HEADER_ROWS + TABS_ROWS + BORDER_ROWS + PROFILE_HEAD_ROWS + PROFILE_TABS_ROWS + STATUS_ROWS;

/// Rows of the window the help overlay does not show lines in: a row above and below
/// it, its borders, and its search line.
pub const HELP_CHROME: u16 = 2 + BORDER_ROWS + 1;

/// Below this size the screen only says how much room it needs.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
