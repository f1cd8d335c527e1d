"""The decision ritual (SPEC §4): a decision issue's form, block, reminders, proposals, record."""
