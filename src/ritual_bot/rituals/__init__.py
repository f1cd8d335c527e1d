"""One package per ritual (hpfo/, decisions/), each declaring the events it handles (DESIGN: one
router per ritual), composed from ``registry.py``; shared machinery (base, signoff/, mermaid) below.
"""
