//! The compiled release of a record: the releases of one process merged
//! in order by the OCDS 1.1 merge rules
//! (<https://standard.open-contracting.org/1.1/en/schema/merging/>).
//!
//! - `id`, `date` and `tag` of a release are not merged ("omitWhenMerged");
//!   the compiled release's `tag` is `["compiled"]`, its `date` the last
//!   release's and its `id` the OCID and that date.
//! - An object is merged field by field; a field set to `null` is removed.
//! - An array of objects is merged by each object's `id` ("identifier
//!   merge"), new ids after the ones seen before; an array holding anything
//!   else, and the arrays the schema marks "wholeListMerge", are replaced.
//! - An empty object or array changes nothing.
//!
//! The Python tests compile the same releases with `ocdsmerge`, the
//! standard's reference implementation, and compare.

use serde_json::{Map, Value};

/// The fields with `"wholeListMerge": true`, by name: those of the release
/// schema 1.1.5 and those the Location extension adds (each name means the
/// same field wherever the schema and the extensions use it).
const WHOLE_LIST: [&str; 4] = [
    "additionalIdentifiers",
    "additionalClassifications",
    "deliveryLocations",
    "deliveryAddresses",
];

/// Fields of a release that are not merged.
const OMITTED: [&str; 3] = ["id", "date", "tag"];

/// Merges `releases` (oldest first, as the record lists them) into the
/// compiled release of process `ocid`.
pub(super) fn compile(ocid: &str, releases: &[Value]) -> Value {
    let mut compiled = Map::new();
    let mut last_date = None;
    for release in releases {
        let Some(fields) = release.as_object() else {
            continue;
        };
        last_date = fields.get("date").cloned().or(last_date);
        for (key, value) in fields {
            if !OMITTED.contains(&key.as_str()) {
                merge_field(&mut compiled, key, value);
            }
        }
    }
    let date = last_date.unwrap_or(Value::Null);
    let id = format!("{ocid}-{}", date.as_str().unwrap_or(""));
    compiled.insert("id".into(), Value::String(id));
    compiled.insert("date".into(), date);
    compiled.insert("tag".into(), Value::Array(vec!["compiled".into()]));
    Value::Object(compiled)
}

/// Merges `value` into field `key` of `into`.
fn merge_field(into: &mut Map<String, Value>, key: &str, value: &Value) {
    match value {
        Value::Null => {
            into.remove(key);
        }
        Value::Object(fields) if fields.is_empty() => {}
        Value::Object(fields) => {
            let slot = into.entry(key).or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(target) = slot {
                for (k, v) in fields {
                    merge_field(target, k, v);
                }
            }
        }
        Value::Array(items) if items.is_empty() => {}
        Value::Array(items)
            if WHOLE_LIST.contains(&key) || items.iter().any(|item| !item.is_object()) =>
        {
            into.insert(key.to_string(), value.clone());
        }
        Value::Array(items) => {
            let slot = into.entry(key).or_insert_with(|| Value::Array(Vec::new()));
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(target) = slot {
                merge_by_id(target, items);
            }
        }
        scalar => {
            into.insert(key.to_string(), scalar.clone());
        }
    }
}

/// Identifier merge: each object of `items` is merged into the object of
/// `target` with the same `id`, or added after the others; an object
/// without an `id` is always added.
fn merge_by_id(target: &mut Vec<Value>, items: &[Value]) {
    for item in items {
        let Some(fields) = item.as_object() else {
            continue;
        };
        let existing = fields
            .get("id")
            .and_then(|id| target.iter().position(|t| t.get("id") == Some(id)));
        let at = existing.unwrap_or_else(|| {
            target.push(Value::Object(Map::new()));
            target.len() - 1
        });
        if let Value::Object(into) = &mut target[at] {
            for (k, v) in fields {
                merge_field(into, k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merges_by_the_rules_of_the_standard() {
        let releases = [
            json!({
                "ocid": "ocds-213czf-a", "id": "1", "date": "2023-06-15T00:00:00+02:00",
                "tag": ["tender"],
                "tender": {
                    "id": "t", "status": "active", "title": "A",
                    "documents": [{"id": "notice", "url": "https://e.se/a/"}],
                    "items": [{"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": "1"}, {"scheme": "CPV", "id": "2"}]}],
                    "deliveryLocations": [{"description": "Skåne län"}, {"description": "Hela Sverige"}],
                    "submissionMethod": ["electronicSubmission", "inPerson"]
                }
            }),
            json!({
                "ocid": "ocds-213czf-a", "id": "2", "date": "2023-08-20T00:00:00+02:00",
                "tag": ["tenderAmendment"],
                "tender": {
                    "id": "t", "title": null, "status": "complete",
                    "documents": [{"id": "clarification-1"}, {"id": "notice", "dateModified": "x"}],
                    "items": [{"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": "3"}]}],
                    "deliveryLocations": [{"description": "Skåne län"}],
                    "submissionMethod": ["inPerson"],
                    "milestones": [], "tenderPeriod": {}
                }
            }),
        ];
        let compiled = compile("ocds-213czf-a", &releases);
        assert_eq!(
            compiled,
            json!({
                "ocid": "ocds-213czf-a",
                "id": "ocds-213czf-a-2023-08-20T00:00:00+02:00",
                "date": "2023-08-20T00:00:00+02:00",
                "tag": ["compiled"],
                "tender": {
                    "id": "t", "status": "complete",
                    "documents": [
                        {"id": "notice", "url": "https://e.se/a/", "dateModified": "x"},
                        {"id": "clarification-1"}
                    ],
                    "items": [{"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": "3"}]}],
                    "deliveryLocations": [{"description": "Skåne län"}],
                    "submissionMethod": ["inPerson"]
                }
            })
        );
    }
}
