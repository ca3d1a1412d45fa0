//! The shape of the code, checked: no module of `src/` reaches, through
//! `crate::`, `super::` or `self::` paths, a module that reaches back to it
//! (the import graph has no circles). Checked for the top-level modules
//! (`journal`, `practice`, `tui`, ...), for their children (`tui::history`,
//! `tui::walk`, ...) and for every file (`tui::walk::pause`,
//! `journal::row`, ...). Test modules and comments are left out: a test may
//! use anything, and a doc link is not a dependency.
//!
//! Also checked: only `src/platform` calls the operating system directly
//! (`libc`, `rustix`, `signal_hook`) or uses `unsafe` code, so the rest
//! builds the same on every platform.
//!
//! The layers this keeps, from the bottom: `sanitize`, `diagnostics`,
//! `palette`, `protocol`, `settings`, `journal`, `practice`, then the two
//! front ends `plain` and `tui`, then `commands`, which composes them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file is, as path segments (`src/tui/history/model.rs` is
/// `tui::history::model`; `mod.rs`, `lib.rs` and `main.rs` name their
/// folder).
fn module_of(file: &Path, src: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments and without the items marked
/// `#[cfg(test)]` (a test module to its closing brace, or a single test-only
/// `use` line), so a test-only import at the top hides nothing below it.
fn code(text: &str) -> String {
    let mut out = Vec::new();
    let mut lines = text.lines().map(|line| match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    });
    while let Some(line) = lines.next() {
        if line.trim() != "#[cfg(test)]" {
            out.push(line);
            continue;
        }
        // Skip the item: up to its `;` if it has no body, else to the
        // brace that closes the one it opens.
        let mut depth = 0i32;
        let mut opened = false;
        for item in lines.by_ref() {
            depth += item.matches('{').count() as i32 - item.matches('}').count() as i32;
            opened |= item.contains('{');
            if (opened && depth <= 0) || (!opened && item.trim_end().ends_with(';')) {
                break;
            }
        }
    }
    out.join("\n")
}

/// The modules a piece of code names through `crate::`, as segment lists:
/// `crate::a::b::c` and the members of `crate::{a, b::c}`.
fn named(code: &str) -> Vec<Vec<String>> {
    named_from(code, &[])
}

/// The modules the code of module `me` names, as absolute segment lists:
/// `crate::` paths as they are, `super::` (repeated or not) and `self::`
/// paths resolved from `me`.
fn named_from(code: &str, me: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    loop {
        // The next path start: `crate::`, `super::` or `self::` not
        // preceded by a word character or `::` (`a::self` is no start).
        let next = ["crate::", "super::", "self::"]
            .iter()
            .filter_map(|k| {
                let mut from = 0;
                while let Some(at) = rest[from..].find(k) {
                    let at = from + at;
                    let before = rest[..at].chars().next_back();
                    if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                        return Some((at, *k));
                    }
                    from = at + k.len();
                }
                None
            })
            .min();
        let Some((at, kind)) = next else {
            break;
        };
        rest = &rest[at + kind.len()..];
        let mut base: Vec<String> = match kind {
            "crate::" => Vec::new(),
            "self::" => me.to_vec(),
            _ => me[..me.len().saturating_sub(1)].to_vec(),
        };
        while kind == "super::"
            && let Some(more) = rest.strip_prefix("super::")
        {
            base.pop();
            rest = more;
        }
        let absolute = |tail: Vec<String>| {
            let mut path = base.clone();
            path.extend(tail);
            path
        };
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for member in group[..end].split(',') {
                let tail = segments(member.trim());
                if !tail.is_empty() && tail != ["self"] {
                    out.push(absolute(tail));
                }
            }
        } else {
            let tail = segments(rest);
            if !tail.is_empty() || kind != "crate::" {
                out.push(absolute(tail));
            }
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    loop {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() || !word.starts_with(|c: char| c.is_ascii_lowercase()) {
            break;
        }
        out.push(word.to_owned());
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    out
}

/// The edges between modules cut to `depth` segments, leaving out a module
/// naming itself, its parent or its child.
fn graph(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let me = module_of(&file, &src);
        if me.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let names = named_from(&code(&text), &me);
        let me = me[..me.len().min(depth)].join("::");
        for target in names {
            let target = target[..target.len().min(depth)].join("::");
            let related = target == me
                || me.starts_with(&format!("{target}::"))
                || target.starts_with(&format!("{me}::"));
            if !related {
                edges.entry(me.clone()).or_default().insert(target);
            }
        }
    }
    edges
}

/// The edges between files: each file is the module it is, and a path
/// names the longest of those modules it starts with. As between modules,
/// a file naming itself, its parent or its child is left out.
fn file_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f, &src)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let me = module_of(file, &src);
        if me.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for path in named_from(&code(&text), &me) {
            let Some(target) = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            let related = target.starts_with(&me) || me.starts_with(&target);
            if !related {
                edges
                    .entry(me.join("::"))
                    .or_default()
                    .insert(target.join("::"));
            }
        }
    }
    edges
}

/// One circle in `edges`, as the modules along it, if there is any.
fn circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, edges, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(found) = visit(node, edges, &mut Vec::new(), &mut done) {
            return Some(found);
        }
    }
    None
}

#[test]
fn the_top_level_modules_import_in_one_direction() {
    let edges = graph(1);
    assert!(edges.contains_key("commands"), "the scan found no modules");
    if let Some(found) = circle(&edges) {
        panic!("import circle: {}", found.join(" -> "));
    }
}

#[test]
fn their_children_import_in_one_direction() {
    let edges = graph(2);
    assert!(
        edges.contains_key("tui::history"),
        "the scan found no children"
    );
    if let Some(found) = circle(&edges) {
        panic!("import circle: {}", found.join(" -> "));
    }
}

#[test]
fn the_files_import_in_one_direction() {
    let edges = file_graph();
    assert!(
        edges
            .get("tui::walk::pause")
            .is_some_and(|to| to.contains("tui::walk::model")),
        "the scan found no edges between files"
    );
    if let Some(found) = circle(&edges) {
        panic!("import circle between files: {}", found.join(" -> "));
    }
}

#[test]
fn only_the_platform_module_calls_the_system_or_uses_unsafe() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut found = Vec::new();
    for file in &files {
        if file.starts_with(src.join("platform")) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // Test modules too: they build on every platform the program does.
        let code: String = text
            .lines()
            .map(|line| line.find("//").map_or(line, |at| &line[..at]))
            .collect::<Vec<_>>()
            .join("\n");
        // signal_hook: its iterator and SIGHUP are Unix's alone.
        for word in ["libc::", "rustix::", "signal_hook::", "unsafe "] {
            if code.contains(word) {
                found.push(format!("{} uses {word}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "outside src/platform: {found:#?}");
}

#[test]
fn super_and_self_paths_are_resolved_from_the_file() {
    let me = ["tui".to_owned(), "view".to_owned(), "pause".to_owned()];
    assert_eq!(
        named_from(
            "use super::walk::offer_length;\nuse super::super::keys::{self, Hint};\nuse self::inner::x;\nlet y = a::super::b;",
            &me
        ),
        vec![
            vec![
                "tui".to_owned(),
                "view".to_owned(),
                "walk".to_owned(),
                "offer_length".to_owned()
            ],
            vec!["tui".to_owned(), "keys".to_owned()],
            vec![
                "tui".to_owned(),
                "view".to_owned(),
                "pause".to_owned(),
                "inner".to_owned(),
                "x".to_owned()
            ],
        ]
    );
    assert_eq!(
        named_from("use super::{clock, walk::X};", &me),
        vec![
            vec!["tui".to_owned(), "view".to_owned(), "clock".to_owned()],
            // Only module-like (lower-case) words are kept.
            vec!["tui".to_owned(), "view".to_owned(), "walk".to_owned()],
        ]
    );
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(circle(&edges), None);
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        circle(&edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

#[test]
fn only_the_test_items_are_left_out() {
    let text = "#[cfg(test)]\nuse crate::tui::x;\nuse crate::journal::Store;\n\
                #[cfg(test)]\nmod tests {\n    fn f() { crate::tui::y(); }\n}\nfn g() { crate::plain::z(); }\n";
    let kept = code(text);
    assert_eq!(
        named(&kept),
        vec![
            vec!["journal".to_owned()],
            vec!["plain".to_owned(), "z".to_owned()]
        ]
    );
}

#[test]
fn grouped_and_nested_paths_are_read() {
    assert_eq!(
        named("use crate::{passphrase, tui::app};\nlet x = crate::journal::Store::open;"),
        vec![
            vec!["passphrase".to_owned()],
            vec!["tui".to_owned(), "app".to_owned()],
            vec!["journal".to_owned()],
        ]
    );
}

/// What only Unix has: `cargo test` on Windows (and, for `libc`'s Linux
/// calls, macOS) would not compile an unguarded use of these.
const UNIX_ONLY: [&str; 4] = ["os::unix", "os::fd", "libc::", "rustix::"];

/// `text` with its comments and the insides of its string and character
/// literals blanked, lines kept: the braces and words left are the code's.
fn bare(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let word_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && !word_before && matches!(next, Some('"' | '#')) {
            // A raw string: r"...", r#"..."#, with as many #s as it opens with.
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.push_str("r\"");
            i += hashes + 2;
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i < chars.len() && !chars[i..].starts_with(&close) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.push('"');
            i += close.len();
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if let Some(&inside) = chars.get(i) {
                    out.push(blank(inside));
                }
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal ('{', '\n', '\''); a lifetime has no
            // closing quote and is left as it is.
            let end = if next == Some('\\') {
                chars[i + 3..]
                    .iter()
                    .position(|&q| q == '\'')
                    .map_or(chars.len(), |at| i + 3 + at)
            } else {
                i + 2
            };
            out.push_str("' '");
            i = end + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether a `#[cfg(...)]` (or `#![cfg(...)]`) builds its item only where
/// Unix is: `unix`, a `target_os` other than Windows, or `not(windows)`.
fn unix_cfg(attribute: &str) -> bool {
    let windows = attribute.replace("not(windows)", "");
    (attribute.contains("unix")
        || attribute.contains("target_os")
        || attribute.contains("not(windows)"))
        && !attribute.contains("not(unix)")
        && !windows.contains("windows")
}

/// What a scan of one file found: each line (1-based) where a Unix-only
/// word is used outside an item under a Unix-only cfg, and the modules
/// declared as files (`mod name;`) under one, whose files are then Unix-only
/// as a whole.
#[derive(Debug, Default, PartialEq)]
struct UnixScan {
    unguarded: Vec<(usize, &'static str)>,
    unix_modules: Vec<String>,
}

/// Scans one file, line by line: an attribute line `#[cfg(...)]` that is
/// [Unix-only](unix_cfg) guards the next item, to its `;` if it has no
/// body, else to the brace closing the one it opens (a `mod`, `fn`, `impl`,
/// a block); `#![cfg(...)]` guards the whole file.
fn unix_scan(text: &str) -> UnixScan {
    let mut scan = UnixScan::default();
    let mut depth = 0i32;
    // The depths that guarded bodies close back to, innermost last.
    let mut guarded: Vec<i32> = Vec::new();
    // A Unix-only attribute was read; its item has not started yet.
    let mut armed = false;
    // The guarded item has started here, at this depth, and has not yet
    // opened a body or ended with `;`.
    let mut item: Option<i32> = None;
    let mut whole_file = false;
    for (n, (raw, line)) in text.lines().zip(bare(text).lines()).enumerate() {
        let mut rest = line.trim_start();
        let raw = raw.trim_start();
        if raw.starts_with("#![cfg(") && unix_cfg(raw) {
            whole_file = true;
        }
        if rest.starts_with("#[") {
            // The attribute, and whatever follows it on the same line.
            let close = raw.find(")]").map_or(raw.len(), |at| at + 2);
            if raw.starts_with("#[cfg(") && unix_cfg(&raw[..close]) {
                armed = true;
            }
            rest = rest.get(close..).unwrap_or("").trim_start();
            if rest.is_empty() {
                continue;
            }
        }
        if armed && !rest.is_empty() {
            armed = false;
            item = Some(depth);
            if let Some(name) = rest
                .strip_prefix("pub ")
                .unwrap_or(rest)
                .strip_prefix("mod ")
                .and_then(|m| m.trim_end().strip_suffix(';'))
            {
                scan.unix_modules.push(name.trim().to_owned());
            }
        }
        let mut covered = whole_file || !guarded.is_empty() || item.is_some();
        for c in rest.chars() {
            match c {
                '{' => {
                    if let Some(at) = item.take() {
                        guarded.push(at);
                    }
                    depth += 1;
                }
                '}' => {
                    depth -= 1;
                    if guarded.last() == Some(&depth) {
                        guarded.pop();
                    }
                }
                ';' if item == Some(depth) => item = None,
                _ => {}
            }
            covered |= !guarded.is_empty();
        }
        if !covered {
            for word in UNIX_ONLY {
                if rest.contains(word) {
                    scan.unguarded.push((n + 1, word));
                }
            }
        }
    }
    scan
}

#[test]
fn the_unix_scan_knows_what_a_cfg_guards() {
    let text = r##"use std::os::unix::fs::PermissionsExt;
#[cfg(unix)]
use std::os::unix::fs::MetadataExt;
#[cfg(unix)]
mod audio;
#[cfg(not(unix))]
fn other() { libc::nothing(); }
#[cfg(target_os = "linux")]
#[test]
fn linux() {
    let s = "}{";
    let c = '}';
    rustix::process::getpid();
}
fn mixed() {
    // libc::in_a_comment
    let words = "std::os::unix in a string";
    let raw = r#"libc:: in a raw string"#;
    #[cfg(unix)]
    {
        libc::kill(0, 0);
    }
    #[cfg(unix)] let fd = std::os::fd::AsRawFd::as_raw_fd(&f);
    std::os::fd::AsRawFd::as_raw_fd(&f);
}
#[cfg(windows)]
fn windows() { libc::nothing(); }
#[cfg(any(unix, windows))]
fn both() { libc::nothing(); }
"##;
    let scan = unix_scan(text);
    assert_eq!(
        scan,
        UnixScan {
            unguarded: vec![
                (1, "os::unix"),
                (7, "libc::"),
                (24, "os::fd"),
                (27, "libc::"),
                (29, "libc::"),
            ],
            unix_modules: vec!["audio".to_owned()],
        }
    );
    assert!(
        unix_scan("#![cfg(unix)]\nuse libc::c_int;\nfn f() { libc::x(); }\n")
            .unguarded
            .is_empty()
    );
}

/// The files of the modules `file` declares by `names` (`mod name;`): a
/// sibling `name.rs` or `name/mod.rs`, or, from a file that is not a
/// folder's own (`mod.rs`, `main.rs`, `lib.rs`), in its own folder.
fn module_files(file: &Path, names: &[String]) -> Vec<PathBuf> {
    let dir = file.parent().unwrap();
    let own = matches!(
        file.file_stem().and_then(|s| s.to_str()),
        Some("mod" | "main" | "lib")
    );
    let base = if own {
        dir.to_path_buf()
    } else {
        file.with_extension("")
    };
    names
        .iter()
        .flat_map(|name| {
            [
                base.join(format!("{name}.rs")),
                base.join(name).join("mod.rs"),
            ]
        })
        .collect()
}

/// `cargo test` builds on Windows and macOS too: every use of a Unix-only
/// API (`std::os::unix`, `std::os::fd`, `libc`, `rustix`) in the tests, the
/// benches, the examples and `src/` outside `src/platform` is under a
/// Unix-only cfg (its item's, an enclosing module's or function's, or the
/// `mod` line of its file).
#[test]
fn unix_only_calls_are_under_a_unix_cfg() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        sources(&root.join(dir), &mut files);
    }
    files.retain(|f| !f.starts_with(root.join("src/platform")));
    let mut unix_files = BTreeSet::new();
    let mut found = BTreeMap::new();
    for file in &files {
        let scan = unix_scan(&std::fs::read_to_string(file).unwrap());
        unix_files.extend(module_files(file, &scan.unix_modules));
        if !scan.unguarded.is_empty() {
            found.insert(file.clone(), scan.unguarded);
        }
    }
    // A file under a Unix-only module is Unix-only, and so are its own
    // modules' files (in its folder).
    found.retain(|file, _| {
        !unix_files.iter().any(|unix| {
            file == unix
                || file.starts_with(unix.with_extension(""))
                || (unix.ends_with("mod.rs") && file.starts_with(unix.parent().unwrap()))
        })
    });
    let lines: Vec<String> = found
        .iter()
        .flat_map(|(file, hits)| {
            let file = file.strip_prefix(root).unwrap().display().to_string();
            hits.iter()
                .map(move |(line, word)| format!("{file}:{line} uses {word}"))
        })
        .collect();
    assert!(
        lines.is_empty(),
        "Unix-only, without a cfg(unix) around it:\n{}",
        lines.join("\n")
    );
}
