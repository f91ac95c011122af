//! Shared by the integration tests: copy a fixture site to a temporary folder, run the real
//! `signpost` binary (or the library) on it, and read back what it wrote.
//!
//! Fixtures live in `tests/fixtures/<name>/`. A test may stack several: later ones add files to
//! (or replace files of) earlier ones, so an error case is a base site plus the one bad file.

// Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod serve;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use tempfile::TempDir;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// Builds `tests/fixtures/<name>/` with the real binary into `<target tmp>/<name>-output`, with
/// today fixed, and returns that folder. Tests that only read the output build it once (keep
/// the result in a `OnceLock`).
pub fn build_fixture(name: &str) -> PathBuf {
    let root = fixtures_dir().join(name);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-output"));
    let _ = fs::remove_dir_all(&out);
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
        .env("SIGNPOST_TODAY", "2026-06-01")
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run signpost");
    assert!(
        result.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// A site in its own temporary folder: `<temp>/site/`, so that tests can also point at the
/// folder around it.
pub struct Site {
    temp: TempDir,
    pub root: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        Site::layers(&[name])
    }

    /// The fixtures copied one over the other, in order.
    pub fn layers(names: &[&str]) -> Site {
        let site = Site::empty();
        for name in names {
            let from = fixtures_dir().join(name);
            assert!(from.is_dir(), "no fixture {}", from.display());
            copy_dir(&from, &site.root);
        }
        site
    }

    /// A temporary folder whose `site/` does not exist yet.
    pub fn empty() -> Site {
        let temp = tempfile::Builder::new()
            .prefix("signpost-test-")
            .tempdir()
            .expect("create a temporary folder");
        let root = temp.path().join("site");
        Site { temp, root }
    }

    /// The temporary folder holding `site/`; commands run here.
    pub fn temp(&self) -> &Path {
        self.temp.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Writes a file of the site, creating its folders.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&path, contents).expect("write a site file");
    }

    pub fn read(&self, relative: &str) -> String {
        read(&self.path(relative))
    }

    /// Replaces `from` by `to` in a site file; `from` must be there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, text.replacen(from, to, 1));
    }

    /// Runs `signpost ARGS` in the temporary folder.
    pub fn signpost(&self, args: &[&str]) -> Run {
        signpost_in(self.temp(), args)
    }

    /// `signpost build --root SITE ARGS`.
    pub fn build(&self, args: &[&str]) -> Run {
        let root = self.root.to_str().expect("a UTF-8 temporary path").to_string();
        let mut all = vec!["build", "--root", root.as_str()];
        all.extend_from_slice(args);
        self.signpost(&all)
    }

    /// `signpost check --root SITE ARGS`.
    pub fn check(&self, args: &[&str]) -> Run {
        let root = self.root.to_str().expect("a UTF-8 temporary path").to_string();
        let mut all = vec!["check", "--root", root.as_str()];
        all.extend_from_slice(args);
        self.signpost(&all)
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.path("public")
    }

    /// A file of the built site (under public/).
    pub fn output(&self, relative: &str) -> String {
        read(&self.public().join(relative))
    }

    /// Runs the pipeline as a library, without writing anything.
    pub fn pipeline(
        &self,
        overrides: &signpost::config::Overrides,
    ) -> Result<signpost::pipeline::Built, signpost::diagnostics::Diagnostics> {
        signpost::pipeline::build(&self.root, overrides, &|_| {})
    }
}

pub fn signpost_in(dir: &Path, args: &[&str]) -> Run {
    // A fixed "today", before every fixture's next_review, so results do not depend on the
    // day the tests run.
    signpost_in_on(dir, "2026-06-01", args)
}

/// `signpost ARGS` in `dir` as if today were `today` (YYYY-MM-DD).
pub fn signpost_in_on(dir: &Path, today: &str, args: &[&str]) -> Run {
    let output = Command::cargo_bin("signpost")
        .expect("the signpost binary")
        .current_dir(dir)
        .args(args)
        .env("SIGNPOST_TODAY", today)
        .output()
        .expect("run signpost");
    Run {
        args: args.join(" "),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub args: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(self) -> Run {
        self.code(0)
    }

    pub fn code(self, expected: i32) -> Run {
        assert_eq!(
            self.code,
            Some(expected),
            "`signpost {}` exited with {:?}, not {expected}\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// The diagnostic printed for `location` ("content/a.md:3:5" or "content/a.md"): its
    /// first line and everything up to the blank line that ends it.
    pub fn diagnostic(&self, location: &str) -> &str {
        let head = format!("{location}: error: ");
        let at_line_start = self
            .stderr
            .match_indices(&head)
            .map(|(i, _)| i)
            .find(|&i| i == 0 || self.stderr[..i].ends_with('\n'));
        let Some(start) = at_line_start else {
            panic!("no error at `{location}` in stderr:\n{}", self.stderr);
        };
        let rest = &self.stderr[start..];
        &rest[..rest.find("\n\n").unwrap_or(rest.len())]
    }
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walk(from) {
        let relative = entry.strip_prefix(from).expect("inside the fixture");
        let target = to.join(relative);
        fs::create_dir_all(target.parent().expect("a parent")).expect("create folders");
        fs::copy(&entry, &target).expect("copy a fixture file");
    }
}

/// Every file under `dir`, hidden ones included, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display())) {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every file under `dir` by '/'-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|path| {
            let relative = relative_name(dir, &path);
            let bytes = fs::read(&path).expect("read a file");
            (relative, bytes)
        })
        .collect()
}

/// The names of the files under `dir`.
pub fn file_names(dir: &Path) -> BTreeSet<String> {
    walk(dir).iter().map(|p| relative_name(dir, p)).collect()
}

fn relative_name(dir: &Path, path: &Path) -> String {
    let parts: Vec<String> = path
        .strip_prefix(dir)
        .expect("inside the folder")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Asserts that two trees are byte-for-byte the same, naming the first file that differs.
pub fn assert_same_tree(expected: &BTreeMap<String, Vec<u8>>, actual: &BTreeMap<String, Vec<u8>>) {
    let expected_names: Vec<&String> = expected.keys().collect();
    let actual_names: Vec<&String> = actual.keys().collect();
    assert_eq!(expected_names, actual_names, "the trees hold different files");
    for (name, bytes) in expected {
        assert!(
            actual[name] == *bytes,
            "{name} differs:\n--- expected\n{}\n--- actual\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&actual[name])
        );
    }
}

/// Every `.html` file under `dir`, by relative path, with its text.
pub fn html_files(dir: &Path) -> BTreeMap<String, String> {
    tree(dir)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| (name, String::from_utf8(bytes).expect("HTML is UTF-8")))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// HTML, read with a real tokenizer so that quoting and entities cannot fool the checks.

/// One start tag.
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// For `<a>`: the text inside it, entities decoded.
    pub text: String,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// How strictly [`dangers`] reads an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// A whole built page: the theme's own scripts (a site-relative `src`) and JSON-LD data
    /// blocks are expected; a script scheme must start an attribute's value.
    WholePage,
    /// Only what markdown made (the page's `<main>`): no script at all, no element that can
    /// change where things load or submit (`base`, `meta`, `link`, `form`…), no script scheme
    /// anywhere in a value (control characters dropped, as browsers do), no CSS expression or
    /// `url()`.
    Markdown,
}

/// What in one element could run script or load a script URL, as readable findings.
pub fn dangers(element: &Element, scan: Scan) -> Vec<String> {
    let strict = scan == Scan::Markdown;
    let mut found = Vec::new();
    let own_script = !strict
        && element.name == "script"
        && (element.attribute("src").is_some_and(|src| src.starts_with('/'))
            || element.attribute("type") == Some("application/ld+json"));
    let always = ["script", "iframe", "frame", "object", "embed"];
    let in_markdown = ["frameset", "applet", "base", "meta", "link", "form"];
    let name = element.name.as_str();
    if (always.contains(&name) || (strict && in_markdown.contains(&name))) && !own_script {
        found.push(format!("<{name}>"));
    }
    for (attribute, value) in &element.attributes {
        let compact: String = value
            .chars()
            .filter(|c| !(c.is_whitespace() || (strict && c.is_control())))
            .collect::<String>()
            .to_lowercase();
        if attribute.starts_with("on") {
            found.push(format!("{attribute}= on <{name}>"));
        }
        let scheme = |s: &&str| {
            if strict {
                compact.contains(*s)
            } else {
                compact.starts_with(*s)
            }
        };
        if ["javascript:", "vbscript:", "data:"].iter().any(scheme) {
            found.push(format!("{attribute}=\"{value}\" on <{name}>"));
        }
        if strict && attribute == "style" && (compact.contains("expression(") || compact.contains("url(")) {
            found.push(format!("style=\"{value}\" on <{name}>"));
        }
    }
    found
}

#[derive(Default)]
struct Collector {
    elements: RefCell<Vec<Element>>,
    /// Index of the `<a>` being read, to gather its text.
    open_anchor: RefCell<Option<usize>>,
    text: RefCell<String>,
    /// Every character outside tags, entities decoded.
    all_text: RefCell<String>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if tag.kind == TagKind::StartTag {
                    let mut elements = self.elements.borrow_mut();
                    if name == "a" {
                        *self.open_anchor.borrow_mut() = Some(elements.len());
                    }
                    elements.push(Element {
                        name,
                        attributes: tag
                            .attrs
                            .iter()
                            .map(|a| (a.name.local.to_string(), a.value.to_string()))
                            .collect(),
                        text: String::new(),
                    });
                } else if name == "a"
                    && let Some(i) = self.open_anchor.borrow_mut().take()
                {
                    self.elements.borrow_mut()[i].text = self.text.borrow().trim().to_string();
                    self.text.borrow_mut().clear();
                }
            }
            Token::CharacterTokens(text) => {
                if self.open_anchor.borrow().is_some() {
                    self.text.borrow_mut().push_str(&text);
                }
                self.all_text.borrow_mut().push_str(&text);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str) -> Collector {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Collector::default(), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink
}

/// Every start tag of `html`, in order.
pub fn elements(html: &str) -> Vec<Element> {
    tokenize(html).elements.take()
}

/// The text a reader sees (and the text of `<title>`), with entities decoded.
pub fn visible_text(html: &str) -> String {
    tokenize(html).all_text.take()
}

/// Every URL the page points at: `href` and `src` values (and `srcset`'s first URL).
pub fn urls(html: &str) -> Vec<String> {
    elements(html)
        .into_iter()
        .flat_map(|e| {
            e.attributes
                .into_iter()
                .filter(|(name, _)| {
                    matches!(
                        name.as_str(),
                        "href" | "src" | "action" | "poster" | "data" | "formaction"
                    )
                })
                .map(|(_, value)| value)
        })
        .collect()
}

/// The `href` of the first link whose text is `text`.
pub fn href_of(html: &str, text: &str) -> String {
    elements(html)
        .into_iter()
        .find(|e| e.name == "a" && e.text == text)
        .and_then(|e| e.attribute("href").map(str::to_string))
        .unwrap_or_else(|| panic!("no link with text {text:?} in:\n{html}"))
}

/// The `id`s in a page.
pub fn ids(html: &str) -> BTreeSet<String> {
    elements(html)
        .into_iter()
        .filter_map(|e| e.attribute("id").map(str::to_string))
        .collect()
}

/// Whether a URL leaves the site (another scheme, or another host).
fn is_external(url: &str, origin: Option<&str>) -> bool {
    if let Some(origin) = origin
        && url.starts_with(origin)
    {
        return false;
    }
    let scheme_end = url.find(':');
    let path_char = url.find(['/', '?', '#']);
    match (scheme_end, path_char) {
        (Some(colon), Some(slash)) => colon < slash,
        (Some(_), None) => true,
        _ => url.starts_with("//"),
    }
}

/// The scheme and host of a full base URL.
pub fn origin_of(base_url: &str) -> Option<&str> {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    Some(&base_url[..base_url.len() - rest.len() + host_end])
}

/// The path part of a base URL ("/" or "/guidance/").
pub fn path_of(base_url: &str) -> String {
    let path = match origin_of(base_url) {
        Some(origin) => &base_url[origin.len()..],
        None => base_url,
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(Ok(byte)) = hex.map(|h| u8::from_str_radix(h, 16))
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a relative URL to the folder URL of the page it is written in, folding `..`.
fn resolve_relative(page_dir: &str, url: &str) -> String {
    let joined = if url.starts_with('/') {
        url.to_string()
    } else {
        format!("{page_dir}{url}")
    };
    let (path, tail) = match joined.find(['?', '#']) {
        Some(i) => (&joined[..i], &joined[i..]),
        None => (joined.as_str(), ""),
    };
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            ".." => {
                parts.pop();
            }
            "." => {}
            "" if i != 0 && i != segments.len() - 1 => {}
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out.push_str(tail);
    out
}

/// Every internal URL in every page of the built site at `out` that does not lead to a file
/// there (or to a missing `#id` in it), or that is outside `base_url`'s path. Each problem is
/// described as "page: url (why)".
pub fn broken_internal_urls(out: &Path, base_url: &str) -> Vec<String> {
    let origin = origin_of(base_url);
    let base_path = path_of(base_url);
    let pages = html_files(out);
    let mut page_ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, html) in &pages {
        let page_dir = format!(
            "{base_path}{}",
            name.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"))
        );
        for url in urls(html) {
            if is_external(&url, origin) {
                continue;
            }
            let local = match origin {
                Some(o) => url.strip_prefix(o).unwrap_or(&url),
                None => url.as_str(),
            };
            let (target_name, fragment) = if let Some(fragment) = local.strip_prefix('#') {
                (name.clone(), Some(fragment.to_string()))
            } else {
                let resolved = resolve_relative(&page_dir, local);
                let Some(inside) = resolved.strip_prefix(&base_path) else {
                    problems.push(format!("{name}: {url} (outside the base path {base_path})"));
                    continue;
                };
                let (path, fragment) = match inside.split_once('#') {
                    Some((p, f)) => (p, Some(f.to_string())),
                    None => (inside, None),
                };
                let path = path.split('?').next().unwrap_or("");
                let mut file = percent_decode(path);
                if file.is_empty() || file.ends_with('/') {
                    file.push_str("index.html");
                }
                (file, fragment)
            };
            if !out.join(&target_name).is_file() {
                problems.push(format!("{name}: {url} (no file {target_name})"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let Some(target_html) = pages.get(&target_name) else {
                    continue;
                };
                let ids = page_ids.entry(target_name.clone()).or_insert_with(|| ids(target_html));
                if !ids.contains(&percent_decode(&fragment)) {
                    problems.push(format!("{name}: {url} (no id `{fragment}` in {target_name})"));
                }
            }
        }
    }
    problems
}

pub fn assert_no_broken_urls(out: &Path, base_url: &str) {
    let problems = broken_internal_urls(out, base_url);
    assert!(
        problems.is_empty(),
        "{} broken internal URLs:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// XML.

/// The text of every element named `name` (in any namespace).
pub fn xml_texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{xml}"));
    doc.descendants()
        .filter(|n| n.has_tag_name(name))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

/// The value of attribute `attribute` on every element named `name`.
pub fn xml_attributes(xml: &str, name: &str, attribute: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{xml}"));
    doc.descendants()
        .filter(|n| n.has_tag_name(name))
        .filter_map(|n| n.attribute(attribute).map(str::to_string))
        .collect()
}

/// A real PNG of `width`×`height` RGB pixels, every one grey.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.finalize().to_be_bytes());
    }
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    let row: Vec<u8> = std::iter::once(0)
        .chain(std::iter::repeat_n(128, width as usize * 3))
        .collect();
    use std::io::Write;
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    for _ in 0..height {
        zlib.write_all(&row).expect("compress a row");
    }
    let pixels = zlib.finish().expect("compress the pixels");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &pixels);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A site.toml with one treatment type ("talking", named "Kind of help"), one substance
/// ("alcohol", named "Substance") and one source ("src"); `extra` is appended.
pub fn two_facet_site_toml(title: &str, extra: &str) -> String {
    format!(
        r#"title = "{title}"
base_url = "/"

[vocabularies.treatment_type]
name = "Kind of help"
[[vocabularies.treatment_type.values]]
id = "talking"
label = "Talking"

[vocabularies.substances]
name = "Substance"
[[vocabularies.substances.values]]
id = "alcohol"
label = "Alcohol"

[[sources]]
id = "src"
title = "A source"
publisher_type = "charity"
{extra}"#
    )
}
