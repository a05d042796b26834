//! Export (stub)
