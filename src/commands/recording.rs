//! Whether a drill or rehearsal records spoken responses (`--record` or the
//! `record` setting), and with what: the one line said when it cannot.

use crate::journal::Journal;
use crate::journal::audio::{Recorder, find_player, find_recorder};
use crate::settings::Settings;

/// The recorder for session `id`, or `None` with the one line saying why
/// recording is off (`None, None`: it was not asked for).
pub fn recorder(
    settings: &Settings,
    flag: bool,
    typed: bool,
    journal: &dyn Journal,
    id: &str,
) -> (Option<Recorder>, Option<&'static str>) {
    if !(flag || settings.record) {
        return (None, None);
    }
    if typed {
        return (
            None,
            Some("Not recording: with --type the response is typed, not spoken."),
        );
    }
    if !journal.keeps() {
        return (
            None,
            Some(
                "Not recording: a recording is kept with its session, and nothing is being saved (repair rehearse saves with --save).",
            ),
        );
    }
    let Some(tool) = find_recorder(settings.record_command.as_deref()) else {
        return (
            None,
            Some(
                "Not recording: no recorder found (rec, arecord or ffmpeg); docs/guide.md says how to install one.",
            ),
        );
    };
    let Some(audio) = journal.audio(id) else {
        return (
            None,
            Some("Not recording: the notes are encrypted and locked."),
        );
    };
    let player = find_player(settings.play_command.as_deref());
    (
        Some(Recorder {
            audio,
            tool,
            player,
        }),
        None,
    )
}
