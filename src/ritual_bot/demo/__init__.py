"""``ritual-bot demo``: the story (``story``) played on the sandbox by the demo team (``team``),
one part per ritual."""
