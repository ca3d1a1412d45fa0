//! The session record as saved on disk and exported.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// One walk-through, finished or not. Serialised as JSON; the field names are
/// a public interface (the JSON export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Sortable and unique: `YYYYMMDD-HHMMSS-xxxx`.
    pub id: String,
    /// "practice", "prep" or "rehearse".
    pub mode: String,
    /// The protocol's id.
    pub protocol: String,
    /// The protocol's title when the session was made.
    #[serde(default)]
    pub protocol_title: String,
    /// The step drilled (`--step` or `--focus`), or null for a whole walk-through.
    #[serde(default)]
    pub drill: Option<String>,
    pub started_at: DateTime<FixedOffset>,
    /// Null while unfinished.
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub complete: bool,
    pub steps: Vec<StepRecord>,
    /// Fields only prep and rehearse sessions have; absent from the JSON
    /// when empty, so practice sessions are unchanged.
    #[serde(flatten)]
    pub extra: super::groups::Extra,
}

/// One step of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub id: String,
    pub title: String,
    pub status: StepStatus,
    /// Exactly as typed.
    pub notes: String,
    /// Seconds actually paused (rounded to the nearest second), or null when
    /// no pause was taken.
    pub pause_seconds: Option<u64>,
}

/// What happened to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// Visited, and notes written or the pause taken.
    Done,
    /// Visited and left with no notes and no pause.
    Skipped,
    /// A follow-up step left open for later.
    FollowUp,
    /// Never reached.
    NotReached,
}

impl StepStatus {
    /// The word used in exports and plain text.
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::Skipped => "skipped",
            StepStatus::FollowUp => "follow-up",
            StepStatus::NotReached => "not-reached",
        }
    }
}

/// The local time now, to the second: what sessions record.
pub fn local_now() -> DateTime<FixedOffset> {
    use chrono::{SubsecRound, Timelike};
    let now = chrono::Local::now().fixed_offset();
    now.with_nanosecond(0)
        .unwrap_or_else(|| now.trunc_subsecs(0))
}

/// A new session id from the local start time and a few bits of entropy, so
/// two sessions started in the same second do not collide and ids sort by time.
pub fn new_session_id(started_at: &DateTime<FixedOffset>) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_i64(started_at.timestamp_subsec_nanos() as i64);
    format!(
        "{}-{:04x}",
        started_at.format("%Y%m%d-%H%M%S"),
        h.finish() & 0xffff
    )
}
