//! The settings file and the conventions around it, end to end through
//! pipes: precedence (flag, environment, file), invalid settings refusing to
//! start, `repair protocols new`, completions, the manual page, help and
//! version.
//!
//! Every test has its own sandbox: HOME, XDG_CONFIG_HOME, XDG_DATA_HOME and
//! REPAIR_DATA_DIR all point inside a temporary directory.

use crate::common;

use std::fs;
use std::process::Command;

use common::{BIN, Output, Pty, Sandbox, assert_mode, keys, run};
use repair_practice::protocol;

/// `repair ARGS` with extra environment, stdin closed.
fn run_env(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(sb.path())
        .env_remove("NO_COLOR")
        .envs(sb.env())
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run repair");
    Output {
        status: out.status,
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// A one-step protocol with a 30-second pause, for plain walks.
const MINI: &str = r#"[protocol]
id = "mini"
title = "Mini"

[[step]]
id = "one"
title = "One"
guidance = "First."

[step.pause]
seconds = 30
"#;

/// Plain input that skips the pause, writes a note and finishes.
const SKIP_AND_NOTE: &[u8] = b"skip\na note\n.\n";

#[test]
fn a_mistake_in_data_dir_or_save_stops_a_walk_with_path_line_col_and_creates_nothing() {
    let sb = Sandbox::new();
    let path = sb.write_settings("bell = true\ntheme = \"dark\"\nsave = \"no\"\n");
    let out = run(&sb, &["--plain"], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let shown = path.display().to_string();
    let err = out.stderr();
    assert!(
        err.contains(&format!("{shown}:2:9: \"theme\" must be one of")),
        "{}",
        out.describe()
    );
    assert!(
        err.contains(&format!("{shown}:3:8: \"save\" must be true or false")),
        "{}",
        out.describe()
    );
    assert!(err.contains("did not start"), "{}", out.describe());
    assert!(out.stdout().is_empty(), "{}", out.describe());
    assert!(!sb.data().exists(), "the data directory was created");
    // Every command that writes refuses the same way.
    for args in [&["drill", "--plain"][..], &["protocols", "new", "june"]] {
        let out = run(&sb, args, b"");
        assert_eq!(out.code(), Some(1), "{args:?}: {}", out.describe());
        assert!(
            out.stderr().contains(&format!("{shown}:3:8:")),
            "{}",
            out.describe()
        );
    }
    assert!(!sb.data().exists(), "the data directory was created");
}

/// A mistake in a setting that only changes how things look or feel is a
/// one-line warning at its place, and its default is used: reading,
/// listing and exporting notes, and walking, all go on.
#[test]
fn a_bad_cosmetic_setting_only_warns_and_its_default_is_used() {
    let sb = Sandbox::new();
    let path = sb.write_settings("bell = true\ntheme = \"dark\"\npause_seconds = 0\n");
    let shown = path.display().to_string();
    let dir = sb.data().display().to_string();
    let walked = run(
        &sb,
        &[
            "--plain",
            "--protocol",
            &sb.write("mini.toml", MINI).display().to_string(),
        ],
        SKIP_AND_NOTE,
    );
    assert_eq!(walked.code(), Some(0), "{}", walked.describe());
    let err = walked.stderr();
    assert!(
        err.contains(&format!(
            "{shown}:2:9: warning: \"theme\" must be one of \"default\", \"high-contrast\", \"monochrome\"; found \"dark\"; until it is fixed, the default theme is used"
        )),
        "{}",
        walked.describe()
    );
    assert!(
        err.contains(&format!(
            "{shown}:3:17: warning: \"pause_seconds\" must be between 1 and 3600"
        )),
        "{}",
        walked.describe()
    );
    assert!(!err.contains("did not start"), "{}", walked.describe());
    assert_eq!(sb.session_files().len(), 1, "the walk was saved");
    for args in [
        &["notes", "list"][..],
        &["notes", "export"],
        &["notes", "stats"],
        &["notes", "path"],
        &["protocols"],
    ] {
        let out = run(&sb, args, b"");
        assert_eq!(out.code(), Some(0), "{args:?}: {}", out.describe());
        let stderr = out.stderr();
        let warnings: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            warnings.len(),
            2,
            "{args:?}: one line each: {}",
            out.describe()
        );
        assert!(warnings[0].starts_with(&format!("{shown}:2:9: warning: ")));
    }
    let list = run(&sb, &["notes", "list"], b"");
    assert!(
        list.stdout().contains("Mini  1/1 done"),
        "{}",
        list.describe()
    );
    let id = sb.only_session().1["id"].as_str().unwrap().to_string();
    let show = run(&sb, &["notes", "show", &id], b"");
    assert_eq!(show.code(), Some(0), "{}", show.describe());
    assert!(show.stdout().contains("a note"), "{}", show.describe());
    assert_eq!(run(&sb, &["notes", "path"], b"").stdout().trim(), dir);
}

/// Reading notes goes on even when the mistake is in `data_dir` or the
/// file is not TOML at all: it is said, and the notes are read from where
/// the flag, the environment or the default put them.
#[test]
fn reading_notes_never_waits_on_the_settings_file() {
    let sb = Sandbox::new();
    let path = sb.write_settings("this is not toml\n");
    let shown = path.display().to_string();
    for args in [&["notes", "list"][..], &["notes", "export"]] {
        let out = run(&sb, args, b"");
        assert_eq!(out.code(), Some(0), "{args:?}: {}", out.describe());
        assert!(
            out.stderr()
                .contains(&format!("{shown}:1:6: warning: this is not valid TOML")),
            "{}",
            out.describe()
        );
        assert!(
            out.stderr().contains("the whole file is ignored"),
            "{}",
            out.describe()
        );
    }
    let out = run(&sb, &["--plain"], b"");
    assert_eq!(
        out.code(),
        Some(1),
        "a walk does not guess: {}",
        out.describe()
    );
}

#[test]
fn validate_completions_and_man_work_whatever_the_settings_say() {
    let sb = Sandbox::new();
    sb.write_settings("this is not toml\n");
    let protocol = sb.write("mini.toml", MINI);
    let out = run(&sb, &["validate", protocol.to_str().unwrap()], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    for args in [&["completions", "bash"][..], &["man"]] {
        let out = run(&sb, args, b"");
        assert_eq!(out.code(), Some(0), "{args:?}: {}", out.describe());
        assert!(!out.stdout().is_empty());
    }
}

#[test]
fn repair_config_names_the_settings_file_and_must_exist() {
    let sb = Sandbox::new();
    let elsewhere = sb.write(
        "elsewhere.toml",
        "data_dir = \"/nonexistent/x\"\nbell = 1\n",
    );
    let shown = elsewhere.display().to_string();
    // Read from the file it names, with a warning for bell.
    let out = run_env(&sb, &["notes", "path"], &[("REPAIR_CONFIG", &shown)]);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stderr().contains(&format!("{shown}:2:8: warning:")),
        "{}",
        out.describe()
    );

    let missing = sb.path().join("missing.toml").display().to_string();
    let out = run_env(
        &sb,
        &["protocols", "new", "june"],
        &[("REPAIR_CONFIG", &missing)],
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr()
            .contains(&format!("{missing}:1:1: there is no settings file here")),
        "{}",
        out.describe()
    );
}

#[test]
fn data_dir_comes_from_the_flag_then_the_environment_then_the_file() {
    let sb = Sandbox::new();
    let from_file = sb.path().join("from-file");
    // Single quotes: a Windows path's backslashes are not escapes there.
    sb.write_settings(&format!("data_dir = '{}'\n", from_file.display()));
    let from_env = sb.path().join("from-env").display().to_string();
    let from_flag = sb.path().join("from-flag").display().to_string();
    let path_with = |args: &[&str], env: &[(&str, &str)]| {
        let out = run_env(&sb, args, env);
        assert_eq!(out.code(), Some(0), "{}", out.describe());
        out.stdout().trim().to_string()
    };
    // The sandbox sets REPAIR_DATA_DIR; empty counts as not set.
    assert_eq!(
        path_with(&["notes", "path"], &[("REPAIR_DATA_DIR", "")]),
        from_file.display().to_string()
    );
    assert_eq!(
        path_with(&["notes", "path"], &[("REPAIR_DATA_DIR", &from_env)]),
        from_env
    );
    assert_eq!(
        path_with(
            &["notes", "path", "--data-dir", &from_flag],
            &[("REPAIR_DATA_DIR", &from_env)]
        ),
        from_flag
    );
}

#[test]
fn the_pause_length_comes_from_the_flag_then_the_file() {
    let sb = Sandbox::new();
    sb.write_settings("pause_seconds = 45\n");
    let mut pty = Pty::spawn(&sb, &["--no-save"]);
    pty.wait_for_text("pause of 45 seconds");
    pty.send(keys::CTRL_Q);
    assert_eq!(pty.exit_code(), 0);
    let mut pty_flag = Pty::spawn(&sb, &["--no-save", "--scan-seconds", "20"]);
    pty_flag.wait_for_text("pause of 20 seconds");
    pty_flag.send(keys::CTRL_Q);
    assert_eq!(pty_flag.exit_code(), 0);
}

#[test]
fn reduce_motion_shows_the_breath_as_words_and_a_theme_setting_is_accepted() {
    let sb = Sandbox::new();
    sb.write_settings("reduce_motion = true\ntheme = \"high-contrast\"\nbell = false\n");
    // The built-in scan offers its pacer off; this one starts with it on.
    let pacer_on = protocol::BUILTIN_TEXT.replace(", on = false }", " }");
    let pacer_on = sb.write("pacer-on.toml", &pacer_on);
    let mut pty = Pty::spawn(
        &sb,
        &["--no-save", "--protocol", pacer_on.to_str().unwrap()],
    );
    pty.wait_for_text("pause of 1:30");
    // Tab walks all six; Enter begins the first pause.
    pty.send(keys::TAB);
    pty.send(keys::ENTER);
    let screen = pty.wait_for_text("Breathe in…");
    assert!(!screen.contains('▮'), "the pacer bar is drawn:\n{screen}");
    pty.send(keys::CTRL_Q);
    assert_eq!(pty.exit_code(), 0);
}

#[test]
fn save_false_in_the_file_keeps_nothing_and_save_on_the_command_line_wins() {
    let sb = Sandbox::new();
    let protocol = sb.write("mini.toml", MINI);
    let protocol = protocol.to_str().unwrap();
    sb.write_settings("save = false\n");
    let out = run(&sb, &["--protocol", protocol], SKIP_AND_NOTE);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("Nothing was saved"),
        "{}",
        out.describe()
    );
    assert!(
        !sb.data().exists(),
        "save = false created the data directory"
    );

    let out = run(
        &sb,
        &["practice", "--save", "--protocol", protocol],
        SKIP_AND_NOTE,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains("Saved session"), "{}", out.describe());
    assert_eq!(sb.session_files().len(), 1);

    let out = run(&sb, &["--save", "practice", "--no-save"], b"");
    assert_eq!(out.code(), Some(2), "{}", out.describe());
}

#[test]
fn the_protocol_comes_from_the_flag_then_the_file() {
    let sb = Sandbox::new();
    fs::create_dir_all(sb.data().join("protocols")).unwrap();
    fs::write(sb.data().join("protocols/mini.toml"), MINI).unwrap();
    sb.write_settings("protocol = \"mini\"\n");
    let out = run(&sb, &["--no-save"], SKIP_AND_NOTE);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("Step 1 of 1: One"),
        "{}",
        out.describe()
    );
    let out = run(&sb, &["--no-save", "--protocol", "rupture-repair"], b"");
    assert!(out.stdout().contains("Step 1 of 6"), "{}", out.describe());

    // A protocol named in the settings that does not exist is a mistake in
    // the settings, shown at its line.
    let path = sb.write_settings("bell = false\nprotocol = \"nope\"\n");
    let out = run(&sb, &["--no-save"], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains(&format!(
            "{}:2:1: no protocol named \"nope\"",
            path.display()
        )),
        "{}",
        out.describe()
    );
}

#[test]
fn protocols_new_writes_a_private_starter_that_loads_and_never_overwrites() {
    let sb = Sandbox::new();
    let out = run(&sb, &["protocols", "new", "june-topic"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let path = sb.data().join("protocols").join("june-topic.toml");
    assert!(
        out.stdout().contains(&path.display().to_string()),
        "{}",
        out.describe()
    );
    assert_mode(&path, 0o600);
    assert_mode(&sb.data().join("protocols"), 0o700);
    let loaded = protocol::load_file(&path).expect("the starter loads as written");
    assert_eq!(loaded.id, "june-topic");
    assert_eq!(loaded.title, "June topic");
    assert!(loaded.steps.iter().any(|s| s.pause.is_some()));
    assert!(
        fs::read_to_string(&path).unwrap().contains("\n# "),
        "has comments"
    );

    // It is listed, and usable by name.
    let out = run(&sb, &["protocols"], b"");
    assert!(
        out.stdout()
            .contains("june-topic      3 steps  June topic          ("),
        "{}",
        out.describe()
    );
    let out = run(&sb, &["--no-save", "--protocol", "june-topic"], b"");
    assert!(out.stdout().contains("Step 1 of 3"), "{}", out.describe());

    // Never over an existing file.
    fs::write(&path, "mine").unwrap();
    let out = run(&sb, &["protocols", "new", "june-topic"], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("already exists"),
        "{}",
        out.describe()
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn protocols_new_refuses_names_that_are_not_ids() {
    let sb = Sandbox::new();
    for name in ["June Topic", "../escape", "rupture-repair", "a.toml", ""] {
        let out = run(&sb, &["protocols", "new", name], b"");
        assert_eq!(out.code(), Some(1), "{name:?}: {}", out.describe());
        assert!(
            out.stderr().contains("cannot name a new protocol"),
            "{}",
            out.describe()
        );
    }
    assert!(
        !sb.data().exists(),
        "a refused name created the data directory"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    let sb = Sandbox::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef repair"),
        ("fish", "complete -c repair"),
    ] {
        let out = run(&sb, &["completions", shell], b"");
        assert_eq!(out.code(), Some(0), "{shell}: {}", out.describe());
        let script = out.stdout();
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for word in ["practice", "protocols", "validate", "scan-seconds", "color"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let out = run(&sb, &["completions", "tcsh"], b"");
    assert_eq!(out.code(), Some(2), "{}", out.describe());
}

#[test]
fn the_manual_page_is_roff_and_names_every_command() {
    let sb = Sandbox::new();
    let out = run(&sb, &["man"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let page = out.stdout();
    assert!(
        page.starts_with(".ie") || page.contains(".TH repair"),
        "{page}"
    );
    for word in [
        "practice",
        "validate",
        "protocols",
        "notes",
        "completions",
        "scan\\-seconds",
    ] {
        assert!(page.contains(word), "the manual page lacks {word}");
    }
}

#[test]
fn version_names_the_protocol_format() {
    let sb = Sandbox::new();
    let out = run(&sb, &["--version"], b"");
    assert_eq!(out.code(), Some(0));
    assert_eq!(
        out.stdout().trim(),
        format!("repair {} (protocol format 2)", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_is_printed_for_every_command() {
    let sb = Sandbox::new();
    for args in [
        &["--help"][..],
        &["practice", "--help"],
        &["validate", "--help"],
        &["protocols", "--help"],
        &["protocols", "new", "--help"],
        &["notes", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
    ] {
        let out = run(&sb, args, b"");
        assert_eq!(out.code(), Some(0), "{args:?}: {}", out.describe());
        assert!(
            out.stdout().contains("Usage: repair"),
            "{args:?}: {}",
            out.describe()
        );
    }
    let top = run(&sb, &["--help"], b"").stdout();
    for word in ["settings", "config.toml", "--color", "completions", "man"] {
        assert!(top.contains(word), "repair --help lacks {word}:\n{top}");
    }
}

#[test]
fn every_command_and_flag_has_help_in_words() {
    use clap::CommandFactory;
    fn check(cmd: &clap::Command, path: &str) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(help.len() > 10, "{path} {id} has no help");
        }
        for sub in cmd.get_subcommands() {
            let name = format!("{path} {}", sub.get_name());
            if sub.get_name() == "help" {
                continue;
            }
            let about = sub.get_about().map(|h| h.to_string()).unwrap_or_default();
            assert!(about.len() > 10, "{name} has no description");
            check(sub, &name);
        }
    }
    check(&repair_practice::cli::Cli::command(), "repair");
}

#[test]
fn bell_false_keeps_a_completed_pause_silent() {
    let sb = Sandbox::new();
    sb.write_settings("bell = false\n");
    let mut pty = Pty::spawn(&sb, &["--no-save", "--scan-seconds", "1"]);
    pty.wait_for_text("pause of 1 second");
    // Tab walks all six; Enter begins the first pause.
    pty.send(keys::TAB);
    pty.send(keys::ENTER);
    // The pause ran its full length: the notes open, and no bell rang.
    pty.wait_for_text(" Your notes ");
    pty.wait_stable();
    assert_eq!(common::count(&pty.raw(), b"\x07"), 0, "{}", pty.dump());
    pty.send(keys::CTRL_Q);
    assert_eq!(pty.exit_code(), 0);
}

#[test]
fn color_never_and_no_color_draw_without_colour_and_always_overrides_no_color() {
    let sb = Sandbox::new();
    let sgr_colour = |raw: &[u8]| {
        // Foreground colour codes: 30-37, 90-97, or 38;5;N.
        let text = String::from_utf8_lossy(raw);
        ["\x1b[36m", "\x1b[33m", "\x1b[90m", "\x1b[38;5;"]
            .iter()
            .any(|code| text.contains(code))
            || text.contains(";36m")
            || text.contains(";33m")
    };
    let screen_of = |args: &[&str], no_color: bool| {
        let mut pty = Pty::spawn_with(
            &sb,
            args,
            common::PtyOptions {
                no_color,
                ..Default::default()
            },
        );
        pty.wait_for_text("Step 1 of 6");
        pty.wait_stable();
        let raw = pty.raw();
        pty.send(keys::CTRL_Q);
        assert_eq!(pty.exit_code(), 0);
        raw
    };
    assert!(
        sgr_colour(&screen_of(&["--no-save"], false)),
        "no colour by default"
    );
    assert!(!sgr_colour(&screen_of(
        &["--no-save", "--color", "never"],
        false
    )));
    assert!(
        !sgr_colour(&screen_of(&["--no-save"], true)),
        "colour despite NO_COLOR"
    );
    assert!(sgr_colour(&screen_of(
        &["--no-save", "--color", "always"],
        true
    )));
}
