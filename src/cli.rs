//! The command line. Commands, flags and exit codes are a public interface:
//! extend freely, never break.
//!
//! The `///` comments on commands and flags are the `--help` text, written
//! for people (`<data dir>` there is words, not an HTML tag).
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Practise repairing ruptures in the therapeutic relationship, one step at a
/// time. With no command, walks through the built-in protocol.
#[derive(Debug, Parser)]
#[command(
    name = "repair",
    version = concat!(env!("CARGO_PKG_VERSION"), " (protocol format 2)"),
    after_help = "Your notes stay on this computer, in the data directory (see `repair notes path`).\n\
                  Settings, all optional, are read from ~/.config/repair-practice/config.toml \
                  (or the file named by $REPAIR_CONFIG); docs/guide.md lists every setting. \
                  A flag beats the environment, which beats the settings file.\n\
                  Exit codes: 0 done, 1 a problem (it says what), 2 a mistake in the command line, \
                  128+N stopped by signal N."
)]
pub struct Cli {
    /// Where notes are kept [default: $REPAIR_DATA_DIR, else the data_dir setting, else your platform's data folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Colours on the full screen: auto follows the theme setting (none if NO_COLOR is set)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Read the passphrase of encrypted notes from this open file descriptor, one line each time it is needed, instead of from the terminal
    #[arg(long, global = true, value_name = "N")]
    pub passphrase_fd: Option<i32>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// The walk's flags: `repair` alone is a walk. Given before another
    /// command that has the same flag, they are that command's.
    #[command(
        flatten,
        next_help_heading = "Walk options (repair, repair practice; also before a command that has them)"
    )]
    pub practice: PracticeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk through the steps of a repair, with a timed pause and private notes (the default)
    Practice(PracticeArgs),
    /// Check protocol files; prints PATH:LINE:COL: message for every problem
    Validate {
        /// Protocol files to check
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List the built-in protocol and those in <data dir>/protocols/, or start a new one
    Protocols {
        #[command(subcommand)]
        command: Option<ProtocolsCommand>,
    },
    /// Before a difficult session: the internal scan, your words for each step, an intention, a pocket card
    Prep(PrepArgs),
    /// Rehearse repairs in a group as deliberate practice: sets of cards per trainee, private directions, self-rated difficulty, criteria and model responses
    Rehearse(RehearseArgs),
    /// Drill alone between supervision meetings: a card, one breath, your response, the reveal, a self-rating
    Drill(DrillArgs),
    /// Your saved notes: a browser in a terminal, else a list
    Notes {
        #[command(subcommand)]
        command: Option<NotesCommand>,
    },
    /// Sessions waiting for their follow-up; with an ID, do that follow-up now
    FollowUp {
        /// The session to follow up (from `repair follow-up`)
        #[arg(value_name = "ID")]
        id: Option<String>,
        /// Plain lines instead of the full screen
        #[arg(long)]
        plain: bool,
    },
    /// Print a script that lets your shell complete repair's commands and flags
    #[command(
        after_help = "For example, for bash: repair completions bash > ~/.local/share/bash-completion/completions/repair\n\
                            For zsh, write it to a file named _repair in a folder on your $fpath; \
                            for fish: repair completions fish > ~/.config/fish/completions/repair.fish"
    )]
    Completions {
        /// Your shell: bash, zsh or fish (elvish and powershell work too)
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (for example: repair man > repair.1; man ./repair.1)
    Man,
    /// A one-page report of your practice over a range of days, to read and, if you choose, to bring to supervision
    Report(ReportArgs),
    /// The deck of scenario cards: each card with when you last practised it and when it is due; or print it as slips
    #[command(args_conflicts_with_subcommands = true)]
    Deck {
        #[command(subcommand)]
        command: Option<DeckCommand>,
        #[command(flatten)]
        view: DeckArgs,
    },
}

/// `repair report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The days up to today to cover: a number and d, w, m or y (30d, 4w, 6m, 1y) [default: 4w]
    #[arg(long, value_name = "LENGTH", conflicts_with_all = ["from", "to"])]
    pub since: Option<crate::report::Since>,
    /// The first day to cover (YYYY-MM-DD) [default: four weeks before --to]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,
    /// The last day to cover (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<chrono::NaiveDate>,
    /// The format: html (one printable file), md or json (printed unless -o)
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Write to this file (created owner-only; never replaces one unless --force) [default for html: repair-report-YYYY-MM-DD.html here]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it already exists
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Include the text of your notes from the sessions in range (left out by default)
    #[arg(long)]
    pub include_notes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained page to read or print (the default)
    Html,
    /// Markdown, with text tables
    Md,
    /// The figures, for scripts
    Json,
}

/// `repair deck` without `print`: the deck view.
#[derive(Debug, Clone, Default, Args)]
pub struct DeckArgs {
    /// Show this card in full (its id, as the list shows it)
    #[arg(value_name = "CARD-ID")]
    pub card: Option<String>,
    /// Only cards with this tag (repeat it for cards with every one of the tags)
    #[arg(long, value_name = "TAG", value_parser = parse_tag)]
    pub tag: Vec<crate::protocol::Tag>,
    /// Only cards of this kind of rupture marker
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Only cards of this level
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Only the cards due today (as `repair drill --due` deals them)
    #[arg(long)]
    pub due: bool,
    /// Plain lines instead of the full screen: one line per card (also used when not in a terminal)
    #[arg(long)]
    pub plain: bool,
    /// Print the cards as JSON, for scripts
    #[arg(long, conflicts_with = "plain")]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Write the deck as printable slips: role-player, therapist and observer, half a page each
    Print {
        /// Only cards with this tag (repeat it for cards with every one of the tags)
        #[arg(long, value_name = "TAG", value_parser = parse_tag)]
        tag: Vec<crate::protocol::Tag>,
        /// Only cards of this kind of rupture marker
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Only cards of this level
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
        /// The step whose criteria the observer's sheet lists [default: every step observers can see]
        #[arg(long, value_name = "ID")]
        step: Option<String>,
        /// The file to write (created owner-only; never replaces one unless --force)
        #[arg(short = 'o', long = "output", value_name = "FILE", required = true)]
        output: PathBuf,
        /// Replace FILE if it already exists
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProtocolsCommand {
    /// Write a starter protocol, with comments, to <data dir>/protocols/NAME.toml
    /// for you to edit; it never replaces a file that is already there
    New {
        /// The new protocol's name: lowercase letters, digits and '-' (for example: june-topic)
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Print the JSON Schema of the protocol format, for editors that check
    /// TOML while you type (for example: repair protocols schema > protocol.schema.json)
    Schema,
}

#[derive(Debug, Subcommand)]
pub enum NotesCommand {
    /// Print saved sessions, oldest first (all of them unless IDs or dates are given)
    Export {
        /// Only these sessions
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        /// Only sessions started on or after this day (YYYY-MM-DD)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        since: Option<chrono::NaiveDate>,
        /// Only sessions started on or before this day (YYYY-MM-DD)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        until: Option<chrono::NaiveDate>,
        /// The format to write
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
        /// Write to this file (created owner-only) instead of printing
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it already exists
        #[arg(long, requires = "output")]
        force: bool,
        /// Also copy the sessions' recorded responses, as WAV files, into the folder FILE.audio
        #[arg(long, requires = "output")]
        with_audio: bool,
    },
    /// Print the data directory
    Path,
    /// List saved sessions, newest first
    List {
        /// Print the list as JSON (sessions and unreadable files), for scripts
        #[arg(long)]
        json: bool,
    },
    /// Encrypt your notes on disk with a passphrase (asked twice); also finishes an interrupted encrypt
    Encrypt {
        /// Make a new key even though encrypted sessions are here whose key file is missing or
        /// damaged (they stay unreadable unless that key file is restored)
        #[arg(long)]
        force: bool,
    },
    /// Turn encryption off: store your notes as plain files again; also finishes an interrupted decrypt
    Decrypt,
    /// Change the passphrase of encrypted notes (the key is wrapped anew; sessions are not rewritten)
    Passphrase,
    /// Print one session with all its notes
    Show {
        /// The session's id, as `repair notes list` shows it
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Delete sessions (asks first unless --yes)
    Delete {
        /// The ids of the sessions to delete, as `repair notes list` shows them
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Delete without asking first
        #[arg(long)]
        yes: bool,
    },
    /// Read a JSON export back in; sessions already here are left alone
    Import {
        /// A file written by `repair notes export --format json`
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Sessions per week, time in pauses, steps practised, follow-ups, streak, and practice (drill and rehearse)
    Stats {
        /// Print the figures as JSON, for scripts
        #[arg(long)]
        json: bool,
    },
}

/// When the full screen uses colour: `auto` is the theme setting, or no
/// colour when NO_COLOR is set; `always` is colour even then; `never` is
/// the monochrome theme. (Not documented per value, which keeps `--help`
/// in its short layout.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A readable document to take to supervision (the default)
    Markdown,
    /// A JSON array of sessions, for backups and other tools
    Json,
}

/// A day as YYYY-MM-DD.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, FlagValueError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| FlagValueError::NotADate(text.to_owned()))
}

impl Cli {
    /// The command line of this process, read as [`Cli::read`] reads it.
    pub fn from_args() -> Cli {
        Cli::read(std::env::args_os().collect())
    }

    /// Parses `args` (the program's name first), exiting on a mistake as
    /// clap does. The walk's flags are shown at the top level because
    /// `repair` alone is a walk; given before another command that has a
    /// flag of the same name (`repair --no-save drill`), they are that
    /// command's, as if written after it (`repair drill --no-save`), and
    /// checked by its rules. A flag the command does not have is still a
    /// mistake, said by [`Cli::practice_args`].
    pub fn read(args: Vec<std::ffi::OsString>) -> Cli {
        // `repair` alone, the walk most starts are, has nothing to parse:
        // building the parser for every command's flags was a fifth of the
        // work before the first frame. A test checks the parser gives the
        // same.
        if args.len() == 1 {
            return Cli::alone();
        }
        let cli = Cli::parse_from(&args);
        let other_command = !matches!(cli.command, None | Some(Command::Practice(_)));
        if !other_command || !cli.practice_flags_given() {
            return cli;
        }
        match after_the_command(&args) {
            Some(moved) => Cli::parse_from(moved),
            None => cli,
        }
    }

    /// What the parser makes of `repair` with nothing after it.
    fn alone() -> Cli {
        Cli {
            data_dir: None,
            color: ColorChoice::Auto,
            passphrase_fd: None,
            command: None,
            practice: PracticeArgs::default(),
        }
    }

    /// The practice flags given before the command, which belong to
    /// `practice` only: `repair --step scan` and `repair practice --step scan`
    /// are the same. Given with another command they are a mistake.
    pub fn practice_flags_given(&self) -> bool {
        let p = &self.practice;
        p.protocol.is_some()
            || p.step.is_some()
            || p.focus
            || p.scan_seconds.is_some()
            || p.no_save
            || p.save
            || p.plain
            || p.resume.is_some()
    }
}

impl Cli {
    /// What to say when practice flags come before another command: for
    /// each flag, where it goes (`repair --scan-seconds 5 prep` is told to
    /// write `repair prep --scan-seconds 5`).
    pub fn misplaced_practice_flags(&self) -> String {
        use clap::CommandFactory;
        let p = &self.practice;
        let given: Vec<(&str, Option<String>)> = [
            ("protocol", p.protocol.clone().map(Some)),
            ("step", p.step.clone().map(Some)),
            ("focus", p.focus.then_some(None)),
            ("scan-seconds", p.scan_seconds.map(|n| Some(n.to_string()))),
            ("no-save", p.no_save.then_some(None)),
            ("save", p.save.then_some(None)),
            ("plain", p.plain.then_some(None)),
            ("resume", p.resume.clone().map(Some)),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect();
        let command = Cli::command();
        // The command's word: the first that names one and is not the value
        // of a flag before it (`--protocol notes prep`).
        let args: Vec<String> = std::env::args().skip(1).collect();
        let takes_value = |flag: &str| {
            let name = flag.trim_start_matches('-');
            !flag.contains('=')
                && command
                    .get_arguments()
                    .any(|a| a.get_long() == Some(name) && a.get_action().takes_values())
        };
        let sub = args
            .iter()
            .enumerate()
            .find(|(i, a)| {
                command.find_subcommand(a.as_str()).is_some()
                    && (*i == 0 || !takes_value(&args[i - 1]))
            })
            .map(|(_, a)| a.clone())
            .unwrap_or_default();
        let takes = |flag: &str| {
            command
                .find_subcommand(&sub)
                .is_some_and(|c| c.get_arguments().any(|a| a.get_long() == Some(flag)))
        };
        let mut parts = Vec::new();
        for (flag, value) in &given {
            let written = match value {
                Some(v) => format!("--{flag} {v}"),
                None => format!("--{flag}"),
            };
            if takes(flag) {
                parts.push(format!(
                    "--{flag} goes after the command: `repair {sub} {written}`"
                ));
            } else {
                parts.push(format!(
                    "--{flag} goes with `repair` or `repair practice` only; `repair {sub}` has no --{flag}"
                ));
            }
        }
        parts.join("; ")
    }
}

impl Cli {
    /// The practice flags this run goes by, checked: the flags given after
    /// `practice` with those given before it (`repair --step scan practice`)
    /// filled in. The rules clap cannot see across the two places are kept
    /// here, with the parse: practice flags before another command, and
    /// conflicting flags split between the two places.
    pub fn practice_args(&self) -> Result<PracticeArgs, clap::Error> {
        use clap::CommandFactory;
        use clap::error::ErrorKind;
        let conflict = |text: String| Err(Cli::command().error(ErrorKind::ArgumentConflict, text));
        let args = match &self.command {
            None => self.practice.clone(),
            Some(Command::Practice(args)) => args.or(&self.practice),
            Some(_) if self.practice_flags_given() => {
                return conflict(self.misplaced_practice_flags());
            }
            Some(_) => self.practice.clone(),
        };
        if args.save && args.no_save {
            return conflict("--save and --no-save say opposite things; give only one".into());
        }
        if args.step.is_some() && args.focus {
            return conflict(
                "--step and --focus both pick the step to practise; give only one".into(),
            );
        }
        if args.resume.is_some() && (args.step.is_some() || args.focus) {
            return conflict(
                "--resume continues a session as it was; it cannot be combined with --step or --focus"
                    .into(),
            );
        }
        Ok(args)
    }

    /// Checks between the values of flags that clap's own rules cannot
    /// express; a mistake is a usage error (exit 2), like any other.
    pub fn check_values(&self) -> Result<(), clap::Error> {
        use clap::CommandFactory;
        use clap::error::ErrorKind;
        if let Some(Command::Rehearse(args)) = &self.command {
            let rule = args.level_rule();
            if rule.up_at >= rule.down_at {
                let mut cli = Cli::command();
                cli.build();
                let rehearse = cli
                    .find_subcommand_mut("rehearse")
                    .expect("rehearse is a subcommand");
                return Err(rehearse.error(
                    ErrorKind::ArgumentConflict,
                    format!(
                        "--harder-at {} must be below --easier-at {}: a rating of {} or less makes the next card harder and {} or more easier; give a smaller --harder-at or a larger --easier-at (defaults 3 and 8)",
                        rule.up_at, rule.down_at, rule.up_at, rule.down_at
                    ),
                ));
            }
            let (playing, _) = args.seats();
            if playing.len() < crate::practice::rehearse::MIN_PEOPLE {
                let mut cli = Cli::command();
                cli.build();
                let rehearse = cli
                    .find_subcommand_mut("rehearse")
                    .expect("rehearse is a subcommand");
                return Err(rehearse.error(
                    ErrorKind::ValueValidation,
                    format!(
                        "the trainer plays no role, so --people leaves {} to play; give at least {} people besides the trainer",
                        crate::words::count(playing.len(), "person", "people"),
                        crate::practice::rehearse::MIN_PEOPLE
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The walk's own flags (what `Cli::practice` holds), by long name.
const WALK_FLAGS: &[&str] = &[
    "protocol",
    "step",
    "focus",
    "scan-seconds",
    "no-save",
    "save",
    "plain",
    "resume",
];

/// `args` with the walk's flags given before another command moved to just
/// after the command's word, when that command has every one of them;
/// `None` when there is nothing to move or one of them is not the
/// command's (that stays a mistake, said in words).
fn after_the_command(args: &[std::ffi::OsString]) -> Option<Vec<std::ffi::OsString>> {
    use clap::CommandFactory;
    let command = Cli::command();
    let text: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let takes_value = |name: &str| {
        command
            .get_arguments()
            .any(|a| a.get_long() == Some(name) && a.get_action().takes_values())
    };
    let long = |token: &str| -> Option<(String, bool)> {
        let name = token.strip_prefix("--")?;
        Some(match name.split_once('=') {
            Some((name, _)) => (name.to_string(), true),
            None => (name.to_string(), false),
        })
    };
    // The command's word: the first that names one and is not the value
    // of the flag before it (`--protocol notes prep`).
    let mut at = 1;
    let mut sub = None;
    while at < text.len() {
        let token = &text[at];
        if token == "--" {
            return None;
        }
        if let Some((name, inline)) = long(token) {
            at += if !inline && takes_value(&name) { 2 } else { 1 };
            continue;
        }
        if command.find_subcommand(token).is_some() {
            sub = Some(at);
            break;
        }
        at += 1;
    }
    let sub = sub?;
    let target = command.find_subcommand(&text[sub])?;
    let has = |name: &str| target.get_arguments().any(|a| a.get_long() == Some(name));
    let mut kept = vec![args[0].clone()];
    let mut moved = Vec::new();
    let mut i = 1;
    while i < sub {
        let width = match long(&text[i]) {
            Some((name, inline)) if !inline && takes_value(&name) => 2,
            _ => 1,
        };
        let end = (i + width).min(sub);
        match long(&text[i]) {
            Some((name, _)) if WALK_FLAGS.contains(&name.as_str()) => {
                if !has(&name) {
                    return None;
                }
                moved.extend_from_slice(&args[i..end]);
            }
            _ => kept.extend_from_slice(&args[i..end]),
        }
        i = end;
    }
    if moved.is_empty() {
        return None;
    }
    kept.push(args[sub].clone());
    kept.extend(moved);
    kept.extend_from_slice(&args[sub + 1..]);
    Some(kept)
}

/// How many people a rehearsal has when `--people` is not given: a triad.
const DEFAULT_PEOPLE: usize = 3;

impl RehearseArgs {
    /// Who plays, in seat order, and the trainer (who does not): `--people`
    /// (a triad when not given) without the trainer when they are named
    /// there too. With a count, the trainer comes on top of it.
    pub fn seats(&self) -> (Vec<String>, Option<String>) {
        let people = self
            .people
            .clone()
            .unwrap_or(People::Count(DEFAULT_PEOPLE))
            .names();
        let Some(trainer) = &self.trainer else {
            return (people, None);
        };
        let playing = match &self.people {
            Some(People::Names(_)) => people
                .into_iter()
                .filter(|n| n.to_lowercase() != trainer.to_lowercase())
                .collect(),
            _ => people,
        };
        (playing, Some(trainer.clone()))
    }

    /// The level rule these flags give, defaults filled in (see
    /// [`Cli::check_values`] for the one rule between them).
    pub fn level_rule(&self) -> crate::practice::level::LevelRule {
        let defaults = crate::practice::level::LevelRule::default();
        crate::practice::level::LevelRule {
            down_at: self.easier_at.unwrap_or(defaults.down_at),
            up_at: self.harder_at.unwrap_or(defaults.up_at),
            ..defaults
        }
    }
}

impl PracticeArgs {
    /// These flags, with any not given filled in from `outer` (the flags
    /// given before the word `practice`).
    pub fn or(&self, outer: &PracticeArgs) -> PracticeArgs {
        PracticeArgs {
            protocol: self.protocol.clone().or_else(|| outer.protocol.clone()),
            step: self.step.clone().or_else(|| outer.step.clone()),
            focus: self.focus || outer.focus,
            scan_seconds: self.scan_seconds.or(outer.scan_seconds),
            no_save: self.no_save || outer.no_save,
            save: self.save || outer.save,
            plain: self.plain || outer.plain,
            resume: self.resume.clone().or_else(|| outer.resume.clone()),
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
pub struct PracticeArgs {
    /// The protocol to use: a name from `repair protocols`, or a file's path [default: the protocol setting, else the built-in one]
    #[arg(long, value_name = "NAME|PATH")]
    pub protocol: Option<String>,

    /// Practise one step alone, by its id (for example: scan)
    #[arg(long, value_name = "ID", conflicts_with = "focus")]
    pub step: Option<String>,

    /// Practise the protocol's step of the month alone
    #[arg(long)]
    pub focus: bool,

    /// Make every pause this many seconds long, 1 to 3600 [default: the pause_seconds setting, else each step's own]
    #[arg(long, value_name = "N", value_parser = pause_seconds())]
    pub scan_seconds: Option<u32>,

    /// Keep nothing on disk, whatever the settings say
    #[arg(long)]
    pub no_save: bool,

    /// Keep the session on disk, even if the settings say save = false
    #[arg(long, conflicts_with = "no_save")]
    pub save: bool,

    /// Plain lines instead of the full screen (also used when not in a terminal)
    #[arg(long)]
    pub plain: bool,

    /// Continue an unfinished session where it stopped
    #[arg(long, value_name = "ID", conflicts_with_all = ["step", "focus"])]
    pub resume: Option<String>,
}

/// `repair prep`.
#[derive(Debug, Clone, Default, Args)]
pub struct PrepArgs {
    /// The protocol to use: a name from `repair protocols`, or a file's path
    #[arg(long, value_name = "NAME|PATH")]
    pub protocol: Option<String>,

    /// How long the internal scan lasts, in seconds (1 to 3600) [default: 300]
    #[arg(long, value_name = "N", value_parser = pause_seconds())]
    pub scan_seconds: Option<u32>,

    /// Keep nothing on disk
    #[arg(long)]
    pub no_save: bool,

    /// Plain lines instead of the full screen (also used when not in a terminal)
    #[arg(long)]
    pub plain: bool,

    /// Continue an unfinished prep where it stopped
    #[arg(long, value_name = "ID")]
    pub resume: Option<String>,
}

/// `repair rehearse`.
#[derive(Debug, Clone, Default, Args)]
pub struct RehearseArgs {
    /// The protocol (and its deck of scenario cards): a name from `repair protocols`, or a path
    #[arg(long, value_name = "NAME|PATH")]
    pub protocol: Option<String>,

    /// Who takes part: first names in seat order (Ana,Ben,Cy), or how many people (2 to 12) [default: 3]
    #[arg(long, value_name = "NAME,NAME,...|N", value_parser = parse_people)]
    pub people: Option<People>,

    /// A trainer, who plays no role and gives one corrective point after each response, before the reveal (`--trainer` alone: "Trainer"; a name also in --people leaves the seats)
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "Trainer", value_parser = parse_trainer)]
    pub trainer: Option<String>,

    /// How many cards in all, retries not counted (1 to 100) [default: one set per person]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rounds: Option<u32>,

    /// How many cards in a row each person plays as the therapist before the roles move on (1 to 20) [default: 4]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub set: Option<u32>,

    /// How long each response lasts, in seconds (0: no timer; up to 3600) [default: 60]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=3600))]
    pub round_seconds: Option<u32>,

    /// Show each card's kind and level before the review (hidden by default: recognising the marker is the skill)
    #[arg(long)]
    pub show_kind: bool,

    /// A difficulty rating of N or more makes that person's next card easier (0 to 10) [default: 8]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10))]
    pub easier_at: Option<u8>,

    /// A difficulty rating of N or less makes that person's next card harder (0 to 10) [default: 3]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10))]
    pub harder_at: Option<u8>,

    /// Only cards of this kind of rupture marker
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Everyone's first level; each person's own ratings move it from there [default: beginner]
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,

    /// Deal the cards in a reproducible order (the same seed and answers give the same rehearsal)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Leave out cards with this tag or content word; repeat it for more (risk leaves out every card with a content note) [also: the exclude_tags setting]
    #[arg(long = "exclude-tag", value_name = "TAG", value_parser = parse_excluded)]
    pub exclude_tag: Vec<crate::practice::exclude::Excluded>,

    /// Keep the rounds (seats, cards, every answer, feedback; never names) with your notes
    #[arg(long)]
    pub save: bool,

    /// Plain lines instead of the full screen (also used when not in a terminal)
    #[arg(long)]
    pub plain: bool,

    /// Record each therapist's spoken response, if they agree at their first card (with rec, arecord or ffmpeg) [default: the record setting]
    #[arg(long)]
    pub record: bool,

    /// Practise one step, by its id: only its criteria are shown and ticked (all: every step observers can see) [default: the protocol's step of the month, else all]
    #[arg(long, value_name = "ID|all")]
    pub step: Option<String>,

    /// One breath before each response, in seconds (0: none; up to 120) [default: 8]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=120))]
    pub scan_seconds: Option<u32>,

    /// Responses per card: 2 gives the client player the card's next lines privately, and the therapist answers once more after the one played; 1 is one response [default: 2]
    #[arg(long, value_name = "1|2", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub beats: Option<u8>,

    /// After each person's set, an improvised segment of this many minutes, rated like a card (0: none; up to 10) [default: 0]
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(0..=crate::practice::rehearse::MAX_IMPROVISE_MINUTES as i64))]
    pub improvise: Option<u32>,
}

/// `repair drill`.
#[derive(Debug, Clone, Default, Args)]
pub struct DrillArgs {
    /// The protocol (and its deck of cards): a name from `repair protocols`, or a path [default: the protocol setting, else the built-in one]
    #[arg(long, value_name = "NAME|PATH")]
    pub protocol: Option<String>,

    /// How many cards at most (1 to 100) [default: 10]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub cards: Option<u32>,

    /// How many minutes at most (1 to 240); a card under way is finished [default: 15]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=240))]
    pub minutes: Option<u32>,

    /// How long the one-breath scan before each response lasts, in seconds (1 to 120) [default: 8]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=120))]
    pub scan_seconds: Option<u32>,

    /// How long a spoken response may run, in seconds (0: no timer; up to 600) [default: 45]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=600))]
    pub respond_seconds: Option<u32>,

    /// Type each response instead of saying it out loud (kept as that card's notes)
    #[arg(long = "type")]
    pub typed: bool,

    /// Only cards of this kind of rupture marker
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// The level to start at [default: where your last drill left each kind, else beginner]
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,

    /// Only cards with this tag (telehealth, couple, family, adolescent, group, mandated, interpreter, culture-identity, therapist-error, risk, fees-scheduling)
    #[arg(long, value_name = "TAG", value_parser = parse_tag)]
    pub tag: Option<crate::protocol::Tag>,

    /// Leave out cards with this tag or content word; repeat it for more (risk leaves out every card with a content note) [also: the exclude_tags setting]
    #[arg(long = "exclude-tag", value_name = "TAG", value_parser = parse_excluded)]
    pub exclude_tag: Vec<crate::practice::exclude::Excluded>,

    /// Shuffle the cards in a reproducible order
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Only the cards due today (from your saved drills); ends when they are done
    #[arg(long)]
    pub due: bool,

    /// Drill one step's criteria, by its id (for example: reflect)
    #[arg(long, value_name = "ID", conflicts_with = "focus")]
    pub step: Option<String>,

    /// Drill the protocol's step of the month (the default when it names one)
    #[arg(long)]
    pub focus: bool,

    /// Keep nothing on disk, whatever the settings say (cards are then dealt without your history)
    #[arg(long)]
    pub no_save: bool,

    /// Record each spoken response (with rec, arecord or ffmpeg) to play back with p before rating [default: the record setting]
    #[arg(long)]
    pub record: bool,

    /// Plain lines instead of the full screen (also used when not in a terminal)
    #[arg(long)]
    pub plain: bool,
}

/// `--exclude-tag`: a tag, a content word, or `risk` for every card with a
/// content note.
fn parse_excluded(
    text: &str,
) -> Result<crate::practice::exclude::Excluded, crate::practice::exclude::UnknownWord> {
    crate::practice::exclude::Excluded::from_word(text)
}

/// `--tag`: one word of the tag vocabulary.
fn parse_tag(text: &str) -> Result<crate::protocol::Tag, FlagValueError> {
    use crate::protocol::Tag;
    Tag::from_word(text.trim()).ok_or_else(|| FlagValueError::NotATag {
        word: text.to_owned(),
    })
}

/// The people of a rehearsal, as given with `--people`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum People {
    Count(usize),
    Names(Vec<String>),
}

impl People {
    /// The names to show, in seat order: `Person 1`... for a count.
    pub fn names(&self) -> Vec<String> {
        match self {
            People::Count(n) => (1..=*n).map(|i| format!("Person {i}")).collect(),
            People::Names(names) => names.clone(),
        }
    }
}

/// The longest name shown for a person: first names or initials are enough.
const MAX_NAME_CHARS: usize = 24;

/// `--people`: a number of people, or names separated by commas.
fn parse_people(text: &str) -> Result<People, FlagValueError> {
    use crate::practice::rehearse::{MAX_PEOPLE, MIN_PEOPLE};
    let text = text.trim();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return match text.parse::<usize>() {
            Ok(n) if (MIN_PEOPLE..=MAX_PEOPLE).contains(&n) => Ok(People::Count(n)),
            _ => Err(FlagValueError::PeopleCount),
        };
    }
    let names: Vec<String> = text.split(',').map(|n| n.trim().to_string()).collect();
    if names.iter().any(String::is_empty) {
        return Err(FlagValueError::EmptyName);
    }
    if names
        .iter()
        .any(|n| n.chars().any(crate::sanitize::is_forbidden))
    {
        return Err(FlagValueError::NameControl);
    }
    if names.iter().any(|n| n.chars().count() > MAX_NAME_CHARS) {
        return Err(FlagValueError::NameTooLong);
    }
    if !(MIN_PEOPLE..=MAX_PEOPLE).contains(&names.len()) {
        return Err(FlagValueError::NamesCount { found: names.len() });
    }
    for (i, name) in names.iter().enumerate() {
        if names[..i]
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            return Err(FlagValueError::NameTwice(name.clone()));
        }
    }
    Ok(People::Names(names))
}

/// `--trainer`: one name, under the same rules as a person's.
fn parse_trainer(text: &str) -> Result<String, FlagValueError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(FlagValueError::EmptyTrainer);
    }
    if name.chars().any(crate::sanitize::is_forbidden) {
        return Err(FlagValueError::TrainerControl);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(FlagValueError::TrainerTooLong);
    }
    Ok(name.to_string())
}

/// Why a flag's value cannot be read; clap prints it after the flag's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlagValueError {
    #[error("\"{0}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24")]
    NotADate(String),
    #[error("\"{word}\" is not a tag; use one of: {}", tag_words())]
    NotATag { word: String },
    #[error(
        "give {} to {} people",
        crate::practice::rehearse::MIN_PEOPLE,
        crate::practice::rehearse::MAX_PEOPLE
    )]
    PeopleCount,
    #[error("a name is empty; separate names with single commas, like Ana,Ben,Cy")]
    EmptyName,
    #[error("a name holds a control character; type plain names")]
    NameControl,
    #[error("a name is longer than {MAX_NAME_CHARS} characters; first names are enough")]
    NameTooLong,
    #[error(
        "give {} to {} people, found {found}",
        crate::practice::rehearse::MIN_PEOPLE,
        crate::practice::rehearse::MAX_PEOPLE
    )]
    NamesCount { found: usize },
    #[error("{0:?} is given twice; give each person a different name (add an initial)")]
    NameTwice(String),
    #[error("the trainer's name is empty; give a first name, or --trainer alone")]
    EmptyTrainer,
    #[error("the name holds a control character; type a plain name")]
    TrainerControl,
    #[error("the name is longer than {MAX_NAME_CHARS} characters; a first name is enough")]
    TrainerTooLong,
}

/// Every tag word, for the error that lists them.
fn tag_words() -> String {
    let words: Vec<&str> = crate::protocol::Tag::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    words.join(", ")
}

/// `--kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Moving away: minimal answers, appeasing, changing the topic, abstract talk
    Withdrawal,
    /// Moving against: complaints, rejecting an intervention, pressing for control
    Confrontation,
}

/// `--level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Beginner,
    Intermediate,
    Advanced,
}

impl From<KindArg> for crate::protocol::ScenarioKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Withdrawal => Self::Withdrawal,
            KindArg::Confrontation => Self::Confrontation,
        }
    }
}

impl From<LevelArg> for crate::protocol::Level {
    fn from(level: LevelArg) -> Self {
        match level {
            LevelArg::Beginner => Self::Beginner,
            LevelArg::Intermediate => Self::Intermediate,
            LevelArg::Advanced => Self::Advanced,
        }
    }
}

/// The values `--scan-seconds` takes: [`crate::protocol::PAUSE_SECONDS`],
/// the range a pause may have anywhere.
fn pause_seconds() -> clap::builder::RangedI64ValueParser<u32> {
    let range = crate::protocol::PAUSE_SECONDS;
    clap::value_parser!(u32).range(i64::from(*range.start())..=i64::from(*range.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `repair` alone skips the parser: it must be what the parser makes
    /// of it (Debug shows every field, defaults included).
    #[test]
    fn repair_alone_is_what_the_parser_makes_of_it() {
        let parsed = Cli::parse_from(["repair"]);
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Cli::alone()));
        let read = Cli::read(vec!["repair".into()]);
        assert_eq!(format!("{read:?}"), format!("{parsed:?}"));
    }

    #[test]
    fn people_are_a_count_or_names() {
        assert_eq!(parse_people("4"), Ok(People::Count(4)));
        assert_eq!(
            parse_people(" Ana, Ben ,Cy"),
            Ok(People::Names(vec!["Ana".into(), "Ben".into(), "Cy".into()]))
        );
        assert_eq!(People::Count(2).names(), ["Person 1", "Person 2"]);
        for bad in ["1", "13", "Ana", "Ana,,Ben", "Ana,ana", "Ana,\u{1b}[2J", ""] {
            assert!(parse_people(bad).is_err(), "{bad:?}");
        }
    }

    /// The words a clinician reads after a flag's name stay as they were
    /// written when these errors were plain strings.
    #[test]
    fn a_bad_flag_value_says_what_to_write() {
        let said = |e: FlagValueError| e.to_string();
        assert_eq!(
            said(parse_date("24/11").unwrap_err()),
            "\"24/11\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24"
        );
        assert!(
            said(parse_tag("nope").unwrap_err())
                .starts_with("\"nope\" is not a tag; use one of: telehealth, couple, ")
        );
        let people = |text: &str| said(parse_people(text).unwrap_err());
        assert_eq!(people("1"), "give 2 to 12 people");
        assert_eq!(
            people("Ana,,Ben"),
            "a name is empty; separate names with single commas, like Ana,Ben,Cy"
        );
        assert_eq!(
            people("Ana,\u{1b}[2J"),
            "a name holds a control character; type plain names"
        );
        assert_eq!(
            people(&"a".repeat(25)),
            "a name is longer than 24 characters; first names are enough"
        );
        assert_eq!(people("Ana"), "give 2 to 12 people, found 1");
        assert_eq!(
            people("Ana,ana"),
            "\"ana\" is given twice; give each person a different name (add an initial)"
        );
        let trainer = |text: &str| said(parse_trainer(text).unwrap_err());
        assert_eq!(
            trainer(" "),
            "the trainer's name is empty; give a first name, or --trainer alone"
        );
        assert_eq!(
            trainer("\u{7}"),
            "the name holds a control character; type a plain name"
        );
        assert_eq!(
            trainer(&"a".repeat(25)),
            "the name is longer than 24 characters; a first name is enough"
        );
    }

    #[test]
    fn the_version_line_names_the_newest_format() {
        use crate::protocol::FORMAT_VERSION;
        use clap::CommandFactory;
        let command = Cli::command();
        let version = command.get_version().unwrap_or_default();
        assert!(
            version.ends_with(&format!("(protocol format {FORMAT_VERSION})")),
            "{version}"
        );
    }
}
