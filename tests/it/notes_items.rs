//! What the notes side says, through the real binary: saving off by
//! setting, misplaced flags, the manual, plurals and columns.

use crate::common;

use common::{Sandbox, run};

const OFF: &str = "Nothing was saved: saving is off (--no-save or save = false in the settings).";

/// With `save = false` it said "(--no-save)", and plain mode
/// offered "Open as a follow-up" for a session that was not kept.
#[test]
fn with_save_off_in_the_settings_nothing_is_offered_for_later() {
    let sb = Sandbox::new();
    sb.write_settings("save = false\n");
    let dir = sb.data().display().to_string();
    let out = run(
        &sb,
        &["--data-dir", &dir, "--scan-seconds", "1", "--plain"],
        "\nscan\n.\nreflect\n.\n.\n.\n.\nthe end".as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains(OFF), "{}", out.describe());
    assert!(
        !out.stdout().contains("Open as a follow-up"),
        "{}",
        out.describe()
    );
    assert!(!sb.data().exists());
}

/// `repair --scan-seconds 5 prep` is `repair prep --scan-seconds 5`; given
/// with a flag prep does not have, each is said where it goes.
#[test]
fn a_flag_before_the_command_says_where_it_goes() {
    let sb = Sandbox::new();
    let out = run(&sb, &["--scan-seconds", "5", "prep", "--no-save"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    // prep has its own --resume now; --focus is the walk's alone.
    let out = run(&sb, &["--scan-seconds", "5", "--focus", "prep"], b"");
    assert_eq!(out.code(), Some(2), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("--scan-seconds goes after the command: `repair prep --scan-seconds 5`"),
        "{}",
        out.describe()
    );
    let out = run(&sb, &["--step", "scan", "notes"], b"");
    assert!(
        out.stderr()
            .contains("--step goes with `repair` or `repair practice` only"),
        "{}",
        out.describe()
    );
}

/// "1 sessions", "1 weeks", "1 follow-ups", and step columns that
/// did not line up in `notes stats`.
#[test]
fn stats_say_one_session_and_line_up() {
    let sb = Sandbox::new();
    let dir = sb.data().display().to_string();
    let walked = run(
        &sb,
        &["--data-dir", &dir, "--scan-seconds", "1", "--plain"],
        "\nscan\n.\nreflect\n.\n.\n.\n.\n.".as_bytes(),
    );
    assert_eq!(walked.code(), Some(0), "{}", walked.describe());
    let out = run(&sb, &["--data-dir", &dir, "notes", "stats"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let text = out.stdout();
    assert!(!text.contains("1 sessions"), "{text}");
    assert!(!text.contains("1 weeks"), "{text}");
    assert!(!text.contains("1 follow-ups"), "{text}");
    // Every step line puts its title in the same column.
    let steps: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Steps"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(steps.len() >= 6, "{text}");
    let column = |l: &str| l.find(|c: char| c.is_alphabetic()).unwrap();
    assert!(
        steps.iter().all(|l| column(l) == column(steps[0])),
        "{steps:#?}"
    );
}

/// `repair man` referred to pages that do not exist. The one page
/// documents every command, and the keys, environment, files and exit status.
#[test]
fn the_manual_is_one_page_that_documents_everything() {
    let sb = Sandbox::new();
    let out = run(&sb, &["man"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    // roff writes a hyphen as `\-`.
    let page = out.stdout().replace("\\-", "-");
    for section in [
        ".SH KEYS",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    for command in [
        "practice",
        "prep",
        "rehearse",
        "notes",
        "follow-up",
        "protocols",
        "validate",
        "completions",
        "man",
        "passphrase",
        "encrypt",
        "decrypt",
        "export",
        "stats",
    ] {
        assert!(page.contains(command), "{command} missing");
    }
    // NO_COLOR as the settings resolve it: it beats the theme setting,
    // and only `--color always` beats it (the page had it the other way).
    assert!(
        page.contains("whatever the theme setting says, unless \\fB--color always\\fR"),
        "{page}"
    );
    assert!(
        !page.contains("or a theme setting says otherwise"),
        "{page}"
    );
    assert!(
        !page.contains("repair-practice(1)") && !page.contains("repair-notes(1)"),
        "no page it refers to may be missing"
    );
}

/// The guide's table of browser keys is checked against the
/// browser's own key tables, so the two cannot drift.
#[test]
fn the_readme_names_every_key_of_the_browser() {
    use repair_practice::tui::history::model::{FILTER, LIST, READING, help_rows};
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md")).unwrap();
    let start = readme.find("### The history browser").unwrap();
    let section = &readme[start..start + readme[start..].find("\n### ").unwrap()];
    for table in [LIST, FILTER, READING] {
        for row in help_rows(table) {
            for key in row.label.split(' ') {
                assert!(
                    section.contains(key),
                    "the guide's browser keys lack {key} ({})",
                    row.help
                );
            }
        }
    }
}
