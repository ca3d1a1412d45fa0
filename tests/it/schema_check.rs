//! A small, strict validator for the part of JSON Schema draft-07 that the
//! protocol schema uses, for the tests only: [`Validator::errors`] checks a
//! `serde_json::Value` against the schema and returns every error with the
//! instance path (a JSON Pointer) where it was found.
//!
//! Why not a kept crate: the one we used brought some thirty crates nobody
//! else needs onto the critical path of every cold test build, to check one
//! file against one schema.
//!
//! Strict, so that the schema tests cannot quietly become vacuous: a keyword
//! this validator does not know, anywhere in the schema, panics when the
//! validator is made (an ignored keyword would be a rule left unchecked), and
//! so does a `pattern` missing from [`PATTERNS`]. No regex crate (whose `\s`
//! is not ECMA-262's anyway): each pattern the schema uses is a named
//! predicate here, keyed by its exact text.

use std::fmt;

use serde_json::{Map, Value};

/// The only dialect this validator knows.
const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Keywords that say nothing about what is valid.
const ANNOTATIONS: &[&str] = &["$schema", "title", "description"];

/// The type names of draft-07.
const TYPES: &[&str] = &[
    "null", "boolean", "object", "array", "number", "integer", "string",
];

/// A `pattern` the validator knows: its exact text in the schema, what it
/// means, and the predicate that stands in for the regular expression.
pub struct Pattern {
    pub source: &'static str,
    pub means: &'static str,
    pub test: fn(&str) -> bool,
}

/// Every pattern the protocol schema uses.
pub const PATTERNS: &[Pattern] = &[
    Pattern {
        source: r"^[a-z0-9-]+$",
        means: "an id: lowercase letters, digits and '-'",
        test: is_id,
    },
    Pattern {
        source: r"^[a-z0-9-]+\.[a-z0-9-]+$",
        means: "step.id: two ids joined by one '.'",
        test: is_step_dot_id,
    },
    Pattern {
        source: r"\S",
        means: "not blank: some character that is not ECMA-262 white space",
        test: has_non_space,
    },
    Pattern {
        source: r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$",
        means: "no control character but newline, tab and CR, and no bidi embedding, override or isolate",
        test: has_no_refused_character,
    },
];

fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_step_dot_id(text: &str) -> bool {
    text.split_once('.')
        .is_some_and(|(step, id)| is_id(step) && is_id(id))
}

/// `\s` in ECMA-262 (what a schema's `pattern` is written in): its
/// WhiteSpace (tab, VT, FF, space, NBSP, BOM and every `Zs`) and its
/// LineTerminator (LF, CR, U+2028, U+2029). Not Rust's `is_whitespace`,
/// which takes U+0085 and leaves out U+FEFF.
fn is_ecma_space(c: char) -> bool {
    matches!(c,
        '\t'..='\r'
        | ' '
        | '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}'
        | '\u{FEFF}')
}

fn has_non_space(text: &str) -> bool {
    text.chars().any(|c| !is_ecma_space(c))
}

fn has_no_refused_character(text: &str) -> bool {
    !text.chars().any(|c| {
        matches!(c,
            '\u{0000}'..='\u{0008}'
            | '\u{000B}'
            | '\u{000C}'
            | '\u{000E}'..='\u{001F}'
            | '\u{007F}'..='\u{009F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}')
    })
}

/// One way an instance breaks the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// Where, as a JSON Pointer into the instance ("" is the whole of it).
    pub path: String,
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} at the top", self.message)
        } else {
            write!(f, "{} at {}", self.message, self.path)
        }
    }
}

/// A schema checked once for keywords this validator knows, ready to
/// validate instances.
pub struct Validator {
    root: Value,
}

impl Validator {
    /// Panics, naming it, on anything in the schema the validator does not
    /// know: a keyword, a pattern, a `$ref` other than `#/definitions/NAME`.
    pub fn new(schema: Value) -> Self {
        check_schema(&schema, &schema, "#", true);
        Self { root: schema }
    }

    /// Every error in `instance`, in the order the schema meets them.
    pub fn errors(&self, instance: &Value) -> Vec<SchemaError> {
        let mut out = Vec::new();
        self.validate(&self.root, instance, "", &mut out);
        out
    }

    pub fn is_valid(&self, instance: &Value) -> bool {
        self.errors(instance).is_empty()
    }

    fn passes(&self, schema: &Value, instance: &Value, path: &str) -> bool {
        let mut out = Vec::new();
        self.validate(schema, instance, path, &mut out);
        out.is_empty()
    }

    fn validate(&self, schema: &Value, instance: &Value, path: &str, out: &mut Vec<SchemaError>) {
        let error = |out: &mut Vec<SchemaError>, message: String| {
            out.push(SchemaError {
                path: path.to_string(),
                message,
            })
        };
        let keywords = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                return error(out, format!("{} is not allowed here", short(instance)));
            }
            Value::Object(keywords) => keywords,
            _ => unreachable!("checked in Validator::new"),
        };
        // Draft-07 ignores every sibling of `$ref`; `new` allows only
        // annotations beside it, so nothing is lost.
        if let Some(Value::String(reference)) = keywords.get("$ref") {
            return self.validate(self.definition(reference), instance, path, out);
        }
        if let Some(expected) = keywords.get("type") {
            let names: Vec<&str> = match expected {
                Value::String(name) => vec![name.as_str()],
                Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
                _ => unreachable!("checked in Validator::new"),
            };
            if !names.iter().any(|name| has_type(instance, name)) {
                error(
                    out,
                    format!("{} is not of type {}", short(instance), expected),
                );
            }
        }
        if let Some(Value::Array(allowed)) = keywords.get("enum")
            && !allowed.iter().any(|v| json_equal(v, instance))
        {
            error(
                out,
                format!(
                    "{} is not one of {}",
                    short(instance),
                    Value::Array(allowed.clone())
                ),
            );
        }
        if let Some(expected) = keywords.get("const")
            && !json_equal(expected, instance)
        {
            error(
                out,
                format!("{expected} was expected, not {}", short(instance)),
            );
        }
        if let Some(n) = instance.as_f64() {
            if let Some(min) = keywords.get("minimum").and_then(Value::as_f64)
                && n < min
            {
                error(out, format!("{instance} is less than the minimum of {min}"));
            }
            if let Some(max) = keywords.get("maximum").and_then(Value::as_f64)
                && n > max
            {
                error(
                    out,
                    format!("{instance} is greater than the maximum of {max}"),
                );
            }
        }
        if let (Some(Value::String(source)), Value::String(text)) =
            (keywords.get("pattern"), instance)
        {
            let pattern = pattern(source);
            if !(pattern.test)(text) {
                error(
                    out,
                    format!(
                        "{} does not match {:?} ({})",
                        short(instance),
                        source,
                        pattern.means
                    ),
                );
            }
        }
        if let Value::Array(items) = instance {
            self.validate_array(keywords, items, path, out);
        }
        if let Value::Object(members) = instance {
            self.validate_object(keywords, members, path, out);
        }
        if let Some(Value::Array(all)) = keywords.get("allOf") {
            for sub in all {
                self.validate(sub, instance, path, out);
            }
        }
        if let Some(Value::Array(one)) = keywords.get("oneOf") {
            match one
                .iter()
                .filter(|sub| self.passes(sub, instance, path))
                .count()
            {
                1 => {}
                0 => error(
                    out,
                    format!("{} is valid under none of oneOf", short(instance)),
                ),
                n => error(
                    out,
                    format!("{} is valid under {n} of oneOf, not one", short(instance)),
                ),
            }
        }
        if let Some(not) = keywords.get("not")
            && self.passes(not, instance, path)
        {
            error(
                out,
                format!("{} must not be valid under {not}", short(instance)),
            );
        }
        if let Some(condition) = keywords.get("if") {
            let branch = if self.passes(condition, instance, path) {
                keywords.get("then")
            } else {
                keywords.get("else")
            };
            if let Some(branch) = branch {
                self.validate(branch, instance, path, out);
            }
        }
    }

    fn validate_array(
        &self,
        keywords: &Map<String, Value>,
        items: &[Value],
        path: &str,
        out: &mut Vec<SchemaError>,
    ) {
        let mut error = |message: String| {
            out.push(SchemaError {
                path: path.to_string(),
                message,
            })
        };
        if let Some(min) = keywords.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            error(format!(
                "{} items are fewer than minItems {min}",
                items.len()
            ));
        }
        if let Some(max) = keywords.get("maxItems").and_then(Value::as_u64)
            && (items.len() as u64) > max
        {
            error(format!(
                "{} items are more than maxItems {max}",
                items.len()
            ));
        }
        if keywords.get("uniqueItems") == Some(&Value::Bool(true)) {
            let repeated = items
                .iter()
                .enumerate()
                .find(|(i, a)| items[..*i].iter().any(|b| json_equal(a, b)));
            if let Some((_, item)) = repeated {
                error(format!(
                    "{} is repeated, and items must be unique",
                    short(item)
                ));
            }
        }
        if let Some(each) = keywords.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.validate(each, item, &format!("{path}/{i}"), out);
            }
        }
    }

    fn validate_object(
        &self,
        keywords: &Map<String, Value>,
        members: &Map<String, Value>,
        path: &str,
        out: &mut Vec<SchemaError>,
    ) {
        if let Some(Value::Array(required)) = keywords.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !members.contains_key(name) {
                    out.push(SchemaError {
                        path: path.to_string(),
                        message: format!("{name:?} is a required property"),
                    });
                }
            }
        }
        let properties = keywords.get("properties").and_then(Value::as_object);
        for (name, value) in members {
            let at = format!("{path}/{}", name.replace('~', "~0").replace('/', "~1"));
            match properties.and_then(|p| p.get(name)) {
                Some(sub) => self.validate(sub, value, &at, out),
                None => {
                    if let Some(extra) = keywords.get("additionalProperties") {
                        if extra == &Value::Bool(false) {
                            // Said at the object, as validators do: the
                            // member is the mistake, not its value.
                            out.push(SchemaError {
                                path: path.to_string(),
                                message: format!("{name:?} is not an allowed property"),
                            });
                        } else {
                            self.validate(extra, value, &at, out);
                        }
                    }
                }
            }
        }
    }

    fn definition(&self, reference: &str) -> &Value {
        let name = reference
            .strip_prefix("#/definitions/")
            .expect("checked in Validator::new");
        &self.root["definitions"][name]
    }
}

/// The instance, cut short for an error message.
fn short(instance: &Value) -> String {
    let text = instance.to_string();
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

fn has_type(instance: &Value, name: &str) -> bool {
    match name {
        "null" => instance.is_null(),
        "boolean" => instance.is_boolean(),
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "number" => instance.is_number(),
        "string" => instance.is_string(),
        // Draft-07: any number with no fraction, 2.0 as much as 2.
        "integer" => match instance {
            Value::Number(n) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        _ => unreachable!("checked in Validator::new"),
    }
}

/// Equality as JSON Schema means it: numbers by value (2 equals 2.0).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn pattern(source: &str) -> &'static Pattern {
    PATTERNS
        .iter()
        .find(|p| p.source == source)
        .unwrap_or_else(|| {
            panic!(
                "the test validator does not know pattern {source:?}: teach it (a predicate in \
                 PATTERNS), or the schema is no longer checked"
            )
        })
}

/// Walks the whole schema once, reached or not, and panics on anything the
/// validator would otherwise ignore or get wrong.
fn check_schema(root: &Value, schema: &Value, at: &str, is_root: bool) {
    let keywords = match schema {
        Value::Bool(_) => return,
        Value::Object(keywords) => keywords,
        other => panic!("a schema is an object or a boolean, not {other} (at {at})"),
    };
    let bad = |what: &str| -> ! { panic!("the schema's {what} (at {at}) is not as draft-07 says") };
    let sub = |key: &str, value: &Value| check_schema(root, value, &format!("{at}/{key}"), false);
    let subs = |key: &str, value: &Value| match value {
        Value::Array(list) if !list.is_empty() => {
            for (i, s) in list.iter().enumerate() {
                check_schema(root, s, &format!("{at}/{key}/{i}"), false);
            }
        }
        _ => bad(key),
    };
    let count = |key: &str, value: &Value| {
        if value.as_u64().is_none() {
            bad(key)
        }
    };
    for (key, value) in keywords {
        match key.as_str() {
            "$schema" => {
                if !is_root || value != DRAFT_07 {
                    panic!("the test validator knows draft-07 only, at the top (at {at}: {value})")
                }
            }
            "title" | "description" => {
                if !value.is_string() {
                    bad(key)
                }
            }
            "type" => {
                let known = |v: &Value| v.as_str().is_some_and(|name| TYPES.contains(&name));
                match value {
                    Value::String(_) if known(value) => {}
                    Value::Array(names) if !names.is_empty() && names.iter().all(known) => {}
                    _ => bad(key),
                }
            }
            "$ref" => {
                let name = value
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/definitions/"))
                    .unwrap_or_else(|| {
                        panic!(
                            "the test validator knows $ref to #/definitions/NAME only, not {value} \
                             (at {at}): teach it, or the schema is no longer checked"
                        )
                    });
                if root.get("definitions").and_then(|d| d.get(name)).is_none() {
                    panic!("$ref {value} names no definition (at {at})")
                }
                if let Some(other) = keywords
                    .keys()
                    .find(|k| *k != "$ref" && !ANNOTATIONS.contains(&k.as_str()))
                {
                    panic!(
                        "{other} beside $ref (at {at}) is ignored in draft-07: move it into the \
                         definition or an allOf"
                    )
                }
            }
            "definitions" | "properties" => {
                if key == "definitions" && !is_root {
                    panic!("the test validator resolves definitions at the top only (at {at})")
                }
                let Value::Object(named) = value else {
                    bad(key)
                };
                for (name, s) in named {
                    sub(&format!("{key}/{name}"), s);
                }
            }
            "required" => match value {
                Value::Array(names) if names.iter().all(Value::is_string) => {}
                _ => bad(key),
            },
            "additionalProperties" | "not" | "if" | "then" | "else" => sub(key, value),
            "items" => {
                if value.is_array() {
                    panic!(
                        "the test validator knows items as one schema only, not a list (at {at}): \
                         teach it, or the schema is no longer checked"
                    )
                }
                sub(key, value)
            }
            "minItems" | "maxItems" => count(key, value),
            "uniqueItems" => {
                if !value.is_boolean() {
                    bad(key)
                }
            }
            "enum" => match value {
                Value::Array(list) if !list.is_empty() => {}
                _ => bad(key),
            },
            "const" => {}
            "minimum" | "maximum" => {
                if !value.is_number() {
                    bad(key)
                }
            }
            "pattern" => {
                let Value::String(source) = value else {
                    bad(key)
                };
                pattern(source);
            }
            "oneOf" | "allOf" => subs(key, value),
            other => panic!(
                "the test validator does not know keyword {other} (at {at}): teach it, or the \
                 schema is no longer checked"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The paths of every error `instance` has under `schema`.
    fn paths(schema: Value, instance: Value) -> Vec<String> {
        Validator::new(schema)
            .errors(&instance)
            .into_iter()
            .map(|e| e.path)
            .collect()
    }

    /// `schema` under `/a` of an object, so that an error's path is seen to
    /// be where the value is.
    fn at_a(schema: Value) -> Value {
        json!({ "properties": { "a": schema } })
    }

    fn pass(schema: Value, a: Value) {
        assert_eq!(
            paths(at_a(schema.clone()), json!({ "a": a })),
            Vec::<String>::new(),
            "{schema} {a}"
        );
    }

    fn fail(schema: Value, a: Value) {
        assert_eq!(
            paths(at_a(schema.clone()), json!({ "a": a })),
            ["/a"],
            "{schema} {a}"
        );
    }

    #[test]
    fn annotations_say_nothing_about_validity() {
        let schema = json!({ "$schema": DRAFT_07, "title": "t", "description": "d" });
        assert!(Validator::new(schema).is_valid(&json!([1, "x", null])));
    }

    #[test]
    fn type_names_one_type_or_a_list() {
        pass(json!({ "type": "string" }), json!("x"));
        fail(json!({ "type": "string" }), json!(1));
        pass(json!({ "type": "object" }), json!({}));
        fail(json!({ "type": "object" }), json!([]));
        pass(json!({ "type": "array" }), json!([]));
        fail(json!({ "type": "array" }), json!({}));
        pass(json!({ "type": "boolean" }), json!(false));
        fail(json!({ "type": "boolean" }), json!("false"));
        pass(json!({ "type": "null" }), json!(null));
        fail(json!({ "type": "null" }), json!(0));
        pass(json!({ "type": "number" }), json!(1.5));
        fail(json!({ "type": "number" }), json!("1.5"));
        pass(json!({ "type": ["string", "null"] }), json!(null));
        fail(json!({ "type": ["string", "null"] }), json!(true));
    }

    #[test]
    fn an_integer_is_a_number_with_no_fraction() {
        pass(json!({ "type": "integer" }), json!(3));
        pass(json!({ "type": "integer" }), json!(-3));
        pass(json!({ "type": "integer" }), json!(3.0));
        fail(json!({ "type": "integer" }), json!(3.5));
        fail(json!({ "type": "integer" }), json!("3"));
    }

    #[test]
    fn ref_validates_against_the_named_definition() {
        let schema = json!({
            "definitions": { "word": { "type": "string" } },
            "properties": { "a": { "description": "d", "$ref": "#/definitions/word" } }
        });
        assert!(paths(schema.clone(), json!({ "a": "x" })).is_empty());
        assert_eq!(paths(schema, json!({ "a": 1 })), ["/a"]);
    }

    #[test]
    fn properties_validate_each_named_member_and_no_other() {
        let schema = json!({ "properties": { "a": { "type": "string" }, "b~/": false } });
        assert!(paths(schema.clone(), json!({ "a": "x", "c": 1 })).is_empty());
        assert_eq!(paths(schema.clone(), json!({ "a": 1 })), ["/a"]);
        assert_eq!(paths(schema, json!({ "b~/": 1 })), ["/b~0~1"]);
    }

    #[test]
    fn required_names_members_that_must_be_there() {
        pass(json!({ "required": ["x"] }), json!({ "x": 1 }));
        fail(json!({ "required": ["x"] }), json!({ "y": 1 }));
        pass(json!({ "required": ["x"] }), json!("not an object"));
    }

    #[test]
    fn additional_properties_false_refuses_unnamed_members() {
        let schema = json!({ "properties": { "x": true }, "additionalProperties": false });
        pass(schema.clone(), json!({ "x": 1 }));
        fail(schema, json!({ "x": 1, "y": 2 }));
    }

    #[test]
    fn additional_properties_as_a_schema_validates_unnamed_members() {
        let schema = at_a(
            json!({ "properties": { "x": true }, "additionalProperties": { "type": "integer" } }),
        );
        assert!(paths(schema.clone(), json!({ "a": { "x": "s", "y": 2 } })).is_empty());
        assert_eq!(paths(schema, json!({ "a": { "y": "s" } })), ["/a/y"]);
    }

    #[test]
    fn items_validates_every_item_at_its_index() {
        let schema = at_a(json!({ "items": { "type": "integer" } }));
        assert!(paths(schema.clone(), json!({ "a": [1, 2] })).is_empty());
        assert_eq!(
            paths(schema, json!({ "a": [1, "x", 3, "y"] })),
            ["/a/1", "/a/3"]
        );
    }

    #[test]
    fn min_and_max_items_bound_the_length() {
        pass(json!({ "minItems": 1, "maxItems": 2 }), json!([1, 2]));
        fail(json!({ "minItems": 1 }), json!([]));
        fail(json!({ "maxItems": 2 }), json!([1, 2, 3]));
    }

    #[test]
    fn unique_items_refuses_a_repeat_even_written_differently() {
        pass(json!({ "uniqueItems": true }), json!(["a", "b", 1, 2]));
        fail(json!({ "uniqueItems": true }), json!(["a", "b", "a"]));
        fail(json!({ "uniqueItems": true }), json!([2, 2.0]));
        pass(json!({ "uniqueItems": false }), json!(["a", "a"]));
    }

    #[test]
    fn enum_and_const_compare_as_json() {
        pass(json!({ "enum": [1, 2] }), json!(2));
        pass(json!({ "enum": [1, 2] }), json!(2.0));
        fail(json!({ "enum": [1, 2] }), json!("2"));
        fail(json!({ "enum": ["a"] }), json!("b"));
        pass(json!({ "const": 2 }), json!(2));
        fail(json!({ "const": 2 }), json!(3));
        pass(json!({ "const": { "k": [1] } }), json!({ "k": [1.0] }));
        fail(
            json!({ "const": { "k": [1] } }),
            json!({ "k": [1], "j": 0 }),
        );
    }

    #[test]
    fn minimum_and_maximum_are_inclusive() {
        let range = json!({ "minimum": 1, "maximum": 20 });
        pass(range.clone(), json!(1));
        pass(range.clone(), json!(20));
        fail(range.clone(), json!(0));
        fail(range.clone(), json!(21));
        fail(range.clone(), json!(20.5));
        pass(range, json!("not a number"));
    }

    #[test]
    fn each_pattern_is_its_predicate() {
        let id = json!({ "pattern": PATTERNS[0].source });
        pass(id.clone(), json!("check-in-2"));
        fail(id.clone(), json!("Check"));
        fail(id.clone(), json!(""));
        fail(id.clone(), json!("a.b"));
        fail(id.clone(), json!("a\n"));
        pass(id, json!(7));

        let step_id = json!({ "pattern": PATTERNS[1].source });
        pass(step_id.clone(), json!("scan.2"));
        fail(step_id.clone(), json!("scan"));
        fail(step_id.clone(), json!("scan."));
        fail(step_id.clone(), json!(".2"));
        fail(step_id.clone(), json!("a.b.c"));
        fail(step_id, json!("Scan.2"));

        let not_blank = json!({ "pattern": PATTERNS[2].source });
        pass(not_blank.clone(), json!(" x "));
        pass(not_blank.clone(), json!("\u{85}"));
        pass(not_blank.clone(), json!("\u{200B}"));
        fail(not_blank.clone(), json!(""));
        fail(not_blank.clone(), json!(" \t\n\r\u{B}\u{C}"));
        fail(
            not_blank,
            json!("\u{A0}\u{1680}\u{2000}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}"),
        );

        let printable = json!({ "pattern": PATTERNS[3].source });
        pass(printable.clone(), json!(""));
        pass(
            printable.clone(),
            json!("a\tb\nc\r\u{A0}\u{200D}\u{FE0F}\u{2029}\u{2065}\u{206A}\u{202F}\u{1F600}"),
        );
        for refused in [
            '\u{0}', '\u{8}', '\u{B}', '\u{C}', '\u{E}', '\u{1B}', '\u{1F}', '\u{7F}', '\u{9F}',
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}',
        ] {
            fail(printable.clone(), json!(format!("ok{refused}ok")));
        }
    }

    #[test]
    fn one_of_wants_exactly_one() {
        let schema =
            json!({ "oneOf": [{ "type": "string" }, { "type": "object", "required": ["says"] }] });
        pass(schema.clone(), json!("x"));
        pass(schema.clone(), json!({ "says": "x" }));
        fail(schema.clone(), json!({ "meets": [] }));
        fail(
            json!({ "oneOf": [{ "type": "integer" }, { "minimum": 0 }] }),
            json!(1),
        );
    }

    #[test]
    fn all_of_wants_every_one_and_reports_each() {
        let schema = at_a(json!({ "allOf": [{ "type": "integer" }, { "enum": [1] }] }));
        assert!(paths(schema.clone(), json!({ "a": 1 })).is_empty());
        assert_eq!(paths(schema.clone(), json!({ "a": 2 })), ["/a"]);
        assert_eq!(paths(schema, json!({ "a": "x" })), ["/a", "/a"]);
    }

    #[test]
    fn not_refuses_what_its_schema_accepts() {
        let schema = json!({ "not": { "required": ["scene", "context"] } });
        pass(schema.clone(), json!({ "scene": 1 }));
        fail(schema, json!({ "scene": 1, "context": 2 }));
    }

    #[test]
    fn if_picks_then_or_else() {
        let schema = json!({
            "if": { "properties": { "format": { "const": 2 } }, "required": ["format"] },
            "then": { "required": ["new"] },
            "else": { "properties": { "new": false } }
        });
        pass(schema.clone(), json!({ "format": 2, "new": 1 }));
        fail(schema.clone(), json!({ "format": 2 }));
        pass(schema.clone(), json!({ "format": 1 }));
        pass(schema.clone(), json!({}));
        assert_eq!(
            paths(at_a(schema), json!({ "a": { "new": 1 } })),
            ["/a/new"]
        );
    }

    #[test]
    fn boolean_schemas_accept_all_or_nothing() {
        pass(json!(true), json!({ "anything": [1] }));
        fail(json!(false), json!(null));
    }

    #[test]
    fn every_error_is_reported_with_its_path() {
        let schema = json!({
            "type": "object",
            "properties": { "n": { "type": "integer" }, "list": { "items": { "enum": ["a"] } } },
            "required": ["n", "id"],
            "additionalProperties": false
        });
        let errors =
            Validator::new(schema).errors(&json!({ "n": "x", "list": ["a", "b"], "extra": 1 }));
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "\"id\" is a required property at the top",
                "\"extra\" is not an allowed property at the top",
                "\"b\" is not one of [\"a\"] at /list/1",
                "\"x\" is not of type \"integer\" at /n",
            ],
        );
    }

    #[test]
    #[should_panic(
        expected = "the test validator does not know keyword format (at #/properties/a): teach it, or the schema is no longer checked"
    )]
    fn an_unknown_keyword_anywhere_panics_naming_it() {
        Validator::new(json!({ "properties": { "a": { "type": "string", "format": "email" } } }));
    }

    #[test]
    #[should_panic(expected = "does not know keyword patternProperties (at #/else)")]
    fn an_unknown_keyword_in_a_branch_never_taken_still_panics() {
        Validator::new(json!({ "if": true, "else": { "patternProperties": {} } }));
    }

    #[test]
    #[should_panic(expected = "the test validator does not know pattern \"^[a-z]+$\": teach it")]
    fn an_unknown_pattern_panics_naming_it() {
        Validator::new(json!({ "pattern": "^[a-z]+$" }));
    }

    #[test]
    #[should_panic(expected = "knows $ref to #/definitions/NAME only")]
    fn a_ref_elsewhere_panics() {
        Validator::new(json!({ "$ref": "other.json#/definitions/x" }));
    }

    #[test]
    #[should_panic(expected = "type beside $ref (at #/properties/a) is ignored in draft-07")]
    fn a_rule_beside_a_ref_panics() {
        Validator::new(json!({
            "definitions": { "x": true },
            "properties": { "a": { "$ref": "#/definitions/x", "type": "string" } }
        }));
    }

    #[test]
    #[should_panic(expected = "knows draft-07 only")]
    fn another_dialect_panics() {
        Validator::new(json!({ "$schema": "https://json-schema.org/draft/2020-12/schema" }));
    }
}
