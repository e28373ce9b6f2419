//! `offboard completions bash|zsh|fish` and `offboard man` (issue 14, item 20): the
//! real binary's output, checked by the real tools: bash parses the script and its
//! completion function completes subcommands and flags; groff renders the page.

mod binary;

use std::path::Path;
use std::process::{Command, Stdio};

/// Every subcommand the program takes, as `offboard --help` lists them.
const SUBCOMMANDS: &[&str] = &[
    "demo",
    "init",
    "import",
    "list",
    "show",
    "add",
    "dismiss",
    "cancel-dismissal",
    "hire",
    "reassign",
    "integrations",
    "webhook",
    "settings",
    "grant",
    "revoke",
    "audit",
    "serve",
    "keys",
    "ssh",
    "export",
    "completions",
    "man",
];

/// `offboard ARGS` in a clean folder with no database there: neither command opens one.
fn print(args: &[&str]) -> String {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("none.db");
    let o = binary::command(tmp.path(), &db, args)
        .output()
        .expect("run offboard");
    assert!(
        o.status.success(),
        "offboard {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!db.exists(), "offboard {args:?} created a database");
    String::from_utf8(o.stdout).expect("UTF-8")
}

#[test]
fn every_subcommand_is_listed_by_help() {
    let help = print(&["--help"]);
    for sub in SUBCOMMANDS {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{sub} "))),
            "{sub} in --help:\n{help}"
        );
    }
}

/// Run `script` in bash with the completion script sourced; its stdout.
fn bash_with_completions(completions: &Path, script: &str) -> String {
    let o = Command::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg(format!("source {}\n{script}", completions.display()))
        .stdin(Stdio::null())
        .output()
        .expect("run bash");
    assert!(
        o.status.success(),
        "bash: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn bash_completions_parse_and_complete_subcommands_and_flags() {
    let script = print(&["completions", "bash"]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("offboard.bash");
    std::fs::write(&path, &script).expect("write");
    let parsed = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash -n");
    assert!(
        parsed.status.success(),
        "bash -n refuses the script: {}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "{sub} is named in the script");
    }
    // The completion function itself, as bash calls it on Tab.
    let complete = |words: &[&str]| -> Vec<String> {
        let shown: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let out = bash_with_completions(
            &path,
            &format!(
                "COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}\n\
                 _offboard offboard \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
                 printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                shown.join(" "),
                words.len() - 1
            ),
        );
        out.lines().map(str::to_string).collect()
    };
    let subs = complete(&["offboard", "dis"]);
    assert!(subs.contains(&"dismiss".to_string()), "{subs:?}");
    assert!(!subs.contains(&"hire".to_string()), "{subs:?}");
    let flags = complete(&["offboard", "dismiss", "--int"]);
    assert!(flags.contains(&"--integrations".to_string()), "{flags:?}");
    let values = complete(&["offboard", "dismiss", "tlang", "--integrations", ""]);
    assert!(
        values.contains(&"keep".to_string()) && values.contains(&"disable".to_string()),
        "{values:?}"
    );
    let shells = complete(&["offboard", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.contains(&shell.to_string()), "{shells:?}");
    }
}

#[test]
fn zsh_and_fish_completions_are_generated_for_every_subcommand() {
    let zsh = print(&["completions", "zsh"]);
    assert!(
        zsh.starts_with("#compdef offboard"),
        "{}",
        &zsh[..80.min(zsh.len())]
    );
    let fish = print(&["completions", "fish"]);
    assert!(fish.contains("complete -c offboard"), "fish script");
    for sub in SUBCOMMANDS {
        assert!(zsh.contains(&format!("'{sub}:")), "{sub} in the zsh script");
        assert!(
            fish.contains(&format!("-a \"{sub}\"")),
            "{sub} in the fish script"
        );
    }
    // Only the three shells are offered.
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = binary::command(
        tmp.path(),
        &tmp.path().join("x.db"),
        &["completions", "tcsh"],
    )
    .output()
    .expect("run");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_man_page_renders_with_a_section_for_every_subcommand() {
    let page = print(&["man"]);
    assert!(page.contains(".TH offboard 1"), "a title line");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!(".SH \"OFFBOARD {}\"", sub.to_uppercase())),
            "a section for {sub}"
        );
    }
    // groff reads it without a warning and it says what the help says.
    let mut groff = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff");
    use std::io::Write;
    groff
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write");
    let checked = groff.wait_with_output().expect("groff");
    assert!(checked.status.success());
    let warnings = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(warnings.trim(), "", "groff warnings");
    // Lines long enough that no sentence is broken or hyphenated.
    let mut groff = Command::new("groff")
        .args(["-man", "-Tutf8", "-rLL=2000n", "-rHY=0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("groff");
    groff
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write");
    let rendered = groff.wait_with_output().expect("groff");
    let text = String::from_utf8_lossy(&rendered.stdout);
    // groff draws bold by overstriking; drop that to read the words.
    let plain: String = strip_overstrike(&text);
    for words in [
        "OFFBOARD DISMISS",
        "--integrations",
        "keep them working under a system user",
        "Exit status: 0 done",
    ] {
        assert!(
            plain
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(words),
            "{words:?} in the rendered page"
        );
    }
}

/// `X\bX` (bold) and `_\bX` (underline) as groff's terminal output writes them, as `X`.
fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{8}' {
            out.pop();
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else if c == '\u{1b}' {
            // An SGR sequence, in case this groff writes those instead.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out.into_iter().collect()
}
