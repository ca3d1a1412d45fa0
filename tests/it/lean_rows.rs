//! The lean list: the rows
//! `repair notes list` and the browser read without the notes are the rows
//! of the sessions read in full, in the same order, whatever the sessions
//! hold (offsets that disagree with the ids' order, titles that repeat or
//! need escaping, unknown modes, drills, every step status).

use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset};
use proptest::prelude::*;
use repair_practice::journal::{Listed, Row, Session, SessionMode, StepRecord, StepStatus, Store};

const STATUSES: [StepStatus; 4] = [
    StepStatus::Done,
    StepStatus::Skipped,
    StepStatus::FollowUp,
    StepStatus::NotReached,
];

/// Words that repeat across sessions (shared in memory) or need escaping
/// in JSON and on a terminal.
const WORDS: [&str; 6] = [
    "rupture-repair",
    "Rupture and Repair",
    "",
    "quote \" and \\ back",
    "esc \u{1b}[2J bell \u{7}\nnew line \u{9b} é 停 🌿",
    "starter",
];

const MODES: [&str; 6] = [
    "practice",
    "prep",
    "rehearse",
    "drill",
    "shadowing",
    "odd\u{1b}\n",
];

#[allow(clippy::type_complexity)]
fn raw_session() -> impl Strategy<
    Value = (
        i64,
        i32,
        bool,
        usize,
        usize,
        usize,
        Option<usize>,
        Vec<u8>,
        bool,
        bool,
    ),
> {
    (
        // Start: seconds over about three years, so some share a minute.
        0i64..100_000_000,
        // Offset in quarter hours, -12 h to +14 h: the ids' (local) order
        // is not the start order.
        -48i32..=56,
        // A second in common with the one before (same id prefix).
        any::<bool>(),
        0..MODES.len(),
        0..WORDS.len(),
        0..WORDS.len(),
        prop::option::of(0..WORDS.len()),
        prop::collection::vec(0u8..4, 0..7),
        any::<bool>(),
        any::<bool>(),
    )
}

fn sessions() -> impl Strategy<Value = Vec<Session>> {
    prop::collection::vec(raw_session(), 0..40).prop_map(|raw| {
        let base = DateTime::parse_from_rfc3339("2024-03-01T00:00:00+00:00").unwrap();
        let mut last = base;
        raw.into_iter()
            .enumerate()
            .map(
                |(
                    n,
                    (secs, quarters, same, mode, protocol, title, drill, steps, finished, complete),
                )| {
                    let offset = FixedOffset::east_opt(quarters * 900).unwrap();
                    let at = if same {
                        last
                    } else {
                        (base + Duration::seconds(secs)).with_timezone(&offset)
                    };
                    last = at;
                    Session {
                        // Some ids in the old four-digit form.
                        id: if n % 3 == 0 {
                            format!("{}-{:04x}", at.format("%Y%m%d-%H%M%S"), n)
                        } else {
                            format!("{}-{:08x}", at.format("%Y%m%d-%H%M%S"), n * 7919)
                        },
                        mode: SessionMode::from_word(MODES[mode]),
                        protocol: WORDS[protocol].to_string(),
                        protocol_title: WORDS[title].to_string(),
                        drill: drill.map(|d| WORDS[d].to_string()),
                        started_at: at,
                        finished_at: finished.then_some(at + Duration::minutes(20)),
                        complete,
                        steps: steps
                            .iter()
                            .enumerate()
                            .map(|(k, &s)| StepRecord {
                                id: format!("s{k}"),
                                title: format!("Step {k}"),
                                status: STATUSES[usize::from(s)].clone(),
                                notes: "notes the list never keeps \u{1b} 停".repeat(k),
                                pause_seconds: (s == 0).then_some(5),
                                newer: Default::default(),
                            })
                            .collect(),
                        extra: Default::default(),
                    }
                },
            )
            .collect()
    })
}

/// Writes the sessions as files, plus files a list must report or skip.
fn write_store(dir: &Path, sessions: &[Session], junk: bool) -> Store {
    let store = Store::open(dir).unwrap();
    let sessions_dir = dir.join("sessions");
    for s in sessions {
        let bytes = serde_json::to_vec_pretty(s).unwrap();
        std::fs::write(sessions_dir.join(format!("{}.json", s.id)), bytes).unwrap();
    }
    if junk {
        std::fs::write(
            sessions_dir.join("20240101-000000-dead.json"),
            b"{ not json",
        )
        .unwrap();
        std::fs::write(sessions_dir.join(".hidden.json"), b"{}").unwrap();
        std::fs::write(sessions_dir.join("notes.txt"), b"not a session").unwrap();
        std::fs::write(sessions_dir.join("bad.name.json"), b"{}").unwrap();
        std::fs::create_dir(sessions_dir.join("20240101-000000-d1d1.json")).unwrap();
        if let Some(s) = sessions.first() {
            // A session filed under another id.
            let bytes = serde_json::to_vec(s).unwrap();
            std::fs::write(sessions_dir.join("20240101-000000-beef.json"), bytes).unwrap();
        }
    }
    store
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Rows, newest first, are the full sessions' rows in the reverse of the
    /// order `list` gives them (oldest first by start time, then id), and
    /// the same files are unreadable for the same reasons.
    #[test]
    fn rows_are_the_sessions_rows_newest_first(list in sessions(), junk in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        // Two sessions with one id cannot both be on disk: the later wins.
        let mut seen = std::collections::BTreeMap::new();
        for s in &list {
            seen.insert(s.id.clone(), s.clone());
        }
        let list: Vec<Session> = seen.into_values().collect();
        let store = write_store(dir.path(), &list, junk);

        let mut full = Vec::new();
        let mut unreadable_full = Vec::new();
        for listed in store.list() {
            match listed {
                Listed::Session(s) => full.push(s),
                Listed::Unreadable { path, reason } => unreadable_full.push((path, reason)),
            }
        }
        let expected: Vec<Row> = full.iter().rev().map(Row::of).collect();
        let (rows, unreadable) = store.rows();
        prop_assert_eq!(rows.len(), list.len());
        prop_assert_eq!(&rows, &expected);
        prop_assert_eq!(unreadable, unreadable_full);
        // What each row says is what its session says.
        for row in &rows {
            let s = list.iter().find(|s| s.id == row.id).unwrap();
            prop_assert_eq!(row.mode(), &s.mode);
            prop_assert_eq!(row.protocol(), s.protocol.as_str());
            prop_assert_eq!(row.protocol_title(), s.protocol_title.as_str());
            prop_assert_eq!(row.drill(), s.drill.as_deref());
            prop_assert_eq!(row.started_at, s.started_at);
            prop_assert_eq!(row.when(), s.started_at.format("%a %-d %b %Y %H:%M").to_string());
        }
    }
}
