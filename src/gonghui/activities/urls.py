from django.urls import path

from gonghui.activities import views

app_name = "activities"
urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/calendar/", views.activity_calendar, name="calendar"),
    path("activities/new/", views.activity_create, name="create"),
    path("activities/import/", views.activity_import, name="import"),
    path("activities/import/template/", views.import_template, name="import_template"),
    path("activities/types/", views.types_view, name="types"),
    path("activities/types/<int:pk>/toggle/", views.type_toggle, name="type_toggle"),
    path("activities/figures/", views.figures, name="figures"),
    path("activities/figures/<str:key>/", views.figure_records, name="figure_records"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="delete"),
    path("activities/<int:pk>/people/", views.people_search, name="people"),
    path("activities/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("activities/<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("activities/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("activities/participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("activities/participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("activities/entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("activities/entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("activities/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("activities/attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("publicity/", views.publicity_list, name="publicity"),
    path("publicity/new/", views.publicity_create, name="publicity_create"),
    path("publicity/<int:pk>/edit/", views.publicity_edit, name="publicity_edit"),
    path("publicity/<int:pk>/delete/", views.publicity_delete, name="publicity_delete"),
    path("materials/", views.material_list, name="materials"),
    path("materials/new/", views.material_create, name="material_create"),
    path("materials/<int:pk>/edit/", views.material_edit, name="material_edit"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
]
