//! The protocol: the steps of a repair, as written in a TOML file.
//!
//! This module owns the model ([`Protocol`], [`Step`], [`Pause`], [`Breath`],
//! and the rehearsal deck's [`Scenario`] cards),
//! the loader that checks a file and reports every problem with its line and
//! column ([`parse`], [`load_file`]), the protocol compiled into the binary
//! ([`builtin`]), and finding protocols by name ([`catalogue`], [`resolve`]).

mod catalogue;
mod error;
pub(crate) mod parse;

pub use catalogue::{Entry, Summary, catalogue, resolve};
pub use error::{Problem, ProtocolError};
pub(crate) use parse::is_id;
pub use parse::{MAX_FILE_BYTES, MAX_SCENARIOS, MAX_STEPS, load_file, parse};

/// Version of the protocol file format described in the README.
pub const FORMAT_VERSION: u32 = 1;

/// The text of the built-in protocol, compiled in so `repair` works with no
/// files installed.
pub const BUILTIN_TEXT: &str = include_str!("../../steps/rupture-repair.toml");

/// The name the built-in protocol is shown under in error messages.
pub const BUILTIN_ORIGIN: &str = "<built-in>/rupture-repair.toml";

/// A protocol: an ordered list of steps to walk through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub source: Option<String>,
    /// The id of the step to drill this month, if any; always names a step.
    pub focus: Option<String>,
    pub steps: Vec<Step>,
    /// The rehearsal deck (`[[scenario]]` cards), in file order; may be empty.
    pub scenarios: Vec<Scenario>,
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
}

/// A timed pause offered at the start of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// 1 to 3600.
    pub seconds: u32,
    /// Shown one after another through the pause.
    pub cues: Vec<String>,
    pub breath: Option<Breath>,
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
    /// A line of situation for whoever plays the client.
    pub context: Option<String>,
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

/// How hard a card is to play well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

    /// The word used in protocol files, on the command line and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == word)
    }

    /// One level harder, staying at the top.
    pub fn up(self) -> Self {
        match self {
            Level::Beginner => Level::Intermediate,
            _ => Level::Advanced,
        }
    }

    /// One level easier, staying at the bottom.
    pub fn down(self) -> Self {
        match self {
            Level::Advanced => Level::Intermediate,
            _ => Level::Beginner,
        }
    }
}

impl Protocol {
    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// The built-in protocol. Its text is checked by the test suite, so this
/// cannot fail in a released binary.
pub fn builtin() -> Protocol {
    parse(BUILTIN_TEXT, BUILTIN_ORIGIN).expect("the built-in protocol is valid")
}
