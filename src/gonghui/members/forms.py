"""Forms parse and validate input; the member services do the writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from gonghui.core.forms import DateInput, TablerFormMixin
from gonghui.members import vocab
from gonghui.members.models import ChangeType, NewGroup
from gonghui.orgs.models import Employer, Gender


def _vocab_field(kind: str, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *vocab.choices(kind).items()])


class PersonFieldsMixin(forms.Form):
    ethnicity = forms.ChoiceField(label="民族", required=False,
                                  choices=[("", "—"), *((e, e) for e in vocab.ETHNICITIES)])
    mobile = forms.CharField(label="移动电话", max_length=20, required=False)
    employment_status = _vocab_field("employment_status", "就业状况")
    education = _vocab_field("education", "学历")
    skill_level = _vocab_field("skill_level", "技能等级")
    political_status = _vocab_field("political_status", "政治面貌")
    household_type = _vocab_field("household_type", "户籍类型")
    household_place = forms.CharField(label="户籍所在地", max_length=100, required=False)
    native_place = forms.CharField(label="籍贯", max_length=100, required=False)


def union_choices(unions: Any) -> list[tuple[str, str]]:
    return [(o.code, f"{o.name}（{o.code}）") for o in unions]


class JoinForm(TablerFormMixin, PersonFieldsMixin):
    """入会: identity first, then the membership."""

    field_order = ["org", "name", "id_type", "id_number", "gender", "birth_date", "joined_on", "employer",
                   "employer_name", "is_migrant", "new_group", "card_no"]
    org = forms.ChoiceField(label="入会工会", help_text="会员所在的基层工会（或分工会、工会小组）")
    name = forms.CharField(label="姓名", max_length=50)
    id_type = forms.ChoiceField(label="有效证件类别", choices=list(vocab.choices("id_type").items()),
                                initial="resident_id")
    id_number = forms.CharField(label="证件号码", max_length=30)
    gender = forms.ChoiceField(label="性别", required=False, choices=[("", "按身份证号码"), *Gender.choices],
                               help_text="居民身份证按号码自动生成")
    birth_date = forms.DateField(label="出生日期", required=False, widget=DateInput(),
                                 help_text="居民身份证按号码自动生成")
    joined_on = forms.DateField(label="入会日期", initial=dt.date.today, widget=DateInput())
    employer = forms.ModelChoiceField(label="工作单位（已登记）", queryset=Employer.objects.none(), required=False,
                                      empty_label="—（未登记的单位请在右侧填写）")
    employer_name = forms.CharField(label="工作单位（未登记时填写）", max_length=120, required=False)
    is_migrant = forms.BooleanField(label="农民工", required=False)
    new_group = forms.ChoiceField(label="新就业形态群体", required=False, choices=[("", "—"), *NewGroup.choices])
    card_no = forms.CharField(label="会员证号", max_length=30, required=False)
    reason = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, employers: Any = None, unions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if employers is not None:
            self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        self.fields["org"].choices = union_choices(unions)  # type: ignore[attr-defined]


class MemberForm(TablerFormMixin, PersonFieldsMixin):
    """Edit a member: identity columns and membership fields (the ID number never changes)."""

    name = forms.CharField(label="姓名", max_length=50)
    employer = forms.ModelChoiceField(label="工作单位（已登记）", queryset=Employer.objects.none(), required=False,
                                      empty_label="—")
    employer_name = forms.CharField(label="工作单位", max_length=120, required=False)
    is_migrant = forms.BooleanField(label="农民工", required=False)
    new_group = forms.ChoiceField(label="新就业形态群体", required=False, choices=[("", "—"), *NewGroup.choices])
    card_no = forms.CharField(label="会员证号", max_length=30, required=False)
    dues_base = forms.DecimalField(label="会费基数（元/月）", max_digits=10, decimal_places=2, required=False)
    dues_paid_until = forms.DateField(label="会费缴至", required=False, widget=DateInput())
    field_order = ["name", "mobile"]

    PERSON = ("name", "ethnicity", "mobile", "employment_status", "education", "skill_level", "political_status",
              "household_type", "household_place", "native_place")
    MEMBER = ("employer", "employer_name", "is_migrant", "new_group", "card_no", "dues_base", "dues_paid_until")

    def __init__(self, *args: Any, employers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if employers is not None:
            self.fields["employer"].queryset = employers  # type: ignore[attr-defined]


class ChangeForm(TablerFormMixin, forms.Form):
    change_type = forms.ChoiceField(label="办理事项", choices=[
        (ChangeType.RETAIN, "保留会籍（退休、失业、离岗等）"), (ChangeType.RESTORE, "恢复会籍"),
        (ChangeType.LEAVE, "退会"), (ChangeType.EXPEL, "除名")])
    on = forms.DateField(label="日期", initial=dt.date.today, widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200, required=False,
                             help_text="保留会籍、除名须填写原因（除名请写明处理决定文号）")


class TransferForm(TablerFormMixin, forms.Form):
    to_org = forms.CharField(label="转入工会代码", max_length=64, help_text="填写接收工会的代码，如 GZ.TH.LD.0003")
    on = forms.DateField(label="转会日期", initial=dt.date.today, widget=DateInput())
    reason = forms.CharField(label="转会原因", max_length=200, initial="工作调动")
    new_employer_name = forms.CharField(label="新工作单位", max_length=120, required=False)


class DecisionForm(TablerFormMixin, forms.Form):
    note = forms.CharField(label="办理意见", max_length=200, required=False)


class UploadForm(TablerFormMixin, forms.Form):
    org = forms.ChoiceField(label="导入到", help_text="新会员加入该工会；已是其本级或所属工会会员的，更新信息")
    file = forms.FileField(label="会员信息文件", help_text="支持 .xlsx、.xls、.csv；请使用“下载模板”的格式")
    skip_invalid = forms.BooleanField(label="跳过有误的行，只导入正确的行", required=False)

    def __init__(self, *args: Any, unions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = union_choices(unions)  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xls", ".csv", ".xlsm")):
            raise forms.ValidationError("只支持 .xlsx、.xls 和 .csv 文件")
        return f
