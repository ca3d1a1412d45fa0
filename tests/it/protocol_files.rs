//! The protocol files shipped in steps/, checked through the real binary as
//! a supervisor would check their own: `repair validate` passes every one
//! and says so in one line each.

use crate::common;

use std::path::PathBuf;

use common::{Sandbox, run};

/// Every file in steps/, sorted.
fn shipped_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("steps");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("steps/ can be read")
        .map(|entry| entry.expect("a steps/ entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 2, "steps/ holds {files:?}");
    files
}

#[test]
fn every_file_in_steps_passes_validate_with_one_ok_line_each() {
    let sb = Sandbox::new();
    let files = shipped_files();
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(String::as_str));
    let out = run(&sb, &args, b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stderr.is_empty(), "{}", out.describe());
    let stdout = out.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), paths.len(), "{stdout}");
    for (line, path) in lines.iter().zip(&paths) {
        assert!(line.starts_with(&format!("{path}: ok, ")), "{line:?}");
    }
    let builtin = lines
        .iter()
        .find(|line| line.contains("rupture-repair.toml"))
        .expect("the built-in protocol is in steps/");
    assert!(builtin.contains(": ok, 6 steps, "), "{builtin}");
    assert!(builtin.ends_with(" cards"), "{builtin}");
}
