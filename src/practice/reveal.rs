//! What a reveal shows once a response is given, for every mode that has one
//! (the drill and rehearse): parts, each a heading and its items, with the
//! words someone says (a model, a pitfall, the client's next line) kept apart
//! from the words about them, so that each front end quotes and styles them
//! its own way while the wording is decided once, here and in the modes'
//! `reveal` functions, never in a view.

use super::drill::{Drill, MarkerGuess, focus_words, marker_words};
use crate::protocol::{Example, Level, Pitfall, ScenarioKind};

/// One item of a reveal part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevealItem {
    /// Words someone says aloud, unquoted: the front end quotes them.
    pub says: Option<String>,
    /// Text of its own, or what is said about `says` (why a pitfall makes
    /// things worse).
    pub about: Option<String>,
    /// A quieter line shown under the item (the criteria a model meets).
    pub under: Option<String>,
}

impl RevealItem {
    /// Words someone says aloud.
    pub fn says(words: &str) -> Self {
        RevealItem {
            says: Some(words.trim().to_string()),
            ..RevealItem::default()
        }
    }

    /// A line of text.
    pub fn text(text: impl Into<String>) -> Self {
        RevealItem {
            about: Some(text.into()),
            ..RevealItem::default()
        }
    }

    /// A model response, with the criteria it meets under it.
    pub fn model(example: &Example) -> Self {
        RevealItem {
            under: example.meets_line(),
            ..RevealItem::says(&example.says)
        }
    }

    /// A pitfall: what was said, and why it makes things worse.
    pub fn pitfall(pitfall: &Pitfall) -> Self {
        RevealItem {
            about: Some(pitfall.why.trim().to_string()),
            ..RevealItem::says(&pitfall.response)
        }
    }

    /// The item on one line: the words between `open` and `close`, then
    /// `: ` and what is said about them.
    pub fn line(&self, open: &str, close: &str) -> String {
        match (&self.says, &self.about) {
            (Some(says), Some(about)) => format!("{open}{says}{close}: {about}"),
            (Some(says), None) => format!("{open}{says}{close}"),
            (None, Some(about)) => about.clone(),
            (None, None) => String::new(),
        }
    }
}

impl From<String> for RevealItem {
    fn from(text: String) -> Self {
        RevealItem::text(text)
    }
}

/// How a part's items are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Text under its heading (or beside it, on one line, in plain mode).
    Text,
    /// Alternatives (models, pitfalls), shown as a list.
    List,
    /// A list answered by number afterwards (the criteria, ticked by number
    /// in plain mode).
    Numbered,
}

/// One part of the reveal: a heading and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevealPart {
    pub heading: String,
    pub items: Vec<RevealItem>,
    pub shape: Shape,
}

impl RevealPart {
    pub fn new<I: Into<RevealItem>>(heading: impl Into<String>, items: Vec<I>) -> Self {
        RevealPart {
            heading: heading.into(),
            items: items.into_iter().map(Into::into).collect(),
            shape: Shape::Text,
        }
    }

    pub fn list<I: Into<RevealItem>>(heading: impl Into<String>, items: Vec<I>) -> Self {
        RevealPart {
            shape: Shape::List,
            ..RevealPart::new(heading, items)
        }
    }

    pub fn numbered<I: Into<RevealItem>>(heading: impl Into<String>, items: Vec<I>) -> Self {
        RevealPart {
            shape: Shape::Numbered,
            ..RevealPart::new(heading, items)
        }
    }

    /// Whether the items are shown as a list.
    pub fn is_list(&self) -> bool {
        self.shape != Shape::Text
    }

    /// The line under item `index`, if it has one.
    pub fn under_item(&self, index: usize) -> Option<&str> {
        self.items.get(index).and_then(|i| i.under.as_deref())
    }
}

/// The heading of the protocol's `[resolution]` text for a kind, in every
/// reveal: "tends to", because that is what the research found.
pub fn resolution_heading(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::Withdrawal => "How a withdrawal tends to resolve",
        ScenarioKind::Confrontation => "How a confrontation tends to resolve",
    }
}

/// The heading of the model responses, in every reveal.
pub const MODELS_HEADING: &str = "Model responses (models, not scripts)";

/// What the drill's reveal shows for the attempt under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillReveal {
    pub kind: ScenarioKind,
    pub level: Level,
    /// The card's markers, in words.
    pub markers: Vec<&'static str>,
    /// Whether the marker named fits the card, as a sentence.
    pub verdict: String,
    /// The typed response (with `--type`), for a screen that no longer
    /// shows it; plain mode printed it a moment ago.
    pub response: Option<String>,
    /// The criteria drilled, the models, the pitfalls, the client's next
    /// lines and how the kind tends to resolve, in that order.
    pub parts: Vec<RevealPart>,
}

/// The drill's reveal for the attempt under way.
pub fn drill(d: &Drill) -> DrillReveal {
    let a = d.current();
    let card = &a.card;
    let verdict = match a.guess {
        MarkerGuess::Unsure => "You were not sure.".to_string(),
        g if g.is_right(card) => format!("You saw: {}. That fits.", g.label()),
        g => format!("You saw: {}. Not this time.", g.label()),
    };
    let response = a.response.trim();
    let mut parts = Vec::new();
    if !d.criteria().is_empty() {
        parts.push(RevealPart::numbered(
            format!("Criteria for {}", focus_words(d)),
            d.criteria().iter().map(|(_, text)| text.clone()).collect(),
        ));
    }
    if !card.examples.is_empty() {
        parts.push(RevealPart::list(
            MODELS_HEADING,
            card.examples.iter().map(RevealItem::model).collect(),
        ));
    }
    if !card.pitfalls.is_empty() {
        parts.push(RevealPart::list(
            "Pitfalls",
            card.pitfalls.iter().map(RevealItem::pitfall).collect(),
        ));
    }
    for (when, line) in [
        ("If you defend or explain", &card.escalate),
        ("If you own your part or validate", &card.soften),
    ] {
        if let Some(line) = line {
            parts.push(RevealPart::new(
                format!("{when}, the client may say"),
                vec![RevealItem::says(line)],
            ));
        }
    }
    if let Some(text) = d.protocol().resolution_for(card.kind) {
        parts.push(RevealPart::new(
            resolution_heading(card.kind),
            vec![text.trim().to_string()],
        ));
    }
    DrillReveal {
        kind: card.kind,
        level: card.level,
        markers: card.markers.iter().map(|m| marker_words(*m)).collect(),
        verdict,
        response: (d.options().typed && !response.is_empty()).then(|| response.to_string()),
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_on_one_line_quotes_only_the_spoken_words() {
        let pitfall = RevealItem {
            says: Some("Let me explain".into()),
            about: Some("defends".into()),
            under: None,
        };
        assert_eq!(pitfall.line("\"", "\""), "\"Let me explain\": defends");
        assert_eq!(RevealItem::says(" Yes ").line("“", "”"), "“Yes”");
        assert_eq!(
            RevealItem::text("Plain words").line("“", "”"),
            "Plain words"
        );
    }

    /// The drill's reveal: the verdict, then criteria (numbered), models,
    /// pitfalls and how the kind tends to resolve, in the words rehearse
    /// uses for the same things.
    #[test]
    fn the_drill_reveal_is_one_model_in_order() {
        use crate::practice::drill::Action;
        use crate::practice::drill::tests::{options, start};
        use std::time::Instant;
        let now = Instant::now();
        let mut d = start(options(), now);
        d.apply(Action::EndScan, now);
        d.apply(Action::EndResponse, now);
        d.apply(Action::Guess(MarkerGuess::Kind(d.current().card.kind)), now);
        let r = drill(&d);
        assert_eq!(
            r.verdict,
            format!(
                "You saw: {}, not sure which marker. That fits.",
                r.kind.as_str()
            )
        );
        let headings: Vec<&str> = r.parts.iter().map(|p| p.heading.as_str()).collect();
        assert_eq!(headings[0], "Criteria for every step");
        assert_eq!(r.parts[0].shape, Shape::Numbered);
        assert_eq!(headings[1], MODELS_HEADING);
        assert_eq!(headings[2], "Pitfalls");
        assert_eq!(r.parts[2].items[0].says.as_deref(), Some("A worse one."));
        assert_eq!(r.parts[2].items[0].about.as_deref(), Some("it defends"));
        if r.kind == ScenarioKind::Withdrawal {
            assert_eq!(headings.last(), Some(&"How a withdrawal tends to resolve"));
        }
        assert_eq!(r.response, None, "a spoken response has no text");
    }

    #[test]
    fn lines_under_items_are_found_by_place() {
        let part = RevealPart::list(
            "Models",
            vec![
                RevealItem {
                    under: Some("Meets: a.".into()),
                    ..RevealItem::says("One")
                },
                RevealItem::says("Two"),
            ],
        );
        assert!(part.is_list());
        assert_eq!(part.under_item(0), Some("Meets: a."));
        assert_eq!(part.under_item(1), None);
        assert_eq!(part.under_item(2), None);
    }
}
