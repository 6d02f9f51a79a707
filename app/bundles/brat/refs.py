"""Bundle refs made from file and annotator names: stable, so importing the
same article again yields the same ids, and distinct for distinct names."""

import re

from app.identity.names import digest

_REF_CHARS = re.compile(r"[^A-Za-z0-9./:-]")


def ref_part(value: str, *, limit: int = 120) -> str:
    """``value`` as part of a bundle ref (``[A-Za-z0-9._:/-]``, app.bundles.format.Ref).

    ``_`` becomes ``.`` (PolNeAR file names are ``publisher_date_slug``);
    other characters become ``-``. When that could make two names alike (the
    name holds a ``.`` or another character was replaced) or the name is
    long, a digest of the original keeps refs, hence ids, distinct."""
    safe = _REF_CHARS.sub(lambda m: "." if m.group() == "_" else "-", value)
    lossy = "." in value or safe != value.replace("_", ".") or not value
    if lossy or len(safe) > limit:
        safe = f"{safe[:limit].strip('.-:/')}.{digest(value)}"
    return safe if safe[:1].isalnum() else f"x{safe}"


def bundle_id(name: str) -> str:
    """The bundle id of an article: ``brat:<compartment>/<file name>`` made a ref."""
    return "brat:" + "/".join(ref_part(part) for part in name.split("/") if part)
