//! The passphrase for encrypted notes, asked on the full screen: a masked
//! field in a quiet box, before the walk-through, the browser or the prep
//! opens. Each character shows as `*`; three tries, and nothing is written
//! in between (the store only reads its key file while checking).
//!
//! The typed text lives in a [`Zeroizing`] buffer and is wiped when the
//! prompt ends. Checking takes about a second (age's scrypt), so Enter first
//! draws "Checking…" and the check runs on the next wake.

use std::io;
use std::time::Instant;

use age::secrecy::SecretString;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::text::{Line, Text};
use zeroize::Zeroizing;

use super::terminal::{Ended, Input, Kept, Program};
use super::theme::Theme;
use super::view::dialogs::dialog;
use super::view::{fits, hints};
use crate::journal::{Store, StoreError};

/// How many times a wrong passphrase may be given (as on the plain prompt).
pub const TRIES: usize = 3;

/// How the prompt ended.
#[derive(Debug)]
pub enum Asked {
    /// The store is unlocked.
    Unlocked,
    /// Three wrong passphrases.
    Wrong,
    /// Esc or Ctrl-C: nothing was changed.
    Cancelled,
}

/// The prompt's state.
pub struct Prompt<'a> {
    store: &'a mut Store,
    typed: Zeroizing<String>,
    tries_left: usize,
    checking: bool,
    message: Option<String>,
    theme: Theme,
}

impl<'a> Prompt<'a> {
    pub fn new(store: &'a mut Store, theme: Theme) -> Self {
        Prompt {
            store,
            typed: Zeroizing::new(String::new()),
            tries_left: TRIES,
            checking: false,
            message: None,
            theme,
        }
    }

    fn check(&mut self) -> Option<Ended<Asked>> {
        self.checking = false;
        let passphrase = SecretString::from(self.typed.as_str().to_owned());
        self.typed.clear();
        match self.store.unlock(&passphrase) {
            Ok(()) => Some(Ended::Done(Asked::Unlocked)),
            Err(StoreError::WrongPassphrase) => {
                self.tries_left -= 1;
                if self.tries_left == 0 {
                    return Some(Ended::Done(Asked::Wrong));
                }
                let left = self.tries_left;
                self.message = Some(format!(
                    "That passphrase is not right. {left} {} left.",
                    if left == 1 { "try" } else { "tries" }
                ));
                None
            }
            // Reading the key failed for another reason than the passphrase.
            Err(other) => Some(Ended::Failed {
                error: other.to_string(),
                kept: Kept::default(),
            }),
        }
    }
}

impl Program for Prompt<'_> {
    type Output = Ended<Asked>;

    fn draw(&self, frame: &mut Frame, _now: Instant) {
        if !fits(frame, &self.theme) {
            return;
        }
        let area = frame.area();
        let mut lines = vec![
            Line::raw("Your notes are encrypted."),
            Line::default(),
            Line::raw("Passphrase for your notes:"),
            Line::styled(
                format!("{}▏", "*".repeat(self.typed.chars().count())),
                self.theme.key(),
            ),
            Line::default(),
        ];
        match (&self.message, self.checking) {
            (_, true) => lines.push(Line::styled("Checking…", self.theme.dim())),
            (Some(message), false) => lines.push(Line::styled(message.clone(), self.theme.warn())),
            (None, false) => lines.push(Line::default()),
        }
        lines.push(hints(
            &[("Enter", "unlock"), ("Esc", "cancel")],
            area.width.saturating_sub(6),
            &self.theme,
        ));
        dialog(frame, area, "Passphrase", Text::from(lines), &self.theme);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        // Checking waits one wake, so "Checking…" is drawn first.
        self.checking.then_some(now)
    }

    fn handle(&mut self, input: Input, _now: Instant) -> Option<Ended<Asked>> {
        if self.checking {
            return match input {
                Input::Signal(number) => Some(Ended::Signal {
                    number,
                    kept: Kept::default(),
                }),
                _ => self.check(),
            };
        }
        let Input::Key(key) = input else {
            return match input {
                Input::Signal(number) => Some(Ended::Signal {
                    number,
                    kept: Kept::default(),
                }),
                Input::Paste(text) => {
                    self.typed.extend(text.chars().filter(|c| !c.is_control()));
                    None
                }
                _ => None,
            };
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return Some(Ended::Done(Asked::Cancelled)),
            KeyCode::Char('c' | 'd') if ctrl => return Some(Ended::Done(Asked::Cancelled)),
            KeyCode::Char('u') if ctrl => self.typed.clear(),
            KeyCode::Char(c) if !ctrl => {
                self.typed.push(c);
                self.message = None;
            }
            KeyCode::Backspace => {
                self.typed.pop();
            }
            KeyCode::Enter if !self.typed.is_empty() => self.checking = true,
            _ => {}
        }
        None
    }

    fn rescue(&mut self, error: io::Error, _now: Instant) -> Ended<Asked> {
        Ended::Failed {
            error: error.to_string(),
            kept: Kept::default(),
        }
    }
}

/// Asks on the full screen until the store opens, at most three times.
pub fn ask(store: &mut Store, theme: Theme) -> io::Result<Ended<Asked>> {
    let mut prompt = Prompt::new(store, theme);
    super::terminal::run(&mut prompt, &theme)
}
