"""What a clinic needs to honour data protection: retention, erasure and access.

Conversations are health data. They live in one place, the tracker store's
`events` table (PostgreSQL in production, an SQLite file in the embedded
profile); message texts are not written to the logs. `bot privacy` works on
that table:

- `purge --older-than 30d`  deletes everything older than the retention period
- `delete --sender ID`       erases one person's conversation
- `export --sender ID`       hands one person their conversation as JSON
"""
