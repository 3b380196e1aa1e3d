"""``dutylist import`` output: what was (or would be) written, per list; what to check in the
spreadsheet; the department names that named no department; and what to do next."""

from __future__ import annotations

from typing import Any, TextIO

from ..diagnostics import Severity
from ..imports import ImportResult, ListReport
from ..model.vocab import LIST_LABELS_ZH
from .styled import Line, write_lines
from .text import diagnostic_lines

#: Items listed one by one under a list's counts; beyond this, "and N more".
SHOWN = 20
FIELD_ZH = {
    "name": "事项名称",
    "category": "类别",
    "tasks": "具体工作",
    "basis": "依据",
    "lead": "牵头部门",
    "lead_duty": "上级部门职责",
    "township_duty": "乡镇配合职责",
    "receiver": "承接部门",
    "method": "工作方式",
    "power_type": "权力类型",
}


def render_import(result: ImportResult, lang: str, out: TextIO) -> None:
    zh = lang == "zh"
    lines: list[Line] = [[(_headline(result, zh), "bold")]]
    for report in result.lists:
        lines.extend(_list_lines(report, zh))
    if result.notes:
        lines.append([])
        lines.append([("请核对表格" if zh else "Check in the spreadsheet", "bold yellow")])
        for note in result.notes:
            place = _place(note.sheet, note.cell, note.row, zh)
            lines.append([("  ", ""), (place, "bold"), ("  " if place else "", ""), (note.zh if zh else note.en, "")])
    if result.unresolved:
        lines.append([])
        title = (
            f"未能对应到部门编码的部门名称（{len(result.unresolved)} 个）"
            if zh
            else f"Department names that name no department ({len(result.unresolved)})"
        )
        lines.append([(title, "bold red")])
        for u in result.unresolved:
            lines.append([("  ", ""), *_unresolved(u, zh)])
    if result.diagnostics:
        lines.append([])
        lines.append([("校验结果" if zh else "Validation", "bold")])
        for d in result.diagnostics:
            lines.extend(diagnostic_lines(d, lang))
    write_lines(lines, out)
    if result.diff is not None:
        from .diff_out import DIFF_RENDERERS

        write_lines(
            [[], [("将产生的变化（dutylist diff）：" if zh else "What would change (dutylist diff):", "bold")]], out
        )
        DIFF_RENDERERS["text"](result.diff, lang, out)
    write_lines([[], *_next_step(result, zh)], out)


def _headline(result: ImportResult, zh: bool) -> str:
    target = result.target.as_posix()
    unit = f"{result.unit_name}（{result.unit}）" if zh else f"{result.unit} ({result.unit_name})"
    source = result.source.name
    if result.dry_run:
        return (
            f"试导入 {source} → {target}：{unit}，未写入任何文件"
            if zh
            else f"dry run of {source} → {target} ({unit}): nothing written"
        )
    if result.refused:
        return (
            f"未写入 {target}：导入 {source} 会修改或删除 {unit} 已有的事项"
            if zh
            else f"{target} not written: importing {source} would change or remove existing items of {result.unit}"
        )
    if result.unchanged:
        return f"{target} 无变化：{source} 与 {unit} 的文件一致" if zh else f"{target} unchanged: {source} matches it"
    verb = ("新建" if result.created else "已写入") if zh else ("created" if result.created else "wrote")
    return f"{verb} {target}（{unit}，来自 {source}）" if zh else f"{verb} {target} ({unit}, from {source})"


def _list_lines(report: ListReport, zh: bool) -> list[Line]:
    label = LIST_LABELS_ZH.get(report.list, report.list) if zh else report.list
    sheets = "、".join(f"“{s}”" for s in report.sheets) if zh else ", ".join(repr(s) for s in report.sheets)
    new, changed, removed = len(report.new), len(report.changed), len(report.removed)
    if zh:
        counts = f"新增 {new} 项，沿用编号 {report.kept} 项（其中有改动 {changed} 项），删除 {removed} 项"
        if report.template:
            counts += f"，共性事项（模板已有）{report.template} 项"
        head = f"{label}（工作表 {sheets}，{report.rows} 行）：{counts}"
    else:
        counts = f"{new} new, {report.kept} kept their ids ({changed} changed), {removed} removed"
        if report.template:
            counts += f", {report.template} already from templates"
        rows = f"{report.rows} row" + ("" if report.rows == 1 else "s")
        head = f"{label} (sheet {sheets}, {rows}): {counts}"
    lines: list[Line] = [[], [(head, "bold")]]
    for ref in report.new[:SHOWN]:
        lines.append([("  + ", "green"), (ref.id, "bold"), ("  ", ""), (ref.name, "")])
    lines.extend(_more(len(report.new), zh))
    for change in report.changed[:SHOWN]:
        lines.append([("  ~ ", "yellow"), (change.item.id, "bold"), ("  ", ""), (change.item.name, "")])
        for f in change.fields:
            name = FIELD_ZH.get(f.field, f.field) if zh else f.field
            lines.append(
                [
                    ("      ", ""),
                    (name, "cyan"),
                    ("：" if zh else ": ", ""),
                    (_shown(f.old, zh), "red"),
                    (" → ", ""),
                    (_shown(f.new, zh), "green"),
                ]
            )
    lines.extend(_more(len(report.changed), zh))
    for ref in report.removed[:SHOWN]:
        lines.append([("  - ", "red"), (ref.id, "bold"), ("  ", ""), (ref.name, "")])
    lines.extend(_more(len(report.removed), zh))
    if report.template_missing:
        n = len(report.template_missing)
        shown = "、".join(report.template_missing[:8]) + ("等" if n > 8 else "")
        text = (
            f"  模板中另有 {n} 项本表没有（{shown}），仍然适用；如不适用请列入 exclude"
            if zh
            else f"  {n} template item(s) of this list are not in the sheet ({', '.join(report.template_missing[:8])}"
            f"{', …' if n > 8 else ''}): they still apply; list them under exclude if they do not"
        )
        lines.append([(text, "dim")])
    return lines


def _place(sheet: str, cell: str, row: int, zh: bool) -> str:
    """“基本履职事项” C7 / 'basic' row 7; empty for a note about the whole import."""
    where = cell or ((f"第 {row} 行" if zh else f"row {row}") if row else "")
    if not sheet:
        return where
    return f"“{sheet}” {where}".rstrip() if zh else f"{sheet!r} {where}".rstrip()


def _more(n: int, zh: bool) -> list[Line]:
    if n <= SHOWN:
        return []
    return [[(f"    ……另有 {n - SHOWN} 项" if zh else f"    … and {n - SHOWN} more", "dim")]]


def _shown(value: Any, zh: bool) -> str:
    if value is None or value == []:
        return "（无）" if zh else "(none)"
    if isinstance(value, list):
        return ("；" if zh else "; ").join(str(v) for v in value)
    return str(value)


def _unresolved(u: Any, zh: bool) -> Line:
    label = FIELD_ZH[u.field] if zh else u.field
    place = _place(u.sheet, "", u.row, zh)
    if u.candidates:
        why = f"可能是 {'、'.join(u.candidates)}" if zh else f"could be {', '.join(u.candidates)}"
    else:
        why = "units.yaml 中没有这个部门" if zh else "no such department in units.yaml"
    kept = ""
    if u.kept:
        kept = f"；保留文件中原有的 {u.kept}" if zh else f"; the file's {u.kept} kept"
    text = f"{label}“{u.text}”（{u.item}）：{why}{kept}" if zh else f"{label} {u.text!r} ({u.item}): {why}{kept}"
    return [(place, "bold"), ("  ", ""), (text, "")]


def _next_step(result: ImportResult, zh: bool) -> list[Line]:
    target = result.target.as_posix()
    errors = sum(d.level is Severity.ERROR for d in result.diagnostics)
    if result.refused and result.dry_run:
        text = (
            "已有事项会被修改或删除（见上）：写入时须加 --force"
            if zh
            else "existing items would be changed or removed (see above): writing them needs --force"
        )
        return [[(text, "bold yellow")]]
    if result.refused:
        text = (
            "已有事项会被修改或删除（见上），因此未写入任何文件；确认无误后加 --force 重新运行"
            if zh
            else "existing items would be changed or removed (see above), so nothing was written; "
            "re-run with --force once you have checked them"
        )
        return [[(text, "bold yellow")]]
    steps: list[str] = []
    if result.unresolved:
        steps.append(
            "在 units.yaml 中登记这些部门，或在表格中改用 units.yaml 中的部门名称，再重新导入"
            if zh
            else "add those departments to units.yaml, or use their names as units.yaml has them, and import again"
        )
    if result.dry_run:
        steps.append("去掉 --dry-run 写入文件" if zh else "run again without --dry-run to write the file")
    elif result.written:
        if errors:
            steps.append(
                f"修正上面的 {errors} 个错误后运行 dutylist validate"
                if zh
                else f"fix the {errors} error(s) above, then run dutylist validate"
            )
        else:
            steps.append(
                f"运行 dutylist validate，再用 git diff {target} 核对改动"
                if zh
                else f"run dutylist validate, then review the change with git diff {target}"
            )
    if not steps:
        return []
    label = "下一步：" if zh else "next: "
    return [[(label, "bold"), (("；" if zh else "; ").join(steps), "")]]
