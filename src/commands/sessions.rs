//! The saved sessions as the commands list them: read from the store, and
//! one line each. Shared by `repair notes`, the browser and `repair
//! follow-up`, so none of them imports another.

use std::path::PathBuf;

use crate::journal::{self, Listed, Session, Store};
use crate::sanitize;

/// Every readable session, oldest first, and the unreadable files.
pub fn load(store: &Store) -> (Vec<Session>, Vec<(PathBuf, String)>) {
    let mut sessions = Vec::new();
    let mut unreadable = Vec::new();
    for listed in store.list() {
        match listed {
            Listed::Session(s) => sessions.push(s),
            Listed::Unreadable { path, reason } => unreadable.push((path, reason)),
        }
    }
    (sessions, unreadable)
}

/// One line per session, for lists: id, date, mode, protocol, steps done,
/// and what still waits.
pub fn list_line(session: &Session) -> String {
    row_line(&journal::Row::of(session))
}

/// [`list_line`] from a row read without its notes.
pub fn row_line(row: &journal::Row) -> String {
    let mut marks = Vec::new();
    if row.is_pending_follow_up() {
        marks.push("follow-up waiting");
    }
    if row.is_unfinished() {
        marks.push("unfinished");
    }
    let title = if row.protocol_title.is_empty() {
        &row.protocol
    } else {
        &row.protocol_title
    };
    let line = format!(
        "{}  {}  {}  {}  {}/{} done{}{}",
        row.id,
        row.when(),
        row.mode,
        title,
        row.counts.done,
        row.counts.total,
        if marks.is_empty() { "" } else { "  " },
        marks.join(", ")
    );
    sanitize::one_line(&line).into_owned()
}
