"""One configuration for a run: every setting a method or the pipeline takes, in one frozen object.

The entry points build it (from defaults, a TOML file, and command-line flags) and pass it down;
no library function reads the environment. Each section is a frozen dataclass, so a setting is
typed, validated once and part of the run's fingerprint: a stage runs again when a section it
declares changed (see :mod:`analysis.pipeline`).

A configuration file holds any subset of the sections, for example::

    [reuse]
    max_gap = 20

    [spin]
    calibration_articles = 60

    [run]
    document_seconds = 120
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from analysis.text import AnalysisError


class ConfigError(AnalysisError):
    """A configuration file or flag that cannot be used; names the file and the setting."""


@dataclass(frozen=True)
class ReuseConfig:
    """Alignment of shared passages (see :class:`analysis.reuse.Params`) and when to index.

    ``index_above``: above this many articles, candidate pairs come from the n-gram index
    instead of all pairs; ``exact_index`` makes the index find every pair all-pairs would.
    ``boilerplate_articles``: a shingle recurring in this many articles of one outlet is that
    outlet's boilerplate; ``min_narrative_words``: aligned words of copied narrative (not
    quotation, not boilerplate) a pair needs to count as copying, and ``min_narrative_share``
    the share of the shorter text they must cover (see
    :mod:`analysis.passage_kinds`).
    """

    n: int = 3
    max_gap: int = 16
    min_words: int = 8
    pad: int = 3
    index_above: int = 10
    exact_index: bool = False
    boilerplate_articles: int = 5
    min_narrative_words: int = 15
    min_narrative_share: float = 0.2

    def __post_init__(self) -> None:
        if self.index_above < 1:
            raise ConfigError(f"reuse.index_above must be at least 1, not {self.index_above}",
                              file="config", field="reuse.index_above")
        if not 0 < self.min_narrative_share <= 1:
            raise ConfigError("reuse.min_narrative_share must be in (0, 1], not "
                              f"{self.min_narrative_share}", file="config",
                              field="reuse.min_narrative_share")
        for name, low in (("boilerplate_articles", 2), ("min_narrative_words", 1)):
            if getattr(self, name) < low:
                raise ConfigError(f"reuse.{name} must be at least {low}, not "
                                  f"{getattr(self, name)}", file="config", field=f"reuse.{name}")


@dataclass(frozen=True)
class SpinConfig:
    """The document decision of :mod:`analysis.spin`: the flags-per-100-words line is set on
    synthetic spins (at ``rate``) of a seeded sample of at most ``calibration_articles`` of the
    folder's articles."""

    rate: float = 0.1
    calibration_articles: int = 40
    seed: int = 0
    seeds: int = 2

    def __post_init__(self) -> None:
        if not 0 < self.rate < 1 or self.calibration_articles < 1 or self.seeds < 1:
            raise ConfigError("spin.rate must be in (0, 1) and spin.calibration_articles at "
                              "least 1", file="config", field="spin")


@dataclass(frozen=True)
class CalibrationConfig:
    """The reuse method's synthetic check and parameter calibration: false passages are counted
    on a seeded draw of at most ``null_pairs`` pairs that share no passage."""

    null_pairs: int = 200
    seed: int = 7

    def __post_init__(self) -> None:
        if self.null_pairs < 1:
            raise ConfigError("calibration.null_pairs must be at least 1", file="config",
                              field="calibration.null_pairs")


@dataclass(frozen=True)
class KeynessConfig:
    """Keyness output is bounded: each article's ``top`` most over-used terms (largest z) among
    terms used at least ``min_count`` times in the folder (the folder totals are kept whole)."""

    top: int = 50
    min_count: int = 4

    def __post_init__(self) -> None:
        if self.top < 1 or self.min_count < 1:
            raise ConfigError("keyness.top and keyness.min_count must be at least 1",
                              file="config", field="keyness")


@dataclass(frozen=True)
class RunConfig:
    """How the pipeline runs: a per-document time limit (a document over it becomes a row of
    ``errors`` and the run goes on), and how many articles' results are held before they are
    written to disk."""

    document_seconds: float = 60.0
    chunk_articles: int = 500

    def __post_init__(self) -> None:
        if self.document_seconds <= 0 or self.chunk_articles < 1:
            raise ConfigError("run.document_seconds must be positive and run.chunk_articles at "
                              "least 1", file="config", field="run")


@dataclass(frozen=True)
class Config:
    """Every setting of a run. ``Config()`` is the book's configuration."""

    reuse: ReuseConfig = field(default_factory=ReuseConfig)
    spin: SpinConfig = field(default_factory=SpinConfig)
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)
    keyness: KeynessConfig = field(default_factory=KeynessConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def section(self, name: str) -> Any:
        return getattr(self, name)

    def fingerprint(self, sections: tuple[str, ...]) -> str:
        """A short hash of the named sections' values (what a stage's result depends on)."""
        data = {name: asdict(self.section(name)) for name in sorted(sections)}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return asdict(self)

    def with_values(self, values: dict[str, dict[str, Any]], *, source: str = "config"
                    ) -> Config:
        """A copy with ``{section: {setting: value}}`` applied; unknown names are refused."""
        changed = {}
        for name, settings in values.items():
            if name not in SECTIONS:
                raise ConfigError(f"unknown section [{name}] (known: {', '.join(SECTIONS)})",
                                  file=source, field=name)
            if not isinstance(settings, dict):
                raise ConfigError(f"[{name}] must be a table of settings", file=source,
                                  field=name)
            current = self.section(name)
            known = {f.name: f.type for f in fields(current)}
            for key, value in settings.items():
                if key not in known:
                    raise ConfigError(f"unknown setting {name}.{key} (known: "
                                      f"{', '.join(known)})", file=source, field=f"{name}.{key}")
                default = getattr(current, key)
                if isinstance(default, bool) != isinstance(value, bool) or not isinstance(
                        value, (type(default), int) if isinstance(default, float) else
                        type(default)):
                    raise ConfigError(f"{name}.{key} must be {type(default).__name__}, not "
                                      f"{value!r}", file=source, field=f"{name}.{key}")
            try:
                changed[name] = replace(current, **settings)
            except ConfigError as err:
                raise ConfigError(err.reason, file=source, field=err.field) from None
        return replace(self, **changed)


SECTIONS = tuple(f.name for f in fields(Config))


def load_config(path: Path | str | None = None, overrides: dict[str, dict[str, Any]] | None = None
                ) -> Config:
    """The defaults, then the TOML file at ``path`` (if given), then ``overrides``."""
    config = Config()
    if path is not None:
        path = Path(path)
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise ConfigError(f"cannot read the configuration: {err.strerror}", file=path
                              ) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(f"not a TOML file: {err}", file=path) from None
        config = config.with_values(values, source=str(path))
    if overrides:
        config = config.with_values(overrides, source="command line")
    return config


def parse_setting(text: str) -> tuple[str, str, Any]:
    """``section.setting=value`` from the command line, the value read as TOML (``20``,
    ``0.2``, ``true``, ``"text"``)."""
    name, sep, value = text.partition("=")
    section, dot, key = name.strip().partition(".")
    if not sep or not dot or not key:
        raise ConfigError(f"--set {text!r}: write section.setting=value", file="command line",
                          field=name)
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return section, key, parsed
