"""The curated resource database (HSDS-aligned) and its import/export."""
