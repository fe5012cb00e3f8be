"""Chinese full-text search over requests: jieba segments the text into words, stored space-separated
in `search_tokens` (title and body, for readers of the full text) and `public_search_tokens` (the
public text only, for everyone else)."""
from __future__ import annotations

import re

import jieba

_WORD = re.compile(r"\w", re.UNICODE)


def tokenize(text: str) -> str:
    """Words of a text for the index, lower-cased, de-duplicated in order of appearance. Search mode
    (cut_for_search) also emits the short words inside long ones: 青年创业园 → 青年 创业 青年创业园."""
    seen, words = set(), []
    for word in jieba.cut_for_search(text or ""):
        word = word.strip().lower()
        if word and _WORD.search(word) and word not in seen:
            seen.add(word)
            words.append(word)
    return " ".join(words)


def index_fields(appeal) -> None:
    """Fill the two token columns from the appeal's texts (the caller saves)."""
    appeal.search_tokens = tokenize(f"{appeal.title} {appeal.body}")
    appeal.public_search_tokens = tokenize(f"{appeal.public_title} {appeal.public_body}") if appeal.is_public else ""
