from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.activities import exporters, selectors, services
from gonghui.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityEntry,
    ActivityParticipant,
    ActivityType,
    Club,
    MaterialDistribution,
    PartyRecommendation,
    PublicityItem,
    Subscription,
)
from gonghui.activities.testing import PNG, make_activity, national, person
from gonghui.core.scopecase import ScopeCase

_n = itertools.count(1)


def _type(world, org):
    n = next(_n)
    return services.create_type(None, org, name=f"范围测试类型{n}", code=f"scope-{n}", counts_as=national("lecture"))


def _activity(world, org):
    return make_activity(org, title=f"范围测试活动{next(_n)}")


def _participant(world, org):
    activity = make_activity(org, people=[person(f"范围{next(_n)}号", employer_name="丙公司")])
    return activity.participants.get()


def _attachment(world, org):
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    return services.add_attachment(None, _activity(world, org), upload)


def _entry(world, org):
    activity = make_activity(org, "contest", title=f"范围测试竞赛{next(_n)}", teams=2)
    return services.add_entry(None, activity, kind="team", name=f"范围测试代表队{next(_n)}")


def _publicity(world, org):
    return services.create_publicity_item(None, org, type="post", title=f"范围测试推送{next(_n)}",
                                          published_on=dt.date(2025, 6, 1), outlet="工会公众号")


def _recommendation(world, org):
    from gonghui.members.testing import make_member

    member = make_member(org, name="推优测试" + "甲乙丙丁戊己庚辛壬癸"[next(_n) % 10])
    return services.recommend_to_party(None, org, member, recommended_on=dt.date(2025, 7, 1))


def _material(world, org):
    return services.create_material_distribution(None, org, distributed_on=dt.date(2025, 6, 1), topic="legal",
                                                 title=f"范围测试资料{next(_n)}", copies=200)


CASES = [
    ScopeCase(
        model=ActivityType,
        make=_type,
        list=lambda user: selectors.visible_types(user),
        change=lambda user, obj: services.update_type(user, obj, name=f"改名类型{next(_n)}"),
        ui_lists=lambda obj: [("/activities/types/", obj.name)],
        api_lists=lambda obj: [("/api/v1/activity_types?page_size=500", obj.name)],
    ),
    ScopeCase(
        model=Activity,
        make=_activity,
        list=lambda user: selectors.visible_activities(user),
        change=lambda user, obj: services.update_activity(user, obj, title="改名活动"),
        ui_urls=lambda obj: [f"/activities/{obj.pk}/", f"/activities/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/activities/{obj.pk}"],
        ui_lists=lambda obj: [("/activities/", obj.title),
                              (f"/activities/calendar/?month={obj.start_on:%Y-%m}", obj.title)],
        api_lists=lambda obj: [("/api/v1/activities?page_size=500", obj.title)],
        export=lambda user, org: exporters.export_activities(user, org).rows,
        export_marker=lambda obj: obj.title,
    ),
    ScopeCase(
        model=ActivityParticipant,
        make=_participant,
        list=lambda user: selectors.visible_participants(user),
        change=lambda user, obj: services.update_participant(user, obj, employer_name="改名单位"),
        ui_urls=lambda obj: [f"/activities/participants/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/activities/{obj.activity_id}/participants"],
    ),
    ScopeCase(
        model=ActivityAttachment,
        make=_attachment,
        list=lambda user: selectors.visible_attachments(user),
        ui_urls=lambda obj: [f"/activities/attachments/{obj.pk}/"],
        api_urls=lambda obj: [f"/api/v1/activities/{obj.activity_id}/attachments"],
        note="attachments are uploaded or deleted, never edited",
    ),
    ScopeCase(
        model=ActivityEntry,
        make=_entry,
        list=lambda user: selectors.visible_entries(user),
        change=lambda user, obj: services.update_entry(user, obj, rank_text="第一名"),
        ui_urls=lambda obj: [f"/activities/entries/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/activities/{obj.activity_id}/entries"],
    ),
    ScopeCase(
        model=PublicityItem,
        make=_publicity,
        list=lambda user: selectors.visible_publicity(user),
        change=lambda user, obj: services.update_publicity_item(user, obj, reach=1200),
        ui_urls=lambda obj: [f"/publicity/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/publicity_items/{obj.pk}"],
        ui_lists=lambda obj: [("/publicity/", obj.title)],
        api_lists=lambda obj: [("/api/v1/publicity_items?page_size=500", obj.title)],
        export=lambda user, org: exporters.export_publicity(user, org).rows,
        export_marker=lambda obj: obj.title,
    ),
    ScopeCase(
        model=PartyRecommendation,
        make=_recommendation,
        list=lambda user: selectors.visible_party_recommendations(user),
        change=lambda user, obj: services.update_party_recommendation(user, obj, remarks="工作积极"),
        ui_urls=lambda obj: [f"/party-recommendations/{obj.pk}/edit/"],
        ui_lists=lambda obj: [("/party-recommendations/?year=2025", obj.member.person.name)],
    ),
    ScopeCase(
        model=MaterialDistribution,
        make=_material,
        list=lambda user: selectors.visible_materials(user),
        change=lambda user, obj: services.update_material_distribution(user, obj, copies=300),
        ui_urls=lambda obj: [f"/materials/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/material_distributions/{obj.pk}"],
        ui_lists=lambda obj: [("/materials/", obj.title)],
        api_lists=lambda obj: [("/api/v1/material_distributions?page_size=500", obj.title)],
        export=lambda user, org: exporters.export_materials(user, org).rows,
        export_marker=lambda obj: obj.title,
    ),
    ScopeCase(
        model=Club,
        make=lambda world, org: services.create_club(None, org, name=f"范围测试书画协会{next(_n)}", kind="culture",
                                                     founded_on=dt.date(2020, 5, 1)),
        list=lambda user: selectors.visible_clubs(user),
        change=lambda user, obj: services.update_club(user, obj, member_count=45),
        ui_urls=lambda obj: [f"/activities/clubs/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/clubs/{obj.pk}"],
        ui_lists=lambda obj: [("/activities/clubs/", obj.name)],
        api_lists=lambda obj: [("/api/v1/clubs?page_size=500", obj.name)],
    ),
    ScopeCase(
        model=Subscription,
        make=lambda world, org: services.give_subscriptions(None, org, [org], periodical=f"范围测试报{next(_n)}",
                                                            year=2025)[0],
        list=lambda user: selectors.visible_subscriptions(user),
        change=lambda user, obj: services.update_subscription(user, obj, copies=3),
        api_urls=lambda obj: [f"/api/v1/subscriptions/{obj.pk}"],
        ui_lists=lambda obj: [("/publicity/subscriptions/?year=2025", obj.periodical)],
        api_lists=lambda obj: [("/api/v1/subscriptions?page_size=500", obj.periodical)],
    ),
]
