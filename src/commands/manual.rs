//! `repair completions SHELL` and `repair man`: the command line describing
//! itself, generated from the same clap definitions that parse it, so the
//! completions and the manual page can never fall out of step with it.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::Error;

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: Shell) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "repair", &mut out);
    write_out(&out)
}

/// Prints the manual page (roff, for `man`) on stdout.
pub fn man() -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(Error::Output)?;
    write_out(&out)
}

fn write_out(bytes: &[u8]) -> Result<u8, Error> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(Error::Output)?;
    Ok(0)
}
