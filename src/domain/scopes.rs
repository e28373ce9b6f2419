//! The set of scopes an integration holds: a small bit set over `Scope::ALL`, always
//! listed in that order.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use super::{Error, Result, Scope};

// One bit per scope, by its place in `Scope::ALL`.
const _: () = assert!(Scope::ALL.len() <= 32);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ScopeSet(u32);

impl ScopeSet {
    pub const EMPTY: ScopeSet = ScopeSet(0);

    fn bit(scope: Scope) -> u32 {
        // The enum's variants are declared in the order of `Scope::ALL`.
        1 << (scope as u32)
    }

    /// Every scope there is.
    pub fn all() -> Self {
        Scope::ALL.iter().copied().collect()
    }

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & Self::bit(scope) != 0
    }

    pub fn insert(&mut self, scope: Scope) {
        self.0 |= Self::bit(scope);
    }

    pub fn remove(&mut self, scope: Scope) {
        self.0 &= !Self::bit(scope);
    }

    pub fn toggle(&mut self, scope: Scope) {
        self.0 ^= Self::bit(scope);
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The scopes held, in the order of `Scope::ALL`.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL
            .iter()
            .copied()
            .filter(move |s| self.contains(*s))
    }

    /// `user,task`: the scopes named, in any order and with repeats, possibly none.
    /// Unknown words are refused as `Scope` refuses them.
    pub fn parse_list(s: &str) -> Result<Self> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::parse::<Scope>)
            .collect()
    }
}

impl From<Scope> for ScopeSet {
    fn from(scope: Scope) -> Self {
        let mut set = ScopeSet::EMPTY;
        set.insert(scope);
        set
    }
}

impl<const N: usize> From<[Scope; N]> for ScopeSet {
    fn from(scopes: [Scope; N]) -> Self {
        scopes.into_iter().collect()
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        let mut set = ScopeSet::EMPTY;
        for scope in iter {
            set.insert(scope);
        }
        set
    }
}

/// `user,crm`: the words joined by commas, in the order of `Scope::ALL`.
impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, scope) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// What people type (`--scopes user,task,crm`): at least one scope.
impl FromStr for ScopeSet {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let set = ScopeSet::parse_list(s)?;
        if set.is_empty() {
            return Err(Error::Invalid(
                "an integration needs at least one scope: user, department, task, crm".into(),
            ));
        }
        Ok(set)
    }
}

/// A list of words, as the `Vec<Scope>` it replaces was serialized.
impl Serialize for ScopeSet {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_lists_its_scopes_in_a_fixed_order_without_repeats() {
        let set: ScopeSet = "crm, user,crm".parse().unwrap();
        assert_eq!(set.to_string(), "user,crm");
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Scope::User, Scope::Crm]
        );
        assert_eq!(serde_json::to_string(&set).unwrap(), r#"["user","crm"]"#);
        assert_eq!(set.len(), 2);
        assert!(set.contains(Scope::Crm) && !set.contains(Scope::Task));
        assert_eq!(ScopeSet::all().to_string(), "user,department,task,crm");
        assert_eq!(ScopeSet::EMPTY.to_string(), "");
        assert_eq!(serde_json::to_string(&ScopeSet::EMPTY).unwrap(), "[]");
    }

    #[test]
    fn insert_remove_and_toggle() {
        let mut set = ScopeSet::from(Scope::Task);
        set.insert(Scope::Department);
        set.toggle(Scope::Task);
        set.toggle(Scope::User);
        assert_eq!(set, ScopeSet::from([Scope::User, Scope::Department]));
        set.remove(Scope::User);
        set.remove(Scope::Crm);
        assert_eq!(set, ScopeSet::from(Scope::Department));
        set.remove(Scope::Department);
        assert!(set.is_empty());
    }

    #[test]
    fn parsing_says_what_is_wrong() {
        let none = " , ".parse::<ScopeSet>().unwrap_err().to_string();
        assert!(none.contains("at least one scope"), "{none}");
        let bad = "user,tasks".parse::<ScopeSet>().unwrap_err().to_string();
        assert!(bad.contains("\"tasks\" is not a valid scope"), "{bad}");
        assert_eq!(ScopeSet::parse_list("").unwrap(), ScopeSet::EMPTY);
    }
}
