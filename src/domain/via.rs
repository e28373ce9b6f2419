//! How the actor of an audit event was authenticated: the door it came through, as
//! recorded with the event (issue 12: an honest audit).

use std::fmt;

use serde::Serialize;

use super::{Door, IntegrationId};

/// The door of one audit event. Serialized as `{"door":"local","uid":1000,"user":"alice"}`,
/// `{"door":"ssh","key":3,"fingerprint":"SHA256:…"}`, `{"door":"webhook","integration":9}`,
/// `{"door":"scim","token":2,"client":"okta"}` or `{"door":"unknown"}` for events written before doors were recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "door", rename_all = "lowercase")]
pub enum Via {
    /// The operating-system user (by uid, and the name the system has for that uid)
    /// who opened the database file, acting as the event's actor.
    Local { uid: u32, user: String },
    /// Signed in over SSH with this key.
    Ssh { key: i64, fingerprint: String },
    /// A call to this integration's webhook URL.
    Webhook { integration: IntegrationId },
    /// A SCIM request with this client's bearer token.
    Scim { token: i64, client: String },
    /// Written before offboard recorded doors (schema version 3 or older).
    Unknown,
}

impl Via {
    /// The door of a change made through `door`, by a webhook call when `integration` is set.
    pub fn of(door: &Door, integration: Option<IntegrationId>) -> Via {
        if let Some(integration) = integration {
            return Via::Webhook { integration };
        }
        match door {
            Door::Local { uid, user } => Via::Local {
                uid: *uid,
                user: user.clone(),
            },
            Door::Ssh { key, fingerprint } => Via::Ssh {
                key: *key,
                fingerprint: fingerprint.clone(),
            },
            Door::Scim { token, client } => Via::Scim {
                token: *token,
                client: client.clone(),
            },
        }
    }

    /// The door's word: `local`, `ssh`, `webhook`, `unknown`.
    pub fn door(&self) -> &'static str {
        match self {
            Via::Local { .. } => "local",
            Via::Ssh { .. } => "ssh",
            Via::Webhook { .. } => "webhook",
            Via::Scim { .. } => "scim",
            Via::Unknown => "unknown",
        }
    }

    /// A narrow form for a table column: `local alice`, `ssh key #3`, `webhook #9`.
    pub fn short(&self) -> String {
        match self {
            Via::Local { uid, user } if user.is_empty() => format!("local uid {uid}"),
            Via::Local { user, .. } => format!("local {user}"),
            Via::Ssh { key, .. } => format!("ssh key #{key}"),
            Via::Webhook { integration } => format!("webhook #{integration}"),
            Via::Scim { client, .. } => format!("scim {client}"),
            Via::Unknown => "unknown".into(),
        }
    }
}

/// The full form: `local alice (uid 1000)`, `ssh key #3 SHA256:…`, `webhook #9`, `unknown`.
impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Via::Local { uid, user } if user.is_empty() => write!(f, "local uid {uid}"),
            Via::Local { uid, user } => write!(f, "local {user} (uid {uid})"),
            Via::Ssh { key, fingerprint } => write!(f, "ssh key #{key} {fingerprint}"),
            Via::Webhook { integration } => write!(f, "webhook #{integration}"),
            Via::Scim { token, client } => write!(f, "scim {client} (token #{token})"),
            Via::Unknown => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_door_serializes_with_its_facts() {
        let local = Via::of(
            &Door::Local {
                uid: 1000,
                user: "alice".into(),
            },
            None,
        );
        assert_eq!(
            serde_json::to_value(&local).unwrap_or_default(),
            serde_json::json!({"door": "local", "uid": 1000, "user": "alice"})
        );
        let ssh = Via::of(
            &Door::Ssh {
                key: 3,
                fingerprint: "SHA256:abc".into(),
            },
            None,
        );
        assert_eq!(
            serde_json::to_value(&ssh).unwrap_or_default(),
            serde_json::json!({"door": "ssh", "key": 3, "fingerprint": "SHA256:abc"})
        );
        // A webhook call is named by its integration, whoever started `serve`.
        let hook = Via::of(
            &Door::Local {
                uid: 0,
                user: "root".into(),
            },
            Some(IntegrationId(9)),
        );
        assert_eq!(
            serde_json::to_value(&hook).unwrap_or_default(),
            serde_json::json!({"door": "webhook", "integration": 9})
        );
        assert_eq!(
            serde_json::to_value(Via::Unknown).unwrap_or_default(),
            serde_json::json!({"door": "unknown"})
        );
        assert_eq!(local.to_string(), "local alice (uid 1000)");
        assert_eq!(hook.short(), "webhook #9");
        let scim = Via::of(
            &Door::Scim {
                token: 2,
                client: "okta".into(),
            },
            None,
        );
        assert_eq!(
            serde_json::to_value(&scim).unwrap_or_default(),
            serde_json::json!({"door": "scim", "token": 2, "client": "okta"})
        );
        assert_eq!(scim.short(), "scim okta");
    }
}
