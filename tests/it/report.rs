//! `repair report` and `repair deck print` through the real binary on a
//! temporary data directory (pipes), and the report's Markdown and JSON
//! against golden files made from a fixed history and a fixed protocol
//! (`REPORT_GOLDEN_WRITE=1` writes them again; review the diff).
//!
//! HTML is checked with a strict XML parser: well-formed, no script, no
//! link or address of any kind, every chart with a title, a description, a
//! caption and a table of its numbers.

use crate::common;

use std::fs;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use common::{Sandbox, assert_mode, run};
use repair_practice::journal::Session;
use repair_practice::report::{Range, Report, markdown, sample};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A made-up history ending today, written into the sandbox's data dir.
fn with_history(sb: &Sandbox, days: i64) -> Vec<Session> {
    let protocol = repair_practice::protocol::builtin();
    let sessions = sample::history(&protocol, today() - Duration::days(days), today());
    let values: Vec<serde_json::Value> = sessions
        .iter()
        .map(|s| serde_json::to_value(s).expect("a session serialises"))
        .collect();
    sb.put_sessions(&values);
    sessions
}

/// Parses `page` strictly and checks what every report and deck page must
/// be; returns the parsed text for further checks.
fn check_page(page: &str) {
    let doc = roxmltree::Document::parse_with_options(
        page,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed: {e}"));
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            ![
                "script", "link", "iframe", "img", "object", "embed", "a", "base"
            ]
            .contains(&name),
            "a <{name}> element"
        );
        for attr in node.attributes() {
            let a = attr.name().to_ascii_lowercase();
            assert!(
                !a.starts_with("on") && a != "src" && a != "href",
                "an {a} attribute on <{name}>"
            );
        }
    }
    let lower = page.to_ascii_lowercase();
    for address in [
        "http:",
        "https:",
        "url(//",
        "@import",
        "file:",
        "javascript:",
    ] {
        assert!(!lower.contains(address), "{address} in the page");
    }
    for svg in doc.descendants().filter(|n| n.has_tag_name("svg")) {
        let children: Vec<&str> = svg
            .children()
            .filter(|c| c.is_element())
            .map(|c| c.tag_name().name())
            .collect();
        assert!(
            children.starts_with(&["title", "desc"]),
            "a chart without its title and description: {children:?}"
        );
        let figure = svg.parent().expect("a chart sits in a figure");
        assert!(figure.has_tag_name("figure"));
        assert!(
            figure
                .children()
                .any(|c| c.has_tag_name("figcaption") && !c.text().unwrap_or("").is_empty()),
            "a chart without its sentence"
        );
        let next = figure
            .next_siblings()
            .skip(1)
            .find(|n| n.is_element())
            .expect("something after the chart");
        assert!(
            next.has_tag_name("table"),
            "a chart not followed by its table"
        );
    }
}

#[test]
fn the_html_report_is_one_well_formed_self_contained_file_with_text_for_every_chart() {
    let sb = Sandbox::new();
    with_history(&sb, 120);
    let out = run(&sb, &["report"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let name = format!("repair-report-{}.html", today().format("%Y-%m-%d"));
    let path = sb.path().join(&name);
    assert!(
        out.stderr().contains("Wrote the report"),
        "{}",
        out.describe()
    );
    assert!(out.stdout().is_empty(), "HTML went to the terminal");
    let page = fs::read_to_string(&path).expect("the report file");
    assert_mode(&path, 0o600);
    check_page(&page);
    assert_eq!(
        page.matches("<svg").count(),
        3,
        "practice, by kind, by step"
    );
    assert!(page.contains("@media print"));
    assert!(page.contains("Recognising the marker"));
    assert!(
        !page.contains("Noticed my shoulders"),
        "notes without --include-notes"
    );

    // A second report the same day takes a free name; the first is kept.
    let again = run(&sb, &["report"], b"");
    assert_eq!(again.code(), Some(0), "{}", again.describe());
    let second = sb.path().join(format!(
        "repair-report-{}-2.html",
        today().format("%Y-%m-%d")
    ));
    assert!(second.exists(), "{}", again.describe());
    assert_eq!(fs::read_to_string(&path).expect("first"), page);
}

#[test]
fn an_existing_file_is_never_replaced_without_force() {
    let sb = Sandbox::new();
    with_history(&sb, 30);
    let target = sb.path().join("mine.html");
    fs::write(&target, "keep me").expect("write");
    let out = run(&sb, &["report", "-o", "mine.html"], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("already exists"),
        "{}",
        out.describe()
    );
    assert_eq!(fs::read_to_string(&target).expect("read"), "keep me");
    let out = run(&sb, &["report", "-o", "mine.html", "--force"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    check_page(&fs::read_to_string(&target).expect("read"));
}

#[test]
fn markdown_and_json_go_to_stdout_and_notes_only_when_asked() {
    let sb = Sandbox::new();
    let sessions = with_history(&sb, 60);
    let md = run(&sb, &["report", "--format", "md", "--since", "2w"], b"");
    assert_eq!(md.code(), Some(0), "{}", md.describe());
    assert!(
        md.stdout().starts_with("# Practice report"),
        "{}",
        md.stdout()
    );
    assert!(!md.stdout().contains("Noticed my shoulders"));

    let with = run(
        &sb,
        &[
            "report",
            "--format",
            "md",
            "--since",
            "2w",
            "--include-notes",
        ],
        b"",
    );
    assert_eq!(with.code(), Some(0), "{}", with.describe());
    assert!(
        with.stdout()
            .starts_with("**This report includes the text of your notes"),
        "{}",
        with.stdout()
    );
    assert!(with.stdout().contains("Noticed my shoulders"));

    let json = run(&sb, &["report", "--format", "json", "--since", "2w"], b"");
    assert_eq!(json.code(), Some(0), "{}", json.describe());
    let value: serde_json::Value = serde_json::from_str(&json.stdout()).expect("JSON");
    let range = Range {
        from: today() - Duration::days(13),
        to: today(),
    };
    let inside = sessions
        .iter()
        .filter(|s| range.holds(s.started_at.date_naive()))
        .count();
    assert_eq!(value["totals"]["sessions"], inside);
    assert_eq!(value["from"], range.from.to_string());
    assert_eq!(value["include_notes"], false);
    for field in [
        "practice",
        "difficulty_by_kind",
        "difficulty_by_step",
        "kinds",
        "markers",
        "recognition_by_month",
        "criteria_missed",
        "hardest_cards",
        "follow_ups_waiting",
    ] {
        assert!(value[field].is_array(), "{field} missing");
    }
}

#[test]
fn a_fresh_data_directory_gives_a_whole_empty_report() {
    let sb = Sandbox::new();
    let out = run(&sb, &["report", "--format", "md"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("0 sessions in all"),
        "{}",
        out.stdout()
    );
    let page = run(&sb, &["report", "-o", "empty.html"], b"");
    assert_eq!(page.code(), Some(0), "{}", page.describe());
    check_page(&fs::read_to_string(sb.path().join("empty.html")).expect("read"));
}

#[test]
fn a_range_the_wrong_way_round_or_a_bad_length_is_said_in_one_line() {
    let sb = Sandbox::new();
    let out = run(
        &sb,
        &["report", "--from", "2026-11-10", "--to", "2026-11-01"],
        b"",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert_eq!(out.stderr().lines().count(), 1, "{}", out.describe());
    assert!(
        out.stderr()
            .contains("--from (2026-11-10) is after --to (2026-11-01)")
    );
    let out = run(&sb, &["report", "--since", "4x"], b"");
    assert_eq!(out.code(), Some(2), "{}", out.describe());
    assert!(out.stderr().contains("like 4w"), "{}", out.describe());
    assert!(
        !sb.path()
            .join(format!("repair-report-{}.html", today()))
            .exists()
    );
}

#[test]
fn with_encrypted_notes_the_report_asks_for_the_passphrase_and_says_its_file_is_plaintext() {
    let sb = Sandbox::new();
    with_history(&sb, 20);
    let dir = sb.data().display().to_string();
    let pass = "correct horse battery staple";
    let twice = format!("{pass}\n{pass}\n");
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
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "report",
            "--format",
            "json",
            "-o",
            "r.json",
        ],
        format!("{pass}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stderr().contains("plaintext"), "{}", out.describe());
    let value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(sb.path().join("r.json")).expect("read"))
            .expect("JSON");
    assert!(value["totals"]["sessions"].as_u64().unwrap_or(0) > 0);
}

/// The fixed history and protocol the golden files are made from.
fn fixed_report(include_notes: bool) -> Report {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drill-protocol.toml"),
    )
    .expect("the fixture protocol");
    let protocol =
        repair_practice::protocol::parse(&text, "drill-protocol.toml").expect("it parses");
    let sessions = sample::history(&protocol, day("2026-08-03"), day("2026-11-29"));
    Report::compute(
        &sessions,
        Range {
            from: day("2026-10-05"),
            to: day("2026-11-29"),
        },
        &protocol,
        include_notes,
        day("2026-11-30"),
    )
}

fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name);
    if std::env::var_os("REPORT_GOLDEN_WRITE").is_some() {
        fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        fs::write(&path, text).expect("write the golden file");
    }
    let expected = fs::read_to_string(&path).expect("the golden file");
    assert_eq!(
        text, expected,
        "{name} changed; review it and write it again"
    );
}

#[test]
fn markdown_matches_its_golden_file() {
    golden("report.md", &markdown::render(&fixed_report(false)));
}

#[test]
fn json_matches_its_golden_file() {
    golden("report.json", &fixed_report(false).to_json());
}

#[test]
fn the_html_of_the_fixed_history_is_well_formed() {
    check_page(&repair_practice::report::html::render(&fixed_report(true)));
}

#[test]
fn deck_print_makes_every_slip_of_the_chosen_cards() {
    let sb = Sandbox::new();
    let out = run(&sb, &["deck", "print", "-o", "deck.html"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let path = sb.path().join("deck.html");
    assert_mode(&path, 0o600);
    let page = fs::read_to_string(&path).expect("read");
    check_page(&page);
    let protocol = repair_practice::protocol::builtin();
    let cards = protocol.scenarios.len();
    assert_eq!(page.matches("Role-player's slip").count(), cards);
    assert_eq!(page.matches("Therapist's card").count(), cards);
    assert_eq!(page.matches("Observer's sheet").count(), 2 * cards);
    assert!(
        out.stderr().contains(&format!("Wrote {cards} cards")),
        "{}",
        out.describe()
    );
    // The therapist's card never shows the direction.
    let card = &protocol.scenarios[0];
    let direction = card
        .direction
        .as_deref()
        .expect("the first card has a direction");
    let escaped = repair_practice::report::html::escape(direction);
    assert_eq!(page.matches(escaped.as_str()).count(), 1);

    let out = run(
        &sb,
        &[
            "deck",
            "print",
            "--kind",
            "withdrawal",
            "--level",
            "beginner",
            "--step",
            "validate",
            "-o",
            "some.html",
        ],
        b"",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let some = fs::read_to_string(sb.path().join("some.html")).expect("read");
    check_page(&some);
    let chosen = protocol
        .scenarios
        .iter()
        .filter(|c| c.kind.as_str() == "withdrawal" && c.level.as_str() == "beginner")
        .count();
    assert!(chosen > 0 && chosen < cards);
    assert_eq!(some.matches("Role-player's slip").count(), chosen);
    let validate = protocol.step("validate").expect("a validate step");
    for criterion in &validate.criteria {
        let c = repair_practice::report::html::escape(&criterion.text);
        assert_eq!(
            some.matches(c.as_str()).count(),
            2 * chosen,
            "{}",
            criterion.text
        );
    }
    let reflect = protocol.step("reflect").expect("a reflect step");
    assert!(!some.contains(&repair_practice::report::html::escape(
        &reflect.criteria[0].text
    )));
}

#[test]
fn deck_print_says_what_is_wrong_in_one_line_and_writes_nothing() {
    let sb = Sandbox::new();
    let out = run(
        &sb,
        &["deck", "print", "--step", "nope", "-o", "d.html"],
        b"",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("has no step 'nope'"),
        "{}",
        out.describe()
    );
    assert_eq!(out.stderr().lines().count(), 1);
    assert!(!sb.path().join("d.html").exists());
    fs::write(sb.path().join("d.html"), "mine").expect("write");
    let out = run(&sb, &["deck", "print", "-o", "d.html"], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert_eq!(
        fs::read_to_string(sb.path().join("d.html")).expect("read"),
        "mine"
    );
    let out = run(&sb, &["deck", "print"], b"");
    assert_eq!(out.code(), Some(2), "-o is required: {}", out.describe());
}
