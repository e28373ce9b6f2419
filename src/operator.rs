//! Who is at the keyboard of a local session: the operating-system user of this
//! process, by its real uid and the name the system's user database has for it. The
//! environment (`$USER`, `$LOGNAME`) is never asked: anyone can set it.

use crate::domain::Door;

/// The door of a session opened on the database file directly.
pub fn local_door() -> Door {
    let (uid, user) = local_user();
    Door::Local {
        uid,
        user: user.unwrap_or_default(),
    }
}

/// The real uid, and its user name when the system knows one.
#[cfg(unix)]
pub fn local_user() -> (u32, Option<String>) {
    let uid = nix::unistd::getuid();
    let name = nix::unistd::User::from_uid(uid)
        .ok()
        .flatten()
        .map(|u| u.name)
        .filter(|n| !n.is_empty());
    (uid.as_raw(), name)
}

#[cfg(not(unix))]
pub fn local_user() -> (u32, Option<String>) {
    (0, None)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The name comes from the uid, whatever the environment claims.
    #[test]
    fn the_user_name_is_the_uids_not_the_environments() {
        let (uid, name) = local_user();
        assert_eq!(uid, nix::unistd::getuid().as_raw());
        let expected = nix::unistd::User::from_uid(nix::unistd::getuid())
            .ok()
            .flatten()
            .map(|u| u.name);
        assert_eq!(name, expected);
        match local_door() {
            Door::Local { uid: u, user } => {
                assert_eq!(u, uid);
                assert_eq!(Some(user), expected.or(Some(String::new())));
            }
            other => panic!("a local session has a local door, not {other:?}"),
        }
    }
}
