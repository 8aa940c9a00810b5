"""Writes of juvenile judicial social work, by topic: cases (referral, process, documents), investigations,
measures (appropriate adults, conditional non-prosecution) and sealing. Keyword-only, transactional, audited."""
