"""The OKR ritual (SPEC §8): quarterly plans signed off by the approvers, a tracker, scoring.

The text and maths of objectives and key results are shared machinery in ``rituals/keyresults/``.
"""
