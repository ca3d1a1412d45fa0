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

/// One line per session, for lists: id, date, mode, protocol, what it adds
/// up to (steps done; a drill's cards; a rehearsal's seats and cards: see
/// [`journal::Row::summary`]), and what still waits.
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
    line.push_str(&row.id);
    line.push_str("  ");
    row.push_when(line);
    line.push_str("  ");
    line.push_str(&sanitize::one_line(row.mode().as_str()));
    line.push_str("  ");
    line.push_str(&sanitize::one_line(row.title()));
    line.push_str("  ");
    row.push_summary(line);
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

/// Added to a list line whose session starts after `now`: it was saved
/// while the computer's clock was ahead. Drill schedules and levels count
/// such a session as older than every other (see
/// [`crate::practice::schedule`]).
pub const DATED_AHEAD: &str = "  (dated in the future)";

/// [`DATED_AHEAD`] added to `line` if the session of `row` starts after
/// `now`.
pub fn push_dated_ahead(
    line: &mut String,
    row: &journal::Row,
    now: chrono::DateTime<chrono::FixedOffset>,
) {
    if row.started_at > now {
        line.push_str(DATED_AHEAD);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The line as it was made before it was written piece by piece: the
    /// whole line formatted, then escaped at once.
    fn whole_line_escaped(row: &journal::Row) -> String {
        let mut marks = Vec::new();
        if row.is_pending_follow_up() {
            marks.push("follow-up waiting");
        }
        if row.is_unfinished() {
            marks.push("unfinished");
        }
        let line = format!(
            "{}  {}  {}  {}  {}{}{}",
            row.id,
            row.started_at.format("%a %-d %b %Y %H:%M"),
            row.mode(),
            row.title(),
            row.summary(),
            if marks.is_empty() { "" } else { "  " },
            marks.join(", ")
        );
        sanitize::one_line(&line).into_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn a_row_line_is_the_whole_line_escaped(
            mode in "(practice|prep|drill|[a-z\u{1b}\u{7f}\u{9b}\n\t é]{0,8})",
            protocol in "[a-z\u{1b}\u{202e}\n\t é停]{0,12}",
            title in "[A-Za-z \u{1b}\u{7}\u{200b}\n\r\t é🌿]{0,16}",
            secs in -5_000_000_000i64..5_000_000_000,
            quarters in -48i32..=56,
            statuses in prop::collection::vec(0u8..4, 0..6),
            finished in any::<bool>(),
            complete in any::<bool>(),
        ) {
            let offset = chrono::FixedOffset::east_opt(quarters * 900).unwrap();
            let at = chrono::DateTime::from_timestamp(secs, 0).unwrap().with_timezone(&offset);
            let status = [
                journal::StepStatus::Done,
                journal::StepStatus::Skipped,
                journal::StepStatus::FollowUp,
                journal::StepStatus::NotReached,
            ];
            let session = Session {
                id: "20240101-090000-abcd".into(),
                mode: journal::SessionMode::from_word(&mode),
                protocol,
                protocol_title: title,
                drill: None,
                started_at: at,
                finished_at: finished.then_some(at),
                complete,
                steps: statuses
                    .iter()
                    .map(|&s| journal::StepRecord {
                        id: "s".into(),
                        title: "S".into(),
                        status: status[usize::from(s)].clone(),
                        notes: String::new(),
                        pause_seconds: None,
                        newer: Default::default(),
                    })
                    .collect(),
                extra: Default::default(),
            };
            let row = journal::Row::of(&session);
            let mut line = String::from("kept ");
            push_row_line(&mut line, &row);
            prop_assert_eq!(&line[5..], whole_line_escaped(&row));
            prop_assert_eq!(list_line(&session), whole_line_escaped(&row));
        }
    }
}
