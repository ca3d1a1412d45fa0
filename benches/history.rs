//! `cargo bench --bench history`: what reading a long drill history costs
//! `repair drill`, `repair notes stats` and the start screen, on the divan
//! harness, then the heap each way of reading holds at its peak.
//!
//! Two stores of six drill sessions, each of 2,000 typed attempts: the same
//! cards, with responses of about 200 bytes ("short") and about 2 KB
//! ("long", about 5 MB a session). Reading for counting
//! (`Store::history_where`, what the schedule, the stats and the start
//! screen use) keeps no text, so its peak heap should be nearly the same for
//! both stores (flat in the size of what was typed); reading whole sessions
//! (`Store::list`, for comparison) grows with it.
//!
//! Run one case: `cargo bench --bench history -- schedule`; only the heap
//! lines: `cargo bench --bench history -- heap`. For the real binary over
//! larger sessions, see `benches/make_sessions.py` (`drill` mode) and
//! `/usr/bin/time -v`.

// A measuring harness, not the program: it counts allocations through the
// global allocator. The rule that only `src/platform` uses unsafe code is
// for the program.
#![allow(unsafe_code)]

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};

use repair_practice::commands::drill::recent_drills;
use repair_practice::journal::{DrillCardRecord, Extra, Session, Store};
use repair_practice::practice::level::LevelRule;
use repair_practice::practice::schedule::Schedule;

mod common;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

/// The most heap `f` had live at once (above what was live before), and
/// what it still holds in what it returns.
fn heap_of<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let (value, _, peak, held) = common::heap_of(f);
    drop(black_box(value));
    (peak, held)
}

const SESSIONS: u32 = 6;
const CARDS: u32 = 2_000;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap()
}

/// Six drill sessions, one a day before [`now`], with responses of
/// `response` bytes.
fn sessions(response: usize) -> Vec<Session> {
    let typed: String = "I wonder if that landed badly; "
        .chars()
        .cycle()
        .take(response)
        .collect();
    (0..SESSIONS)
        .map(|day| {
            let at = now() - chrono::Duration::days(i64::from(day) + 1);
            let cards = (0..CARDS)
                .map(|n| DrillCardRecord {
                    number: n as usize / 2 + 1,
                    card: format!("card-{:02}", n % 24),
                    kind: if n % 2 == 0 {
                        "withdrawal"
                    } else {
                        "confrontation"
                    }
                    .into(),
                    level: "intermediate".into(),
                    client: "A client's statement of about this length.".into(),
                    attempt: 1 + n % 2,
                    rating: ((day + n) % 11) as u8,
                    criteria_met: vec!["Names the client's experience as a guess.".into()],
                    criteria_missed: vec!["Stops and listens to the answer.".into()],
                    criteria_met_ids: vec!["reflect.guess".into()],
                    criteria_missed_ids: vec!["reflect.listen".into()],
                    self_report: None,
                    marker_guess: Some("withdrawal".into()),
                    marker_right: n % 3 != 0,
                    respond_seconds: 35,
                    response: Some(format!("{typed} ({n})")),
                    next_level: "intermediate".into(),
                    newer: Default::default(),
                })
                .collect();
            Session {
                id: format!("{}-{:08x}", at.format("%Y%m%d-%H%M%S"), day),
                mode: "drill".into(),
                protocol: "rupture-repair".into(),
                protocol_title: "Rupture and Repair".into(),
                drill: Some("validate".into()),
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

/// A store under the system's temporary folder holding [`sessions`].
fn store_of(name: &str, response: usize) -> Store {
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "repair-history-bench-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir).expect("a store");
    for session in sessions(response) {
        store.save_over(&session).expect("save");
    }
    store
}

fn store(case: &str) -> &'static Store {
    static SHORT: OnceLock<Store> = OnceLock::new();
    static LONG: OnceLock<Store> = OnceLock::new();
    match case {
        "short" => SHORT.get_or_init(|| store_of("short", 200)),
        _ => LONG.get_or_init(|| store_of("long", 2_000)),
    }
}

/// What `repair drill` does before the first card: the recent drills read
/// for counting, and the schedule made from them.
#[divan::bench(args = ["short", "long"], sample_count = 5, sample_size = 1)]
fn schedule_from_disk(case: &str) -> Schedule {
    let store = store(case);
    Schedule::from_sessions(
        &recent_drills(store, now()),
        LevelRule::default(),
        now().date_naive(),
    )
}

/// The same sessions read whole, as before (for comparison).
#[divan::bench(args = ["short", "long"], sample_count = 5, sample_size = 1)]
fn whole_sessions_from_disk(case: &str) -> usize {
    store(case).list().len()
}

fn main() {
    let heap_only = std::env::args().skip(1).any(|a| a == "heap");
    if !heap_only {
        divan::main();
    }
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.as_deref().is_none_or(|f| f == "heap") {
        for case in ["short", "long"] {
            let store = store(case);
            let (lean_peak, lean_held) = heap_of(|| recent_drills(store, now()));
            let (whole_peak, whole_held) = heap_of(|| store.list());
            println!(
                "heap: {case:<5}  for counting: peak {:>6.1} MB, held {:>6.1} MB   whole sessions: peak {:>6.1} MB, held {:>6.1} MB",
                mb(lean_peak),
                mb(lean_held),
                mb(whole_peak),
                mb(whole_held)
            );
        }
    }
    for case in ["short", "long"] {
        let _ = std::fs::remove_dir_all(store(case).dir());
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}
