"""Speaker identity: which actor a speaker mention is (issue 14).

Every way data comes in goes through here, so that every importer decides
the same way:

- ``names``, ``mentions``, ``genders``: a mention's words (the name in it,
  the kind of speaker, a gender an honorific or a first name gives);
- ``document``: within one document, mentions grouped into entities (name
  variants, pronouns, descriptions, "the same sources"), in memory, with
  ``registry`` (the entities by key), ``people`` and ``subjects`` (who the
  text names, and where), ``salience`` (whom it is mostly about) and
  ``cataphora`` (speakers named after what refers to them, the writer's "I");
- ``records``: those entities as bundle actor records, and each mention's
  resolution (brat import, extraction);
- ``keys``, ``matching``: across documents, a global entity matched to a
  stored actor by its normalised names (``actor_keys``), precision first;
- ``speaker``: a speaker given by name through the API;
- ``duplicates``: the pairs a curator should look at.

The curation API that fixes what the resolver could not (merge, unmerge,
split, distinct, the queue) is ``app.curation``.
"""

from app.identity.mentions import SpeakerClass, classify_speaker
from app.identity.shared import author_actor, publisher_actor, wire_actor

__all__ = [
    "SpeakerClass",
    "author_actor",
    "classify_speaker",
    "publisher_actor",
    "wire_actor",
]
