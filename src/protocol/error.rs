//! What went wrong in a protocol file, and where.
//!
//! A clinician who writes or edits a protocol file should be able to fix every
//! mistake in one pass, so the loader collects all of them as [`Problem`]s,
//! each pointing at a line and column, and returns them together in a
//! [`ProtocolError`].

use std::fmt;

use crate::sanitize::one_line;

/// One mistake in a protocol file, at a place in it.
///
/// Shown as `PATH:LINE:COL: message`, the form editors and terminals
/// recognise, so the place can be opened directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as it was named (or a stand-in such as a protocol's name).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes), so it matches what
    /// an editor shows for lines with accents or other scripts.
    pub column: usize,
    /// Plain English: what is wrong and what to do about it.
    pub message: String,
}

impl Problem {
    /// A problem at a place. The path and message go through
    /// [`one_line`], so text copied from a file can never carry a raw control
    /// character to the terminal, whoever prints the fields.
    pub fn new(path: &str, line: usize, column: usize, message: &str) -> Self {
        Problem {
            path: one_line(path).into_owned(),
            line,
            column,
            message: one_line(message).into_owned(),
        }
    }

    /// A problem with the file as a whole (it cannot be read, it is too
    /// large, ...), placed at its start.
    pub fn whole_file(path: &str, message: &str) -> Self {
        Problem::new(path, 1, 1, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Escaped again here because the fields are public and could have
        // been built without `Problem::new`; escaping twice changes nothing.
        write!(
            f,
            "{}:{}:{}: {}",
            one_line(&self.path),
            self.line,
            self.column,
            one_line(&self.message)
        )
    }
}

impl std::error::Error for Problem {}

/// Every problem found in a protocol file, in file order. Never empty.
///
/// Its `Display` shows the first problem and how many more there are, for
/// one-line contexts; print each of [`ProtocolError::problems`] for the full
/// list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", headline(.problems))]
pub struct ProtocolError {
    pub problems: Vec<Problem>,
}

impl ProtocolError {
    /// The first problem: the one to show when there is room for only one.
    /// `None` only if the error was built by hand with no problems.
    pub fn first(&self) -> Option<&Problem> {
        self.problems.first()
    }
}

impl From<Problem> for ProtocolError {
    fn from(problem: Problem) -> Self {
        ProtocolError {
            problems: vec![problem],
        }
    }
}

/// The first problem, and a count of the rest.
fn headline(problems: &[Problem]) -> String {
    match problems {
        [] => "the protocol could not be loaded".to_string(),
        [only] => only.to_string(),
        [first, rest @ ..] => {
            let noun = if rest.len() == 1 {
                "problem"
            } else {
                "problems"
            };
            format!("{first} (and {} more {noun})", rest.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(line: usize, message: &str) -> Problem {
        Problem::new("p.toml", line, 3, message)
    }

    #[test]
    fn problem_displays_as_path_line_column_message() {
        assert_eq!(problem(4, "oops").to_string(), "p.toml:4:3: oops");
    }

    #[test]
    fn problem_escapes_control_characters_in_path_and_message() {
        let p = Problem::new("a\x1b.toml", 1, 1, "bad \x07 thing\nsecond line");
        let shown = p.to_string();
        assert_eq!(shown, "a\\x1b.toml:1:1: bad \\x07 thing\\nsecond line");
        // Even when the fields are set directly.
        let raw = Problem {
            path: "x".into(),
            line: 1,
            column: 1,
            message: "\x1b[2J".into(),
        };
        assert!(!raw.to_string().contains('\x1b'));
    }

    #[test]
    fn protocol_error_shows_first_problem_and_count() {
        let one = ProtocolError::from(problem(1, "first"));
        assert_eq!(one.to_string(), "p.toml:1:3: first");
        let two = ProtocolError {
            problems: vec![problem(1, "first"), problem(2, "second")],
        };
        assert_eq!(two.to_string(), "p.toml:1:3: first (and 1 more problem)");
        let three = ProtocolError {
            problems: vec![problem(1, "a"), problem(2, "b"), problem(3, "c")],
        };
        assert_eq!(three.to_string(), "p.toml:1:3: a (and 2 more problems)");
        assert_eq!(three.first(), Some(&problem(1, "a")));
    }
}
