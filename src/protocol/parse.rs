//! Reading a protocol file and checking it against the format.
//!
//! Protocol files are written by hand, often by people who have never seen
//! TOML before, so the loader reports every mistake it can find in one pass,
//! each with its line and column and a plain-English remedy, instead of
//! stopping at the first. It uses the toml crate's recovering, span-keeping
//! parser ([`DeTable::parse_recoverable`]) and walks the resulting tables by
//! hand, so that a wrong key, a wrong type or a bad value can be pointed at
//! precisely.
//!
//! Two formats are read. A file with `format = 2` under `[protocol]` may use
//! the format-2 keys (step criteria and `observable`, the pacer's `on`,
//! `[resolution]`, `[[resource]]`, and the card's scene, direction, lines,
//! markers, examples, pitfalls and tags); a file without it is format 1,
//! read as before, and a format-2 key in it is reported with the remedy.
//! The JSON Schema in `schema/` describes the same format; a test keeps the
//! two in step.
//!
//! Every piece of file text quoted in a message goes through
//! [`crate::sanitize`], so a shared file cannot smuggle escape sequences to
//! the terminal through an error message.

use std::collections::HashMap;
use std::io;
use std::ops::RangeInclusive;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{Problem, ProtocolError};
use super::{
    Breath, Content, Criterion, Example, FORMAT_VERSION, Level, Marker, PAUSE_SECONDS, Pause,
    Pitfall, Protocol, Resource, Scenario, ScenarioKind, Step, Strategy, Tag, Vocabulary,
};
use crate::diagnostics::{
    self, Span, Syntax, Unreadable, echo, escape_char, first_bad_byte, locate,
};
use crate::sanitize::{is_forbidden, one_line};

/// Protocol files are short text; anything bigger was picked by mistake, and
/// refusing it early keeps a wrong path from eating memory.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// More steps than this is not something anyone can practise in one sitting.
pub const MAX_STEPS: usize = 50;

/// A deck bigger than this is more than a group can use; a month's deck is a
/// few dozen cards.
pub const MAX_SCENARIOS: usize = 500;

/// How long each breathing phase may be, in seconds.
const BREATH_SECONDS: RangeInclusive<u32> = 1..=20;

/// At most this many criteria per step: "two to four observable behaviours".
pub const MAX_CRITERIA: usize = 4;
/// At most this many model responses per card: models, not scripts.
pub const MAX_EXAMPLES: usize = 3;
/// At most this many pitfalls per card.
pub const MAX_PITFALLS: usize = 2;
/// At most this many readings and videos.
pub const MAX_RESOURCES: usize = 50;

/// A key a table may hold. `format_2`: only a format-2 file (`format = 2`
/// under `[protocol]`) may use it.
#[derive(Debug, Clone, Copy)]
struct Key {
    name: &'static str,
    format_2: bool,
}

/// A key of every format.
const fn key(name: &'static str) -> Key {
    Key {
        name,
        format_2: false,
    }
}

/// A key only a format-2 file may use.
const fn key_2(name: &'static str) -> Key {
    Key {
        name,
        format_2: true,
    }
}

/// The keys each table may hold, in the order the README lists them (the
/// order they are offered in "expected one of" messages).
const TOP_KEYS: &[Key] = &[
    key("protocol"),
    key("step"),
    key_2("resolution"),
    key_2("resource"),
    key("scenario"),
];
const PROTOCOL_KEYS: &[Key] = &[
    key("format"),
    key("id"),
    key("title"),
    key("summary"),
    key("source"),
    key("focus"),
];
const STEP_KEYS: &[Key] = &[
    key("id"),
    key("title"),
    key("guidance"),
    key("prompts"),
    key("stems"),
    key_2("criteria"),
    key_2("observable"),
    key("follow_up"),
    key("pause"),
];
const PAUSE_KEYS: &[Key] = &[key("seconds"), key("cues"), key("breath")];
const BREATH_KEYS: &[Key] = &[key("inhale"), key("exhale"), key_2("on")];
const SCENARIO_KEYS: &[Key] = &[
    key("id"),
    key("kind"),
    key("level"),
    key_2("scene"),
    key_2("direction"),
    key("client"),
    key_2("escalate"),
    key_2("soften"),
    key_2("markers"),
    key_2("examples"),
    key_2("pitfalls"),
    key_2("tags"),
    key_2("content"),
    key("context"),
];
// The tables only a format-2 file has: their keys come with them.
const RESOLUTION_KEYS: &[Key] = &[key("withdrawal"), key("confrontation")];
const RESOURCE_KEYS: &[Key] = &[key("title"), key("location"), key("note")];
const PITFALL_KEYS: &[Key] = &[key("response"), key("why")];
const CRITERION_KEYS: &[Key] = &[key("id"), key("text")];
const EXAMPLE_KEYS: &[Key] = &[key("says"), key("meets"), key("strategy")];

/// At most this many step ids are suggested when `focus` names none of them.
const SUGGESTED_IDS: usize = 10;

type Value<'i> = Spanned<DeValue<'i>>;

/// Parses and checks protocol text. `origin` is the path shown in problems.
///
/// Returns every problem found, in file order, or the protocol if there are
/// none.
pub fn parse(text: &str, origin: &str) -> Result<Protocol, ProtocolError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Problem::whole_file(origin, &too_big(Some(text.len() as u64))).into());
    }
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    let mut issues: Vec<Issue> = syntax_errors
        .iter()
        .map(|error| syntax_issue(text, error))
        .collect();
    issues.extend(invisible_issues(text));
    let mut checker = Checker {
        text,
        issues,
        counted: (0, 1),
        format: None,
    };
    let protocol = checker.document(root.get_ref());
    if checker.issues.is_empty() {
        // `document` returns a protocol whenever it reported nothing; the
        // fallback only keeps this free of panics.
        return protocol.ok_or_else(|| {
            Problem::whole_file(origin, "the protocol could not be read; check the file").into()
        });
    }
    let problems = locate_issues(text, origin, settle(checker.issues));
    if problems.is_empty() {
        // `settle` always keeps at least one issue; this keeps the error
        // from ever being empty all the same.
        return Err(
            Problem::whole_file(origin, "the protocol could not be read; check the file").into(),
        );
    }
    Err(ProtocolError::of(problems))
}

/// Reads and checks a protocol file.
///
/// The file must be a regular file of at most [`MAX_FILE_BYTES`] in UTF-8;
/// anything else is refused with a problem saying what to do.
pub fn load_file(path: &Path) -> Result<Protocol, ProtocolError> {
    let origin = path.display().to_string();
    let text = read_text(path, &origin)?;
    parse(&text, &origin)
}

/// The file's text, refusing folders, devices, large files and non-UTF-8.
fn read_text(path: &Path, origin: &str) -> Result<String, ProtocolError> {
    let whole = |message: &str| Problem::whole_file(origin, message);
    diagnostics::read_text(path, MAX_FILE_BYTES as u64).map_err(|unreadable| {
        let problem = match unreadable {
            Unreadable::Io(error) if error.kind() == io::ErrorKind::NotFound => {
                return ProtocolError::not_found(whole(&io_message(&error)), super::NotFound::File);
            }
            Unreadable::Io(error) => whole(&io_message(&error)),
            Unreadable::Folder => {
                whole("this is a folder, not a protocol file; give the path of a .toml file")
            }
            Unreadable::NotRegular => {
                whole("this is not a regular file; give the path of a .toml file")
            }
            Unreadable::TooLarge(bytes) => whole(&too_big(bytes)),
            Unreadable::NotUtf8(error) => not_utf8(origin, &error),
        };
        problem.into()
    })
}

/// A reason a file could not be read, and what to do about it.
fn io_message(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "there is no file here; check the path".to_string(),
        io::ErrorKind::PermissionDenied => {
            "you do not have permission to read this file; check its permissions".to_string()
        }
        _ => format!("could not read this file ({error}); check that it exists and can be read"),
    }
}

/// The message for a file over [`MAX_FILE_BYTES`].
fn too_big(bytes: Option<u64>) -> String {
    let size = match bytes {
        Some(bytes) => format!("{bytes} bytes"),
        None => "more than that".to_string(),
    };
    format!(
        "the file is too large for a protocol file (the limit is 1 MiB, and this is {size}); \
         check that this is the right file"
    )
}

/// Points at the first byte that is not UTF-8.
fn not_utf8(origin: &str, error: &std::string::FromUtf8Error) -> Problem {
    let ((line, column), byte) = first_bad_byte(error);
    let byte = byte.map_or(String::new(), |b| format!(" (byte 0x{b:02x})"));
    Problem::new(
        origin,
        line,
        column,
        &format!("the file is not UTF-8 text{byte}; save it as UTF-8 (plain text) in your editor"),
    )
}

/// Whether a character is refused in protocol text for being invisible: the
/// bidirectional embeddings, overrides and isolates, which can make text
/// display in another order than it is stored. Protocol files are shared,
/// so `repair validate` refuses them, as it refuses control characters.
/// Every other invisible character is only a warning ([`hidden_characters`]);
/// the one rule is [`crate::sanitize::class`].
pub(crate) fn is_invisible_format(c: char) -> bool {
    crate::sanitize::class(c) == crate::sanitize::CharClass::BidiControl
}

/// The Unicode name of an invisible formatting character, for messages.
fn invisible_name(c: char) -> &'static str {
    match c {
        '\u{200b}' => "zero width space",
        '\u{200c}' => "zero width non-joiner",
        '\u{200d}' => "zero width joiner",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{00ad}' => "soft hyphen",
        '\u{061c}' => "arabic letter mark",
        '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' => "hangul filler",
        '\u{180e}' => "mongolian vowel separator",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "zero width no-break space (byte order mark)",
        '\u{e0001}' | '\u{e0020}'..='\u{e007f}' => "tag character",
        _ => "invisible formatting character",
    }
}

/// Warnings for a protocol file's text (checked or not): each line that
/// holds a character that shows as nothing, other than the ones refused
/// (see [`crate::sanitize::CharClass::Invisible`]), once per line. A byte
/// order mark at the very start is not counted: editors write one.
pub fn hidden_characters(text: &str, origin: &str) -> Vec<Problem> {
    let mut found: Vec<(usize, char, usize)> = Vec::new();
    let mut line_start = 0;
    for (at, c) in text.char_indices() {
        if c == '\n' {
            line_start = at + 1;
            continue;
        }
        if crate::sanitize::class(c) != crate::sanitize::CharClass::Invisible
            || (at == 0 && c == '\u{feff}')
        {
            continue;
        }
        match found.last_mut() {
            Some((first, _, count)) if *first >= line_start => *count += 1,
            _ => found.push((at, c, 1)),
        }
    }
    let at = found.into_iter().map(|(at, c, count)| {
        let more = match count {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let message = format!(
            "warning: this line contains an invisible character (U+{:04X} {}){more}; \
             it is kept and shown on screen as \\u{{{:x}}}; remove it unless it is meant to be there",
            c as u32,
            invisible_name(c),
            c as u32,
        );
        (at, message)
    });
    locate(text, origin, at)
}

/// [`load_file`], and the file's [`hidden_characters`] warnings.
pub fn load_file_with_warnings(path: &Path) -> Result<(Protocol, Vec<Problem>), ProtocolError> {
    let origin = path.display().to_string();
    let text = read_text(path, &origin)?;
    let protocol = parse(&text, &origin)?;
    Ok((protocol, hidden_characters(&text, &origin)))
}

/// The message for an invisible formatting character; `what` names where it
/// is.
fn invisible_message(what: &str, c: char) -> String {
    format!(
        "{what} contains an invisible formatting character (U+{:04X} {}), which can make \
         text look different from what it says; remove it",
        c as u32,
        invisible_name(c)
    )
}

/// Reports every invisible formatting character written as it is in the file
/// (in text, keys or comments), at its own place.
fn invisible_issues(text: &str) -> Vec<Issue> {
    // Every such character is outside ASCII, so only the characters that
    // are need decoding and a look: most of a file is skipped byte by byte.
    let mut issues = Vec::new();
    let mut from = 0;
    while let Some(skip) = text.as_bytes()[from..].iter().position(|b| !b.is_ascii()) {
        let at = from + skip;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if is_invisible_format(c) {
            issues.push(Issue {
                span: at..at + c.len_utf8(),
                kind: Kind::Check,
                message: invisible_message("this line", c),
            });
        }
        from = at + c.len_utf8();
    }
    issues
}

/// What an issue is, which decides how it overlaps with others (see
/// [`settle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The TOML itself is broken.
    Syntax,
    /// The TOML is broken by a raw control character.
    SyntaxControl,
    /// The TOML is fine but does not fit the format.
    Check,
    /// A string holds a control character.
    CheckControl,
}

/// A problem before its line and column are known.
#[derive(Debug)]
struct Issue {
    span: Span,
    kind: Kind,
    message: String,
}

/// Turns one of the toml crate's syntax errors into an issue, with a message
/// a clinician can act on.
fn syntax_issue(text: &str, error: &toml::de::Error) -> Issue {
    let syntax = Syntax::of(text, error);
    let (kind, message) = if let Some(c) = syntax.control {
        let message = format!(
            "a control character ({}) is not allowed here; remove it",
            escape_char(c)
        );
        (Kind::SyntaxControl, message)
    } else if syntax.duplicate {
        (Kind::Syntax, syntax.twice())
    } else {
        let message = format!(
            "this is not valid TOML: {}; check the quotes, commas and brackets here",
            syntax.message
        );
        (Kind::Syntax, message)
    };
    Issue {
        span: syntax.span,
        kind,
        message,
    }
}

/// Drops issues that repeat another at the same place, then sorts them into
/// file order.
///
/// After a syntax error the parser's best guess at a value is often wrong, so
/// a check touching a syntax error is dropped. A raw control character in a
/// string is reported both as a syntax error and by the string check; the
/// string check names the key, so it is the one kept.
fn settle(mut issues: Vec<Issue>) -> Vec<Issue> {
    let starts = |wanted: &[Kind], issues: &[Issue]| -> Vec<usize> {
        let mut starts: Vec<usize> = issues
            .iter()
            .filter(|issue| wanted.contains(&issue.kind))
            .map(|issue| issue.span.start)
            .collect();
        starts.sort_unstable();
        starts
    };
    let any_syntax = starts(&[Kind::Syntax, Kind::SyntaxControl], &issues);
    let plain_syntax = starts(&[Kind::Syntax], &issues);
    let mut control_checks: Vec<Span> = issues
        .iter()
        .filter(|issue| issue.kind == Kind::CheckControl)
        .map(|issue| issue.span.clone())
        .collect();
    control_checks.sort_by_key(|span| span.start);
    issues.retain(|issue| match issue.kind {
        Kind::Syntax => true,
        Kind::SyntaxControl => !inside_any(&control_checks, issue.span.start),
        Kind::Check => !any_within(&any_syntax, &issue.span),
        Kind::CheckControl => !any_within(&plain_syntax, &issue.span),
    });
    issues.sort_by_key(|issue| issue.span.start);
    issues
}

/// Whether any of the sorted offsets falls within `span` (end included, so
/// an error just after a value, or at an empty span, counts).
fn any_within(sorted: &[usize], span: &Span) -> bool {
    let first = sorted.partition_point(|&at| at < span.start);
    sorted.get(first).is_some_and(|&at| at <= span.end)
}

/// Whether `at` falls inside one of the spans (sorted by start, and not
/// overlapping, as string values never do).
fn inside_any(sorted: &[Span], at: usize) -> bool {
    let after = sorted.partition_point(|span| span.start <= at);
    after > 0 && sorted.get(after - 1).is_some_and(|span| at <= span.end)
}

/// Gives sorted issues their lines and columns, in one pass over the text.
fn locate_issues(text: &str, origin: &str, issues: Vec<Issue>) -> Vec<Problem> {
    let at = issues
        .into_iter()
        .map(|issue| (issue.span.start, issue.message));
    locate(text, origin, at)
}

/// The keys of one table that the format knows, once unknown keys have been
/// reported.
struct Fields<'a, 'i> {
    /// How the table is named in messages, e.g. `[[step]] 2`.
    scope: String,
    /// Where "missing key" problems point: the table header.
    span: Span,
    /// Each known key, where the key is written, and its value.
    known: Vec<(&'static str, Span, &'a Value<'i>)>,
}

impl<'a, 'i> Fields<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.known
            .iter()
            .find(|(name, _, _)| *name == key)
            .map(|(_, _, value)| *value)
    }

    /// Where a key is written, if it is.
    fn key_span(&self, key: &str) -> Option<Span> {
        self.known
            .iter()
            .find(|(name, _, _)| *name == key)
            .map(|(_, span, _)| span.clone())
    }
}

/// The `[protocol]` table, checked; `None` where a value was missing or wrong.
struct Header {
    format: u32,
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    source: Option<String>,
    /// The focus step id and where it is written.
    focus: Option<(String, Span)>,
}

/// Step ids seen so far: where each was first used, and their order.
#[derive(Default)]
struct SeenIds {
    lines: HashMap<String, usize>,
    order: Vec<String>,
}

/// Collects issues while walking the parsed tables.
struct Checker<'t> {
    text: &'t str,
    issues: Vec<Issue>,
    /// The last offset [`Checker::line_of`] counted to, and its line.
    counted: (usize, usize),
    /// The file's format, once `[protocol]` has been read; `None` while it is
    /// unknown (no `[protocol]` yet, or none at all), when keys of every
    /// format are taken without comment.
    format: Option<u32>,
}

impl Checker<'_> {
    fn report(&mut self, span: Span, kind: Kind, message: String) {
        self.issues.push(Issue {
            span,
            kind,
            message,
        });
    }

    fn check(&mut self, span: Span, message: String) {
        self.report(span, Kind::Check, message);
    }

    /// The 1-based line of a byte offset, for messages that refer to another
    /// place in the file. Step ids are met in file order, so counting
    /// carries on from the last offset asked for; that keeps a file with
    /// thousands of steps from being rescanned for each.
    fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let (from, line) = if offset >= self.counted.0 {
            self.counted
        } else {
            (0, 1)
        };
        let newlines = self.text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.counted = (offset, line + newlines);
        line + newlines
    }

    /// Checks the whole document and builds the protocol. Returns `None`
    /// only after reporting why.
    fn document(&mut self, root: &DeTable<'_>) -> Option<Protocol> {
        // [protocol] first: its `format` decides which keys the rest may use.
        let header = match root.get("protocol") {
            Some(value) => self.header(value),
            None => {
                self.check(
                    0..0,
                    "there is no [protocol] table; add one at the top of the file, \
                     with an id and a title"
                        .to_string(),
                );
                None
            }
        };
        let top = self.fields(root, 0..0, TOP_KEYS, String::new());
        let no_steps_at = top.get("protocol").map_or(0..0, |value| value.span());
        let mut seen = SeenIds::default();
        let steps = self.steps(top.get("step"), no_steps_at, &mut seen);
        let resolution = match top.get("resolution") {
            Some(value) => self.resolution(value),
            None => Vec::new(),
        };
        let resources = self.resources(top.get("resource"));
        let criterion_ids: Vec<String> = steps
            .iter()
            .flat_map(|step| step.criteria.iter().map(|c| c.full_id(&step.id)))
            .collect();
        let scenarios = self.scenarios(top.get("scenario"), &criterion_ids);
        let header = header?;
        if let Some((focus, span)) = &header.focus {
            self.focus_names_a_step(focus, span.clone(), &seen);
        }
        Some(Protocol {
            format: header.format,
            id: header.id?,
            title: header.title?,
            summary: header.summary,
            source: header.source,
            focus: header.focus.map(|(focus, _)| focus),
            steps,
            scenarios,
            resolution,
            resources,
        })
    }

    /// The keys of a table that the file's format has, to offer in
    /// messages.
    fn offered(&self, allowed: &[Key]) -> Vec<&'static str> {
        allowed
            .iter()
            .filter(|key| match self.format {
                Some(1) => !key.format_2,
                Some(_) => key.name != "context",
                None => true,
            })
            .map(|key| key.name)
            .collect()
    }

    /// Reports a format-2 key in a format-1 file. (A format-2 file still
    /// reads format 1's `context`, as the scene.) `written` is the key as
    /// written.
    fn fits_format(&mut self, key: Key, written: &str, span: Span) {
        if self.format == Some(1) && key.format_2 {
            self.check(
                span,
                format!(
                    "{} is a format 2 key, and this file is format 1; \
                     add format = 2 under [protocol] to use it",
                    echo(written)
                ),
            );
        }
    }

    /// Reports keys not in `allowed`, and returns the known ones.
    fn fields<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        span: Span,
        allowed: &[Key],
        scope: String,
    ) -> Fields<'a, 'i> {
        let mut known = Vec::new();
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            match allowed.iter().find(|allowed| allowed.name == name) {
                Some(&allowed) => {
                    self.fits_format(allowed, name, key.span());
                    known.push((allowed.name, key.span(), value));
                }
                None => {
                    let place = if scope.is_empty() {
                        "at the top level of the file".to_string()
                    } else {
                        format!("in {scope}")
                    };
                    self.check(
                        key.span(),
                        format!(
                            "unknown key {} {place}; expected one of: {}",
                            echo(name),
                            self.offered(allowed).join(", ")
                        ),
                    );
                }
            }
        }
        Fields { scope, span, known }
    }

    /// The `[protocol]` table.
    fn header(&mut self, value: &Value<'_>) -> Option<Header> {
        let table = self.table(value, "\"protocol\"", "a table, written [protocol]")?;
        let fields = self.fields(table, value.span(), PROTOCOL_KEYS, "[protocol]".to_string());
        let format = match fields.get("format") {
            Some(_) => self.number(&fields, "format", 1..=FORMAT_VERSION),
            None => Some(1),
        };
        // An unreadable format leaves the keys of every format allowed, so
        // one mistake does not bring a problem on every line.
        self.format = format;
        let focus = self.id(&fields, "focus", false);
        Some(Header {
            format: format.unwrap_or(FORMAT_VERSION),
            id: self.id(&fields, "id", true),
            title: self.text(&fields, "title", true),
            summary: self.text(&fields, "summary", false),
            source: self.text(&fields, "source", false),
            focus: focus.zip(fields.get("focus").map(|value| value.span())),
        })
    }

    /// The `[[step]]` tables: at least one, at most [`MAX_STEPS`], each checked.
    fn steps(
        &mut self,
        value: Option<&Value<'_>>,
        no_steps_at: Span,
        seen: &mut SeenIds,
    ) -> Vec<Step> {
        let Some(value) = value else {
            self.no_steps(no_steps_at);
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            let mut message = format!(
                "\"step\" must be a list of steps, each starting with [[step]] (two brackets), \
                 found {}",
                describe(value.get_ref())
            );
            if matches!(value.get_ref(), DeValue::Table(_)) {
                message.push_str("; a [step.pause] table must come after its [[step]]");
            }
            self.check(value.span(), message);
            return Vec::new();
        };
        if items.is_empty() {
            self.no_steps(value.span());
        }
        if let Some(extra) = items.get(MAX_STEPS) {
            self.check(
                extra.span(),
                format!(
                    "too many steps: a protocol may have at most {MAX_STEPS}, and this file has {}; \
                     move some into another protocol file",
                    items.len()
                ),
            );
        }
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| self.step(item, index + 1, seen))
            .collect()
    }

    fn no_steps(&mut self, span: Span) {
        self.check(
            span,
            "the protocol has no steps; add at least one [[step]] table with an id, \
             a title and guidance"
                .to_string(),
        );
    }

    /// One `[[step]]` table; `number` counts from 1.
    fn step(&mut self, value: &Value<'_>, number: usize, seen: &mut SeenIds) -> Option<Step> {
        let fields = self.array_table(value, "step", number, STEP_KEYS)?;
        let id = self.id(&fields, "id", true);
        if let (Some(id), Some(id_value)) = (&id, fields.get("id")) {
            self.unique(id, id_value.span(), seen);
        }
        let title = self.text(&fields, "title", true);
        let guidance = self.text(&fields, "guidance", true);
        let prompts = self.text_list(&fields, "prompts");
        let stems = self.text_list(&fields, "stems");
        let criteria = self.criteria(&fields);
        let observable = self.flag_or(&fields, "observable", true);
        let follow_up = self.flag(&fields, "follow_up");
        let pause = match fields.get("pause") {
            Some(pause) => Some(self.pause(pause, number)?),
            None => None,
        };
        Some(Step {
            id: id?,
            title: title?,
            guidance: guidance?,
            prompts,
            stems,
            follow_up,
            pause,
            criteria,
            observable,
        })
    }

    /// The `[[scenario]]` cards: optional, at most [`MAX_SCENARIOS`], each
    /// checked like a step.
    fn scenarios(&mut self, value: Option<&Value<'_>>, criteria: &[String]) -> Vec<Scenario> {
        let Some(value) = value else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            let message = format!(
                "\"scenario\" must be a list of cards, each starting with [[scenario]] \
                 (two brackets), found {}",
                describe(value.get_ref())
            );
            self.check(value.span(), message);
            return Vec::new();
        };
        if let Some(extra) = items.get(MAX_SCENARIOS) {
            self.check(
                extra.span(),
                format!(
                    "too many scenario cards: a protocol may have at most {MAX_SCENARIOS}, \
                     and this file has {}; move some into another protocol file",
                    items.len()
                ),
            );
        }
        let mut seen = SeenIds::default();
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| self.scenario(item, index + 1, &mut seen, criteria))
            .collect()
    }

    /// One `[[scenario]]` card; `number` counts from 1.
    fn scenario(
        &mut self,
        value: &Value<'_>,
        number: usize,
        seen: &mut SeenIds,
        criteria: &[String],
    ) -> Option<Scenario> {
        let fields = self.array_table(value, "scenario", number, SCENARIO_KEYS)?;
        let id = self.id(&fields, "id", true);
        if let (Some(id), Some(id_value)) = (&id, fields.get("id")) {
            self.unique_in(id, id_value.span(), seen, "scenario id", "card");
        }
        let kind = self.word(
            &fields,
            "kind",
            ScenarioKind::from_word,
            &["withdrawal", "confrontation"],
        );
        let level = self.word(
            &fields,
            "level",
            Level::card_from_word,
            &["beginner", "intermediate", "advanced"],
        );
        // Format 1 calls the scene `context`; format 2 still reads it.
        let scene = match (fields.get("scene"), fields.key_span("context")) {
            (Some(_), Some(context)) => {
                self.check(
                    context,
                    "this card has both \"scene\" and \"context\" (the format 1 name for \
                     the scene); keep only scene"
                        .to_string(),
                );
                self.text(&fields, "scene", false)
            }
            (Some(_), None) => self.text(&fields, "scene", false),
            (None, _) => self.text(&fields, "context", false),
        };
        let direction = self.text(&fields, "direction", false);
        let client = self.text(&fields, "client", true);
        let escalate = self.text(&fields, "escalate", false);
        let soften = self.text(&fields, "soften", false);
        let markers: Vec<Marker> = self.words(&fields, "markers", "marker");
        if let (Some(kind), Some(value)) = (kind, fields.get("markers"))
            && !markers.is_empty()
            && !markers.iter().any(|m| m.kind() == kind)
        {
            self.check(
                value.span(),
                format!(
                    "none of the markers is a {kind} marker, but the card's kind is {kind}; \
                     add one, or change the kind",
                    kind = kind.as_str()
                ),
            );
        }
        let examples = self.examples(&fields, criteria);
        let pitfalls = self.pitfalls(&fields);
        let tags: Vec<Tag> = self.words(&fields, "tags", "tag");
        let content: Vec<Content> = self.words(&fields, "content", "content word");
        Some(Scenario {
            id: id?,
            kind: kind?,
            level: level?,
            client: client?,
            scene,
            direction,
            escalate,
            soften,
            markers,
            examples,
            pitfalls,
            tags,
            content,
        })
    }

    /// A step's criteria: each plain text, or a table `{ id = "guess", text =
    /// "..." }`. Plain text takes its place in the list as its id, so a file
    /// written before criteria had ids still gives each one.
    fn criteria(&mut self, fields: &Fields<'_, '_>) -> Vec<Criterion> {
        let Some(value) = fields.get("criteria") else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                value.span(),
                "\"criteria\"",
                "a list of strings or tables, like [{ id = \"guess\", text = \"...\" }]",
                value.get_ref(),
            );
            return Vec::new();
        };
        self.at_most(items, "criteria", MAX_CRITERIA, "criteria");
        let mut criteria: Vec<Criterion> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let what = format!("item {} of \"criteria\"", index + 1);
            let (id, id_span, text) = match item.get_ref() {
                DeValue::Table(table) => {
                    let fields = self.fields(table, item.span(), CRITERION_KEYS, what.clone());
                    let id = self.id(&fields, "id", true);
                    let id_span = fields.get("id").map_or(item.span(), |v| v.span());
                    (id, id_span, self.text(&fields, "text", true))
                }
                _ => (
                    Some((index + 1).to_string()),
                    item.span(),
                    self.text_value(item, &what, true),
                ),
            };
            let (Some(id), Some(text)) = (id, text) else {
                continue;
            };
            if criteria.iter().any(|c| c.id == id) {
                self.check(
                    id_span,
                    format!(
                        "{what} repeats the criterion id {}; give each criterion its own id",
                        echo(&id)
                    ),
                );
                continue;
            }
            criteria.push(Criterion { id, text });
        }
        criteria
    }

    /// A card's model responses: each plain text, or a table `{ says =
    /// "...", meets = ["reflect.guess"], strategy = "own-part" }` whose
    /// criteria must be the protocol's (`criteria`: their full ids).
    fn examples(&mut self, fields: &Fields<'_, '_>, criteria: &[String]) -> Vec<Example> {
        let Some(value) = fields.get("examples") else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                value.span(),
                "\"examples\"",
                "a list of strings or tables, like [{ says = \"...\", meets = [\"...\"] }]",
                value.get_ref(),
            );
            return Vec::new();
        };
        self.at_most(items, "examples", MAX_EXAMPLES, "model responses");
        let mut examples = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let what = format!("item {} of \"examples\"", index + 1);
            let DeValue::Table(table) = item.get_ref() else {
                if let Some(says) = self.text_value(item, &what, true) {
                    examples.push(Example::plain(says));
                }
                continue;
            };
            let fields = self.fields(table, item.span(), EXAMPLE_KEYS, what);
            let says = self.text(&fields, "says", true);
            let mut meets: Vec<String> = Vec::new();
            for (what, span, id) in self.text_items(&fields, "meets") {
                if meets.contains(&id) {
                    self.check(
                        span,
                        format!("{what} repeats the criterion {}; keep only one", echo(&id)),
                    );
                } else if criteria.contains(&id) {
                    meets.push(id);
                } else {
                    let mut message =
                        format!("{what} names no criterion of this protocol: {}", echo(&id));
                    match nearest_text(&id, criteria) {
                        Some(near) => message.push_str(&format!("; did you mean \"{near}\"?")),
                        None if criteria.is_empty() => message.push_str(
                            "; give the steps criteria with ids first, like \
                             { id = \"guess\", text = \"...\" }",
                        ),
                        None => message.push_str(&format!(
                            "; a criterion is named step.id, one of: {}",
                            criteria.join(", ")
                        )),
                    }
                    self.check(span, message);
                }
            }
            let strategy = match fields.get("strategy") {
                Some(_) => {
                    let words: Vec<&str> = Strategy::ALL.iter().map(|s| s.as_str()).collect();
                    self.word(&fields, "strategy", Strategy::from_word, &words)
                }
                None => None,
            };
            if let Some(says) = says {
                examples.push(Example {
                    says,
                    meets,
                    strategy,
                });
            }
        }
        examples
    }

    /// A card's pitfalls: a list of `{ response = "...", why = "..." }`.
    fn pitfalls(&mut self, fields: &Fields<'_, '_>) -> Vec<Pitfall> {
        let Some(value) = fields.get("pitfalls") else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                value.span(),
                "\"pitfalls\"",
                "a list of tables, like [{ response = \"...\", why = \"...\" }]",
                value.get_ref(),
            );
            return Vec::new();
        };
        self.at_most(items, "pitfalls", MAX_PITFALLS, "pitfalls");
        let mut pitfalls = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let what = format!("item {} of \"pitfalls\"", index + 1);
            let Some(table) = self.table(
                item,
                &what,
                "a table, like { response = \"...\", why = \"...\" }",
            ) else {
                continue;
            };
            let fields = self.fields(table, item.span(), PITFALL_KEYS, what);
            let response = self.text(&fields, "response", true);
            let why = self.text(&fields, "why", true);
            if let (Some(response), Some(why)) = (response, why) {
                pitfalls.push(Pitfall { response, why });
            }
        }
        pitfalls
    }

    /// The `[resolution]` table: how each kind of rupture tends to resolve.
    fn resolution(&mut self, value: &Value<'_>) -> Vec<(ScenarioKind, String)> {
        let Some(table) = self.table(value, "\"resolution\"", "a table, written [resolution]")
        else {
            return Vec::new();
        };
        let fields = self.fields(
            table,
            value.span(),
            RESOLUTION_KEYS,
            "[resolution]".to_string(),
        );
        ScenarioKind::ALL
            .into_iter()
            .filter_map(|kind| Some((kind, self.text(&fields, kind.as_str(), false)?)))
            .collect()
    }

    /// The `[[resource]]` tables: readings and videos, each with a title and
    /// where to find it.
    fn resources(&mut self, value: Option<&Value<'_>>) -> Vec<Resource> {
        let Some(value) = value else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            let message = format!(
                "\"resource\" must be a list, each starting with [[resource]] (two brackets), \
                 found {}",
                describe(value.get_ref())
            );
            self.check(value.span(), message);
            return Vec::new();
        };
        self.at_most(items, "resource", MAX_RESOURCES, "resources");
        let mut resources = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let Some(fields) = self.array_table(item, "resource", index + 1, RESOURCE_KEYS) else {
                continue;
            };
            let title = self.text(&fields, "title", true);
            let location = self.text(&fields, "location", true);
            let note = self.text(&fields, "note", false);
            if let (Some(title), Some(location)) = (title, location) {
                resources.push(Resource {
                    title,
                    location,
                    note,
                });
            }
        }
        resources
    }

    /// Reports a list longer than `max`, at its first item past the limit.
    fn at_most(&mut self, items: &[Value<'_>], key: &str, max: usize, noun: &str) {
        if let Some(extra) = items.get(max) {
            self.check(
                extra.span(),
                format!(
                    "too many {noun} in \"{key}\": at most {max}, and this list has {}; \
                     keep the ones that matter most",
                    items.len()
                ),
            );
        }
    }

    /// An optional list of words from a fixed vocabulary (`markers`, `tags`):
    /// each known, none twice. An unknown word gets the nearest known one as
    /// a suggestion.
    fn words<T: Vocabulary>(&mut self, fields: &Fields<'_, '_>, key: &str, noun: &str) -> Vec<T> {
        let vocabulary = T::WORDS.iter().map(|v| v.word());
        let mut found = Vec::new();
        for (what, span, word) in self.text_items(fields, key) {
            match T::WORDS.iter().copied().find(|v| v.word() == word) {
                Some(known) if found.contains(&known) => self.check(
                    span,
                    format!("{what} repeats the {noun} {}; keep only one", echo(&word)),
                ),
                Some(known) => found.push(known),
                None => {
                    let mut message = format!("unknown {noun} {}", echo(&word));
                    match nearest(&word, vocabulary.clone()) {
                        Some(near) => message.push_str(&format!("; did you mean \"{near}\"?")),
                        None => {
                            let all: Vec<&str> = vocabulary.clone().collect();
                            message.push_str(&format!("; expected one of: {}", all.join(", ")));
                        }
                    }
                    self.check(span, message);
                }
            }
        }
        found
    }

    /// A required text value that must be one of a few words.
    fn word<T>(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        from_word: fn(&str) -> Option<T>,
        words: &[&str],
    ) -> Option<T> {
        let value = self.present(fields, key, true)?;
        let text = self.text_value(value, &format!("\"{key}\""), false)?;
        let found = from_word(&text);
        if found.is_none() {
            let choices: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
            let choices = match choices.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} or {last}", rest.join(", "))
                }
                _ => choices.join(""),
            };
            self.check(
                value.span(),
                format!("\"{key}\" must be {choices}, found {}", echo(&text)),
            );
        }
        found
    }

    /// Reports a step id used before, pointing back at the first use.
    fn unique(&mut self, id: &str, span: Span, seen: &mut SeenIds) {
        self.unique_in(id, span, seen, "step id", "step");
    }

    /// Reports an id used before among `what`s, pointing back at the first use.
    fn unique_in(&mut self, id: &str, span: Span, seen: &mut SeenIds, what: &str, each: &str) {
        if let Some(first) = seen.lines.get(id) {
            let message = format!(
                "duplicate {what} {} (first used on line {first}); give each {each} its own id",
                echo(id)
            );
            self.check(span, message);
        } else {
            seen.lines.insert(id.to_string(), self.line_of(span.start));
            seen.order.push(id.to_string());
        }
    }

    /// The [step.pause] table of step `number`.
    fn pause(&mut self, value: &Value<'_>, number: usize) -> Option<Pause> {
        let table = self.table(value, "\"pause\"", "a table, written [step.pause]")?;
        let scope = format!("[step.pause] of [[step]] {number}");
        let fields = self.fields(table, value.span(), PAUSE_KEYS, scope);
        let seconds = self.number(&fields, "seconds", PAUSE_SECONDS);
        let cues = self.text_list(&fields, "cues");
        let (pacer, on) = match fields.get("breath") {
            Some(breath) => {
                let (pacer, on) = self.breath(breath, number)?;
                (Some(pacer), on)
            }
            None => (None, true),
        };
        Some(Pause {
            seconds: seconds?,
            cues,
            breath: pacer.filter(|_| on),
            pacer,
        })
    }

    /// The breathing pacer of step `number`, and whether it starts on.
    fn breath(&mut self, value: &Value<'_>, number: usize) -> Option<(Breath, bool)> {
        let table = self.table(
            value,
            "\"breath\"",
            "a table, like { inhale = 4, exhale = 6 }",
        )?;
        let scope = format!("\"breath\" of [[step]] {number}");
        let fields = self.fields(table, value.span(), BREATH_KEYS, scope);
        let inhale = self.number(&fields, "inhale", BREATH_SECONDS);
        let exhale = self.number(&fields, "exhale", BREATH_SECONDS);
        let on = self.flag_or(&fields, "on", true);
        Some((
            Breath {
                inhale: inhale?,
                exhale: exhale?,
            },
            on,
        ))
    }

    /// Reports a focus that names no step.
    fn focus_names_a_step(&mut self, focus: &str, span: Span, seen: &SeenIds) {
        if seen.lines.contains_key(focus) {
            return;
        }
        let mut message = format!("\"focus\" is {}, but no step has that id", echo(focus));
        if !seen.order.is_empty() {
            let mut ids: Vec<String> = seen
                .order
                .iter()
                .take(SUGGESTED_IDS)
                .map(|id| echo(id))
                .collect();
            if seen.order.len() > SUGGESTED_IDS {
                ids.push("...".to_string());
            }
            message.push_str(&format!(
                "; use the id of one of the steps: {}",
                ids.join(", ")
            ));
        } else {
            message.push_str("; use the id of one of the steps");
        }
        self.check(span, message);
    }

    /// The value of a key, reporting it missing if it is required.
    fn present<'a, 'i>(
        &mut self,
        fields: &Fields<'a, 'i>,
        key: &str,
        required: bool,
    ) -> Option<&'a Value<'i>> {
        let value = fields.get(key);
        if value.is_none() && required {
            self.check(
                fields.span.clone(),
                format!(
                    "{} is missing \"{key}\"; add a line such as {}",
                    fields.scope,
                    example(key)
                ),
            );
        }
        value
    }

    /// A text value.
    fn text(&mut self, fields: &Fields<'_, '_>, key: &str, required: bool) -> Option<String> {
        let value = self.present(fields, key, required)?;
        self.text_value(value, &format!("\"{key}\""), !required)
    }

    /// A text value that is also an id.
    fn id(&mut self, fields: &Fields<'_, '_>, key: &str, required: bool) -> Option<String> {
        let value = self.present(fields, key, required)?;
        let id = self.text_value(value, &format!("\"{key}\""), !required)?;
        if is_id(&id) {
            return Some(id);
        }
        let mut message = format!(
            "\"{key}\" may only use lowercase letters (a-z), digits and '-', found {}",
            echo(&id)
        );
        let suggestion = suggest_id(&id);
        if !suggestion.is_empty() {
            message.push_str(&format!("; try {}", echo(&suggestion)));
        }
        self.check(value.span(), message);
        None
    }

    /// An optional list of text values; an empty list is fine.
    fn text_list(&mut self, fields: &Fields<'_, '_>, key: &str) -> Vec<String> {
        self.text_items(fields, key)
            .into_iter()
            .map(|(_, _, text)| text)
            .collect()
    }

    /// The checked strings of an optional list, each with how messages name
    /// it ("item 2 of \"tags\"") and where it is written; an item that is
    /// not good text is reported and left out.
    fn text_items(&mut self, fields: &Fields<'_, '_>, key: &str) -> Vec<(String, Span, String)> {
        let Some(value) = fields.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                value.span(),
                &format!("\"{key}\""),
                "a list of strings, like [\"...\", \"...\"]",
                value.get_ref(),
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let what = format!("item {} of \"{key}\"", index + 1);
                let text = self.text_value(item, &what, true)?;
                Some((what, item.span(), text))
            })
            .collect()
    }

    /// Checks a string: no control characters (other than newline and tab),
    /// and not blank. `what` names it in messages; `removable` says whether
    /// leaving it out is a remedy worth offering.
    fn text_value(&mut self, value: &Value<'_>, what: &str, removable: bool) -> Option<String> {
        let DeValue::String(raw) = value.get_ref() else {
            self.wrong_type(
                value.span(),
                what,
                "a string (text in quotes)",
                value.get_ref(),
            );
            return None;
        };
        // Multi-line strings keep the file's line endings; a CRLF file is as
        // good as any other.
        let text = if raw.contains('\r') {
            raw.replace("\r\n", "\n")
        } else {
            raw.to_string()
        };
        // Printable ASCII, newlines and tabs (most of any protocol's text)
        // can be neither a control nor invisible: one look at each byte
        // instead of two at each character.
        let plain = text
            .bytes()
            .all(|b| matches!(b, b' '..=b'~' | b'\n' | b'\t'));
        if !plain && self.reported_hidden(&text, value, what) {
            return None;
        }
        if text.trim().is_empty() {
            let remedy = if removable {
                "write some text, or remove it"
            } else {
                "write some text"
            };
            self.check(value.span(), format!("{what} is empty; {remedy}"));
            return None;
        }
        Some(text)
    }

    /// Reports the first control character in `text`, else the first
    /// invisible one; whether there was either.
    fn reported_hidden(&mut self, text: &str, value: &Value<'_>, what: &str) -> bool {
        if let Some(c) = text.chars().find(|&c| is_forbidden(c)) {
            let message = format!(
                "{what} contains a control character ({}); remove it",
                escape_char(c)
            );
            self.report(value.span(), Kind::CheckControl, message);
            return true;
        }
        if let Some(c) = text.chars().find(|&c| is_invisible_format(c)) {
            // Written as it is, it was reported where it stands; this is
            // for one written as an escape such as \u202E.
            let written = self.text.get(value.span()).unwrap_or("");
            if !written.contains(c) {
                self.check(value.span(), invisible_message(what, c));
            }
            return true;
        }
        false
    }

    /// An optional true/false value; false when absent.
    fn flag(&mut self, fields: &Fields<'_, '_>, key: &str) -> bool {
        self.flag_or(fields, key, false)
    }

    /// An optional true/false value; `absent` when absent or wrong.
    fn flag_or(&mut self, fields: &Fields<'_, '_>, key: &str, absent: bool) -> bool {
        let Some(value) = fields.get(key) else {
            return absent;
        };
        match value.get_ref() {
            DeValue::Boolean(flag) => *flag,
            other => {
                self.wrong_type(value.span(), &format!("\"{key}\""), "true or false", other);
                absent
            }
        }
    }

    /// A required whole number within `range`.
    fn number(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        range: RangeInclusive<u32>,
    ) -> Option<u32> {
        let value = self.present(fields, key, true)?;
        let DeValue::Integer(integer) = value.get_ref() else {
            self.wrong_type(
                value.span(),
                &format!("\"{key}\""),
                "a whole number",
                value.get_ref(),
            );
            return None;
        };
        let parsed = i128::from_str_radix(integer.as_str(), integer.radix()).ok();
        let fits = parsed
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| range.contains(n));
        if fits.is_none() {
            let found = parsed.map_or_else(
                || one_line(integer.as_str()).into_owned(),
                |n| n.to_string(),
            );
            self.check(
                value.span(),
                format!(
                    "\"{key}\" must be between {} and {}, found {found}",
                    range.start(),
                    range.end()
                ),
            );
        }
        fits
    }

    /// A table value; `what` names it and `expected` describes it in the
    /// message when it is something else.
    /// Item `number` (from 1) of a `[[name]]` list, checked as a table that
    /// may hold `keys`.
    fn array_table<'a, 'i>(
        &mut self,
        value: &'a Value<'i>,
        name: &str,
        number: usize,
        keys: &[Key],
    ) -> Option<Fields<'a, 'i>> {
        let expected = format!("a table, written [[{name}]]");
        let table = self.table(value, &format!("{name} {number}"), &expected)?;
        let scope = format!("[[{name}]] {number}");
        Some(self.fields(table, value.span(), keys, scope))
    }

    fn table<'a, 'i>(
        &mut self,
        value: &'a Value<'i>,
        what: &str,
        expected: &str,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                self.wrong_type(value.span(), what, expected, other);
                None
            }
        }
    }

    fn wrong_type(&mut self, span: Span, what: &str, expected: &str, found: &DeValue<'_>) {
        self.check(
            span,
            format!("{what} must be {expected}, found {}", describe(found)),
        );
    }
}

/// A value's type in plain words.
fn describe(value: &DeValue<'_>) -> &'static str {
    diagnostics::describe(value, "a string")
}

/// A line to copy into the file when a key is missing.
fn example(key: &str) -> String {
    match key {
        "seconds" => "seconds = 60".to_string(),
        "inhale" => "inhale = 4".to_string(),
        "exhale" => "exhale = 6".to_string(),
        "id" => "id = \"my-id\"".to_string(),
        "kind" => "kind = \"withdrawal\"".to_string(),
        "level" => "level = \"beginner\"".to_string(),
        _ => format!("{key} = \"...\""),
    }
}

/// The word of a vocabulary nearest to `word`, if one is near enough to be
/// what was meant: within a third of its length in edits (at least two).
fn nearest(word: &str, vocabulary: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let word = word.trim().to_lowercase().replace(['_', ' '], "-");
    let limit = (word.chars().count() / 3).max(2);
    vocabulary
        .map(|known| (edit_distance(&word, known), known))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

/// The text of `known` nearest to `word`, by the same rule as [`nearest`].
fn nearest_text<'k>(word: &str, known: &'k [String]) -> Option<&'k str> {
    let limit = (word.chars().count() / 3).max(2);
    known
        .iter()
        .map(|k| (edit_distance(word, k), k.as_str()))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// Levenshtein distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Ids are used on the command line and in file names, so they keep to
/// characters that need no quoting anywhere.
pub(crate) fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The nearest valid id to some text: lowercased, with runs of other
/// characters turned into single dashes. May be empty.
fn suggest_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::testing::{assert_problem, places};
    use crate::protocol::{BUILTIN_ORIGIN, BUILTIN_TEXT};

    /// A valid protocol head; steps are added after it (line 4 is blank).
    const HEAD: &str = "[protocol]\nid = \"demo\"\ntitle = \"Demo\"\n\n";

    /// A valid step (4 lines, then a blank line).
    fn step(id: &str) -> String {
        format!("[[step]]\nid = \"{id}\"\ntitle = \"A step\"\nguidance = \"Do it.\"\n\n")
    }

    /// A valid step with nothing after it, so keys can be added to it
    /// (4 lines).
    fn open_step(id: &str) -> String {
        step(id).trim_end().to_string() + "\n"
    }

    /// Every problem, as (line, column, message).
    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        match parse(text, "p.toml") {
            Ok(_) => Vec::new(),
            Err(error) => places(error.problems),
        }
    }

    /// The one problem in the text, asserting there is exactly one.
    fn only(text: &str) -> (usize, usize, String) {
        let mut found = problems(text);
        assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
        found.remove(0)
    }

    /// Every problem in the text, in order: `(line, column, phrase)` each.
    #[track_caller]
    fn assert_problems(text: &str, expected: &[(usize, usize, &str)]) {
        let found = problems(text);
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for (found, &(line, column, phrase)) in found.iter().zip(expected) {
            assert_problem(found, line, column, phrase);
        }
    }

    #[test]
    fn builtin_protocol_parses_with_six_steps_and_focus_scan() {
        let protocol = parse(BUILTIN_TEXT, BUILTIN_ORIGIN).expect("built-in is valid");
        assert_eq!(protocol.id, "rupture-repair");
        assert_eq!(protocol.steps.len(), 6);
        assert_eq!(protocol.focus.as_deref(), Some("scan"));
        let scan = protocol.step("scan").expect("scan step");
        let pause = scan.pause.as_ref().expect("scan has a pause");
        assert!(PAUSE_SECONDS.contains(&pause.seconds));
        // The scan is to feel, not to fix: the pacer is offered, but off.
        assert!(pause.breath.is_none() && pause.pacer.is_some());
        assert!(protocol.steps.iter().any(|s| s.follow_up));
        assert_eq!(crate::protocol::builtin(), protocol);
    }

    #[test]
    fn builtin_protocol_has_every_format_2_part() {
        let protocol = crate::protocol::builtin();
        assert_eq!(protocol.format, FORMAT_VERSION);
        for step in &protocol.steps {
            assert!(
                (2..=MAX_CRITERIA).contains(&step.criteria.len()),
                "{}: {} criteria",
                step.id,
                step.criteria.len()
            );
            // The scan happens inside the therapist; asking later and
            // enjoying cannot happen inside one statement of a role play.
            let unseen = ["scan", "ask-later", "enjoy"].contains(&step.id.as_str());
            assert_eq!(step.observable, !unseen, "{}", step.id);
        }
        for kind in ScenarioKind::ALL {
            assert!(protocol.resolution_for(kind).is_some(), "{kind:?}");
        }
        assert!(protocol.resources.len() >= 5);
        let source = protocol.source.as_deref().unwrap_or_default();
        for cited in [
            "Safran & Muran (2000)",
            "3RS",
            "r = .29",
            "not significantly associated",
            "Dunn, Callahan, Swift & Ivanovic, 2013",
            "Deliberate",
            "not a substitute for supervision",
        ] {
            assert!(source.contains(cited), "the source does not cite {cited:?}");
        }
    }

    #[test]
    fn a_full_file_parses_every_field() {
        let text = r#"
[protocol]
id = "full-1"
title = "Full"
summary = "A summary."
source = "Somewhere."
focus = "b"

[[step]]
id = "a"
title = "First"
guidance = """
Two
lines	with a tab."""
prompts = ["Why?"]
stems = []
follow_up = true

[step.pause]
seconds = 3600
cues = ["Breathe."]
breath = { inhale = 1, exhale = 20 }

[[step]]
id = "b"
title = "Second"
guidance = "Go on."
pause.seconds = 1
"#;
        let protocol = parse(text, "p.toml").expect("valid");
        assert_eq!(protocol.summary.as_deref(), Some("A summary."));
        assert_eq!(protocol.source.as_deref(), Some("Somewhere."));
        assert_eq!(protocol.focus.as_deref(), Some("b"));
        let a = &protocol.steps[0];
        assert_eq!(a.guidance, "Two\nlines\twith a tab.");
        assert_eq!(a.prompts, ["Why?"]);
        assert!(a.stems.is_empty());
        assert!(a.follow_up);
        let pause = a.pause.as_ref().expect("pause");
        assert_eq!(pause.seconds, 3600);
        assert_eq!(pause.cues, ["Breathe."]);
        assert_eq!(
            pause.breath,
            Some(Breath {
                inhale: 1,
                exhale: 20
            })
        );
        let b = &protocol.steps[1];
        assert!(!b.follow_up);
        assert_eq!(b.pause.as_ref().map(|p| p.seconds), Some(1));
        assert_eq!(b.pause.as_ref().and_then(|p| p.breath), None);
    }

    #[test]
    fn syntax_error_points_at_the_mistake() {
        // Line 6 is `title = A step` (unquoted).
        let text = format!("{HEAD}[[step]]\nid = \"a\"\ntitle = A step\nguidance = \"g\"\n");
        let found = only(&text);
        assert_problem(&found, 7, 9, "this is not valid TOML");
        assert!(found.2.contains("check the quotes"), "{found:?}");
    }

    #[test]
    fn unknown_key_names_the_key_the_table_and_the_choices() {
        let text = format!("{HEAD}{}{}colour = \"red\"\n", step("a"), open_step("b"));
        let found = only(&text);
        assert_problem(
            &found,
            14,
            1,
            "unknown key \"colour\" in [[step]] 2; expected one of: id, title, guidance, \
             prompts, stems, follow_up, pause",
        );
    }

    #[test]
    fn unknown_keys_are_found_in_every_table() {
        let text = format!(
            "{HEAD}extra = 1\n{}[step.pause]\nseconds = 5\nlength = 2\nbreath = {{ inhale = 4, exhale = 4, hold = 1 }}\n",
            open_step("a")
        );
        // `extra` sits in [protocol], since it follows that header.
        assert_problems(
            &text,
            &[
                (5, 1, "unknown key \"extra\" in [protocol]"),
                (
                    12,
                    1,
                    "unknown key \"length\" in [step.pause] of [[step]] 1",
                ),
                (13, 36, "unknown key \"hold\" in \"breath\" of [[step]] 1"),
            ],
        );
        let top = only(&format!("title = \"x\"\n{HEAD}{}", step("a")));
        assert_problem(
            &top,
            1,
            1,
            "unknown key \"title\" at the top level of the file",
        );
    }

    /// A valid scenario card (5 lines, then a blank line).
    fn card(id: &str, kind: &str, level: &str) -> String {
        format!(
            "[[scenario]]\nid = \"{id}\"\nkind = \"{kind}\"\nlevel = \"{level}\"\nclient = \"Fine.\"\n\n"
        )
    }

    #[test]
    fn scenario_tables_are_read_as_rehearsal_cards() {
        let text = format!(
            "{HEAD}{}{}[[scenario]]\nid = \"b\"\nkind = \"confrontation\"\nlevel = \"advanced\"\n\
             client = \"This isn't helping.\"\ncontext = \"Third session.\"\n",
            step("a"),
            card("a", "withdrawal", "beginner")
        );
        let protocol = parse(&text, "p.toml").expect("valid");
        assert_eq!(protocol.scenarios.len(), 2);
        let a = &protocol.scenarios[0];
        assert_eq!(
            (
                a.id.as_str(),
                a.kind,
                a.level,
                a.client.as_str(),
                a.scene.as_deref()
            ),
            (
                "a",
                ScenarioKind::Withdrawal,
                Level::Beginner,
                "Fine.",
                None
            )
        );
        let b = &protocol.scenarios[1];
        assert_eq!(
            (b.kind, b.level, b.scene.as_deref()),
            (
                ScenarioKind::Confrontation,
                Level::Advanced,
                Some("Third session.")
            )
        );
        // A protocol without cards is still valid.
        assert!(
            parse(&format!("{HEAD}{}", step("a")), "p.toml")
                .unwrap()
                .scenarios
                .is_empty()
        );
    }

    #[test]
    fn scenario_cards_are_checked_with_lines_and_columns() {
        // Lines 5-9: a step; 10-15: card "a"; 16-: the broken cards.
        let text = format!(
            "{HEAD}{}{}[[scenario]]\nid = \"a\"\nkind = \"angry\"\nlevel = \"expert\"\ncolour = \"red\"\n\n[[scenario]]\nid = \"c\"\nkind = 3\nclient = \"\"\n",
            step("s"),
            card("a", "withdrawal", "beginner")
        );
        assert_problems(
            &text,
            &[
                // Missing keys point at the card's header.
                (16, 1, "[[scenario]] 2 is missing \"client\""),
                (
                    17,
                    6,
                    "duplicate scenario id \"a\" (first used on line 11); give each card its own id",
                ),
                (
                    18,
                    8,
                    "\"kind\" must be \"withdrawal\" or \"confrontation\", found \"angry\"",
                ),
                (
                    19,
                    9,
                    "\"level\" must be \"beginner\", \"intermediate\" or \"advanced\", found \"expert\"",
                ),
                (
                    20,
                    1,
                    "unknown key \"colour\" in [[scenario]] 2; expected one of: id, kind, level, client, context",
                ),
                (
                    22,
                    1,
                    "[[scenario]] 3 is missing \"level\"; add a line such as level = \"beginner\"",
                ),
                (
                    24,
                    8,
                    "\"kind\" must be a string (text in quotes), found a whole number",
                ),
                (25, 10, "\"client\" is empty; write some text"),
            ],
        );
        assert!(
            problems(&format!("scenario = 1\n{HEAD}{}", step("a")))[0]
                .2
                .contains("\"scenario\" must be a list of cards")
        );
    }

    #[test]
    fn builtin_deck_has_both_kinds_at_every_level() {
        let protocol = crate::protocol::builtin();
        assert!(
            protocol.scenarios.len() >= 24,
            "{}",
            protocol.scenarios.len()
        );
        for kind in ScenarioKind::ALL {
            for level in Level::ALL {
                let n = protocol
                    .scenarios
                    .iter()
                    .filter(|s| s.kind == kind && s.level == level)
                    .count();
                assert!(n >= 3, "only {n} {kind:?} {level:?} cards");
            }
        }
    }

    #[test]
    fn missing_key_points_at_the_table_header() {
        let text = format!(
            "{HEAD}{}{}[[step]]\nid = \"c\"\nguidance = \"g\"\n",
            step("a"),
            step("b")
        );
        let found = only(&text);
        assert_problem(&found, 15, 1, "[[step]] 3 is missing \"title\"");
        assert!(found.2.contains("add a line such as title = \"...\""));

        let head = only(&format!("[protocol]\ntitle = \"T\"\n{}", step("a")));
        assert_problem(&head, 1, 1, "[protocol] is missing \"id\"");

        let pause = format!("{HEAD}{}[step.pause]\ncues = [\"c\"]\n", open_step("a"));
        assert_problem(
            &only(&pause),
            9,
            1,
            "[step.pause] of [[step]] 1 is missing \"seconds\"",
        );

        let breath = format!(
            "{HEAD}{}[step.pause]\nseconds = 5\nbreath = {{ inhale = 4 }}\n",
            open_step("a")
        );
        assert_problem(
            &only(&breath),
            11,
            10,
            "\"breath\" of [[step]] 1 is missing \"exhale\"",
        );
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let text = format!("{HEAD}{}[step.pause]\nseconds = \"90\"\n", open_step("a"));
        assert_problem(
            &only(&text),
            10,
            11,
            "\"seconds\" must be a whole number, found a string",
        );

        let title = format!("{HEAD}[[step]]\nid = \"a\"\ntitle = 3\nguidance = \"g\"\n");
        assert_problem(
            &only(&title),
            7,
            9,
            "\"title\" must be a string (text in quotes), found a whole number",
        );

        let flag = format!("{HEAD}{}follow_up = \"yes\"\n", open_step("a"));
        assert_problem(
            &only(&flag),
            9,
            13,
            "\"follow_up\" must be true or false, found a string",
        );

        let list = format!("{HEAD}{}prompts = \"Why?\"\n", open_step("a"));
        assert_problem(&only(&list), 9, 11, "\"prompts\" must be a list of strings");

        let item = format!("{HEAD}{}stems = [\"ok\", 2.5]\n", open_step("a"));
        assert_problem(
            &only(&item),
            9,
            16,
            "item 2 of \"stems\" must be a string (text in quotes), found a decimal number",
        );

        let protocol = format!("protocol = \"demo\"\n{}", step("a"));
        assert_problem(
            &only(&protocol),
            1,
            12,
            "\"protocol\" must be a table, written [protocol], found a string",
        );
    }

    #[test]
    fn step_pause_before_its_step_is_explained() {
        let text = format!("{HEAD}[step.pause]\nseconds = 5\n");
        let found = problems(&text);
        assert!(
            found.iter().any(|p| p
                .2
                .contains("a [step.pause] table must come after its [[step]]")),
            "{found:#?}"
        );
    }

    #[test]
    fn duplicate_step_id_points_at_the_second_and_names_the_first_line() {
        let text = format!("{HEAD}{}{}{}", step("scan"), step("other"), step("scan"));
        let found = only(&text);
        assert_problem(
            &found,
            16,
            6,
            "duplicate step id \"scan\" (first used on line 6)",
        );
    }

    #[test]
    fn focus_must_name_a_step() {
        let text = format!(
            "[protocol]\nid = \"demo\"\ntitle = \"Demo\"\nfocus = \"nope\"\n{}{}",
            step("a"),
            step("b")
        );
        let found = only(&text);
        assert_problem(
            &found,
            4,
            9,
            "\"focus\" is \"nope\", but no step has that id",
        );
        assert!(
            found
                .2
                .contains("use the id of one of the steps: \"a\", \"b\""),
            "{found:?}"
        );
    }

    #[test]
    fn numbers_out_of_range_are_reported_with_the_range() {
        let pause = |body: &str| format!("{HEAD}{}[step.pause]\n{body}\n", open_step("a"));
        assert_problem(
            &only(&pause("seconds = 0")),
            10,
            11,
            "\"seconds\" must be between 1 and 3600, found 0",
        );
        assert_problem(&only(&pause("seconds = 3601")), 10, 11, "found 3601");
        assert_problem(&only(&pause("seconds = -5")), 10, 11, "found -5");
        assert_problem(
            &only(&pause(
                "seconds = 99999999999999999999999999999999999999999",
            )),
            10,
            11,
            "found 99999999999999999999999999999999999999999",
        );
        let breath = pause("seconds = 9\nbreath = { inhale = 0, exhale = 21 }");
        assert_problems(
            &breath,
            &[
                (11, 21, "\"inhale\" must be between 1 and 20, found 0"),
                (11, 33, "\"exhale\" must be between 1 and 20, found 21"),
            ],
        );
    }

    #[test]
    fn empty_or_blank_text_is_reported_everywhere() {
        let text = "[protocol]\nid = \"demo\"\ntitle = \"\"\nsummary = \"  \"\n\n\
                    [[step]]\nid = \"a\"\ntitle = \"t\"\nguidance = \"\"\"\n  \n\t\"\"\"\n\
                    prompts = [\"fine\", \" \"]\nstems = []\n";
        assert_problems(
            text,
            &[
                (3, 9, "\"title\" is empty; write some text"),
                (4, 11, "\"summary\" is empty; write some text, or remove it"),
                (9, 12, "\"guidance\" is empty"),
                (12, 20, "item 2 of \"prompts\" is empty"),
            ],
        );
    }

    #[test]
    fn escaped_control_character_in_a_title_is_shown_escaped() {
        let text = format!(
            "{HEAD}[[step]]\nid = \"a\"\ntitle = \"Scan\\u001b]0;pwned\\u0007\"\nguidance = \"g\"\n"
        );
        let found = only(&text);
        assert_problem(
            &found,
            7,
            9,
            "\"title\" contains a control character (\\x1b); remove it",
        );
        let shown = parse(&text, "p.toml").expect_err("invalid").to_string();
        assert!(
            !shown.contains('\x1b') && !shown.contains('\x07'),
            "{shown:?}"
        );
        assert!(shown.contains("\\x1b"), "{shown:?}");
    }

    #[test]
    fn raw_control_character_is_reported_once_and_escaped() {
        let text =
            format!("{HEAD}[[step]]\nid = \"a\"\ntitle = \"Scan\x1b[2J\"\nguidance = \"g\"\n");
        let found = only(&text);
        assert_problem(
            &found,
            7,
            9,
            "\"title\" contains a control character (\\x1b)",
        );

        let comment = format!("# a bell \x07 here\n{HEAD}{}", step("a"));
        assert_problem(
            &only(&comment),
            1,
            10,
            "a control character (\\x07) is not allowed here",
        );

        let c1 = format!("{HEAD}{}stems = [\"a\\u009b2J\"]\n", open_step("a"));
        assert_problem(
            &only(&c1),
            9,
            10,
            "item 1 of \"stems\" contains a control character (\\u{9b})",
        );
    }

    #[test]
    fn ids_must_be_lowercase_letters_digits_and_dashes() {
        let text = format!(
            "[protocol]\nid = \"My Demo\"\ntitle = \"T\"\nfocus = \"Step_1\"\n\n{}",
            step("")
        );
        let found = problems(&text);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_problem(
            &found[0],
            2,
            6,
            "\"id\" may only use lowercase letters (a-z), digits and '-', found \"My Demo\"; try \"my-demo\"",
        );
        assert_problem(&found[1], 4, 9, "\"focus\" may only use lowercase letters");
        assert!(found[1].2.contains("try \"step-1\""), "{found:?}");
        assert_problem(&found[2], 7, 6, "\"id\" is empty; write some text");
    }

    #[test]
    fn a_file_without_a_protocol_table_is_reported() {
        let found = only(&step("a"));
        assert_problem(&found, 1, 1, "there is no [protocol] table");
    }

    #[test]
    fn a_protocol_needs_at_least_one_step() {
        assert_problem(
            &only(HEAD),
            1,
            1,
            "the protocol has no steps; add at least one [[step]]",
        );
        // Top-level keys must come before the first table.
        let empty_list = format!("step = []\n{HEAD}");
        assert_problem(&only(&empty_list), 1, 8, "the protocol has no steps");
        let nothing = problems("");
        assert_eq!(nothing.len(), 2, "{nothing:#?}");
        assert_problem(&nothing[0], 1, 1, "there is no [protocol] table");
        assert_problem(&nothing[1], 1, 1, "the protocol has no steps");
    }

    #[test]
    fn fifty_steps_are_allowed_and_fifty_one_are_not() {
        let steps = |n: usize| (1..=n).map(|i| step(&format!("s{i}"))).collect::<String>();
        let fifty =
            parse(&format!("{HEAD}{}", steps(MAX_STEPS)), "p.toml").expect("50 steps are fine");
        assert_eq!(fifty.steps.len(), MAX_STEPS);
        let found = only(&format!("{HEAD}{}", steps(MAX_STEPS + 1)));
        // Each step is 5 lines long and the first starts on line 5.
        assert_problem(
            &found,
            5 + 5 * MAX_STEPS,
            1,
            "too many steps: a protocol may have at most 50, and this file has 51",
        );
    }

    #[test]
    fn text_over_one_mebibyte_is_refused_before_parsing() {
        let padding = "#".repeat(MAX_FILE_BYTES);
        let text = format!("{HEAD}{}{padding}", step("a"));
        let found = only(&text);
        assert_problem(
            &found,
            1,
            1,
            "the file is too large for a protocol file (the limit is 1 MiB",
        );
        assert!(
            found.2.contains(&format!("{} bytes", text.len())),
            "{found:?}"
        );
        // Exactly at the limit is still read.
        let fits = format!("{HEAD}{}", step("a"));
        let fits = format!("{fits}{}", "#".repeat(MAX_FILE_BYTES - fits.len()));
        assert_eq!(fits.len(), MAX_FILE_BYTES);
        assert!(parse(&fits, "p.toml").is_ok());
    }

    #[test]
    fn crlf_files_parse_and_give_the_right_columns() {
        let good = format!("{HEAD}{}guidance2 = 1\n", open_step("a")).replace('\n', "\r\n");
        assert_problem(&only(&good), 9, 1, "unknown key \"guidance2\"");

        let multi = "[protocol]\r\nid = \"d\"\r\ntitle = \"T\"\r\n[[step]]\r\nid = \"a\"\r\ntitle = \"t\"\r\n\
                     guidance = \"\"\"\r\nOne\r\nTwo\"\"\"\r\n[step.pause]\r\nseconds = 0\r\n";
        let found = only(multi);
        assert_problem(&found, 11, 11, "\"seconds\" must be between 1 and 3600");
        let fixed = multi.replace("seconds = 0", "seconds = 5");
        let protocol = parse(&fixed, "p.toml").expect("CRLF is fine");
        assert_eq!(protocol.steps[0].guidance, "One\nTwo");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = format!(
            "{HEAD}[[step]]\nid = \"a\"\ntitle = \"Pause 停一下 🌿\"\nguidance = \"g\"\nprompts = [\"停一下 🌿\", 7]\n"
        );
        let found = only(&text);
        // `prompts = ["停一下 🌿", ` is 20 characters (and 29 bytes).
        assert_problem(&found, 9, 21, "item 2 of \"prompts\" must be a string");
    }

    #[test]
    fn a_byte_order_mark_does_not_shift_columns() {
        let text = format!(
            "\u{feff}[protocol]\nbad = 1\nid = \"demo\"\ntitle = \"Demo\"\n{}",
            step("a")
        );
        assert_problem(&only(&text), 2, 1, "unknown key \"bad\"");
        let first_line = format!("\u{feff}colour = 1\n{HEAD}{}", step("a"));
        assert_problem(&only(&first_line), 1, 1, "unknown key \"colour\"");
        assert!(parse(&format!("\u{feff}{HEAD}{}", step("a")), "p.toml").is_ok());
    }

    #[test]
    fn several_errors_are_all_reported_in_file_order() {
        let text = r#"[protocol]
id = "Demo"
title = "Demo"
colour = "blue"
focus = "missing"

[[step]]
id = "a"
guidance = "g"
stems = ["", 3]

[step.pause]
seconds = 0

[[step]]
id = "a"
title = "t"
guidance = "g"
prompts = ["unclosed"
"#;
        let found = problems(text);
        let places: Vec<(usize, usize)> = found.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(
            places,
            [
                (2, 6),
                (4, 1),
                (5, 9),
                (7, 1),
                (10, 10),
                (10, 14),
                (13, 11),
                (16, 6),
                (19, 22)
            ],
            "{found:#?}"
        );
        assert!(found[0].2.contains("\"id\" may only use"));
        assert!(found[1].2.contains("unknown key \"colour\""));
        assert!(found[2].2.contains("\"focus\" is \"missing\""));
        assert!(found[3].2.contains("[[step]] 1 is missing \"title\""));
        assert!(found[4].2.contains("item 1 of \"stems\" is empty"));
        assert!(found[5].2.contains("item 2 of \"stems\" must be a string"));
        assert!(
            found[6]
                .2
                .contains("\"seconds\" must be between 1 and 3600, found 0")
        );
        assert!(
            found[7]
                .2
                .contains("duplicate step id \"a\" (first used on line 8)")
        );
        assert!(found[8].2.contains("this is not valid TOML"));
    }

    #[test]
    fn keys_given_twice_are_reported() {
        let text = format!(
            "[protocol]\nid = \"demo\"\nid = \"again\"\ntitle = \"T\"\n{}",
            step("a")
        );
        assert_problem(&only(&text), 3, 1, "\"id\" is given twice; keep only one");
    }

    #[test]
    fn no_message_echoes_a_raw_control_character() {
        let nasty = "\x1b]0;x\x07\x1b[2J\u{9b}\r";
        let texts = [
            format!("[protocol]\nid = \"{nasty}\"\ntitle = \"{nasty}\"\nfocus = \"a{nasty}\"\n"),
            format!("[protocol]\n\"k{nasty}\" = 1\n"),
            format!("{nasty} = 3\n[[step]]\nid = '{nasty}'\n"),
            "[protocol]\nid = \"x\\u001b\"\n\"\\u0007\" = 1\n".to_string(),
            format!("[\"{nasty}\"]\n[[step]]\nid = \"a\"\nid = \"b\"\n"),
        ];
        for text in &texts {
            let error = parse(text, "p\x1b.toml").expect_err("invalid");
            for problem in &error.problems {
                let shown = problem.to_string();
                assert!(
                    !shown.chars().any(crate::sanitize::is_forbidden),
                    "{shown:?}"
                );
                assert!(
                    !problem.message.chars().any(crate::sanitize::is_forbidden),
                    "{shown:?}"
                );
                assert!(
                    !problem.path.chars().any(crate::sanitize::is_forbidden),
                    "{shown:?}"
                );
            }
        }
    }

    #[test]
    fn long_values_are_cut_short_in_messages() {
        let long = "X".repeat(500);
        let text = format!("[protocol]\nid = \"{long}\"\ntitle = \"T\"\n{}", step("a"));
        let found = only(&text);
        assert!(found.2.len() < 200, "{found:?}");
        assert!(found.2.contains("XXX...\""), "{found:?}");
    }

    #[test]
    fn load_file_reads_a_valid_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo.toml");
        std::fs::write(&path, format!("{HEAD}{}", step("a"))).expect("write");
        let protocol = load_file(&path).expect("valid");
        assert_eq!(protocol.id, "demo");
    }

    #[test]
    fn load_file_names_the_file_in_problems() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo.toml");
        std::fs::write(&path, format!("{HEAD}{}oops = 1\n", open_step("a"))).expect("write");
        let error = load_file(&path).expect_err("invalid");
        assert_eq!(error.problems[0].path, path.display().to_string());
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}:9:1: unknown key", path.display()))
        );
    }

    #[test]
    fn load_file_refuses_a_file_over_one_mebibyte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.toml");
        std::fs::write(&path, "#".repeat(MAX_FILE_BYTES + 1)).expect("write");
        let error = load_file(&path).expect_err("too big");
        assert_eq!(error.problems.len(), 1);
        let problem = &error.problems[0];
        assert_eq!((problem.line, problem.column), (1, 1));
        assert!(
            problem.message.contains("too large for a protocol file"),
            "{problem}"
        );
        assert!(
            problem
                .message
                .contains(&format!("{} bytes", MAX_FILE_BYTES + 1)),
            "{problem}"
        );
    }

    #[test]
    fn load_file_points_at_the_first_byte_that_is_not_utf8() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("latin1.toml");
        let mut bytes = b"[protocol]\nid = \"demo\"\ntitle = \"Caf\xc3\xa9 na\xefve\"\n".to_vec();
        bytes.extend_from_slice(step("a").as_bytes());
        std::fs::write(&path, bytes).expect("write");
        let error = load_file(&path).expect_err("not UTF-8");
        let problem = &error.problems[0];
        // `title = "Café na` is 16 characters; the bad byte is the 17th.
        assert_eq!((problem.line, problem.column), (3, 17), "{problem}");
        assert!(
            problem.message.contains("not UTF-8 text (byte 0xef)"),
            "{problem}"
        );
        assert!(problem.message.contains("save it as UTF-8"), "{problem}");
    }

    #[test]
    fn load_file_explains_missing_files_and_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = load_file(&dir.path().join("nope.toml")).expect_err("missing");
        assert!(
            missing.problems[0]
                .message
                .contains("there is no file here"),
            "{missing}"
        );
        let folder = load_file(dir.path()).expect_err("a folder");
        assert!(
            folder.problems[0].message.contains("this is a folder"),
            "{folder}"
        );
    }

    #[test]
    fn suggested_ids_are_valid_or_empty() {
        assert_eq!(suggest_id("  Scan  Inward! "), "scan-inward");
        assert_eq!(suggest_id("step_1"), "step-1");
        assert_eq!(suggest_id("停"), "");
        assert!(is_id("a-1") && !is_id("") && !is_id("A") && !is_id("é"));
    }
    /// A valid format-2 protocol head; steps are added after it (line 5 is
    /// blank).
    const HEAD2: &str = "[protocol]\nformat = 2\nid = \"demo\"\ntitle = \"Demo\"\n\n";

    #[test]
    fn a_format_2_file_parses_every_new_field() {
        let text = r#"[protocol]
format = 2
id = "full-2"
title = "Full"

[[step]]
id = "scan"
title = "Scan"
guidance = "Feel."
criteria = ["Says what they noticed in themselves."]
observable = false

[step.pause]
seconds = 60
breath = { inhale = 4, exhale = 6, on = false }

[[step]]
id = "reflect"
title = "Reflect"
guidance = "Guess, and check."
criteria = ["Names it as a guess.", "Asks whether it fits.", "Stops and listens."]

[step.pause]
seconds = 5
breath = { inhale = 3, exhale = 3 }

[resolution]
withdrawal = "Invite the feeling."
confrontation = "Step out of the cycle."

[[resource]]
title = "A reading"
location = "The shared drive"
note = "Chapter 2."

[[resource]]
title = "A video"
location = "https://example.org/v"

[[scenario]]
id = "quiet"
kind = "withdrawal"
level = "beginner"
scene = "Third session."
direction = "You felt unheard."
client = "Fine."
escalate = "I said it's fine."
soften = "Maybe it wasn't."
markers = ["minimal-response", "denial"]
examples = ["One.", "Two."]
pitfalls = [{ response = "OK, moving on.", why = "Takes the denial at its word." }]
tags = ["telehealth", "therapist-error"]
"#;
        let protocol = parse(text, "p.toml").expect("valid");
        assert_eq!(protocol.format, 2);
        let scan = &protocol.steps[0];
        assert!(!scan.observable);
        assert_eq!(
            scan.criteria,
            [Criterion {
                id: "1".into(),
                text: "Says what they noticed in themselves.".into()
            }]
        );
        let pause = scan.pause.as_ref().expect("pause");
        let pacer = Breath {
            inhale: 4,
            exhale: 6,
        };
        // The pacer is offered but starts off.
        assert_eq!((pause.breath, pause.pacer), (None, Some(pacer)));
        let reflect = &protocol.steps[1];
        assert!(reflect.observable);
        assert_eq!(reflect.criteria.len(), 3);
        let on = reflect.pause.as_ref().expect("pause");
        assert_eq!(on.breath, on.pacer);
        assert!(on.breath.is_some());
        assert_eq!(
            protocol.resolution_for(ScenarioKind::Withdrawal),
            Some("Invite the feeling.")
        );
        assert_eq!(
            protocol.resolution_for(ScenarioKind::Confrontation),
            Some("Step out of the cycle.")
        );
        assert_eq!(
            protocol.resources,
            [
                Resource {
                    title: "A reading".into(),
                    location: "The shared drive".into(),
                    note: Some("Chapter 2.".into())
                },
                Resource {
                    title: "A video".into(),
                    location: "https://example.org/v".into(),
                    note: None
                }
            ]
        );
        let card = &protocol.scenarios[0];
        assert_eq!(card.scene.as_deref(), Some("Third session."));
        assert_eq!(card.direction.as_deref(), Some("You felt unheard."));
        assert_eq!(card.escalate.as_deref(), Some("I said it's fine."));
        assert_eq!(card.soften.as_deref(), Some("Maybe it wasn't."));
        assert_eq!(card.markers, [Marker::MinimalResponse, Marker::Denial]);
        assert_eq!(
            card.examples,
            [Example::plain("One."), Example::plain("Two.")]
        );
        assert_eq!(
            card.pitfalls,
            [Pitfall {
                response: "OK, moving on.".into(),
                why: "Takes the denial at its word.".into()
            }]
        );
        assert_eq!(card.tags, [Tag::Telehealth, Tag::TherapistError]);
    }

    #[test]
    fn format_1_files_are_read_as_before() {
        let text = format!(
            "{HEAD}{}{}[[scenario]]\nid = \"b\"\nkind = \"withdrawal\"\nlevel = \"advanced\"\n\
             client = \"Fine.\"\ncontext = \"Third session.\"\n",
            step("a"),
            card("a", "withdrawal", "beginner")
        );
        let protocol = parse(&text, "p.toml").expect("valid");
        assert_eq!(protocol.format, 1);
        // A format-1 `context` is the scene.
        assert_eq!(
            protocol.scenarios[1].scene.as_deref(),
            Some("Third session.")
        );
        let step = &protocol.steps[0];
        assert!(step.observable && step.criteria.is_empty());
        assert!(protocol.resolution.is_empty() && protocol.resources.is_empty());
        // Saying so is the same.
        let explicit = text.replace("[protocol]\n", "[protocol]\nformat = 1\n");
        assert_eq!(parse(&explicit, "p.toml").expect("valid"), protocol);
    }

    #[test]
    fn format_2_keys_in_a_format_1_file_are_reported_where_they_are() {
        let text = format!(
            "{HEAD}{}criteria = [\"c\"]\n[step.pause]\nseconds = 5\nbreath = {{ inhale = 4, exhale = 4, on = false }}\n\n\
             [resolution]\nwithdrawal = \"w\"\n\n{}tags = [\"group\"]\n",
            open_step("a"),
            open_card("c", "withdrawal")
        );
        assert_problems(
            &text,
            &[
                (
                    9,
                    1,
                    "\"criteria\" is a format 2 key, and this file is format 1; add format = 2 under [protocol] to use it",
                ),
                (12, 36, "\"on\" is a format 2 key"),
                (14, 2, "\"resolution\" is a format 2 key"),
                (22, 1, "\"tags\" is a format 2 key"),
            ],
        );
        // A format-1 file is offered only format-1 keys.
        let unknown = only(&format!("{HEAD}{}colour = 1\n", open_step("a")));
        assert!(
            unknown.2.ends_with(
                "expected one of: id, title, guidance, prompts, stems, follow_up, pause"
            ),
            "{unknown:?}"
        );
    }

    #[test]
    fn format_2_reads_context_as_the_scene_and_knows_no_other_format() {
        let text = format!(
            "{HEAD2}{}{}context = \"Late.\"\n",
            step("a"),
            open_card("c", "withdrawal")
        );
        let protocol = parse(&text, "p.toml").expect("valid");
        assert_eq!(protocol.scenarios[0].scene.as_deref(), Some("Late."));
        let both = format!("{text}scene = \"Early.\"\n");
        assert_problem(
            &only(&both),
            16,
            1,
            "this card has both \"scene\" and \"context\" (the format 1 name for the scene); keep only scene",
        );
        let three = HEAD2.replace("format = 2", "format = 3") + &step("a");
        assert_problem(
            &only(&three),
            2,
            10,
            "\"format\" must be between 1 and 2, found 3",
        );
        let word = HEAD2.replace("format = 2", "format = \"2\"") + &step("a");
        assert_problem(
            &only(&word),
            2,
            10,
            "\"format\" must be a whole number, found a string",
        );
    }

    /// A valid format-2 card with nothing after it, so keys can be added
    /// (5 lines).
    fn open_card(id: &str, kind: &str) -> String {
        card(id, kind, "beginner").trim_end().to_string() + "\n"
    }

    #[test]
    fn unknown_markers_and_tags_get_the_nearest_word() {
        let text = format!(
            "{HEAD2}{}{}markers = [\"shiftng-topic\", \"denial\", \"denial\", \"anger\"]\ntags = [\"telehealt\", \"zoom\"]\n",
            step("a"),
            open_card("c", "withdrawal")
        );
        assert_problems(
            &text,
            &[
                // Line 16: markers = ["shiftng-topic", "denial", "denial", "anger"]
                (
                    16,
                    12,
                    "unknown marker \"shiftng-topic\"; did you mean \"shifting-topic\"?",
                ),
                (
                    16,
                    39,
                    "item 3 of \"markers\" repeats the marker \"denial\"; keep only one",
                ),
                (
                    16,
                    49,
                    "unknown marker \"anger\"; expected one of: denial, minimal-response,",
                ),
                (
                    17,
                    9,
                    "unknown tag \"telehealt\"; did you mean \"telehealth\"?",
                ),
                (
                    17,
                    22,
                    "unknown tag \"zoom\"; expected one of: telehealth, couple, family,",
                ),
            ],
        );
    }

    #[test]
    fn a_card_needs_a_marker_of_its_own_kind() {
        let text = format!(
            "{HEAD2}{}{}markers = [\"complaint-therapist\"]\n",
            step("a"),
            open_card("c", "withdrawal")
        );
        assert_problem(
            &only(&text),
            16,
            11,
            "none of the markers is a withdrawal marker, but the card's kind is withdrawal",
        );
        // Mixed is fine.
        let mixed = text.replace(
            "[\"complaint-therapist\"]",
            "[\"complaint-therapist\", \"denial\"]",
        );
        assert!(parse(&mixed, "p.toml").is_ok());
    }

    #[test]
    fn lists_longer_than_the_format_allows_are_reported() {
        let text = format!(
            "{HEAD2}{}criteria = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n\n{}examples = [\"a\", \"b\", \"c\", \"d\"]\n\
             pitfalls = [{{ response = \"a\", why = \"b\" }}, {{ response = \"c\", why = \"d\" }}, {{ response = \"e\", why = \"f\" }}]\n",
            open_step("a"),
            open_card("c", "withdrawal")
        );
        assert_problems(
            &text,
            &[
                (
                    10,
                    33,
                    "too many criteria in \"criteria\": at most 4, and this list has 5",
                ),
                (
                    17,
                    28,
                    "too many model responses in \"examples\": at most 3, and this list has 4",
                ),
                (
                    18,
                    75,
                    "too many pitfalls in \"pitfalls\": at most 2, and this list has 3",
                ),
            ],
        );
    }

    #[test]
    fn pitfalls_resources_resolution_and_observable_are_checked() {
        let text = format!(
            "{HEAD2}{}observable = \"no\"\n\n[resolution]\nwithdrawl = \"w\"\nconfrontation = \"\"\n\n\
             [[resource]]\ntitle = \"A book\"\n\n{}pitfalls = [{{ response = \"Moving on.\" }}, \"just text\"]\n",
            open_step("a"),
            open_card("c", "withdrawal")
        );
        assert_problems(
            &text,
            &[
                (
                    10,
                    14,
                    "\"observable\" must be true or false, found a string",
                ),
                (
                    13,
                    1,
                    "unknown key \"withdrawl\" in [resolution]; expected one of: withdrawal, confrontation",
                ),
                (
                    14,
                    17,
                    "\"confrontation\" is empty; write some text, or remove it",
                ),
                (16, 1, "[[resource]] 1 is missing \"location\""),
                (24, 13, "item 1 of \"pitfalls\" is missing \"why\""),
                (
                    24,
                    42,
                    "item 2 of \"pitfalls\" must be a table, like { response = \"...\", why = \"...\" }, found a string",
                ),
            ],
        );
    }

    #[test]
    fn invisible_formatting_characters_are_reported_where_they_are() {
        // Raw in a comment, raw in a title, and written as an escape: the
        // bidirectional controls are refused; a zero width space is not.
        let text = format!(
            "{HEAD2}# note \u{202e}reversed\n[[step]]\nid = \"a\"\ntitle = \"Scan\u{202b}\"\n\
             guidance = \"Feel \\u2066this\u{200b}\"\n"
        );
        assert_problems(
            &text,
            &[
                (
                    6,
                    8,
                    "this line contains an invisible formatting character (U+202E right-to-left override)",
                ),
                (
                    9,
                    14,
                    "(U+202B right-to-left embedding), which can make text look different from what it says; remove it",
                ),
                (
                    10,
                    12,
                    "\"guidance\" contains an invisible formatting character (U+2066 left-to-right isolate)",
                ),
            ],
        );
        for c in [
            '\u{202a}', '\u{202c}', '\u{202d}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            let text = format!("{HEAD2}[[step]]\nid = \"a\"\ntitle = \"x{c}\"\nguidance = \"g\"\n");
            assert_problem(&only(&text), 8, 11, "invisible formatting character");
        }
    }

    /// A step with criteria by id, and a card whose models say what they
    /// meet; `examples` and `content` are the card's last lines (17 and 18).
    fn with_models(examples: &str, content: &str) -> String {
        format!(
            "{HEAD2}[[step]]\nid = \"reflect\"\ntitle = \"Reflect\"\nguidance = \"g\"\n\
             criteria = [{{ id = \"guess\", text = \"Guesses.\" }}, \"Asks.\"]\n\n\
             [[scenario]]\nid = \"c\"\nkind = \"withdrawal\"\nlevel = \"beginner\"\n\
             client = \"Fine.\"\n{examples}\n{content}\n"
        )
    }

    #[test]
    fn criteria_have_ids_and_models_say_which_they_meet() {
        let text = with_models(
            "examples = [{ says = \"I wonder. Is that it?\", meets = [\"reflect.guess\", \"reflect.2\"], \
             strategy = \"own-part\" }, \"A plain model.\"]",
            "content = [\"bereavement\"]",
        );
        let protocol = parse(&text, "p.toml").expect("valid");
        let reflect = &protocol.steps[0];
        let ids: Vec<String> = reflect
            .criteria
            .iter()
            .map(|c| c.full_id(&reflect.id))
            .collect();
        // A criterion written as plain text takes its place as its id.
        assert_eq!(ids, ["reflect.guess", "reflect.2"]);
        let card = &protocol.scenarios[0];
        assert_eq!(
            card.examples,
            [
                Example {
                    says: "I wonder. Is that it?".into(),
                    meets: vec!["reflect.guess".into(), "reflect.2".into()],
                    strategy: Some(Strategy::OwnPart),
                },
                Example::plain("A plain model."),
            ]
        );
        assert_eq!(card.content, [Content::Bereavement]);
        assert_eq!(
            protocol
                .criterion("reflect.guess")
                .map(|(_, c)| c.text.as_str()),
            Some("Guesses.")
        );
        assert_eq!(
            card.examples[0].meets_line().as_deref(),
            Some("Meets: reflect.guess, reflect.2. Strategy: own-part.")
        );
        assert_eq!(card.examples[1].meets_line(), None);
    }

    #[test]
    fn unknown_criteria_strategies_and_content_words_are_pointed_at() {
        let text = with_models(
            "examples = [{ says = \"x\", meets = [\"reflect.gues\", \"validate.reasons\"], strategy = \"owning\" }]",
            "content = [\"suicide\"]",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert_problem(&found[0], 17, 36, "did you mean \"reflect.guess\"?");
        assert_problem(
            &found[1],
            17,
            52,
            "names no criterion of this protocol: \"validate.reasons\"",
        );
        assert_problem(
            &found[2],
            17,
            84,
            "\"strategy\" must be \"own-part\", \"clarify\"",
        );
        assert_problem(&found[3], 18, 12, "unknown content word \"suicide\"");
    }

    #[test]
    fn criterion_ids_are_checked_and_unique_within_their_step() {
        let text = format!(
            "{HEAD2}[[step]]\nid = \"reflect\"\ntitle = \"Reflect\"\nguidance = \"g\"\n\
             criteria = [{{ id = \"a\", text = \"One.\" }}, {{ id = \"a\", text = \"Two.\" }}, \
             {{ id = \"B c\", text = \"Three.\" }}, {{ text = \"Four.\", why = \"?\" }}]\n"
        );
        let found = problems(&text);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert_problem(&found[0], 10, 49, "repeats the criterion id \"a\"");
        assert_problem(&found[1], 10, 78, "try \"b-c\"");
        assert_problem(&found[2], 10, 104, "missing \"id\"");
        assert_problem(&found[3], 10, 122, "unknown key \"why\"");
    }

    #[test]
    fn joiners_pass_and_other_hidden_characters_are_warnings() {
        // Emoji with skin tone and ZWJ, Persian with ZWNJ, a variation
        // selector: accepted, and no warning.
        let shaped = "👩🏽\u{200d}⚕\u{fe0f} می\u{200c}خواهم";
        let text = format!("{HEAD2}[[step]]\nid = \"a\"\ntitle = \"{shaped}\"\nguidance = \"g\"\n");
        assert_eq!(parse(&text, "t.toml").unwrap().steps[0].title, shaped);
        assert!(hidden_characters(&text, "t.toml").is_empty());
        let tags: String = "ignore"
            .chars()
            .map(|c| char::from_u32(0xe0000 + c as u32).unwrap())
            .collect();
        for hidden in [
            tags.as_str(),
            "\u{2060}",
            "\u{feff}",
            "\u{3164}",
            "\u{115f}",
            "\u{180e}",
            "\u{00ad}",
            "\u{200b}",
            "\u{200e}",
            "\u{200f}",
            "\u{061c}",
            "\u{2028}",
            "\u{2029}",
        ] {
            let text = format!(
                "\u{feff}{HEAD2}[[step]]\nid = \"a\"\ntitle = \"Safe{hidden}\"\nguidance = \"g\"\n"
            );
            let protocol = parse(&text, "t.toml").unwrap_or_else(|e| panic!("{hidden:?}: {e}"));
            assert_eq!(protocol.steps[0].title, format!("Safe{hidden}"));
            let warnings = hidden_characters(&text, "t.toml");
            // One warning, on the title's line, none for the leading BOM.
            assert_eq!(warnings.len(), 1, "{hidden:?}: {warnings:?}");
            assert_eq!(
                (warnings[0].line, warnings[0].column),
                (8, 14),
                "{hidden:?}"
            );
            let first = hidden.chars().next().unwrap() as u32;
            assert!(
                warnings[0].message.starts_with(&format!(
                    "warning: this line contains an invisible character (U+{first:04X} "
                )),
                "{}",
                warnings[0].message
            );
        }
        let text =
            format!("{HEAD2}[[step]]\nid = \"a\"\ntitle = \"Safe{tags}\"\nguidance = \"g\"\n");
        assert!(
            hidden_characters(&text, "t.toml")[0]
                .message
                .contains("(U+E0069 tag character) and 5 more;")
        );
    }

    #[test]
    fn the_schema_knows_the_same_keys_and_words_as_the_parser() {
        let schema: serde_json::Value =
            serde_json::from_str(crate::protocol::SCHEMA_TEXT).expect("the schema is JSON");
        let keys = |at: &str| -> Vec<String> {
            let mut keys: Vec<String> = schema
                .pointer(at)
                .and_then(|v| v.as_object())
                .unwrap_or_else(|| panic!("no object at {at}"))
                .keys()
                .cloned()
                .collect();
            keys.sort();
            keys
        };
        let sorted = |list: &[Key]| -> Vec<String> {
            let mut list: Vec<String> = list.iter().map(|k| k.name.to_string()).collect();
            list.sort();
            list
        };
        let defs = "/definitions";
        let pause = format!("{defs}/step/properties/pause/properties");
        for (at, expected) in [
            ("/properties".to_string(), TOP_KEYS),
            ("/properties/protocol/properties".to_string(), PROTOCOL_KEYS),
            (format!("{defs}/step/properties"), STEP_KEYS),
            (pause.clone(), PAUSE_KEYS),
            (format!("{pause}/breath/properties"), BREATH_KEYS),
            (format!("{defs}/scenario/properties"), SCENARIO_KEYS),
            (
                "/properties/resolution/properties".to_string(),
                RESOLUTION_KEYS,
            ),
            (
                "/properties/resource/items/properties".to_string(),
                RESOURCE_KEYS,
            ),
            (
                format!("{defs}/scenario/properties/pitfalls/items/properties"),
                PITFALL_KEYS,
            ),
            (
                format!("{defs}/criterion/oneOf/1/properties"),
                CRITERION_KEYS,
            ),
            (
                format!("{defs}/scenario/properties/examples/items/oneOf/1/properties"),
                EXAMPLE_KEYS,
            ),
        ] {
            assert_eq!(keys(&at), sorted(expected), "{at}");
        }
        let words = |at: &str| -> Vec<String> {
            schema
                .pointer(at)
                .and_then(|v| v.as_array())
                .unwrap_or_else(|| panic!("no list at {at}"))
                .iter()
                .map(|w| w.as_str().expect("a word").to_string())
                .collect()
        };
        let markers: Vec<&str> = Marker::ALL.iter().map(|m| m.as_str()).collect();
        let tags: Vec<&str> = Tag::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            words(&format!("{defs}/scenario/properties/markers/items/enum")),
            markers
        );
        assert_eq!(
            words(&format!("{defs}/scenario/properties/tags/items/enum")),
            tags
        );
        let strategies: Vec<&str> = Strategy::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            words(&format!(
                "{defs}/scenario/properties/examples/items/oneOf/1/properties/strategy/enum"
            )),
            strategies
        );
        let content: Vec<&str> = Content::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            words(&format!("{defs}/scenario/properties/content/items/enum")),
            content
        );
        // Limits.
        let number = |at: &str| {
            schema
                .pointer(at)
                .and_then(|v| v.as_u64())
                .map(|n| n as usize)
        };
        assert_eq!(
            number(&format!("{defs}/step/properties/criteria/maxItems")),
            Some(MAX_CRITERIA)
        );
        assert_eq!(
            number(&format!("{defs}/scenario/properties/examples/maxItems")),
            Some(MAX_EXAMPLES)
        );
        assert_eq!(
            number(&format!("{defs}/scenario/properties/pitfalls/maxItems")),
            Some(MAX_PITFALLS)
        );
        assert_eq!(number("/properties/step/maxItems"), Some(MAX_STEPS));
        assert_eq!(number("/properties/scenario/maxItems"), Some(MAX_SCENARIOS));
        assert_eq!(number("/properties/resource/maxItems"), Some(MAX_RESOURCES));
    }

    /// Every problem of a file points at a place inside it.
    fn assert_places_inside(text: &str, what: &str) {
        let lines = text.split('\n').count();
        if let Err(error) = parse(text, "p.toml") {
            assert!(!error.problems.is_empty(), "{what}");
            for problem in &error.problems {
                assert!(
                    (1..=lines).contains(&problem.line) && problem.column >= 1,
                    "{what}: {problem}"
                );
            }
        }
    }

    /// Broken copies of the shipped protocols: lines left out and the text
    /// cut short at places spread over the whole file. `every` thins the
    /// places tried; 1 is every line of the steps (every tenth among the
    /// cards) and a cut every 997 bytes.
    /// Every `every`-th place of the sweep, from the `first`-th on.
    fn broken_copies_never_panic(every: usize, first: usize) {
        let starter = include_str!("../../steps/starter.toml");
        for text in [BUILTIN_TEXT, starter] {
            let lines: Vec<&str> = text.split('\n').collect();
            // A table loses a key, a list loses its end, a multi-line string
            // its closing quotes. A big deck stays quick with one line in
            // ten among its cards.
            let deck = lines
                .iter()
                .position(|line| *line == "[[scenario]]")
                .unwrap_or(lines.len());
            let places = (0..lines.len()).filter(|&i| i < deck || i % 10 == 0);
            for skip in places.skip(first).step_by(every) {
                let mut kept = lines.clone();
                kept.remove(skip);
                assert_places_inside(&kept.join("\n"), &format!("without line {}", skip + 1));
            }
            // Cut short at many places, including inside multi-byte text.
            for cut in (997 * first..text.len()).step_by(997 * every) {
                let mut end = cut;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                assert_places_inside(&text[..end], &format!("cut at byte {end}"));
            }
        }
    }

    /// One place in seven, spread over the whole file: quick enough for
    /// every `cargo test`; the full sweep below runs in CI's slow tier.
    #[test]
    fn broken_copies_of_the_shipped_protocols_never_panic_and_point_inside_the_file() {
        broken_copies_never_panic(7, 0);
    }

    // The full sweep (every line of the steps and every tenth of the deck,
    // about 700 parses) in two halves, so two test threads share it.
    #[test]
    #[ignore = "slow: half of the full sweep"]
    fn every_broken_copy_of_the_shipped_protocols_points_inside_the_file() {
        broken_copies_never_panic(2, 0);
    }

    #[test]
    #[ignore = "slow: the other half of the full sweep"]
    fn every_other_broken_copy_of_the_shipped_protocols_points_inside_the_file() {
        broken_copies_never_panic(2, 1);
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(
            nearest("Shifting_Topic", Marker::ALL.iter().map(|m| m.as_str())),
            Some("shifting-topic")
        );
        assert_eq!(nearest("zoom", Tag::ALL.iter().map(|t| t.as_str())), None);
    }
}
