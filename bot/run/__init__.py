"""Processes: what starts, supervises and drives the servers, and the `bot` command.

`bot serve` (`make run`) starts the action server and the Rasa server under one
supervisor (`serve`, `supervise`); `BACKCARE_PROFILE=production`
(`make run-production`) starts one action server and several Rasa servers
whose conversations live in PostgreSQL and whose turns are serialised per
conversation by a Redis lock, so any server can take any turn (`cluster`,
`profile_config`: its settings with defaults in deploy/production.yml,
`preflight`: a readable error naming PostgreSQL or Redis when either is down,
`entrypoint`: Docker secrets (`*_FILE`) into the environment). The stores the
production profile plugs into Rasa are in `bot.rasa`.

May import every other layer; nothing else imports it.
"""
