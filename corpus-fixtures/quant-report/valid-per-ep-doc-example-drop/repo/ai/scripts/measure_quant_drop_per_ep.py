"""ai/scripts/measure_quant_drop_per_ep.py: fixture entrypoint."""
print("ok")
