from django.urls import path

from gonghui.members import views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="list"),
    path("members/join/", views.join, name="join"),
    path("members/export/", views.export, name="export"),
    path("members/template/", views.template, name="template"),
    path("members/dormant/", views.dormant, name="dormant"),
    path("members/transfers/", views.transfers, name="transfers"),
    path("members/transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("members/imports/", views.imports, name="imports"),
    path("members/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("members/imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("members/imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("members/imports/<int:pk>/errors/", views.import_errors, name="import_errors"),
    path("members/<int:pk>/", views.detail, name="detail"),
    path("members/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("members/<int:pk>/edit/", views.edit, name="edit"),
    path("members/<int:pk>/change/", views.change, name="change"),
    path("members/<int:pk>/transfer/", views.transfer, name="transfer"),
]
