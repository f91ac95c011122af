//! What a page's markdown may include: snippets, and the site's shortcode templates
//! (`templates/shortcodes/NAME.html`, the site's own winning over the theme's).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::content::Snippet;
use crate::diagnostics::Diagnostic;
use crate::theme::{Theme, template_error};

/// The folder of shortcode templates among a theme's templates.
pub const SHORTCODES_DIR: &str = "shortcodes/";

/// The built-in shortcode that includes a snippet.
pub const SNIPPET: &str = "snippet";

/// The function a shortcode template writes a link or image inside the site with,
/// `src="{{ site_link(path=poster) }}"`, so that it is resolved and checked like a markdown
/// link written where the shortcode is called.
pub const SITE_LINK: &str = "site_link";

/// What `site_link` leaves in the template's output: the path, hex-encoded so that no escaping
/// changes it, between this and `@`. The markdown stage replaces it with the link's placeholder.
const SITE_LINK_MARKER: &str = "@site-link:";

/// The shortcode templates, compiled once per build.
pub struct Shortcodes {
    tera: Tera,
    /// Only the shortcode templates, for errors' file names and lines.
    theme: Theme,
}

impl Shortcodes {
    /// No shortcodes but the built-in one.
    pub fn none() -> Shortcodes {
        Shortcodes {
            tera: Tera::new(),
            theme: Theme {
                templates: BTreeMap::new(),
                static_files: BTreeMap::new(),
            },
        }
    }

    pub fn load(theme: &Theme) -> Result<Shortcodes, Diagnostic> {
        let templates: BTreeMap<_, _> = theme
            .templates
            .iter()
            .filter(|(name, _)| name.starts_with(SHORTCODES_DIR))
            .map(|(name, t)| (name.clone(), t.clone()))
            .collect();
        let theme = Theme {
            templates,
            static_files: BTreeMap::new(),
        };
        let mut tera = Tera::new();
        // Before the templates: Tera checks that every function they call exists.
        tera.register_function(SITE_LINK, site_link_marker);
        tera.add_raw_templates(theme.templates.iter().map(|(name, t)| (name.as_str(), t.text.as_str())))
            .map_err(|e| template_error(&e, &theme, None))?;
        Ok(Shortcodes { tera, theme })
    }

    /// The names that can be called, the built-in one included.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.theme
            .templates
            .keys()
            .filter_map(|name| name.strip_prefix(SHORTCODES_DIR)?.strip_suffix(".html"))
            .chain([SNIPPET])
    }

    pub fn has(&self, name: &str) -> bool {
        self.theme.templates.contains_key(&template_name(name))
    }

    /// The shortcode's HTML, or the template's error (its file and line).
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(&template_name(name), context)
            .map_err(|e| template_error(&e, &self.theme, None))
    }

    /// A fingerprint of every shortcode template's text.
    fn hash_into(&self, hasher: &mut impl Hasher) {
        for (name, template) in &self.theme.templates {
            name.hash(hasher);
            template.text.hash(hasher);
        }
    }
}

fn site_link_marker(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let path: &str = kwargs.must_get("path")?;
    let hex: String = path.bytes().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{SITE_LINK_MARKER}{hex}@"))
}

/// `html` with each `site_link` marker replaced by what `resolve` makes of its path.
pub(super) fn replace_site_links(html: &str, mut resolve: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(SITE_LINK_MARKER) {
        let after = &rest[at + SITE_LINK_MARKER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        let path = after.as_bytes()[..digits]
            .chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|p| u8::from_str_radix(p, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        match path {
            Some(path) if after[digits..].starts_with('@') => {
                out.push_str(&rest[..at]);
                out.push_str(&resolve(&path));
                rest = &after[digits + 1..];
            }
            // Not one of ours: left as written.
            _ => {
                out.push_str(&rest[..at + SITE_LINK_MARKER.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn template_name(name: &str) -> String {
    format!("{SHORTCODES_DIR}{name}.html")
}

/// Everything a page's markdown may include.
pub struct Includes<'a> {
    pub snippets: &'a BTreeMap<String, Snippet>,
    pub shortcodes: &'a Shortcodes,
}

impl Includes<'_> {
    /// A fingerprint of everything any page may include, so that a cache of rendered pages
    /// is dropped when a snippet or shortcode changes.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for (id, snippet) in self.snippets {
            id.hash(&mut hasher);
            snippet.file.text.hash(&mut hasher);
        }
        self.shortcodes.hash_into(&mut hasher);
        hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_link_markers_carry_any_path_through_escaping() {
        let mut tera = Tera::new();
        tera.register_function(SITE_LINK, site_link_marker);
        let template = "<img src=\"{{ site_link(path=p) }}\"> {{ site_link(path=q) }}";
        let mut context = Context::new();
        context.insert("p", "a \"b\" é.png");
        context.insert("q", "/x/");
        let html = tera.render_str(template, &context, true).unwrap_or_default();
        let mut seen = Vec::new();
        let out = replace_site_links(&html, |path| {
            seen.push(path.to_string());
            format!("[{}]", seen.len())
        });
        assert_eq!(seen, ["a \"b\" é.png", "/x/"]);
        assert_eq!(out, "<img src=\"[1]\"> [2]");
        assert_eq!(
            replace_site_links("@site-link:zz@ @site-link:61", |_| String::new()),
            "@site-link:zz@ @site-link:61"
        );
    }
}
