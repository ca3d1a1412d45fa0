//! `repair notes ...`: reading, exporting, importing and deleting saved
//! sessions, and the history browser (`repair notes` in a terminal).
//!
//! Output printed to a terminal passes through [`crate::sanitize`]; output
//! to a pipe or a file (`-o`) keeps every note byte for byte.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::Front;
use super::sessions::{list_line, push_row_line};
use super::{Context, open_store, open_store_to_read};
use crate::cli::{ExportFormat, NotesCommand};
use crate::error::Error;
use crate::journal::review::Stats;
use crate::journal::{self, Session, Store, StoreError, import};
use crate::sanitize;

/// The context gives the browser's look, and the settings of any walk it
/// hands over to.
pub fn run(ctx: &Context, command: Option<&NotesCommand>) -> Result<u8, Error> {
    let data_dir = ctx.data_dir();
    let Some(command) = command else {
        let front = Front::choose(false);
        if front == Front::Plain {
            // Not a terminal: the list, which only reads.
            return list(&open_store_to_read(data_dir)?, false);
        }
        let mut store = ctx.open_store(front)?;
        return super::history::browse(ctx, &mut store);
    };
    match command {
        NotesCommand::Path => {
            let dir = journal::data_dir(data_dir)?;
            println!("{}", sanitize::one_line(&dir.display().to_string()));
            // On stderr: stdout stays the one path a script reads.
            let (count, bytes) = journal::audio::count_all(&dir.join("sessions"));
            if count > 0 {
                eprintln!("{}", recordings_line(count, bytes));
            }
            Ok(0)
        }
        NotesCommand::Encrypt { force } => super::encryption::encrypt(data_dir, *force),
        NotesCommand::Decrypt => super::encryption::decrypt(data_dir),
        NotesCommand::Passphrase => super::encryption::change_passphrase(data_dir),
        NotesCommand::List { json } => list(&open_store_to_read(data_dir)?, *json),
        NotesCommand::Show { id } => {
            let store = open_store_to_read(data_dir)?;
            let session = store.load(id)?;
            super::say_plaintext(&store, "What follows is");
            let mut text = journal::session_markdown(&session);
            let audio = store.audio_files(id);
            if !audio.is_empty() {
                text.push_str("\nRecorded responses:\n");
                for path in audio {
                    text.push_str(&format!(
                        "- {}\n",
                        sanitize::one_line(&path.display().to_string())
                    ));
                }
            }
            emit(&text, None, false)
        }
        NotesCommand::Export {
            ids,
            since,
            until,
            format,
            output,
            force,
            with_audio,
        } => {
            let store = open_store_to_read(data_dir)?;
            let chosen = Chosen {
                ids,
                since: *since,
                until: *until,
            };
            let code = export(&store, &chosen, *format, output.as_deref(), *force)?;
            if let (Some(path), true) = (output, *with_audio) {
                export_audio(&store, &chosen, path, *force)?;
            }
            Ok(code)
        }
        NotesCommand::Delete { ids, yes } => delete(&mut open_store(data_dir)?, ids, *yes),
        NotesCommand::Import { file } => import_file(data_dir, file),
        NotesCommand::Stats { json } => {
            let store = open_store_to_read(data_dir)?;
            // Counting needs no text: read without it.
            let (sessions, unreadable) = store.history_where(|_| true);
            report_unreadable(&unreadable, "not counted");
            let today = journal::local_now().date_naive();
            let stats = Stats::compute(&sessions, today);
            let deck = super::drill::deck_ids(ctx);
            let progress =
                crate::practice::progress::Progress::compute(&sessions, today, deck.as_deref());
            let (recorded, recorded_bytes) = store.audio_count();
            if *json {
                let mut value = crate::practice::progress::stats_json(&stats, &progress);
                if let Some(object) = value.as_object_mut() {
                    object.insert("recorded_responses".into(), recorded.into());
                }
                let text = serde_json::to_string_pretty(&value).unwrap_or_default();
                return emit(&format!("{text}\n"), None, false);
            }
            let recordings = if recorded > 0 {
                format!("{}\n", recordings_line(recorded, recorded_bytes))
            } else {
                String::new()
            };
            emit(
                &format!("{}{}{recordings}", stats.to_text(), progress.to_text()),
                None,
                false,
            )
        }
    }
}

/// `--with-audio`: the chosen sessions' recordings into `FILE.audio/<id>/`
/// (a folder taken only if new, or with `--force`), and a line saying so.
fn export_audio(store: &Store, chosen: &Chosen<'_>, file: &Path, force: bool) -> Result<u8, Error> {
    let mut folder = file.as_os_str().to_owned();
    folder.push(".audio");
    let folder = PathBuf::from(folder);
    let io_error = |source| -> Error {
        StoreError::Io {
            path: folder.clone(),
            source,
        }
        .into()
    };
    if folder.exists() {
        if !force {
            return Err(Error::ExportExists(folder));
        }
        std::fs::remove_dir_all(&folder).map_err(io_error)?;
    }
    let mut copied = 0;
    // The same sessions the export chose, by the rows (no notes read).
    let (rows, _) = store.rows();
    for row in rows
        .iter()
        .filter(|r| chosen.takes(&r.id, Some(r.started_at.date_naive())))
    {
        copied += store.export_audio(&row.id, &folder).map_err(io_error)?;
    }
    if copied == 0 {
        eprintln!("No recorded responses to copy.");
        return Ok(0);
    }
    eprintln!(
        "Copied {copied} recorded response{} to {}.",
        if copied == 1 { "" } else { "s" },
        sanitize::one_line(&folder.display().to_string())
    );
    Ok(0)
}

/// "2 recorded responses (1.4 MB) are kept beside their sessions."
fn recordings_line(count: usize, bytes: u64) -> String {
    format!(
        "{count} recorded response{} ({:.1} MB) {} kept beside {}.",
        if count == 1 { "" } else { "s" },
        bytes as f64 / 1_000_000.0,
        if count == 1 { "is" } else { "are" },
        if count == 1 {
            "its session"
        } else {
            "their sessions"
        },
    )
}

fn report_unreadable(unreadable: &[(PathBuf, String)], what: &str) {
    for (path, reason) in unreadable {
        eprintln!(
            "repair: {what} {}: {}",
            sanitize::one_line(&path.display().to_string()),
            sanitize::one_line(reason)
        );
    }
}

/// Writes `text` to `output` (atomically, 0600, refusing to replace a file
/// unless `force`), or to stdout: escaped for a terminal, exact for a pipe.
pub(super) fn emit(text: &str, output: Option<&Path>, force: bool) -> Result<u8, Error> {
    if let Some(path) = output {
        // One step checks and creates (a dangling link counts as taken), and
        // a kill leaves no named copy behind: see `files::create_new_file`.
        return match journal::files::create_new_file(path, text.as_bytes(), force) {
            Ok(()) => Ok(0),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Err(Error::ExportExists(path.to_path_buf()))
            }
            Err(source) => Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            }
            .into()),
        };
    }
    let mut out = io::stdout().lock();
    let shown = if io::stdout().is_terminal() {
        sanitize::escape(text)
    } else {
        text.into()
    };
    out.write_all(shown.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Output)?;
    Ok(0)
}

/// What an export asks for: sessions by id (each must exist) and by the
/// day they started.
struct Chosen<'a> {
    ids: &'a [String],
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
}

impl Chosen<'_> {
    fn takes(&self, id: &str, day: Option<NaiveDate>) -> bool {
        (self.ids.is_empty() || self.ids.iter().any(|i| i == id))
            && self.since.is_none_or(|d| day.is_none_or(|day| day >= d))
            && self.until.is_none_or(|d| day.is_none_or(|day| day <= d))
    }

    /// Whether an unreadable file would have been exported: by the id and
    /// day its name gives (ids begin with the day they started).
    fn takes_file(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let id = name
            .strip_suffix(".json.age")
            .or_else(|| name.strip_suffix(".json"))
            .unwrap_or(name);
        let day = id
            .get(..8)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok());
        self.takes(id, day)
    }
}

/// `repair notes export`: the sessions chosen, oldest first, written as
/// they are read, one session in memory at a time (a store of hundreds of
/// megabytes exports in the memory of its largest session). Which to
/// write is decided from the rows ([`Store::rows`], no notes). A file that
/// cannot be read is named on stderr and left out, and then the export
/// says how many were left out and ends with 1, so a backup script notices.
fn export(
    store: &Store,
    chosen: &Chosen,
    format: ExportFormat,
    output: Option<&Path>,
    force: bool,
) -> Result<u8, Error> {
    let (rows, unreadable) = store.rows();
    let mut skipped: Vec<(PathBuf, String)> = unreadable
        .into_iter()
        .filter(|(path, _)| chosen.takes_file(path))
        .collect();
    for id in chosen.ids {
        let named = |(path, _): &(PathBuf, String)| {
            path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(id.as_str())
                    .is_some_and(|r| r.starts_with(".json"))
            })
        };
        if !rows.iter().any(|r| &r.id == id) && !skipped.iter().any(named) {
            return Err(StoreError::NoSuchSession {
                id: id.clone(),
                path: store.session_path(id),
            }
            .into());
        }
    }
    report_unreadable(&skipped, "skipped");
    // Rows are newest first; an export is oldest first.
    let ids: Vec<&str> = rows
        .iter()
        .rev()
        .filter(|r| chosen.takes(&r.id, Some(r.started_at.date_naive())))
        .map(|r| r.id.as_str())
        .collect();
    super::say_plaintext(
        store,
        if output.is_some() {
            "The exported file is"
        } else {
            "What follows is"
        },
    );
    let mut written = 0;
    let mut late = Vec::new();
    let mut write = |out: &mut dyn Write, terminal: bool| -> io::Result<()> {
        let mut out = Escaping {
            inner: io::BufWriter::new(out),
            terminal,
            pending: Vec::new(),
            json: true,
        };
        let mut each = |id: &str| match store.load(id) {
            Ok(session) => {
                written += 1;
                Some(session)
            }
            Err(e) => {
                // Changed or gone since the rows were read.
                late.push((store.session_path(id), e.to_string()));
                None
            }
        };
        match format {
            ExportFormat::Json => {
                write_json_export(&mut out, &ids, &mut each)?;
            }
            ExportFormat::Markdown => {
                // The JSON escape of DEL and C1 is for JSON only.
                out.json = false;
                journal::write_markdown_export(
                    &mut out,
                    ids.len(),
                    ids.iter().filter_map(|id| each(id)),
                )?;
            }
        }
        out.flush()
    };
    match output {
        Some(path) => {
            journal::files::create_new_file_with(path, force, |file| write(file, false)).map_err(
                |e| match e.kind() {
                    io::ErrorKind::AlreadyExists => Error::ExportExists(path.to_path_buf()),
                    _ => StoreError::Io {
                        path: path.to_path_buf(),
                        source: e,
                    }
                    .into(),
                },
            )?;
            eprintln!(
                "Exported {written} session{} to {}.",
                if written == 1 { "" } else { "s" },
                sanitize::one_line(&path.display().to_string())
            );
        }
        None => {
            let terminal = io::stdout().is_terminal();
            write(&mut io::stdout().lock(), terminal).map_err(Error::Output)?;
        }
    }
    report_unreadable(&late, "skipped");
    skipped.append(&mut late);
    if skipped.is_empty() {
        return Ok(0);
    }
    let n = skipped.len();
    eprintln!(
        "repair: the export is not complete: {n} session file{} could not be read and {} left out (named above); it holds the other {written}.",
        if n == 1 { "" } else { "s" },
        if n == 1 { "was" } else { "were" },
    );
    Ok(1)
}

/// The JSON export of `ids`, read by `each` as they are written (a session
/// it cannot read is left out): the very bytes of
/// [`journal::export_json`] over the same sessions, before DEL and C1 are
/// escaped (which `out` does).
fn write_json_export(
    out: &mut impl Write,
    ids: &[&str],
    each: &mut dyn FnMut(&str) -> Option<Session>,
) -> io::Result<()> {
    use serde::ser::{SerializeSeq, Serializer};
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    let mut seq = ser.serialize_seq(None)?;
    for id in ids {
        if let Some(session) = each(id) {
            seq.serialize_element(&session)?;
        }
    }
    seq.end()?;
    out.write_all(b"\n")
}

/// `repair notes list`: newest first, from rows read without their notes
/// ([`Store::rows`]), written out as they are formatted.
fn list(store: &Store, json: bool) -> Result<u8, Error> {
    let (rows, unreadable) = store.rows();
    if json {
        let out = io::BufWriter::new(io::stdout().lock());
        write_json_listing(out, &rows, &unreadable, io::stdout().is_terminal())
            .map_err(Error::Output)?;
        return Ok(0);
    }
    // Every line is already escaped for one line of a terminal.
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut write = || -> io::Result<()> {
        if rows.is_empty() && unreadable.is_empty() {
            out.write_all(b"No saved sessions yet. Start one with `repair`.\n")?;
        }
        let mut line = String::with_capacity(160);
        let now = journal::local_now();
        for row in &rows {
            line.clear();
            push_row_line(&mut line, row);
            super::sessions::push_dated_ahead(&mut line, row, now);
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        for (path, reason) in &unreadable {
            writeln!(
                out,
                "unreadable  {}  ({})",
                sanitize::one_line(&path.display().to_string()),
                sanitize::one_line(reason)
            )?;
        }
        out.flush()
    };
    write().map_err(Error::Output)?;
    Ok(0)
}

/// `repair notes list --json`, written as it is made (never the whole
/// text at once): the same bytes as the listing pretty-printed, DEL and C1
/// escaped (JSON escapes C0 but not those; titles come from protocol
/// files), then escaped for a terminal when `terminal`, as [`emit`] does.
/// Both escapes go character by character, and serde writes whole
/// characters, so escaping each piece gives what escaping the whole did.
fn write_json_listing(
    out: impl Write,
    rows: &[journal::Row],
    unreadable: &[(PathBuf, String)],
    terminal: bool,
) -> io::Result<()> {
    struct Sessions<'a>(&'a [journal::Row]);
    impl serde::Serialize for Sessions<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(journal::RowJson::from))
        }
    }
    struct Unreadable<'a>(&'a [(PathBuf, String)]);
    impl serde::Serialize for Unreadable<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            #[derive(serde::Serialize)]
            struct Entry<'a> {
                path: String,
                reason: &'a str,
            }
            s.collect_seq(self.0.iter().map(|(path, reason)| Entry {
                path: path.display().to_string(),
                reason,
            }))
        }
    }
    #[derive(serde::Serialize)]
    struct Listing<'a> {
        sessions: Sessions<'a>,
        unreadable: Unreadable<'a>,
    }
    let mut out = Escaping {
        inner: out,
        terminal,
        pending: Vec::new(),
        json: true,
    };
    let listing = Listing {
        sessions: Sessions(rows),
        unreadable: Unreadable(unreadable),
    };
    serde_json::to_writer_pretty(&mut out, &listing)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A writer that escapes DEL and C1 characters (as JSON `\u007f`), and
/// then, for a terminal, whatever [`sanitize::escape`] does, as the text
/// passes. Bytes that end part-way through a character wait for the rest.
struct Escaping<W: Write> {
    inner: W,
    terminal: bool,
    pending: Vec<u8>,
    /// DEL and C1 escaped as JSON (`\u007f`); off for Markdown.
    json: bool,
}

impl<W: Write> Escaping<W> {
    fn put(&mut self, text: &str) -> io::Result<()> {
        // DEL is 0x7f and every C1 character is 0xc2 then 0x80-0x9f.
        let text: std::borrow::Cow<str> =
            if self.json && text.bytes().any(|b| b == 0x7f || b == 0xc2) {
                journal::escape_del_and_c1(text).into()
            } else {
                text.into()
            };
        if self.terminal {
            self.inner.write_all(sanitize::escape(&text).as_bytes())
        } else {
            self.inner.write_all(text.as_bytes())
        }
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let joined;
        let bytes = if self.pending.is_empty() {
            buf
        } else {
            self.pending.extend_from_slice(buf);
            joined = std::mem::take(&mut self.pending);
            &joined[..]
        };
        let mut bytes = bytes;
        loop {
            match std::str::from_utf8(bytes) {
                Ok(text) => return self.put(text).map(|()| buf.len()),
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    self.put(std::str::from_utf8(good).unwrap_or_default())?;
                    let Some(bad) = e.error_len() else {
                        // A character cut at the end: wait for the rest.
                        self.pending = rest.to_vec();
                        return Ok(buf.len());
                    };
                    // Not UTF-8 (serde never writes it): passed as it is.
                    self.inner.write_all(&rest[..bad])?;
                    bytes = &rest[bad..];
                }
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.inner.write_all(&rest)?;
        self.inner.flush()
    }
}

/// `repair notes delete ID... [--yes]`: every id is checked before anything
/// goes; without --yes the sessions are named and a "y" is needed.
fn delete(store: &mut Store, ids: &[String], yes: bool) -> Result<u8, Error> {
    let mut doomed = Vec::new();
    for id in ids {
        match store.load(id) {
            Ok(session) => doomed.push(session),
            Err(StoreError::Corrupt { path, .. }) => {
                return Err(Error::DeleteUnreadable {
                    id: id.clone(),
                    path,
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut seen = std::collections::HashSet::new();
    doomed.retain(|s| seen.insert(s.id.clone()));
    if !yes {
        if !io::stdin().is_terminal() {
            return Err(Error::DeleteNeedsTerminal);
        }
        let mut err = io::stderr().lock();
        let n = doomed.len();
        let _ = writeln!(
            err,
            "This deletes {n} session{} and all {} notes:",
            if n == 1 { "" } else { "s" },
            if n == 1 { "its" } else { "their" }
        );
        for session in &doomed {
            let _ = writeln!(err, "  {}", list_line(session));
        }
        let _ = write!(
            err,
            "Delete? Type y and Enter to delete, anything else keeps them: "
        );
        let _ = err.flush();
        let mut answer = String::new();
        io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(Error::Terminal)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            println!("Nothing was deleted.");
            return Ok(1);
        }
    }
    // Taken after the question, so no walk waits on the answer; a walk of a
    // deleted session then finds it gone and does not bring it back.
    super::hold_unlocked(store)?;
    for session in &doomed {
        store.delete(&session.id)?;
        println!("Deleted session {}.", session.id);
    }
    Ok(0)
}

/// `repair notes import FILE`: all or nothing as far as it can be. The
/// file is read and every session checked (JSON, ids, each id once, each
/// small enough to save) before the store is opened or its lock taken, so
/// a bad file imports nothing and an input that never ends (a FIFO) holds
/// nothing. Only a failure while writing (a full disk) can stop part-way,
/// and then it says how many were imported and that importing again adds
/// the rest.
fn import_file(data_dir: Option<&Path>, file: &Path) -> Result<u8, Error> {
    let path = || file.to_path_buf();
    let bytes = import::read_export(file).map_err(|problem| match problem {
        import::ReadProblem::Io(source) => Error::ReadFile {
            path: path(),
            source,
        },
        import::ReadProblem::NotAFile => Error::ImportNotAFile(path()),
        import::ReadProblem::TooLarge => Error::ImportTooLarge(path()),
    })?;
    if import::is_markdown(&bytes) {
        return Err(Error::ImportMarkdown(path()));
    }
    let incoming = import::parse_export(&bytes).map_err(|problem| Error::Import {
        path: path(),
        problem,
    })?;
    drop(bytes);
    let (incoming, twice) = import::one_of_each(incoming);
    if let Some(id) = import::first_too_large(&incoming) {
        return Err(Error::ImportSessionTooLarge {
            path: path(),
            id: id.to_string(),
        });
    }
    let mut store = open_store(data_dir)?;
    // Held while the file is compared with the store and until every new
    // session is saved: a second import waits, then sees what this one added.
    super::hold_unlocked(&mut store)?;
    let plan = import::plan(&store, incoming);
    let new = plan.add.len();
    for (added, session) in plan.add.iter().enumerate() {
        if let Err(e) = store.save_over(session) {
            eprintln!(
                "repair: {added} of the {new} new session{} in {} were imported before the problem below; importing the same file again adds the rest (sessions already here are left as they are).",
                if new == 1 { "" } else { "s" },
                sanitize::one_line(&file.display().to_string())
            );
            return Err(e.into());
        }
    }
    let mut left_alone = plan.conflicts.len();
    for id in &plan.conflicts {
        eprintln!(
            "repair: session {} is already here with different content (or its file cannot be read); left alone",
            sanitize::one_line(id)
        );
    }
    for import::Twice { id, same } in &twice {
        let id = sanitize::one_line(id);
        if *same {
            eprintln!(
                "repair: session {id} is in the file more than once, the same each time; it counts once"
            );
        } else {
            left_alone += 1;
            eprintln!(
                "repair: session {id} is in the file more than once with different content; the first copy was used, the others left alone"
            );
        }
    }
    println!(
        "Imported {new} session{}; {} already here; {left_alone} left alone.",
        if new == 1 { "" } else { "s" },
        plan.same.len(),
    );
    Ok(u8::from(left_alone > 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `notes list --json` as it was made before it was streamed: the whole
    /// listing as one string, escaped at once.
    fn whole_listing(
        rows: &[journal::Row],
        unreadable: &[(PathBuf, String)],
        terminal: bool,
    ) -> String {
        #[derive(serde::Serialize)]
        struct Unreadable {
            path: String,
            reason: String,
        }
        #[derive(serde::Serialize)]
        struct Listing<'a> {
            sessions: Vec<journal::RowJson<'a>>,
            unreadable: Vec<Unreadable>,
        }
        let listing = Listing {
            sessions: rows.iter().map(journal::RowJson::from).collect(),
            unreadable: unreadable
                .iter()
                .map(|(path, reason)| Unreadable {
                    path: path.display().to_string(),
                    reason: reason.clone(),
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&listing).unwrap_or_default();
        text.push('\n');
        let text = journal::escape_del_and_c1(&text);
        if terminal {
            sanitize::escape(&text).into_owned()
        } else {
            text
        }
    }

    /// Text that JSON, DEL/C1 escaping and the terminal escaping all touch.
    const ODD: &str =
        "[a-z \u{7f}\u{80}\u{9b}\u{9f}\u{a0}\u{1b}\u{7}\u{202e}\u{200b}\n\t\"\\\\é停🌿]{0,12}";

    fn rows() -> impl Strategy<Value = Vec<journal::Row>> {
        prop::collection::vec(
            (
                ODD,
                ODD,
                ODD,
                prop::option::of(ODD),
                -2_000_000_000i64..2_000_000_000,
                any::<bool>(),
            ),
            0..6,
        )
        .prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(n, (mode, protocol, title, drill, secs, finished))| {
                    let at = chrono::DateTime::from_timestamp(secs, 0)
                        .unwrap()
                        .fixed_offset();
                    journal::Row::of(&Session {
                        id: format!("20240101-090000-{n:04x}"),
                        mode: journal::SessionMode::from_word(&mode),
                        protocol,
                        protocol_title: title,
                        drill,
                        started_at: at,
                        finished_at: finished.then_some(at),
                        complete: finished,
                        steps: Vec::new(),
                        extra: Default::default(),
                    })
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn the_streamed_json_listing_is_the_whole_one(
            rows in rows(),
            unreadable in prop::collection::vec((ODD, ODD), 0..3),
            terminal in any::<bool>(),
        ) {
            let unreadable: Vec<(PathBuf, String)> = unreadable
                .into_iter()
                .map(|(path, reason)| (PathBuf::from(format!("/d/{path}")), reason))
                .collect();
            let mut out = Vec::new();
            write_json_listing(&mut out, &rows, &unreadable, terminal).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), whole_listing(&rows, &unreadable, terminal));
        }

        /// Pieces cut anywhere, even inside a character, come out as the
        /// whole text escaped at once.
        #[test]
        fn escaping_pieces_cut_anywhere_is_escaping_the_whole(
            text in ODD,
            cuts in prop::collection::vec(0usize..64, 0..6),
            terminal in any::<bool>(),
        ) {
            let bytes = text.as_bytes();
            let mut out = Escaping { inner: Vec::new(), terminal, pending: Vec::new(), json: true };
            let mut at = 0;
            for cut in cuts {
                let end = (at + cut).min(bytes.len());
                out.write_all(&bytes[at..end]).unwrap();
                at = end;
            }
            out.write_all(&bytes[at..]).unwrap();
            out.flush().unwrap();
            let whole = journal::escape_del_and_c1(&text);
            let whole = if terminal { sanitize::escape(&whole).into_owned() } else { whole };
            prop_assert_eq!(String::from_utf8(out.inner).unwrap(), whole);
        }
    }
}
