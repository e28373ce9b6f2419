//! Importing employees from CSV: all rows or none.

use super::*;

impl Directory {
    /// Add every employee of a CSV file (header
    /// `login,first_name,last_name,email,position,department,hired_on`), all or none.
    /// The file is read as it is inserted, within `MAX_IMPORT_BYTES` in all and
    /// `MAX_IMPORT_LINE` a line, so no input makes the import hold more than a line.
    pub fn import_csv(&mut self, actor: Actor, input: impl Read) -> Result<Vec<String>> {
        let today = self.now().date_naive();
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, Op::Import)?;
            let mut logins = Vec::new();
            parse_import(input, &mut |line, new| {
                let id = insert_person(cx.tx, &new, cx.now, today).map_err(|e| match e {
                    Error::Invalid(m) => Error::invalid(format!("line {line}: {m}")),
                    Error::Duplicate(t) => Error::Duplicate(t.on_line(line)),
                    other => other,
                })?;
                if let Some(e) = q::employee_by_id(cx.tx, id)? {
                    cx.emit(
                        EventType::EmployeeAdded,
                        super::people::added_event(&e, true),
                    )?;
                }
                logins.push(new.login);
                Ok(())
            })?;
            // Names added in order use up the gaps between ranks: spread them again.
            if logins.len() > 1 {
                q::respread_ranks(cx.tx)?;
            }
            cx.audit(
                "import",
                None,
                json!({ "count": logins.len(), "logins": logins }),
            )?;
            Ok(logins)
        })
    }
}

/// The most an import file may hold: 64 MiB (about 400,000 employees).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// The longest line of an import file: 16 KiB, some five times the longest row the
/// limits on each field allow.
pub const MAX_IMPORT_LINE: usize = 16 * 1024;

/// The input of an import, refused as it is read once it passes either cap.
struct Capped<R> {
    inner: R,
    read: u64,
    /// The number of the line being read, and how long it is so far.
    line: u64,
    line_len: usize,
}

/// Which cap an import passed, carried through the CSV reader as an I/O error.
#[derive(Debug)]
enum Cap {
    Size,
    Line(u64),
}

impl std::fmt::Display for Cap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cap::Size => write!(
                f,
                "the file is larger than {} MiB: import it in parts",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
            Cap::Line(line) => write!(
                f,
                "line {line} is longer than {} KiB: is this a CSV file of employees, one per line?",
                MAX_IMPORT_LINE / 1024
            ),
        }
    }
}

impl std::error::Error for Cap {}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > MAX_IMPORT_BYTES {
            return Err(std::io::Error::other(Cap::Size));
        }
        for b in &buf[..n] {
            if *b == b'\n' {
                self.line += 1;
                self.line_len = 0;
            } else {
                self.line_len += 1;
                if self.line_len > MAX_IMPORT_LINE {
                    return Err(std::io::Error::other(Cap::Line(self.line)));
                }
            }
        }
        Ok(n)
    }
}

const IMPORT_COLUMNS: [&str; 7] = [
    "login",
    "first_name",
    "last_name",
    "email",
    "position",
    "department",
    "hired_on",
];

/// Read an import file, handing each employee to `each` with its line, naming the line
/// and field of the first problem.
fn parse_import(
    input: impl Read,
    each: &mut dyn FnMut(u64, NewEmployee) -> Result<()>,
) -> Result<()> {
    use std::io::BufRead;
    let capped = Capped {
        inner: input,
        read: 0,
        line: 1,
        line_len: 0,
    };
    let mut input = std::io::BufReader::with_capacity(64 * 1024, capped);
    // UTF-16 (from some spreadsheet exports) starts with a byte-order mark and is full
    // of NUL bytes; say so rather than complain about the columns.
    let head = input.fill_buf().map_err(read_failure)?;
    let head = &head[..head.len().min(4096)];
    let nuls = head.iter().filter(|b| **b == 0).count();
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || nuls * 4 > head.len() {
        return Err(Error::invalid(
            "line 1: the file is not UTF-8 text (it looks like UTF-16): save it as CSV UTF-8",
        ));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = reader
        .byte_headers()
        .map_err(|e| match capped_by(&e) {
            Some(cap) => Error::invalid(cap.to_string()),
            None => Error::invalid(format!("line 1: cannot read the header: {e}")),
        })?
        .clone();
    let headers: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
        })
        .collect();
    let mut index = [0usize; 7];
    for (slot, col) in IMPORT_COLUMNS.iter().enumerate() {
        index[slot] = headers.iter().position(|h| h == col).ok_or_else(|| {
            Error::invalid(format!(
                "line 1: the header has no \"{col}\" column (expected {})",
                IMPORT_COLUMNS.join(",")
            ))
        })?;
    }
    let mut rows = 0usize;
    for record in reader.byte_records() {
        let record = record.map_err(|e| {
            if let Some(cap) = capped_by(&e) {
                return Error::invalid(cap.to_string());
            }
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::invalid(format!("line {line}: {}", describe_csv_error(&e)))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |slot: usize| -> Result<String> {
            let raw = record.get(index[slot]).unwrap_or_default();
            String::from_utf8(raw.to_vec())
                .map(|s| s.trim().to_string())
                .map_err(|_| {
                    Error::invalid(format!(
                        "line {line}, field {}: not valid UTF-8",
                        IMPORT_COLUMNS[slot]
                    ))
                })
        };
        let at = |slot: usize, e: Error| match e {
            Error::Invalid(m) => {
                Error::invalid(format!("line {line}, field {}: {m}", IMPORT_COLUMNS[slot]))
            }
            other => other,
        };
        let login = field(0)?;
        validate::login(&login).map_err(|e| at(0, e))?;
        let first_name = field(1)?;
        validate::name_part("first name", &first_name).map_err(|e| at(1, e))?;
        let last_name = field(2)?;
        validate::name_part("last name", &last_name).map_err(|e| at(2, e))?;
        let email = field(3)?;
        validate::email(&email).map_err(|e| at(3, e))?;
        let position = field(4)?;
        validate::optional_text("position", &position, validate::MAX_POSITION)
            .map_err(|e| at(4, e))?;
        let department = field(5)?;
        validate::department("department", &department).map_err(|e| at(5, e))?;
        let hired = field(6)?;
        let hired_on = if hired.is_empty() {
            None
        } else {
            Some(validate::date("hired_on", &hired).map_err(|e| at(6, e))?)
        };
        rows += 1;
        each(
            line,
            NewEmployee {
                login,
                first_name,
                last_name,
                email,
                position,
                department: Some(department).filter(|d| !d.is_empty()),
                hired_on,
                is_admin: false,
            },
        )?;
    }
    if rows == 0 {
        return Err(Error::invalid("the file has a header but no employees"));
    }
    Ok(())
}

fn read_failure(e: std::io::Error) -> Error {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<Cap>()) {
        Some(cap) => Error::invalid(cap.to_string()),
        None => Error::io("cannot read the file", &e),
    }
}

/// The cap an error of the CSV reader comes from, if it does.
fn capped_by(e: &csv::Error) -> Option<&Cap> {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.get_ref().and_then(|inner| inner.downcast_ref::<Cap>()),
        _ => None,
    }
}

fn describe_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        csv::ErrorKind::Io(io) => match capped_by(e) {
            Some(cap) => cap.to_string(),
            None => format!("cannot read the file: {io}"),
        },
        _ => e.to_string(),
    }
}
