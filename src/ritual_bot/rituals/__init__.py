"""One module per ritual; each declares the events it handles (DESIGN: one router per ritual)."""
