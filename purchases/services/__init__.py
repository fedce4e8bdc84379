"""Every write on orders, one module per use case; import from the submodules by name.

checkout      start_checkout, fulfilment on the return from the provider
transitions   the transition table, apply_transition and the OrderEvent audit trail
fulfilment    fulfil_order and close_order, shared by the return, events and reconciliation
refunds       refunds and disputes: the admin's refund request and the provider's answers
webhooks      storing and processing provider events, retries with backoff
reconcile     asking the provider about pending orders whose events may have been lost
"""
