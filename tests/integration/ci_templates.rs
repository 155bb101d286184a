//! The CI templates in `docs/examples/`: each is YAML, and every `utlys`
//! command they run exists with the flags they give it.

use std::path::Path;

use serde_json::Value;

use crate::util::run;

/// Every string of a YAML document, keys and values.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

/// `(subcommand, flags)` of each `utlys SUBCOMMAND --flag …` in `script`.
fn commands(script: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for line in script.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let Some(sub) = words.get(i + 1) else {
                continue;
            };
            if *w != "utlys" || !sub.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let flags = words[i + 2..]
                .iter()
                .take_while(|w| !matches!(**w, ">" | "||" | "&&" | "|" | ";"))
                .filter(|w| w.starts_with("--"))
                .map(|w| w.split('=').next().unwrap_or(w).to_string())
                .collect();
            found.push((sub.to_string(), flags));
        }
    }
    found
}

#[test]
fn the_ci_templates_are_yaml_and_run_only_commands_that_exist() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yml") {
            names.push(path);
        }
    }
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for path in &names {
        let text = std::fs::read_to_string(path).unwrap();
        let yaml: Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
        let mut all = Vec::new();
        strings(&yaml, &mut all);
        let found: Vec<_> = all.iter().flat_map(|s| commands(s)).collect();
        assert!(
            found.iter().any(|(sub, _)| sub == "build"),
            "{} builds nothing",
            path.display()
        );
        for (sub, flags) in found {
            let help = run(&[sub.as_str(), "--help"]);
            assert!(
                help.status.success(),
                "{}: `utlys {sub}` does not exist",
                path.display()
            );
            for flag in flags {
                assert!(
                    help.stdout.contains(&flag),
                    "{}: `utlys {sub}` has no {flag}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_merge_request_templates_check_with_json_and_fail_on_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    for (name, trigger) in [
        ("gitlab-ci.yml", "merge_request_event"),
        ("github-actions.yml", "pull_request"),
        ("forgejo-actions.yml", "pull_request"),
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let yaml: Value = serde_saphyr::from_str(&text).unwrap();
        let mut all = Vec::new();
        strings(&yaml, &mut all);
        let joined = all.join("\n");
        assert!(joined.contains(trigger), "{name}");
        assert!(joined.contains("utlys check --format json"), "{name}");
        // The check's exit status (1 on errors) is the job's.
        assert!(
            joined.contains("|| status=$?") && joined.contains("exit $status"),
            "{name}"
        );
        assert!(joined.contains("schedule"), "{name}: no schedule");
    }
}

#[test]
fn commands_are_read_with_their_flags() {
    assert_eq!(
        commands("x\nutlys check --format json --lang sv > r.json || status=$?"),
        vec![(
            "check".to_string(),
            vec!["--format".to_string(), "--lang".to_string()]
        )]
    );
    assert!(commands("cargo install --git \"$UTLYS_GIT\" utlys").is_empty());
}
