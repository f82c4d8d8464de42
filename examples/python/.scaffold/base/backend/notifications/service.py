"""Created by scaffold from specs/NTF-7/spec.md; yours to edit: later spec changes are merged in.

The `notifications` service: one method per operation, and the domain's errors.
"""

from typing import Self

from pydantic import JsonValue

from ..scaffold_support import DomainError, NotImplementedOperation
from .models import PreviewDigestInput, RegisterChannelInput, SendDigestInput


class NotificationsError(DomainError):
    """Everything an operation of `notifications` can fail with."""


class UnsubscribedError(NotificationsError):
    """UNSUBSCRIBED (410): The user has unsubscribed"""

    code = "UNSUBSCRIBED"
    status = 410
    message = "The user has unsubscribed"


class AlreadySentError(NotificationsError):
    """ALREADY_SENT (409): Today's digest was already sent"""

    code = "ALREADY_SENT"
    status = 409
    message = "Today's digest was already sent"


class UnsupportedChannelError(NotificationsError):
    """UNSUPPORTED_CHANNEL (422): That channel cannot be delivered to"""

    code = "UNSUPPORTED_CHANNEL"
    status = 422
    message = "That channel cannot be delivered to"


class NotificationsService:
    """The operations of `notifications`."""

    @classmethod
    def in_memory(cls) -> Self:
        """A service over in-memory repositories."""
        return cls()

    async def send_digest(self, input: SendDigestInput) -> None:
        """SendDigest.

        Rules it must enforce:
        - FR-001: System MUST send at most one digest per user per day.
        - FR-002: Unsubscribed users MUST NOT receive anything.

        Errors: `UNSUBSCRIBED`, `ALREADY_SENT`.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("SendDigest")

    async def preview_digest(self, input: PreviewDigestInput) -> JsonValue:
        """PreviewDigest.

        Rules it must enforce:
        - FR-002: Unsubscribed users MUST NOT receive anything.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("PreviewDigest")

    async def register_channel(self, input: RegisterChannelInput) -> bool:
        """RegisterChannel.

        Rules it must enforce:
        - FR-003: System MUST accept only channels it can deliver to.

        Errors: `UNSUPPORTED_CHANNEL`.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("RegisterChannel")
