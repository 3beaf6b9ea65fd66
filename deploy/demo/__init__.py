"""The demo data of the embedded platform (`make run`): reference data and a played history.

`loader` loads it; `<service>_reference` put each service's reference data in place
through its own use cases; the other modules play the history.
"""
