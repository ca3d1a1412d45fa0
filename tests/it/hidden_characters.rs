//! One rule for characters that show as nothing, end to end: `repair
//! validate` refuses the bidirectional controls, accepts the joiners and
//! warns about every other invisible character (exit 0); plain mode and the
//! full screen show those as visible escapes.

use crate::common;

use common::{Pty, Sandbox, dir_of, run};

/// A one-step protocol whose step title is `title` (raw in the file).
fn protocol(title: &str) -> String {
    format!(
        "[protocol]\nid = \"hidden\"\ntitle = \"Hidden\"\n\n[[step]]\nid = \"one\"\ntitle = \"{title}\"\nguidance = \"Notice.\"\n"
    )
}

/// "ignore" in Unicode tag characters, which show as nothing.
fn tags(word: &str) -> String {
    word.chars()
        .map(|c| char::from_u32(0xe0000 + c as u32).unwrap())
        .collect()
}

#[test]
fn validate_accepts_joiners_warns_about_hidden_characters_and_refuses_bidi_controls() {
    let sb = Sandbox::new();
    // Emoji with skin tone and ZWJ, Persian with ZWNJ: accepted, silently.
    let shaped = sb.write(
        "shaped.toml",
        protocol("👩🏽\u{200d}⚕\u{fe0f} می\u{200c}خواهم"),
    );
    let out = run(&sb, &["validate", shaped.to_str().unwrap()], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stderr().is_empty(), "{}", out.describe());

    for hidden in [
        tags("ignore"),
        "\u{2060}".into(),
        "\u{200b}".into(),
        "\u{2028}".into(),
    ] {
        let file = sb.write("hidden.toml", protocol(&format!("Safe{hidden}Starter")));
        let path = file.to_str().unwrap();
        let out = run(&sb, &["validate", path], b"");
        assert_eq!(out.code(), Some(0), "{hidden:?}\n{}", out.describe());
        let first = hidden.chars().next().unwrap() as u32;
        let expected = format!(
            "{path}:7:14: warning: this line contains an invisible character (U+{first:04X} "
        );
        assert!(
            out.stderr().starts_with(&expected),
            "{hidden:?}: {expected}\n{}",
            out.describe()
        );
        assert!(out.stdout().contains(": ok, 1 step"), "{}", out.describe());
        // The warning itself never carries the character raw.
        assert!(!out.stderr().contains(&hidden), "{}", out.describe());
    }

    let bidi = sb.write("bidi.toml", protocol("Safe\u{202e}retratS"));
    let out = run(&sb, &["validate", bidi.to_str().unwrap()], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("(U+202E right-to-left override)"),
        "{}",
        out.describe()
    );
}

#[test]
fn plain_mode_shows_hidden_characters_as_escapes_and_joiners_as_they_are() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let title = format!("Safe{}Starter \u{2060}👩\u{200d}⚕\u{fe0f}", tags("ig"));
    let file = sb.write("hidden.toml", protocol(&title));
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--plain",
            "--no-save",
            "--protocol",
            file.to_str().unwrap(),
        ],
        b".\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("Step 1 of 1: Safe\\u{e0069}\\u{e0067}Starter \\u{2060}👩\u{200d}⚕\u{fe0f}"),
        "{}",
        out.describe()
    );
}

#[test]
fn the_full_screen_shows_hidden_characters_as_escapes() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let title = format!("Safe{}Starter", tags("ig"));
    let file = sb.write("hidden.toml", protocol(&title));
    let mut pty = Pty::spawn_sized(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--no-save",
            "--protocol",
            file.to_str().unwrap(),
        ],
        120,
        40,
    );
    pty.wait_for_text("Safe\\u{e0069}\\u{e0067}Starter");
    pty.send("\x1b");
    pty.kill();
}
