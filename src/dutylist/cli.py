"""The ``dutylist`` command: thin typer commands around the core, one error boundary.

Exit codes (DESIGN §7): 0 success; 1 findings; 2 usage error or unreadable input;
3 internal error; 130 interrupted.

There is no ``from __future__ import annotations`` here on purpose: typer reads every
command's annotations at each start, and string annotations would be compiled each time.
"""

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

app = typer.Typer(
    name="dutylist",
    help="乡镇履职事项清单工具：校验、编译、比较、检查。 Township duty catalogues as YAML in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class StatsFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class StatsBy(StrEnum):
    unit = "unit"
    list = "list"
    category = "category"
    power_type = "power_type"


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    csv = "csv"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


_state = {"debug": False}

T = TypeVar("T")

RootOpt = Annotated[
    Path,
    typer.Option("--root", help="Catalogue root: the directory holding one subdirectory per version."),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Ignore and do not write .dutylist/cache.")]
JobsOpt = Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes for large versions.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages: zh (中文) or en.", envvar="DUTYLIST_LANG")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dutylist {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    _state["debug"] = debug


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"dutylist: {message}\n")
    raise typer.Exit(code)


def _guard(fn: Callable[[], T], lang: str) -> T:
    """The error boundary: user errors are one line and exit 2, anything else is internal."""
    from .compiled import CompiledListError
    from .config import ConfigError
    from .errors import UserError
    from .output import OutputExistsError
    from .source.spec import SpecError

    try:
        return fn()
    except (SpecError, ConfigError, OutputExistsError, UserError) as exc:
        _fail(exc.message(lang), EXIT_USAGE)
    except CompiledListError as exc:
        _fail(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("已中断" if lang == "zh" else "interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # the reader went away (`dutylist diff … | head`): stop quietly, as git does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(EXIT_OK) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if _state["debug"]:
            import traceback

            traceback.print_exc()
        hint = (
            ""
            if _state["debug"]
            else ("（加 --debug 查看详情）" if lang == "zh" else " (run with --debug for details)")
        )
        label = "内部错误" if lang == "zh" else "internal error"
        _fail(f"{label}: {type(exc).__name__}: {exc}{hint}", EXIT_INTERNAL)


def _raw_stdout() -> None:
    """CSV goes out as UTF-8 with its own CRLF line ends, whatever the console's encoding."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", newline="")


def _default_format() -> ValidateFormat:
    return ValidateFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else ValidateFormat.text


@app.command()
def validate(
    specs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Versions to check: 2025, a path, or REV:2025 from git. Default: every version under the root."
        ),
    ] = None,
    root: RootOpt = Path("catalogues"),
    format: Annotated[
        ValidateFormat | None,
        typer.Option("--format", "-f", help="text, json or github (default: github under GitHub Actions, else text)."),
    ] = None,
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """校验清单：schema and integrity of every file of a version (DL1xx)."""
    from .config import load_config
    from .render import VALIDATE_RENDERERS
    from .validate import ValidateOptions
    from .validate import validate as run_validate

    def run() -> int:
        config = load_config(root)
        options = ValidateOptions(tuple(specs or ()), root, config.limits, not no_cache, jobs)
        result = run_validate(options)
        fmt = (format or _default_format()).value
        VALIDATE_RENDERERS[fmt](result, lang.value, sys.stdout)
        return EXIT_OK if result.ok else EXIT_FINDINGS

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def compile(
    spec: Annotated[str, typer.Argument(help="The version: 2025, a path, REV:2025, or a compiled list.json.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output directory (default: dist/<version>/).")
    ] = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="Comma-separated: json, csv, xlsx, md, html. list.json is always written."),
    ] = "json",
    force: Annotated[
        bool, typer.Option("--force", help="Replace an output directory that holds something else.")
    ] = False,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """编译清单：expand templates, number and sort entries, write list.json and renderings."""
    from .render.list_writers import LIST_WRITERS

    formats = ["json"] + [f for f in dict.fromkeys(x.strip() for x in format.split(",")) if f and f != "json"]
    unknown = [f for f in formats if f not in LIST_WRITERS]
    if unknown:
        choices = ", ".join(LIST_WRITERS)
        _fail(
            f"未知格式 {', '.join(unknown)}（可用：{choices}）"
            if lang == "zh"
            else f"unknown format {', '.join(unknown)} (choose from {choices})",
            EXIT_USAGE,
        )

    def run() -> int:
        from .compile import CompileOptions, compile_ref
        from .config import load_config
        from .output import write_outputs
        from .render.text import render_diagnostics
        from .source.spec import resolve

        config = load_config(root)
        ref = resolve(spec, root)
        options = CompileOptions(root, config.limits, not no_cache, jobs)
        with _progress(lang) as progress:
            result = compile_ref(ref, options, progress)
        if result.listing is None:
            render_diagnostics(result.diagnostics, lang, sys.stdout)
            sys.stdout.write(
                f"未编译：版本 {ref.label} 有错误\n"
                if lang == "zh"
                else f"not compiled: version {ref.label} has errors\n"
            )
            return EXIT_FINDINGS
        listing = result.listing
        target = out or Path("dist") / listing.label
        written = write_outputs(listing, target, formats, force=force)
        n = listing.manifest["entries"]
        files = len(written)
        if lang == "zh":
            sys.stdout.write(
                f"已编译 {listing.label}：{n:,} 条事项 → {target}/（{files} 个文件）\n{listing.manifest['hash']}\n"
            )
        else:
            sys.stdout.write(
                f"compiled {listing.label}: {n:,} entries -> {target}/ ({files} files)\n{listing.manifest['hash']}\n"
            )
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


class _NoProgress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress(lang: Lang) -> Any:
    """A progress bar on stderr, only on a terminal."""
    if not sys.stderr.isatty():
        return _NoProgress()
    from contextlib import contextmanager

    from rich.progress import Progress

    @contextmanager
    def bar() -> Any:
        with Progress(transient=True) as progress:
            task = progress.add_task("编译" if lang == "zh" else "compiling", total=None)

            def update(done: int, total: int) -> None:
                if done % 50 == 0 or done == total:
                    progress.update(task, completed=done, total=total)

            yield update

    return bar()


@app.command()
def stats(
    spec: Annotated[str, typer.Argument(help="The version: 2025, a path, REV:2025, or a compiled list.json.")],
    by: Annotated[StatsBy, typer.Option("--by", help="Rows: unit, list, category or power_type.")] = StatsBy.unit,
    format: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="text, json, csv or markdown.")
    ] = StatsFormat.text,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write the per-township bar chart as an SVG file.")
    ] = None,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """统计：entries per unit and list, totals and township averages, as counties publish them."""

    def run() -> int:
        from .compiled import read_manifest
        from .config import load_config
        from .render.stats_out import STATS_RENDERERS
        from .source.spec import resolve
        from .stats import compute_stats

        ref = resolve(spec, root)
        if ref.kind == "compiled":
            assert ref.path is not None
            manifest = read_manifest(ref.path)  # the manifest holds every count: entries are not read
        else:
            from .compile import CompileOptions, compile_ref
            from .render.text import render_diagnostics

            config = load_config(root)
            result = compile_ref(ref, CompileOptions(root, config.limits, not no_cache, jobs))
            if result.listing is None:
                render_diagnostics(result.diagnostics, lang, sys.stdout)
                return EXIT_FINDINGS
            manifest = result.listing.manifest
        res = compute_stats(manifest, by.value)
        if format is StatsFormat.csv:
            _raw_stdout()
        STATS_RENDERERS[format.value](res, lang.value, sys.stdout)
        if chart is not None:
            from .render.svg_chart import write_svg

            write_svg(res, chart, lang.value)
            sys.stderr.write(("已写入 " if lang == "zh" else "wrote ") + str(chart) + "\n")
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def diff(
    base: Annotated[str, typer.Argument(help="The base version: 2024, a path, REV:2025, or a list.json.")],
    head: Annotated[str, typer.Argument(help="The head version.")],
    format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, markdown, json or csv.")
    ] = DiffFormat.text,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", "-u", help="Only changes touching this unit (repeatable).")
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", help="Only changes of this kind (repeatable).")
    ] = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when there are changes, 0 when none.")] = False,
    match_names: Annotated[
        bool, typer.Option("--match-names", help="Accept added/revoked pairs with similar names as renames.")
    ] = False,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Score that --match-names accepts (0–1).")
    ] = 0.9,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """比较版本：what was added, revoked, withdrawn, delegated, transferred… between two versions."""
    from .model.vocab import CHANGE_KINDS

    bad = [k for k in kind or [] if k not in CHANGE_KINDS]
    if bad:
        _fail(f"unknown kind {', '.join(bad)} (choose from {', '.join(CHANGE_KINDS)})", EXIT_USAGE)

    def run() -> int:
        from .config import load_config
        from .diff.run import DiffOptions, run_diff
        from .render.diff_out import DIFF_RENDERERS
        from .render.text import render_diagnostics

        config = load_config(root)
        options = DiffOptions(
            base, head, root, config.limits, not no_cache, jobs, tuple(unit or ()), tuple(kind or ()),
            threshold if match_names else None,
        )  # fmt: skip
        outcome = run_diff(options)
        if outcome.result is None:
            render_diagnostics(outcome.diagnostics, lang, sys.stdout)
            return EXIT_FINDINGS
        if format is DiffFormat.csv:
            _raw_stdout()
        DIFF_RENDERERS[format.value](outcome.result, lang.value, sys.stdout)
        if exit_code and outcome.result.changes:
            return EXIT_FINDINGS
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


class LogFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def log(
    item: Annotated[str, typer.Argument(help="An item id, e.g. AL-B-090.")],
    format: Annotated[LogFormat, typer.Option("--format", "-f", help="text or json.")] = LogFormat.text,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """事项沿革：the history of one item across every version under the root, oldest first."""

    def run() -> int:
        from .config import load_config
        from .diff.log import item_log
        from .diff.run import DiffOptions
        from .render.diff_out import render_log_text
        from .render.json_out import dumps

        config = load_config(root)
        result = item_log(item, DiffOptions("", "", root, config.limits, not no_cache))
        if format is LogFormat.json:
            sys.stdout.write(dumps(result.to_json()))
        else:
            render_log_text(result, lang.value, sys.stdout)
        return EXIT_OK if result.history else EXIT_FINDINGS

    raise typer.Exit(_guard(run, lang.value))


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


@app.command()
def check(
    head: Annotated[
        str | None,
        typer.Argument(help="The version to check: 2025, a path, or REV:2025. Default: the newest under the root."),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            "-b",
            help="Compare against: a version spec (main:2025, 2024, a list.json) or a git revision alone "
            "(origin/main: the same version there). Default: head's `previous`.",
        ),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, markdown, github, junit or sarif (default: github under GitHub Actions, else text).",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Exit 1 on findings of this severity or worse: error, warning, never."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """检查（CI）：validate + diff against a base + policy rules DL2xx (职责准入, 动态调整)."""
    from .render.check_out import CHECK_RENDERERS

    fmt = format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt not in CHECK_RENDERERS:
        _fail(f"unknown format {fmt!r} (choose from {', '.join(CHECK_RENDERERS)})", EXIT_USAGE)

    def run() -> int:
        from .check import CheckOptions, run_check
        from .config import load_config

        config = load_config(root)
        options = CheckOptions(
            head, base, root, config, not no_cache, jobs, fail_on.value if fail_on is not None else None
        )
        result = run_check(options)
        if output is not None:
            import io

            buf = io.StringIO()
            CHECK_RENDERERS[fmt](result, lang.value, buf)
            _write_report(output, buf.getvalue())
            from .render.check_out import verdict

            typer.echo(
                verdict(result, lang.value) + (f"（报告：{output}）" if lang == "zh" else f" (report: {output})")
            )
        else:
            CHECK_RENDERERS[fmt](result, lang.value, sys.stdout)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            import io

            buf = io.StringIO()
            CHECK_RENDERERS["markdown"](result, lang.value, buf)
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(buf.getvalue())
        return EXIT_FINDINGS if result.failed else EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


def _write_report(path: Path, text: str) -> None:
    """Atomically: a report replaces the file it is written to, never half of it."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".dutylist-")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code, e.g. DL201: explain that rule.")] = None,
    format: Annotated[LogFormat, typer.Option("--format", "-f", help="text or json.")] = LogFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    """规则：list the policy rules of `dutylist check`, or explain one."""

    def run() -> int:
        from .checks.registry import rules as registry
        from .render.json_out import dumps
        from .render.rules_out import render_rule, render_rules, rules_json

        table = registry()
        if code is not None:
            rule = table.get(code.upper())
            if rule is None:
                _fail(
                    (
                        f"没有规则 {code}（规则：{'、'.join(table)}）"
                        if lang == "zh"
                        else f"no rule {code} (rules: {', '.join(table)})"
                    ),
                    EXIT_USAGE,
                )
            if format is LogFormat.json:
                sys.stdout.write(dumps(rules_json([rule])[0]))
            else:
                render_rule(rule, lang.value, sys.stdout)
            return EXIT_OK
        if format is LogFormat.json:
            sys.stdout.write(dumps(rules_json(list(table.values()))))
        else:
            render_rules(list(table.values()), lang.value, sys.stdout)
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


class CiKind(StrEnum):
    github = "github"
    gitlab = "gitlab"
    none = "none"


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="The repository to set up (default: here).")] = Path("."),
    ci: Annotated[
        CiKind, typer.Option("--ci", help="CI configuration to write: github, gitlab or none.")
    ] = CiKind.github,
    version: Annotated[
        str | None, typer.Option("--version-label", help="Label of the first version (default: this year).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """初始化：scaffold a catalogue repository (catalogues/, dutylist.toml, CI, pre-commit)."""

    def run() -> int:
        from .scaffold import ScaffoldOptions, scaffold

        written = scaffold(ScaffoldOptions(directory, ci.value, version, force))
        for path in written:
            typer.echo(("已创建 " if lang == "zh" else "created ") + str(path))
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


LIST_CHOICES = ("basic", "cooperative", "recalled", "powers", "autonomy", "assist", "negative")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The spreadsheet: .xlsx, .xls or .csv (UTF-8, UTF-8 with BOM, GBK).")],
    unit: Annotated[str, typer.Option("--unit", "-u", help="The unit whose file receives the items.")],
    list_: Annotated[
        str | None,
        typer.Option("--list", "-l", help="basic, cooperative, recalled, powers, autonomy, assist or negative."),
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="The version directory to write into (default: the newest).")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The sheet to read (default: the first).")] = None,
    all_sheets: Annotated[
        bool, typer.Option("--all-sheets", help="Import every sheet, the list chosen by the sheet's name.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing; show the changes as a diff.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Change items the unit file already holds.")] = False,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
) -> None:
    """导入表格：read a township's or department's spreadsheet into its unit file."""
    if list_ is not None and list_ not in LIST_CHOICES:
        _fail(f"unknown list {list_!r} (choose from {', '.join(LIST_CHOICES)})", EXIT_USAGE)
    if sheet is not None and all_sheets:
        _fail("--sheet and --all-sheets exclude each other", EXIT_USAGE)

    def run() -> int:
        from .config import load_config
        from .imports import ImportOptions, run_import
        from .render.import_out import render_import

        config = load_config(root)
        options = ImportOptions(file, unit, list_, version, root, sheet, all_sheets, dry_run, force, config.limits)
        result = run_import(options)
        render_import(result, lang.value, sys.stdout)
        return result.exit_code

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories to format (default: every catalogue file under the root)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 and list the files that would change.")
    ] = False,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
) -> None:
    """格式化：canonical key order and layout of catalogue files, comments kept."""

    def run() -> int:
        from .config import load_config
        from .fmt import FmtOptions, run_fmt
        from .render.fmt_out import render_fmt

        config = load_config(root)
        result = run_fmt(FmtOptions(tuple(paths or ()), check, root, config.limits))
        render_fmt(result, lang.value, sys.stdout)
        return result.exit_code

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def new(
    label: Annotated[str, typer.Argument(help="The label of the new version, e.g. 2026.")],
    from_: Annotated[str, typer.Option("--from", help="The version to start from: 2025, a path, or REV:2025.")],
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
) -> None:
    """新版本：start the next version from an existing one (sources copied, previous set)."""

    def run() -> int:
        from .config import load_config
        from .newversion import NewOptions, new_version

        config = load_config(root)
        result = new_version(NewOptions(label, from_, root, config.limits))
        if lang == "zh":
            typer.echo(f"已创建 {result.created}（{result.files} 个文件，previous: {from_}）")
            if result.edited:
                typer.echo(f"已去掉上一版的 replaces：{'、'.join(result.edited)}")
            typer.echo(
                f"下一步：修改 {result.created}/catalogue.yaml 的 title、effective，在 adjustments.yaml 中登记调整"
            )
        else:
            typer.echo(f"created {result.created} ({result.files} files, previous: {from_})")
            if result.edited:
                typer.echo(f"took out the previous step's replaces: {', '.join(result.edited)}")
            typer.echo(
                f"next: edit title and effective in {result.created}/catalogue.yaml; record changes in adjustments.yaml"
            )
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def find(
    query: Annotated[str, typer.Argument(help="What to look for: words of an item's name, tasks, duties or basis.")],
    spec: Annotated[
        str | None, typer.Argument(help="The version: 2025, a path, REV:2025 or a list.json (default: the newest).")
    ] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", "-u", help="Only this unit (repeatable).")] = None,
    list_: Annotated[list[str] | None, typer.Option("--list", "-l", help="Only this list (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many items.")] = 20,
    format: Annotated[LogFormat, typer.Option("--format", "-f", help="text or json.")] = LogFormat.text,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """谁来干：search items across units — who does it, who leads, who receives."""

    def run() -> int:
        from .config import load_config
        from .find import FindOptions, run_find
        from .render.find_out import FIND_RENDERERS

        config = load_config(root)
        options = FindOptions(
            query, spec, root, tuple(unit or ()), tuple(list_ or ()), limit, config.limits, not no_cache
        )
        result = run_find(options)
        FIND_RENDERERS[format.value](result, lang.value, sys.stdout)
        return EXIT_OK if result.hits else EXIT_FINDINGS

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def show(
    item: Annotated[str, typer.Argument(help="An item id, e.g. AL-B-044.")],
    spec: Annotated[
        str | None, typer.Argument(help="The version: 2025, a path, REV:2025 or a list.json (default: the newest).")
    ] = None,
    format: Annotated[LogFormat, typer.Option("--format", "-f", help="text or json.")] = LogFormat.text,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """事项详情：one item in full, in every unit that holds it, with its history."""

    def run() -> int:
        from .config import load_config
        from .find import ShowOptions, run_show
        from .render.find_out import SHOW_RENDERERS

        config = load_config(root)
        result = run_show(ShowOptions(item, spec, root, config.limits, not no_cache))
        SHOW_RENDERERS[format.value](result, lang.value, sys.stdout)
        return EXIT_OK if result.found else EXIT_FINDINGS

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def site(
    specs: Annotated[
        list[str], typer.Argument(help="Versions to publish, oldest first: 2024 2025 (or paths, list.json).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory of the static site.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an output directory that holds something else.")
    ] = False,
    root: RootOpt = Path("catalogues"),
    lang: LangOpt = Lang.zh,
    no_cache: NoCacheOpt = False,
) -> None:
    """发布网站：a static, self-contained site of the lists (offline, works from file://)."""

    def run() -> int:
        from .config import load_config
        from .site import SiteOptions, build_site

        config = load_config(root)
        result = build_site(SiteOptions(tuple(specs), out, root, force, config.limits, not no_cache))
        typer.echo(
            (f"已生成网站 {result.out}（{result.pages} 个页面），打开 {result.index}")
            if lang == "zh"
            else f"wrote the site {result.out} ({result.pages} pages); open {result.index}"
        )
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the JSON Schemas to.")] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the files differ from the models.")
    ] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """生成 JSON Schema：write the JSON Schemas of the catalogue files (for editors)."""
    from .schemas import schema_drift, write_schemas

    def run() -> int:
        if check:
            drift = schema_drift(out)
            for name in drift:
                typer.echo(f"{out / name}: " + ("与模型不一致" if lang == "zh" else "differs from the models"))
            return EXIT_FINDINGS if drift else EXIT_OK
        changed = write_schemas(out)
        for path in changed:
            typer.echo(("已写入 " if lang == "zh" else "wrote ") + str(path))
        if not changed:
            typer.echo("无变化" if lang == "zh" else "up to date")
        return EXIT_OK

    raise typer.Exit(_guard(run, lang.value))


def main() -> None:
    """The console script. Typer builds the click parameters of every registered command at
    each start, a few milliseconds each; a run needs only the command it names, so the
    others are left out and start-up does not grow with the command line (``--help`` with
    no command still lists them all)."""
    name = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    if name is not None:
        chosen = [c for c in app.registered_commands if _command_name(c) == name]
        if chosen:
            app.registered_commands = chosen
    app()


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))
