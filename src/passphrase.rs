//! Asking for the passphrase that protects encrypted notes.
//!
//! It is read from the terminal itself (`/dev/tty`), never from stdin, the
//! command line or the environment; or, for scripts and tests, one line at a
//! time from a file descriptor the caller names with `--passphrase-fd N`.
//! On the terminal it is masked: each character shows as `*`. The terminal
//! is put in a raw-ish mode (no echo, no signals from keys) by a guard that
//! restores it on every way out: Enter, Ctrl-C, Ctrl-D, an error, or a
//! SIGTERM, SIGHUP or SIGINT while the prompt is up. Ctrl-C arrives as a key, not a
//! signal, so the prompt ends cleanly and says it was interrupted.
//!
//! Every byte typed is kept in [`Zeroizing`] buffers and handed out as a
//! [`SecretString`], so it is wiped from memory when dropped.

use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::OnceLock;

use age::secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::error::Error;
use crate::platform::{self, RawError, RawTerminal};

/// Longest passphrase accepted, in bytes.
const MAX_LEN: usize = 1024;

/// The shortest passphrase accepted for new or changed passphrases (an
/// existing shorter one still unlocks).
pub const MIN_LEN: usize = 8;

/// Checks a new passphrase: not empty, and at least [`MIN_LEN`] characters.
pub fn check_new(passphrase: &SecretString) -> Result<(), Error> {
    let len = passphrase.expose_secret().chars().count();
    match len {
        0 => Err(Error::PassphraseEmpty),
        n if n < MIN_LEN => Err(Error::PassphraseTooShort {
            got: n,
            min: MIN_LEN,
        }),
        _ => Ok(()),
    }
}

/// Where passphrases come from for this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The controlling terminal, `/dev/tty`.
    Terminal,
    /// One line per passphrase from this file descriptor.
    Fd(i32),
}

static SOURCE: OnceLock<Source> = OnceLock::new();

/// Sets where passphrases come from (from `--passphrase-fd`); the terminal if
/// never called.
pub fn set_source(fd: Option<i32>) {
    let _ = SOURCE.set(fd.map_or(Source::Terminal, Source::Fd));
}

/// Whether passphrases are typed on the terminal (not `--passphrase-fd`).
pub fn from_terminal() -> bool {
    source() == Source::Terminal
}

fn source() -> Source {
    *SOURCE.get().unwrap_or(&Source::Terminal)
}

/// Asks for a passphrase once, with `prompt` on the terminal (nothing is
/// shown when it comes from a file descriptor).
pub fn ask(prompt: &str) -> Result<SecretString, Error> {
    let bytes = match source() {
        Source::Fd(fd) => read_fd_line(fd)?,
        Source::Terminal => read_terminal(prompt)?,
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::PassphraseNotText)?;
    Ok(SecretString::from(text.to_string()))
}

/// Reads one line from `fd`, a byte at a time so nothing after the line is
/// consumed (with `--passphrase-fd 0`, the rest of stdin is left for the
/// walk-through's own lines).
fn read_fd_line(fd: i32) -> Result<Zeroizing<Vec<u8>>, Error> {
    // Left open afterwards: it belongs to whoever passed it to us.
    let mut file =
        platform::passphrase_fd(fd).map_err(|source| Error::PassphraseFd { fd, source })?;
    let mut line = Zeroizing::new(Vec::with_capacity(MAX_LEN));
    let mut byte = [0u8; 1];
    loop {
        match file.read(&mut byte) {
            Ok(0) if line.is_empty() => return Err(Error::PassphraseFdEnded(fd)),
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) if line.len() < MAX_LEN => line.push(byte[0]),
            // An endless source (`--passphrase-fd` on /dev/zero) is not read
            // forever: a line longer than any passphrase is refused.
            Ok(_) => return Err(Error::PassphraseTooLong(MAX_LEN)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(source) => return Err(Error::PassphraseFd { fd, source }),
        }
    }
    zeroize::Zeroize::zeroize(&mut byte);
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(line)
}

fn read_terminal(prompt: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    // Raw until dropped, which puts the terminal back (see RawTerminal).
    let mut terminal = RawTerminal::open().map_err(|e| match e {
        RawError::NoTerminal => Error::NoTerminalForPassphrase,
        RawError::Refused(e) => Error::Terminal(e),
    })?;
    let result = read_masked(terminal.file(), prompt);
    let mut out = terminal.file().try_clone();
    drop(terminal);
    if let Ok(out) = &mut out {
        let _ = out.write_all(b"\r\n");
    }
    result
}

/// Reads keys until Enter: printable ones are kept and shown as `*`;
/// Backspace removes the last character, Ctrl-U all of them; Ctrl-C (or
/// Ctrl-D on an empty line) gives up.
fn read_masked(tty: &mut File, prompt: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut out = tty.try_clone().map_err(Error::Terminal)?;
    write!(out, "{prompt}").map_err(Error::Terminal)?;
    out.flush().map_err(Error::Terminal)?;
    let mut line = Zeroizing::new(Vec::with_capacity(MAX_LEN));
    let mut byte = [0u8; 1];
    loop {
        match tty.read(&mut byte) {
            Ok(0) => return Err(Error::PassphraseInterrupted),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::Terminal(e)),
        }
        let b = std::mem::take(&mut byte[0]);
        match b {
            b'\r' | b'\n' => return Ok(line),
            0x03 => return Err(Error::PassphraseInterrupted),
            0x04 if line.is_empty() => return Err(Error::PassphraseInterrupted),
            0x7f | 0x08 if pop_char(&mut line) => {
                let _ = out.write_all(b"\x08 \x08");
            }
            0x7f | 0x08 => {}
            0x15 => {
                while pop_char(&mut line) {
                    let _ = out.write_all(b"\x08 \x08");
                }
            }
            b if b < 0x20 => {}
            b if line.len() < MAX_LEN => {
                line.push(b);
                // One star per character: continuation bytes add none.
                if b & 0xc0 != 0x80 {
                    let _ = out.write_all(b"*");
                }
            }
            _ => {}
        }
        let _ = out.flush();
    }
}

/// Removes the last UTF-8 character; false if there was none.
fn pop_char(line: &mut Zeroizing<Vec<u8>>) -> bool {
    let Some(last) = line.iter().rposition(|&b| b & 0xc0 != 0x80) else {
        line.clear();
        return false;
    };
    zeroize::Zeroize::zeroize(&mut line[last..]);
    line.truncate(last);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_removes_whole_characters() {
        let mut line = Zeroizing::new("aé😀".as_bytes().to_vec());
        assert!(pop_char(&mut line));
        assert_eq!(line.as_slice(), "aé".as_bytes());
        assert!(pop_char(&mut line));
        assert!(pop_char(&mut line));
        assert!(line.is_empty());
        assert!(!pop_char(&mut line));
    }
}
