//! Multi-armed and contextual bandits with seeded, serialisable state (being written: issue 15).
