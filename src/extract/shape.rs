//! Tokens and name shapes: what a word looks like, before any context is read.
//!
//! [`tokenize_with`] splits a field into word tokens that keep the inside of names together
//! (`Qwen2.5-7B-Instruct`, `G_{stack}`, `Min-K\%`, `CodeT5+`); [`shape`] classifies a token
//! (`LangCell` is mixed-case, `LRPE` all capitals, `CodeGen2` letters with digits,
//! `bipolar-INT` a compound with a capitalised part). [`is_generic`] is the stoplist of
//! terms that look like names but are not named entities under the annotation rules:
//! generic acronyms (LLM, NLP, SFT), hardware, metrics, number formats, organisations.
//!
//! This module reads no context; the discovery rules decide what a shape means.

use crate::swar::{bytes_before, within, HIGH};

/// A word of a field: its byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

/// What a token looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A capital after the first character and a lowercase letter: `LangCell`, `mT5`, `ThinK`.
    Mixed,
    /// Capitals only (digits and hyphens allowed), two or more letters: `LRPE`, `SVD-LLM`.
    Caps,
    /// Starts with a letter, has letters and digits: `CodeGen2`, `Qwen2`.
    Alnum,
    /// A hyphenated compound with a capitalised or capitals part: `bipolar-INT`,
    /// `Plackett-Luce`, `Char-JABER`.
    Compound,
    /// Only the first letter is a capital: `Zhongjing`, `Lightning`.
    Capitalized,
    /// Lowercase, digits or anything else.
    Plain,
}

impl Shape {
    /// Whether the shape alone suggests a name (not an ordinary word).
    pub fn is_strong(self) -> bool {
        matches!(
            self,
            Shape::Mixed | Shape::Caps | Shape::Alnum | Shape::Compound
        )
    }
}

/// Byte classes: a token's bytes or-ed together describe it at once.
pub const LOWER: u8 = 1;
/// An ASCII capital.
pub const UPPER: u8 = 2;
/// An ASCII digit.
pub const DIGIT: u8 = 4;
/// `-`.
pub const HYPHEN: u8 = 8;
/// `_`.
pub const UNDERSCORE: u8 = 16;
/// Any byte of a character beyond ASCII.
pub const NON_ASCII: u8 = 32;
/// Any other ASCII byte.
pub const OTHER: u8 = 64;
const ALNUM: u8 = LOWER | UPPER | DIGIT;

/// The class of every byte value.
static CLASSES: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            b'-' => HYPHEN,
            b'_' => UNDERSCORE,
            0x80..=0xff => NON_ASCII,
            _ => OTHER,
        };
        b += 1;
    }
    table
};

/// What a token's bytes are: the class of its first byte, and the classes of all the
/// others or-ed together (`0` for a one-byte token).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteClasses {
    /// Class of the first byte.
    pub first: u8,
    /// Classes of the bytes after the first, or-ed.
    pub rest: u8,
}

#[cfg(test)]
impl ByteClasses {
    /// The classes of `word`'s bytes.
    pub fn of(word: &str) -> ByteClasses {
        let b = word.as_bytes();
        ByteClasses {
            first: b.first().map_or(0, |&c| CLASSES[usize::from(c)]),
            rest: b.get(1..).map_or(0, classes),
        }
    }
}

/// The classes of a run of bytes, or-ed.
fn classes(bytes: &[u8]) -> u8 {
    bytes
        .iter()
        .fold(0, |acc, &b| acc | CLASSES[usize::from(b)])
}

/// Splits text into word tokens, in order, handing each to `each` with its
/// [`ByteClasses`], found in the same pass over the bytes.
///
/// A token is a run of letters and digits, joined through `-` and `_` to the next run,
/// through `.` between digits (`3.5`), through `_{…}` (LaTeX subscripts) and followed by an
/// optional `\%` or `%` or trailing `+`.
///
/// # Complexity
/// O(n) in the length of the text.
pub fn tokenize_with(text: &str, mut each: impl FnMut(Token, ByteClasses)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII is decided on the byte; only other characters are decoded.
        let first = CLASSES[usize::from(b)];
        let start = i;
        let mut rest = 0;
        if first & ALNUM != 0 {
            i = run_end(text, i + 1, &mut rest);
        } else if first == NON_ASCII {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            if !c.is_alphanumeric() {
                continue;
            }
            // The first character's other bytes.
            rest = NON_ASCII;
            i = run_end(text, i, &mut rest);
        } else {
            i += 1;
            continue;
        }
        loop {
            let tail = &bytes[i..];
            match tail {
                [j @ (b'-' | b'_'), next, ..] if starts_alnum(text, i + 1) && *next != b' ' => {
                    rest |= CLASSES[usize::from(*j)];
                    i = run_end(text, i + 1, &mut rest);
                }
                [b'.', d, ..]
                    if d.is_ascii_digit() && i > start && bytes[i - 1].is_ascii_digit() =>
                {
                    rest |= OTHER;
                    i = run_end(text, i + 1, &mut rest);
                }
                // The closing brace within 24 bytes (`}` is ASCII: a byte search is exact).
                [b'_', b'{', ..] => match tail[2..].iter().take(25).position(|&c| c == b'}') {
                    Some(close) if close > 0 => {
                        let end = i + 2 + close + 1;
                        rest |= classes(&bytes[i..end]);
                        i = end;
                    }
                    _ => break,
                },
                [b'\\', b'%', ..] => {
                    rest |= OTHER;
                    i += 2;
                    break;
                }
                [b'%', ..] | [b'+', ..] => {
                    rest |= OTHER;
                    i += 1;
                    break;
                }
                _ => break,
            }
        }
        each(Token { start, end: i }, ByteClasses { first, rest });
    }
}

/// Whether a letter or digit starts at byte `at`.
fn starts_alnum(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// The end of the run of letters and digits from byte `i`; or-s the classes of its bytes
/// into `classes`.
///
/// Inlined into the tokenizer: this runs on every byte of every word. ASCII is read eight
/// bytes at a time ([`alnum_prefix`]): most words end within their first eight bytes, so
/// the loop's exit is predictable, where a byte-by-byte loop mispredicts once per word.
/// Characters beyond ASCII are decoded out of line.
#[inline(always)]
fn run_end(text: &str, mut i: usize, classes: &mut u8) -> usize {
    let bytes = text.as_bytes();
    let mut acc = 0;
    loop {
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let (len, found) = alnum_prefix(u64::from_le_bytes(word));
            acc |= found;
            i += len;
            if len < 8 {
                break;
            }
        }
        // The last few bytes of the text, or the byte that ended the eight-byte scan.
        while let Some(&b) = bytes.get(i) {
            let class = CLASSES[usize::from(b)];
            if class & ALNUM == 0 {
                break;
            }
            acc |= class;
            i += 1;
        }
        match bytes.get(i) {
            Some(&b) if b >= 0x80 => match alphanumeric_len(text, i) {
                Some(len) => {
                    acc |= NON_ASCII;
                    i += len;
                }
                None => break,
            },
            _ => break,
        }
    }
    *classes |= acc;
    i
}

/// How many of eight bytes (little-endian), from the first, are ASCII letters or digits,
/// and the [`CLASSES`] of those bytes or-ed together.
#[inline(always)]
fn alnum_prefix(w: u64) -> (usize, u8) {
    let lower = within(w, b'a', b'z');
    let upper = within(w, b'A', b'Z');
    let digit = within(w, b'0', b'9');
    let stops = !(lower | upper | digit) & HIGH;
    let len = bytes_before(stops);
    // The marks of the bytes before the first stop: the bits below its mark (all bits
    // when there is none). Computed beside `len`, not from it.
    let keep = (stops & stops.wrapping_neg()).wrapping_sub(1);
    let mut found = 0;
    if lower & keep != 0 {
        found |= LOWER;
    }
    if upper & keep != 0 {
        found |= UPPER;
    }
    if digit & keep != 0 {
        found |= DIGIT;
    }
    (len, found)
}

/// The length in bytes of the character at byte `i` when it is a letter or digit.
#[inline(never)]
fn alphanumeric_len(text: &str, i: usize) -> Option<usize> {
    text.get(i..)?
        .chars()
        .next()
        .filter(|c| c.is_alphanumeric())
        .map(char::len_utf8)
}

/// Strips a plural `s` from a capitals token (`LLMs` → `LLM`, `GPUs` → `GPU`).
pub fn singular(word: &str) -> &str {
    let Some(stem) = word.strip_suffix('s') else {
        return word;
    };
    // Two characters or more, the last a capital.
    let mut chars = stem.chars();
    match chars.next_back() {
        Some(last) if last.is_uppercase() && chars.next_back().is_some() => stem,
        _ => word,
    }
}

/// Classifies a token.
pub fn shape(word: &str) -> Shape {
    let word = singular(word);
    if word.is_ascii() {
        shape_ascii(word.as_bytes())
    } else {
        shape_chars(word)
    }
}

/// What the shape rules look at, counted by [`shape_chars`] or [`shape_ascii`].
struct Counts {
    letters: usize,
    upper: usize,
    lower: usize,
    digits: usize,
    /// A capital after the first character.
    upper_after_first: bool,
    first_alphabetic: bool,
    first_uppercase: bool,
    /// For a hyphenated word with letters: its non-empty parts.
    parts: Option<Parts>,
}

/// The non-empty parts of a hyphenated word.
struct Parts {
    /// Parts starting with a capital.
    capitalised: usize,
    /// Some part has two capitals, or a capital after its first character.
    caps_part: bool,
    count: usize,
}

/// The shape rules, once, for both ways of counting.
fn decide(c: &Counts) -> Shape {
    if c.letters == 0 {
        return Shape::Plain;
    }
    if c.upper == c.letters && c.upper >= 2 {
        return Shape::Caps;
    }
    if let Some(p) = &c.parts {
        if p.caps_part || (p.capitalised == p.count && p.count >= 2) {
            return Shape::Compound;
        }
        if c.digits > 0 && c.first_alphabetic && c.upper > 0 {
            return Shape::Alnum;
        }
        return Shape::Plain;
    }
    if c.lower > 0 && c.upper_after_first {
        return Shape::Mixed;
    }
    if c.digits > 0 && c.first_alphabetic && c.letters >= 2 {
        return Shape::Alnum;
    }
    if c.first_uppercase {
        return Shape::Capitalized;
    }
    Shape::Plain
}

/// [`shape`] of a word already singular, character by character.
fn shape_chars(word: &str) -> Shape {
    // One pass over the characters counts what the rules need.
    let (mut letters, mut upper, mut lower, mut digits) = (0usize, 0usize, 0usize, 0usize);
    let mut upper_after_first = false;
    let mut hyphen = false;
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    for (i, c) in std::iter::once(first).chain(chars).enumerate() {
        if c.is_alphabetic() {
            letters += 1;
        }
        if c.is_uppercase() {
            upper += 1;
            upper_after_first |= i > 0;
        }
        if c.is_lowercase() {
            lower += 1;
        }
        if c.is_ascii_digit() {
            digits += 1;
        }
        hyphen |= c == '-';
    }
    let parts = (hyphen && letters > 0).then(|| {
        let parts = || word.split('-').filter(|p| !p.is_empty());
        Parts {
            capitalised: parts()
                .filter(|p| p.chars().next().is_some_and(char::is_uppercase))
                .count(),
            caps_part: parts().any(|p| {
                let u = p.chars().filter(|c| c.is_uppercase()).count();
                u >= 2 || (u >= 1 && p.chars().skip(1).any(char::is_uppercase))
            }),
            count: parts().count(),
        }
    });
    decide(&Counts {
        letters,
        upper,
        lower,
        digits,
        upper_after_first,
        first_alphabetic: first.is_alphabetic(),
        first_uppercase: first.is_uppercase(),
        parts,
    })
}

/// [`shape`] of an ASCII word (already singular), byte by byte: the same rules, with
/// `is_ascii_*` standing for the Unicode classes they agree with on ASCII.
fn shape_ascii(word: &[u8]) -> Shape {
    let (mut letters, mut upper, mut lower, mut digits) = (0usize, 0usize, 0usize, 0usize);
    let mut hyphen = false;
    for &c in word {
        match c {
            b'A'..=b'Z' => {
                letters += 1;
                upper += 1;
            }
            b'a'..=b'z' => {
                letters += 1;
                lower += 1;
            }
            b'0'..=b'9' => digits += 1,
            b'-' => hyphen = true,
            _ => {}
        }
    }
    let first = word.first().copied().unwrap_or(b' ');
    let parts = (hyphen && letters > 0).then(|| {
        let parts = || word.split(|&c| c == b'-').filter(|p| !p.is_empty());
        Parts {
            capitalised: parts().filter(|p| p[0].is_ascii_uppercase()).count(),
            caps_part: parts().any(|p| {
                let u = p.iter().filter(|c| c.is_ascii_uppercase()).count();
                u >= 2 || (u >= 1 && p[1..].iter().any(u8::is_ascii_uppercase))
            }),
            count: parts().count(),
        }
    });
    decide(&Counts {
        letters,
        upper,
        lower,
        digits,
        upper_after_first: word.iter().skip(1).any(u8::is_ascii_uppercase),
        first_alphabetic: first.is_ascii_alphabetic(),
        first_uppercase: first.is_ascii_uppercase(),
        parts,
    })
}

/// Whether a name-shaped word is a generic term, not a named entity: generic acronyms
/// (LLM, NLP, SFT, VQA), hardware, metrics, file and number formats, organisations,
/// languages written in capitals, Roman numerals and sizes (`7B`, `FP16`).
pub fn is_generic(word: &str) -> bool {
    let stem = singular(word);
    if is_listed_generic(stem) || stem.len() != word.len() && is_listed_generic(word) {
        return true;
    }
    // Compared in ASCII uppercase, byte by byte (the prefixes are ASCII).
    let b = stem.as_bytes();
    // Number formats: FP8, BF16, INT4, TF32, FP4, E4M3, W4A16, UINT8.
    let formats: [&[u8]; 7] = [b"FP", b"BF", b"INT", b"UINT", b"TF", b"NF", b"MX"];
    for prefix in formats {
        if b.len() > prefix.len()
            && b[..prefix.len()].eq_ignore_ascii_case(prefix)
            && b[prefix.len()..].iter().all(u8::is_ascii_digit)
        {
            return true;
        }
    }
    if b.len() >= 4
        && b.iter().all(|c| {
            c.is_ascii_digit() || matches!(c.to_ascii_uppercase(), b'W' | b'A' | b'E' | b'M')
        })
        && b.iter().filter(|c| c.is_ascii_digit()).count() >= 2
    {
        return true;
    }
    // Roman numerals.
    if stem.len() <= 4 && stem.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return true;
    }
    // Very short letter+digit codes (O1, Q2, F1, H100 is hardware below).
    let chars = stem.chars().count();
    if chars <= 2 {
        return true;
    }
    false
}

/// Whether `word` is one of `list`, ignoring ASCII case, without allocating.
pub fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether `word` is in [`GENERIC`]: a binary search among the entries with its first byte.
fn is_listed_generic(word: &str) -> bool {
    let Some(&first) = word.as_bytes().first() else {
        return false;
    };
    let (from, to) = GENERIC_BY_FIRST_BYTE[usize::from(first)];
    GENERIC
        .get(usize::from(from)..usize::from(to))
        .is_some_and(|entries| entries.binary_search(&word).is_ok())
}

/// For each first byte, the range of [`GENERIC`] entries starting with it (sorted, they are
/// contiguous).
static GENERIC_BY_FIRST_BYTE: [(u16, u16); 256] = {
    let mut table = [(0u16, 0u16); 256];
    let mut i = 0;
    while i < GENERIC.len() {
        let first = GENERIC[i].as_bytes()[0] as usize;
        if table[first].1 == 0 {
            table[first].0 = i as u16;
        }
        table[first].1 = i as u16 + 1;
        i += 1;
    }
    table
};

/// Generic terms, sorted for binary search. Entries are matched exactly (case-sensitive)
/// against a token or its singular.
const GENERIC: &[&str] = &[
    "A100",
    "AAAI",
    "ACL",
    "AGI",
    "AI",
    "AIGC",
    "ALU",
    "AMD",
    "ANN",
    "API",
    "ARM",
    "ASIC",
    "ASR",
    "AUC",
    "AUROC",
    "AWS",
    "Alibaba",
    "Amazon",
    "Anthropic",
    "Apple",
    "ArXiv",
    "BARTScore",
    "BERTScore",
    "BERTology",
    "BLEU",
    "BLEURT",
    "BPC",
    "BPE",
    "Baidu",
    "ByteDance",
    "CEO",
    "CER",
    "CI",
    "CIDEr",
    "CLI",
    "CNN",
    "COLING",
    "COMET",
    "COVID",
    "CPU",
    "CRM",
    "CSV",
    "CUDA",
    "CV",
    "CVPR",
    "ChatBot",
    "CoLab",
    "CoRR",
    "Colab",
    "DL",
    "DNN",
    "DRAM",
    "DeepMind",
    "ECCV",
    "ECG",
    "EEG",
    "EHR",
    "EM",
    "EMNLP",
    "EU",
    "FAQ",
    "FFN",
    "FID",
    "FLOP",
    "FLOPS",
    "FLOPs",
    "FNR",
    "FPGA",
    "FPR",
    "FSL",
    "FT",
    "GAN",
    "GB",
    "GDPR",
    "GFLOPS",
    "GNN",
    "GPGPU",
    "GPU",
    "GUI",
    "GitHub",
    "Google",
    "H100",
    "H800",
    "HBM",
    "HCI",
    "HPC",
    "HPO",
    "HR",
    "HTML",
    "HTTP",
    "HuggingFace",
    "IBM",
    "ICCV",
    "ICL",
    "ICLR",
    "ICML",
    "ID",
    "IDs",
    "IE",
    "IID",
    "IJCAI",
    "IO",
    "IP",
    "IQ",
    "IR",
    "IT",
    "IoT",
    "IoU",
    "JSON",
    "KB",
    "KD",
    "KDD",
    "KG",
    "KGC",
    "KPI",
    "KV",
    "L40",
    "LLM",
    "LLMOps",
    "LM",
    "LMM",
    "LPIPS",
    "LR",
    "LVLM",
    "LaTeX",
    "LinkedIn",
    "MAP",
    "MAUVE",
    "MB",
    "MCQ",
    "METEOR",
    "MFU",
    "MHA",
    "MI250X",
    "MI300X",
    "ML",
    "MLLM",
    "MLOps",
    "MLP",
    "MRI",
    "MRR",
    "MSE",
    "MT",
    "MTP",
    "Meta",
    "Microsoft",
    "NAACL",
    "NDCG",
    "NER",
    "NIPS",
    "NLG",
    "NLI",
    "NLP",
    "NLU",
    "NMT",
    "NN",
    "NPU",
    "NVIDIA",
    "NeurIPS",
    "Nvidia",
    "OCR",
    "OOD",
    "OOV",
    "OS",
    "OpenAI",
    "OpenReview",
    "PC",
    "PDF",
    "PEFT",
    "PFLOPS",
    "PFM",
    "PII",
    "PLM",
    "PPL",
    "PR",
    "PRM",
    "PSNR",
    "PhD",
    "PyPI",
    "QA",
    "QKV",
    "QoS",
    "RAM",
    "README",
    "RL",
    "RLVR",
    "RM",
    "RNG",
    "RNN",
    "ROC",
    "ROI",
    "ROUGE",
    "RTX",
    "RoI",
    "SDK",
    "SFT",
    "SGD",
    "SIGIR",
    "SLA",
    "SLM",
    "SLO",
    "SMS",
    "SNN",
    "SOTA",
    "SPICE",
    "SQL",
    "SRAM",
    "SSD",
    "SSIM",
    "SSM",
    "STEM",
    "SVM",
    "SacreBLEU",
    "SoTA",
    "T4",
    "TB",
    "TER",
    "TFLOPS",
    "TNR",
    "TPR",
    "TPU",
    "TTS",
    "Tencent",
    "UI",
    "UK",
    "URL",
    "US",
    "USA",
    "UTF",
    "UX",
    "V100",
    "VL",
    "VLA",
    "VLM",
    "VQA",
    "ViLM",
    "WER",
    "WSDM",
    "WWW",
    "XAI",
    "XL",
    "XML",
    "XXL",
    "YouTube",
    "arXiv",
    "chrF",
    "fMRI",
    "iOS",
    "mAP",
    "mIoU",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut tokens = Vec::new();
        tokenize_with(text, |t, classes| {
            assert_eq!(classes, ByteClasses::of(&text[t.start..t.end]));
            tokens.push(t);
        });
        tokens.into_iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn generic_list_is_sorted_for_binary_search() {
        let mut sorted = GENERIC.to_vec();
        sorted.sort();
        assert_eq!(sorted, GENERIC);
        for w in GENERIC {
            assert!(is_listed_generic(w), "{w}");
            assert!(!is_listed_generic(&format!("{w}x")), "{w}x");
        }
        assert!(!is_listed_generic("") && !is_listed_generic("é") && !is_listed_generic("Zz"));
    }

    /// The eight-byte scan against the byte table: every byte value at every position of
    /// a word of letters and digits, in each case.
    #[test]
    fn alnum_prefix_is_exact() {
        let mut checked = 0;
        for base in [*b"abcdefgh", *b"ABCDEFGH", *b"01234567", *b"aB3zZ9y0"] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = base;
                    bytes[at] = b;
                    let len = bytes
                        .iter()
                        .position(|&c| CLASSES[usize::from(c)] & ALNUM == 0)
                        .unwrap_or(8);
                    let found = bytes[..len]
                        .iter()
                        .fold(0, |acc, &c| acc | CLASSES[usize::from(c)]);
                    let got = alnum_prefix(u64::from_le_bytes(bytes));
                    assert_eq!(got, (len, found), "{bytes:?}");
                    checked += usize::from(len < 8);
                }
            }
        }
        assert!(checked > 5000, "{checked}");
    }

    #[test]
    fn tokens_keep_names_whole() {
        assert_eq!(
            words("We fine-tune Qwen2.5-7B-Instruct, G_{stack} and CodeT5+ (Min-K\\% Prob)."),
            vec![
                "We",
                "fine-tune",
                "Qwen2.5-7B-Instruct",
                "G_{stack}",
                "and",
                "CodeT5+",
                "Min-K\\%",
                "Prob"
            ]
        );
        assert_eq!(
            words("e.g. GPT-3.5; 54.6% of x"),
            vec!["e", "g", "GPT-3.5", "54.6%", "of", "x"]
        );
        assert_eq!(words("a - b"), vec!["a", "b"]);
        assert_eq!(words("NLEBench+NorGLM"), vec!["NLEBench+", "NorGLM"]);
        assert_eq!(words("Ünï-Cödé 🙂 x"), vec!["Ünï-Cödé", "x"]);
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("LangCell"), Shape::Mixed);
        assert_eq!(shape("mT5"), Shape::Mixed);
        assert_eq!(shape("ThinK"), Shape::Mixed);
        assert_eq!(shape("LRPE"), Shape::Caps);
        assert_eq!(shape("SVD-LLM"), Shape::Caps);
        assert_eq!(shape("LLMs"), Shape::Caps);
        assert_eq!(shape("CodeGen2"), Shape::Mixed);
        assert_eq!(shape("Qwen2"), Shape::Alnum);
        assert_eq!(shape("bipolar-INT"), Shape::Compound);
        assert_eq!(shape("Plackett-Luce"), Shape::Compound);
        assert_eq!(shape("Zhongjing"), Shape::Capitalized);
        assert_eq!(shape("fine-tuning"), Shape::Plain);
        assert_eq!(shape("7B"), Shape::Plain);
        assert_eq!(shape("in-context"), Shape::Plain);
        assert!(Shape::Compound.is_strong() && !Shape::Capitalized.is_strong());
    }

    /// The ASCII path agrees with the general one on every word of up to five characters
    /// over an alphabet of the classes that matter.
    #[test]
    fn ascii_shapes_agree_with_the_general_rules() {
        let alphabet = ["A", "b", "7", "-", "s", "S", "_", "%"];
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |a| format!("{w}{a}")))
                .collect();
            words.extend(longer);
        }
        words.sort();
        words.dedup();
        for w in &words {
            let w = singular(w);
            if !w.is_ascii() {
                continue;
            }
            assert_eq!(shape_ascii(w.as_bytes()), shape_chars(w), "{w:?}");
        }
    }

    #[test]
    fn generic_terms() {
        for w in [
            "LLM", "LLMs", "NLP", "GPUs", "FP16", "BF16", "INT8", "II", "O1", "W4A16", "SFT",
        ] {
            assert!(is_generic(w), "{w}");
        }
        for w in ["LRPE", "HLLM", "MUFFIN", "CUTLASS", "ThinK", "PatentMIA"] {
            assert!(!is_generic(w), "{w}");
        }
    }
}
