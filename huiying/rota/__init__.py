"""Duty rosters (轮值表): monthly rotation over a unit's staff, swaps."""
