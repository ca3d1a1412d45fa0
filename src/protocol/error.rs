//! What went wrong in a protocol file, and where.
//!
//! A clinician who writes or edits a protocol file should be able to fix every
//! mistake in one pass, so the loader collects all of them as [`Problem`]s,
//! each pointing at a line and column, and returns them together in a
//! [`ProtocolError`].

pub use crate::diagnostics::Problem;
use crate::diagnostics::headline;

/// Every problem found in a protocol file, in file order. Never empty.
///
/// Its `Display` shows the first problem and how many more there are, for
/// one-line contexts; print each of [`ProtocolError::problems`] for the full
/// list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", headline(.problems, "the protocol could not be loaded"))]
pub struct ProtocolError {
    pub problems: Vec<Problem>,
    /// Set when there was nothing to read at all (rather than a file with
    /// mistakes), so a caller can decide on that without reading the
    /// message.
    pub not_found: Option<NotFound>,
}

/// What could not be found when a protocol was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotFound {
    /// No protocol has that name (built in, or in the data directory).
    Name,
    /// No file is at that path.
    File,
}

impl ProtocolError {
    /// The first problem: the one to show when there is room for only one.
    /// `None` only if the error was built by hand with no problems.
    pub fn first(&self) -> Option<&Problem> {
        self.problems.first()
    }

    /// Every problem found in a file (a file that was there to read).
    pub fn of(problems: Vec<Problem>) -> Self {
        ProtocolError {
            problems,
            not_found: None,
        }
    }

    /// Nothing was found to read: `problem` says what, in words.
    pub fn not_found(problem: Problem, what: NotFound) -> Self {
        ProtocolError {
            problems: vec![problem],
            not_found: Some(what),
        }
    }
}

impl From<Problem> for ProtocolError {
    fn from(problem: Problem) -> Self {
        ProtocolError::of(vec![problem])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(line: usize, message: &str) -> Problem {
        Problem::new("p.toml", line, 3, message)
    }

    #[test]
    fn protocol_error_shows_first_problem_and_count() {
        let one = ProtocolError::from(problem(1, "first"));
        assert_eq!(one.to_string(), "p.toml:1:3: first");
        let two = ProtocolError::of(vec![problem(1, "first"), problem(2, "second")]);
        assert_eq!(two.to_string(), "p.toml:1:3: first (and 1 more problem)");
        let three = ProtocolError::of(vec![problem(1, "a"), problem(2, "b"), problem(3, "c")]);
        assert_eq!(three.to_string(), "p.toml:1:3: a (and 2 more problems)");
        assert_eq!(three.first(), Some(&problem(1, "a")));
    }
}
