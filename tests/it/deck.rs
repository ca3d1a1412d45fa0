//! The built-in rehearsal deck: at least 96 cards, sixteen for each kind and
//! level, every field written, every marker of the vocabulary used and every
//! tag on at least four cards, each card's markers of its own kind, and the
//! 25 original cards kept with their ids and client lines. And the models as
//! feedback: every criterion has a written id, every model says what it
//! meets, and on every card each step a response can show has a model that
//! meets all of that step's criteria.

use std::collections::{BTreeMap, BTreeSet};

use repair_practice::protocol::{
    BUILTIN_TEXT, Content, Level, Marker, Scenario, ScenarioKind, Tag, builtin, load_file,
};

/// The keys every card of the deck writes out, `tags` included (it may be an
/// empty list where no setting applies, but it is always written).
const CARD_KEYS: &[&str] = &[
    "id",
    "kind",
    "level",
    "scene",
    "direction",
    "client",
    "escalate",
    "soften",
    "markers",
    "examples",
    "pitfalls",
    "tags",
];

/// The first deck's cards: other tests and saved rehearsals refer to them.
const ORIGINAL_CARDS: &[(&str, &str)] = &[
    ("quiet-yes", "Yeah. I guess. It's fine."),
    (
        "whatever-you-think",
        "Whatever you think is best. You're the expert.",
    ),
    (
        "anyway-the-rain",
        "Anyway. Did you get caught in the rain this morning?",
    ),
    ("no-big-deal", "It was no big deal, really. I'm over it."),
    (
        "people-in-general",
        "I think people in general find it hard to trust anyone these days, don't they?",
    ),
    (
        "sorry-for-going-on",
        "Sorry, I'm going on again. You must be sick of hearing about this.",
    ),
    ("i-dont-know", "I don't know. ... I really don't know."),
    (
        "laughing-it-off",
        "Ha, yeah, that was awful. It's kind of funny, honestly.",
    ),
    (
        "same-time-next-week",
        "No, no, this was really helpful. Same time next week?",
    ),
    (
        "its-just-my-patterns",
        "I've read about this. It's probably just my patterns, so there's not much to say.",
    ),
    (
        "something-else-again",
        "Can we talk about something else? Actually, my schedule changed again.",
    ),
    (
        "might-skip-next-week",
        "I might skip next week. Things are busy. It's nothing to do with here.",
    ),
    ("looking-at-the-clock", "You keep looking at the clock."),
    (
        "not-another-worksheet",
        "I'm not doing another worksheet. They don't help.",
    ),
    (
        "you-asked-that-already",
        "You asked me that last week. Do you even remember what I tell you?",
    ),
    (
        "whats-the-point",
        "What are we actually doing here? I don't see the point.",
    ),
    (
        "nothing-has-changed",
        "We've been doing this for weeks and nothing has changed.",
    ),
    (
        "dont-tell-me-how-i-feel",
        "Don't tell me how I feel. That's not it at all.",
    ),
    (
        "my-agenda-today",
        "I'm talking about what I want today, and I don't want you steering it.",
    ),
    (
        "you-dont-get-it",
        "You don't get it. You've probably never had to deal with anything like this.",
    ),
    (
        "a-different-therapist",
        "Maybe I need a different therapist. Someone who knows what they're doing.",
    ),
    (
        "stop-the-breathing-stuff",
        "Stop with the breathing stuff. It's patronising.",
    ),
    (
        "yes-or-no",
        "Just answer the question. Yes or no: do you think I'm the problem?",
    ),
    (
        "its-just-your-job",
        "You say you care, but it's your job. You'd say that to anyone.",
    ),
    (
        "say-something-useful",
        "Why are you just sitting there? Say something useful for once.",
    ),
];

fn deck() -> Vec<Scenario> {
    builtin().scenarios
}

fn filled(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

#[test]
fn the_deck_has_at_least_ninety_six_cards_and_sixteen_per_kind_and_level() {
    let deck = deck();
    assert!(deck.len() >= 96, "the deck has {} cards", deck.len());
    let mut counts: BTreeMap<(ScenarioKind, Level), usize> = BTreeMap::new();
    for card in &deck {
        *counts.entry((card.kind, card.level)).or_default() += 1;
    }
    for kind in ScenarioKind::ALL {
        for level in Level::ALL {
            let n = counts.get(&(kind, level)).copied().unwrap_or(0);
            assert!(
                n >= 16,
                "{} {}: {n} cards, want at least 16",
                kind.as_str(),
                level.as_str()
            );
        }
    }
}

#[test]
fn every_card_has_every_field_filled_in() {
    for card in deck() {
        let id = &card.id;
        assert!(!card.client.trim().is_empty(), "{id}: empty client");
        assert!(filled(&card.scene), "{id}: no scene");
        assert!(filled(&card.direction), "{id}: no direction");
        assert!(filled(&card.escalate), "{id}: no escalate line");
        assert!(filled(&card.soften), "{id}: no soften line");
        assert!(!card.markers.is_empty(), "{id}: no markers");
        assert!(
            (2..=3).contains(&card.examples.len()),
            "{id}: {} examples, want 2 or 3",
            card.examples.len()
        );
        assert!(
            card.examples.iter().all(|e| !e.says.trim().is_empty()),
            "{id}: an empty example"
        );
        assert!(
            (1..=2).contains(&card.pitfalls.len()),
            "{id}: {} pitfalls, want 1 or 2",
            card.pitfalls.len()
        );
        for pitfall in &card.pitfalls {
            assert!(
                !pitfall.response.trim().is_empty() && !pitfall.why.trim().is_empty(),
                "{id}: a pitfall without its response or its why"
            );
        }
    }
}

#[test]
fn every_card_writes_every_key_tags_included() {
    // The parsed card cannot tell `tags = []` from no tags at all, so read the
    // text: each [[scenario]] table names every key of format 2 and no
    // format-1 `context`.
    let cards: Vec<&str> = BUILTIN_TEXT.split("\n[[scenario]]\n").skip(1).collect();
    assert_eq!(cards.len(), deck().len());
    for card in cards {
        let keys: BTreeSet<&str> = card
            .lines()
            .take_while(|line| !line.starts_with('['))
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key.trim()))
            .collect();
        let id = card.lines().next().unwrap_or_default();
        for key in CARD_KEYS {
            assert!(keys.contains(key), "card {id}: no {key:?} key");
        }
        assert!(
            !keys.contains("context"),
            "card {id}: still a format-1 context"
        );
    }
}

#[test]
fn every_marker_appears_and_each_card_keeps_to_its_kind() {
    let deck = deck();
    let mut seen = BTreeSet::new();
    for card in &deck {
        for marker in &card.markers {
            assert_eq!(
                marker.kind(),
                card.kind,
                "{}: marker {} is not a {} marker",
                card.id,
                marker.as_str(),
                card.kind.as_str()
            );
            seen.insert(*marker);
        }
    }
    let missing: Vec<&str> = Marker::ALL
        .iter()
        .filter(|m| !seen.contains(*m))
        .map(|m| m.as_str())
        .collect();
    assert!(missing.is_empty(), "markers no card shows: {missing:?}");
}

#[test]
fn every_tag_is_on_at_least_four_cards() {
    let deck = deck();
    for tag in Tag::ALL {
        let n = deck.iter().filter(|c| c.tags.contains(tag)).count();
        assert!(n >= 4, "tag {}: {n} cards, want at least 4", tag.as_str());
    }
}

#[test]
fn every_criterion_has_a_written_id() {
    // An id the file did not write is the criterion's place in the list, a
    // number; the built-in protocol names each one, so the ids models and
    // saved sessions use read as words.
    for step in builtin().steps {
        for criterion in &step.criteria {
            assert!(
                criterion.id.chars().any(|c| c.is_ascii_lowercase()),
                "{}: criterion {:?} has no written id",
                step.id,
                criterion.text
            );
        }
    }
}

#[test]
fn every_model_says_what_it_meets_and_its_strategy() {
    let protocol = builtin();
    for card in &protocol.scenarios {
        for model in &card.examples {
            assert!(
                !model.meets.is_empty(),
                "{}: a model meets nothing: {:?}",
                card.id,
                model.says
            );
            assert!(
                model.strategy.is_some(),
                "{}: a model without a strategy: {:?}",
                card.id,
                model.says
            );
            for id in &model.meets {
                assert!(
                    protocol.criterion(id).is_some(),
                    "{}: {id} is no criterion",
                    card.id
                );
            }
        }
    }
}

#[test]
fn each_card_has_a_model_meeting_every_criterion_of_each_observable_step() {
    let protocol = builtin();
    let observable: Vec<(String, Vec<String>)> = protocol
        .steps
        .iter()
        .filter(|s| s.observable && !s.criteria.is_empty())
        .map(|s| {
            (
                s.id.clone(),
                s.criteria.iter().map(|c| c.full_id(&s.id)).collect(),
            )
        })
        .collect();
    let ids: Vec<&str> = observable.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["reflect", "validate", "mend"]);
    for card in &protocol.scenarios {
        for (step, criteria) in &observable {
            assert!(
                card.examples
                    .iter()
                    .any(|m| criteria.iter().all(|c| m.meets.contains(c))),
                "{}: no model meets every criterion of {step} ({criteria:?})",
                card.id
            );
        }
    }
}

#[test]
fn models_that_ask_what_it_was_like_are_on_cards_set_in_a_later_calm_session() {
    let protocol = builtin();
    let later: Vec<&str> = protocol
        .scenarios
        .iter()
        .filter(|c| {
            c.examples
                .iter()
                .any(|m| m.meets.iter().any(|id| id.starts_with("ask-later.")))
        })
        .map(|c| {
            let scene = c.scene.as_deref().unwrap_or_default();
            assert!(
                scene.starts_with("The session after"),
                "{}: a model asks what it was like, but the card is not set in a later session",
                c.id
            );
            c.kind.as_str()
        })
        .collect();
    for kind in ScenarioKind::ALL {
        assert!(
            later.contains(&kind.as_str()),
            "no later-session card of kind {}",
            kind.as_str()
        );
    }
}

#[test]
fn each_kind_has_a_rationale_and_a_link_to_a_pattern_after_owning_a_part() {
    use repair_practice::protocol::Strategy;
    let protocol = builtin();
    for kind in ScenarioKind::ALL {
        for strategy in [Strategy::Rationale, Strategy::LinkToPattern] {
            let found = protocol
                .scenarios
                .iter()
                .filter(|c| c.kind == kind)
                .flat_map(|c| &c.examples)
                .filter(|m| m.strategy == Some(strategy))
                .inspect(|m| {
                    assert!(
                        m.meets.iter().any(|id| id == "mend.owns"),
                        "a {} model that does not own a part first: {:?}",
                        strategy.as_str(),
                        m.says
                    )
                })
                .count();
            assert!(
                found > 0,
                "no {} model on a {} card",
                strategy.as_str(),
                kind.as_str()
            );
        }
    }
}

/// Words that show a card touches risk, self-harm, abuse, a death or a
/// report to the authorities.
const RISK_WORDS: &[&str] = &[
    "suicide",
    "self-harm",
    "safety plan",
    "just disappear",
    "cuts on",
    "abuse",
    "hitting",
    "died",
    "death",
    "grief",
    "a loss",
    "child protection",
    "report",
];

#[test]
fn cards_that_touch_risk_or_loss_carry_a_content_note() {
    for card in deck() {
        let text = [
            card.scene.as_deref(),
            card.direction.as_deref(),
            Some(card.client.as_str()),
            card.escalate.as_deref(),
            card.soften.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
        let hits: Vec<&str> = RISK_WORDS
            .iter()
            .copied()
            .filter(|w| text.contains(w))
            .collect();
        assert_eq!(
            hits.is_empty(),
            card.content.is_empty(),
            "{}: risk words {hits:?}, content {:?}",
            card.id,
            card.content.iter().map(|c| c.as_str()).collect::<Vec<_>>()
        );
    }
    let used: BTreeSet<Content> = deck().iter().flat_map(|c| c.content.clone()).collect();
    assert_eq!(used.len(), Content::ALL.len(), "content words no card uses");
}

/// The settings and moments the deck covers, each in at least two cards,
/// found by words in the scene or the direction.
const SETTINGS: &[(&str, &[&str])] = &[
    ("medication", &["medication"]),
    (
        "ending",
        &["sessions to go", "leaving the practice", "placement ends"],
    ),
    ("a name or pronoun", &["wrong name", "'he'"]),
    ("race named by the client", &["black"]),
    ("religion or faith", &["pray", "faith", "religious"]),
    ("disability and access", &["wheelchair", "crutch"]),
    ("an older adult", &["eighties", "seventies"]),
    ("substance use", &["drinking", "alcohol"]),
    ("holding a boundary", &["hug", "knitted", "social media"]),
    ("trainee status", &["trainee"]),
    ("the therapist's absence", &["will be away", "be away for"]),
    ("a diagnosis for insurance", &["insur"]),
    ("a phone session", &["phone session"]),
];

#[test]
fn every_setting_is_in_at_least_two_cards() {
    let deck = deck();
    for (setting, words) in SETTINGS {
        let n = deck
            .iter()
            .filter(|c| {
                let text = format!(
                    "{} {}",
                    c.scene.as_deref().unwrap_or_default(),
                    c.direction.as_deref().unwrap_or_default()
                )
                .to_lowercase();
                words.iter().any(|w| text.contains(w))
            })
            .count();
        assert!(n >= 2, "{setting}: {n} cards, want at least 2");
    }
}

#[test]
fn the_original_cards_keep_their_ids_and_client_lines() {
    let deck = deck();
    for (id, client) in ORIGINAL_CARDS {
        let card = deck
            .iter()
            .find(|c| c.id == *id)
            .unwrap_or_else(|| panic!("card {id} is gone"));
        assert_eq!(card.client, *client, "card {id}: client line changed");
    }
    // They come first, in their old order.
    let first: Vec<&str> = deck
        .iter()
        .take(ORIGINAL_CARDS.len())
        .map(|c| c.id.as_str())
        .collect();
    let original: Vec<&str> = ORIGINAL_CARDS.iter().map(|(id, _)| *id).collect();
    assert_eq!(first, original);
}

#[test]
fn the_deck_file_on_disk_is_the_built_in_one_and_loads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("steps/rupture-repair.toml");
    let protocol = load_file(&path).expect("steps/rupture-repair.toml is valid");
    assert_eq!(protocol, builtin());
}
