//! Every error a command can end with, in one place: each prints as one plain
//! sentence that says what went wrong and what to do.

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::journal::import::ImportProblem;
use crate::journal::{DataDirError, StoreError};
use crate::protocol::ProtocolError;
use crate::settings::SettingsError;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{0}")]
    Protocol(#[from] ProtocolError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    DataDir(#[from] DataDirError),
    #[error(
        "the protocol \"{protocol}\" has no step \"{step}\"; its steps are: {known}. Pick one of those with --step"
    )]
    UnknownStep {
        protocol: String,
        step: String,
        known: String,
    },
    #[error(
        "the protocol \"{0}\" names no focus step; use --step ID to drill a step, or add focus = \"ID\" to its [protocol] table"
    )]
    NoFocus(String),
    #[error(
        "the protocol \"{protocol}\" has no scenario cards{kind}; add [[scenario]] cards to it (see docs/protocol-format.md), or use --protocol to pick one that has them"
    )]
    NoScenarios { protocol: String, kind: String },
    #[error(
        "the deck of \"{protocol}\" has no card \"{card}\"; `repair deck --plain` lists every card with its id"
    )]
    NoCard { protocol: String, card: String },
    #[error("{0}")]
    DeckPrint(#[from] crate::report::deck::PrintError),
    #[error("--from ({from}) is after --to ({to}); give the earlier day first")]
    ReportRange {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    #[error("could not use the terminal: {0}")]
    Terminal(io::Error),
    #[error("could not write the output: {0}")]
    Output(io::Error),
    #[error("{0}")]
    Settings(#[from] SettingsError),
    #[error(
        "\"{0}\" cannot name a new protocol: use lowercase letters (a-z), digits and '-', up to 64 \
         characters, for example june-topic (rupture-repair and builtin are the built-in protocol's)"
    )]
    BadProtocolName(String),
    #[error(
        "{} already exists, and repair never replaces a file; pick another name, or edit that file",
        crate::sanitize::one_line(&.0.display().to_string())
    )]
    ProtocolExists(std::path::PathBuf),
    #[error(
        "could not write {} ({source}); check that the data directory can be written to",
        crate::sanitize::one_line(&.path.display().to_string())
    )]
    WriteProtocol {
        path: std::path::PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} already exists; pass --force to replace it, or choose another file with -o", shown(.0))]
    ExportExists(PathBuf),
    #[error("could not read {} ({source}); check the path", shown(.path))]
    ReadFile { path: PathBuf, source: io::Error },
    #[error("{} cannot be imported: {problem}; nothing was imported", shown(.path))]
    Import {
        path: PathBuf,
        problem: ImportProblem,
    },
    #[error("{} is not a regular file, so it cannot be imported; pass a file made by `repair notes export --format json`", shown(.0))]
    ImportNotAFile(PathBuf),
    #[error(
        "{} is larger than {} MB, the most `repair notes import` reads; nothing was imported: export fewer sessions at a time (with --since and --until)",
        shown(.0),
        crate::journal::import::IMPORT_MAX / 1_000_000
    )]
    ImportTooLarge(PathBuf),
    #[error(
        "{} is a Markdown export, which is for reading; `repair notes import` reads the JSON export: make one with `repair notes export --format json -o FILE` and import that; nothing was imported",
        shown(.0)
    )]
    ImportMarkdown(PathBuf),
    #[error(
        "{} cannot be imported: session {} in it is larger than {} MB, the most one session may hold; nothing was imported",
        shown(.path),
        crate::sanitize::one_line(.id),
        crate::journal::SESSION_MAX / 1_000_000
    )]
    ImportSessionTooLarge { path: PathBuf, id: String },
    #[error(
        "not deleting without confirmation: there is no terminal to ask on; add --yes to delete"
    )]
    DeleteNeedsTerminal,
    #[error("the saved session {id} cannot be read, so it is not deleted; repair-practice never removes a file it cannot read (it is at {})", shown(.path))]
    DeleteUnreadable { id: String, path: PathBuf },
    #[error(
        "session {0} is finished; only an unfinished session can be resumed (see `repair notes list`)"
    )]
    NotUnfinished(String),
    #[error(
        "session {id} is an unfinished {mode}, and only a practice walk or a prep can be resumed; start a new one with `repair {mode}` (its notes so far: `repair notes show {id}`)"
    )]
    ResumeOtherMode { id: String, mode: String },
    #[error(
        "session {0} is an unfinished walk, not a prep; `repair --resume {0}` opens it where it stopped"
    )]
    ResumeWalkAsPrep(String),
    #[error("session {0} has no follow-up waiting (see `repair follow-up`)")]
    NoFollowUp(String),
    #[error(
        "session {id} used the protocol \"{protocol}\", which cannot be loaded ({reason}); pass --protocol NAME|PATH to continue with another copy of it"
    )]
    ProtocolGone {
        id: String,
        protocol: String,
        reason: String,
    },
    #[error(
        "your notes are encrypted and there is no terminal to ask for the passphrase on; run this in a terminal, or pass --passphrase-fd N"
    )]
    NoTerminalForPassphrase,
    #[error("the passphrase was not given (the prompt was interrupted); nothing was changed")]
    PassphraseInterrupted,
    #[error(
        "--passphrase-fd {fd} cannot be read ({source}); pass the number of an open file descriptor"
    )]
    PassphraseFd {
        fd: i32,
        #[source]
        source: io::Error,
    },
    #[error("--passphrase-fd {0} ended before a passphrase was read; nothing was changed")]
    PassphraseFdEnded(i32),
    #[error(
        "the passphrase line is longer than {0} bytes, the most a passphrase may be; nothing was changed"
    )]
    PassphraseTooLong(usize),
    #[error("the passphrase is not valid UTF-8 text; nothing was changed")]
    PassphraseNotText,
    #[error("the passphrase was empty; choose one you can remember, and run the command again")]
    PassphraseEmpty,
    #[error(
        "that passphrase has {got} {}; use at least {min} (a few words are easy to remember and hard to guess); nothing was changed",
        if *.got == 1 { "character" } else { "characters" },
    )]
    PassphraseTooShort { got: usize, min: usize },
    #[error(
        "your notes are not encrypted, so they have no passphrase to change; `repair notes encrypt` turns encryption on"
    )]
    NotEncrypted,
    #[error(
        "{sealed} session{} in {} {} encrypted, but the key file identity.age that opens them is {}; no new key was made. Copy identity.age back into that directory from a backup and run `repair notes encrypt` again; or, to start over with a new key, run `repair notes encrypt --force` (those sessions then stay unreadable unless the old identity.age comes back)",
        if *.sealed == 1 { "" } else { "s" },
        shown(.dir),
        if *.sealed == 1 { "is" } else { "are" },
        if *.damaged { "damaged" } else { "missing" },
    )]
    NewKeyOverSealed {
        dir: PathBuf,
        sealed: usize,
        damaged: bool,
    },
    #[error(
        "a `repair notes decrypt` was interrupted; run it again to finish, then `repair notes encrypt` if you want a new passphrase"
    )]
    DecryptUnderWay,
    #[error(
        "the two passphrases were not the same; nothing was changed, so run `repair notes encrypt` again"
    )]
    PassphrasesDiffer,
    #[error(
        "the passphrase was not right three times, so repair stopped and nothing was changed; a lost passphrase cannot be recovered"
    )]
    WrongPassphrase,
    #[error(
        "some encrypted sessions in {} could not be read (listed above), so encryption stays on for them and the key is kept; move them elsewhere and run `repair notes decrypt` again",
        shown(.0)
    )]
    StillSealed(PathBuf),
}

/// A path for an error message: one line, control characters escaped.
fn shown(path: &Path) -> String {
    crate::sanitize::one_line(&path.display().to_string()).into_owned()
}
