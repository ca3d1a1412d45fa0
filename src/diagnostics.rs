//! What the hand-written TOML files (protocols and settings) share when they
//! are checked: the [`Problem`] at a line and column, turning byte offsets
//! into those places, quoting file text in messages, naming a value's type,
//! reading a file with a size limit and a UTF-8 check, and sorting out the
//! toml crate's syntax errors.
//!
//! The wording of each loader's messages stays with the loader (a protocol
//! file and a settings file give different advice); what is here is the
//! mechanism, so the two loaders cannot drift apart in how they place,
//! quote or read.
//!
//! Every piece of file text quoted in a message goes through
//! [`crate::sanitize`], so a file cannot smuggle escape sequences to the
//! terminal through an error message.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;
use std::path::Path;
use std::string::FromUtf8Error;

use toml::de::DeValue;

use crate::sanitize::{escape, is_forbidden, one_line};

/// A byte range in the checked text.
pub type Span = Range<usize>;

/// One mistake in a hand-written file, at a place in it.
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

/// The first of a file's problems and a count of the rest, for one-line
/// contexts; `none` if there are no problems (an error built by hand).
pub fn headline(problems: &[Problem], none: &str) -> String {
    match problems {
        [] => none.to_string(),
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

/// The 1-based line and character column of one byte offset (columns start
/// after a byte-order mark). For many offsets, [`locate`] makes one pass.
pub fn place(text: &str, offset: usize) -> (usize, usize) {
    Cursor::new(text).advance_to(offset)
}

/// Gives messages at byte offsets their lines and columns, in one pass over
/// the text. The offsets must come in file order.
pub fn locate(
    text: &str,
    origin: &str,
    sorted: impl IntoIterator<Item = (usize, String)>,
) -> Vec<Problem> {
    let mut cursor = Cursor::new(text);
    sorted
        .into_iter()
        .map(|(offset, message)| {
            let (line, column) = cursor.advance_to(offset);
            Problem::new(origin, line, column, &message)
        })
        .collect()
}

/// Walks forward through text, counting lines and characters, so that many
/// byte offsets can be turned into lines and columns in one pass.
struct Cursor<'t> {
    text: &'t str,
    at: usize,
    line: usize,
    column: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        // Editors do not show a byte-order mark, so columns start after it.
        let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Cursor {
            text,
            at,
            line: 1,
            column: 1,
        }
    }

    /// The 1-based line and character column of a byte offset at or after
    /// the last one asked for (earlier offsets give the last position).
    fn advance_to(&mut self, offset: usize) -> (usize, usize) {
        let mut target = offset.min(self.text.len()).max(self.at);
        while !self.text.is_char_boundary(target) {
            target -= 1;
        }
        if let Some(passed) = self.text.get(self.at..target) {
            for c in passed.chars() {
                if c == '\n' {
                    self.line += 1;
                    self.column = 1;
                } else {
                    self.column += 1;
                }
            }
            self.at = target;
        }
        (self.line, self.column)
    }
}

/// Quoted file text is cut to this many characters, so a runaway value does
/// not flood the terminal.
const ECHO_CHARS: usize = 40;

/// File text quoted for a message: cut short and escaped.
pub fn echo(text: &str) -> String {
    let mut shown: String = text.chars().take(ECHO_CHARS).collect();
    if text.chars().nth(ECHO_CHARS).is_some() {
        shown.push_str("...");
    }
    format!("\"{}\"", one_line(&shown))
}

/// A control character as it is shown in messages, e.g. `\x1b`.
pub fn escape_char(c: char) -> String {
    let mut buffer = [0; 4];
    escape(c.encode_utf8(&mut buffer)).into_owned()
}

/// A value's type in plain words; `string` is how a string is called (the
/// protocol format says "a string", the settings "text in quotes").
pub fn describe(value: &DeValue<'_>, string: &'static str) -> &'static str {
    match value {
        DeValue::String(_) => string,
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// Why a file could not be read as text. Each loader words these its own
/// way.
#[derive(Debug)]
pub enum Unreadable {
    /// It could not be looked at or read (missing, no permission, ...).
    Io(io::Error),
    /// It is a folder.
    Folder,
    /// It is something else that is not a regular file (a device, a pipe).
    NotRegular,
    /// It is over the limit: its size when known before reading, `None`
    /// when it grew past the limit while being read.
    TooLarge(Option<u64>),
    /// It is not UTF-8.
    NotUtf8(FromUtf8Error),
}

/// Reads a regular file of at most `max_bytes` as UTF-8 text, refusing
/// folders, devices, larger files and anything not UTF-8 (without reading
/// more than one byte past the limit).
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, Unreadable> {
    let metadata = std::fs::metadata(path).map_err(Unreadable::Io)?;
    if metadata.is_dir() {
        return Err(Unreadable::Folder);
    }
    if !metadata.is_file() {
        return Err(Unreadable::NotRegular);
    }
    if metadata.len() > max_bytes {
        return Err(Unreadable::TooLarge(Some(metadata.len())));
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| {
            // One byte over the limit is enough to know the file grew past it
            // since the size was checked.
            file.take(max_bytes + 1).read_to_end(&mut bytes)
        })
        .map_err(Unreadable::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(Unreadable::TooLarge(None));
    }
    String::from_utf8(bytes).map_err(Unreadable::NotUtf8)
}

/// Where the first byte that is not UTF-8 is, as a line and column, and the
/// byte itself.
pub fn first_bad_byte(error: &FromUtf8Error) -> ((usize, usize), Option<u8>) {
    let bytes = error.as_bytes();
    let good = error.utf8_error().valid_up_to();
    // The prefix is valid by definition; the fallback only avoids a panic.
    let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
    (place(prefix, prefix.len()), bytes.get(good).copied())
}

/// One of the toml crate's syntax errors, sorted out for a message.
#[derive(Debug)]
pub struct Syntax<'e> {
    /// Where the error is.
    pub span: Span,
    /// The file text the error points at (may be empty).
    pub found: String,
    /// A raw control character the error is about, if any (a CRLF line
    /// ending does not count).
    pub control: Option<char>,
    /// Whether it is a key given twice.
    pub duplicate: bool,
    /// The toml crate's own words.
    pub message: &'e str,
}

impl<'e> Syntax<'e> {
    /// Sorts out one syntax error found in `text`.
    pub fn of(text: &str, error: &'e toml::de::Error) -> Self {
        let span = error.span().unwrap_or(0..0);
        let found = text.get(span.clone()).unwrap_or("");
        let control = if found.is_empty() {
            control_at(text, span.start)
        } else {
            found.replace("\r\n", "").chars().find(|&c| is_forbidden(c))
        };
        Syntax {
            duplicate: error.message().starts_with("duplicate key") && !found.is_empty(),
            found: found.to_string(),
            span,
            control,
            message: error.message(),
        }
    }

    /// The message for a key given twice.
    pub fn twice(&self) -> String {
        format!("{} is given twice; keep only one", echo(&self.found))
    }
}

/// The control character at an offset, if there is one: some syntax errors
/// mark a bad character with an empty span just before it.
fn control_at(text: &str, offset: usize) -> Option<char> {
    let rest = text.get(offset..)?;
    if rest.starts_with("\r\n") {
        return None;
    }
    rest.chars().next().filter(|&c| is_forbidden(c))
}

/// What the loaders' tests check problems with.
#[cfg(test)]
pub(crate) mod testing {
    use super::Problem;

    /// Every problem as (line, column, message), for tests to compare.
    pub(crate) fn places(problems: Vec<Problem>) -> Vec<(usize, usize, String)> {
        problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    /// Asserts that a problem is at this line and column and says `phrase`.
    #[track_caller]
    pub(crate) fn assert_problem(
        found: &(usize, usize, String),
        line: usize,
        column: usize,
        phrase: &str,
    ) {
        assert_eq!(
            (found.0, found.1),
            (line, column),
            "wrong place for {:?}",
            found.2
        );
        assert!(
            found.2.contains(phrase),
            "{:?} does not contain {phrase:?}",
            found.2
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_displays_as_path_line_column_message() {
        let p = Problem::new("p.toml", 4, 3, "oops");
        assert_eq!(p.to_string(), "p.toml:4:3: oops");
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
    fn places_count_characters_and_skip_a_byte_order_mark() {
        assert_eq!(place("ab\ncd", 4), (2, 2));
        assert_eq!(place("é\nxé", 6), (2, 3));
        assert_eq!(place("\u{feff}ab", 4), (1, 2));
        let found = locate("a\nb\nc", "f", [(2, "x".into()), (4, "y".into())]);
        assert_eq!(found[0].to_string(), "f:2:1: x");
        assert_eq!(found[1].to_string(), "f:3:1: y");
    }

    #[test]
    fn echo_cuts_long_text_and_escapes_it() {
        assert_eq!(echo("a\x1bb"), "\"a\\x1bb\"");
        let long = "x".repeat(50);
        assert_eq!(echo(&long), format!("\"{}...\"", "x".repeat(40)));
    }
}
