"""The action server as this project runs it: rasa-sdk, bound to loopback, quiet.

`python -m rasa_sdk` always listens on every interface (rasa-sdk reads only
SANIC_HOST, default 0.0.0.0), although only the Rasa servers on this machine
ever call it. This entry point binds it to `BACKCARE_ACTIONS_HOST` (default
127.0.0.1; a container sets 0.0.0.0 so the Rasa containers can reach it) and
silences third-party deprecation warnings before rasa-sdk is imported.
"""

from __future__ import annotations

from bot.core import quiet

quiet.install()

import os  # noqa: E402
import sys  # noqa: E402


def main() -> None:
    os.environ["SANIC_HOST"] = os.environ.get("BACKCARE_ACTIONS_HOST", "127.0.0.1")
    from rasa_sdk.__main__ import main as rasa_sdk_main

    sys.argv[0] = "rasa_sdk"
    rasa_sdk_main()


if __name__ == "__main__":
    main()
