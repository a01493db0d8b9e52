"""What the small codes (QR) on printouts say, and reading them back.

A code carries no personal data: only what finds the paper's record again. Three kinds:

- a page code, on every page of every printout, beside the page numbers:
  ``RD1:P:<文书编号>:<document kind>:<record uuid or ->:<page>/<pages>``
  e.g. ``RD1:P:HYJL-20261203-0002:meeting-minutes:4f0c…:2/3``
- a sign-in code, on a person's own meeting notice (the door scanner signs them in):
  ``RD1:S:<meeting uuid>:<attendee uuid>``
- a ballot code, on a named ballot (表决票); with a choice it is one of the ballot's per-choice codes:
  ``RD1:B:<motion uuid>:<attendee uuid>`` or ``RD1:B:<motion uuid>:<attendee uuid>:Y`` (Y/N/A)

A barcode scanner types like a keyboard, so the text keeps to ASCII letters, digits, ``-``, ``:``
and ``/`` (the same on every keyboard layout). `parse()` accepts what a scanner types: surrounding
spaces, a trailing Enter, lower or upper case letters. It never guesses: text that is not one of
these codes is refused with a message a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..problems import InputError, Problem, declare

VERSION = "RD1"
CHOICES = {"Y": "yes", "N": "no", "A": "abstain"}  # code letter -> stored ballot choice
LETTERS = {v: k for k, v in CHOICES.items()}

E_NOT_CODE = declare("code.unreadable", "这不是本系统打印的条码：{text}",
                     "This is not a code printed by Renewal Desk: {text}")
E_BAD_PART = declare("code.bad_part", "条码内容不完整或已损坏（{part}）：{text}",
                     "The code is incomplete or damaged ({part}): {text}")

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_DOC_NO = r"[A-Z][A-Z0-9]{0,7}-[0-9]{8}-[0-9A-Z]+|[A-Z0-9][A-Z0-9-]{0,40}"
_KIND = r"[a-z][a-z0-9-]{0,40}"
_PAGE_RE = re.compile(rf"RD1:P:({_DOC_NO}):({_KIND}):({_UUID}|-):([0-9]{{1,5}})/([0-9]{{1,5}})")
_SIGN_RE = re.compile(rf"RD1:S:({_UUID}):({_UUID})")
_BALLOT_RE = re.compile(rf"RD1:B:({_UUID}):({_UUID})(?::([YNA]))?")


@dataclass(frozen=True)
class PageCode:
    doc_no: str
    kind: str  # the document kind's name, as in services.printouts.DOCUMENTS ("meeting-minutes")
    record_uuid: str | None  # the record the document is printed for; None for a list of many
    page: int
    pages: int

    def text(self) -> str:
        return f"{VERSION}:P:{self.doc_no}:{self.kind}:{self.record_uuid or '-'}:{self.page}/{self.pages}"


@dataclass(frozen=True)
class SignInCode:
    meeting_uuid: str
    attendee_uuid: str

    def text(self) -> str:
        return f"{VERSION}:S:{self.meeting_uuid}:{self.attendee_uuid}"


@dataclass(frozen=True)
class BallotCode:
    motion_uuid: str
    attendee_uuid: str
    choice: str | None = None  # "yes" / "no" / "abstain" on a per-choice code

    def text(self) -> str:
        tail = f":{LETTERS[self.choice]}" if self.choice else ""
        return f"{VERSION}:B:{self.motion_uuid}:{self.attendee_uuid}{tail}"


Code = PageCode | SignInCode | BallotCode


def _refuse(code: str, text: str, **params: str) -> InputError:
    shown = text if len(text) <= 80 else text[:77] + "…"
    return InputError(Problem(code, {"text": shown, **params}, field="code", value=shown))


def parse(text: str) -> Code:
    """The code a scanner typed (or a decoder read from an image); InputError if it is none of ours."""
    raw = (text or "").strip()
    # uuids are lower case, everything else upper case; a scanner with Caps Lock types either
    head, _, rest = raw.partition(":")
    if head.upper() != VERSION:
        raise _refuse(E_NOT_CODE, raw)
    kind, _, body = rest.partition(":")
    kind = kind.upper()
    if kind == "P":
        parts = body.split(":")
        if len(parts) != 4:
            raise _refuse(E_BAD_PART, raw, part="P")
        doc_no, name, uuid, pages = parts
        candidate = f"{VERSION}:P:{doc_no.upper()}:{name.lower()}:{uuid.lower()}:{pages}"
        found = _PAGE_RE.fullmatch(candidate)
        if not found:
            raise _refuse(E_BAD_PART, raw, part="P")
        page, total = int(found.group(4)), int(found.group(5))
        if not 1 <= page <= total:
            raise _refuse(E_BAD_PART, raw, part=f"{page}/{total}")
        uuid_part = found.group(3)
        return PageCode(found.group(1), found.group(2), None if uuid_part == "-" else uuid_part, page, total)
    if kind == "S":
        found = _SIGN_RE.fullmatch(f"{VERSION}:S:{body.lower()}")
        if not found:
            raise _refuse(E_BAD_PART, raw, part="S")
        return SignInCode(found.group(1), found.group(2))
    if kind == "B":
        parts = body.split(":")
        if len(parts) == 3:
            parts[2] = parts[2].upper()
        lowered = ":".join([p.lower() for p in parts[:2]] + parts[2:])
        found = _BALLOT_RE.fullmatch(f"{VERSION}:B:{lowered}")
        if not found:
            raise _refuse(E_BAD_PART, raw, part="B")
        letter = found.group(3)
        return BallotCode(found.group(1), found.group(2), CHOICES[letter] if letter else None)
    raise _refuse(E_NOT_CODE, raw)
