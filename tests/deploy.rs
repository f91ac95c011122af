//! The deploy recipes in docs/deploy/ are valid YAML (or TOML for Netlify), and every
//! `signpost` command in them is one Signpost accepts, with `check --strict` before `build`.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

fn recipe(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every string in a YAML document that is a shell command (`run:` steps, `script:` lists,
/// `before_script:`).
fn shell_lines(yaml: &Yaml, out: &mut Vec<String>) {
    match yaml {
        Yaml::Hash(map) => {
            for (key, value) in map {
                let key = key.as_str().unwrap_or("");
                match (key, value) {
                    ("run", Yaml::String(script)) => out.extend(script.lines().map(str::to_string)),
                    ("script" | "before_script", Yaml::Array(lines)) => {
                        out.extend(lines.iter().filter_map(|l| l.as_str().map(str::to_string)))
                    }
                    _ => shell_lines(value, out),
                }
            }
        }
        Yaml::Array(items) => items.iter().for_each(|i| shell_lines(i, out)),
        _ => {}
    }
}

/// The arguments of each `signpost` command in shell text, with variables replaced by
/// plausible values.
fn signpost_commands(lines: &[String]) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for line in lines {
        for part in line.split("&&") {
            let words = split_words(&substitute(part));
            if words.first().map(String::as_str) == Some("signpost") {
                commands.push(words[1..].to_vec());
            }
        }
    }
    commands
}

fn substitute(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").map_or(rest.len(), |e| start + e + 2);
        out.push_str("value");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("$CI_PAGES_URL", "https://group.gitlab.io/project/")
}

/// Words as a shell splits them, for the simple quoting the recipes use.
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

fn check_commands(name: &str, commands: &[Vec<String>]) {
    assert!(!commands.is_empty(), "{name} runs no signpost command");
    for args in commands {
        signpost::cli::accepts(args)
            .unwrap_or_else(|e| panic!("{name}: `signpost {}` is refused: {e}", args.join(" ")));
    }
    let position = |sub: &str| commands.iter().position(|a| a.first().map(String::as_str) == Some(sub));
    let check = position("check").unwrap_or_else(|| panic!("{name} never runs `signpost check`"));
    let build = position("build").unwrap_or_else(|| panic!("{name} never runs `signpost build`"));
    assert!(
        commands[check].iter().any(|a| a == "--strict"),
        "{name}: check without --strict"
    );
    assert!(check < build, "{name}: build before check");
}

#[test]
fn yaml_recipes_are_valid_and_call_real_commands() {
    for name in ["github-pages.yml", "gitlab-pages.yml", "s3-bucket.yml"] {
        let docs = YamlLoader::load_from_str(&recipe(name)).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"));
        assert_eq!(docs.len(), 1, "{name}");
        let mut lines = Vec::new();
        shell_lines(&docs[0], &mut lines);
        check_commands(name, &signpost_commands(&lines));
    }
}

#[test]
fn netlify_recipe_is_valid_toml_and_calls_real_commands() {
    let config: toml::Table = toml::from_str(&recipe("netlify.toml")).expect("netlify.toml is TOML");
    let command = config["build"]["command"]
        .as_str()
        .expect("a build command")
        .to_string();
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    check_commands("netlify.toml", &signpost_commands(&[command]));
}

#[test]
fn refused_commands_are_caught() {
    assert!(signpost::cli::accepts(&["build", "--strict"]).is_err());
    assert!(signpost::cli::accepts(&["check", "--strict", "--due", "30"]).is_ok());
}
