//! Importing employees from CSV: all rows or none.

use super::*;

impl Directory {
    /// Add every employee of a CSV file (header
    /// `login,first_name,last_name,email,position,department,hired_on`), all or none.
    pub fn import_csv(&mut self, actor: Actor, input: impl Read) -> Result<Vec<String>> {
        let rows = parse_import(input)?;
        let today = self.now().date_naive();
        self.change(actor, |cx| {
            rules::ensure_staff(&cx.me, Op::Import)?;
            let mut logins = Vec::with_capacity(rows.len());
            for (line, new) in &rows {
                let id = insert_person(cx.tx, new, cx.now, today).map_err(|e| match e {
                    Error::Invalid(m) => Error::invalid(format!("line {line}: {m}")),
                    Error::Duplicate(t) => Error::Duplicate(t.on_line(*line)),
                    other => other,
                })?;
                if let Some(e) = q::employee_by_id(cx.tx, id)? {
                    cx.emit(
                        EventType::EmployeeAdded,
                        super::people::added_event(&e, true),
                    )?;
                }
                logins.push(new.login.clone());
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

const IMPORT_COLUMNS: [&str; 7] = [
    "login",
    "first_name",
    "last_name",
    "email",
    "position",
    "department",
    "hired_on",
];

/// Parse an import file into employees, naming the line and field of the first problem.
fn parse_import(mut input: impl Read) -> Result<Vec<(u64, NewEmployee)>> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read the file", &e))?;
    // UTF-16 (from some spreadsheet exports) starts with a byte-order mark and is full
    // of NUL bytes; say so rather than complain about the columns.
    let head = &bytes[..bytes.len().min(4096)];
    let nuls = head.iter().filter(|b| **b == 0).count();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || nuls * 4 > head.len()
    {
        return Err(Error::invalid(
            "line 1: the file is not UTF-8 text (it looks like UTF-16): save it as CSV UTF-8",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(bytes.as_slice());
    let headers = reader
        .byte_headers()
        .map_err(|e| Error::invalid(format!("line 1: cannot read the header: {e}")))?
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
    let mut out = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| {
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
        validate::optional_text("department", &department, validate::MAX_DEPARTMENT)
            .map_err(|e| at(5, e))?;
        let hired = field(6)?;
        let hired_on = if hired.is_empty() {
            None
        } else {
            Some(validate::date("hired_on", &hired).map_err(|e| at(6, e))?)
        };
        out.push((
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
        ));
    }
    if out.is_empty() {
        return Err(Error::invalid("the file has a header but no employees"));
    }
    Ok(out)
}

fn describe_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        csv::ErrorKind::Io(io) => format!("cannot read the file: {io}"),
        _ => e.to_string(),
    }
}
