//! paperkg turns machine-learning paper listings into a knowledge graph.
//!
//! The pipeline runs one way, one module per stage:
//!
//! * [`ingest`] reads listing pages (plain text) and arXiv-metadata JSON / JSON Lines
//!   (plain or gzip) into [`ingest::Record`]s, one per paper occurrence, with provenance.
//! * [`extract`] finds the models, methods and datasets a paper names, using a
//!   [`extract::Lexicon`] and an [`extract::Extractor`], producing [`extract::Mention`]s.
//! * [`graph`] assembles papers, entities, mention edges and co-mention edges into a
//!   petgraph [`graph::KnowledgeGraph`].
//! * [`export`] writes the SQLite database and Graphviz DOT files.
//! * [`store`] reads a built database back (read-only) for the explore commands: name
//!   resolution, evidence sentences, and the entity graph loaded into petgraph.
//!
//! [`limits`] caps what one paper may add (entities per paper).
//!
//! [`build`] drives the stages end to end for the `paperkg build` command. The
//! command-line interface itself lives in the binary; this library never sees clap types.

pub mod build;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graph;
pub mod ingest;
pub mod limits;
pub mod store;
mod swar;
pub mod synth;

pub use extract::{EntityType, Extractor, Lexicon, Mention};
pub use graph::KnowledgeGraph;
pub use ingest::{Provenance, Record};
