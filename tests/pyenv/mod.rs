//! Real third-party portal clients for the end-to-end tests: a Python package installed
//! unchanged from the package index into a virtualenv cached under
//! `target/pyenv/<name>` (one per client, so their dependencies never clash), and a
//! runner for a test script that prints `PASS …` / `FAIL …` lines and ends with
//! `N passed, M failed`.
//!
//! Needs `python3` with the `venv` module (Debian: python3-venv) and, on the first run,
//! the package index. Without them the test fails, saying what is missing.
#![allow(dead_code)]

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A client package: its virtualenv's folder name, what `pip install` gets (pinned:
/// this is the one place a version is named; several packages are separated by
/// spaces), and the modules that must import (`a, b`).
pub struct PyClient {
    pub dir: &'static str,
    pub requirement: &'static str,
    pub import: &'static str,
}

/// fast-bitrix24, the asynchronous batch client.
pub const FAST_BITRIX24: PyClient = PyClient {
    dir: "fast-bitrix24",
    requirement: "fast-bitrix24==1.8.14",
    import: "fast_bitrix24",
};

/// scim2-tester, the independent SCIM 2.0 conformance checker, and scim2-client, the
/// SCIM client library it drives (with the HTTP library its engine needs).
pub const SCIM2: PyClient = PyClient {
    dir: "scim2",
    requirement: "scim2-tester==0.5.2 scim2-client==0.13.2 scim2-models==0.12.3 httpx2==2.16.2",
    import: "scim2_tester, scim2_client, httpx2",
};

/// b24pysdk, the portal vendor's official Python SDK.
pub const B24PYSDK: PyClient = PyClient {
    dir: "b24pysdk",
    requirement: "b24pysdk==1.3.2",
    import: "b24pysdk",
};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `$CARGO_TARGET_DIR` (relative to the package, as cargo runs tests there), else `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => manifest_dir().join(dir),
        _ => manifest_dir().join("target"),
    }
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// Run a command to the end, or panic naming it when it cannot be started.
pub fn output(cmd: &mut Command, what: &str) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {what} ({cmd:?}): {e}"))
}

pub fn describe(out: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout).trim_end(),
        String::from_utf8_lossy(&out.stderr).trim_end()
    )
}

fn imports(python: &Path, module: &str) -> bool {
    python.exists()
        && Command::new(python)
            .args(["-c", &format!("import {module}")])
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// The virtualenv's python with `client` importable: made on first use under
/// `target/pyenv/<dir>`, marked `.ready` (holding the requirement) when complete, and
/// reused while it still imports and the pin is unchanged. A lock file keeps two test
/// runs from building it at once.
pub fn python_env(client: &PyClient) -> PathBuf {
    let root = target_dir().join("pyenv");
    fs::create_dir_all(&root).unwrap_or_else(|e| panic!("cannot create {}: {e}", root.display()));
    let lock_path = root.join(format!("{}.lock", client.dir));
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));

    let venv = root.join(client.dir);
    let python = venv_python(&venv);
    let ready = venv.join(".ready");
    let pinned = fs::read_to_string(&ready).is_ok_and(|r| r.trim() == client.requirement);
    if pinned && imports(&python, client.import) {
        return python;
    }
    if venv.exists() {
        // Half made, another version, or broken since (a Python upgrade): start again.
        fs::remove_dir_all(&venv)
            .unwrap_or_else(|e| panic!("cannot remove {}: {e}", venv.display()));
    }

    let base = std::env::var("PYTHON3").unwrap_or_else(|_| "python3".into());
    match Command::new(&base).arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "`{base} --version` failed; this test needs Python 3 with venv \
             (Debian: apt-get install python3 python3-venv).\n{}",
            describe(&out)
        ),
        Err(e) => panic!(
            "`{base}` cannot be run ({e}); this test needs Python 3 with venv \
             (Debian: apt-get install python3 python3-venv, or set PYTHON3 to an interpreter)"
        ),
    }

    let made = output(
        Command::new(&base).arg("-m").arg("venv").arg(&venv),
        "python3 -m venv",
    );
    if !made.status.success() || !python.exists() {
        let _ = fs::remove_dir_all(&venv);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&made.stdout),
            String::from_utf8_lossy(&made.stderr)
        );
        let hint = if text.contains("ensurepip") || text.contains("No module named venv") {
            "Python's venv/ensurepip is missing: on Debian or Ubuntu install python3-venv \
             (apt-get install python3-venv)"
        } else {
            "cannot create a virtualenv"
        };
        panic!(
            "{hint}; `{base} -m venv {}` failed.\n{}",
            venv.display(),
            describe(&made)
        );
    }

    let installed = output(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(client.requirement.split_whitespace())
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME")
            .env_remove("PIP_REQUIRE_VIRTUALENV"),
        "pip install",
    );
    if !installed.status.success() {
        let _ = fs::remove_dir_all(&venv);
        panic!(
            "cannot install {} into {} (the first run needs the package index): \n{}",
            client.requirement,
            venv.display(),
            describe(&installed)
        );
    }
    if !imports(&python, client.import) {
        let check = output(
            Command::new(&python).args(["-c", &format!("import {}", client.import)]),
            "python -c 'import …'",
        );
        let _ = fs::remove_dir_all(&venv);
        panic!(
            "{} installed but does not import:\n{}",
            client.requirement,
            describe(&check)
        );
    }
    fs::write(&ready, format!("{}\n", client.requirement))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", ready.display()));
    python
}

/// A script under tests/python.
pub fn script(name: &str) -> PathBuf {
    manifest_dir().join("tests").join("python").join(name)
}

/// Run the script to the end (or kill it after `timeout`): status, stdout, stderr. Its
/// output goes to files in `dir`, so a chatty script never blocks on a pipe.
pub fn run_script(
    mut cmd: Command,
    dir: &Path,
    timeout: Duration,
) -> (Option<i32>, String, String) {
    let out_path = dir.join("script.stdout");
    let err_path = dir.join("script.stderr");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("script stdout file"))
        .stderr(File::create(&err_path).expect("script stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run the test script ({cmd:?}): {e}"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().expect("wait for the test script") {
            Some(status) => break status.code(),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => thread::sleep(Duration::from_millis(100)),
        }
    };
    let read = |p: &Path| fs::read_to_string(p).unwrap_or_default();
    (status, read(&out_path), read(&err_path))
}

/// True when the script's last line is `N passed, 0 failed` with N > 0.
pub fn all_passed(stdout: &str) -> bool {
    let last = stdout.lines().last().unwrap_or_default().trim();
    last.ends_with(" passed, 0 failed")
        && last
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n > 0)
}

/// The script's FAIL lines (with what follows each, up to the next PASS/FAIL), for a
/// short assertion message.
pub fn failures(stdout: &str) -> String {
    let mut out = String::new();
    let mut in_fail = false;
    for line in stdout.lines() {
        if line.starts_with("FAIL ") {
            in_fail = true;
        } else if line.starts_with("PASS ") {
            in_fail = false;
        }
        if in_fail {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A CSV for `offboard import`: `n` employees with logins `{prefix}{i:05}`, spread over
/// the demo company's departments.
pub fn employees_csv(prefix: &str, n: usize) -> String {
    use std::fmt::Write as _;
    const FIRST: &[&str] = &["Anja", "Jan", "Stefan", "Ivan", "Hanne", "Roman", "Susanne"];
    const LAST: &[&str] = &["Berg", "Vos", "Lund", "Kowalski", "Moreau", "Silva"];
    const DEPARTMENTS: &[&str] = &["Operations", "Sales", "Platform Team", "Field Service"];
    let mut csv = String::from("login,first_name,last_name,email,position,department,hired_on\n");
    for i in 0..n {
        writeln!(
            csv,
            "{prefix}{i:05},{},{},{prefix}{i:05}@corvane.example,Analyst,{},2024-05-01",
            FIRST[i % FIRST.len()],
            LAST[i % LAST.len()],
            DEPARTMENTS[i % DEPARTMENTS.len()],
        )
        .expect("write to a String");
    }
    csv
}

/// Fail the test, with everything needed to see why, unless the client script exited 0
/// and every one of its checks passed: its output, its errors and the last `lines`
/// lines of the server's log at `log`.
pub fn assert_script_passed(
    what: &str,
    (status, stdout, stderr): &(Option<i32>, String, String),
    log: &Path,
    lines: usize,
) {
    println!("{stdout}");
    if !stderr.trim().is_empty() {
        eprintln!("--- script stderr\n{stderr}");
    }
    let log = fs::read_to_string(log)
        .map(|l| {
            let all: Vec<&str> = l.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        })
        .unwrap_or_default();
    assert!(
        *status == Some(0) && all_passed(stdout),
        "{what} against serve failed (exit status {status:?}{}):\n{}\
         --- stdout\n{stdout}\n--- stderr\n{stderr}\n--- server log (last lines)\n{log}",
        if status.is_none() {
            ", killed after the timeout"
        } else {
            ""
        },
        failures(stdout),
    );
}

/// standardwebhooks, the Standard Webhooks reference library: the event hook tests'
/// receiver verifies every delivery with it.
pub const STANDARDWEBHOOKS: PyClient = PyClient {
    dir: "standardwebhooks",
    requirement: "standardwebhooks==1.1.0",
    import: "standardwebhooks",
};
