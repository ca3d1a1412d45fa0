//! `repair validate`, `repair protocols` and `repair protocols new`.

use std::fs::{DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::ProtocolsCommand;
use crate::error::Error;
use crate::journal;
use crate::protocol;
use crate::sanitize;

/// `repair validate FILE...`: every problem, one per line, on stderr; one
/// line on stdout for each file that has none
/// (`steps/x.toml: ok, 6 steps, 25 cards`).
pub fn validate(files: &[PathBuf]) -> u8 {
    let mut ok = true;
    let mut out = io::stdout().lock();
    for file in files {
        match protocol::load_file_with_warnings(file) {
            Ok((loaded, warnings)) => {
                // Characters that show as nothing: said, but no failure.
                for warning in &warnings {
                    eprintln!("{warning}");
                }
                let line = ok_line(&file.display().to_string(), &loaded);
                // A closed stdout (`| head`) is no reason to stop checking.
                let _ = writeln!(out, "{}", sanitize::one_line(&line));
            }
            Err(error) => {
                ok = false;
                for problem in &error.problems {
                    eprintln!("{problem}");
                }
            }
        }
    }
    u8::from(!ok)
}

/// What `repair validate` says of a file with no problems.
pub fn ok_line(path: &str, loaded: &protocol::Protocol) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{path}: ok, {}, {}",
        count(loaded.steps.len(), "step", "steps"),
        count(loaded.scenarios.len(), "card", "cards")
    )
}

/// `repair protocols`: the built-in one, then the data dir's, errors shown.
pub fn list(data_dir: Option<&Path>) -> Result<u8, Error> {
    let dir = journal::data_dir(data_dir).ok();
    let mut out = io::stdout().lock();
    let entries = protocol::catalogue(dir.as_deref());
    // Columns: every name, step count and title starts in one place.
    let name_width = entries
        .iter()
        .map(|e| e.name.chars().count())
        .max()
        .unwrap_or(0);
    let steps_of = |n: usize| format!("{n} step{}", if n == 1 { "" } else { "s" });
    let steps_width = entries
        .iter()
        .filter_map(|e| e.outcome.as_ref().ok())
        .map(|s| steps_of(s.steps).len())
        .max()
        .unwrap_or(0);
    let title_width = entries
        .iter()
        .filter_map(|e| e.outcome.as_ref().ok())
        .map(|s| s.title.chars().count())
        .max()
        .unwrap_or(0);
    for entry in &entries {
        let place = entry
            .path
            .as_ref()
            .map_or("built in".to_owned(), |p| p.display().to_string());
        let name = format!("{:<name_width$}", entry.name);
        let line = match &entry.outcome {
            Ok(s) => format!(
                "{name}  {:<steps_width$}  {:<title_width$}  ({place})",
                steps_of(s.steps),
                s.title,
            ),
            Err(problem) => format!("{name}  invalid: {problem}"),
        };
        writeln!(out, "{}", sanitize::one_line(&line)).map_err(Error::Output)?;
    }
    Ok(0)
}

/// The commented starter protocol that `repair protocols new` writes. It is
/// a valid protocol as shipped (id `starter`); [`starter_text`] gives it the
/// new protocol's name and title.
pub const STARTER_TEXT: &str = include_str!("../../steps/starter.toml");

/// The lines of [`STARTER_TEXT`] that [`starter_text`] rewrites; each occurs
/// exactly once (checked by a test).
const STARTER_ID_LINE: &str = "\nid = \"starter\"\n";
const STARTER_TITLE_LINE: &str = "\ntitle = \"Starter\"\n";
/// Where the starter's comments show how to pick it.
const STARTER_PICK: &str = "repair --protocol starter\n";
/// The starter's first line names the schema where it is in the source tree;
/// a written starter names the copy written beside it.
const STARTER_SCHEMA_LINE: &str = "#:schema ../schema/protocol.schema.json\n";
/// The schema's file name beside the protocols.
pub const SCHEMA_FILE: &str = "protocol.schema.json";

/// Names of the built-in protocol: a file under one of them could never be
/// picked, since `--protocol` finds the built-in first.
const BUILTIN_NAMES: &[&str] = &["rupture-repair", "builtin"];

/// Protocol names are file names too; this keeps them short enough for any
/// file system.
const NAME_MAX: usize = 64;

/// `repair protocols ...` with a subcommand.
pub fn run(data_dir: Option<&Path>, command: &ProtocolsCommand) -> Result<u8, Error> {
    match command {
        ProtocolsCommand::New { name } => new(data_dir, name),
        ProtocolsCommand::Schema => schema(),
    }
}

/// `repair protocols schema`: the JSON Schema of the protocol format.
pub fn schema() -> Result<u8, Error> {
    let mut out = io::stdout().lock();
    out.write_all(protocol::SCHEMA_TEXT.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Output)?;
    Ok(0)
}

/// `repair protocols new NAME`: writes the starter protocol to
/// `<data dir>/protocols/NAME.toml`, owner-only, never over an existing file.
pub fn new(data_dir: Option<&Path>, name: &str) -> Result<u8, Error> {
    check_name(name)?;
    let text = starter_text(name);
    // The starter is checked with the real loader before it is written, so
    // what lands on disk is always a protocol that loads.
    protocol::parse(&text, &format!("{name}.toml"))?;
    // Protocols are not notes: no passphrase is needed to add one.
    let store = super::open_store_locked(data_dir)?;
    let dir = store.protocols_dir();
    let path = dir.join(format!("{name}.toml"));
    let failed = |source| Error::WriteProtocol {
        path: path.clone(),
        source,
    };
    crate::platform::owner_only_dir(DirBuilder::new().recursive(true))
        .create(&dir)
        .map_err(failed)?;
    // `create_new` refuses an existing file (or link) in the same step that
    // creates the new one, so nothing is ever replaced, even in a race; the
    // mode makes it private from the first byte.
    let mut file =
        match crate::platform::owner_only_file(OpenOptions::new().write(true).create_new(true))
            .open(&path)
        {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(Error::ProtocolExists(path));
            }
            Err(e) => return Err(failed(e)),
        };
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        // A half-written starter is no use to anyone; the name stays free.
        let _ = std::fs::remove_file(&path);
        return Err(failed(e));
    }
    // The schema the starter's `#:schema` line names, kept current: it is
    // this program's own file, so an older copy is replaced.
    let schema_path = dir.join(SCHEMA_FILE);
    if std::fs::read(&schema_path).ok().as_deref() != Some(protocol::SCHEMA_TEXT.as_bytes()) {
        journal::write_atomic(&schema_path, protocol::SCHEMA_TEXT.as_bytes())?;
    }
    let shown = sanitize::one_line(&path.display().to_string()).into_owned();
    let mut out = io::stdout().lock();
    writeln!(out, "Wrote {shown}").map_err(Error::Output)?;
    writeln!(
        out,
        "Edit it in any text editor, check it with `repair validate {shown}`, \
         and practise with `repair --protocol {name}`."
    )
    .map_err(Error::Output)?;
    writeln!(
        out,
        "An editor that checks TOML against a schema (such as one using taplo) completes keys \
         and marks mistakes as you type, with {SCHEMA_FILE} beside it."
    )
    .map_err(Error::Output)?;
    Ok(0)
}

/// A protocol name must be an id (it is the file name and the `--protocol`
/// argument) and not one of the built-in protocol's names.
fn check_name(name: &str) -> Result<(), Error> {
    let is_id = name.len() <= NAME_MAX && crate::protocol::is_id(name);
    if !is_id || BUILTIN_NAMES.contains(&name) {
        return Err(Error::BadProtocolName(
            sanitize::one_line(name).into_owned(),
        ));
    }
    Ok(())
}

/// The starter protocol for `name` (already checked to be an id): its id is
/// the name, and its title the name in words, e.g. `june-topic` gives
/// "June topic".
pub fn starter_text(name: &str) -> String {
    let words = name
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    let title = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    };
    STARTER_TEXT
        .replacen(STARTER_ID_LINE, &format!("\nid = \"{name}\"\n"), 1)
        .replacen(STARTER_TITLE_LINE, &format!("\ntitle = \"{title}\"\n"), 1)
        .replace(STARTER_PICK, &format!("repair --protocol {name}\n"))
        .replacen(
            STARTER_SCHEMA_LINE,
            &format!("#:schema ./{SCHEMA_FILE}\n"),
            1,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_is_valid_as_shipped_and_renamed_when_written() {
        for line in [STARTER_ID_LINE, STARTER_TITLE_LINE] {
            assert_eq!(STARTER_TEXT.matches(line).count(), 1, "{line:?}");
        }
        assert_eq!(STARTER_TEXT.matches(STARTER_PICK).count(), 2);
        let shipped = protocol::parse(STARTER_TEXT, "starter.toml").expect("valid as shipped");
        assert_eq!(
            (shipped.id.as_str(), shipped.title.as_str()),
            ("starter", "Starter")
        );
        assert_eq!(shipped.format, protocol::FORMAT_VERSION);

        let text = starter_text("june-topic");
        let written = protocol::parse(&text, "june-topic.toml").expect("valid when written");
        assert_eq!(
            (written.id.as_str(), written.title.as_str()),
            ("june-topic", "June topic")
        );
        assert!(!text.contains("starter\n"), "{text}");
        assert!(
            text.starts_with("#:schema ./protocol.schema.json\n"),
            "{text}"
        );
        assert!(STARTER_TEXT.starts_with(STARTER_SCHEMA_LINE));
        assert_eq!(text.matches("repair --protocol june-topic\n").count(), 2);
        // Nothing else changed.
        assert_eq!(
            written.steps, shipped.steps,
            "only the id and the title differ"
        );
    }
}
