"""The seller's figures: enrolments, progress funnel, drop-off, completion time, quiz pass rates,
computed by a fixed handful of aggregate queries (selectors.py) and shown in the admin."""
