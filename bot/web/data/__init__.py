"""The gateway's one data layer: every query the services run lives in these modules."""
