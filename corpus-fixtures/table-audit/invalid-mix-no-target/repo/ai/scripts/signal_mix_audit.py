"""ai/scripts/signal_mix_audit.py: fixture entrypoint."""
print("ok")
