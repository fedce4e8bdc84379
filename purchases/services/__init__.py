"""Every write on orders, one module per use case; import from the submodules by name.

checkout      start_checkout, cancel_pending_order, fulfilment on the return from the provider
transitions   the transition table, apply_transition and the OrderEvent audit trail
fulfilment    fulfil_order, close_order, and accept_payment for a payment held for review
refunds       the admin's refund request and the provider's refunds, counted per refund id
disputes      chargebacks opened, funds moved, won or lost
webhooks      storing and processing provider events, retries with backoff
reconcile     asking the provider about pending orders whose events may have been lost
invoices      gapless invoice and credit-note numbers, tax split per line, issued documents
"""
