"""Rough sleeping reports and urgent help for residents who are homeless; the report's slots."""

# Every slot a report fills: all of them are cleared once it is sent, stopped or not sent.
REPORT_SLOTS = (
    "rs_in_danger", "rs_under_18", "rs_location", "rs_location_first_try", "rs_postcode",
    "rs_what3words", "rs_seen_time", "rs_seen_at", "rs_person_description", "rs_people_count",
    "rs_contact_consent", "rs_contact", "rs_contact_name", "rs_contact_phone",
    "rs_contact_email", "rs_updates_consent", "rs_confirmed", "rs_idempotency_key",
)
