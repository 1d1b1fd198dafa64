"""pytest plugin (entry point ``pytest11``): fixtures for guardrail users' own tests."""
