"""``python -m app``: the same as the ``warungin`` command (and the PyInstaller entry)."""

from app.cli.main import main

raise SystemExit(main())
