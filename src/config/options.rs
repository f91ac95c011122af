//! The plain option tables of site.toml: each a struct with its defaults. Their numbers are
//! checked against their ranges in `limits`.

use serde::{Deserialize, Serialize};

/// How guidance pages suggest other pages.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedOptions {
    /// How many related pages a guidance page lists: its own `related` first, then the pages
    /// sharing most facet values.
    pub count: usize,
}

impl Default for RelatedOptions {
    fn default() -> Self {
        RelatedOptions { count: 5 }
    }
}

/// Smaller copies of large images for small screens, and a size budget.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImageOptions {
    /// The widths, in pixels, of the resized copies made of each PNG, JPEG or WebP image
    /// wider than them; none by default.
    pub widths: Vec<u32>,
    /// The `sizes` attribute written with `srcset`: how wide the image is shown.
    pub sizes: String,
    /// A warning for each published image file larger than this many bytes.
    pub max_bytes: Option<u64>,
}

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            widths: Vec::new(),
            // The default theme's text column is 46rem wide.
            sizes: "(max-width: 46rem) 100vw, 46rem".to_string(),
            max_bytes: None,
        }
    }
}

/// How `check --external` fetches the external URLs pages link to (`build` never does).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkOptions {
    /// Seconds to wait for one URL's answer before reporting it unreachable.
    pub external_timeout: u64,
    /// How many sites are asked at once.
    pub external_concurrency: usize,
    /// Milliseconds between two requests to one host, so a site is never hammered.
    pub external_host_delay_ms: u64,
    /// Days a result in the cache is trusted before the URL is fetched again.
    pub external_max_age: u32,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            external_timeout: 10,
            external_concurrency: 8,
            external_host_delay_ms: 1000,
            external_max_age: 7,
        }
    }
}

/// Generated lists that grow with the site: a facet value's page and the A to Z.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListOptions {
    /// The most pages one list page shows; a facet value with more is continued on numbered
    /// pages, and an A to Z of more is split into a page per letter.
    pub page_size: usize,
}

impl Default for ListOptions {
    fn default() -> Self {
        // About 250 bytes an entry: 50 KB a page, well within what a phone on a slow
        // connection loads, and short enough to scan.
        ListOptions { page_size: 200 }
    }
}
