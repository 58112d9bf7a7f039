"""Messages from school staff to the families of a school who opted in."""
