"""Admins export and erase a resident's data from the console; nobody else can, and every
form needs its CSRF token."""

from __future__ import annotations

from tests.bot.web.conftest import say, sign_in, start_chat

EMAIL, PHONE = "alex.resident@mail.test", "07700 900456"


def resident_with_call_back(client) -> str:  # type: ignore[no-untyped-def]
    cid, auth = start_chat(client)
    say(client, cid, auth, "my account is 500000001")
    client.post(f"/api/conversations/{cid}/messages", headers=auth,
                json={"payload": "/leave_contact_details", "text": "Leave my contact details"})
    left = client.post(f"/api/conversations/{cid}/contact", headers=auth,
                       json={"name": "Alex Example", "phone": PHONE, "email": EMAIL})
    assert left.status_code == 200, left.text
    return cid


def test_only_admins_reach_the_page(app):
    for role in ("agent", "editor"):
        staff = sign_in(app, role)
        assert staff.get("/staff/privacy").status_code == 403
        refused = staff.post("/staff/privacy/erase", data={
            "csrf_token": staff.csrf, "found_by": "email", "value": EMAIL, "confirm": "yes"})
        assert refused.status_code == 403
    page = sign_in(app, "admin").get("/staff/privacy", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Subject access export" in page.text


def test_export_then_erase_from_the_console(app, client):
    cid = resident_with_call_back(client)
    admin = sign_in(app, "admin")
    no_token = admin.post("/staff/privacy/erase", data={
        "found_by": "email", "value": EMAIL, "confirm": "yes"})
    assert no_token.status_code == 403
    assert client.get(f"/api/conversations/{cid}/messages").status_code in (401, 403)

    exported = admin.post("/staff/privacy/export", data={
        "csrf_token": admin.csrf, "found_by": "phone", "value": PHONE, "format": "html"})
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    assert EMAIL in exported.text and "500000001" in exported.text

    unconfirmed = admin.post("/staff/privacy/erase", data={
        "csrf_token": admin.csrf, "found_by": "email", "value": EMAIL})
    assert unconfirmed.status_code == 422
    erased = admin.post("/staff/privacy/erase", data={
        "csrf_token": admin.csrf, "found_by": "email", "value": EMAIL, "confirm": "yes",
        "reference": "DPO-1"})
    assert erased.status_code == 200 and "conversations deleted 1" in erased.text
    again = admin.post("/staff/privacy/export", data={
        "csrf_token": admin.csrf, "found_by": "conversation_id", "value": cid,
        "format": "json"})
    assert again.json()["conversations"] == []
    audit = admin.get("/staff/audit.json").json()["entries"]
    assert [e["action"] for e in audit][:2] == ["privacy_export", "privacy_erase"]
    assert EMAIL not in str(audit) and PHONE not in str(audit)


def test_a_bad_value_is_refused_and_changes_nothing(app, client):
    resident_with_call_back(client)
    admin = sign_in(app, "admin")
    for form in ({"found_by": "email", "value": "nope"}, {"found_by": "x", "value": EMAIL},
                 {"found_by": "phone", "value": "<script>1</script>"}):
        refused = admin.post("/staff/privacy/erase", data={
            "csrf_token": admin.csrf, "confirm": "yes", **form})
        assert refused.status_code == 422 and "<script>1" not in refused.text
    exported = admin.post("/staff/privacy/export", data={
        "csrf_token": admin.csrf, "found_by": "email", "value": EMAIL, "format": "json"})
    assert len(exported.json()["conversations"]) == 1
