//! A deterministic generator of realistic synthetic papers, for measuring paperkg at any size.
//!
//! [`Synth`] is an iterator of [`SynthPaper`]s; [`write_corpus`] streams them as arXiv-metadata
//! JSON Lines (`id`, `title`, `abstract`, `authors`, `categories`, `update_date`), one record a
//! line. The same [`SynthConfig`] (seed included) always gives the same bytes, for a given
//! built-in lexicon and phrase bank. Memory does not grow with the number of papers: the
//! generator keeps only small rings of recent papers and coined names.
//!
//! What the text looks like:
//!
//! * Titles and abstract sentences come from a phrase bank (`data/synth/templates.tsv`, derived
//!   from the bundled corpus by `bench/make_templates.py`): every title and sentence of
//!   `data/samples` with its entity mentions replaced by slots. Abstracts open with an opening
//!   sentence, go on with body sentences and end with a closing one, up to a length drawn
//!   around the bundled corpus's (mean about 1,500 characters, at most 1,920); digits in the
//!   text are redrawn so numbers vary.
//! * Known-entity slots are filled from the built-in lexicon ([`Lexicon::builtin`]), with a
//!   Zipf-like popularity (a few entities in most papers, a long tail), as the name, an alias,
//!   a separator variant (`Llama-2` for `Llama 2`), a size variant (`Mistral 7B-Instruct`) or
//!   an acronym definition (`Low-Rank Adaptation (LoRA)`); an entity is often named again
//!   within a paper.
//! * About half the papers coin a name of their own (`FluxFormer`, `ATR`, `Omni-Align`,
//!   `VeriBench`, sometimes with a size: `NexaLM-7B`), named in the title and abstract, often
//!   with its definition (`Adaptive Token Routing (ATR)`); later papers sometimes cite recently
//!   coined names, so unseen names recur as they do in a real stream.
//! * A small share of records repeat an earlier record exactly (same id), as a paper listed
//!   twice does.
//!
//! This module does not read or check the generated papers; it does not decide what paperkg
//! should extract from them (there is no gold standard for synthetic text).
//!
//! Main items: [`SynthConfig`], [`Synth`], [`SynthPaper`], [`write_corpus`], [`SynthSummary`].

use std::collections::VecDeque;
use std::io::{self, Write};

use serde::Serialize;

use crate::extract::{EntityType, Lexicon, LexiconEntry};

/// The phrase bank: `kind <TAB> template` lines, see the module documentation.
const TEMPLATES: &str = include_str!("../data/synth/templates.tsv");

/// Recent records kept as candidates for a duplicate.
const RECENT_PAPERS: usize = 256;
/// Recently coined names kept, per entity type, as candidates for citing.
const RECENT_NAMES: usize = 2048;
/// Fresh papers per "month" of arXiv ids (`2001.00001` … `2001.25000`, then `2002.…`).
const PAPERS_PER_MONTH: u64 = 25_000;

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthConfig {
    /// Records to write, duplicates included.
    pub papers: usize,
    /// Seed of the generator: the same seed gives the same corpus.
    pub seed: u64,
    /// Share of records that repeat a recent record (same id), between 0 and 1.
    pub duplicate_rate: f64,
    /// Share of papers that coin a name of their own, between 0 and 1.
    pub coin_rate: f64,
    /// Wrap abstracts as the arXiv metadata snapshot does (two leading spaces, a newline every
    /// 80 characters or so); off gives one-line abstracts.
    pub wrap: bool,
}

impl Default for SynthConfig {
    /// 1,000 papers, seed 1, 1% duplicates, 70% of papers coining a name (`paperkg extract`
    /// then sees a coined name in about as many papers as in the bundled corpus: 55%), wrapped
    /// abstracts.
    fn default() -> Self {
        SynthConfig {
            papers: 1000,
            seed: 1,
            duplicate_rate: 0.01,
            coin_rate: 0.7,
            wrap: true,
        }
    }
}

/// One generated paper, serialised as one arXiv-metadata JSON object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SynthPaper {
    /// arXiv-style id, `YYMM.NNNNN`; unique except for duplicate records.
    pub id: String,
    /// Title.
    pub title: String,
    /// Abstract (wrapped with newlines when [`SynthConfig::wrap`] is on).
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Authors, comma-separated.
    pub authors: String,
    /// arXiv categories, space-separated.
    pub categories: String,
    /// Last update date, `YYYY-MM-DD`.
    pub update_date: String,
}

/// What [`write_corpus`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SynthSummary {
    /// Records written (lines).
    pub records: usize,
    /// Records that repeat an earlier one.
    pub duplicates: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes `config.papers` records as JSON Lines to `writer`, streaming.
///
/// The writer is not buffered here: pass a `BufWriter` for a file.
///
/// # Complexity
/// O(N · L) time for N papers of L bytes; memory is constant in N.
///
/// # Example
/// ```
/// let config = paperkg::synth::SynthConfig { papers: 3, ..Default::default() };
/// let mut out = Vec::new();
/// let summary = paperkg::synth::write_corpus(&mut out, &config).unwrap();
/// assert_eq!(summary.records, 3);
/// assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 3);
/// ```
pub fn write_corpus<W: Write>(mut writer: W, config: &SynthConfig) -> io::Result<SynthSummary> {
    let mut summary = SynthSummary::default();
    let mut synth = Synth::new(config);
    let mut line = Vec::with_capacity(4096);
    for paper in synth.by_ref() {
        line.clear();
        serde_json::to_writer(&mut line, &paper).map_err(io::Error::other)?;
        line.push(b'\n');
        writer.write_all(&line)?;
        summary.bytes += line.len() as u64;
        summary.records += 1;
    }
    summary.duplicates = synth.duplicates;
    writer.flush()?;
    Ok(summary)
}

/// The generator: an iterator of exactly [`SynthConfig::papers`] papers.
#[derive(Debug)]
pub struct Synth {
    config: SynthConfig,
    rng: Rng,
    bank: Bank,
    known: [Pool; 3],
    recent_names: [VecDeque<Coined>; 3],
    recent_papers: VecDeque<SynthPaper>,
    emitted: usize,
    fresh: u64,
    duplicates: usize,
}

impl Synth {
    /// A generator for `config`, reading the built-in lexicon and phrase bank.
    pub fn new(config: &SynthConfig) -> Synth {
        let mut rng = Rng::new(config.seed);
        let lexicon = Lexicon::builtin();
        let known = EntityType::ALL.map(|kind| Pool::new(lexicon.entries(), kind, &mut rng));
        Synth {
            config: config.clone(),
            rng,
            bank: Bank::parse(TEMPLATES),
            known,
            recent_names: Default::default(),
            recent_papers: VecDeque::with_capacity(RECENT_PAPERS),
            emitted: 0,
            fresh: 0,
            duplicates: 0,
        }
    }

    /// Records that repeated an earlier one so far.
    pub fn duplicates(&self) -> usize {
        self.duplicates
    }

    /// A new paper (never a duplicate).
    fn fresh_paper(&mut self) -> SynthPaper {
        let index = self.fresh;
        self.fresh += 1;
        let month = index / PAPERS_PER_MONTH;
        let year = 2020 + month / 12;
        let mm = month % 12 + 1;
        let id = format!(
            "{:02}{mm:02}.{:05}",
            year - 2000,
            index % PAPERS_PER_MONTH + 1
        );
        let update_date = format!("{year}-{mm:02}-{:02}", 1 + self.rng.below(28));

        let mut paper = PaperState::default();
        if self.rng.chance(self.config.coin_rate) {
            let kind = *self.rng.pick(&EntityType::ALL);
            paper.coined = Some(coin(&mut self.rng, kind));
        }
        let titles = if paper.coined.is_some() && self.rng.chance(0.72) {
            &self.bank.titles_coined
        } else {
            &self.bank.titles_plain
        };
        let title_template = *self.rng.pick(titles);
        let mut title = String::with_capacity(128);
        self.fill(title_template, &mut paper, &mut title);

        let target = (1640.0 + 260.0 * self.rng.normal()).clamp(700.0, 1920.0) as usize;
        let mut text = String::with_capacity(2048);
        let open = *self.rng.pick(&self.bank.open);
        self.fill(open, &mut paper, &mut text);
        if paper.coined.is_some() {
            for _ in 0..1 + self.rng.below(3) {
                text.push(' ');
                let propose = *self.rng.pick(&self.bank.propose);
                self.fill(propose, &mut paper, &mut text);
            }
        }
        let close = *self.rng.pick(&self.bank.close);
        'body: loop {
            // A few tries at a sentence that still leaves room for the closing one.
            for _ in 0..4 {
                let body = *self.rng.pick(&self.bank.body);
                if text.len() + body.len() + close.len() + 2 <= target {
                    text.push(' ');
                    self.fill(body, &mut paper, &mut text);
                    continue 'body;
                }
            }
            break;
        }
        text.push(' ');
        self.fill(close, &mut paper, &mut text);
        let abstract_text = if self.config.wrap { wrap(&text) } else { text };

        if let Some(coined) = paper.coined {
            let ring = &mut self.recent_names[coined.kind as usize];
            if ring.len() == RECENT_NAMES {
                ring.pop_front();
            }
            ring.push_back(coined);
        }
        SynthPaper {
            id,
            title,
            abstract_text,
            authors: authors(&mut self.rng),
            categories: categories(&mut self.rng),
            update_date,
        }
    }

    /// Appends `template` to `out` with its slots filled and its digits redrawn.
    fn fill(&mut self, template: &str, paper: &mut PaperState, out: &mut String) {
        let mut parts = template.split('@');
        if let Some(first) = parts.next() {
            push_redrawn(&mut self.rng, first, out);
        }
        let mut in_slot = true;
        for part in parts {
            if in_slot {
                self.fill_slot(part, paper, out);
            } else {
                push_redrawn(&mut self.rng, part, out);
            }
            in_slot = !in_slot;
        }
    }

    fn fill_slot(&mut self, slot: &str, paper: &mut PaperState, out: &mut String) {
        let (role, kind) = match slot.split_once('-') {
            Some((role, kind)) => (role, kind),
            None => ("known", slot),
        };
        let kind = match kind {
            "model" => EntityType::Model,
            "method" => EntityType::Method,
            _ => EntityType::Dataset,
        };
        if role != "known" {
            let coined = paper
                .coined
                .get_or_insert_with(|| coin(&mut self.rng, kind));
            if role == "def" && !paper.defined {
                paper.defined = true;
                out.push_str(&coined.long_form);
                out.push_str(" (");
                out.push_str(&coined.name);
                out.push(')');
            } else {
                out.push_str(&coined.name);
            }
            return;
        }
        // Name an entity this paper named already, a recently coined name, or a known one.
        let named = &paper.named[kind as usize];
        if !named.is_empty() && self.rng.chance(0.35) {
            let i = self.rng.below(named.len());
            out.push_str(&named[i]);
            return;
        }
        let ring = &self.recent_names[kind as usize];
        if !ring.is_empty() && self.rng.chance(0.08) {
            let name = ring[self.rng.below(ring.len())].name.clone();
            out.push_str(&name);
            paper.named[kind as usize].push(name);
            return;
        }
        let entry = self.known[kind as usize].draw(&mut self.rng);
        let surface = surface(&mut self.rng, entry);
        let defined = !entry.long_forms.is_empty() && self.rng.chance(0.3);
        if defined {
            let long = self.rng.pick(&entry.long_forms);
            out.push_str(long);
            out.push_str(" (");
            out.push_str(&surface);
            out.push(')');
        } else {
            out.push_str(&surface);
        }
        paper.named[kind as usize].push(surface);
    }
}

impl Iterator for Synth {
    type Item = SynthPaper;

    fn next(&mut self) -> Option<SynthPaper> {
        if self.emitted >= self.config.papers {
            return None;
        }
        self.emitted += 1;
        if !self.recent_papers.is_empty() && self.rng.chance(self.config.duplicate_rate) {
            self.duplicates += 1;
            let i = self.rng.below(self.recent_papers.len());
            return Some(self.recent_papers[i].clone());
        }
        let paper = self.fresh_paper();
        if self.recent_papers.len() == RECENT_PAPERS {
            self.recent_papers.pop_front();
        }
        self.recent_papers.push_back(paper.clone());
        Some(paper)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.config.papers - self.emitted;
        (left, Some(left))
    }
}

/// What one paper has named so far.
#[derive(Debug, Default)]
struct PaperState {
    /// The paper's own coined name, decided at its first use.
    coined: Option<Coined>,
    /// Whether the coined name's definition was written already.
    defined: bool,
    /// Surfaces written so far, per entity type.
    named: [Vec<String>; 3],
}

/// A coined name and the long form it abbreviates (or is defined with).
#[derive(Clone, Debug)]
struct Coined {
    name: String,
    long_form: String,
    kind: EntityType,
}

/// The phrase bank, split by the template's role.
#[derive(Debug, Default)]
struct Bank {
    titles_plain: Vec<&'static str>,
    titles_coined: Vec<&'static str>,
    open: Vec<&'static str>,
    propose: Vec<&'static str>,
    body: Vec<&'static str>,
    close: Vec<&'static str>,
}

impl Bank {
    fn parse(text: &'static str) -> Bank {
        let mut bank = Bank::default();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((kind, template)) = line.split_once('\t') else {
                continue;
            };
            let list = match kind {
                "title" if template.contains("@new-") || template.contains("@def-") => {
                    &mut bank.titles_coined
                }
                "title" => &mut bank.titles_plain,
                "open" => &mut bank.open,
                "propose" => &mut bank.propose,
                "body" => &mut bank.body,
                "close" => &mut bank.close,
                _ => continue,
            };
            list.push(template);
        }
        bank
    }
}

/// The known entities of one type, in a seeded popularity order.
#[derive(Debug)]
struct Pool {
    entries: Vec<Known>,
    /// Cumulative Zipf weights (1/rank), one per entry.
    cumulative: Vec<f64>,
}

/// A lexicon entry, reduced to what filling a slot needs.
#[derive(Debug)]
struct Known {
    name: String,
    /// Aliases used as other surface forms (single words or spellings).
    aliases: Vec<String>,
    /// Multi-word aliases, written as the long form of an acronym definition.
    long_forms: Vec<String>,
    /// Whether size variants (`-7B`, `-Instruct`) suit it.
    sized: bool,
}

impl Pool {
    fn new(entries: &[LexiconEntry], kind: EntityType, rng: &mut Rng) -> Pool {
        let mut known: Vec<Known> = entries
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| {
                let (long_forms, aliases) = e
                    .aliases
                    .iter()
                    .cloned()
                    .partition(|a| a.split_whitespace().count() >= 2 && !e.name.contains(' '));
                Known {
                    name: e.name.clone(),
                    aliases,
                    long_forms,
                    sized: kind == EntityType::Model && !e.name.contains(' '),
                }
            })
            .collect();
        for i in (1..known.len()).rev() {
            let j = rng.below(i + 1);
            known.swap(i, j);
        }
        let mut total = 0.0;
        let cumulative = (0..known.len())
            .map(|rank| {
                total += 1.0 / (rank as f64 + 1.0);
                total
            })
            .collect();
        Pool {
            entries: known,
            cumulative,
        }
    }

    fn draw(&self, rng: &mut Rng) -> &Known {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let u = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= u);
        &self.entries[i.min(self.entries.len() - 1)]
    }
}

/// One surface form of a known entity: its name, an alias, a separator or size variant.
fn surface(rng: &mut Rng, entry: &Known) -> String {
    let roll = rng.unit();
    let mut s = if roll < 0.15 && !entry.aliases.is_empty() {
        rng.pick(&entry.aliases).clone()
    } else if roll < 0.25 && (entry.name.contains(' ') || entry.name.contains('-')) {
        let sep = *rng.pick(&["-", " ", ""]);
        entry.name.replace([' ', '-'], sep)
    } else {
        entry.name.clone()
    };
    if entry.sized && rng.chance(0.12) {
        s.push_str(rng.word(SIZES));
    }
    s
}

/// Appends `text`, each ASCII digit replaced by a random one (a number's first digit by a
/// non-zero one, so `54.6%` may become `81.3%` but never `01.3%`).
fn push_redrawn(rng: &mut Rng, text: &str, out: &mut String) {
    let mut after_digit = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            let digit = if after_digit {
                rng.below(10)
            } else {
                1 + rng.below(9)
            };
            out.push(char::from(b'0' + digit as u8));
            after_digit = true;
        } else {
            out.push(c);
            after_digit = c == '.' && after_digit;
        }
    }
}

/// Wraps like the arXiv metadata snapshot: two leading spaces, a newline before a word that
/// would pass column 80, and a final newline.
fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 70 + 4);
    out.push_str("  ");
    let mut column = 2;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if column + 1 + word.len() > 80 {
                out.push('\n');
                column = 0;
            } else {
                out.push(' ');
                column += 1;
            }
        }
        out.push_str(word);
        column += word.len();
    }
    out.push('\n');
    out
}

/// Coins a new name of the given type, with the long form it abbreviates or is defined by.
fn coin(rng: &mut Rng, kind: EntityType) -> Coined {
    let words = 2 + rng.below(3);
    let long: Vec<&str> = (0..words).map(|_| *rng.pick(LONG_FORM_WORDS)).collect();
    let long_form = long.join(" ");
    let suffixes = match kind {
        EntityType::Model => MODEL_SUFFIXES,
        EntityType::Method => METHOD_SUFFIXES,
        EntityType::Dataset => DATASET_SUFFIXES,
    };
    let roll = rng.unit();
    let mut name = if roll < 0.3 {
        // An acronym of the long form: `ATR`, sometimes `ProX`-like.
        let mut acronym = String::new();
        for (i, word) in long.iter().enumerate() {
            let take = if i == 0 && rng.chance(0.25) { 3 } else { 1 };
            for (j, c) in word
                .chars()
                .filter(|c| c.is_alphabetic())
                .take(take)
                .enumerate()
            {
                if j == 0 {
                    acronym.extend(c.to_uppercase());
                } else {
                    acronym.extend(c.to_lowercase());
                }
            }
        }
        acronym
    } else if roll < 0.8 {
        // A compound: `FluxFormer`, `NexaAstraBench`.
        let mut s = rng.pick(SYLLABLES).to_string();
        if rng.chance(0.3) {
            s.push_str(rng.word(SYLLABLES));
        }
        s.push_str(rng.word(suffixes));
        s
    } else {
        // Hyphenated: `Omni-Align`, `Vera-Coder`.
        let suffix = rng.pick(suffixes).trim_start_matches('-');
        format!("{}-{suffix}", rng.pick(SYLLABLES))
    };
    if kind == EntityType::Model && rng.chance(0.25) {
        name.push_str(rng.word(SIZES));
    } else if rng.chance(0.08) {
        name.push_str(rng.word(&["-v2", "2", "-2", "++", "-XL"]));
    }
    Coined {
        name,
        long_form,
        kind,
    }
}

/// 2–8 authors, `First Last, First Last`.
fn authors(rng: &mut Rng) -> String {
    let n = 2 + rng.below(7);
    let mut out = String::with_capacity(n * 16);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(rng.word(FIRST_NAMES));
        out.push(' ');
        out.push_str(rng.word(LAST_NAMES));
    }
    out
}

/// A primary category and up to two more, distinct.
fn categories(rng: &mut Rng) -> String {
    let mut picked: Vec<&str> = vec![*rng.pick(CATEGORIES)];
    for _ in 0..rng.below(3) {
        let c = *rng.pick(CATEGORIES);
        if !picked.contains(&c) {
            picked.push(c);
        }
    }
    picked.join(" ")
}

/// SplitMix64: small, fast, and plenty for test data (not for anything secret).
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_CAFE_F00D_D00D)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly standard normal (Irwin–Hall: twelve uniforms), using only additions so the
    /// result is the same on every platform.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn word<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

const SIZES: &[&str] = &[
    "-7B",
    "-13B",
    "-70B",
    "-8B",
    "-1.5B",
    "-3B",
    "-Instruct",
    "-Chat",
    "-7B-Instruct",
    "-base",
    "-large",
    " 7B",
    " 70B",
];

const SYLLABLES: &[&str] = &[
    "Omni", "Flux", "Vera", "Lumi", "Nexa", "Astra", "Cogni", "Hyper", "Neuro", "Quanta", "Zeta",
    "Orca", "Lyra", "Nova", "Pico", "Mega", "Sky", "Chrono", "Helio", "Aero", "Vox", "Pix", "Geo",
    "Bio", "Med", "Code", "Math", "Vid", "Sonic", "Graph", "Mem", "Prism", "Echo", "Kai", "Mira",
    "Rho", "Tau", "Sigma", "Kappa", "Aurora", "Cobalt", "Ember", "Falcon", "Glide", "Halo", "Iris",
    "Jade", "Kite", "Lotus", "Maple", "Nimbus", "Onyx", "Pulse", "Quill", "Raven", "Sage", "Tidal",
    "Umbra", "Vista", "Willow", "Xeno", "Yara", "Zephyr", "Atlas", "Bolt", "Cipher", "Dyna", "Eos",
    "Fable", "Gaia", "Hermes", "Ion", "Juno", "Kilo", "Loom", "Mosaic", "Nano", "Orbit", "Pilot",
    "Quest", "Relay", "Spark", "Terra", "Uni", "Vector", "Wave", "Xylo", "Yon", "Zen", "Auto",
    "Meta", "Deep", "Tiny", "Open", "Self", "Multi", "Cross", "Dual", "Poly", "Veri", "Robo",
    "Agent", "Dream", "Scene", "Motion", "Audio", "Chem", "Proto", "Struct",
];

const MODEL_SUFFIXES: &[&str] = &[
    "Net",
    "Former",
    "LM",
    "GPT",
    "Coder",
    "-VL",
    "Diffusion",
    "Mamba",
    "BERT",
    "Vision",
    "Chat",
    "-R1",
    "Math",
    "Med",
    "Gen",
    "Llama",
    "Mind",
    "Speech",
    "Seg",
    "Det",
    "ViT",
    "CLIP",
    "T5",
];

const METHOD_SUFFIXES: &[&str] = &[
    "Opt", "Tune", "Align", "Prune", "Merge", "Attn", "Drop", "Distill", "RL", "PO", "Search",
    "Reg", "Norm", "Boost", "Sched", "Quant", "Prompt", "RAG", "Adapter", "LoRA", "Decode",
];

const DATASET_SUFFIXES: &[&str] = &[
    "Bench",
    "-QA",
    "Eval",
    "Set",
    "-Instruct",
    "Arena",
    "-1M",
    "Corpus",
    "Test",
    "-Pro",
    "Gym",
    "-10K",
    "VQA",
    "Reason",
    "Math",
    "Code",
    "Data",
];

const LONG_FORM_WORDS: &[&str] = &[
    "Adaptive",
    "Efficient",
    "Sparse",
    "Token",
    "Routing",
    "Retrieval",
    "Augmented",
    "Generation",
    "Low-Rank",
    "Mixture",
    "Experts",
    "Contrastive",
    "Preference",
    "Optimization",
    "Reasoning",
    "Visual",
    "Language",
    "Alignment",
    "Memory",
    "Attention",
    "Diffusion",
    "Policy",
    "Gradient",
    "Hierarchical",
    "Multi-Scale",
    "Graph",
    "Embedding",
    "Knowledge",
    "Distillation",
    "Self-Supervised",
    "Learning",
    "Instruction",
    "Tuning",
    "Reward",
    "Modeling",
    "Benchmark",
    "Evaluation",
    "Agent",
    "Planning",
    "Search",
    "Compression",
    "Quantization",
    "Pruning",
    "Streaming",
    "Video",
    "Speech",
    "Code",
    "Synthesis",
    "Program",
    "Verification",
    "Dynamic",
    "Layer",
    "Scaling",
    "Curriculum",
    "Calibration",
    "Uncertainty",
    "Robust",
    "Federated",
    "Continual",
    "Temporal",
    "Spatial",
    "Latent",
    "Cross-Modal",
    "Unified",
    "Structured",
    "Causal",
    "Semantic",
    "Parameter",
    "Fine-Tuning",
    "Data",
    "Selection",
    "Synthetic",
    "Safety",
    "Defense",
    "Long-Context",
    "Window",
    "Cache",
    "Decoding",
    "Speculative",
    "Parallel",
    "Progressive",
    "Residual",
    "Recurrent",
    "Transformer",
    "Network",
    "Feedback",
    "Editing",
];

const FIRST_NAMES: &[&str] = &[
    "Wei", "Yu", "Jie", "Xin", "Hao", "Ming", "Li", "Jun", "Yang", "Chen", "Anna", "David",
    "Maria", "James", "Sarah", "Michael", "Laura", "Daniel", "Elena", "Thomas", "Priya", "Rahul",
    "Ananya", "Arjun", "Sofia", "Lucas", "Emma", "Noah", "Olivia", "Liam", "Yuki", "Hiroshi",
    "Sakura", "Kenji", "Min-jun", "Ji-woo", "Omar", "Fatima", "Ali", "Leila", "Pierre", "Julie",
    "Hans", "Greta", "Ivan", "Olga", "Pedro", "Camila", "Kwame", "Amara",
];

const LAST_NAMES: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Kumar",
    "Sharma", "Singh", "Patel", "Gupta", "Tanaka", "Suzuki", "Sato", "Kim", "Park", "Lee", "Choi",
    "Nguyen", "Tran", "Hassan", "Ahmed", "Dubois", "Martin", "Muller", "Schmidt", "Rossi",
    "Bianchi", "Ivanov", "Petrov", "Silva", "Santos", "Mensah", "Okafor", "Cohen", "Levi",
];

const CATEGORIES: &[&str] = &[
    "cs.CL", "cs.CL", "cs.CL", "cs.LG", "cs.LG", "cs.LG", "cs.CV", "cs.CV", "cs.AI", "cs.AI",
    "stat.ML", "cs.IR", "cs.RO", "eess.AS", "cs.SE", "cs.CR", "cs.MA", "q-bio.QM",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(config: &SynthConfig) -> Vec<u8> {
        let mut out = Vec::new();
        write_corpus(&mut out, config).expect("writes to memory");
        out
    }

    fn config(papers: usize, seed: u64) -> SynthConfig {
        SynthConfig {
            papers,
            seed,
            ..SynthConfig::default()
        }
    }

    #[test]
    fn same_seed_gives_same_bytes() {
        assert_eq!(corpus(&config(300, 7)), corpus(&config(300, 7)));
    }

    #[test]
    fn different_seeds_differ() {
        assert_ne!(corpus(&config(50, 1)), corpus(&config(50, 2)));
    }

    #[test]
    fn writes_exactly_n_valid_records() {
        let bytes = corpus(&config(500, 3));
        let text = String::from_utf8(bytes).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 500);
        for line in lines {
            let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            for field in [
                "id",
                "title",
                "abstract",
                "authors",
                "categories",
                "update_date",
            ] {
                let s = v[field]
                    .as_str()
                    .unwrap_or_else(|| panic!("{field} in {line}"));
                assert!(!s.trim().is_empty(), "{field} empty in {line}");
            }
            assert!(!line.contains('@'), "unfilled slot in {line}");
        }
        assert_eq!(write_corpus(io::sink(), &config(0, 3)).unwrap().records, 0);
    }

    #[test]
    fn lengths_resemble_the_bundled_corpus() {
        let config = SynthConfig {
            wrap: false,
            ..config(2000, 11)
        };
        let papers: Vec<SynthPaper> = Synth::new(&config).collect();
        let n = papers.len() as f64;
        let abstract_mean = papers.iter().map(|p| p.abstract_text.len()).sum::<usize>() as f64 / n;
        let title_mean = papers.iter().map(|p| p.title.len()).sum::<usize>() as f64 / n;
        // The bundled corpus: abstracts 1,526 characters on average (600–1,920), titles 79.
        assert!((1200.0..1800.0).contains(&abstract_mean), "{abstract_mean}");
        assert!((55.0..110.0).contains(&title_mean), "{title_mean}");
        assert!(papers.iter().all(|p| p.abstract_text.len() < 4000));
    }

    #[test]
    fn repeats_some_ids_at_about_the_duplicate_rate() {
        let config = SynthConfig {
            duplicate_rate: 0.05,
            ..config(4000, 5)
        };
        let mut synth = Synth::new(&config);
        let ids: Vec<String> = synth.by_ref().map(|p| p.id).collect();
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        let repeated = ids.len() - distinct.len();
        assert_eq!(repeated, synth.duplicates());
        assert!((100..320).contains(&repeated), "{repeated}");
    }

    #[test]
    fn names_lexicon_entities_and_coins_new_names() {
        let papers: Vec<SynthPaper> = Synth::new(&config(400, 9)).collect();
        let text: String = papers
            .iter()
            .map(|p| format!("{} {}\n", p.title, p.abstract_text))
            .collect();
        let lexicon = Lexicon::builtin();
        let named = lexicon
            .entries()
            .iter()
            .filter(|e| text.contains(e.name.as_str()))
            .count();
        assert!(named > 100, "only {named} lexicon entities named");
        assert!(text.contains(" ("), "no acronym definitions");
        let coined = SYLLABLES.iter().filter(|s| text.contains(*s)).count();
        assert!(coined > 20, "few coined names: {coined}");
    }

    #[test]
    fn wrapping_keeps_the_words() {
        let text = "word ".repeat(100);
        let wrapped = wrap(text.trim());
        assert!(wrapped.lines().all(|l| l.len() <= 80));
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_slot_in_the_bank_is_known() {
        let bank = Bank::parse(TEMPLATES);
        assert!(bank.titles_plain.len() > 100 && bank.titles_coined.len() > 50);
        assert!(bank.open.len() > 100 && bank.body.len() > 1000 && bank.close.len() > 100);
        for template in TEMPLATES.lines().filter(|l| !l.starts_with('#')) {
            for (i, part) in template.split('@').enumerate() {
                if i % 2 == 1 {
                    let kind = part.rsplit('-').next().unwrap_or_default();
                    assert!(
                        ["model", "method", "dataset"].contains(&kind),
                        "slot @{part}@ in {template}"
                    );
                }
            }
        }
    }
}
