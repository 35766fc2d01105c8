"""Test support shared by the test folders (real tools, no mocks of dvk's own code)."""
