"""The production profile: several stateless Rasa servers sharing PostgreSQL and Redis.

`BACKCARE_PROFILE=production` (what `make run-production` sets) makes
`bot serve` start one action server and several Rasa servers whose
conversations live in PostgreSQL (Rasa's SQL tracker store) and whose turns
are serialised per conversation by a Redis lock, so any server can take any
turn. The default `embedded` profile (`make run`) keeps everything on this
machine: SQLite files and in-process locks.

- `config`: the settings (environment variables, defaults in deploy/production.yml)
- `preflight`: a readable error naming the service when PostgreSQL or Redis is down at start-up
- `tracker_store`, `lock_store`: what endpoints-production.yml plugs into Rasa
- `cluster`: `make run-production` and the tests' several-server stack
- `entrypoint`: Docker secrets (`*_FILE`) into the environment
"""
