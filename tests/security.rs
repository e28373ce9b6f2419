//! Security (issue 6, item 5): who may do what (SPEC §2) as a permission matrix, every REST
//! method against every scope set, webhook credentials, secrets that never leak after their
//! one showing, salted hashes compared in constant time, and private files.

mod binary;
mod common;
mod rest_support;

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use binary::BIN;
use common::{Snapshot, audit_count, id_of, parse_url, person, snapshot};
use offboard::directory::DismissRequest;
use offboard::directory::ListQuery;
use offboard::domain::{
    EmployeeId, IntegrationChoice, IntegrationId, IntegrationStatus, Scope, StatusFilter,
    WorkKinds, secret,
};
use offboard::{Actor, Directory, Error};
use rest_support::{Company, Http, Out, integration_id, last_line};
use serde_json::{Value, json};
use tempfile::TempDir;

// ====================================================================== 1. the permission matrix

/// The five kinds of acting user of issue 6 §5, in the column order of `MATRIX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `admin`: an administrator.
    Admin,
    /// `hr`: company-structure access, not an administrator.
    Staff,
    /// `jdoe`: an ordinary employee with no rights.
    Employee,
    /// `lbrandt`: dismissed; acts through a stale `Actor` of his id (a session left open).
    Dismissed,
    /// `system.lbrandt`: the system user holding lbrandt's kept integration, as an `Actor`
    /// (how REST calls through that integration act).
    System,
}

const ROLES: [Role; 5] = [
    Role::Admin,
    Role::Staff,
    Role::Employee,
    Role::Dismissed,
    Role::System,
];

impl Role {
    fn login(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "hr",
            Role::Employee => "jdoe",
            Role::Dismissed => "lbrandt",
            Role::System => "system.lbrandt",
        }
    }
}

const Y: bool = true;
const N: bool = false;

/// One operation and whether each role may do it: `[admin, hr, jdoe, lbrandt (dismissed),
/// system.lbrandt (system user)]`. Derived from SPEC §2–§4; `why` names the source.
struct Row {
    op: &'static str,
    allow: [bool; 5],
    why: &'static str,
}

/// Integrations in the cells: "other" is an active person's (tlang's "Jira task sync"; for
/// enable, hkessler's disabled "Newsletter signups"), "system" is held by `system.nhaddad`
/// (a system user other than the acting one), "own" is the acting user's (for the system
/// user: lbrandt's kept integration it holds). Every enable cell starts from a disabled
/// integration and every disable cell from an active one (except lbrandt's own, disabled when
/// he left), so a refusal is about the actor, not the state.
const MATRIX: &[Row] = &[
    Row {
        op: "add",
        allow: [Y, Y, N, N, N],
        why: "SPEC and README are silent on add/import; company-structure staff manage the staff (rules::ensure_staff)",
    },
    Row {
        op: "import",
        allow: [Y, Y, N, N, N],
        why: "as add",
    },
    Row {
        op: "dismiss",
        allow: [Y, Y, N, N, N],
        why: "§2 dismiss and hire: administrators and company-structure access",
    },
    Row {
        op: "hire",
        allow: [Y, Y, N, N, N],
        why: "§2 dismiss and hire: administrators and company-structure access",
    },
    Row {
        op: "reassign",
        allow: [Y, Y, N, N, N],
        why: "SPEC/README silent on who reassigns; it is the handover step of the dismiss flow (§6), a staff action in the row menu",
    },
    Row {
        op: "grant",
        allow: [Y, N, N, N, N],
        why: "§2 settings (permissions): administrators only",
    },
    Row {
        op: "revoke",
        allow: [Y, N, N, N, N],
        why: "§2 settings (permissions): administrators only",
    },
    Row {
        op: "set_show_dismissed",
        allow: [Y, N, N, N, N],
        why: "§2 settings (show_dismissed): administrators only",
    },
    Row {
        op: "webhook.create",
        allow: [Y, Y, Y, N, N],
        why: "§5 owned by the acting user, anyone; §2 system users are never new integration owners",
    },
    Row {
        op: "webhook.edit.other",
        allow: [Y, N, N, N, N],
        why: "§2 the owner or an administrator",
    },
    Row {
        op: "webhook.edit.system",
        allow: [Y, Y, N, N, N],
        why: "§2 a system user's may also be edited by company-structure staff",
    },
    Row {
        op: "webhook.edit.own",
        allow: [Y, Y, Y, N, Y],
        why: "§2 the owner (the system user is the owner of what it holds)",
    },
    Row {
        op: "webhook.disable.other",
        allow: [Y, N, N, N, N],
        why: "§2 the owner or an administrator",
    },
    Row {
        op: "webhook.disable.system",
        allow: [Y, N, N, N, N],
        why: "§2 only edit is extended to company-structure staff",
    },
    Row {
        op: "webhook.disable.own",
        allow: [Y, Y, Y, N, Y],
        why: "§2 the owner",
    },
    Row {
        op: "webhook.enable.other",
        allow: [Y, N, N, N, N],
        why: "§2 the owner or an administrator",
    },
    Row {
        op: "webhook.enable.system",
        allow: [Y, N, N, N, N],
        why: "§2 only edit is extended to company-structure staff",
    },
    Row {
        op: "webhook.enable.own",
        allow: [Y, Y, Y, N, Y],
        why: "§2 the owner",
    },
    Row {
        op: "webhook.regenerate.other",
        allow: [Y, N, N, N, N],
        why: "§2 the owner or an administrator",
    },
    Row {
        op: "webhook.regenerate.system",
        allow: [Y, Y, N, N, N],
        why: "SPEC names only edit for staff; README: whoever edits (or regenerates) a system user's integration becomes its owner",
    },
    Row {
        op: "webhook.regenerate.own",
        allow: [Y, Y, Y, N, Y],
        why: "§2 the owner",
    },
    Row {
        op: "list.active",
        allow: [Y, Y, Y, N, Y],
        why: "§2 anyone active; a dismissed employee has no access",
    },
    Row {
        op: "list.dismissed.setting_off",
        allow: [N, N, N, N, N],
        why: "§4 with show_dismissed off no list shows dismissed employees, for anyone",
    },
    Row {
        op: "list.all.setting_off",
        allow: [N, N, N, N, N],
        why: "§4 with show_dismissed off no list shows dismissed employees, for anyone",
    },
    Row {
        op: "list.dismissed.setting_on",
        allow: [Y, Y, Y, N, Y],
        why: "§4 when an administrator turns it on the list can be filtered",
    },
    Row {
        op: "list.all.setting_on",
        allow: [Y, Y, Y, N, Y],
        why: "§4 when an administrator turns it on the list can be filtered",
    },
    Row {
        op: "list.still_owns",
        allow: [Y, Y, N, N, N],
        why: "§4 reports are for administrators and company-structure staff",
    },
    Row {
        op: "profile",
        allow: [Y, Y, Y, N, Y],
        why: "§4 a dismissed employee's profile stays reachable by direct look-up",
    },
    Row {
        op: "integrations",
        allow: [Y, Y, Y, N, Y],
        why: "README: all for staff, one's own for everyone else",
    },
    Row {
        op: "audit",
        allow: [Y, Y, N, N, N],
        why: "§4 reports are for administrators and company-structure staff",
    },
    Row {
        op: "export",
        allow: [Y, Y, N, N, N],
        why: "§4 reports are for administrators and company-structure staff",
    },
];

/// The demo company plus what the matrix needs, closed and checkpointed into one file that
/// every cell copies.
struct Template {
    _tmp: TempDir,
    path: PathBuf,
    /// The acting role's own integration, by `ROLES` index.
    own: [IntegrationId; 5],
    other_active: IntegrationId,
    other_disabled: IntegrationId,
    system_held: IntegrationId,
}

fn integration_where(
    dir: &Directory,
    admin: Actor,
    owner: &str,
    status: IntegrationStatus,
) -> IntegrationId {
    dir.integrations(admin)
        .expect("integrations")
        .into_iter()
        .find(|i| i.owner == owner && i.status == status)
        .unwrap_or_else(|| panic!("the demo has no {status} integration of {owner}"))
        .id
}

fn template() -> Template {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("template.db");
    let mut dir = Directory::create(&path).expect("create");
    offboard::demo::build_small(&mut dir).expect("demo");
    let admin = Actor::user(id_of(&dir, "admin"));
    let hr = Actor::user(id_of(&dir, "hr"));
    let mut own = [IntegrationId(0); 5];
    for (slot, login) in [(0, "admin"), (1, "hr"), (2, "jdoe")] {
        let a = Actor::user(id_of(&dir, login));
        own[slot] = dir
            .create_webhook(a, &format!("{login}'s own"), Scope::User.into())
            .expect("create own webhook")
            .integration
            .id;
    }
    // lbrandt owns an integration of his own: he comes back, makes one, and leaves again
    // with it disabled. His kept one stays with system.lbrandt.
    dir.hire(hr, "lbrandt", false).expect("rehire lbrandt");
    let lb = Actor::user(id_of(&dir, "lbrandt"));
    own[3] = dir
        .create_webhook(lb, "lbrandt's own", Scope::Task.into())
        .expect("lbrandt's webhook")
        .integration
        .id;
    let disable = DismissRequest {
        integrations: Some(IntegrationChoice::Disable),
        ..Default::default()
    };
    dir.dismiss(hr, "lbrandt", &disable)
        .expect("dismiss lbrandt again");
    own[4] = integration_where(&dir, admin, "system.lbrandt", IntegrationStatus::Active);
    // A second system user, so "a system user's integration" is never the acting one's.
    let keep = DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        ..Default::default()
    };
    dir.dismiss(hr, "nhaddad", &keep).expect("dismiss nhaddad");
    let system_held = integration_where(&dir, admin, "system.nhaddad", IntegrationStatus::Active);
    let other_active = integration_where(&dir, admin, "tlang", IntegrationStatus::Active);
    let other_disabled = integration_where(&dir, admin, "hkessler", IntegrationStatus::Disabled);
    assert!(
        !dir.show_dismissed().expect("setting"),
        "show_dismissed starts off"
    );
    dir.connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    drop(dir);
    Template {
        _tmp: tmp,
        path,
        own,
        other_active,
        other_disabled,
        system_held,
    }
}

fn is_read(op: &str) -> bool {
    ["list.", "profile", "integrations", "audit", "export"]
        .iter()
        .any(|p| op.starts_with(p))
}

/// The integration a `webhook.*.{other,system,own}` cell works on.
fn target_integration(t: &Template, op: &str, role: usize) -> IntegrationId {
    if op.ends_with(".own") {
        t.own[role]
    } else if op.ends_with(".system") {
        t.system_held
    } else if op == "webhook.enable.other" {
        t.other_disabled
    } else {
        t.other_active
    }
}

/// Bring the copy into the state the cell needs, as an administrator, before the snapshot.
fn prepare(dir: &mut Directory, t: &Template, op: &str, role: usize) {
    let admin = Actor::user(id_of(dir, "admin"));
    if op.starts_with("webhook.enable.") {
        let id = target_integration(t, op, role);
        let current = dir.integration(admin, id).expect("integration");
        if current.status == IntegrationStatus::Active {
            dir.disable_webhook(admin, id).expect("prepare: disable");
        }
    }
    if op.ends_with(".setting_on") {
        dir.set_show_dismissed(admin, true)
            .expect("prepare: show_dismissed on");
    }
}

fn list(dir: &Directory, a: Actor, status: StatusFilter, still_owns: bool) -> offboard::Result<()> {
    dir.list(
        a,
        &ListQuery {
            status,
            search: None,
            still_owns,
            offset: 0,
            limit: 1000,
            ..Default::default()
        },
    )
    .map(drop)
}

fn perform(
    dir: &mut Directory,
    t: &Template,
    op: &str,
    role: usize,
    a: Actor,
) -> offboard::Result<()> {
    let hook = || target_integration(t, op, role);
    match op {
        "add" => dir.add(a, &person("newbie", "Nora", "Newbie")).map(drop),
        "import" => dir
            .import_csv(
                a,
                "login,first_name,last_name,email,position,department,hired_on\n\
                 imported1,Ida,Import,ida.import@acme.example,Clerk,Sales,2026-01-02\n"
                    .as_bytes(),
            )
            .map(drop),
        "dismiss" => dir
            .dismiss(a, "kwatanabe", &DismissRequest::default())
            .map(drop),
        "hire" => dir.hire(a, "ydemir", false).map(drop),
        "reassign" => dir
            .reassign(a, "lbrandt", "mrossi", WorkKinds::ALL)
            .map(drop),
        "grant" => dir.set_structure_access(a, "mrossi", true).map(drop),
        "revoke" => dir.set_structure_access(a, "hr", false).map(drop),
        "set_show_dismissed" => dir.set_show_dismissed(a, true).map(drop),
        "webhook.create" => dir
            .create_webhook(a, "Made in a matrix cell", Scope::Task.into())
            .map(drop),
        _ if op.starts_with("webhook.edit.") => dir
            .edit_webhook(a, hook(), Some("Renamed in a matrix cell"), None)
            .map(drop),
        _ if op.starts_with("webhook.disable.") => dir.disable_webhook(a, hook()).map(drop),
        _ if op.starts_with("webhook.enable.") => dir.enable_webhook(a, hook()).map(drop),
        _ if op.starts_with("webhook.regenerate.") => dir.regenerate_webhook(a, hook()).map(drop),
        "list.active" => list(dir, a, StatusFilter::Active, false),
        "list.dismissed.setting_off" | "list.dismissed.setting_on" => {
            list(dir, a, StatusFilter::Dismissed, false)
        }
        "list.all.setting_off" | "list.all.setting_on" => list(dir, a, StatusFilter::All, false),
        "list.still_owns" => list(dir, a, StatusFilter::Dismissed, true),
        "profile" => dir.profile(a, "lbrandt").map(drop),
        "integrations" => dir.integrations(a).map(drop),
        "audit" => dir.audit(a, None, 0, 100).map(drop),
        "export" => dir.export(a, StatusFilter::Dismissed).map(drop),
        other => panic!("the matrix names an unknown operation {other:?}"),
    }
}

/// The first table whose rows differ, described; `None` when nothing changed.
fn difference(before: &Snapshot, after: &Snapshot) -> Option<String> {
    if before.len() != after.len() {
        return Some("the set of tables changed".into());
    }
    for (table, rows) in before {
        let now = after.get(table).cloned().unwrap_or_default();
        if &now != rows {
            let added: Vec<&String> = now.iter().filter(|r| !rows.contains(r)).collect();
            return Some(format!("table {table} changed: {added:?}"));
        }
    }
    None
}

/// Run one cell on a fresh copy of the template; `Err` says what went wrong.
fn cell(t: &Template, row: &Row, role: usize) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = tmp.path().join("cell.db");
    std::fs::copy(&t.path, &path).map_err(|e| e.to_string())?;
    let mut dir = Directory::open(&path).map_err(|e| e.to_string())?;
    let actor = Actor::user(id_of(&dir, ROLES[role].login()));
    prepare(&mut dir, t, row.op, role);
    let before = snapshot(&dir);
    let audits = audit_count(&dir);
    let result = perform(&mut dir, t, row.op, role, actor);
    let changed = difference(&before, &snapshot(&dir));
    match (row.allow[role], result) {
        (true, Ok(())) => {
            if is_read(row.op) {
                if let Some(d) = changed {
                    return Err(format!("allowed, and a read changed the database: {d}"));
                }
            } else if audit_count(&dir) != audits + 1 {
                return Err(format!(
                    "allowed, but wrote {} audit events instead of 1",
                    audit_count(&dir) - audits
                ));
            }
            Ok(())
        }
        (true, Err(e)) => Err(format!(
            "expected allow, program refused (exit {}): {e}",
            e.exit_code()
        )),
        (false, Ok(())) => Err(format!(
            "expected deny, program allowed it{}",
            if changed.is_some() {
                " and changed the database"
            } else {
                ""
            }
        )),
        (false, Err(e)) => {
            if e.exit_code() != 3 {
                return Err(format!(
                    "expected a refusal (exit 3), got exit {}: {e}",
                    e.exit_code()
                ));
            }
            if !matches!(
                e,
                Error::Denied(_) | Error::AccessRevoked(_) | Error::SettingOff(_)
            ) {
                return Err(format!(
                    "refused for a reason other than access (so the cell proves nothing): {e:?}"
                ));
            }
            if let Some(d) = changed {
                return Err(format!("refused, but the database changed: {d}"));
            }
            Ok(())
        }
    }
}

#[test]
fn permission_matrix_follows_spec_section_2() {
    let t = template();
    let cells: Vec<(usize, usize)> = (0..MATRIX.len())
        .flat_map(|r| (0..ROLES.len()).map(move |c| (r, c)))
        .collect();
    // Four workers over the cells; each cell has its own copy of the database.
    let failures = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().expect("lock");
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(&(r, c)) = cells.get(i) else { break };
                    let row = &MATRIX[r];
                    let outcome =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cell(&t, row, c)))
                            .unwrap_or_else(|_| Err("the cell panicked".into()));
                    if let Err(why) = outcome {
                        failures.lock().expect("lock").push(format!(
                            "{} × {} (expected {}; {}): {why}",
                            row.op,
                            ROLES[c].login(),
                            if row.allow[c] { "allow" } else { "deny" },
                            row.why
                        ));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("lock");
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} cells ({} operations × {} roles) contradict the table:\n  {}",
        failures.len(),
        cells.len(),
        MATRIX.len(),
        ROLES.len(),
        failures.join("\n  ")
    );
}

// ====================================================================== 2. REST scopes and credentials

const SCOPE_SETS: &[&str] = &[
    "user",
    "department",
    "task",
    "crm",
    "user,department,task,crm",
];

fn in_scope(scope: Option<Scope>, set: &str) -> bool {
    scope.is_none_or(|s| set.split(',').any(|p| p == s.as_str()))
}

#[test]
fn every_rest_method_against_every_scope_set() {
    let mut company = Company::demo();
    let _server = company.serve();
    let http = Http::new();
    let hooks: Vec<_> = SCOPE_SETS
        .iter()
        .map(|set| (*set, company.webhook("jdoe", &format!("Scopes {set}"), set)))
        .collect();
    let mut failures = Vec::new();
    let mut tried = 0;
    for (set, hook) in &hooks {
        for (method, scope) in offboard::rest::methods::METHODS {
            tried += 1;
            let r = http.get(&hook.at(method));
            let refused_for_scope =
                r.status == 401 && r.body["error"].as_str() == Some("insufficient_scope");
            if in_scope(*scope, set) {
                if r.status == 401 {
                    failures.push(format!(
                        "{method} with scopes {{{set}}}: inside its scope, got 401 {}",
                        r.body
                    ));
                }
            } else if !refused_for_scope {
                failures.push(format!(
                    "{method} with scopes {{{set}}}: outside its scope, expected 401 insufficient_scope, got {} {}",
                    r.status, r.body
                ));
            }
        }
        // The same through batch: each command is held to the integration's scopes.
        let cmd: serde_json::Map<String, Value> = offboard::rest::methods::METHODS
            .iter()
            .filter(|(m, _)| *m != "batch")
            .map(|(m, _)| (m.to_string(), json!(m)))
            .collect();
        let r = http.post_json(&hook.at("batch"), &json!({ "halt": 0, "cmd": cmd }));
        let result = r.result().clone();
        for (method, scope) in offboard::rest::methods::METHODS
            .iter()
            .filter(|(m, _)| *m != "batch")
        {
            tried += 1;
            let code = result["result_error"][*method]["error"].as_str();
            let scoped_out = code == Some("insufficient_scope");
            if in_scope(*scope, set) == scoped_out {
                failures.push(format!(
                    "batch → {method} with scopes {{{set}}}: in scope {}, error {code:?}",
                    in_scope(*scope, set)
                ));
            }
        }
    }
    assert!(
        tried >= 5 * offboard::rest::methods::METHODS.len(),
        "tried {tried}"
    );
    assert!(
        failures.is_empty(),
        "{} of {tried} method × scope calls were wrong:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// Another alphanumeric character than `c`.
fn other_char(c: char) -> char {
    if c == 'a' { 'b' } else { 'a' }
}

#[test]
fn wrong_codes_wrong_user_ids_and_disabled_integrations_get_401() {
    let mut company = Company::demo();
    let _server = company.serve();
    let http = Http::new();
    let hook = company.webhook("jdoe", "Credentials", "user,department,task,crm");
    let (user, code) = hook.parts();
    let base = company.base.clone().expect("base");
    let at = |u: &str, c: &str| format!("{base}/rest/{u}/{c}/user.current");
    http.get(&at(&user, &code)).ok();

    // Wrong codes for the right user id.
    let mut last = code.clone();
    let lc = last.pop().expect("a code");
    last.push(other_char(lc));
    let mut first: String = code.chars().skip(1).collect();
    first.insert(0, other_char(code.chars().next().expect("a code")));
    let tlangs = company.webhook("tlang", "Someone else's", "user");
    let (_, tlang_code) = tlangs.parts();
    let wrong_codes = [
        last,
        first,
        code[..code.len() - 1].to_string(),
        format!("{code}a"),
        code.to_ascii_uppercase(),
        "a".repeat(code.len()),
        "x".into(),
        tlang_code.clone(),
        secret::new_code().expect("code"),
    ];
    for wrong in &wrong_codes {
        if wrong == &code {
            continue;
        }
        http.get(&at(&user, wrong)).err(401, "INVALID_CREDENTIALS");
    }
    // The right code for a wrong user id (admin, tlang, hr, a system user, nobody, not a number).
    for wrong_user in ["2", "23", "35", "43", "0", "-5", "99999", "jdoe", "5x"] {
        assert_ne!(wrong_user, user);
        http.get(&at(wrong_user, &code))
            .err(401, "INVALID_CREDENTIALS");
    }
    // tlang's code is tlang's only.
    http.get(&at("23", &tlang_code)).ok();
    http.get(&at(&user, &tlang_code))
        .err(401, "INVALID_CREDENTIALS");

    // A disabled integration is dead at once; enabled again, it answers again.
    let id = hook.id.to_string();
    company.ok(&["--as", "jdoe", "webhook", "disable", &id]);
    for method in ["user.current", "scope", "methods", "crm.deal.list"] {
        http.get(&hook.at(method)).err(401, "INVALID_CREDENTIALS");
    }
    company.ok(&["--as", "jdoe", "webhook", "enable", &id]);
    http.get(&hook.at("user.current")).ok();

    // An integration disabled with its owner's dismissal is dead too.
    company.ok(&[
        "--as",
        "hr",
        "dismiss",
        "tlang",
        "--integrations",
        "disable",
    ]);
    http.get(&tlangs.at("user.current"))
        .err(401, "INVALID_CREDENTIALS");

    // A regenerated secret: the old one is dead, the new one works.
    let out = company.ok(&["--as", "jdoe", "webhook", "regenerate", &id]);
    let fresh = last_line(&out);
    http.get(&hook.at("user.current"))
        .err(401, "INVALID_CREDENTIALS");
    http.get(&format!("{fresh}user.current")).ok();
}

// ====================================================================== 3. secrets

/// A company in a temporary folder where every process has HOME and XDG_DATA_HOME inside it,
/// logs at trace level, and every output is kept in order.
struct Sandbox {
    tmp: TempDir,
    db: PathBuf,
    base: Option<String>,
    /// (command, stdout + stderr), in the order they ran.
    transcript: Vec<(String, String)>,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = tempfile::tempdir().expect("tempdir");
        let db = tmp.path().join("company.db");
        Sandbox {
            tmp,
            db,
            base: None,
            transcript: Vec::new(),
        }
    }

    fn xdg(&self) -> PathBuf {
        self.tmp.path().join("xdg")
    }

    fn log(&self) -> PathBuf {
        self.xdg().join("offboard").join("offboard.log")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = binary::command(self.tmp.path(), &self.db, args);
        c.env("OFFBOARD_LOG", "trace")
            .env("XDG_DATA_HOME", self.xdg());
        if let Some(b) = &self.base {
            c.env("OFFBOARD_BASE_URL", b);
        }
        c
    }

    #[track_caller]
    fn run(&mut self, args: &[&str]) -> Out {
        let o = self.command(args).output().expect("run offboard");
        let out = Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        self.transcript.push((
            format!("offboard {}", args.join(" ")),
            format!("{}\n{}", out.stdout, out.stderr),
        ));
        out
    }

    #[track_caller]
    fn ok(&mut self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code,
            0,
            "`offboard {}`: {}{}",
            args.join(" "),
            o.stdout,
            o.stderr
        );
        o.stdout
    }
}

/// `offboard serve` whose whole stdout and stderr are kept.
struct Serving {
    child: Child,
    base: String,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

fn collect(
    mut from: impl Read + Send + 'static,
    into: Arc<Mutex<Vec<u8>>>,
    first_line: Option<mpsc::Sender<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut sent = first_line.is_none();
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let mut all = into.lock().expect("lock");
                    all.extend_from_slice(&buf[..n]);
                    if !sent && let Some(end) = all.iter().position(|b| *b == b'\n') {
                        let line = String::from_utf8_lossy(&all[..end]).into_owned();
                        if let Some(tx) = &first_line {
                            let _ = tx.send(line);
                        }
                        sent = true;
                    }
                }
            }
        }
    })
}

impl Serving {
    fn start(mut command: Command) -> Serving {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start offboard serve");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let readers = vec![
            collect(
                child.stdout.take().expect("stdout"),
                stdout.clone(),
                Some(tx),
            ),
            collect(child.stderr.take().expect("stderr"), stderr.clone(), None),
        ];
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "offboard serve printed no first line; stderr: {}",
                    String::from_utf8_lossy(&stderr.lock().expect("lock"))
                );
            }
        };
        let base = line
            .trim()
            .strip_prefix("Listening on ")
            .unwrap_or_else(|| panic!("unexpected first line of serve: {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Serving {
            child,
            base,
            stdout,
            stderr,
            readers,
        }
    }

    /// SIGTERM (a clean shutdown that closes the database), SIGKILL after 10 s; returns
    /// everything the server printed.
    fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        let out = String::from_utf8_lossy(&self.stdout.lock().expect("lock")).into_owned();
        let err = String::from_utf8_lossy(&self.stderr.lock().expect("lock")).into_owned();
        format!("{out}\n{err}")
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Every regular file under `root`, with its bytes.
fn files_under(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.is_file() {
                out.push((p.clone(), std::fs::read(&p).expect("read")));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_secret_is_shown_once_and_found_nowhere_else() {
    let mut sb = Sandbox::new();
    sb.ok(&["demo"]);
    let server = Serving::start(sb.command(&["serve", "--addr", "127.0.0.1:0"]));
    sb.base = Some(server.base.clone());
    let http = Http::new();
    // (what, code, index in the transcript of the one output that showed it)
    let mut secrets: Vec<(String, String, usize)> = Vec::new();
    let mut issue = |sb: &mut Sandbox, what: &str, args: &[&str]| -> (EmployeeId, String) {
        let out = sb.ok(args);
        let url = last_line(&out);
        let (user, code) = parse_url(&url);
        secrets.push((what.to_string(), code, sb.transcript.len() - 1));
        (user, url)
    };
    let out_a = {
        let (_, url) = issue(
            &mut sb,
            "jdoe's webhook",
            &[
                "--as",
                "jdoe",
                "webhook",
                "create",
                "--title",
                "A",
                "--scopes",
                "user,task",
            ],
        );
        url
    };
    let a_id = integration_id(&sb.transcript.last().expect("create").1).to_string();
    let (_, b_url) = issue(
        &mut sb,
        "tlang's webhook",
        &[
            "--as", "tlang", "webhook", "create", "--title", "B", "--scopes", "crm",
        ],
    );
    let b_id = integration_id(&sb.transcript.last().expect("create").1).to_string();
    let (_, c_url) = issue(
        &mut sb,
        "admin's webhook",
        &[
            "--as",
            "admin",
            "webhook",
            "create",
            "--title",
            "C",
            "--scopes",
            "user,department,task,crm",
        ],
    );
    let (_, a2_url) = issue(
        &mut sb,
        "jdoe's regenerated webhook",
        &["--as", "jdoe", "webhook", "regenerate", &a_id],
    );
    let held = sb.ok(&["integrations", "--json", "--as", "admin"]);
    let held: Vec<Value> = serde_json::from_str(&held).expect("integrations json");
    let system_held = held
        .iter()
        .find(|i| i["owner"] == "system.lbrandt")
        .and_then(|i| i["id"].as_i64())
        .expect("system.lbrandt holds an integration")
        .to_string();
    let (t_user, t_url) = issue(
        &mut sb,
        "system.lbrandt's webhook taken over by hr",
        &[
            "--as",
            "hr",
            "webhook",
            "edit",
            &system_held,
            "--title",
            "Taken over",
        ],
    );
    assert_eq!(
        t_user,
        id_of_login(&mut sb, "hr"),
        "the taken-over URL names hr"
    );
    let (_, b2_url) = issue(
        &mut sb,
        "tlang's webhook regenerated by admin",
        &["--as", "admin", "webhook", "regenerate", &b_id],
    );

    // Calls through all of them, the dead ones too. Their answers are outputs as well.
    let calls = [
        (http.get(&format!("{out_a}user.current")), 401),
        (http.get(&format!("{a2_url}user.current")), 200),
        (http.get(&format!("{a2_url}tasks.task.list")), 200),
        (http.get(&format!("{b_url}crm.deal.list")), 401),
        (http.get(&format!("{b2_url}crm.deal.list")), 200),
        (http.get(&format!("{c_url}user.get?start=0")), 200),
        (
            http.post_json(
                &format!("{c_url}batch"),
                &json!({"halt": 0, "cmd": {"me": "user.current", "deals": "crm.deal.list"}}),
            ),
            200,
        ),
        (http.get(&format!("{t_url}crm.lead.list")), 200),
        (http.get(&format!("{t_url}user.current")), 401),
        (http.get(&format!("{t_url}no.such.method")), 404),
    ];
    for (r, status) in calls {
        assert_eq!(r.status, status, "{}: {}", r.what, r.body);
        // The request line holds the code; only the answer is an output.
        let verb = r.what.split(' ').next().unwrap_or_default();
        let method = r.what.rsplit('/').next().unwrap_or_default();
        sb.transcript.push((
            format!("the answer to {verb} …/{method}"),
            r.body.to_string(),
        ));
    }

    // Everything that could show a secret again.
    for login in ["admin", "hr", "jdoe", "tlang"] {
        sb.ok(&["integrations", "--json", "--as", login]);
        sb.ok(&["integrations", "--as", login]);
    }
    for who in ["jdoe", "tlang", "admin", "hr", "lbrandt", "system.lbrandt"] {
        sb.run(&["show", who, "--json", "--as", "admin"]);
        sb.run(&["show", who, "--as", "hr"]);
    }
    sb.ok(&["audit", "--json", "--limit", "1000", "--as", "admin"]);
    sb.ok(&["audit", "--limit", "1000", "--as", "hr"]);
    sb.ok(&[
        "export", "--status", "all", "--format", "json", "--as", "admin",
    ]);
    sb.ok(&["export", "--status", "all", "--format", "csv", "--as", "hr"]);
    sb.ok(&["list", "--json", "--as", "admin"]);
    sb.ok(&["list", "--still-owns", "--json", "--as", "hr"]);
    sb.ok(&[
        "--as",
        "hr",
        "dismiss",
        "tlang",
        "--integrations",
        "keep",
        "--json",
    ]);
    sb.ok(&[
        "--as",
        "hr",
        "hire",
        "tlang",
        "--return-integrations",
        "--json",
    ]);
    sb.run(&[
        "--as", "jdoe", "webhook", "edit", &b_id, "--title", "Not mine",
    ]);
    sb.ok(&["--as", "admin", "webhook", "disable", &a_id]);
    sb.ok(&["integrations", "--json", "--as", "admin"]);
    sb.ok(&["audit", "--json", "--limit", "1000", "--as", "admin"]);

    let served = server.stop();
    sb.transcript.push(("offboard serve".into(), served));
    assert!(
        sb.log().exists(),
        "the log file {} exists",
        sb.log().display()
    );

    let files = files_under(sb.tmp.path());
    assert!(
        files.iter().any(|(p, _)| p == &sb.db),
        "the database is among the files searched"
    );
    let mut leaks = Vec::new();
    for (what, code, shown_in) in &secrets {
        assert!(
            code.len() >= 24,
            "{what}: a code of 24 characters, got {code:?}"
        );
        for (i, (cmd, out)) in sb.transcript.iter().enumerate() {
            let found = out.contains(code.as_str());
            if i == *shown_in && !found {
                leaks.push(format!("{what}: `{cmd}` should have shown it"));
            } else if i != *shown_in && found {
                leaks.push(format!(
                    "{what}: appears again in the output of `{cmd}` (shown first by `{}`)",
                    sb.transcript[*shown_in].0
                ));
            }
        }
        for (path, bytes) in &files {
            if contains(bytes, code) {
                leaks.push(format!("{what}: found in the file {}", path.display()));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} secret leaks:\n  {}",
        leaks.len(),
        leaks.join("\n  ")
    );
}

fn id_of_login(sb: &mut Sandbox, login: &str) -> EmployeeId {
    let out = sb.ok(&["show", login, "--json", "--as", "admin"]);
    let v: Value = serde_json::from_str(&out).expect("show json");
    EmployeeId(v["id"].as_i64().expect("id"))
}

#[test]
fn verification_rejects_every_near_miss_and_hashes_are_salted() {
    let salt = secret::new_salt().expect("salt");
    let code = secret::new_code().expect("code");
    assert_eq!(code.len(), secret::CODE_LEN);
    let stored = secret::hash_code(&salt, &code);
    assert!(secret::verify(&salt, &stored, &code));
    assert!(!stored.contains(&code), "the hash does not hold the code");

    // Wrong codes of every length up to well past the real one.
    for len in 0..=secret::CODE_LEN * 3 {
        let mut wrong = secret::new_code().expect("code").repeat(3);
        wrong.truncate(len);
        assert!(
            !secret::verify(&salt, &stored, &wrong),
            "a random code of length {len} must be rejected"
        );
        // Prefixes of the real code, and the real code with a tail.
        let near = if len <= code.len() {
            code[..len].to_string()
        } else {
            format!("{code}{}", "a".repeat(len - code.len()))
        };
        if near != code {
            assert!(
                !secret::verify(&salt, &stored, &near),
                "{near:?} ({len} characters, a prefix or extension of the code) must be rejected"
            );
        }
    }
    // Differing in one character only, at every position (the last one in particular).
    for pos in (0..code.len()).rev() {
        let mut chars: Vec<char> = code.chars().collect();
        chars[pos] = other_char(chars[pos]);
        let wrong: String = chars.into_iter().collect();
        assert!(
            !secret::verify(&salt, &stored, &wrong),
            "a code differing only at position {pos} must be rejected"
        );
    }
    let upper = code.to_ascii_uppercase();
    if upper != code {
        assert!(!secret::verify(&salt, &stored, &upper), "case matters");
    }
    assert!(!secret::verify(&salt, &stored, &format!("{code}\0")));
    assert!(!secret::verify(&salt, &stored, &format!(" {code}")));

    // Salted: the same code under two salts hashes differently, and one salt's hash does not
    // verify under the other.
    let other_salt = secret::new_salt().expect("salt");
    assert_ne!(salt, other_salt, "salts are fresh");
    let other = secret::hash_code(&other_salt, &code);
    assert_ne!(
        stored, other,
        "two integrations with the same code hash differently"
    );
    assert!(!secret::verify(&other_salt, &stored, &code));
    assert!(!secret::verify(&salt, &other, &code));
    let unsalted = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(code.as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert_ne!(
        stored, unsalted,
        "the stored hash is not a bare SHA-256 of the code"
    );

    // And in a real database every integration has its own salt and only a hash.
    let env = common::demo();
    let rows: Vec<(String, String)> = {
        let c = env.dir.connection();
        let mut st = c
            .prepare("SELECT secret_salt, secret_hash FROM integrations")
            .expect("prepare");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    };
    assert!(rows.len() >= 8);
    let salts: std::collections::BTreeSet<&String> = rows.iter().map(|(s, _)| s).collect();
    assert_eq!(
        salts.len(),
        rows.len(),
        "every integration has its own salt"
    );
    for (s, h) in &rows {
        assert!(s.len() >= 16, "a salt of at least 8 bytes: {s}");
        assert_eq!(h.len(), 64, "a SHA-256 hex hash: {h}");
    }
}

// ====================================================================== 4. private files

/// `offboard ARGS` under `umask 000`, so only the program's own modes protect its files.
fn permissive(home: &Path, xdg: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(args)
        .env_remove("OFFBOARD_DB")
        .env_remove("OFFBOARD_USER")
        .env_remove("OFFBOARD_BASE_URL")
        .env_remove("OFFBOARD_LOG")
        .env("HOME", home)
        .env("XDG_DATA_HOME", xdg)
        .current_dir(home)
        .stdin(Stdio::null());
    c
}

#[track_caller]
fn run_ok(mut c: Command) -> String {
    let o = c.output().expect("run");
    assert!(
        o.status.success(),
        "{c:?} failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn database_and_log_files_are_private() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let xdg = tmp.path().join("xdg");
    std::fs::create_dir_all(&home).expect("home");
    let db = tmp.path().join("company.db");
    let db_s = db.to_str().expect("utf-8 path");
    let log = xdg.join("offboard").join("offboard.log");
    let mut modes: BTreeMap<String, u32> = BTreeMap::new();

    run_ok(permissive(&home, &xdg, &["demo", "--db", db_s]));
    modes.insert(db.display().to_string(), mode(&db));
    modes.insert(log.display().to_string(), mode(&log));

    // The default database in the data folder, made by `init`.
    run_ok(permissive(
        &home,
        &xdg,
        &[
            "init",
            "--admin",
            "boss",
            "--name",
            "Bea Boss",
            "--email",
            "bea@acme.example",
        ],
    ));
    let default_db = xdg.join("offboard").join("offboard.db");
    modes.insert(default_db.display().to_string(), mode(&default_db));

    // While serve holds the file open the WAL and shared-memory files exist.
    let server = Serving::start(permissive(
        &home,
        &xdg,
        &["serve", "--addr", "127.0.0.1:0", "--db", db_s],
    ));
    let mut create = permissive(
        &home,
        &xdg,
        &[
            "webhook", "create", "--title", "Modes", "--scopes", "user", "--as", "jdoe", "--db",
            db_s,
        ],
    );
    create.env("OFFBOARD_BASE_URL", &server.base);
    let url = last_line(&run_ok(create));
    Http::new().get(&format!("{url}user.current")).ok();
    let mut sidecars = 0;
    for suffix in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{db_s}{suffix}"));
        if p.exists() {
            sidecars += 1;
            modes.insert(p.display().to_string(), mode(&p));
        }
    }
    modes.insert(db.display().to_string() + " (while serving)", mode(&db));
    modes.insert(log.display().to_string() + " (after serve)", mode(&log));
    drop(server.stop());
    assert!(
        sidecars > 0,
        "serve on a WAL database leaves -wal/-shm while it runs"
    );

    let open: Vec<String> = modes
        .iter()
        .filter(|(_, m)| **m != 0o600)
        .map(|(p, m)| format!("{p}: {m:o}"))
        .collect();
    assert!(
        open.is_empty(),
        "files must be mode 600 (not readable by group or others):\n  {}",
        open.join("\n  ")
    );
}
