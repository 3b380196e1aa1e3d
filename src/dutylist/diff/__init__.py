"""Diff of two versions (DESIGN §5): which items were added, revoked, and moved."""
