//! The command line. Commands, flags and exit codes are a public interface:
//! extend freely, never break.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Practise repairing ruptures in the therapeutic relationship, one step at a
/// time. With no command, walks through the built-in protocol.
#[derive(Debug, Parser)]
#[command(
    name = "repair",
    version = concat!(env!("CARGO_PKG_VERSION"), " (protocol format 1)"),
    after_help = "Your notes stay on this computer, in the data directory (see `repair notes path`).\n\
                  Exit codes: 0 done, 1 a problem (it says what), 2 a mistake in the command line, \
                  128+N stopped by signal N."
)]
pub struct Cli {
    /// Where notes are kept [default: $REPAIR_DATA_DIR, else your platform's data folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
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
    /// List the built-in protocol and those in <data dir>/protocols/
    Protocols,
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
    },
    /// Print the data directory
    Path,
    /// List saved sessions, newest first
    List {
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Print one session with all its notes
    Show {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Delete sessions (asks first unless --yes)
    Delete {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Do not ask
        #[arg(long)]
        yes: bool,
    },
    /// Read a JSON export back in; sessions already here are left alone
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Sessions per week, time in pauses, steps practised, follow-ups, streak
    Stats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A readable document to take to supervision (the default)
    Markdown,
    /// A JSON array of sessions, for backups and other tools
    Json,
}

/// A day as YYYY-MM-DD.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24"))
}

impl Cli {
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
            || p.plain
            || p.resume.is_some()
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
            plain: self.plain || outer.plain,
            resume: self.resume.clone().or_else(|| outer.resume.clone()),
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
pub struct PracticeArgs {
    /// The protocol to use: a name from `repair protocols`, or a file's path
    #[arg(long, value_name = "NAME|PATH")]
    pub protocol: Option<String>,

    /// Drill one step, by its id (for example: scan)
    #[arg(long, value_name = "ID", conflicts_with = "focus")]
    pub step: Option<String>,

    /// Drill the protocol's step of the month
    #[arg(long)]
    pub focus: bool,

    /// Make every pause this many seconds long (1 to 3600)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub scan_seconds: Option<u32>,

    /// Keep nothing on disk
    #[arg(long)]
    pub no_save: bool,

    /// Plain lines instead of the full screen (also used when not in a terminal)
    #[arg(long)]
    pub plain: bool,

    /// Continue an unfinished session where it stopped
    #[arg(long, value_name = "ID", conflicts_with_all = ["step", "focus"])]
    pub resume: Option<String>,
}
