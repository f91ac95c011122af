//! Image sizes and loading (docs/reference.md, "Image sizes"): every markdown image that is a
//! file of the site gets its pixel `width` and `height` (PNG, JPEG, GIF, WebP, and SVG when
//! it says), every image but a page's first loads lazily, at `/` and under a sub-path; a file
//! that cannot be read as an image is an error at the image's place.

mod common;

use common::{Element, Site, assert_no_broken_urls, assert_same_tree, elements, png, tree};

/// A real GIF whose screen is `width`×`height`, with one black pixel drawn in its corner.
fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend(width.to_le_bytes());
    out.extend(height.to_le_bytes());
    // A global colour table of two colours, black and white.
    out.extend([0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
    out.extend([b',', 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    out.extend([2, 2, 0x44, 0x01, 0, b';']);
    out
}

/// The guidance site with content/treatments/pictures.md and its images.
fn site() -> Site {
    let site = Site::layers(&["guidance-site", "images"]);
    site.write("content/treatments/diagram.png", png(640, 480));
    site.write("static/images/wave.gif", gif(32, 16));
    site
}

fn image<'a>(images: &'a [Element], alt: &str) -> &'a Element {
    images
        .iter()
        .find(|e| e.attribute("alt") == Some(alt))
        .unwrap_or_else(|| panic!("no image {alt:?} in {images:?}"))
}

/// An image's alt text, src (under the base path) and width and height.
type Expected = (&'static str, &'static str, Option<(&'static str, &'static str)>);

const SIZES: [Expected; 8] = [
    (
        "A diagram beside the page",
        "treatments/diagram.png",
        Some(("640", "480")),
    ),
    ("A photo under static", "images/photo.jpg", Some(("3", "2"))),
    ("A chart beside the page", "treatments/chart.webp", Some(("4", "3"))),
    ("An animation under static", "images/wave.gif", Some(("32", "16"))),
    (
        "A dose chart with width and height",
        "treatments/dose-chart.svg",
        Some(("10", "10")),
    ),
    ("A logo with a viewBox", "images/logo.svg", Some(("240", "120"))),
    ("A banner with no size", "images/banner.svg", None),
    (
        "The diagram by its site path",
        "treatments/diagram.png?v=2",
        Some(("640", "480")),
    ),
];

fn assert_sizes(site: &Site, base: &str) {
    let html = site.output("treatments/pictures/index.html");
    let images: Vec<Element> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
    for (alt, src, size) in SIZES {
        let img = image(&images, alt);
        assert_eq!(img.attribute("src"), Some(format!("{base}{src}").as_str()), "{alt}");
        let written = img.attribute("width").zip(img.attribute("height"));
        assert_eq!(written, size, "{alt}");
    }
    // The first image may be on the first screen; the rest wait until they are near it.
    let loading: Vec<(Option<&str>, Option<&str>)> = images
        .iter()
        .map(|img| (img.attribute("loading"), img.attribute("decoding")))
        .collect();
    assert_eq!(loading[0], (None, None));
    assert_eq!(loading.len(), SIZES.len());
    assert!(
        loading[1..].iter().all(|l| *l == (Some("lazy"), Some("async"))),
        "{loading:?}"
    );
    assert_eq!(
        image(&images, "A photo under static").attribute("title"),
        Some("Taken in 2025")
    );
    assert_no_broken_urls(&site.public(), base);
}

#[test]
fn images_get_their_size_and_load_lazily_after_the_first_at_the_root() {
    let site = site();
    site.build(&[]).success();
    assert_sizes(&site, "/");
}

#[test]
fn images_get_their_size_and_load_lazily_after_the_first_under_a_sub_path() {
    let site = site();
    site.build(&["--base-url", "/guidance/"]).success();
    assert_sizes(&site, "/guidance/");
}

#[test]
fn each_page_counts_its_own_first_image() {
    let site = site();
    site.edit(
        "content/treatments/counselling.md",
        "+++\n\n",
        "+++\n\n![The animation again](/images/wave.gif)\n\n![And the photo](/images/photo.jpg)\n\n",
    );
    site.build(&[]).success();
    let html = site.output("treatments/counselling/index.html");
    let images: Vec<Element> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
    let first = image(&images, "The animation again");
    assert_eq!(
        (first.attribute("width"), first.attribute("loading")),
        (Some("32"), None)
    );
    let second = image(&images, "And the photo");
    assert_eq!(
        (second.attribute("height"), second.attribute("loading")),
        (Some("2"), Some("lazy"))
    );
}

#[test]
fn the_same_site_builds_to_the_same_bytes() {
    let site = site();
    site.build(&[]).success();
    let first = tree(&site.public());
    site.build(&[]).success();
    assert_same_tree(&first, &tree(&site.public()));
}

#[test]
fn a_file_that_is_not_the_image_its_name_says_is_an_error_at_the_image() {
    let site = site();
    site.write(
        "content/treatments/diagram.png",
        "not a picture, but a note saved as .png\n",
    );
    site.write("static/images/photo.jpg", &png(2, 2)[..20]);
    site.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>",
    );
    for run in [site.check(&[]).code(1), site.build(&[]).code(1)] {
        let expected = [
            (
                "content/treatments/pictures.md:12:1",
                "`content/treatments/diagram.png` is not a PNG",
            ),
            (
                "content/treatments/pictures.md:14:1",
                "`static/images/photo.jpg` is not a PNG",
            ),
            (
                "content/treatments/pictures.md:22:1",
                "`static/images/logo.svg` cannot be read as an SVG",
            ),
            (
                "content/treatments/pictures.md:26:1",
                "`content/treatments/diagram.png` is not a PNG",
            ),
        ];
        for (place, message) in expected {
            let diagnostic = run.diagnostic(place);
            assert!(diagnostic.contains("[SP083]"), "{diagnostic}");
            assert!(diagnostic.contains(message), "{diagnostic}");
            assert!(diagnostic.contains("hint: save it again as"), "{diagnostic}");
        }
        // The broken SVG is also refused as a file to publish (tests/svg_sanitising.rs).
        assert!(
            run.diagnostic("static/images/logo.svg").contains("[SP083]"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("failed with 5 errors"), "{}", run.stderr);
    }
    assert!(!site.public().exists(), "a failed build writes nothing");
}

#[test]
fn an_image_in_a_snippet_is_reported_in_the_snippet() {
    let site = site();
    site.write(
        "content/_snippets/banner.md",
        "Look:\n\n![A broken banner](/images/broken.gif)\n",
    );
    site.write("static/images/broken.gif", "GIF");
    site.edit(
        "content/treatments/pictures.md",
        "## Images\n",
        "## Images\n\n{{ snippet(id=\"banner\") }}\n",
    );
    let run = site.build(&[]).code(1);
    let diagnostic = run.diagnostic("content/_snippets/banner.md:3:1");
    assert!(
        diagnostic.contains("the image `/images/broken.gif` cannot be used"),
        "{diagnostic}"
    );
}

/// `serve` copies an edited static file again without a full build; an image's edit may
/// change its size, which the pages showing it write, so it waits for the full build.
#[test]
fn serve_rebuilds_the_pages_when_a_static_image_changes() {
    use signpost::config::Overrides;
    use signpost::pipeline::{self, Cache};
    use std::path::Path;

    let site = site();
    site.write("static/notes.css", "p { color: navy; }\n");
    let kept = match pipeline::build_served(&site.root, &Overrides::default(), &mut Cache::new()) {
        Ok(served) => served.kept,
        Err(d) => panic!("the fixture does not build: {:?}", d.sorted().first()),
    };
    site.write("static/notes.css", "p { color: teal; }\n");
    assert!(pipeline::recopy_static(&kept, &[Path::new("static/notes.css")]).is_some());
    site.write("static/images/wave.gif", gif(64, 8));
    assert!(pipeline::recopy_static(&kept, &[Path::new("static/images/wave.gif")]).is_none());
    let built = match pipeline::build_served(&site.root, &Overrides::default(), &mut Cache::new()) {
        Ok(served) => served,
        Err(d) => panic!("the edited site does not build: {:?}", d.sorted().first()),
    };
    let page = match built.site.files.get("treatments/pictures/index.html") {
        Some(signpost::render::Contents::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        other => panic!("no page in the served build: {other:?}"),
    };
    let images: Vec<Element> = elements(&page).into_iter().filter(|e| e.name == "img").collect();
    let wave = image(&images, "An animation under static");
    assert_eq!(wave.attribute("width").zip(wave.attribute("height")), Some(("64", "8")));
}

/// A real JPEG of `width`×`height` pixels, a gradient.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 2) as u8, (y * 3) as u8, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .expect("encode a JPEG");
    bytes.into_inner()
}

/// The site with `[images] widths` set, a 640×480 PNG and a 100×50 JPEG.
fn resizing_site(options: &str) -> Site {
    let site = site();
    site.write("static/images/photo.jpg", jpeg(100, 50));
    let config = site.read("site.toml");
    site.write("site.toml", format!("{config}\n[images]\n{options}\n"));
    site
}

fn dimensions(site: &Site, output: &str) -> (u32, u32) {
    image::image_dimensions(site.public().join(output)).unwrap_or_else(|e| panic!("{output}: {e}"))
}

fn assert_resized(site: &Site, base: &str) {
    let html = site.output("treatments/pictures/index.html");
    let images: Vec<Element> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
    let sizes = Some("(max-width: 30rem) 100vw, 30rem");
    let diagram = image(&images, "A diagram beside the page");
    // The diagram is one flat grey: lossless WebP holds its copies in fewer bytes than PNG.
    let expected = format!(
        "{base}treatments/diagram-32w.webp 32w, {base}treatments/diagram-64w.webp 64w, \
         {base}treatments/diagram-320w.webp 320w, {base}treatments/diagram.png 640w"
    );
    assert_eq!(diagram.attribute("srcset"), Some(expected.as_str()));
    assert_eq!(diagram.attribute("sizes"), sizes);
    assert_eq!(diagram.attribute("width"), Some("640"), "the original's size is kept");
    let photo = image(&images, "A photo under static");
    // Each copy is published in the smaller format: the photo's smallest as WebP, the next as
    // JPEG, whose fixed tables weigh less the more pixels there are.
    let expected =
        format!("{base}images/photo-32w.webp 32w, {base}images/photo-64w.jpg 64w, {base}images/photo.jpg 100w");
    assert_eq!(photo.attribute("srcset"), Some(expected.as_str()));
    // A GIF would lose its animation, an SVG needs no copies, a small image none either.
    for alt in [
        "An animation under static",
        "A logo with a viewBox",
        "A chart beside the page",
    ] {
        assert_eq!(image(&images, alt).attribute("srcset"), None, "{alt}");
    }
    for (output, size) in [
        ("treatments/diagram-32w.webp", (32, 24)),
        ("treatments/diagram-64w.webp", (64, 48)),
        ("treatments/diagram-320w.webp", (320, 240)),
        ("images/photo-32w.webp", (32, 16)),
        ("images/photo-64w.jpg", (64, 32)),
    ] {
        assert_eq!(dimensions(site, output), size, "{output}");
    }
    assert!(!site.public().join("treatments/diagram-4000w.png").exists());
    assert_no_broken_urls(&site.public(), base);
}

const WIDTHS: &str = "widths = [320, 64, 32, 4000, 64]\nsizes = \"(max-width: 30rem) 100vw, 30rem\"";

#[test]
fn large_images_get_resized_copies_in_a_srcset_at_the_root() {
    let site = resizing_site(WIDTHS);
    site.build(&[]).success();
    assert_resized(&site, "/");
}

#[test]
fn large_images_get_resized_copies_in_a_srcset_under_a_sub_path() {
    let site = resizing_site(WIDTHS);
    site.build(&["--base-url", "/guidance/"]).success();
    assert_resized(&site, "/guidance/");
}

/// The copies are kept beside the output by the hash of their source, each in both formats
/// it may be published in: a rebuild takes them from there (and so makes the same choice),
/// an edited image gets new ones, and a build with the cache gone makes the same bytes again.
#[test]
fn resized_copies_are_cached_beside_the_output_and_deterministic() {
    let site = resizing_site(WIDTHS);
    site.build(&[]).success();
    let first = tree(&site.public());
    let cache = site.root.join(".public.signpost-images");
    let cached: Vec<_> = std::fs::read_dir(&cache)
        .expect("the cache folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    assert_eq!(
        cached.len(),
        10,
        "five copies, each as its source's format and WebP: {cached:?}"
    );
    site.build(&[]).success();
    assert_same_tree(&first, &tree(&site.public()));
    // A marker in place of one cached copy shows the next build uses the cache.
    let small = cached
        .iter()
        .find(|p| p.to_string_lossy().ends_with("-32x24.webp"))
        .expect("the 32px copy of the diagram");
    let marker = b"RIFF marker".to_vec();
    std::fs::write(small, &marker).expect("write the marker");
    site.build(&[]).success();
    assert_eq!(
        std::fs::read(site.public().join("treatments/diagram-32w.webp")).ok(),
        Some(marker)
    );
    // With the cache gone, the copies are made again, byte for byte as the first time.
    std::fs::remove_dir_all(&cache).expect("remove the cache");
    site.build(&[]).success();
    assert_same_tree(&first, &tree(&site.public()));
    // An edited image is a new source: its copies are made from it.
    site.write("content/treatments/diagram.png", png(800, 400));
    site.build(&[]).success();
    assert_eq!(dimensions(&site, "treatments/diagram-320w.webp"), (320, 160));
}

#[test]
fn images_over_max_bytes_are_warnings_naming_the_file() {
    let site = resizing_site("widths = [32]\nmax_bytes = 1500");
    site.write("static/images/photo.jpg", jpeg(300, 200));
    let run = site.build(&[]).success();
    let warning = run
        .stderr
        .lines()
        .find(|l| l.starts_with("static/images/photo.jpg: warning: the image /images/photo.jpg is "))
        .unwrap_or_else(|| panic!("no warning for the photo in:\n{}", run.stderr));
    assert!(
        warning.ends_with("bytes, more than [images] max_bytes (1500) [SP085]"),
        "{warning}"
    );
    assert!(
        run.stderr
            .contains("content/treatments/diagram.png: warning: the image /treatments/diagram.png is "),
        "{}",
        run.stderr
    );
    // The small copies are within the budget, and the tiny chart is never mentioned.
    assert!(!run.stderr.contains("-32w"), "{}", run.stderr);
    assert!(!run.stderr.contains("chart.webp"), "{}", run.stderr);
    let strict = site.check(&["--strict", "--base-url", "https://example.org/"]).code(1);
    assert!(strict.stderr.contains("[SP085]"), "{}", strict.stderr);
    // A copy still over the budget after resizing is named too.
    site.edit("site.toml", "max_bytes = 1500", "max_bytes = 500");
    let run = site.build(&[]).success();
    let copy = "static/images/photo.jpg: warning: the resized copy /images/photo-32w.jpg of this image is ";
    assert!(run.stderr.contains(copy), "{}", run.stderr);
}

#[test]
fn image_widths_out_of_range_are_errors_at_the_value() {
    let site = resizing_site("widths = [480, 8]");
    let run = site.check(&[]).code(1);
    let line = site
        .read("site.toml")
        .lines()
        .position(|l| l.starts_with("widths"))
        .unwrap_or(0)
        + 1;
    let diagnostic = run.diagnostic(&format!("site.toml:{line}:10"));
    assert!(
        diagnostic.contains("[images] widths holds 8, which is out of range [SP007]"),
        "{diagnostic}"
    );
}

#[test]
fn an_image_whose_pixels_cannot_be_read_is_an_error_when_resizing() {
    let site = resizing_site("widths = [32]");
    // The header (and so the size) reads; the pixels end part way.
    site.write("content/treatments/diagram.png", &png(640, 480)[..60]);
    let run = site.build(&[]).code(1);
    let diagnostic = run.diagnostic("content/treatments/diagram.png");
    assert!(
        diagnostic.contains("cannot make the resized copy /treatments/diagram-32w.png"),
        "{diagnostic}"
    );
    assert!(diagnostic.contains("[SP083]"), "{diagnostic}");
    assert!(!site.public().exists(), "a failed build writes nothing");
}

/// A real PNG of `width`×`height` pixels, a smooth gradient: the kind of diagram or chart
/// whose copies lossless WebP holds in fewer bytes than PNG.
fn gradient_png(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 200])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode a PNG");
    bytes.into_inner()
}

/// A real JPEG of `width`×`height` pixels of pseudo-random noise, the same every run: like a
/// photo's grain, which lossless WebP cannot hold in as few bytes as JPEG.
fn noise_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    let pixels = image::RgbImage::from_fn(width, height, |_, _| {
        let mut channel = || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        };
        image::Rgb([channel(), channel(), channel()])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .expect("encode a JPEG");
    bytes.into_inner()
}

/// The site with `widths = [480, 960]`, a 1200×800 gradient PNG and a 1000×600 noisy JPEG.
fn webp_site() -> Site {
    let site = resizing_site("widths = [480, 960]");
    site.write("content/treatments/diagram.png", gradient_png(1200, 800));
    site.write("static/images/photo.jpg", noise_jpeg(1000, 600));
    site
}

/// The format a published file's bytes say it is in, and its size.
fn format_and_size(site: &Site, output: &str) -> (image::ImageFormat, (u32, u32)) {
    let reader = image::ImageReader::open(site.public().join(output))
        .and_then(|reader| reader.with_guessed_format())
        .unwrap_or_else(|e| panic!("{output}: {e}"));
    let format = reader.format().unwrap_or_else(|| panic!("{output}: no known format"));
    let size = reader.into_dimensions().unwrap_or_else(|e| panic!("{output}: {e}"));
    (format, size)
}

fn assert_webp_where_smaller(site: &Site, base: &str) {
    use image::ImageFormat::{Jpeg, WebP};

    let html = site.output("treatments/pictures/index.html");
    let images: Vec<Element> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
    let diagram = format!(
        "{base}treatments/diagram-480w.webp 480w, {base}treatments/diagram-960w.webp 960w, \
         {base}treatments/diagram.png 1200w"
    );
    let srcset = image(&images, "A diagram beside the page").attribute("srcset");
    assert_eq!(srcset, Some(diagram.as_str()));
    let photo =
        format!("{base}images/photo-480w.jpg 480w, {base}images/photo-960w.jpg 960w, {base}images/photo.jpg 1000w");
    let srcset = image(&images, "A photo under static").attribute("srcset");
    assert_eq!(srcset, Some(photo.as_str()));
    for (output, published) in [
        ("treatments/diagram-480w.webp", (WebP, (480, 320))),
        ("treatments/diagram-960w.webp", (WebP, (960, 640))),
        ("images/photo-480w.jpg", (Jpeg, (480, 288))),
        ("images/photo-960w.jpg", (Jpeg, (960, 576))),
    ] {
        assert_eq!(format_and_size(site, output), published, "{output}");
    }
    // Only the format chosen is published.
    for output in [
        "treatments/diagram-480w.png",
        "treatments/diagram-960w.png",
        "images/photo-480w.webp",
        "images/photo-960w.webp",
    ] {
        assert!(!site.public().join(output).exists(), "{output}");
    }
    assert_no_broken_urls(&site.public(), base);
}

#[test]
fn copies_are_webp_where_that_is_smaller_at_the_root() {
    let site = webp_site();
    site.build(&[]).success();
    assert_webp_where_smaller(&site, "/");
}

#[test]
fn copies_are_webp_where_that_is_smaller_under_a_sub_path() {
    let site = webp_site();
    site.build(&["--base-url", "/guidance/"]).success();
    assert_webp_where_smaller(&site, "/guidance/");
}

/// The format is chosen from the bytes of both encodings, which the cache keeps: a build
/// from the cache, and one without it, publish exactly what the first build did.
#[test]
fn webp_copies_are_the_same_bytes_with_or_without_the_cache() {
    let site = webp_site();
    let cache = site.root.join(".public.signpost-images");
    for base in ["/", "/guidance/"] {
        std::fs::remove_dir_all(&cache).ok();
        site.build(&["--base-url", base]).success();
        let first = tree(&site.public());
        site.build(&["--base-url", base]).success();
        assert_same_tree(&first, &tree(&site.public()));
        std::fs::remove_dir_all(&cache).expect("remove the cache");
        site.build(&["--base-url", base]).success();
        assert_same_tree(&first, &tree(&site.public()));
        assert_webp_where_smaller(&site, base);
    }
}
