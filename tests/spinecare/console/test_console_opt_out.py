"""The console shows consultants which requests' people opted out of text messages."""

from __future__ import annotations

from spinecare.storage import messaging

OPTED_OUT_PHONE = "+13125550177"


def test_an_opted_out_number_is_marked_in_the_list_and_on_the_request(seeded, client):
    reference = seeded.submit("texter", phone=OPTED_OUT_PHONE, contact_method="text")
    other = seeded.references["older"]
    with seeded.sessions()() as session:
        messaging.record_opt_out(session, OPTED_OUT_PHONE, "sms", "keyword")

    listing = client.get("/requests").text
    row = next(line for line in listing.split("<tr>") if reference in line)
    assert 'data-testid="opted-out"' in row and "no texts" in row
    other_row = next(line for line in listing.split("<tr>") if other in line)
    assert "opted-out" not in other_row

    page = client.get(f"/requests/{reference}").text
    assert "opted out of text messages (STOP). Do not text them" in page
    assert "opted out of text messages" not in client.get(f"/requests/{other}").text

    with seeded.sessions()() as session:
        messaging.record_opt_in(session, OPTED_OUT_PHONE, "sms")
    assert "opted out of text messages" not in client.get(f"/requests/{reference}").text
