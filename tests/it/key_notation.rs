//! One notation for keys on every full-screen view, checked on the key
//! tables themselves (the data the footer and the F1 help are drawn from),
//! not on one rendered screen: `↑ ↓`, `← →`, `PgUp PgDn`, `Enter`, `Esc`,
//! `Tab`, `Shift-Tab`, `Ctrl-S`. Never `Up/Down`, `Left/Right`, `PgUp/PgDn`
//! or `Ctrl+S`. Plain mode writes words of its own and is not checked here.

use repair_practice::tui::keys::Binding;
use repair_practice::tui::{deck, drill, history, passphrase, prep, rehearse, walk};

/// Names a key can be written by, in any notation: a slash between two of
/// them in a help line is a pair of keys written the wrong way.
const KEY_NAMES: &[&str] = &[
    "Up",
    "Down",
    "Left",
    "Right",
    "PgUp",
    "PgDn",
    "PageUp",
    "PageDown",
    "Home",
    "End",
    "Tab",
    "Enter",
    "Esc",
    "Space",
    "Backspace",
    "↑",
    "↓",
    "←",
    "→",
];

/// Arrow keys written as words: the house writes them as arrows.
const ARROW_WORDS: &[&str] = &["Up", "Down", "Left", "Right", "PageUp", "PageDown"];

/// What is wrong with how `label` (a key column) and `help` (its F1 line)
/// write keys; empty when nothing is.
fn stragglers(label: &str, help: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    for word in label.split(' ') {
        // "/" alone is a key (the browser's filter); a slash between two
        // names is two keys written as one.
        if word.len() > 1 && word.contains('/') {
            wrong.push(format!("{label:?} writes {word:?} with a slash"));
        }
        if ARROW_WORDS.contains(&word) {
            wrong.push(format!("{label:?} writes the arrow key {word:?} as a word"));
        }
    }
    for text in [label, help] {
        for plus in ["Ctrl+", "Shift+", "Alt+"] {
            if text.contains(plus) {
                wrong.push(format!("{text:?} writes {plus:?}, not with a hyphen"));
            }
        }
        for word in text.split([' ', ',', ';', '(', ')', ':']) {
            let mut parts = word.split('/');
            let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
                continue;
            };
            if KEY_NAMES.contains(&a) && KEY_NAMES.contains(&b) {
                wrong.push(format!("{text:?} writes the keys {word:?} with a slash"));
            }
        }
    }
    wrong
}

fn rows<C>(view: &str, table: &[Binding<C>]) -> Vec<(String, &'static str, &'static str)> {
    table
        .iter()
        .map(|b| (view.to_string(), b.label, b.help))
        .collect()
}

/// Every row of every full-screen key table: the view, the keys as written,
/// the help line.
fn every_row() -> Vec<(String, &'static str, &'static str)> {
    let mut all = Vec::new();
    all.extend(rows("walk", walk::keys::WALK));
    all.extend(rows("walk summary", walk::keys::SUMMARY));
    all.extend(rows("walk quit", walk::keys::QUIT));
    all.extend(rows("walk failed save", walk::keys::FAILED));
    all.extend(rows("prep", prep::KEYS));
    all.extend(rows("drill", drill::KEYS));
    all.extend(rows("rehearse", rehearse::KEYS));
    all.extend(rows("rehearse stop", rehearse::STOP_KEYS));
    all.extend(rows("rehearse consent", rehearse::CONSENT_KEYS));
    all.extend(
        rehearse::EDITOR_KEYS
            .iter()
            .map(|&(label, help)| ("rehearse editor".to_string(), label, help)),
    );
    all.extend(rows("deck list", deck::LIST));
    all.extend(rows("deck card", deck::CARD));
    use history::model as notes;
    for (name, table) in [
        ("notes list", notes::LIST),
        ("notes filter", notes::FILTER),
        ("notes reading", notes::READING),
        ("notes stats", notes::STATS),
        ("notes confirm", notes::CONFIRM),
        ("notes export", notes::EXPORT),
        ("notes help", notes::HELP_PAGE),
    ] {
        all.extend(rows(name, table));
    }
    all.extend(rows("passphrase", passphrase::KEYS));
    all
}

/// The check itself catches the ways keys were written before.
#[test]
fn the_check_knows_the_old_ways() {
    for (label, help) in [
        ("Left/Right", "choose"),
        ("Up/Down Tab", "the row above"),
        ("PgUp/PgDn", "scroll"),
        ("Up", "scroll up"),
        ("Ctrl+S", "save"),
        ("F1", "help; Up/Down scroll it"),
    ] {
        assert!(!stragglers(label, help).is_empty(), "{label} {help}");
    }
    for (label, help) in [
        ("← →", "choose"),
        ("↑ ↓ Tab", "the row above"),
        ("PgUp PgDn", "scroll"),
        ("/", "filter"),
        ("b", "breathing pacer on/off"),
        ("Home End", "first / last (also g G)"),
    ] {
        assert_eq!(stragglers(label, help), Vec::<String>::new(), "{label}");
    }
}

/// Every full-screen key table writes keys in the one notation.
#[test]
fn every_key_table_writes_keys_one_way() {
    let rows = every_row();
    assert!(rows.len() > 60, "the tables were found: {}", rows.len());
    let wrong: Vec<String> = rows
        .iter()
        .flat_map(|(view, label, help)| {
            stragglers(label, help)
                .into_iter()
                .map(move |w| format!("{view}: {w}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
