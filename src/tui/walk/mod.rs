//! The walk-through full screen: its model ([`model`]), key tables
//! ([`keys`]) and views ([`view`], [`pause`], [`summary`]).

pub mod keys;
pub mod model;
pub(crate) mod pause;
pub(crate) mod summary;
pub mod view;
