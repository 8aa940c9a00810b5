"""Monthly reports and the annual performance self-evaluation report (绩效自评报告, seed 003).

figures.py computes every figure from the ledger and the books; sections.py names the
narrative sections written on a page; services.py drafts, renders, finalises (freezes and
versions) reports through zhengtu.documents.rendering.
"""
