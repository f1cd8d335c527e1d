"""The weekly HPFO check-in ritual (SPEC §3): its plan, thread reading, digest and summaries."""
