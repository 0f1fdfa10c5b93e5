"""How people write a status label when they paste or retype it: for tests and the matcher benchmark."""

from __future__ import annotations

from collections.abc import Iterator

from bot.knowledge.model import KnowledgeBase

DASHES = ("-", "‐", "‑", "‒", "–", "—", "―", "−", "﹘", "﹣", "－")
_SENTENCES = {
    "sv": ('Vad betyder "{}"?', "Statusen är {} på flera inbjudningar", "varför står det {} hos oss", "«{}»"),
    "en": ('What does "{}" mean?', "Several invitations show {} today", "why do we get {} here", "“{}”"),
}


def label_parts(label: str) -> tuple[str, str]:
    """("Ej levererad", "SPF-fel") for "Ej levererad – SPF-fel"; (label, "") when it has no detail."""
    state, dash, detail = label.replace("–", "-").partition(" - ")
    return (state, detail) if dash else (label, "")


def typo_variants(text: str) -> Iterator[str]:
    """One typo each, at a few spread-out letters: a letter dropped, doubled, swapped or replaced."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 3:
        return
    for n, i in enumerate(letters[1 :: max(len(letters) // 4, 1)]):
        kind = n % 4
        if kind == 0:
            yield text[:i] + text[i + 1 :]
        elif kind == 1:
            yield text[:i] + text[i] + text[i:]
        elif kind == 2 and i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1] != text[i]:
            yield text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        else:
            yield text[:i] + ("e" if text[i] != "e" else "a") + text[i + 1 :]


def label_variants(kb: KnowledgeBase, typos: bool = True) -> Iterator[tuple[str, str, str]]:
    """(text, status id, kind) for every label in both languages: case, dashes, spaces, parts, typos."""
    for entry in kb:
        for language in ("sv", "en"):
            label = entry.label.get(language)
            state, detail = label_parts(label)
            yield label, entry.id, f"label_{language}"
            yield label.lower(), entry.id, "case"
            yield label.upper(), entry.id, "case"
            yield f"  {label}\t", entry.id, "spaces"
            yield label.replace(" ", "\u00a0"), entry.id, "spaces"
            yield label.replace(" ", "  "), entry.id, "spaces"
            yield f"*{label}*", entry.id, "markup"
            yield f"<https://example.com/status|{label}>", entry.id, "markup"
            if detail:
                for dash in DASHES:
                    yield f"{state} {dash} {detail}", entry.id, "dash"
                yield f"{state}: {detail}", entry.id, "dash"
                yield f"{state}-{detail}", entry.id, "dash"
            for sentence in _SENTENCES[language]:
                yield sentence.format(label), entry.id, "sentence"
            yield entry.id, entry.id, "code"
            yield entry.id.replace("_", " "), entry.id, "code"
            yield entry.id.upper(), entry.id, "code"
            if typos:
                for variant in typo_variants(label):
                    yield variant, entry.id, "typo"
