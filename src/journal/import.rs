//! Reading a JSON export back (`repair notes import`): backup, restore,
//! moving to another computer.
//!
//! The whole file is checked before anything is written, so a malformed file
//! imports nothing; its problem is reported with line and column and never
//! quotes the file's content (which may be note text).

use super::record::Session;
use super::store::{Store, StoreError, is_valid_id};

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
    for (i, session) in sessions.iter().enumerate() {
        if !is_valid_id(&session.id) {
            return Err(ImportProblem {
                what: format!("session {} has an id that is not a valid session id", i + 1),
                line: 0,
                column: 0,
            });
        }
    }
    Ok(sessions)
}

/// Compares an export with what the store holds. Reads only.
pub fn plan(store: &Store, incoming: Vec<Session>) -> ImportPlan {
    let mut plan = ImportPlan::default();
    for session in incoming {
        if plan.add.iter().any(|s| s.id == session.id) {
            // The same id twice in one file: the first one wins.
            if !plan.add.contains(&session) {
                plan.conflicts.push(session.id);
            }
            continue;
        }
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
}
