"""When the database cannot be reached: answer 503, so that Twilio and browsers try again.

Every message is one transaction (`resources_db.serial`), so a request that failed
this way changed nothing, and the retry is processed as if for the first time.
"""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import PlainTextResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)

#: Connection lost, server restarting or refusing, pool exhausted: worth retrying.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 5


async def database_unavailable(request: Request, exc: Exception) -> PlainTextResponse:
    """503 with Retry-After for a database that is down or restarting."""
    log.warning("Database unavailable for %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return unavailable_response()


def unavailable_response() -> PlainTextResponse:
    """The 503 that asks the sender to try again a little later."""
    return PlainTextResponse("The service is briefly unavailable. Please try again.", status_code=503,
                             headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
