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
    let mut line = String::new();
    push_row_line(&mut line, row);
    line
}

/// [`row_line`] added to `line`, with no allocation of its own once `line`
/// has room (`repair notes list` reuses one line for every row). The same
/// text as escaping the whole line with [`sanitize::one_line`], which
/// escapes character by character: the id (checked to be `[0-9A-Za-z-]`),
/// the date and the counts need none, so only the mode and title are.
pub fn push_row_line(line: &mut String, row: &journal::Row) {
    use std::fmt::Write;
    line.push_str(&row.id);
    line.push_str("  ");
    row.push_when(line);
    line.push_str("  ");
    line.push_str(&sanitize::one_line(row.mode().as_str()));
    line.push_str("  ");
    line.push_str(&sanitize::one_line(row.title()));
    let _ = write!(line, "  {}/{} done", row.counts.done, row.counts.total);
    if row.is_pending_follow_up() {
        line.push_str("  follow-up waiting");
    }
    if row.is_unfinished() {
        line.push_str(if row.is_pending_follow_up() {
            ", unfinished"
        } else {
            "  unfinished"
        });
    }
}
