"""ai/scripts/calibrate_phase_f_recipes.py: fixture entrypoint."""
print("ok")
