"""Groundwork of the coming OKR ritual (SPEC §8): the pure, I/O-free reading of OKR text.

``plan`` reads a quarter's plan (objectives and key results) from Markdown and renders it back,
``values`` reads weekly check-in values and KR references, ``score`` does the maths (progress,
expected pace, objective / owner / team averages, quarters with a fiscal start). No ritual yet:
there is no ``ritual.py`` and no registry entry, so nothing here runs on GitHub.
"""
