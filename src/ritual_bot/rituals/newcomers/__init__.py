"""A newcomer's onboarding as text and dates, shared by the rituals that read it (SPEC §9).

Pure and I/O-free: ``timeline`` dates each step from ``joined`` at the HPFO time in the
newcomer's zone, ``goals`` reads the two checklists from an onboarding issue's body as the
newcomer and the buddy saved it, ``issue`` finds a newcomer's onboarding issue by the identity
the bot gave it. The onboarding ritual (``rituals/onboarding/``) opens and follows that issue with
them; the HPFO ritual carries the 1-month goals into the newcomer's check-ins with them, without
importing the onboarding ritual.
"""
