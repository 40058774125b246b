"""The assistant's domain: topics, the dialogue's follow-ups, answers from the fact base, the envelope.

Imports only the standard library, SQLAlchemy and PyYAML (what the action
server's image installs), never Rasa, spaCy or the other layers of `bot`;
tests/architecture checks this.
"""
