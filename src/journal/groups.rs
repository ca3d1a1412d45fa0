//! The parts of a session record that only `repair prep` and `repair
//! rehearse` fill in: the intention line of a prep, and the rounds of a
//! rehearsal. Kept apart from [`super::Session`]'s own fields and flattened
//! into it, so a practice session's JSON stays exactly as it was (every field
//! here is left out when empty).
//!
//! A rehearsal round records roles by seat (the order people were given on
//! the command line), never names: the group's names stay on the screen.

use serde::{Deserialize, Serialize};

use crate::protocol::{Level, Marker, ScenarioKind};

/// A role in a rehearsal round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Therapist,
    Client,
    Observer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Therapist => "therapist",
            Role::Client => "client",
            Role::Observer => "observer",
        }
    }
}

/// Which way a difficulty rating moved the level (the rule is
/// `crate::practice::level::LevelRule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Down,
    Stay,
    Up,
}

/// A word a record names (a scenario kind, a level, a role, a marker, a
/// reaction), as read: the enum when this version knows the word, else the
/// word itself, so a file from a newer version still reads and writes back
/// unchanged. Serialised as the plain word, exactly as when these fields
/// were strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word<T> {
    Known(T),
    Other(String),
}

/// An enum a record names by a fixed word.
pub trait Named: Copy {
    fn word(self) -> &'static str;
    fn from_word(word: &str) -> Option<Self>;
}

/// The protocol's words, as records name them.
macro_rules! named_as_in_protocol {
    ($($name:ident),+) => {$(
        impl Named for $name {
            fn word(self) -> &'static str {
                self.as_str()
            }
            fn from_word(word: &str) -> Option<Self> {
                $name::from_word(word)
            }
        }
    )+};
}

named_as_in_protocol!(ScenarioKind, Level, Marker);

impl Named for Role {
    fn word(self) -> &'static str {
        self.as_str()
    }
    fn from_word(word: &str) -> Option<Self> {
        [Role::Therapist, Role::Client, Role::Observer]
            .into_iter()
            .find(|r| r.as_str() == word)
    }
}

/// The round's difficulty: which way the rating moved the next card.
impl Named for Move {
    fn word(self) -> &'static str {
        match self {
            Move::Up => "too-easy",
            Move::Stay => "about-right",
            Move::Down => "too-hard",
        }
    }
    fn from_word(word: &str) -> Option<Self> {
        [Move::Up, Move::Stay, Move::Down]
            .into_iter()
            .find(|m| m.word() == word)
    }
}

/// What the therapist noticed in themselves (the series' reaction form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reaction {
    HeartRacing,
    UrgeToExplain,
    WentBlank,
    Shame,
    Irritation,
    SomethingElse,
}

impl Reaction {
    pub const ALL: [Reaction; 6] = [
        Reaction::HeartRacing,
        Reaction::UrgeToExplain,
        Reaction::WentBlank,
        Reaction::Shame,
        Reaction::Irritation,
        Reaction::SomethingElse,
    ];

    /// The word kept in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Reaction::HeartRacing => "heart-racing",
            Reaction::UrgeToExplain => "urge-to-explain",
            Reaction::WentBlank => "went-blank",
            Reaction::Shame => "shame",
            Reaction::Irritation => "irritation",
            Reaction::SomethingElse => "something-else",
        }
    }

    /// As shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            Reaction::HeartRacing => "heart racing",
            Reaction::UrgeToExplain => "urge to explain",
            Reaction::WentBlank => "went blank",
            Reaction::Shame => "shame",
            Reaction::Irritation => "irritation",
            Reaction::SomethingElse => "something else",
        }
    }
}

impl Named for Reaction {
    fn word(self) -> &'static str {
        self.as_str()
    }
    fn from_word(word: &str) -> Option<Self> {
        Reaction::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

/// The client's line played between a card's two responses: the card's
/// `escalate` line (the therapist defended or explained), its `soften` line
/// (they owned their part or validated), or something the client player
/// improvised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Continuation {
    Escalate,
    Soften,
    Improvised,
}

impl Continuation {
    pub const ALL: [Continuation; 3] = [
        Continuation::Escalate,
        Continuation::Soften,
        Continuation::Improvised,
    ];

    /// The word kept in exports (the card's own field names).
    pub fn as_str(self) -> &'static str {
        match self {
            Continuation::Escalate => "escalate",
            Continuation::Soften => "soften",
            Continuation::Improvised => "improvised",
        }
    }
}

impl Named for Continuation {
    fn word(self) -> &'static str {
        self.as_str()
    }
    fn from_word(word: &str) -> Option<Self> {
        Continuation::ALL.into_iter().find(|c| c.as_str() == word)
    }
}

/// What a drill's clinician said they saw before the reveal: a marker, or
/// only its kind ("withdrawal, not sure which marker"). Marker ids and kind
/// words never coincide, so the word alone says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sighting {
    Marker(Marker),
    Kind(ScenarioKind),
}

impl Named for Sighting {
    fn word(self) -> &'static str {
        match self {
            Sighting::Marker(marker) => marker.as_str(),
            Sighting::Kind(kind) => kind.as_str(),
        }
    }
    fn from_word(word: &str) -> Option<Self> {
        Marker::from_word(word)
            .map(Sighting::Marker)
            .or_else(|| ScenarioKind::from_word(word).map(Sighting::Kind))
    }
}

impl<T: Named> Word<T> {
    /// The word as written in the file.
    pub fn as_str(&self) -> &str {
        match self {
            Word::Known(known) => known.word(),
            Word::Other(word) => word,
        }
    }

    /// The enum, when this version knows the word.
    pub fn known(&self) -> Option<T> {
        match self {
            Word::Known(known) => Some(*known),
            Word::Other(_) => None,
        }
    }

    /// The word read: known, or kept as it is.
    pub fn read(word: &str) -> Self {
        T::from_word(word).map_or_else(|| Word::Other(word.to_string()), Word::Known)
    }
}

impl<T: Named> From<T> for Word<T> {
    fn from(known: T) -> Self {
        Word::Known(known)
    }
}

impl<T: Named> From<&str> for Word<T> {
    fn from(word: &str) -> Self {
        Word::read(word)
    }
}

/// An empty word, as an empty string was before (a default round).
impl<T> Default for Word<T> {
    fn default() -> Self {
        Word::Other(String::new())
    }
}

/// Compares the word as written in the file.
impl<T: Named> PartialEq<&str> for Word<T> {
    fn eq(&self, word: &&str) -> bool {
        self.as_str() == *word
    }
}

impl<T: Named> std::fmt::Display for Word<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: Named> Serialize for Word<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, T: Named> Deserialize<'de> for Word<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<T: Named> serde::de::Visitor<'_> for Visit<T> {
            type Value = Word<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a word")
            }
            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<Word<T>, E> {
                Ok(Word::read(word))
            }
        }
        deserializer.deserialize_str(Visit(std::marker::PhantomData))
    }
}

/// Fields some modes add to a session. Written flattened into the
/// session; read by [`ExtraFields`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Extra {
    /// `prep`: the one line of intention for the session ahead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intention: Option<String>,
    /// `rehearse`: every round played, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<RoundRecord>,
    /// `practice`: the id of the step that was showing when an unfinished
    /// walk was saved, so a resume opens on it. Absent once finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_step: Option<Box<str>>,
    /// `drill`: every attempt at a card, in order (a retry is a second
    /// attempt at the same card).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drill_cards: Vec<DrillCardRecord>,
    /// A conflict copy: the id of the session these notes were opened
    /// from, kept as a new session because that one was changed or deleted
    /// elsewhere while they were written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
    /// `rehearse`: the improvised segments after a set, rated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub improvised: Vec<ImprovisedRecord>,
    /// Fields of the session this version does not know (written by a
    /// newer one), kept as read and written back after the known ones, so
    /// an import, a save or an export never drops them. Declared last:
    /// it takes whatever no field above names.
    #[serde(flatten)]
    pub newer: serde_json::Map<String, serde_json::Value>,
}

impl Extra {
    pub fn is_empty(&self) -> bool {
        self.intention.is_none()
            && self.rounds.is_empty()
            && self.at_step.is_none()
            && self.drill_cards.is_empty()
            && self.copy_of.is_none()
            && self.improvised.is_empty()
            && self.newer.is_empty()
    }
}

/// Reads [`Extra`] from the fields a session's own reader does not name
/// (see [`super::newer`]): each of its fields by name, once, and anything
/// else into `newer`. The names are the ones `Extra` writes; the test
/// `every_extra_field_reads_back_as_written` fails when a field is added
/// to `Extra` and not here.
#[derive(Default)]
pub(super) struct ExtraFields {
    extra: Extra,
    seen: Vec<&'static str>,
}

impl ExtraFields {
    pub(super) fn into_extra(self) -> Extra {
        self.extra
    }
}

impl<'de> super::newer::Others<'de> for ExtraFields {
    fn take<A: serde::de::MapAccess<'de>>(
        &mut self,
        key: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        // Refused before its value is read, so the error points at the key,
        // where serde points for the session's own fields.
        if let Some(field) = self.seen.iter().find(|field| **field == key) {
            return Err(serde::de::Error::duplicate_field(field));
        }
        let extra = &mut self.extra;
        // Each field by its own name, as serde names it.
        macro_rules! read_one_of {
            ($($field:ident),+) => {
                match key.as_str() {
                    $(stringify!($field) => {
                        extra.$field = map.next_value()?;
                        stringify!($field)
                    })+
                    _ => return extra.newer.take(key, map),
                }
            };
        }
        let field = read_one_of!(intention, rounds, at_step, drill_cards, copy_of, improvised);
        self.seen.push(field);
        Ok(())
    }
}

/// One round of a rehearsal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct RoundRecord {
    /// 1-based.
    pub number: usize,
    /// The card's id, kind and level.
    pub card: String,
    pub kind: Word<ScenarioKind>,
    pub level: Word<Level>,
    /// This round played the same card as the round before (the repeat key).
    pub repeated: bool,
    /// The role of each seat, in seat order: "therapist", "client" or
    /// "observer". Seats stand in for people; names are never kept.
    pub roles: Vec<Word<Role>>,
    /// The ids of the steps the observers ticked, in protocol order.
    pub checklist: Vec<String>,
    /// The one-line feedback note, exactly as typed (may be empty).
    pub feedback: String,
    /// "too-easy", "about-right" or "too-hard". Since the 0-10 rating: the
    /// way the rating moved the therapist's level (up: "too-easy", down:
    /// "too-hard"), so older readers still understand it.
    pub difficulty: Word<Move>,
    // The deliberate-practice answers. A version-1 record has none
    // of them and reads with these defaults.
    /// Which try at this card by the same therapist, from 1 (`r` retries).
    #[serde(default = "first_attempt")]
    pub attempt: u32,
    /// The therapist's seat, from 1 (seats, never names).
    #[serde(default)]
    pub therapist_seat: Option<usize>,
    /// The therapist's own level when the card was dealt.
    #[serde(default)]
    pub therapist_level: Option<Word<Level>>,
    /// The therapist's level for their next card, after this rating.
    #[serde(default)]
    pub next_level: Option<Word<Level>>,
    /// The kind of marker the therapist named ("withdrawal",
    /// "confrontation"), or null for "not sure".
    #[serde(default)]
    pub guess_kind: Option<Word<ScenarioKind>>,
    /// Whether the kind named was the card's; null when none was named.
    #[serde(default)]
    pub guess_kind_right: Option<bool>,
    /// The marker the therapist named, if any (an id like "shifting-topic").
    #[serde(default)]
    pub guess_marker: Option<Word<Marker>>,
    /// Whether that marker is one of the card's; null when none was named.
    #[serde(default)]
    pub guess_marker_right: Option<bool>,
    /// The therapist's own difficulty rating, 0 (easy) to 10 (very hard).
    #[serde(default)]
    pub rating: Option<u8>,
    /// The reactions the therapist ticked ("heart-racing", "urge-to-explain",
    /// "went-blank", "shame", "irritation", "something-else").
    #[serde(default)]
    pub reactions: Vec<Word<Reaction>>,
    /// The criteria the observers ticked as met.
    #[serde(default)]
    pub criteria_met: Vec<CriterionRecord>,
    /// The trainer's corrective point ("next time, try ..."), as typed or
    /// as the criterion picked reads; absent when there was no trainer or
    /// no point. Never the trainer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainer_point: Option<String>,
    /// The full id of the criterion the point was picked from (absent when
    /// typed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainer_point_criterion: Option<String>,
    /// The id of the step practised (only its criteria were shown and
    /// ticked); absent when every step observers can see was, as in
    /// rounds saved before one step could be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// How many responses the card had: 2 with the client's continuation
    /// line between them. Absent in rounds saved before the second beat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beats: Option<u8>,
    /// With two: the line the client played ("escalate", "soften",
    /// "improvised"); absent when nobody marked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation: Option<Word<Continuation>>,
    /// Fields of this record this version does not know (written by a
    /// newer one), kept as read and written back after the known ones, so
    /// an import, a save or an export never drops them.
    #[serde(flatten, skip_deserializing)]
    pub newer: serde_json::Map<String, serde_json::Value>,
}
super::newer::keeps_newer!(RoundRecord);

fn first_attempt() -> u32 {
    1
}

/// An improvised segment after a trainee's set in a rehearsal: the client
/// player went on freely from the set's last scene and the therapist rated
/// it. It does not move a level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ImprovisedRecord {
    /// The `number` of the last round before it.
    pub after_round: usize,
    /// The therapist's seat, from 1 (seats, never names).
    pub therapist_seat: usize,
    /// The role of each seat, in seat order, as in a round.
    pub roles: Vec<Word<Role>>,
    /// The segment's length as set (`--improvise`).
    pub minutes: u32,
    /// The therapist's own difficulty rating, 0 (easy) to 10 (very hard).
    pub rating: u8,
    /// Fields a newer version wrote, kept and written back.
    #[serde(flatten, skip_deserializing)]
    pub newer: serde_json::Map<String, serde_json::Value>,
}
super::newer::keeps_newer!(ImprovisedRecord);

/// A criterion of a good response, ticked as met in a round's review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionRecord {
    /// The step's id.
    pub step: String,
    /// The criterion's place in the step's list, from 1 (0: the step itself,
    /// for a step written without criteria).
    pub number: usize,
    /// The criterion as shown.
    pub text: String,
    /// The criterion's full id (`reflect.guess`), the same one model
    /// responses name; empty in sessions saved before criteria had ids.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
}

/// One attempt at a card in a solo drill (`repair drill`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct DrillCardRecord {
    /// The card's place in the session, from 1 (a retry keeps the number).
    pub number: usize,
    /// The card's id, kind and level.
    pub card: String,
    pub kind: Word<ScenarioKind>,
    pub level: Word<Level>,
    /// The client's statement, as the card had it (for a readable export).
    #[serde(default)]
    pub client: String,
    /// 1 for the first try, 2 for the retry right after, and so on.
    pub attempt: u32,
    /// How hard it was, 0 to 10, as the clinician rated it.
    pub rating: u8,
    /// The criteria of the focused step(s) the response met, and those not
    /// yet met, as written in the protocol.
    #[serde(default)]
    pub criteria_met: Vec<String>,
    #[serde(default)]
    pub criteria_missed: Vec<String>,
    /// The same criteria by full id (`reflect.guess`), in the same order;
    /// absent in sessions saved before criteria had ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria_met_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria_missed_ids: Vec<String>,
    /// For a step nobody can see (the scan): what the clinician noticed in
    /// their body, feelings and urge, exactly as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_report: Option<String>,
    /// The marker the clinician saw before the reveal: a marker id, a kind
    /// ("withdrawal", "confrontation"), or null for "not sure".
    #[serde(default)]
    pub marker_guess: Option<Word<Sighting>>,
    /// Whether the guess matched the card (a kind matches its markers).
    #[serde(default)]
    pub marker_right: bool,
    /// Seconds from the start of the response to Enter (or the timer's end).
    pub respond_seconds: u64,
    /// The typed response (`--type`), exactly as typed; null when spoken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// The level the next card of this kind is dealt at, after this rating.
    pub next_level: Word<Level>,
    /// Fields of this record this version does not know (written by a
    /// newer one), kept as read and written back after the known ones, so
    /// an import, a save or an export never drops them.
    #[serde(flatten, skip_deserializing)]
    pub newer: serde_json::Map<String, serde_json::Value>,
}
super::newer::keeps_newer!(DrillCardRecord);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of [`Extra`] is written out to the session and read
    /// back into its own place, none into `newer`. The literal names every
    /// field, so a field added to `Extra` stops this compiling until it is
    /// added here, and then fails it until [`ExtraFields`] reads it.
    #[test]
    fn every_extra_field_reads_back_as_written() {
        let mut newer = serde_json::Map::new();
        newer.insert("later".into(), serde_json::json!({"kept": [1, 2]}));
        let extra = Extra {
            intention: Some("stay with it".into()),
            rounds: vec![RoundRecord {
                number: 1,
                card: "c".into(),
                ..RoundRecord::default()
            }],
            at_step: Some("validate".into()),
            drill_cards: vec![crate::journal::fixtures::drill_card("c")],
            copy_of: Some("20240101-090000-abcd".into()),
            improvised: vec![ImprovisedRecord {
                after_round: 1,
                therapist_seat: 2,
                minutes: 3,
                rating: 4,
                ..ImprovisedRecord::default()
            }],
            newer,
        };
        let mut session = crate::journal::fixtures::session("s", "2024-01-01T09:00:00+01:00");
        session.extra = extra.clone();
        let json = serde_json::to_string(&session).expect("writes");
        let read: super::super::Session = serde_json::from_str(&json).expect("reads");
        assert_eq!(read.extra, extra, "{json}");
    }

    /// A session field written twice is refused, as serde refuses the
    /// session's own fields written twice.
    #[test]
    fn an_extra_field_written_twice_is_refused() {
        let json = r#"{"id":"s","mode":"prep","protocol":"p","started_at":"2024-01-01T09:00:00+01:00","finished_at":null,"complete":false,"steps":[],"intention":"a","intention":"b"}"#;
        let error = serde_json::from_str::<super::super::Session>(json).expect_err("twice");
        assert_eq!(
            error.to_string(),
            "duplicate field `intention` at line 1 column 154"
        );
    }

    /// A drill card written by a newer version keeps the fields this one
    /// does not know, and writes them back after the known ones.
    #[test]
    fn a_drill_card_keeps_fields_from_a_newer_version() {
        let json = r#"{"number":1,"card":"c","kind":"withdrawal","level":"beginner","client":"","attempt":1,"rating":4,"criteria_met":[],"criteria_missed":[],"marker_guess":null,"marker_right":false,"respond_seconds":9,"next_level":"beginner","voice_ms":1200}"#;
        let card: DrillCardRecord = serde_json::from_str(json).expect("reads");
        assert_eq!(card.newer["voice_ms"], serde_json::json!(1200));
        let back: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&card).expect("writes")).expect("json");
        assert_eq!(back["voice_ms"], serde_json::json!(1200));
    }

    #[test]
    fn words_this_version_does_not_know_read_and_write_back_unchanged() {
        let json = r#"{"number":1,"card":"c","kind":"mixed","level":"expert","repeated":false,"roles":["therapist","coach"],"checklist":[],"feedback":"","difficulty":"about-right","attempt":1,"therapist_seat":1,"therapist_level":"beginner","next_level":"master","guess_kind":"withdrawal","guess_kind_right":null,"guess_marker":null,"guess_marker_right":null,"rating":null,"reactions":[],"criteria_met":[],"seat_mood":{"calm":true}}"#;
        let round: RoundRecord = serde_json::from_str(json).expect("reads");
        assert_eq!(round.kind, Word::Other("mixed".into()));
        assert_eq!(round.newer["seat_mood"], serde_json::json!({"calm": true}));
        assert_eq!(round.kind.known(), None);
        assert_eq!(round.difficulty, Word::Known(Move::Stay));
        assert_eq!(round.roles[0], Word::Known(Role::Therapist));
        assert_eq!(round.therapist_level, Some(Word::Known(Level::Beginner)));
        assert_eq!(
            round.guess_kind,
            Some(Word::Known(ScenarioKind::Withdrawal))
        );
        assert_eq!(serde_json::to_string(&round).expect("writes"), json);
    }

    #[test]
    fn guesses_and_reactions_are_words_and_unknown_ones_are_kept() {
        let json = r#"{"number":1,"card":"c","kind":"withdrawal","level":"beginner","repeated":false,"roles":[],"checklist":[],"feedback":"","difficulty":"too-hard","attempt":1,"therapist_seat":null,"therapist_level":null,"next_level":null,"guess_kind":null,"guess_kind_right":null,"guess_marker":"denial","guess_marker_right":true,"rating":7,"reactions":["shame","relieved"],"criteria_met":[]}"#;
        let round: RoundRecord = serde_json::from_str(json).expect("reads");
        assert_eq!(round.guess_marker, Some(Word::Known(Marker::Denial)));
        assert_eq!(
            round.reactions,
            [Word::Known(Reaction::Shame), Word::Other("relieved".into())]
        );
        assert_eq!(serde_json::to_string(&round).expect("writes"), json);
        for (word, seen) in [
            ("denial", Some(Sighting::Marker(Marker::Denial))),
            (
                "confrontation",
                Some(Sighting::Kind(ScenarioKind::Confrontation)),
            ),
            ("anger", None),
        ] {
            let read: Word<Sighting> = Word::read(word);
            assert_eq!(read.known(), seen, "{word}");
            assert_eq!(read.as_str(), word);
        }
    }
}
