//! A session dated in the future (saved while the clock was ahead): shown
//! as such in `notes list`, and it does not steer the drill's schedule.

use crate::common;

use common::{Sandbox, dir_of, run};

fn fixture() -> String {
    format!(
        "{}/tests/fixtures/drill-protocol.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A saved drill `days` days from now (negative: in the past), first
/// attempts at these cards with (rating, criteria met, missed), each
/// leaving the next withdrawal card at `next_level`.
fn drill_on(days: i64, cards: &[(&str, u8, usize, usize)], next_level: &str) -> serde_json::Value {
    let at = chrono::Local::now().fixed_offset() + chrono::Duration::days(days);
    let records: Vec<serde_json::Value> = cards
        .iter()
        .enumerate()
        .map(|(i, (card, rating, met, missed))| {
            serde_json::json!({
                "number": i + 1,
                "card": card,
                "kind": "withdrawal",
                "level": "beginner",
                "attempt": 1,
                "rating": rating,
                "criteria_met": vec!["met"; *met],
                "criteria_missed": vec!["missed"; *missed],
                "marker_guess": null,
                "marker_right": false,
                "respond_seconds": 20,
                "next_level": next_level,
            })
        })
        .collect();
    serde_json::json!({
        "id": format!("{}-090000-00aa", at.format("%Y%m%d")),
        "mode": "drill",
        "protocol": "drill-fixture",
        "protocol_title": "Drill fixture",
        "drill": null,
        "started_at": at.to_rfc3339(),
        "finished_at": at.to_rfc3339(),
        "complete": true,
        "steps": [],
        "drill_cards": records,
    })
}

#[test]
fn notes_list_marks_a_session_dated_in_the_future() {
    let sb = Sandbox::new();
    let ahead = drill_on(365, &[("quiet-yes", 2, 3, 0)], "beginner");
    let past = drill_on(-2, &[("quiet-yes", 5, 3, 0)], "beginner");
    sb.put_sessions(&[ahead.clone(), past.clone()]);
    let dir = dir_of(&sb);
    let out = run(&sb, &["--data-dir", &dir, "notes", "list"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let line_of = |id: &serde_json::Value| {
        let id = id["id"].as_str().unwrap().to_string();
        stdout
            .lines()
            .find(|l| l.starts_with(&id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{stdout}"))
            .to_string()
    };
    assert!(
        line_of(&ahead).ends_with("  (dated in the future)"),
        "{stdout}"
    );
    assert!(!line_of(&past).contains("future"), "{stdout}");
}

#[test]
fn a_card_rated_in_a_future_dated_drill_is_due_now() {
    let sb = Sandbox::new();
    // Rated easy with every criterion met, a year ahead: box 3, which would
    // not be due for a year and a week.
    sb.put_sessions(&[drill_on(365, &[("quiet-yes", 1, 3, 0)], "beginner")]);
    let dir = dir_of(&sb);
    let protocol = fixture();
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "drill",
            "--plain",
            "--protocol",
            &protocol,
            "--scan-seconds",
            "1",
            "--respond-seconds",
            "0",
            "--cards",
            "1",
            "--seed",
            "1",
        ],
        b"\n\n\n\n\n\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(stdout.contains("Card 1 of 1 (due)"), "{stdout}");
    assert!(
        stdout.contains("Card 1 try 1: “Yeah. I guess. It's fine.”"),
        "{stdout}"
    );
}
