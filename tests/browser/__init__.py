"""The trainer's and the learner's days, in a real browser (Playwright driving Debian's Chromium)."""
