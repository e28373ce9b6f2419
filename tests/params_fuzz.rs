//! Generated input for the REST parameter parser (issue 6, item 4):
//! `offboard::rest::params::parse_request(query, content_type, body)` on 100,000 inputs
//! built from a fixed seed, so that any failure reproduces with the same input number.
//!
//! Queries are drawn from a small alphabet rich in `[ ] % & = + .` and digits, with
//! percent escapes (valid, invalid and invalid UTF-8), deep brackets and huge repeated
//! keys; content types are JSON, form, multipart (with and without a boundary), none,
//! or garbage; bodies are JSON (nested, truncated, with bad bytes), forms, multipart
//! (whole, truncated, with files, without headers), or random bytes.
//!
//! * `never_panics`: every call returns, Ok or Err.
//! * `results_are_well_formed`: when it returns Ok, every object key in the result is
//!   non-empty and the nesting never exceeds `MAX_DEPTH + 1` levels; on Err the message
//!   is not empty.

use std::panic::{AssertUnwindSafe, catch_unwind};

use offboard::rest::params::{MAX_DEPTH, MAX_KEY_LEN, parse_request};
use serde_json::{Map, Value};

/// How many inputs each test tries.
const INPUTS: u64 = 100_000;
/// The fixed seed: change it to explore, keep it to reproduce.
const SEED: u64 = 0x0FFB_0A4D_2024_0006;

/// xorshift64*: tiny, fast and good enough to pick inputs.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The query alphabet: mostly the characters the parser cares about.
const ALPHABET: &[u8] = b"[[[]]]]%%%&&&===++..0123456789aAbBfFxX_-;#?";

const WORDS: &[&str] = &[
    "FILTER", "filter", "ID", "start", "order", "select", "cmd", "halt", "a", "%NAME", "=ID",
    "NAME", "",
];

const ESCAPES: &[&str] = &[
    "%20",
    "%5B",
    "%5D",
    "%26",
    "%3D",
    "%2B",
    "%25",
    "%FF",
    "%C3%28",
    "%C3%A9",
    "%E2%82%AC",
    "%F0%9F%98%80",
    "%ED%A0%80",
    "%00",
    "%0A",
    "%G1",
    "%4",
    "%",
    "%%",
    "%e9",
    "%80",
    "%C3",
];

const UNICODE: &[&str] = &[
    "é", "€", "😀", "\u{0}", "\u{7f}", "ß", "\u{feff}", "\u{202e}",
];

/// A key with `levels` brackets, e.g. `a[x][][3]`.
fn bracket_key(r: &mut Rng, levels: usize) -> String {
    let mut k = r.pick(WORDS).to_string();
    for _ in 0..levels {
        match r.below(5) {
            0 => k.push_str("[]"),
            1 => k.push_str(&format!("[{}]", r.below(100))),
            2 => k.push_str(&format!("[{}]", r.pick(WORDS))),
            3 => k.push('['),
            _ => k.push_str(&format!("[{}", r.pick(WORDS))),
        }
    }
    k
}

/// A query-like string (also used for form bodies).
fn query(r: &mut Rng) -> String {
    let mut s = String::new();
    match r.below(20) {
        // A huge key, repeated.
        0 => {
            let key = "k".repeat(MAX_KEY_LEN - 2 + r.below(6));
            for _ in 0..1 + r.below(8) {
                s.push_str(&key);
                s.push_str("=1&");
            }
        }
        // Deep brackets.
        1 => {
            let levels = r.below(3 * MAX_DEPTH);
            s.push_str(&format!("{}={}", bracket_key(r, levels), r.below(10)));
        }
        // Many parameters, around the limit.
        2 if r.chance(10) => {
            let n = 1990 + r.below(20);
            for i in 0..n {
                s.push_str(&format!("p{i}=1&"));
            }
        }
        // Structured pairs.
        3..=9 => {
            for _ in 0..r.below(8) {
                let levels = r.below(MAX_DEPTH + 3);
                s.push_str(&bracket_key(r, levels));
                if r.chance(80) {
                    s.push('=');
                    for _ in 0..r.below(4) {
                        match r.below(3) {
                            0 => s.push_str(r.pick(ESCAPES)),
                            1 => s.push_str(r.pick(UNICODE)),
                            _ => s.push(r.pick(ALPHABET) as char),
                        }
                    }
                }
                s.push('&');
            }
        }
        // Characters from the alphabet, escapes and a little Unicode.
        _ => {
            for _ in 0..r.below(60) {
                match r.below(10) {
                    0 => s.push_str(r.pick(ESCAPES)),
                    1 => s.push_str(r.pick(UNICODE)),
                    2 => s.push_str(r.pick(WORDS)),
                    _ => s.push(r.pick(ALPHABET) as char),
                }
            }
        }
    }
    s
}

/// Random JSON-ish text: sometimes valid, sometimes deep, truncated or with bad bytes.
fn json_body(r: &mut Rng) -> Vec<u8> {
    fn value(r: &mut Rng, depth: usize, out: &mut String) {
        let leaf = depth == 0 || r.chance(30);
        if leaf {
            match r.below(7) {
                0 => out.push_str("null"),
                1 => out.push_str("true"),
                2 => out.push_str(&format!("{}", r.next() as i64)),
                3 => out.push_str("-1e308"),
                4 => out.push_str("1.5"),
                5 => out.push_str("\"x\\u00e9\""),
                _ => out.push_str(&format!("\"{}\"", r.pick(WORDS))),
            }
            return;
        }
        if r.chance(50) {
            out.push('[');
            for i in 0..r.below(4) {
                if i > 0 {
                    out.push(',');
                }
                value(r, depth - 1, out);
            }
            out.push(']');
        } else {
            out.push('{');
            for i in 0..r.below(4) {
                if i > 0 {
                    out.push(',');
                }
                let key = if r.chance(10) {
                    String::new()
                } else {
                    let levels = r.below(3);
                    bracket_key(r, levels)
                };
                out.push_str(&serde_json::to_string(&key).unwrap_or_default());
                out.push(':');
                value(r, depth - 1, out);
            }
            out.push('}');
        }
    }
    let mut s = String::new();
    match r.below(10) {
        // Very deep nesting of one kind.
        0 => {
            let depth = r.below(400);
            let (open, close) = if r.chance(50) {
                ("{\"a\":", "}")
            } else {
                ("[", "]")
            };
            if open == "[" {
                s.push_str("{\"a\":");
            }
            for _ in 0..depth {
                s.push_str(open);
            }
            s.push('1');
            for _ in 0..depth {
                s.push_str(close);
            }
            if open == "[" {
                s.push('}');
            }
        }
        // Not an object.
        1 => s.push_str(r.pick(&["[1,2]", "\"text\"", "42", "null", "true", "  \n", ""])),
        _ => {
            s.push('{');
            for i in 0..r.below(6) {
                if i > 0 {
                    s.push(',');
                }
                let key = if r.chance(5) {
                    String::new()
                } else {
                    let levels = r.below(3);
                    bracket_key(r, levels)
                };
                s.push_str(&serde_json::to_string(&key).unwrap_or_default());
                s.push(':');
                let depth = r.below(MAX_DEPTH + 4);
                value(r, depth, &mut s);
            }
            s.push('}');
        }
    }
    let mut b = s.into_bytes();
    mangle(r, &mut b);
    b
}

/// A multipart body with boundary `XyZ`: whole, truncated, without headers, with files.
fn multipart_body(r: &mut Rng) -> Vec<u8> {
    let mut s = String::new();
    if r.chance(10) {
        s.push_str("preamble\r\n");
    }
    for _ in 0..r.below(5) {
        s.push_str("--XyZ");
        match r.below(12) {
            0 => s.push_str("\r\nno headers at all"),
            1 => s.push_str("\r\nContent-Type: text/plain\r\n\r\nvalue\r\n"),
            2 => s.push_str(
                "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhello\r\n",
            ),
            3 => s.push_str("\r\nContent-Disposition: form-data\r\n\r\nnameless\r\n"),
            4 => s.push_str("\r\ncontent-disposition: form-data; name=\r\n\r\nempty\r\n"),
            _ => {
                let levels = r.below(MAX_DEPTH + 4);
                let name = bracket_key(r, levels);
                let value = query(r);
                s.push_str(&format!(
                    "\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                ));
            }
        }
    }
    if r.chance(70) {
        s.push_str("--XyZ--\r\n");
    }
    let mut b = s.into_bytes();
    // Truncated at a random point.
    if r.chance(30) && !b.is_empty() {
        let at = r.below(b.len());
        b.truncate(at);
    }
    mangle(r, &mut b);
    b
}

/// Sometimes put invalid UTF-8 or a NUL somewhere in `b`.
fn mangle(r: &mut Rng, b: &mut Vec<u8>) {
    if r.chance(10) {
        let bad: &[u8] = r.pick(&[
            &b"\xff"[..],
            b"\xc3\x28",
            b"\xed\xa0\x80",
            b"\xf0\x9f\x98",
            b"\x00",
            b"\x80",
        ]);
        let at = if b.is_empty() { 0 } else { r.below(b.len()) };
        for (i, x) in bad.iter().enumerate() {
            b.insert(at + i, *x);
        }
    }
}

fn random_bytes(r: &mut Rng) -> Vec<u8> {
    (0..r.below(200)).map(|_| r.next() as u8).collect()
}

/// One generated input: (query, content type, body).
type Input = (Option<String>, Option<String>, Vec<u8>);

fn input(r: &mut Rng) -> Input {
    let q = if r.chance(80) { Some(query(r)) } else { None };
    let kind = r.below(9);
    let ct: Option<String> = match kind {
        0 => Some(
            r.pick(&[
                "application/json",
                "application/json; charset=utf-8",
                "APPLICATION/JSON",
            ])
            .to_string(),
        ),
        1 => Some(
            r.pick(&[
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=UTF-8",
            ])
            .to_string(),
        ),
        2 => Some(
            r.pick(&[
                "multipart/form-data; boundary=XyZ",
                "multipart/form-data; boundary=\"XyZ\"",
                "multipart/form-data",
                "multipart/form-data; boundary=",
                "multipart/form-data; boundary=\"\"",
                "Multipart/Form-Data; BOUNDARY=XyZ",
                "multipart/form-data; boundary=[]",
            ])
            .to_string(),
        ),
        3 | 4 => None,
        5 => Some(String::new()),
        6 => Some(query(r)),
        7 => Some(
            r.pick(&[
                "text/plain",
                "application/xml",
                "image/png",
                ";;;",
                "application/jsonx",
            ])
            .to_string(),
        ),
        _ => Some(String::from_utf8_lossy(&random_bytes(r)).into_owned()),
    };
    let body = match r.below(8) {
        0 => Vec::new(),
        1 => json_body(r),
        2 => {
            let mut b = query(r).into_bytes();
            mangle(r, &mut b);
            b
        }
        3 => multipart_body(r),
        4 => random_bytes(r),
        // The body that fits the content type.
        _ => match kind {
            0 | 3 | 4 if r.chance(50) => json_body(r),
            2 => multipart_body(r),
            _ => {
                let mut b = query(r).into_bytes();
                mangle(r, &mut b);
                b
            }
        },
    };
    (q, ct, body)
}

fn show(i: u64, (q, ct, body): &Input) -> String {
    let cut = |s: &str| -> String {
        if s.len() > 300 {
            format!(
                "{}…({} bytes)",
                s.chars().take(300).collect::<String>(),
                s.len()
            )
        } else {
            s.to_string()
        }
    };
    format!(
        "input #{i} (seed {SEED:#x}): query {:?}, content type {:?}, body {:?}",
        q.as_deref().map(cut),
        ct,
        cut(&String::from_utf8_lossy(body))
    )
}

/// Depth as the parser counts it: a scalar is 0, a container 1 + its deepest child.
fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The first empty object key anywhere in `v`, as a path.
fn empty_key(v: &Value, path: &str) -> Option<String> {
    match v {
        Value::Object(o) => o.iter().find_map(|(k, child)| {
            if k.is_empty() {
                Some(format!("{path}[\"\"]"))
            } else {
                empty_key(child, &format!("{path}[{k:?}]"))
            }
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, child)| empty_key(child, &format!("{path}[{i}]"))),
        _ => None,
    }
}

fn call(inp: &Input) -> Result<Map<String, Value>, offboard::rest::params::ParamError> {
    parse_request(inp.0.as_deref(), inp.1.as_deref(), &inp.2)
}

/// Whether `parse_request` reads this body as JSON (its own rule: a JSON content type,
/// or none and a body that starts with `{`). JSON object keys are the client's data, so
/// only keys made by the bracket parser must be non-empty below the top level.
fn body_is_json((_, ct, body): &Input) -> bool {
    if body.is_empty() {
        return false;
    }
    let ct = ct.as_deref().unwrap_or("").to_ascii_lowercase();
    ct.starts_with("application/json")
        || (ct.is_empty() && body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'))
}

/// At most this many examples of each kind of failure are kept.
const EXAMPLES: usize = 5;

/// What one pass over every input found; each test asserts its own part.
#[derive(Default)]
struct Findings {
    accepted: u64,
    refused: u64,
    deepest: usize,
    panics: (u64, Vec<String>),
    ill_formed: (u64, Vec<String>),
    empty_names: (u64, Vec<String>),
}

fn note(slot: &mut (u64, Vec<String>), what: impl FnOnce() -> String) {
    slot.0 += 1;
    if slot.1.len() < EXAMPLES {
        slot.1.push(what());
    }
}

fn run_all() -> Findings {
    let started = std::time::Instant::now();
    // A panic is reported below with its input; keep the default hook quiet meanwhile.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut f = Findings::default();
    let mut r = Rng::new(SEED);
    for i in 0..INPUTS {
        let inp = input(&mut r);
        let map = match catch_unwind(AssertUnwindSafe(|| call(&inp))) {
            Ok(Ok(map)) => map,
            Ok(Err(e)) => {
                f.refused += 1;
                if e.0.trim().is_empty() {
                    note(&mut f.ill_formed, || {
                        format!("{}\n    an error without a message", show(i, &inp))
                    });
                }
                continue;
            }
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                note(&mut f.panics, || {
                    format!("{}\n    panicked: {msg}", show(i, &inp))
                });
                continue;
            }
        };
        f.accepted += 1;
        if let Some(k) = map.keys().find(|k| k.is_empty()) {
            note(&mut f.empty_names, || {
                format!("{}\n    parameter name {k:?} in the result", show(i, &inp))
            });
        }
        let v = Value::Object(map);
        let d = depth(&v);
        f.deepest = f.deepest.max(d);
        if d > MAX_DEPTH + 1 {
            note(&mut f.ill_formed, || {
                format!(
                    "{}\n    the result is nested {d} levels deep, more than MAX_DEPTH + 1 = {}: {v}",
                    show(i, &inp),
                    MAX_DEPTH + 1
                )
            });
        }
        if !body_is_json(&inp)
            && let Some(path) = empty_key(&v, "")
        {
            note(&mut f.ill_formed, || {
                format!(
                    "{}\n    the result has an empty key at {path}: {v}",
                    show(i, &inp)
                )
            });
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "{INPUTS} inputs (seed {SEED:#x}) in {:.1?}: {} accepted, {} refused, {} panics; deepest accepted result {} levels",
        started.elapsed(),
        f.accepted,
        f.refused,
        f.panics.0,
        f.deepest
    );
    f
}

/// The one pass, shared by the tests below (the first to ask runs it).
fn findings() -> &'static Findings {
    static F: std::sync::OnceLock<Findings> = std::sync::OnceLock::new();
    F.get_or_init(run_all)
}

#[test]
fn never_panics() {
    let f = findings();
    assert!(
        f.panics.0 == 0,
        "parse_request panicked on {} of {INPUTS} inputs; the first:\n{}",
        f.panics.0,
        f.panics.1.join("\n")
    );
    // The generator must reach both outcomes, or it is testing too little.
    assert!(
        f.accepted > INPUTS / 20 && f.refused > INPUTS / 20,
        "too one-sided: {} accepted, {} refused",
        f.accepted,
        f.refused
    );
    assert_eq!(f.accepted + f.refused + f.panics.0, INPUTS);
}

/// Accepted results nest at most `MAX_DEPTH + 1` levels, keys made from PHP brackets are
/// never empty at any level, and every refusal has a message.
#[test]
fn results_are_well_formed() {
    let f = findings();
    assert!(
        f.ill_formed.0 == 0,
        "{} of {INPUTS} results were ill-formed; the first:\n{}",
        f.ill_formed.0,
        f.ill_formed.1.join("\n")
    );
    assert!(
        f.deepest >= MAX_DEPTH,
        "the generator should reach the depth limit, reached only {}",
        f.deepest
    );
}

/// A parameter with an empty name is refused from the query, a form or multipart
/// ("parameter … has no name"); it must not come in through a JSON body either.
#[test]
fn parameter_names_are_never_empty() {
    let f = findings();
    assert!(
        f.empty_names.0 == 0,
        "{} of {INPUTS} accepted results had a parameter with an empty name; the first:\n{}",
        f.empty_names.0,
        f.empty_names.1.join("\n")
    );
}
