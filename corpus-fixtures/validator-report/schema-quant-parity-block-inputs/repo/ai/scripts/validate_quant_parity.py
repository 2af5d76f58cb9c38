"""ai/scripts/validate_quant_parity.py: fixture entrypoint."""
print("ok")
