"""Mechanisms every service needs and nothing domain-specific."""
