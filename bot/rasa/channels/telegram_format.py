"""Turning one assistant reply into Telegram messages: escaped HTML, split at 4096, buttons.

Telegram's HTML parse mode rejects a whole message when one `<`, `>` or `&`
is left unescaped, so everything the assistant or the fact base says is
escaped here and the only tags are the ones this module writes itself
(`<b>` and `<a href>`). Messages longer than Telegram's limit are split at
paragraph, then line, sentence and word boundaries, never inside a tag or an
escape, and lengths are counted in UTF-16 code units as Telegram counts them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence
from urllib.parse import urlsplit

from bot.core.facts.content import SOURCE_KINDS
from bot.core.payload import is_topic_id, payload_topic, topic_payload

MAX_MESSAGE = 4096  # Telegram's limit for one message's text
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit for a button's callback_data
MAX_BUTTON_TEXT = 64  # longer labels are cut; Telegram shows little more anyway

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
_SPACE = re.compile(r"\s+")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (emoji outside the BMP count twice)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Text safe inside Telegram HTML: only `<`, `>` and `&` need escaping there."""
    return html.escape(text, quote=False)


def safe_url(url: Optional[str]) -> Optional[str]:
    """The URL if it may be a link (http or https with a host), else None."""
    if not isinstance(url, str) or not url or len(url) > 2048 or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def link(title: str, url: Optional[str]) -> str:
    href = safe_url(url)
    if href is None:
        return escape(title)
    return f'<a href="{html.escape(href, quote=True)}">{escape(title)}</a>'


def emphasise(text: str, phrase: Optional[str]) -> str:
    """Escaped `text` with every occurrence of `phrase` (e.g. the emergency number) in bold."""
    if not phrase or phrase not in text:
        return escape(text)
    return f"<b>{escape(phrase)}</b>".join(escape(part) for part in text.split(phrase))


# --- splitting --------------------------------------------------------------------------


def _pack(pieces: Sequence[str], joiner: str, fits) -> list[str]:
    """Greedily join consecutive pieces while the result still fits."""
    chunks: list[str] = []
    current: Optional[str] = None
    for piece in pieces:
        candidate = piece if current is None else current + joiner + piece
        if fits(candidate):
            current = candidate
        else:
            if current is not None:
                chunks.append(current)
            current = piece
    if current is not None:
        chunks.append(current)
    return chunks


def split_plain(text: str, budget: int, render=escape) -> list[str]:
    """Plain-text pieces whose rendering fits `budget`, cut at the most natural boundary.

    Tries lines, then sentences, then words, and only cuts a word when a
    single word is longer than the budget.
    """

    def fits(piece: str) -> bool:
        return utf16_len(render(piece)) <= budget

    if fits(text):
        return [text]
    splitters = (
        (lambda t: t.split("\n"), "\n"),
        (lambda t: _SENTENCE_END.split(t), " "),
        (lambda t: _SPACE.split(t), " "),
    )
    for split, joiner in splitters:
        pieces = [p for p in split(text) if p.strip()]
        if len(pieces) > 1:
            out: list[str] = []
            for chunk in _pack(pieces, joiner, fits):
                out.extend(split_plain(chunk, budget, render) if not fits(chunk) else [chunk])
            return out
    return _hard_split(text, fits)


def _hard_split(text: str, fits) -> list[str]:
    """Cut a single overlong word by code points (never inside a surrogate pair)."""
    out: list[str] = []
    start = 0
    while start < len(text):
        lo, hi = start + 1, len(text)
        while lo < hi:  # the longest prefix that fits
            mid = (lo + hi + 1) // 2
            if fits(text[start:mid]):
                lo = mid
            else:
                hi = mid - 1
        end = lo
        out.append(text[start:end])
        start = end
    return out


@dataclass(frozen=True)
class Block:
    """A piece of a message that is kept whole when possible; `sep` goes before it."""

    html: str
    sep: str = "\n\n"


def paragraphs(text: str, emphasis: Optional[str] = None, budget: int = MAX_MESSAGE) -> list[Block]:
    """The text's paragraphs as blocks; an overlong paragraph becomes several."""
    render = (lambda t: emphasise(t, emphasis)) if emphasis else escape
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        para = para.strip()
        if not para:
            continue
        for i, piece in enumerate(split_plain(para, budget, render)):
            blocks.append(Block(render(piece.strip()), "\n\n" if i == 0 else "\n"))
    return blocks


def source_blocks(sources: Iterable[Mapping]) -> list[Block]:
    """The reply's sources as a short list of links."""
    lines = []
    for source in sources:
        if not isinstance(source, Mapping) or not isinstance(source.get("title"), str):
            continue
        title = source["title"].strip()[:300]
        kind = SOURCE_KINDS.get(source.get("kind") or "")
        if title:
            lines.append(Block("• " + link(title, source.get("url")) + (f" ({escape(kind)})" if kind else ""), "\n"))
    if not lines:
        return []
    return [Block("<b>Sources</b>", "\n\n"), *lines]


def pack_blocks(blocks: Sequence[Block], limit: int = MAX_MESSAGE) -> list[str]:
    """Whole blocks packed into as few messages as fit the limit."""
    chunks: list[str] = []
    current = ""
    for block in blocks:
        candidate = block.html if not current else current + block.sep + block.html
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = block.html
    if current:
        chunks.append(current)
    return chunks


def render_message(
    text: str,
    sources: Iterable[Mapping] = (),
    emphasis: Optional[str] = None,
    extra_lines: Iterable[str] = (),
    limit: int = MAX_MESSAGE,
) -> list[str]:
    """One reply as Telegram HTML messages, each within the limit."""
    blocks = paragraphs(text, emphasis, limit)
    blocks += [Block(emphasise(line, emphasis), "\n\n") for line in extra_lines if line]
    blocks += source_blocks(sources)
    return pack_blocks(blocks, limit)


_TAG = re.compile(r"<[^>]*>")


def as_plain(html_text: str) -> str:
    """What an HTML message reads as, for a resend without parse mode."""
    return html.unescape(_TAG.sub("", html_text))


# --- buttons ----------------------------------------------------------------------------


class CallbackCodec:
    """Button payloads <-> Telegram callback_data (64 bytes at most).

    Topic buttons (the assistant's follow-ups) have a short form that needs
    no memory: `t:<topic id>`. Other short payloads travel as `p:<payload>`.
    A longer payload is replaced by `k:<hash>` and remembered here (the most
    recent ones only), so it can be turned back when its button is pressed.
    """

    def __init__(self, remember: int = 10_000) -> None:
        self._remember = remember
        self._long: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        topic = payload_topic(payload)
        if topic and len(topic) + 2 <= MAX_CALLBACK_DATA:
            return "t:" + topic
        data = "p:" + payload
        if len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            return data
        key = "k:" + base64.urlsafe_b64encode(hashlib.sha256(payload.encode("utf-8")).digest()[:15]).decode()
        self._long[key] = payload
        self._long.move_to_end(key)
        while len(self._long) > self._remember:
            self._long.popitem(last=False)
        return key

    def decode(self, data: str) -> Optional[str]:
        """The payload behind a pressed button, or None when it is unknown or forgotten."""
        if data.startswith("t:"):
            return topic_payload(data[2:]) if is_topic_id(data[2:]) else None
        if data.startswith("p:"):
            return data[2:]
        if data.startswith("k:"):
            return self._long.get(data)
        return None


@dataclass
class Keyboard:
    """Quick replies as an inline keyboard, one button a row (labels can be long)."""

    codec: CallbackCodec = field(default_factory=CallbackCodec)

    def markup(self, buttons: Iterable[Mapping]) -> Optional[dict]:
        rows = []
        for button in buttons or ():
            if not isinstance(button, Mapping):
                continue
            title = str(button.get("title") or "").strip()
            if not title:
                continue
            title = title if len(title) <= MAX_BUTTON_TEXT else title[: MAX_BUTTON_TEXT - 1] + "…"
            url = safe_url(button.get("url"))
            if url and button.get("type") == "web_url":
                rows.append([{"text": title, "url": url}])
            elif isinstance(button.get("payload"), str) and button["payload"]:
                rows.append([{"text": title, "callback_data": self.codec.encode(button["payload"])}])
        return {"inline_keyboard": rows} if rows else None
