"""Forms of the referrals pages."""
