"""The central PostgreSQL of a tenant group: schema and migrations (``schema``,
``migrations``), administration (``admin``) and connections (``connect``). The push and
pull engine builds on these."""
