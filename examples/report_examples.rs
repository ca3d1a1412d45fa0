//! Writes the examples in `docs/`: a report and a printed deck made from a
//! made-up practice history (`report::sample`), never from real notes.
//!
//! `cargo run --example report_examples` (from the repository's root)
//! writes `docs/report-example.html`, `docs/report-example.md` and
//! `docs/deck-example.html` again; run it when the report or the deck
//! print changes, and review the diff.

use std::path::Path;

use chrono::{Duration, NaiveDate};

use repair_practice::protocol::{self, Level, ScenarioKind};
use repair_practice::report::{Range, Report, deck, html, markdown, sample};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protocol = protocol::builtin();
    let made = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("a date")?;
    let range = Range {
        from: made - Duration::days(12 * 7 - 1),
        to: made,
    };
    let sessions = sample::history(&protocol, range.from - Duration::days(180), range.to);
    let report = Report::compute(&sessions, range, &protocol, false, made);
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    std::fs::write(docs.join("report-example.html"), html::render(&report))?;
    std::fs::write(docs.join("report-example.md"), markdown::render(&report))?;
    let choice = deck::Choice {
        kind: Some(ScenarioKind::Withdrawal),
        level: Some(Level::Beginner),
        step: Some("reflect".into()),
        ..deck::Choice::default()
    };
    std::fs::write(
        docs.join("deck-example.html"),
        deck::render(&protocol, &choice)?,
    )?;
    println!("Wrote docs/report-example.html, docs/report-example.md and docs/deck-example.html.");
    Ok(())
}
