from django.urls import path

from gonghui.targets import views

app_name = "targets"
urlpatterns = [
    path("targets/", views.target_list, name="list"),
    path("targets/new/", views.target_create, name="create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="delete"),
    path("targets/<int:pk>/split/", views.target_split, name="split"),
    path("targets/completion/", views.completion_page, name="completion"),
    path("targets/assessments/", views.schemes, name="schemes"),
    path("targets/assessments/new/", views.scheme_create, name="scheme_create"),
    path("targets/assessments/<int:pk>/", views.scheme_detail, name="scheme"),
    path("targets/assessments/items/<int:pk>/score/", views.score_item, name="score"),
]
