//! Which cards a session deals and taking back a rating, end to end:
//! `--exclude-tag` and the `exclude_tags` setting in the drill and in
//! rehearse, content notes before a drill card is dealt (plain and full
//! screen), and undoing the last drill rating (plain and full screen). Each
//! test has its own temporary data directory; waits poll for conditions,
//! never for a time.

use crate::common;

use common::{Pty, Sandbox, keys, run};

/// The drill fixture with content notes on three cards: `quiet-yes`
/// (bereavement), `whatever-you-think` (abuse) and `people-in-general`
/// (self-harm). `people-in-general`, `same-time-next-week` and
/// `looking-at-the-clock` carry the `therapist-error` tag;
/// `not-another-worksheet` has neither a tag nor a note.
fn noted_protocol(sb: &Sandbox) -> String {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/drill-protocol.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let with_note = |text: &str, id: &str, word: &str| {
        let at = text.find(&format!("id = \"{id}\"")).unwrap();
        let tags = at + text[at..].find("\ntags = ").unwrap();
        format!("{}\ncontent = [\"{word}\"]{}", &text[..tags], &text[tags..])
    };
    let text = with_note(&text, "quiet-yes", "bereavement");
    let text = with_note(&text, "people-in-general", "self-harm");
    let text = with_note(&text, "whatever-you-think", "abuse");
    sb.write("noted.toml", text).display().to_string()
}

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

/// `drill --plain` on the noted fixture, reflect step, no timers.
fn drill(sb: &Sandbox, extra: &[&str], input: &str) -> common::Output {
    let dir = data(sb);
    let protocol = noted_protocol(sb);
    let mut args = vec![
        "--data-dir",
        dir.as_str(),
        "drill",
        "--plain",
        "--protocol",
        protocol.as_str(),
        "--step",
        "reflect",
        "--scan-seconds",
        "1",
        "--respond-seconds",
        "0",
    ];
    args.extend_from_slice(extra);
    run(sb, &args, input.as_bytes())
}

fn dealt(json: &serde_json::Value, field: &str) -> Vec<String> {
    json[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["card"].as_str().unwrap().to_string())
        .collect()
}

const NOTED: [&str; 3] = ["quiet-yes", "whatever-you-think", "people-in-general"];

#[test]
fn plain_drill_exclude_tag_risk_never_deals_a_card_with_a_content_note() {
    for seed in ["1", "2", "3", "4"] {
        let sb = Sandbox::new();
        // Every card, answered with defaults (Enter on a note deals it).
        let out = drill(
            &sb,
            &["--cards", "10", "--seed", seed, "--exclude-tag", "risk"],
            &"\n".repeat(60),
        );
        assert_eq!(out.code(), Some(0), "{}", out.describe());
        assert!(!out.stdout().contains("Content note"), "{}", out.stdout());
        let (_, json) = sb.only_session();
        let cards = dealt(&json, "drill_cards");
        assert_eq!(cards.len(), 3, "six cards, three left out: {cards:?}");
        assert!(cards.iter().all(|c| !NOTED.contains(&c.as_str())));
    }
}

#[test]
fn the_setting_and_the_flag_add_up_and_a_content_word_leaves_out_its_cards() {
    let sb = Sandbox::new();
    sb.write_settings("exclude_tags = [\"therapist-error\"]\n");
    let out = drill(
        &sb,
        &["--cards", "10", "--seed", "5", "--exclude-tag", "self-harm"],
        &"\n".repeat(60),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let (_, json) = sb.only_session();
    let mut cards = dealt(&json, "drill_cards");
    cards.sort();
    // Three therapist-error cards are out, the self-harm one among them.
    assert_eq!(
        cards,
        ["not-another-worksheet", "quiet-yes", "whatever-you-think"],
        "{cards:?}"
    );
    // The bereavement card is dealt after its note.
    assert!(
        out.stdout()
            .contains("Content note: this card touches on bereavement.\nEnter deals this card; s leaves it out and another comes instead"),
        "{}",
        out.stdout()
    );
}

#[test]
fn excluding_every_card_says_so_in_one_line() {
    let sb = Sandbox::new();
    let out = drill(
        &sb,
        &[
            "--exclude-tag",
            "risk",
            "--exclude-tag",
            "therapist-error",
            "--kind",
            "withdrawal",
        ],
        "",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let err = out.stderr();
    assert!(
        err.contains("has no scenario cards of kind \"withdrawal\" outside the excluded tags (risk, therapist-error: --exclude-tag and the exclude_tags setting)"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(sb.session_files().is_empty());
}

#[test]
fn a_misspelt_word_is_refused_with_where_it_is() {
    let sb = Sandbox::new();
    let out = drill(&sb, &["--exclude-tag", "self harm"], "");
    assert_eq!(out.code(), Some(2), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("\"self harm\" is not a tag or a content word; use one of: telehealth,"),
        "{}",
        out.stderr()
    );
    let path = sb.write_settings("bell = true\nexclude_tags = [\"risk\", \"grief\"]\n");
    let out = drill(&sb, &[], "\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let err = out.stderr();
    assert!(
        err.contains(&format!(
            "{}:2:25: \"grief\" is not a tag or a content word",
            path.display()
        )),
        "{err}"
    );
    assert!(err.contains("repair did not start"), "{err}");
    assert!(sb.session_files().is_empty());
}

#[test]
fn a_card_left_out_at_its_note_is_not_dealt_and_does_not_count() {
    let sb = Sandbox::new();
    // Two withdrawal cards, both with a note: the first is left out, the
    // second dealt and answered with defaults.
    let out = drill(
        &sb,
        &[
            "--kind",
            "withdrawal",
            "--exclude-tag",
            "therapist-error",
            "--seed",
            "2",
        ],
        "s\n\n\n\n\n\n\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert_eq!(
        common::count(stdout.as_bytes(), b"Content note: "),
        2,
        "{stdout}"
    );
    assert!(stdout.contains("Left out."), "{stdout}");
    assert!(stdout.contains("Card 1 of 10 (new)"), "{stdout}");
    assert!(!stdout.contains("Card 2 of"), "{stdout}");
    let (_, json) = sb.only_session();
    let cards = json["drill_cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{json}");
    assert_eq!(cards[0]["number"], 1, "a card left out does not count");
}

#[test]
fn plain_rehearse_exclude_tag_never_deals_an_excluded_card() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let protocol = noted_protocol(&sb);
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--plain",
            "--save",
            "--protocol",
            &protocol,
            "--round-seconds",
            "0",
            "--people",
            "Ana,Ben",
            "--rounds",
            "4",
            "--seed",
            "9",
            "--exclude-tag",
            "risk",
            "--exclude-tag",
            "therapist-error",
        ],
        "\n".repeat(200).as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(!out.stdout().contains("Content note"), "{}", out.stdout());
    let (_, json) = sb.only_session();
    let cards = dealt(&json, "rounds");
    assert!(!cards.is_empty());
    // Only the one card with neither a note nor the tag, dealt again and
    // again (the deck starts over once every card was dealt).
    assert!(
        cards.iter().all(|c| c == "not-another-worksheet"),
        "{cards:?}"
    );
}

#[test]
fn plain_drill_undo_at_the_next_prompt_takes_back_the_rating() {
    let sb = Sandbox::new();
    // Card 1: breath, response, marker, criteria, rating 9. At card 2's
    // breath: undo; card 1 is rated again (criteria 1, rating 2); card 2
    // then runs with defaults.
    let input = "\n\n\n\n9\nundo\n1\n2\n\n\n\n\n\n";
    let out = drill(
        &sb,
        &["--cards", "2", "--seed", "3", "--exclude-tag", "risk"],
        input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(
        stdout.contains("(Enter goes on; undo takes back the last rating)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Rating taken back: card 1, “I'm not doing another worksheet. They d…”. Rate it again."
        ),
        "{stdout}"
    );
    let (_, json) = sb.only_session();
    let cards = json["drill_cards"].as_array().unwrap();
    assert_eq!(cards.len(), 2, "{json}");
    assert_eq!(
        (cards[0]["number"].as_u64(), cards[0]["rating"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        cards[0]["criteria_met_ids"],
        serde_json::json!(["reflect.1"])
    );
    assert_eq!(cards[1]["number"], 2);
    // Once the next response is done, the rating stands: no more offers.
    let answered = stdout.rfind("Which marker did you see?").unwrap();
    assert!(!stdout[answered..].contains("undo"), "{stdout}");
    assert_eq!(common::count(stdout.as_bytes(), b"Rated 9:"), 1, "{stdout}");
}

#[test]
fn plain_drill_undo_of_the_only_rating_leaves_no_file_when_input_ends() {
    let sb = Sandbox::new();
    let out = drill(
        &sb,
        &["--cards", "2", "--seed", "3", "--exclude-tag", "risk"],
        "\n\n\n\n9\nundo\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("Nothing to save: no card was assessed."),
        "{}",
        out.stdout()
    );
    assert!(sb.session_files().is_empty(), "{:?}", sb.session_files());
}

fn spawn_drill(sb: &Sandbox, protocol: &str, extra: &[&str]) -> Pty {
    let dir = data(sb);
    let mut args = vec![
        "--data-dir",
        dir.as_str(),
        "drill",
        "--protocol",
        protocol,
        "--step",
        "reflect",
        // A long breath, ended by Enter: nothing on screen runs out.
        "--scan-seconds",
        "120",
        "--respond-seconds",
        "0",
    ];
    args.extend_from_slice(extra);
    Pty::spawn(sb, &args)
}

#[test]
fn full_screen_drill_shows_a_content_note_first_and_s_leaves_the_card_out() {
    let sb = Sandbox::new();
    let protocol = noted_protocol(&sb);
    // Only the two noted cards: the withdrawal ones without the tag.
    let mut pty = spawn_drill(
        &sb,
        &protocol,
        &[
            "--kind",
            "withdrawal",
            "--exclude-tag",
            "therapist-error",
            "--cards",
            "2",
            "--seed",
            "1",
        ],
    );
    pty.wait_for_text("Enter begins the first card.");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "Content note: this card touches on",
            "Enter deal it",
            "s leave it out",
        ],
        &["What do I notice in me"],
    );
    let first = pty.screen();
    pty.send("s");
    pty.wait_stable();
    let second = pty.screen();
    assert_ne!(first, second, "another card's note");
    assert!(second.contains("Card 1 of 2"), "{second}");
    pty.send(keys::ENTER);
    pty.wait_for_text("What do I notice in me, right now?");
    pty.send(keys::ESC);
    pty.wait_for_text("Drill: summary");
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(!pty.alternate_screen(), "{}", pty.dump());
}

#[test]
fn full_screen_drill_u_takes_back_the_last_rating_and_the_file_follows() {
    let sb = Sandbox::new();
    let protocol = noted_protocol(&sb);
    let mut pty = spawn_drill(
        &sb,
        &protocol,
        &["--exclude-tag", "risk", "--cards", "2", "--seed", "3"],
    );
    pty.wait_for_text("Enter begins the first card.");
    pty.send(keys::ENTER);
    // Waiting for "undo" to be gone, not only for the new text: a frame
    // read half-drawn still has the last screen's footer.
    pty.wait_for_all(&["What do I notice in me, right now?"], &["undo"]);
    pty.send(keys::ENTER); // the breath
    pty.wait_for_text("Enter done");
    pty.send(keys::ENTER); // the response
    pty.wait_for_text("Which marker did you see?");
    pty.send(keys::ENTER);
    pty.wait_for_text("Enter assess");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Did your response"], &["undo"]);
    // Rate 9 (four →) and go on.
    pty.send("\x1b[C\x1b[C\x1b[C\x1b[C");
    pty.wait_for_text("9 of 10");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Rated 9:", "u undo rating"], &[]);
    pty.send(keys::F1);
    pty.wait_for_all(&["Drill keys", "undo the last rating"], &[]);
    pty.send("x");
    pty.wait_gone("Drill keys");
    let saved = sb.wait_for_session_file();
    assert_eq!(
        common::read_json(&saved)["drill_cards"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    pty.send("u");
    pty.wait_for_all(&["Did your response", "9 of 10"], &["u undo rating"]);
    // Taking back the only rating removes the file this drill wrote.
    assert!(sb.session_files().is_empty(), "{:?}", sb.session_files());
    pty.send("\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D");
    pty.wait_for_text("2 of 10");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Rated 2:", "u undo rating"], &[]);
    pty.send(keys::ENTER); // the breath
    pty.wait_for_all(&["Enter done", "u undo rating"], &[]);
    pty.send(keys::ENTER); // the second response is done: the rating stands
    pty.wait_for_all(&["Which marker did you see?"], &["undo"]);
    pty.send(keys::ESC);
    pty.wait_for_text("Drill: summary");
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let (_, json) = sb.only_session();
    let cards = json["drill_cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{json}");
    assert_eq!(cards[0]["rating"], 2);
}
