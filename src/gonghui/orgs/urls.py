from django.urls import path

from gonghui.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("orgs/search/", views.search, name="search"),
    path("orgs/switch/", views.switch, name="switch"),
    path("orgs/officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("orgs/<str:code>/", views.detail, name="detail"),
    path("orgs/<str:code>/children/", views.tree_children, name="tree_children"),
    path("orgs/<str:code>/edit/", views.edit, name="edit"),
    path("orgs/<str:code>/new/", views.create_child, name="create_child"),
    path("orgs/<str:code>/move/", views.move, name="move"),
    path("orgs/<str:code>/dissolve/", views.dissolve, name="dissolve"),
    path("orgs/<str:code>/export/", views.export, name="export"),
    path("orgs/<str:code>/officers/new/", views.officer_create, name="officer_create"),
    path("employers/", views.employers, name="employers"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
]
