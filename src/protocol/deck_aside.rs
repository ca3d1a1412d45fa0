//! Setting the deck aside: the built-in protocol's text without its
//! `[[scenario]]` tables, and the cards' ids. A walk needs the steps and
//! only the ids of the cards: build.rs (which includes this file) reads the
//! ids when the program is built, and the steps' text is what the tests
//! make `builtin_steps.rs` from. Standard library only, for build.rs's sake.

/// The text without its `[[scenario]]` tables (and their sub-tables), and
/// each card's id (its first `id = "…"` line). A line reading by table
/// headers, not a TOML parser: fit for the built-in file, which the tests
/// check it reads right.
pub fn set_deck_aside(text: &str) -> (String, Vec<String>) {
    let mut rest = String::with_capacity(text.len() / 4);
    let mut ids = Vec::new();
    let mut in_card = false;
    let mut id_seen = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            let name = trimmed.trim_matches(|c| c == '[' || c == ']').trim();
            let card = name == "scenario" || name.starts_with("scenario.");
            if card && name == "scenario" {
                id_seen = false;
            }
            in_card = card;
        }
        if !in_card {
            rest.push_str(line);
        } else if !id_seen
            && let Some(value) = trimmed.strip_prefix("id")
            && let Some(value) = value.trim_start().strip_prefix('=')
            && let Some(value) = value.trim().strip_prefix('"')
            && let Some((id, _)) = value.split_once('"')
        {
            ids.push(id.to_owned());
            id_seen = true;
        }
    }
    (rest, ids)
}
