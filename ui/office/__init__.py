"""The back office screens (products, stock, users, settings, reports, dashboard)."""
