//! Scaffolding: `signpost init` (a new, buildable site) and `signpost new` (a page with every
//! front-matter field written out and explained, like Hugo's archetypes).

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::{self, Config, Facet, Overrides};
use crate::content::Date;

const SITE_TOML: &str = include_str!("scaffold/site.toml");
const HOME: &str = include_str!("scaffold/home.md");
const SECTION: &str = include_str!("scaffold/section.md");
const EXAMPLE: &str = include_str!("scaffold/example.md");
const SNIPPET: &str = include_str!("scaffold/snippet.md");
const GITIGNORE: &str = include_str!("scaffold/gitignore");

/// Creates a new site in `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} is not empty; `signpost init` only writes into a new or empty folder",
                dir.display()
            ));
        }
    }
    let files = [
        ("site.toml", SITE_TOML),
        ("content/_index.md", HOME),
        ("content/treatments/_index.md", SECTION),
        ("content/treatments/example-treatment.md", EXAMPLE),
        ("content/_snippets/where-to-get-help.md", SNIPPET),
        (".gitignore", GITIGNORE),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}

/// Creates a new page at `path` (relative to content/, or starting with content/) in the site
/// at `root`, with every field present. Vocabulary values from site.toml are listed beside
/// the fields, so an editor can see what is allowed.
pub fn new_page(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let relative = path.strip_prefix("content").unwrap_or(path);
    if relative.extension().and_then(|e| e.to_str()) != Some("md") {
        return Err(format!("{} must end in .md", path.display()));
    }
    if relative
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format!(
            "{} must be a path inside content/, without '..'",
            path.display()
        ));
    }
    let target = root.join("content").join(relative);
    if target.exists() {
        return Err(format!("{} already exists; it was left as it is", target.display()));
    }
    let config = config::load(root, &Overrides::default()).ok();
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let title = capitalise(&stem);
    let text = page_text(&title, config.as_ref());
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok(target)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn allowed(config: Option<&Config>, facet: Facet) -> String {
    match config {
        Some(config) => {
            let ids: Vec<&str> = config.vocabularies.get(facet).ids().collect();
            if ids.is_empty() {
                format!(
                    "(none yet: add values under [vocabularies.{}] in site.toml)",
                    facet.key()
                )
            } else {
                ids.join(", ")
            }
        }
        None => format!("see [vocabularies.{}] in site.toml", facet.key()),
    }
}

fn page_text(title: &str, config: Option<&Config>) -> String {
    let today = crate::review::today();
    let next_year = Date::new(
        u32::from(today.year) + 1,
        u32::from(today.month),
        u32::from(today.day.min(28)),
    )
    .unwrap_or(today);
    let sources = config
        .map(|c| c.sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|| "see [[sources]] in site.toml".to_string());
    let title = title.replace(['\\', '"'], "");
    // The example citation names a real source, so the page checks once its fields are filled in.
    let example_source = config
        .and_then(|c| c.sources.first())
        .map_or("source-id", |s| s.id.as_str());
    format!(
        r#"+++
# The page's heading.
title = "{title}"
# One or two plain sentences, shown in lists, search results and the comparison table.
summary = ""
# Order within the section: lower comes first.
weight = 0
# A draft is left out of the site unless you build with --drafts.
draft = true
# The URL's last part, if not the file name.
# slug = ""
# A template of the site's templates/ or the theme's, if not the section's page template.
# template = ""

# What kind of help this is. One of: {treatment_types}
treatment_type = ""
# Where it happens. Any of: {settings}
settings = []
# Which drugs it helps with. Any of: {substances}
substances = []
# How to get it. Any of: {access}
access = []

# What the sources say is good about it, hard about it, who it may suit and who it may not.
pros = []
cons = []
suits = []
not_suited = []
# How long it lasts, in the sources' words. Leave it out if the sources do not say.
# duration = ""

# The sources this page is written from. Any of: {sources}
sources = []
# Other pages, written as "@/section/page.md".
related = []
# On the page about one source: its id; the page then lists the pages that cite it.
# about_source = ""

# When the page was last checked against its sources, and when it is next due (no quotes).
last_reviewed = {today}
next_review = {next_year}

# Where the sources disagree: one block per topic, one view per source.
# [[differences]]
# topic = ""
# [[differences.views]]
# source = ""
# view = ""

# Free-form data for templates.
# [extra]
+++

## What it is

Write in short, plain sentences. Cite a source like this [@{example_source}].

## Who it may suit

## What happens

## How to get it

## What the sources say
"#,
        treatment_types = allowed(config, Facet::TreatmentType),
        settings = allowed(config, Facet::Settings),
        substances = allowed(config, Facet::Substances),
        access = allowed(config, Facet::Access),
        today = today.iso(),
        next_year = next_year.iso(),
    )
}
