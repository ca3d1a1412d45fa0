//! `repair rehearse` end to end: plain mode through pipes (every prompt,
//! rotation by set, per-seat levels, retries, the export), and the full
//! screen through a pseudo-terminal. Each test has its own temporary data
//! directory; waits poll for conditions, never for a time.

use crate::common;

use common::{Piped, Pty, Sandbox, assert_mode, assert_restored, keys, run};

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

/// `rehearse` in plain mode with no timer, every step's criteria, no
/// breath (as before one step could be chosen) and one response per card
/// (`--beats 1`: the flow these answers were written for), with `extra`
/// flags.
fn rehearse(sb: &Sandbox, extra: &[&str], input: &str) -> common::Output {
    let dir = data(sb);
    let mut args = vec![
        "--data-dir",
        dir.as_str(),
        "rehearse",
        "--plain",
        "--round-seconds",
        "0",
        "--step",
        "all",
        "--scan-seconds",
        "0",
        "--beats",
        "1",
    ];
    args.extend_from_slice(extra);
    run(sb, &args, input.as_bytes())
}

/// The answers for one new card: the direction read, the response done,
/// then marker, rating, reactions, criteria, feedback and what next.
fn card(
    marker: &str,
    rating: &str,
    reactions: &str,
    criteria: &str,
    feedback: &str,
    next: &str,
) -> String {
    format!("\n\n{marker}\n{rating}\n{reactions}\n{criteria}\n{feedback}\n{next}\n")
}

/// A retry: no direction this time.
fn retry(marker: &str, rating: &str, next: &str) -> String {
    format!("\n{marker}\n{rating}\n\n\n\n{next}\n")
}

/// The safety line's Enter, then the cards.
fn session(cards: &[String]) -> String {
    format!("\n{}", cards.concat())
}

/// `cards` with the Enter after each set but the last (the client steps
/// out of role), for sets of `set` cards, one answer string per card.
fn in_sets(cards: &[String], set: usize) -> Vec<String> {
    let last = cards.len();
    cards
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if (i + 1) % set == 0 && i + 1 < last {
                format!("{c}\n")
            } else {
                c.clone()
            }
        })
        .collect()
}

fn plain_card() -> String {
    card("", "", "", "", "", "")
}

/// The heading lines of the cards (`Card N of M (...): therapist ...`).
fn headings(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("Card ") && l.contains("): therapist "))
        .map(str::to_owned)
        .collect()
}

/// Without --save, plain mode says so at the start, and at the end offers
/// to save: `y` saves (no names), anything else keeps nothing.
#[test]
fn plain_without_save_offers_to_save_at_the_end() {
    let sb = Sandbox::new();
    let args = ["--people", "Ana,Ben", "--rounds", "1", "--seed", "5"];
    let out = rehearse(&sb, &args, &format!("{}\n", session(&[plain_card()])));
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let offer =
        "Save these rounds with your notes? Seats and answers, never names. y saves (empty: no).";
    let at = stdout.find(offer).expect("the offer");
    assert!(stdout[..at].contains("Summary: 1 of 1 card"), "{stdout}");
    assert!(
        stdout[at..]
            .contains("Nothing was saved (add --save to keep the rounds; names are never kept)."),
        "{stdout}"
    );
    assert!(sb.session_files().is_empty());
    let out = rehearse(&sb, &args, &format!("{}y\n", session(&[plain_card()])));
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("Saved rehearsal "),
        "{}",
        out.describe()
    );
    let (path, json) = sb.only_session();
    assert_eq!(json["rounds"].as_array().unwrap().len(), 1, "{json}");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("Ana") && !text.contains("Ben"), "{text}");
}

#[test]
fn each_person_plays_a_set_then_the_roles_move_on() {
    let sb = Sandbox::new();
    let input = session(&in_sets(&vec![plain_card(); 6], 2));
    let out = rehearse(
        &sb,
        &[
            "--people",
            "Ana,Ben,Cy",
            "--set",
            "2",
            "--rounds",
            "6",
            "--seed",
            "3",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert_eq!(
        headings(&stdout),
        [
            "Card 1 of 6 (1 of 2 in Ana's set): therapist Ana, client Ben, observer Cy.",
            "Card 2 of 6 (2 of 2 in Ana's set): therapist Ana, client Ben, observer Cy.",
            "Card 3 of 6 (1 of 2 in Ben's set): therapist Ben, client Cy, observer Ana.",
            "Card 4 of 6 (2 of 2 in Ben's set): therapist Ben, client Cy, observer Ana.",
            "Card 5 of 6 (1 of 2 in Cy's set): therapist Cy, client Ana, observer Ben.",
            "Card 6 of 6 (2 of 2 in Cy's set): therapist Cy, client Ana, observer Ben.",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("Summary: 6 of 6 cards, 6 responses."));
    // The client steps out of role after each set but the last.
    assert_eq!(stdout.matches("Press Enter for the next set.").count(), 2);
    assert!(stdout.contains(
        "End of Ana's set. Ben, step out of the client's role: shake it off, and say your own name."
    ));
    assert!(stdout.contains("End of Ben's set. Cy, step out"));
    assert!(
        !stdout.contains("End of Cy's set"),
        "the closing de-roles all"
    );
    assert!(stdout.contains("Seed 3."));
    assert!(stdout.contains("Step out of role, everyone: say your own name"));
    assert!(stdout.contains("Nothing was saved"));
    assert!(
        !sb.data().exists(),
        "rehearse without --save touched the disk"
    );
}

#[test]
fn the_default_is_one_set_of_four_each_and_a_minute_per_response() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let out = run(
        &sb,
        &["--data-dir", &dir, "rehearse", "--plain", "--seed", "1"],
        b"",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("3 people, 12 cards in sets of 4, 1 minute per response. Seed 1"),
        "{}",
        out.describe()
    );
}

#[test]
fn every_prompt_in_order_and_the_kind_stays_hidden_until_the_reveal() {
    let sb = Sandbox::new();
    let input = session(&[card("2", "7", "1 2", "2", "Good.", "")]);
    let out = rehearse(
        &sb,
        &["--people", "Ana,Ben", "--rounds", "1", "--seed", "5"],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let order = [
        "Nothing is saved (add --save to keep the rounds; names are never kept).",
        "Play each card as written, and keep your own history out of it.",
        "Press Enter to begin.",
        "Card 1 of 1 (1 of 4 in Ana's set): therapist Ana, client Ben.",
        "Client, read your direction; therapist, look away.",
        "Direction (client only): ",
        "Press Enter when the client has read it.",
        "Scene: ",
        "Client: \"",
        "No timer. Press Enter when the response is done.",
        "Response over.",
        "Ana, what did you see? 1 withdrawal, 2 confrontation",
        "How hard was it, from 0 (easy) to 10 (very hard)? (empty: 5)",
        "Reactions, by number, like 1 3 (empty: none): 1 heart racing",
        // Two people, nobody observes: the therapist ticks.
        "Ana: which criteria did the response meet?",
        "Feedback for the therapist, one line (empty: none):",
        "Next card:",
        "The card:",
        "Model responses",
        "Enter: next card; r: the same card again (empty: next card).",
        "Summary: 1 of 1 card, 1 response.",
        // A card is named by what the client said, not its id.
        "  Feedback for Ana on \u{201c}",
    ];
    let mut from = 0;
    for text in order {
        let at = stdout[from..]
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} missing or out of order in\n{stdout}"));
        from += at + text.len();
    }
    // Until the reveal, neither the kind nor the level is printed.
    let before = &stdout[..stdout.find("Next card:").unwrap()];
    let markers_line = before
        .lines()
        .find(|l| l.starts_with("Markers: "))
        .unwrap_or("");
    let before = before.replace(markers_line, "");
    for word in ["beginner", "intermediate", "advanced"] {
        assert!(
            !before.contains(word),
            "{word} shown before the reveal:\n{stdout}"
        );
    }
    assert!(!before.contains("(confrontation") && !before.contains("(withdrawal"));
    assert!(
        stdout.contains("Ana (seat 1): 1 card, 0 retries; rated 7;"),
        "{stdout}"
    );
}

#[test]
fn each_seat_keeps_its_own_level_from_its_own_ratings() {
    let sb = Sandbox::new();
    let rated = |r: &str| card("", r, "", "", "", "");
    let input = session(&in_sets(
        &[
            rated("2"),
            rated("2"),
            rated("9"),
            rated("5"),
            rated("0"),
            rated("5"),
        ],
        2,
    ));
    let out = rehearse(
        &sb,
        &[
            "--people",
            "2",
            "--set",
            "2",
            "--rounds",
            "6",
            "--seed",
            "8",
            "--kind",
            "withdrawal",
            "--show-kind",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let levels: Vec<&str> = stdout
        .lines()
        .filter_map(|l| {
            l.strip_prefix("Card ")
                .and_then(|l| l.split_once(" (withdrawal, "))
        })
        .map(|(_, level)| level.trim_end_matches(')'))
        .collect();
    assert_eq!(
        levels,
        [
            "beginner",
            "intermediate",
            "beginner",
            "beginner",
            "advanced",
            "advanced"
        ],
        "{stdout}"
    );
    assert!(stdout.contains(
        "Rated 2: 3 or less moves Person 1's next withdrawal card up a level, to intermediate."
    ));
    // Too hard at beginner: warm-up, on beginner cards, a model read first.
    assert!(stdout.contains(
        "Rated 9: 8 or more moves Person 2's next withdrawal card down a level, to warm-up."
    ));
    assert!(stdout.contains("Rated 5: between 3 and 8 the next withdrawal card stays at warm-up."));
    assert_eq!(
        stdout
            .matches(
                "Warm-up: first read this model response aloud, then answer in your own words."
            )
            .count(),
        1,
        "only Person 2's card after the 9: {stdout}"
    );
    assert!(stdout.contains("\nModel: \""), "{stdout}");
}

#[test]
fn thresholds_are_flags_and_must_make_sense() {
    let sb = Sandbox::new();
    let input = session(&[card("", "6", "", "", "", ""), plain_card()]);
    let out = rehearse(
        &sb,
        &[
            "--people",
            "2",
            "--set",
            "2",
            "--rounds",
            "2",
            "--seed",
            "8",
            "--easier-at",
            "6",
            "--harder-at",
            "1",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("6 or more, the next card is easier; 1 or less, harder.")
    );
    let stdout = out.stdout();
    assert!(
        stdout.contains("Rated 6: 6 or more moves Person 1's next withdrawal card down a level")
            || stdout.contains(
                "Rated 6: 6 or more moves Person 1's next confrontation card down a level"
            ),
        "{stdout}"
    );
    // A mistake on the command line: exit 2, as the README's exit codes say
    // (this was 1 before the README audit found it).
    let bad = rehearse(&sb, &["--easier-at", "3", "--harder-at", "5"], "");
    assert_eq!(bad.code(), Some(2), "{}", bad.describe());
    assert!(
        bad.stderr()
            .contains("--harder-at 5 must be below --easier-at 3"),
        "{}",
        bad.describe()
    );
}

#[test]
fn r_retries_the_same_card_with_the_same_therapist_and_every_answer_is_saved() {
    let sb = Sandbox::new();
    let input = session(&[
        card(
            "1 minimal-response",
            "9",
            "1 4",
            "2 4",
            "Slow and kind.",
            "r",
        ),
        retry("2", "4", "r"),
        retry("", "", ""),
        // Sets of one: the client steps out of role.
        "\n".to_string(),
        plain_card(),
    ]);
    let out = rehearse(
        &sb,
        &[
            "--people",
            "Zelda,Yusuf,Xiomara",
            "--set",
            "1",
            "--rounds",
            "2",
            "--seed",
            "9",
            "--save",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert_eq!(
        headings(&stdout),
        [
            "Card 1 of 2 (1 of 1 in Zelda's set): therapist Zelda, client Yusuf, observer Xiomara.",
            "Card 1 of 2 (1 of 1 in Zelda's set, try 2): therapist Zelda, client Yusuf, observer Xiomara.",
            "Card 1 of 2 (1 of 1 in Zelda's set, try 3): therapist Zelda, client Yusuf, observer Xiomara.",
            "Card 2 of 2 (1 of 1 in Yusuf's set): therapist Yusuf, client Xiomara, observer Zelda.",
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("Zelda (seat 1): 1 card, 2 retries; rated 9, 4, 5;"),
        "{stdout}"
    );
    let (path, json) = sb.only_session();
    assert_mode(&path, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    for name in ["Zelda", "Yusuf", "Xiomara"] {
        assert!(!text.contains(name), "{name} was written to disk: {text}");
    }
    assert_eq!(json["mode"], "rehearse");
    assert_eq!(json["complete"], true);
    let rounds = json["rounds"].as_array().expect("rounds");
    assert_eq!(rounds.len(), 4);
    let first = &rounds[0];
    assert_eq!(first["attempt"], 1);
    assert_eq!(first["repeated"], false);
    assert_eq!(first["therapist_seat"], 1);
    assert_eq!(first["therapist_level"], "beginner");
    assert_eq!(first["next_level"], "warm-up");
    assert_eq!(
        first["roles"],
        serde_json::json!(["therapist", "client", "observer"])
    );
    assert_eq!(first["guess_kind"], "withdrawal");
    assert_eq!(first["guess_marker"], "minimal-response");
    let kind = first["kind"].as_str().unwrap();
    assert_eq!(first["guess_kind_right"], kind == "withdrawal");
    assert!(first["guess_marker_right"].is_boolean());
    assert_eq!(first["rating"], 9);
    assert_eq!(first["difficulty"], "too-hard");
    assert_eq!(
        first["reactions"],
        serde_json::json!(["heart-racing", "shame"])
    );
    assert_eq!(first["feedback"], "Slow and kind.");
    let met = first["criteria_met"].as_array().unwrap();
    assert_eq!(met.len(), 2, "{first}");
    assert!(met[0]["step"].is_string() && met[0]["text"].is_string() && met[0]["number"].is_u64());
    // Each tick is saved by the criterion's id too, the one models name.
    for tick in met {
        let id = tick["id"].as_str().expect("an id");
        let step = tick["step"].as_str().unwrap();
        assert!(id.starts_with(&format!("{step}.")), "{tick}");
        assert!(id.chars().any(|c| c.is_ascii_lowercase()) && id.len() > step.len() + 1);
    }
    assert_eq!(first["checklist"].as_array().unwrap().len(), 2);
    let second = &rounds[1];
    assert_eq!(
        (second["attempt"].as_u64(), second["repeated"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(second["card"], first["card"]);
    assert_eq!(second["therapist_seat"], 1);
    assert_eq!(second["guess_kind"], "confrontation");
    assert_eq!(second["guess_marker"], serde_json::Value::Null);
    assert_eq!(second["guess_marker_right"], serde_json::Value::Null);
    assert_eq!(second["rating"], 4);
    assert_eq!(second["difficulty"], "about-right");
    // Only the first try moved the level; the retry says how the models landed.
    assert_eq!(second["next_level"], "warm-up");
    assert!(
        stdout.contains(&format!(
            "Retry rated 4: the models partly landed. Only the first try moves the level: Zelda's next {kind} card stays warm-up."
        )),
        "{stdout}"
    );
    assert_eq!(rounds[2]["guess_kind"], serde_json::Value::Null);
    assert_eq!(rounds[2]["guess_kind_right"], serde_json::Value::Null);
    assert_eq!(rounds[3]["therapist_seat"], 2);
    assert_eq!(rounds[3]["attempt"], 1);
    let id = json["id"].as_str().unwrap();
    assert!(stdout.contains(&format!("Saved rehearsal {id}.")));
    // The Markdown export shows the answers readably.
    let dir = data(&sb);
    let md = run(&sb, &["--data-dir", &dir, "notes", "export"], b"");
    let md = md.stdout();
    for line in [
        "- Therapist: seat 1 (at beginner; next card warm-up)",
        "- Difficulty: 9 of 10 (too-hard)",
        "- Reactions: heart racing, shame",
        "- Feedback: Slow and kind.",
        "card ",
        ", try 2)",
    ] {
        assert!(md.contains(line), "{line:?} missing in\n{md}");
    }
}

#[test]
fn save_with_nothing_reviewed_keeps_nothing_and_says_so() {
    let sb = Sandbox::new();
    let out = rehearse(&sb, &["--people", "2", "--seed", "2", "--save"], "\n\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("No response was reviewed, so nothing was kept."),
        "{}",
        out.describe()
    );
    assert!(sb.session_files().is_empty(), "{:?}", sb.session_files());
}

#[test]
fn bad_answers_are_asked_again_and_empty_lines_take_the_defaults() {
    let sb = Sandbox::new();
    let input = "\n\n\n3\n1 denial-ish\n2 denial\n\n11\nsoft\n4\n9\n\n0\n16 1\n\nGood.\nmaybe\nr\n\n\n\n\n\n\n\n";
    let out = rehearse(
        &sb,
        &["--people", "2", "--rounds", "1", "--seed", "1", "--save"],
        input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert_eq!(
        stdout
            .matches("Type 1 or 2, a marker id, both, or an empty line for not sure.")
            .count(),
        3,
        "{stdout}"
    );
    assert_eq!(
        stdout
            .matches("Type a whole number from 0 to 10, or an empty line for 5.")
            .count(),
        2,
        "{stdout}"
    );
    assert_eq!(
        stdout
            .matches("Give numbers from 1 to 6 separated by spaces")
            .count(),
        1,
        "{stdout}"
    );
    assert_eq!(
        stdout
            .matches("Give numbers from 1 to 9 separated by spaces")
            .count(),
        2,
        "{stdout}"
    );
    assert_eq!(
        stdout
            .matches("Type r to try the same card again, or an empty line for the next card.")
            .count(),
        1,
        "{stdout}"
    );
    let (_, json) = sb.only_session();
    let rounds = json["rounds"].as_array().expect("rounds");
    assert_eq!(rounds.len(), 2, "{json}");
    assert_eq!(rounds[0]["guess_kind"], serde_json::Value::Null);
    assert_eq!(rounds[0]["rating"], 4);
    assert_eq!(rounds[0]["reactions"], serde_json::json!([]));
    assert_eq!(rounds[0]["criteria_met"], serde_json::json!([]));
    assert_eq!(rounds[0]["feedback"], "Good.");
    assert_eq!(rounds[1]["rating"], 5, "an empty line is 5");
}

#[test]
fn the_same_seed_and_answers_give_the_same_output() {
    let input = session(&[
        card("1", "2", "1", "1 3", "Slowed right down.", ""),
        card("", "", "", "", "", ""),
        card("2", "9", "", "2", "", ""),
    ]);
    let args = ["--people", "Ana,Ben,Cy", "--rounds", "3", "--seed", "42"];
    let first = rehearse(&Sandbox::new(), &args, &input);
    let second = rehearse(&Sandbox::new(), &args, &input);
    assert_eq!(first.code(), Some(0), "{}", first.describe());
    assert_eq!(first.stdout(), second.stdout());
    assert!(first.stdout().contains("Seed 42"));
    let other = rehearse(
        &Sandbox::new(),
        &["--people", "Ana,Ben,Cy", "--rounds", "3", "--seed", "43"],
        &input,
    );
    let clients = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.starts_with("Client: "))
            .map(str::to_owned)
            .collect()
    };
    assert_ne!(clients(&first.stdout()), clients(&other.stdout()));
}

#[test]
fn a_timer_ends_the_response_when_time_is_up() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut child = Piped::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--scan-seconds",
            "0",
            "--plain",
            "--people",
            "2",
            "--rounds",
            "1",
            "--round-seconds",
            "1",
            "--seed",
            "2",
        ],
    );
    child.wait_stdout(|s| s.contains("Press Enter to begin."), "the safety line");
    child.write(b"\n");
    child.wait_stdout(
        |s| s.contains("Press Enter when the client has read it."),
        "the direction",
    );
    child.write(b"\n");
    child.wait_stdout(
        |s| s.contains("Press Enter to start the response (1 second)."),
        "the start prompt",
    );
    child.write(b"\n");
    child.wait_stdout(
        |s| s.contains("Response over."),
        "the response to end by itself",
    );
    child.close_stdin();
    let out = child.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(
        stdout.contains("Response: 1 second. Press Enter to end it early.\nTime.\nResponse over."),
        "{stdout}"
    );
    assert!(stdout.contains("Input ended; stopping here."));
}

/// A format-2 protocol with one card whose direction is known.
const STARTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/steps/starter.toml");

const RIGHT: &str = "\x1b[C";
const DOWN: &str = "\x1b[B";

#[test]
fn full_screen_rehearsal_plays_reviews_retries_and_closes() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            // The breath has tests of its own; here it would only wait.
            "--scan-seconds",
            "0",
            "--people",
            "Ana,Ben,Cy",
            "--rounds",
            "2",
            "--round-seconds",
            "1",
            "--seed",
            "4",
            "--save",
            "--protocol",
            STARTER,
        ],
    );
    pty.wait_for_all(&["Play each card as written", "Seed 4"], &[]);
    pty.send(keys::F1);
    pty.wait_for_all(&["Keys", "same therapist, same card, again"], &[]);
    pty.send("x");
    pty.wait_gone("same therapist, same card, again");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "Client, read your direction; therapist, look away.",
            "You felt brushed aside.",
        ],
        &[],
    );
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &["Therapist Ana · Client Ben · Observing Cy", "Enter start"],
        &["look away"],
    );
    // The direction is gone from the shared screen.
    let round = pty.screen();
    assert!(!round.contains("brushed aside"), "{round}");
    assert!(round.contains("It's fine. Whatever."), "{round}");
    for word in ["withdrawal", "beginner"] {
        assert!(
            !round.contains(word),
            "{word} shown before the review:\n{round}"
        );
    }
    pty.send(keys::ENTER);
    // The one-second timer ends the response by itself.
    pty.wait_for_text("review 1 of 5: What did you see?");
    pty.send(RIGHT);
    pty.wait_for_text("‹withdrawal›");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["review 2 of 5", "← → choose"], &[]);
    for _ in 0..4 {
        pty.send(RIGHT);
    }
    pty.wait_for_text("[9]");
    pty.send(DOWN);
    pty.send(" ");
    pty.wait_for_text("[x] heart racing");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 3 of 5");
    pty.send(" ");
    pty.wait_for_text("[x]");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["review 4 of 5", "type · Enter next"], &[]);
    pty.type_text("Lovely pause, r and space typed");
    pty.wait_for_text("Lovely pause, r and space typed");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["review 5 of 5", "Model responses", "r try again"], &[]);
    pty.send("r");
    pty.wait_for_all(&["try 2", "Therapist Ana"], &["review"]);
    pty.send(keys::ENTER);
    pty.wait_for_text("review 1 of 5");
    pty.send(keys::ESC);
    pty.wait_for_text("End the rehearsal now");
    pty.send("y");
    pty.wait_for_all(
        &[
            "Rehearsal over",
            "seed 4",
            "Ana (seat 1)",
            "1 card, 1 retry",
            "Step out of role",
            "The rounds are saved with your notes",
        ],
        &[],
    );
    // Enter does not close the summary; q does.
    pty.send(keys::ENTER);
    pty.wait_for_text("Enter does not close this page: q closes it.");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    let screen = pty.screen();
    assert!(
        screen.contains("Ana (seat 1): 1 card, 1 retry"),
        "the summary stays on the terminal: {}",
        pty.dump()
    );
    assert!(screen.contains("Saved rehearsal "), "{}", pty.dump());
    assert!(screen.contains("Seed 4 (give --seed 4"), "{}", pty.dump());
    let (path, json) = sb.only_session();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("Ana") && !text.contains("Ben"), "{text}");
    let rounds = json["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2, "{json}");
    assert_eq!(rounds[0]["rating"], 9);
    assert_eq!(rounds[0]["guess_kind"], "withdrawal");
    assert_eq!(rounds[0]["reactions"], serde_json::json!(["heart-racing"]));
    assert_eq!(rounds[0]["feedback"], "Lovely pause, r and space typed");
    assert_eq!(rounds[1]["attempt"], 2);
    assert_eq!(json["complete"], false);
}

/// Enter pressed over and over, as all session, reaches the closing screen
/// and stops there: the summary cannot be skipped by it. Without --save the
/// first screen says nothing is kept as you go, the closing screen offers to
/// save (s), and on leaving the summary is printed on the terminal.
#[test]
fn repeated_enter_stops_at_the_summary_and_s_saves_it() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--people",
            "Ana,Ben,Cy",
            "--set",
            "2",
            "--rounds",
            "4",
            "--seed",
            "5",
        ],
    );
    pty.wait_for_all(&["Play each card", "Nothing is saved as you go"], &[]);
    // 1 + 4 cards of 8 steps each reach the summary; the rest are strays.
    for _ in 0..45 {
        pty.send(keys::ENTER);
    }
    pty.wait_for_all(
        &[
            "Rehearsal over",
            "Enter does not close this page: s saves and closes, q closes.",
        ],
        &[],
    );
    let screen = pty.wait_stable();
    assert!(!pty.has_exited(), "{screen}");
    assert!(screen.contains("s save and close"), "{screen}");
    assert!(sb.session_files().is_empty(), "nothing saved before s");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    let screen = pty.screen();
    for line in [
        "Summary: 4 of 4 cards, 4 responses.",
        "Ana (seat 1): 2 cards, 0 retries",
        "Ben (seat 2): 2 cards, 0 retries",
        "Saved rehearsal ",
        "Seed 5",
    ] {
        assert!(screen.contains(line), "{line}: {}", pty.dump());
    }
    let (path, json) = sb.only_session();
    assert_eq!(json["rounds"].as_array().unwrap().len(), 4, "{json}");
    assert_eq!(json["complete"], true, "{json}");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("Ana") && !text.contains("Ben"), "{text}");
}

#[test]
fn full_screen_save_quit_before_any_response_keeps_nothing() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--people",
            "2",
            "--seed",
            "6",
            "--save",
        ],
    );
    pty.wait_for_text("Play each card as written");
    pty.send(keys::ESC);
    pty.wait_for_text("End the rehearsal now");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Rehearsal over", "No response was reviewed"], &[]);
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    assert!(
        pty.screen()
            .contains("No response was reviewed, so nothing was kept."),
        "{}",
        pty.dump()
    );
    assert!(pty.screen().contains("Seed 6"), "{}", pty.dump());
    assert!(sb.session_files().is_empty());
}

#[test]
fn full_screen_rehearsal_survives_random_keys() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn_sized(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--rounds",
            "100",
            "--round-seconds",
            "0",
            "--seed",
            "12",
            "--save",
        ],
        40,
        12,
    );
    pty.wait_for_text("Play each card");
    let keys_to_send = [
        keys::ENTER,
        keys::ENTER,
        " ",
        "r",
        "x",
        RIGHT,
        DOWN,
        "\x1b[A",
        "\x1b[D",
        keys::TAB,
        keys::SHIFT_TAB,
        "\x1b[6~",
        "\x1b[5~",
        "\x7f",
        "y",
    ];
    // A fixed pseudo-random sequence (a linear congruential generator), so
    // a failure can be replayed.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..300 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let pick = (state >> 33) as usize % keys_to_send.len();
        pty.send(keys_to_send[pick]);
    }
    pty.resize(160, 45);
    // Under load an arrow key's bytes can arrive apart and read as a lone
    // Esc, so the random keys may already have ended the rehearsal: leave
    // from wherever it stands, by what the screen says.
    let start = std::time::Instant::now();
    while !pty.has_exited() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "could not leave: {}",
            pty.dump()
        );
        let screen = pty.wait_stable();
        if screen.contains("Rehearsal over") {
            pty.send("q");
        } else if screen.contains("End the rehearsal now") {
            pty.send("y");
        } else {
            pty.send(keys::ESC);
        }
        // The key's effect, not a fixed time; a key that changed nothing is
        // followed by another after a while.
        pty.wait_change(&screen, std::time::Duration::from_secs(2));
    }
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    for path in sb.session_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).expect("a readable session");
    }
}

#[test]
fn a_version_1_rehearsal_record_still_reads_and_exports() {
    let sb = Sandbox::new();
    sb.put_sessions(&[serde_json::json!({
        "id": "20261110-090000-abcd",
        "mode": "rehearse",
        "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair",
        "drill": null,
        "started_at": "2026-11-10T09:00:00+01:00",
        "finished_at": "2026-11-10T09:40:00+01:00",
        "complete": true,
        "steps": [],
        "rounds": [{
            "number": 1, "card": "quiet-yes", "kind": "withdrawal", "level": "beginner",
            "repeated": false, "roles": ["therapist", "client", "observer"],
            "checklist": ["scan", "validate"], "feedback": "Slow.", "difficulty": "too-hard"
        }]
    })]);
    let dir = data(&sb);
    let json = run(
        &sb,
        &["--data-dir", &dir, "notes", "export", "--format", "json"],
        b"",
    );
    assert_eq!(json.code(), Some(0), "{}", json.describe());
    let value: serde_json::Value = serde_json::from_str(&json.stdout()).expect("JSON");
    let round = &value[0]["rounds"][0];
    assert_eq!(round["card"], "quiet-yes");
    assert_eq!(round["difficulty"], "too-hard");
    assert_eq!(round["attempt"], 1);
    assert_eq!(round["rating"], serde_json::Value::Null);
    let md = run(&sb, &["--data-dir", &dir, "notes", "export"], b"");
    assert_eq!(md.code(), Some(0), "{}", md.describe());
    let md = md.stdout();
    assert!(
        md.contains("### Round 1: card quiet-yes (withdrawal, beginner)"),
        "{md}"
    );
    assert!(md.contains("- Observers ticked: scan, validate"), "{md}");
    assert!(md.contains("- Difficulty: too-hard"), "{md}");
}

#[test]
fn a_card_with_a_content_note_says_so_before_it_is_played() {
    let sb = Sandbox::new();
    let protocol = sb.write(
        "notes.toml",
        r#"[protocol]
format = 2
id = "notes"
title = "Notes"

[[step]]
id = "reflect"
title = "Reflect"
guidance = "Guess, and check."

[[scenario]]
id = "a-loss"
kind = "withdrawal"
level = "beginner"
direction = "Play it quietly."
client = "It was a year ago. I'm fine."
content = ["bereavement"]

[[scenario]]
id = "plain"
kind = "withdrawal"
level = "beginner"
direction = "Play it quietly."
client = "Fine."
"#,
    );
    let protocol = protocol.display().to_string();
    let input = session(&[plain_card(), plain_card()]);
    let out = rehearse(
        &sb,
        &["--protocol", &protocol, "--rounds", "2", "--seed", "1"],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let note = "Content note: this card touches on bereavement.";
    assert_eq!(stdout.matches(note).count(), 1, "{stdout}");
    // Everyone sees it before the card's direction and statement.
    let at = stdout.find(note).unwrap();
    let card = &stdout[at..];
    let direction = card.find("Direction (client only)").expect("the direction");
    let statement = card.find("It was a year ago").expect("the statement");
    assert!(direction < statement, "{stdout}");
    assert!(!stdout[..at].contains("It was a year ago"), "{stdout}");
}

/// Rated 6 with "went blank" ticked (reaction 3), on a withdrawal card at
/// intermediate, saved.
fn went_blank_at_six(sb: &Sandbox) -> common::Output {
    let input = session(&in_sets(&[card("", "6", "3", "", "", ""), plain_card()], 1));
    rehearse(
        sb,
        &[
            "--people",
            "2",
            "--set",
            "1",
            "--rounds",
            "2",
            "--seed",
            "3",
            "--kind",
            "withdrawal",
            "--level",
            "intermediate",
            "--save",
        ],
        &input,
    )
}

#[test]
fn went_blank_at_six_counts_as_too_hard_unless_the_settings_say_otherwise() {
    let sb = Sandbox::new();
    let out = went_blank_at_six(&sb);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains(
            "Rated 6 with \"went blank\": 6 or more with that counts as too hard; Person 1's next withdrawal card moves down a level, to beginner."
        ),
        "{}",
        out.stdout()
    );
    let (_, json) = sb.only_session();
    assert_eq!(json["rounds"][0]["difficulty"], "too-hard");
    assert_eq!(json["rounds"][0]["next_level"], "beginner");

    let sb = Sandbox::new();
    sb.write_settings("hard_reactions = [\"shame\"]\nhard_reactions_from = 7\n");
    let out = went_blank_at_six(&sb);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("Rated 6: between 3 and 8 the next withdrawal card stays at intermediate."),
        "{}",
        out.stdout()
    );
    let (_, json) = sb.only_session();
    assert_eq!(json["rounds"][0]["difficulty"], "about-right");
    assert_eq!(json["rounds"][0]["next_level"], "intermediate");

    // A word that is not a reaction: said at its place, as a warning (a
    // setting that decides neither where notes go nor how they are
    // protected never stops practice), and the default used.
    let sb = Sandbox::new();
    let path = sb.write_settings("hard_reactions = [\"went-blank\", \"blank\"]\n");
    let out = went_blank_at_six(&sb);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let expected = format!(
        "{}:1:33: warning: \"blank\" is not a reaction; \"hard_reactions\" takes",
        path.display()
    );
    assert!(out.stderr().contains(&expected), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("until it is fixed, \"went blank\" and \"shame\" count"),
        "{}",
        out.describe()
    );
    let (_, json) = sb.only_session();
    assert_eq!(json["rounds"][0]["difficulty"], "too-hard");
}

#[test]
fn each_seat_keeps_a_level_per_kind_of_rupture() {
    let sb = Sandbox::new();
    let rated = |r: &str| card("", r, "", "", "", "");
    let ratings = ["0", "9", "0", "9", "2", "8", "1", "10"];
    let input = session(&ratings.map(rated));
    let out = rehearse(
        &sb,
        &[
            "--people", "2", "--set", "8", "--rounds", "8", "--seed", "11", "--save",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let (_, json) = sb.only_session();
    let rounds = json["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 8);
    // Each kind's chain: a card is dealt at the level the last card of the
    // same kind left, whatever the other kind did in between.
    let mut level: std::collections::HashMap<&str, &str> = Default::default();
    let mut kinds = std::collections::HashSet::new();
    for round in rounds {
        let kind = round["kind"].as_str().unwrap();
        kinds.insert(kind);
        let at = round["therapist_level"].as_str().unwrap();
        assert_eq!(at, *level.get(kind).unwrap_or(&"beginner"), "{round}");
        level.insert(kind, round["next_level"].as_str().unwrap());
    }
    assert_eq!(kinds.len(), 2, "both kinds dealt with seed 11: {json}");
    let closing = out.stdout();
    assert!(closing.contains("next level withdrawal "), "{closing}");
}

/// The default practises the protocol's step of the month (the built-in
/// one's is the scan) through pipes: the start says so, a breath comes
/// before each response (an empty line ends it), only the scan's criteria
/// are listed (with the line for a step inside the therapist), the client
/// steps out of role after a set, and the rounds saved name the step.
#[test]
fn plain_practises_the_step_of_the_month_with_a_breath_and_steps_out_of_role() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    // Safety; then per card: direction, breath, response done, marker,
    // rating, reactions, criteria, feedback, next; the set's end between.
    let first = "\n\n\n\n\n\n1\n\n\n";
    let second = "\n\n\n\n\n\n\n\n\n";
    let input = format!("\n{first}\n{second}");
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--plain",
            "--people",
            "Ana,Ben,Cy",
            "--set",
            "1",
            "--rounds",
            "2",
            "--round-seconds",
            "0",
            "--seed",
            "2",
            "--save",
        ],
        input.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    for line in [
        "Practising one step: Pause and scan inward (its criteria only; --step all for every step). One breath before each response (8 seconds).",
        "One breath (8 seconds): What do I notice in me, right now? (Enter goes on)",
        "Practising: Pause and scan inward.",
        "This step happens inside the therapist: Ana, say in a sentence what you noticed in yourself and what you felt pulled to do; then tick.",
        "  1. Pause and scan inward: Pauses before answering, instead of explaining or moving on.",
        "End of Ana's set. Ben, step out of the client's role: shake it off, and say your own name.",
        "Press Enter for the next set.",
        "Summary: 2 of 2 cards, 2 responses.",
    ] {
        assert!(stdout.contains(line), "{line:?} missing in\n{stdout}");
    }
    assert_eq!(stdout.matches("One breath (8 seconds)").count(), 2);
    assert_eq!(stdout.matches("Press Enter for the next set.").count(), 1);
    assert!(
        !stdout.contains("Reflect tentatively, and check:"),
        "{stdout}"
    );
    assert!(!stdout.contains("  4. "), "three criteria: {stdout}");
    let (_, json) = sb.only_session();
    let rounds = json["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0]["step"], "scan");
    assert_eq!(rounds[0]["criteria_met"][0]["id"], "scan.pause");
    assert_eq!(rounds[1]["step"], "scan");
}

/// `--step` picks another step as the drill's does; an id no step has
/// stops before anything starts, naming the ids there are.
#[test]
fn step_picks_a_step_and_an_unknown_one_is_refused() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let base = [
        "--data-dir",
        &dir,
        "rehearse",
        "--beats",
        "1",
        "--plain",
        "--people",
        "2",
        "--rounds",
        "1",
        "--round-seconds",
        "0",
        "--scan-seconds",
        "0",
        "--seed",
        "4",
    ];
    let mut args = base.to_vec();
    args.extend(["--step", "mend"]);
    let out = run(&sb, &args, b"\n\n\n\n\n\n\n\n\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(
        stdout.contains("Practising one step: Make it better"),
        "{stdout}"
    );
    assert!(!stdout.contains("One breath"), "--scan-seconds 0: {stdout}");
    assert!(
        stdout.contains("  1. Make it better: Names the therapist's own part"),
        "{stdout}"
    );
    assert!(!stdout.contains("  4. "), "{stdout}");
    let mut args = base.to_vec();
    args.extend(["--step", "nope"]);
    let bad = run(&sb, &args, b"");
    assert_ne!(bad.code(), Some(0));
    let stderr = bad.stderr();
    assert!(
        stderr.contains("nope") && stderr.contains("reflect"),
        "{stderr}"
    );
    assert!(!bad.stdout().contains("Rehearsal:"), "nothing started");
}

/// The full screen with the defaults: the breath's countdown before the
/// response, the scan's criteria, and the client stepping out of role
/// after a set; the saved round names the step.
#[test]
fn full_screen_breath_one_step_and_stepping_out_of_role() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--people",
            "Ana,Ben,Cy",
            "--set",
            "1",
            "--rounds",
            "2",
            "--round-seconds",
            "0",
            "--seed",
            "4",
            "--save",
        ],
    );
    pty.wait_for_all(&["Practising one step: Pause and scan inward"], &[]);
    pty.send(keys::ENTER);
    pty.wait_for_text("look away");
    pty.send(keys::ENTER);
    pty.wait_for_text("Enter start");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "Ana, one breath: What do I notice in me",
            "Enter end the breath",
        ],
        &[],
    );
    pty.send(keys::ENTER);
    pty.wait_for_text("Enter end the response");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 1 of 5");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 2 of 5");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "review 3 of 5",
            "Pauses before answering",
            "happens inside the therapist",
        ],
        &["Reflect tentatively"],
    );
    pty.send(" ");
    pty.wait_for_text("[x] Pauses");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 4 of 5");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 5 of 5");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "End of Ana's set",
            "Ben, step out of the client's role",
            "Enter next set",
        ],
        &[],
    );
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Cy is the client", "look away"], &[]);
    pty.send(keys::ESC);
    pty.wait_for_text("End the rehearsal now");
    pty.send("y");
    pty.wait_for_text("Rehearsal over");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    let (_, json) = sb.only_session();
    let rounds = json["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 1);
    assert_eq!(rounds[0]["step"], "scan");
    assert_eq!(rounds[0]["criteria_met"][0]["id"], "scan.pause");
}
