from django.urls import path

from . import views

app_name = "guidebook"

urlpatterns = [
    path("guidebook/", views.edition_list, name="edition_list"),
    path("guidebook/new/", views.edition_create, name="edition_create"),
    path("guidebook/<int:pk>/", views.edition_detail, name="edition_detail"),
    path("guidebook/<int:pk>/edit/", views.edition_edit, name="edition_edit"),
    path("guidebook/<int:pk>/chapters/<int:number>/", views.chapter_read, name="chapter_read"),
    path("guidebook/<int:pk>/search/", views.search, name="search"),
    path("guidebook/<int:pk>/chapters/", views.chapter_add, name="chapter_add"),
    path("guidebook/<int:pk>/figures/", views.figure_add, name="figure_add"),
    path("guidebook/<int:pk>/publish/", views.publish, name="publish"),
    path("guidebook/<int:pk>/preview/", views.preview, name="preview"),
    path("guidebook/<int:pk>/guidebook.pdf", views.edition_pdf, name="edition_pdf"),
    path("guidebook/chapters/<int:pk>/sections/", views.section_add, name="section_add"),
    path("guidebook/sections/<int:pk>/", views.section_edit, name="section_edit"),
    path("guidebook/sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("guidebook/figures/<int:pk>/", views.figure, name="figure"),
    path("guidebook/builds/<int:pk>/", views.build_detail, name="build_detail"),
    path("guidebook/builds/<int:pk>/status/", views.build_status, name="build_status"),
    path("guidebook/builds/<int:pk>/pdf/", views.build_pdf, name="build_pdf"),
    path("materials/", views.material_list, name="material_list"),
    path("materials/new/", views.material_create, name="material_create"),
    path("materials/stats/", views.download_stats, name="download_stats"),
    path("materials/<int:pk>/", views.material_detail, name="material_detail"),
    path("materials/<int:pk>/edit/", views.material_edit, name="material_edit"),
    path("materials/<int:pk>/versions/", views.version_add, name="version_add"),
    path("materials/<int:pk>/withdraw/", views.material_withdraw, name="material_withdraw"),
    path("materials/<int:pk>/download/", views.download, name="download"),
    path("materials/versions/<int:pk>/download/", views.version_download, name="version_download"),
]
