//! `repair deck`: the deck view. Render snapshots of the list and of a card
//! in full at 40x12, 80x24 and 120x40 (ratatui's TestBackend); the guide's
//! table of deck keys against the view's key tables; the real binary
//! through pipes (`--plain`, `--json`, the filters, one card, an unknown
//! card) and through a pseudo-terminal (list, card, back, leave; a card
//! opened from the command line; encrypted notes with the passphrase
//! declined).

use crate::common;

use chrono::{Duration, NaiveDate};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

use common::{Pty, Sandbox, keys, run};
use repair_practice::journal::Session;
use repair_practice::practice::deck::{Deck, Filter, History};
use repair_practice::practice::level::LevelRule;
use repair_practice::protocol::{self, ScenarioKind};
use repair_practice::tui::deck::{self, DeckView, view};
use repair_practice::tui::theme::Theme;

/// A drill session on `day` with a first attempt at each `(card, rating)`.
fn drill_json(day: NaiveDate, n: u32, cards: &[(&str, u8)]) -> Value {
    let records: Vec<Value> = cards
        .iter()
        .enumerate()
        .map(|(i, (card, rating))| {
            json!({
                "number": i + 1, "card": card, "kind": "withdrawal", "level": "beginner",
                "client": "…", "attempt": 1, "rating": rating,
                "criteria_met": ["a", "b"], "criteria_missed": [],
                "marker_guess": null, "marker_right": false, "respond_seconds": 30,
                "next_level": "intermediate",
            })
        })
        .collect();
    let date = day.format("%Y-%m-%d");
    json!({
        "id": format!("{}-090000-{n:04x}", day.format("%Y%m%d")),
        "mode": "drill", "protocol": "rupture-repair", "protocol_title": "Rupture and Repair",
        "drill": null, "started_at": format!("{date}T09:00:00+01:00"),
        "finished_at": format!("{date}T09:10:00+01:00"), "complete": true, "steps": [],
        "drill_cards": records,
    })
}

/// A history as of `today`: `quiet-yes` drilled twice, found hard the
/// second time (due since the next day); `whatever-you-think` done well
/// yesterday (due later); every other card new.
fn history(today: NaiveDate) -> Vec<Value> {
    vec![
        drill_json(
            today - Duration::days(9),
            1,
            &[("quiet-yes", 5), ("whatever-you-think", 4)],
        ),
        drill_json(today - Duration::days(5), 2, &[("quiet-yes", 9)]),
        drill_json(today - Duration::days(1), 3, &[("whatever-you-think", 4)]),
    ]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn deck_of(today: NaiveDate) -> Deck {
    let sessions: Vec<Session> = history(today)
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    Deck::new(
        protocol::builtin(),
        &sessions,
        LevelRule::default(),
        today,
        History::Read,
    )
}

fn draw(model: &DeckView) -> Terminal<TestBackend> {
    let (w, h) = model.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, model, &Theme::monochrome()))
        .unwrap();
    t
}

#[test]
fn the_list_at_each_size() {
    // 200 columns: room for the client's statement too.
    for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 12)] {
        let model = DeckView::new(deck_of(today()), Filter::default(), w, h);
        insta::assert_snapshot!(format!("deck_list_{w}x{h}"), draw(&model).backend());
    }
}

/// Scrolled to the middle, the list says at its header's right what is out
/// of sight both ways, in the notes browser's words (or, where they do not
/// fit, their short form), and the numbers add up to the deck.
#[test]
fn the_list_scrolled_to_the_middle_says_what_is_above_and_below() {
    for (w, h) in [(40, 12), (80, 24)] {
        let mut model = DeckView::new(deck_of(today()), Filter::default(), w, h);
        let count = model.shown().len();
        let middle = count / 2;
        for _ in 0..middle {
            model.run(deck::Cmd::Down);
        }
        assert_eq!(model.selected(), middle);
        let rows = model.list_rows();
        let (above, below) = (middle + 1 - rows, count - middle - 1);
        assert!(above > 0 && below > 0, "{count} cards, {rows} rows");
        let t = draw(&model);
        let top: String = (0..w)
            .map(|x| t.backend().buffer()[(x, 0)].symbol().to_string())
            .collect();
        let long = format!("↑ {above} more above · ↓ {below} more below");
        let short = format!("↑{above} ↓{below}");
        assert!(
            top.trim_end().ends_with(&long) || top.trim_end().ends_with(&short),
            "{top}"
        );
        insta::assert_snapshot!(format!("deck_list_middle_{w}x{h}"), t.backend());
    }
}

#[test]
fn a_card_in_full_at_three_sizes() {
    for (w, h) in [(40, 12), (80, 24), (120, 40)] {
        let mut model = DeckView::new(deck_of(today()), Filter::default(), w, h);
        model.open(0);
        insta::assert_snapshot!(format!("deck_card_{w}x{h}"), draw(&model).backend());
    }
    // Scrolled to its end at 80x24: the models' criteria and the pitfalls.
    let mut model = DeckView::new(deck_of(today()), Filter::default(), 80, 24);
    model.open(0);
    model.run(deck::Cmd::Bottom);
    insta::assert_snapshot!("deck_card_end_80x24", draw(&model).backend());
}

#[test]
fn filtered_due_and_without_history() {
    let due = Filter {
        due: true,
        kind: Some(ScenarioKind::Withdrawal),
        ..Filter::default()
    };
    let model = DeckView::new(deck_of(today()), due.clone(), 80, 24);
    assert_eq!(model.shown().len(), 1);
    insta::assert_snapshot!("deck_due_80x24", draw(&model).backend());
    let locked = DeckView::new(
        Deck::without_history(protocol::builtin(), today()),
        due,
        80,
        24,
    );
    insta::assert_snapshot!("deck_not_unlocked_80x24", draw(&locked).backend());
    let mut help = DeckView::new(deck_of(today()), Filter::default(), 40, 12);
    help.run(deck::Cmd::Help);
    insta::assert_snapshot!("deck_help_40x12", draw(&help).backend());
}

/// The guide's table of deck keys and the view's key tables say the same:
/// every key F1 lists has a row, and every row names a key of the tables.
#[test]
fn the_guide_lists_every_deck_key() {
    let guide = include_str!("../../docs/guide.md");
    let section = guide
        .split("### The deck, card by card: `repair deck`")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .expect("the deck section");
    let start = section
        .find("| Key | What it does |")
        .expect("the deck keys table");
    let rows: Vec<String> = section[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.split('|').nth(1).unwrap_or("").trim().replace('`', ""))
        .collect();
    let keys = deck::all_keys();
    for binding in &keys {
        assert!(
            rows.iter().any(|r| r == binding.label),
            "the guide's deck keys have no row for {}: {rows:?}",
            binding.label
        );
    }
    for row in &rows {
        assert!(
            keys.iter().any(|b| b.label == row),
            "the guide lists {row}, which the deck's key tables do not have"
        );
    }
}

/// The sandbox with the history dated from the real today (the binary
/// reads the clock).
fn sandbox_with_history() -> (Sandbox, NaiveDate) {
    let sb = Sandbox::new();
    let today = chrono::Local::now().date_naive();
    sb.put_sessions(&history(today));
    (sb, today)
}

fn deck_args<'a>(dir: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--data-dir", dir, "deck"];
    all.extend_from_slice(rest);
    all
}

#[test]
fn plain_lines_one_per_card_with_the_practice_and_the_filters() {
    let (sb, today) = sandbox_with_history();
    let dir = sb.data().display().to_string();
    let out = run(&sb, &deck_args(&dir, &["--plain"]), b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let text = out.stdout();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Deck: Rupture and Repair: 96 cards.");
    assert_eq!(lines[1], "Drill level: withdrawal intermediate.");
    assert_eq!(lines.len(), 2 + 96, "{text}");
    let day = |d: i64| (today - Duration::days(d)).format("%Y-%m-%d").to_string();
    assert_eq!(
        lines[2],
        format!(
            "quiet-yes: withdrawal, beginner; tags therapist-error; last practised {}, first tries rated 5 9; due since {}.",
            day(5),
            day(4)
        )
    );
    assert!(
        lines[3].starts_with(
            "whatever-you-think: withdrawal, beginner; tags therapist-error; last practised "
        ) && lines[3].contains("first tries rated 4 4; due 2"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].ends_with("; never practised; new."),
        "{}",
        lines[4]
    );

    // --due: what `repair drill --due` would deal, and nothing else.
    let out = run(&sb, &deck_args(&dir, &["--plain", "--due"]), b"");
    let text = out.stdout();
    assert_eq!(
        text.lines().next(),
        Some("Deck: Rupture and Repair: 1 of 96 cards (due today).")
    );
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.lines().nth(2).unwrap().starts_with("quiet-yes: "));

    // Filters as flags, --tag repeatable: every card kept has each.
    let out = run(
        &sb,
        &deck_args(
            &dir,
            &[
                "--plain",
                "--kind",
                "confrontation",
                "--level",
                "advanced",
                "--tag",
                "therapist-error",
                "--tag",
                "telehealth",
            ],
        ),
        b"",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let text = out.stdout();
    assert!(
        text.starts_with("Deck: Rupture and Repair: ")
            && text
                .lines()
                .next()
                .unwrap()
                .ends_with("(confrontation, advanced, tagged therapist-error and telehealth)."),
        "{text}"
    );
    for line in text.lines().skip(2) {
        assert!(
            line.contains(": confrontation, advanced; tags ")
                && line.contains("therapist-error")
                && line.contains("telehealth"),
            "{line}"
        );
    }

    // One card in full: its models and the criteria each one meets, by id
    // and text.
    let out = run(&sb, &deck_args(&dir, &["--plain", "quiet-yes"]), b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let text = out.stdout();
    assert!(
        text.starts_with("quiet-yes · withdrawal · beginner\n"),
        "{text}"
    );
    assert!(
        text.contains("Client: “Yeah. I guess. It's fine.”"),
        "{text}"
    );
    assert!(
        text.contains("\n     Strategy: metacommunicate.\n"),
        "{text}"
    );
    let (_, guess) = protocol::builtin()
        .criterion("reflect.guess")
        .map(|(s, c)| (s.id.clone(), c.text.clone()))
        .unwrap();
    assert!(
        text.contains(&format!("\n     Meets reflect.guess: {guess}\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "First tries: {} rated 5, {} rated 9.",
            day(9),
            day(5)
        )),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no escape sequences in plain mode");

    // An unknown card: one line that says what to do, exit 1.
    let out = run(&sb, &deck_args(&dir, &["--plain", "no-such-card"]), b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("has no card \"no-such-card\"; `repair deck --plain` lists every card"),
        "{}",
        out.describe()
    );
    assert!(out.stdout().is_empty());
}

#[test]
fn json_for_scripts_keeps_every_schedule_field_even_when_never_practised() {
    let (sb, today) = sandbox_with_history();
    let dir = sb.data().display().to_string();
    let out = run(&sb, &deck_args(&dir, &["--json"]), b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let json: Value = serde_json::from_str(&out.stdout()).expect("JSON");
    assert_eq!(json["protocol"], "rupture-repair");
    assert_eq!(json["history_read"], true);
    assert_eq!(json["levels"]["withdrawal"], "intermediate");
    assert_eq!(json["levels"]["confrontation"], Value::Null);
    let cards = json["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 96);
    let quiet = &cards[0];
    assert_eq!(quiet["id"], "quiet-yes");
    let day = |d: i64| (today - Duration::days(d)).format("%Y-%m-%d").to_string();
    assert_eq!(quiet["last_practised"], json!(day(5)));
    assert_eq!(
        quiet["ratings"],
        json!([{"date": day(9), "rating": 5}, {"date": day(5), "rating": 9}])
    );
    assert_eq!(quiet["box"], 1);
    assert_eq!(quiet["due"], json!(day(4)));
    assert_eq!(quiet["due_today"], true);
    assert_eq!(quiet["models"][0]["meets"][0]["id"], "reflect.guess");
    assert!(quiet["models"][0]["meets"][0]["text"].is_string());
    // Never practised: the fields are there, null (due_today false).
    let new = &cards[2];
    for field in ["last_practised", "ratings", "box", "due"] {
        assert!(new.get(field).is_some_and(Value::is_null), "{field}: {new}");
    }
    assert_eq!(new["due_today"], false);

    // One card, and the filters said back.
    let out = run(
        &sb,
        &deck_args(&dir, &["--json", "--due", "whatever-you-think"]),
        b"",
    );
    let json: Value = serde_json::from_str(&out.stdout()).expect("JSON");
    assert_eq!(json["cards"].as_array().unwrap().len(), 1);
    assert_eq!(json["cards"][0]["due_today"], false);
    assert_eq!(json["filter"]["due"], true);
}

#[test]
fn the_full_screen_lists_opens_a_card_goes_back_and_leaves() {
    let (sb, _) = sandbox_with_history();
    let dir = sb.data().display().to_string();
    let mut pty = Pty::spawn_sized(&sb, &["--data-dir", &dir, "deck"], 80, 24);
    pty.wait_for_all(&["Deck · 96 cards", "▶ quiet-yes", "Enter open"], &[]);
    assert!(pty.alternate_screen(), "{}", pty.dump());
    // d: only the card due today.
    pty.send("d");
    pty.wait_for_text("Deck · 1 of 96 · due today");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["quiet-yes · withdrawal · beginner", "Esc list"], &[]);
    pty.send(keys::ESC);
    pty.wait_for_text("Deck · 1 of 96 · due today");
    // Esc clears the filters, then leaves.
    pty.send(keys::ESC);
    pty.wait_for_text("Deck · 96 cards");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());
    assert!(!pty.alternate_screen(), "{}", pty.dump());

    // A card named on the command line opens in full; Esc goes to the list.
    let mut pty = Pty::spawn_sized(
        &sb,
        &["--data-dir", &dir, "deck", "whatever-you-think"],
        80,
        24,
    );
    pty.wait_for_text("whatever-you-think · withdrawal · beginner");
    pty.send(keys::ESC);
    pty.wait_for_text("▶ whatever-you-think");
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());
}

const PASS: &str = "a calm harbour 7";

#[test]
fn encrypted_notes_declined_show_the_deck_without_history_and_say_so() {
    let (sb, _) = sandbox_with_history();
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "notes",
            "encrypt",
        ],
        twice.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());

    // The full screen asks in its box; Esc declines; the deck opens anyway.
    let mut pty = Pty::spawn_sized(&sb, &["--data-dir", &dir, "deck"], 80, 24);
    pty.wait_for_text("Passphrase for your notes:");
    pty.send(keys::ESC);
    pty.wait_for_all(
        &["Deck · 96 cards", "No practice history shown"],
        &["Passphrase"],
    );
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());

    // Plain mode on a terminal: Ctrl-D at the masked line declines too.
    let plain = [
        "--data-dir",
        &dir,
        "deck",
        "--plain",
        "--kind",
        "withdrawal",
        "--level",
        "beginner",
    ];
    let mut pty = Pty::spawn_sized(&sb, &plain, 200, 60);
    pty.wait_for_text("Passphrase for your notes:");
    pty.send("\x04");
    pty.wait_for_all(
        &[
            "shown without your practice history",
            "Practice history not shown: your notes are encrypted",
            "quiet-yes: withdrawal, beginner; tags therapist-error.",
        ],
        &[],
    );
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());

    // Given, the history is read through the seal.
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "deck",
            "--plain",
            "--due",
        ],
        format!("{PASS}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("1 of 96 cards (due today)"),
        "{}",
        out.describe()
    );
}

/// A card the drill's window has not seen says which window that is: the
/// one `repair drill` reads, so the two never disagree.
#[test]
fn a_card_not_drilled_names_the_window_the_drill_reads() {
    let deck = deck_of(today());
    let i = deck.find("anyway-the-rain").expect("a built-in card");
    let window = repair_practice::commands::drill::DUE_WINDOW_DAYS;
    assert!(
        deck.full(i)
            .iter()
            .any(|(_, text)| text.contains(&format!("in the last {window} days"))),
        "{:?}",
        deck.full(i)
    );
}

/// A card whose id is `print` is named after `--`: `repair deck print`
/// prints the deck, `repair deck -- print` shows that card.
#[test]
fn a_card_called_print_is_named_after_two_dashes() {
    let sb = Sandbox::new();
    let first = protocol::builtin().scenarios[0].id.clone();
    let text = protocol::BUILTIN_TEXT.replacen(&format!("id = \"{first}\""), "id = \"print\"", 1);
    let file = sb.write("print-card.toml", text);
    // The deck is the protocol's the settings name (deck has no --protocol).
    sb.write_settings(&format!("protocol = {:?}\n", file.display().to_string()));
    let dir = sb.data().display().to_string();
    let shown = run(
        &sb,
        &["--data-dir", &dir, "deck", "--plain", "--", "print"],
        b"",
    );
    assert_eq!(shown.code(), Some(0), "{}", shown.describe());
    assert!(shown.stdout().contains("print"), "{}", shown.describe());
    let client = &protocol::builtin().scenarios[0].client;
    let first_line = client.lines().next().unwrap_or_default();
    assert!(shown.stdout().contains(first_line), "{}", shown.describe());
    // Without `--` the word is the command that prints the deck, which asks
    // where to write it.
    let printed = run(&sb, &["--data-dir", &dir, "deck", "print"], b"");
    assert_eq!(printed.code(), Some(2), "{}", printed.describe());
    assert!(
        printed.stderr().contains("--output"),
        "{}",
        printed.describe()
    );
}
