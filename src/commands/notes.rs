//! `repair notes ...`: reading saved sessions.

use std::io::{self, Write};
use std::path::Path;

use super::open_store;
use crate::cli::{ExportFormat, NotesCommand};
use crate::error::Error;
use crate::journal::{self, Listed};
use crate::sanitize;

pub fn run(data_dir: Option<&Path>, command: &NotesCommand) -> Result<u8, Error> {
    match command {
        NotesCommand::Path => {
            let dir = journal::data_dir(data_dir)?;
            println!("{}", sanitize::one_line(&dir.display().to_string()));
            Ok(0)
        }
        NotesCommand::Export {
            format: ExportFormat::Json,
        } => {
            let store = open_store(data_dir)?;
            let mut sessions = Vec::new();
            for listed in store.list() {
                match listed {
                    Listed::Session(s) => sessions.push(s),
                    Listed::Unreadable { path, reason } => eprintln!(
                        "repair: skipped {}: {}",
                        sanitize::one_line(&path.display().to_string()),
                        sanitize::one_line(&reason)
                    ),
                }
            }
            let json = journal::export_json(&sessions);
            // JSON escapes every control character, so this is safe on a
            // terminal and byte-exact in a file.
            io::stdout()
                .lock()
                .write_all(json.as_bytes())
                .map_err(Error::Output)?;
            Ok(0)
        }
    }
}
