//! The history browser (`repair notes` in a terminal): saved sessions newest
//! first with a preview, the full session, a filter that narrows as you
//! type, stats, export and delete. The pure model is in [`model`], the
//! drawing in [`view`]; this file runs it on the shared full-screen runtime
//! and carries out its effects on the store.

pub mod model;
pub mod page;
pub mod view;

use std::io;
use std::path::Path;
use std::time::Instant;

use ratatui::Frame;

use crate::journal::Store;
use crate::tui::terminal::{self, Ended, Input, Kept, Program};
use crate::tui::theme::Theme;
use model::{BrowserEffect, BrowserError, History, Output};

struct Browser<'a> {
    model: &'a mut History,
    store: &'a Store,
    theme: Theme,
}

impl Program for Browser<'_> {
    type Output = Ended<Output>;

    fn draw(&mut self, frame: &mut Frame, _now: Instant) {
        view::draw(frame, self.model, &self.theme);
    }

    fn deadline(&self, _now: Instant) -> Option<Instant> {
        None
    }

    fn handle(&mut self, input: Input, _now: Instant) -> Option<Ended<Output>> {
        if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
            self.model.resize(width, height);
        }
        let effects = match input {
            Input::Key(key) => self.model.key(key),
            Input::Signal(number) => {
                return Some(Ended::Signal {
                    number,
                    kept: Kept::default(),
                });
            }
            Input::Paste(_) | Input::Resize | Input::Tick => Vec::new(),
        };
        for effect in effects {
            match effect {
                BrowserEffect::Delete(id) => {
                    let result = self.store.delete_keeping(&id).map_err(BrowserError::from);
                    self.model.deleted_keeping(&id, result);
                }
                BrowserEffect::Undelete => {
                    if let Some(files) = self.model.to_undelete() {
                        let result = self.store.restore(files).map_err(BrowserError::from);
                        self.model.undeleted(result);
                    }
                }
                BrowserEffect::Export {
                    path,
                    markdown,
                    count,
                } => {
                    let result = export(Path::new(&path), &markdown);
                    let plaintext = result.is_ok()
                        && self.store.encryption() != crate::journal::crypt::Encryption::Off;
                    let free = result
                        .is_err()
                        .then(|| free_name(&path, |p| std::fs::symlink_metadata(p).is_ok()))
                        .flatten();
                    self.model.exported(&path, count, result, free);
                    if plaintext && let Some(status) = self.model.status.as_mut() {
                        status.push_str(" That file is plaintext, not encrypted.");
                    }
                }
                BrowserEffect::Quit(output) => return Some(Ended::Done(output)),
            }
        }
        None
    }

    fn rescue(&mut self, error: io::Error, _now: Instant) -> Ended<Output> {
        // Nothing is held only in memory here: every change is on disk already.
        Ended::Failed {
            error,
            kept: Kept::default(),
        }
    }
}

/// A name like `path` that is not taken: `notes.md` gives `notes-2.md`,
/// `notes-3.md`, ...; `None` if `path` itself is free or none is found.
pub fn free_name(path: &str, taken: impl Fn(&Path) -> bool) -> Option<String> {
    if !taken(Path::new(path)) {
        return None;
    }
    let (stem, ext) = match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains('/') => (stem, format!(".{ext}")),
        _ => (path, String::new()),
    };
    (2..1000)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|name| !taken(Path::new(name)))
}

/// Writes an export the browser asked for: never over an existing file.
fn export(path: &Path, markdown: &str) -> Result<(), BrowserError> {
    match crate::journal::files::create_new_file(path, markdown.as_bytes(), false) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(BrowserError::AlreadyExists(path.to_path_buf()))
        }
        Err(source) => Err(crate::journal::StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()),
    }
}

/// Runs the browser full screen until it is closed or hands over to a
/// follow-up or a resume (the caller runs that, then runs the browser again
/// on the same model).
pub fn run(model: &mut History, store: &Store, theme: Theme) -> io::Result<Ended<Output>> {
    let mut browser = Browser {
        model,
        store,
        theme,
    };
    terminal::run(&mut browser, &theme)
}
