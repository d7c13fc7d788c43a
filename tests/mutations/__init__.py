"""Mutation testing of natograph's validator."""
