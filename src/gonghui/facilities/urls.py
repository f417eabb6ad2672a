from django.urls import path

from gonghui.facilities import views

app_name = "facilities"
urlpatterns = [
    path("facilities/", views.facility_list, name="list"),
    path("facilities/new/", views.facility_create, name="create"),
    path("facilities/figures/", views.figures, name="figures"),
    path("facilities/<int:pk>/", views.facility_detail, name="detail"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="edit"),
    path("facilities/<int:pk>/close/", views.facility_close, name="close"),
    path("facilities/<int:pk>/recognitions/new/", views.recognition_create, name="recognition_create"),
    path("facilities/<int:pk>/grants/new/", views.grant_create, name="grant_create"),
    path("facilities/recognitions/<int:pk>/edit/", views.recognition_edit, name="recognition_edit"),
    path("facilities/grants/<int:pk>/edit/", views.grant_edit, name="grant_edit"),
]
