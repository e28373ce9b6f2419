//! Helpers for the webhook REST endpoint tests: a temporary company made with the real
//! binary, `offboard serve` on an ephemeral port (killed when the guard drops), webhooks
//! created through `offboard webhook create`, and a real HTTP client (reqwest, blocking)
//! that checks every answer is JSON and never a 5xx.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

/// Demo company ids (stable: the demo is built the same way every time).
pub const ADMIN_ID: i64 = 2;
pub const JDOE_ID: i64 = 5;
pub const TLANG_ID: i64 = 23;
pub const HR_ID: i64 = 35;
pub const LBRANDT_ID: i64 = 6;
pub const YDEMIR_ID: i64 = 19;
/// The system user that holds lbrandt's kept integration.
pub const SYSTEM_LBRANDT_ID: i64 = 43;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A temporary folder holding `x.db`; HOME points there so nothing touches real data.
pub struct Company {
    pub tmp: TempDir,
    pub db: PathBuf,
    /// The server's base (`http://127.0.0.1:PORT`), given to the binary as
    /// OFFBOARD_BASE_URL so that printed webhook URLs are directly usable.
    pub base: Option<String>,
}

impl Company {
    /// The demo company (`offboard demo --db P`).
    pub fn demo() -> Company {
        let tmp = tempfile::tempdir().expect("tempdir");
        let db = tmp.path().join("x.db");
        let c = Company {
            tmp,
            db,
            base: None,
        };
        c.ok(&["demo"]);
        c
    }

    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// The binary with a clean environment, `args` and `--db P`.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = super::binary::command(self.dir(), &self.db, args);
        if let Some(base) = &self.base {
            c.env("OFFBOARD_BASE_URL", base);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Out {
        let o = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .expect("run offboard");
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Runs and expects exit 0; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code,
            0,
            "`offboard {}` should succeed\nstdout: {}\nstderr: {}",
            args.join(" "),
            o.stdout,
            o.stderr
        );
        o.stdout
    }

    /// Runs, expects 0, parses stdout as JSON.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| {
            panic!(
                "`offboard {}` did not print JSON ({e}):\n{out}",
                args.join(" ")
            )
        })
    }

    /// Start `offboard serve --addr 127.0.0.1:0` on this company; later webhooks are
    /// printed with the server's base.
    pub fn serve(&mut self) -> Server {
        let server = Server::start(self, &[]);
        self.base = Some(server.base.clone());
        server
    }

    /// `offboard --as LOGIN webhook create --title T --scopes S`: the new webhook.
    #[track_caller]
    pub fn webhook(&self, login: &str, title: &str, scopes: &str) -> Hook {
        assert!(
            self.base.is_some(),
            "start the server before creating webhooks"
        );
        let out = self.ok(&[
            "--as", login, "webhook", "create", "--title", title, "--scopes", scopes,
        ]);
        let id = integration_id(&out);
        let url = last_line(&out);
        assert!(
            url.starts_with(self.base.as_deref().unwrap_or_default()) && url.ends_with('/'),
            "webhook create should print the URL with the server's base as its last line:\n{out}"
        );
        Hook { id, url }
    }

    /// `integrations --json` as admin.
    pub fn integrations(&self) -> Vec<Value> {
        array(self.json(&["integrations", "--json", "--as", "admin"]))
    }

    /// `audit --json --as admin`, newest first.
    pub fn audit(&self) -> Vec<Value> {
        array(self.json(&["audit", "--json", "--as", "admin", "--limit", "1000"]))
    }
}

/// `Created integration #N …` → N.
#[track_caller]
pub fn integration_id(out: &str) -> i64 {
    let after = out
        .split('#')
        .nth(1)
        .unwrap_or_else(|| panic!("no integration number in:\n{out}"));
    after
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no integration number in:\n{out}"))
}

#[track_caller]
pub fn last_line(out: &str) -> String {
    out.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_else(|| panic!("no output"))
        .trim()
        .to_string()
}

#[track_caller]
pub fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        other => panic!("expected a JSON array, got {other}"),
    }
}

/// An inbound webhook: its integration id and its URL (`…/rest/{user}/{code}/`).
#[derive(Debug, Clone)]
pub struct Hook {
    pub id: i64,
    pub url: String,
}

impl Hook {
    /// The URL of `method` (may carry a `?query`).
    pub fn at(&self, method: &str) -> String {
        format!("{}{}", self.url, method)
    }

    /// The user id and code in the URL.
    pub fn parts(&self) -> (String, String) {
        let rest = self.url.split("/rest/").nth(1).expect("a /rest/ URL");
        let mut it = rest.trim_end_matches('/').split('/');
        (
            it.next().expect("user id").to_string(),
            it.next().expect("code").to_string(),
        )
    }
}

/// `offboard serve` running in the background; killed when dropped.
pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT` (or https).
    pub base: String,
    pub first_line: String,
}

impl Server {
    /// Start `serve --addr 127.0.0.1:0 --db P` plus `extra`, and read the first stdout
    /// line (`Listening on URL`) to learn the port.
    pub fn start(company: &Company, extra: &[&str]) -> Server {
        Server::start_with_env(company, extra, &[])
    }

    /// `start`, with these variables set in the server's environment.
    pub fn start_with_env(company: &Company, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut command = company.command(&args);
        command.envs(env.iter().copied());
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start offboard serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep reading so the server never writes into a closed pipe.
            let mut sink = String::new();
            while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!("offboard serve printed nothing within 30 s");
            }
        };
        let line = line.trim().to_string();
        let base = match line.strip_prefix("Listening on ") {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => {
                let _ = child.kill();
                let out = child.wait_with_output().expect("wait");
                panic!(
                    "offboard serve should print `Listening on URL` first, printed {line:?}\nstderr: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        };
        Server {
            child,
            base,
            first_line: line,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer: status and the JSON body.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub what: String,
}

impl Resp {
    /// Expects 200 and returns the body.
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert_eq!(
            self.status, 200,
            "{} should succeed, got {}: {}",
            self.what, self.status, self.body
        );
        assert!(
            self.body.get("error").is_none(),
            "{}: a success has no error: {}",
            self.what,
            self.body
        );
        assert!(
            self.body.get("result").is_some(),
            "{}: a success has a result: {}",
            self.what,
            self.body
        );
        &self.body
    }

    /// `body.result`, after checking 200.
    #[track_caller]
    pub fn result(&self) -> &Value {
        &self.ok()["result"]
    }

    /// Expects the error envelope with `status` and `code`; returns the description.
    #[track_caller]
    pub fn err(&self, status: u16, code: &str) -> String {
        assert_eq!(
            self.status, status,
            "{} should answer {status} {code}, got {}: {}",
            self.what, self.status, self.body
        );
        assert_eq!(
            self.body["error"].as_str(),
            Some(code),
            "{}: error code, in {}",
            self.what,
            self.body
        );
        let d = self.body["error_description"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no error_description in {}", self.what, self.body));
        assert!(
            !d.trim().is_empty(),
            "{}: empty error_description",
            self.what
        );
        assert!(
            self.body.get("result").is_none(),
            "{}: an error has no result: {}",
            self.what,
            self.body
        );
        d.to_string()
    }

    /// Expects some error envelope with `status` (any code); returns the description.
    #[track_caller]
    pub fn err_status(&self, status: u16) -> String {
        assert_eq!(
            self.status, status,
            "{} should answer {status}, got {}: {}",
            self.what, self.status, self.body
        );
        assert!(
            self.body["error"].as_str().is_some_and(|s| !s.is_empty()),
            "{}: an error code, in {}",
            self.what,
            self.body
        );
        self.body["error_description"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no error_description in {}", self.what, self.body))
            .to_string()
    }
}

/// A blocking reqwest client; every answer must be JSON and never a 5xx.
pub struct Http {
    pub client: reqwest::blocking::Client,
}

impl Default for Http {
    fn default() -> Self {
        Self::new()
    }
}

impl Http {
    pub fn new() -> Http {
        Http::with(reqwest::blocking::Client::builder())
    }

    pub fn with(builder: reqwest::blocking::ClientBuilder) -> Http {
        Http {
            // Idle connections are dropped well before the server's 10 s header
            // timeout closes them, so a request never goes out on one being closed.
            client: builder
                .no_proxy()
                .pool_idle_timeout(Duration::from_secs(3))
                .timeout(Duration::from_secs(30))
                .build()
                .expect("an HTTP client"),
        }
    }

    #[track_caller]
    pub fn send(&self, what: String, req: reqwest::blocking::RequestBuilder) -> Resp {
        let r = req
            .send()
            .unwrap_or_else(|e| panic!("{what}: the request failed: {e}"));
        let status = r.status().as_u16();
        let ctype = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = r
            .text()
            .unwrap_or_else(|e| panic!("{what}: cannot read the body: {e}"));
        assert!(
            status < 500,
            "{what}: a permanent error must never be a 5xx, got {status}: {text}"
        );
        assert!(
            ctype.starts_with("application/json"),
            "{what}: the answer should be JSON, content-type {ctype:?}: {text}"
        );
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{what}: the body is not JSON ({e}): {text}"));
        Resp { status, body, what }
    }

    #[track_caller]
    pub fn get(&self, url: &str) -> Resp {
        self.send(format!("GET {url}"), self.client.get(url))
    }

    /// POST with no body.
    #[track_caller]
    pub fn post(&self, url: &str) -> Resp {
        self.send(format!("POST {url}"), self.client.post(url))
    }

    #[track_caller]
    pub fn post_json(&self, url: &str, body: &Value) -> Resp {
        self.send(
            format!("POST {url} {body}"),
            self.client
                .post(url)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
    }

    /// POST a form-urlencoded body given as the raw text.
    #[track_caller]
    pub fn post_form(&self, url: &str, form: &str) -> Resp {
        self.post_raw(
            url,
            "application/x-www-form-urlencoded",
            form.as_bytes().to_vec(),
        )
    }

    #[track_caller]
    pub fn post_raw(&self, url: &str, content_type: &str, body: Vec<u8>) -> Resp {
        let shown = if body.len() > 200 {
            format!("<{} bytes>", body.len())
        } else {
            String::from_utf8_lossy(&body).into_owned()
        };
        self.send(
            format!("POST {url} [{content_type}] {shown}"),
            self.client
                .post(url)
                .header("content-type", content_type)
                .body(body),
        )
    }

    /// POST a multipart/form-data body of text fields.
    #[track_caller]
    pub fn post_multipart(&self, url: &str, fields: &[(&str, &str)]) -> Resp {
        let mut form = reqwest::blocking::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        self.send(
            format!("POST {url} multipart {fields:?}"),
            self.client.post(url).multipart(form),
        )
    }
}

/// The `ID`s of a user list, as numbers (checking they are strings, as the portal sends them).
#[track_caller]
pub fn user_ids(result: &Value) -> Vec<i64> {
    result
        .as_array()
        .unwrap_or_else(|| panic!("a list of users, got {result}"))
        .iter()
        .map(|u| {
            u["ID"]
                .as_str()
                .unwrap_or_else(|| panic!("ID should be a string: {u}"))
                .parse()
                .unwrap_or_else(|_| panic!("ID should be a number in a string: {u}"))
        })
        .collect()
}

/// Percent-encode one query component (keys keep their brackets readable otherwise).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
