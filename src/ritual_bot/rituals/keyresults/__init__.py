"""Objectives and key results as text and numbers, shared by the rituals that read them (SPEC §8).

Pure and I/O-free: ``plan`` reads a quarter's plan (objectives and key results) from Markdown and
renders it back, ``values`` reads weekly check-in values and KR references, ``score`` does the
maths (progress, expected pace, objective / owner / team averages, quarters with a fiscal start).
The OKR ritual (``rituals/okrs/``) plans and tracks with them; the HPFO ritual reads check-in
values and KR references in its answers with them, without importing the OKR ritual.
"""
