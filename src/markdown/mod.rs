//! Markdown: one page's body turned into HTML, a table of contents, its internal links and
//! its citations.
//!
//! Uses `config` and `diagnostics`; a pure function of its inputs. Internal links (`@/a.md`)
//! cannot be resolved page by page, because a link may name a heading of a page not yet
//! rendered; they are written as placeholders (`@link:N`) that the `links` stage replaces.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Tag, TagEnd, html};
use serde::Serialize;

use crate::config::{Config, MarkdownOptions, RawHtmlPolicy};
use crate::content::SourceFile;
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::slug::{UniqueIds, slugify};
use crate::third_party;

mod callout;
mod contact;
mod fragment;
mod highlight;
mod html_out;
mod images;
mod include;
mod placement;
mod raw_html;
pub mod shortcode;
pub mod site_link;

pub use highlight::Highlighter;
pub use html_out::{escape_attribute, escape_text};
use html_out::{is_safe_url, rewrite_tables, sanitize, truncate};
use images::{OpenImage, sink};
use raw_html::RawHtml;
use site_link::Destination;

pub use include::{Includes, SHORTCODES_DIR, SITE_LINK, Shortcodes};
pub use placement::{Placement, pages_per_rule, placement, unused_rules};
use shortcode::Call;

pub use callout::split_leading_urgent;

/// The prefix of the placeholder hrefs that `links` replaces.
pub const LINK_PLACEHOLDER: &str = "@link:";
const CITATION_PREFIX: &str = "@cite:";

/// A heading, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link or image inside the site, and where it was written: resolved by `links`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    pub kind: LinkKind,
    /// The content key ("treatments/methadone.md") of a [`LinkKind::Content`] link, the site
    /// path ("images/kit.png", no leading slash) of a [`LinkKind::SitePath`] one, or "".
    pub target: String,
    pub fragment: Option<String>,
    /// Byte offset in the file.
    pub offset: usize,
    /// The snippet it was written in, when not the page itself.
    pub snippet: Option<Arc<SourceFile>>,
    /// Whether it is an image's source (`![alt](x.png)`), whose pixel size `links` reads.
    pub image: bool,
}

/// What an [`InternalLink`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// A page's or section's markdown file (`@/a.md`, `../a.md`).
    Content,
    /// A path on the site (`/a/`, `/images/kit.png`, `clinic.png`), with its query as written.
    SitePath { query: String },
    /// An id on the page the link is shown on (`#dose`).
    SamePage,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with `@link:N` placeholders for internal links.
    pub html: String,
    pub toc: Vec<Heading>,
    pub links: Vec<InternalLink>,
    /// Cited source ids, numbered by their place here (first is [1]).
    pub citations: Vec<String>,
    /// Snippets the page includes, by hand or by a rule, in order of first use.
    pub snippets: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Rendered {
    pub fn heading_ids(&self) -> impl Iterator<Item = &str> {
        self.toc.iter().map(|h| h.id.as_str())
    }
}

/// Where a piece of markdown was written: its file, the file's whole text, and where the
/// markdown starts and ends in it (offsets of parser events are counted from its start). A
/// page's body runs to the end of its file; a shortcode's body is a part of its page.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub body_start: usize,
    pub body_end: usize,
}

impl<'a> Origin<'a> {
    /// The markdown body of a whole file.
    pub fn file(file: &'a Path, text: &'a str, body_start: usize) -> Origin<'a> {
        Origin {
            file,
            text,
            body_start,
            body_end: text.len(),
        }
    }

    pub fn body(&self) -> &'a str {
        &self.text[self.body_start..self.body_end]
    }
}

/// Renders the markdown `text[body_start..]` of `file`, with no snippets, shortcodes or rules.
pub fn render(text: &str, body_start: usize, file: &Path, config: &Config, highlighter: &Highlighter) -> Rendered {
    let shortcodes = Shortcodes::none();
    let snippets = BTreeMap::new();
    let includes = Includes {
        snippets: &snippets,
        shortcodes: &shortcodes,
    };
    render_page(
        Origin::file(file, text, body_start),
        config,
        highlighter,
        &includes,
        &Placement::default(),
    )
}

/// Renders a page's markdown with what it includes: the snippets the rules place at its top
/// and bottom (unless it includes them itself), its own text, and its shortcodes' HTML.
pub fn render_page(
    page: Origin<'_>,
    config: &Config,
    highlighter: &Highlighter,
    includes: &Includes<'_>,
    placement: &Placement<'_>,
) -> Rendered {
    #[cfg(debug_assertions)]
    panic_for_tests(page.body());
    let mut renderer = Renderer {
        origin: page,
        snippet: None,
        config,
        highlighter,
        includes,
        out: Rendered::default(),
        used_ids: UniqueIds::default(),
        has_raw_html: false,
        frames: Vec::new(),
        including: Vec::new(),
        calls_made: BTreeMap::new(),
    };
    let by_hand = match placement.is_empty() {
        true => BTreeSet::new(),
        false => placement::included_by_hand(page.body(), includes, parser_options(&config.markdown)),
    };
    let mut html = String::with_capacity(page.body().len() * 3 / 2);
    for rule in placement.top.iter().filter(|r| !by_hand.contains(&r.snippet)) {
        html.push_str(&renderer.placed(rule));
    }
    html.push_str(&renderer.fragment(page, None));
    for rule in placement.bottom.iter().filter(|r| !by_hand.contains(&r.snippet)) {
        html.push_str(&renderer.placed(rule));
    }
    for rule in placement.required.iter().filter(|r| !by_hand.contains(&r.snippet)) {
        renderer
            .out
            .diagnostics
            .push(placement::missing(config, page.file, rule));
    }
    renderer.out.html = html;
    // Every page's HTML is held until its page is rendered: none of the buffer's slack.
    renderer.out.html.shrink_to_fit();
    renderer.out
}

/// Test hook, in debug builds only: rendering a page whose markdown contains the text of the
/// environment variable `SIGNPOST_TEST_PANIC_ON` panics, so that tests/serve_robustness.rs can
/// check that `serve` survives a panic in a build. No input panics on purpose otherwise, and
/// release builds have no hook.
#[cfg(debug_assertions)]
fn panic_for_tests(markdown: &str) {
    static MARKER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let marker = MARKER.get_or_init(|| std::env::var("SIGNPOST_TEST_PANIC_ON").ok().filter(|m| !m.is_empty()));
    if let Some(marker) = marker
        && markdown.contains(marker.as_str())
    {
        panic!("test hook: the page contains {marker}");
    }
}

pub(crate) fn parser_options(options: &MarkdownOptions) -> Options {
    let mut flags = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if options.smart_punctuation {
        flags |= Options::ENABLE_SMART_PUNCTUATION;
    }
    flags
}

struct Renderer<'a> {
    /// The markdown being rendered: the page's, a snippet's or a shortcode's body.
    origin: Origin<'a>,
    /// The snippet being rendered, when not the page itself: links made in it point at it.
    snippet: Option<&'a Arc<SourceFile>>,
    config: &'a Config,
    highlighter: &'a Highlighter,
    includes: &'a Includes<'a>,
    out: Rendered,
    used_ids: UniqueIds,
    /// Whether the markdown being rendered has raw HTML to sanitize.
    has_raw_html: bool,
    /// The shortcode calls of each piece of markdown being rendered, innermost last.
    frames: Vec<Frame>,
    /// Snippets being included, outermost first, so that a loop is found.
    including: Vec<String>,
    /// How many times each shortcode has been called on the page, for its `nth`.
    calls_made: BTreeMap<String, usize>,
}

/// The shortcode calls in one piece of markdown, and the HTML of those rendered so far.
struct Frame {
    calls: Vec<Call>,
    tokens: Vec<String>,
    outputs: Vec<Option<String>>,
}

/// A heading being collected: level, written id, classes and inner events.
type OpenHeading<'e> = (HeadingLevel, Option<String>, Vec<String>, Vec<Event<'e>>);

/// What an open link turned into, so its end tag can be matched.
enum OpenLink {
    Kept,
    Dropped,
    Citation,
}

impl<'a> Renderer<'a> {
    fn transform<'e>(&mut self, events: impl Iterator<Item = (Event<'e>, Range<usize>)>) -> Vec<Event<'e>> {
        let mut out = Vec::new();
        let mut open_links: Vec<OpenLink> = Vec::new();
        let mut heading: Option<OpenHeading<'e>> = None;
        let mut code: Option<(String, String)> = None;
        let mut images: Vec<OpenImage<'e>> = Vec::new();
        let mut raw = RawHtml::default();
        let mut in_html_block = false;

        for (event, range) in events {
            match &event {
                Event::Start(Tag::HtmlBlock) => in_html_block = true,
                Event::End(TagEnd::HtmlBlock) => in_html_block = false,
                _ => {}
            }
            if let Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) = &event {
                self.render_calls_in(t);
            }
            if let Some((_, text)) = &mut code {
                match event {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        if let Some((language, text)) = code.take() {
                            out.push(Event::Html(self.highlighter.highlight(&language, &text).into()));
                        }
                    }
                    _ => {}
                }
                continue;
            }
            let event = match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let language = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((language, String::new()));
                    continue;
                }
                Event::Start(Tag::Heading { level, id, classes, .. }) => {
                    heading = Some((
                        level,
                        id.map(|i| i.to_string()),
                        classes.iter().map(|c| c.to_string()).collect(),
                        Vec::new(),
                    ));
                    continue;
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, id, classes, inner)) = heading.take() {
                        out.push(Event::Html(self.heading(level, id, &classes, inner).into()));
                    }
                    continue;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    if let Some(label) = dest_url.strip_prefix(CITATION_PREFIX) {
                        let html = self.citation(label, range.start);
                        open_links.push(OpenLink::Citation);
                        Event::Html(html.into())
                    } else if let Some(dest) = self.link_destination(&dest_url, link_type, range.start) {
                        open_links.push(OpenLink::Kept);
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url: dest,
                            title,
                            id,
                        })
                    } else {
                        open_links.push(OpenLink::Dropped);
                        continue;
                    }
                }
                Event::End(TagEnd::Link) => match open_links.pop() {
                    Some(OpenLink::Kept) | None => Event::End(TagEnd::Link),
                    Some(OpenLink::Dropped) | Some(OpenLink::Citation) => continue,
                },
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) if self.reports_requests(
                    third_party::image(&dest_url, &self.config.privacy).as_slice(),
                    range.start,
                ) =>
                {
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: "".into(),
                        title,
                        id,
                    })
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => match self.image_destination(&dest_url, link_type, range.start) {
                    Some(dest) => Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }),
                    None => Event::Start(Tag::Image {
                        link_type,
                        dest_url: "".into(),
                        title,
                        id,
                    }),
                },
                Event::Html(html) | Event::InlineHtml(html) => match self.config.markdown.raw_html {
                    RawHtmlPolicy::Escape => Event::Text(html),
                    RawHtmlPolicy::Sanitize | RawHtmlPolicy::Trust => {
                        let requests = third_party::in_html(&html, &self.config.privacy);
                        if self.reports_requests(&requests, range.start) {
                            // Left out, so not even the preview of a failed build loads it.
                            continue;
                        }
                        self.has_raw_html = true;
                        // An HTML block comes line by line: it is read whole at its end.
                        raw.push(&html, range.start);
                        if !in_html_block {
                            self.check_raw_html(std::mem::take(&mut raw));
                        }
                        Event::Html(html)
                    }
                },
                Event::End(TagEnd::HtmlBlock) => {
                    self.check_raw_html(std::mem::take(&mut raw));
                    Event::End(TagEnd::HtmlBlock)
                }
                other => other,
            };
            match &event {
                Event::Start(Tag::Image { .. }) => {
                    sink(&mut images, &mut heading, &mut out).push(event);
                    images.push(OpenImage {
                        offset: range.start,
                        alt: String::new(),
                        inner: Vec::new(),
                    });
                    continue;
                }
                Event::End(TagEnd::Image) => {
                    if let Some(image) = images.pop() {
                        let decorative = self.check_alt(&image);
                        if let Some(parent) = images.last_mut() {
                            parent.alt.push_str(&image.alt);
                        }
                        let into = sink(&mut images, &mut heading, &mut out);
                        if !decorative {
                            into.extend(image.inner);
                        }
                        into.push(event);
                        continue;
                    }
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some(image) = images.last_mut() {
                        image.alt.push_str(text);
                    }
                }
                _ => {}
            }
            // Inside a citation the label text is replaced by the citation's numbers.
            if matches!(open_links.last(), Some(OpenLink::Citation)) && !matches!(event, Event::Html(_)) {
                continue;
            }
            sink(&mut images, &mut heading, &mut out).push(event);
        }
        out
    }

    fn heading<'e>(
        &mut self,
        level: HeadingLevel,
        id: Option<String>,
        classes: &[String],
        inner: Vec<Event<'e>>,
    ) -> String {
        let title: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let title = self.calls_as_text(&title);
        let mut base = id.map(|i| slugify(&i)).unwrap_or_else(|| slugify(&title));
        if base.is_empty() {
            base = "section".to_string();
        }
        let unique = self.used_ids.claim(&base);
        let level_number = level as u8;
        self.out.toc.push(Heading {
            level: level_number,
            id: unique.clone(),
            title: title.trim().to_string(),
        });
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(
                " class=\"{}\"",
                escape_attribute(&classes.iter().map(|c| slugify(c)).collect::<Vec<_>>().join(" "))
            )
        };
        format!(
            "<h{level_number} id=\"{unique}\"{class}>{inner_html} <a class=\"heading-anchor\" href=\"#{unique}\" aria-label=\"Link to this section: {}\">#</a></h{level_number}>\n",
            escape_attribute(title.trim())
        )
    }

    /// `[@a; @b]`: numbered references to sources, checked against site.toml.
    fn citation(&mut self, label: &str, offset: usize) -> String {
        let ids: Vec<&str> = label
            .split([';', ','])
            .map(|part| part.trim().trim_start_matches('@').trim())
            .filter(|id| !id.is_empty())
            .collect();
        let mut links = Vec::new();
        for id in ids {
            if self.config.source(id).is_none() {
                let known = self.config.sources.iter().map(|s| s.id.as_str());
                let hint = closest(id, known)
                    .map(|best| format!("did you mean `{best}`?"))
                    .unwrap_or_else(|| "sources are listed in site.toml under [[sources]]".to_string());
                self.out.diagnostics.push(
                    Diagnostic::error(self.origin.file, format!("citation of an unknown source `{id}`"))
                        .code(Code::UnknownSource)
                        .at(self.origin.text, self.origin.body_start + offset)
                        .with_hint(hint),
                );
                continue;
            }
            let number = match self.out.citations.iter().position(|c| c == id) {
                Some(i) => i + 1,
                None => {
                    self.out.citations.push(id.to_string());
                    self.out.citations.len()
                }
            };
            links.push(format!("<a href=\"#ref-{number}\">{number}</a>"));
        }
        if links.is_empty() {
            return String::new();
        }
        format!("<sup class=\"citation\">[{}]</sup>", links.join(", "))
    }

    /// The folder under content/ of the markdown being rendered ("treatments"; "_snippets"
    /// for a snippet): relative links are written from it, as the writer's editor sees them.
    fn folder(&self) -> String {
        let file = self.origin.file.strip_prefix("content").unwrap_or(self.origin.file);
        let parent = file.parent().map(|dir| dir.to_string_lossy().replace('\\', "/"));
        parent.unwrap_or_default()
    }

    /// Reports each request to another site (`offset` is where the markdown that makes them
    /// starts); whether there were any.
    fn reports_requests(&mut self, requests: &[third_party::Request], offset: usize) -> bool {
        for request in requests {
            let diagnostic = third_party::diagnostic(self.origin.file, request)
                .at(self.origin.text, self.origin.body_start + offset + request.offset);
            self.out.diagnostics.push(diagnostic);
        }
        !requests.is_empty()
    }

    /// The href to write for a link or image, or None to drop a dangerous one. A link inside
    /// the site becomes a placeholder (`@link:N`) that `links` replaces with its URL.
    fn link_destination<'e>(&mut self, dest: &CowStr<'e>, link_type: LinkType, offset: usize) -> Option<CowStr<'e>> {
        // `<help@example.org>`: the HTML writer adds `mailto:` itself.
        if link_type == LinkType::Email {
            self.check_contact(&format!("mailto:{dest}"), offset);
            return Some(dest.clone());
        }
        let (kind, target, fragment) = match site_link::classify(dest, &self.folder()) {
            Destination::Content { key, fragment } => (LinkKind::Content, key, fragment),
            Destination::SitePath { path, query, fragment } => (LinkKind::SitePath { query }, path, fragment),
            Destination::SamePage { fragment } => (LinkKind::SamePage, String::new(), Some(fragment)),
            Destination::OutsideSite => {
                self.out.diagnostics.push(
                    Diagnostic::error(
                        self.origin.file,
                        format!("the link `{}` climbs out of content/", truncate(dest, 60)),
                    )
                    .code(Code::BrokenLink)
                    .at(self.origin.text, self.origin.body_start + offset)
                    .with_hint("a relative link is read from the file's own folder; link to a page with `@/path/page.md`, or to a file under static/ with `/path`"),
                );
                return Some(dest.clone());
            }
            Destination::External => return self.external(dest, offset),
        };
        let index = self.out.links.len();
        self.out.links.push(InternalLink {
            kind,
            target,
            fragment,
            offset: self.origin.body_start + offset,
            snippet: self.snippet.cloned(),
            image: false,
        });
        Some(format!("{LINK_PLACEHOLDER}{index}").into())
    }

    /// [`Self::link_destination`] for an image's source, marked so that `links` writes its size.
    fn image_destination<'e>(&mut self, dest: &CowStr<'e>, link_type: LinkType, offset: usize) -> Option<CowStr<'e>> {
        let before = self.out.links.len();
        let dest = self.link_destination(dest, link_type, offset);
        if self.out.links.len() > before
            && let Some(link) = self.out.links.last_mut()
        {
            link.image = true;
        }
        dest
    }

    /// A `mailto:` or `tel:` link that is not address- or number-shaped is an error.
    fn check_contact(&mut self, dest: &str, offset: usize) {
        if let Some((message, hint)) = contact::problem(dest) {
            self.out.diagnostics.push(
                Diagnostic::error(self.origin.file, message)
                    .code(Code::BadContactLink)
                    .at(self.origin.text, self.origin.body_start + offset)
                    .with_hint(hint),
            );
        }
    }

    /// Another site's URL, kept if its scheme is safe.
    fn external<'e>(&mut self, dest: &CowStr<'e>, offset: usize) -> Option<CowStr<'e>> {
        self.check_contact(dest, offset);
        if self.config.markdown.raw_html == RawHtmlPolicy::Trust || is_safe_url(dest) {
            return Some(dest.clone());
        }
        self.out.diagnostics.push(
            Diagnostic::warning(
                self.origin.file,
                format!("removed a link to an unsafe URL `{}`", truncate(dest, 60)),
            )
            .code(Code::UnsafeUrlRemoved)
            .at(self.origin.text, self.origin.body_start + offset)
            .with_hint("links may use http:, https:, mailto: and tel: URLs, or paths on this site"),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Overrides, parse};

    /// A site.toml with one source, `frank`, and `extra`.
    pub(super) fn config(extra: &str) -> Config {
        let text = format!(
            "title = \"t\"\n{extra}\n[[sources]]\nid = \"frank\"\ntitle = \"F\"\npublisher_type = \"charity\"\n"
        );
        parse(Path::new("."), &text, &Overrides::default()).expect("config")
    }

    fn render_md(markdown: &str) -> Rendered {
        render(
            markdown,
            0,
            Path::new("a.md"),
            &config(""),
            &Highlighter::new("InspiredGitHub"),
        )
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = render_md("## What it is\n\n## What it is\n\n### Custom {#mine}\n");
        let ids: Vec<&str> = r.heading_ids().collect();
        assert_eq!(ids, ["what-it-is", "what-it-is-1", "mine"]);
        assert!(
            r.html
                .contains("<h2 id=\"what-it-is\">What it is <a class=\"heading-anchor\" href=\"#what-it-is\"")
        );
    }

    #[test]
    fn citations_are_numbered_in_order_of_first_use() {
        let r = render_md("One [@frank]. Two [@frank; @nope].\n");
        assert_eq!(r.citations, ["frank"]);
        assert_eq!(r.html.matches("href=\"#ref-1\"").count(), 2);
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("`nope`"));
    }

    #[test]
    fn internal_links_become_placeholders() {
        let r = render_md("See [m](@/t/m.md#dose).\n");
        assert_eq!(r.links[0].target, "t/m.md");
        assert_eq!(r.links[0].fragment.as_deref(), Some("dose"));
        assert!(r.html.contains("href=\"@link:0\""));
    }

    #[test]
    fn an_email_autolink_keeps_its_address() {
        let r = render_md("Write to <help@example.org>.\n");
        assert!(r.html.contains("href=\"mailto:help@example.org\""), "{}", r.html);
        assert!(r.links.is_empty());
    }

    #[test]
    fn links_inside_the_site_are_placeholders_of_their_kind() {
        let r = render_md("[a](b.md#x) [c](/d/?q=1) ![e](f.png) [g](#h) [i](https://x.org/)\n");
        let kinds: Vec<(&LinkKind, &str)> = r.links.iter().map(|l| (&l.kind, l.target.as_str())).collect();
        let query = LinkKind::SitePath { query: "?q=1".into() };
        let no_query = LinkKind::SitePath { query: String::new() };
        assert_eq!(
            kinds,
            [
                (&LinkKind::Content, "b.md"),
                (&query, "d/"),
                (&no_query, "f.png"),
                (&LinkKind::SamePage, "")
            ]
        );
        assert!(r.html.contains("href=\"https://x.org/\""), "{}", r.html);
    }

    #[test]
    fn dangerous_markdown_links_are_dropped() {
        let r = render_md("[x](javascript:alert(1)) [y](JaVa\tScript:alert(1)) [z](data:text/html,hi)\n");
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(r.html.contains('x') && r.html.contains('z'));
    }

    #[test]
    fn raw_html_is_sanitized_by_default() {
        let r = render_md(
            "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi <a href=\"javascript:x\">a</a></p>\n\n<iframe src=\"x\"></iframe>\n",
        );
        let lower = r.html.to_lowercase();
        for bad in ["<script", "onclick", "javascript:", "<iframe"] {
            assert!(!lower.contains(bad), "{bad} in {}", r.html);
        }
        assert!(r.html.contains("hi"));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = render_md("```rust\nfn main() {}\n```\n");
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="));
    }

    #[test]
    fn table_alignment_uses_classes() {
        let r = render_md("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(r.html.contains("<th class=\"align-left\">"));
        assert!(!r.html.contains("style="));
    }

    #[test]
    fn tables_scroll_in_their_own_box_and_every_alignment_becomes_a_class() {
        let r = render_md("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n\ntext\n\n| x |\n|---|\n| y |\n");
        let wrap =
            "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table (scrolls sideways)\"><table>";
        assert_eq!(r.html.matches(wrap).count(), 2, "{}", r.html);
        assert_eq!(r.html.matches("</table></div>").count(), 2);
        for align in ["left", "center", "right"] {
            assert!(
                r.html.contains(&format!("<th class=\"align-{align}\">")),
                "{align}: {}",
                r.html
            );
            assert!(r.html.contains(&format!("<td class=\"align-{align}\">")), "{align}");
        }
        assert!(r.html.contains("<th>d</th>") && !r.html.contains("style="));

        let header_only = render_md("| a | b |\n|---|---|\n");
        assert!(
            header_only.html.contains("</thead></table></div>"),
            "{}",
            header_only.html
        );
        assert!(!header_only.html.contains("tbody"), "{}", header_only.html);

        let plain = render_md("No table here, only <table> in `code`.\n");
        assert!(!plain.html.contains("table-wrap"), "{}", plain.html);
    }
}
