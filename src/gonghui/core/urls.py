from django.urls import path

from gonghui.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("users/", views.users, name="users"),
    path("account/", views.account, name="account"),
]
