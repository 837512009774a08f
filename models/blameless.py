"""Blaming language: phrases that point at people instead of describing systems.

Blameless postmortem guides (Google's SRE book, ch. 15 "Postmortem Culture";
Etsy's "Blameless PostMortems and a Just Culture"; PagerDuty's postmortem
guide) ask writers to describe what the system and its context made likely,
because blame makes people hide what they know, and the next incident then
finds the same gap. Each phrase here comes with the reason such guides give.

Two kinds of finding:

* a listed phrase ("human error", "should have", "careless", "failed to", ...);
* a person's name as the subject of a failure ("Tom forgot to ...", "Priya
  didn't check"): the people are those the postmortem itself names (authors,
  action item owners, and timeline actors whose names have two words, so
  Alertmanager and deploy-bot stay systems).

A team extends both lists in a TOML file (``language.toml`` in the user config
directory, or ``postmortem check --words FILE``)::

    allow = ["failed to renew"]          # phrases that are fine as written

    [[blame]]
    phrase = "dropped the ball"
    why = "an idiom for a person's failure: say what let the step be missed"

A finding inside an allowed phrase is dropped. The defaults allow "failed to"
where a system is clearly the subject's verb object ("failed to connect",
"failed to resolve", ...), so timelines of machines stay clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import PostmortemError

FILE_NAME = "language.toml"


@dataclass(frozen=True)
class Phrase:
    pattern: str  # a regular expression, matched case-blind on word boundaries
    label: str  # how the finding names it
    why: str


DEFAULT_PHRASES: tuple[Phrase, ...] = (
    Phrase(
        r"human[\s-]+errors?",
        "human error",
        "'human error' ends the inquiry where it should start: ask what made the error "
        "easy to make and hard to catch",
    ),
    Phrase(
        r"(?:should|could|would)(?:\s+not|n't)?(?:\s+have|'ve)",
        "should have",
        "hindsight: after the fact the right action looks obvious; describe what people "
        "knew and saw at the time, and what the system made likely",
    ),
    Phrase(
        r"careless(?:ly|ness)?",
        "careless",
        "judges a person instead of describing the conditions (load, alerts, tooling) "
        "that made the slip possible",
    ),
    Phrase(
        r"fail(?:ed|s)?\s+to",
        "failed to",
        "frames an action as a personal failure; say what happened instead, and what "
        "would have prompted the expected step",
    ),
    Phrase(
        r"neglig(?:ent|ence|ently)",
        "negligence",
        "a legal and moral judgement of a person; blameless reviews look for the "
        "systemic gaps behind an action",
    ),
    Phrase(
        r"(?:sloppy|lazy|incompetent|stupid|dumb|reckless(?:ly)?)",
        "judging words",
        "judges a person; describe the action and its context instead",
    ),
    Phrase(
        r"(?:to\s+)?blame[sd]?|at\s+fault|(?:his|her|their)\s+fault|fault\s+of",
        "blame",
        "assigning fault makes people guard what they know; look for what let it happen",
    ),
    Phrase(
        r"forgot\s+to|didn't\s+bother|did\s+not\s+bother",
        "forgot to",
        "points at a memory lapse: ask why the step depended on someone remembering it",
    ),
    Phrase(
        r"(?:obviously|simply|just)\s+(?:should|needed|had)\s+to",
        "obviously",
        "hindsight dressed as common sense; it was not obvious at the time",
    ),
)
SYSTEM_VERBS = (
    "connect",
    "resolve",
    "start",
    "respond",
    "load",
    "parse",
    "renew",
    "deploy",
    "acquire",
    "allocate",
    "bind",
    "open",
    "read",
    "write",
    "reach",
    "fetch",
    "schedule",
    "complete",
    "fire",
    "sync",
    "replicate",
    "authenticate",
    "scale",
)
DEFAULT_ALLOW: tuple[str, ...] = (
    *(f"failed to {verb}" for verb in SYSTEM_VERBS),
    *(f"fails to {verb}" for verb in SYSTEM_VERBS),
    "error budget",
)

FAILURE_VERBS = (
    r"(?:failed|forgot|neglected|missed|ignored|overlooked|broke|caused|messed\s+up|"
    r"screwed\s+up|didn't|did\s+not|never)"
)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    label: str
    why: str


@dataclass(frozen=True)
class Language:
    """The phrases to flag and the allow-list, defaults plus a team's file."""

    phrases: tuple[Phrase, ...] = DEFAULT_PHRASES
    allow: tuple[str, ...] = DEFAULT_ALLOW
    source: str = "built in"
    _compiled: list[tuple[re.Pattern[str], Phrase]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        for p in self.phrases:
            self._compiled.append((re.compile(rf"(?<!\w)(?:{p.pattern})(?!\w)", re.I), p))

    def scan(self, text: str, people: Iterable[str] = ()) -> list[Hit]:
        """Blaming phrases in ``text`` (character offsets), allowed ones left out,
        in order of position."""
        hits: list[Hit] = []
        for regex, phrase in self._compiled:
            hits += [
                Hit(m.start(), m.end(), phrase.label, phrase.why) for m in regex.finditer(text)
            ]
        names = sorted({n for n in people if n.strip()}, key=len, reverse=True)
        if names:
            alternatives = "|".join(re.escape(n) for n in names)
            subject = re.compile(rf"(?<!\w)({alternatives})(?:'s)?\s+{FAILURE_VERBS}(?!\w)")
            for m in subject.finditer(text):
                hits.append(
                    Hit(
                        m.start(),
                        m.end(),
                        f"{m.group(1)} as the subject of a failure",
                        "names a person as the cause; write what the system, the process or "
                        "the tooling did, and keep names for who did what in the timeline",
                    )
                )
        allowed = [
            (m.start(), m.end())
            for phrase in self.allow
            for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.I)
        ]
        kept = [h for h in hits if not any(a <= h.start and h.end <= b for a, b in allowed)]
        kept.sort(key=lambda h: (h.start, h.end))
        # One finding per stretch of text: "failed to" inside "Tom failed to" is the same slip.
        out: list[Hit] = []
        for h in kept:
            if out and h.start < out[-1].end:
                continue
            out.append(h)
        return out


def people_of(authors: Iterable[str], owners: Iterable[str], actors: Iterable[str]) -> set[str]:
    """The people a postmortem names: authors, owners, and two-word actors; each
    with their first name too ("Tom Okafor" and "Tom")."""
    names = {n.strip() for n in (*authors, *owners) if n.strip()}
    names |= {a.strip() for a in actors if len(a.split()) >= 2}
    firsts = {n.split()[0] for n in names if len(n.split()) >= 2 and len(n.split()[0]) >= 3}
    return names | firsts


def default_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path("postmortem") / FILE_NAME


def load_language(path: Path | None = None, *, required: bool = False) -> Language:
    """The defaults, extended by ``path`` (else the per-user file, when it exists).

    Raises PostmortemError, one line naming the file, for a file that can't be read
    or doesn't follow the format in the module doc; a missing ``path`` only when
    ``required``."""
    import tomllib

    from models.usertext import shown

    target = path or default_file()
    if not target.exists():
        if required:
            raise PostmortemError(f"{target}: no such file")
        return Language()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PostmortemError(
            f"{target}: cannot read ({getattr(exc, 'strerror', None) or exc})"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise PostmortemError(f"{target}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"allow", "blame"}
    if unknown:
        raise PostmortemError(
            f"{target}: unknown key {shown(sorted(unknown)[0])}; use allow or [[blame]]"
        )
    allow = data.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
        raise PostmortemError(f"{target}: allow must be a list of phrases")
    extra: list[Phrase] = []
    blame = data.get("blame", [])
    if not isinstance(blame, list):
        raise PostmortemError(f"{target}: blame must be [[blame]] tables with a phrase")
    for n, entry in enumerate(blame, 1):
        phrase = entry.get("phrase") if isinstance(entry, dict) else None
        why = entry.get("why", "") if isinstance(entry, dict) else ""
        if not isinstance(phrase, str) or not phrase.strip() or not isinstance(why, str):
            raise PostmortemError(
                f'{target}: blame entry {n} needs phrase = "..." (and why = "...")'
            )
        words = [re.escape(w) for w in phrase.split()]
        extra.append(
            Phrase(
                r"\s+".join(words),
                " ".join(phrase.split()),
                why.strip() or "listed as blaming language by your team",
            )
        )
    return Language(
        DEFAULT_PHRASES + tuple(extra),
        DEFAULT_ALLOW + tuple(" ".join(a.split()) for a in allow),
        str(target),
    )
