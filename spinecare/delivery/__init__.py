"""Delivery of new requests to the consultants: the outbox dispatcher and its senders.

Why an outbox and a separate dispatcher: the assistant must answer the patient at
once and must never lose a request because the mail relay or the practice's CRM
is down. `repository.submit_request` / `submit_callback` write the request and one
`outbox_job` per notification kind in the same transaction; `spinecare dispatch`
then delivers those jobs, retrying with backoff until they succeed or are
dead-lettered for an operator (`spinecare outbox list --status dead`, `spinecare
outbox retry JOB_ID`).

Delivery is at least once, not exactly once: a dispatcher that crashes after a
send but before recording it sends that job again later. Every send therefore
carries the job's idempotency key (the `Idempotency-Key` webhook header, the
email's Message-ID and `X-SpineCare-Idempotency-Key` header), and receivers
dedupe on it. See docs/delivery.md and docs/webhook.md.
"""
