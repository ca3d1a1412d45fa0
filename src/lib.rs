//! repair-practice: practise repairing ruptures in the therapeutic relationship.
//!
//! The library holds everything but argument parsing: the protocol format, the
//! walk-through state machine, the journal of saved sessions, and the two front
//! ends (full-screen and plain lines) that drive the same state machine.

// Printing to a closed or full stream (`2>/dev/full`, `| head -0`) loses the
// text, never the run: these shadow the standard macros, which panic then.
// Defined before the modules so every module uses them.
macro_rules! eprintln {
    () => { $crate::write_stderr(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::write_stderr(format_args!("{}\n", format_args!($($arg)*))) };
}
macro_rules! println {
    () => { $crate::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Writes to stderr, ignoring a failure (see the `eprintln!` above).
pub fn write_stderr(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// Writes to stdout, ignoring a failure (see the `println!` above).
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_fmt(args);
}

pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod error;
pub mod journal;
pub mod palette;
pub mod passphrase;
pub mod plain;
#[allow(unsafe_code)]
mod platform;
pub mod practice;
pub mod protocol;
pub mod report;
pub mod sanitize;
pub mod settings;
pub mod signals;
pub mod tui;
pub mod words;
