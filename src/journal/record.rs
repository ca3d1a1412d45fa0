//! The session record as saved on disk and exported.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// One walk-through, finished or not. Serialised as JSON; the field names are
/// a public interface (the JSON export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Session {
    /// Sortable and unique: `YYYYMMDD-HHMMSS-xxxxxxxx` (older ids end in
    /// four hex digits).
    pub id: String,
    /// What kind of session: "practice", "prep", "rehearse" or "drill".
    pub mode: SessionMode,
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
    /// Fields only some modes add, and those a newer version wrote;
    /// absent from the JSON when empty, so practice sessions are unchanged.
    /// Read by [`super::groups::ExtraFields`] (see [`super::newer`]).
    #[serde(flatten, skip_deserializing)]
    pub extra: super::groups::Extra,
}

impl Serialize for Session {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Session::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut extra = super::groups::ExtraFields::default();
        let mut session =
            Session::deserialize(super::newer::Keeping::new(deserializer, &mut extra))?;
        session.extra = extra.into_extra();
        Ok(session)
    }
}

/// What kind of session a record is. Serialised as the plain word
/// ("practice", "prep", "rehearse", "drill"), exactly as before it was an
/// enum; a word this version does not know (a file from a newer version)
/// is kept as it is and written back unchanged, so no file becomes
/// unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionMode {
    /// A walk through a protocol (`repair practice`).
    Practice,
    /// A prep session (`repair prep`).
    Prep,
    /// A rehearsal (`repair rehearse`).
    Rehearse,
    /// A drill of cards (`repair drill`).
    Drill,
    /// Any other word, kept as read.
    Other(String),
}

impl SessionMode {
    /// The word used in files, exports, lists and Markdown.
    pub fn as_str(&self) -> &str {
        match self {
            SessionMode::Practice => "practice",
            SessionMode::Prep => "prep",
            SessionMode::Rehearse => "rehearse",
            SessionMode::Drill => "drill",
            SessionMode::Other(word) => word,
        }
    }

    /// The mode a word names; an unknown word is kept as [`SessionMode::Other`].
    pub fn from_word(word: &str) -> SessionMode {
        match word {
            "practice" => SessionMode::Practice,
            "prep" => SessionMode::Prep,
            "rehearse" => SessionMode::Rehearse,
            "drill" => SessionMode::Drill,
            other => SessionMode::Other(other.to_string()),
        }
    }
}

impl From<&str> for SessionMode {
    fn from(word: &str) -> Self {
        SessionMode::from_word(word)
    }
}

impl std::fmt::Display for SessionMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SessionMode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SessionMode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Word;
        impl serde::de::Visitor<'_> for Word {
            type Value = SessionMode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a session mode word")
            }
            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<SessionMode, E> {
                Ok(SessionMode::from_word(word))
            }
        }
        deserializer.deserialize_str(Word)
    }
}

/// One step of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct StepRecord {
    pub id: String,
    pub title: String,
    pub status: StepStatus,
    /// Exactly as typed.
    pub notes: String,
    /// Seconds actually paused (rounded to the nearest second), or null when
    /// no pause was taken.
    pub pause_seconds: Option<u64>,
    /// Fields of this record this version does not know (written by a
    /// newer one), kept as read and written back after the known ones, so
    /// an import, a save or an export never drops them.
    #[serde(flatten, skip_deserializing)]
    pub newer: serde_json::Map<String, serde_json::Value>,
}
super::newer::keeps_newer!(StepRecord);

/// What happened to a step. Serialised as the plain word; a word this
/// version does not know (a file from a newer version) is kept as it is,
/// shown as it is and written back unchanged, as [`SessionMode`] does, so
/// no file becomes unreadable for one new word. Such a step counts as
/// neither done nor waiting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StepStatus {
    /// Visited, and notes written or the pause taken.
    Done,
    /// Visited and left with no notes and no pause.
    Skipped,
    /// A follow-up step left open for later.
    FollowUp,
    /// Never reached.
    NotReached,
    /// Any other word, kept as read.
    Other(Box<str>),
}

impl StepStatus {
    /// The word used in files, exports and plain text.
    pub fn as_str(&self) -> &str {
        match self {
            StepStatus::Done => "done",
            StepStatus::Skipped => "skipped",
            StepStatus::FollowUp => "follow-up",
            StepStatus::NotReached => "not-reached",
            StepStatus::Other(word) => word,
        }
    }

    /// The status a word names; an unknown word is kept as [`StepStatus::Other`].
    pub fn from_word(word: &str) -> StepStatus {
        match word {
            "done" => StepStatus::Done,
            "skipped" => StepStatus::Skipped,
            "follow-up" => StepStatus::FollowUp,
            "not-reached" => StepStatus::NotReached,
            other => StepStatus::Other(other.into()),
        }
    }
}

impl Serialize for StepStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for StepStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Word;
        impl serde::de::Visitor<'_> for Word {
            type Value = StepStatus;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a step status word")
            }
            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<StepStatus, E> {
                Ok(StepStatus::from_word(word))
            }
        }
        deserializer.deserialize_str(Word)
    }
}

/// The local time now, to the second: what sessions record.
pub fn local_now() -> DateTime<FixedOffset> {
    use chrono::{SubsecRound, Timelike};
    let now = chrono::Local::now().fixed_offset();
    now.with_nanosecond(0)
        .unwrap_or_else(|| now.trunc_subsecs(0))
}

/// A new session id from the local start time and 32 random bits, so ids
/// sort by time and two sessions started in the same second practically
/// never share one (about one chance in 8,000 even for 1,500 walks started
/// in the same second). The store checks the rest: a walk's first save
/// never replaces a session it did not read ([`super::Store::save_walk`]),
/// so a collision is refused and said, never silent. Older ids had 16 bits
/// (`YYYYMMDD-HHMMSS-xxxx`) and stay valid.
pub fn new_session_id(started_at: &DateTime<FixedOffset>) -> String {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded from the OS's randomness once per thread, then
    // stepped for each new one, so every call differs.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_i64(started_at.timestamp_subsec_nanos() as i64);
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!(
        "{}-{:08x}",
        started_at.format("%Y%m%d-%H%M%S"),
        h.finish() & 0xffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::SessionMode;

    #[test]
    fn every_mode_word_reads_back_and_an_unknown_one_is_kept() {
        for word in ["practice", "prep", "rehearse", "drill", "shadowing"] {
            let mode: SessionMode = serde_json::from_str(&format!("\"{word}\"")).expect("reads");
            assert_eq!(mode.as_str(), word);
            assert_eq!(
                serde_json::to_string(&mode).expect("writes"),
                format!("\"{word}\"")
            );
        }
        assert_eq!(SessionMode::from_word("drill"), SessionMode::Drill);
        assert_eq!(SessionMode::from_word("x"), SessionMode::Other("x".into()));
    }

    /// A file from a newer version: a field and a step status this version
    /// does not know read, and write back as they were.
    #[test]
    fn unknown_fields_and_status_words_are_kept_and_written_back() {
        let json = r#"{
  "id": "20240101-090000-abcd",
  "mode": "practice",
  "protocol": "p",
  "protocol_title": "P",
  "drill": null,
  "started_at": "2024-01-01T09:00:00+01:00",
  "finished_at": null,
  "complete": false,
  "steps": [
    {
      "id": "a",
      "title": "A",
      "status": "revisited",
      "notes": "kept",
      "pause_seconds": null
    }
  ],
  "intention": "stay",
  "mood_after": {
    "scale": [
      1,
      2
    ]
  },
  "supervisor": "initials only"
}"#;
        let session: super::Session = serde_json::from_str(json).expect("reads");
        assert_eq!(
            session.steps[0].status,
            super::StepStatus::Other("revisited".into())
        );
        assert_eq!(session.extra.intention.as_deref(), Some("stay"));
        assert_eq!(session.extra.newer.len(), 2);
        assert_eq!(
            serde_json::to_string_pretty(&session).expect("writes"),
            json
        );
    }
}
