//! The portal vendor's official JavaScript SDK, @bitrix24/b24jssdk, installed unchanged
//! from the npm registry into `target/jsenv/b24jssdk`, runs tests/js/test_b24jssdk.mjs
//! under Node.js against `offboard serve` over TLS (the SDK only accepts https webhook
//! URLs): `server.time`, the `time` block's `operating` and `operating_reset_at` that
//! its rate limiter reads, and list paging.
//!
//! Needs `node` (20 or later, as the package requires) and `npm`; Debian: the nodejs
//! and npm packages. The first run needs the registry; later runs reuse the folder.

mod binary;
mod pyenv;
mod rest_support;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rest_support::{Company, Server};

/// What `npm install` gets: the one place the version is named.
const PACKAGE: &str = "@bitrix24/b24jssdk@2.2.0";
const PACKAGE_NAME: &str = "@bitrix24/b24jssdk";
/// The package's `engines`: node ^20.0.0 || >=22.0.0.
const NODE_MAJOR_AT_LEAST: u32 = 20;
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);
const EXTRA_EMPLOYEES: usize = 60;

fn node_major() -> u32 {
    let out = Command::new("node").arg("--version").output();
    let out = match out {
        Ok(out) if out.status.success() => out,
        Ok(out) => panic!("`node --version` failed:\n{}", pyenv::describe(&out)),
        Err(e) => panic!(
            "`node` cannot be run ({e}); this test needs Node.js {NODE_MAJOR_AT_LEAST} or later \
             and npm (Debian: apt-get install nodejs npm)"
        ),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("cannot read the version in `node --version`: {text}"))
}

fn resolves(dir: &Path) -> bool {
    Command::new("node")
        .arg("-e")
        .arg(format!(
            "require(require('path').join(process.argv[1], 'node_modules', '{PACKAGE_NAME}'))"
        ))
        .arg(dir)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The folder with the SDK installed (its `package.json` and `node_modules`): made on
/// first use, marked `.ready` (holding the pin) when complete, reused while it still
/// loads. A lock file keeps two test runs from installing at once.
fn js_env() -> PathBuf {
    let major = node_major();
    assert!(
        major >= NODE_MAJOR_AT_LEAST,
        "{PACKAGE} needs Node.js {NODE_MAJOR_AT_LEAST} or later; `node` is version {major}"
    );
    let root = pyenv::target_dir().join("jsenv");
    fs::create_dir_all(&root).unwrap_or_else(|e| panic!("cannot create {}: {e}", root.display()));
    let lock_path = root.join("b24jssdk.lock");
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));

    let dir = root.join("b24jssdk");
    let ready = dir.join(".ready");
    if fs::read_to_string(&ready).is_ok_and(|r| r.trim() == PACKAGE) && resolves(&dir) {
        return dir;
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("cannot remove {}: {e}", dir.display()));
    }
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    fs::write(
        dir.join("package.json"),
        "{\"name\": \"offboard-b24jssdk-test\", \"private\": true}\n",
    )
    .expect("write package.json");
    let installed = pyenv::output(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--loglevel=error",
                PACKAGE,
            ])
            .current_dir(&dir),
        "npm install",
    );
    if !installed.status.success() || !resolves(&dir) {
        let _ = fs::remove_dir_all(&dir);
        panic!(
            "cannot install {PACKAGE} into {} (the first run needs the npm registry; \
             Debian: apt-get install nodejs npm):\n{}",
            dir.display(),
            pyenv::describe(&installed)
        );
    }
    fs::write(&ready, format!("{PACKAGE}\n"))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", ready.display()));
    dir
}

/// The IDs of the active employees, read from the database directly.
fn active_ids(db: &Path) -> Vec<i64> {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the database read-only");
    let mut stmt = c
        .prepare(
            "SELECT id FROM employees WHERE kind = 'employee' AND status = 'active' ORDER BY id",
        )
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids")
}

#[test]
fn b24jssdk_server_time_operating_and_paging_over_tls() {
    let sdk = js_env();

    let mut company = Company::demo();
    let csv = company.dir().join("extra.csv");
    fs::write(&csv, pyenv::employees_csv("jssdk", EXTRA_EMPLOYEES)).expect("write the CSV");
    company.ok(&["--as", "hr", "import", csv.to_str().expect("utf-8")]);

    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("a self-signed certificate");
    let cert_path = company.dir().join("cert.pem");
    let key_path = company.dir().join("key.pem");
    fs::write(&cert_path, cert.cert.pem()).expect("write cert");
    fs::write(&key_path, cert.signing_key.serialize_pem()).expect("write key");
    let server = Server::start(
        &company,
        &[
            "--tls-cert",
            cert_path.to_str().expect("utf-8"),
            "--tls-key",
            key_path.to_str().expect("utf-8"),
        ],
    );
    assert!(
        server.base.starts_with("https://127.0.0.1:"),
        "the server should listen on https: {}",
        server.first_line
    );
    company.base = Some(server.base.clone());
    let hook = company.webhook("admin", "b24jssdk", "user");

    let ids_path = company.dir().join("active_ids.json");
    let ids = active_ids(&company.db);
    fs::write(&ids_path, serde_json::to_string(&ids).expect("json")).expect("write the IDs");

    let script = pyenv::manifest_dir()
        .join("tests")
        .join("js")
        .join("test_b24jssdk.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .current_dir(company.dir())
        .env_remove("NODE_OPTIONS")
        .env_remove("NODE_PATH")
        .env_remove("NODE_TLS_REJECT_UNAUTHORIZED")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("HOME", company.dir())
        .env("NODE_EXTRA_CA_CERTS", &cert_path)
        .env("B24JSSDK_DIR", &sdk)
        .env("B24_WEBHOOK_URL", &hook.url)
        .env("B24_ACTIVE_IDS", &ids_path);
    let ran = pyenv::run_script(cmd, company.dir(), SCRIPT_TIMEOUT);
    pyenv::assert_script_passed("b24jssdk", &ran, &binary::log_file(company.dir()), 30);
    drop(server);
}
