"""ai/scripts/measure_quant_drop.py: fixture entrypoint."""
print("ok")
