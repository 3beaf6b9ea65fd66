"""What the tests share: fixtures (a pytest plugin), the real servers, helpers."""
