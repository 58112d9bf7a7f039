"""Learning from conversations: unrecognized messages, retraining, handoff inbox, needs dashboard."""
