//! The JSON Schema of the protocol format (`repair protocols schema`),
//! checked with the tests' own strict draft-07 validator
//! ([`crate::schema_check`], which panics on any keyword or pattern it does
//! not know): every shipped protocol passes it, and every malformed case
//! below fails both the schema and `repair validate` (the parser), so an
//! editor and the tool agree.
//!
//! Some mistakes only `repair validate` can see (a duplicate id, a focus
//! naming no step, a card whose markers are all of the other kind); the
//! schema says so in its description, and those are not listed here.

use crate::common;

use std::path::PathBuf;

use common::{Sandbox, run};
use repair_practice::protocol::{SCHEMA_TEXT, parse};

use crate::schema_check::Validator;

fn validator() -> Validator {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA_TEXT).expect("the schema is JSON");
    Validator::new(schema)
}

/// A protocol file as JSON, as an editor's TOML language server sees it.
fn as_json(text: &str) -> serde_json::Value {
    toml::from_str(text).expect("valid TOML")
}

/// Every schema error for a file, as text.
fn schema_errors(validator: &Validator, text: &str) -> Vec<String> {
    validator
        .errors(&as_json(text))
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn shipped() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("steps");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("steps/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (p, text)
        })
        .collect()
}

#[test]
fn every_shipped_protocol_passes_the_schema() {
    let validator = validator();
    let files = shipped();
    assert!(files.len() >= 2);
    for (path, text) in &files {
        let errors = schema_errors(&validator, text);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        parse(text, &path.display().to_string()).expect("and repair validate passes it");
    }
}

#[test]
fn the_starter_written_by_protocols_new_passes_the_schema_beside_it() {
    let sb = Sandbox::new();
    let out = run(&sb, &["protocols", "new", "june-topic"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let dir = sb.data().join("protocols");
    let text = std::fs::read_to_string(dir.join("june-topic.toml")).expect("written");
    assert!(
        text.starts_with("#:schema ./protocol.schema.json\n"),
        "{text}"
    );
    let schema = std::fs::read_to_string(dir.join("protocol.schema.json")).expect("schema written");
    assert_eq!(schema, SCHEMA_TEXT);
    assert!(schema_errors(&validator(), &text).is_empty());
}

#[test]
fn protocols_schema_prints_the_schema() {
    let sb = Sandbox::new();
    let out = run(&sb, &["protocols", "schema"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_eq!(out.stdout(), SCHEMA_TEXT);
}

/// A valid format-2 protocol with one step and one card; the malformed cases
/// change one thing in it.
const GOOD: &str = r#"[protocol]
format = 2
id = "demo"
title = "Demo"
focus = "scan"

[[step]]
id = "scan"
title = "Scan"
guidance = "Feel."
criteria = ["Pauses."]
observable = false

[step.pause]
seconds = 60
cues = ["Feet on the floor."]
breath = { inhale = 4, exhale = 6, on = false }

[resolution]
withdrawal = "Invite the feeling."

[[resource]]
title = "A reading"
location = "The shared folder"

[[scenario]]
id = "quiet"
kind = "withdrawal"
level = "beginner"
scene = "Mid-session."
client = "Fine."
markers = ["denial"]
examples = ["I moved on quickly there."]
pitfalls = [{ response = "Great.", why = "Takes it at its word." }]
tags = ["telehealth"]
"#;

/// Each malformed case: a name, the text to replace in GOOD, and what
/// replaces it.
const MALFORMED: &[(&str, &str, &str)] = &[
    (
        "unknown top-level key",
        "[protocol]\n",
        "colour = 1\n[protocol]\n",
    ),
    (
        "unknown protocol key",
        "title = \"Demo\"",
        "title = \"Demo\"\nauthor = \"x\"",
    ),
    ("format 3", "format = 2", "format = 3"),
    ("format as text", "format = 2", "format = \"2\""),
    ("id with capitals", "id = \"demo\"", "id = \"Demo\""),
    ("empty title", "title = \"Demo\"", "title = \"  \""),
    ("missing guidance", "guidance = \"Feel.\"\n", ""),
    (
        "criteria not a list",
        "criteria = [\"Pauses.\"]",
        "criteria = \"Pauses.\"",
    ),
    (
        "five criteria",
        "criteria = [\"Pauses.\"]",
        "criteria = [\"a\", \"b\", \"c\", \"d\", \"e\"]",
    ),
    (
        "observable as text",
        "observable = false",
        "observable = \"no\"",
    ),
    ("seconds zero", "seconds = 60", "seconds = 0"),
    ("seconds too long", "seconds = 60", "seconds = 3601"),
    ("inhale zero", "inhale = 4", "inhale = 0"),
    ("breath on as text", "on = false", "on = \"off\""),
    ("unknown breath key", "on = false", "on = false, hold = 2"),
    ("unknown resolution key", "withdrawal = ", "withdrawl = "),
    (
        "resource without location",
        "location = \"The shared folder\"\n",
        "",
    ),
    ("unknown kind", "kind = \"withdrawal\"", "kind = \"angry\""),
    (
        "unknown level",
        "level = \"beginner\"",
        "level = \"expert\"",
    ),
    ("missing client", "client = \"Fine.\"\n", ""),
    ("unknown marker", "[\"denial\"]", "[\"denail\"]"),
    (
        "repeated marker",
        "[\"denial\"]",
        "[\"denial\", \"denial\"]",
    ),
    ("unknown tag", "[\"telehealth\"]", "[\"zoom\"]"),
    (
        "four examples",
        "examples = [\"I moved on quickly there.\"]",
        "examples = [\"a\", \"b\", \"c\", \"d\"]",
    ),
    (
        "pitfall without why",
        ", why = \"Takes it at its word.\"",
        "",
    ),
    (
        "scene and context",
        "scene = \"Mid-session.\"",
        "scene = \"a\"\ncontext = \"b\"",
    ),
    (
        "control character",
        "title = \"Demo\"",
        "title = \"De\\u001bmo\"",
    ),
    (
        "bidi override",
        "title = \"Demo\"",
        "title = \"De\\u202Emo\"",
    ),
    (
        "bidi isolate",
        "guidance = \"Feel.\"",
        "guidance = \"Fe\\u2066el.\"",
    ),
    (
        "criterion table without text",
        "criteria = [\"Pauses.\"]",
        "criteria = [{ id = \"pause\" }]",
    ),
    (
        "criterion id with capitals",
        "criteria = [\"Pauses.\"]",
        "criteria = [{ id = \"Pause\", text = \"Pauses.\" }]",
    ),
    (
        "model meets a bare word, not step.id",
        "examples = [\"I moved on quickly there.\"]",
        "examples = [{ says = \"x\", meets = [\"pause\"] }]",
    ),
    (
        "model with an unknown strategy",
        "examples = [\"I moved on quickly there.\"]",
        "examples = [{ says = \"x\", meets = [\"scan.1\"], strategy = \"apologise\" }]",
    ),
    (
        "model without says",
        "examples = [\"I moved on quickly there.\"]",
        "examples = [{ meets = [\"scan.1\"] }]",
    ),
    (
        "unknown content word",
        "tags = [\"telehealth\"]",
        "tags = [\"telehealth\"]\ncontent = [\"suicide\"]",
    ),
    ("no steps", "[[step]]", "[[stepx]]"),
    ("format-2 key in a format-1 file", "format = 2\n", ""),
];

#[test]
fn every_malformed_case_fails_both_the_schema_and_validate() {
    let validator = validator();
    assert!(
        schema_errors(&validator, GOOD).is_empty(),
        "{:#?}",
        schema_errors(&validator, GOOD)
    );
    parse(GOOD, "good.toml").expect("GOOD is valid");
    for (name, from, to) in MALFORMED {
        assert!(GOOD.contains(from), "{name}: {from:?} is not in GOOD");
        let text = GOOD.replacen(from, to, 1);
        assert!(
            !schema_errors(&validator, &text).is_empty(),
            "{name}: the schema accepts it"
        );
        assert!(
            parse(&text, "bad.toml").is_err(),
            "{name}: validate accepts it"
        );
    }
}

#[test]
fn criterion_ids_model_tables_and_content_pass_both_the_schema_and_validate() {
    let text = GOOD
        .replacen(
            "criteria = [\"Pauses.\"]",
            "criteria = [{ id = \"pause\", text = \"Pauses.\" }, \"Names one thing.\"]",
            1,
        )
        .replacen(
            "examples = [\"I moved on quickly there.\"]",
            "examples = [{ says = \"I moved on quickly there.\", meets = [\"scan.pause\", \"scan.2\"], \
             strategy = \"own-part\" }, \"A plain model.\"]",
            1,
        )
        .replacen(
            "tags = [\"telehealth\"]",
            "tags = [\"telehealth\"]\ncontent = [\"bereavement\"]",
            1,
        );
    let errors = schema_errors(&validator(), &text);
    assert!(errors.is_empty(), "{errors:#?}");
    let protocol = parse(&text, "new.toml").expect("validate passes it");
    assert_eq!(
        protocol.scenarios[0].examples[0].meets,
        ["scan.pause", "scan.2"]
    );
}

/// A keyword added to the schema that the tests' validator would ignore
/// must stop the tests, not pass unchecked: here in a definition every text
/// field uses.
#[test]
#[should_panic(
    expected = "the test validator does not know keyword maxLength (at #/definitions/text): \
                teach it, or the schema is no longer checked"
)]
fn a_schema_keyword_the_validator_does_not_know_stops_the_tests() {
    let mut schema: serde_json::Value =
        serde_json::from_str(SCHEMA_TEXT).expect("the schema is JSON");
    schema["definitions"]["text"]["maxLength"] = 2000.into();
    Validator::new(schema);
}
