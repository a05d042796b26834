//! A small multimap from name keys ([`super::name_key`]) to numbers, kept in one string
//! buffer: the handful of keys a paper needs without a `String` or a hash per key.
//!
//! Lookups scan linearly, which for the tens of keys of one paper is faster than hashing.
//! This module stores keys; it does not decide what they mean.

use std::ops::Range;

use super::push_name_key;

/// Keys with a tag each, in insertion order. Clearing keeps the buffers.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    text: String,
    entries: Vec<(Range<usize>, usize)>,
}

impl Keys {
    /// Removes every key.
    pub fn clear(&mut self) {
        self.text.clear();
        self.entries.clear();
    }

    /// Adds the key of `name` with `tag`, even when the key is already there.
    pub fn push(&mut self, name: &str, tag: usize) {
        let start = self.text.len();
        push_name_key(name, &mut self.text);
        self.entries.push((start..self.text.len(), tag));
    }

    /// Adds `key` (already a name key) with `tag`, even when it is already there.
    pub fn push_key(&mut self, key: &str, tag: usize) {
        let start = self.text.len();
        self.text.push_str(key);
        self.entries.push((start..self.text.len(), tag));
    }

    /// The tags of `key` (already a name key), in insertion order.
    pub fn tags<'s>(&'s self, key: &'s str) -> impl Iterator<Item = usize> + 's {
        self.entries
            .iter()
            .filter(move |(range, _)| &self.text[range.clone()] == key)
            .map(|(_, tag)| *tag)
    }

    /// The first tag of `key` (already a name key).
    pub fn first(&self, key: &str) -> Option<usize> {
        self.tags(key).next()
    }

    /// Whether `key` (already a name key) is there.
    pub fn contains(&self, key: &str) -> bool {
        self.first(key).is_some()
    }
}

/// Writes the name key of `name` into `buf` (cleared first) and returns it.
pub fn key_of<'b>(name: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    push_name_key(name, buf);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_names_and_keep_every_tag() {
        let mut keys = Keys::default();
        keys.push("LLaMA-2", 0);
        keys.push("Llama 2", 1);
        keys.push_key("gpt4", 2);
        let mut buf = String::new();
        assert_eq!(
            keys.tags(key_of("llama2", &mut buf)).collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert_eq!(keys.first(key_of("GPT-4", &mut buf)), Some(2));
        assert!(!keys.contains("bert"));
        keys.clear();
        assert!(!keys.contains("gpt4"));
    }
}
