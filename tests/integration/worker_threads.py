"""Threads whose failures fail the test.

An assert inside a threading.Thread only prints a traceback: the test that
started the thread passes. run_concurrently runs each function in its own
thread and hands back their results, or raises in the calling thread the
first exception any of them raised (an AssertionError stays a test failure).
"""
import threading
import time


def run_concurrently(functions, timeout=120):
    """Runs every function at once; returns their results in order."""
    results = [None] * len(functions)
    errors = []

    def run(i, function):
        try:
            results[i] = function()
        except BaseException as error:  # noqa: B902 - handed to the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, f), daemon=True)
               for i, f in enumerate(functions)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    if errors:
        raise errors[0]
    stuck = sum(t.is_alive() for t in threads)
    if stuck:
        raise AssertionError("%d of %d threads still running after %ss"
                             % (stuck, len(threads), timeout))
    return results
