//! Webhook secrets: generated from the operating system's random source, kept only
//! as a salted hash, compared in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::{Error, Result};

/// Length of a webhook code. 24 alphanumerics carry about 142 bits.
pub const CODE_LEN: usize = 24;
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::other(format!("the system random source failed: {e}")))
}

/// A fresh alphanumeric code. Rejection sampling keeps every character equally likely.
pub fn new_code() -> Result<String> {
    let mut out = String::with_capacity(CODE_LEN);
    let limit = 256 - (256 % ALPHABET.len());
    while out.len() < CODE_LEN {
        let mut buf = [0u8; 32];
        random_bytes(&mut buf)?;
        for b in buf {
            if (b as usize) < limit && out.len() < CODE_LEN {
                out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    Ok(out)
}

pub fn new_salt() -> Result<String> {
    let mut buf = [0u8; 16];
    random_bytes(&mut buf)?;
    Ok(hex(&buf))
}

pub fn hash_code(salt: &str, code: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(b":");
    h.update(code.as_bytes());
    hex(&h.finalize())
}

/// Does `code` match the stored hash? The comparison takes the same time wherever
/// the first difference is.
pub fn verify(salt: &str, stored_hash: &str, code: &str) -> bool {
    let computed = hash_code(salt, code);
    computed.as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// The webhook URL of SPEC §5: `{base}/rest/{user_id}/{code}/`.
pub fn webhook_url(base: &str, user_id: super::EmployeeId, code: &str) -> String {
    format!("{}/rest/{}/{}/", base.trim_end_matches('/'), user_id, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_alphanumeric_and_distinct() {
        let a = new_code().unwrap();
        let b = new_code().unwrap();
        assert_eq!(a.len(), CODE_LEN);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn verify_accepts_only_the_code() {
        let salt = new_salt().unwrap();
        let code = new_code().unwrap();
        let stored = hash_code(&salt, &code);
        assert!(verify(&salt, &stored, &code));
        assert!(!verify(&salt, &stored, "wrong"));
        assert!(!stored.contains(&code));
    }
}
