"""SMS credits: service tiers, a monthly allowance, purchased credits and an append-only ledger.

A leaf app: it imports nothing from orders, notifications or storefronts.

- ``billing.sms``: what an SMS costs (``count_segments``), the GSM-7 friendly rewrite
  (``to_gsm7_friendly``) and the template editor's ``cost_preview``. Pure functions.
- ``billing.services``: every balance change (``charge_sms``, ``refund_notification``, ``top_up``,
  ``adjust``, ``grant_monthly_allowance``, ``change_tier``) and ``balance()``; a package by
  responsibility (account, ledger, alerts, allowance, charging, credits, errors).
- ``billing.seeds``: the service tiers and the Billing staff group ``seed_reference_data`` creates.
- ``billing.tasks.grant_monthly_allowance``: the monthly django-q2 schedule, registered (with the
  first grant of a fresh install) after ``migrate`` by ``billing.receivers``.

Decisions where the product text is silent:
- An empty SMS costs 0 segments and is never sent; ``charge_sms(segments=0)`` is refused.
- A charge paid from a monthly allowance that has since been rolled over is refunded as
  purchased credits (the store paid for an SMS it did not get; the old allowance is gone).
- A charge or top-up made on the 1st before the scheduled grant ran starts the new month itself.
- Staff are emailed once per threshold crossed (low, then used up); only a grant, a top-up or
  a positive adjustment re-arms the warning, so refunds of failed sends never cause a new email.
"""
