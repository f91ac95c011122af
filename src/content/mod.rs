//! Content: the files under `content/` read into sections and pages with checked front matter.
//!
//! Uses `config`. Folders are sections (their `_index.md` gives the section's own front
//! matter), other `.md` files are pages, and anything else is an asset copied beside them.
//! This stage decides every page's URL, so it also reports pages that would collide.

pub mod alias;
pub mod front_matter;
pub mod snippets;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, display_path};
use crate::slug::slugify;
pub use alias::Alias;
use front_matter::Kind;
pub use front_matter::{Date, Difference, Meta, SortBy, View, WrittenLink};
pub use snippets::Snippet;

/// A markdown file's text, kept so that later stages can point at lines in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path shown in diagnostics, relative to the site folder ("content/a/b.md").
    pub display: PathBuf,
    /// The whole file, without a byte-order mark.
    pub text: String,
    /// Byte offset of the markdown body in `text`.
    pub body_start: usize,
}

impl SourceFile {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    /// The `_index.md` path relative to content/, with '/' separators ("a/_index.md").
    pub key: String,
    /// The site-relative URL path: "" for the home page, "treatments/" for a section.
    pub path: String,
    pub file: SourceFile,
    pub meta: Meta,
    pub parent: Option<usize>,
    /// Indices into [`Content::pages`], in the section's order.
    pub pages: Vec<usize>,
    /// Indices into [`Content::sections`], by weight then title.
    pub subsections: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// The file's path relative to content/, with '/' separators ("a/b.md").
    pub key: String,
    /// The site-relative URL path ("treatments/methadone/").
    pub path: String,
    pub file: SourceFile,
    pub meta: Meta,
    /// Index into [`Content::sections`].
    pub section: usize,
}

impl Page {
    /// Its folder under content/, '/'-separated ("medication", "" at the top).
    pub fn dir(&self) -> &str {
        self.key.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// A non-markdown file under content/, copied to the same place in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub from: PathBuf,
    /// Site-relative output path, '/'-separated.
    pub to: String,
}

#[derive(Debug, Clone, Default)]
pub struct Content {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Snippets by id, from content/_snippets/.
    pub snippets: BTreeMap<String, Snippet>,
    /// Every page and section by key, for link resolution.
    index: HashMap<String, Target>,
}

impl Content {
    /// The page or section with this key ("a/b.md" or "a/_index.md").
    pub fn find(&self, key: &str) -> Option<Target> {
        self.index.get(key).copied()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pages
            .iter()
            .map(|p| p.key.as_str())
            .chain(self.sections.iter().map(|s| s.key.as_str()))
    }

    /// Puts a section's pages in reading order again (by weight or title, as the section
    /// says; then by file), after a page's title or weight changed.
    pub fn sort_pages(&mut self, section: usize) {
        let pages = &self.pages;
        let sort_by = self.sections[section].meta.sort_by;
        self.sections[section].pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            let by_title = a.meta.title.to_lowercase().cmp(&b.meta.title.to_lowercase());
            match sort_by {
                SortBy::Weight => a.meta.weight.cmp(&b.meta.weight).then(by_title),
                SortBy::Title => by_title,
            }
            .then_with(|| a.key.cmp(&b.key))
        });
    }

    pub fn root_section(&self) -> Option<&Section> {
        self.sections.iter().find(|s| s.parent.is_none())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Page(usize),
    Section(usize),
}

const INDEX_FILE: &str = "_index.md";

/// Reads content/ into sections and pages, collecting every problem.
pub fn load(config: &Config) -> (Content, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let content_dir = config.content_dir();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error("content", "the site has no content/ folder")
                .code(Code::FileUnreadable)
                .with_hint("create content/_index.md for the home page"),
        );
        return (Content::default(), diagnostics);
    }
    let mut files = walk(config, &content_dir, &mut diagnostics);
    let (snippet_files, markdown): (Vec<Found>, Vec<Found>) = std::mem::take(&mut files.markdown)
        .into_iter()
        .partition(|found| snippets::id_of(&found.key).is_some());
    files.markdown = markdown;
    let snippet_files = snippet_files
        .into_iter()
        .filter_map(|found| Some((snippets::id_of(&found.key)?.to_string(), found.file)))
        .collect();
    let snippets = snippets::read(config, snippet_files, &mut diagnostics);
    let mut content = assemble(config, files, &mut diagnostics);
    content.snippets = snippets;
    (content, diagnostics)
}

/// One markdown file found under content/.
struct Found {
    key: String,
    file: SourceFile,
}

struct Walked {
    markdown: Vec<Found>,
    assets: Vec<Asset>,
}

fn walk(config: &Config, content_dir: &Path, diagnostics: &mut Diagnostics) -> Walked {
    let root = &config.root;
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let mut walked = Walked {
        markdown: Vec::new(),
        assets: Vec::new(),
    };
    let mut to_read: Vec<(String, PathBuf, PathBuf)> = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                let message = if e.loop_ancestor().is_some() {
                    "a symbolic link here loops back to a folder that contains it".to_string()
                } else {
                    format!("cannot read: {e}")
                };
                diagnostics.push(Diagnostic::error(path, message).code(Code::UnsafeFileLink));
                continue;
            }
        };
        let display = display_path(root, entry.path());
        if entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|target| target.starts_with(&canonical_root));
            if !inside {
                diagnostics.push(
                    Diagnostic::error(&display, "this symbolic link points outside the site folder")
                        .code(Code::UnsafeFileLink)
                        .with_hint("copy the file into the site instead; links outside the site are never followed"),
                );
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = match entry.path().strip_prefix(content_dir) {
            Ok(relative) => relative,
            Err(_) => continue,
        };
        let Some(key) = key_of(relative) else {
            diagnostics
                .push(Diagnostic::error(&display, "the file name is not valid UTF-8").code(Code::FileUnreadable));
            continue;
        };
        if !key.ends_with(".md") {
            walked.assets.push(Asset {
                from: entry.path().to_path_buf(),
                to: asset_output_path(&key),
            });
            continue;
        }
        to_read.push((key, display, entry.into_path()));
    }
    // Reading is most of this stage's time on a large site: files are read in parallel, and
    // kept (and their problems reported) in the walk's order.
    let read: Vec<(String, Result<String, Diagnostic>, PathBuf)> = to_read
        .into_par_iter()
        .map(|(key, display, path)| {
            let text = read_text(&path, &display);
            (key, text, display)
        })
        .collect();
    for (key, text, display) in read {
        match text {
            Ok(text) => walked.markdown.push(Found {
                key,
                file: SourceFile {
                    display,
                    text,
                    body_start: 0,
                },
            }),
            Err(d) => diagnostics.push(d),
        }
    }
    walked
}

/// Hidden files and the backup, swap and temporary files editors write beside the real one
/// are never content (and `serve` does not rebuild for them).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        // vim checks that it can write to a folder by creating this file.
        || name == "4913"
}

fn key_of(relative: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|p| p.join("/"))
}

/// Assets keep their file name; their folders follow the sections' slugs.
fn asset_output_path(key: &str) -> String {
    let (dir, name) = key.rsplit_once('/').unwrap_or(("", key));
    format!("{}{name}", dir_path(dir))
}

/// The URL path of a content folder ("Getting Help/x" -> "getting-help/x/").
fn dir_path(dir: &str) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}/", slugify(s)))
        .collect()
}

/// A content file as text: it must be UTF-8; a byte-order mark is dropped.
pub fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(display, format!("cannot read the file: {e}")).code(Code::FileUnreadable))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has the same bytes up to the first invalid one.
            Err(Diagnostic::error(display, "the file is not valid UTF-8 text")
                .code(Code::FileUnreadable)
                .at(&lossy, valid)
                .with_hint("save the file with UTF-8 encoding"))
        }
    }
}

fn assemble(config: &Config, walked: Walked, diagnostics: &mut Diagnostics) -> Content {
    // Every folder holding markdown, and each of its ancestors, is a section.
    let mut section_dirs: BTreeMap<String, Option<Found>> = BTreeMap::new();
    section_dirs.insert(String::new(), None);
    let mut page_files = Vec::new();
    for found in walked.markdown {
        let (dir, name) = found.key.rsplit_once('/').unwrap_or(("", found.key.as_str()));
        let dir = dir.to_string();
        let mut ancestor = dir.as_str();
        loop {
            section_dirs.entry(ancestor.to_string()).or_insert(None);
            match ancestor.rsplit_once('/') {
                Some((parent, _)) => ancestor = parent,
                None if ancestor.is_empty() => break,
                None => ancestor = "",
            }
        }
        if name == INDEX_FILE {
            section_dirs.insert(dir, Some(found));
        } else {
            page_files.push(found);
        }
    }

    let mut content = Content {
        assets: walked.assets,
        ..Content::default()
    };
    let mut dir_index: BTreeMap<String, usize> = BTreeMap::new();
    for (dir, index_file) in section_dirs {
        let key = if dir.is_empty() {
            INDEX_FILE.to_string()
        } else {
            format!("{dir}/{INDEX_FILE}")
        };
        let file = index_file.map(|f| f.file).unwrap_or_else(|| SourceFile {
            display: PathBuf::from("content").join(&key),
            text: String::new(),
            body_start: 0,
        });
        let Some((file, mut meta)) = read_meta(config, file, Kind::Section, diagnostics) else {
            continue;
        };
        if meta.title.is_empty() {
            meta.title = match dir.rsplit('/').next() {
                Some(name) if !name.is_empty() => title_from_name(name),
                _ => config.title.clone(),
            };
        }
        let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
        let parent = if dir.is_empty() {
            None
        } else {
            match dir_index.get(parent_dir) {
                Some(&p) => Some(p),
                // The parent was a draft or unreadable: so is this folder.
                None => continue,
            }
        };
        if meta.draft && !config.drafts {
            continue;
        }
        dir_index.insert(dir.clone(), content.sections.len());
        content.sections.push(Section {
            key,
            path: dir_path(&dir),
            file,
            meta,
            parent,
            pages: Vec::new(),
            subsections: Vec::new(),
        });
    }

    // Front matter is parsed in parallel; pages are then added, and problems reported, in
    // file order.
    // Each page's key, section, file and front matter (if they were read) and its problems.
    type Parsed = (String, usize, Option<(SourceFile, Meta)>, Diagnostics);
    let parsed: Vec<Parsed> = page_files
        .into_par_iter()
        .filter_map(|found| {
            let dir = found.key.rsplit_once('/').map_or("", |(d, _)| d);
            let section = *dir_index.get(dir)?;
            let kind = if content.sections[section].meta.guidance {
                Kind::GuidancePage
            } else {
                Kind::Page
            };
            let mut problems = Diagnostics::new();
            let read = read_meta(config, found.file, kind, &mut problems);
            Some((found.key, section, read, problems))
        })
        .collect();
    for (key, section, read, problems) in parsed {
        diagnostics.extend(problems);
        let Some((file, meta)) = read else {
            continue;
        };
        if meta.draft && !config.drafts {
            continue;
        }
        let stem = key.rsplit('/').next().unwrap_or(&key).trim_end_matches(".md");
        let slug = meta.slug.clone().unwrap_or_else(|| slugify(stem));
        if slug.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    &file.display,
                    "the file name has no letters or digits to make a URL from",
                )
                .code(Code::InvalidSlug)
                .with_hint("rename the file or set `slug` in its front matter"),
            );
            continue;
        }
        let path = format!("{}{slug}/", content.sections[section].path);
        content.pages.push(Page {
            key,
            path,
            file,
            meta,
            section,
        });
    }

    check_unique_paths(&content, diagnostics);
    order(&mut content);
    content.index = content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.clone(), Target::Page(i)))
        .chain(
            content
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| (s.key.clone(), Target::Section(i))),
        )
        .collect();
    content
}

/// The file's front matter and body, or None with the error when its `+++` lines are wrong.
pub fn split_front_matter<'f>(file: &'f SourceFile, diagnostics: &mut Diagnostics) -> Option<front_matter::Split<'f>> {
    match front_matter::split(&file.text) {
        Ok(split) => Some(split),
        Err((offset, message, hint)) => {
            diagnostics.push(
                Diagnostic::error(&file.display, message)
                    .code(Code::FrontMatterDelimiters)
                    .at(&file.text, offset)
                    .with_hint(hint),
            );
            None
        }
    }
}

fn read_meta(
    config: &Config,
    mut file: SourceFile,
    kind: Kind,
    diagnostics: &mut Diagnostics,
) -> Option<(SourceFile, Meta)> {
    let split = split_front_matter(&file, diagnostics)?;
    match front_matter::parse(&file.text, &split, &file.display, kind, config) {
        Ok(meta) => {
            file.body_start = split.body_start;
            Some((file, meta))
        }
        Err(errors) => {
            // A draft that is left out is not checked: `signpost new` writes a draft with empty
            // fields, and an unfinished page must not stop the rest of the site from building.
            // Its TOML syntax is still checked, since that is what tells us it is a draft.
            if !config.drafts && is_draft(split.front_matter) {
                return None;
            }
            diagnostics.extend(errors);
            None
        }
    }
}

/// Whether front matter that failed its checks at least parses and says `draft = true`.
fn is_draft(front_matter: &str) -> bool {
    toml::from_str::<toml::Table>(front_matter)
        .is_ok_and(|table| table.get("draft").and_then(toml::Value::as_bool) == Some(true))
}

fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Two files may not share a URL, nor URLs that differ only in case: case-insensitive hosts
/// would serve one of them for both.
fn check_unique_paths(content: &Content, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<String, (&str, &Path)> = BTreeMap::new();
    let entries = content
        .sections
        .iter()
        .map(|s| (s.path.as_str(), s.file.display.as_path()))
        .chain(
            content
                .pages
                .iter()
                .map(|p| (p.path.as_str(), p.file.display.as_path())),
        );
    for (path, file) in entries {
        let folded = path.to_lowercase();
        if let Some((other_path, other_file)) = seen.get(&folded) {
            let message = if *other_path == path {
                format!(
                    "this page and {} would both be written to /{path}",
                    other_file.display()
                )
            } else {
                format!(
                    "this page's URL /{path} differs only in case from /{other_path} ({}); case-insensitive hosts would serve one for both",
                    other_file.display()
                )
            };
            diagnostics.push(
                Diagnostic::error(file, message)
                    .code(Code::DuplicateUrl)
                    .with_hint("rename one of the files or set a different `slug` in its front matter"),
            );
        } else {
            seen.insert(folded, (path, file));
        }
    }
}

/// Fills in each section's pages and subsections in reading order.
fn order(content: &mut Content) {
    for (i, page) in content.pages.iter().enumerate() {
        content.sections[page.section].pages.push(i);
    }
    for i in 0..content.sections.len() {
        if let Some(parent) = content.sections[i].parent {
            content.sections[parent].subsections.push(i);
        }
    }
    for i in 0..content.sections.len() {
        content.sort_pages(i);
    }
    let sections = content.sections.clone();
    for section in &mut content.sections {
        section.subsections.sort_by(|&a, &b| {
            let (a, b) = (&sections[a], &sections[b]);
            a.meta
                .weight
                .cmp(&b.meta.weight)
                .then_with(|| a.meta.title.to_lowercase().cmp(&b.meta.title.to_lowercase()))
                .then_with(|| a.key.cmp(&b.key))
        });
    }
}
