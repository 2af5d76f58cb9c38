"""ai/scripts/calibrate_nr_threshold.py: fixture entrypoint."""
print("ok")
