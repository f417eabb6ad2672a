from django.contrib.auth import views as auth_views
from django.urls import include, path

from gonghui.api import api
from gonghui.core.views import LoginView
from gonghui.portal.views import healthz

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("gonghui.core.urls")),
    path("", include("gonghui.orgs.urls")),
    path("", include("gonghui.activities.urls")),
    path("", include("gonghui.facilities.urls")),
    path("", include("gonghui.organising.urls")),
    path("", include("gonghui.targets.urls")),
    path("", include("gonghui.members.urls")),
    path("", include("gonghui.portal.urls")),
    path("", include("gonghui.reports.summary.urls")),
    path("", include("gonghui.reports.figures.urls")),
    path("", include("gonghui.reports.annual_return.urls")),
]
