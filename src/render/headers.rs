//! `_headers`, the security headers Netlify and Cloudflare Pages send with every file. Made
//! from site.toml, so the Content-Security-Policy names exactly the origins `[privacy] allow`
//! lists; a site's own `static/_headers` replaces it.

use crate::config::Config;

/// Where hosts look for it.
pub const PATH: &str = "_headers";

pub fn headers(config: &Config) -> String {
    // frame-ancestors only works as a header, never in a page's <meta>.
    format!(
        "# Security headers for hosts that read this file (Netlify, Cloudflare Pages).\n\
         # docs/security-headers.md gives the same policy for other hosts.\n\
         /*\n  \
         Content-Security-Policy: {}; frame-ancestors 'none'\n  \
         X-Content-Type-Options: nosniff\n  \
         Referrer-Policy: no-referrer\n  \
         X-Frame-Options: DENY\n  \
         Cross-Origin-Opener-Policy: same-origin\n  \
         Permissions-Policy: camera=(), microphone=(), geolocation=(), browsing-topics=()\n",
        config.privacy.content_security_policy()
    )
}
