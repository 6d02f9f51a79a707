"""brat standoff annotations (``.ann``) → bundles: one bundle per annotated article.

brat (https://brat.nlplab.org/standoff.html) keeps an article's text in a
``.txt`` file and its annotations beside it, one per line::

    T1<TAB>Source 201 220<TAB>O’Malley’s campaign
    T3<TAB>Content 226 297;310 330<TAB>covered text, fragments joined by a space
    E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1
    #1<TAB>AnnotatorNotes T3<TAB>a note

Offsets are code points into the ``.txt`` (end exclusive), as OnRecord counts
them. A physical line that does not start with an id continues the covered
text of the line before (the text may hold newlines). Newsroom corpora such
as PolNeAR label ``T`` spans Source, Cue, Content, Attribution (the anchor
of an ``E`` relation), Attribution-no-source, Discuss and Discard.

The mapping (also in docs/design.md, "Importing brat standoff"):

- the article is one source (``kind: article``, its ``.txt`` as ``full_text``,
  title, day of publication, publisher and authors from the metadata);
- every ``E`` line is one attribution, ref ``<annotator>-E<n>``: its speaker
  is the actor of its Source mention (or the article's "unnamed source" for
  Attribution-no-source), its claim the Content (every ``Content``,
  ``Content2``... fragment, in text order, joined by a space), ``cue`` the
  Cue text, ``mode`` ``direct_quote`` when the content is wrapped in
  quotation marks, ``partial_quote`` when it holds quoted words, else
  ``paraphrase``; ``certainty`` ``unknown`` (brat does not say); ``span`` the
  content when it is one stretch, ``spans`` every fragment of the content,
  the cue and the speaker mention;
- nested reporting (an attribution whose Attribution anchor, or Cue, lies
  inside another's Content, same annotator: "the Post reports that sources
  said X") becomes a relay chain (build.py);
- anything not imported (Discuss/Discard spans, E lines without Content,
  unknown ids, spans whose text is not the ``.txt``'s, files that are not
  UTF-8...) is in the :class:`BratReport` with file, line, id and reason.

The modules, in the order an import runs: ``reader`` (the files, parsed),
``metadata`` (metadata.tsv, bylines), ``classify`` (which lines become
attributions, and what each mention is for), ``build`` (the bundle), ``load``
(the database, in batches); ``report`` and ``refs`` serve them all. Speakers
are resolved to actors by :mod:`app.identity`.
"""

from app.bundles.brat.build import convert_article
from app.bundles.brat.load import ImportResult, import_articles, import_directory, read_brat_article
from app.bundles.brat.metadata import ArticleMetadata, byline_names, find_metadata, read_metadata
from app.bundles.brat.reader import AnnFile, ArticleFiles, annotator_of, find_articles, parse_ann
from app.bundles.brat.refs import bundle_id, ref_part
from app.bundles.brat.report import BratReport, Issue

__all__ = [
    "AnnFile",
    "ArticleFiles",
    "ArticleMetadata",
    "BratReport",
    "ImportResult",
    "Issue",
    "annotator_of",
    "bundle_id",
    "byline_names",
    "convert_article",
    "find_articles",
    "find_metadata",
    "import_articles",
    "import_directory",
    "parse_ann",
    "read_brat_article",
    "read_metadata",
    "ref_part",
]
