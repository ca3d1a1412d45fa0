//! Why a session file cannot be read: a few words that never quote the
//! file, for the list's unreadable lines and [`super::StoreError::Corrupt`].

/// Why a session file is not read, or not read as a session. The words
/// never quote the file's content. (Not `Clone` or `PartialEq`: it holds
/// the system's own error, which is neither.)
#[derive(Debug, thiserror::Error)]
pub enum Unreadable {
    #[error("the file name is not a session id")]
    NotAnId,
    #[error("not a regular file")]
    NotAFile,
    /// A failed open or read, in the system's words when shown.
    #[error("{0}")]
    Io(std::io::Error),
    /// Larger than the most one session may hold (`max_mb`, in MB).
    #[error("it is larger than {max_mb} MB, the most one session may hold")]
    TooLarge { max_mb: u64 },
    #[error("it is encrypted, and the passphrase is needed to read it")]
    NeedsPassphrase,
    #[error("it is encrypted, but not with this data directory's key")]
    OtherKey,
    /// Not JSON, or JSON that is not a session: `what`, and where.
    #[error("{what}, at line {line} column {column}")]
    NotASession {
        what: &'static str,
        line: usize,
        column: usize,
    },
    #[error("the session id inside does not match the file name")]
    IdMismatch,
}

impl Unreadable {
    /// What serde found wrong with a session file, placed, without quoting it.
    pub(super) fn parsing(e: &serde_json::Error) -> Unreadable {
        use serde_json::error::Category;
        let what = match e.classify() {
            Category::Eof => "the file ends early, probably cut off",
            Category::Syntax => "not valid JSON",
            Category::Data => "JSON that is not a session",
            Category::Io => "could not be read",
        };
        Unreadable::NotASession {
            what,
            line: e.line(),
            column: e.column(),
        }
    }
}

impl From<std::io::Error> for Unreadable {
    fn from(e: std::io::Error) -> Self {
        Unreadable::Io(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failed read keeps the system's error (its kind, for whoever
    /// decides on it) and is shown in the system's words.
    #[test]
    fn a_failed_read_keeps_the_systems_error() {
        let error = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let words = error.to_string();
        let reason = Unreadable::from(error);
        assert!(
            matches!(&reason, Unreadable::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied),
            "{reason:?}"
        );
        assert_eq!(reason.to_string(), words);
    }
}
