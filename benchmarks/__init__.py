"""Benchmarks: import time, warm latency, AWS calls per request (make bench)."""
