"""Language identification and intent understanding for familybot."""
