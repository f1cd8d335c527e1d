"""A stakeholder sign-off replayed from a thread (SPEC §4, §7): the commands people write and
the state they lead to (DRI, stakeholders, stances, concerns, deadline, outcome). Pure: no I/O.

The decision ritual runs on it; the OKR plan (issue 14) is meant to reuse it rather than copy it.
"""
