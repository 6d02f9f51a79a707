"""Speaker identity: which actor a speaker mention is.

An importer hands over a mention as written ("Clinton aides", "he", "The New
York Times"); this package says what kind of speaker it names and which actor
record stands for it, so that every importer decides the same way. Today that
is one actor per distinct mention in an article (pronouns left unresolved)
plus actors shared by every article (publishers, wires, authors).
"""

from app.identity.mentions import SpeakerClass, classify_speaker
from app.identity.shared import author_actor, publisher_actor, wire_actor
from app.identity.speakers import ArticleSpeakers

__all__ = [
    "ArticleSpeakers",
    "SpeakerClass",
    "author_actor",
    "classify_speaker",
    "publisher_actor",
    "wire_actor",
]
