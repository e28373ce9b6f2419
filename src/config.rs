//! The config file: key overrides per mode, theme colours, the default database and
//! base URL, and whether the TUI takes the mouse. Read once at start, before the
//! terminal is touched; anything wrong in it is one message naming the file and the
//! line (exit 2). Where it is: `--config PATH`, else
//! `$XDG_CONFIG_HOME/offboard/config.toml`, else `~/.config/offboard/config.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::{Error, Result};
use crate::tui::keymap::{self, Key, KeyOverride, Keymap};
use crate::tui::ui::theme::{self, ROLES, Theme};

/// The largest config file read: far more than every key and colour written out.
const MAX_SIZE: u64 = 1024 * 1024;

/// What the config file says, over the built-in defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it came from; none when there was none.
    pub source: Option<PathBuf>,
    /// The database when neither `--db` nor `$OFFBOARD_DB` names one.
    pub database: Option<PathBuf>,
    /// The webhook URLs' base when `$OFFBOARD_BASE_URL` is not set.
    pub base_url: Option<String>,
    /// The built-in keys with the file's overrides.
    pub keymap: Keymap,
    /// The colour theme with the file's colours (NO_COLOR still gives the monochrome one).
    pub theme: Theme,
    pub tui: TuiConfig,
}

/// The `[tui]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TuiConfig {
    /// Whether the terminal UI takes mouse events (default on).
    pub mouse: bool,
}

impl Default for TuiConfig {
    fn default() -> Self {
        TuiConfig { mouse: true }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: None,
            database: None,
            base_url: None,
            keymap: Keymap::defaults(),
            theme: Theme::colour(),
            tui: TuiConfig::default(),
        }
    }
}

/// The default place of the config file: `$XDG_CONFIG_HOME/offboard/config.toml` when
/// that is an absolute path, else `~/.config/offboard/config.toml`; none without a home.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home().map(|h| h.join(".config")))?;
    Some(base.join("offboard").join("config.toml"))
}

fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf())
}

impl Config {
    /// The config of this invocation: the file `explicit` names (which must exist), else
    /// the one at the default place if there is one, else the built-in defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match default_path() {
                Some(p) => (p, false),
                None => return Ok(Config::default()),
            },
        };
        let shown = path.display().to_string();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default());
            }
            Err(e) => return Err(Error::invalid(format!("config file {shown}: {e}"))),
        };
        if !meta.is_file() {
            return Err(Error::invalid(format!(
                "config file {shown}: not a regular file"
            )));
        }
        check_owner_and_mode(&shown, &meta)?;
        if meta.len() > MAX_SIZE {
            return Err(Error::invalid(format!(
                "config file {shown}: larger than {} KiB",
                MAX_SIZE / 1024
            )));
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::invalid(format!("config file {shown}: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::invalid(format!("config file {shown}: not UTF-8 text")))?;
        let mut config = Config::parse(&text, &shown)?;
        config.source = Some(path);
        Ok(config)
    }

    /// The config that `text`, the file `shown`, gives over the defaults.
    pub fn parse(text: &str, shown: &str) -> Result<Config> {
        let at = |span: std::ops::Range<usize>, message: &str| {
            Error::invalid(format!(
                "config file {shown} line {}: {message}",
                line_of(text, span.start)
            ))
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => at(span, e.message().trim()),
            None => Error::invalid(format!("config file {shown}: {}", e.message().trim())),
        })?;
        let mut config = Config::default();
        if let Some(db) = raw.database {
            config.database = Some(database(db.get_ref()).map_err(|m| at(db.span(), &m))?);
        }
        if let Some(url) = raw.base_url {
            config.base_url = Some(base_url(url.get_ref()).map_err(|m| at(url.span(), &m))?);
        }
        if let Some(tui) = raw.tui {
            config.tui.mouse = tui.mouse.unwrap_or(true);
        }
        for (role, value) in raw.theme.unwrap_or_default() {
            let style = config.theme.role_mut(role.get_ref()).ok_or_else(|| {
                at(
                    role.span(),
                    &format!(
                        "unknown theme role \"{}\": the roles are {}",
                        role.get_ref(),
                        ROLES.join(", ")
                    ),
                )
            })?;
            colours(style, value.get_ref()).map_err(|m| at(value.span(), &m))?;
        }
        // Every override with the line to blame, in the order of the file.
        let tables = keymap::table_names();
        let mut overrides: Vec<(KeyOverride, std::ops::Range<usize>)> = Vec::new();
        for (table, actions) in raw.keys.unwrap_or_default() {
            if !tables.contains(&table.get_ref().as_str()) {
                return Err(at(
                    table.span(),
                    &format!(
                        "unknown table [keys.{}]: the tables are {}",
                        table.get_ref(),
                        tables.join(", ")
                    ),
                ));
            }
            for (action, keys) in actions {
                let list = key_list(keys.get_ref())
                    .map_err(|m| at(keys.span(), &format!("{}: {m}", action.get_ref())))?;
                overrides.push((
                    KeyOverride {
                        table: table.get_ref().clone(),
                        action: action.get_ref().clone(),
                        keys: list,
                    },
                    action.span(),
                ));
            }
        }
        overrides.sort_by_key(|(_, span)| span.start);
        let (list, spans): (Vec<KeyOverride>, Vec<_>) = overrides.into_iter().unzip();
        config.keymap = Keymap::with_overrides(&list).map_err(|e| match e.entry {
            Some(i) => at(spans[i].clone(), &e.message),
            None => Error::invalid(format!("config file {shown}: {}", e.message)),
        })?;
        Ok(config)
    }

    /// The effective config as TOML, every key with its value, so it can be saved as a
    /// starting file. `database` and `base_url` are those in effect (flag, environment,
    /// file or built-in).
    pub fn to_toml(&self, database: Option<&Path>, base_url: &str) -> String {
        let mut out = String::new();
        out.push_str("# offboard's effective configuration: the built-in defaults");
        match &self.source {
            // A comment: the path shown escaped, so it stays on its line.
            Some(p) => out.push_str(&format!(
                ",\n# the config file {}",
                crate::domain::text::escape(&p.display().to_string())
            )),
            None => out.push_str(",\n# no config file"),
        }
        out.push_str(",\n# and --db, $OFFBOARD_DB and $OFFBOARD_BASE_URL. Save it as\n");
        out.push_str("# ~/.config/offboard/config.toml to start your own.\n\n");
        if let Some(db) = database {
            out.push_str(&format!(
                "database = {}\n",
                quote(&db.display().to_string())
            ));
        }
        out.push_str(&format!("base_url = {}\n", quote(base_url)));
        out.push_str(&format!("\n[tui]\nmouse = {}\n", self.tui.mouse));
        out.push_str("\n[theme]\n");
        for role in ROLES {
            let style = self.theme.role(role).unwrap_or_default();
            let mut parts = Vec::new();
            if let Some(fg) = style.fg {
                parts.push(format!("fg = {}", quote(&theme::colour_name(fg))));
            }
            if let Some(bg) = style.bg {
                parts.push(format!("bg = {}", quote(&theme::colour_name(bg))));
            }
            out.push_str(&format!("{role} = {{ {} }}\n", parts.join(", ")));
        }
        for (table, rows) in self.keymap.tables() {
            out.push_str(&format!("\n[keys.{table}]\n"));
            for (name, keys) in rows {
                out.push_str(&format!("{name} = {}\n", keys_toml(&keys)));
            }
        }
        out
    }

    /// The same as `to_toml`, as JSON (every key list an array).
    pub fn to_json(&self, database: Option<&Path>, base_url: &str) -> serde_json::Value {
        let mut theme = serde_json::Map::new();
        for role in ROLES {
            let style = self.theme.role(role).unwrap_or_default();
            theme.insert(
                role.to_string(),
                serde_json::json!({
                    "fg": style.fg.map(theme::colour_name),
                    "bg": style.bg.map(theme::colour_name),
                }),
            );
        }
        let mut keys = serde_json::Map::new();
        for (table, rows) in self.keymap.tables() {
            let mut actions = serde_json::Map::new();
            for (name, list) in rows {
                let names: Vec<String> = list.iter().map(Key::name).collect();
                actions.insert(name, serde_json::json!(names));
            }
            keys.insert(table.to_string(), serde_json::Value::Object(actions));
        }
        serde_json::json!({
            "source": self.source.as_ref().map(|p| p.display().to_string()),
            "database": database.map(|p| p.display().to_string()),
            "base_url": base_url,
            "tui": { "mouse": self.tui.mouse },
            "theme": theme,
            "keys": keys,
        })
    }
}

/// A table of the file (`[keys.employees]`, `[theme]`): names and values where they stand.
type RawTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// The file as written, every value with where it stands.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    database: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    keys: Option<BTreeMap<Spanned<String>, RawTable>>,
    theme: Option<RawTable>,
    tui: Option<RawTui>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTui {
    mouse: Option<bool>,
}

/// The line (from 1) that byte `offset` of `text` is on.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// A TOML string literal.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A key list as the file writes it: one key as a string, else an array.
fn keys_toml(keys: &[Key]) -> String {
    match keys {
        [one] => quote(&one.name()),
        many => {
            let names: Vec<String> = many.iter().map(|k| quote(&k.name())).collect();
            format!("[{}]", names.join(", "))
        }
    }
}

/// The keys of one `ACTION = KEYS` line: a string or an array of strings.
fn key_list(value: &toml::Value) -> std::result::Result<Vec<String>, String> {
    let wrong = || {
        "its keys are a key name or a list of key names, e.g. \"x\" or [\"x\", \"Enter\"]"
            .to_string()
    };
    match value {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(wrong))
            .collect(),
        _ => Err(wrong()),
    }
}

/// Apply a theme value to a role: a colour (the text's) or `{ fg = …, bg = … }`.
fn colours(
    style: &mut ratatui::style::Style,
    value: &toml::Value,
) -> std::result::Result<(), String> {
    let parse = |v: &toml::Value| {
        let text = v.as_str().unwrap_or_default();
        theme::parse_colour(text).ok_or_else(|| {
            format!(
                "bad colour \"{text}\": a colour is a name (red, light-blue, dark-gray, reset…), #rrggbb or 0–255"
            )
        })
    };
    match value {
        toml::Value::String(_) => style.fg = Some(parse(value)?),
        toml::Value::Table(t) => {
            for (k, v) in t {
                match k.as_str() {
                    "fg" => style.fg = Some(parse(v)?),
                    "bg" => style.bg = Some(parse(v)?),
                    other => {
                        return Err(format!(
                            "unknown colour field \"{other}\": a role takes fg and bg"
                        ));
                    }
                }
            }
        }
        _ => return Err("a role's value is a colour or { fg = …, bg = … }".into()),
    }
    Ok(())
}

/// The `database` value: a path, absolute or from `~/`.
fn database(text: &str) -> std::result::Result<PathBuf, String> {
    if text.trim().is_empty() || text.contains('\0') {
        return Err("database must be the path of a file".into());
    }
    if let Some(rest) = text.strip_prefix("~/") {
        return home()
            .map(|h| h.join(rest))
            .ok_or_else(|| "database starts with ~/ but there is no home folder".into());
    }
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err(format!(
            "database \"{text}\" must be an absolute path (or start with ~/): a relative one would depend on the folder offboard is started in"
        ));
    }
    Ok(path)
}

/// The `base_url` value: `http://` or `https://` and a host, no spaces.
fn base_url(text: &str) -> std::result::Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(format!(
            "base_url \"{text}\" must be an http:// or https:// URL with a host, e.g. https://offboard.example:8443"
        ));
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// Refuse a file that someone else could have written, as ssh does: it must belong to
/// the user running offboard (or root) and be writable by no group or other user.
#[cfg(unix)]
fn check_owner_and_mode(shown: &str, meta: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::getuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(Error::invalid(format!(
            "config file {shown} belongs to uid {}, not to you (uid {me}) or root: offboard reads no config file that another user controls",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o022 != 0 {
        return Err(Error::invalid(format!(
            "config file {shown} can be changed by other users (mode {mode:04o}): run `chmod go-w` on it; like ssh, offboard reads no config file that others may write"
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_and_mode(_shown: &str, _meta: &std::fs::Metadata) -> Result<()> {
    Ok(())
}
