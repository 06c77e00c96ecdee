"""Reads of casework for the referrals pages."""
