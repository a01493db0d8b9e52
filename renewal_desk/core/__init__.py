"""Core of Renewal Desk: no Qt import anywhere below here (tests/core/test_no_qt.py proves it)."""
