//! Limits on everything read, linear plain mode, and what plain mode keeps
//! of control characters, end to end.

use crate::common;

use std::fs;

use common::{Sandbox, dir_of, run};

/// One step, no pause: every line goes into its notes.
const ONE: &str = r#"[protocol]
id = "one"
title = "One"

[[step]]
id = "only"
title = "Only"
guidance = "Write."
"#;

#[test]
fn two_hundred_thousand_piped_lines_are_all_kept() {
    let sb = Sandbox::new();
    let protocol = sb.write("one.toml", ONE).display().to_string();
    let mut input = String::new();
    for i in 0..200_000 {
        input.push_str(&format!("line {i} of the notes\n"));
    }
    input.push_str(".\n");
    let dir = dir_of(&sb);
    // The harness gives up after 20 s; quadratic plain mode took hours.
    let out = run(
        &sb,
        &["--data-dir", &dir, "--plain", "--protocol", &protocol],
        input.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let (_, session) = sb.only_session();
    let notes = session["steps"][0]["notes"].as_str().expect("notes");
    assert_eq!(notes.lines().count(), 200_000);
    assert!(notes.ends_with("line 199999 of the notes"));
}

#[test]
fn an_endless_line_stops_the_input_with_one_line_and_no_backtrace() {
    let sb = Sandbox::new();
    let protocol = sb.write("one.toml", ONE).display().to_string();
    let mut input = b"kept line\n".to_vec();
    input.extend(std::iter::repeat_n(b'z', 1_500_000));
    let dir = dir_of(&sb);
    let out = run(
        &sb,
        &["--data-dir", &dir, "--plain", "--protocol", &protocol],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stderr().contains("a line of input is longer than 1 MB"),
        "{}",
        out.describe()
    );
    assert!(!out.stderr().contains("backtrace"), "{}", out.describe());
    let (_, session) = sb.only_session();
    assert_eq!(session["steps"][0]["notes"], "kept line");
}

#[test]
fn plain_mode_drops_control_characters_but_keeps_tabs_and_says_what_of_bad_utf8() {
    let sb = Sandbox::new();
    let protocol = sb.write("one.toml", ONE).display().to_string();
    let mut input = b"a\x1b[31mred\x07 bell\x00nul\x7fdel \xc2\x9bcsi\tTab\r\n".to_vec();
    input.extend(b"bad \xff byte\n.\n");
    let dir = dir_of(&sb);
    let out = run(
        &sb,
        &["--data-dir", &dir, "--plain", "--protocol", &protocol],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let (_, session) = sb.only_session();
    assert_eq!(
        session["steps"][0]["notes"],
        "a[31mred bellnuldel csi\tTab\nbad \u{fffd} byte"
    );
    let id = session["id"].as_str().expect("id").to_string();
    let shown = run(&sb, &["--data-dir", &dir, "notes", "show", &id], b"");
    assert!(!shown.stdout().contains('\x1b'), "{}", shown.describe());
}

#[test]
fn import_refuses_what_is_not_a_regular_file() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    // A folder on every platform; a device where there is one to name.
    let folder = sb.path().display().to_string();
    let mut paths = vec![folder.as_str()];
    if cfg!(unix) {
        paths.push("/dev/zero");
    }
    for path in paths {
        let out = run(&sb, &["--data-dir", &dir, "notes", "import", path], b"");
        assert_eq!(out.code(), Some(1), "{}", out.describe());
        assert!(
            out.stderr().contains("is not a regular file"),
            "{}",
            out.describe()
        );
        assert_eq!(out.stderr().lines().count(), 1, "{}", out.describe());
    }
}

#[test]
fn an_import_id_error_says_its_line_and_column() {
    let sb = Sandbox::new();
    let file = sb.write(
        "bad.json",
        "[\n  {\n    \"id\": \"../escape\",\n    \"mode\": \"practice\", \"protocol\": \"p\",\n    \"started_at\": \"2024-01-01T09:00:00+01:00\", \"finished_at\": null,\n    \"complete\": false, \"steps\": []\n  }\n]\n",
    );
    let dir = dir_of(&sb);
    let file = file.display().to_string();
    let out = run(&sb, &["--data-dir", &dir, "notes", "import", &file], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("at line 3 column 11"),
        "{}",
        out.describe()
    );
}

#[test]
fn a_passphrase_fd_on_an_endless_source_is_refused() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let zero = fs::File::open("/dev/zero").expect("/dev/zero");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_repair"));
    cmd.args([
        "--data-dir",
        &dir,
        "--passphrase-fd",
        "0",
        "notes",
        "encrypt",
    ])
    .envs(sb.env())
    .stdin(zero)
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("longer than 1024 bytes"), "{err}");
    assert!(!sb.data().join("identity.age").exists());
}

#[test]
fn a_plain_walk_on_dev_zero_stops_with_one_line() {
    let sb = Sandbox::new();
    let protocol = sb.write("one.toml", ONE).display().to_string();
    let zero = fs::File::open("/dev/zero").expect("/dev/zero");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_repair"))
        .args([
            "--data-dir",
            &dir_of(&sb),
            "--plain",
            "--protocol",
            &protocol,
        ])
        .envs(sb.env())
        .stdin(zero)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a line of input is longer than 1 MB"), "{err}");
    assert!(
        !err.contains("memory allocation") && !err.contains("backtrace"),
        "{err}"
    );
    assert_ne!(out.status.code(), Some(101));
}

#[test]
fn an_import_file_over_the_cap_is_refused_before_it_is_read() {
    let sb = Sandbox::new();
    let big = sb.path().join("big.json");
    // Sparse: no disk is used, but its length is over the cap.
    fs::File::create(&big)
        .expect("create")
        .set_len(300_000_000)
        .expect("set_len");
    let big = big.display().to_string();
    let out = run(
        &sb,
        &["--data-dir", &dir_of(&sb), "notes", "import", &big],
        b"",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("larger than 256 MB"),
        "{}",
        out.describe()
    );
}

#[test]
fn a_session_file_over_the_cap_is_listed_unreadable_and_never_read() {
    let sb = Sandbox::new();
    sb.put_sessions(&[]);
    let huge = sb.data().join("sessions").join("20261101-090000-abcd.json");
    fs::File::create(&huge)
        .expect("create")
        .set_len(40_000_000)
        .expect("set_len");
    let out = run(&sb, &["--data-dir", &dir_of(&sb), "notes", "list"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("larger than 32 MB, the most one session may hold"),
        "{}",
        out.describe()
    );
}
