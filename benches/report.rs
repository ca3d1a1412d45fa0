//! `cargo bench --bench report`: `repair report` over five years of daily
//! practice (about 1,300 drills, 600 walks, 260 preps and 130 rehearsals,
//! made by `report::sample`) stays well under a second.
//!
//! Three cases: the figures alone from sessions in memory; the figures and
//! the HTML page; and the whole of what the command does after start-up,
//! from the session files on disk (the store listing the range, every file
//! read and parsed, figures, page).

use std::sync::OnceLock;

use chrono::{Duration, NaiveDate};

use repair_practice::journal::{Listed, Session, Store};
use repair_practice::protocol::{self, Protocol};
use repair_practice::report::{Range, Report, html, sample};

fn main() {
    divan::main();
}

const LAST: &str = "2026-11-30";

fn last() -> NaiveDate {
    NaiveDate::parse_from_str(LAST, "%Y-%m-%d").expect("a date")
}

fn range() -> Range {
    Range {
        from: last() - Duration::days(5 * 365 - 1),
        to: last(),
    }
}

fn protocol() -> &'static Protocol {
    static P: OnceLock<Protocol> = OnceLock::new();
    P.get_or_init(protocol::builtin)
}

fn sessions() -> &'static Vec<Session> {
    static S: OnceLock<Vec<Session>> = OnceLock::new();
    S.get_or_init(|| sample::history(protocol(), range().from, range().to))
}

/// The five years written to a temporary data directory once.
fn store() -> &'static (tempfile::TempDir, Store) {
    static S: OnceLock<(tempfile::TempDir, Store)> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(dir.path()).expect("a store");
        for session in sessions() {
            store.save_over(session).expect("a save");
        }
        (dir, store)
    })
}

#[divan::bench(sample_count = 20)]
fn figures_five_years(bencher: divan::Bencher) {
    let sessions = sessions();
    bencher.bench(|| Report::compute(sessions, range(), protocol(), false, last()));
}

#[divan::bench(sample_count = 20)]
fn figures_and_html_five_years(bencher: divan::Bencher) {
    let sessions = sessions();
    bencher.bench(|| {
        html::render(&Report::compute(
            sessions,
            range(),
            protocol(),
            false,
            last(),
        ))
    });
}

#[divan::bench(sample_count = 10)]
fn from_disk_figures_and_html_five_years(bencher: divan::Bencher) {
    let (_dir, store) = store();
    let (first, last_day) = range().id_days();
    bencher.bench(|| {
        let sessions: Vec<Session> = store
            .list_where(|id| {
                id.get(..8)
                    .is_some_and(|d| d >= first.as_str() && d <= last_day.as_str())
            })
            .into_iter()
            .filter_map(|l| match l {
                Listed::Session(s) => Some(s),
                Listed::Unreadable { .. } => None,
            })
            .collect();
        html::render(&Report::compute(
            &sessions,
            range(),
            protocol(),
            false,
            last(),
        ))
    });
}
