//! One link resolved against the site: a content file (`@/a.md`, `../a.md`), a site path
//! (`/a/`, `/images/kit.png`, `clinic.png`) or an id on the same page, checked and given
//! its URL under the base path. A site path that is no page and no content file may still be
//! a static or generated file, which only `render` knows: it is handed on as [`Unverified`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::config::Config;
use crate::content::{Content, Target};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};
use crate::markdown::{InternalLink, LinkKind, Rendered, escape_attribute};

use super::copies::Made;
use super::images::{Images, Resized, Shown};

/// Where a link leads: the page or section, when it is one, and its URL.
pub type Resolved = Option<(Option<Target>, String)>;

/// A link to a site path that is neither a page nor a content file: a static file or a
/// generated page, or nothing. Checked once every output path is known
/// (`render::site_paths`); `problem` is the error to report if it leads nowhere.
#[derive(Debug, Clone)]
pub struct Unverified {
    /// The site path, without its leading slash.
    pub path: String,
    pub problem: Diagnostic,
}

/// What a path's characters become in an href: spaces and the characters HTML or a URL
/// would read as something else.
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'?')
    .add(b'%')
    .add(b'\'');

/// The site paths of pages, sections and the files beside them.
pub struct SitePaths<'a> {
    pages: HashMap<&'a str, Target>,
    assets: HashSet<&'a str>,
}

impl<'a> SitePaths<'a> {
    pub fn new(content: &'a Content) -> SitePaths<'a> {
        let pages = content
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.as_str(), Target::Page(i)));
        let sections = content
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.path.as_str(), Target::Section(i)));
        SitePaths {
            pages: pages.chain(sections).collect(),
            assets: content.assets.iter().map(|a| a.to.as_str()).collect(),
        }
    }

    /// The page or section at `path` ("a/", "a/index.html").
    fn page(&self, path: &str) -> Option<Target> {
        let folder = path.strip_suffix("index.html").unwrap_or(path);
        self.pages.get(folder).copied()
    }
}

pub struct Resolver<'a> {
    pub config: &'a Config,
    pub content: &'a Content,
    pub text: &'a str,
    pub file: &'a Path,
}

/// What a page's links are checked against: the site's paths, each page's rendered text,
/// and the page the links are on (for `#id`).
pub struct Against<'a, F> {
    pub paths: &'a SitePaths<'a>,
    pub rendered: F,
    pub here: Target,
}

impl<'a> Resolver<'a> {
    /// The file's text, for an error's line and column. A one-off build frees each page's text
    /// once its markdown is rendered, so then it is read again (errors are rare).
    fn source(&self) -> Cow<'_, str> {
        if self.text.is_empty()
            && let Ok(text) = crate::content::read_text(&self.config.root.join(self.file), self.file)
        {
            return Cow::Owned(text);
        }
        Cow::Borrowed(self.text)
    }

    /// The URL for one markdown link, or None (with an error, at the file it was written in:
    /// the page, or a snippet the page includes) when it leads nowhere.
    pub fn link<'r, F: Fn(Target) -> &'r Rendered>(
        &self,
        link: &InternalLink,
        against: &Against<'_, F>,
        diagnostics: &mut Diagnostics,
        unverified: &mut Vec<Unverified>,
    ) -> Resolved {
        let here = self.at_link(link);
        match &link.kind {
            LinkKind::Content => here.content_link(link, against, diagnostics),
            LinkKind::SitePath { query } => here.site_path(link, query, against, diagnostics, unverified),
            LinkKind::SamePage => {
                let fragment = link.fragment.as_deref().unwrap_or_default();
                let rendered = (against.rendered)(against.here);
                here.check_id(rendered, fragment, "on this page", link.offset, diagnostics)?;
                Some((None, format!("#{}", encode_fragment(fragment))))
            }
        }
    }

    /// The resolver for the file `link` was written in: the page, or a snippet it includes.
    fn at_link<'l>(&self, link: &'l InternalLink) -> Resolver<'l>
    where
        'a: 'l,
    {
        match &link.snippet {
            Some(snippet) => Resolver {
                text: &snippet.text,
                file: &snippet.display,
                ..*self
            },
            None => Resolver { ..*self },
        }
    }

    /// The pixel size of an image `link` names, when it is an image file of the site; an
    /// error at the link when the file cannot be read as an image.
    pub fn image_size(&self, link: &InternalLink, images: &Images<'_>, diagnostics: &mut Diagnostics) -> Option<Shown> {
        let LinkKind::SitePath { query } = &link.kind else {
            return None;
        };
        if !link.image {
            return None;
        }
        match images.size(&link.target) {
            Ok(size) => {
                let size = size?;
                let resized = images.resized(&link.target, size);
                let url = format!("{}{query}", self.config.base_url.link(&encode(&link.target)));
                let file = images.file(&link.target).map(Path::to_path_buf);
                Some(Shown {
                    size,
                    url,
                    srcset: None,
                    resized,
                    file,
                })
            }
            Err(problem) => {
                let here = self.at_link(link);
                diagnostics.push(
                    Diagnostic::error(
                        here.file,
                        format!("the image `/{}` cannot be used: {problem}", link.target),
                    )
                    .code(Code::ImageUnreadable)
                    .at(&here.source(), link.offset)
                    .with_hint("save it again as PNG, JPEG, GIF, WebP or SVG, with a name that says which"),
                );
                None
            }
        }
    }

    fn content_link<'r, F: Fn(Target) -> &'r Rendered>(
        &self,
        link: &InternalLink,
        against: &Against<'_, F>,
        diagnostics: &mut Diagnostics,
    ) -> Resolved {
        let target = self.target(&link.target, link.offset, diagnostics)?;
        let url = self.config.base_url.link(self.path_of(target));
        let written = format!("in `@/{}`", link.target);
        self.with_fragment(target, url, link, &written, against, diagnostics)
    }

    fn site_path<'r, F: Fn(Target) -> &'r Rendered>(
        &self,
        link: &InternalLink,
        query: &str,
        against: &Against<'_, F>,
        diagnostics: &mut Diagnostics,
        unverified: &mut Vec<Unverified>,
    ) -> Resolved {
        let path = &link.target;
        if let Some(target) = against.paths.page(path) {
            let url = format!("{}{query}", self.config.base_url.link(self.path_of(target)));
            let written = format!("in `/{path}`");
            return self.with_fragment(target, url, link, &written, against, diagnostics);
        }
        let mut url = format!("{}{query}", self.config.base_url.link(&encode(path)));
        if let Some(fragment) = &link.fragment {
            url.push('#');
            url.push_str(&encode_fragment(fragment));
        }
        if !against.paths.assets.contains(path.as_str()) {
            let problem = Diagnostic::error(self.file, format!("link to a missing page or file `/{path}`"))
                .code(Code::BrokenLink)
                .at(&self.source(), link.offset);
            unverified.push(Unverified {
                path: path.clone(),
                problem,
            });
        }
        Some((None, url))
    }

    fn path_of(&self, target: Target) -> &'a str {
        match target {
            Target::Page(i) => &self.content.pages[i].path,
            Target::Section(i) => &self.content.sections[i].path,
        }
    }

    /// `url` with the link's fragment, checked against the ids of `target`.
    fn with_fragment<'r, F: Fn(Target) -> &'r Rendered>(
        &self,
        target: Target,
        mut url: String,
        link: &InternalLink,
        written: &str,
        against: &Against<'_, F>,
        diagnostics: &mut Diagnostics,
    ) -> Resolved {
        if let Some(fragment) = &link.fragment {
            self.check_id((against.rendered)(target), fragment, written, link.offset, diagnostics)?;
            url.push('#');
            url.push_str(&encode_fragment(fragment));
        }
        Some((Some(target), url))
    }

    /// Whether `rendered` has the id `fragment`: a heading's, or one in its HTML (a footnote,
    /// raw HTML). An error naming `place` when not.
    fn check_id(
        &self,
        rendered: &Rendered,
        fragment: &str,
        place: &str,
        offset: usize,
        diagnostics: &mut Diagnostics,
    ) -> Option<()> {
        if rendered.heading_ids().any(|id| id == fragment) || html_ids(&rendered.html).contains(fragment) {
            return Some(());
        }
        let ids: BTreeSet<&str> = rendered.heading_ids().collect();
        let hint = closest(fragment, ids.iter().copied())
            .map(|best| format!("did you mean `#{best}`?"))
            .unwrap_or_else(|| {
                if ids.is_empty() {
                    "that page has no headings".to_string()
                } else {
                    let list: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
                    format!("its headings: {}", list.join(", "))
                }
            });
        diagnostics.push(
            Diagnostic::error(self.file, format!("link to a missing heading `#{fragment}` {place}"))
                .code(Code::BrokenHeadingLink)
                .at(&self.source(), offset)
                .with_hint(hint),
        );
        None
    }

    /// The page or section a written path names ("@/a/b.md", "a/b.md", "a/" or "a/_index.md").
    pub fn target(&self, written: &str, offset: usize, diagnostics: &mut Diagnostics) -> Option<Target> {
        let key = normalise(written);
        if let Some(target) = self.content.find(&key) {
            return Some(target);
        }
        let on_disk = self.config.content_dir().join(&key).is_file();
        let hint = if on_disk {
            Some("that file exists but is not built: it is a draft, inside a draft section, or has errors".to_string())
        } else {
            closest(&key, self.content.keys()).map(|best| format!("did you mean `@/{best}`?"))
        };
        diagnostics.push(
            Diagnostic::error(self.file, format!("link to a missing page `@/{key}`"))
                .code(Code::BrokenLink)
                .at(&self.source(), offset)
                .with_optional_hint(hint.or_else(|| {
                    Some("internal links name a file under content/, such as `@/treatments/methadone.md`".to_string())
                })),
        );
        None
    }
}

/// The `srcset` and `sizes` of an image `shown` with its copies as `made` (none when no copy
/// of it was made): each copy by the path of the format it is published in, then the
/// original.
pub(super) fn srcset(config: &Config, shown: &Shown, made: &BTreeMap<Resized, Made>) -> Option<String> {
    let mut candidates: Vec<String> = shown
        .resized
        .iter()
        .filter_map(|resized| made.get(resized).map(|copy| (resized, copy)))
        .map(|(resized, copy)| format!("{} {}w", config.base_url.link(&encode(&copy.path)), resized.width))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    candidates.push(format!("{} {}w", shown.url, shown.size.width));
    Some(format!(
        "srcset=\"{}\" sizes=\"{}\"",
        escape_attribute(&candidates.join(", ")),
        escape_attribute(&config.images.sizes)
    ))
}

/// A path or fragment as an href writes it.
fn encode(text: &str) -> Cow<'_, str> {
    utf8_percent_encode(text, PATH_ESCAPES).into()
}

/// A fragment as an href writes it: ids are slugs or written by hand, and are kept as they
/// are (as `@/` links always wrote them) but for the characters an href cannot hold.
fn encode_fragment(fragment: &str) -> Cow<'_, str> {
    match fragment.contains([' ', '"', '\'', '<', '>']) {
        true => encode(fragment),
        false => Cow::Borrowed(fragment),
    }
}

/// The values of the `id` attributes in a piece of HTML.
fn html_ids(html: &str) -> BTreeSet<&str> {
    memchr::memmem::find_iter(html.as_bytes(), b" id=\"")
        .filter_map(|at| {
            let rest = &html[at + 5..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

pub fn normalise(written: &str) -> String {
    let path = written.trim().trim_start_matches("@/").trim_start_matches("./");
    let path = path.trim_start_matches('/');
    if path.is_empty() {
        "_index.md".to_string()
    } else if path.ends_with('/') {
        format!("{path}_index.md")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_paths_are_normalised() {
        assert_eq!(normalise("@/a/b.md"), "a/b.md");
        assert_eq!(normalise("a/"), "a/_index.md");
        assert_eq!(normalise("@/"), "_index.md");
        assert_eq!(normalise("./a.md"), "a.md");
    }

    #[test]
    fn ids_in_html_are_found() {
        let ids = html_ids("<p id=\"a\">x</p><sup class=\"f\" id=\"fn-1\"></sup><p data-id=\"no\">");
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["a", "fn-1"]);
    }
}
