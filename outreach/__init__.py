"""Outreach: the prioritised queue, message drafts and the directory of services to refer to."""
