"""The weekly business review (SPEC §10): what shipped, the key metrics, the growth experiments."""
