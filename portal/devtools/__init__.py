"""Development-only tools: national-scale data for benchmarks (``generate_scale_data``).

Installed by the development and test settings, never by ``portal.settings.production``: the
generated accounts share a known password, so production has neither the command nor the
generators.
"""
