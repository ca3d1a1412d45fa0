//! Finding protocols by name: the built-in one, and the files in the data
//! directory's `protocols/` folder.
//!
//! The catalogue lists broken files along with their first problem rather
//! than hiding them, so someone who dropped a file in the folder can see why
//! it does not show up as usable.

use std::io;
use std::path::{Path, PathBuf};

use super::error::{NotFound, Problem, ProtocolError};
use super::parse::{load_file, parse};
use super::{BUILTIN_ORIGIN, BUILTIN_TEXT, Protocol};

/// The name the built-in protocol is listed and chosen under.
const BUILTIN_NAME: &str = "rupture-repair";
/// Another name accepted for the built-in protocol.
const BUILTIN_ALIAS: &str = "builtin";
/// The folder under the data directory that holds protocol files.
const PROTOCOLS_DIR: &str = "protocols";
/// The extension of protocol files.
const EXTENSION: &str = "toml";

/// One protocol in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What to pass to [`resolve`]: `rupture-repair` for the built-in, the
    /// file stem for a file.
    pub name: String,
    /// The file, or `None` for the built-in protocol.
    pub path: Option<PathBuf>,
    /// What the protocol is, or the first problem that keeps it from loading.
    pub outcome: Result<Summary, Problem>,
}

/// Enough about a protocol to list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    pub title: String,
    /// How many steps it has.
    pub steps: usize,
}

impl Summary {
    fn of(protocol: &Protocol) -> Self {
        Summary {
            id: protocol.id.clone(),
            title: protocol.title.clone(),
            steps: protocol.steps.len(),
        }
    }
}

/// Every protocol available: the built-in one first, then each `*.toml` file
/// in `<data_dir>/protocols/`, sorted by name. Invalid files are listed with
/// their first problem. A missing folder (or no data directory) just means no
/// files.
pub fn catalogue(data_dir: Option<&Path>) -> Vec<Entry> {
    let mut entries = vec![Entry {
        name: BUILTIN_NAME.to_string(),
        path: None,
        outcome: summarise(parse(BUILTIN_TEXT, BUILTIN_ORIGIN)),
    }];
    if let Some(data_dir) = data_dir {
        entries.extend(files(&data_dir.join(PROTOCOLS_DIR)));
    }
    entries
}

/// The protocol files in a folder, sorted by name.
fn files(dir: &Path) -> Vec<Entry> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Vec::new(),
        Err(error) => return vec![unlistable(dir, &error)],
    };
    let mut entries: Vec<Entry> = listing
        // An entry that cannot be read cannot be named either, so there is
        // nothing to list for it.
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| is_protocol_file(path))
        .map(|path| Entry {
            name: stem(&path),
            outcome: summarise(load_file(&path)),
            path: Some(path),
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    entries
}

/// Whether a folder entry should be listed: a `.toml` name, not hidden, not
/// a folder. Hidden files are skipped because some systems leave hidden
/// `._name.toml` companions next to real files.
fn is_protocol_file(path: &Path) -> bool {
    let toml = path.extension().is_some_and(|ext| ext == EXTENSION);
    let hidden = path
        .file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'));
    // A broken link is listed (and shows why it fails); a folder is not.
    toml && !hidden && !path.is_dir()
}

/// The name a file is listed and chosen under.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// An entry standing for a protocols folder that exists but cannot be read,
/// so the reason is shown instead of an empty list.
fn unlistable(dir: &Path, error: &io::Error) -> Entry {
    let message = if error.kind() == io::ErrorKind::PermissionDenied {
        "cannot list the protocols folder: you do not have permission; check its permissions"
            .to_string()
    } else {
        format!("cannot list the protocols folder ({error}); check that it is a readable folder")
    };
    Entry {
        name: PROTOCOLS_DIR.to_string(),
        path: Some(dir.to_path_buf()),
        outcome: Err(Problem::whole_file(&dir.display().to_string(), &message)),
    }
}

/// A loaded protocol as a catalogue outcome.
fn summarise(loaded: Result<Protocol, ProtocolError>) -> Result<Summary, Problem> {
    match loaded {
        Ok(protocol) => Ok(Summary::of(&protocol)),
        Err(error) => Err(error
            .problems
            .into_iter()
            .next()
            .unwrap_or_else(|| Problem::whole_file("", "the protocol could not be loaded"))),
    }
}

/// Finds a protocol by name or path.
///
/// An argument with a path separator, or ending in `.toml`, is a file path.
/// Otherwise `rupture-repair` (or `builtin`) is the built-in protocol and any
/// other name is `<data_dir>/protocols/NAME.toml`. Only the file named is
/// read; the folder is never scanned.
pub fn resolve(name_or_path: &str, data_dir: Option<&Path>) -> Result<Protocol, ProtocolError> {
    if is_path(name_or_path) {
        return load_file(Path::new(name_or_path));
    }
    if name_or_path == BUILTIN_NAME || name_or_path == BUILTIN_ALIAS {
        return parse(BUILTIN_TEXT, BUILTIN_ORIGIN);
    }
    let Some(path) = data_dir.filter(|_| !name_or_path.is_empty()).map(|dir| {
        dir.join(PROTOCOLS_DIR)
            .join(format!("{name_or_path}.{EXTENSION}"))
    }) else {
        return Err(unknown(name_or_path));
    };
    match path.try_exists() {
        Ok(false) => Err(unknown(name_or_path)),
        // If it exists, or whether it does cannot be told, loading it gives
        // the precise reason it cannot be used.
        _ => load_file(&path),
    }
}

/// Whether the argument names a file rather than a protocol.
fn is_path(argument: &str) -> bool {
    argument.chars().any(std::path::is_separator) || argument.ends_with(".toml")
}

/// The problem for a name that matches no protocol.
fn unknown(name: &str) -> ProtocolError {
    let message = format!(
        "no protocol named \"{}\"; run \"repair protocols\" to see the ones available",
        crate::sanitize::one_line(name)
    );
    ProtocolError::not_found(Problem::whole_file(name, &message), NotFound::Name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protocol_text(id: &str, steps: usize) -> String {
        let mut text = format!("[protocol]\nid = \"{id}\"\ntitle = \"Title of {id}\"\n");
        for n in 1..=steps {
            text.push_str(&format!(
                "\n[[step]]\nid = \"s{n}\"\ntitle = \"S\"\nguidance = \"G\"\n"
            ));
        }
        text
    }

    /// A data directory with a `protocols/` folder holding these files.
    fn data_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let protocols = dir.path().join(PROTOCOLS_DIR);
        std::fs::create_dir(&protocols).expect("protocols dir");
        for (name, text) in files {
            std::fs::write(protocols.join(name), text).expect("write");
        }
        dir
    }

    #[test]
    fn without_a_data_dir_only_the_builtin_is_listed() {
        let entries = catalogue(None);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name, "rupture-repair");
        assert_eq!(entries[0].path, None);
        let summary = entries[0].outcome.as_ref().expect("built-in is valid");
        assert_eq!((summary.id.as_str(), summary.steps), ("rupture-repair", 6));
    }

    #[test]
    fn a_missing_protocols_folder_lists_no_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(catalogue(Some(dir.path())).len(), 1);
    }

    #[test]
    fn files_follow_the_builtin_sorted_by_name() {
        let dir = data_dir(&[
            ("zeta.toml", &protocol_text("zeta", 2)),
            ("alpha.toml", &protocol_text("alpha", 3)),
            ("notes.txt", "not a protocol"),
            (".hidden.toml", "ignored"),
        ]);
        std::fs::create_dir(dir.path().join(PROTOCOLS_DIR).join("folder.toml")).expect("dir");
        let entries = catalogue(Some(dir.path()));
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["rupture-repair", "alpha", "zeta"]);
        let alpha = &entries[1];
        assert_eq!(
            alpha.path.as_deref(),
            Some(dir.path().join("protocols/alpha.toml").as_path())
        );
        assert_eq!(
            alpha.outcome,
            Ok(Summary {
                id: "alpha".into(),
                title: "Title of alpha".into(),
                steps: 3
            })
        );
    }

    #[test]
    fn an_invalid_file_is_listed_with_its_first_problem() {
        let broken = protocol_text("Broken", 1).replace("title = \"S\"", "title = \"\"");
        let dir = data_dir(&[("broken.toml", &broken)]);
        let entries = catalogue(Some(dir.path()));
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].name, "broken");
        let problem = entries[1].outcome.as_ref().expect_err("invalid");
        assert_eq!((problem.line, problem.column), (2, 6));
        assert!(problem.message.contains("\"id\" may only use"), "{problem}");
        assert!(problem.path.ends_with("broken.toml"), "{problem}");
        // Only the first problem is kept; the empty title comes later.
    }

    #[test]
    fn resolve_finds_the_builtin_by_name_and_alias() {
        let builtin = crate::protocol::builtin();
        assert_eq!(resolve("rupture-repair", None), Ok(builtin.clone()));
        assert_eq!(resolve("builtin", None), Ok(builtin));
    }

    #[test]
    fn resolve_finds_a_file_by_name_in_the_data_dir() {
        let dir = data_dir(&[("mine.toml", &protocol_text("mine", 2))]);
        let protocol = resolve("mine", Some(dir.path())).expect("found");
        assert_eq!((protocol.id.as_str(), protocol.steps.len()), ("mine", 2));
    }

    #[test]
    fn resolve_loads_a_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("elsewhere.toml");
        std::fs::write(&path, protocol_text("elsewhere", 1)).expect("write");
        let by_path = path.to_str().expect("UTF-8 temp path");
        let protocol = resolve(by_path, None).expect("loaded");
        assert_eq!(protocol.id, "elsewhere");
    }

    #[test]
    fn resolve_reports_problems_in_a_named_file() {
        let dir = data_dir(&[("bad.toml", "[protocol]\nid = \"bad\"\n")]);
        let error = resolve("bad", Some(dir.path())).expect_err("invalid");
        assert!(
            error
                .problems
                .iter()
                .any(|p| p.message.contains("missing \"title\"")),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_name_says_how_to_list_protocols() {
        let dir = data_dir(&[]);
        for data_dir in [Some(dir.path()), None] {
            let error = resolve("nope", data_dir).expect_err("unknown");
            assert_eq!(
                error.to_string(),
                "nope:1:1: no protocol named \"nope\"; run \"repair protocols\" to see the ones available"
            );
        }
        let odd = resolve("\x1b[2J", Some(dir.path())).expect_err("unknown");
        assert!(!odd.to_string().contains('\x1b'), "{odd}");
        assert!(resolve("", Some(dir.path())).is_err());
    }

    /// Nothing found is said in the error's type, not only in its words,
    /// so a caller decides on it without reading the message.
    #[test]
    fn nothing_found_is_typed_apart_from_a_file_with_mistakes() {
        let dir = data_dir(&[("bad.toml", "[protocol]\nid = \"bad\"\n")]);
        let name = resolve("nope", Some(dir.path())).expect_err("unknown");
        assert_eq!(name.not_found, Some(NotFound::Name));
        let missing = dir.path().join("absent.toml");
        let file = resolve(&missing.display().to_string(), None).expect_err("no file");
        assert_eq!(file.not_found, Some(NotFound::File));
        let broken = resolve("bad", Some(dir.path())).expect_err("mistakes");
        assert_eq!(broken.not_found, None);
    }

    #[test]
    fn resolve_by_name_only_looks_in_the_protocols_folder() {
        let dir = data_dir(&[]);
        std::fs::write(dir.path().join("outside.toml"), protocol_text("outside", 1))
            .expect("write");
        assert!(resolve("outside", Some(dir.path())).is_err());
    }

    #[test]
    fn paths_are_told_apart_from_names() {
        assert!(is_path("dir/file"));
        assert!(is_path("file.toml"));
        assert!(is_path("./x"));
        assert!(!is_path("rupture-repair"));
        assert!(!is_path("my-protocol"));
    }
}
