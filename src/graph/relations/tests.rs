use super::cues::{find_cues, Cue, CueAt};
use super::*;
use crate::extract::EntityType;
use crate::graph::sentences;

/// Mentions for the given names, located at their first occurrence after the previous
/// one in `text`. Types: `m:` model, `x:` method, `d:` dataset prefixes.
fn mentions(field: Field, text: &str, names: &[&str]) -> Vec<Mention> {
    let mut from = 0;
    names
        .iter()
        .map(|spec| {
            let (kind, name) = match spec.split_once(':') {
                Some(("m", n)) => (EntityType::Model, n),
                Some(("x", n)) => (EntityType::Method, n),
                Some(("d", n)) => (EntityType::Dataset, n),
                _ => panic!("bad spec {spec}"),
            };
            let at = from + text[from..].find(name).expect("name in text");
            from = at + name.len();
            Mention {
                name: name.into(),
                kind,
                family: None,
                surface: name.into(),
                field,
                byte_start: at,
                char_start: text[..at].chars().count(),
                char_len: name.chars().count(),
                proposed: false,
            }
        })
        .collect()
}

fn rels(text: &str, names: &[&str]) -> Vec<(PaperRelation, Rule)> {
    let ms = mentions(Field::Abstract, text, names);
    analyse("", text, &ms)
        .per_mention
        .iter()
        .map(|r| (r.relation, r.evidence.rule))
        .collect()
}

fn rel(text: &str, names: &[&str]) -> Vec<PaperRelation> {
    rels(text, names).into_iter().map(|r| r.0).collect()
}

fn links(text: &str, names: &[&str]) -> Vec<(String, EntityRelation, String)> {
    let ms = mentions(Field::Abstract, text, names);
    analyse("", text, &ms)
        .links
        .iter()
        .filter(|l| l.relation != EntityRelation::CoMentioned)
        .map(|l| {
            (
                ms[l.source].name.clone(),
                l.relation,
                ms[l.target].name.clone(),
            )
        })
        .collect()
}

use PaperRelation::*;

#[test]
fn cue_pattern_compiles() {
    assert!(!find_cues("we propose", 0, 10).is_empty());
}

/// The cues found sentence by sentence are those of one scan over the whole field: no
/// cue spans a sentence break, and `\b` sees past the range. Checked on the bundled
/// corpus and the evaluation papers, and on breaks next to cue words.
#[test]
fn sentence_cues_agree_with_the_whole_field_scan() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = [
        root.join("data/samples"),
        root.join("data/eval/dev_papers.jsonl"),
        root.join("data/eval/classic_papers.jsonl"),
    ];
    let records = crate::ingest::Records::new(&inputs, Default::default());
    let mut texts: Vec<String> = Vec::new();
    for record in records.flatten() {
        texts.push(record.title);
        texts.push(record.abstract_text);
    }
    assert!(texts.len() > 1000, "{} fields", texts.len());
    texts.extend(
        [
            "Compared vs. BERT. On MMLU we use it; based on LoRA: a new",
            "It is trained on. C4 is used by; T5 is based\non GLUE.",
            "We propose. A model, a novel one! Fine-tuned from LLaMA? Yes",
            "X-based. Y is named. Z vs.W outperforms",
        ]
        .map(String::from),
    );
    let spans = |cues: &[CueAt]| -> Vec<(usize, usize, Cue)> {
        cues.iter().map(|c| (c.start, c.end, c.cue)).collect()
    };
    let mut compared = 0;
    for text in &texts {
        let whole = find_cues(text, 0, text.len());
        for s in sentences::split(text) {
            let expected: Vec<CueAt> = whole
                .iter()
                .filter(|c| (s.byte_start..s.byte_end).contains(&c.start))
                .copied()
                .collect();
            let found = find_cues(text, s.byte_start, s.byte_end);
            assert_eq!(spans(&found), spans(&expected), "{text}");
            compared += found.len();
        }
    }
    assert!(compared > 10_000, "{compared} cues");
}

#[test]
fn proposes_rules() {
    assert_eq!(
        rel("We propose GaLore, a method.", &["x:GaLore"]),
        [Proposes]
    );
    assert_eq!(
        rel("We introduce a new benchmark, MMLU-Pro.", &["d:MMLU-Pro"]),
        [Proposes]
    );
    assert_eq!(
        rel("A framework called ProX cleans data.", &["x:ProX"]),
        [Proposes]
    );
    assert_eq!(rel("ProX, a novel framework.", &["x:ProX"]), [Proposes]);
    // Not proposed: the name is only part of the proposed name.
    for (text, name) in [
        ("This study introduces Me LLaMA, a medical LLM.", "m:LLaMA"),
        ("We propose Spike-Aware Adam with Momentum Reset.", "x:Adam"),
        ("We propose a novel LLaVA-KD framework.", "m:LLaVA"),
        ("We propose LayerNorm Scaling, which works.", "x:LayerNorm"),
    ] {
        assert_eq!(rel(text, &[name]), [Mentions], "{text}");
    }
    assert_eq!(
        rel(
            "We introduce Zhongjing, the first LLaMA-based LLM.",
            &["m:LLaMA"]
        ),
        [Uses]
    );
    // Not proposed: the name is what the proposed thing acts on.
    assert_eq!(
        rel("We propose a method to improve LoRA.", &["x:LoRA"]),
        [Mentions]
    );
    assert_eq!(
        rel("We present a study of GPT-4 failures.", &["m:GPT-4"]),
        [Mentions]
    );
    let title = "GaLore: Memory-Efficient LLM Training";
    let ms = mentions(Field::Title, title, &["x:GaLore"]);
    assert_eq!(analyse(title, "", &ms).per_mention[0].relation, Proposes);
    let title = "Fine-tuning GaLore: a study";
    let ms = mentions(Field::Title, title, &["x:GaLore"]);
    assert_ne!(analyse(title, "", &ms).per_mention[0].relation, Proposes);
    let mut ms = mentions(Field::Abstract, "Results for Foo.", &["m:Foo"]);
    ms[0].proposed = true;
    let r = analyse("", "Results for Foo.", &ms);
    assert_eq!(
        (r.per_mention[0].relation, r.per_mention[0].evidence.rule),
        (Proposes, Rule::Coined)
    );
}

#[test]
fn uses_rules() {
    assert_eq!(
        rel("We fine-tune Llama 2 with LoRA.", &["m:Llama 2", "x:LoRA"]),
        [Uses, Uses]
    );
    assert_eq!(
        rel(
            "Using lightweight fine-tuning with Low-Rank Adaptation (LoRA), it works.",
            &["x:Low-Rank Adaptation", "x:LoRA"]
        ),
        [Uses, Uses]
    );
    assert_eq!(rel("We build on LLaVA.", &["m:LLaVA"]), [Uses]);
    assert_eq!(rel("A LLaMA-based chatbot.", &["m:LLaMA"]), [Uses]);
    assert_eq!(rel("We train on C4 data.", &["d:C4"]), [Uses]);
    assert_eq!(
        rel("We use large corpora like Wikipedia.", &["d:Wikipedia"]),
        [Uses]
    );
    // "used by" says someone else uses it.
    assert_eq!(
        rel("Tokens used by Llama 2 are many.", &["m:Llama 2"]),
        [Mentions]
    );
    // Too far from the cue.
    assert_eq!(
        rel(
            "Using a very long and winding description of many unrelated things, GPT-4 fails.",
            &["m:GPT-4"]
        ),
        [Mentions]
    );
}

#[test]
fn evaluates_on_rules() {
    assert_eq!(
        rel(
            "We evaluate on MMLU, GSM8K and HumanEval.",
            &["d:MMLU", "d:GSM8K", "d:HumanEval"]
        ),
        [EvaluatesOn, EvaluatesOn, EvaluatesOn]
    );
    assert_eq!(
        rel("Results on the MMLU benchmark.", &["d:MMLU"]),
        [EvaluatesOn]
    );
    assert_eq!(
        rel("Widely used benchmarks such as MMLU.", &["d:MMLU"]),
        [EvaluatesOn]
    );
    assert_eq!(
        rel(
            "The MMLU and GSM8K benchmarks are hard.",
            &["d:MMLU", "d:GSM8K"]
        ),
        [EvaluatesOn, EvaluatesOn]
    );
    // A dataset after a comparison cue is not a baseline.
    assert_eq!(rel("It outperforms MMLU.", &["d:MMLU"]), [Mentions]);
    // Training data is used, not evaluated on.
    assert_eq!(
        rel("We pre-train Llama 2 on C4.", &["m:Llama 2", "d:C4"]),
        [Uses, Uses]
    );
}

#[test]
fn compares_with_rules() {
    assert_eq!(
        rel(
            "It outperforms GPT-4, Claude and LoRA on MMLU.",
            &["m:GPT-4", "m:Claude", "x:LoRA", "d:MMLU"]
        ),
        [ComparesWith, ComparesWith, ComparesWith, EvaluatesOn]
    );
    assert_eq!(rel("Better than GPT-4.", &["m:GPT-4"]), [ComparesWith]);
    // "pretrained" describes the LLMs; it is not what the paper does to Llama 2.
    assert_eq!(
        rel(
            "It outperforms existing open-source pretrained LLMs, such as Llama 2.",
            &["m:Llama 2"]
        ),
        [ComparesWith]
    );
    assert_eq!(rel("On par with GPT-4.", &["m:GPT-4"]), [ComparesWith]);
    assert_eq!(
        rel("Strong baselines such as LoRA.", &["x:LoRA"]),
        [ComparesWith]
    );
    assert_eq!(
        rel("Against the LoRA baseline.", &["x:LoRA"]),
        [ComparesWith]
    );
    // A clause break stops the cue.
    assert_eq!(
        rel("It outperforms baselines, while GPT-4 fails.", &["m:GPT-4"]),
        [Mentions]
    );
}

#[test]
fn plain_mentions_without_cue() {
    assert_eq!(
        rels("LLMs such as GPT-4 are popular.", &["m:GPT-4"]),
        [(Mentions, Rule::NoCue)]
    );
}

#[test]
fn evidence_is_the_sentence() {
    let text = "First sentence here. Then we fine-tune Llama 2 (e.g. 7B). Last.";
    let ms = mentions(Field::Abstract, text, &["m:Llama 2"]);
    let r = analyse("", text, &ms);
    let e = r.per_mention[0].evidence;
    let s: String = text
        .chars()
        .skip(e.char_start)
        .take(e.char_end - e.char_start)
        .collect();
    assert_eq!(s, "Then we fine-tune Llama 2 (e.g. 7B).");
    assert_eq!(e.rule, Rule::TuneCue);
}

#[test]
fn based_on_links() {
    assert_eq!(
        links(
            "Vicuna, an open chatbot fine-tuned from LLaMA, is strong.",
            &["m:Vicuna", "m:LLaMA"]
        ),
        [("Vicuna".into(), EntityRelation::BasedOn, "LLaMA".into())]
    );
    assert_eq!(
        links("MiniGPT is built on LLaVA.", &["m:MiniGPT", "m:LLaVA"]),
        [("MiniGPT".into(), EntityRelation::BasedOn, "LLaVA".into())]
    );
    assert_eq!(
        links("Our model Foo is a fine-tuned T5.", &["m:Foo", "m:T5"]),
        [("Foo".into(), EntityRelation::BasedOn, "T5".into())]
    );
    // No subject before the cue: no link.
    assert!(links("We build on LLaVA.", &["m:LLaVA"]).is_empty());
    // A clause break separates them.
    assert!(links(
        "GPT-4 is strong; ours is built on LLaVA.",
        &["m:GPT-4", "m:LLaVA"]
    )
    .is_empty());
}

#[test]
fn trained_on_and_evaluated_on_links() {
    assert_eq!(
        links("We pre-train Llama 2 on C4.", &["m:Llama 2", "d:C4"]),
        [("Llama 2".into(), EntityRelation::TrainedOn, "C4".into())]
    );
    assert_eq!(
        links(
            "GPT-4 achieves 86% on MMLU and GSM8K.",
            &["m:GPT-4", "d:MMLU", "d:GSM8K"]
        ),
        [
            ("GPT-4".into(), EntityRelation::EvaluatedOn, "MMLU".into()),
            ("GPT-4".into(), EntityRelation::EvaluatedOn, "GSM8K".into())
        ]
    );
    // "corpus" does not turn training data into a benchmark.
    assert_eq!(
        links(
            "BERT pretrained on a general corpus (Google Books and Wikipedia) works.",
            &["m:BERT", "d:Google Books", "d:Wikipedia"]
        ),
        [
            (
                "BERT".into(),
                EntityRelation::TrainedOn,
                "Google Books".into()
            ),
            ("BERT".into(), EntityRelation::TrainedOn, "Wikipedia".into())
        ]
    );
    // A participle with a preposition or a name after it is a verb.
    assert_eq!(
        links(
            "We fine-tuned Llama 2 on Alpaca.",
            &["m:Llama 2", "d:Alpaca"]
        ),
        [("Llama 2".into(), EntityRelation::TrainedOn, "Alpaca".into())]
    );
    assert_eq!(
        rel(
            "BERT, pre-trained on Wikipedia.",
            &["m:BERT", "d:Wikipedia"]
        ),
        [Mentions, Uses]
    );
    // Methods are not trained on datasets, and a break separates clauses.
    assert!(links("LoRA works on MMLU.", &["x:LoRA", "d:MMLU"]).is_empty());
    assert!(links("GPT-4 is big; we test on MMLU.", &["m:GPT-4", "d:MMLU"]).is_empty());
}

#[test]
fn co_mentioned_pairs_are_per_sentence_and_distinct() {
    let text = "GPT-4 and LoRA and GPT-4 again. MMLU alone.";
    let ms = mentions(
        Field::Abstract,
        text,
        &["m:GPT-4", "x:LoRA", "m:GPT-4", "d:MMLU"],
    );
    let r = analyse("", text, &ms);
    let co: Vec<(usize, usize)> = r
        .links
        .iter()
        .filter(|l| l.relation == EntityRelation::CoMentioned)
        .map(|l| (l.source, l.target))
        .collect();
    assert_eq!(co, [(0, 1)]);
}

#[test]
fn bad_offsets_and_odd_text_do_not_panic() {
    let mut ms = mentions(Field::Abstract, "Ünï GPT-4.", &["m:GPT-4"]);
    ms[0].byte_start = 2; // inside a character
    let r = analyse("", "Ünï GPT-4.", &ms);
    assert_eq!(r.per_mention[0].relation, Mentions);
    ms[0].byte_start = 999;
    let r = analyse("", "Ünï GPT-4.", &ms);
    assert_eq!(r.per_mention.len(), 1);
    assert!(analyse("", "", &[]).per_mention.is_empty());
}

#[test]
fn relation_names_round_trip() {
    for r in PaperRelation::ALL {
        assert_eq!(r.as_str().parse::<PaperRelation>(), Ok(r));
    }
    for r in EntityRelation::ALL {
        assert_eq!(r.as_str().parse::<EntityRelation>(), Ok(r));
    }
    assert_eq!(
        "Based-On".parse::<EntityRelation>(),
        Ok(EntityRelation::BasedOn)
    );
    assert!("friend_of".parse::<EntityRelation>().is_err());
}
