//! repair-practice: practise repairing ruptures in the therapeutic relationship.
//!
//! The library holds everything but argument parsing: the protocol format, the
//! walk-through state machine, the journal of saved sessions, and the two front
//! ends (full-screen and plain lines) that drive the same state machine.

pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod error;
pub mod journal;
pub mod palette;
pub mod passphrase;
pub mod plain;
pub mod practice;
pub mod protocol;
pub mod sanitize;
pub mod settings;
pub mod signals;
pub mod tui;
