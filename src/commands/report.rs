//! `repair report` and `repair deck print`: the files practice leaves
//! behind. Both only read the data directory; what they write goes where
//! the user asks (or, for the HTML report, to a fresh file in the current
//! directory), created owner-only and never replacing a file without
//! `--force`.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};

use super::{Context, open_store_to_read, say_plaintext};
use crate::cli::{DeckCommand, ReportArgs, ReportFormat};
use crate::error::Error;
use crate::journal::{self, Listed};
use crate::report::{Range, Report, deck, html, markdown};
use crate::sanitize;

/// How many days a report covers when neither `--since` nor `--from` says.
pub const DEFAULT_DAYS: i64 = 28;

/// The range the flags ask for, as of `today`.
pub fn range(args: &ReportArgs, today: NaiveDate) -> Result<Range, Error> {
    if let Some(since) = args.since {
        return Ok(Range::since(since, today));
    }
    let to = args.to.unwrap_or(today);
    let from = args.from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
    if from > to {
        return Err(Error::ReportRange { from, to });
    }
    Ok(Range { from, to })
}

pub fn run(ctx: &Context, args: &ReportArgs) -> Result<u8, Error> {
    let today = journal::local_now().date_naive();
    let range = range(args, today)?;
    let protocol = ctx.protocol()?;
    let store = open_store_to_read(ctx.data_dir())?;
    let (first, last) = range.id_days();
    let mut sessions = Vec::new();
    // Ids begin with their local start day, so files outside the range are
    // never opened (nor decrypted).
    for listed in store.list_where(|id| {
        id.get(..8)
            .is_some_and(|day| day >= first.as_str() && day <= last.as_str())
    }) {
        match listed {
            Listed::Session(s) => sessions.push(s),
            Listed::Unreadable { path, reason } => eprintln!(
                "repair: not counted {}: {}",
                sanitize::one_line(&path.display().to_string()),
                sanitize::one_line(&reason)
            ),
        }
    }
    let report = Report::compute(&sessions, range, &protocol, args.include_notes, today);
    let text = match args.format {
        ReportFormat::Html => html::render(&report),
        ReportFormat::Md => markdown::render(&report),
        ReportFormat::Json => report.to_json(),
    };
    let output = match (&args.output, args.format) {
        (Some(path), _) => Some((path.clone(), args.force)),
        // A page of HTML is no use on a terminal: it goes to a file.
        (None, ReportFormat::Html) => Some((free_name(today)?, false)),
        (None, _) => None,
    };
    let Some((path, force)) = output else {
        say_plaintext(&store, "What follows is");
        return super::notes::emit(&text, None, false);
    };
    say_plaintext(&store, "The report is");
    write_new(&path, &text, force)?;
    eprintln!(
        "Wrote the report for {} to {}{}.",
        report.range_words(),
        sanitize::one_line(&path.display().to_string()),
        if report.include_notes {
            " (it includes your notes)"
        } else {
            ""
        }
    );
    Ok(0)
}

/// `repair-report-YYYY-MM-DD.html` in the current directory, or with `-2`,
/// `-3`… when that is taken: a free name, proposed before anything is
/// written (the write itself still refuses to replace a file that appears
/// in between).
fn free_name(today: NaiveDate) -> Result<PathBuf, Error> {
    let base = format!("repair-report-{}", today.format("%Y-%m-%d"));
    for n in 1..10_000 {
        let name = if n == 1 {
            format!("{base}.html")
        } else {
            format!("{base}-{n}.html")
        };
        let path = PathBuf::from(&name);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(path);
        }
    }
    Err(Error::ExportExists(PathBuf::from(format!("{base}.html"))))
}

/// A new owner-only file, as exports make them (never replacing one
/// unless `force`).
fn write_new(path: &Path, text: &str, force: bool) -> Result<(), Error> {
    super::notes::emit(text, Some(path), force).map(drop)
}

pub fn deck(ctx: &Context, command: &DeckCommand) -> Result<u8, Error> {
    match command {
        DeckCommand::Print {
            tag,
            kind,
            level,
            step,
            output,
            force,
        } => {
            let protocol = ctx.protocol()?;
            let choice = deck::Choice {
                tags: tag.iter().map(|t| t.as_str().to_string()).collect(),
                kind: kind.map(Into::into),
                level: level.map(Into::into),
                step: step.clone(),
            };
            let text = deck::render(&protocol, &choice)?;
            let cards = deck::chosen(&protocol, &choice).len();
            write_new(output, &text, *force)?;
            eprintln!(
                "Wrote {} to {}: two pages a card, cut along the dashed lines.",
                crate::words::count(cards, "card", "cards"),
                sanitize::one_line(&output.display().to_string())
            );
            Ok(0)
        }
    }
}
