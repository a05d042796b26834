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
    // This runs on every word of every abstract: lowercase into a stack buffer and match
    // (the compiler turns it into a switch on length and a few comparisons).
    let mut buf = [0u8; 24];
    match lower_ascii(word, &mut buf)? {
        // Datasets, corpora and benchmarks.
        "benchmark" | "benchmarks" | "challenge" | "challenges" | "collection" | "collections"
        | "corpora" | "corporas" | "corpus" | "corpuss" | "data" | "database" | "databases"
        | "datas" | "dataset" | "datasets" | "leaderboard" | "leaderboards" | "suite"
        | "suites" | "test-bed" | "test-beds" | "testbed" | "testbeds" | "treebank"
        | "treebanks" => Some(EntityType::Dataset),
        // Trained models.
        "assistant" | "assistants" | "chatbot" | "chatbots" | "checkpoint" | "checkpoints"
        | "decoder" | "decoders" | "encoder" | "encoders" | "llm" | "llms" | "lm" | "lmm"
        | "lmms" | "lms" | "mllm" | "mllms" | "model" | "models" | "network" | "networks"
        | "vlm" | "vlms" => Some(EntityType::Model),
        // Methods, architectures, frameworks and systems.
        "algorithm" | "algorithms" | "approach" | "approaches" | "architecture"
        | "architectures" | "attention" | "attentions" | "compiler" | "compilers" | "engine"
        | "engines" | "format" | "formats" | "framework" | "frameworks" | "kernel" | "kernels"
        | "layer" | "layers" | "library" | "librarys" | "loss" | "losses" | "mechanism"
        | "mechanisms" | "method" | "methodology" | "methodologys" | "methods" | "module"
        | "modules" | "objective" | "objectives" | "operator" | "operators" | "optimizer"
        | "optimizers" | "paradigm" | "paradigms" | "pipeline" | "pipelines" | "platform"
        | "platforms" | "policy" | "policys" | "procedure" | "procedures" | "protocol"
        | "protocols" | "recipe" | "recipes" | "scheme" | "schemes" | "strategy" | "strategys"
        | "system" | "systems" | "technique" | "techniques" | "tool" | "toolkit" | "toolkits"
        | "tools" => Some(EntityType::Method),
        _ => None,
    }
}

/// `word` in ASCII lowercase, in `buf`; `None` when it is not ASCII or longer than `buf`.
pub fn lower_ascii<'a>(word: &str, buf: &'a mut [u8; 24]) -> Option<&'a str> {
    let n = word.len();
    if n > buf.len() || !word.is_ascii() {
        return None;
    }
    for (b, c) in buf.iter_mut().zip(word.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Words before a name that announce a dataset: "evaluated on X", "trained on X",
/// "benchmarks such as X".
pub fn is_dataset_verb(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
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
    .contains(&w.as_str())
}

/// Verbs before a name that announce a model: "fine-tune X", "prompting X".
pub fn is_model_verb(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
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
    .contains(&w.as_str())
}

/// Type clues in a name's own spelling: a size (`-7B`) makes a model, a year (`-2014`) a
/// dataset; `…Bench`, `…QA` are datasets; `…LLM`, `…GPT`, `…BERT` models; `…Attention`,
/// `…RAG`, `…LoRA`, `…Former` methods.
pub fn suffix_votes(name: &str) -> Votes {
    let lower = name.to_ascii_lowercase();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
    let year = lower.len() >= 5
        && lower[lower.len() - 4..].chars().all(|c| c.is_ascii_digit())
        && (lower[lower.len() - 4..].starts_with("19")
            || lower[lower.len() - 4..].starts_with("20"));
    if has_size(&lower) {
        Votes::one(EntityType::Model, 2.0)
    } else if year {
        Votes::one(EntityType::Dataset, 1.5)
    } else if ends(&[
        "bench",
        "benchmark",
        "eval",
        "qa",
        "corpus",
        "set",
        "data",
        "instruct",
    ]) {
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
        assert!(!has_size("gpt-4"));
        assert!(!has_size("gpt-3.5"));
    }
}
