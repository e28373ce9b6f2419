//! offboard: dismiss employees of a company portal without losing any of their work.
//!
//! The library holds everything; the binary only parses arguments and maps errors to
//! exit codes, so tests drive the same code people use.

pub mod cli;
pub mod config;
pub mod deliver;
pub mod demo;
pub mod directory;
pub mod domain;
pub mod files;
pub mod logging;
pub mod operator;
pub mod rest;
pub mod scim;
pub mod stop;
pub mod store;
pub mod tui;

pub use directory::Directory;
pub use domain::{Actor, Error, Result};
