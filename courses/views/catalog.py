"""Home, catalog, search and category pages."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def catalog(request):
    return render(request, "core/placeholder.html", {"heading": "Catalog"})


def category(request, slug):
    return render(request, "core/placeholder.html", {"heading": "Category"})
