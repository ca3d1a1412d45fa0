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
