//! Reading a JSON export back (`repair notes import`): backup, restore,
//! moving to another computer.
//!
//! The whole file is checked before anything is written, and before the
//! data directory's lock is taken: a malformed file, a Markdown export, a
//! session too large to save or anything but a regular file imports
//! nothing, and a slow or endless input (a FIFO) never holds the lock. A
//! problem is reported with line and column and never quotes the file's
//! content (which may be note text).

use super::record::Session;
use super::store::{Store, StoreError, is_valid_id};

/// The largest file `repair notes import` reads: about 40,000 sessions of
/// typical size. A larger file (or a device like `/dev/zero`) is refused
/// before it is read into memory.
pub const IMPORT_MAX: u64 = 256_000_000;

/// Reads an export file for import: only a regular file, at most
/// [`IMPORT_MAX`] bytes. Anything else is refused before it is opened
/// (opening a FIFO waits for a writer that may never come).
pub fn read_export(path: &std::path::Path) -> Result<Vec<u8>, ReadProblem> {
    use std::io::Read;
    if !std::fs::metadata(path).map_err(ReadProblem::Io)?.is_file() {
        return Err(ReadProblem::NotAFile);
    }
    let file = std::fs::File::open(path).map_err(ReadProblem::Io)?;
    // Checked again on what was opened: the name may have been replaced.
    let meta = file.metadata().map_err(ReadProblem::Io)?;
    if !meta.is_file() {
        return Err(ReadProblem::NotAFile);
    }
    if meta.len() > IMPORT_MAX {
        return Err(ReadProblem::TooLarge);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(IMPORT_MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > IMPORT_MAX {
        return Err(ReadProblem::TooLarge);
    }
    Ok(bytes)
}

/// Why an import file could not be read.
#[derive(Debug)]
pub enum ReadProblem {
    Io(std::io::Error),
    NotAFile,
    TooLarge,
}

/// Why an export file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}, at line {line} column {column}")]
pub struct ImportProblem {
    pub what: String,
    pub line: usize,
    pub column: usize,
}

/// What importing would do with each session of a file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// New here: to be saved.
    pub add: Vec<Session>,
    /// Already here with exactly this content: nothing to do.
    pub same: Vec<String>,
    /// An id already here with different content (or an unreadable file
    /// under that id): reported and left alone.
    pub conflicts: Vec<String>,
}

/// An id the file holds more than once (see [`one_of_each`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Twice {
    pub id: String,
    /// Every later copy is the same as the first (so nothing is lost).
    pub same: bool,
}

/// Whether the file is a Markdown export (`notes export`'s default format,
/// or `notes show`'s output): it begins with a heading. A JSON export never
/// does, so this is told apart before any JSON error is given.
pub fn is_markdown(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    text.trim_ascii_start().starts_with(b"#")
}

/// The file's sessions with each id once, the first copy kept, and the ids
/// found more than once.
pub fn one_of_each(incoming: Vec<Session>) -> (Vec<Session>, Vec<Twice>) {
    let mut first: std::collections::HashMap<String, usize> = Default::default();
    let mut kept: Vec<Session> = Vec::with_capacity(incoming.len());
    let mut twice: Vec<Twice> = Vec::new();
    for session in incoming {
        match first.get(&session.id) {
            Some(&at) => {
                let same = kept[at] == session;
                match twice.iter_mut().find(|t| t.id == session.id) {
                    Some(seen) => seen.same &= same,
                    None => twice.push(Twice {
                        id: session.id,
                        same,
                    }),
                }
            }
            None => {
                first.insert(session.id.clone(), kept.len());
                kept.push(session);
            }
        }
    }
    (kept, twice)
}

/// The first session too large for the store to save (see
/// [`super::SESSION_MAX`]), measured as the store writes it without
/// keeping the bytes.
pub fn first_too_large(sessions: &[Session]) -> Option<&str> {
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    sessions.iter().find_map(|session| {
        let mut count = Count(1); // the final newline
        let measured = serde_json::to_writer_pretty(&mut count, session).is_ok();
        (!measured || count.0 > super::SESSION_MAX).then_some(session.id.as_str())
    })
}

/// Parses an export: a JSON array of sessions, with valid, distinct ids.
pub fn parse_export(bytes: &[u8]) -> Result<Vec<Session>, ImportProblem> {
    let sessions: Vec<Session> = serde_json::from_slice(bytes).map_err(|e| {
        use serde_json::error::Category;
        let what = match e.classify() {
            Category::Eof => "the file ends early, probably cut off",
            Category::Syntax => "not valid JSON",
            Category::Data => "not a repair-practice export (a JSON array of sessions)",
            Category::Io => "could not be read",
        };
        ImportProblem {
            what: what.to_string(),
            line: e.line(),
            column: e.column(),
        }
    })?;
    let mut from = 0;
    for (i, session) in sessions.iter().enumerate() {
        let at = id_position(bytes, &session.id, from);
        if let Some(offset) = at {
            from = offset + 1;
        }
        if !is_valid_id(&session.id) {
            let (line, column) = at.map_or((1, 1), |offset| line_column(bytes, offset));
            return Err(ImportProblem {
                what: format!("session {} has an id that is not a valid session id", i + 1),
                line,
                column,
            });
        }
    }
    Ok(sessions)
}

/// The byte offset of the value of an `"id": <id>` member at or after
/// `from`, so an id problem is placed where the id is written.
fn id_position(bytes: &[u8], id: &str, from: usize) -> Option<usize> {
    let needle = serde_json::to_string(id).ok()?;
    let needle = needle.as_bytes();
    let mut start = from;
    while start < bytes.len() {
        let found = bytes[start..]
            .windows(needle.len())
            .position(|w| w == needle)?
            + start;
        let before = bytes[..found].trim_ascii_end();
        if let Some(before) = before.strip_suffix(b":")
            && before.trim_ascii_end().ends_with(b"\"id\"")
        {
            return Some(found);
        }
        start = found + 1;
    }
    None
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Compares an export (each id once: see [`one_of_each`]) with what the
/// store holds. Reads only.
pub fn plan(store: &Store, incoming: Vec<Session>) -> ImportPlan {
    let mut plan = ImportPlan::default();
    for session in incoming {
        match store.load(&session.id) {
            Err(StoreError::NoSuchSession { .. }) => plan.add.push(session),
            Ok(existing) if existing == session => plan.same.push(session.id),
            // Different content, or a file there that cannot be read: never
            // overwrite either.
            _ => plan.conflicts.push(session.id),
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_files_say_where() {
        let err = parse_export(b"[\n  {\"id\": 3}\n]").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("not a repair-practice export"));
        let err = parse_export(b"[\n {").unwrap_err();
        assert!(err.what.contains("ends early"));
        assert_eq!(parse_export(b"[]").unwrap(), vec![]);
        let err = parse_export(b"{\"secret note\": 1}").unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn a_bad_id_is_placed_where_it_is_written() {
        let session = |id: &str| {
            format!(
                "  {{\n    \"mode\": \"practice\", \"protocol\": \"p\",\n    \"id\": \"{id}\",\n    \"started_at\": \"2024-01-01T09:00:00+01:00\", \"finished_at\": null, \"complete\": false, \"steps\": []\n  }}"
            )
        };
        let text = format!(
            "[\n{},\n{}\n]",
            session("20240101-090000-aaaa"),
            session("../x")
        );
        let err = parse_export(text.as_bytes()).unwrap_err();
        assert_eq!((err.line, err.column), (9, 11), "{err}");
        assert!(err.to_string().starts_with("session 2 has an id"));
    }

    #[test]
    fn only_a_regular_file_is_read() {
        #[cfg(unix)]
        assert!(matches!(
            read_export(std::path::Path::new("/dev/zero")),
            Err(ReadProblem::NotAFile)
        ));
        let tmp = tempfile::tempdir().expect("tempdir");
        assert!(matches!(
            read_export(tmp.path()),
            Err(ReadProblem::NotAFile)
        ));
    }
}
