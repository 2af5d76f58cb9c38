"""ai/scripts/make_report.py: fixture entrypoint."""
print("ok")
