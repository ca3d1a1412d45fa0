//! The protocol: the steps of a repair, as written in a TOML file.
//!
//! This module owns the model ([`Protocol`], [`Step`], [`Pause`], [`Breath`],
//! and the rehearsal deck's [`Scenario`] cards),
//! the loader that checks a file and reports every problem with its line and
//! column ([`parse()`], [`load_file`]), the protocol compiled into the binary
//! ([`builtin`]), finding protocols by name ([`catalogue()`], [`resolve`]), and
//! the format's JSON Schema ([`SCHEMA_TEXT`]).

// The built-in protocol's steps, made from its file by `rust_form` and
// kept in the repository: a start builds them instead of parsing them.
#[rustfmt::skip]
mod builtin_steps;
mod catalogue;
// Used by build.rs (which includes the file) and, here, only by the tests
// that check its reading against the whole file's and make `builtin_steps`.
#[cfg(test)]
mod deck_aside;
mod error;
pub(crate) mod parse;
#[cfg(test)]
mod rust_form;

pub use catalogue::{Entry, Summary, catalogue, resolve};
pub use error::{NotFound, Problem, ProtocolError};
pub(crate) use parse::is_id;
pub use parse::{
    MAX_CRITERIA, MAX_EXAMPLES, MAX_FILE_BYTES, MAX_PITFALLS, MAX_RESOURCES, MAX_SCENARIOS,
    MAX_STEPS, load_file, parse,
};
pub use parse::{hidden_characters, load_file_with_warnings};

/// Version of the protocol file format described in the README.
/// Files that say nothing are format 1; `format = 2` under `[protocol]`
/// opens the format-2 keys. Both are read.
pub const FORMAT_VERSION: u32 = 2;

/// How long a pause may be, in seconds: in a protocol file, in the settings
/// and on the command line (`--scan-seconds`, `prep --seconds`).
pub const PAUSE_SECONDS: std::ops::RangeInclusive<u32> = 1..=3600;

/// The JSON Schema of the protocol format (`repair protocols schema`), for
/// editors that complete keys and flag mistakes while typing. A test keeps it
/// in step with the parser.
pub const SCHEMA_TEXT: &str = include_str!("../../schema/protocol.schema.json");

/// The text of the built-in protocol, compiled in so `repair` works with no
/// files installed.
pub const BUILTIN_TEXT: &str = include_str!("../../steps/rupture-repair.toml");

/// The name the built-in protocol is shown under in error messages.
pub const BUILTIN_ORIGIN: &str = "<built-in>/rupture-repair.toml";

/// A protocol: an ordered list of steps to walk through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol {
    /// The format the file is written in: 1 (no `format` key) or 2.
    pub format: u32,
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub source: Option<String>,
    /// The id of the step to drill this month, if any; always names a step.
    pub focus: Option<String>,
    pub steps: Vec<Step>,
    /// The rehearsal deck (`[[scenario]]` cards), in file order; may be empty.
    pub scenarios: Vec<Scenario>,
    /// How a rupture of each kind tends to resolve (`[resolution]`): shown in
    /// the review of a rehearsal or drill card. In [`ScenarioKind::ALL`] order
    /// where given; a kind may be missing.
    pub resolution: Vec<(ScenarioKind, String)>,
    /// Readings and videos (`[[resource]]`), shown with the source.
    pub resources: Vec<Resource>,
}

/// A reading or video to go with the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub title: String,
    /// Where to find it: a citation, a URL, "the shared drive".
    pub location: String,
    pub note: Option<String>,
}

/// One step of the repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub guidance: String,
    /// Questions to reflect on.
    pub prompts: Vec<String>,
    /// Sentence stems to try out loud.
    pub stems: Vec<String>,
    /// A step usually done later ("when the iron is cold"): left open as a
    /// follow-up when its notes are empty at the end of a walk-through.
    pub follow_up: bool,
    pub pause: Option<Pause>,
    /// Two to four observable behaviours of a good response at this step, for
    /// feedback in rehearse and drill. May be empty.
    pub criteria: Vec<Criterion>,
    /// False for a step observers cannot see in a role play (the internal
    /// scan), and only that: rehearse does not ask observers to tick it,
    /// while a solo drill of the step has the trainee check its criteria
    /// (they know whether they paused and what they noticed). True when not
    /// written.
    pub observable: bool,
}

/// One observable behaviour of a good response at a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// Unique within its step. Written in the file (`{ id = "guess", text =
    /// "..." }`), or, for a criterion written as plain text, its place in the
    /// step's list from 1 ("2"), so older files still give every criterion
    /// an id.
    pub id: String,
    /// The behaviour, as shown to the clinician.
    pub text: String,
}

impl Criterion {
    /// The id a model response names it by, and sessions save it under:
    /// the step's id, a dot, the criterion's id (`reflect.guess`).
    pub fn full_id(&self, step_id: &str) -> String {
        format!("{step_id}.{}", self.id)
    }

    /// Criteria written as plain text, numbered from 1 as a file without
    /// criterion ids numbers them.
    pub fn numbered(texts: &[&str]) -> Vec<Criterion> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| Criterion {
                id: (i + 1).to_string(),
                text: text.to_string(),
            })
            .collect()
    }
}

/// A timed pause offered at the start of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// 1 to 3600.
    pub seconds: u32,
    /// Shown one after another through the pause.
    pub cues: Vec<String>,
    /// The breathing pacer as the pause begins: `None` when the file has no
    /// pacer, or says it starts off (`on = false`). What a view draws unless
    /// the user turns the pacer on or off.
    pub breath: Option<Breath>,
    /// The pacer the file offers, whether it starts on or off: what a key
    /// that turns the pacer on brings in.
    pub pacer: Option<Breath>,
}

/// A breathing pacer: seconds per phase, 1 to 20 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breath {
    pub inhale: u32,
    pub exhale: u32,
}

/// A rehearsal card: what a client says at a rupture marker, for a group to
/// practise the repair on (`repair rehearse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Unique among the protocol's cards.
    pub id: String,
    pub kind: ScenarioKind,
    pub level: Level,
    /// What the client says.
    pub client: String,
    /// What everyone sees: where we are, what just happened. A format-1
    /// `context` is read as the scene.
    pub scene: Option<String>,
    /// For the client player only: how to play it, what is hidden.
    pub direction: Option<String>,
    /// The client's next line if the therapist defends or explains.
    pub escalate: Option<String>,
    /// The client's next line if the therapist owns their part or validates.
    pub soften: Option<String>,
    /// The rupture markers this card shows.
    pub markers: Vec<Marker>,
    /// Model therapist responses (models, not scripts).
    pub examples: Vec<Example>,
    /// Responses that make the rupture worse, each with why.
    pub pitfalls: Vec<Pitfall>,
    /// Setting and context.
    pub tags: Vec<Tag>,
    /// What the card touches that someone may want warning of (risk,
    /// self-harm, abuse, bereavement, a report to the authorities).
    pub content: Vec<Content>,
}

impl Scenario {
    /// The card's content note, shown to everyone before the card is
    /// played so anyone can ask to leave it out; `None` without one.
    pub fn content_note(&self) -> Option<String> {
        if self.content.is_empty() {
            return None;
        }
        let words: Vec<&str> = self.content.iter().map(|c| c.as_str()).collect();
        Some(format!(
            "Content note: this card touches on {}.",
            words.join(", ")
        ))
    }
}

/// A model therapist response on a card, with the criteria it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// What the therapist says.
    pub says: String,
    /// The full ids (`reflect.guess`) of the criteria it meets, each naming a
    /// criterion of the protocol; empty for a model written as plain text.
    pub meets: Vec<String>,
    /// The repair strategy it uses, if the file says.
    pub strategy: Option<Strategy>,
}

impl From<&str> for Example {
    fn from(says: &str) -> Self {
        Example::plain(says)
    }
}

impl Example {
    /// A model written as plain text: no criteria claimed, no strategy.
    pub fn plain(says: impl Into<String>) -> Self {
        Example {
            says: says.into(),
            meets: Vec::new(),
            strategy: None,
        }
    }

    /// The line shown under the model in a reveal: the criteria it meets, by
    /// id as the file and the saved sessions write them, and its strategy.
    /// `None` for a model that claims neither.
    pub fn meets_line(&self) -> Option<String> {
        let meets = (!self.meets.is_empty()).then(|| format!("Meets: {}.", self.meets.join(", ")));
        let strategy = self.strategy.map(|s| format!("Strategy: {}.", s.as_str()));
        match (meets, strategy) {
            (Some(m), Some(s)) => Some(format!("{m} {s}")),
            (m, s) => m.or(s),
        }
    }
}

/// A response that makes the rupture worse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pitfall {
    pub response: String,
    /// A few words on why it makes things worse.
    pub why: String,
}

/// A closed vocabulary of words used in protocol files, declared by
/// `vocabulary!`: what the parser needs to read a list of them.
pub trait Vocabulary: Copy + PartialEq + 'static {
    const WORDS: &'static [Self];
    fn word(self) -> &'static str;
}

/// Declares a closed vocabulary of words used in protocol files: the enum,
/// `ALL`, `as_str` and `from_word`, and [`Vocabulary`].
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word used in protocol files and exports.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            pub fn from_word(word: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }

        impl Vocabulary for $name {
            const WORDS: &'static [Self] = Self::ALL;
            fn word(self) -> &'static str {
                self.as_str()
            }
        }
    };
}

vocabulary! {
    /// The rupture markers of Safran & Muran and the Rupture Resolution Rating
    /// System (3RS), as ids.
    Marker {
        // Withdrawal: moving away.
        Denial = "denial",
        MinimalResponse = "minimal-response",
        AbstractTalk = "abstract-talk",
        AvoidantStorytelling = "avoidant-storytelling",
        ShiftingTopic = "shifting-topic",
        DeferringAppeasing = "deferring-appeasing",
        ContentFeelingSplit = "content-feeling-split",
        SelfCriticismHopelessness = "self-criticism-hopelessness",
        // Confrontation: moving against.
        ComplaintTherapist = "complaint-therapist",
        ComplaintActivities = "complaint-activities",
        ComplaintParameters = "complaint-parameters",
        ComplaintProgress = "complaint-progress",
        RejectingIntervention = "rejecting-intervention",
        PressingControl = "pressing-control",
        DefendingAgainstTherapist = "defending-against-therapist",
    }
}

impl Marker {
    /// The kind of rupture this marker belongs to.
    pub fn kind(self) -> ScenarioKind {
        match self {
            Marker::Denial
            | Marker::MinimalResponse
            | Marker::AbstractTalk
            | Marker::AvoidantStorytelling
            | Marker::ShiftingTopic
            | Marker::DeferringAppeasing
            | Marker::ContentFeelingSplit
            | Marker::SelfCriticismHopelessness => ScenarioKind::Withdrawal,
            _ => ScenarioKind::Confrontation,
        }
    }
}

vocabulary! {
    /// The setting and context of a card.
    Tag {
        Telehealth = "telehealth",
        Couple = "couple",
        Family = "family",
        Adolescent = "adolescent",
        Group = "group",
        Mandated = "mandated",
        Interpreter = "interpreter",
        CultureIdentity = "culture-identity",
        TherapistError = "therapist-error",
        Risk = "risk",
        FeesScheduling = "fees-scheduling",
    }
}

vocabulary! {
    /// The repair strategies of Alliance-Focused Training (Eubanks, Muran &
    /// Safran; Muran & Eubanks 2020): the immediate ones, then the
    /// exploratory ones.
    Strategy {
        /// Owning one's part in what happened.
        OwnPart = "own-part",
        /// Clarifying a misunderstanding.
        Clarify = "clarify",
        /// A brief rationale for the task, after owning one's part.
        Rationale = "rationale",
        /// Changing the task or the way of working.
        ChangeTask = "change-task",
        /// Inviting the negative feeling that is held back.
        InviteNegative = "invite-negative",
        /// Talking about what is happening between the two of them.
        Metacommunicate = "metacommunicate",
        /// Saying briefly what the therapist feels right now, in the room.
        DiscloseHereAndNow = "disclose-here-and-now",
        /// Linking the moment to a wider pattern, after owning one's part.
        LinkToPattern = "link-to-pattern",
    }
}

vocabulary! {
    /// What a card touches that someone may want warning of before it is
    /// dealt, and may want to leave out.
    Content {
        Risk = "risk",
        SelfHarm = "self-harm",
        Abuse = "abuse",
        Bereavement = "bereavement",
        Report = "report",
    }
}

/// Safran & Muran's two kinds of rupture marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScenarioKind {
    /// Moving away: minimal answers, appeasing, topic shifts, abstract talk.
    Withdrawal,
    /// Moving against: complaints, rejecting an intervention, pressing for control.
    Confrontation,
}

impl ScenarioKind {
    pub const ALL: [ScenarioKind; 2] = [ScenarioKind::Withdrawal, ScenarioKind::Confrontation];

    /// The word used in protocol files, on the command line and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            ScenarioKind::Withdrawal => "withdrawal",
            ScenarioKind::Confrontation => "confrontation",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

/// How hard a card is to play well, and where a trainee stands.
///
/// A card is beginner, intermediate or advanced ([`Level::ALL`]). A trainee
/// may also be one step below beginner, at `warm-up`: they read a model
/// response aloud before answering in their own words, and are dealt
/// beginner cards ([`Level::pool`]). No card is written at warm-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    WarmUp,
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    /// The levels a card can have, easiest first.
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

    /// Every level a trainee can be at, easiest first.
    pub const TRAINEE: [Level; 4] = [
        Level::WarmUp,
        Level::Beginner,
        Level::Intermediate,
        Level::Advanced,
    ];

    /// The word used in protocol files, on the command line and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::WarmUp => "warm-up",
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    /// Any level's word, `warm-up` included (records keep it).
    pub fn from_word(word: &str) -> Option<Self> {
        Self::TRAINEE.into_iter().find(|l| l.as_str() == word)
    }

    /// A card's level from its word: `warm-up` is not one.
    pub fn card_from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == word)
    }

    /// One level harder, staying at the top.
    pub fn up(self) -> Self {
        match self {
            Level::WarmUp => Level::Beginner,
            Level::Beginner => Level::Intermediate,
            Level::Intermediate | Level::Advanced => Level::Advanced,
        }
    }

    /// One level easier, staying at the bottom (warm-up).
    pub fn down(self) -> Self {
        match self {
            Level::Advanced => Level::Intermediate,
            Level::Intermediate => Level::Beginner,
            Level::Beginner | Level::WarmUp => Level::WarmUp,
        }
    }

    /// The level of the cards dealt to a trainee at this level: warm-up
    /// practises on beginner cards.
    pub fn pool(self) -> Self {
        match self {
            Level::WarmUp => Level::Beginner,
            other => other,
        }
    }

    /// Where the level stands among [`Level::TRAINEE`], from 0 (warm-up).
    pub fn rank(self) -> u8 {
        self as u8
    }
}

impl Protocol {
    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The criterion with this full id (`reflect.guess`), and its step.
    pub fn criterion(&self, full_id: &str) -> Option<(&Step, &Criterion)> {
        let (step, id) = full_id.split_once('.')?;
        let step = self.step(step)?;
        Some((step, step.criteria.iter().find(|c| c.id == id)?))
    }

    /// The resolution guidance for a kind of rupture, if the protocol has one.
    pub fn resolution_for(&self, kind: ScenarioKind) -> Option<&str> {
        self.resolution
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, text)| text.as_str())
    }
}

/// The built-in protocol. Its text is checked by the test suite, so this
/// cannot fail in a released binary.
///
/// Parsed once per process and cloned after: the text never changes while
/// the program runs, and a clone costs a small part of a parse (the test
/// suite and the property tests ask for it thousands of times).
pub fn builtin() -> Protocol {
    static PARSED: std::sync::OnceLock<Protocol> = std::sync::OnceLock::new();
    PARSED
        .get_or_init(|| {
            parse(BUILTIN_TEXT, BUILTIN_ORIGIN).expect("the built-in protocol is valid")
        })
        .clone()
}

/// The built-in protocol without its deck, and the ids of the deck's cards
/// in file order: what a walk needs (the steps, and the ids to count the
/// cards due), without reading the cards that make up most of the file, so
/// the first frame does not wait for them. The tests check both against
/// [`builtin`]: a change to the file that this reading would get wrong
/// fails there, never at run time.
///
/// Nothing is parsed: the steps are Rust made from the file's steps
/// (`builtin_steps.rs`, by `rust_form`, checked against the file by the
/// tests), and the cards' ids are set aside when the program is built
/// (build.rs, with `deck_aside::set_deck_aside`).
pub fn builtin_without_deck() -> (Protocol, Vec<String>) {
    const IDS: &str = include_str!(concat!(env!("OUT_DIR"), "/builtin-deck-ids.txt"));
    (
        builtin_steps::protocol(),
        IDS.lines().map(str::to_owned).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use deck_aside::set_deck_aside;

    #[test]
    fn the_builtin_without_its_deck_is_the_builtin_less_its_cards() {
        let full = builtin();
        let (walk, ids) = builtin_without_deck();
        let full_ids: Vec<String> = full.scenarios.iter().map(|s| s.id.clone()).collect();
        assert!(!ids.is_empty());
        assert_eq!(ids, full_ids);
        let mut expected = full;
        expected.scenarios.clear();
        assert_eq!(walk, expected);
    }

    /// `builtin_steps.rs` is what `rust_form` makes of the file's steps
    /// today, checked as they are at every start of a walk. When the file
    /// changes, `REPAIR_REGENERATE=1 cargo test --lib builtin_steps` writes
    /// it again (and nothing else does).
    #[test]
    fn builtin_steps_are_the_files_steps() {
        let (steps, _) = set_deck_aside(BUILTIN_TEXT);
        let parsed = parse(&steps, BUILTIN_ORIGIN).expect("the built-in protocol is valid");
        let made = rust_form::builtin_steps_file(&parsed);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/protocol/builtin_steps.rs");
        let kept = std::fs::read_to_string(path).unwrap_or_default();
        if kept.replace("\r\n", "\n") == made {
            return;
        }
        if std::env::var_os("REPAIR_REGENERATE").is_some() {
            std::fs::write(path, &made).expect("the source folder is writable");
            return;
        }
        panic!(
            "src/protocol/builtin_steps.rs differs from the steps in steps/rupture-repair.toml: \
             run `REPAIR_REGENERATE=1 cargo test --lib builtin_steps` to make it again"
        );
    }

    #[test]
    fn warm_up_is_a_trainee_level_but_no_card_is_written_at_it() {
        assert_eq!(Level::from_word("warm-up"), Some(Level::WarmUp));
        assert_eq!(Level::card_from_word("warm-up"), None);
        assert_eq!(Level::Beginner.down(), Level::WarmUp);
        assert_eq!(Level::WarmUp.down(), Level::WarmUp);
        assert_eq!(Level::WarmUp.up(), Level::Beginner);
        for level in Level::TRAINEE {
            assert_eq!(Level::from_word(level.as_str()), Some(level));
            assert!(level.up().rank().abs_diff(level.rank()) <= 1);
            assert!(level.down().rank().abs_diff(level.rank()) <= 1);
        }
        let text = BUILTIN_TEXT.replacen("level = \"beginner\"", "level = \"warm-up\"", 1);
        let error = parse(&text, "warm.toml").expect_err("warm-up is not a card level");
        let message = error.to_string();
        assert!(message.contains("warm.toml:"), "{message}");
        assert!(message.contains("\"warm-up\""), "{message}");
    }

    #[test]
    fn cards_are_set_aside_wherever_they_stand() {
        let text = "[protocol]\nid = \"p\"\n\n[[scenario]]\nkind = \"withdrawal\"\nid = \"one\"\n\
                    [scenario.extra]\nid = \"not-a-card\"\n\n[[step]]\nid = \"s\"\n\n\
                    [[scenario]]\nid = \"two\"\n[resolution]\nwithdrawal = \"w\"\n";
        let (rest, ids) = set_deck_aside(text);
        assert_eq!(ids, ["one", "two"]);
        assert_eq!(
            rest,
            "[protocol]\nid = \"p\"\n\n[[step]]\nid = \"s\"\n\n[resolution]\nwithdrawal = \"w\"\n"
        );
    }
}
