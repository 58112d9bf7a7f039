"""Message catalogs for the curated languages and the machine-translation fallback."""
