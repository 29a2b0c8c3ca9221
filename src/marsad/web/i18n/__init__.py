"""The interface language of the pages: message catalogues (ar, en, fr), negotiation, plurals.

The language is, in order: `?lang=` (remembered in a cookie), the cookie, the browser's
Accept-Language (by its q-values, among the languages we have), else English. Messages are ours,
trusted: `Interface.t` returns markup in which every value is escaped unless it is markup itself
(a `<bdi>` the template built around an outlet's name), so article text never becomes HTML.
Plurals follow the CLDR rules of each language (Arabic has six forms).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from marsad.web.i18n import ar, en, fr

Message = str | Mapping[str, str]

CATALOGUES: dict[str, Mapping[str, Message]] = {"ar": ar.MESSAGES, "en": en.MESSAGES, "fr": fr.MESSAGES}
NAMES = {"ar": "العربية", "en": "English", "fr": "Français"}
DEFAULT = "en"
COOKIE = "marsad_lang"
RTL = frozenset({"ar"})


def _plural_en(n: int) -> str:
    return "one" if n == 1 else "other"


def _plural_fr(n: int) -> str:
    return "one" if n in (0, 1) else "other"


def _plural_ar(n: int) -> str:
    if n == 0:
        return "zero"
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


PLURAL: dict[str, Callable[[int], str]] = {"ar": _plural_ar, "en": _plural_en, "fr": _plural_fr}


def supported(code: str | None) -> str | None:
    """`code` ("ar", "ar-EG", "FR_ca") as one of our languages, else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in CATALOGUES else None


def from_accept_language(header: str | None) -> str | None:
    """The language of ours the browser ranks highest (ties: the order it lists them), else None."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        lang = supported(tag)
        if lang is None:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or (q, -position) > (best[0], best[1])):
            best = (q, -position, lang)
    return best[2] if best else None


@dataclass(slots=True, frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    current: bool


@dataclass(slots=True, frozen=True)
class Interface:
    """The reader's interface language; `chosen` when it came from `?lang=` (to be remembered)."""

    lang: str
    chosen: bool = False

    @property
    def dir(self) -> str:
        return "rtl" if self.lang in RTL else "ltr"

    def _message(self, key: str) -> Message:
        found = CATALOGUES[self.lang].get(key)
        if found is None:
            found = CATALOGUES[DEFAULT][key]  # a KeyError here is a missing message: a bug
        return found

    def has(self, key: str) -> bool:
        return key in CATALOGUES[DEFAULT]

    def country(self, code: str) -> str:
        """A registry country code ("SA") as this language names the country; an unknown code as is."""
        key = f"country.{code}"
        return str(self.t(key)) if self.has(key) else code

    def t(self, key: str, **values: Any) -> Markup:
        """The message `key` with `values` put in (escaped unless they are markup)."""
        message = self._message(key)
        if not isinstance(message, str):
            raise KeyError(f"message {key!r} has plural forms: use tn()")
        return Markup(message).format(**values)

    def tn(self, key: str, n: int, **values: Any) -> Markup:
        """The plural message `key` in the form `n` takes in this language, `{n}` filled in."""
        message = self._message(key)
        if isinstance(message, str):
            return Markup(message).format(n=n, **values)
        form = PLURAL[self.lang](n)
        text = message.get(form) or message["other"]
        return Markup(text).format(n=n, **values)

    def plural_forms(self, key: str) -> dict[str, str]:
        """The plural forms of message `key` ("one", "other", ...), for scripts that count in the page."""
        message = self._message(key)
        return {"other": message} if isinstance(message, str) else dict(message)

    def links(self, path: str, query: Mapping[str, str]) -> list[LanguageLink]:
        """The language switcher: this page in each interface language."""
        from urllib.parse import urlencode

        out = []
        for code, name in NAMES.items():
            params = {k: v for k, v in query.items() if k != "lang"}
            params["lang"] = code
            out.append(LanguageLink(code, name, f"{path}?{urlencode(params)}", code == self.lang))
        return out


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> Interface:
    """The interface language of one request (see the module docstring)."""
    chosen = supported(query)
    if chosen:
        return Interface(chosen, chosen=True)
    return Interface(supported(cookie) or from_accept_language(accept_language) or DEFAULT)
