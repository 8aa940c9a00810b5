"""Pages of juvenile judicial social work, by topic: cases, investigations, measures, sealing, oversight."""
