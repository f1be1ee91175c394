"""Demo data for the gateway: one staff user per role, and the council's saved replies."""

from __future__ import annotations

from bot.web.data import staff as staff_data
from bot.web.runtime import Runtime
from bot.web.services.staff_auth import create_user

# Listed in the README; seeded only outside production.
DEMO_STAFF = (
    ("agent", "Priya Agent", "agent", "agent-demo-pass"),
    ("editor", "Eddie Editor", "editor", "editor-demo-pass"),
    ("manager", "Mina Manager", "manager", "manager-demo-pass"),
    ("admin", "Ada Admin", "admin", "admin-demo-pass"),
)

SAVED_REPLIES = (
    ("Greeting", "Hello, thanks for waiting. I'm looking at your conversation now."),
    ("Checking", "Thanks. Please bear with me for a moment while I check that for you."),
    ("Council tax callback",
     "I'll pass this to the council tax team and they'll contact you within 2 working days."),
    ("Anything else", "Is there anything else I can help you with today?"),
    ("Closing", "Thank you for contacting Anytown Borough Council. Goodbye."),
)


def seed(rt: Runtime) -> None:
    with rt.transaction() as session:
        if not staff_data.saved_replies(session):
            for title, text in SAVED_REPLIES:
                staff_data.add_saved_reply(session, title, text)
        if rt.settings.environment == "production" or not rt.settings.seed_demo_staff:
            return
        for username, name, role, password in DEMO_STAFF:
            if staff_data.user_by_username(session, username) is None:
                create_user(session, rt.clock.now(), username=username, display_name=name,
                            role=role, password=password)
