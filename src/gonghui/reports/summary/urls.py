from django.urls import path

from gonghui.reports.summary import views

app_name = "summary"
urlpatterns = [
    path("reports/summaries/", views.summaries, name="list"),
    path("reports/summaries/<str:code>/<int:year>/", views.detail, name="detail"),
    path("reports/summaries/<str:code>/<int:year>/edit/", views.edit, name="edit"),
    path("reports/summaries/<str:code>/<int:year>/docx/", views.download, name="docx"),
    path("reports/summaries/<str:code>/<int:year>/finalise/", views.finalise, name="finalise"),
    path("reports/summaries/<str:code>/<int:year>/reopen/", views.reopen, name="reopen"),
    path("reports/summaries/<str:code>/<int:year>/versions/", views.versions, name="versions"),
    path("reports/summary-templates/<int:pk>/", views.template_edit, name="template_edit"),
]
