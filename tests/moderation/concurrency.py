"""Running requests at the same moment, each thread on its own database connection.

On PostgreSQL the threads start together behind a barrier: row locks and unique keys decide who wins. SQLite in
tests allows one writer at a time (the others fail with "database is locked" instead of waiting), so there the
calls run one after the other: the outcome must be the same in every order anyway.
"""

import threading

from django.db import connection, connections


def at_once(*calls):
    """Run each call in its own thread; returns their results (or the exception each raised), in order."""
    results = [None] * len(calls)
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(len(calls)) if concurrent else None

    def run(index, call):
        try:
            if barrier is not None:
                barrier.wait(10)
            results[index] = call()
        except Exception as error:  # the test reads it: an error is an outcome here
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
        if not concurrent:
            thread.join(30)
    for thread in threads:
        thread.join(30)
    return results
