"""Widgets every page uses: forms with a problem list, table views. No page imports another page."""
