//! Writes a generated guidance site of N pages for benchmarks:
//! `cargo run --release --example gen-corpus -- N DIR [SECTIONS]`.
//!
//! Deterministic (the same N gives the same files). The site uses the shipped site.toml, so
//! the facet vocabularies, sources, glossary and quick-exit page are the real ones; pages have
//! full front matter, SECTIONS sections (10 unless given, as in issue 9's corpus; the search
//! figures in docs/benchmarks.md used N/100), links between pages, citations and
//! prose with the long tail of rare words (places, services, names) that real sites have.

use std::fmt::Write as _;
use std::path::Path;

const SITE_TOML: &str = include_str!("../site.toml");

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index skewed towards small numbers (roughly Zipf), for word frequencies.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
    }
}

const TREATMENTS: &[&str] = &[
    "detox",
    "rehab",
    "counselling",
    "methadone",
    "buprenorphine",
    "naltrexone",
    "naloxone",
    "therapy",
    "group work",
    "key working",
    "outreach",
    "needle exchange",
    "aftercare",
    "day programme",
    "mutual aid",
    "family support",
    "prescribing",
    "assessment",
    "relapse prevention",
    "harm reduction",
    "CBT",
    "motivational interviewing",
    "contingency management",
    "psychotherapy",
    "peer support",
    "housing advice",
];
const QUALIFIERS: &[&str] = &[
    "Community",
    "Residential",
    "Home",
    "Inpatient",
    "Outpatient",
    "Weekend",
    "Evening",
    "Young people's",
    "Women's",
    "Family",
    "Rapid",
    "Supported",
    "Specialist",
    "Local",
    "Online",
    "Walk-in",
    "NHS",
    "Private",
];
const SUBSTANCES: &[&str] = &[
    "alcohol",
    "heroin",
    "cocaine",
    "crack",
    "cannabis",
    "ketamine",
    "benzodiazepines",
    "opioids",
    "amphetamines",
    "painkillers",
    "spice",
    "GHB",
];
const HEADINGS: &[&str] = &[
    "What it is",
    "Who it may suit",
    "What happens",
    "How to get it",
    "How long it takes",
    "What the sources say",
    "Staying safe",
    "After treatment",
    "Costs and waiting times",
    "Questions to ask",
    "Local details",
    "Support for families",
    "If things go wrong",
];
const WORDS: &[&str] = &[
    "treatment",
    "support",
    "service",
    "people",
    "drug",
    "drugs",
    "alcohol",
    "worker",
    "doctor",
    "nurse",
    "group",
    "recovery",
    "withdrawal",
    "medication",
    "medicine",
    "dose",
    "community",
    "residential",
    "prescribed",
    "family",
    "help",
    "time",
    "week",
    "weeks",
    "month",
    "months",
    "day",
    "days",
    "plan",
    "care",
    "goal",
    "goals",
    "risk",
    "safe",
    "safer",
    "safely",
    "health",
    "mental",
    "physical",
    "problem",
    "problems",
    "use",
    "using",
    "used",
    "stop",
    "stopping",
    "reduce",
    "reducing",
    "change",
    "changes",
    "talk",
    "talking",
    "session",
    "sessions",
    "appointment",
    "appointments",
    "referral",
    "refer",
    "assessment",
    "assess",
    "local",
    "national",
    "free",
    "confidential",
    "private",
    "charity",
    "programme",
    "programmes",
    "unit",
    "centre",
    "home",
    "house",
    "stay",
    "staying",
    "living",
    "life",
    "work",
    "housing",
    "money",
    "benefits",
    "court",
    "prison",
    "probation",
    "police",
    "GP",
    "hospital",
    "pharmacy",
    "chemist",
    "needle",
    "injecting",
    "overdose",
    "naloxone",
    "tolerance",
    "relapse",
    "craving",
    "cravings",
    "mood",
    "sleep",
    "anxiety",
    "depression",
    "trauma",
    "partner",
    "children",
    "parents",
    "carer",
    "carers",
    "friend",
    "friends",
    "trust",
    "choice",
    "choose",
    "option",
    "options",
    "agree",
    "agreed",
    "offer",
    "offers",
    "usually",
    "often",
    "sometimes",
    "rarely",
    "may",
    "might",
    "can",
    "should",
    "need",
    "needs",
    "want",
    "ready",
    "first",
    "next",
    "later",
    "before",
    "after",
    "during",
    "each",
    "every",
    "most",
    "some",
    "many",
    "few",
    "small",
    "large",
    "long",
    "short",
    "slow",
    "quick",
    "gradual",
    "steady",
    "stable",
    "evidence",
    "research",
    "guidance",
    "source",
    "sources",
    "says",
    "describes",
    "explains",
    "suggests",
    "recommends",
    "warns",
    "notes",
    "agrees",
    "differs",
    "compare",
    "compared",
    "between",
    "within",
    "without",
    "together",
    "alone",
    "person",
    "someone",
    "anyone",
    "everyone",
    "staff",
    "team",
    "key",
    "worker's",
    "plan's",
    "waiting",
    "list",
    "lists",
    "cost",
    "costs",
    "paid",
    "fund",
    "funding",
    "council",
    "area",
    "areas",
    "near",
    "travel",
    "phone",
    "online",
    "text",
    "chat",
    "email",
    "visit",
    "visits",
    "open",
    "hours",
    "evening",
    "weekend",
    "daily",
    "weekly",
    "monthly",
    "review",
    "reviewed",
    "check",
    "checks",
    "test",
    "tests",
    "urine",
    "blood",
    "liver",
    "heart",
    "breathing",
    "seizures",
    "fits",
    "shaking",
    "sweating",
    "sickness",
    "pain",
    "symptoms",
    "effects",
    "side",
    "benefit",
    "harm",
    "harms",
    "danger",
    "dangerous",
    "emergency",
    "ambulance",
];
const SYLLABLES: &[&str] = &[
    "ash", "bel", "brook", "bur", "by", "caster", "chester", "combe", "dale", "den", "don", "field", "ford", "gate",
    "ham", "har", "hurst", "ing", "ley", "low", "mar", "mere", "mill", "mouth", "ness", "nor", "port", "row", "sea",
    "shaw", "stan", "stead", "stock", "stone", "stow", "thorp", "ton", "well", "wick", "win", "wood", "worth",
];

/// A made-up place name: the long tail of rare words.
fn place(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut name: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    name
}

fn sentence(rng: &mut Rng, places: &[String], link: Option<(&str, &str)>, source: &str) -> String {
    let n = 8 + rng.below(12);
    let mut words: Vec<String> = (0..n)
        .map(|_| match rng.below(20) {
            0 => places[rng.zipf(places.len())].clone(),
            1 => rng.pick(SUBSTANCES).to_string(),
            2 => rng.pick(TREATMENTS).to_string(),
            _ => WORDS[rng.zipf(WORDS.len())].to_string(),
        })
        .collect();
    if let Some(first) = words.first_mut().and_then(|w| w.get_mut(0..1)) {
        first.make_ascii_uppercase();
    }
    let mut text = words.join(" ");
    if let Some((title, key)) = link {
        write!(text, ", as [{}](@/{key}) explains", title.to_lowercase()).ok();
    }
    if rng.below(4) == 0 {
        write!(text, " [@{source}]").ok();
    }
    text.push('.');
    text
}

fn list(values: &[String], rng: &mut Rng, max: usize) -> Vec<String> {
    let mut out: Vec<String> = (0..1 + rng.below(max)).map(|_| rng.pick(values).clone()).collect();
    out.sort();
    out.dedup();
    out
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", ")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (args.get(1).and_then(|n| n.parse::<usize>().ok()), args.get(2)) else {
        eprintln!("usage: cargo run --release --example gen-corpus -- N DIR [SECTIONS]");
        std::process::exit(2);
    };
    let section_count = args.get(3).and_then(|s| s.parse::<usize>().ok()).unwrap_or(10).max(1);
    let dir = Path::new(dir);
    let config: toml::Table = toml::from_str(SITE_TOML).expect("the shipped site.toml parses");
    let ids = |facet: &str| -> Vec<String> {
        config["vocabularies"][facet]["values"]
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| v["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (types, settings, substances, access) =
        (ids("treatment_type"), ids("settings"), ids("substances"), ids("access"));
    let sources: Vec<String> = config["sources"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();

    let write = |relative: &str, text: &str| {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, text).expect("write a file");
    };
    write("site.toml", SITE_TOML);
    write(
        "content/_index.md",
        &format!(
            "+++\ntitle = \"Generated guidance\"\ndescription = \"{n} generated pages.\"\n+++\n\nA generated site for benchmarks.\n"
        ),
    );
    write(
        "content/browsing-safely.md",
        "+++\ntitle = \"Browsing safely\"\nsummary = \"How to leave no trace.\"\n+++\n\nUse a private window.\n",
    );
    let mut glossary = String::from("+++\ntitle = \"Glossary\"\nsummary = \"Words used on this site.\"\n+++\n");
    for term in ["Detox", "Methadone", "Naloxone", "Relapse", "Key worker", "Care plan"] {
        write!(glossary, "\n## {term}\n\nWhat {} means here.\n", term.to_lowercase()).ok();
    }
    write("content/glossary.md", &glossary);

    let mut rng = Rng(n as u64);
    let places: Vec<String> = (0..(n / 3).max(50)).map(|_| place(&mut rng)).collect();
    let sections: Vec<String> = (0..section_count).map(|s| format!("area-{s:03}")).collect();
    // Every page's key and title first, so that pages can link to any other.
    let pages: Vec<(String, String)> = (0..n)
        .map(|i| {
            let title = format!(
                "{} {} for {} in {}",
                rng.pick(QUALIFIERS),
                rng.pick(TREATMENTS),
                rng.pick(SUBSTANCES),
                places[rng.zipf(places.len())]
            );
            (format!("{}/page-{i:05}.md", sections[i % section_count]), title)
        })
        .collect();
    for (s, section) in sections.iter().enumerate() {
        let place = &places[s % places.len()];
        write(
            &format!("content/{section}/_index.md"),
            &format!(
                "+++\ntitle = \"Services in {place} ({s})\"\ndescription = \"Treatment and support in and around {place}.\"\nguidance = true\nweight = {s}\n+++\n\nWhat is on offer in {place}.\n"
            ),
        );
    }
    for (i, (key, title)) in pages.iter().enumerate() {
        let source = rng.pick(&sources).clone();
        let mut body = String::new();
        for _ in 0..4 + rng.below(4) {
            write!(body, "\n## {}\n", rng.pick(HEADINGS)).ok();
            for _ in 0..2 + rng.below(3) {
                body.push('\n');
                for _ in 0..3 + rng.below(4) {
                    let link = (rng.below(12) == 0).then(|| {
                        let (k, t) = &pages[rng.below(n)];
                        (t.as_str(), k.as_str())
                    });
                    body.push_str(&sentence(&mut rng, &places, link, &source));
                    body.push(' ');
                }
                body.push('\n');
            }
        }
        let short = |rng: &mut Rng| sentence(rng, &places, None, &source).replace(&format!(" [@{source}]"), "");
        let pros: Vec<String> = (0..2).map(|_| short(&mut rng)).collect();
        let cons: Vec<String> = (0..2).map(|_| short(&mut rng)).collect();
        let suits = vec![short(&mut rng)];
        let related: Vec<String> = (0..2)
            .map(|_| format!("@/{}", pages[rng.below(n)].0))
            .filter(|r| r != &format!("@/{key}"))
            .collect();
        let front = format!(
            "+++\ntitle = {title:?}\nsummary = {summary:?}\nweight = {i}\ntreatment_type = {tt:?}\nsettings = [{settings}]\nsubstances = [{substances}]\naccess = [{access}]\npros = [{pros}]\ncons = [{cons}]\nsuits = [{suits}]\nnot_suited = [{suits}]\nduration = \"{weeks} weeks\"\nsources = [{source:?}]\nrelated = [{related}]\nlast_reviewed = 2026-0{m}-1{d}\nnext_review = 2028-0{m}-1{d}\n+++\n",
            summary = short(&mut rng),
            tt = rng.pick(&types),
            settings = quoted(&list(&settings, &mut rng, 3)),
            substances = quoted(&list(&substances, &mut rng, 2)),
            access = quoted(&list(&access, &mut rng, 2)),
            pros = quoted(&pros),
            cons = quoted(&cons),
            suits = quoted(&suits),
            weeks = 1 + rng.below(12),
            related = quoted(&related),
            m = 1 + rng.below(9),
            d = rng.below(10),
        );
        write(&format!("content/{key}"), &format!("{front}{body}"));
    }
    println!("wrote {n} pages in {section_count} sections to {}", dir.display());
}
