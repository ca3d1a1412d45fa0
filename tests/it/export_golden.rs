//! The JSON export is a public interface: a session of
//! each mode, a version-1 rehearsal (rounds without the deliberate-practice
//! answers) and a mode this version does not know read and export to
//! exactly the bytes the string-typed records wrote. The expected file,
//! `tests/fixtures/export/sessions.json`, was written by the code before the
//! mode became an enum (`EXPORT_GOLDEN_WRITE=1` writes it again).

use repair_practice::journal::{Session, export_json};

const PRACTICE: &str = r#"{"id":"20261101-090000-aaaaaaaa","mode":"practice","protocol":"rupture-repair","protocol_title":"Rupture and Repair","drill":null,"started_at":"2026-11-01T09:00:00+01:00","finished_at":"2026-11-01T09:20:00+01:00","complete":true,"steps":[{"id":"notice","title":"Notice the marker","status":"done","notes":"She went quiet.","pause_seconds":30},{"id":"reflect","title":"Reflect","status":"follow-up","notes":"","pause_seconds":null}]}"#;

const PREP: &str = r#"{"id":"20261102-090000-bbbbbbbb","mode":"prep","protocol":"rupture-repair","protocol_title":"Rupture and Repair","drill":null,"started_at":"2026-11-02T09:00:00+01:00","finished_at":null,"complete":false,"steps":[{"id":"notice","title":"Notice the marker","status":"skipped","notes":"","pause_seconds":null}],"intention":"Ask about last week.","at_step":"notice"}"#;

const REHEARSE: &str = r#"{"id":"20261103-090000-cccccccc","mode":"rehearse","protocol":"rupture-repair","protocol_title":"Rupture and Repair","drill":"reflect","started_at":"2026-11-03T09:00:00+01:00","finished_at":"2026-11-03T10:00:00+01:00","complete":true,"steps":[],"rounds":[{"number":1,"card":"late-again","kind":"withdrawal","level":"intermediate","repeated":false,"roles":["therapist","client","observer"],"checklist":["reflect"],"feedback":"Named it as a guess.","difficulty":"about right","attempt":2,"therapist_seat":0,"therapist_level":"beginner","next_level":"intermediate","guess_kind":"withdrawal","guess_kind_right":true,"guess_marker":"minimal-response","guess_marker_right":false,"rating":4,"reactions":["relieved"],"criteria_met":[{"step":"reflect","number":1,"text":"names the client's experience as a guess"}]}]}"#;

const REHEARSE_V1: &str = r#"{"id":"20240501-090000-dddd","mode":"rehearse","protocol":"rupture-repair","protocol_title":"Rupture and Repair","drill":null,"started_at":"2024-05-01T09:00:00+02:00","finished_at":"2024-05-01T09:45:00+02:00","complete":true,"steps":[],"rounds":[{"number":1,"card":"you-never-listen","kind":"confrontation","level":"advanced","repeated":true,"roles":["client","therapist"],"checklist":["validate","reflect"],"feedback":"","difficulty":"too hard"}]}"#;

const DRILL: &str = r#"{"id":"20261104-090000-eeeeeeee","mode":"drill","protocol":"rupture-repair","protocol_title":"Rupture and Repair","drill":null,"started_at":"2026-11-04T09:00:00+01:00","finished_at":"2026-11-04T09:10:00+01:00","complete":true,"steps":[],"drill_cards":[{"number":1,"card":"late-again","kind":"withdrawal","level":"beginner","client":"I'm fine.","attempt":1,"rating":3,"criteria_met":["asks whether it fits"],"criteria_missed":["stops and listens"],"self_report":"rushed","marker_guess":"denial","marker_right":true,"respond_seconds":42,"response":"It sounds like something landed badly.","next_level":"intermediate"}]}"#;

const UNKNOWN_MODE: &str = r#"{"id":"20261105-090000-ffffffff","mode":"shadowing","protocol":"rupture-repair","started_at":"2026-11-05T09:00:00+01:00","finished_at":null,"complete":false,"steps":[]}"#;

const EXPECTED: &str = "tests/fixtures/export/sessions.json";

#[test]
fn each_mode_and_a_v1_rehearsal_export_the_same_bytes() {
    let sessions: Vec<Session> = [PRACTICE, PREP, REHEARSE, REHEARSE_V1, DRILL, UNKNOWN_MODE]
        .iter()
        .map(|json| serde_json::from_str(json).expect("the record reads"))
        .collect();
    let json = export_json(&sessions);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(EXPECTED);
    if std::env::var_os("EXPORT_GOLDEN_WRITE").is_some() {
        std::fs::write(&path, &json).expect("write the expected export");
    }
    let expected = std::fs::read_to_string(&path).expect("the expected export");
    assert_eq!(json, expected);
    // And what was exported reads back to the same sessions.
    let back: Vec<Session> = serde_json::from_str(&json).expect("the export reads");
    assert_eq!(back, sessions);
}
