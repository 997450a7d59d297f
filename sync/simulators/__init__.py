"""Local HTTP simulators of the providers (Midtrans today; couriers and messaging next).

One module per provider, each faithful enough that the provider's own client works against
it, on 127.0.0.1 for ``warungin demo --simulators`` and the tests. They share the server
plumbing in :mod:`sync.simulators.server`. This package imports only the standard library
and its own modules (an import-linter contract holds it to that), so a simulator never
borrows the code it is meant to check.
"""
