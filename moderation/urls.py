from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("inscrire/", views.submit, name="submit"),
    path("inscrire/merci/", views.submitted, name="submitted"),
    path("inscrire/lien-perdu/", views.lost_link, name="lost_link"),
    path("modifier/<str:token>/", views.edit, name="edit"),
    path("modifier/<str:token>/effacer/", views.erase, name="erase"),
    path("modifier/<str:token>/confirmer/", views.confirm, name="confirm"),
    path("modifier/<str:token>/fermetures/", views.closures, name="closures"),
    path("modifier/<str:token>/fermetures/<int:pk>/supprimer/", views.delete_closure, name="delete_closure"),
    path("modifier/<str:token>/nouveau-lien/", views.renew_link, name="renew_link"),
    path("activites/<slug:slug>/signaler/", views.report, name="report"),
]
