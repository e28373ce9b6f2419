//! `offboard serve`: the webhook REST endpoint on the invocation's database.

use std::io::Write;

use super::args::ServeArgs;
use crate::Directory;
use crate::domain::Result;
use crate::rest::{self, ServeConfig};

/// Serve until stopped. `dir` is opened (and checked) here, then closed: the server
/// opens its own connections to the same file.
pub(super) fn serve(dir: Directory, args: ServeArgs, out: &mut dyn Write) -> Result<()> {
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some((cert, key)),
        _ => None,
    };
    let db = dir.path().to_path_buf();
    let door = dir.door().clone();
    drop(dir);
    rest::serve(
        ServeConfig {
            db,
            door,
            addr: args.addr,
            tls,
            delivery: crate::deliver::DeliveryConfig {
                timeout: std::time::Duration::from_secs(args.hook_timeout),
                retry_for: std::time::Duration::from_secs(args.hook_retry_for),
            },
        },
        out,
    )
}
