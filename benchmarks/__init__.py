"""``make bench``: every performance budget (docs/performance.md), measured on PostgreSQL and Redis.

Run as ``python -m benchmarks [--quick]``; each module measures one budget and returns
rows for the one table printed at the end (and written to var/bench.json).
"""
