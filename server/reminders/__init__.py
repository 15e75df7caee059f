"""Reminders: when each one is due (`rules`, pure), where they come from (`sources`), the
table the scheduler works from (`store`), and the scheduler process (`scheduler`)."""
