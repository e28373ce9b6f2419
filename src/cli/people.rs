//! Making a company and its people, and reading them: `init`, `import`, `add`, `list`,
//! `show`, `export`.

use std::io::Write;
use std::path::Path;

use super::SignedIn;
use super::args::{AddArgs, FormatArg, InitArgs, ListArgs, StatusArg};
use super::output::{self, plural};
use super::progress;
use crate::Directory;
use crate::directory::ListQuery;
use crate::directory::NewEmployee;
use crate::domain::text::escape;
use crate::domain::{Error, Result, StatusFilter, validate};

/// `offboard init`: a new, empty company at `path` with its first administrator.
pub(super) fn init(path: &Path, args: &InitArgs, out: &mut dyn Write) -> Result<()> {
    let mut dir = Directory::create(path)?;
    dir.set_door(crate::operator::local_door());
    let (first_name, last_name) = validate::full_name(&args.name)?;
    let me = dir.init(
        &args.company,
        &NewEmployee {
            login: args.admin.clone(),
            first_name,
            last_name,
            email: args.email.clone(),
            position: "Administrator".into(),
            ..Default::default()
        },
    )?;
    writeln!(
        out,
        "Created {} at {} with administrator {} ({}).",
        args.company,
        escape(&path.display().to_string()),
        me.login,
        me.name()
    )?;
    Ok(())
}

/// `offboard import FILE.csv`: all rows or none.
pub(super) fn import(s: &mut SignedIn, file: &Path, out: &mut dyn Write) -> Result<()> {
    let f = std::fs::File::open(file)
        .map_err(|e| Error::io(format!("cannot read {}", file.display()), &e))?;
    // A file known to be too large is refused before a row is read; a pipe is capped
    // as it is read.
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    if size > crate::directory::MAX_IMPORT_BYTES {
        return Err(Error::invalid(format!(
            "{} is larger than {} MiB: import it in parts",
            file.display(),
            crate::directory::MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let bar = if size >= progress::IMPORT_BAR_FROM {
        progress::bar(size, "Importing", progress::Unit::Bytes)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let added = s
        .dir
        .import_csv(s.actor, std::io::BufReader::new(bar.wrap_read(f)));
    progress::end(&bar, &added, "read");
    let added = added?;
    writeln!(
        out,
        "Imported {} employee{}.",
        added.len(),
        plural(added.len() as i64)
    )?;
    Ok(())
}

/// `offboard add`: one employee.
pub(super) fn add(s: &mut SignedIn, args: &AddArgs, out: &mut dyn Write) -> Result<()> {
    let (first_name, last_name) = validate::full_name(&args.name)?;
    let hired_on = args
        .hired_on
        .as_deref()
        .map(|d| validate::date("--hired-on", d))
        .transpose()?;
    let e = s.dir.add(
        s.actor,
        &NewEmployee {
            login: args.login.clone(),
            first_name,
            last_name,
            email: args.email.clone(),
            position: args.position.clone().unwrap_or_default(),
            department: args.department.clone(),
            hired_on,
            is_admin: false,
        },
    )?;
    writeln!(out, "Added {}.", crate::directory::Named::of(&e))?;
    Ok(())
}

/// `offboard list` (and `offboard` without a terminal): active employees unless told
/// otherwise; `--still-owns` means the dismissed ones still owning work.
pub(super) fn list(s: &SignedIn, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    let status = args
        .status
        .map(StatusFilter::from)
        .unwrap_or(if args.still_owns {
            StatusFilter::Dismissed
        } else {
            StatusFilter::Active
        });
    let search = args.search.clone().filter(|s| !s.trim().is_empty());
    // One query streams the whole list; paging with OFFSET would rescan for every page.
    let query = ListQuery {
        status,
        search,
        still_owns: args.still_owns,
        offset: 0,
        limit: i64::MAX,
        ..Default::default()
    };
    output::list(&s.dir, s.actor, &query, args.json, out)
}

/// `offboard show LOGIN`: one profile, dismissed or not.
pub(super) fn show(s: &SignedIn, login: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    output::show(&s.dir, s.actor, login, json, out)
}

/// `offboard export`: employees with their departure records, as CSV or JSON.
pub(super) fn export(
    s: &SignedIn,
    status: StatusArg,
    format: FormatArg,
    out: &mut dyn Write,
) -> Result<()> {
    use std::io::IsTerminal;
    let status = status.into();
    // A bar only when the rows go elsewhere than the terminal it is drawn on.
    let bar = if progress::on_terminal() && !std::io::stdout().is_terminal() {
        let rows = s.dir.export_count(s.actor, status)?;
        if rows >= progress::EXPORT_BAR_FROM {
            progress::bar(rows as u64, "Exporting", progress::Unit::Rows)
        } else {
            indicatif::ProgressBar::hidden()
        }
    } else {
        indicatif::ProgressBar::hidden()
    };
    let done = output::export(&s.dir, s.actor, status, format, &bar, out);
    progress::end(&bar, &done, "employees");
    done
}
