//! What a page's markdown may include: snippets, and the site's shortcode templates
//! (`templates/shortcodes/NAME.html`, the site's own winning over the theme's).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use tera::{Context, Tera};

use crate::content::Snippet;
use crate::diagnostics::Diagnostic;
use crate::theme::{Theme, template_error};

/// The folder of shortcode templates among a theme's templates.
pub const SHORTCODES_DIR: &str = "shortcodes/";

/// The built-in shortcode that includes a snippet.
pub const SNIPPET: &str = "snippet";

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
