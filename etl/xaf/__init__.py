"""XML Auditfile Financieel (XAF 3.1, 3.2, 4.0): a bookkeeping package's whole ledger, read
streaming and safely (read), checked as the standard says (checks), its bookings put in months
(months), and its profit-and-loss accounts made finance categories by RGS codes (rgs) and the
enterprise's koppeling (koppeling)."""
