"""Text messaging (SMS, WhatsApp, Messenger) without Rasa: keywords, rendering, providers.

Why apart from `channels/`: what a keyword means, how a reply is cut into SMS
segments, how Twilio and Meta sign their webhooks and how a message is sent are
plain functions that tests and other senders (the consultants' side) can use
without a Rasa server. `channels/sms.py` and `channels/messenger.py` connect them
to Rasa.
"""

# Rasa input channel names of the text channels (`tracker.get_latest_input_channel()`).
PHONE_CHANNELS = ("sms", "whatsapp")
TEXT_CHANNELS = ("sms", "whatsapp", "messenger")
