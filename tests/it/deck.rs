//! The built-in rehearsal deck (issue 12): at least 60 cards, ten for each
//! kind and level, every field written, every marker of the vocabulary and
//! every setting tag used, each card's markers of its own kind, and the 25
//! original cards kept with their ids and client lines.

use std::collections::{BTreeMap, BTreeSet};

use repair_practice::protocol::{
    BUILTIN_TEXT, Level, Marker, Scenario, ScenarioKind, Tag, builtin, load_file,
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
fn the_deck_has_at_least_sixty_cards_and_ten_per_kind_and_level() {
    let deck = deck();
    assert!(deck.len() >= 60, "the deck has {} cards", deck.len());
    let mut counts: BTreeMap<(ScenarioKind, Level), usize> = BTreeMap::new();
    for card in &deck {
        *counts.entry((card.kind, card.level)).or_default() += 1;
    }
    for kind in ScenarioKind::ALL {
        for level in Level::ALL {
            let n = counts.get(&(kind, level)).copied().unwrap_or(0);
            assert!(
                n >= 10,
                "{} {}: {n} cards, want at least 10",
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
fn every_setting_tag_appears() {
    let seen: BTreeSet<Tag> = deck().iter().flat_map(|c| c.tags.clone()).collect();
    let missing: Vec<&str> = Tag::ALL
        .iter()
        .filter(|t| !seen.contains(*t))
        .map(|t| t.as_str())
        .collect();
    assert!(missing.is_empty(), "tags no card uses: {missing:?}");
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
