//! `cargo bench --bench drill`: choosing the next drill card from five years
//! of daily drills (1,826 sessions of ten cards each) stays under 50 ms.
//!
//! Two cases: the schedule built from all five years already in memory and
//! the next card chosen, and the same from the sessions on disk, read
//! through the store as `repair drill` does at start (the drills of the last
//! `DUE_WINDOW_DAYS`; ids carry the date, so older files are not opened). A std-only harness like `benches/speed.rs` (a separate target, so
//! it keeps working whatever harness that file moves to).
//!
//! A third case opens `repair deck` on the same five years: the store, the
//! protocol, the drills read, the deck built and its first frame drawn.
//!
//! Run one case: `cargo bench --bench drill -- memory`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate};

use repair_practice::journal::{DrillCardRecord, Extra, Session, Store};
use repair_practice::practice::level::LevelRule;
use repair_practice::practice::schedule::Schedule;
use repair_practice::protocol::{self, Level};

/// The target from the drill issue.
const TARGET: Duration = Duration::from_millis(50);

fn bench(name: &str, filter: &Option<String>, mut f: impl FnMut()) {
    if filter.as_ref().is_some_and(|w| !name.contains(w.as_str())) {
        return;
    }
    f();
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) || samples.len() < 5 {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    let worst = samples[samples.len() - 1];
    let verdict = if median < TARGET { "ok" } else { "OVER" };
    println!(
        "{name:<44} median {median:>10.2?}   slowest {worst:>10.2?}   target {TARGET:?}: {verdict}"
    );
}

/// One drill a day for five years, ten cards each from the deck, with
/// ratings and criteria that vary.
fn history(deck: &[String]) -> Vec<Session> {
    let first = NaiveDate::from_ymd_opt(2021, 12, 1).unwrap();
    (0..1826u32)
        .map(|day| {
            let date = first + chrono::Duration::days(i64::from(day));
            let at = DateTime::parse_from_rfc3339(&format!("{date}T08:30:00+01:00")).unwrap();
            let cards = (0..10u32)
                .map(|n| {
                    let pick = ((day * 7 + n * 13) as usize) % deck.len();
                    let rating = ((day + n * 3) % 11) as u8;
                    DrillCardRecord {
                        number: n as usize + 1,
                        card: deck[pick].clone(),
                        kind: if pick.is_multiple_of(2) {
                            "withdrawal".into()
                        } else {
                            "confrontation".into()
                        },
                        level: "intermediate".into(),
                        client: "A client's statement of about this length, give or take.".into(),
                        attempt: 1 + (n % 4 == 3) as u32,
                        rating,
                        criteria_met: vec!["Names the client's experience as a guess.".into()],
                        criteria_missed: if rating > 6 {
                            vec!["Stops and listens to the answer.".into()]
                        } else {
                            Vec::new()
                        },
                        criteria_met_ids: vec!["reflect.guess".into()],
                        criteria_missed_ids: if rating > 6 {
                            vec!["reflect.room".into()]
                        } else {
                            Vec::new()
                        },
                        self_report: None,
                        marker_guess: Some("withdrawal".into()),
                        marker_right: n % 3 != 0,
                        respond_seconds: 35,
                        response: None,
                        next_level: "intermediate".into(),
                        newer: Default::default(),
                    }
                })
                .collect();
            Session {
                id: format!("{}-083000-{:04x}", date.format("%Y%m%d"), day % 0xffff),
                mode: "drill".into(),
                protocol: "rupture-repair".into(),
                protocol_title: "Rupture and Repair".into(),
                drill: Some("scan".into()),
                started_at: at,
                finished_at: Some(at),
                complete: true,
                steps: Vec::new(),
                extra: Extra {
                    drill_cards: cards,
                    ..Extra::default()
                },
            }
        })
        .collect()
}

fn main() {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let protocol = protocol::builtin();
    let deck_ids: Vec<String> = protocol.scenarios.iter().map(|s| s.id.clone()).collect();
    let sessions = history(&deck_ids);
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let now = DateTime::parse_from_rfc3339("2026-12-01T09:00:00+01:00").unwrap();
    let rule = LevelRule::default();
    let skip = vec![false; protocol.scenarios.len()];
    let choose = |sessions: &[Session]| {
        let schedule = Schedule::from_sessions(sessions, rule, today);
        schedule.next(
            &protocol.scenarios,
            &skip,
            |k| schedule.level(k).unwrap_or(Level::Beginner),
            today,
        )
    };
    println!(
        "{} sessions, {} cards drilled, a deck of {}",
        sessions.len(),
        sessions.len() * 10,
        deck_ids.len()
    );
    bench("next card, 5 years in memory", &filter, || {
        black_box(choose(black_box(&sessions)));
    });
    let on_disk_cases = [
        "next card, 5 years from disk",
        "deck view, 5 years from disk",
    ];
    if filter
        .as_ref()
        .is_none_or(|w| on_disk_cases.iter().any(|c| c.contains(w.as_str())))
    {
        let dir = tempfile_dir();
        let store = Store::open(&dir).expect("a store");
        for s in &sessions {
            store.save_over(s).expect("save");
        }
        bench("next card, 5 years from disk", &filter, || {
            let on_disk = repair_practice::commands::drill::recent_drills(&store, now);
            black_box(choose(&on_disk));
        });
        // `repair deck` to its first frame: the store opened to read, the
        // protocol parsed, the same drills read, the deck built and drawn.
        bench("deck view, 5 years from disk", &filter, || {
            use ratatui::{Terminal, backend::TestBackend};
            use repair_practice::practice::deck::{Deck, Filter, History};
            use repair_practice::tui::deck::{DeckView, view};
            let store = Store::open_to_read(&dir).expect("a store");
            let on_disk = repair_practice::commands::drill::recent_drills(&store, now);
            let deck = Deck::new(protocol::builtin(), &on_disk, rule, today, History::Read);
            let model = DeckView::new(deck, Filter::default(), 80, 24);
            let mut t = Terminal::new(TestBackend::new(80, 24)).expect("a terminal");
            t.draw(|f| view::draw(f, &model, &repair_practice::tui::theme::Theme::monochrome()))
                .expect("a frame");
            black_box(t);
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A fresh private directory under the system's temporary folder.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("repair-drill-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}
