"""The models and the text rules the predictions service runs, loaded once and shared by its threads.

Loading verifies every model file against the manifest (SHA-256 of ~40 MB: about 0.1 s) and imports
the OCR package, so it happens on first use, never when the workstation is built. Whatever cannot be
loaded is one sentence in :attr:`Engines.problems` and is left out; everything else works.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from moderator_app.domain.predictions.model import ModelKind, ModelRef
from moderator_app.domain.predictions.text_rules import EMPTY_RULES, RulesError, RuleSet, parse_rules
from moderator_app.inference.models import DEFAULT_THREADS, ModelSet
from moderator_app.inference.ocr import OcrEngine
from moderator_app.paths import resources_dir


def default_rules_path() -> Path:
    """The shipped rules (another file comes from Settings.rules_path)."""
    return resources_dir() / "text_rules.json"


def load_rules(path: Path) -> tuple[RuleSet, tuple[str, ...]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY_RULES, (f"no text rules at {path}: text findings are off",)
    except (OSError, UnicodeDecodeError) as exc:
        return EMPTY_RULES, (f"the text rules {path} cannot be read ({exc}): text findings are off",)
    try:
        rules = parse_rules(text)
    except RulesError as exc:
        return EMPTY_RULES, (f"{exc} ({path}): text findings are off",)
    return rules, tuple(f"text rules: {p}" for p in rules.problems)


@dataclass(frozen=True, slots=True)
class Engines:
    models: ModelSet
    ocr: OcrEngine
    rules: RuleSet
    model_problems: tuple[str, ...] = ()
    rule_problems: tuple[str, ...] = ()

    @property
    def problems(self) -> tuple[str, ...]:
        """One sentence per model or rule that is off; everything else works."""
        return self.model_problems + self.rule_problems

    def refs(self, *, ocr: bool) -> tuple[ModelRef, ...]:
        refs = list(self.models.refs)
        if ocr and self.ocr.available and self.ocr.ref is not None:
            refs.append(self.ocr.ref)
        return tuple(refs)

    def wanted(self, *, ocr: bool) -> tuple[ModelKind, ...]:
        kinds = list(self.models.kinds)
        if ocr and self.ocr.available:
            kinds.append(ModelKind.OCR)
        return tuple(kinds)

    def scan_key(self, *, ocr: bool) -> tuple[str, str]:
        """A key naming the models and rules of a scan (a change of any of them means: scan again)."""
        parts = [f"{r.id}={r.version}:{r.sha256}" for r in self.refs(ocr=ocr)]
        parts.append(f"rules={self.rules.version}")
        text = "; ".join(parts)
        readable = ", ".join(
            [*(f"{r.id} {r.version}" for r in self.refs(ocr=ocr)), f"text rules {self.rules.version}"]
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest(), readable


class EngineLoader:
    """Loads :class:`Engines` once, on first use, from any thread."""

    def __init__(
        self, models_dir: Path | None = None, rules_path: Path | None = None, threads: int | None = None
    ) -> None:
        self.models_dir = models_dir
        self.rules_path = rules_path
        self.threads = threads
        self._engines: Engines | None = None
        self._lock = threading.Lock()

    def get(self) -> Engines:
        if self._engines is None:
            with self._lock:
                if self._engines is None:
                    models = ModelSet(self.models_dir, threads=self.threads or DEFAULT_THREADS)
                    ocr = OcrEngine(threads=self.threads)
                    rules, rule_problems = load_rules(self.rules_path or default_rules_path())
                    problems = (*models.problems, *((ocr.problem,) if ocr.problem else ()))
                    self._engines = Engines(models, ocr, rules, problems, rule_problems)
        return self._engines

    def adopt(self, engines: Engines) -> None:
        with self._lock:
            self._engines = engines

    def reload_rules(self, rules_path: Path | None = None) -> None:
        """Read the text rules again (edited by a supervisor); the loaded models are kept."""
        with self._lock:
            if rules_path is not None:
                self.rules_path = rules_path
            if self._engines is not None:
                rules, rule_problems = load_rules(self.rules_path or default_rules_path())
                self._engines = replace(self._engines, rules=rules, rule_problems=rule_problems)

    def reset(self, *, threads: int | None = None, rules_path: Path | None = None) -> None:
        """Forget the loaded engines (new thread count, edited rules); the next use loads them again."""
        with self._lock:
            self.threads = threads
            if rules_path is not None:
                self.rules_path = rules_path
            self._engines = None
