"""The owner's books: statements read from the journal (P&L, balance sheet, trial balance,
cash book, journal browser), receivables ageing, period close and the Midtrans
reconciliation. Import the modules themselves (``services.books.statements`` ...)."""
