//! The lexicon: known entities with their type, aliases, family and case rule.
//!
//! The built-in lexicon is `data/lexicon.tsv`, compiled into the binary; users add their own
//! files in the same format with `--lexicon FILE`. One entity a line, tab-separated:
//!
//! ```text
//! # name      type    aliases (|-separated)          parent   case
//! Llama 2     model   Llama2-Chat                    LLaMA
//! LoRA        method  Low-Rank Adaptation                     exact
//! ```
//!
//! Only `name` and `type` are required; `case` is `exact` (match this case only), `fold`
//! (any ASCII case) or empty (decided from the name's shape, see [`CaseRule`]).
//!
//! This module parses and merges lexicons; it does not match text (see the matcher).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{name_key, EntityType};

/// The built-in lexicon, as shipped in `data/lexicon.tsv`.
const BUILTIN: &str = include_str!("../../data/lexicon.tsv");

/// How a lexicon entry's names are matched against text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CaseRule {
    /// Decide per surface form: fold case for names whose shape is never an ordinary word
    /// (a digit and 4+ characters, or 6+ characters with a hyphen, space or inner capital);
    /// match the exact case otherwise.
    #[default]
    Auto,
    /// Match only the case as written (`PaLM` but not "palm").
    Exact,
    /// Match in any ASCII case.
    Fold,
}

/// One known entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconEntry {
    /// Canonical display name.
    pub name: String,
    /// Type.
    pub kind: EntityType,
    /// Other surface forms (long forms, other spellings).
    pub aliases: Vec<String>,
    /// The family this entry is a version or variant of: another entry's canonical name.
    pub parent: Option<String>,
    /// How its names are matched.
    pub case: CaseRule,
}

/// A set of known entities, in priority order: an earlier entry wins a surface form that
/// two entries share.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    entries: Vec<LexiconEntry>,
}

/// A problem reading a lexicon file.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read.
    #[error("{path}: cannot read lexicon")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line that does not parse.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl Lexicon {
    /// The lexicon compiled into paperkg from `data/lexicon.tsv`.
    pub fn builtin() -> Lexicon {
        // The built-in file is checked by a unit test, so this parse cannot fail at run time;
        // should it ever, an empty lexicon is returned rather than a panic.
        Lexicon::parse(BUILTIN, Path::new("data/lexicon.tsv")).unwrap_or_default()
    }

    /// Reads a lexicon file.
    pub fn load(path: &Path) -> Result<Lexicon, LexiconError> {
        let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Lexicon::parse(&text, path)
    }

    /// Parses lexicon text; `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Lexicon, LexiconError> {
        let mut entries = Vec::new();
        let mut seen: HashMap<(EntityType, String), usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let syntax = |message: String| LexiconError::Syntax {
                path: origin.to_path_buf(),
                line: i + 1,
                message,
            };
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() < 2 {
                return Err(syntax(
                    "expected at least `name<TAB>type` (columns: name, type, aliases, parent, case)"
                        .into(),
                ));
            }
            if cols.len() > 5 {
                return Err(syntax(format!(
                    "expected at most 5 columns, found {}",
                    cols.len()
                )));
            }
            let name = cols[0];
            if name.is_empty() || name_key(name).is_empty() {
                return Err(syntax("empty or punctuation-only entity name".into()));
            }
            let kind: EntityType = cols[1].parse().map_err(syntax)?;
            let mut aliases = Vec::new();
            if let Some(col) = cols.get(2) {
                for alias in col.split('|').map(str::trim) {
                    if !alias.is_empty() && alias != name && !aliases.iter().any(|a| a == alias) {
                        aliases.push(alias.to_string());
                    }
                }
            }
            let parent = cols.get(3).filter(|p| !p.is_empty()).map(|p| p.to_string());
            let case = match cols.get(4).copied().unwrap_or("") {
                "" => CaseRule::Auto,
                "exact" => CaseRule::Exact,
                "fold" => CaseRule::Fold,
                other => {
                    return Err(syntax(format!(
                        "unknown case rule {other:?} (expected exact, fold or empty)"
                    )))
                }
            };
            let key = (kind, name_key(name));
            if let Some(first) = seen.get(&key) {
                return Err(syntax(format!(
                    "{kind} {name:?} is already defined on an earlier line (entry {first})"
                )));
            }
            seen.insert(key, entries.len() + 1);
            entries.push(LexiconEntry {
                name: name.to_string(),
                kind,
                aliases,
                parent,
                case,
            });
        }
        Ok(Lexicon { entries })
    }

    /// Adds `other`'s entries in front of this lexicon's, so they take priority; an entry
    /// of `other` with the same type and name replaces this lexicon's.
    pub fn prepend(&mut self, other: Lexicon) {
        let keys: Vec<(EntityType, String)> = other
            .entries
            .iter()
            .map(|e| (e.kind, name_key(&e.name)))
            .collect();
        let mut merged = other.entries;
        for entry in self.entries.drain(..) {
            if !keys.contains(&(entry.kind, name_key(&entry.name))) {
                merged.push(entry);
            }
        }
        self.entries = merged;
    }

    /// The entries in priority order.
    pub fn entries(&self) -> &[LexiconEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_is_large() {
        let lexicon = Lexicon::parse(BUILTIN, Path::new("data/lexicon.tsv"))
            .expect("the built-in lexicon parses");
        assert!(lexicon.len() >= 300, "only {} entries", lexicon.len());
        for kind in EntityType::ALL {
            let n = lexicon.entries().iter().filter(|e| e.kind == kind).count();
            assert!(n >= 60, "only {n} entries of type {kind}");
        }
    }

    #[test]
    fn builtin_parents_exist() {
        let lexicon = Lexicon::builtin();
        for e in lexicon.entries() {
            if let Some(p) = &e.parent {
                assert!(
                    lexicon.entries().iter().any(|x| &x.name == p),
                    "{}: parent {p:?} is not an entry",
                    e.name
                );
            }
        }
    }

    #[test]
    fn parses_all_columns() {
        let text = "# comment\n\nLlama 2\tmodel\tLlama2-Chat | Llama-2\tLLaMA\tfold\nC4\tdataset\n";
        let lx = Lexicon::parse(text, Path::new("x.tsv")).unwrap();
        assert_eq!(lx.len(), 2);
        let e = &lx.entries()[0];
        assert_eq!(e.name, "Llama 2");
        assert_eq!(e.kind, EntityType::Model);
        assert_eq!(e.aliases, vec!["Llama2-Chat", "Llama-2"]);
        assert_eq!(e.parent.as_deref(), Some("LLaMA"));
        assert_eq!(e.case, CaseRule::Fold);
        assert_eq!(lx.entries()[1].case, CaseRule::Auto);
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = Lexicon::parse("LoRA\tmethod\nFoo\tgadget\n", Path::new("mine.tsv")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.tsv:2: unknown entity type \"gadget\" (expected model, method or dataset)"
        );
        let err = Lexicon::parse("LoRA\n", Path::new("mine.tsv")).unwrap_err();
        assert!(err.to_string().starts_with("mine.tsv:1: expected at least"));
        let err = Lexicon::parse("LoRA\tmethod\nLORA\tmethod\n", Path::new("m")).unwrap_err();
        assert!(err.to_string().contains("already defined"), "{err}");
    }

    #[test]
    fn same_name_different_types_are_distinct() {
        let lx = Lexicon::parse("Pile\tdataset\nPile\tmodel\n", Path::new("m")).unwrap();
        assert_eq!(lx.len(), 2);
    }

    #[test]
    fn prepend_gives_user_entries_priority() {
        let mut base = Lexicon::parse("LoRA\tmethod\nC4\tdataset\n", Path::new("a")).unwrap();
        let user =
            Lexicon::parse("LoRA\tmethod\tLow Rank\nMyNet\tmodel\n", Path::new("b")).unwrap();
        base.prepend(user);
        let names: Vec<&str> = base.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["LoRA", "MyNet", "C4"]);
        assert_eq!(base.entries()[0].aliases, vec!["Low Rank"]);
    }
}
