"""ai/scripts/materialize_mos_labels.py: fixture entrypoint."""
print("ok")
