//! Standard Webhooks signing of outbound event deliveries: a `whsec_` secret of random
//! bytes, and `v1,<base64 of HMAC-SHA256 over "id.timestamp.body">`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};

use super::error::{Error, Result};

/// The prefix Standard Webhooks gives secrets, before the base64 of the key.
pub const SECRET_PREFIX: &str = "whsec_";
/// Bytes of key in a new secret (the specification asks for 24 to 64).
const KEY_BYTES: usize = 32;

type HmacSha256 = Hmac<sha2_10::Sha256>;

/// A fresh signing secret, `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> Result<String> {
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key)
        .map_err(|e| Error::other(format!("the system random source failed: {e}")))?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(key)))
}

/// A fresh event id: `msg_` and 32 hex digits (128 random bits), unique without an index.
pub fn new_event_id() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| Error::other(format!("the system random source failed: {e}")))?;
    let mut s = String::with_capacity(36);
    s.push_str("msg_");
    for x in b {
        use std::fmt::Write;
        let _ = write!(s, "{x:02x}");
    }
    Ok(s)
}

/// The `webhook-signature` header for one delivery attempt.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let key = STANDARD
        .decode(encoded)
        .map_err(|_| Error::other("a hook's signing secret is not base64"))?;
    let mut mac = HmacSha256::new_from_slice(&key)
        .map_err(|_| Error::other("a hook's signing secret is unusable"))?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn signs_as_the_specification_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        let got = sign(secret, id, 1614265330, body).unwrap();
        assert_eq!(got, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn new_secrets_differ_and_decode() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(SECRET_PREFIX));
        assert_eq!(STANDARD.decode(&a[6..]).unwrap().len(), KEY_BYTES);
        assert!(new_event_id().unwrap().starts_with("msg_"));
    }
}
