from django.urls import path

from gonghui.organising import views

app_name = "organising"
urlpatterns = [
    path("organising/coverage/", views.coverage, name="coverage"),
    path("organising/unorganised/", views.unorganised, name="unorganised"),
    path("organising/terms/", views.terms, name="terms"),
    path("organising/campaigns/", views.campaigns, name="campaigns"),
    path("organising/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("organising/campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("organising/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("organising/targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("organising/ratings/", views.ratings, name="ratings"),
    path("organising/ratings/<int:pk>/edit/", views.rating_edit, name="rating_edit"),
    path("organising/assessments/", views.assessments, name="assessments"),
    path("organising/assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
]
