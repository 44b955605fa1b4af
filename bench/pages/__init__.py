"""The public pages' load benchmark behind bench/run.py: databases and seeding, the server, wrk, the report."""
