//! Hugging Face daily-papers listing pages saved as text → [`Record`]s.
//!
//! A page is a sequence of title lines each followed by an abstract line, either separated
//! by blank lines or dense (no blank lines). Page chrome (`new`, `Subscribe`, `Daily Papers`,
//! `Get trending papers in your email inbox!`, `by AK and the research community`, date
//! lines like `Mar 14`, and `Subscribe` glued to the front of the first title) is dropped.
//!
//! Lines are not paired by strict alternation: each content line is classified as title-like
//! or abstract-like ([`is_abstract_like`]: long, several sentences), and each title is paired
//! with the abstract that follows it. A title with no abstract after it, and an abstract with
//! no title before it, are reported as [`IngestError`]s and skipped. Reading is line by line;
//! memory holds one line and at most one pending title.
//!
//! This module does not open files, decompress or detect binary data (see `source.rs`), and
//! does not deduplicate.

use std::collections::VecDeque;
use std::io::BufRead;

use super::lines::{collapse_whitespace, LineReader, RawLine};
use super::source::FileCtx;
use super::{IngestError, Provenance, Record};

/// Lines dropped wherever they appear, compared lowercased with whitespace collapsed.
const CHROME: &[&str] = &[
    "new",
    "subscribe",
    "daily papers",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox",
    "get trending papers in your email inbox once a day!",
    "get trending papers in your email inbox once a day",
    "by ak and the research community",
    "byak and the research community",
];

/// Month names and abbreviations recognised in date lines.
const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// What a cleaned-up line is.
#[derive(Debug, PartialEq, Eq)]
enum Class {
    /// Whitespace only, or page chrome.
    Skip,
    /// A title (chrome prefix removed, whitespace collapsed).
    Title(String),
    /// An abstract (whitespace collapsed).
    Abstract(String),
}

/// The title waiting for its abstract.
#[derive(Debug)]
enum Pending {
    /// None.
    Nothing,
    /// A title and its line.
    Title(String, usize),
    /// A title line that was already reported as broken (invalid UTF-8): its abstract is
    /// skipped silently so one broken record gives one error.
    Broken,
}

/// Streams [`Record`]s (and errors) from one listing page.
pub(crate) struct ListingReader<R> {
    lines: LineReader<R>,
    pairer: Pairer,
    done: bool,
}

/// Pairs titles with abstracts, line by line, queueing records and errors.
struct Pairer {
    ctx: FileCtx,
    pending: Pending,
    out: VecDeque<Result<Record, IngestError>>,
}

impl<R: BufRead> ListingReader<R> {
    /// Reads a listing page from `reader`; `ctx` names the file in records and errors.
    pub fn new(reader: R, ctx: FileCtx) -> Self {
        ListingReader {
            lines: LineReader::new(reader, ctx.max_line_bytes),
            pairer: Pairer {
                ctx,
                pending: Pending::Nothing,
                out: VecDeque::new(),
            },
            done: false,
        }
    }
}

impl Pairer {
    /// Handles one line, queueing whatever it completes.
    fn handle(&mut self, line: RawLine<'_>) {
        let number = line.number;
        if let Some(len) = line.too_long {
            // Far longer than any title: treat it as a broken abstract, consuming its title.
            self.out.push_back(Err(IngestError::LineTooLong {
                path: self.ctx.path.clone(),
                line: number,
                len,
                max: self.ctx.max_line_bytes,
            }));
            self.pending = Pending::Nothing;
            return;
        }
        // A broken title still waits for its abstract, which is then skipped with it.
        let title_pending = matches!(self.pending, Pending::Title(..) | Pending::Broken);
        match std::str::from_utf8(line.bytes) {
            Ok(text) => match classify(text, title_pending) {
                Class::Skip => {}
                Class::Title(title) => {
                    self.flush_missing_abstract();
                    self.pending = Pending::Title(title, number);
                }
                Class::Abstract(abstract_text) => {
                    match std::mem::replace(&mut self.pending, Pending::Nothing) {
                        Pending::Title(title, title_line) => {
                            self.out.push_back(Ok(Record {
                                id: None,
                                title,
                                abstract_text,
                                authors: None,
                                categories: None,
                                update_date: None,
                                source: Provenance {
                                    file: self.ctx.path.clone(),
                                    line: title_line,
                                },
                            }));
                        }
                        Pending::Broken => {}
                        Pending::Nothing => self.out.push_back(Err(IngestError::OrphanAbstract {
                            path: self.ctx.path.clone(),
                            line: number,
                        })),
                    }
                }
            },
            Err(_) => {
                let lossy = String::from_utf8_lossy(line.bytes);
                let class = classify(&lossy, title_pending);
                if matches!(class, Class::Title(_)) {
                    self.flush_missing_abstract();
                }
                self.out.push_back(Err(IngestError::InvalidUtf8 {
                    path: self.ctx.path.clone(),
                    line: number,
                }));
                self.pending = match class {
                    Class::Title(_) => Pending::Broken,
                    Class::Abstract(_) | Class::Skip => Pending::Nothing,
                };
            }
        }
    }

    /// Reports the pending title, if any, as lacking an abstract.
    fn flush_missing_abstract(&mut self) {
        if let Pending::Title(title, line) = std::mem::replace(&mut self.pending, Pending::Nothing)
        {
            self.out.push_back(Err(IngestError::MissingAbstract {
                path: self.ctx.path.clone(),
                line,
                title,
            }));
        }
    }
}

impl<R: BufRead> Iterator for ListingReader<R> {
    type Item = Result<Record, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pairer.out.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            match self.lines.next_line() {
                Ok(Some(line)) => self.pairer.handle(line),
                Ok(None) => {
                    self.done = true;
                    self.pairer.flush_missing_abstract();
                }
                Err(e) => {
                    self.done = true;
                    // Whether the pending title had an abstract is unknown; the read error
                    // covers it.
                    self.pairer.pending = Pending::Nothing;
                    let line = self.lines.line_number().max(1);
                    let error = self.pairer.ctx.read_error(e, Some(line));
                    self.pairer.out.push_back(Err(error));
                }
            }
        }
    }
}

/// Classifies one line; `title_pending` loosens the abstract test (see [`could_be_abstract`]).
fn classify(line: &str, title_pending: bool) -> Class {
    let text = collapse_whitespace(line);
    if text.is_empty() || is_chrome(&text) {
        return Class::Skip;
    }
    let text = match strip_glued_subscribe(&text) {
        Some(rest) if is_chrome(rest) => return Class::Skip,
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if is_abstract_like(&text) || (title_pending && could_be_abstract(&text)) {
        Class::Abstract(text)
    } else {
        Class::Title(text)
    }
}

/// Whether a (whitespace-collapsed) line is page chrome: a fixed phrase or a date.
fn is_chrome(text: &str) -> bool {
    let lower = text.to_lowercase();
    CHROME.contains(&lower.as_str()) || is_date_line(&lower)
}

/// `Subscribe` glued to the front of a title (`SubscribeScaling Optimal LR …`): the rest.
fn strip_glued_subscribe(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("Subscribe")?;
    let first = rest.chars().next()?;
    (first.is_uppercase() || first.is_ascii_digit()).then_some(rest)
}

/// Whether a lowercased line is a date: `mar 14`, `march 14, 2024`, `14 mar 2024`, `mar 2024`.
fn is_date_line(lower: &str) -> bool {
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let month = |t: &str| MONTHS.contains(&t.trim_end_matches('.'));
    let day = |t: &str| {
        let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &t[digits.len()..];
        matches!(suffix, "" | "st" | "nd" | "rd" | "th")
            && (1..=2).contains(&digits.len())
            && digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    let year = |t: &str| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
    match tokens.as_slice() {
        [m, d] => (month(m) && (day(d) || year(d))) || (day(m) && month(d)),
        [m, d, y] => year(y) && ((month(m) && day(d)) || (day(m) && month(d))),
        _ => false,
    }
}

/// Counts sentence ends: `.`, `!` or `?` followed by a space and a capital or digit, plus
/// the final one.
fn sentence_count(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut n = 0;
    for i in 0..chars.len() {
        if matches!(chars[i], '.' | '!' | '?') {
            match (chars.get(i + 1), chars.get(i + 2)) {
                (None, _) => n += 1,
                (Some(' '), Some(c)) if c.is_uppercase() || c.is_ascii_digit() => n += 1,
                _ => {}
            }
        }
    }
    n
}

/// Whether a line is an abstract on its own merits: at least 400 characters, or at least
/// 200 with two or more sentences. (On the bundled samples titles are at most 178
/// characters and abstracts at least 603.)
pub(crate) fn is_abstract_like(text: &str) -> bool {
    let n = text.chars().count();
    n >= 400 || (n >= 200 && sentence_count(text) >= 2)
}

/// The looser test used right after a title: at least 40 characters ending like a sentence,
/// or with two sentences. Titles rarely end with a full stop, so a short abstract is still
/// paired with its title.
fn could_be_abstract(text: &str) -> bool {
    is_abstract_like(text)
        || (text.chars().count() >= 40 && (text.ends_with('.') || sentence_count(text) >= 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const ABSTRACT_A: &str = "We study how to train large models efficiently. Our method \
        reduces compute by half while keeping accuracy on standard benchmarks. Experiments on \
        GLUE and SuperGLUE confirm the gains. We release code and checkpoints for the community \
        so that others can reproduce every number in this paper without extra effort at all.";
    const ABSTRACT_B: &str = "Retrieval helps language models answer questions about rare \
        facts. We propose a retriever that indexes passages with dense vectors. It beats BM25 \
        on Natural Questions by a wide margin. Ablations show that hard negatives matter most, \
        and that the index can be compressed eightfold with little loss in top-20 accuracy.";

    #[test]
    fn a_broken_title_takes_its_short_abstract_with_it() {
        // Found by the hostile corpus: the short abstract after an invalid-UTF-8 title was
        // read as a title and reported a second time, as a title without an abstract.
        let short = "We fine-tune BERT with LoRA on GLUE. It works well on most tasks.";
        let mut page = b"Caf\xe9 Title\n\n".to_vec();
        page.extend_from_slice(format!("{short}\n\nGood Title\n\n{short}\n").as_bytes());
        let ctx = FileCtx::new(PathBuf::from("page.txt"), false, 1 << 20);
        let items: Vec<_> = ListingReader::new(&page[..], ctx).collect();
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(matches!(
            items[0],
            Err(IngestError::InvalidUtf8 { line: 1, .. })
        ));
        assert_eq!(
            items[1].as_ref().map(|r| r.title.as_str()).ok(),
            Some("Good Title")
        );
    }

    fn read(text: &str) -> (Vec<Record>, Vec<IngestError>) {
        let ctx = FileCtx::new(PathBuf::from("page.txt"), false, 1 << 20);
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for item in ListingReader::new(text.as_bytes(), ctx) {
            match item {
                Ok(r) => records.push(r),
                Err(e) => errors.push(e),
            }
        }
        (records, errors)
    }

    fn titles(records: &[Record]) -> Vec<&str> {
        records.iter().map(|r| r.title.as_str()).collect()
    }

    #[test]
    fn spaced_layout_with_chrome() {
        let page = format!(
            "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research \
             community\n\nMar 14\n\nEfficient Training\n\n{ABSTRACT_A}\n\nDense Retrieval\n\n{ABSTRACT_B}\n"
        );
        let (records, errors) = read(&page);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(titles(&records), ["Efficient Training", "Dense Retrieval"]);
        assert_eq!(
            records[0].abstract_text,
            ABSTRACT_A.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        assert_eq!(records[0].source.line, 11);
        assert_eq!(records[1].source.line, 15);
        assert_eq!(records[0].source.file, Path::new("page.txt"));
        assert_eq!(records[0].id, None);
    }

    #[test]
    fn dense_layout_with_glued_subscribe() {
        let page = format!(
            "Get trending papers in your email inbox once a day!\nGet trending papers in your \
             email inbox!\nSubscribeEfficient Training\n{ABSTRACT_A}\nDense Retrieval\n{ABSTRACT_B}"
        );
        let (records, errors) = read(&page);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(titles(&records), ["Efficient Training", "Dense Retrieval"]);
        assert_eq!(records[0].source.line, 3);
        assert_eq!(records[1].source.line, 5);
    }

    #[test]
    fn crlf_tabs_trailing_spaces_and_whitespace_only_lines() {
        let page = format!(
            "Daily Papers\r\n \t \r\n  Efficient\tTraining  \r\n\t\r\n{ABSTRACT_A}  \r\n \r\n"
        );
        let (records, errors) = read(&page);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(titles(&records), ["Efficient Training"]);
        assert!(!records[0].abstract_text.ends_with(' '));
        assert!(!records[0].abstract_text.contains('\r'));
    }

    #[test]
    fn title_without_abstract_is_an_error_and_the_next_pair_still_reads() {
        let page = format!("Lonely Title\n\nEfficient Training\n\n{ABSTRACT_A}\n\nLast Title\n");
        let (records, errors) = read(&page);
        assert_eq!(titles(&records), ["Efficient Training"]);
        assert_eq!(errors.len(), 2);
        assert!(matches!(
            &errors[0],
            IngestError::MissingAbstract { line: 1, title, .. } if title == "Lonely Title"
        ));
        assert!(matches!(
            &errors[1],
            IngestError::MissingAbstract { line: 7, .. }
        ));
    }

    #[test]
    fn abstract_without_title_is_an_error() {
        let page = format!("{ABSTRACT_B}\nEfficient Training\n{ABSTRACT_A}\n");
        let (records, errors) = read(&page);
        assert_eq!(titles(&records), ["Efficient Training"]);
        assert_eq!(errors.len(), 1);
        assert!(matches!(
            errors[0],
            IngestError::OrphanAbstract { line: 1, .. }
        ));
    }

    #[test]
    fn short_abstract_after_a_title_is_still_an_abstract() {
        let page = "A Tiny Paper\nWe show a thing. It works well on every benchmark we tried.\n";
        let (records, errors) = read(page);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(titles(&records), ["A Tiny Paper"]);
    }

    #[test]
    fn invalid_utf8_title_gives_one_error_and_skips_its_abstract() {
        let mut page = b"Bad \xff Title\n\n".to_vec();
        page.extend_from_slice(ABSTRACT_A.as_bytes());
        page.extend_from_slice(b"\n\nDense Retrieval\n\n");
        page.extend_from_slice(ABSTRACT_B.as_bytes());
        let ctx = FileCtx::new(PathBuf::from("page.txt"), false, 1 << 20);
        let items: Vec<_> = ListingReader::new(&page[..], ctx).collect();
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(matches!(
            items[0],
            Err(IngestError::InvalidUtf8 { line: 1, .. })
        ));
        assert!(matches!(&items[1], Ok(r) if r.title == "Dense Retrieval" && r.source.line == 5));
    }

    #[test]
    fn over_long_abstract_is_reported_and_consumes_its_title() {
        let page = format!("Efficient Training\n{ABSTRACT_A}\nDense Retrieval\n{ABSTRACT_B}\n");
        let ctx = FileCtx::new(PathBuf::from("page.txt"), false, 100);
        let items: Vec<_> = ListingReader::new(page.as_bytes(), ctx).collect();
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(matches!(
            items[0],
            Err(IngestError::LineTooLong {
                line: 2,
                max: 100,
                ..
            })
        ));
        assert!(matches!(
            items[1],
            Err(IngestError::LineTooLong { line: 4, .. })
        ));
    }

    #[test]
    fn only_chrome_yields_nothing() {
        let (records, errors) = read("new\n\nSubscribe\nDaily Papers\nMarch 3, 2024\n  \n");
        assert!(records.is_empty() && errors.is_empty());
    }

    #[test]
    fn date_lines() {
        for d in [
            "mar 14",
            "march 14",
            "mar 14, 2024",
            "14 mar 2024",
            "sep. 3",
            "dec 1st",
            "may 2024",
        ] {
            assert!(is_date_line(d), "{d}");
        }
        for d in ["mar 32", "may the force", "march madness", "14", "gpt 4"] {
            assert!(!is_date_line(d), "{d}");
        }
    }

    #[test]
    fn glued_subscribe_only_before_a_capital() {
        assert_eq!(
            strip_glued_subscribe("SubscribeScaling LR"),
            Some("Scaling LR")
        );
        assert_eq!(strip_glued_subscribe("Subscribers Matter"), None);
        assert_eq!(strip_glued_subscribe("Subscribe"), None);
    }

    #[test]
    fn title_is_not_abstract_like() {
        let long_title = "Granite-Function Calling Model: Introducing Function Calling Abilities \
            via Multi-task Learning of Granular Tasks";
        assert!(!is_abstract_like(long_title));
        assert!(!could_be_abstract(long_title));
        assert!(!is_abstract_like("Can GNN be Good Adapter for LLMs?"));
        assert!(is_abstract_like(ABSTRACT_A));
    }
}
