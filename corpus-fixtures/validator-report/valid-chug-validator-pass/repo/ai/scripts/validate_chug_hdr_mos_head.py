"""ai/scripts/validate_chug_hdr_mos_head.py: fixture entrypoint."""
print("ok")
