"""ai/scripts/train_chug_hdr_mos_head.py: fixture entrypoint."""
print("ok")
