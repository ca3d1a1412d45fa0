//! Reading a record while keeping the fields a newer version wrote.
//!
//! Every record on disk keeps the fields this version does not know, so a
//! save, an import or an export never drops what a newer version wrote.
//! serde's `flatten` would keep them, but it first copies the whole record
//! into a tree of its own and then reads that: a drill session parsed in
//! about 11 µs with it against 6.4 µs without, and the notes browser's
//! search parses every session. So the records derive their readers with
//! `#[serde(remote = "Self")]` (which makes the derived code a plain
//! function and leaves the trait to us) and a field marked
//! `#[serde(flatten, skip_deserializing)]` (still written flattened, never
//! read by the derived code). [`Keeping`] then hands the derived reader only
//! the fields it names, straight from the file, and every other field to an
//! [`Others`]: a map of JSON values for a record's `newer`, or the session's
//! extra fields (`groups::ExtraFields`).

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Where the fields a record's own reader does not name go.
pub(super) trait Others<'de> {
    /// Reads the value of `key` from `map` and keeps it.
    fn take<A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;
}

/// Fields nobody here knows, kept as read (serde_json's map sorts them by
/// name, as the flattened map did).
impl<'de> Others<'de> for Map<String, Value> {
    fn take<A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key, value);
        Ok(())
    }
}

/// A deserializer that reads a struct from `inner`, showing the struct's
/// derived reader only the fields it names and passing the rest to
/// `others`. Anything but a struct is read from `inner` unchanged.
pub(super) struct Keeping<'o, D, O> {
    inner: D,
    others: &'o mut O,
}

impl<'o, D, O> Keeping<'o, D, O> {
    pub(super) fn new(inner: D, others: &'o mut O) -> Self {
        Keeping { inner, others }
    }
}

impl<'de, D: Deserializer<'de>, O: Others<'de>> Deserializer<'de> for Keeping<'_, D, O> {
    type Error = D::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(Sorting {
            inner: visitor,
            fields,
            others: self.others,
        })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The struct's fields and where the others go, around what is read: as
/// a visitor, what [`Keeping`] gives the inner deserializer, which wraps the
/// map it is given; as a map, one that yields only the entries whose keys
/// are in `fields` and hands every other entry to `others` as it passes.
/// So the struct's own visitor sees only its fields.
struct Sorting<'o, T, O> {
    inner: T,
    fields: &'static [&'static str],
    others: &'o mut O,
}

impl<'de, V: Visitor<'de>, O: Others<'de>> Visitor<'de> for Sorting<'_, V, O> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Sorting {
            inner: map,
            fields: self.fields,
            others: self.others,
        })
    }
}

impl<'de, A: MapAccess<'de>, O: Others<'de>> MapAccess<'de> for Sorting<'_, A, O> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            match self.inner.next_key_seed(Name(self.fields))? {
                None => return Ok(None),
                Some(Key::Known(field)) => {
                    return seed
                        .deserialize(de::value::BorrowedStrDeserializer::new(field))
                        .map(Some);
                }
                Some(Key::Other(key)) => self.others.take(key, &mut self.inner)?,
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// A key as read: one of the struct's fields (by its name, which lives as
/// long as the program, so it needs no copy), or any other, copied.
enum Key {
    Known(&'static str),
    Other(String),
}

/// Reads a key and sorts it against the struct's fields.
#[derive(Clone, Copy)]
struct Name(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Name {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.iter().find(|field| **field == key) {
            Some(field) => Key::Known(field),
            None => Key::Other(key.to_owned()),
        })
    }
}

/// The `Serialize` and `Deserialize` impls of a record whose derives are
/// `#[serde(remote = "Self")]` and whose `newer` map is
/// `#[serde(flatten, skip_deserializing)]`: it writes as derived, and reads
/// through [`Keeping`], so the fields it does not name land in `newer`.
macro_rules! keeps_newer {
    ($($record:ty),+ $(,)?) => {$(
        impl serde::Serialize for $record {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$record>::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $record {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut newer = serde_json::Map::new();
                let mut record = <$record>::deserialize(
                    $crate::journal::newer::Keeping::new(deserializer, &mut newer),
                )?;
                record.newer = newer;
                Ok(record)
            }
        }
    )+};
}
pub(super) use keeps_newer;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::{Deserialize, Serialize};

    /// A record shaped like the journal's: a field with a default, one
    /// that is optional, and the newer fields.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(remote = "Self")]
    struct Record {
        id: String,
        #[serde(default)]
        count: u32,
        note: Option<String>,
        #[serde(flatten, skip_deserializing)]
        newer: Map<String, Value>,
    }
    keeps_newer!(Record);

    #[test]
    fn fields_it_does_not_name_are_kept_and_written_back_after_its_own() {
        let json = r#"{"later":[1,{"a":null}],"id":"x","note":null,"also":"two"}"#;
        let record: Record = serde_json::from_str(json).expect("reads");
        assert_eq!(record.id, "x");
        assert_eq!(record.count, 0);
        // serde_json's map keeps its keys sorted, as the flattened map did.
        assert_eq!(record.newer.keys().collect::<Vec<_>>(), ["also", "later"]);
        assert_eq!(
            serde_json::to_string(&record).expect("writes"),
            r#"{"id":"x","count":0,"note":null,"also":"two","later":[1,{"a":null}]}"#
        );
    }

    /// [`Record`] as serde derives it, with no newer fields.
    #[derive(Debug, Deserialize)]
    #[serde(rename = "Record")]
    #[allow(dead_code)]
    struct Derived {
        id: String,
        #[serde(default)]
        count: u32,
        note: Option<String>,
    }

    /// What the derived reader refuses it still refuses, in the same
    /// words and at the same place in the file.
    #[test]
    fn a_missing_or_repeated_field_or_a_wrong_value_is_refused_as_derived() {
        for (json, says) in [
            (r#"{"note":null}"#, "missing field `id` at line 1 column 13"),
            (
                r#"{"id":"x","note":null,"id":"y"}"#,
                "duplicate field `id` at line 1 column 26",
            ),
            (
                r#"{"id":"x","count":"many","note":null}"#,
                "invalid type: string \"many\", expected u32 at line 1 column 24",
            ),
            (
                r#"{"id":"x","note":null,"later":[1,}"#,
                "expected value at line 1 column 34",
            ),
        ] {
            let error = serde_json::from_str::<Record>(json).expect_err(json);
            let derived = serde_json::from_str::<Derived>(json).expect_err(json);
            assert_eq!(error.to_string(), says, "{json}");
            assert_eq!(derived.to_string(), says, "{json}");
        }
        // Only a list differs: serde's derived reader also takes a struct
        // written as a list of its values, but these records, read with
        // `flatten` before, never took one, and still do not.
        assert_eq!(
            serde_json::from_str::<Record>("[]")
                .expect_err("a list")
                .to_string(),
            "invalid type: sequence, expected struct Record at line 1 column 0"
        );
    }

    /// Any JSON value: what a newer version might write in a field.
    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(".{0,6}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// A record with any fields besides its own, in any order (its own
        /// among them), reads its own as the derived reader does, keeps
        /// every other one, and writes back the same JSON.
        #[test]
        fn any_other_fields_are_kept_and_written_back(
            others in prop::collection::btree_map("[a-z_]{1,8}", any_json(), 0..6),
            id in ".{0,8}",
            count in any::<u32>(),
            note in proptest::option::of(".{0,8}"),
            place in 0usize..8,
        ) {
            let others: Map<String, Value> = others
                .into_iter()
                .filter(|(key, _)| !["id", "count", "note"].contains(&key.as_str()))
                .collect();
            let own = [
                ("id", Value::from(id.clone())),
                ("count", Value::from(count)),
                ("note", note.clone().map_or(Value::Null, Value::from)),
            ];
            // The record's own fields go in among the others, from `place`.
            let mut entries: Vec<(String, Value)> = others.clone().into_iter().collect();
            for (k, (name, value)) in own.into_iter().enumerate() {
                let at = (place + k).min(entries.len());
                entries.insert(at, (name.to_string(), value));
            }
            let text = format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let record: Record = serde_json::from_str(&text).expect("reads");
            let derived: Derived = serde_json::from_str(&text).expect("reads as derived");
            prop_assert_eq!(&record.id, &derived.id);
            prop_assert_eq!(record.count, derived.count);
            prop_assert_eq!(&record.note, &derived.note);
            prop_assert_eq!(&record.newer, &others);
            let back: Value =
                serde_json::from_str(&serde_json::to_string(&record).expect("writes")).expect("json");
            let read: Value = serde_json::from_str(&text).expect("json");
            prop_assert_eq!(back, read);
        }
    }

    /// The same reading from a JSON value as from text (an import reads
    /// values).
    #[test]
    fn it_reads_from_a_json_value_too() {
        let value = serde_json::json!({"id": "x", "count": 2, "note": "n", "later": true});
        let record: Record = serde_json::from_value(value).expect("reads");
        assert_eq!(record.count, 2);
        assert_eq!(record.newer["later"], Value::Bool(true));
    }
}
