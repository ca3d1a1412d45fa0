//! The history browser (`repair notes` in a terminal): saved sessions newest
//! first with a preview, the full session, a filter that narrows as you
//! type, stats, export and delete. The pure model is in [`model`], the
//! drawing in [`view`]; this file runs it on the shared full-screen runtime
//! and carries out its effects on the store.

pub mod model;
pub mod view;

use std::io;
use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use ratatui::Frame;

use crate::journal::Store;
use crate::tui::terminal::{self, Input, Program};
use crate::tui::theme::Theme;
use model::{Effect, History, Output};

struct Browser<'a> {
    model: History,
    store: &'a Store,
    theme: Theme,
}

impl Program for Browser<'_> {
    type Output = Output;

    fn draw(&self, frame: &mut Frame, _now: Instant) {
        view::draw(frame, &self.model, &self.theme);
    }

    fn deadline(&self, _now: Instant) -> Option<Instant> {
        None
    }

    fn handle(&mut self, input: Input, _now: Instant) -> Option<Output> {
        let effects = match input {
            Input::Key(key) => self.model.key(key),
            Input::Signal(n) => return Some(Output::Signal(n)),
            Input::Paste(_) | Input::Resize | Input::Tick => Vec::new(),
        };
        for effect in effects {
            match effect {
                Effect::Delete(id) => {
                    let result = self.store.delete(&id).map_err(|e| e.to_string());
                    self.model.deleted(&id, result);
                }
                Effect::Export {
                    path,
                    markdown,
                    count,
                } => {
                    let result = export(Path::new(&path), &markdown);
                    let plaintext = result.is_ok()
                        && self.store.encryption() != crate::journal::lock::Mode::Off;
                    self.model.exported(&path, count, result);
                    if plaintext && let Some(status) = self.model.status.as_mut() {
                        status.push_str(" That file is plaintext, not encrypted.");
                    }
                }
                Effect::Quit(output) => return Some(output),
            }
        }
        None
    }

    fn rescue(&mut self, error: io::Error, _now: Instant) -> Output {
        // Nothing is held only in memory here: every change is on disk already.
        Output::Failed(error.to_string())
    }
}

/// Writes an export the browser asked for: never over an existing file.
fn export(path: &Path, markdown: &str) -> Result<(), String> {
    match crate::journal::files::create_new_file(path, markdown.as_bytes(), false) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(format!(
            "{} already exists; choose another name",
            crate::sanitize::one_line(&path.display().to_string())
        )),
        Err(source) => Err(crate::journal::StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
        .to_string()),
    }
}

/// Runs the browser full screen until it is closed.
pub fn run(
    model: History,
    store: &Store,
    signals: Receiver<i32>,
    theme: Theme,
) -> io::Result<Output> {
    crate::tui::force_color(&theme);
    let mut browser = Browser {
        model,
        store,
        theme,
    };
    terminal::run(&mut browser, signals)
}
