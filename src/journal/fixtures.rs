//! Sessions and folder listings for unit tests (here and in `practice`), so
//! each test module states only what its test is about.

use std::fs;
use std::path::Path;

use chrono::DateTime;

use super::{DrillCardRecord, Session, SessionMode, StepRecord, StepStatus};

/// An unfinished practice session of "rupture-repair" started at
/// `started` (RFC 3339), with no steps yet.
pub(crate) fn session(id: &str, started: &str) -> Session {
    Session {
        id: id.to_string(),
        mode: SessionMode::Practice,
        protocol: "rupture-repair".to_string(),
        protocol_title: "Rupture repair".to_string(),
        drill: None,
        started_at: DateTime::parse_from_rfc3339(started).expect("test timestamp"),
        finished_at: None,
        complete: false,
        steps: Vec::new(),
        extra: Default::default(),
    }
}

/// A complete session of protocol "p" on `day` (YYYY-MM-DD) at nine, with
/// nothing in it yet.
pub(crate) fn on_day(mode: SessionMode, day: &str) -> Session {
    Session {
        id: format!("{}-090000-0000", day.replace('-', "")),
        mode,
        protocol: "p".into(),
        protocol_title: "P".into(),
        complete: true,
        ..session("", &format!("{day}T09:00:00+01:00"))
    }
}

/// A drill on `day` (YYYY-MM-DD) with these attempts.
pub(crate) fn drill_on(day: &str, records: Vec<DrillCardRecord>) -> Session {
    Session {
        extra: super::Extra {
            drill_cards: records,
            ..super::Extra::default()
        },
        ..on_day(SessionMode::Drill, day)
    }
}

pub(crate) fn step(
    id: &str,
    title: &str,
    status: StepStatus,
    notes: &str,
    pause_seconds: Option<u64>,
) -> StepRecord {
    StepRecord {
        id: id.to_string(),
        title: title.to_string(),
        status,
        notes: notes.to_string(),
        pause_seconds,
        newer: Default::default(),
    }
}

/// The names in a folder, sorted.
///
/// The data directory's lock file, where the platform has one (Windows),
/// is left out: it is the same before and after anything a test does.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| Some(name.as_str()) != crate::platform::LOCK_FILE)
        .collect();
    names.sort();
    names
}

/// A first attempt at a beginner withdrawal card, rated 0, nothing met or
/// missed, no marker named, 30 seconds to respond.
pub(crate) fn drill_card(card: &str) -> DrillCardRecord {
    DrillCardRecord {
        number: 1,
        card: card.into(),
        kind: "withdrawal".into(),
        level: "beginner".into(),
        client: String::new(),
        attempt: 1,
        rating: 0,
        criteria_met: Vec::new(),
        criteria_missed: Vec::new(),
        criteria_met_ids: Vec::new(),
        criteria_missed_ids: Vec::new(),
        self_report: None,
        marker_guess: None,
        marker_right: false,
        respond_seconds: 30,
        response: None,
        next_level: "beginner".into(),
        newer: Default::default(),
    }
}

/// Asserts that `path`'s permission bits are `mode` (0o600, 0o700) where a
/// file has such bits, on Unix; elsewhere there are none to check, and the
/// test around it still checks everything else.
pub(crate) fn assert_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let found = fs::metadata(path).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(found, mode, "{} is {found:o}, not {mode:o}", path.display());
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}
