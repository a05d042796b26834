//! Typing discovered names from their context: head nouns and verbs around a mention.
//!
//! A name is a dataset when its context says so ("the X dataset", "evaluated on X",
//! "benchmarks such as X"), a model ("X model", "fine-tune X", "X, the first … LLM"), or a
//! method ("X framework", "X, a novel algorithm"). Each clue adds a weighted [`Votes`];
//! the discovery rules sum them per entity and take the strongest.
//!
//! This module only classifies words; it does not find names.

use super::EntityType;

/// Weighted evidence for each type, in [`EntityType::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Votes(pub [f32; 3]);

impl Votes {
    /// A vote of `weight` for `kind`.
    pub fn one(kind: EntityType, weight: f32) -> Votes {
        let mut v = [0.0; 3];
        v[kind as usize] = weight;
        Votes(v)
    }

    /// Adds another set of votes.
    pub fn add(&mut self, other: Votes) {
        for i in 0..3 {
            self.0[i] += other.0[i];
        }
    }

    /// The type with the most weight; ties and no evidence go to `method`, the most common
    /// type of coined names.
    pub fn winner(&self) -> EntityType {
        let mut best = EntityType::Method;
        let mut weight = self.0[EntityType::Method as usize];
        for kind in EntityType::ALL {
            if self.0[kind as usize] > weight {
                best = kind;
                weight = self.0[kind as usize];
            }
        }
        best
    }
}

/// The type a head noun announces: `dataset`, `benchmark` → dataset; `model`, `LLM` → model;
/// `framework`, `algorithm` → method. Case-insensitive; plurals accepted.
pub fn head_type(word: &str) -> Option<EntityType> {
    let mut buf = [0u8; 24];
    head_type_lower(lower_ascii(word, &mut buf)?)
}

/// What a word's spelling tells the discovery rules: the type it announces as a head noun
/// ([`head_type`]) and whether it introduces a name ([`PROPOSE_VERBS`], [`NAMING_VERBS`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordFacts {
    /// The type it announces as a head noun.
    pub head: Option<EntityType>,
    /// A verb that introduces a name.
    pub verb: bool,
}

/// Every head noun and verb with what it says, in ASCII lowercase (each word once): the
/// patterns the lexicon's automaton also finds, so that the discovery rules need no look-up
/// per word.
pub fn cue_words() -> Vec<(&'static str, WordFacts)> {
    let mut words: Vec<(&'static str, WordFacts)> = Vec::new();
    for &(word, kind) in HEAD_NOUNS {
        words.push((
            word,
            WordFacts {
                head: Some(kind),
                verb: false,
            },
        ));
    }
    for &word in PROPOSE_VERBS.iter().chain(NAMING_VERBS) {
        match words.iter_mut().find(|(w, _)| *w == word) {
            Some((_, facts)) => facts.verb = true,
            None => words.push((
                word,
                WordFacts {
                    head: None,
                    verb: true,
                },
            )),
        }
    }
    words
}

/// Head nouns and the type each announces, in ASCII lowercase, sorted: datasets, corpora
/// and benchmarks; trained models; methods, architectures, frameworks and systems.
pub const HEAD_NOUNS: &[(&str, EntityType)] = &[
    ("algorithm", EntityType::Method),
    ("algorithms", EntityType::Method),
    ("approach", EntityType::Method),
    ("approaches", EntityType::Method),
    ("architecture", EntityType::Method),
    ("architectures", EntityType::Method),
    ("assistant", EntityType::Model),
    ("assistants", EntityType::Model),
    ("attention", EntityType::Method),
    ("attentions", EntityType::Method),
    ("benchmark", EntityType::Dataset),
    ("benchmarks", EntityType::Dataset),
    ("challenge", EntityType::Dataset),
    ("challenges", EntityType::Dataset),
    ("chatbot", EntityType::Model),
    ("chatbots", EntityType::Model),
    ("checkpoint", EntityType::Model),
    ("checkpoints", EntityType::Model),
    ("collection", EntityType::Dataset),
    ("collections", EntityType::Dataset),
    ("compiler", EntityType::Method),
    ("compilers", EntityType::Method),
    ("corpora", EntityType::Dataset),
    ("corpus", EntityType::Dataset),
    ("data", EntityType::Dataset),
    ("database", EntityType::Dataset),
    ("databases", EntityType::Dataset),
    ("dataset", EntityType::Dataset),
    ("datasets", EntityType::Dataset),
    ("decoder", EntityType::Model),
    ("decoders", EntityType::Model),
    ("encoder", EntityType::Model),
    ("encoders", EntityType::Model),
    ("engine", EntityType::Method),
    ("engines", EntityType::Method),
    ("format", EntityType::Method),
    ("formats", EntityType::Method),
    ("framework", EntityType::Method),
    ("frameworks", EntityType::Method),
    ("kernel", EntityType::Method),
    ("kernels", EntityType::Method),
    ("layer", EntityType::Method),
    ("layers", EntityType::Method),
    ("leaderboard", EntityType::Dataset),
    ("leaderboards", EntityType::Dataset),
    ("libraries", EntityType::Method),
    ("library", EntityType::Method),
    ("llm", EntityType::Model),
    ("llms", EntityType::Model),
    ("lm", EntityType::Model),
    ("lmm", EntityType::Model),
    ("lmms", EntityType::Model),
    ("lms", EntityType::Model),
    ("loss", EntityType::Method),
    ("losses", EntityType::Method),
    ("mechanism", EntityType::Method),
    ("mechanisms", EntityType::Method),
    ("method", EntityType::Method),
    ("methodologies", EntityType::Method),
    ("methodology", EntityType::Method),
    ("methods", EntityType::Method),
    ("mllm", EntityType::Model),
    ("mllms", EntityType::Model),
    ("model", EntityType::Model),
    ("models", EntityType::Model),
    ("module", EntityType::Method),
    ("modules", EntityType::Method),
    ("network", EntityType::Model),
    ("networks", EntityType::Model),
    ("objective", EntityType::Method),
    ("objectives", EntityType::Method),
    ("operator", EntityType::Method),
    ("operators", EntityType::Method),
    ("optimizer", EntityType::Method),
    ("optimizers", EntityType::Method),
    ("paradigm", EntityType::Method),
    ("paradigms", EntityType::Method),
    ("pipeline", EntityType::Method),
    ("pipelines", EntityType::Method),
    ("platform", EntityType::Method),
    ("platforms", EntityType::Method),
    ("policies", EntityType::Method),
    ("policy", EntityType::Method),
    ("procedure", EntityType::Method),
    ("procedures", EntityType::Method),
    ("protocol", EntityType::Method),
    ("protocols", EntityType::Method),
    ("recipe", EntityType::Method),
    ("recipes", EntityType::Method),
    ("scheme", EntityType::Method),
    ("schemes", EntityType::Method),
    ("strategies", EntityType::Method),
    ("strategy", EntityType::Method),
    ("suite", EntityType::Dataset),
    ("suites", EntityType::Dataset),
    ("system", EntityType::Method),
    ("systems", EntityType::Method),
    ("technique", EntityType::Method),
    ("techniques", EntityType::Method),
    ("test-bed", EntityType::Dataset),
    ("test-beds", EntityType::Dataset),
    ("testbed", EntityType::Dataset),
    ("testbeds", EntityType::Dataset),
    ("tool", EntityType::Method),
    ("toolkit", EntityType::Method),
    ("toolkits", EntityType::Method),
    ("tools", EntityType::Method),
    ("treebank", EntityType::Dataset),
    ("treebanks", EntityType::Dataset),
    ("vlm", EntityType::Model),
    ("vlms", EntityType::Model),
];

/// [`head_type`] of a word already in ASCII lowercase.
pub fn head_type_lower(lower: &[u8]) -> Option<EntityType> {
    HEAD_NOUNS
        .binary_search_by(|(w, _)| w.as_bytes().cmp(lower))
        .ok()
        .map(|i| HEAD_NOUNS[i].1)
}

/// `word` in ASCII lowercase, in `buf`; `None` when it is not ASCII or longer than `buf`.
pub fn lower_ascii<'a>(word: &str, buf: &'a mut [u8; 24]) -> Option<&'a [u8]> {
    let n = word.len();
    if n > buf.len() || !word.is_ascii() {
        return None;
    }
    for (b, c) in buf.iter_mut().zip(word.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    Some(&buf[..n])
}

/// Whether a word introduces a name that follows it: "propose", "introduces", "called".
#[cfg(test)]
pub fn is_intro_verb(word: &str) -> bool {
    let mut buf = [0u8; 24];
    lower_ascii(word, &mut buf).is_some_and(|lower| {
        PROPOSE_VERBS
            .iter()
            .chain(NAMING_VERBS)
            .any(|w| w.as_bytes() == lower)
    })
}

/// Verbs with which a paper introduces its own contribution.
pub const PROPOSE_VERBS: &[&str] = &[
    "build",
    "builds",
    "construct",
    "constructs",
    "contribute",
    "contributes",
    "create",
    "creates",
    "curate",
    "curates",
    "design",
    "designs",
    "develop",
    "developed",
    "develops",
    "introduce",
    "introduces",
    "present",
    "presents",
    "propose",
    "proposes",
    "release",
    "releases",
];

/// Words that name what follows them: "called X", "dubbed X".
pub const NAMING_VERBS: &[&str] = &["called", "coined", "dubbed", "named", "termed"];

/// Words before a name that announce a dataset: "evaluated on X", "trained on X",
/// "benchmarks such as X".
pub fn is_dataset_verb(word: &str) -> bool {
    let mut buf = [0u8; 24];
    let Some(w) = lower_ascii(word, &mut buf) else {
        return false;
    };
    [
        "evaluate",
        "evaluated",
        "evaluating",
        "evaluation",
        "evaluations",
        "tested",
        "trained",
        "pretrained",
        "pre-trained",
        "finetuned",
        "fine-tuned",
        "experiments",
        "results",
        "accuracy",
        "performance",
        "benchmarked",
    ]
    .iter()
    .any(|v| v.as_bytes() == w)
}

/// Verbs before a name that announce a model: "fine-tune X", "prompting X".
pub fn is_model_verb(word: &str) -> bool {
    let mut buf = [0u8; 24];
    let Some(w) = lower_ascii(word, &mut buf) else {
        return false;
    };
    [
        "fine-tune",
        "fine-tunes",
        "fine-tuning",
        "finetune",
        "finetunes",
        "finetuning",
        "prompting",
        "prompt",
        "distill",
        "distilling",
        "querying",
        "query",
    ]
    .iter()
    .any(|v| v.as_bytes() == w)
}

/// Type clues in a name's own spelling: a size (`-7B`) makes a model, a year (`-2014`) a
/// dataset; `…Bench`, `…QA` are datasets; `…LLM`, `…GPT`, `…BERT` models; `…Attention`,
/// `…RAG`, `…LoRA`, `…Former` methods.
pub fn suffix_votes(name: &str) -> Votes {
    let lower = name.to_ascii_lowercase();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
    let bytes = lower.as_bytes();
    let year = bytes.len() >= 5 && {
        let tail = &bytes[bytes.len() - 4..];
        tail.iter().all(u8::is_ascii_digit) && (tail.starts_with(b"19") || tail.starts_with(b"20"))
    };
    if has_size(&lower) {
        Votes::one(EntityType::Model, 2.0)
    } else if year
        || ends(&[
            "bench",
            "benchmark",
            "eval",
            "qa",
            "corpus",
            "set",
            "data",
            "instruct",
        ])
    {
        Votes::one(EntityType::Dataset, 1.5)
    } else if ends(&["llm", "gpt", "bert", "lm", "t5", "llama", "vlm", "net"]) {
        Votes::one(EntityType::Model, 1.0)
    } else if ends(&[
        "attention",
        "rag",
        "lora",
        "former",
        "tuning",
        "decoding",
        "prompting",
    ]) {
        Votes::one(EntityType::Method, 1.5)
    } else {
        Votes::default()
    }
}

/// Whether a name ends in a parameter count (`-7B`, ` 13b`, `_2.7B`, `8x7B`, `-125M`),
/// optionally followed by a variant tag (`-Instruct`, `-Chat`, `-Base`).
pub fn has_size(lower: &str) -> bool {
    let mut s = lower;
    for tag in ["-instruct", "-chat", "-base", "-it", "-hf"] {
        s = s.strip_suffix(tag).unwrap_or(s);
    }
    let Some(unit) = s.chars().last().filter(|c| matches!(c, 'b' | 'm' | 't')) else {
        return false;
    };
    let body = &s[..s.len() - unit.len_utf8()];
    let digits: String = body
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == 'x')
        .collect();
    let before = body[..body.len() - digits.len()].chars().last();
    digits.chars().any(|c| c.is_ascii_digit())
        && !digits.ends_with('.')
        && before.is_some_and(|c| matches!(c, '-' | ' ' | '_') || c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads() {
        assert_eq!(head_type("datasets"), Some(EntityType::Dataset));
        assert_eq!(head_type("Benchmark"), Some(EntityType::Dataset));
        assert_eq!(head_type("LLMs"), Some(EntityType::Model));
        assert_eq!(head_type("approaches"), Some(EntityType::Method));
        assert_eq!(head_type("framework"), Some(EntityType::Method));
        assert_eq!(head_type("results"), None);
        assert_eq!(head_type("the"), None);
        assert_eq!(head_type("libraries"), Some(EntityType::Method));
        assert_eq!(head_type("Strategies"), Some(EntityType::Method));
        assert!(is_intro_verb("Introduces") && is_intro_verb("dubbed") && !is_intro_verb("use"));
    }

    /// The word lists are compiled into the lexicon's automaton as lowercase patterns, and
    /// head nouns looked up by binary search: sorted, distinct, lowercase.
    #[test]
    fn word_lists_are_sorted_lowercase_and_distinct() {
        for pair in HEAD_NOUNS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{pair:?}");
        }
        for verbs in [PROPOSE_VERBS, NAMING_VERBS] {
            for pair in verbs.windows(2) {
                assert!(pair[0] < pair[1], "{pair:?}");
            }
        }
        let verbs = PROPOSE_VERBS.iter().chain(NAMING_VERBS).copied();
        let words = HEAD_NOUNS.iter().map(|(w, _)| *w).chain(verbs);
        for w in words {
            assert_eq!(w, w.to_ascii_lowercase());
            assert!(head_type(w).is_some() || is_intro_verb(w), "{w}");
        }
    }

    #[test]
    fn votes_pick_the_heaviest_and_default_to_method() {
        let mut v = Votes::default();
        assert_eq!(v.winner(), EntityType::Method);
        v.add(Votes::one(EntityType::Dataset, 2.0));
        v.add(Votes::one(EntityType::Model, 1.0));
        assert_eq!(v.winner(), EntityType::Dataset);
    }

    #[test]
    fn suffixes() {
        assert_eq!(suffix_votes("MemoryBench").winner(), EntityType::Dataset);
        assert_eq!(suffix_votes("CMtMedQA").winner(), EntityType::Dataset);
        assert_eq!(suffix_votes("MindLLM").winner(), EntityType::Model);
        assert_eq!(suffix_votes("Hyper-RAG").winner(), EntityType::Method);
        assert_eq!(suffix_votes("Zhongjing"), Votes::default());
        assert_eq!(suffix_votes("CodeLlama-7B").winner(), EntityType::Model);
        assert_eq!(suffix_votes("NH2-Mixtral-8x7B").winner(), EntityType::Model);
        assert_eq!(suffix_votes("Hyacinth6B").winner(), EntityType::Model);
        assert_eq!(
            suffix_votes("Qwen2.5-7B-Instruct").winner(),
            EntityType::Model
        );
        assert_eq!(suffix_votes("CoNLL-2003").winner(), EntityType::Dataset);
        // Non-ASCII names are sliced by bytes, never inside a character.
        assert_eq!(suffix_votes("Ünï2024é"), Votes::default());
        assert_eq!(suffix_votes("Модель-2024").winner(), EntityType::Dataset);
        assert!(!has_size("gpt-4"));
        assert!(!has_size("gpt-3.5"));
    }
}
