//! The plain front ends: every mode as plain lines on stdout, for screen
//! readers, pipes and scripts.

pub mod ask;
pub mod drill;
pub mod lines;
pub mod prep;
pub mod rehearse;
pub mod walk;

pub use walk::*;
