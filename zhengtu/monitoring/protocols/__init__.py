"""Device protocols: pure decoders and encoders (no Django, no I/O), one module per protocol."""
