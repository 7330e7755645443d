from django.urls import path

from pages import views

urlpatterns = [
    path('', views.index, name='index'),
    path('healthz', views.healthz, name='healthz'),
    path('slow', views.slow, name='slow'),
    path('fail', views.fail, name='fail'),
    path('echo', views.echo, name='echo'),
    path('notes', views.notes, name='notes'),
    path('contact', views.contact, name='contact'),
    path('whoami', views.whoami, name='whoami'),
]
