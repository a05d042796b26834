//! Build (stub)
