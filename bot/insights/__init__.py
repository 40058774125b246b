"""Clinic insights: what people ask, what went unanswered, and who was sent to a doctor.

Read from the tracker store's `events` table (SQLite in the embedded profile,
PostgreSQL in production) with aggregate SQL, so a report over a million
events never loads the conversations into Python. Nothing here imports Rasa:
the admin page (bot/rasa/channels/admin.py) and `bot insights` (bot/run/insights_cli.py)
are thin adapters around `build_report`, `render_html` and `unanswered_csv`.

Privacy: no sender id leaves the database query; message texts appear only in
the unanswered list, masked (bot/insights/masking.py), and never from a
conversation that raised a red-flag alert; nothing older than the retention
period (BACKCARE_RETENTION, the period `bot privacy purge` is run with) is read.
"""
