//! Outbound event hooks end to end (issue 16): the real binary registers a receiver,
//! changes are made through the command line, `offboard serve` delivers from the
//! outbox, and a receiver on 127.0.0.1 run by this test verifies every delivery with
//! `standardwebhooks`, the Standard Webhooks reference library from the Python package
//! index (pinned in tests/pyenv). Retries against a receiver that fails then
//! recovers, a hook marked failing when retries run out, and SIGKILL of `serve` in
//! the middle of its deliveries: no event lost or changed, a repeat keeps its id.

mod binary;
mod common;
mod pyenv;
mod rest_support;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rest_support::{Company, Server, last_line};
use serde_json::Value;

/// How long a test waits for something the server must do.
const DEADLINE: Duration = Duration::from_secs(60);

/// The receiver script, running; killed when dropped.
struct Receiver {
    child: Child,
    url: String,
    log: PathBuf,
    secret_file: PathBuf,
    recover_file: PathBuf,
}

impl Receiver {
    /// Start it in `dir`; `failing` makes it answer 503 until `recover()`;
    /// `delay_ms` slows every answer.
    fn start(dir: &Path, failing: bool, delay_ms: u64) -> Receiver {
        let python = pyenv::python_env(&pyenv::STANDARDWEBHOOKS);
        let port_file = dir.join("receiver.port");
        let log = dir.join("receiver.jsonl");
        let secret_file = dir.join("receiver.secret");
        let recover_file = dir.join("receiver.recovered");
        let mut cmd = Command::new(python);
        cmd.arg(pyenv::script("hook_receiver.py"))
            .arg("--port-file")
            .arg(&port_file)
            .arg("--log")
            .arg(&log)
            .arg("--secret-file")
            .arg(&secret_file)
            .arg("--delay-ms")
            .arg(delay_ms.to_string())
            .env_remove("PYTHONPATH")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("receiver.stderr")).expect("stderr file"));
        if failing {
            cmd.arg("--recover-file").arg(&recover_file);
        }
        let child = cmd.spawn().expect("start the receiver");
        let mut r = Receiver {
            child,
            url: String::new(),
            log,
            secret_file,
            recover_file,
        };
        let port = wait_for("the receiver's port", || {
            std::fs::read_to_string(&port_file).ok()
        });
        r.url = format!("http://127.0.0.1:{}/offboard-events", port.trim());
        r
    }

    fn set_secret(&self, secret: &str) {
        std::fs::write(&self.secret_file, secret).expect("write the secret file");
    }

    fn recover(&self) {
        std::fs::write(&self.recover_file, "ok").expect("write the recover file");
    }

    /// Every request it received, in order.
    fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Poll `f` until it gives a value, or panic after `DEADLINE`.
#[track_caller]
fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + DEADLINE;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The outbox as the database holds it: (webhook-id, type, body), oldest first.
fn outbox(db: &Path, after: i64) -> Vec<(String, String, String)> {
    let c = rusqlite::Connection::open(db).expect("open the database");
    let mut st = c
        .prepare("SELECT uid, type, body FROM outbox_events WHERE id > ?1 ORDER BY id")
        .expect("prepare");
    st.query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

fn last_event_id(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open the database");
    c.query_row("SELECT COALESCE(MAX(id), 0) FROM outbox_events", [], |r| {
        r.get(0)
    })
    .expect("max id")
}

/// Register `receiver` as admin; returns the hook's id. The secret is the last line.
fn register(company: &Company, receiver: &Receiver, extra: &[&str]) -> i64 {
    let mut args = vec!["--as", "admin", "hook", "create", "--url", &receiver.url];
    args.extend_from_slice(extra);
    let out = company.ok(&args);
    let secret = last_line(&out);
    assert!(
        secret.starts_with("whsec_"),
        "the last line is the secret: {out}"
    );
    receiver.set_secret(&secret);
    let id: i64 = out
        .split('#')
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no hook id in {out}"));
    id
}

fn serve(company: &Company, extra: &[&str]) -> Server {
    Server::start(company, extra)
}

/// The receiver's requests that were answered with success, by webhook-id.
fn delivered_ids(receiver: &Receiver) -> Vec<String> {
    receiver
        .requests()
        .iter()
        .filter(|r| r["answered"] == 204)
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_delivery_verifies_with_standardwebhooks_in_order_and_without_secrets() {
    let company = Company::demo();
    let receiver = Receiver::start(company.dir(), false, 0);
    let before = last_event_id(&company.db);
    let hook = register(&company, &receiver, &[]);
    // Changes of every kind, through the command line, as different actors.
    company.ok(&[
        "--as",
        "hr",
        "dismiss",
        "tlang",
        "--integrations",
        "keep",
        "--reason",
        "resigned",
    ]);
    company.ok(&[
        "--as",
        "admin",
        "dismiss",
        "amehta",
        "--integrations",
        "disable",
    ]);
    company.ok(&[
        "--as",
        "hr",
        "add",
        "--login",
        "newbie",
        "--name",
        "Nia Newbie",
        "--email",
        "nia@example.com",
    ]);
    company.ok(&["--as", "hr", "hire", "tlang"]);
    company.ok(&["--as", "hr", "reassign", "amehta", "--to", "jdoe"]);
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    company.ok(&["--as", "hr", "dismiss", "newbie", "--on", &tomorrow]);
    company.ok(&["--as", "hr", "cancel-dismissal", "newbie"]);
    let events = outbox(&company.db, before);
    let types: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
    for t in [
        "employee.dismissed",
        "integration.transferred",
        "integration.disabled",
        "employee.added",
        "employee.hired",
        "work.reassigned",
        "employee.dismissal_scheduled",
        "employee.dismissal_canceled",
    ] {
        assert!(types.contains(&t), "no {t} event in {types:?}");
    }
    let _server = serve(&company, &[]);
    wait_for("every event delivered", || {
        (delivered_ids(&receiver).len() >= events.len()).then_some(())
    });
    let requests = receiver.requests();
    assert_eq!(
        requests.len(),
        events.len(),
        "one request per event, no more"
    );
    for (r, (id, kind, body)) in requests.iter().zip(&events) {
        assert_eq!(r["verified"], true, "standardwebhooks verifies it: {r}");
        assert_eq!(r["id"], id.as_str(), "in outbox order");
        assert_eq!(r["body"], body.as_str(), "the body as the outbox holds it");
        assert_eq!(r["content_type"], "application/json");
        assert!(!body.contains("whsec_"), "no secret in an event: {body}");
        let p: Value = serde_json::from_str(body).expect("JSON body");
        assert_eq!(p["type"], kind.as_str());
        assert!(p["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
        assert!(p["data"]["actor"]["login"].is_string(), "who: {p}");
        if kind.starts_with("employee.") || kind == "work.reassigned" {
            let e = &p["data"]["employee"];
            assert!(
                e["id"].is_i64() && e["login"].is_string() && e["name"].is_string(),
                "{p}"
            );
        }
    }
    let dismissed: Value = serde_json::from_str(
        &events[types
            .iter()
            .position(|t| *t == "employee.dismissed")
            .unwrap()]
        .2,
    )
    .unwrap();
    assert_eq!(dismissed["data"]["employee"]["login"], "tlang");
    assert_eq!(dismissed["data"]["actor"]["login"], "hr");
    assert_eq!(dismissed["data"]["integrations"], "keep");
    assert_eq!(dismissed["data"]["reason"], "resigned");
    // The events of the demo company, before the hook was registered, are not sent.
    assert!(before > 0);
    let log = company.json(&[
        "--as",
        "admin",
        "hook",
        "deliveries",
        &hook.to_string(),
        "--json",
    ]);
    let log = log.as_array().expect("array");
    assert_eq!(log.len(), events.len());
    assert!(
        log.iter()
            .all(|d| d["state"] == "delivered" && d["attempts"] == 1 && d["last_status"] == 204),
        "{log:?}"
    );
    let list = company.json(&["--as", "admin", "hook", "list", "--json"]);
    assert_eq!(list[0]["status"], "active");
    assert_eq!(list[0]["backlog"], 0);
    assert!(
        !list.to_string().contains("whsec_"),
        "hook list never shows the secret"
    );
    // The audit names the hook, never its secret.
    let audit = company.ok(&["--as", "admin", "audit", "--json"]);
    assert!(audit.contains("hook.create") && !audit.contains("whsec_"));
}

#[test]
fn a_receiver_that_fails_then_recovers_gets_the_event_again_with_the_same_id() {
    let company = Company::demo();
    let receiver = Receiver::start(company.dir(), true, 0);
    let hook = register(&company, &receiver, &["--events", "employee.dismissed"]);
    company.ok(&["--as", "hr", "dismiss", "jdoe"]);
    // Not subscribed: not sent.
    company.ok(&["--as", "hr", "hire", "jdoe"]);
    let _server = serve(&company, &[]);
    wait_for("two refused attempts", || {
        (receiver.requests().len() >= 2).then_some(())
    });
    receiver.recover();
    wait_for("the delivery", || {
        (!delivered_ids(&receiver).is_empty()).then_some(())
    });
    let requests = receiver.requests();
    let ids: HashSet<&str> = requests.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.len(),
        1,
        "every attempt carries the same webhook-id: {requests:?}"
    );
    assert!(requests.iter().all(|r| r["verified"] == true));
    let ts: Vec<i64> = requests
        .iter()
        .map(|r| r["timestamp"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]));
    let log = company.json(&[
        "--as",
        "admin",
        "hook",
        "deliveries",
        &hook.to_string(),
        "--json",
    ]);
    assert_eq!(log[0]["state"], "delivered");
    assert_eq!(log[0]["type"], "employee.dismissed");
    assert_eq!(log[0]["attempts"].as_i64(), Some(requests.len() as i64));
    assert!(
        requests.len() >= 3,
        "two failures and the success: {requests:?}"
    );
    // The hire was never sent: the hook asked for dismissals only.
    let bodies: Vec<&str> = requests
        .iter()
        .map(|r| r["body"].as_str().unwrap())
        .collect();
    assert!(bodies.iter().all(|b| !b.contains("employee.hired")));
}

#[test]
fn retries_run_out_the_hook_is_failing_and_enabling_it_resumes_in_order() {
    let company = Company::demo();
    let receiver = Receiver::start(company.dir(), true, 0);
    let hook = register(&company, &receiver, &[]);
    let before = last_event_id(&company.db);
    company.ok(&["--as", "hr", "dismiss", "jdoe"]);
    let _server = serve(&company, &["--hook-retry-for", "2", "--hook-timeout", "2"]);
    let failing = wait_for("the hook marked failing", || {
        let list = company.json(&["--as", "admin", "hook", "list", "--json"]);
        (list[0]["status"] == "failing").then_some(list)
    });
    assert!(
        failing[0]["failure"].as_str().unwrap().contains("503"),
        "{failing}"
    );
    let text = company.ok(&["--as", "admin", "hook", "list"]);
    assert!(text.contains("failing since"), "{text}");
    // More events wait behind the one it gave up on.
    company.ok(&["--as", "hr", "hire", "jdoe"]);
    let tried = receiver.requests().len();
    let list = company.json(&["--as", "admin", "hook", "list", "--json"]);
    assert_eq!(list[0]["backlog"], 2);
    receiver.recover();
    company.ok(&["--as", "admin", "hook", "enable", &hook.to_string()]);
    let events = outbox(&company.db, before);
    assert_eq!(events.len(), 2);
    wait_for("both delivered", || {
        (delivered_ids(&receiver).len() == 2).then_some(())
    });
    let want: Vec<String> = events.iter().map(|e| e.0.clone()).collect();
    assert_eq!(
        delivered_ids(&receiver),
        want,
        "in order, the failed one first"
    );
    assert!(tried >= 2, "it was retried before giving up");
    let audit = company.ok(&["--as", "admin", "audit"]);
    assert!(audit.contains("hook.enable"));
}

#[test]
fn sigkill_of_serve_mid_delivery_loses_no_event_and_changes_none() {
    let company = Company::demo();
    // Each answer takes 40 ms, so the deliveries are still going when serve is killed.
    let receiver = Receiver::start(company.dir(), false, 40);
    let before = last_event_id(&company.db);
    register(&company, &receiver, &[]);
    let csv = company.dir().join("new.csv");
    let mut text = String::from("login,first_name,last_name,email,position,department,hired_on\n");
    for i in 0..60 {
        text.push_str(&format!(
            "kill{i},Kim,Number{i},kill{i}@example.com,Clerk,,\n"
        ));
    }
    std::fs::write(&csv, text).expect("write the CSV");
    company.ok(&["--as", "hr", "import", csv.to_str().unwrap()]);
    let events = outbox(&company.db, before);
    assert_eq!(events.len(), 60, "one employee.added per imported row");
    let mut server = serve(&company, &[]);
    wait_for("some deliveries", || {
        (receiver.requests().len() >= 10).then_some(())
    });
    // SIGKILL: no shutdown of any kind.
    server.child.kill().expect("SIGKILL serve");
    server.child.wait().expect("wait");
    let got_before_kill = receiver.requests().len();
    assert!(
        got_before_kill < 60,
        "killed in the middle ({got_before_kill} of 60)"
    );
    let _again = serve(&company, &[]);
    wait_for("every event delivered after the restart", || {
        let ids: HashSet<String> = delivered_ids(&receiver).into_iter().collect();
        (ids.len() == 60).then_some(())
    });
    let by_id: HashMap<&str, &str> = events
        .iter()
        .map(|e| (e.0.as_str(), e.2.as_str()))
        .collect();
    let requests = receiver.requests();
    for r in &requests {
        assert_eq!(r["verified"], true, "{r}");
        let id = r["id"].as_str().unwrap();
        assert_eq!(
            by_id.get(id).copied(),
            Some(r["body"].as_str().unwrap()),
            "unchanged: {r}"
        );
    }
    // First deliveries in outbox order; a repeat (at most the one in flight) has the same id.
    let mut first_seen: Vec<&str> = Vec::new();
    for r in &requests {
        let id = r["id"].as_str().unwrap();
        if !first_seen.contains(&id) {
            first_seen.push(id);
        }
    }
    let want: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(first_seen, want);
    assert!(
        requests.len() <= 62,
        "at most the deliveries in flight repeat: {}",
        requests.len()
    );
}

#[test]
fn hooks_are_for_administrators_and_receivers_must_be_plain_urls() {
    let company = Company::demo();
    for login in ["hr", "jdoe"] {
        let o = company.run(&["--as", login, "hook", "list"]);
        assert_eq!(o.code, 3, "{o:?}");
        assert!(o.stderr.contains("administrator"), "{}", o.stderr);
        let o = company.run(&[
            "--as",
            login,
            "hook",
            "create",
            "--url",
            "http://127.0.0.1:9/x",
        ]);
        assert_eq!(o.code, 3, "{o:?}");
    }
    for bad in [
        "ftp://example.com/x",
        "not a url",
        "http://user:pw@example.com/x",
        "http://example.com/#x",
    ] {
        let o = company.run(&["--as", "admin", "hook", "create", "--url", bad]);
        assert_eq!(o.code, 2, "{bad}: {o:?}");
        assert_eq!(
            o.stderr.trim().lines().count(),
            1,
            "one clear line: {}",
            o.stderr
        );
    }
    let o = company.run(&[
        "--as",
        "admin",
        "hook",
        "create",
        "--url",
        "http://127.0.0.1:9/x",
        "--events",
        "employee.fired",
    ]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(
        o.stderr.contains("employee.dismissed"),
        "names the valid types: {}",
        o.stderr
    );
    let o = company.run(&["--as", "admin", "hook", "disable", "99"]);
    assert_eq!(o.code, 3);
    assert!(o.stderr.contains("no event hook #99"), "{}", o.stderr);
    assert_eq!(
        company.json(&["--as", "admin", "hook", "list", "--json"]),
        serde_json::json!([])
    );
}

/// An event exists exactly when its change committed: a refused change writes none,
/// a change undone by its caller leaves none, a committed one all of its own.
#[test]
fn events_are_written_in_the_changes_own_transaction() {
    use offboard::directory::DismissRequest;
    use offboard::domain::IntegrationChoice;
    let mut env = common::demo();
    let hr = common::actor(&env.dir, "hr");
    let jdoe = common::actor(&env.dir, "jdoe");
    let keep = DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        ..Default::default()
    };
    let before = common::snapshot(&env.dir);
    let outbox_before = common::count(&env.dir, "outbox_events");
    common::refused(env.dir.dismiss(jdoe, "tlang", &keep));
    common::refused(env.dir.dismiss(hr, "tlang", &DismissRequest::default()));
    common::refused(
        env.dir
            .reassign(jdoe, "tlang", "hr", offboard::domain::WorkKinds::ALL),
    );
    common::assert_unchanged(&before, &env.dir, "refused changes");
    // Undone by the caller (a batch that halts): its events go with it.
    env.dir
        .all_or_nothing(|d| {
            d.dismiss(hr, "tlang", &keep).expect("dismiss");
            ((), false)
        })
        .expect("rolled back");
    common::assert_unchanged(&before, &env.dir, "a rolled-back dismissal");
    env.dir.dismiss(hr, "tlang", &keep).expect("dismiss");
    let events = env.dir.outbox(0, 1000).expect("outbox");
    let new: Vec<&str> = events
        .iter()
        .skip(outbox_before as usize)
        .map(|e| e.kind.as_str())
        .collect();
    assert_eq!(
        new,
        [
            "integration.transferred",
            "integration.transferred",
            "employee.dismissed"
        ],
        "the dismissal and the two integrations it kept"
    );
    let ids: HashSet<&str> = events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(ids.len(), events.len(), "every event has its own id");
}
