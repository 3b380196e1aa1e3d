"""``dutylist check``: validate head, diff it from a base, and run the policy rules (DESIGN §6)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .checks.context import CheckContext
from .checks.locator import VersionLocator
from .checks.registry import Rule, rules
from .config import CheckConfig, Config, ConfigError, Waiver
from .diagnostics import Diagnostic, Severity, sort_diagnostics
from .diff.engine import DiffResult
from .source.spec import SpecError, VersionRef, list_versions, resolve, resolve_git
from .validate import ValidateOptions, check_loaded

FAIL_LEVELS = {"error": (Severity.ERROR,), "warning": (Severity.ERROR, Severity.WARNING), "never": ()}


@dataclass(frozen=True)
class CheckOptions:
    head: str | None = None  # default: the newest version under the root
    base: str | None = None  # default: head's `previous`
    root: Path = Path("catalogues")
    config: Config = field(default_factory=Config)
    use_cache: bool = True
    jobs: int | None = None
    fail_on: str | None = None  # overrides the config's


@dataclass(frozen=True)
class RuleRun:
    """A rule of the registry in this run: whether it ran, at what severity, or why not."""

    code: str
    name: str
    severity: str
    ran: bool
    skipped: str = ""  # "", "not selected", "off", "no base", "head invalid"


@dataclass
class CheckResult:
    head: dict[str, Any]
    base: dict[str, Any] | None
    diagnostics: list[Diagnostic]
    waived: list[tuple[Diagnostic, Waiver]]
    rules: list[RuleRun]
    diff: DiffResult | None
    fail_on: str
    units: dict[str, dict[str, Any]] = field(default_factory=dict)  # head's units: id -> name, kind

    def count(self, level: Severity) -> int:
        return sum(d.level is level for d in self.diagnostics)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0

    @property
    def failed(self) -> bool:
        levels = FAIL_LEVELS[self.fail_on]
        return any(d.level in levels for d in self.diagnostics)


def run_check(options: CheckOptions) -> CheckResult:
    config = options.config.check
    selected = _selection(options.config)
    head_ref = _head_ref(options)
    if head_ref.kind == "compiled":
        raise SpecError(
            f"check 需要版本的源文件（YAML），{head_ref.spec} 是编译后的清单",
            f"check needs a version's sources (YAML); {head_ref.spec} is a compiled list",
        )
    vopts = ValidateOptions((head_ref.spec,), options.root, options.config.limits, options.use_cache, options.jobs)
    head_diags, _summary, loaded = check_loaded(head_ref, vopts, need_data=True)
    fail_on = options.fail_on or config.fail_on
    head_info = {"spec": head_ref.spec, "version": head_ref.label}
    if any(d.level is Severity.ERROR for d in head_diags):
        runs = [_run_row(r, selected, "head invalid") for r in rules().values()]
        return CheckResult(head_info, None, sort_diagnostics(head_diags), [], runs, None, fail_on)

    from .compile import build_list
    from .diff.engine import diff_sides
    from .diff.index import side_of

    head_list = build_list(loaded)
    base_ref = _base_ref(options, head_ref, loaded)
    ctx = CheckContext(head_ref, loaded, VersionLocator(head_ref, options.config.limits))
    base_info = None
    base_record_ids: set[str] = set()
    if base_ref is not None:
        base_side, base_record_ids, base_kinds = _load_base(base_ref, vopts)
        ctx.diff = diff_sides(base_side, side_of(head_ref, head_list))
        ctx.base_label = base_ref.label
        ctx.base_kinds = base_kinds
        base_info = {"spec": base_ref.spec, "version": base_ref.label}
    adj = loaded.results.get("adjustments.yaml")
    if adj is not None and adj.data is not None:
        ctx.records = [(i, r) for i, r in enumerate(adj.data) if r["id"] not in base_record_ids]

    found: list[Diagnostic] = list(head_diags)
    runs = []
    for rule in rules().values():
        why = "" if rule.code in selected else "not selected"
        sev = config.rules.get(rule.code, {}).get("severity", rule.severity.value)
        if not why and sev == "off":
            why = "off"
        if not why and rule.needs_diff and ctx.diff is None:
            why = "no base"
        runs.append(RuleRun(rule.code, rule.name, sev, not why, why))
        if why:
            continue
        opts = _options(rule, config, options.config)
        override = Severity(sev) if sev != rule.severity.value else None
        for d in rule.run(ctx, opts):
            found.append(replace(d, severity=override) if override is not None and d.code == rule.code else d)
    kept, waived = _waive(found, config.exceptions)
    return CheckResult(
        head_info,
        base_info,
        sort_diagnostics(kept),
        waived,
        runs,
        ctx.diff,
        fail_on,
        {u: {"name": d["name"], "kind": d["kind"]} for u, d in ctx.units.items()},
    )


def _head_ref(options: CheckOptions) -> VersionRef:
    if options.head:
        return resolve(options.head, options.root)
    labels = list_versions(options.root)
    if not labels:
        raise SpecError(
            f"{options.root} 下没有版本目录（含 catalogue.yaml 的子目录）",
            f"no versions under {options.root} (subdirectories holding catalogue.yaml)",
        )
    return resolve(labels[-1], options.root)


def _base_ref(options: CheckOptions, head: VersionRef, loaded: Any) -> VersionRef | None:
    cat = loaded.results["catalogue.yaml"].data
    previous = cat.get("previous")
    spec = options.base
    if spec is None:
        return head.sibling(previous) if previous else None
    try:
        return resolve(spec, options.root)
    except SpecError:
        # `--base origin/main`: a git revision alone means this version (or, when the
        # revision does not have it yet, its previous one) as of that revision
        if ":" in spec or Path(spec).exists():
            raise
        for label in (head.label, previous):
            if not label:
                continue
            try:
                return resolve_git(None, spec, label, None, options.root)
            except SpecError:
                continue
        raise


def _load_base(ref: VersionRef, vopts: ValidateOptions) -> tuple[Any, set[str], dict[str, str]]:
    from .compile import build_list
    from .diff.index import side_of

    if ref.kind == "compiled":
        side = side_of(ref, None)
        return side, set(), {u["id"]: u["kind"] for u in side.manifest["units"]}
    diags, _summary, loaded = check_loaded(ref, replace(vopts, specs=(ref.spec,)), need_data=True)
    errors = sum(d.level is Severity.ERROR for d in diags)
    if errors:
        raise SpecError(
            f"比较基准 {ref.spec} 本身有 {errors} 个错误，无法比较；请运行 dutylist validate {ref.spec}",
            f"the base {ref.spec} has {errors} errors and cannot be compared: run dutylist validate {ref.spec}",
        )
    listing = build_list(loaded)
    adj = loaded.results.get("adjustments.yaml")
    ids = {r[1] for r in adj.facts["records"] if r[1]} if adj is not None and adj.facts else set()
    side = side_of(ref, listing)
    return side, ids, {u["id"]: u["kind"] for u in listing.manifest["units"]}


def _selection(config: Config) -> set[str]:
    """The codes that run; unknown codes and bad options in the config are usage errors."""
    check: CheckConfig = config.check
    registry = rules()
    for key, codes in (("select", check.select), ("ignore", check.ignore)):
        for code in codes:
            if not any(c.startswith(code) for c in registry):
                raise config.error(
                    key,
                    f"{key} 中的 {code!r} 不是任何规则的代码（规则：{'、'.join(registry)}）",
                    f"{code!r} in {key} matches no rule (rules: {', '.join(registry)})",
                )
    for code in check.rules:
        if code not in registry:
            raise _unknown_rule(config, code, f"check.rules.{code}")
    for w in check.exceptions:
        if w.rule not in registry:
            raise _unknown_rule(config, w.rule, "rule")
    return {
        c
        for c in registry
        if (not check.select or any(c.startswith(p) for p in check.select))
        and not any(c.startswith(p) for p in check.ignore)
    }


def _unknown_rule(config: Config, code: str, key: str) -> ConfigError:
    known = "、".join(rules())
    return config.error(key, f"没有规则 {code}（规则：{known}）", f"no rule {code} (rules: {', '.join(rules())})")


def _options(rule: Rule, check: CheckConfig, config: Config) -> Any:
    from pydantic import ValidationError

    raw = {k: v for k, v in check.rules.get(rule.code, {}).items() if k != "severity"}
    try:
        return rule.options.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = ".".join(str(p) for p in err["loc"]) or rule.code
        allowed = ", ".join(["severity", *rule.options.model_fields]) or "severity"
        raise ConfigError(
            str(config.path),
            config.line_of(key) or check.rule_lines.get(rule.code, 0),
            f"[check.rules.{rule.code}] {key}：{err['msg']}（可用：{allowed}）",
            f"[check.rules.{rule.code}] {key}: {err['msg']} (allowed: {allowed})",
        ) from None


def _waive(
    found: list[Diagnostic], waivers: tuple[Waiver, ...]
) -> tuple[list[Diagnostic], list[tuple[Diagnostic, Waiver]]]:
    if not waivers:
        return found, []
    kept, waived = [], []
    for d in found:
        w = next((w for w in waivers if _waives(w, d)), None)
        if w is None:
            kept.append(d)
        else:
            waived.append((d, w))
    return kept, waived


def _waives(w: Waiver, d: Diagnostic) -> bool:
    if w.rule != d.code:
        return False
    units = list(d.params.get("units") or ())
    named = {d.params.get("item"), d.params.get("record")} - {None}
    if w.item not in named and not (not named and w.item in units):
        return False
    return w.unit is None or w.unit in units


def _run_row(rule: Rule, selected: set[str], why: str) -> RuleRun:
    return RuleRun(rule.code, rule.name, rule.severity.value, False, why if rule.code in selected else "not selected")
