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
