//! The portal vendor's official Python SDK, b24pysdk (pinned in tests/pyenv), installed
//! unchanged from the Python package index into `target/pyenv/b24pysdk`, runs
//! tests/python/test_b24pysdk.py against `offboard serve` over TLS: the SDK only speaks
//! https, so the server gets a self-signed certificate (rcgen) and the SDK trusts it
//! through REQUESTS_CA_BUNDLE, the variable its HTTP library (requests) reads.
//!
//! The company is the demo one plus 60 imported employees (100 active: more than one
//! page of 50). The script drives the SDK the way its own user-scope integration tests
//! do and checks every effect in the database through a second connection.

mod binary;
mod pyenv;
mod rest_support;

use std::process::Command;
use std::time::Duration;

use rest_support::{Company, Server};

const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);
const EXTRA_EMPLOYEES: usize = 60;

/// A self-signed certificate for 127.0.0.1 written into the company's folder: the
/// server's `--tls-cert`/`--tls-key` arguments and the certificate file to trust.
fn tls_files(company: &Company) -> (Vec<String>, std::path::PathBuf) {
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("a self-signed certificate");
    let cert_path = company.dir().join("cert.pem");
    let key_path = company.dir().join("key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).expect("write cert");
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).expect("write key");
    let args = vec![
        "--tls-cert".to_string(),
        cert_path.to_str().expect("utf-8").to_string(),
        "--tls-key".to_string(),
        key_path.to_str().expect("utf-8").to_string(),
    ];
    (args, cert_path)
}

#[test]
fn b24pysdk_user_scope_over_tls() {
    let python = pyenv::python_env(&pyenv::B24PYSDK);

    let mut company = Company::demo();
    let csv = company.dir().join("extra.csv");
    std::fs::write(&csv, pyenv::employees_csv("pysdk", EXTRA_EMPLOYEES)).expect("write the CSV");
    company.ok(&["--as", "hr", "import", csv.to_str().expect("utf-8")]);
    // The SDK's own test finds the user it has just deactivated with user.search. On
    // the portal an administrator's webhook lists inactive users; in offboard that is
    // the company's show_dismissed setting (SPEC §4), so it is turned on here.
    company.ok(&["--as", "admin", "settings", "show-dismissed", "on"]);

    let (tls, cert) = tls_files(&company);
    let tls: Vec<&str> = tls.iter().map(String::as_str).collect();
    let server = Server::start(&company, &tls);
    assert!(
        server.base.starts_with("https://127.0.0.1:"),
        "the server should listen on https: {}",
        server.first_line
    );
    company.base = Some(server.base.clone());
    let admin = company.webhook("admin", "b24pysdk (administrator)", "user");
    let plain = company.webhook("jdoe", "b24pysdk (no rights)", "user");

    let mut cmd = Command::new(&python);
    cmd.arg(pyenv::script("test_b24pysdk.py"))
        .current_dir(company.dir())
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env_remove("SSL_CERT_FILE")
        .env_remove("CURL_CA_BUNDLE")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("HOME", company.dir())
        .env("REQUESTS_CA_BUNDLE", &cert)
        .env("B24_WEBHOOK_URL", &admin.url)
        .env("B24_PLAIN_URL", &plain.url)
        .env("OFFBOARD_DB", &company.db);
    let ran = pyenv::run_script(cmd, company.dir(), SCRIPT_TIMEOUT);
    pyenv::assert_script_passed("b24pysdk", &ran, &binary::log_file(company.dir()), 40);
    drop(server);
}
