//! The settings file, and how it is weighed against flags and the
//! environment.
//!
//! The file is optional: `config.toml` in the platform's config folder (on
//! Linux `$XDG_CONFIG_HOME/repair-practice/config.toml`, usually
//! `~/.config/repair-practice/config.toml`), or the file named by
//! `$REPAIR_CONFIG`. Every key is optional too; see the README for the list.
//!
//! A settings file is written by hand, so like a protocol file it is checked
//! in full and every mistake is reported as `PATH:LINE:COL: message`
//! ([`Problem`]). A mistake in a setting that only changes how things look
//! or feel (the theme, the bell, a pause length, ...) is a warning: that
//! setting keeps its default. A mistake that could change where notes go or
//! whether they are kept (`data_dir`, `save`, an unknown key that may be a
//! misspelling of one, a file that is not valid TOML or cannot be read) is
//! [`SettingsError::decisive`]: a command that writes does not start on a
//! guess about what was meant. Reading notes never waits on the file.
//!
//! Precedence is one pure function, [`resolve`]: a flag beats the
//! environment, which beats the file, which beats the built-in default. It
//! takes the environment as a lookup closure, so it is tested without
//! touching the process environment.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::cli::ColorChoice;
use crate::diagnostics::{
    self, Problem, Span, Syntax, Unreadable, echo, escape_char, headline, locate, place,
};
use crate::journal::{DATA_DIR_ENV, Reaction};
use crate::palette::Palette;
use crate::practice::exclude::Excluded;
use crate::practice::level::{DEFAULT_HARD_REACTIONS, DEFAULT_HARD_REACTIONS_FROM, MAX_RATING};
use crate::protocol::PAUSE_SECONDS;
use crate::sanitize::{is_forbidden, one_line};

/// The environment variable naming the settings file, in place of the one
/// in the platform's config folder. Empty counts as not set.
pub const CONFIG_ENV: &str = "REPAIR_CONFIG";

/// The name of the settings file in the config folder.
pub const FILE_NAME: &str = "config.toml";

/// The length of the pause before a session (`repair prep`) when the
/// settings do not give one.
pub const DEFAULT_PREP_PAUSE_SECONDS: u32 = 300;

/// A settings file is a few lines; anything bigger is the wrong file.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// Every key the file may hold, in the order the README lists them.
pub const KEYS: &[&str] = &[
    "protocol",
    "pause_seconds",
    "prep_pause_seconds",
    "bell",
    "reduce_motion",
    "mouse",
    "theme",
    "save",
    "data_dir",
    "hard_reactions",
    "hard_reactions_from",
    "record",
    "record_command",
    "play_command",
    "exclude_tags",
];

/// What the settings file says, with the built-in default for every key it
/// leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The protocol to walk through when `--protocol` is not given: a name
    /// from `repair protocols` or a path. `None`: the built-in protocol.
    pub protocol: Option<String>,
    /// Every practice pause this long, when `--scan-seconds` is not given.
    /// `None`: each step's own length.
    pub pause_seconds: Option<u32>,
    /// The pause before a session (`repair prep`). `None`: use
    /// [`DEFAULT_PREP_PAUSE_SECONDS`] (see [`Settings::prep_pause`]).
    pub prep_pause_seconds: Option<u32>,
    /// Ring the terminal bell when a pause runs its full length.
    pub bell: bool,
    /// No moving breathing pacer: a text cue counting the seconds instead.
    pub reduce_motion: bool,
    /// The walk-through reads the mouse (wheel scrolls, a click on a step
    /// goes there); false leaves the mouse to the terminal, to select text.
    pub mouse: bool,
    /// The colours of the full screen.
    pub theme: Palette,
    /// Keep the session on disk (false is `--no-save` every time).
    pub save: bool,
    /// The data directory when neither `--data-dir` nor `$REPAIR_DATA_DIR`
    /// gives one: an absolute path, or one starting with `~/`.
    pub data_dir: Option<PathBuf>,
    /// Which reactions, ticked with a rating of at least so much, make a
    /// rehearsal card count as too hard (`hard_reactions`,
    /// `hard_reactions_from`).
    pub hard_reactions: Vec<Reaction>,
    pub hard_reactions_from: u8,
    /// Record spoken responses in drills and rehearsals (as `--record`).
    pub record: bool,
    /// The recorder and its arguments, split on whitespace (WAV on its
    /// standard output). `None`: the first found of rec, arecord, ffmpeg.
    pub record_command: Option<String>,
    /// The player and its arguments, split on whitespace (WAV on its
    /// standard input). `None`: the first found of play, aplay, ffplay.
    pub play_command: Option<String>,
    /// Cards kept out of every drill and rehearsal (`exclude_tags`), with
    /// the words of `--exclude-tag` added.
    pub exclude_tags: Vec<Excluded>,
    /// Where the settings came from, and where each key was written, so a
    /// setting found wrong later (a protocol that does not exist) can be
    /// pointed at.
    pub origin: Option<String>,
    places: Vec<(&'static str, usize, usize)>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            protocol: None,
            pause_seconds: None,
            prep_pause_seconds: None,
            bell: true,
            reduce_motion: false,
            mouse: true,
            theme: Palette::Default,
            save: true,
            data_dir: None,
            hard_reactions: DEFAULT_HARD_REACTIONS.to_vec(),
            hard_reactions_from: DEFAULT_HARD_REACTIONS_FROM,
            record: false,
            record_command: None,
            play_command: None,
            exclude_tags: Vec::new(),
            origin: None,
            places: Vec::new(),
        }
    }
}

impl Settings {
    /// The pause before a session, in seconds.
    pub fn prep_pause(&self) -> u32 {
        self.prep_pause_seconds
            .unwrap_or(DEFAULT_PREP_PAUSE_SECONDS)
    }

    /// A problem with a key's value, at the place the key was written, if
    /// it was written in a file.
    pub fn problem(&self, key: &str, message: &str) -> Option<Problem> {
        let origin = self.origin.as_deref()?;
        let (_, line, column) = self.places.iter().find(|(k, _, _)| *k == key)?;
        Some(Problem::new(origin, *line, *column, message))
    }
}

/// Every problem in a settings file, in file order. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", headline(.problems, "the settings file could not be read"))]
pub struct SettingsError {
    pub problems: Vec<Problem>,
    /// For each problem, what is used instead until it is fixed ("the
    /// default theme is used").
    pub instead: Vec<String>,
    /// A problem may change where notes go or whether they are kept: a
    /// command that writes must not start.
    pub decisive: bool,
    /// The settings as far as they could be read: every value with a
    /// problem left at its default (all of them after a syntax error).
    pub settings: Box<Settings>,
}

impl From<Problem> for SettingsError {
    fn from(problem: Problem) -> Self {
        SettingsError {
            problems: vec![problem],
            instead: vec!["the whole file is ignored".to_string()],
            decisive: true,
            settings: Box::default(),
        }
    }
}

/// The settings that decide where notes go and whether they are kept: a
/// mistake in one stops a command that writes.
/// `exclude_tags` too: a misspelt word would deal the very cards someone
/// asked never to be shown.
pub const DECISIVE: &[&str] = &["save", "data_dir", "exclude_tags"];

impl SettingsError {
    /// Each problem as a one-line warning: `PATH:LINE:COL: warning:
    /// message; until it is fixed, ...`.
    pub fn warnings(&self) -> Vec<String> {
        self.problems
            .iter()
            .zip(&self.instead)
            .map(|(p, instead)| {
                format!(
                    "{}:{}:{}: warning: {}; until it is fixed, {instead}",
                    p.path, p.line, p.column, p.message
                )
            })
            .collect()
    }
}

/// What is used in place of a setting with a mistake.
fn default_instead(key: &str) -> String {
    let what = match key {
        "protocol" => "the built-in protocol is used",
        "pause_seconds" => "each step's own pause length is used",
        "prep_pause_seconds" => "the prep pause is 300 seconds",
        "bell" => "the bell rings (bell = true)",
        "reduce_motion" => "the breathing bar moves (reduce_motion = false)",
        "mouse" => "the walk-through reads the mouse (mouse = true)",
        "theme" => "the default theme is used",
        "hard_reactions" => "\"went blank\" and \"shame\" count (the default)",
        "hard_reactions_from" => "those reactions count from a rating of 6 (the default)",
        "record" => "responses are recorded only with --record",
        "record_command" => "the first recorder found is used",
        "play_command" => "the first player found is used",
        "exclude_tags" => "drills and rehearsals do not start",
        // Only commands that read are warned of these; those that write stop.
        "save" => "commands that save do not start",
        "data_dir" => {
            "notes are read from --data-dir, REPAIR_DATA_DIR or your platform's data \
             folder, and commands that write do not start"
        }
        _ => "this line is ignored",
    };
    what.to_string()
}

/// The flags that have a setting behind them, as given on the command line
/// (`None` or [`ColorChoice::Auto`]: not given).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub data_dir: Option<PathBuf>,
    pub color: ColorChoice,
    pub protocol: Option<String>,
    pub pause_seconds: Option<u32>,
    /// `--save` is `Some(true)`, `--no-save` is `Some(false)`.
    pub save: Option<bool>,
    /// `repair prep --scan-seconds`.
    pub prep_pause_seconds: Option<u32>,
}

/// What a command runs with, once flags, environment and file are weighed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choices {
    /// `None` only when nothing names one: the platform's data folder.
    pub data_dir: Option<PathBuf>,
    pub palette: Palette,
    pub protocol: Option<String>,
    /// Whether the protocol came from the settings file (not a flag).
    pub protocol_from_file: bool,
    pub pause_seconds: Option<u32>,
    /// The pause before a session (`repair prep`).
    pub prep_pause_seconds: u32,
    pub save: bool,
    pub bell: bool,
    pub reduce_motion: bool,
    pub mouse: bool,
}

/// Weighs flags, environment and settings: a flag beats the environment,
/// which beats the file.
///
/// * data directory: `--data-dir`, then `$REPAIR_DATA_DIR` (not empty), then
///   `data_dir` (a leading `~/` is the home folder, `$HOME`);
/// * colours: `--color never` is monochrome; `--color always` is the
///   `theme` setting, or the default palette if that is monochrome;
///   otherwise `$NO_COLOR` (not empty) is monochrome, else `theme`;
/// * protocol, pause length, saving: the flag, else the setting.
pub fn resolve(flags: &Flags, env: impl Fn(&str) -> Option<OsString>, file: &Settings) -> Choices {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    let data_dir = flags
        .data_dir
        .clone()
        .or_else(|| set(DATA_DIR_ENV).map(PathBuf::from))
        .or_else(|| {
            file.data_dir
                .as_ref()
                .map(|dir| expand_home(dir, set("HOME")))
        });
    let palette = match flags.color {
        ColorChoice::Never => Palette::Monochrome,
        ColorChoice::Always if file.theme == Palette::Monochrome => Palette::Default,
        ColorChoice::Always => file.theme,
        ColorChoice::Auto if set("NO_COLOR").is_some() => Palette::Monochrome,
        ColorChoice::Auto => file.theme,
    };
    Choices {
        data_dir,
        palette,
        protocol: flags.protocol.clone().or_else(|| file.protocol.clone()),
        protocol_from_file: flags.protocol.is_none() && file.protocol.is_some(),
        pause_seconds: flags.pause_seconds.or(file.pause_seconds),
        prep_pause_seconds: flags.prep_pause_seconds.unwrap_or(file.prep_pause()),
        save: flags.save.unwrap_or(file.save),
        bell: file.bell,
        reduce_motion: file.reduce_motion,
        mouse: file.mouse,
    }
}

/// `~/rest` as `$HOME/rest`; any other path as it is. Without a home folder
/// the path is kept, and using it fails with a message naming it.
fn expand_home(path: &Path, home: Option<OsString>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// Where the settings file is: `$REPAIR_CONFIG` if set (and then it must
/// exist), else `config.toml` in the platform's config folder (which may
/// well not exist). `None` if there is no home folder to look in.
pub fn location(env: impl Fn(&str) -> Option<OsString>) -> Option<(PathBuf, bool)> {
    if let Some(path) = env(CONFIG_ENV).filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    directories::ProjectDirs::from("", "", "repair-practice")
        .map(|dirs| (dirs.config_dir().join(FILE_NAME), false))
}

/// Reads the settings file named by [`location`], or the defaults if there
/// is none.
pub fn load(env: impl Fn(&str) -> Option<OsString>) -> Result<Settings, SettingsError> {
    let Some((path, named)) = location(env) else {
        return Ok(Settings::default());
    };
    let origin = path.display().to_string();
    match read_text(&path, &origin, named)? {
        Some(text) => parse(&text, &origin),
        None => Ok(Settings::default()),
    }
}

/// The file's text; `None` if it does not exist and did not have to.
fn read_text(path: &Path, origin: &str, named: bool) -> Result<Option<String>, Problem> {
    let whole = |message: &str| Problem::whole_file(origin, message);
    match diagnostics::read_text(path, MAX_FILE_BYTES) {
        Ok(text) => Ok(Some(text)),
        Err(Unreadable::Io(e)) if e.kind() == io::ErrorKind::NotFound && !named => Ok(None),
        Err(Unreadable::Io(e)) if e.kind() == io::ErrorKind::NotFound => Err(whole(&format!(
            "there is no settings file here, but {CONFIG_ENV} names it; \
             create the file, or unset {CONFIG_ENV}"
        ))),
        Err(Unreadable::Io(e)) => Err(whole(&format!("could not read the settings file ({e})"))),
        Err(Unreadable::Folder | Unreadable::NotRegular) => Err(whole(
            "this is not a regular file; the settings must be a .toml file",
        )),
        Err(Unreadable::TooLarge(_)) => Err(whole(
            "the file is too large for a settings file (the limit is 64 KiB); \
             check that this is the right file",
        )),
        Err(Unreadable::NotUtf8(_)) => Err(whole(
            "the file is not UTF-8 text; save it as UTF-8 (plain text) in your editor",
        )),
    }
}

type Value<'i> = Spanned<DeValue<'i>>;

/// Parses and checks settings text. `origin` is the path shown in problems.
pub fn parse(text: &str, origin: &str) -> Result<Settings, SettingsError> {
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    // Each issue with what is used instead, and whether it is decisive.
    let mut issues: Vec<(Span, String, String, bool)> = syntax_errors
        .iter()
        .map(|error| {
            let (span, message) = syntax_issue(text, error);
            (span, message, "the whole file is ignored".to_string(), true)
        })
        .collect();
    let mut settings = Settings {
        origin: Some(origin.to_string()),
        ..Settings::default()
    };
    // After a syntax error the parser's guess at the values is unreliable,
    // so the values are only checked in a file that is valid TOML.
    if issues.is_empty() {
        for (key, value) in root.get_ref().iter() {
            let name: &str = key.get_ref();
            let Some(known) = KEYS.iter().find(|k| **k == name) else {
                // It may be a misspelt data_dir or save: decisive.
                issues.push((
                    key.span(),
                    format!(
                        "unknown setting {}; the settings are: {}",
                        echo(name),
                        KEYS.join(", ")
                    ),
                    default_instead(""),
                    true,
                ));
                continue;
            };
            let (line, column) = place(text, key.span().start);
            settings.places.push((known, line, column));
            if let Err((span, error)) = settings.set(known, value) {
                issues.push((
                    span.unwrap_or_else(|| value.span()),
                    error.to_string(),
                    default_instead(known),
                    DECISIVE.contains(known),
                ));
            }
        }
    }
    if issues.is_empty() {
        return Ok(settings);
    }
    issues.sort_by_key(|(span, ..)| span.start);
    let decisive = issues.iter().any(|(.., decisive)| *decisive);
    let instead = issues.iter().map(|(_, _, i, _)| i.clone()).collect();
    let at = issues
        .into_iter()
        .map(|(span, message, ..)| (span.start, message));
    let settings = if syntax_errors.is_empty() {
        settings
    } else {
        // After a syntax error no value is trusted.
        Settings {
            origin: Some(origin.to_string()),
            ..Settings::default()
        }
    };
    Err(SettingsError {
        problems: locate(text, origin, at),
        instead,
        decisive,
        settings: Box::new(settings),
    })
}

/// What is wrong with one value in the settings file. The words name the
/// setting, what it takes and what was found; the found value is already
/// escaped for one line.
/// How a full path starts, in the words of the platform it runs on (a path
/// such as `/srv/notes` is not full on Windows, where it lacks a drive).
#[cfg(not(windows))]
const FULL_PATH_START: &str = "/ or ~/";
#[cfg(windows)]
const FULL_PATH_START: &str = "a drive, like C:\\, or ~/";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum ValueError {
    #[error("unknown setting \"{key}\"")]
    Unknown { key: &'static str },
    #[error("\"{key}\" must be text in quotes, like {key} = {example}; found {found}")]
    NotText {
        key: &'static str,
        example: &'static str,
        found: &'static str,
    },
    #[error("\"{key}\" contains a control character ({character}); remove it")]
    ControlCharacter {
        key: &'static str,
        character: String,
    },
    #[error("\"{key}\" is empty; write a value such as {key} = {example}, or remove the line")]
    Empty {
        key: &'static str,
        example: &'static str,
    },
    #[error(
        "\"protocol\" must be a protocol's name from `repair protocols` (lowercase letters, \
         digits and '-') or the path of a .toml file, found {found}"
    )]
    Protocol { found: String },
    #[error("\"{key}\" must be a whole number of seconds, like {key} = 90; found {found}")]
    NotSeconds {
        key: &'static str,
        found: &'static str,
    },
    #[error(
        "\"{key}\" must be between {} and {} seconds, found {found}",
        PAUSE_SECONDS.start(),
        PAUSE_SECONDS.end()
    )]
    SecondsOutOfRange { key: &'static str, found: String },
    #[error(
        "\"{key}\" must be a whole number from 0 to {MAX_RATING}, like {key} = 6; found {found}"
    )]
    NotRating {
        key: &'static str,
        found: &'static str,
    },
    #[error("\"{key}\" must be a rating from 0 to {MAX_RATING}, found {found}")]
    RatingOutOfRange { key: &'static str, found: String },
    #[error("\"{key}\" must be true or false (without quotes); found {found}")]
    NotFlag {
        key: &'static str,
        found: &'static str,
    },
    #[error("\"theme\" must be one of {names}; found {found}")]
    Theme { names: String, found: String },
    #[error("\"data_dir\" must be a full path, starting with {FULL_PATH_START}, found {found}")]
    RelativeDataDir { found: String },
    #[error(
        "\"hard_reactions\" must be a list in brackets, like hard_reactions = [\"went-blank\", \"shame\"] ([] for none); found {found}"
    )]
    ReactionsNotAList { found: &'static str },
    #[error(
        "each of \"hard_reactions\" must be a reaction in quotes, one of {}; found {found}",
        reaction_words()
    )]
    ReactionNotText { found: &'static str },
    #[error(
        "{found} is not a reaction; \"hard_reactions\" takes {}",
        reaction_words()
    )]
    NotAReaction { found: String },
    #[error("\"{}\" is in \"hard_reactions\" twice; keep one", .reaction.as_str())]
    ReactionTwice { reaction: Reaction },
    #[error(
        "\"exclude_tags\" must be a list in brackets, like exclude_tags = [\"risk\"] ([] for none); found {found}"
    )]
    ExcludedNotAList { found: &'static str },
    #[error(
        "each of \"exclude_tags\" must be a tag or content word in quotes, like \"risk\"; found {found}"
    )]
    ExcludedNotText { found: &'static str },
    #[error(transparent)]
    Excluded(#[from] crate::practice::exclude::UnknownWord),
}

/// Every reaction word in quotes, for the errors that list them.
fn reaction_words() -> String {
    Reaction::ALL
        .iter()
        .map(|r| format!("\"{}\"", r.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Settings {
    /// Checks one value and stores it, or says what is wrong with it (and
    /// where, when that is a part of the value rather than all of it).
    fn set(
        &mut self,
        key: &'static str,
        value: &Value<'_>,
    ) -> Result<(), (Option<Span>, ValueError)> {
        if key == "hard_reactions" {
            self.hard_reactions = reactions(value)?;
            return Ok(());
        }
        if key == "exclude_tags" {
            self.exclude_tags = excluded(value)?;
            return Ok(());
        }
        self.set_whole(key, value.get_ref()).map_err(|e| (None, e))
    }

    fn set_whole(&mut self, key: &'static str, value: &DeValue<'_>) -> Result<(), ValueError> {
        match key {
            "protocol" => self.protocol = Some(protocol_value(value)?),
            "pause_seconds" => self.pause_seconds = Some(seconds(key, value)?),
            "prep_pause_seconds" => self.prep_pause_seconds = Some(seconds(key, value)?),
            "bell" => self.bell = flag(key, value)?,
            "reduce_motion" => self.reduce_motion = flag(key, value)?,
            "mouse" => self.mouse = flag(key, value)?,
            "save" => self.save = flag(key, value)?,
            "theme" => self.theme = theme(value)?,
            "data_dir" => self.data_dir = Some(data_dir(value)?),
            "hard_reactions_from" => self.hard_reactions_from = rating(key, value)?,
            "record" => self.record = flag(key, value)?,
            "record_command" => {
                self.record_command = Some(text(key, value, "\"rec -q -t wav -\"")?.to_string())
            }
            "play_command" => {
                self.play_command = Some(text(key, value, "\"play -q -t wav -\"")?.to_string())
            }
            // `KEYS` and this match list the same keys.
            _ => return Err(ValueError::Unknown { key }),
        }
        Ok(())
    }
}

fn text<'v>(
    key: &'static str,
    value: &'v DeValue<'_>,
    example: &'static str,
) -> Result<&'v str, ValueError> {
    let DeValue::String(text) = value else {
        return Err(ValueError::NotText {
            key,
            example,
            found: describe(value),
        });
    };
    if let Some(c) = text.chars().find(|&c| is_forbidden(c)) {
        return Err(ValueError::ControlCharacter {
            key,
            character: escape_char(c).to_string(),
        });
    }
    if text.trim().is_empty() {
        return Err(ValueError::Empty { key, example });
    }
    Ok(text)
}

fn protocol_value(value: &DeValue<'_>) -> Result<String, ValueError> {
    let name = text("protocol", value, "\"rupture-repair\"")?;
    let is_path = name.chars().any(std::path::is_separator) || name.ends_with(".toml");
    let is_name = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if is_path || is_name {
        Ok(name.to_string())
    } else {
        Err(ValueError::Protocol {
            found: echo(name).to_string(),
        })
    }
}

fn seconds(key: &'static str, value: &DeValue<'_>) -> Result<u32, ValueError> {
    let DeValue::Integer(integer) = value else {
        return Err(ValueError::NotSeconds {
            key,
            found: describe(value),
        });
    };
    let parsed = i128::from_str_radix(integer.as_str(), integer.radix()).ok();
    parsed
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| PAUSE_SECONDS.contains(n))
        .ok_or_else(|| {
            let found = parsed.map_or_else(
                || one_line(integer.as_str()).into_owned(),
                |n| n.to_string(),
            );
            ValueError::SecondsOutOfRange { key, found }
        })
}

/// A list of reaction words: each known, none twice.
fn reactions(value: &Value<'_>) -> Result<Vec<Reaction>, (Option<Span>, ValueError)> {
    let DeValue::Array(items) = value.get_ref() else {
        return Err((
            None,
            ValueError::ReactionsNotAList {
                found: describe(value.get_ref()),
            },
        ));
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let word = match item.get_ref() {
            DeValue::String(word) => word,
            other => {
                return Err((
                    Some(item.span()),
                    ValueError::ReactionNotText {
                        found: describe(other),
                    },
                ));
            }
        };
        let Some(reaction) = Reaction::ALL
            .into_iter()
            .find(|r| r.as_str() == word.as_ref())
        else {
            return Err((
                Some(item.span()),
                ValueError::NotAReaction {
                    found: echo(word).to_string(),
                },
            ));
        };
        if out.contains(&reaction) {
            return Err((Some(item.span()), ValueError::ReactionTwice { reaction }));
        }
        out.push(reaction);
    }
    Ok(out)
}

/// A list of words that keep cards out: tags, content words, `risk`.
fn excluded(value: &Value<'_>) -> Result<Vec<Excluded>, (Option<Span>, ValueError)> {
    let DeValue::Array(items) = value.get_ref() else {
        return Err((
            None,
            ValueError::ExcludedNotAList {
                found: describe(value.get_ref()),
            },
        ));
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let DeValue::String(word) = item.get_ref() else {
            return Err((
                Some(item.span()),
                ValueError::ExcludedNotText {
                    found: describe(item.get_ref()),
                },
            ));
        };
        let word = Excluded::from_word(word).map_err(|e| (Some(item.span()), e.into()))?;
        if !out.contains(&word) {
            out.push(word);
        }
    }
    Ok(out)
}

/// A difficulty rating, 0 to 10.
fn rating(key: &'static str, value: &DeValue<'_>) -> Result<u8, ValueError> {
    let DeValue::Integer(integer) = value else {
        return Err(ValueError::NotRating {
            key,
            found: describe(value),
        });
    };
    let parsed = i128::from_str_radix(integer.as_str(), integer.radix()).ok();
    parsed
        .and_then(|n| u8::try_from(n).ok())
        .filter(|n| *n <= MAX_RATING)
        .ok_or_else(|| {
            let found = parsed.map_or_else(
                || one_line(integer.as_str()).into_owned(),
                |n| n.to_string(),
            );
            ValueError::RatingOutOfRange { key, found }
        })
}

fn flag(key: &'static str, value: &DeValue<'_>) -> Result<bool, ValueError> {
    match value {
        DeValue::Boolean(flag) => Ok(*flag),
        other => Err(ValueError::NotFlag {
            key,
            found: describe(other),
        }),
    }
}

fn theme(value: &DeValue<'_>) -> Result<Palette, ValueError> {
    let names = Palette::ALL
        .iter()
        .map(|p| format!("\"{}\"", p.name()))
        .collect::<Vec<_>>()
        .join(", ");
    let name = text("theme", value, "\"default\"")?;
    Palette::from_name(name).ok_or_else(|| ValueError::Theme {
        names,
        found: echo(name).to_string(),
    })
}

fn data_dir(value: &DeValue<'_>) -> Result<PathBuf, ValueError> {
    let dir = text("data_dir", value, "\"~/Documents/repair-practice\"")?;
    let path = PathBuf::from(dir);
    if path.is_absolute() || path.starts_with("~") {
        Ok(path)
    } else {
        Err(ValueError::RelativeDataDir {
            found: echo(dir).to_string(),
        })
    }
}

/// A value's type in plain words.
fn describe(value: &DeValue<'_>) -> &'static str {
    diagnostics::describe(value, "text in quotes")
}

/// One of the toml crate's syntax errors, in words a clinician can act on.
fn syntax_issue(text: &str, error: &toml::de::Error) -> (Span, String) {
    let syntax = Syntax::of(text, error);
    let message = if syntax.duplicate {
        syntax.twice()
    } else if backslash_in_double_quotes(text, syntax.span.start) {
        // A Windows path written as it is copied from Explorer: say how to
        // write it rather than what an escape sequence is.
        format!(
            "this is not valid TOML: {}; inside double quotes a backslash starts an escape, so write a path in single quotes, like data_dir = 'C:\\Users\\you\\notes', or with forward slashes",
            one_line(syntax.message)
        )
    } else {
        format!(
            "this is not valid TOML: {}; settings are written one a line, like bell = false",
            one_line(syntax.message)
        )
    };
    (syntax.span, message)
}

/// Whether the line holding byte `at` has a backslash after a double quote.
fn backslash_in_double_quotes(text: &str, at: usize) -> bool {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(start..end).unwrap_or("");
    line.find('"')
        .is_some_and(|quote| line[quote..].contains('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::testing::{assert_problem, places};

    /// Every problem, as (line, column, message).
    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        match parse(text, "config.toml") {
            Ok(settings) => panic!("expected problems, got {settings:?}"),
            Err(error) => places(error.problems),
        }
    }

    #[track_caller]
    fn only(text: &str, line: usize, column: usize, phrase: &str) {
        let found = problems(text);
        assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
        assert_problem(&found[0], line, column, phrase);
    }

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    /// A full path on every platform (Windows needs a drive).
    #[cfg(not(windows))]
    const SRV: &str = "/srv/notes";
    #[cfg(windows)]
    const SRV: &str = "C:/srv/notes";

    /// [`FULL`] with its data folder written for this platform.
    fn full() -> String {
        FULL.replace("/srv/notes", SRV)
    }

    const FULL: &str = r#"
# every key
protocol = "june-topic"
pause_seconds = 45
prep_pause_seconds = 120
bell = false
reduce_motion = true
theme = "high-contrast"
save = false
data_dir = "/srv/notes"
"#;

    #[test]
    fn no_file_and_an_empty_file_give_the_defaults() {
        let settings = parse("", "config.toml").unwrap();
        assert_eq!(settings.protocol, None);
        assert_eq!(settings.pause_seconds, None);
        assert_eq!(settings.prep_pause_seconds, None);
        assert_eq!(settings.prep_pause(), 300);
        assert!(settings.bell && settings.save && !settings.reduce_motion);
        assert_eq!(settings.theme, Palette::Default);
        let comments_only = parse("# nothing yet\n\n", "config.toml").unwrap();
        assert_eq!(comments_only.theme, Palette::Default);
    }

    #[test]
    fn a_windows_path_in_double_quotes_is_told_how_to_write_it() {
        // Each bad escape is a problem of its own (`\U`, then `\m`).
        let found = problems("bell = false\ndata_dir = \"C:\\Users\\me\\notes\"\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_problem(
            &found[0],
            2,
            17,
            "write a path in single quotes, like data_dir = 'C:\\Users\\you\\notes'",
        );
        let fine = parse("data_dir = 'C:\\Users\\me\\notes'\n", "config.toml");
        if cfg!(windows) {
            assert!(fine.is_ok(), "{fine:?}");
        }
        // Any other mistake keeps the general advice.
        only("bell = \n", 1, 8, "settings are written one a line");
    }

    #[test]
    fn every_key_is_read() {
        let s = parse(&full(), "config.toml").unwrap();
        assert_eq!(s.protocol.as_deref(), Some("june-topic"));
        assert_eq!(s.pause_seconds, Some(45));
        assert_eq!(s.prep_pause_seconds, Some(120));
        assert_eq!(s.prep_pause(), 120);
        assert!(!s.bell);
        assert!(s.reduce_motion);
        assert_eq!(s.theme, Palette::HighContrast);
        assert!(!s.save);
        assert_eq!(s.data_dir, Some(PathBuf::from(SRV)));
        let at = s.problem("protocol", "no such protocol").unwrap();
        assert_eq!(at.to_string(), "config.toml:3:1: no such protocol");
        assert!(s.problem("nothing", "x").is_none());
    }

    #[test]
    fn hard_reactions_default_to_went_blank_and_shame_from_six_and_can_be_changed() {
        let d = parse("", "c").unwrap();
        assert_eq!(d.hard_reactions, [Reaction::WentBlank, Reaction::Shame]);
        assert_eq!(d.hard_reactions_from, 6);
        let s = parse(
            "hard_reactions_from = 8\nhard_reactions = [\"shame\", \"irritation\"]\n",
            "c",
        )
        .unwrap();
        assert_eq!(s.hard_reactions, [Reaction::Shame, Reaction::Irritation]);
        assert_eq!(s.hard_reactions_from, 8);
        let none = parse("hard_reactions = []", "c").unwrap();
        assert!(none.hard_reactions.is_empty());
    }

    /// Each value's problem, word for word as it was written when these
    /// were plain strings: the typed errors say the same.
    #[test]
    fn each_bad_value_says_what_to_write_in_the_same_words() {
        let said = |text: &str| problems(text).remove(0).2;
        assert_eq!(
            said("pause_seconds = \"90\""),
            "\"pause_seconds\" must be a whole number of seconds, like pause_seconds = 90; found text in quotes"
        );
        assert_eq!(
            said("prep_pause_seconds = 0"),
            "\"prep_pause_seconds\" must be between 1 and 3600 seconds, found 0"
        );
        assert_eq!(
            said("bell = \"yes\""),
            "\"bell\" must be true or false (without quotes); found text in quotes"
        );
        assert_eq!(
            said("hard_reactions_from = \"6\""),
            "\"hard_reactions_from\" must be a whole number from 0 to 10, like hard_reactions_from = 6; found text in quotes"
        );
        assert_eq!(
            said("record_command = \" \""),
            "\"record_command\" is empty; write a value such as record_command = \"rec -q -t wav -\", or remove the line"
        );
        assert_eq!(
            said("play_command = 3"),
            "\"play_command\" must be text in quotes, like play_command = \"play -q -t wav -\"; found a whole number"
        );
        assert_eq!(
            said("data_dir = \"notes\""),
            format!(
                "\"data_dir\" must be a full path, starting with {FULL_PATH_START}, found \"notes\""
            )
        );
        #[cfg(not(windows))]
        assert_eq!(FULL_PATH_START, "/ or ~/");
        assert!(said("theme = \"pink\"").starts_with("\"theme\" must be one of \"default\", "),);
        assert_eq!(
            said("exclude_tags = \"risk\""),
            "\"exclude_tags\" must be a list in brackets, like exclude_tags = [\"risk\"] ([] for none); found text in quotes"
        );
        assert_eq!(
            said("exclude_tags = [3]"),
            "each of \"exclude_tags\" must be a tag or content word in quotes, like \"risk\"; found a whole number"
        );
        assert!(
            said("exclude_tags = [\"nope\"]")
                .starts_with("\"nope\" is not a tag or a content word; use one of: ")
        );
    }

    #[test]
    fn a_bad_hard_reaction_is_pointed_at_where_it_is_written() {
        only(
            "hard_reactions = [\"shame\", \"blank\"]",
            1,
            28,
            "\"blank\" is not a reaction; \"hard_reactions\" takes \"heart-racing\"",
        );
        only(
            "hard_reactions = [\"shame\", 3]",
            1,
            28,
            "each of \"hard_reactions\" must be a reaction in quotes",
        );
        only(
            "hard_reactions = [\"shame\", \"shame\"]",
            1,
            28,
            "\"shame\" is in \"hard_reactions\" twice",
        );
        only(
            "hard_reactions = \"shame\"",
            1,
            18,
            "\"hard_reactions\" must be a list in brackets",
        );
        only(
            "hard_reactions_from = 11",
            1,
            23,
            "\"hard_reactions_from\" must be a rating from 0 to 10, found 11",
        );
        only(
            "hard_reactions_from = \"6\"",
            1,
            23,
            "\"hard_reactions_from\" must be a whole number from 0 to 10",
        );
    }

    #[test]
    fn each_theme_name_is_accepted() {
        for palette in Palette::ALL {
            let text = format!("theme = \"{}\"", palette.name());
            assert_eq!(parse(&text, "c").unwrap().theme, palette);
        }
    }

    #[test]
    fn an_unknown_key_is_pointed_at_and_the_keys_listed() {
        only(
            "bell = true\ncolour = \"blue\"\n",
            2,
            1,
            "unknown setting \"colour\"",
        );
        only(
            "colour = 1",
            1,
            1,
            "the settings are: protocol, pause_seconds",
        );
    }

    #[test]
    fn each_invalid_value_is_reported_at_the_value() {
        only("protocol = 3", 1, 12, "\"protocol\" must be text in quotes");
        only("protocol = \"June Topic\"", 1, 12, "a protocol's name");
        only("protocol = \"\"", 1, 12, "\"protocol\" is empty");
        only(
            "protocol = \"a\\u001bb\"",
            1,
            12,
            "control character (\\x1b)",
        );
        only(
            "pause_seconds = 0",
            1,
            17,
            "between 1 and 3600 seconds, found 0",
        );
        only("pause_seconds = 3601", 1, 17, "found 3601");
        only("pause_seconds = -5", 1, 17, "found -5");
        only("pause_seconds = \"90\"", 1, 17, "whole number of seconds");
        only("pause_seconds = 1.5", 1, 17, "found a decimal number");
        only(
            "prep_pause_seconds = 0",
            1,
            22,
            "\"prep_pause_seconds\" must be between",
        );
        only("bell = \"no\"", 1, 8, "\"bell\" must be true or false");
        only(
            "reduce_motion = 1",
            1,
            17,
            "\"reduce_motion\" must be true or false",
        );
        only("save = \"false\"", 1, 8, "\"save\" must be true or false");
        only(
            "theme = \"dark\"",
            1,
            9,
            "one of \"default\", \"high-contrast\", \"monochrome\"",
        );
        only("theme = true", 1, 9, "\"theme\" must be text in quotes");
        only("data_dir = \"notes\"", 1, 12, "full path");
        only("data_dir = 7", 1, 12, "\"data_dir\" must be text");
        only(
            "[bell]\non = true\n",
            1,
            1,
            "\"bell\" must be true or false (without quotes); found a table",
        );
    }

    #[test]
    fn every_problem_is_reported_in_file_order() {
        let found = problems("theme = \"dark\"\nbell = 2\nshade = 1\n");
        let places: Vec<(usize, usize)> = found.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(places, vec![(1, 9), (2, 8), (3, 1)]);
    }

    #[test]
    fn broken_toml_and_repeated_keys_are_reported() {
        let found = problems("bell = true\ntheme = \"dark\n");
        assert_eq!(found[0].0, 2);
        assert!(found[0].2.contains("not valid TOML"), "{found:?}");
        only(
            "bell = true\nbell = false\n",
            2,
            1,
            "\"bell\" is given twice",
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        only("# été\ntheme = \"été\"", 2, 9, "found \"été\"");
        only("\u{feff}bell = 1", 1, 8, "true or false");
    }

    #[test]
    fn messages_never_carry_control_characters() {
        let found = problems("\"co\\u001blour\" = 1");
        assert!(!found[0].2.contains('\x1b'), "{found:?}");
    }

    #[test]
    fn a_flag_beats_the_environment_which_beats_the_file() {
        let file = parse(&full(), "config.toml").unwrap();
        let flags = Flags {
            data_dir: Some("/flag".into()),
            ..Flags::default()
        };
        let vars = [("REPAIR_DATA_DIR", "/env")];
        assert_eq!(
            resolve(&flags, env(&vars), &file).data_dir,
            Some("/flag".into())
        );
        let none = Flags::default();
        assert_eq!(
            resolve(&none, env(&vars), &file).data_dir,
            Some("/env".into())
        );
        assert_eq!(resolve(&none, env(&[]), &file).data_dir, Some(SRV.into()));
        // An empty variable counts as not set.
        let empty = [("REPAIR_DATA_DIR", "")];
        assert_eq!(
            resolve(&none, env(&empty), &file).data_dir,
            Some(SRV.into())
        );
        let defaults = Settings::default();
        assert_eq!(resolve(&none, env(&[]), &defaults).data_dir, None);
    }

    /// `resolve` is the one place the environment names the data directory:
    /// no other file reads the variable, so the flag, the variable and the
    /// setting are weighed once and everything after uses that choice.
    #[test]
    fn only_resolve_reads_the_data_directory_variable() {
        fn rust_files(dir: &std::path::Path, into: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("read src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    rust_files(&path, into);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    into.push(path);
                }
            }
        }
        let mut files = Vec::new();
        rust_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let readers: Vec<_> = files
            .iter()
            .filter(|path| !path.ends_with("settings.rs"))
            .filter(|path| {
                let text = std::fs::read_to_string(path).expect("read");
                text.lines().any(|line| {
                    line.contains("env::var")
                        && (line.contains("DATA_DIR_ENV") || line.contains("REPAIR_DATA_DIR"))
                })
            })
            .collect();
        assert!(readers.is_empty(), "read again in {readers:?}");
    }

    #[test]
    fn a_data_dir_under_home_is_expanded() {
        let file = parse("data_dir = \"~/notes\"", "c").unwrap();
        let vars = [("HOME", "/home/ana")];
        let choices = resolve(&Flags::default(), env(&vars), &file);
        assert_eq!(choices.data_dir, Some("/home/ana/notes".into()));
    }

    #[test]
    fn colour_comes_from_the_flag_then_no_color_then_the_theme() {
        let hc = parse("theme = \"high-contrast\"", "c").unwrap();
        let mono = parse("theme = \"monochrome\"", "c").unwrap();
        let no_color = [("NO_COLOR", "1")];
        let palette = |color, vars: &[(&str, &str)], file: &Settings| {
            let flags = Flags {
                color,
                ..Flags::default()
            };
            resolve(&flags, env(vars), file).palette
        };
        use ColorChoice::*;
        assert_eq!(palette(Auto, &[], &hc), Palette::HighContrast);
        assert_eq!(palette(Auto, &no_color, &hc), Palette::Monochrome);
        assert_eq!(
            palette(Auto, &[("NO_COLOR", "")], &hc),
            Palette::HighContrast
        );
        assert_eq!(palette(Auto, &[], &mono), Palette::Monochrome);
        assert_eq!(palette(Always, &no_color, &hc), Palette::HighContrast);
        assert_eq!(palette(Always, &no_color, &mono), Palette::Default);
        assert_eq!(palette(Never, &[], &hc), Palette::Monochrome);
        assert_eq!(palette(Auto, &[], &Settings::default()), Palette::Default);
    }

    #[test]
    fn protocol_pause_and_saving_come_from_the_flag_then_the_file() {
        let file = parse(&full(), "config.toml").unwrap();
        let from_file = resolve(&Flags::default(), env(&[]), &file);
        assert_eq!(from_file.protocol.as_deref(), Some("june-topic"));
        assert!(from_file.protocol_from_file);
        assert_eq!(from_file.pause_seconds, Some(45));
        assert!(!from_file.save);
        assert!(!from_file.bell && from_file.reduce_motion);
        let flags = Flags {
            protocol: Some("other".into()),
            pause_seconds: Some(10),
            save: Some(true),
            ..Flags::default()
        };
        let from_flags = resolve(&flags, env(&[]), &file);
        assert_eq!(from_flags.protocol.as_deref(), Some("other"));
        assert!(!from_flags.protocol_from_file);
        assert_eq!(from_flags.pause_seconds, Some(10));
        assert!(from_flags.save);
        let no_save = Flags {
            save: Some(false),
            ..Flags::default()
        };
        assert!(!resolve(&no_save, env(&[]), &Settings::default()).save);
    }

    #[test]
    fn the_file_is_found_through_repair_config_or_the_config_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("my.toml");
        let shown = path.display().to_string();
        let vars = [("REPAIR_CONFIG", shown.as_str())];
        // Named but missing: refused, since it was asked for by name.
        let error = load(env(&vars)).unwrap_err();
        assert!(
            error.to_string().contains("REPAIR_CONFIG names it"),
            "{error}"
        );
        std::fs::write(&path, "bell = false\n").unwrap();
        assert!(!load(env(&vars)).unwrap().bell);
        std::fs::write(&path, "bell = 3\n").unwrap();
        let error = load(env(&vars)).unwrap_err();
        assert_eq!(error.problems[0].line, 1);
        assert!(
            error.to_string().starts_with(&format!("{shown}:1:8: ")),
            "{error}"
        );
        let folder = [("REPAIR_CONFIG", dir.path().to_str().unwrap())];
        assert!(
            load(env(&folder))
                .unwrap_err()
                .to_string()
                .contains("not a regular file")
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_or_too_large_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let shown = path.display().to_string();
        let vars = [("REPAIR_CONFIG", shown.as_str())];
        std::fs::write(&path, b"bell = \xff\n").unwrap();
        assert!(load(env(&vars)).unwrap_err().to_string().contains("UTF-8"));
        std::fs::write(&path, "#".repeat(70_000)).unwrap();
        assert!(
            load(env(&vars))
                .unwrap_err()
                .to_string()
                .contains("too large")
        );
    }
}
