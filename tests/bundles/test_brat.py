"""brat standoff → bundles: parsing, the mapping, the report, the API and the
command, on small articles written here (no corpus text)."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from app.bundles.brat import load as brat_load
from app.bundles.brat.build import convert_article
from app.bundles.brat.load import import_articles
from app.bundles.brat.metadata import ArticleMetadata, byline_names, find_metadata, read_metadata
from app.bundles.brat.reader import AnnFile, annotator_of, find_articles, parse_ann
from app.bundles.brat.report import BratReport
from app.bundles.format import check_bundle, parse_bundle
from app.identity import classify_speaker
from tests.factories import pointers, problem

TEXT = (
    "Officials said the plan was dead.\n"
    "“We will win,” he said, “whatever it takes.”\n"
    "The Daily Herald reported that sources said the mayor would resign.\n"
    "Ann Smith called the vote “a farce” in a statement.\n"
    "The budget, it is said, will pass.\n"
    "Nobody knows.\n"
)


def at(phrase: str, nth: int = 0, text: str = TEXT) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def t_line(tid: str, label: str, *fragments: tuple[int, int], text: str = TEXT) -> str:
    offsets = ";".join(f"{start} {end}" for start, end in fragments)
    covered = " ".join(text[start:end] for start, end in fragments)
    return f"{tid}\t{label} {offsets}\t{covered}"


ANN_A = "\n".join(
    [
        t_line("T1", "Source", at("Officials")),
        t_line("T2", "Cue", at("said")),
        t_line("T3", "Content", at("the plan was dead")),
        t_line("T4", "Attribution", at("said")),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "#1\tAnnotatorNotes T3\tsure about the scope?",
        t_line("T5", "Content", at("“We will win,”"), at("“whatever it takes.”")),
        t_line("T6", "Source", at("he")),
        t_line("T7", "Cue", at("said", 1)),
        t_line("T8", "Attribution", at("said", 1)),
        "E2\tAttribution:T8 Source:T6 Cue:T7 Content:T5",
        t_line("T9", "Source", at("The Daily Herald")),
        t_line("T10", "Cue", at("reported")),
        t_line("T11", "Content", at("sources said the mayor would resign")),
        t_line("T12", "Attribution", at("reported")),
        "E3\tAttribution:T12 Source:T9 Cue:T10 Content:T11",
        t_line("T13", "Source", at("sources")),
        t_line("T14", "Cue", at("said", 2)),
        t_line("T15", "Content", at("the mayor would resign")),
        t_line("T16", "Attribution", at("said", 2)),
        "E4\tAttribution:T16 Content:T15 Source:T13 Cue:T14",
        t_line("T17", "Source", at("Ann Smith")),
        t_line("T18", "Cue", at("called")),
        t_line("T19", "Content", at("the vote “a farce”")),
        t_line("T20", "Attribution", at("called")),
        "E5\tAttribution:T20 Source:T17 Cue:T18 Content:T19",
        t_line("T21", "Cue", at("it is said")),
        t_line("T22", "Content", at("The budget"), at("will pass.")),
        t_line("T23", "Attribution-no-source", at("it is said")),
        "E6\tAttribution-no-source:T23 Cue:T21 Content:T22",
        t_line("T24", "Discuss", at("Nobody knows.")),
    ]
)

# A second annotator: the same first attribution (so the same claim and
# speaker), a content running over a line break, and what is not imported.
CROSSING = (TEXT.index("dead."), TEXT.index("We") + 2)
ANN_B = "\n".join(
    [
        t_line("T1", "Source", at("Officials")),
        t_line("T2", "Cue", at("said")),
        t_line("T3", "Content", at("the plan was dead")),
        t_line("T4", "Attribution", at("said")),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        t_line("T5", "Content", CROSSING),  # "dead.\n“We": a continuation line follows
        "E2\tAttribution:T4 Content:T5 Source:T1",
        t_line("T6", "Attribution", at("called")),
        "E3\tAttribution:T6 ",  # no Content
        "E4\tAttribution:T4 Content:T99",  # T99 is nowhere
        f"T7\tContent {at('plan')[0]} {at('plan')[1]}\tplot",  # not the text's
        "E5\tAttribution:T4 Content:T7",
        t_line("T8", "Source", at("Ann Smith")),  # used by no E line
        t_line("T9", "Discard", at("Nobody")),
        "R1\tRelated Arg1:T8 Arg2:T9",
    ]
)


def anns() -> list[AnnFile]:
    return [
        parse_ann(ANN_A + "\n", name="story_a.ann", annotator="a"),
        parse_ann(ANN_B + "\n", name="story_b.ann", annotator="b"),
    ]


METADATA = ArticleMetadata(
    publisher="nyt",
    publication_date=date(2016, 3, 11),
    author="By JANE ROE and RICHARD MILES, USA TODAY",
    title="The plan is dead",
    wire="AP",
)


def convert() -> tuple[dict[str, Any], BratReport]:
    return convert_article("desk/story_1", TEXT, anns(), METADATA)


def by_ref(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["ref"]: record for record in records}


def expected_spans(*roles: tuple[str, list[tuple[int, int]]]) -> list[dict[str, Any]]:
    return [
        {"role": role, "start": start, "end": end, "text": TEXT[start:end]}
        for role, fragments in roles
        for start, end in fragments
    ]


# -- parsing -------------------------------------------------------------------------


def test_parsing_joins_continuation_lines_and_reads_every_fragment():
    parsed = parse_ann(ANN_B, name="story_b.ann", annotator="b")
    crossing = parsed.textbounds["T5"]
    assert crossing.text == "dead.\n“We"
    assert crossing.line == 6
    # The line after the continuation keeps its own physical number.
    assert [event.line for event in parsed.events] == [5, 8, 10, 11, 13]
    two = parse_ann(ANN_A, name="a.ann", annotator="a").textbounds["T5"]
    assert two.fragments == (at("“We will win,”"), at("“whatever it takes.”"))
    assert parsed.t_lines == 9
    assert parsed.e_lines == 5
    assert [issue.reason for issue in parsed.issues] == ["unsupported-annotation"]


def test_lines_that_are_not_brat_are_reported_with_their_number():
    parsed = parse_ann(
        "stray words\nT1\tContent 0 x\tOff\nE1\tAttribution T1\nT2\tSource 0 9\tOfficials\n",
        name="bad.ann",
        annotator="a",
    )
    assert [(i.line, i.id, i.kind, i.reason) for i in parsed.issues] == [
        (1, None, "other", "malformed-line"),
        (2, "T1", "T", "malformed-line"),
        (3, "E1", "E", "malformed-line"),
    ]
    assert list(parsed.textbounds) == ["T2"]


# -- the mapping ----------------------------------------------------------------------


def test_an_article_becomes_one_valid_bundle():
    bundle, _ = convert()
    check_bundle(parse_bundle(bundle))
    assert bundle["id"] == "brat:desk/story.1"
    (source,) = bundle["sources"]
    assert source["full_text"] == TEXT
    assert source["title"] == "The plan is dead"
    assert source["published"] == {
        "earliest": "2016-03-11",
        "latest": "2016-03-11",
        "precision": "day",
    }
    actors = by_ref(bundle["actors"])
    assert actors[source["publisher"]]["name"] == "The New York Times"
    assert [actors[ref]["name"] for ref in source["authors"]] == [
        "Jane Roe",
        "Richard Miles",
        "Associated Press",
    ]
    assert actors[source["authors"][2]]["kind"] == "media"


def test_every_e_line_is_an_attribution_with_every_fragment():
    bundle, _ = convert()
    attributions = by_ref(bundle["attributions"])
    claims = by_ref(bundle["claims"])
    actors = by_ref(bundle["actors"])

    first = attributions["a-E1"]
    assert first["mode"] == "paraphrase"
    assert first["cue"] == "said"
    assert first["certainty"] == "unknown"
    start, end = at("the plan was dead")
    assert first["span"] == {"start": start, "end": end, "text": "the plan was dead"}
    assert first["spans"] == expected_spans(
        ("content", [at("the plan was dead")]),
        ("cue", [at("said")]),
        ("speaker", [at("Officials")]),
    )
    assert "sure about the scope?" in first["note"]
    assert actors[first["speaker"]]["kind"] == "anonymous"
    # The second annotator's identical attribution: same claim, same speaker.
    assert attributions["b-E1"]["claim"] == first["claim"]
    assert attributions["b-E1"]["speaker"] == first["speaker"]

    quote = attributions["a-E2"]
    assert quote["mode"] == "direct_quote"
    assert "span" not in quote  # two stretches: no single span
    assert claims[quote["claim"]]["text"] == "“We will win,” “whatever it takes.”"
    # Nobody before "he" is a man: the pronoun stays unresolved, an actor of its own.
    he = actors[quote["speaker"]]
    assert (he["name"], he["kind"], he["scope"]) == ("he", "person", "document")
    assert "Unresolved pronoun" in he["description"]
    assert quote["speaker_resolution"]["method"] == "new"
    assert quote["speaker_resolution"]["mention"] == "he"

    assert attributions["a-E5"]["mode"] == "partial_quote"
    assert actors[attributions["a-E5"]["speaker"]]["kind"] == "person"
    assert actors[attributions["a-E3"]["speaker"]]["kind"] == "media"

    unnamed = attributions["a-E6"]
    assert actors[unnamed["speaker"]]["name"] == "unnamed source"
    assert claims[unnamed["claim"]]["text"] == "The budget will pass."
    assert unnamed["spans"] == expected_spans(
        ("content", [at("The budget"), at("will pass.")]), ("cue", [at("it is said")])
    )

    crossing = attributions["b-E2"]
    assert crossing["spans"][0]["text"] == "dead.\n“We"
    assert crossing["cue"] is None


def test_nested_reporting_is_a_relay_chain_of_the_inner_claim():
    bundle, report = convert()
    attributions = by_ref(bundle["attributions"])
    outer, inner = attributions["a-E3"], attributions["a-E4"]
    relay = attributions["a-E4-via-E3"]
    # The Planet passes on the sources' words: same claim, the Planet speaking.
    assert relay["claim"] == inner["claim"]
    assert relay["speaker"] == outer["speaker"]
    assert relay["relayed_through"] == "a-E4"
    assert relay["spans"] == expected_spans(
        ("content", [at("the mayor would resign")]),
        ("cue", [at("reported")]),
        ("speaker", [at("The Daily Herald")]),
    )
    # The annotated attributions themselves relay nothing.
    assert "relayed_through" not in inner
    assert "relayed_through" not in outer
    assert (report.nested, report.relays) == (1, 1)


def test_nesting_two_levels_deep_chains_every_hop():
    text = "Jones wrote that the Planet reported that aides said the mayor would resign."
    lines = []
    for number, (source, cue, content) in enumerate(
        [
            ("Jones", "wrote", "the Planet reported that aides said the mayor would resign"),
            ("the Planet", "reported", "aides said the mayor would resign"),
            ("aides", "said", "the mayor would resign"),
        ],
        start=1,
    ):
        base = 4 * (number - 1)
        lines += [
            t_line(f"T{base + 1}", "Source", at(source, text=text), text=text),
            t_line(f"T{base + 2}", "Cue", at(cue, text=text), text=text),
            t_line(f"T{base + 3}", "Content", at(content, text=text), text=text),
            t_line(f"T{base + 4}", "Attribution", at(cue, text=text), text=text),
            f"E{number}\tAttribution:T{base + 4} Source:T{base + 1} "
            f"Cue:T{base + 2} Content:T{base + 3}",
        ]
    ann = parse_ann("\n".join(lines), name="x.ann", annotator="x")
    bundle, report = convert_article("desk/nested", text, [ann], None)
    relays = {
        record["ref"]: record["relayed_through"]
        for record in bundle["attributions"]
        if "relayed_through" in record
    }
    assert relays == {
        "x-E2-via-E1": "x-E2",
        "x-E3-via-E2": "x-E3",
        "x-E3-via-E1": "x-E3-via-E2",
    }
    assert (report.nested, report.relays, report.attributions) == (2, 3, 3)
    check_bundle(parse_bundle(bundle))


def test_the_report_accounts_for_every_line():
    _, report = convert()
    assert (report.articles, report.annotation_files) == (1, 2)
    assert (report.t_lines, report.e_lines) == (24 + 9, 6 + 5)
    assert report.attributions == 6 + 2
    skipped = {(i.file, i.id, i.reason) for i in report.skipped}
    assert skipped == {
        ("story_a.ann", "T24", "discuss-span"),
        ("story_b.ann", "E3", "missing-content"),
        ("story_b.ann", "E4", "unknown-span-id"),
        ("story_b.ann", "T7", "text-mismatch"),
        ("story_b.ann", "E5", "invalid-span"),
        ("story_b.ann", "T6", "event-skipped"),
        ("story_b.ann", "T8", "unreferenced"),
        ("story_b.ann", "T9", "discard-span"),
        ("story_b.ann", "R1", "unsupported-annotation"),
    }
    mismatch = next(i for i in report.skipped if i.reason == "text-mismatch")
    assert mismatch.line == 12
    assert "'plan'" in mismatch.detail
    t_skipped = sum(1 for i in report.skipped if i.kind == "T")
    e_skipped = sum(1 for i in report.skipped if i.kind == "E")
    assert report.t_imported + t_skipped == report.t_lines
    assert report.attributions + e_skipped == report.e_lines
    assert (report.anonymous_speakers, report.unnamed_speakers, report.pronoun_speakers) == (
        5,
        1,
        1,
    )
    assert report.failures == []


def test_metadata_actors_are_global_records_the_resolver_shares():
    first, _ = convert()
    second, _ = convert_article("desk/story_2", TEXT, [], METADATA)
    shared = {a["ref"] for a in first["actors"]} & {a["ref"] for a in second["actors"]}
    assert len(shared) == 4  # publisher, two authors, the wire
    # Not fixed ids: the resolver finds the one stored by its name, so a byline
    # author quoted in another article is that actor too.
    for actor in by_ref(first["actors"]).values():
        if actor["ref"] in shared:
            assert actor.get("scope", "global") == "global"
    speakers = by_ref(first["actors"])
    assert speakers["unnamed-source"]["scope"] == "document"


@pytest.mark.parametrize(
    ("mention", "kind"),
    [
        ("He", "pronoun"),
        ("who", "pronoun"),
        ("officials familiar with the talks", "anonymous"),
        ("a source close to the campaign", "anonymous"),
        ("Spokeswoman Haley Morris", "person"),
        ("Bruce Haynes, a GOP strategist", "person"),
        ("O’Malley’s campaign", "organisation"),
        ("the FBI", "organisation"),
        ("PENCE", "person"),
        ("The New York Times", "media"),
        ("Republicans", "group"),
    ],
)
def test_speaker_mentions_are_classified_simply(mention, kind):
    assert classify_speaker(mention) == kind


def test_byline_names():
    assert byline_names("By JIM ROE,Ann Lee and Bo Li contributed research.") == ["Jim Roe"]
    assert byline_names("Kim Park, @kimpark, USA TODAY") == ["Kim Park"]
    assert byline_names("By THE ASSOCIATED PRESS") == []


# -- files ----------------------------------------------------------------------------


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_articles_are_found_in_both_layouts(tmp_path: Path):
    write(tmp_path / "train" / "text" / "story_1.txt", TEXT)
    write(tmp_path / "train" / "attributions" / "story_1_a.ann", ANN_A)
    write(tmp_path / "train" / "attributions" / "story_1_b.ann", ANN_B)
    write(tmp_path / "loose" / "note.txt", "not an article")
    write(tmp_path / "loose" / "story_2.txt", TEXT)
    write(tmp_path / "loose" / "story_2.ann", ANN_A)
    write(tmp_path / "loose" / "orphan_a.ann", ANN_A)
    articles, problems = find_articles(tmp_path)
    assert [(a.label, [p.name for p in a.annotations]) for a in articles] == [
        ("loose/story_2", ["story_2.ann"]),
        ("train/story_1", ["story_1_a.ann", "story_1_b.ann"]),
    ]
    assert [(Path(p.file).name, p.reason) for p in problems] == [("orphan_a.ann", "no-text")]
    assert annotator_of(articles[1].annotations[1], "story_1") == "b"
    assert annotator_of(articles[0].annotations[0], "story_2") == "brat"


def test_files_that_are_not_utf8_are_reported_with_the_line(tmp_path: Path):
    txt = write(tmp_path / "text" / "story.txt", TEXT)
    good = write(tmp_path / "attributions" / "story_a.ann", ANN_A)
    bad = write(tmp_path / "attributions" / "story_b.ann", b"T1\tSource 0 9\tOfficials\nT2\t\xff\n")
    bundle, report = brat_load.read_brat_article(txt, [good, bad], None)
    assert bundle is not None
    assert report.attributions == 6
    (failure,) = report.failures
    assert (failure.file, failure.line, failure.reason) == (str(bad), 2, "not-utf8")

    broken = write(tmp_path / "text" / "broken.txt", b"caf\xe9")
    nothing, report = brat_load.read_brat_article(broken, [], None)
    assert nothing is None
    assert report.failures[0].reason == "not-utf8"


def test_metadata_rows_are_read_with_missing_values(tmp_path: Path):
    tsv = write(
        tmp_path / "metadata.tsv",
        "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\twire\n"
        "train\tstory_1\tnyt\t2016-03-11\tNone\tA title\tNone\n"
        "dev\tstory_2\tNA\tnot a date\tJo Doe\tOther\tAP\n",
    )
    table = read_metadata(tsv)
    one = find_metadata(table, "train", "story_1")
    assert one is not None
    assert one.author is None
    assert one.publication_date is not None
    two = find_metadata(table, "elsewhere", "story_2")
    assert two is not None
    assert two.publisher is None
    assert two.publication_date is None


# -- loading ----------------------------------------------------------------------------


@pytest.fixture
def sessions(connection: AsyncConnection) -> async_sessionmaker[Any]:
    """Sessions inside the test's transaction; their commits are savepoints."""
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def api(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The test client (the route is mounted by app/main.py)."""
    return client


def request_body() -> dict[str, Any]:
    return {
        "name": "desk/story_1",
        "text": TEXT,
        "annotations": [{"annotator": "a", "ann": ANN_A}, {"annotator": "b", "ann": ANN_B}],
        "metadata": METADATA.model_dump(mode="json"),
    }


async def test_import_over_http_round_trips_every_span(api):
    response = await api.post("/v1/imports/brat", json=request_body())
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["report"]["attributions"] == 8
    ids = result["summary"]["ids"]
    bundle, _ = convert()
    for record in bundle["attributions"]:
        stored = (await api.get(f"/v1/attributions/{ids[record['ref']]}")).json()
        assert stored["spans"] == record["spans"], record["ref"]
        assert stored["mode"] == record["mode"]

    again = await api.post("/v1/imports/brat", json=request_body())
    assert again.status_code == 200, again.text
    assert again.json()["summary"]["ids"] == ids

    # The same files under another folder name: found by content, nothing new.
    moved = await api.post("/v1/imports/brat", json={**request_body(), "name": "copy/story_1"})
    assert moved.status_code == 200, moved.text
    summary = moved.json()["summary"]
    assert sum(summary["created"].values()) == 0
    assert summary["existing"]["attributions"] == len(bundle["attributions"])
    assert {ref: summary["ids"][ref] for ref in ids} == ids


async def test_a_changed_article_is_reported_never_skipped(api):
    assert (await api.post("/v1/imports/brat", json=request_body())).status_code == 201
    changed = {**request_body(), "text": TEXT + "Later, more.\n"}
    refused = await api.post("/v1/imports/brat", json=changed)
    assert refused.status_code == 422, refused.text
    assert "changed" in refused.json()["detail"]
    updated = await api.post("/v1/imports/brat", params={"on_changed": "update"}, json=changed)
    assert updated.status_code == 200, updated.text
    source_id = updated.json()["summary"]["ids"]["article"]
    assert (await api.get(f"/v1/sources/{source_id}")).json()["full_text"].endswith("more.\n")


async def test_a_nested_claim_reaches_the_article_through_the_outer_speaker(api):
    response = await api.post("/v1/imports/brat", json=request_body())
    ids = response.json()["summary"]["ids"]
    inner = (await api.get(f"/v1/attributions/{ids['a-E4']}")).json()
    provenance = (await api.get(f"/v1/claims/{inner['claim_id']}/provenance")).json()
    (chain,) = provenance["chains"]
    assert chain["start_attribution_id"] == ids["a-E4-via-E3"]
    assert [hop["speaker"]["name"] for hop in chain["hops"]] == ["The Daily Herald", "sources"]
    assert chain["origin"]["name"] == "sources"
    assert chain["on_record"] is False


async def test_unparseable_annotations_are_refused_with_their_pointer(api):
    body = request_body()
    body["annotations"][1]["ann"] = "T1\tContent zero nine\tOfficials\nE1\tAttribution T1\n"
    refused = problem(await api.post("/v1/imports/brat", json=body), 422, "invalid-field")
    assert pointers(refused) == {"/annotations/1/ann"}
    assert "line 1" in refused["detail"]
    assert "(and 1 more)" in refused["detail"]

    body = request_body()
    body["annotations"][1]["annotator"] = "a"
    refused = problem(await api.post("/v1/imports/brat", json=body), 422, "invalid-field")
    assert pointers(refused) == {"/annotations/1/annotator"}
    assert (await api.get("/v1/sources")).json()["items"] == []


async def test_each_article_is_its_own_transaction(sessions, tmp_path, monkeypatch):
    write(tmp_path / "c" / "text" / "good.txt", TEXT)
    write(tmp_path / "c" / "attributions" / "good_a.ann", ANN_A)
    write(tmp_path / "c" / "text" / "bad.txt", TEXT)
    write(tmp_path / "c" / "attributions" / "bad_a.ann", ANN_A)
    real = brat_load.read_brat_article

    def spoil(txt: Path, paths: Any, metadata: Any) -> Any:
        bundle, report = real(txt, paths, metadata)
        if txt.stem == "bad" and bundle is not None:
            # What the loader refuses although the converter checked it: a
            # span that is not the source text.
            span = bundle["attributions"][0]["span"]
            span["text"] = "x" * len(span["text"])
        return bundle, report

    monkeypatch.setattr(brat_load, "read_brat_article", spoil)
    articles, problems = find_articles(tmp_path)
    seen: list[str] = []
    result = await import_articles(
        sessions, articles, {}, problems=problems, progress=lambda a: seen.append(a.label)
    )
    report = result.report
    assert seen == ["c/bad", "c/good"]
    assert [(f.file, f.reason) for f in report.failures] == [("c/bad", "refused")]
    assert (report.articles, report.attributions, report.e_refused) == (1, 6, 6)
    assert report.t_imported + report.t_refused + 2 == report.t_lines  # 2 Discuss
    assert result.created["attributions"] == 7  # and the derived relay


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-c", "from app.entry import main; main()", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


@pytest.mark.slow  # the command, in a subprocess
def test_the_command_imports_a_folder_and_fails_on_a_bad_file(server_url_, tmp_path):
    from tests.conftest import scratch_database

    write(tmp_path / "train" / "text" / "story_1.txt", TEXT)
    write(tmp_path / "train" / "attributions" / "story_1_a.ann", ANN_A)
    write(
        tmp_path / "metadata.tsv",
        "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\twire\n"
        "train\tstory_1\tnyt\t2016-03-11\tJo Doe\tA title\tNone\n",
    )
    with scratch_database(server_url_, "brat_cli") as url:
        report = tmp_path / "report.json"
        done = run_cli(
            "import-brat", str(tmp_path / "train"), "--report", str(report), "--database-url", url
        )
        assert done.returncode == 0, done.stderr
        (discuss,) = json.loads(report.read_text())["skipped"]
        assert (discuss["file"], discuss["line"], discuss["id"]) == ("story_1_a.ann", 31, "T24")
        assert "articles: 1, annotation files: 1" in done.stdout
        assert "E lines: 6 (6 imported as attributions)" in done.stdout
        assert "T discuss-span: 1" in done.stdout

        write(tmp_path / "train" / "attributions" / "story_1_b.ann", b"T1\t\xff\n")
        failed = run_cli("import-brat", str(tmp_path), "--database-url", url)
        assert failed.returncode == 1, failed.stdout + failed.stderr
        assert "FAILED" in failed.stdout
        assert "not-utf8" in failed.stdout
        assert "Traceback" not in failed.stderr

        missing = run_cli("import-brat", str(tmp_path / "nowhere"), "--database-url", url)
        assert missing.returncode == 2
        assert "Traceback" not in missing.stderr
