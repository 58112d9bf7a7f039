"""School calendars: import (.ics), questions about dates, and reminders."""
