"""Council tax journeys: balance, bands, paying, discounts, exemptions and moving home.

The slots below are what the journeys share: the details form's questions (each journey asks
some), the verification form's, and what a passed verification leaves while it is fresh.
"""

DETAIL_SLOTS = ["ct_band_postcode", "ct_confirmed", "ct_payment_day", "ct_adults",
                "ct_all_students", "ct_move_kind", "ct_date", "ct_course_end", "ct_institution",
                "ct_new_address", "ct_full_name"]
VERIFICATION_SLOTS = ["ct_account_number", "ct_surname", "ct_postcode"]
VERIFIED_SLOTS = ["ct_verified", "ct_token", "ct_verified_at", "ct_account_number"]
# What identifies the resident, their account or their home: blanked from Rasa's records when
# a journey ends (see actions/council_tax/actions.py) and from a chat that went quiet.
PERSONAL_SLOTS = ["ct_account_number", "ct_surname", "ct_postcode", "ct_token",
                  "ct_band_postcode", "ct_new_address", "ct_full_name", "ct_institution"]
