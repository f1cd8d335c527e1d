"""The onboarding ritual (SPEC §9): goals for a newcomer\x27s first month and first three months."""
