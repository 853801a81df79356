//! Journeys: from raw touchpoint and conversion events to a [`PathTable`].

mod path_table;

pub use path_table::{ChannelId, PathTable, PathTableBuilder};
