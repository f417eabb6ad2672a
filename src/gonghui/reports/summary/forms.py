"""Forms of the summary pages: the officers' paragraphs per section, and the template editor."""

from __future__ import annotations

from typing import Any

from django import forms

from gonghui.core.forms import TablerFormMixin
from gonghui.reports.summary.models import SummaryTemplate, TemplateBase

TEXTAREA = {"rows": 4}


class StartForm(TablerFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100)
    base = forms.ChoiceField(label="模板", choices=TemplateBase.choices,
                             help_text="首次使用时从系统默认模板复制一份，本工会可自行修改")


class NarrativeForm(TablerFormMixin, forms.Form):
    """One textarea per part the officers write: the opening, each section, problems and plans."""

    def __init__(self, *args: Any, sections: list[dict[str, Any]], templates: list[SummaryTemplate],
                 current: SummaryTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"] = forms.ChoiceField(
            label="模板", choices=[(str(t.pk), t.name) for t in templates], initial=str(current.pk))
        self.fields["opening"] = forms.CharField(
            label="开头（补充）", required=False, widget=forms.Textarea(attrs=TEXTAREA),
            help_text="接在模板开头段落之后；每行一段")
        for s in sections:
            if s.get("enabled", True):
                self.fields[f"s_{s['code']}"] = forms.CharField(
                    label=s["title"], required=False, widget=forms.Textarea(attrs=TEXTAREA),
                    help_text="本栏目的工作亮点、做法和成效，接在系统生成的数字之后；每行一段")
        self.fields["problems"] = forms.CharField(label="存在的问题", required=False,
                                                  widget=forms.Textarea(attrs={"rows": 5}),
                                                  help_text="由工会撰写，系统不生成；定稿前必须填写")
        self.fields["plans"] = forms.CharField(label="下一年工作计划", required=False,
                                               widget=forms.Textarea(attrs={"rows": 6}),
                                               help_text="由工会撰写，系统不生成；定稿前必须填写")
        self.fields["note"] = forms.CharField(label="本次修改说明", required=False, max_length=200)
        for field in self.fields.values():
            attrs = field.widget.attrs
            if isinstance(field.widget, forms.Textarea):
                attrs["class"] = attrs.get("class", "form-control")
            elif isinstance(field.widget, forms.Select):
                attrs.setdefault("class", "form-select")
            else:
                attrs.setdefault("class", "form-control")

    def narrative(self) -> dict[str, str]:
        out = {"opening": self.cleaned_data.get("opening", ""), "problems": self.cleaned_data.get("problems", ""),
               "plans": self.cleaned_data.get("plans", "")}
        for name, value in self.cleaned_data.items():
            if name.startswith("s_"):
                out[name[2:]] = value
        return out


class TemplateForm(TablerFormMixin, forms.Form):
    """The template's own fields, and for each section: order, title, phrasing, figure sentences."""

    name = forms.CharField(label="模板名称", max_length=80)
    title = forms.CharField(label="标题", max_length=200, help_text="可用 {工会} {年度}")
    opening = forms.CharField(label="开头段落", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    main_heading = forms.CharField(label="第一部分标题", max_length=80)
    problems_heading = forms.CharField(label="存在问题部分标题", max_length=80)
    plans_heading = forms.CharField(label="工作计划部分标题", max_length=80, help_text="可用 {下一年}")

    def __init__(self, *args: Any, sections: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_count = len(sections) + 1  # one blank section to add
        for i in range(self.section_count):
            s = sections[i] if i < len(sections) else {}
            p = f"s{i}_"
            self.fields[p + "order"] = forms.IntegerField(label="顺序", initial=(i + 1) * 10, required=False)
            self.fields[p + "code"] = forms.CharField(label="栏目代码", initial=s.get("code", ""), required=False,
                                                      max_length=40)
            self.fields[p + "title"] = forms.CharField(label="栏目标题", initial=s.get("title", ""), required=False,
                                                       max_length=120)
            self.fields[p + "enabled"] = forms.BooleanField(label="启用", initial=s.get("enabled", not s),
                                                            required=False)
            self.fields[p + "delete"] = forms.BooleanField(label="删除", required=False)
            self.fields[p + "lead"] = forms.CharField(label="引导语", initial=s.get("lead", ""), required=False,
                                                      widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[p + "sentences"] = forms.CharField(
                label="数字句子", initial=s.get("sentences", ""), required=False,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control font-monospace"}))
            self.fields[p + "empty"] = forms.CharField(
                label="无数字时的表述", initial=s.get("empty", ""), required=False,
                widget=forms.Textarea(attrs={"rows": 2}), help_text="留空则整个栏目不写入")

    def section_groups(self) -> list[list[Any]]:
        names = ("order", "code", "title", "enabled", "delete", "lead", "sentences", "empty")
        return [[self[f"s{i}_{n}"] for n in names] for i in range(self.section_count)]

    def sections(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(self.section_count):
            p = f"s{i}_"
            data = self.cleaned_data
            if data.get(p + "delete") or not (data.get(p + "code") or data.get(p + "title")):
                continue
            rows.append((data.get(p + "order") or 0, i, {
                "code": (data.get(p + "code") or "").strip(), "title": (data.get(p + "title") or "").strip(),
                "lead": data.get(p + "lead") or "", "sentences": data.get(p + "sentences") or "",
                "empty": data.get(p + "empty") or "", "enabled": bool(data.get(p + "enabled")),
            }))
        return [row for _order, _i, row in sorted(rows, key=lambda r: (r[0], r[1]))]
