"""Grid: grid-based inspection, resolution and information collection."""
