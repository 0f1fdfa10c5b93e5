"""Reads knowledge/ (index.yaml, statuses/<id>.yaml and the optional word files) into a KnowledgeBase."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import (
    advice,
    concepts,
    consistency,
    contrast,
    lookalikes,
    out_of_scope,
    polarity,
    schema,
    small_talk,
    sources,
)
from bot.knowledge.cues import ContrastCues, PolarityCues, SmallTalk
from bot.knowledge.model import (
    Concept,
    KnowledgeBase,
    OutOfScopeTopic,
    Source,
    StatusEntry,
)
from bot.paths import data_dir

try:
    # libyaml's parser: several times faster than the pure-Python one, which matters for cold starts.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class KnowledgeError(Exception):
    """The knowledge base cannot be used; `problems` holds one line per problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the knowledge base:\n" + "\n".join(self.problems)
        )


class _StrictLoader(_SafeLoader):
    """Safe YAML that refuses a key given twice in one mapping, which PyYAML would otherwise let pass silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key_node.value!r} appears twice", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path, shown: str, status_id: str) -> tuple[object, str | None]:
    """The parsed content of one file, or None and the problem that prevented it."""

    def failed(message: str) -> tuple[object, str]:
        return None, schema.problem(shown, status_id, schema.WHOLE_FILE, message)

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return failed(f"not valid UTF-8 (byte {exc.start})")
    except OSError as exc:
        return failed(f"cannot be read ({exc.strerror or exc})")
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        detail = "; ".join(part for part in (exc.problem, exc.context) if part)
        return failed(f"YAML syntax error{where}: {detail or exc}")
    except yaml.YAMLError as exc:
        return failed(f"YAML syntax error: {exc}")
    if data is None:
        return failed("is empty")
    return data, None


def _examine(directory: Path) -> tuple[KnowledgeBase | None, list[str]]:
    # Paths in problems start at the knowledge folder itself ("knowledge/statuses/x.yaml"), wherever it lives.
    root = directory.name
    index_file = f"{root}/index.yaml"
    statuses_folder = f"{root}/statuses"
    if not directory.is_dir():
        return None, [schema.problem(root, schema.NO_ID, schema.WHOLE_FILE, f"no such folder: {directory}")]
    problems: list[str] = []

    index_ids: list[str] | None = None
    index_data, failure = _read_yaml(directory / "index.yaml", index_file, schema.NO_ID)
    if failure:
        problems.append(failure)
    else:
        index_ids, index_problems = schema.check_index(index_data, index_file)
        problems.extend(index_problems)

    files: dict[str, str] = {}
    paths: dict[str, Path] = {}
    statuses_dir = directory / "statuses"
    if not statuses_dir.is_dir():
        problems.append(schema.problem(statuses_folder, schema.NO_ID, schema.WHOLE_FILE, "no such folder"))
    else:
        for path in sorted(statuses_dir.iterdir()):
            shown = f"{statuses_folder}/{path.name}"
            if path.name.startswith("."):
                continue
            if path.suffix != ".yaml" or not path.is_file():
                problems.append(
                    schema.problem(shown, path.stem, schema.WHOLE_FILE, "unexpected; entries are files named <id>.yaml")
                )
                continue
            if not schema.ID_PATTERN.match(path.stem):
                problems.append(
                    schema.problem(
                        shown, path.stem, schema.WHOLE_FILE, "the name must be the status id (a-z, 0-9 and _)"
                    )
                )
            files[path.stem] = shown
            paths[path.stem] = path

    raw: dict[str, object] = {}
    entries: dict[str, StatusEntry] = {}
    for stem, shown in files.items():
        data, failure = _read_yaml(paths[stem], shown, stem)
        if failure:
            problems.append(failure)
            continue
        raw[stem] = data
        entry, entry_problems = schema.check_entry(data, shown, stem)
        problems.extend(entry_problems)
        if entry is not None:
            entries[stem] = entry

    if index_ids is not None:
        problems.extend(consistency.check_index_against_files(index_ids, index_file, files, statuses_folder))
    problems.extend(consistency.check_related(raw, files))
    problems.extend(consistency.check_unique_texts(raw, files))
    articles, source_problems = _sources(directory, root, raw, files)
    problems.extend(source_problems)
    entries = {stem: sources.with_sources(entry, raw[stem], articles) for stem, entry in entries.items()}
    for stem, entry in entries.items():
        problems.extend(advice.check_advice(entry, files[stem]))
    topics, topic_problems = _out_of_scope(directory, root, entries)
    problems.extend(topic_problems)
    groups, concept_problems = _concepts(directory, root)
    problems.extend(concept_problems)
    cues, polarity_problems = _polarity(directory, root, entries)
    problems.extend(polarity_problems)
    chat, small_talk_problems = _small_talk(directory, root)
    problems.extend(small_talk_problems)
    contrasts, contrast_problems = _contrast(directory, root)
    problems.extend(contrast_problems)
    alike, lookalike_problems = _lookalikes(directory, root, entries)
    problems.extend(lookalike_problems)
    if problems or index_ids is None:
        return None, problems
    ordered = {status_id: entries[status_id] for status_id in index_ids}
    return KnowledgeBase(
        ordered, topics, groups, cues, articles.values(), small_talk=chat, contrast=contrasts, lookalikes=alike
    ), []


def _sources(
    directory: Path, root: str, raw: dict[str, object], files: dict[str, str]
) -> tuple[dict[str, Source], list[str]]:
    """The help articles by id, and every problem with them or with the statuses' use of them (the file is
    required: every status names its sources)."""
    shown = f"{root}/{sources.FILE_NAME}"
    data, failure = _read_yaml(directory / sources.FILE_NAME, shown, schema.NO_ID)
    if failure:
        return {}, [failure]
    articles, problems = sources.check_sources(data, shown)
    if articles is None:
        return {}, problems
    return articles, sources.check_against_statuses(articles, shown, raw, files)


# What _optional gives for a file that is not there.
_ABSENT = object()


def _optional(directory: Path, root: str, file_name: str) -> tuple[object, str, list[str]]:
    """An optional knowledge file: its data (_ABSENT when there is no such file), the name problems show, and the
    problem when it cannot be read."""
    path = directory / file_name
    shown = f"{root}/{file_name}"
    if not path.exists():
        return _ABSENT, shown, []
    data, failure = _read_yaml(path, shown, schema.NO_ID)
    return (None, shown, [failure]) if failure else (data, shown, [])


def _out_of_scope(
    directory: Path, root: str, entries: dict[str, StatusEntry]
) -> tuple[tuple[OutOfScopeTopic, ...], list[str]]:
    """The topics the bot does not cover; the file is optional (without it every question is taken as in scope)."""
    data, shown, failed = _optional(directory, root, out_of_scope.FILE_NAME)
    if data is _ABSENT or failed:
        return (), failed
    topics, problems = out_of_scope.check_topics(data, shown)
    if topics is None:
        return (), problems
    return topics, out_of_scope.check_against_statuses(topics, shown, entries)


def _concepts(directory: Path, root: str) -> tuple[tuple[Concept, ...], list[str]]:
    """The shared-meaning word groups; the file is optional (without it words only meet their own forms)."""
    data, shown, failed = _optional(directory, root, concepts.FILE_NAME)
    if data is _ABSENT or failed:
        return (), failed
    groups, problems = concepts.check_concepts(data, shown)
    return (groups or ()), problems


def _polarity(
    directory: Path, root: str, entries: dict[str, StatusEntry]
) -> tuple[PolarityCues | None, list[str]]:
    """The cues for whether an invitation arrived; the file is optional (without it questions get no such lean)."""
    data, shown, failed = _optional(directory, root, polarity.FILE_NAME)
    if data is _ABSENT or failed:
        return None, failed
    cues, problems = polarity.check_polarity(data, shown)
    if cues is None:
        return None, problems
    return cues, polarity.check_against_statuses(cues, shown, entries)


def _small_talk(directory: Path, root: str) -> tuple[SmallTalk | None, list[str]]:
    """Greetings, thanks and the like; the file is optional (without it only an empty message gets the help)."""
    data, shown, failed = _optional(directory, root, small_talk.FILE_NAME)
    if data is _ABSENT or failed:
        return None, failed
    return small_talk.check_small_talk(data, shown)


def _lookalikes(
    directory: Path, root: str, entries: dict[str, StatusEntry]
) -> tuple[tuple[lookalikes.LookAlikeGroup, ...], list[str]]:
    """The facts that tell look-alike statuses apart; the file is optional (without it the words alone decide)."""
    data, shown, failed = _optional(directory, root, lookalikes.FILE_NAME)
    if data is _ABSENT or failed:
        return (), failed
    return lookalikes.check_lookalikes(data, shown, {entry.id for entry in entries.values()})


def _contrast(directory: Path, root: str) -> tuple[ContrastCues | None, list[str]]:
    """The cues for a status that is over; the file is optional (without it every clause counts)."""
    data, shown, failed = _optional(directory, root, contrast.FILE_NAME)
    if data is _ABSENT or failed:
        return None, failed
    return contrast.check_contrast(data, shown)


def validate_knowledge(directory: Path | None = None) -> list[str]:
    """Every problem in the knowledge base at `directory` (default: the bundled one); [] when it is sound."""
    return _examine(directory if directory is not None else data_dir("knowledge"))[1]


def load_knowledge(directory: Path | None = None) -> KnowledgeBase:
    """The knowledge base at `directory` (default: the bundled one), in the order of index.yaml.

    Raises KnowledgeError with every problem at once when anything is wrong.
    """
    knowledge, problems = _examine(directory if directory is not None else data_dir("knowledge"))
    if knowledge is None:
        raise KnowledgeError(problems)
    return knowledge
