//! SSH public keys, as employees register them and as sshd hands them to
//! `ssh authorized-keys`: parsed and fingerprinted by the `ssh-key` crate, and the
//! rule of which kinds are strong enough.

use std::str::FromStr;

use ssh_key::authorized_keys::Entry;
use ssh_key::public::KeyData;
use ssh_key::{Algorithm, HashAlg, PublicKey};

use super::error::Invalid;
use super::{Error, Result, validate};

/// The shortest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: u32 = 2048;
/// Longest key comment kept.
pub const MAX_KEY_COMMENT: usize = 200;
/// Longest authorized_keys line read (an RSA key of 16,384 bits is about 2,800).
pub const MAX_KEY_LINE: usize = 8192;

/// A public key that may be registered: its algorithm name as sshd writes it
/// (`ssh-ed25519`), the key itself in base64, its SHA256 fingerprint
/// (`SHA256:…`, as `ssh-keygen -l` prints it) and the comment of its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyLine {
    pub algorithm: String,
    pub data: String,
    pub fingerprint: String,
    pub comment: String,
    /// The modulus size of an RSA key.
    pub bits: Option<u32>,
}

/// Read one authorized_keys line (options before the key are allowed and ignored:
/// offboard writes its own) and check that the key is of an accepted kind.
pub fn parse_key_line(line: &str) -> Result<PublicKeyLine> {
    let line = line.trim();
    if line.is_empty() {
        return Err(Error::Invalid(Invalid::KeyUnreadable(
            "the key is empty".into(),
        )));
    }
    if line.len() > MAX_KEY_LINE {
        return Err(Error::Invalid(Invalid::KeyUnreadable(format!(
            "the line is longer than {MAX_KEY_LINE} bytes"
        ))));
    }
    if line.lines().nth(1).is_some() {
        return Err(Error::Invalid(Invalid::KeyUnreadable(
            "give one key, on one line".into(),
        )));
    }
    let key = read_entry(line).map_err(|e| {
        Error::Invalid(Invalid::KeyUnreadable(format!(
            "not an SSH public key line ({e})"
        )))
    })?;
    let key = &key;
    let bits = check_strength(key.key_data())?;
    let comment = validate::optional_text("key comment", key.comment(), MAX_KEY_COMMENT)?;
    describe(key, comment, bits)
}

/// The key of an authorized_keys line. The crate reads options before the key only
/// when they hold no quoted spaces (`command="a b"`); for those, the key starts at the
/// first word that names a key type.
fn read_entry(line: &str) -> std::result::Result<PublicKey, ssh_key::Error> {
    let first_try = match Entry::from_str(line) {
        Ok(entry) => return Ok(entry.public_key().clone()),
        Err(e) => e,
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    (1..words.len())
        .filter(|&i| Algorithm::new(words[i]).is_ok())
        .find_map(|i| PublicKey::from_openssh(&words[i..].join(" ")).ok())
        .ok_or(first_try)
}

/// The key sshd offers (`%t %k`), or `None` when it is not a key offboard could hold.
/// Only parsed and fingerprinted: the strength was checked when it was added.
pub fn parse_offered(algorithm: &str, base64: &str) -> Option<PublicKeyLine> {
    let key = PublicKey::from_openssh(&format!("{algorithm} {base64}")).ok()?;
    describe(&key, String::new(), None).ok()
}

fn describe(key: &PublicKey, comment: String, bits: Option<u32>) -> Result<PublicKeyLine> {
    let openssh = key
        .to_openssh()
        .map_err(|e| Error::Invalid(Invalid::KeyUnreadable(e.to_string())))?;
    // `to_openssh` writes "ALGORITHM BASE64[ COMMENT]".
    let mut words = openssh.split(' ');
    let algorithm = words.next().unwrap_or_default().to_string();
    let data = words.next().unwrap_or_default().to_string();
    Ok(PublicKeyLine {
        algorithm,
        data,
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        comment,
        bits,
    })
}

/// ed25519 and ecdsa keys (security-key variants too) and RSA of at least 2,048 bits;
/// DSA (broken, and dropped by OpenSSH) and anything else is refused.
fn check_strength(key: &KeyData) -> Result<Option<u32>> {
    match key {
        KeyData::Ed25519(_) | KeyData::SkEd25519(_) => Ok(None),
        KeyData::Ecdsa(_) | KeyData::SkEcdsaSha2NistP256(_) => Ok(None),
        KeyData::Rsa(rsa) => {
            let bits = modulus_bits(rsa.n.as_positive_bytes().unwrap_or_default());
            if bits < MIN_RSA_BITS {
                Err(Error::Invalid(Invalid::KeyTooShort {
                    bits,
                    min: MIN_RSA_BITS,
                }))
            } else {
                Ok(Some(bits))
            }
        }
        other => Err(Error::Invalid(Invalid::KeyKind {
            algorithm: other.algorithm().as_str().to_string(),
        })),
    }
}

/// The bit length of a big-endian unsigned number.
fn modulus_bits(bytes: &[u8]) -> u32 {
    let bytes = match bytes.iter().position(|b| *b != 0) {
        Some(i) => &bytes[i..],
        None => return 0,
    };
    (bytes.len() as u32 - 1) * 8 + (8 - bytes[0].leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Public halves made by ssh-keygen; the fingerprints are the ones it printed.
    const ED25519: &str = include_str!("../../tests/ssh/keys/ed25519.pub");
    const ECDSA: &str = include_str!("../../tests/ssh/keys/ecdsa.pub");
    const RSA2048: &str = include_str!("../../tests/ssh/keys/rsa2048.pub");
    const RSA1024: &str = include_str!("../../tests/ssh/keys/rsa1024.pub");
    const DSA: &str = include_str!("../../tests/ssh/keys/dsa.pub");

    #[test]
    fn bit_length_of_a_modulus() {
        assert_eq!(modulus_bits(&[0, 0x80, 0]), 16);
        assert_eq!(modulus_bits(&[0x01, 0xff]), 9);
        assert_eq!(modulus_bits(&[]), 0);
    }

    #[test]
    fn accepted_kinds_have_ssh_keygens_fingerprints() {
        for (line, fingerprint, bits) in [
            (
                ED25519,
                "SHA256:p25XPAzj/ph8rc1ZvmwGElCxKO021VZc4MJ+bKDCSyY",
                None,
            ),
            (
                ECDSA,
                "SHA256:z+DLvYM9Xn5g474uFk6BvIV0BxiTv1t6dHE2MJye5Ys",
                None,
            ),
            (
                RSA2048,
                "SHA256:wSpY2ebQ60stuO1wajxTapzhHXJwdejFSAS/B5tV7n4",
                Some(2048),
            ),
        ] {
            let k = parse_key_line(line).expect(line);
            assert_eq!(k.fingerprint, fingerprint);
            assert_eq!(k.bits, bits);
            assert!(k.comment.starts_with("test@"), "{}", k.comment);
            let offered = parse_offered(&k.algorithm, &k.data).expect("offered parses");
            assert_eq!(offered.fingerprint, k.fingerprint);
            assert_eq!(
                format!("{} {}", k.algorithm, k.data),
                line.rsplit_once(' ').unwrap().0
            );
        }
    }

    #[test]
    fn options_before_the_key_are_read_past() {
        let k = parse_key_line(&format!("no-pty,command=\"x y\" {ED25519}")).expect("parses");
        assert_eq!(k.algorithm, "ssh-ed25519");
    }

    #[test]
    fn dsa_and_short_rsa_are_refused_in_one_line() {
        let dsa = parse_key_line(DSA).expect_err("dsa");
        assert!(
            matches!(&dsa, Error::Invalid(Invalid::KeyKind { algorithm }) if algorithm == "ssh-dss"),
            "{dsa:?}"
        );
        let short = parse_key_line(RSA1024).expect_err("rsa 1024");
        assert_eq!(
            short,
            Error::Invalid(Invalid::KeyTooShort {
                bits: 1024,
                min: 2048
            })
        );
        for e in [dsa, short] {
            assert!(!e.to_string().contains('\n'), "{e}");
            assert_eq!(e.exit_code(), 2);
        }
    }

    #[test]
    fn garbage_and_two_lines_are_refused_in_one_line() {
        let two = format!("{}\n{}", ED25519.trim(), ED25519.trim());
        for bad in ["", "hello", "ssh-ed25519 AAAA", &two] {
            let e = parse_key_line(bad).expect_err(bad);
            assert!(
                matches!(e, Error::Invalid(Invalid::KeyUnreadable(_))),
                "{e:?}"
            );
            assert!(!e.to_string().contains('\n'), "{e}");
        }
        assert_eq!(parse_offered("ssh-ed25519", "AAAA"), None);
    }
}
