"""Small word lists of the personal-data guard (portal.core.pii), one word a line in the .txt
files beside this module, and the hosts whose pages are a person's own."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _words(name: str) -> frozenset[str]:
    lines = (_HERE / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# Said with さん／くん／ちゃん／様 but a role or a relation, not a person's name.
NOT_NAMES_BEFORE_HONORIFIC = _words("not_names_before_honorific.txt")
# Latin words that start with a capital in Japanese text without being a name.
NOT_LATIN_NAMES = _words("not_latin_names.txt")
# School-name prefixes that say the type or the time, not which school.
NOT_SCHOOL_NAMES = _words("not_school_names.txt")

# Hosts whose pages are a person's own (a blog, a profile): a URL on them identifies its owner.
PERSONAL_HOSTS = (
    "ameblo.jp",
    "ameba.jp",
    "note.com",
    "note.mu",
    "hatenablog.com",
    "hatenablog.jp",
    "hatena.ne.jp",
    "fc2.com",
    "livedoor.blog",
    "livedoor.jp",
    "seesaa.net",
    "x.com",
    "twitter.com",
    "instagram.com",
    "facebook.com",
    "tiktok.com",
    "youtube.com",
    "threads.net",
    "mixi.jp",
    "pixiv.net",
    "github.com",
    "tumblr.com",
    "blogspot.com",
    "wordpress.com",
    "lit.link",
    "linktr.ee",
    "line.me",
    "bsky.app",
)
