//! `repair prep` full screen without a terminal: the keys against the model
//!, snapshots of every screen at 40x12, 80x24,
//! 120x40 and 200x60, and property tests over random keys and
//! window sizes (nothing panics, nothing chosen is lost, a saved prep
//! round-trips through the store). Time is passed in, never waited for.

use std::time::{Duration, Instant};

use chrono::DateTime;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::Store;
use repair_practice::practice::prep::{Prep, Stage, offered};
use repair_practice::protocol::builtin;
use repair_practice::tui::keys::{self, Hint};
use repair_practice::tui::mode::Model;
use repair_practice::tui::prep::{Cmd, KEYS, Overlay, PrepApp, PrepEffect};
use repair_practice::tui::theme::Theme;

use crate::screens::{ctrl, drawn, key, text};

fn prep_with(seconds: Option<u32>) -> PrepApp {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    PrepApp::new(Prep::new(
        builtin(),
        seconds,
        "20261124-090000-abcd".into(),
        started,
    ))
}

fn prep() -> PrepApp {
    prep_with(None)
}

fn type_text(app: &mut PrepApp, text: &str, now: Instant) {
    for c in text.chars() {
        app.key(key(KeyCode::Char(c)), now);
    }
}

/// Drawn as the program draws it: what the view measured is kept.
fn draw(app: &mut PrepApp, w: u16, h: u16, now: Instant) -> Terminal<TestBackend> {
    drawn(w, h, |f| app.draw(f, &Theme::monochrome(), now))
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    text(t.backend().buffer())
}

// ---------------------------------------------------------------------------
// Tab means next and keeps what was chosen
// ---------------------------------------------------------------------------

#[test]
fn a_stem_taken_then_back_and_tab_forward_stays_on_the_card() {
    let t0 = Instant::now();
    let mut app = prep();
    app.key(key(KeyCode::Tab), t0); // skip the scan
    app.key(key(KeyCode::Enter), t0); // take the first stem
    assert_eq!(*app.prep.stage(), Stage::Words(1));
    app.key(key(KeyCode::BackTab), t0);
    assert_eq!(*app.prep.stage(), Stage::Words(0));
    for _ in 0..6 {
        app.key(key(KeyCode::Tab), t0);
    }
    assert_eq!(*app.prep.stage(), Stage::Intention);
    app.key(key(KeyCode::Enter), t0);
    assert_eq!(*app.prep.stage(), Stage::Card);
    assert_eq!(
        app.prep.card(),
        [("Pause and scan inward", "Let your feet find the floor.")],
        "the scan is inner: its first cue, not a stem said aloud"
    );
    let text = screen_text(&draw(&mut app, 80, 24, t0));
    assert!(!text.contains("No words chosen"), "{text}");
    assert!(text.contains("Let your feet find the floor."), "{text}");
    assert!(!text.contains("Can we slow down"), "{text}");
}

#[test]
fn own_words_typed_are_kept_by_tab_and_shift_tab() {
    let t0 = Instant::now();
    let mut app = prep();
    app.key(key(KeyCode::Tab), t0);
    type_text(&mut app, "Let me slow down.", t0);
    app.key(key(KeyCode::Tab), t0);
    type_text(&mut app, "Did I get that right?", t0);
    app.key(key(KeyCode::BackTab), t0);
    assert_eq!(app.own, "Let me slow down.", "the field shows the words");
    assert_eq!(app.prep.words_at(0), Some("Let me slow down."));
    assert_eq!(app.prep.words_at(1), Some("Did I get that right?"));
}

#[test]
fn only_ctrl_d_leaves_a_chosen_step_empty() {
    let t0 = Instant::now();
    let mut app = prep();
    app.key(key(KeyCode::Tab), t0);
    app.key(key(KeyCode::Enter), t0);
    app.key(key(KeyCode::BackTab), t0);
    // Moving the selection (past the scan's six cues, to the own words) and
    // backspacing in the empty field change nothing.
    for _ in 0..6 {
        app.key(key(KeyCode::Down), t0);
    }
    app.key(key(KeyCode::Backspace), t0);
    app.key(key(KeyCode::Enter), t0); // empty own words: next, keeping
    app.key(key(KeyCode::BackTab), t0);
    assert_eq!(app.chosen(), Some("Let your feet find the floor."));
    app.key(ctrl('d'), t0);
    assert_eq!(app.chosen(), None);
    assert_eq!(app.prep.words_at(0), Some(""));
}

#[test]
fn the_intention_survives_going_back_from_the_card() {
    let t0 = Instant::now();
    let mut app = prep();
    app.key(key(KeyCode::Tab), t0);
    for _ in 0..6 {
        app.key(key(KeyCode::Tab), t0);
    }
    type_text(&mut app, "Go slowly.", t0);
    app.key(key(KeyCode::BackTab), t0); // to the last step, intention kept
    app.key(key(KeyCode::Tab), t0);
    assert_eq!(app.intention, "Go slowly.");
    app.key(key(KeyCode::Enter), t0);
    app.key(key(KeyCode::BackTab), t0);
    assert_eq!(*app.prep.stage(), Stage::Intention);
    assert_eq!(app.intention, "Go slowly.");
}

// ---------------------------------------------------------------------------
// An empty prep keeps nothing
// ---------------------------------------------------------------------------

#[test]
fn a_prep_with_nothing_chosen_and_no_scan_is_empty() {
    let t0 = Instant::now();
    let mut app = prep();
    app.key(key(KeyCode::Tab), t0);
    for _ in 0..7 {
        app.key(key(KeyCode::Tab), t0);
    }
    assert_eq!(*app.prep.stage(), Stage::Card);
    assert!(app.prep.is_empty());
    let mut scanned = prep();
    scanned.key(key(KeyCode::Enter), t0);
    scanned.key(key(KeyCode::Enter), t0 + Duration::from_secs(3));
    assert!(!scanned.prep.is_empty(), "a scan taken is kept");
}

// ---------------------------------------------------------------------------
// Keys, footer and F1 from one table
// ---------------------------------------------------------------------------

/// One app in each state a user can reach, with a name.
fn every_state() -> Vec<(&'static str, PrepApp, Instant)> {
    let t0 = Instant::now();
    let mut out = Vec::new();
    let mut app = prep();
    out.push(("offer", app.clone(), t0));
    app.key(key(KeyCode::Enter), t0);
    out.push(("scan", app.clone(), t0 + Duration::from_secs(100)));
    let mut held = app.clone();
    held.key(key(KeyCode::Char(' ')), t0 + Duration::from_secs(100));
    out.push(("scan_held", held, t0 + Duration::from_secs(100)));
    app.key(key(KeyCode::Enter), t0 + Duration::from_secs(100));
    out.push(("words_first", app.clone(), t0));
    app.key(key(KeyCode::Down), t0);
    app.key(key(KeyCode::Enter), t0);
    type_text(
        &mut app,
        "I think I may have rushed past something important there.",
        t0,
    );
    out.push(("words_typing", app.clone(), t0));
    app.key(key(KeyCode::Enter), t0);
    app.key(key(KeyCode::BackTab), t0);
    out.push(("words_chosen", app.clone(), t0));
    for _ in 0..5 {
        app.key(key(KeyCode::Tab), t0);
    }
    type_text(
        &mut app,
        "Go slowly; stay curious about what just happened.",
        t0,
    );
    out.push(("intention", app.clone(), t0));
    app.key(key(KeyCode::Enter), t0);
    out.push(("card", app.clone(), t0));
    let mut help = out[0].1.clone();
    help.key(key(KeyCode::F(1)), t0);
    out.push(("help_offer", help, t0));
    let mut help = out[5].1.clone();
    help.key(key(KeyCode::F(1)), t0);
    out.push(("help_words", help, t0));
    let mut help = out[7].1.clone();
    help.key(key(KeyCode::F(1)), t0);
    out.push(("help_card", help, t0));
    let mut about = out[0].1.clone();
    about.key(key(KeyCode::Char('i')), t0);
    out.push(("about", about, t0));
    out
}

#[test]
fn every_key_the_footer_offers_does_what_it_says() {
    for (name, app, _) in every_state() {
        for binding in KEYS {
            if !matches!(app.hint(binding.command), Hint::Shown(_)) {
                continue;
            }
            if binding.keys.is_empty() {
                assert_eq!(binding.command, Cmd::Type, "{name}: a keyless row");
                continue;
            }
            // Each key of a shown row reaches that row's command here, not
            // an earlier row's.
            for k in binding.keys {
                let event = KeyEvent::new(k.code, k.mods);
                assert_eq!(
                    keys::lookup(KEYS, &event, |c| app.hint(c)),
                    Some(binding.command),
                    "{name}: {} is offered for {:?}",
                    binding.label,
                    binding.command
                );
            }
        }
    }
}

#[test]
fn f1_opens_help_everywhere_and_lists_every_live_key() {
    for (name, app, now) in every_state() {
        if app.overlay.is_some() {
            continue;
        }
        let live = app.live_keys();
        let mut open = app.clone();
        open.key(key(KeyCode::F(1)), now);
        assert_eq!(open.overlay, Some(Overlay::Help), "{name}: F1 opens help");
        let text = screen_text(&draw(&mut open, 120, 40, now));
        for b in &live {
            assert!(
                text.contains(b.help),
                "{name}: F1 does not list {} ({})\n{text}",
                b.label,
                b.help
            );
        }
        // Any key closes it and does nothing else.
        let stage = open.prep.stage().clone();
        open.key(key(KeyCode::Enter), now);
        assert_eq!(open.overlay, None);
        assert_eq!(*open.prep.stage(), stage, "{name}: the closing key acts");
    }
}

#[test]
fn the_footer_uses_one_notation() {
    for (name, mut app, now) in every_state() {
        for (w, h) in [(40, 12), (80, 24)] {
            let text = screen_text(&draw(&mut app, w, h, now));
            let footer = text.lines().nth(usize::from(h) - 1).unwrap();
            for old in ["^S", "S-Tab", "^Q", "Return"] {
                assert!(!footer.contains(old), "{name} {w}x{h}: {footer}");
            }
        }
    }
}

#[test]
fn the_readme_lists_every_prep_key_from_the_table() {
    let readme = include_str!("../../docs/guide.md");
    let start = readme
        .find("<!-- prep-keys")
        .expect("the prep keys table in docs/guide.md");
    let end = readme[start..]
        .find("<!-- /prep-keys -->")
        .expect("its end")
        + start;
    let table = &readme[start..end];
    for b in KEYS {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", b.label)))
            .unwrap_or_else(|| panic!("docs/guide.md has no prep row for {}", b.label));
        assert!(
            row.contains(b.help),
            "docs/guide.md's {} row does not say {:?}: {row}",
            b.label,
            b.help
        );
    }
}

// ---------------------------------------------------------------------------
// Snapshots at four sizes (each looked at before it was accepted)
// ---------------------------------------------------------------------------

#[test]
fn snapshots_of_every_prep_screen() {
    for (name, mut app, now) in every_state() {
        for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 60)] {
            let t = draw(&mut app, w, h, now);
            insta::assert_snapshot!(format!("prep_{name}_{w}x{h}"), t.backend());
        }
    }
}

#[test]
fn text_stays_in_a_reading_column_centred_in_wide_windows() {
    for (name, mut app, now) in every_state() {
        if name == "scan" || name == "scan_held" {
            continue; // the big digits may use the width
        }
        let text = screen_text(&draw(&mut app, 200, 60, now));
        for line in text.lines() {
            let start = line.len() - line.trim_start().len();
            let used = line.trim().chars().count();
            if used == 0 {
                continue;
            }
            assert!(used <= 76, "{name}: a line {used} wide: {line:?}");
            assert!(start >= 60, "{name}: not centred: {line:?}");
        }
    }
}

#[test]
fn the_big_digits_are_centred() {
    let (_, mut app, now) = every_state().into_iter().nth(1).unwrap();
    for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 60)] {
        let text = screen_text(&draw(&mut app, w, h, now));
        let row = text
            .lines()
            .find(|l| l.contains('█'))
            .unwrap_or_else(|| panic!("{w}x{h}: no big digits\n{text}"));
        let chars: Vec<char> = row.chars().collect();
        let left = chars.iter().position(|&c| c == '█').unwrap();
        let right = chars.len() - 1 - chars.iter().rposition(|&c| c == '█').unwrap();
        assert!(
            left.abs_diff(right) <= 2,
            "{w}x{h}: digits off centre ({left} left, {right} right)\n{text}"
        );
    }
}

#[test]
fn the_pocket_card_keeps_its_indent_and_stays_off_its_border() {
    let (_, mut app, now) = every_state()
        .into_iter()
        .find(|(n, ..)| *n == "card")
        .unwrap();
    let text = screen_text(&draw(&mut app, 40, 24, now));
    for line in text.lines().filter(|l| l.contains('│')) {
        let inside: String = line.split('│').nth(1).unwrap_or_default().chars().collect();
        assert!(inside.starts_with(' '), "touches the left border: {line:?}");
        assert!(inside.ends_with(' '), "touches the right border: {line:?}");
    }
    // The words wrap under themselves, two columns in from the title.
    let body: Vec<&str> = text.lines().filter_map(|l| l.split('│').nth(1)).collect();
    let words = body
        .iter()
        .position(|l| l.contains("I think I may have"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(body[words].starts_with("   I think"), "{text}");
    assert!(
        body[words + 1].starts_with("   "),
        "wrapped line loses its indent:\n{text}"
    );
}

/// An intention longer than a short window keeps the line being typed in
/// view: it shows from the end, and Up goes back through what is above.
#[test]
fn a_long_intention_keeps_the_line_being_typed_in_view() {
    let (_, mut app, now) = every_state()
        .into_iter()
        .find(|(n, ..)| *n == "intention")
        .unwrap();
    type_text(
        &mut app,
        " And notice my own part in it, and say so, and then wait for them, however long it takes, and breathe, and listen again before speaking, and let the silence be.",
        now,
    );
    let end = screen_text(&draw(&mut app, 40, 12, now));
    assert!(end.contains("end · lines"), "{end}");
    assert!(end.contains("be.▏"), "{end}");
    assert_eq!(app.hint(Cmd::Scroll), Hint::shown("more"));
    app.key(key(KeyCode::Up), now);
    let up = screen_text(&draw(&mut app, 40, 12, now));
    assert!(up.contains("↓ more") && !up.contains("be.▏"), "{up}");
    // Down comes back to the end, the line being typed.
    app.key(key(KeyCode::Down), now);
    let back = screen_text(&draw(&mut app, 40, 12, now));
    assert!(back.contains("be.▏"), "{back}");
}

/// A card longer than a small window scrolls: ↓ reaches the intention at
/// its end, and the last row says where the card stands.
#[test]
fn a_card_too_long_for_the_window_scrolls_to_its_intention() {
    let (_, mut app, now) = every_state()
        .into_iter()
        .find(|(n, ..)| *n == "card")
        .unwrap();
    app.key(key(KeyCode::BackTab), now);
    type_text(
        &mut app,
        " And notice my own part in it, and say so, and then wait for them, however long it takes.",
        now,
    );
    app.key(key(KeyCode::Enter), now);
    let text = screen_text(&draw(&mut app, 40, 12, now));
    assert!(text.contains("↓ more"), "{text}");
    assert!(!text.contains("takes."), "{text}");
    assert_eq!(app.hint(Cmd::Scroll), Hint::shown("more"));
    let mut seen = text;
    for _ in 0..20 {
        app.key(key(KeyCode::Down), now);
        seen = screen_text(&draw(&mut app, 40, 12, now));
        if seen.contains("takes.") {
            break;
        }
    }
    assert!(seen.contains("takes."), "{seen}");
    assert!(seen.contains("↑ back"), "{seen}");
    app.key(key(KeyCode::Up), now);
    assert!(!screen_text(&draw(&mut app, 40, 12, now)).contains("↑ back"));
    // A window that holds it all shows it all, with nothing to scroll.
    let text = screen_text(&draw(&mut app, 80, 24, now));
    assert!(text.contains("takes.") && !text.contains("more"), "{text}");
    assert_eq!(app.hint(Cmd::Scroll), Hint::Off);
}

// ---------------------------------------------------------------------------
// Leaving asks first, as the walk does; an unfinished prep resumes
// ---------------------------------------------------------------------------

/// A prep with a stem taken on the first step, on the second.
fn with_a_choice(now: Instant) -> PrepApp {
    let mut app = prep();
    app.key(key(KeyCode::Tab), now); // skip the scan
    app.key(key(KeyCode::Enter), now); // take the first stem
    assert!(!app.prep.is_empty());
    app
}

#[test]
fn esc_with_something_chosen_asks_before_leaving() {
    let t0 = Instant::now();
    for leave in [key(KeyCode::Esc), ctrl('c'), ctrl('q')] {
        let mut app = with_a_choice(t0);
        assert_eq!(app.key(leave, t0), PrepEffect::None, "asks, does not leave");
        assert!(app.leaving);
        let shown = screen_text(&draw(&mut app, 80, 24, t0));
        for offered in [
            "Leave the prep?",
            "save as unfinished",
            "discard",
            "keep going",
        ] {
            assert!(shown.contains(offered), "{offered}:\n{shown}");
        }
        let footer = shown.lines().nth(23).unwrap();
        assert!(footer.contains("s save as unfinished"), "{footer}");
        // Keys that type elsewhere answer the question here, nothing else.
        let stage = app.prep.stage().clone();
        assert_eq!(app.key(key(KeyCode::Char('x')), t0), PrepEffect::None);
        assert_eq!(*app.prep.stage(), stage);
        assert!(app.own.is_empty(), "nothing typed under the question");
        // k, Esc and Enter keep going.
        for keep in [
            key(KeyCode::Char('k')),
            key(KeyCode::Esc),
            key(KeyCode::Enter),
        ] {
            app.leaving = true;
            assert_eq!(app.key(keep, t0), PrepEffect::None);
            assert!(!app.leaving);
            assert_eq!(*app.prep.stage(), stage, "keep going changes nothing");
        }
        app.key(key(KeyCode::Esc), t0);
        assert_eq!(app.key(key(KeyCode::Char('s')), t0), PrepEffect::Leave);
        let mut app = with_a_choice(t0);
        app.key(key(KeyCode::Esc), t0);
        assert_eq!(app.key(key(KeyCode::Char('d')), t0), PrepEffect::Discard);
    }
    // Mid-scan counts too: a scan begun is something to keep.
    let mut app = prep();
    app.key(key(KeyCode::Enter), t0);
    assert_eq!(
        app.key(key(KeyCode::Esc), t0 + Duration::from_secs(3)),
        PrepEffect::None
    );
    assert!(app.leaving);
    // Nothing chosen, no scan: Esc leaves at once.
    let mut app = prep();
    assert_eq!(app.key(key(KeyCode::Esc), t0), PrepEffect::Leave);
    // Saving off: the question offers no save.
    let mut app = with_a_choice(t0);
    app.keeps = false;
    app.key(key(KeyCode::Esc), t0);
    assert_eq!(app.hint(Cmd::SaveLeave), Hint::Off);
    assert_eq!(app.key(key(KeyCode::Char('s')), t0), PrepEffect::None);
    assert_eq!(app.hint(Cmd::Discard), Hint::shown("leave, let it go"));
}

#[test]
fn ctrl_r_on_the_first_screen_resumes_the_unfinished_prep_offered() {
    let t0 = Instant::now();
    let mut app = prep();
    assert_eq!(app.hint(Cmd::Resume), Hint::Off, "nothing offered");
    app.resume_offer = Some((
        "Unfinished prep from Tue 24 Nov · Ctrl-R resumes it".into(),
        "20261124-090000-beef".into(),
    ));
    let shown = screen_text(&draw(&mut app, 80, 24, t0));
    assert!(shown.contains("Ctrl-R resumes it"), "{shown}");
    assert!(
        shown.lines().nth(23).unwrap().contains("Ctrl-R resume"),
        "{shown}"
    );
    assert_eq!(app.clone().key(ctrl('r'), t0), PrepEffect::Resume);
    // Once the prep has begun the offer is gone.
    app.key(key(KeyCode::Enter), t0);
    assert_eq!(app.hint(Cmd::Resume), Hint::Off);
    assert_eq!(app.key(ctrl('r'), t0), PrepEffect::None);
    app.key(key(KeyCode::Enter), t0 + Duration::from_secs(1));
    assert!(!screen_text(&draw(&mut app, 80, 24, t0)).contains("Ctrl-R"));
}

/// What a resumed prep is built from: the session `app` would save now.
fn resumed_from(app: &PrepApp, now: Instant) -> PrepApp {
    let mut leaving = app.clone();
    leaving.commit_typing(now);
    let session = leaving.prep.session(now, None);
    let mut back = PrepApp::new(Prep::resume(builtin(), &session, Some(20)));
    back.resumed = true;
    back
}

#[test]
fn a_prep_saved_unfinished_resumes_where_it_stopped() {
    let t0 = Instant::now();
    let mut app = with_a_choice(t0);
    type_text(&mut app, "my own", t0);
    let back = resumed_from(&app, t0);
    assert_eq!(choices(&back), {
        let mut a = app.clone();
        a.commit_typing(t0);
        choices(&a)
    });
    assert_eq!(
        back.prep.stage(),
        &Stage::Words(1),
        "opens on the step showing"
    );
    assert_eq!(
        back.own, "my own",
        "the words typed are there to go on with"
    );
    // A resumed prep always asks before leaving (its session is on disk).
    let mut back = back;
    back.own.clear();
    back.key(key(KeyCode::Esc), t0);
    assert!(back.leaving);
}

// ---------------------------------------------------------------------------
// Property tests: random keys, random window sizes
// ---------------------------------------------------------------------------

fn any_key() -> impl Strategy<Value = KeyEvent> {
    prop_oneof![
        4 => Just(key(KeyCode::Tab)),
        3 => Just(key(KeyCode::BackTab)),
        4 => Just(key(KeyCode::Enter)),
        2 => Just(key(KeyCode::Up)),
        2 => Just(key(KeyCode::Down)),
        2 => Just(key(KeyCode::Backspace)),
        1 => Just(key(KeyCode::Delete)),
        1 => Just(ctrl('d')),
        1 => Just(key(KeyCode::F(1))),
        1 => Just(key(KeyCode::Char(' '))),
        1 => Just(key(KeyCode::Char('i'))),
        1 => Just(key(KeyCode::Char('q'))),
        4 => "[a-zA-Z .,'é]".prop_map(|s| key(KeyCode::Char(s.chars().next().unwrap()))),
        1 => Just(key(KeyCode::Left)),
        1 => Just(key(KeyCode::Esc)),
        1 => Just(key(KeyCode::PageDown)),
        1 => Just(key(KeyCode::PageUp)),
        1 => Just(ctrl('r')),
        1 => Just(ctrl('c')),
        1 => Just(key(KeyCode::Char('s'))),
        1 => Just(key(KeyCode::Char('d'))),
        1 => Just(key(KeyCode::Char('k'))),
    ]
}

/// A step of a random run: a key, some time passing, or a paste.
#[derive(Debug, Clone)]
enum Step {
    Key(KeyEvent),
    Wait(u64),
    Paste(String),
}

fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        10 => any_key().prop_map(Step::Key),
        1 => (0u64..40).prop_map(Step::Wait),
        1 => "[a-z \\n\\t]{0,12}".prop_map(Step::Paste),
    ]
}

/// The chosen words of every step, to compare before and after a key.
fn choices(app: &PrepApp) -> Vec<Option<String>> {
    (0..app.prep.word_count())
        .map(|n| app.prep.words_at(n).map(str::to_string))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(64)))]

    /// Random keys on a new prep, or on one resumed from a prep left part
    /// way by random keys; the leave question comes and goes among them.
    #[test]
    fn random_keys_never_panic_or_lose_a_choice(
        before in prop::collection::vec(any_key(), 0..30),
        resume in any::<bool>(),
        steps in prop::collection::vec(any_step(), 0..80),
        sizes in prop::collection::vec((1u16..220, 1u16..70), 1..4),
    ) {
        let t0 = Instant::now();
        let mut now = t0;
        let mut app = prep_with(Some(20));
        if resume {
            for k in before {
                let _ = app.key(k, t0);
            }
            app.overlay = None;
            app.leaving = false;
            let mut kept = app.clone();
            kept.commit_typing(t0);
            let back = resumed_from(&app, t0);
            // What was chosen comes back as it was: the card, the intention.
            let mut resumed = back.clone();
            resumed.commit_typing(t0);
            prop_assert_eq!(resumed.prep.card(), kept.prep.card());
            prop_assert_eq!(resumed.prep.intention(), kept.prep.intention());
            app = back;
        }
        for step in steps {
            let before = choices(&app);
            let explicit = match &step {
                Step::Key(k) => {
                    // Enter takes words and Ctrl-D (or Delete) leaves a step
                    // empty: the explicit ways a choice changes.
                    k.code == KeyCode::Enter
                        || k.code == KeyCode::Delete
                        || (k.code == KeyCode::Char('d')
                            && k.modifiers.contains(KeyModifiers::CONTROL))
                        || (matches!(k.code, KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc)
                            || k.modifiers.contains(KeyModifiers::CONTROL)
                                && matches!(k.code, KeyCode::Char('c' | 'q')))
                            && !app.own.trim().is_empty()
                }
                _ => false,
            };
            let was_leaving = app.leaving;
            match step {
                Step::Key(k) => {
                    let effect = app.key(k, now);
                    // Leaving without a question only when nothing would be lost.
                    if effect == PrepEffect::Leave && !was_leaving {
                        prop_assert!(!app.would_lose() || app.prep.stage() == &Stage::Card);
                    }
                    if was_leaving && app.overlay.is_none() {
                        prop_assert!(
                            matches!(effect, PrepEffect::None | PrepEffect::Leave | PrepEffect::Discard),
                            "{effect:?} from the leave question"
                        );
                    }
                }
                Step::Wait(s) => {
                    now += Duration::from_secs(s);
                    app.tick(now);
                }
                Step::Paste(text) => app.paste(&text),
            }
            let after = choices(&app);
            for (n, (b, a)) in before.iter().zip(&after).enumerate() {
                if let Some(b) = b.as_deref().filter(|b| !b.is_empty()) {
                    prop_assert!(
                        explicit || a.as_deref() == Some(b),
                        "step {n}: {b:?} became {a:?} without an explicit action"
                    );
                }
            }
            if let Stage::Words(n) = app.prep.stage() {
                prop_assert!(app.selected <= offered(app.prep.word_step(*n)).len());
            }
            for &(w, h) in &sizes {
                draw(&mut app, w, h, now);
            }
        }
    }

    #[test]
    fn a_prep_the_model_saves_round_trips_through_the_store(
        steps in prop::collection::vec(any_key(), 0..60),
        finished in any::<bool>(),
    ) {
        let t0 = Instant::now();
        let mut app = prep_with(Some(5));
        for k in steps {
            let _ = app.key(k, t0);
        }
        app.commit_typing(t0);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        let finished_at = finished.then(repair_practice::journal::local_now);
        let session = app.prep.session(t0, finished_at);
        store.save_over(&session).unwrap();
        let loaded = store.load(&session.id).unwrap();
        prop_assert_eq!(&loaded, &session);
        // What the card shows is what the record keeps.
        for (title, words) in app.prep.card() {
            prop_assert!(
                loaded.steps.iter().any(|s| s.title == title && s.notes == words),
                "{title}: {words:?} not in the record"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The pacer follows the protocol's pause; none when it has no breath
// ---------------------------------------------------------------------------

fn scanning(protocol: repair_practice::protocol::Protocol) -> (PrepApp, Instant) {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut app = PrepApp::new(Prep::new(protocol, Some(60), "x".into(), started));
    let t0 = Instant::now();
    app.key(key(KeyCode::Enter), t0);
    (app, t0 + Duration::from_secs(3))
}

#[test]
fn a_pause_with_no_breath_shows_no_pacer() {
    let mut protocol = builtin();
    for step in &mut protocol.steps {
        if let Some(pause) = &mut step.pause {
            pause.breath = None;
        }
    }
    let (mut app, now) = scanning(protocol);
    for (w, h) in [(40, 12), (80, 24), (200, 60)] {
        let text = screen_text(&draw(&mut app, w, h, now));
        assert!(!text.contains("Breathe"), "{w}x{h}\n{text}");
        assert!(text.contains('█'), "{w}x{h}: the digits still show\n{text}");
    }
    let mut with = builtin();
    with.steps[0].pause.as_mut().unwrap().breath = Some(repair_practice::protocol::Breath {
        inhale: 4,
        exhale: 6,
    });
    let (mut app, now) = scanning(with);
    assert!(screen_text(&draw(&mut app, 80, 24, now)).contains("Breathe in"));
}

/// `b` during the scan brings the offered pacer in and takes it
/// away again; the footer offers it only during the scan.
#[test]
fn b_turns_the_pacer_on_and_off_during_the_scan() {
    let (mut app, now) = scanning(builtin());
    let text = screen_text(&draw(&mut app, 80, 24, now));
    assert!(!text.contains("Breathe"), "ships off:\n{text}");
    assert!(
        text.contains("b pacer on"),
        "offered in the footer:\n{text}"
    );
    app.key(key(KeyCode::Char('b')), now);
    let text = screen_text(&draw(&mut app, 80, 24, now));
    assert!(text.contains("Breathe in… "), "{text}");
    assert!(text.contains("b pacer off"), "{text}");
    app.key(key(KeyCode::Char('b')), now);
    let text = screen_text(&draw(&mut app, 80, 24, now));
    assert!(!text.contains("Breathe"), "{text}");
    let mut offer = prep();
    offer.key(key(KeyCode::Char('b')), now);
    assert_eq!(*offer.prep.stage(), Stage::ScanOffer);
    assert_eq!(offer.hint(Cmd::Pacer), Hint::Off, "not on the offer");
}

#[test]
fn a_protocol_with_no_pause_and_no_stems_still_preps() {
    let mut protocol = builtin();
    for step in &mut protocol.steps {
        step.pause = None;
        step.stems.clear();
    }
    let (mut app, now) = scanning(protocol);
    for (w, h) in [(40, 12), (80, 24)] {
        draw(&mut app, w, h, now);
    }
    app.key(key(KeyCode::Enter), now);
    assert_eq!(*app.prep.stage(), Stage::Intention);
    app.key(key(KeyCode::BackTab), now);
    assert_eq!(*app.prep.stage(), Stage::Intention, "no step to go back to");
    app.key(key(KeyCode::Enter), now);
    let text = screen_text(&draw(&mut app, 40, 12, now));
    assert!(text.contains("No words chosen."), "{text}");
}

/// The prep keeps within the walk's reading column at every width around
/// 80 columns (the scan's big digits aside, which may use the width).
#[test]
fn the_prep_keeps_the_walk_reading_width() {
    use crate::screens::{outside, reading_column};
    for (name, mut app, now) in every_state() {
        if name == "scan" || name == "scan_held" {
            continue;
        }
        for w in [40, 60, 76, 77, 78, 80, 83, 84, 90, 119] {
            let t = draw(&mut app, w, 24, now);
            let stray = outside(t.backend().buffer(), reading_column(w));
            assert!(stray.is_empty(), "{name} at {w}x24:\n{}", stray.join("\n"));
        }
    }
}

/// The About box (`i`) shows the study and the protocol's whole source at
/// any size: ↑ ↓ PgUp PgDn Home End scroll it with a position hint, and any
/// other key closes it.
#[test]
fn the_about_box_scrolls_to_the_source_at_any_size() {
    let t0 = Instant::now();
    let source = builtin().source.expect("the builtin names its source");
    // A word of the source's last line only.
    let last_word = "substitute";
    assert!(
        source
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .contains(last_word)
    );
    assert_eq!(source.matches(last_word).count(), 1);
    for (w, h) in [(40, 12), (80, 24)] {
        let mut app = prep();
        app.key(key(KeyCode::Char('i')), t0);
        let first = screen_text(&draw(&mut app, w, h, t0));
        assert!(first.contains("Modelled on"), "{w}x{h}:\n{first}");
        assert!(
            first.contains(" of ") && first.contains("↓ more"),
            "{w}x{h}: a position hint\n{first}"
        );
        assert!(!first.contains(last_word), "{w}x{h}: all fits?\n{first}");
        app.key(key(KeyCode::Down), t0);
        assert_eq!(app.overlay, Some(Overlay::About), "↓ scrolls, not closes");
        let moved = screen_text(&draw(&mut app, w, h, t0));
        assert_ne!(first, moved, "{w}x{h}: ↓ moved nothing");
        app.key(key(KeyCode::End), t0);
        let end = screen_text(&draw(&mut app, w, h, t0));
        assert!(end.contains(last_word), "{w}x{h}: the source's end\n{end}");
        assert!(
            end.contains("end · lines") && end.contains("↑ back"),
            "{w}x{h}:\n{end}"
        );
        // Scrolling past the end moves nothing.
        app.key(key(KeyCode::PageDown), t0);
        assert_eq!(screen_text(&draw(&mut app, w, h, t0)), end);
        app.key(key(KeyCode::Home), t0);
        assert_eq!(screen_text(&draw(&mut app, w, h, t0)), first);
        app.key(key(KeyCode::PageDown), t0);
        app.key(key(KeyCode::PageUp), t0);
        assert_eq!(screen_text(&draw(&mut app, w, h, t0)), first);
        app.key(key(KeyCode::Char('x')), t0);
        assert_eq!(app.overlay, None, "any other key closes");
        assert_eq!(app.own, "", "and does nothing else");
    }
}

/// The prep's main screens in the default theme, with their styled runs:
/// a change of colour or emphasis shows in review like a change of words,
/// and the words are the monochrome screen's.
#[test]
fn prep_screens_in_colour() {
    use crate::screens::styled;
    use repair_practice::tui::theme::Palette;
    for (name, mut app, now) in every_state() {
        if !["offer", "scan", "words_chosen", "card"].contains(&name) {
            continue;
        }
        let colour = drawn(80, 24, |f| app.draw(f, &Theme::new(Palette::Default), now));
        let buffer = colour.backend().buffer();
        assert_eq!(
            text(buffer),
            screen_text(&draw(&mut app, 80, 24, now)),
            "{name}"
        );
        insta::assert_snapshot!(format!("prep_styled_{name}"), styled(buffer));
    }
}
