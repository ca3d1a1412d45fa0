//! Keeping cards out of a session: what `--exclude-tag WORD` (repeatable)
//! and the `exclude_tags` setting name, in rehearse and the drill alike.
//!
//! A word is a card tag (`telehealth`, `couple`, ...) or a content word
//! (`self-harm`, `abuse`, `bereavement`, `report`, `risk`), and keeps out
//! every card that carries it. `risk` is the group: it keeps out every card
//! tagged `risk` and every card with a content note of any kind, so one word
//! covers risk, self-harm, abuse, bereavement and reports to authorities.
//! The words from the flags add to those of the setting; a session never
//! deals an excluded card, a retry included.

use crate::protocol::{Content, Scenario, Tag};

/// The word that keeps out every card with a content note, and every card
/// tagged `risk`.
pub const RISK_GROUP: &str = "risk";

/// One word that keeps cards out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Excluded {
    /// Every card with this tag.
    Tag(Tag),
    /// Every card whose content note names this.
    Content(Content),
    /// `risk`: every card tagged `risk` or with any content note.
    RiskGroup,
}

/// A word that keeps no card out: neither a tag, a content word nor
/// `risk`. The words say which there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{}\" is not a tag or a content word; use one of: {}",
    crate::sanitize::one_line(.word),
    words().join(", ")
)]
pub struct UnknownWord {
    pub word: String,
}

impl Excluded {
    /// Reads one word; the error says which words there are.
    pub fn from_word(word: &str) -> Result<Excluded, UnknownWord> {
        let word = word.trim();
        if word == RISK_GROUP {
            return Ok(Excluded::RiskGroup);
        }
        if let Some(tag) = Tag::from_word(word) {
            return Ok(Excluded::Tag(tag));
        }
        if let Some(content) = Content::from_word(word) {
            return Ok(Excluded::Content(content));
        }
        Err(UnknownWord {
            word: word.to_owned(),
        })
    }

    /// The word as written on the command line and in the settings.
    pub fn as_str(self) -> &'static str {
        match self {
            Excluded::Tag(tag) => tag.as_str(),
            Excluded::Content(content) => content.as_str(),
            Excluded::RiskGroup => RISK_GROUP,
        }
    }

    /// Whether this word keeps `card` out.
    pub fn excludes(self, card: &Scenario) -> bool {
        match self {
            Excluded::Tag(tag) => card.tags.contains(&tag),
            Excluded::Content(content) => card.content.contains(&content),
            Excluded::RiskGroup => card.tags.contains(&Tag::Risk) || !card.content.is_empty(),
        }
    }
}

/// Every word `--exclude-tag` takes: the tags, then the content words not
/// already among them.
pub fn words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = Tag::ALL.iter().map(|t| t.as_str()).collect();
    for c in Content::ALL {
        if !words.contains(&c.as_str()) {
            words.push(c.as_str());
        }
    }
    words
}

/// The words that keep cards out of one session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions(Vec<Excluded>);

impl Exclusions {
    /// A session's exclusions: the setting's words, then the flags'.
    pub fn of(setting: &[Excluded], flags: &[Excluded]) -> Exclusions {
        Exclusions::new(setting.iter().chain(flags).copied())
    }

    /// How the "no cards" error ends when words kept cards out: " outside
    /// the excluded tags (risk, couple)"; empty without any.
    pub fn no_cards_words(&self) -> String {
        if self.is_empty() {
            String::new()
        } else {
            format!(
                " outside the excluded tags ({}: --exclude-tag and the exclude_tags setting)",
                self.words()
            )
        }
    }

    /// The setting's words and the flags' words together, each once.
    pub fn new(words: impl IntoIterator<Item = Excluded>) -> Exclusions {
        let mut kept: Vec<Excluded> = Vec::new();
        for word in words {
            if !kept.contains(&word) {
                kept.push(word);
            }
        }
        Exclusions(kept)
    }

    /// Whether `card` may be dealt.
    pub fn allows(&self, card: &Scenario) -> bool {
        !self.0.iter().any(|w| w.excludes(card))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The words, as given: "risk, couple".
    pub fn words(&self) -> String {
        self.0
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::builtin;

    #[test]
    fn words_read_tags_content_and_the_risk_group() {
        assert_eq!(
            Excluded::from_word("couple"),
            Ok(Excluded::Tag(Tag::Couple))
        );
        assert_eq!(
            Excluded::from_word(" self-harm "),
            Ok(Excluded::Content(Content::SelfHarm))
        );
        assert_eq!(Excluded::from_word("risk"), Ok(Excluded::RiskGroup));
        let err = Excluded::from_word("self harm").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "\"self harm\" is not a tag or a content word; use one of: telehealth, couple"
            ),
            "{err}"
        );
        assert!(
            err.ends_with("self-harm, abuse, bereavement, report"),
            "{err}"
        );
    }

    #[test]
    fn risk_keeps_out_every_card_with_a_content_note_in_the_built_in_deck() {
        let deck = builtin().scenarios;
        let risk = Exclusions::new([Excluded::RiskGroup]);
        let noted = deck.iter().filter(|c| c.content_note().is_some()).count();
        assert!(noted > 0, "the deck has cards with content notes");
        for card in &deck {
            assert_eq!(
                risk.allows(card),
                card.content.is_empty() && !card.tags.contains(&Tag::Risk),
                "{}",
                card.id
            );
        }
        let bereavement = Exclusions::new([Excluded::Content(Content::Bereavement)]);
        assert!(deck.iter().any(|c| !bereavement.allows(c)));
        assert!(
            deck.iter()
                .filter(|c| !bereavement.allows(c))
                .all(|c| c.content.contains(&Content::Bereavement))
        );
    }

    mod properties {
        use super::*;
        use crate::practice::rehearse::{Action, Rehearsal, RehearseOptions};
        use chrono::DateTime;
        use proptest::prelude::*;
        use std::time::Instant;

        fn any_word() -> impl Strategy<Value = Excluded> {
            prop_oneof![
                Just(Excluded::RiskGroup),
                proptest::sample::select(Tag::ALL).prop_map(Excluded::Tag),
                proptest::sample::select(Content::ALL).prop_map(Excluded::Content),
            ]
        }

        fn any_action() -> impl Strategy<Value = Action> {
            prop_oneof![
                4 => Just(Action::Next),
                1 => Just(Action::Retry),
                1 => (0u8..=10).prop_map(Action::Rate),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::practice::proptest_cases(32)))]

            /// A rehearsal on the built-in deck with any words excluded, played
            /// any way (retries, ratings, the deck starting over): no excluded
            /// card is ever dealt.
            #[test]
            fn a_rehearsal_never_deals_an_excluded_card(
                words in proptest::collection::vec(any_word(), 0..4),
                actions in proptest::collection::vec(any_action(), 0..300),
                seed in 0u64..1000, people in 2usize..5,
            ) {
                let exclude = Exclusions::new(words.iter().copied());
                let mut options =
                    RehearseOptions::new((1..=people).map(|i| format!("P{i}")).collect(), seed);
                options.rounds = 100;
                options.round_seconds = 0;
                options.exclude = exclude.clone();
                let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
                let deck = builtin();
                let dealable = deck.scenarios.iter().any(|c| exclude.allows(c));
                let Some(mut r) = Rehearsal::new(deck, options, "id".into(), started) else {
                    prop_assert!(!dealable);
                    return Ok(());
                };
                let now = Instant::now();
                for action in actions {
                    r.apply(action, now);
                    let card = &r.round().card;
                    prop_assert!(exclude.allows(card), "dealt {} despite {}", card.id, exclude.words());
                }
            }
        }
    }

    #[test]
    fn each_word_is_kept_once() {
        let e = Exclusions::new([
            Excluded::RiskGroup,
            Excluded::Tag(Tag::Couple),
            Excluded::RiskGroup,
        ]);
        assert_eq!(e.words(), "risk, couple");
        assert!(Exclusions::default().is_empty());
    }
}
