//! Typed ids, so that an employee's id cannot be passed where an integration's or a
//! task's is meant. Each shows and serializes as its bare number.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        /// The bare number, padded and aligned as an `i64` would be.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// An employee or a system user.
    EmployeeId
);
id_type!(
    /// An inbound webhook.
    IntegrationId
);
id_type!(
    /// A task of the portal.
    TaskId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_show_and_serialize_as_their_number() {
        assert_eq!(EmployeeId(42).to_string(), "42");
        assert_eq!(format!("#{:>4}|", IntegrationId(7)), "#   7|");
        assert_eq!(serde_json::to_string(&TaskId(9)).unwrap(), "9");
        assert_eq!(
            serde_json::from_str::<EmployeeId>("12").unwrap(),
            EmployeeId(12)
        );
        assert_eq!("15".parse::<IntegrationId>(), Ok(IntegrationId(15)));
        assert!("x".parse::<TaskId>().is_err());
    }
}
