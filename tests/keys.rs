//! SSH keys on a real SQLite file: who manages whose keys, one key to one employee,
//! the kinds refused, what sshd's look-up answers, and how a session signed in with a
//! key loses its access when the key is removed or its owner dismissed.

mod common;

use common::{actor, assert_unchanged, audit_count, demo, last_audit_action, refused, snapshot};
use offboard::Directory;
use offboard::directory::DismissRequest;
use offboard::domain::{Denial, Door, Error, IntegrationChoice, Invalid, Op, Revoked, Taken};

const ED25519: &str = include_str!("ssh/keys/ed25519.pub");
const ECDSA: &str = include_str!("ssh/keys/ecdsa.pub");
const RSA2048: &str = include_str!("ssh/keys/rsa2048.pub");
const RSA1024: &str = include_str!("ssh/keys/rsa1024.pub");
const DSA: &str = include_str!("ssh/keys/dsa.pub");

fn words(line: &str) -> (String, String) {
    let mut w = line.split_whitespace();
    (
        w.next().expect("type").to_string(),
        w.next().expect("base64").to_string(),
    )
}

fn keep() -> DismissRequest {
    DismissRequest {
        integrations: Some(IntegrationChoice::Keep),
        ..Default::default()
    }
}

#[test]
fn staff_manage_anyones_keys_employees_their_own_and_system_users_none() {
    let mut env = demo();
    let dir = &mut env.dir;
    let (admin, hr, jdoe) = (actor(dir, "admin"), actor(dir, "hr"), actor(dir, "jdoe"));
    let by_admin = dir
        .add_key(admin, "tlang", ED25519)
        .expect("admin for tlang");
    assert_eq!(by_admin.login, "tlang");
    assert_eq!(by_admin.added_by, "admin");
    assert_eq!(last_audit_action(dir), "key.add");
    dir.add_key(hr, "amehta", ECDSA).expect("hr for amehta");
    let own = dir
        .add_key(jdoe, "jdoe", RSA2048)
        .expect("jdoe for herself");
    assert_eq!(own.bits, Some(2048));

    let before = snapshot(dir);
    let e = refused(dir.add_key(jdoe, "hr", RSA2048));
    assert!(
        matches!(&e, Error::Denied(Denial::NeedsStaff { login, op: Op::ManageOthersKeys }) if login == "jdoe"),
        "{e:?}"
    );
    let e = refused(dir.remove_key(jdoe, by_admin.id));
    assert!(
        matches!(e, Error::Denied(Denial::NeedsStaff { .. })),
        "{e:?}"
    );
    let e = refused(dir.keys(jdoe, Some("tlang")));
    assert!(
        matches!(e, Error::Denied(Denial::NeedsStaff { .. })),
        "{e:?}"
    );
    assert_unchanged(&before, dir, "jdoe on others' keys");

    // Without a login: everyone's for staff, one's own for the others.
    assert_eq!(dir.keys(hr, None).expect("hr lists").len(), 3);
    let mine = dir.keys(jdoe, None).expect("jdoe lists");
    assert_eq!(mine.iter().map(|k| k.id).collect::<Vec<_>>(), [own.id]);

    // lbrandt's integration is kept by a system user: it never has keys.
    let e = refused(dir.add_key(admin, "system.lbrandt", RSA2048));
    assert!(
        matches!(
            &e,
            Error::Denied(Denial::SystemTarget {
                op: Op::ManageKeys,
                ..
            })
        ),
        "{e:?}"
    );

    let removed = dir.remove_key(jdoe, own.id).expect("jdoe removes her own");
    assert_eq!(removed.fingerprint, own.fingerprint);
    assert_eq!(last_audit_action(dir), "key.remove");
    assert!(dir.keys(jdoe, None).expect("list").is_empty());
}

#[test]
fn a_key_belongs_to_one_employee_and_weak_kinds_are_refused() {
    let mut env = demo();
    let dir = &mut env.dir;
    let admin = actor(dir, "admin");
    let first = dir.add_key(admin, "jdoe", ED25519).expect("add");
    let before = snapshot(dir);
    let audits = audit_count(dir);
    for login in ["jdoe", "hr"] {
        let e = refused(dir.add_key(admin, login, &format!("restrict {ED25519}")));
        assert_eq!(
            e,
            Error::Duplicate(Taken::Key {
                fingerprint: first.fingerprint.clone(),
                owner: "jdoe".into()
            })
        );
    }
    let e = dir.add_key(admin, "hr", DSA).expect_err("dsa");
    assert!(
        matches!(e, Error::Invalid(Invalid::KeyKind { .. })),
        "{e:?}"
    );
    assert_eq!(e.exit_code(), 2);
    let e = dir.add_key(admin, "hr", RSA1024).expect_err("rsa 1024");
    assert_eq!(
        e.to_string(),
        "this rsa key has 1024 bits: rsa keys need at least 2048"
    );
    let e = dir.add_key(admin, "hr", "not a key").expect_err("garbage");
    assert!(
        matches!(e, Error::Invalid(Invalid::KeyUnreadable(_))),
        "{e:?}"
    );
    assert_unchanged(&before, dir, "refused keys");
    assert_eq!(audit_count(dir), audits);
}

#[test]
fn sshds_lookup_lets_in_only_a_registered_key_of_an_active_employee() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let key = env.dir.add_key(admin, "tlang", ED25519).expect("add");
    let other = env.dir.add_key(admin, "jdoe", ECDSA).expect("add");
    let lookup = Directory::open_for_lookup(&env.path)
        .expect("open")
        .expect("a file with keys");
    let (t, k) = words(ED25519);
    let found = lookup.offered_key(&t, &k).expect("look up").expect("found");
    assert_eq!((found.id, found.lets_in), (key.id, true));
    // The type sshd names must be the key's.
    assert_eq!(lookup.offered_key("ssh-rsa", &k).expect("look up"), None);
    let (t2, k2) = words(RSA2048);
    assert_eq!(lookup.offered_key(&t2, &k2).expect("look up"), None);
    assert_eq!(
        lookup.offered_key("ssh-ed25519", "AAAA").expect("garbage"),
        None
    );

    env.dir
        .dismiss(actor(&env.dir, "hr"), "tlang", &keep())
        .expect("dismiss");
    let found = lookup.offered_key(&t, &k).expect("look up").expect("found");
    assert!(!found.lets_in, "a dismissed employee's key");
    let e = refused(env.dir.sign_in_by_key(key.id));
    assert!(
        matches!(e, Error::AccessRevoked(Revoked::Dismissed { .. })),
        "{e:?}"
    );

    env.dir.remove_key(admin, other.id).expect("remove");
    let (t3, k3) = words(ECDSA);
    assert_eq!(lookup.offered_key(&t3, &k3).expect("look up"), None);
    let e = refused(env.dir.sign_in_by_key(other.id));
    assert_eq!(
        e,
        Error::AccessRevoked(Revoked::KeyRemoved { key: other.id })
    );
}

/// A directory as `ssh session` leaves it: signed in with key `key`.
fn signed_in_by_key(path: &std::path::Path, key: i64) -> (Directory, offboard::domain::Employee) {
    let mut dir = Directory::open(path).expect("open");
    let (me, found) = dir.sign_in_by_key(key).expect("sign in");
    dir.set_door(Door::Ssh {
        key,
        fingerprint: found.fingerprint,
    });
    (dir, me)
}

#[test]
fn a_command_signed_in_with_a_removed_key_is_refused_inside_its_transaction() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let key = env.dir.add_key(admin, "hr", ED25519).expect("add");
    let (mut session, me) = signed_in_by_key(&env.path, key.id);
    let hr = offboard::Actor::user(me.id);
    session
        .keys(hr, None)
        .expect("reads while the key is there");

    env.dir.remove_key(admin, key.id).expect("remove");
    let before = snapshot(&env.dir);
    let e = refused(session.dismiss(hr, "jdoe", &DismissRequest::default()));
    assert_eq!(e, Error::AccessRevoked(Revoked::KeyRemoved { key: key.id }));
    let e = refused(session.keys(hr, None));
    assert_eq!(e, Error::AccessRevoked(Revoked::KeyRemoved { key: key.id }));
    assert_unchanged(&before, &env.dir, "a removed key's command");
    // Key IDs are never used again: the same key given back to hr is a new key, and
    // the old session stays out.
    let again = env.dir.add_key(admin, "hr", ED25519).expect("add again");
    assert_ne!(again.id, key.id);
    let e = refused(session.dismiss(hr, "jdoe", &DismissRequest::default()));
    assert!(matches!(e, Error::AccessRevoked(_)), "{e:?}");
}

#[test]
fn an_open_tui_signed_in_with_a_key_ends_when_the_key_is_removed() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let key = env.dir.add_key(admin, "hr", ED25519).expect("add");
    let (dir, me) = signed_in_by_key(&env.path, key.id);
    let mut session = offboard::tui::Session::new(dir, me, 100, 30).expect("session");
    session.poll();
    assert_eq!(session.app.exit, None, "nothing changed yet");

    env.dir.remove_key(admin, key.id).expect("remove");
    session.poll();
    assert_eq!(session.app.exit, Some(3));
    let why = session.app.revoked.clone().unwrap_or_default();
    assert!(
        why.contains(&format!("SSH key #{} was removed", key.id)),
        "{why}"
    );
}

#[test]
fn a_session_signed_in_with_a_key_applies_someone_elses_scheduled_dismissal() {
    let mut env = demo();
    let admin = actor(&env.dir, "admin");
    let key = env.dir.add_key(admin, "hr", ED25519).expect("add");
    let tomorrow = env.dir.now().date_naive() + chrono::Days::new(1);
    env.dir
        .dismiss_when(
            admin,
            "jdoe",
            &keep(),
            offboard::directory::When::On(tomorrow),
        )
        .expect("schedule");
    let (mut session, _) = signed_in_by_key(&env.path, key.id);
    session.set_clock(Some(env.dir.now() + chrono::Days::new(2)));
    let applied = session.apply_due().expect("apply due");
    assert_eq!(applied.len(), 1, "{applied:?}");
    assert!(applied[0].applied, "{:?}", applied[0].failure);
    assert!(
        matches!(session.door(), Door::Ssh { key: k, .. } if *k == key.id),
        "the session keeps its door"
    );
}
