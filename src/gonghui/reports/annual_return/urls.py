from django.urls import path

from gonghui.reports.annual_return import views

app_name = "annual_return"
base = "reports/annual-returns/<str:code>/<int:year>/"
urlpatterns = [
    path("reports/annual-returns/", views.returns, name="list"),
    path(base, views.detail, name="detail"),
    path(base + "values/", views.save_values, name="values"),
    path(base + "refresh/", views.refresh, name="refresh"),
    path(base + "fill-zero/", views.fill_zero, name="fill_zero"),
    path(base + "explain/", views.explain, name="explain"),
    path(base + "cover/", views.cover, name="cover"),
    path(base + "submit/", views.submit, name="submit"),
    path(base + "accept/", views.accept, name="accept"),
    path(base + "return/", views.send_back, name="send_back"),
    path(base + "missing/", views.mark_missing, name="mark_missing"),
    path(base + "xlsx/", views.download, name="xlsx"),
]
