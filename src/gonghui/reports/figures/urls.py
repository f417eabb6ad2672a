from django.urls import path

from gonghui.reports.figures import views

app_name = "figures"
urlpatterns = [
    path("figures/<str:key>/", views.drilldown, name="drilldown"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/orgs/", views.org_search, name="org_search"),
]
