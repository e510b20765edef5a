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

# Published numbers of public bodies and hotlines, known without a database (digits only).
PUBLIC_NUMBERS = frozenset(
    "".join(c for c in line.split("#", 1)[0] if c.isdigit())
    for line in (_HERE / "public_numbers.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
# Chains whose named branch (…店) says where a person works, or pins a home described from it.
CHAIN_STORES = _words("chain_stores.txt")
# One-character surnames of Chinese and Korean names written with a space (朴 俊浩).
CHINESE_KOREAN_SURNAMES = frozenset(
    "".join(
        line
        for line in (_HERE / "chinese_korean_surnames.txt").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ).split()
)
# Surnames that are also words for land and water: a name only where something marks a person.
TERRAIN_SURNAMES = _words("terrain_surnames.txt")
# Katakana words joined with ・ in notes without being a name (カメラオフ・チャット).
KATAKANA_WORDS = _words("katakana_words.txt")
# Role words after a surname that mark it as a person's name (平田医師, 須藤ワーカー).
ROLE_WORDS = _words("role_words.txt")

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
