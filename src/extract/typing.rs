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

/// [`head_type`] of a word already in ASCII lowercase.
pub fn head_type_lower(lower: &[u8]) -> Option<EntityType> {
    // This runs on every word of every abstract: match bytes (the compiler turns it into a
    // switch on length and a few comparisons).
    match lower {
        // Datasets, corpora and benchmarks.
        b"benchmark" | b"benchmarks" | b"challenge" | b"challenges" | b"collection"
        | b"collections" | b"corpora" | b"corpus" | b"data" | b"database" | b"databases"
        | b"dataset" | b"datasets" | b"leaderboard" | b"leaderboards" | b"suite" | b"suites"
        | b"test-bed" | b"test-beds" | b"testbed" | b"testbeds" | b"treebank" | b"treebanks" => {
            Some(EntityType::Dataset)
        }
        // Trained models.
        b"assistant" | b"assistants" | b"chatbot" | b"chatbots" | b"checkpoint"
        | b"checkpoints" | b"decoder" | b"decoders" | b"encoder" | b"encoders" | b"llm"
        | b"llms" | b"lm" | b"lmm" | b"lmms" | b"lms" | b"mllm" | b"mllms" | b"model"
        | b"models" | b"network" | b"networks" | b"vlm" | b"vlms" => Some(EntityType::Model),
        // Methods, architectures, frameworks and systems.
        b"algorithm" | b"algorithms" | b"approach" | b"approaches" | b"architecture"
        | b"architectures" | b"attention" | b"attentions" | b"compiler" | b"compilers"
        | b"engine" | b"engines" | b"format" | b"formats" | b"framework" | b"frameworks"
        | b"kernel" | b"kernels" | b"layer" | b"layers" | b"libraries" | b"library" | b"loss"
        | b"losses" | b"mechanism" | b"mechanisms" | b"method" | b"methodologies"
        | b"methodology" | b"methods" | b"module" | b"modules" | b"objective" | b"objectives"
        | b"operator" | b"operators" | b"optimizer" | b"optimizers" | b"paradigm"
        | b"paradigms" | b"pipeline" | b"pipelines" | b"platform" | b"platforms" | b"policies"
        | b"policy" | b"procedure" | b"procedures" | b"protocol" | b"protocols" | b"recipe"
        | b"recipes" | b"scheme" | b"schemes" | b"strategies" | b"strategy" | b"system"
        | b"systems" | b"technique" | b"techniques" | b"tool" | b"toolkit" | b"toolkits"
        | b"tools" => Some(EntityType::Method),
        _ => None,
    }
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
    lower_ascii(word, &mut buf).is_some_and(is_intro_verb_lower)
}

/// [`is_intro_verb`] of a word already in ASCII lowercase.
pub fn is_intro_verb_lower(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"build"
            | b"builds"
            | b"construct"
            | b"constructs"
            | b"contribute"
            | b"contributes"
            | b"create"
            | b"creates"
            | b"curate"
            | b"curates"
            | b"design"
            | b"designs"
            | b"develop"
            | b"developed"
            | b"develops"
            | b"introduce"
            | b"introduces"
            | b"present"
            | b"presents"
            | b"propose"
            | b"proposes"
            | b"release"
            | b"releases"
            | b"called"
            | b"coined"
            | b"dubbed"
            | b"named"
            | b"termed"
    )
}

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
