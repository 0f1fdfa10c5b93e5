"""The rules for knowledge/small_talk.yaml: greetings, thanks and the like, which get a friendly word, not a status."""

from __future__ import annotations

from bot.knowledge.cues import SmallTalk, SmallTalkAct
from bot.knowledge.fields import LANGUAGES, NO_ID, WHOLE_FILE, check_named_list, localized_list, problem
from bot.knowledge.model import LocalizedList

FILE_NAME = "small_talk.yaml"
FIELDS = ("acts", "fillers")
ACT_FIELDS = ("id", "phrases")
# The kinds of small talk the bot has a reply for; the file lists each once.
ACTS = (
    "resolved",
    "thanks",
    "apology",
    "acknowledgement",
    "farewell",
    "greeting",
    "wellbeing",
    "about_bot",
    "question_coming",
)
PHRASES: tuple[int, int | None] = (3, None)
FILLERS: tuple[int, int | None] = (1, None)
MAX_PHRASE_WORDS = 6


def check_small_talk(data: object, file: str) -> tuple[SmallTalk | None, list[str]]:
    """The parsed file: the small talk when everything is valid, and every problem found."""
    if not isinstance(data, dict):
        return None, [problem(file, NO_ID, WHOLE_FILE, "must be a mapping with the keys acts and fillers")]
    allowed = ", ".join(FIELDS)
    problems = [problem(file, NO_ID, str(k), f"unknown field (allowed: {allowed})") for k in data if k not in FIELDS]
    problems.extend(problem(file, NO_ID, key, "missing") for key in FIELDS if key not in data)
    acts: list[SmallTalkAct] = []
    if "acts" in data:
        acts, found = check_named_list({"acts": data["acts"]}, file, "acts", "act", _check_act)
        problems.extend(found)
        listed = {act.id for act in acts}
        problems.extend(problem(file, act, "id", "missing: every kind of small talk needs its phrases")
                        for act in ACTS if act not in listed and not found)
    fillers = None
    if "fillers" in data:
        fillers, found = localized_list(file, NO_ID, "fillers", data["fillers"], FILLERS)
        problems.extend(found)
        if fillers is not None:
            problems.extend(
                problem(file, NO_ID, f"fillers.{language}", f"{word!r} must be a single word")
                for language in LANGUAGES
                for word in fillers.get(language)
                if len(word.split()) != 1
            )
    if problems or fillers is None:
        return None, problems
    order = {act: number for number, act in enumerate(ACTS)}
    return SmallTalk(acts=tuple(sorted(acts, key=lambda act: order[act.id])), fillers=fillers), []


def _check_act(item: object, file: str, number: int) -> tuple[SmallTalkAct | None, list[str]]:
    if not isinstance(item, dict):
        return None, [problem(file, f"act {number}", WHOLE_FILE, "must be a mapping with id and phrases")]
    act_id = item.get("id")
    owner = act_id if isinstance(act_id, str) and act_id else f"act {number}"
    problems = [
        problem(file, owner, str(key), f"unknown field (allowed: {', '.join(ACT_FIELDS)})")
        for key in item
        if key not in ACT_FIELDS
    ]
    problems.extend(problem(file, owner, key, "missing") for key in ACT_FIELDS if key not in item)
    if "id" in item and act_id not in ACTS:
        problems.append(problem(file, owner, "id", f"{act_id!r} is not one of {', '.join(ACTS)}"))
    phrases: LocalizedList | None = None
    if "phrases" in item:
        phrases, found = localized_list(file, owner, "phrases", item["phrases"], PHRASES)
        problems.extend(found)
        if phrases is not None:
            problems.extend(
                problem(file, owner, f"phrases.{language}", f"{phrase!r} has more than {MAX_PHRASE_WORDS} words")
                for language in LANGUAGES
                for phrase in phrases.get(language)
                if len(phrase.split()) > MAX_PHRASE_WORDS
            )
    if problems or phrases is None:
        return None, problems
    return SmallTalkAct(id=owner, phrases=phrases), []
