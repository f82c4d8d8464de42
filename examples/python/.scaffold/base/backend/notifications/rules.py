"""Created by scaffold from specs/NTF-7/spec.md; yours to edit: later spec changes are merged in.

What the spec of `notifications` leaves to people: the rules of its operations
(hooks the generated service calls before it acts), the fields it cannot
compute, and the bodies of free operations. The rest is in `service.py`.
"""

from pydantic import JsonValue

from ..scaffold_support import NotImplementedOperation
from .models import PreviewDigestInput, RegisterChannelInput, SendDigestInput


class NotificationsRules:
    """The hand-written part of `NotificationsService`, which inherits it: its
    repositories are attributes here too."""

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
